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

/// The exploration visited more product states than allowed (or, with
/// `limit` 0, ran past the deadline of the comparison).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Exceeded {
    /// The limit that was reached.
    pub limit: usize,
}

impl Exceeded {
    /// Why the comparison stopped, for an `unknown` answer.
    pub(crate) fn reason(self, what: &str) -> String {
        if self.limit == 0 {
            TIME_LIMIT.to_string()
        } else {
            format!("{what} need more than {} automaton states", self.limit)
        }
    }
}

/// The reason given when the deadline passes.
pub(crate) const TIME_LIMIT: &str = "the time limit expired";

thread_local! {
    /// The deadline of the comparison running on this thread: explorations
    /// check it as they go, so `--timeout` holds even inside one slice.
    static DEADLINE: std::cell::Cell<Option<std::time::Instant>> =
        const { std::cell::Cell::new(None) };
}

/// Runs `f` with `deadline` as this thread's exploration deadline.
pub(crate) fn with_deadline<T>(deadline: Option<std::time::Instant>, f: impl FnOnce() -> T) -> T {
    let before = DEADLINE.with(|d| d.replace(deadline));
    let out = f();
    DEADLINE.with(|d| d.set(before));
    out
}

fn past_deadline() -> bool {
    DEADLINE.with(|d| d.get().is_some_and(|t| std::time::Instant::now() >= t))
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
    limit: usize,
) -> Result<Vec<Found>, Exceeded> {
    let unions: Vec<Vec<&Glob>> = globs.iter().map(|g| vec![g]).collect();
    explore_unions(&unions, forbid, skip_empty, limit)
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
    limit: usize,
) -> Result<Vec<Found>, Exceeded> {
    if let Some(found) = literal_cells(unions, forbid, skip_empty) {
        return Ok(found);
    }
    // Empty unions match nothing: leave them out of the product.
    let kept: Vec<usize> = (0..unions.len())
        .filter(|&u| unions.get(u).is_some_and(|x| !x.is_empty()))
        .collect();
    if kept.len() == unions.len() {
        return explore_nonempty(unions, forbid, skip_empty, limit);
    }
    let compact: Vec<Vec<&Glob>> = kept
        .iter()
        .filter_map(|&u| unions.get(u).cloned())
        .collect();
    let found = explore_nonempty(&compact, forbid, skip_empty, limit)?;
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
    limit: usize,
) -> Result<Vec<Found>, Exceeded> {
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
        if here % 1024 == 1023 && past_deadline() {
            return Err(Exceeded { limit: 0 });
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
            if parent.len() >= limit {
                return Err(Exceeded { limit });
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

/// The characters that can matter, numbered: every literal of every glob
/// (both cases where a glob ignores case), `:`, and readable fillers.
struct Alphabet {
    chars: Vec<char>,
    /// Indices of filler characters, in preference order.
    fillers: Vec<u16>,
}

impl Alphabet {
    fn new(globs: &[&Glob], forbid: &[char]) -> Alphabet {
        let mut chars: Vec<char> = vec![':'];
        for g in globs {
            for t in &g.toks {
                if let Tok::Char(c) = t {
                    chars.push(*c);
                    if g.ignore_case {
                        chars.extend(variants(*c));
                    }
                }
            }
        }
        chars.extend(FILLERS.chars());
        chars.retain(|c| !forbid.contains(c));
        chars.sort_unstable();
        chars.dedup();
        let fresh = ('\u{e000}'..'\u{f8ff}').find(|c| !chars.contains(c));
        chars.extend(fresh);
        chars.sort_unstable();
        let fillers = FILLERS
            .chars()
            .chain(fresh)
            .filter_map(|f| chars.iter().position(|c| *c == f))
            .map(|i| i as u16)
            .collect();
        Alphabet { chars, fillers }
    }
}

/// One glob, determinized on demand: a state is a set of positions.
struct GlobDfa<'g> {
    glob: &'g Glob,
    sets: Vec<Vec<u32>>,
    index: FxMap<Vec<u32>, u32>,
    /// The glob's literal characters (case-folded), sorted.
    lits: Vec<char>,
    /// A character per class (class 0's is one no literal uses).
    class_char: Vec<char>,
    table: Vec<u32>,
    accepting: Vec<bool>,
    absorbing: Vec<bool>,
}

const UNKNOWN: u32 = u32::MAX;
const DEAD: u32 = u32::MAX - 1;

impl<'g> GlobDfa<'g> {
    fn new(glob: &'g Glob) -> GlobDfa<'g> {
        let mut lits: Vec<char> = glob
            .toks
            .iter()
            .filter_map(|t| match t {
                Tok::Char(c) if *c != ':' => Some(*c),
                _ => None,
            })
            .collect();
        lits.sort_unstable();
        lits.dedup();
        let mut class_char = vec!['\u{e000}', ':'];
        class_char.extend(lits.iter().copied());
        let mut dfa = GlobDfa {
            glob,
            sets: Vec::new(),
            index: FxMap::default(),
            lits,
            class_char,
            table: Vec::new(),
            accepting: Vec::new(),
            absorbing: Vec::new(),
        };
        dfa.intern(glob.start());
        dfa
    }

    /// The class of a character: 0 "other", 1 `:`, then one per literal.
    fn class(&self, c: char) -> usize {
        if c == ':' {
            return 1;
        }
        let folded = if self.glob.ignore_case { fold(c) } else { c };
        self.lits.binary_search(&folded).map_or(0, |p| p + 2)
    }

    fn intern(&mut self, set: Vec<u32>) -> u32 {
        if let Some(&i) = self.index.get(&set) {
            return i;
        }
        let i = self.sets.len() as u32;
        let len = self.glob.toks.len();
        let from = self.glob.absorbing_from();
        self.accepting.push(self.glob.accepts(&set));
        self.absorbing.push(
            set.iter()
                .any(|&p| p as usize >= from && (p as usize) < len),
        );
        self.table
            .extend(std::iter::repeat_n(UNKNOWN, self.class_char.len()));
        self.index.insert(set.clone(), i);
        self.sets.push(set);
        i
    }

    fn step(&mut self, st: u32, c: char) -> u32 {
        let class = self.class(c);
        let slot = st as usize * self.class_char.len() + class;
        match self.table.get(slot).copied() {
            Some(to) if to != UNKNOWN => to,
            _ => {
                // Class 0 stands for any character the glob does not
                // mention (the one met first is as good as any).
                let ch = if class == 0 {
                    c
                } else {
                    self.class_char.get(class).copied().unwrap_or(c)
                };
                let set = self
                    .sets
                    .get(st as usize)
                    .map(|s| self.glob.step(s, ch))
                    .unwrap_or_default();
                let to = if set.is_empty() {
                    DEAD
                } else {
                    self.intern(set)
                };
                if let Some(t) = self.table.get_mut(slot) {
                    *t = to;
                }
                to
            }
        }
    }
}

/// One union of globs, determinized on demand over the globs' own DFAs: a
/// state is a set of `(glob, glob state)` pairs, numbered as met.
struct Dfa<'g> {
    parts: Vec<GlobDfa<'g>>,
    /// The union's literal globs (no wildcard), as one trie: a state's
    /// pair `(TRIE, node)` stands for all of them.
    trie: Trie,
    sets: Vec<Vec<(u32, u32)>>,
    index: FxMap<Vec<(u32, u32)>, u32>,
    /// Size of the alphabet: the table has one row of that many per state.
    width: usize,
    table: Vec<u32>,
    accepting: Vec<bool>,
    absorbing: Vec<bool>,
    relevant: Vec<Option<Vec<u16>>>,
}

impl<'g> Dfa<'g> {
    fn new(globs: &[&'g Glob], alphabet: &Alphabet) -> Dfa<'g> {
        // Literals go to a trie when the union agrees on case.
        let uniform = globs.windows(2).all(|w| match w {
            [a, b] => a.ignore_case == b.ignore_case,
            _ => true,
        });
        let mut trie = Trie::new(globs.first().is_some_and(|g| g.ignore_case));
        let mut parts: Vec<GlobDfa<'g>> = Vec::new();
        for g in globs {
            let literal = g.toks.iter().all(|t| matches!(t, Tok::Char(_)));
            if uniform && literal {
                trie.insert(&g.toks);
            } else {
                parts.push(GlobDfa::new(g));
            }
        }
        let mut start: Vec<(u32, u32)> = (0..parts.len() as u32).map(|k| (k, 0)).collect();
        if trie.len() > 1 || trie.terminal(0) {
            start.push((TRIE, 0));
        }
        let mut dfa = Dfa {
            parts,
            trie,
            sets: Vec::new(),
            index: FxMap::default(),
            width: alphabet.chars.len(),
            table: Vec::new(),
            accepting: Vec::new(),
            absorbing: Vec::new(),
            relevant: Vec::new(),
        };
        dfa.intern(start);
        dfa
    }

    fn intern(&mut self, set: Vec<(u32, u32)>) -> u32 {
        if let Some(&i) = self.index.get(&set) {
            return i;
        }
        let i = self.sets.len() as u32;
        let mut accepting = false;
        let mut absorbing = false;
        for &(k, gs) in &set {
            if k == TRIE {
                accepting |= self.trie.terminal(gs);
            } else if let Some(p) = self.parts.get(k as usize) {
                accepting |= p.accepting.get(gs as usize).copied().unwrap_or(false);
                absorbing |= p.absorbing.get(gs as usize).copied().unwrap_or(false);
            }
        }
        self.accepting.push(accepting || absorbing);
        self.absorbing.push(absorbing);
        self.table.extend(std::iter::repeat_n(UNKNOWN, self.width));
        self.relevant.push(None);
        self.index.insert(set.clone(), i);
        self.sets.push(set);
        i
    }

    fn accepting(&self, st: u32) -> bool {
        self.accepting.get(st as usize).copied().unwrap_or(false)
    }

    fn absorbing(&self, st: u32) -> bool {
        self.absorbing.get(st as usize).copied().unwrap_or(false)
    }

    fn step(&mut self, st: u32, c: u16, alphabet: &Alphabet) -> Option<u32> {
        let slot = st as usize * self.width + c as usize;
        let cached = self.table.get(slot).copied().unwrap_or(UNKNOWN);
        let next = if cached == UNKNOWN {
            let rep = alphabet
                .chars
                .get(c as usize)
                .copied()
                .unwrap_or('\u{e000}');
            let cur = self.sets.get(st as usize).cloned().unwrap_or_default();
            let mut set: Vec<(u32, u32)> = Vec::with_capacity(cur.len());
            for (k, gs) in cur {
                if k == TRIE {
                    if let Some(child) = self.trie.child(gs, rep) {
                        set.push((TRIE, child));
                    }
                } else if let Some(p) = self.parts.get_mut(k as usize) {
                    let to = p.step(gs, rep);
                    if to != DEAD {
                        set.push((k, to));
                    }
                }
            }
            let to = if set.is_empty() {
                DEAD
            } else {
                self.intern(set)
            };
            if let Some(t) = self.table.get_mut(slot) {
                *t = to;
            }
            to
        } else {
            cached
        };
        (next != DEAD).then_some(next)
    }

    /// Alphabet characters that the positions of `st` expect.
    fn relevant(&mut self, st: u32, alphabet: &Alphabet) -> &[u16] {
        let i = st as usize;
        if self.relevant.get(i).is_some_and(Option::is_none) {
            let mut out: Vec<char> = Vec::new();
            if let Some(set) = self.sets.get(i) {
                for &(k, gs) in set {
                    if k == TRIE {
                        self.trie.relevant(gs, &mut out);
                    } else if let Some(p) = self.parts.get(k as usize)
                        && let Some(positions) = p.sets.get(gs as usize)
                    {
                        p.glob.relevant(positions, &mut out);
                    }
                }
            }
            out.sort_unstable();
            out.dedup();
            let idx: Vec<u16> = out
                .iter()
                .filter_map(|c| alphabet.chars.binary_search(c).ok())
                .map(|i| i as u16)
                .collect();
            if let Some(slot) = self.relevant.get_mut(i) {
                *slot = Some(idx);
            }
        }
        self.relevant
            .get(i)
            .and_then(Option::as_deref)
            .unwrap_or(&[])
    }
}

/// The pair index that marks a trie node in a union state (sorts last).
const TRIE: u32 = u32::MAX;

/// Literal strings as a trie; children sorted by character.
struct Trie {
    ignore_case: bool,
    children: Vec<Vec<(char, u32)>>,
    terminal: Vec<bool>,
}

impl Trie {
    fn new(ignore_case: bool) -> Trie {
        Trie {
            ignore_case,
            children: vec![Vec::new()],
            terminal: vec![false],
        }
    }

    fn len(&self) -> usize {
        self.children.len()
    }

    fn insert(&mut self, toks: &[Tok]) {
        let mut node = 0usize;
        for t in toks {
            let Tok::Char(c) = t else { return };
            let c = if self.ignore_case { fold(*c) } else { *c };
            let found = self
                .children
                .get(node)
                .and_then(|ch| {
                    ch.binary_search_by(|(x, _)| x.cmp(&c))
                        .ok()
                        .and_then(|i| ch.get(i))
                })
                .map(|(_, n)| *n as usize);
            node = match found {
                Some(n) => n,
                None => {
                    let n = self.children.len();
                    self.children.push(Vec::new());
                    self.terminal.push(false);
                    if let Some(ch) = self.children.get_mut(node) {
                        let at = ch.partition_point(|(x, _)| *x < c);
                        ch.insert(at, (c, n as u32));
                    }
                    n
                }
            };
        }
        if let Some(t) = self.terminal.get_mut(node) {
            *t = true;
        }
    }

    fn terminal(&self, node: u32) -> bool {
        self.terminal.get(node as usize).copied().unwrap_or(false)
    }

    fn child(&self, node: u32, c: char) -> Option<u32> {
        let c = if self.ignore_case { fold(c) } else { c };
        let ch = self.children.get(node as usize)?;
        ch.binary_search_by(|(x, _)| x.cmp(&c))
            .ok()
            .and_then(|i| ch.get(i))
            .map(|(_, n)| *n)
    }

    fn relevant(&self, node: u32, out: &mut Vec<char>) {
        for (c, _) in self.children.get(node as usize).into_iter().flatten() {
            out.push(*c);
            if self.ignore_case {
                out.extend(variants(*c));
            }
        }
    }
}

/// A fast hasher for the exploration's maps (FxHash, as rustc uses):
/// keys are short integer vectors, never attacker-chosen in a way that
/// matters here.
#[derive(Default, Clone, Copy)]
pub(crate) struct FxHasher(u64);

impl std::hash::Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut buf = [0u8; 8];
            if let Some(dst) = buf.get_mut(..chunk.len()) {
                dst.copy_from_slice(chunk);
            }
            self.add(u64::from_le_bytes(buf));
        }
    }

    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        // Bring the well-mixed high bits down: hash tables index by the
        // low bits.
        self.0.rotate_left(26)
    }
}

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

pub(crate) type FxMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<FxHasher>>;
