//! H403 `empty-resource`: `Resource` or `NotResource` is an empty list.

use warden_diagnostics::Severity;

use super::report_empty_list;
use crate::{Category, LintContext, Rule, RuleMeta, Sink, StatementView};

/// See [`META`].
pub struct EmptyResource;

static META: RuleMeta = RuleMeta {
    code: "H403",
    name: "empty-resource",
    category: Category::Suggestion,
    default_severity: Severity::Suggestion,
    since: "0.1.0",
    summary: "`Resource` or `NotResource` is an empty list.",
    what_it_does: "Finds statements whose `Resource` or `NotResource` is `[]`.",
    why_bad: "A statement with no resources matches no request, so it does nothing.",
    example: r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": []}"#,
    use_instead: r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": ["arn:aws:s3:::bucket/*"]}"#,
    access_analyzer: &["EMPTY_ARRAY_RESOURCE"],
};

impl Rule for EmptyResource {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_statement(&self, _cx: &LintContext<'_>, st: &StatementView<'_>, sink: &mut Sink) {
        let Some(block) = st
            .statement
            .resource
            .as_ref()
            .filter(|b| b.items.is_empty())
        else {
            return;
        };
        let name = if block.negated {
            "NotResource"
        } else {
            "Resource"
        };
        report_empty_list(
            sink,
            (block.span, name),
            "no resources",
            "list the resource ARNs, or remove the statement",
        );
    }
}
