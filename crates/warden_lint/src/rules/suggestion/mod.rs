//! Rules of the suggestion category: the policy could be written better.

use warden_text::Span;

use crate::{Rule, Sink};

pub mod allow_with_unsupported_tag_condition_key;
pub mod audience_claim_with_set_operator;
pub mod empty_action;
pub mod empty_condition;
pub mod empty_condition_values;
pub mod empty_principal;
pub mod empty_resource;
pub mod empty_sid;
pub mod ip_range_host_bits;
pub mod null_with_set_qualifier;
pub mod private_ip_in_source_ip;
pub mod redundant_action;
pub mod redundant_assumed_role_principal;
pub mod redundant_numeric_condition_value;
pub mod redundant_resource;
pub mod redundant_statement;
pub mod service_principal_with_principal_condition_key;
pub mod string_like_any_value;
pub mod wildcard_in_service_name;

/// The rules of this category.
pub(crate) static RULES: &[&dyn Rule] = &[
    &redundant_action::RedundantAction,
    &empty_action::EmptyAction,
    &empty_resource::EmptyResource,
    &empty_principal::EmptyPrincipal,
    &empty_condition::EmptyCondition,
    &empty_condition_values::EmptyConditionValues,
    &empty_sid::EmptySid,
    &ip_range_host_bits::IpRangeHostBits,
    &null_with_set_qualifier::NullWithSetQualifier,
    &private_ip_in_source_ip::PrivateIpInSourceIp,
    &redundant_numeric_condition_value::RedundantNumericConditionValue,
    &redundant_resource::RedundantResource,
    &redundant_statement::RedundantStatement,
    &wildcard_in_service_name::WildcardInServiceName,
    &allow_with_unsupported_tag_condition_key::AllowWithUnsupportedTagConditionKey,
    &service_principal_with_principal_condition_key::ServicePrincipalWithPrincipalConditionKey,
    &redundant_assumed_role_principal::RedundantAssumedRolePrincipal,
    &audience_claim_with_set_operator::AudienceClaimWithSetOperator,
    &string_like_any_value::StringLikeAnyValue,
];

/// Reports an element (`Action`, `NotResource`, ...) written as an empty
/// list: it matches nothing, so the statement has no effect.
pub(crate) fn report_empty_list(
    sink: &mut Sink,
    (span, name): (Span, &str),
    label: &str,
    help: &str,
) {
    sink.report(
        span,
        format!("`{name}` is empty, so the statement has no effect"),
        label,
        help,
    );
}
