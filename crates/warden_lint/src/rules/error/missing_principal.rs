//! E128 `missing-principal`: a resource-based policy statement without
//! `Principal`.

use warden_diagnostics::Severity;

use crate::spans::opening;
use crate::{Category, LintContext, PolicyType, Rule, RuleMeta, Sink, StatementView};

/// See [`META`].
pub struct MissingPrincipal;

static META: RuleMeta = RuleMeta {
    code: "E128",
    name: "missing-principal",
    category: Category::Error,
    default_severity: Severity::Error,
    since: "0.1.0",
    summary: "A statement of a resource-based, trust, resource control or VPC endpoint policy has \
        no `Principal`.",
    what_it_does: "In resource-based policies, role trust policies, resource control policies \
        and VPC endpoint policies, finds statements with neither `Principal` nor `NotPrincipal`.",
    why_bad: "A policy attached to a resource must say who it applies to. AWS rejects such \
        statements, or, where a service accepts the policy, the statement applies to nobody.",
    example: r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/*"}"#,
    use_instead: r#"{"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/*"}"#,
    access_analyzer: &["MISSING_PRINCIPAL"],
};

impl Rule for MissingPrincipal {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_statement(&self, cx: &LintContext<'_>, st: &StatementView<'_>, sink: &mut Sink) {
        if !matches!(
            cx.policy_type,
            PolicyType::Resource | PolicyType::Trust | PolicyType::Rcp | PolicyType::Endpoint
        ) || st.statement.principal.is_some()
        {
            return;
        }
        let what = match cx.policy_type {
            PolicyType::Trust => "a role trust policy",
            PolicyType::Rcp => "a resource control policy",
            // "It must contain a Principal element" ("Control access to VPC
            // endpoints using endpoint policies").
            PolicyType::Endpoint => "a VPC endpoint policy",
            _ => "a resource-based policy",
        };
        let help = if cx.policy_type == PolicyType::Rcp {
            "add `\"Principal\": \"*\"` (resource control policies apply to every principal)"
        } else if cx.policy_type == PolicyType::Endpoint {
            "add `\"Principal\": \"*\"` and name principals with an `aws:PrincipalArn` condition"
        } else {
            "add `\"Principal\": {\"AWS\": \"111122223333\"}` naming who the statement applies to"
        };
        sink.report(
            opening(st.statement.span),
            format!("this statement of {what} has no `Principal`"),
            "no `Principal`",
            help,
        );
    }
}
