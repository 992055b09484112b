//! Wildcard matching with `*` (any run of characters, including none) and
//! `?` (exactly one character), as IAM uses in `Action`, `Resource` and the
//! `StringLike` / `ArnLike` condition operators.
//!
//! The matcher is the linear-time two-pointer algorithm with a single
//! backtrack point: on a mismatch after a `*`, the star absorbs one more
//! character and matching resumes. Only the most recent `*` needs to be
//! remembered, so the worst case is O(pattern × text) and the common case is
//! linear, with no allocation and no recursion.

/// Whether `text` matches the wildcard `pattern`, comparing characters
/// exactly (ARNs and most condition values are case-sensitive).
pub fn glob_match(pattern: &str, text: &str) -> bool {
    if pattern.is_ascii() && text.is_ascii() {
        match_units(pattern.as_bytes(), text.as_bytes(), |a, b| a == b)
    } else {
        let p: Vec<char> = pattern.chars().collect();
        let t: Vec<char> = text.chars().collect();
        match_units(&p, &t, |a, b| a == b)
    }
}

/// Whether `text` matches the wildcard `pattern`, ignoring ASCII and Unicode
/// simple case (IAM action names are case-insensitive).
pub fn glob_match_ignore_case(pattern: &str, text: &str) -> bool {
    if pattern.is_ascii() && text.is_ascii() {
        match_units(pattern.as_bytes(), text.as_bytes(), |a, b| {
            a.eq_ignore_ascii_case(&b)
        })
    } else {
        let p: Vec<char> = pattern.chars().flat_map(char::to_lowercase).collect();
        let t: Vec<char> = text.chars().flat_map(char::to_lowercase).collect();
        match_units(&p, &t, |a, b| a == b)
    }
}

/// Units that can be wildcard characters.
trait Unit: Copy {
    fn is_star(self) -> bool;
    fn is_question(self) -> bool;
}

impl Unit for u8 {
    fn is_star(self) -> bool {
        self == b'*'
    }
    fn is_question(self) -> bool {
        self == b'?'
    }
}

impl Unit for char {
    fn is_star(self) -> bool {
        self == '*'
    }
    fn is_question(self) -> bool {
        self == '?'
    }
}

fn match_units<U: Unit>(pattern: &[U], text: &[U], eq: impl Fn(U, U) -> bool) -> bool {
    let (mut p, mut t) = (0usize, 0usize);
    // Position after the last `*` seen, and the text position it matched up to.
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match (pattern.get(p), text.get(t)) {
            (Some(&pc), _) if pc.is_star() => {
                star = Some((p + 1, t));
                p += 1;
            }
            (Some(&pc), Some(&tc)) if pc.is_question() || eq(pc, tc) => {
                p += 1;
                t += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    p = sp;
                    t = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    pattern
        .get(p..)
        .is_some_and(|rest| rest.iter().all(|u| u.is_star()))
}

/// Whether `s` contains a wildcard character.
pub fn has_wildcard(s: &str) -> bool {
    s.bytes().any(|b| b == b'*' || b == b'?')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basics() {
        assert!(glob_match("*", ""));
        assert!(glob_match("*", "anything"));
        assert!(glob_match("a?c", "abc"));
        assert!(!glob_match("a?c", "ac"));
        assert!(glob_match(
            "arn:aws:s3:::bucket/*",
            "arn:aws:s3:::bucket/a/b"
        ));
        assert!(!glob_match("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket"));
        assert!(glob_match("*a*b*c", "xxaxxbxxc"));
        assert!(!glob_match("*a*b*c", "xxaxxbxxcx"));
        assert!(glob_match("a**b", "ab"));
        assert!(!glob_match("Bucket", "bucket"));
        assert!(glob_match("é?", "éü"));
    }

    #[test]
    fn case_insensitive() {
        assert!(glob_match_ignore_case("s3:get*", "S3:GetObject"));
        assert!(glob_match_ignore_case("S3:*OBJECT*", "s3:PutObjectAcl"));
        assert!(!glob_match_ignore_case("s3:Get?", "s3:GetObject"));
    }

    #[test]
    fn pathological_is_fast() {
        let text = "a".repeat(10_000);
        let pattern = format!("{}b", "*a".repeat(50));
        assert!(!glob_match(&pattern, &text));
    }
}
