//! Whether two patterns match a common string, by dynamic programming over
//! their atoms (no automaton is built: the catalog asks this for every ARN
//! format of a service, for every resource of a policy).
//!
//! A state `(i, j)` says the first `i` atoms of `a` and `j` of `b` have
//! matched the same text. Two literal-or-`?` atoms move together when some
//! character satisfies both; a `*` either ends or absorbs the other side's
//! next atom. Both `*`s never need to absorb one character together: drop
//! such characters and the shorter text still matches both patterns.

use super::automaton::{Atom, Automaton, fold};
use super::token::{Token, Tokens};

/// Whether some string matches both patterns, each policy variable read as
/// `*` (so `true` means "may intersect" when there are variables).
pub fn intersects(a: &Tokens, b: &Tokens) -> bool {
    let ignore_case = a.mode().ignore_case || b.mode().ignore_case;
    if leading_texts_differ(a, b, ignore_case) {
        return false;
    }
    a.widened().intersects(&b.widened())
}

impl Automaton {
    /// Whether some string is accepted by both automata. Callers that ask
    /// one pattern against many (the catalog's ARN formats) build each
    /// automaton once and ask this.
    pub fn intersects(&self, other: &Automaton) -> bool {
        let ignore_case = self.ignore_case() || other.ignore_case();
        let (x, y) = (self.atoms(), other.atoms());
        let literal_clash = x
            .iter()
            .zip(y)
            .map_while(|pair| match pair {
                (Atom::Char(c), Atom::Char(d)) => Some((*c, *d)),
                _ => None,
            })
            .any(|(c, d)| !together(Atom::Char(c), Atom::Char(d), ignore_case));
        !literal_clash && atoms_intersect(x, y, ignore_case)
    }
}

/// The search over `(i, j)` states (see the module documentation).
fn atoms_intersect(x: &[Atom], y: &[Atom], ignore_case: bool) -> bool {
    let (n, m) = (x.len(), y.len());
    let width = m + 1;
    let mut seen = vec![false; (n + 1) * width];
    let mut stack = vec![(0usize, 0usize)];
    while let Some((i, j)) = stack.pop() {
        match seen.get_mut(i * width + j) {
            Some(slot) if !*slot => *slot = true,
            _ => continue,
        }
        if i == n && j == m {
            return true;
        }
        let (p, q) = (x.get(i).copied(), y.get(j).copied());
        if let Some(Atom::Star { colon }) = p {
            stack.push((i + 1, j));
            if q.is_some_and(|q| star_takes(colon, q)) {
                stack.push((i, j + 1));
            }
        }
        if let Some(Atom::Star { colon }) = q {
            stack.push((i, j + 1));
            if p.is_some_and(|p| star_takes(colon, p)) {
                stack.push((i + 1, j));
            }
        }
        if let (Some(p), Some(q)) = (p, q)
            && together(p, q, ignore_case)
        {
            stack.push((i + 1, j + 1));
        }
    }
    false
}

/// Whether the literal texts both patterns start with differ before either
/// reaches a wildcard or a variable: no string matches both, decided
/// without allocating (most ARN formats of a service are rejected here).
fn leading_texts_differ(a: &Tokens, b: &Tokens, ignore_case: bool) -> bool {
    let (Some(Token::Text(x)), Some(Token::Text(y))) = (a.tokens().first(), b.tokens().first())
    else {
        return false;
    };
    x.chars()
        .zip(y.chars())
        .any(|(c, d)| !together(Atom::Char(c), Atom::Char(d), ignore_case))
}

/// Whether a `*` (barred from `:` unless `colon`) can absorb what `atom`
/// matches: some character of it, or nothing for another `*`.
fn star_takes(colon: bool, atom: Atom) -> bool {
    match atom {
        Atom::Char(c) => colon || c != ':',
        Atom::One { .. } | Atom::Star { .. } => true,
    }
}

/// Whether one character satisfies both single-character atoms (a `?`
/// always has a character other than `:`).
fn together(p: Atom, q: Atom, ignore_case: bool) -> bool {
    match (p, q) {
        (Atom::Char(c), Atom::Char(d)) if ignore_case => fold(c) == fold(d),
        (Atom::Char(c), Atom::Char(d)) => c == d,
        (Atom::One { colon }, Atom::Char(c)) | (Atom::Char(c), Atom::One { colon }) => {
            colon || c != ':'
        }
        (Atom::One { .. }, Atom::One { .. }) => true,
        _ => false,
    }
}
