//! Glob automata run in lock-step: the cells of a string dimension.
//!
//! Each glob compiles to a position automaton over tokens: a literal
//! character, `?`, or `*`, each wildcard either allowed or barred from
//! matching `:` (AWS's ARN segment rule, decided per token by the caller).
//! The product of all the automata is explored breadth-first. At each
//! product state only a few characters behave differently: the literal
//! characters the live positions expect (both cases where a glob ignores
//! case), `:` when a live wildcard is barred from it, and one character
//! standing for all others (they all move every automaton the same way).
//! So the exploration reaches every combination of matching globs that any
//! string produces, and the first string to reach each is a shortest one.

use std::collections::HashMap;

use crate::bits::Bits;
use crate::budget::{Budget, Stop};

mod dfa;
mod fxhash;

use dfa::{Alphabet, Dfa};
pub(crate) use fxhash::{FxHasher, FxMap};

/// One token of a glob.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Tok {
    /// A literal character (lowercase when the glob ignores case).
    Char(char),
    /// `?`; `colon`: may match `:`.
    One { colon: bool },
    /// `*`; `colon`: may match `:`.
    Star { colon: bool },
}

/// A compiled glob.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Glob {
    toks: Vec<Tok>,
    ignore_case: bool,
}

impl Glob {
    /// A glob from tokens (characters lowercased here when ignoring case).
    pub(crate) fn new(toks: Vec<Tok>, ignore_case: bool) -> Glob {
        let toks = toks
            .into_iter()
            .map(|t| match t {
                Tok::Char(c) if ignore_case => Tok::Char(fold(c)),
                t => t,
            })
            .collect();
        Glob { toks, ignore_case }
    }

    /// Exactly `text`.
    pub(crate) fn literal(text: &str, ignore_case: bool) -> Glob {
        Glob::new(text.chars().map(Tok::Char).collect(), ignore_case)
    }

    /// `*` any run and `?` one character, both matching anything.
    pub(crate) fn wildcard(text: &str, ignore_case: bool) -> Glob {
        Glob::new(
            text.chars()
                .map(|c| match c {
                    '*' => Tok::Star { colon: true },
                    '?' => Tok::One { colon: true },
                    c => Tok::Char(c),
                })
                .collect(),
            ignore_case,
        )
    }

    /// The first position from which only `*`s that may match anything
    /// remain: a glob there accepts every continuation.
    fn absorbing_from(&self) -> usize {
        let tail = self
            .toks
            .iter()
            .rev()
            .take_while(|t| **t == Tok::Star { colon: true })
            .count();
        if tail == 0 {
            usize::MAX
        } else {
            self.toks.len() - tail
        }
    }

    /// Whether the glob matches `text` (used to classify known values).
    pub(crate) fn matches(&self, text: &str) -> bool {
        let mut state = self.start();
        for c in text.chars() {
            state = self.step(&state, c);
            if state.is_empty() {
                return false;
            }
        }
        self.accepts(&state)
    }

    fn close(&self, positions: &mut Vec<u32>) {
        let mut i = 0;
        while let Some(&p) = positions.get(i) {
            if let Some(Tok::Star { .. }) = self.toks.get(p as usize)
                && !positions.contains(&(p + 1))
            {
                positions.push(p + 1);
            }
            i += 1;
        }
        positions.sort_unstable();
        positions.dedup();
    }

    fn start(&self) -> Vec<u32> {
        let mut s = vec![0];
        self.close(&mut s);
        s
    }

    fn step(&self, positions: &[u32], c: char) -> Vec<u32> {
        let c = if self.ignore_case { fold(c) } else { c };
        let mut next = Vec::new();
        for &p in positions {
            match self.toks.get(p as usize) {
                Some(Tok::Char(x)) if *x == c => next.push(p + 1),
                Some(Tok::One { colon }) if *colon || c != ':' => next.push(p + 1),
                Some(Tok::Star { colon }) if *colon || c != ':' => next.push(p),
                _ => {}
            }
        }
        self.close(&mut next);
        next
    }

