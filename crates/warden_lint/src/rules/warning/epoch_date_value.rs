//! W303 `epoch-date-value`: a date condition compared with an epoch number.

use warden_diagnostics::Severity;
use warden_policy::operator::OperatorFamily;

use crate::{Category, LintContext, Rule, RuleMeta, Sink, StatementView};

/// See [`META`].
pub struct EpochDateValue;

static META: RuleMeta = RuleMeta {
    code: "W303",
    name: "epoch-date-value",
    category: Category::Warning,
    default_severity: Severity::Warning,
    since: "0.1.0",
    summary: "A `Date` operator compares with a Unix epoch number instead of an ISO 8601 date.",
    what_it_does: "Finds values of `DateEquals`, `DateLessThan`, ... that are plain integers \
        (seconds since 1970).",
    why_bad: "Epoch seconds are hard to read and to review, and are easy to get wrong by a factor \
        of 1000 (milliseconds) or by a time zone; the date a reviewer sees is not the one in \
        the policy.",
    example: r#"{"Condition": {"DateLessThan": {"aws:CurrentTime": "1735689600"}}}"#,
    use_instead: r#"{"Condition": {"DateLessThan": {"aws:CurrentTime": "2025-01-01T00:00:00Z"}}}"#,
    access_analyzer: &["INVALID_DATE_VALUE"],
};

impl Rule for EpochDateValue {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_statement(&self, _cx: &LintContext<'_>, st: &StatementView<'_>, sink: &mut Sink) {
        for (op, entry) in st.conditions_in(OperatorFamily::Date) {
            for v in &entry.values {
                let digits = v.raw.strip_prefix('-').unwrap_or(&v.raw);
                if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                    continue;
                }
                sink.report(
                    v.span,
                    format!(
                        "`{}` is an epoch number, compared by `{}` as a date",
                        v.raw, op.operator.raw
                    ),
                    "epoch seconds",
                    "write the date as ISO 8601, such as `2025-01-01` or `2025-01-01T00:00:00Z`",
                );
            }
        }
    }
}
