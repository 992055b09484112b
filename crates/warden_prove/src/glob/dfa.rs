//! The automata behind [`super::explore_unions`]: the alphabet of one
//! exploration, each glob determinized on demand, each union of globs
//! determinized over its globs' automata, and literal globs as a trie.

use warden_ir::pattern::{Atom, variants};

use super::{FILLERS, FxMap, Glob, fold};

/// The characters that can matter, numbered: every literal of every glob
/// (both cases where a glob ignores case), `:`, and readable fillers.
pub(super) struct Alphabet {
    pub(super) chars: Vec<char>,
    /// Indices of filler characters, in preference order.
    pub(super) fillers: Vec<u16>,
}

impl Alphabet {
    pub(super) fn new(globs: &[&Glob], forbid: &[char]) -> Alphabet {
        let mut chars: Vec<char> = vec![':'];
        for g in globs {
            for t in g.atoms() {
                if let Atom::Char(c) = t {
                    chars.push(*c);
                    if g.ignore_case() {
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
            .atoms()
            .iter()
            .filter_map(|t| match t {
                Atom::Char(c) if *c != ':' => Some(*c),
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
        let folded = if self.glob.ignore_case() { fold(c) } else { c };
        self.lits.binary_search(&folded).map_or(0, |p| p + 2)
    }

    fn intern(&mut self, set: Vec<u32>) -> u32 {
        if let Some(&i) = self.index.get(&set) {
            return i;
        }
        let i = self.sets.len() as u32;
        let len = self.glob.atoms().len();
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
pub(super) struct Dfa<'g> {
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
    pub(super) fn new(globs: &[&'g Glob], alphabet: &Alphabet) -> Dfa<'g> {
        // Literals go to a trie when the union agrees on case.
        let uniform = globs.windows(2).all(|w| match w {
            [a, b] => a.ignore_case() == b.ignore_case(),
            _ => true,
        });
        let mut trie = Trie::new(globs.first().is_some_and(|g| g.ignore_case()));
        let mut parts: Vec<GlobDfa<'g>> = Vec::new();
        for g in globs {
            let literal = g.atoms().iter().all(|t| matches!(t, Atom::Char(_)));
            if uniform && literal {
                trie.insert(g.atoms());
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

    pub(super) fn accepting(&self, st: u32) -> bool {
        self.accepting.get(st as usize).copied().unwrap_or(false)
    }

    pub(super) fn absorbing(&self, st: u32) -> bool {
        self.absorbing.get(st as usize).copied().unwrap_or(false)
    }

    pub(super) fn step(&mut self, st: u32, c: u16, alphabet: &Alphabet) -> Option<u32> {
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
    pub(super) fn relevant(&mut self, st: u32, alphabet: &Alphabet) -> &[u16] {
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

    fn insert(&mut self, toks: &[Atom]) {
        let mut node = 0usize;
        for t in toks {
            let Atom::Char(c) = t else { return };
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