    fn accepts(&self, positions: &[u32]) -> bool {
        positions.contains(&(self.toks.len() as u32))
    }

    /// Adds the characters that move this glob differently from "any other
    /// character" at `positions`.
    fn relevant(&self, positions: &[u32], out: &mut Vec<char>) {
        for &p in positions {
            match self.toks.get(p as usize) {
                Some(Tok::Char(c)) => {
                    out.push(*c);
                    if self.ignore_case {
                        out.extend(variants(*c));
                    }
                }
                Some(Tok::One { colon: false } | Tok::Star { colon: false }) => out.push(':'),
                _ => {}
            }
        }
    }
}

/// A character as comparisons that ignore case see it: lowercase (the
/// evaluator lowercases non-ASCII text with Unicode rules; a character
/// whose lowercase is several characters is kept as is).
pub(crate) fn fold(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) => l,
        _ => c,
    }
}

/// The other characters that fold to the (folded) character `c`: its
/// uppercase, and the few signs whose lowercase is a letter (KELVIN SIGN
/// is `k`, ANGSTROM SIGN `å`, OHM SIGN `ω`).
fn variants(c: char) -> impl Iterator<Item = char> {
    let mut upper = c.to_uppercase();
    let upper = match (upper.next(), upper.next()) {
        (Some(u), None) if u != c && fold(u) == c => Some(u),
        _ => None,
    };
    let signs = ['\u{212A}', '\u{212B}', '\u{2126}']
        .into_iter()
        .filter(move |s| fold(*s) == c);
    upper.into_iter().chain(signs)
}

/// Characters tried, in order, for "any other character": readable ones
/// first, so witnesses look like words.
const FILLERS: &str = "xyzqjkwvabcdefghilmnoprstu0123456789-_";

/// One cell found by [`explore`]: which globs (or unions) match, and a
/// shortest string.
#[derive(Clone, Debug)]
pub(crate) struct Found {
    pub matches: Bits,
    pub witness: String,
}

/// Every combination of matching globs that some string produces, each with
/// a shortest string, in order of length. Characters in `forbid` never
/// occur in strings; with `skip_empty` the empty string is not considered.
pub(crate) fn explore(
    globs: &[Glob],
    forbid: &[char],
    skip_empty: bool,
    budget: &Budget,
) -> Result<Vec<Found>, Stop> {
    let unions: Vec<Vec<&Glob>> = globs.iter().map(|g| vec![g]).collect();
    explore_unions(&unions, forbid, skip_empty, budget)
}

/// As [`explore`], for unions of globs: the cells only tell the unions
/// apart, which is all a policy element (a list of patterns) needs, and
/// far fewer than the cells of every pattern when patterns overlap.
///
/// Each union is determinized lazily (its sets of glob positions numbered,
/// transitions tabled per character class), so a product state is one
/// number per union and a step is one table lookup per union. A union one
/// of whose globs has reached a trailing `*` that may match anything
/// matches every continuation: it is marked absorbed and no longer
/// stepped; a union none of whose globs is alive is dropped.
pub(crate) fn explore_unions(
    unions: &[Vec<&Glob>],
    forbid: &[char],
    skip_empty: bool,
    budget: &Budget,
) -> Result<Vec<Found>, Stop> {
    if let Some(found) = literal_cells(unions, forbid, skip_empty) {
        return Ok(found);
    }
    // Empty unions match nothing: leave them out of the product.
    let kept: Vec<usize> = (0..unions.len())
        .filter(|&u| unions.get(u).is_some_and(|x| !x.is_empty()))
        .collect();
    if kept.len() == unions.len() {
        return explore_nonempty(unions, forbid, skip_empty, budget);
    }
    let compact: Vec<Vec<&Glob>> = kept
        .iter()
        .filter_map(|&u| unions.get(u).cloned())
        .collect();
    let found = explore_nonempty(&compact, forbid, skip_empty, budget)?;
    Ok(found
        .into_iter()
        .map(|f| {
            let mut matches = Bits::empty(unions.len());
            for i in f.matches.iter() {
                if let Some(&u) = kept.get(i) {
                    matches.insert(u);
                }
            }
            Found {
                matches,
                witness: f.witness,
            }
        })
        .collect())
}

