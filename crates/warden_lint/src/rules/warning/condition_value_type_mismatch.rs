//! W309 `condition-value-type-mismatch`: a condition value its operator
//! cannot read.

use std::net::IpAddr;

use warden_diagnostics::Severity;
use warden_policy::operator::{BaseOperator, OperatorFamily};

use crate::rules::security::common::condition_entries;
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

fn is_bool(s: &str) -> bool {
    s.eq_ignore_ascii_case("true") || s.eq_ignore_ascii_case("false")
}

fn is_number(s: &str) -> bool {
    let s = s.strip_prefix(['-', '+']).unwrap_or(s);
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
        && !(s.contains('.') && frac.is_empty())
}

fn digits(s: &str, n: usize) -> bool {
    s.len() == n && s.bytes().all(|b| b.is_ascii_digit())
}

/// `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, optionally `Thh:mm[:ss[.s]]` and a zone
/// (`Z` or `+hh:mm`), as in the W3C profile of ISO 8601; or epoch seconds.
pub(crate) fn is_date(s: &str) -> bool {
    if is_number(s) && !s.contains('.') {
        return true;
    }
    let (date, time) = match s.split_once(['T', 't']) {
        Some((d, t)) => (d, Some(t)),
        None => (s, None),
    };
    let parts: Vec<&str> = date.split('-').collect();
    let date_ok = match parts.as_slice() {
        [y] => digits(y, 4),
        [y, m] => digits(y, 4) && digits(m, 2),
        [y, m, d] => digits(y, 4) && digits(m, 2) && digits(d, 2),
        _ => false,
    };
    let Some(time) = time else {
        return date_ok;
    };
    let (clock, zone_ok) = if let Some(c) = time.strip_suffix(['Z', 'z']) {
        (c, true)
    } else if let Some(i) = time.rfind(['+', '-']) {
        let zone = time.get(i + 1..).unwrap_or("");
        let z: Vec<&str> = zone.split(':').collect();
        let ok = match z.as_slice() {
            [hm] => digits(hm, 4) || digits(hm, 2),
            [h, m] => digits(h, 2) && digits(m, 2),
            _ => false,
        };
        (time.get(..i).unwrap_or(""), ok)
    } else {
        (time, true)
    };
    let c: Vec<&str> = clock.split(':').collect();
    let clock_ok = match c.as_slice() {
        [h, m] => digits(h, 2) && digits(m, 2),
        [h, m, sec] => {
            let (whole, frac) = sec.split_once('.').unwrap_or((sec, "0"));
            digits(h, 2)
                && digits(m, 2)
                && digits(whole, 2)
                && !frac.is_empty()
                && frac.bytes().all(|b| b.is_ascii_digit())
        }
        _ => false,
    };
    date_ok && parts.len() == 3 && clock_ok && zone_ok
}

/// An IPv4 or IPv6 address, optionally with a prefix length that fits it.
pub(crate) fn parse_cidr(s: &str) -> Option<(IpAddr, Option<u8>)> {
    let (addr, prefix) = match s.split_once('/') {
        Some((a, p)) => (a, Some(p)),
        None => (s, None),
    };
    let ip: IpAddr = addr.parse().ok()?;
    let max = if ip.is_ipv4() { 32 } else { 128 };
    match prefix {
        None => Some((ip, None)),
        Some(p) if digits(p, p.len()) && !p.is_empty() && p.len() <= 3 => {
            let n: u8 = p.parse().ok()?;
            (n <= max).then_some((ip, Some(n)))
        }
        Some(_) => None,
    }
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
        for (op, entry) in condition_entries(st.statement) {
            let Some(base) = op.operator.base else {
                continue;
            };
            let (valid, expected): (fn(&str) -> bool, &str) = match base.family() {
                OperatorFamily::Bool | OperatorFamily::Null => (is_bool, "`true` or `false`"),
                OperatorFamily::Numeric => (is_number, "a decimal number"),
                OperatorFamily::Date => {
                    (is_date, "an ISO 8601 date such as `2025-01-31T12:00:00Z`")
                }
                OperatorFamily::IpAddress => (
                    |s| parse_cidr(s).is_some(),
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
        assert!(!is_number("1."));
        assert!(!is_number("one"));
        assert!(parse_cidr("10.0.0.0/8").is_some());
        assert!(parse_cidr("2001:db8::/32").is_some());
        assert!(parse_cidr("10.0.0.0/33").is_none());
        assert!(is_base64("QUJD"));
        assert!(!is_base64("ABC"));
    }
}
