//! E131 `resource-in-trust-policy`: `Resource` or `NotResource` in a role
//! trust policy.

use warden_diagnostics::Severity;

use crate::{Category, LintContext, PolicyType, Rule, RuleMeta, Sink, StatementView};

/// See [`META`].
pub struct ResourceInTrustPolicy;

static META: RuleMeta = RuleMeta {
    code: "E131",
    name: "resource-in-trust-policy",
    category: Category::Error,
    default_severity: Severity::Error,
    since: "0.1.0",
    summary: "A role trust policy has `Resource` or `NotResource`.",
    what_it_does: "Finds `Resource` and `NotResource` in role trust policies.",
    why_bad: "A trust policy always applies to the role it belongs to, so it names no resource; \
        IAM rejects a trust policy with `Resource`.",
    example: r#"{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole",
 "Resource": "arn:aws:iam::111122223333:role/app"}"#,
    use_instead: r#"{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}"#,
    access_analyzer: &["ROLE_TRUST_POLICY_SYNTAX_ERROR_RESOURCE"],
};

impl Rule for ResourceInTrustPolicy {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_statement(&self, cx: &LintContext<'_>, st: &StatementView<'_>, sink: &mut Sink) {
        if cx.policy_type != PolicyType::Trust {
            return;
        }
        let Some(resource) = &st.statement.resource else {
            return;
        };
        let element = if resource.negated {
            "NotResource"
        } else {
            "Resource"
        };
        sink.report(
            resource.key_span,
            format!("`{element}` is not allowed in a role trust policy"),
            format!("`{element}` here"),
            format!("remove `{element}`: the policy applies to the role it is attached to"),
        );
    }
}
