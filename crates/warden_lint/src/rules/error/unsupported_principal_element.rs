//! E130 `unsupported-principal-element`: `Principal` or `NotPrincipal` in
//! a policy type that does not allow it.

use warden_diagnostics::Severity;

use crate::{Category, LintContext, PolicyType, Rule, RuleMeta, Sink, StatementView};

/// See [`META`].
pub struct UnsupportedPrincipalElement;

static META: RuleMeta = RuleMeta {
    code: "E130",
    name: "unsupported-principal-element",
    category: Category::Error,
    default_severity: Severity::Error,
    since: "0.1.0",
    summary: "`Principal` or `NotPrincipal` where the policy type does not allow it.",
    what_it_does: "Finds `Principal` and `NotPrincipal` in identity-based policies and service \
        control policies, and `NotPrincipal` in role trust policies.",
    why_bad: "An identity-based policy applies to the identity it is attached to, and an SCP to \
        the accounts it is attached to: neither names principals, and AWS rejects the policy. A \
        role trust policy must say who may assume the role with `Principal`; `NotPrincipal` is \
        not accepted there.",
    example: r#"{"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "s3:GetObject", "Resource": "*"}"#,
    use_instead: r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}"#,
    access_analyzer: &[
        "UNSUPPORTED_PRINCIPAL",
        "SCP_SYNTAX_ERROR_PRINCIPAL",
        "ROLE_TRUST_POLICY_SYNTAX_ERROR_NOTPRINCIPAL",
    ],
};

impl Rule for UnsupportedPrincipalElement {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_statement(&self, cx: &LintContext<'_>, st: &StatementView<'_>, sink: &mut Sink) {
        let Some(principal) = &st.statement.principal else {
            return;
        };
        let element = if principal.negated {
            "NotPrincipal"
        } else {
            "Principal"
        };
        let (what, help) = match cx.policy_type {
            PolicyType::Identity => (
                "identity-based policies",
                "remove it: the policy applies to the user, group or role it is attached to",
            ),
            PolicyType::Scp => (
                "service control policies",
                "remove it; to single out principals, test `aws:PrincipalArn` in a condition",
            ),
            PolicyType::Trust if principal.negated => (
                "role trust policies",
                "name who may assume the role with `Principal` instead",
            ),
            _ => return,
        };
        sink.report(
            principal.key_span,
            format!("`{element}` is not allowed in {what}"),
            format!("`{element}` here"),
            help,
        );
    }
}
