//! Condition values parsed once into their types: numbers, instants, IP
//! ranges and booleans.
//!
//! These are the one reading of a condition value that the evaluator, the
//! prover and the linter share: the evaluator compares them, the prover
//! picks representatives between them, and the linter's "is this a valid
//! number?" is `Number::parse(text).is_some()`.
//!
//! A value that does not parse as the operator's type makes that comparison
//! false: "If the key that you specify in a policy condition is not present
//! in the request context, or its value cannot be converted to the type the
//! operator needs, the values do not match" (type mismatches are not errors).

mod instant;
mod ip_range;
mod number;

pub use instant::Instant;
pub use ip_range::{IpRange, parse_ip};
pub use number::Number;

/// Reads a `Bool` or `Null` operand: `true` and `false` in any letter case
/// ("Boolean condition operators": JSON booleans and the strings match
/// alike); anything else is not a boolean.
pub fn parse_bool(s: &str) -> Option<bool> {
    if s.eq_ignore_ascii_case("true") {
        Some(true)
    } else if s.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::parse_bool;

    #[test]
    fn booleans_ignore_case() {
        assert_eq!(parse_bool("TRUE"), Some(true));
        assert_eq!(parse_bool("false"), Some(false));
        assert_eq!(parse_bool("yes"), None);
        assert_eq!(parse_bool(" true"), None);
    }
}
