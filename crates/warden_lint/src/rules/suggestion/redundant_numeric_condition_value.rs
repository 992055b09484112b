//! H411 `redundant-numeric-condition-value`: several bounds where one
//! suffices.

use warden_diagnostics::Severity;
use warden_ir::value::Number;
use warden_policy::operator::BaseOperator;

use crate::{Category, LintContext, Rule, RuleMeta, Sink, StatementView};

/// See [`META`].
pub struct RedundantNumericConditionValue;

static META: RuleMeta = RuleMeta {
    code: "H411",
    name: "redundant-numeric-condition-value",
    category: Category::Suggestion,
    default_severity: Severity::Suggestion,
    since: "0.1.0",
    summary: "A numeric bound lists several values where only the loosest counts.",
    what_it_does: "Finds `NumericLessThan(Equals)` and `NumericGreaterThan(Equals)` entries with \
        several values, and reports every value other than the greatest (for less-than) or the \
        least (for greater-than).",
    why_bad: "Values of one key are ORed, so only the loosest bound has any effect. The others \
        suggest a tighter limit than the policy enforces.",
    example: r#"{"Condition": {"NumericLessThan": {"aws:MultiFactorAuthAge": ["2700", "3600"]}}}"#,
    use_instead: r#"{"Condition": {"NumericLessThan": {"aws:MultiFactorAuthAge": "3600"}}}"#,
    access_analyzer: &["REDUNDANT_CONDITION_VALUE_NUM"],
};

impl Rule for RedundantNumericConditionValue {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_statement(&self, _cx: &LintContext<'_>, st: &StatementView<'_>, sink: &mut Sink) {
        for (op, entry) in st.conditions() {
            let upper = match op.operator.base {
                Some(BaseOperator::NumericLessThan | BaseOperator::NumericLessThanEquals) => true,
                Some(BaseOperator::NumericGreaterThan | BaseOperator::NumericGreaterThanEquals) => {
                    false
                }
                _ => continue,
            };
            let values: Vec<_> = entry
                .values
                .iter()
                .filter_map(|v| Number::parse(&v.raw).map(|n| (v, n.as_f64())))
                .collect();
            if values.len() < 2 {
                continue;
            }
            let best = values.iter().map(|(_, n)| *n).fold(
                if upper {
                    f64::NEG_INFINITY
                } else {
                    f64::INFINITY
                },
                |a, b| if upper { a.max(b) } else { a.min(b) },
            );
            let Some((kept, _)) = values.iter().find(|(_, n)| *n == best) else {
                continue;
            };
            for (v, _) in values.iter().filter(|(v, _)| v.span != kept.span) {
                let d = sink
                    .finding(
                        v.span,
                        format!(
                            "`{}` is redundant: `{}` already allows every value it allows",
                            v.raw, kept.raw
                        ),
                        "redundant bound",
                    )
                    .with_secondary(
                        kept.span,
                        if upper {
                            "the greatest bound"
                        } else {
                            "the least bound"
                        },
                    )
                    .with_help(format!("keep only `{}`", kept.raw));
                sink.push(d);
            }
        }
    }
}
