//! Strings with wildcards and policy variables, as they appear in `Resource`,
//! `NotResource` and condition values.
//!
//! AWS documents the syntax in "IAM policy elements: Variables and tags":
//! `${key}` is replaced by the request's value for `key`; `${key, 'text'}`
//! falls back to `text` when the key is absent; `${*}`, `${?}` and `${$}`
//! stand for a literal `*`, `?` and `$` (so they are never wildcards).
//! Variables work only in policies with `"Version": "2012-10-17"`; in older
//! policies `${...}` is plain text.
//!
//! Whether `*` and `?` are wildcards depends on where the pattern is used
//! (yes in `Resource` and `StringLike`, no in `StringEquals`), so the
//! pattern keeps them as separate pieces and lets the user decide.

use serde::Serialize;

/// One piece of a [`Pattern`].
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Piece {
    /// Text matched literally (escapes already resolved).
    Literal(String),
    /// `*` as written: any run of characters where wildcards apply.
    Star,
    /// `?` as written: one character where wildcards apply.
    Question,
    /// A policy variable.
    Variable(Variable),
}

/// A policy variable `${key}` or `${key, 'default'}`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Variable {
    /// The condition key, as written (keys compare case-insensitively).
    pub key: String,
    /// The default value used when the key is absent from the request.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
}

/// A malformed `${...}` found while parsing a pattern. It is kept as literal
/// text (as AWS does not substitute it), and reported as a warning.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VariableProblem {
    /// Byte range of the `${...}` within the pattern text.
    pub range: std::ops::Range<usize>,
    /// What is wrong.
    pub message: String,
}

/// A sequence of literal text, wildcards and variables.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Pattern {
    /// The pieces, adjacent literals merged.
    pub pieces: Vec<Piece>,
}

impl Pattern {
    /// Parses `text`. With `variables` false (policy version 2008-10-17)
    /// `${...}` is literal text. Malformed variables are kept literally and
    /// returned as problems.
    pub fn parse(text: &str, variables: bool) -> (Pattern, Vec<VariableProblem>) {
        let mut p = Pattern::default();
        let mut problems = Vec::new();
        let mut rest = text;
        let mut offset = 0usize;
        while let Some(i) = rest.bytes().position(|b| matches!(b, b'*' | b'?' | b'$')) {
            let (before, at) = rest.split_at(i);
            p.push_literal(before);
            let consumed = if at.starts_with('*') {
                p.pieces.push(Piece::Star);
                1
            } else if at.starts_with('?') {
                p.pieces.push(Piece::Question);
                1
            } else if variables && at.starts_with("${") {
                match parse_variable(at) {
                    Ok((piece, len)) => {
                        match piece {
                            Piece::Literal(s) => p.push_literal(&s),
                            other => p.pieces.push(other),
                        }
                        len
                    }
                    Err((message, len)) => {
                        problems.push(VariableProblem {
                            range: offset + i..offset + i + len,
                            message,
                        });
                        p.push_literal(at.get(..len).unwrap_or(at));
                        len
                    }
                }
            } else {
                p.push_literal("$");
                1
            };
            offset += i + consumed;
            rest = at.get(consumed..).unwrap_or("");
        }
        p.push_literal(rest);
        (p, problems)
    }

    fn push_literal(&mut self, s: &str) {
        if s.is_empty() {
            return;
        }
        if let Some(Piece::Literal(last)) = self.pieces.last_mut() {
            last.push_str(s);
        } else {
            self.pieces.push(Piece::Literal(s.to_string()));
        }
    }

    /// Whether the pattern has a `*` or `?` piece.
    pub fn has_wildcard(&self) -> bool {
        self.pieces
            .iter()
            .any(|p| matches!(p, Piece::Star | Piece::Question))
    }

    /// Whether the pattern has a variable.
    pub fn has_variable(&self) -> bool {
        self.pieces.iter().any(|p| matches!(p, Piece::Variable(_)))
    }

    /// The variables of the pattern, in order.
    pub fn variables(&self) -> impl Iterator<Item = &Variable> {
        self.pieces.iter().filter_map(|p| match p {
            Piece::Variable(v) => Some(v),
            _ => None,
        })
    }

