//! Matching one compiled pattern against request text.
//!
//! Most patterns are a literal or a plain wildcard string and match without
//! allocating (through [`warden_policy::glob`]); only patterns with policy
//! variables or with ARN segment restrictions take the general path, which
//! substitutes the variables and runs the automaton by dynamic programming.

use warden_policy::glob::{glob_match, glob_match_ignore_case};

use super::automaton::Atom;
use super::token::{Token, Tokens};

/// The result of matching: a variable without value and without default
/// makes the pattern unusable ("no match", reported in explanations).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The text matches.
    Match,
    /// The text does not match.
    NoMatch,
    /// A variable has no value and no default.
    Unresolved,
}

impl Outcome {
    /// Whether the text matches.
    pub fn is_match(self) -> bool {
        self == Outcome::Match
    }
}

#[derive(Clone, Debug)]
enum Kind {
    /// Matches everything.
    Any,
    /// Literal text (lowercased when ignoring case).
    Exact(Box<str>),
    /// Wildcards with no restrictions and no variables, as text.
    Glob(Box<str>),
    /// The general case.
    Tokens(Vec<Token>),
}

/// A pattern ready to match: its tokens, and the fast path it allows.
#[derive(Clone, Debug)]
pub struct Matcher {
    kind: Kind,
    ignore_case: bool,
}

impl Matcher {
    /// A matcher for `tokens`.
    pub fn new(tokens: Tokens) -> Matcher {
        let ignore_case = tokens.mode().ignore_case;
        Matcher {
            kind: fast_path(tokens.into_tokens(), ignore_case),
            ignore_case,
        }
    }

    /// Matches `text`, `value` giving each variable's request value (by
    /// condition key).
    pub fn matches<'c>(&self, text: &str, value: impl Fn(&str) -> Option<&'c str>) -> Outcome {
        let ignore_case = self.ignore_case;
        let yes = |b: bool| if b { Outcome::Match } else { Outcome::NoMatch };
        match &self.kind {
            Kind::Any => Outcome::Match,
            Kind::Exact(s) if ignore_case => yes(eq_ignore_case(s, text)),
            Kind::Exact(s) => yes(**s == *text),
            Kind::Glob(g) if ignore_case => yes(glob_match_ignore_case(g, text)),
            Kind::Glob(g) => yes(glob_match(g, text)),
            Kind::Tokens(tokens) => match expand(tokens, &value, ignore_case) {
                Some(atoms) => yes(match_atoms(&atoms, text, ignore_case)),
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

/// The fast path a pattern allows: `*` alone, literal text, or wildcards
/// that match any character (then `warden_policy::glob` reads the text).
fn fast_path(tokens: Vec<Token>, ignore_case: bool) -> Kind {
    if let [Token::Star { .. }] = tokens.as_slice() {
        return Kind::Any;
    }
    let unrestricted = tokens.iter().all(|t| match t {
        Token::Text(s) => !s.contains(['*', '?']),
        Token::Variable(_) => false,
        Token::Star { colon } | Token::One { colon } => *colon,
    });
    if !unrestricted {
        return Kind::Tokens(tokens);
    }
    let mut text = String::new();
    let mut wild = false;
    for t in &tokens {
        match t {
            Token::Text(s) => text.push_str(s),
            Token::Star { .. } => {
                wild = true;
                text.push('*');
            }
            Token::One { .. } => {
                wild = true;
                text.push('?');
            }
            Token::Variable(_) => {}
        }
    }
    if ignore_case {
        text = text.to_lowercase();
    }
    if wild {
        Kind::Glob(text.into())
    } else {
        Kind::Exact(text.into())
    }
}

/// Substitutes variables (their values are literal text, never wildcards).
/// `None` when a variable has no value and no default.
fn expand<'c>(
    tokens: &[Token],
    value: &impl Fn(&str) -> Option<&'c str>,
    ignore_case: bool,
) -> Option<Vec<Atom>> {
    let mut out = Vec::new();
    let push_text = |out: &mut Vec<Atom>, s: &str| {
        if ignore_case {
            out.extend(s.chars().flat_map(char::to_lowercase).map(Atom::Char));
        } else {
            out.extend(s.chars().map(Atom::Char));
        }
    };
    for t in tokens {
        match t {
            Token::Text(s) => push_text(&mut out, s),
            Token::Variable(v) => {
                let text = value(&v.key).or(v.default.as_deref())?;
                push_text(&mut out, text);
            }
            Token::Star { colon } => out.push(Atom::Star { colon: *colon }),
            Token::One { colon } => out.push(Atom::One { colon: *colon }),
        }
    }
    Some(out)
}

/// Matches by dynamic programming over pattern positions: O(|p| × |t|),
/// used only for patterns with variables or ARN segment restrictions.
fn match_atoms(pattern: &[Atom], text: &str, ignore_case: bool) -> bool {
    let n = pattern.len();
    let mut prev = vec![false; n + 1];
    let mut cur = vec![false; n + 1];
    if let Some(p0) = prev.first_mut() {
        *p0 = true;
    }
    for j in 1..=n {
        let star = matches!(pattern.get(j - 1), Some(Atom::Star { .. }));
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
                Some(Atom::Char(p)) => diag && *p == c,
                Some(Atom::One { colon }) => diag && (*colon || c != ':'),
                Some(Atom::Star { colon }) => left || (up && (*colon || c != ':')),
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
