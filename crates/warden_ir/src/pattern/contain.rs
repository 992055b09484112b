//! Exact containment and intersection of patterns, by automaton inclusion.
//!
//! `covers(outer, inner)` explores pairs (state of `inner`, state of
//! `outer`) breadth-first from the start, over the few characters that
//! behave differently at each pair (see [`Automaton::relevant`]) plus one
//! character standing for all others; `outer` covers `inner` when no pair
//! reached has `inner` accepting and `outer` not. The first such pair gives
//! a shortest witness string.
//!
//! Policy variables stand for any text, the same in both patterns for the
//! same request. Containment must hold for every value, so it is decided
//! soundly, not exactly: `inner`'s variables are read as `*` (more
//! strings); an `outer` with variables covers only a pattern with the same
//! variables in the same order, part by part between them.

use std::collections::{HashMap, VecDeque};

use super::automaton::{Atom, Automaton, FILLERS};
use super::token::{Token, Tokens};

/// Pairs of states explored at most; beyond, containment is not proven.
const LIMIT: usize = 50_000;

/// Whether every string `inner` matches is matched by `outer` too (for
/// every value of their policy variables). `false` also when that is not
/// proven (see the module documentation).
pub fn covers(outer: &Tokens, inner: &Tokens) -> bool {
    if outer == inner {
        return true;
    }
    if !outer.has_variables() {
        // Literal text needs no exploration: it is covered when it matches
        // (all its case variants are, when both ignore case).
        let same_case = !inner.mode().ignore_case || outer.mode().ignore_case;
        if let Some(text) = literal(inner).filter(|_| same_case) {
            return outer.widened().matches(&text);
        }
        if starts_within(outer, inner) {
            return true;
        }
        return matches!(
            difference(Some(&outer.widened()), &inner.widened()),
            Ok(None)
        );
    }
    // The same variables in the same order take the same text: the
    // segments between them covering each other is enough.
    same_variables(outer, inner)
        && segments(outer)
            .iter()
            .zip(&segments(inner))
            .all(|(o, i)| o == i || matches!(difference(Some(o), i), Ok(None)))
}

/// A shortest string `inner` matches and `outer` does not; `None` when
/// `outer` covers `inner`, or when that is not decided. With policy
/// variables, the string is one of `inner` read with its variables as `*`
/// (and `outer`'s variables matching nothing).
pub fn witness(outer: &Tokens, inner: &Tokens) -> Option<String> {
    if outer == inner {
        return None;
    }
    let o = (!outer.has_variables()).then(|| outer.widened());
    difference(o.as_ref(), &inner.widened()).ok().flatten()
}

/// Whether `outer` is text then a `*` that matches anything, and `inner`
/// starts with that text before any wildcard or variable (the common
/// `arn:aws:s3:::b/*` over `arn:aws:s3:::b/logs/*`, decided without
/// exploring).
fn starts_within(outer: &Tokens, inner: &Tokens) -> bool {
    let [Token::Text(prefix), Token::Star { colon: true }] = outer.tokens() else {
        return false;
    };
    let Some(Token::Text(start)) = inner.tokens().first() else {
        return false;
    };
    match (outer.mode().ignore_case, inner.mode().ignore_case) {
        (false, false) => start.starts_with(&**prefix),
        // Both fold case the same way; ASCII text folds by bytes.
        (true, true) if prefix.is_ascii() && start.is_ascii() => start
            .as_bytes()
            .get(..prefix.len())
            .is_some_and(|s| s.eq_ignore_ascii_case(prefix.as_bytes())),
        _ => false,
    }
}

/// The one string a pattern without wildcards or variables matches.
fn literal(t: &Tokens) -> Option<String> {
    let mut text = String::new();
    for token in t.tokens() {
        match token {
            Token::Text(s) => text.push_str(s),
            _ => return None,
        }
    }
    Some(text)
}

/// The automata of the parts of `t` between its variables.
fn segments(t: &Tokens) -> Vec<Automaton> {
    let ignore_case = t.mode().ignore_case;
    let mut out = Vec::new();
    let mut atoms = Vec::new();
    for token in t.tokens() {
        match token {
            Token::Text(s) => atoms.extend(s.chars().map(Atom::Char)),
            Token::Star { colon } => atoms.push(Atom::Star { colon: *colon }),
            Token::One { colon } => atoms.push(Atom::One { colon: *colon }),
            Token::Variable(_) => {
                out.push(Automaton::new(std::mem::take(&mut atoms), ignore_case));
            }
        }
    }
    out.push(Automaton::new(atoms, ignore_case));
    out
}

