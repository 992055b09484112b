//! H406 `empty-condition-values`: a condition key compared with `[]`.

use warden_diagnostics::Severity;
use warden_policy::ast::Form;
use warden_policy::operator::SetQualifier;

use crate::{Category, LintContext, Rule, RuleMeta, Sink, StatementView};

/// See [`META`].
pub struct EmptyConditionValues;

static META: RuleMeta = RuleMeta {
    code: "H406",
    name: "empty-condition-values",
    category: Category::Suggestion,
    default_severity: Severity::Suggestion,
    since: "0.1.0",
    summary: "A condition key is compared with an empty list of values.",
    what_it_does: "Finds condition entries whose value is `[]`, and says what that means for the \
        operator: with `ForAllValues:` or `...IfExists` it holds only when the key is missing; \
        with `ForAnyValue:` it never holds; otherwise the condition is meaningless.",
    why_bad: "An empty list is a roundabout and fragile way to test whether a key is present, or \
        a condition that never matches. Either way the statement does not do what it seems to.",
    example: r#"{"Condition": {"ForAllValues:StringEquals": {"aws:TagKeys": []}}}"#,
    use_instead: r#"{"Condition": {"Null": {"aws:TagKeys": "true"}}}"#,
    access_analyzer: &[
        "EMPTY_ARRAY_CONDITION",
        "EMPTY_ARRAY_CONDITION_FORALLVALUES",
        "EMPTY_ARRAY_CONDITION_FORANYVALUE",
        "EMPTY_ARRAY_CONDITION_IFEXISTS",
    ],
};

impl Rule for EmptyConditionValues {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_statement(&self, _cx: &LintContext<'_>, st: &StatementView<'_>, sink: &mut Sink) {
        for (op, entry) in st.conditions() {
            if entry.form != Form::List || !entry.values.is_empty() {
                continue;
            }
            let key = &entry.key.value;
            let (message, help) = match op.operator.qualifier {
                Some(SetQualifier::ForAllValues) => (
                    format!(
                        "`{}` with no values for `{key}` holds only when the key is missing",
                        op.operator.raw
                    ),
                    format!(
                        "to test that `{key}` is missing, write `\"Null\": {{\"{key}\": \"true\"}}`"
                    ),
                ),
                Some(SetQualifier::ForAnyValue) => (
                    format!(
                        "`{}` with no values for `{key}` never holds, so the statement has no effect",
                        op.operator.raw
                    ),
                    "list the values to compare with, or remove the statement".to_string(),
                ),
                None if op.operator.if_exists => (
                    format!(
                        "`{}` with no values for `{key}` holds only when the key is missing",
                        op.operator.raw
                    ),
                    format!(
                        "to test that `{key}` is missing, write `\"Null\": {{\"{key}\": \"true\"}}`"
                    ),
                ),
                None => (
                    format!("`{key}` is compared with no values"),
                    "list the values to compare with, or remove the condition".to_string(),
                ),
            };
            sink.report(entry.key.span, message, "empty list of values", help);
        }
    }
}
