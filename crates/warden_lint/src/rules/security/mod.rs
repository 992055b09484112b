//! Rules of the security category: the policy grants more than it appears to.

use crate::Rule;

pub mod allow_with_not_action;
pub mod allow_with_not_principal;
pub(crate) mod common;
pub mod credentials_exposure;
pub mod data_exfiltration;
pub mod deny_with_unsupported_tag_condition_key;
pub mod for_all_values_with_single_valued_key;
pub mod github_oidc_without_subject_condition;
pub mod grants_public_access;
pub mod missing_paired_condition_keys;
pub(crate) mod oidc;
pub mod oidc_principal_without_condition;
pub mod pass_role_on_all_resources;
pub mod permissions_management_on_all_resources;
pub mod privilege_escalation;
pub mod service_principal_without_source_condition;
pub(crate) mod tag_support;

/// The rules of this category.
pub(crate) static RULES: &[&dyn Rule] = &[
    &pass_role_on_all_resources::PassRoleOnAllResources,
    &allow_with_not_principal::AllowWithNotPrincipal,
    &for_all_values_with_single_valued_key::ForAllValuesWithSingleValuedKey,
    &missing_paired_condition_keys::MissingPairedConditionKeys,
    &deny_with_unsupported_tag_condition_key::DenyWithUnsupportedTagConditionKey,
    &service_principal_without_source_condition::ServicePrincipalWithoutSourceCondition,
    &oidc_principal_without_condition::OidcPrincipalWithoutCondition,
    &github_oidc_without_subject_condition::GithubOidcWithoutSubjectCondition,
    &privilege_escalation::PrivilegeEscalation,
    &data_exfiltration::DataExfiltration,
    &credentials_exposure::CredentialsExposure,
    &permissions_management_on_all_resources::PermissionsManagementOnAllResources,
    &allow_with_not_action::AllowWithNotAction,
    &grants_public_access::GrantsPublicAccess,
];
