//! E133 `wildcard-in-principal`: a wildcard inside a principal value, or
//! `"Principal": "*"` in a role trust policy.

use warden_diagnostics::Severity;
use warden_policy::ast::PrincipalValue;
use warden_policy::principal::PrincipalKind;

use crate::{Category, LintContext, PolicyType, Rule, RuleMeta, Sink, StatementView};
use warden_policy::glob::has_wildcard;

/// See [`META`].
pub struct WildcardInPrincipal;

static META: RuleMeta = RuleMeta {
    code: "E133",
    name: "wildcard-in-principal",
    category: Category::Error,
    default_severity: Severity::Error,
    since: "0.1.0",
    summary: "A principal value uses `*` or `?` to match part of a name.",
    what_it_does: "Finds principal values containing `*` or `?`, except the value `*` of the \
        `AWS` key (everyone). In role trust policies, also finds the string form \
        `\"Principal\": \"*\"`.",
    why_bad: "Principals are matched exactly: `arn:aws:iam::111122223333:role/ci-*` is not a \
        pattern, and AWS rejects it or matches nobody. To match principals by pattern, name \
        the account and test `aws:PrincipalArn` with `ArnLike` in a condition.",
    example: r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/ci-*"},
 "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/*"}"#,
    use_instead: r#"{"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "s3:GetObject",
 "Resource": "arn:aws:s3:::bucket/*", "Condition": {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/ci-*"}}}"#,
    access_analyzer: &[
        "UNSUPPORTED_WILDCARD_IN_PRINCIPAL",
        "ROLE_TRUST_POLICY_UNSUPPORTED_WILDCARD_IN_PRINCIPAL",
    ],
};

impl Rule for WildcardInPrincipal {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_statement(&self, cx: &LintContext<'_>, st: &StatementView<'_>, sink: &mut Sink) {
        if let Some(p) = &st.statement.principal
            && matches!(p.value, PrincipalValue::Any)
            && !p.negated
            && cx.policy_type == PolicyType::Trust
        {
            sink.report(
                p.span,
                "`\"Principal\": \"*\"` is not supported in a role trust policy",
                "wildcard principal",
                "name the accounts, roles, services or identity providers that may assume the role",
            );
        }
        for (kind, v) in st.principal_values() {
            if !has_wildcard(&v.value) || (kind == PrincipalKind::Aws && v.value == "*") {
                continue;
            }
            sink.report(
                v.span,
                format!("`{}` principal `{}` contains a wildcard", kind.key(), v.value),
                "principals are matched exactly",
                "name the principal exactly; to match by pattern, test `aws:PrincipalArn` with `ArnLike` in a condition",
            );
        }
    }
}
