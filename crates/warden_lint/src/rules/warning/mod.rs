//! Rules of the warning category: the policy is valid but probably wrong.

use crate::Rule;

pub mod condition_key_not_supported_by_actions;
pub mod condition_operator_type_mismatch;
pub mod condition_value_type_mismatch;
pub mod create_service_linked_role_on_all_resources;
pub mod deprecated_global_condition_key;
pub mod duplicate_sid;
pub mod epoch_date_value;
pub mod github_subject_too_broad;
pub mod policy_size_exceeds_quota;
pub mod principal_unique_id;
pub mod retired_service_or_action;
pub mod string_like_on_arn_key;
pub mod wildcard_matches_no_action;
pub mod wildcard_without_like_operator;

/// The rules of this category.
pub(crate) static RULES: &[&dyn Rule] = &[
    &create_service_linked_role_on_all_resources::CreateServiceLinkedRoleOnAllResources,
    &deprecated_global_condition_key::DeprecatedGlobalConditionKey,
    &epoch_date_value::EpochDateValue,
    &principal_unique_id::PrincipalUniqueId,
    &duplicate_sid::DuplicateSid,
    &wildcard_without_like_operator::WildcardWithoutLikeOperator,
    &policy_size_exceeds_quota::PolicySizeExceedsQuota,
    &condition_operator_type_mismatch::ConditionOperatorTypeMismatch,
    &condition_value_type_mismatch::ConditionValueTypeMismatch,
    &github_subject_too_broad::GithubSubjectTooBroad,
    &wildcard_matches_no_action::WildcardMatchesNoAction,
    &condition_key_not_supported_by_actions::ConditionKeyNotSupportedByActions,
    &string_like_on_arn_key::StringLikeOnArnKey,
    &retired_service_or_action::RetiredServiceOrAction,
];
