//! H420 `string-like-any-value`: `StringLike` whose only value is `"*"`,
//! which only tests that the key is present.

use warden_diagnostics::Severity;
use warden_policy::operator::BaseOperator;

use crate::{Category, LintContext, Rule, RuleMeta, Sink, StatementView};

/// See [`META`].
pub struct StringLikeAnyValue;

static META: RuleMeta = RuleMeta {
    code: "H420",
    name: "string-like-any-value",
    category: Category::Suggestion,
    default_severity: Severity::Suggestion,
    since: "0.2.0",
    summary: "A `StringLike` condition whose only value is `*` only tests that the key is present.",
    what_it_does: "Finds condition keys under `StringLike` (without a set qualifier and without \
        `IfExists`) whose values are all the single wildcard `*`.",
    why_bad: "`*` matches every string, the empty one included, so the condition holds exactly \
        when the request carries the key: it is `Null` with `false`, written so that a reader \
        expects a comparison. The policy does what `Null` would do; the suggestion is about \
        saying so.",
    example: r#"{"Condition": {"StringLike": {"aws:ResourceTag/team": "*"}}}"#,
    use_instead: r#"{"Condition": {"Null": {"aws:ResourceTag/team": "false"}}}"#,
    access_analyzer: &["EQUIVALENT_TO_NULL_FALSE"],
};

impl Rule for StringLikeAnyValue {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_statement(&self, _cx: &LintContext<'_>, st: &StatementView<'_>, sink: &mut Sink) {
        for (base, op, entry) in st.known_conditions() {
            // `ForAllValues:StringLike` is also true without the key, and
            // `StringLikeIfExists` always: neither is `Null: false`.
            let plain = op.operator.qualifier.is_none() && !op.operator.if_exists;
            if base != BaseOperator::StringLike || !plain {
                continue;
            }
            let only_star = !entry.values.is_empty() && entry.values.iter().all(|v| v.raw == "*");
            if !only_star {
                continue;
            }
            let key = &entry.key.value;
            sink.report(
                entry.key.span,
                format!("`StringLike` with only `*` tests only that `{key}` is present"),
                "matches any value",
                format!("write `\"Null\": {{\"{key}\": \"false\"}}`, which says so"),
            );
        }
    }
}
