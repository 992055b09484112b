//! E129 `missing-resource`: an identity-based policy statement without
//! `Resource`.

use warden_diagnostics::Severity;

use crate::spans::opening;
use crate::{Category, LintContext, PolicyType, Rule, RuleMeta, Sink, StatementView};

/// See [`META`].
pub struct MissingResource;

static META: RuleMeta = RuleMeta {
    code: "E129",
    name: "missing-resource",
    category: Category::Error,
    default_severity: Severity::Error,
    since: "0.1.0",
    summary: "A statement of an identity-based policy has no `Resource` or `NotResource`.",
    what_it_does: "In identity-based policies (also permissions boundaries and session \
        policies), finds statements with neither `Resource` nor `NotResource`.",
    why_bad: "An identity-based statement must say which resources it covers; IAM rejects the \
        policy. Write `\"Resource\": \"*\"` if the statement really covers every resource.",
    example: r#"{"Effect": "Allow", "Action": "s3:ListAllMyBuckets"}"#,
    use_instead: r#"{"Effect": "Allow", "Action": "s3:ListAllMyBuckets", "Resource": "*"}"#,
    access_analyzer: &["MISSING_RESOURCE"],
};

impl Rule for MissingResource {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_statement(&self, cx: &LintContext<'_>, st: &StatementView<'_>, sink: &mut Sink) {
        if cx.policy_type != PolicyType::Identity || st.statement.resource.is_some() {
            return;
        }
        sink.report(
            opening(st.statement.span),
            "this statement has no `Resource` or `NotResource`",
            "no `Resource`",
            "add `\"Resource\"` with the ARNs the statement covers, or `\"*\"`",
        );
    }
}
