//! H405 `empty-condition`: `Condition` is `{}`, or an operator has no keys.

use warden_diagnostics::Severity;

use crate::{Category, LintContext, Rule, RuleMeta, Sink, StatementView};

/// See [`META`].
pub struct EmptyCondition;

static META: RuleMeta = RuleMeta {
    code: "H405",
    name: "empty-condition",
    category: Category::Suggestion,
    default_severity: Severity::Suggestion,
    since: "0.1.0",
    summary: "`Condition` is an empty object, or one of its operators tests no key.",
    what_it_does: "Finds `\"Condition\": {}` and operators with no keys, such as \
        `\"Condition\": {\"StringEquals\": {}}`.",
    why_bad: "An empty condition restricts nothing. It usually marks a restriction that was \
        meant to be written and never was, so the statement is broader than it looks.",
    example: r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {}}"#,
    use_instead: r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
 "Condition": {"StringEquals": {"aws:ResourceAccount": "111122223333"}}}"#,
    access_analyzer: &["EMPTY_OBJECT_CONDITION"],
};

impl Rule for EmptyCondition {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_statement(&self, _cx: &LintContext<'_>, st: &StatementView<'_>, sink: &mut Sink) {
        let Some(c) = &st.statement.condition else {
            return;
        };
        if c.operators.is_empty() {
            sink.report(
                c.span,
                "`Condition` is empty, so it restricts nothing",
                "empty condition",
                "write the intended conditions, or remove `Condition`",
            );
            return;
        }
        for op in c.operators.iter().filter(|o| o.entries.is_empty()) {
            sink.report(
                op.span,
                format!(
                    "`{}` tests no condition key, so it restricts nothing",
                    op.operator.raw
                ),
                "no keys",
                "add the key and values to test, or remove the operator",
            );
        }
    }
}
