//! Compiled string patterns: exact text, wildcards and policy variables.
//!
//! Patterns are compiled once per policy. Most are a literal or a plain
//! wildcard string and match without allocating; only patterns with policy
//! variables or with the ARN segment rules below take the general path.
//!
//! ARN segment rule ("IAM JSON policy elements: Resource", "Using wildcards
//! in resource ARNs"): wildcards work within each colon-separated segment;
//! "if the `*` wildcard is the last character of a resource ARN segment, it
//! can expand to match beyond the colon boundaries". So in the first five
//! segments a `*` in the middle of a segment and a `?` never match `:`,
//! while a `*` that ends its segment matches anything. After the fifth colon
//! (the resource part, which may contain colons itself) wildcards match any
//! character.

use warden_policy::glob::{glob_match, glob_match_ignore_case};
use warden_policy::pattern::{Pattern, Piece, Variable};

use crate::context::RequestContext;

/// How a pattern treats `*`, `?` and case.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Mode {
    /// `*` and `?` are wildcards (`StringLike`, `Resource`), not text.
    pub wildcards: bool,
    /// Which ARN segment rule applies.
    pub arn: ArnRule,
    /// Compare ignoring case.
    pub ignore_case: bool,
}

/// Wildcards and ARN segments.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ArnRule {
    /// Not an ARN: wildcards match any character.
    None,
    /// `Resource`: within the first five segments wildcards do not match
    /// `:`, except a `*` that ends its segment.
    Resource,
    /// `Arn*` condition operators: "each of the six colon-delimited
    /// components of the ARN is checked separately", so no wildcard in the
    /// first five segments matches `:`.
    Condition,
}

#[derive(Clone, Debug)]
enum Tok {
    Lit(Box<str>),
    Var(Variable),
    /// `*`; `cross` when it may match `:`.
    Star {
        cross: bool,
    },
    /// `?`; `colon` when it may match `:`.
    One {
        colon: bool,
    },
}

#[derive(Clone, Debug)]
enum Kind {
    /// Matches everything.
    Any,
    /// Literal text (lowercased when ignoring case).
    Exact(Box<str>),
    /// Wildcards with no restrictions and no variables.
    Glob(Box<str>),
    /// The general case.
    Tokens(Vec<Tok>),
}

/// A compiled pattern.
#[derive(Clone, Debug)]
pub(crate) struct StrPattern {
    kind: Kind,
    ignore_case: bool,
}

/// The result of matching: a variable without value and without default
/// makes the pattern unusable ("no match", reported in explanations).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Outcome {
    Match,
    NoMatch,
    Unresolved,
}

impl Outcome {
    pub(crate) fn is_match(self) -> bool {
        self == Outcome::Match
    }
}

impl StrPattern {
    pub(crate) fn compile(pattern: &Pattern, mode: Mode) -> StrPattern {
        let mut toks: Vec<Tok> = Vec::with_capacity(pattern.pieces.len());
        let mut colons = 0usize;
        for (i, piece) in pattern.pieces.iter().enumerate() {
            let in_segments = mode.arn != ArnRule::None && colons < 5;
            match piece {
                Piece::Literal(s) => {
                    colons += s.bytes().filter(|&b| b == b':').count();
                    toks.push(Tok::Lit(s.as_str().into()));
                }
                Piece::Variable(v) => toks.push(Tok::Var(v.clone())),
                Piece::Star if mode.wildcards => {
                    let ends_segment = match pattern.pieces.get(i + 1) {
                        None => true,
                        Some(Piece::Literal(next)) => next.starts_with(':'),
                        Some(_) => false,
                    };
                    toks.push(Tok::Star {
                        cross: !in_segments || (ends_segment && mode.arn == ArnRule::Resource),
                    });
                }
                Piece::Question if mode.wildcards => toks.push(Tok::One {
                    colon: !in_segments,
                }),
                Piece::Star => toks.push(Tok::Lit("*".into())),
                Piece::Question => toks.push(Tok::Lit("?".into())),
            }
        }
        StrPattern {
            kind: simplify(toks, mode.ignore_case),
            ignore_case: mode.ignore_case,
        }
    }

