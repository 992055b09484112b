//! E116 `mixed-condition-value-types`: one condition key's values mix JSON
//! types.

use warden_diagnostics::Severity;
use warden_policy::ast::ValueType;

use crate::{Category, LintContext, Rule, RuleMeta, Sink, StatementView};

/// See [`META`].
pub struct MixedConditionValueTypes;

static META: RuleMeta = RuleMeta {
    code: "E116",
    name: "mixed-condition-value-types",
    category: Category::Error,
    default_severity: Severity::Error,
    since: "0.1.0",
    summary: "The values of one condition key mix strings, numbers and booleans.",
    what_it_does: "Finds condition entries whose list of values holds more than one JSON type, \
        such as `[true, \"false\"]` or `[\"10\", 20]`.",
    why_bad: "AWS expects the values of one key to share one type, matching the key and the \
        operator. A mixed list is usually a half-edited policy, and how each value is compared \
        is not what a reader expects.",
    example: r#"{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::bucket",
 "Condition": {"NumericLessThanEquals": {"s3:max-keys": ["10", 20]}}}"#,
    use_instead: r#"{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::bucket",
 "Condition": {"NumericLessThanEquals": {"s3:max-keys": "20"}}}"#,
    access_analyzer: &["INVALID_CONDITION_DATA_TYPE"],
};

fn type_name(t: ValueType) -> &'static str {
    match t {
        ValueType::String => "string",
        ValueType::Number => "number",
        ValueType::Bool => "boolean",
    }
}

impl Rule for MixedConditionValueTypes {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_statement(&self, _cx: &LintContext<'_>, st: &StatementView<'_>, sink: &mut Sink) {
        for (_, entry) in st.conditions() {
            let Some(first) = entry.values.first() else {
                continue;
            };
            let Some(other) = entry
                .values
                .iter()
                .find(|v| v.value_type != first.value_type)
            else {
                continue;
            };
            let d = sink
                .finding(
                    other.span,
                    format!(
                        "the values of `{}` mix a {} (`{}`) with a {} (`{}`)",
                        entry.key.value,
                        type_name(first.value_type),
                        first.raw,
                        type_name(other.value_type),
                        other.raw
                    ),
                    format!("a {}", type_name(other.value_type)),
                )
                .with_secondary(first.span, format!("a {}", type_name(first.value_type)))
                .with_help(
                    "write every value of the key with the same JSON type, preferably as strings",
                );
            sink.push(d);
        }
    }
}