/// The cells when every glob is a literal or `*` and all agree on case:
/// each literal is a cell of its own, and every other string matches just
/// the unions holding `*`. `None` when the shortcut does not apply.
fn literal_cells(unions: &[Vec<&Glob>], forbid: &[char], skip_empty: bool) -> Option<Vec<Found>> {
    let first = unions.iter().flatten().next()?;
    let ignore_case = first.ignore_case;
    let mut universal = Bits::empty(unions.len());
    let mut literals: HashMap<String, Bits> = HashMap::new();
    for (u, list) in unions.iter().enumerate() {
        for g in list {
            if g.ignore_case != ignore_case {
                return None;
            }
            if g.absorbing_from() == 0 {
                universal.insert(u);
                continue;
            }
            let mut text = String::with_capacity(g.toks.len());
            for t in &g.toks {
                let Tok::Char(c) = t else { return None };
                text.push(*c);
            }
            literals
                .entry(text)
                .or_insert_with(|| Bits::empty(unions.len()))
                .insert(u);
        }
    }
    let mut cells: Vec<Found> = Vec::new();
    let mut names: Vec<(String, Bits)> = literals.into_iter().collect();
    names.sort_by(|a, b| a.0.cmp(&b.0));
    for (text, mut matches) in names.iter().cloned() {
        if text.chars().any(|c| forbid.contains(&c)) || (skip_empty && text.is_empty()) {
            continue;
        }
        matches.or_with(&universal);
        cells.push(Found {
            matches,
            witness: text,
        });
    }
    // A string that is none of the literals.
    let taken = |w: &str| {
        names.iter().any(|(t, _)| {
            if ignore_case {
                t.chars().map(fold).eq(w.chars().map(fold))
            } else {
                t == w
            }
        })
    };
    let other = FILLERS
        .chars()
        .filter(|c| !forbid.contains(c))
        .flat_map(|c| (1..=3).map(move |n| c.to_string().repeat(n)))
        .chain((!skip_empty).then(String::new))
        .find(|w| !taken(w))?;
    cells.push(Found {
        matches: universal,
        witness: other,
    });
    Some(cells)
}

