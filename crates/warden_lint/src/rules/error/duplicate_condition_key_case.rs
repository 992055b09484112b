//! E115 `duplicate-condition-key-case`: the same condition key twice in
//! one operator, in different letter case.

use warden_diagnostics::Severity;

use crate::{Category, LintContext, Rule, RuleMeta, Sink, StatementView};

/// See [`META`].
pub struct DuplicateConditionKeyCase;

static META: RuleMeta = RuleMeta {
    code: "E115",
    name: "duplicate-condition-key-case",
    category: Category::Error,
    default_severity: Severity::Error,
    since: "0.1.0",
    summary: "One condition operator lists the same key twice, spelt in different case.",
    what_it_does: "Finds keys of one condition operator block that are equal when case is \
        ignored but written differently, such as `aws:SourceIp` and `aws:sourceip`. (Keys \
        written identically are reported by the parser as duplicate JSON keys.)",
    why_bad: "Condition key names are case-insensitive, so both entries test the same key; JSON \
        readers disagree on whether both are kept, and the author probably meant one entry \
        with several values.",
    example: r#"{"Effect": "Deny", "Action": "*", "Resource": "*",
 "Condition": {"NotIpAddress": {"aws:SourceIp": "203.0.113.0/24", "aws:sourceip": "198.51.100.0/24"}}}"#,
    use_instead: r#"{"Effect": "Deny", "Action": "*", "Resource": "*",
 "Condition": {"NotIpAddress": {"aws:SourceIp": ["203.0.113.0/24", "198.51.100.0/24"]}}}"#,
    access_analyzer: &["DUPLICATE_KEYS_WITH_DIFFERENT_CASE"],
};

impl Rule for DuplicateConditionKeyCase {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_statement(&self, _cx: &LintContext<'_>, st: &StatementView<'_>, sink: &mut Sink) {
        let Some(condition) = &st.statement.condition else {
            return;
        };
        for op in &condition.operators {
            for (i, entry) in op.entries.iter().enumerate() {
                let earlier = op.entries.iter().take(i).find(|e| {
                    e.key.value.eq_ignore_ascii_case(&entry.key.value)
                        && e.key.value != entry.key.value
                });
                let Some(first) = earlier else {
                    continue;
                };
                let d = sink
                    .finding(
                        entry.key.span,
                        format!(
                            "condition key `{}` repeats `{}` in different case under `{}`",
                            entry.key.value, first.key.value, op.operator.raw
                        ),
                        "same key again",
                    )
                    .with_secondary(first.key.span, "first written here")
                    .with_help("keep one entry and list all the values there");
                sink.push(d);
            }
        }
    }
}
