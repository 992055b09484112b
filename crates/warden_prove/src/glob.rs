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

    /// Whether the glob matches every string.
    fn universal(&self) -> bool {
        self.toks == [Tok::Star { colon: true }]
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

/// One cell found by [`explore`]: which globs match, and a shortest string.
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
    let n = globs.len();
    let mut always = Bits::empty(n);
    let mut live: Vec<usize> = Vec::new();
    for (i, g) in globs.iter().enumerate() {
        if g.universal() {
            always.insert(i);
        } else {
            live.push(i);
        }
    }
    // A product state: for each glob still alive, its id, the number of
    // positions, then the positions.
    let mut start: Vec<u32> = Vec::new();
    for &i in &live {
        if let Some(g) = globs.get(i) {
            let s = g.start();
            start.push(i as u32);
            start.push(s.len() as u32);
            start.extend(s);
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
            let mut matches = always.clone();
            for (g, positions) in &parts {
                if globs.get(*g).is_some_and(|glob| glob.accepts(positions)) {
                    matches.insert(*g);
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
        for (g, positions) in &parts {
            if let Some(glob) = globs.get(*g) {
                glob.relevant(positions, &mut chars);
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
            for (g, positions) in &parts {
                let Some(glob) = globs.get(*g) else { continue };
                let s = glob.step(positions, c);
                if !s.is_empty() {
                    next.push(*g as u32);
                    next.push(s.len() as u32);
                    next.extend(s);
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
    Ok(cells)
}

fn split_state(state: &[u32]) -> Vec<(usize, &[u32])> {
    let mut parts = Vec::new();
    let mut i = 0;
    while let (Some(&g), Some(&len)) = (state.get(i), state.get(i + 1)) {
        let end = i + 2 + len as usize;
        if let Some(positions) = state.get(i + 2..end) {
            parts.push((g as usize, positions));
        }
        i = end;
    }
    parts
}
