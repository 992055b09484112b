//! H409 `null-with-set-qualifier`: `ForAllValues:Null` or `ForAnyValue:Null`.

use warden_diagnostics::Severity;
use warden_policy::operator::{BaseOperator, SetQualifier};

use crate::{Category, LintContext, Rule, RuleMeta, Sink, StatementView};

/// See [`META`].
pub struct NullWithSetQualifier;

static META: RuleMeta = RuleMeta {
    code: "H409",
    name: "null-with-set-qualifier",
    category: Category::Suggestion,
    default_severity: Severity::Suggestion,
    since: "0.1.0",
    summary: "The `Null` operator carries a `ForAllValues:` or `ForAnyValue:` qualifier.",
    what_it_does: "Finds the operators `ForAllValues:Null` and `ForAnyValue:Null`.",
    why_bad: "`Null` tests whether a key is present; it has no set of values to qualify. AWS \
        evaluates `ForAllValues:Null` as always true and `ForAnyValue:Null` as always false, \
        whatever the request.",
    example: r#"{"Condition": {"ForAnyValue:Null": {"aws:TagKeys": "false"}}}"#,
    use_instead: r#"{"Condition": {"Null": {"aws:TagKeys": "false"}}}"#,
    access_analyzer: &["NULL_WITH_QUALIFIER"],
};

impl Rule for NullWithSetQualifier {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_statement(&self, _cx: &LintContext<'_>, st: &StatementView<'_>, sink: &mut Sink) {
        let Some(c) = &st.statement.condition else {
            return;
        };
        for op in &c.operators {
            let (Some(BaseOperator::Null), Some(q)) = (op.operator.base, op.operator.qualifier)
            else {
                continue;
            };
            let always = if q == SetQualifier::ForAllValues {
                "true"
            } else {
                "false"
            };
            sink.report(
                op.span,
                format!(
                    "`{}` is always {always}, whatever the request",
                    op.operator.raw
                ),
                format!("always {always}"),
                "write `Null` without a qualifier",
            );
        }
    }
}
