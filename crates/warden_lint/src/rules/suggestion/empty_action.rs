//! H402 `empty-action`: `Action` or `NotAction` is an empty list.

use warden_diagnostics::Severity;

use super::report_empty_list;
use crate::{Category, LintContext, Rule, RuleMeta, Sink, StatementView};

/// See [`META`].
pub struct EmptyAction;

static META: RuleMeta = RuleMeta {
    code: "H402",
    name: "empty-action",
    category: Category::Suggestion,
    default_severity: Severity::Suggestion,
    since: "0.1.0",
    summary: "`Action` or `NotAction` is an empty list.",
    what_it_does: "Finds statements whose `Action` or `NotAction` is `[]`.",
    why_bad: "A statement with no actions does nothing; it only makes the policy longer and \
        suggests that something was meant to be there.",
    example: r#"{"Effect": "Allow", "Action": [], "Resource": "*"}"#,
    use_instead: r#"{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "arn:aws:s3:::bucket/*"}"#,
    access_analyzer: &["EMPTY_ARRAY_ACTION"],
};

impl Rule for EmptyAction {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_statement(&self, _cx: &LintContext<'_>, st: &StatementView<'_>, sink: &mut Sink) {
        let Some(block) = st.statement.action.as_ref().filter(|b| b.items.is_empty()) else {
            return;
        };
        let name = if block.negated { "NotAction" } else { "Action" };
        report_empty_list(
            sink,
            (block.span, name),
            "no actions",
            "list the actions, or remove the statement",
        );
    }
}
