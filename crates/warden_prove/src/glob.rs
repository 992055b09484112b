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

use std::collections::{HashMap, VecDeque};

use crate::bits::Bits;

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

/// The exploration visited more product states than allowed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Exceeded {
    /// The limit that was reached.
    pub limit: usize,
}

impl Glob {
    /// A glob from tokens (characters lowercased here when ignoring case).
    pub(crate) fn new(toks: Vec<Tok>, ignore_case: bool) -> Glob {
        let toks = toks
            .into_iter()
            .map(|t| match t {
                Tok::Char(c) if ignore_case => Tok::Char(c.to_ascii_lowercase()),
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
        let c = if self.ignore_case {
            c.to_ascii_lowercase()
        } else {
            c
        };
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
                        out.push(c.to_ascii_uppercase());
                    }
                }
                Some(Tok::One { colon: false } | Tok::Star { colon: false }) => out.push(':'),
                _ => {}
            }
        }
    }
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
    limit: usize,
) -> Result<Vec<Found>, Exceeded> {
    let unions: Vec<Vec<&Glob>> = globs.iter().map(|g| vec![g]).collect();
    explore_unions(&unions, forbid, skip_empty, limit)
}

/// Marks an absorbed union in a product state: it matches whatever follows.
const TOP: u32 = 1 << 31;

