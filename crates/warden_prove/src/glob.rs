//! Glob automata run in lock-step: the cells of a string dimension.
//!
//! Each glob is the position automaton of a pattern
//! ([`warden_ir::pattern::Automaton`], built from the pattern's tokens, so
//! AWS's ARN segment rule is the one the evaluator applies). The product of all the automata is explored breadth-first. At each
//! product state only a few characters behave differently: the literal
//! characters the live positions expect (both cases where a glob ignores
//! case), `:` when a live wildcard is barred from it, and one character
//! standing for all others (they all move every automaton the same way).
//! So the exploration reaches every combination of matching globs that any
//! string produces, and the first string to reach each is a shortest one.

use std::collections::HashMap;

use warden_ir::pattern::{Atom, Automaton, FILLERS, fold};

use crate::bits::Bits;
use crate::budget::{Budget, Stop};

mod dfa;
mod fxhash;

use dfa::{Alphabet, Dfa};
pub(crate) use fxhash::{FxHasher, FxMap};

/// A compiled glob: the shared automaton of a pattern.
pub(crate) type Glob = Automaton;

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
    let ignore_case = first.ignore_case();
    let mut universal = Bits::empty(unions.len());
    let mut literals: HashMap<String, Bits> = HashMap::new();
    for (u, list) in unions.iter().enumerate() {
        for g in list {
            if g.ignore_case() != ignore_case {
                return None;
            }
            if g.absorbing_from() == 0 {
                universal.insert(u);
                continue;
            }
            let mut text = String::with_capacity(g.atoms().len());
            for t in g.atoms() {
                let Atom::Char(c) = t else { return None };
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
    // Steps taken (unions times characters) since the clock was read: a
    // state of thousands of unions takes long to expand, so the deadline
    // is checked by work done, not by states.
    let mut work = 0usize;
    while at < parent.len() {
        let here = at;
        at += 1;
        let state = state_at(&arena, here);
        if work >= 1 << 16 {
            work = 0;
            if budget.expired() {
                return Err(Stop::Deadline);
            }
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
        work += n * chars.len() + 1;
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
            if arena.len() + n > budget.words {
                return Err(Stop::Memory {
                    bytes: budget.words * std::mem::size_of::<u32>(),
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