fn explore_nonempty(
    unions: &[Vec<&Glob>],
    forbid: &[char],
    skip_empty: bool,
    budget: &Budget,
) -> Result<Vec<Found>, Stop> {
    let all: Vec<&Glob> = unions.iter().flatten().copied().collect();
    let alphabet = Alphabet::new(&all, forbid);
    let mut dfas: Vec<Dfa> = unions.iter().map(|u| Dfa::new(u, &alphabet)).collect();
    let n = unions.len();
    // A product state: per union, its DFA state, or ABSORBED, or GONE.
    let start: Vec<u32> = dfas
        .iter()
        .map(|d| if d.absorbing(0) { ABSORBED } else { 0 })
        .collect();
    let mut found: FxMap<Bits, ()> = FxMap::default();
    let mut cells: Vec<Found> = Vec::new();
    // Breadth-first: states in discovery order, stored flat (`n` numbers
    // each), each with the state and character it was reached from, to
    // spell witnesses back. States are found again by hash (a second map
    // holds the rare states whose hash another state already has).
    let mut arena: Vec<u32> = Vec::new();
    let mut parent: Vec<(u32, u16)> = Vec::new();
    let mut by_hash: FxMap<u64, u32> = FxMap::default();
    let mut collided: FxMap<Vec<u32>, ()> = FxMap::default();
    let state_at = |arena: &[u32], i: usize| -> Vec<u32> {
        arena.get(i * n..(i + 1) * n).unwrap_or(&[]).to_vec()
    };
    let known =
        |arena: &[u32], by_hash: &FxMap<u64, u32>, collided: &FxMap<Vec<u32>, ()>, s: &[u32]| {
            match by_hash.get(&hash_state(s)) {
                Some(&i) => {
                    arena.get(i as usize * n..(i as usize + 1) * n) == Some(s)
                        || collided.contains_key(s)
                }
                None => false,
            }
        };
    arena.extend_from_slice(&start);
    parent.push((u32::MAX, 0));
    // With `skip_empty` the start state is not marked seen: reaching it
    // again after one character is a non-empty word of the same class.
    if !skip_empty {
        by_hash.insert(hash_state(&start), 0);
    }
    let mut chars: Vec<u16> = Vec::new();
    let mut mark: Vec<bool> = vec![false; alphabet.chars.len()];
    let mut next: Vec<u32> = Vec::with_capacity(n);
    let mut at = 0usize;
    while at < parent.len() {
        let here = at;
        at += 1;
        let state = state_at(&arena, here);
        if here % 1024 == 1023 && budget.expired() {
            return Err(Stop::Deadline);
        }
        if !(skip_empty && here == 0) {
            let mut matches = Bits::empty(n);
            for (u, &st) in state.iter().enumerate() {
                let yes =
                    st == ABSORBED || (st != GONE && dfas.get(u).is_some_and(|d| d.accepting(st)));
                if yes {
                    matches.insert(u);
                }
            }
            if !found.contains_key(&matches) {
                found.insert(matches.clone(), ());
                cells.push(Found {
                    matches,
                    witness: spell(&parent, here, &alphabet),
                });
            }
        }
        // Characters that move some live union differently from the rest.
        chars.clear();
        for (u, &st) in state.iter().enumerate() {
            if st == ABSORBED || st == GONE {
                continue;
            }
            let Some(d) = dfas.get_mut(u) else { continue };
            for &c in d.relevant(st, &alphabet) {
                if let Some(m) = mark.get_mut(c as usize)
                    && !*m
                {
                    *m = true;
                    chars.push(c);
                }
            }
        }
        for &c in &chars {
            if let Some(m) = mark.get_mut(c as usize) {
                *m = false;
            }
        }
        if let Some(other) = alphabet.fillers.iter().find(|f| !chars.contains(f)) {
            chars.push(*other);
        }
        for &c in &chars {
            next.clear();
            for (u, &st) in state.iter().enumerate() {
                let to = match st {
                    ABSORBED | GONE => st,
                    _ => match dfas
                        .get_mut(u)
                        .and_then(|d| d.step(st, c, &alphabet).map(|t| (t, d.absorbing(t))))
                    {
                        Some((_, true)) => ABSORBED,
                        Some((t, false)) => t,
                        None => GONE,
                    },
                };
                next.push(to);
            }
            if known(&arena, &by_hash, &collided, &next) {
                continue;
            }
            if parent.len() >= budget.states {
                return Err(Stop::States {
                    limit: budget.states,
                });
            }
            let id = parent.len() as u32;
            let h = hash_state(&next);
            match by_hash.entry(h) {
                std::collections::hash_map::Entry::Occupied(_) => {
                    collided.insert(next.clone(), ());
                }
                std::collections::hash_map::Entry::Vacant(slot) => {
                    slot.insert(id);
                }
            }
            arena.extend_from_slice(&next);
            parent.push((here as u32, c));
        }
    }
    Ok(cells)
}

fn hash_state(s: &[u32]) -> u64 {
    use std::hash::Hasher;
    let mut h = FxHasher::default();
    for &x in s {
        h.write_u32(x);
    }
    h.finish()
}

/// The word that reached state `i`.
fn spell(parent: &[(u32, u16)], mut i: usize, alphabet: &Alphabet) -> String {
    let mut rev: Vec<char> = Vec::new();
    while let Some(&(p, c)) = parent.get(i) {
        if p == u32::MAX {
            break;
        }
        rev.extend(alphabet.chars.get(c as usize));
        i = p as usize;
    }
    rev.iter().rev().collect()
}

const ABSORBED: u32 = u32::MAX;
const GONE: u32 = u32::MAX - 1;