/// As [`explore`], for unions of globs: the cells only tell the unions
/// apart, which is all a policy element (a list of patterns) needs, and
/// far fewer than the cells of every pattern when patterns overlap. A union
/// one of whose globs has reached a trailing `*` that may match anything
/// matches every continuation: it is kept as "absorbed" without positions.
pub(crate) fn explore_unions(
    unions: &[Vec<&Glob>],
    forbid: &[char],
    skip_empty: bool,
    limit: usize,
) -> Result<Vec<Found>, Exceeded> {
    let n = unions.len();
    let absorbing: Vec<Vec<usize>> = unions
        .iter()
        .map(|u| u.iter().map(|g| g.absorbing_from()).collect())
        .collect();
    // A product state: for each union still alive, its id (with TOP when
    // absorbed), then for each live glob: its index, the number of
    // positions, the positions; a 0 ends the union.
    let mut start: Vec<u32> = Vec::new();
    for (a, u) in unions.iter().enumerate() {
        let mut part: Vec<u32> = Vec::new();
        let mut top = false;
        for (k, g) in u.iter().enumerate() {
            let s = g.start();
            if absorbing.get(a).and_then(|v| v.get(k)).is_some_and(|&f| s.iter().any(|&p| p as usize >= f && (p as usize) < g.toks.len())) {
                top = true;
                break;
            }
            part.push(k as u32 + 1);
            part.push(s.len() as u32);
            part.extend(s);
        }
        if top {
            start.push(a as u32 | TOP);
            start.push(0);
        } else if !part.is_empty() {
            start.push(a as u32);
            start.extend(part);
            start.push(0);
        }
    }
    let mut seen: HashMap<Vec<u32>, ()> = HashMap::new();
    let mut found: HashMap<Bits, ()> = HashMap::new();
    let mut cells: Vec<Found> = Vec::new();
    let mut queue: VecDeque<(Vec<u32>, String)> = VecDeque::new();
    // With `skip_empty` the start state is not marked seen: reaching it
    // again after one character is a non-empty word of the same class.
    if !skip_empty {
        seen.insert(start.clone(), ());
    }
    queue.push_back((start, String::new()));
    let mut chars: Vec<char> = Vec::new();
    while let Some((state, word)) = queue.pop_front() {
        let parts = split_state(&state);
        if !(skip_empty && word.is_empty()) {
            let mut matches = Bits::empty(n);
            for (a, top, globs) in &parts {
                let accepted = *top
                    || globs.iter().any(|(k, positions)| {
                        unions
                            .get(*a)
                            .and_then(|u| u.get(*k))
                            .is_some_and(|g| g.accepts(positions))
                    });
                if accepted {
                    matches.insert(*a);
                }
            }
            if !found.contains_key(&matches) {
                found.insert(matches.clone(), ());
                cells.push(Found {
                    matches,
                    witness: word.clone(),
                });
            }
        }
        chars.clear();
        for (a, _, globs) in &parts {
            for (k, positions) in globs {
                if let Some(g) = unions.get(*a).and_then(|u| u.get(*k)) {
                    g.relevant(positions, &mut chars);
                }
            }
        }
        chars.sort_unstable();
        chars.dedup();
        if let Some(other) = FILLERS
            .chars()
            .chain('\u{e000}'..'\u{f8ff}')
            .find(|c| !chars.contains(c) && !forbid.contains(c))
        {
            chars.push(other);
        }
        for &c in &chars {
            if forbid.contains(&c) {
                continue;
            }
            let mut next: Vec<u32> = Vec::with_capacity(state.len());
            for (a, top, globs) in &parts {
                if *top {
                    next.push(*a as u32 | TOP);
                    next.push(0);
                    continue;
                }
                let mut part: Vec<u32> = Vec::new();
                let mut absorbed = false;
                for (k, positions) in globs {
                    let Some(g) = unions.get(*a).and_then(|u| u.get(*k)) else {
                        continue;
                    };
                    let s = g.step(positions, c);
                    if s.is_empty() {
                        continue;
                    }
                    let from = absorbing.get(*a).and_then(|v| v.get(*k)).copied().unwrap_or(usize::MAX);
                    if s.iter().any(|&p| p as usize >= from && (p as usize) < g.toks.len()) {
                        absorbed = true;
                        break;
                    }
                    part.push(*k as u32 + 1);
                    part.push(s.len() as u32);
                    part.extend(s);
                }
                if absorbed {
                    next.push(*a as u32 | TOP);
                    next.push(0);
                } else if !part.is_empty() {
                    next.push(*a as u32);
                    next.extend(part);
                    next.push(0);
                }
            }
            if seen.contains_key(&next) {
                continue;
            }
            if seen.len() >= limit {
                return Err(Exceeded { limit });
            }
            seen.insert(next.clone(), ());
            let mut w = word.clone();
            w.push(c);
            queue.push_back((next, w));
        }
    }
    if std::env::var_os("WARDEN_PROVE_DEBUG").is_some() && seen.len() > 2000 {
        let sizes: Vec<usize> = unions.iter().map(Vec::len).collect();
        eprintln!("explore: {} states, {} cells, unions {sizes:?}", seen.len(), cells.len());
        for u in unions.iter().take(3) {
            for g in u.iter().take(3) {
                eprintln!("   {:?}", g.toks.iter().map(|t| match t { Tok::Char(c) => *c, Tok::Star{colon:true} => '*', Tok::Star{..} => '%', Tok::One{..} => '?' }).collect::<String>());
            }
        }
    }
    Ok(cells)
}

/// A decoded product state: per union, its index, whether it is absorbed,
/// and its live globs with their positions.
type Parts<'s> = Vec<(usize, bool, Vec<(usize, &'s [u32])>)>;

fn split_state(state: &[u32]) -> Parts<'_> {
    let mut parts = Vec::new();
    let mut i = 0;
    while let Some(&head) = state.get(i) {
        let a = (head & !TOP) as usize;
        let top = head & TOP != 0;
        i += 1;
        let mut globs = Vec::new();
        while let Some(&k) = state.get(i) {
            i += 1;
            if k == 0 {
                break;
            }
            let len = state.get(i).copied().unwrap_or(0) as usize;
            i += 1;
            if let Some(positions) = state.get(i..i + len) {
                globs.push((k as usize - 1, positions));
            }
            i += len;
        }
        parts.push((a, top, globs));
    }
    parts
}
