//! Rules of the error category: the policy is invalid or does not do what it says.

use crate::Rule;

pub mod arn_account_not_allowed;
pub mod arn_matches_no_resource_type;
pub mod arn_region_not_allowed;
pub mod arn_service_not_lowercase;
pub mod duplicate_condition_key_case;
pub mod federated_principal_not_supported;
pub mod invalid_arn_account;
pub mod invalid_arn_partition;
pub mod invalid_aws_principal;
pub mod invalid_condition_key_format;
pub mod invalid_federated_principal;
pub mod invalid_region;
pub mod invalid_service_principal;
pub mod invalid_sid_characters;
pub mod invalid_vpc_id;
pub mod mismatched_assume_role_action;
pub mod missing_action_for_condition_key;
pub mod missing_arn_region;
pub mod missing_principal;
pub mod missing_resource;
pub mod missing_set_qualifier;
pub mod missing_tag_key;
pub mod mixed_condition_value_types;
pub mod multiple_boolean_values;
pub mod principal_key_with_service_principal;
pub mod private_source_ip;
pub mod resource_in_trust_policy;
pub mod roles_anywhere_missing_actions;
pub mod scp_size_exceeded;
pub mod sid_not_unique;
pub mod unknown_action;
pub mod unknown_global_condition_key;
pub mod unknown_service;
pub mod unknown_service_condition_key;
pub mod unsupported_action_for_condition_key;
pub mod unsupported_action_in_trust_policy;
pub mod unsupported_principal_element;
pub mod variable_in_principal;
pub mod variable_with_non_string_operator;
pub mod variable_without_version;
pub mod wildcard_in_principal;

/// The rules of this category.
pub(crate) static RULES: &[&dyn Rule] = &[
    &unknown_service::UnknownService,
    &unknown_action::UnknownAction,
    &invalid_arn_partition::InvalidArnPartition,
    &arn_service_not_lowercase::ArnServiceNotLowercase,
    &invalid_arn_account::InvalidArnAccount,
    &invalid_region::InvalidRegion,
    &arn_account_not_allowed::ArnAccountNotAllowed,
    &arn_region_not_allowed::ArnRegionNotAllowed,
    &missing_arn_region::MissingArnRegion,
    &arn_matches_no_resource_type::ArnMatchesNoResourceType,
    &invalid_condition_key_format::InvalidConditionKeyFormat,
    &unknown_global_condition_key::UnknownGlobalConditionKey,
    &unknown_service_condition_key::UnknownServiceConditionKey,
    &missing_tag_key::MissingTagKey,
    &duplicate_condition_key_case::DuplicateConditionKeyCase,
    &mixed_condition_value_types::MixedConditionValueTypes,
    &multiple_boolean_values::MultipleBooleanValues,
    &missing_set_qualifier::MissingSetQualifier,
    &variable_with_non_string_operator::VariableWithNonStringOperator,
    &variable_in_principal::VariableInPrincipal,
    &variable_without_version::VariableWithoutVersion,
    &private_source_ip::PrivateSourceIp,
    &invalid_vpc_id::InvalidVpcId,
    &invalid_service_principal::InvalidServicePrincipal,
    &unsupported_action_for_condition_key::UnsupportedActionForConditionKey,
    &missing_action_for_condition_key::MissingActionForConditionKey,
    &principal_key_with_service_principal::PrincipalKeyWithServicePrincipal,
    &missing_principal::MissingPrincipal,
    &missing_resource::MissingResource,
    &unsupported_principal_element::UnsupportedPrincipalElement,
    &resource_in_trust_policy::ResourceInTrustPolicy,
    &federated_principal_not_supported::FederatedPrincipalNotSupported,
    &wildcard_in_principal::WildcardInPrincipal,
    &invalid_aws_principal::InvalidAwsPrincipal,
    &invalid_federated_principal::InvalidFederatedPrincipal,
    &mismatched_assume_role_action::MismatchedAssumeRoleAction,
    &roles_anywhere_missing_actions::RolesAnywhereMissingActions,
    &unsupported_action_in_trust_policy::UnsupportedActionInTrustPolicy,
    &sid_not_unique::SidNotUnique,
    &invalid_sid_characters::InvalidSidCharacters,
    &scp_size_exceeded::ScpSizeExceeded,
];
