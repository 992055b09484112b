//! Representative values of the ordered dimensions: numbers, dates and IP
//! addresses. The constants of the policies cut each line into points and
//! open intervals; one value per piece (plus one value that does not parse
//! as the type) reaches every combination of comparisons. The evaluator
//! classifies the representatives, so only the cutting is done here.

use std::cmp::Ordering;
use std::net::{Ipv4Addr, Ipv6Addr};

use warden_ir::value::{Instant, IpRange, Number};

/// A value of the key's type that parses as none of them.
pub(crate) const UNPARSEABLE: &str = "none";

/// Numbers: the constants, and values below, between and above them.
/// Integers are compared exactly and decimals as doubles, so candidates
/// are made both ways (integer neighbours in `i128`, decimal ones in
/// `f64`); the evaluator classifies them, and only distinct classes stay.
pub(crate) fn number_reps(constants: &[&str]) -> Vec<String> {
    let mut nums: Vec<(Number, &str)> = constants
        .iter()
        .filter_map(|t| Number::parse(t).map(|n| (n, t.trim())))
        .collect();
    nums.sort_by(|a, b| a.0.compare(b.0).unwrap_or(Ordering::Equal));
    let mut reps = vec![UNPARSEABLE.to_string()];
    if nums.is_empty() {
        reps.push("0".into());
        return reps;
    }
    for (i, (n, text)) in nums.iter().enumerate() {
        reps.push((*text).to_string());
        if let Number::Int(v) = n {
            reps.extend(v.checked_sub(1).map(|x| x.to_string()));
            reps.extend(v.checked_add(1).map(|x| x.to_string()));
        }
        let f = n.as_f64();
        reps.push(format_f64(f - 1.0));
        reps.push(format_f64(f + 1.0));
        reps.push(format!("{}", f + 0.5));
        if let Some((m, _)) = nums.get(i + 1) {
            reps.push(format!("{}", (f + m.as_f64()) / 2.0));
        }
    }
    reps
}

fn format_f64(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

/// Dates: a day before, at, just after and a day after the constants.
pub(crate) fn date_reps(constants: &[&str]) -> Vec<String> {
    let mut dates: Vec<Instant> = constants.iter().filter_map(|t| Instant::parse(t)).collect();
    dates.sort();
    dates.dedup();
    let mut reps = vec![UNPARSEABLE.to_string()];
    let Some(first) = dates.first() else {
        reps.push("2026-01-01T00:00:00Z".into());
        return reps;
    };
    reps.push(format_instant(add(*first, -86_400, 0)));
    for (i, d) in dates.iter().enumerate() {
        reps.push(format_instant(*d));
        let next = dates.get(i + 1);
        let after = match next {
            None => add(*d, 86_400, 0),
            Some(n) if n.seconds - d.seconds > 1 => add(*d, 1, 0),
            Some(_) => add(*d, 0, 1),
        };
        if next.is_none_or(|n| after < *n) && after > *d {
            reps.push(format_instant(after));
        }
    }
    reps
}

fn add(i: Instant, seconds: i64, nanos: u32) -> Instant {
    let total = i.nanos + nanos;
    Instant {
        seconds: i.seconds + seconds + i64::from(total / 1_000_000_000),
        nanos: total % 1_000_000_000,
    }
}

/// ISO 8601 in UTC, with fractional seconds only when needed; epoch
/// seconds past year 9999 (ISO 8601 has four-digit years).
pub(crate) fn format_instant(i: Instant) -> String {
    if i.seconds >= 253_402_300_800 {
        return i.seconds.to_string();
    }
    let days = i.seconds.div_euclid(86_400);
    let secs = i.seconds.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    let (hh, mm, ss) = (secs / 3600, secs / 60 % 60, secs % 60);
    if i.nanos == 0 {
        format!("{y:04}-{m:02}-{d:02}T{hh:02}:{mm:02}:{ss:02}Z")
    } else {
        format!(
            "{y:04}-{m:02}-{d:02}T{hh:02}:{mm:02}:{ss:02}.{:09}Z",
            i.nanos
        )
    }
}

/// Howard Hinnant's `civil_from_days`.
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// IP addresses: the first address of every piece the ranges cut each
/// address family into.
pub(crate) fn ip_reps(constants: &[&str]) -> Vec<String> {
    let mut v4: Vec<u128> = vec![0];
    let mut v6: Vec<u128> = vec![0];
    for range in constants.iter().filter_map(|t| IpRange::parse(t)) {
        let (is_v4, lo, hi) = range.bounds();
        let (list, max) = if is_v4 {
            (&mut v4, u128::from(u32::MAX))
        } else {
            (&mut v6, u128::MAX)
        };
        list.push(lo);
        if hi < max {
            list.push(hi + 1);
        }
    }
    v4.sort_unstable();
    v4.dedup();
    v6.sort_unstable();
    v6.dedup();
    let mut reps = vec![UNPARSEABLE.to_string()];
    reps.extend(
        v4.iter()
            .map(|&a| Ipv4Addr::from(u32::try_from(a).unwrap_or(u32::MAX)).to_string()),
    );
    reps.extend(v6.iter().map(|&a| Ipv6Addr::from(a).to_string()));
    reps
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_cut_at_constants() {
        let reps = number_reps(&["5", "7"]);
        for want in ["none", "4", "5", "6", "7", "8"] {
            assert!(reps.iter().any(|r| r == want), "{want} in {reps:?}");
        }
        assert!(number_reps(&["5", "6"]).iter().any(|r| r == "5.5"));
        assert_eq!(number_reps(&[]), ["none", "0"]);
        // Integers past 2^53 keep exact neighbours.
        let big = number_reps(&["9007199254740992", "9007199254740994"]);
        assert!(big.iter().any(|r| r == "9007199254740993"));
    }

    #[test]
    fn dates_cut_at_constants() {
        let reps = date_reps(&["2026-01-01T00:00:00Z"]);
        assert_eq!(
            reps,
            [
                "none",
                "2025-12-31T00:00:00Z",
                "2026-01-01T00:00:00Z",
                "2026-01-02T00:00:00Z"
            ]
        );
    }

    #[test]
    fn ips_cut_at_range_ends() {
        let reps = ip_reps(&["10.0.0.0/8", "10.1.0.0/16"]);
        assert!(reps.contains(&"10.0.0.0".to_string()));
        assert!(reps.contains(&"10.1.0.0".to_string()));
        assert!(reps.contains(&"10.2.0.0".to_string()));
        assert!(reps.contains(&"11.0.0.0".to_string()));
        assert!(reps.contains(&"::".to_string()));
    }
}
