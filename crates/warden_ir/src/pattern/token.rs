//! A policy pattern compiled to tokens: the one place AWS's ARN segment
//! rule is decided.
//!
//! "IAM JSON policy elements: Resource" and "Using wildcards in resource
//! ARNs": wildcards work within each colon-separated segment; "if the `*`
//! wildcard is the last character of a resource ARN segment, it can expand
//! to match beyond the colon boundaries". So in the first five segments a
//! `*` in the middle of a segment and a `?` never match `:`, while (in
//! `Resource`) a `*` that ends its segment matches anything. `Arn*`
//! condition operators check "each of the six colon-delimited components"
//! separately, so there no wildcard in the first five segments matches
//! `:`. After the fifth colon (the resource part, which may contain colons
//! itself) wildcards match any character.

use std::borrow::Cow;

use warden_policy::pattern::{Pattern, Piece, Variable};

use super::automaton::{Atom, Automaton};
use super::mode::{ArnRule, Mode};

/// One token of a compiled pattern.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Token {
    /// Literal text (a `*` or `?` where wildcards do not apply is text).
    Text(Box<str>),
    /// A policy variable: its value is substituted as literal text.
    Variable(Variable),
    /// `*`; `colon` when it may match `:`.
    Star {
        /// Whether the run may include `:`.
        colon: bool,
    },
    /// `?`; `colon` when it may match `:`.
    One {
        /// Whether the character may be `:`.
        colon: bool,
    },
}

/// A pattern compiled for one [`Mode`]: its tokens, each wildcard already
/// told whether it may match `:`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Tokens {
    tokens: Vec<Token>,
    mode: Mode,
}

impl Tokens {
    /// Compiles `pattern` read in `mode`.
    pub fn compile(pattern: &Pattern, mode: Mode) -> Tokens {
        let mut tokens: Vec<Token> = Vec::with_capacity(pattern.pieces.len());
        let mut colons = 0usize;
        for (i, piece) in pattern.pieces.iter().enumerate() {
            let in_segments = mode.arn != ArnRule::None && colons < 5;
            match piece {
                Piece::Literal(s) => {
                    colons += s.bytes().filter(|&b| b == b':').count();
                    tokens.push(Token::Text(s.as_str().into()));
                }
                Piece::Variable(v) => tokens.push(Token::Variable(v.clone())),
                Piece::Star if mode.wildcards => {
                    let ends_segment = match pattern.pieces.get(i + 1) {
                        None => true,
                        Some(Piece::Literal(next)) => next.starts_with(':'),
                        Some(_) => false,
                    };
                    // A pattern that is `*` alone matches everything, also
                    // as an `Arn*` condition value (as the evaluator reads it).
                    let alone = pattern.pieces.len() == 1;
                    tokens.push(Token::Star {
                        colon: !in_segments
                            || alone
                            || (ends_segment && mode.arn == ArnRule::Resource),
                    });
                }
                Piece::Question if mode.wildcards => tokens.push(Token::One {
                    colon: !in_segments,
                }),
                Piece::Star => tokens.push(Token::Text("*".into())),
                Piece::Question => tokens.push(Token::Text("?".into())),
            }
        }
        Tokens { tokens, mode }
    }

    /// Compiles text without policy variables (an `Action` entry, or a
    /// value of a policy with version 2008-10-17).
    pub fn plain(text: &str, mode: Mode) -> Tokens {
        Tokens::compile(&Pattern::parse(text, false).0, mode)
    }

    /// The tokens.
    pub fn tokens(&self) -> &[Token] {
        &self.tokens
    }

    /// The tokens, owned.
    pub fn into_tokens(self) -> Vec<Token> {
        self.tokens
    }

    /// The mode the pattern was compiled for.
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// Whether the pattern has a policy variable.
    pub fn has_variables(&self) -> bool {
        self.tokens.iter().any(|t| matches!(t, Token::Variable(_)))
    }

    /// The pattern as characters and wildcards, each variable replaced by
    /// `value(variable)` as literal text; `None` when `value` gives `None`
    /// (a variable without value leaves the pattern unresolved).
    pub fn atoms<'v>(
        &'v self,
        mut value: impl FnMut(&'v Variable) -> Option<Cow<'v, str>>,
    ) -> Option<Vec<Atom>> {
        self.lower(|v, out| {
            out.extend(value(v)?.chars().map(Atom::Char));
            Some(())
        })
    }

    /// The pattern as atoms, `variable` writing each variable's atoms (or
    /// giving `None`: then so does this).
    pub(crate) fn lower<'v>(
        &'v self,
        mut variable: impl FnMut(&'v Variable, &mut Vec<Atom>) -> Option<()>,
    ) -> Option<Vec<Atom>> {
        let mut out = Vec::with_capacity(self.tokens.len());
        for t in &self.tokens {
            match t {
                Token::Text(s) => out.extend(s.chars().map(Atom::Char)),
                Token::Variable(v) => variable(v, &mut out)?,
                Token::Star { colon } => out.push(Atom::Star { colon: *colon }),
                Token::One { colon } => out.push(Atom::One { colon: *colon }),
            }
        }
        Some(out)
    }

    /// The automaton of every string the pattern can match for some value
    /// of its variables: each variable read as a `*` that may match `:`.
    pub fn widened(&self) -> Automaton {
        let atoms = self
            .lower(|_, out| {
                out.push(Atom::Star { colon: true });
                Some(())
            })
            .unwrap_or_default();
        Automaton::new(atoms, self.mode.ignore_case)
    }

    /// The automaton of the pattern, variables replaced as by
    /// [`Tokens::atoms`], ignoring case as the mode says.
    pub fn automaton<'v>(
        &'v self,
        value: impl FnMut(&'v Variable) -> Option<Cow<'v, str>>,
    ) -> Option<Automaton> {
        let atoms = self.atoms(value)?;
        Some(Automaton::new(atoms, self.mode.ignore_case))
    }
}
