//! Typed values for the Numeric, Date and IpAddress operator families.
//!
//! A value that does not parse as the operator's type makes that comparison
//! false: "If the key that you specify in a policy condition is not present
//! in the request context, or its value cannot be converted to the type the
//! operator needs, the values do not match" (type mismatches are not errors).

use std::cmp::Ordering;
use std::net::IpAddr;

/// A number as IAM compares them: integers exactly, decimals as `f64`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Number {
    /// An integer (exact).
    Int(i128),
    /// A decimal.
    Float(f64),
}

impl Number {
    /// Parses an integer or decimal, with optional sign and exponent.
    pub fn parse(s: &str) -> Option<Number> {
        let t = s.trim();
        if t.is_empty() {
            return None;
        }
        if let Ok(i) = t.parse::<i128>() {
            return Some(Number::Int(i));
        }
        let body = t.strip_prefix(['-', '+']).unwrap_or(t);
        // Only plain decimal notation: no `inf`, `NaN` or hex.
        if !body
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'-' | b'+'))
            || !body
                .bytes()
                .next()
                .is_some_and(|b| b.is_ascii_digit() || b == b'.')
        {
            return None;
        }
        t.parse::<f64>()
            .ok()
            .filter(|f| f.is_finite())
            .map(Number::Float)
    }

    /// Compares two numbers.
    pub fn compare(self, other: Number) -> Option<Ordering> {
        match (self, other) {
            (Number::Int(a), Number::Int(b)) => Some(a.cmp(&b)),
            (a, b) => a.as_f64().partial_cmp(&b.as_f64()),
        }
    }

    /// The number as a double (how decimals are compared).
    pub fn as_f64(self) -> f64 {
        match self {
            Number::Int(i) => i as f64,
            Number::Float(f) => f,
        }
    }
}

/// An instant: seconds since the Unix epoch and nanoseconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Instant {
    /// Seconds since 1970-01-01T00:00:00Z.
    pub seconds: i64,
    /// Nanoseconds within the second.
    pub nanos: u32,
}

impl Instant {
    /// Parses ISO 8601 (`2026-01-31`, `2026-01-31T12:00:00Z`, fractional
    /// seconds, `+hh:mm` offsets) or Unix epoch seconds, the two forms AWS
    /// documents for the Date operators.
    pub fn parse(s: &str) -> Option<Instant> {
        let s = s.trim();
        if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
            return Some(Instant {
                seconds: s.parse().ok()?,
                nanos: 0,
            });
        }
        let b = s.as_bytes();
        let num = |r: std::ops::Range<usize>| -> Option<i64> {
            let part = s.get(r)?;
            if part.is_empty() || !part.bytes().all(|c| c.is_ascii_digit()) {
                return None;
            }
            part.parse().ok()
        };
        if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
            return None;
        }
        let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
        if !(1..=12).contains(&month) || !(1..=days_in_month(year, month)).contains(&day) {
            return None;
        }
        let mut seconds = days_from_civil(year, month, day) * 86_400;
        let mut nanos = 0u32;
        let rest = s.get(10..)?;
        if rest.is_empty() {
            return Some(Instant { seconds, nanos });
        }
        let rest = rest.strip_prefix(['T', 't'])?;
        let rb = rest.as_bytes();
        let (hh, mm) = (
            rest.get(0..2).and_then(|x| x.parse::<i64>().ok())?,
            rest.get(3..5).and_then(|x| x.parse::<i64>().ok())?,
        );
        if rb.get(2) != Some(&b':') || hh > 23 || mm > 59 {
            return None;
        }
        let mut i = 5;
        let mut ss = 0;
        if rb.get(5) == Some(&b':') {
            ss = rest.get(6..8).and_then(|x| x.parse::<i64>().ok())?;
            if ss > 60 {
                return None;
            }
            i = 8;
            if rb.get(8) == Some(&b'.') {
                let frac_end = rest
                    .get(9..)?
                    .find(|c: char| !c.is_ascii_digit())
                    .map_or(rest.len(), |e| 9 + e);
                let frac = rest.get(9..frac_end)?;
                if frac.is_empty() {
                    return None;
                }
                let digits: String = frac.chars().chain(std::iter::repeat('0')).take(9).collect();
                nanos = digits.parse().ok()?;
                i = frac_end;
            }
        }
        seconds += hh * 3600 + mm * 60 + ss;
        match rest.get(i..)? {
            "" | "Z" | "z" => {}
            tz => {
                let sign = match tz.as_bytes().first() {
                    Some(b'+') => 1,
                    Some(b'-') => -1,
                    _ => return None,
                };
                let oh: i64 = tz.get(1..3)?.parse().ok()?;
                let om: i64 = match tz.get(3..)? {
                    "" => 0,
                    m => m.strip_prefix(':').unwrap_or(m).parse().ok()?,
                };
                seconds -= sign * (oh * 3600 + om * 60);
            }
        }
        Some(Instant { seconds, nanos })
    }
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
/// `days_from_civil`).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// An IP address range: an address and a prefix length. A bare address is
/// a range of one (`/32` or `/128`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IpRange {
    network: IpAddr,
    prefix: u8,
}