    /// The pattern's text if it is one literal (or empty).
    pub fn as_literal(&self) -> Option<&str> {
        match self.pieces.as_slice() {
            [] => Some(""),
            [Piece::Literal(s)] => Some(s),
            _ => None,
        }
    }

    /// Whether the pattern is exactly `*`.
    pub fn is_star(&self) -> bool {
        matches!(self.pieces.as_slice(), [Piece::Star])
    }
}

/// Parses a variable at the start of `s` (which starts with `${`). Returns
/// the piece and the bytes consumed, or a problem and the bytes to keep as
/// literal text.
fn parse_variable(s: &str) -> Result<(Piece, usize), (String, usize)> {
    let Some(close) = s.find('}') else {
        return Err(("`${` is never closed by `}`".to_string(), 2));
    };
    let inner = s.get(2..close).unwrap_or("");
    let len = close + 1;
    match inner {
        "*" | "?" | "$" => return Ok((Piece::Literal(inner.to_string()), len)),
        _ => {}
    }
    let (key, default) = match inner.split_once(',') {
        None => (inner.trim(), None),
        Some((k, d)) => {
            let d = d.trim();
            let quoted = d
                .strip_prefix('\'')
                .and_then(|d| d.strip_suffix('\''))
                .filter(|_| d.len() >= 2);
            match quoted {
                Some(q) => (k.trim(), Some(q.to_string())),
                None => {
                    return Err((
                        format!("the default value `{d}` must be in single quotes"),
                        len,
                    ));
                }
            }
        }
    };
    if key.is_empty() {
        return Err((
            "a policy variable needs a key, as in `${aws:username}`".to_string(),
            len,
        ));
    }
    if key.contains(|c: char| c.is_whitespace() || c == '$' || c == '{') {
        return Err((format!("`{key}` is not a valid condition key"), len));
    }
    Ok((
        Piece::Variable(Variable {
            key: key.to_string(),
            default,
        }),
        len,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lit(s: &str) -> Piece {
        Piece::Literal(s.to_string())
    }

    fn var(k: &str, d: Option<&str>) -> Piece {
        Piece::Variable(Variable {
            key: k.to_string(),
            default: d.map(str::to_string),
        })
    }

    #[test]
    fn wildcards_and_variables() {
        let (p, probs) = Pattern::parse("arn:aws:s3:::b/${aws:username}/*", true);
        assert!(probs.is_empty());
        assert_eq!(
            p.pieces,
            vec![
                lit("arn:aws:s3:::b/"),
                var("aws:username", None),
                lit("/"),
                Piece::Star
            ]
        );
    }

    #[test]
    fn defaults_and_escapes() {
        let (p, _) = Pattern::parse(
            "${aws:PrincipalTag/team, 'company-wide'}${*}${?}${$}a?",
            true,
        );
        assert_eq!(
            p.pieces,
            vec![
                var("aws:PrincipalTag/team", Some("company-wide")),
                lit("*?$a"),
                Piece::Question
            ]
        );
        assert!(p.has_wildcard());
    }

    #[test]
    fn old_version_has_no_variables() {
        let (p, probs) = Pattern::parse("a${aws:username}", false);
        assert!(probs.is_empty());
        assert_eq!(p.pieces, vec![lit("a${aws:username}")]);
    }

    #[test]
    fn malformed_variables_stay_literal() {
        let (p, probs) = Pattern::parse("x${aws:username", true);
        assert_eq!(p.pieces, vec![lit("x${aws:username")]);
        assert_eq!(probs.len(), 1);
        assert_eq!(probs.first().map(|p| p.range.clone()), Some(1..3));
        let (_, probs) = Pattern::parse("${a, nodefault}", true);
        assert_eq!(probs.len(), 1);
        let (_, probs) = Pattern::parse("${}", true);
        assert_eq!(probs.len(), 1);
        let (p, probs) = Pattern::parse("cost $5", true);
        assert!(probs.is_empty());
        assert_eq!(p.pieces, vec![lit("cost $5")]);
    }
}