    /// Matches `text`, resolving variables from `ctx`.
    pub(crate) fn matches(&self, text: &str, ctx: &RequestContext) -> Outcome {
        let yes = |b: bool| if b { Outcome::Match } else { Outcome::NoMatch };
        match &self.kind {
            Kind::Any => Outcome::Match,
            Kind::Exact(s) if self.ignore_case => yes(eq_ignore_case(s, text)),
            Kind::Exact(s) => yes(**s == *text),
            Kind::Glob(g) if self.ignore_case => yes(glob_match_ignore_case(g, text)),
            Kind::Glob(g) => yes(glob_match(g, text)),
            Kind::Tokens(toks) => match expand(toks, ctx, self.ignore_case) {
                Some(chars) => yes(match_chars(&chars, text, self.ignore_case)),
                None => Outcome::Unresolved,
            },
        }
    }
}

fn eq_ignore_case(lowered: &str, text: &str) -> bool {
    if text.is_ascii() {
        lowered.eq_ignore_ascii_case(text)
    } else {
        *lowered == text.to_lowercase()
    }
}

fn simplify(toks: Vec<Tok>, ignore_case: bool) -> Kind {
    let lower = |s: &str| {
        if ignore_case {
            s.to_lowercase()
        } else {
            s.to_string()
        }
    };
    if let [Tok::Star { .. }] = toks.as_slice() {
        return Kind::Any;
    }
    let unrestricted = toks.iter().all(|t| match t {
        Tok::Lit(s) => !s.contains(['*', '?']),
        Tok::Var(_) => false,
        Tok::Star { cross } => *cross,
        Tok::One { colon } => *colon,
    });
    if !unrestricted {
        return Kind::Tokens(toks);
    }
    let mut text = String::new();
    let mut wild = false;
    for t in &toks {
        match t {
            Tok::Lit(s) => text.push_str(s),
            Tok::Star { .. } => {
                wild = true;
                text.push('*');
            }
            Tok::One { .. } => {
                wild = true;
                text.push('?');
            }
            Tok::Var(_) => {}
        }
    }
    if wild {
        Kind::Glob(lower(&text).into())
    } else {
        Kind::Exact(lower(&text).into())
    }
}

/// One unit of an expanded pattern.
#[derive(Clone, Copy, Debug)]
enum Unit {
    Char(char),
    Star { cross: bool },
    One { colon: bool },
}

/// Substitutes variables (their values are literal text, never wildcards).
/// `None` when a variable has no value and no default.
fn expand(toks: &[Tok], ctx: &RequestContext, ignore_case: bool) -> Option<Vec<Unit>> {
    let mut out = Vec::new();
    let push_text = |out: &mut Vec<Unit>, s: &str| {
        if ignore_case {
            out.extend(s.chars().flat_map(char::to_lowercase).map(Unit::Char));
        } else {
            out.extend(s.chars().map(Unit::Char));
        }
    };
    for t in toks {
        match t {
            Tok::Lit(s) => push_text(&mut out, s),
            Tok::Var(v) => {
                let value = ctx.single(&v.key).or(v.default.as_deref())?;
                push_text(&mut out, value);
            }
            Tok::Star { cross } => out.push(Unit::Star { cross: *cross }),
            Tok::One { colon } => out.push(Unit::One { colon: *colon }),
        }
    }
    Some(out)
}

