//! E138 `unsupported-action-in-trust-policy`: an action other than the STS
//! role-assumption actions in a role trust policy.

use warden_diagnostics::Severity;

use crate::{Category, LintContext, PolicyType, Rule, RuleMeta, Sink, StatementView};
use warden_policy::glob::has_wildcard;

/// See [`META`].
pub struct UnsupportedActionInTrustPolicy;

/// The actions a role trust policy can allow or deny.
const TRUST_ACTIONS: &[&str] = &[
    "AssumeRole",
    "AssumeRoleWithSAML",
    "AssumeRoleWithWebIdentity",
    "TagSession",
    "SetSourceIdentity",
    "SetContext",
];

static META: RuleMeta = RuleMeta {
    code: "E138",
    name: "unsupported-action-in-trust-policy",
    category: Category::Error,
    default_severity: Severity::Error,
    since: "0.1.0",
    summary: "A role trust policy names an action other than the STS role-assumption actions.",
    what_it_does: "In role trust policies, finds entries of `Action` without wildcards other than \
        `sts:AssumeRole`, `sts:AssumeRoleWithSAML`, `sts:AssumeRoleWithWebIdentity`, \
        `sts:TagSession`, `sts:SetSourceIdentity` and `sts:SetContext`, and entries of another \
        service (`s3:*`).",
    why_bad: "A trust policy only decides who may assume the role; permissions for other actions \
        belong in the role's permissions policies. Other actions in a trust policy grant \
        nothing, and usually mean a permissions policy was pasted in the wrong place.",
    example: r#"{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": ["sts:AssumeRole", "s3:GetObject"]}"#,
    use_instead: r#"{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}"#,
    access_analyzer: &["UNSUPPORTED_ACTION_IN_POLICY"],
};

impl Rule for UnsupportedActionInTrustPolicy {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_statement(&self, cx: &LintContext<'_>, st: &StatementView<'_>, sink: &mut Sink) {
        if cx.policy_type != PolicyType::Trust {
            return;
        }
        let Some(block) = &st.statement.action else {
            return;
        };
        if block.negated {
            return;
        }
        for item in block.items.iter().filter(|i| i.valid) {
            let raw = item.raw.trim();
            let Some((service, name)) = raw.split_once(':') else {
                continue; // `*`
            };
            let (service, name) = (service.trim(), name.trim());
            let supported = if has_wildcard(service) {
                true
            } else if !service.eq_ignore_ascii_case("sts") {
                false
            } else {
                has_wildcard(name) || TRUST_ACTIONS.iter().any(|a| a.eq_ignore_ascii_case(name))
            };
            if supported {
                continue;
            }
            sink.report(
                item.span,
                format!("`{raw}` cannot be used in a role trust policy"),
                "not a role-assumption action",
                "keep `sts:AssumeRole*`, `sts:TagSession`, `sts:SetSourceIdentity` and `sts:SetContext` here; grant other actions in the role's permissions policies",
            );
        }
    }
}