/// The two patterns' variables, in order, are the same: the same key
/// (keys compare ignoring case) and the same default.
fn same_variables(a: &Tokens, b: &Tokens) -> bool {
    let vars = |t: &Tokens| {
        t.tokens()
            .iter()
            .filter_map(|t| match t {
                Token::Variable(v) => Some(v),
                _ => None,
            })
            .cloned()
            .collect::<Vec<_>>()
    };
    let (a, b) = (vars(a), vars(b));
    a.len() == b.len()
        && a.iter()
            .zip(&b)
            .all(|(x, y)| x.key.eq_ignore_ascii_case(&y.key) && x.default == y.default)
}

/// What the exploration looks for.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Goal {
    /// A string the first automaton accepts and the second does not.
    Difference,
    /// A string both accept (the oracle `intersects` is tested against).
    #[cfg(test)]
    Both,
}

/// The search ran past [`LIMIT`] pairs.
struct TooLarge;

/// A shortest string `inner` accepts and `outer` does not (`outer` `None`:
/// the empty language).
fn difference(outer: Option<&Automaton>, inner: &Automaton) -> Result<Option<String>, TooLarge> {
    search(inner, outer, Goal::Difference)
}

/// A shortest string both patterns match (variables read as `*`), by the
/// automaton search: the oracle for [`super::intersects`]; `None` when there
/// is none or the search is too large.
#[cfg(test)]
pub(crate) fn common_string(a: &Tokens, b: &Tokens) -> Option<Option<String>> {
    search(&a.widened(), Some(&b.widened()), Goal::Both).ok()
}

/// Breadth-first search over pairs of states of `a` and `b` for a string
/// that meets `goal`; `b` `None` accepts nothing.
fn search(a: &Automaton, b: Option<&Automaton>, goal: Goal) -> Result<Option<String>, TooLarge> {
    type Pair = (Vec<u32>, Vec<u32>);
    let start: Pair = (a.start(), b.map(Automaton::start).unwrap_or_default());
    let mut seen: HashMap<Pair, ()> = HashMap::new();
    // Each pair reached, with the pair and character it was reached from.
    let mut reached: Vec<(Pair, usize, char)> = Vec::new();
    let mut queue: VecDeque<usize> = VecDeque::new();
    seen.insert(start.clone(), ());
    reached.push((start, usize::MAX, '\0'));
    queue.push_back(0);
    let mut chars: Vec<char> = Vec::new();
    while let Some(here) = queue.pop_front() {
        let Some(((sa, sb), _, _)) = reached.get(here) else {
            break;
        };
        let (sa, sb) = (sa.clone(), sb.clone());
        let b_accepts = b.is_some_and(|b| b.accepts(&sb));
        let found = match goal {
            Goal::Difference => a.accepts(&sa) && !b_accepts,
            #[cfg(test)]
            Goal::Both => a.accepts(&sa) && b_accepts,
        };
        if found {
            return Ok(Some(spell(&reached, here)));
        }
        let b_absorbs = b.is_some_and(|b| b.absorbing(&sb));
        let hopeless = match goal {
            Goal::Difference => b_absorbs,
            #[cfg(test)]
            Goal::Both => b.is_none() || sb.is_empty(),
        };
        if sa.is_empty() || hopeless {
            continue;
        }
        chars.clear();
        a.relevant(&sa, &mut chars);
        if let Some(b) = b {
            b.relevant(&sb, &mut chars);
        }
        chars.sort_unstable();
        chars.dedup();
        let other = FILLERS
            .chars()
            .chain('\u{e000}'..='\u{f8ff}')
            .find(|c| !chars.contains(c));
        chars.extend(other);
        for &c in &chars {
            let next: Pair = (
                a.step(&sa, c),
                b.map(|b| b.step(&sb, c)).unwrap_or_default(),
            );
            if seen.contains_key(&next) {
                continue;
            }
            if reached.len() >= LIMIT {
                return Err(TooLarge);
            }
            seen.insert(next.clone(), ());
            queue.push_back(reached.len());
            reached.push((next, here, c));
        }
    }
    Ok(None)
}

/// The string that reached pair `i`.
fn spell<P>(reached: &[(P, usize, char)], mut i: usize) -> String {
    let mut rev: Vec<char> = Vec::new();
    while let Some((_, from, c)) = reached.get(i) {
        if *from == usize::MAX {
            break;
        }
        rev.push(*c);
        i = *from;
    }
    rev.iter().rev().collect()
}
