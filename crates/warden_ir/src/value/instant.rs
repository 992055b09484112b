//! Instants of the `Date` operators: ISO 8601 dates and times, or Unix
//! epoch seconds.

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

#[cfg(test)]
mod tests {
    use super::*;

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
        assert!(Instant::parse("2025-01-31T12:00:00.123+01:00").is_some());
        assert_eq!(Instant::parse("2026-02-30"), None);
        assert_eq!(Instant::parse("yesterday"), None);
        assert_eq!(Instant::parse("31/01/2025"), None);
    }
}
