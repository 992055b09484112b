//! Numbers of the `Numeric` operators.

use std::cmp::Ordering;

/// A number as IAM compares them: integers exactly, decimals as `f64`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Number {
    /// An integer (exact).
    Int(i128),
    /// A decimal.
    Float(f64),
}

impl Number {
    /// Parses an integer or decimal, with optional sign and exponent
    /// (surrounding whitespace ignored); `None` for anything else, including
    /// numbers beyond the range of a double.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        assert_eq!(Number::parse("42"), Some(Number::Int(42)));
        assert_eq!(Number::parse("-1.5"), Some(Number::Float(-1.5)));
        assert_eq!(Number::parse("abc"), None);
        assert_eq!(Number::parse("inf"), None);
        assert_eq!(Number::parse("one"), None);
        assert_eq!(
            Number::parse("1.0").and_then(|a| a.compare(Number::Int(1))),
            Some(Ordering::Equal)
        );
        // Beyond the range of a double: not a number AWS can compare.
        assert_eq!(Number::parse(&"9".repeat(400)), None);
        assert!(Number::parse(&"9".repeat(300)).is_some());
    }
}
