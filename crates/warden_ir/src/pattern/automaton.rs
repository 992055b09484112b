//! The position automaton of a pattern: what the prover explores and what
//! containment is decided on.
//!
//! A pattern with its variables substituted is a list of [`Atom`]s: a
//! literal character, `?`, or `*`, each wildcard either allowed or barred
//! from matching `:` (decided by [`super::Tokens::compile`]). A state is
//! the set of positions the input can have reached. At any state only a few
//! characters behave differently ([`Automaton::relevant`]): the literal
//! characters the positions expect (both cases where the pattern ignores
//! case), `:` when a live wildcard is barred from it; every other character
//! moves the automaton the same way.

/// One unit of a pattern whose variables are substituted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Atom {
    /// A literal character (lowercase when the automaton ignores case).
    Char(char),
    /// `?`; `colon`: may match `:`.
    One {
        /// Whether the character may be `:`.
        colon: bool,
    },
    /// `*`; `colon`: may match `:`.
    Star {
        /// Whether the run may include `:`.
        colon: bool,
    },
}

/// A compiled pattern as a position automaton (a non-deterministic one:
/// states are sorted sets of positions).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Automaton {
    atoms: Vec<Atom>,
    ignore_case: bool,
}

impl Automaton {
    /// An automaton from atoms (characters folded here when ignoring case).
    pub fn new(atoms: Vec<Atom>, ignore_case: bool) -> Automaton {
        let atoms = atoms
            .into_iter()
            .map(|t| match t {
                Atom::Char(c) if ignore_case => Atom::Char(fold(c)),
                t => t,
            })
            .collect();
        Automaton { atoms, ignore_case }
    }

    /// Exactly `text`.
    pub fn literal(text: &str, ignore_case: bool) -> Automaton {
        Automaton::new(text.chars().map(Atom::Char).collect(), ignore_case)
    }

    /// `*` any run and `?` one character, both matching anything.
    pub fn wildcard(text: &str, ignore_case: bool) -> Automaton {
        Automaton::new(
            text.chars()
                .map(|c| match c {
                    '*' => Atom::Star { colon: true },
                    '?' => Atom::One { colon: true },
                    c => Atom::Char(c),
                })
                .collect(),
            ignore_case,
        )
    }

    /// The atoms (characters folded when ignoring case).
    pub fn atoms(&self) -> &[Atom] {
        &self.atoms
    }

    /// Whether characters compare ignoring case.
    pub fn ignore_case(&self) -> bool {
        self.ignore_case
    }

    /// The first position from which only `*`s that may match anything
    /// remain: the automaton there accepts every continuation
    /// (`usize::MAX` when there is none).
    pub fn absorbing_from(&self) -> usize {
        let tail = self
            .atoms
            .iter()
            .rev()
            .take_while(|t| **t == Atom::Star { colon: true })
            .count();
        if tail == 0 {
            usize::MAX
        } else {
            self.atoms.len() - tail
        }
    }

    /// Whether the state accepts every continuation.
    pub fn absorbing(&self, positions: &[u32]) -> bool {
        let from = self.absorbing_from();
        positions
            .iter()
            .any(|&p| p as usize >= from && (p as usize) < self.atoms.len())
    }

    /// Whether the automaton matches `text`.
    pub fn matches(&self, text: &str) -> bool {
        let mut state = self.start();
        for c in text.chars() {
            state = self.step(&state, c);
            if state.is_empty() {
                return false;
            }
        }
        self.accepts(&state)
    }

    /// Adds the positions a `*` may skip to.
    fn close(&self, positions: &mut Vec<u32>) {
        let mut i = 0;
        while let Some(&p) = positions.get(i) {
            if let Some(Atom::Star { .. }) = self.atoms.get(p as usize)
                && !positions.contains(&(p + 1))
            {
                positions.push(p + 1);
            }
            i += 1;
        }
        positions.sort_unstable();
        positions.dedup();
    }

    /// The start state.
    pub fn start(&self) -> Vec<u32> {
        let mut s = vec![0];
        self.close(&mut s);
        s
    }

    /// The state after reading `c` in state `positions` (empty: dead).
    pub fn step(&self, positions: &[u32], c: char) -> Vec<u32> {
        let c = if self.ignore_case { fold(c) } else { c };
        let mut next = Vec::new();
        for &p in positions {
            match self.atoms.get(p as usize) {
                Some(Atom::Char(x)) if *x == c => next.push(p + 1),
                Some(Atom::One { colon }) if *colon || c != ':' => next.push(p + 1),
                Some(Atom::Star { colon }) if *colon || c != ':' => next.push(p),
                _ => {}
            }
        }
        self.close(&mut next);
        next
    }

    /// Whether the state accepts (the input so far matches).
    pub fn accepts(&self, positions: &[u32]) -> bool {
        positions.contains(&(self.atoms.len() as u32))
    }

    /// Adds the characters that move this automaton differently from "any
    /// other character" at `positions`.
    pub fn relevant(&self, positions: &[u32], out: &mut Vec<char>) {
        for &p in positions {
            match self.atoms.get(p as usize) {
                Some(Atom::Char(c)) => {
                    out.push(*c);
                    if self.ignore_case {
                        out.extend(variants(*c));
                    }
                }
                Some(Atom::One { colon: false } | Atom::Star { colon: false }) => out.push(':'),
                _ => {}
            }
        }
    }
}

/// A character as comparisons that ignore case see it: lowercase (the
/// evaluator lowercases non-ASCII text with Unicode rules; a character
/// whose lowercase is several characters is kept as is).
pub fn fold(c: char) -> char {
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
pub fn variants(c: char) -> impl Iterator<Item = char> {
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
pub const FILLERS: &str = "xyzqjkwvabcdefghilmnoprstu0123456789-_";