/// Matches by dynamic programming over pattern positions: O(|p| × |t|),
/// used only for patterns with variables or ARN segment restrictions.
fn match_chars(pattern: &[Unit], text: &str, ignore_case: bool) -> bool {
    let n = pattern.len();
    let mut prev = vec![false; n + 1];
    let mut cur = vec![false; n + 1];
    if let Some(p0) = prev.first_mut() {
        *p0 = true;
    }
    for j in 1..=n {
        let star = matches!(pattern.get(j - 1), Some(Unit::Star { .. }));
        let before = prev.get(j - 1).copied().unwrap_or(false);
        if let Some(slot) = prev.get_mut(j) {
            *slot = star && before;
        }
    }
    let lowered: String;
    let text = if ignore_case {
        lowered = text.to_lowercase();
        lowered.as_str()
    } else {
        text
    };
    for c in text.chars() {
        if let Some(c0) = cur.first_mut() {
            *c0 = false;
        }
        for j in 1..=n {
            let diag = prev.get(j - 1).copied().unwrap_or(false);
            let up = prev.get(j).copied().unwrap_or(false);
            let left = cur.get(j - 1).copied().unwrap_or(false);
            let v = match pattern.get(j - 1) {
                Some(Unit::Char(p)) => diag && *p == c,
                Some(Unit::One { colon }) => diag && (*colon || c != ':'),
                Some(Unit::Star { cross }) => left || (up && (*cross || c != ':')),
                None => false,
            };
            if let Some(slot) = cur.get_mut(j) {
                *slot = v;
            }
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev.get(n).copied().unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::ContextValue;

    fn pat(s: &str, mode: Mode) -> StrPattern {
        StrPattern::compile(&Pattern::parse(s, true).0, mode)
    }

    const RESOURCE: Mode = Mode {
        wildcards: true,
        arn: ArnRule::Resource,
        ignore_case: false,
    };
    const EQUALS: Mode = Mode {
        wildcards: false,
        arn: ArnRule::None,
        ignore_case: false,
    };

    #[test]
    fn resource_wildcards() {
        let ctx = RequestContext::new();
        let m = |p: &str, t: &str| pat(p, RESOURCE).matches(t, &ctx).is_match();
        assert!(m("*", "arn:aws:s3:::b/k"));
        assert!(m("arn:aws:s3:::b/*", "arn:aws:s3:::b/a/b/c"));
        assert!(!m("arn:aws:s3:::b/*", "arn:aws:s3:::B/a"));
        // A trailing `*` crosses colons ...
        assert!(m("arn:aws:waf:*", "arn:aws:waf::111122223333:rule/x"));
        assert!(m(
            "arn:aws:iam::*:role/x",
            "arn:aws:iam::111122223333:role/x"
        ));
        // ... a mid-segment one does not.
        assert!(!m("arn:aws:iam::1*3:role/x", "arn:aws:iam::1:2:3:role/x"));
        assert!(m("arn:aws:iam::1*3:role/x", "arn:aws:iam::123:role/x"));
        assert!(!m("arn:aws:s3:?::b", "arn:aws:s3::::b"));
        // The resource part may hold colons.
        assert!(m(
            "arn:aws:logs:*:*:log-group:g*",
            "arn:aws:logs:us-east-1:1:log-group:g:log-stream:s"
        ));
    }

    #[test]
    fn arn_operators_check_each_component() {
        let ctx = RequestContext::new();
        let mode = Mode {
            arn: ArnRule::Condition,
            ..RESOURCE
        };
        let m = |p: &str, t: &str| pat(p, mode).matches(t, &ctx).is_match();
        assert!(m(
            "arn:aws:iam::*:role/x",
            "arn:aws:iam::111122223333:role/x"
        ));
        assert!(!m(
            "arn:aws:sqs:*:queue",
            "arn:aws:sqs:us-east-1:111122223333:queue"
        ));
        assert!(m(
            "arn:aws:logs:*:*:log-group:*",
            "arn:aws:logs:r:1:log-group:g:log-stream:s"
        ));
    }

    #[test]
    fn variables_are_literal_text() {
        let mut ctx = RequestContext::new();
        ctx.insert("aws:username", ContextValue::Single("a*".into()));
        let p = pat("arn:aws:s3:::b/${aws:username}/*", RESOURCE);
        assert!(p.matches("arn:aws:s3:::b/a*/k", &ctx).is_match());
        assert!(!p.matches("arn:aws:s3:::b/ab/k", &ctx).is_match());
        let p = pat("arn:aws:s3:::b/${aws:PrincipalTag/team}", RESOURCE);
        assert_eq!(p.matches("arn:aws:s3:::b/x", &ctx), Outcome::Unresolved);
        let p = pat("${aws:PrincipalTag/team, 'none'}", EQUALS);
        assert!(p.matches("none", &ctx).is_match());
        let p = pat("a${*}b", EQUALS);
        assert!(p.matches("a*b", &ctx).is_match());
        let p = pat("a*b", EQUALS);
        assert!(!p.matches("axb", &ctx).is_match());
        assert!(p.matches("a*b", &ctx).is_match());
    }

    #[test]
    fn ignore_case() {
        let ctx = RequestContext::new();
        let mode = Mode {
            ignore_case: true,
            ..EQUALS
        };
        assert!(pat("Hello", mode).matches("hELLO", &ctx).is_match());
        assert!(pat("Ärger", mode).matches("äRGER", &ctx).is_match());
    }
}