impl IpRange {
    /// Parses `203.0.113.0/24`, `2001:db8::/32` or a bare address.
    pub fn parse(s: &str) -> Option<IpRange> {
        let s = s.trim();
        let (addr, prefix) = match s.split_once('/') {
            Some((a, p)) => (a.parse::<IpAddr>().ok()?, Some(p.parse::<u8>().ok()?)),
            None => (s.parse::<IpAddr>().ok()?, None),
        };
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = prefix.unwrap_or(max);
        (prefix <= max).then_some(IpRange {
            network: addr,
            prefix,
        })
    }

    /// The first and last address of the range, as numbers (IPv4 in the
    /// low 32 bits), and whether it is IPv4.
    pub fn bounds(&self) -> (bool, u128, u128) {
        let (v4, value, bits) = match self.network {
            IpAddr::V4(a) => (true, u128::from(u32::from(a)), 32u32),
            IpAddr::V6(a) => (false, u128::from(a), 128u32),
        };
        let host = bits - u32::from(self.prefix);
        let span = if host >= 128 {
            u128::MAX
        } else {
            (1u128 << host) - 1
        };
        let lo = value & !span;
        (v4, lo, lo | span)
    }

    /// Whether `ip` (an address, or a range whose network address is used)
    /// lies in this range. Addresses of different families never match.
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.network, ip) {
            (IpAddr::V4(n), IpAddr::V4(a)) => prefix_eq(
                u128::from(u32::from(n)) << 96,
                u128::from(u32::from(a)) << 96,
                self.prefix,
            ),
            (IpAddr::V6(n), IpAddr::V6(a)) => prefix_eq(u128::from(n), u128::from(a), self.prefix),
            _ => false,
        }
    }
}

fn prefix_eq(a: u128, b: u128, prefix: u8) -> bool {
    if prefix == 0 {
        return true;
    }
    let mask = u128::MAX << (128 - u32::from(prefix));
    a & mask == b & mask
}

/// Parses a request's IP value (an address, or a CIDR whose address is used).
pub(crate) fn parse_ip(s: &str) -> Option<IpAddr> {
    let s = s.trim();
    s.split_once('/').map_or(s, |(a, _)| a).parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        assert_eq!(Number::parse("42"), Some(Number::Int(42)));
        assert_eq!(Number::parse("-1.5"), Some(Number::Float(-1.5)));
        assert_eq!(Number::parse("abc"), None);
        assert_eq!(Number::parse("inf"), None);
        assert_eq!(
            Number::parse("1.0").and_then(|a| a.compare(Number::Int(1))),
            Some(Ordering::Equal)
        );
        // Beyond the range of a double: not a number AWS can compare.
        assert_eq!(Number::parse(&"9".repeat(400)), None);
        assert!(Number::parse(&"9".repeat(300)).is_some());
    }

    #[test]
    fn dates() {
        let a = Instant::parse("2026-01-01T00:00:00Z").unwrap();
        assert_eq!(a.seconds, 1_767_225_600);
        assert_eq!(Instant::parse("2026-01-01").unwrap(), a);
        assert_eq!(Instant::parse("1767225600").unwrap(), a);
        assert_eq!(Instant::parse("2026-01-01T02:00:00+02:00").unwrap(), a);
        assert_eq!(
            Instant::parse("2026-01-01T00:00:00.5Z").unwrap().nanos,
            500_000_000
        );
        assert_eq!(Instant::parse("2026-02-30"), None);
        assert_eq!(Instant::parse("yesterday"), None);
    }

    #[test]
    fn ip_ranges() {
        let r = IpRange::parse("203.0.113.0/24").unwrap();
        assert!(r.contains(parse_ip("203.0.113.7").unwrap()));
        assert!(!r.contains(parse_ip("203.0.114.7").unwrap()));
        let bare = IpRange::parse("203.0.113.7").unwrap();
        assert!(bare.contains(parse_ip("203.0.113.7").unwrap()));
        let v6 = IpRange::parse("2001:db8::/32").unwrap();
        assert!(v6.contains(parse_ip("2001:db8:1::1").unwrap()));
        assert!(!v6.contains(parse_ip("203.0.113.7").unwrap()));
        assert!(
            IpRange::parse("0.0.0.0/0")
                .unwrap()
                .contains(parse_ip("1.2.3.4").unwrap())
        );
        assert_eq!(IpRange::parse("10.0.0.0/33"), None);
    }
}
