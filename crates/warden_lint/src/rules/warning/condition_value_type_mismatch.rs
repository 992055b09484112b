//! W309 `condition-value-type-mismatch`: a condition value its operator
//! cannot read.

use warden_diagnostics::Severity;
use warden_ir::value::{Instant, IpRange, Number, parse_bool};
use warden_policy::operator::{BaseOperator, OperatorFamily};

use crate::{Category, LintContext, Rule, RuleMeta, Sink, StatementView};

/// See [`META`].
pub struct ConditionValueTypeMismatch;

static META: RuleMeta = RuleMeta {
    code: "W309",
    name: "condition-value-type-mismatch",
    category: Category::Warning,
    default_severity: Severity::Warning,
    since: "0.1.0",
    summary: "A condition value is not of the type its operator compares.",
    what_it_does: "Checks each value (other than policy variables) against its operator: `Bool` \
        and `Null` take `true` or `false`; `Numeric` operators a decimal number; `Date` operators \
        an ISO 8601 date or epoch seconds; `IpAddress` and `NotIpAddress` an IPv4 or IPv6 address \
        or CIDR range; `BinaryEquals` base64 text.",
    why_bad: "A value the operator cannot read never matches: an `Allow` grants nothing, and a \
        negated operator in a `Deny` (`NotIpAddress`) matches every request.",
    example: r#"{"Condition": {"NumericLessThan": {"aws:MultiFactorAuthAge": "one hour"}}}"#,
    use_instead: r#"{"Condition": {"NumericLessThan": {"aws:MultiFactorAuthAge": "3600"}}}"#,
    access_analyzer: &[
        "TYPE_MISMATCH_BOOLEAN",
        "TYPE_MISMATCH_DATE",
        "TYPE_MISMATCH_IP_RANGE",
        "TYPE_MISMATCH_NUMBER",
        "TYPE_MISMATCH_STRING",
    ],
};

/// Whether the evaluator can read `s` as the operator's type: the linter
/// asks the same parsers ([`warden_ir::value`]) that the evaluator compares
/// with, so a value flagged here is exactly one that never matches.
fn is_bool(s: &str) -> bool {
    parse_bool(s).is_some()
}

fn is_number(s: &str) -> bool {
    Number::parse(s).is_some()
}

fn is_date(s: &str) -> bool {
    Instant::parse(s).is_some()
}

fn is_ip_range(s: &str) -> bool {
    IpRange::parse(s).is_some()
}

fn is_base64(s: &str) -> bool {
    let body = s.trim_end_matches('=');
    s.len().is_multiple_of(4)
        && s.len() - body.len() <= 2
        && body
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/')
}

impl Rule for ConditionValueTypeMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_statement(&self, _cx: &LintContext<'_>, st: &StatementView<'_>, sink: &mut Sink) {
        for (base, op, entry) in st.known_conditions() {
            let (valid, expected): (fn(&str) -> bool, &str) = match base.family() {
                OperatorFamily::Bool | OperatorFamily::Null => (is_bool, "`true` or `false`"),
                OperatorFamily::Numeric => (is_number, "a decimal number"),
                OperatorFamily::Date => {
                    (is_date, "an ISO 8601 date such as `2025-01-31T12:00:00Z`")
                }
                OperatorFamily::IpAddress => (
                    is_ip_range,
                    "an IP address or CIDR range such as `203.0.113.0/24`",
                ),
                OperatorFamily::Binary if base == BaseOperator::BinaryEquals => {
                    (is_base64, "base64 text")
                }
                _ => continue,
            };
            for v in entry.values.iter().filter(|v| !v.pattern.has_variable()) {
                if valid(v.raw.trim()) {
                    continue;
                }
                sink.report(
                    v.span,
                    format!(
                        "`{}` is not a value `{}` can compare: it expects {expected}",
                        v.raw, op.operator.raw
                    ),
                    "wrong value type",
                    format!("write {expected}, or use an operator that fits this value"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values() {
        assert!(is_date("2025-01-31"));
        assert!(is_date("2025-01-31T12:00:00Z"));
        assert!(is_date("2025-01-31T12:00:00.123+01:00"));
        assert!(is_date("1735689600"));
        assert!(!is_date("31/01/2025"));
        assert!(is_number("-1.5"));
        assert!(!is_number("one"));
        assert!(is_ip_range("10.0.0.0/8"));
        assert!(is_ip_range("2001:db8::/32"));
        assert!(!is_ip_range("10.0.0.0/33"));
        assert!(is_base64("QUJD"));
        assert!(!is_base64("ABC"));
    }
}
