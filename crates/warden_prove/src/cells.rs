//! Cells of the string dimension.
//!
//! Each glob compiles to a position NFA (a character, `?`, or `*`, the
//! wildcards optionally barred from matching `:` to follow AWS's ARN segment
//! rule). The product of all the NFAs is explored breadth-first over a
//! finite alphabet: every character that occurs literally in a pattern (in
//! both cases when matching ignores case), `:`, and one character that
//! occurs nowhere. Characters outside that alphabet behave exactly like the
//! fresh one, so the exploration reaches every combination any string can
//! produce, and the first string to reach each combination is a shortest
//! witness of it.

use std::collections::{HashSet, VecDeque};

/// A glob to partition strings by.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GlobSpec {
    /// The pattern: `*` any run, `?` one character, anything else literal.
    pub pattern: String,
    /// Compare ignoring ASCII case (actions).
    pub ignore_case: bool,
    /// Wildcards may not match `:` (set for ARN segments where AWS bars
    /// them; the caller decides per pattern).
    pub no_colon: bool,
}

/// One cell: the patterns that match its strings, and a shortest string.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cell {
    /// `matches[i]`: pattern `i` matches every string of the cell.
    pub matches: Vec<bool>,
    /// A shortest string of the cell.
    pub witness: String,
}

/// The exploration visited more product states than allowed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Exceeded {
    /// The limit that was reached.
    pub limit: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tok {
    Char(char),
    One,
    Star,
}

struct Nfa {
    toks: Vec<Tok>,
    ignore_case: bool,
    no_colon: bool,
}

impl Nfa {
    fn new(spec: &GlobSpec) -> Nfa {
        let toks = spec
            .pattern
            .chars()
            .map(|c| match c {
                '*' => Tok::Star,
                '?' => Tok::One,
                c if spec.ignore_case => Tok::Char(c.to_ascii_lowercase()),
                c => Tok::Char(c),
            })
            .collect();
        Nfa {
            toks,
            ignore_case: spec.ignore_case,
            no_colon: spec.no_colon,
        }
    }

    /// Positions reachable from `positions` by skipping stars (a star may
    /// match nothing).
    fn close(&self, positions: &mut Vec<usize>) {
        let mut i = 0;
        while let Some(&p) = positions.get(i) {
            if let Some(Tok::Star) = self.toks.get(p)
                && !positions.contains(&(p + 1))
            {
                positions.push(p + 1);
            }
            i += 1;
        }
        positions.sort_unstable();
        positions.dedup();
    }

    fn start(&self) -> Vec<usize> {
        let mut s = vec![0];
        self.close(&mut s);
        s
    }

    fn step(&self, positions: &[usize], c: char) -> Vec<usize> {
        let c = if self.ignore_case {
            c.to_ascii_lowercase()
        } else {
            c
        };
        let wild_ok = !(self.no_colon && c == ':');
        let mut next = Vec::new();
        for &p in positions {
            match self.toks.get(p) {
                Some(Tok::Char(x)) if *x == c => next.push(p + 1),
                Some(Tok::One) if wild_ok => next.push(p + 1),
                Some(Tok::Star) if wild_ok => next.push(p),
                _ => {}
            }
        }
        self.close(&mut next);
        next
    }

    fn accepts(&self, positions: &[usize]) -> bool {
        positions.contains(&self.toks.len())
    }
}

/// Every combination of matching patterns that some string produces, each
/// with a shortest witness, in order of witness length. Explores at most
/// `limit` product states.
pub fn string_cells(specs: &[GlobSpec], limit: usize) -> Result<Vec<Cell>, Exceeded> {
    let nfas: Vec<Nfa> = specs.iter().map(Nfa::new).collect();
    let alphabet = alphabet(specs);
    let start: Vec<Vec<usize>> = nfas.iter().map(Nfa::start).collect();
    let mut seen: HashSet<Vec<Vec<usize>>> = HashSet::new();
    let mut cells: Vec<Cell> = Vec::new();
    let mut found: HashSet<Vec<bool>> = HashSet::new();
    let mut queue: VecDeque<(Vec<Vec<usize>>, String)> = VecDeque::new();
    seen.insert(start.clone());
    queue.push_back((start, String::new()));
    while let Some((state, word)) = queue.pop_front() {
        let matches: Vec<bool> = nfas.iter().zip(&state).map(|(n, s)| n.accepts(s)).collect();
        if found.insert(matches.clone()) {
            cells.push(Cell {
                matches,
                witness: word.clone(),
            });
        }
        for &c in &alphabet {
            let next: Vec<Vec<usize>> =
                nfas.iter().zip(&state).map(|(n, s)| n.step(s, c)).collect();
            if seen.contains(&next) {
                continue;
            }
            if seen.len() >= limit {
                return Err(Exceeded { limit });
            }
            seen.insert(next.clone());
            let mut w = word.clone();
            w.push(c);
            queue.push_back((next, w));
        }
    }
    Ok(cells)
}

/// The characters that can behave differently: the literals of every
/// pattern (both cases where case is ignored), `:`, and one fresh
/// character standing for all the others.
fn alphabet(specs: &[GlobSpec]) -> Vec<char> {
    let mut chars: Vec<char> = vec![':'];
    for spec in specs {
        for c in spec.pattern.chars().filter(|c| *c != '*' && *c != '?') {
            chars.push(c);
            if spec.ignore_case {
                chars.push(c.to_ascii_lowercase());
                chars.push(c.to_ascii_uppercase());
            }
        }
    }
    let fresh = ('a'..='z')
        .chain('0'..='9')
        .chain(std::iter::once('~'))
        .find(|c| !chars.contains(c) && !chars.contains(&c.to_ascii_uppercase()))
        .unwrap_or('\u{e000}');
    chars.push(fresh);
    chars.sort_unstable();
    chars.dedup();
    chars
}

#[cfg(test)]
mod tests {
    use super::*;
    use warden_policy::glob::{glob_match, glob_match_ignore_case};

    fn spec(p: &str, ignore_case: bool) -> GlobSpec {
        GlobSpec {
            pattern: p.to_string(),
            ignore_case,
            no_colon: false,
        }
    }

    fn matches(s: &GlobSpec, text: &str) -> bool {
        if s.ignore_case {
            glob_match_ignore_case(&s.pattern, text)
        } else {
            glob_match(&s.pattern, text)
        }
    }

    #[test]
    fn actions_partition() {
        let specs = [
            spec("s3:Get*", true),
            spec("s3:*Object", true),
            spec("*", true),
        ];
        let cells = string_cells(&specs, 10_000).unwrap();
        // {*}, {*, Get*}, {*, *Object}, {*, Get*, *Object}
        assert_eq!(cells.len(), 4);
        for c in &cells {
            for (s, &m) in specs.iter().zip(&c.matches) {
                assert_eq!(matches(s, &c.witness), m, "{c:?}");
            }
        }
        assert!(cells.iter().any(
            |c| c.matches == vec![true, true, true] && c.witness.len() == "s3:getobject".len()
        ));
    }

    #[test]
    fn colon_rule() {
        let specs = [GlobSpec {
            pattern: "a*b".into(),
            ignore_case: false,
            no_colon: true,
        }];
        let cells = string_cells(&specs, 1000).unwrap();
        let yes = cells.iter().find(|c| c.matches == vec![true]).unwrap();
        assert_eq!(yes.witness, "ab");
        // "a:b" is not matched: there is no witness containing a colon in the yes-cell.
        assert!(!yes.witness.contains(':'));
    }

    #[test]
    fn limit_is_reported() {
        let specs: Vec<GlobSpec> = (0..12).map(|i| spec(&format!("*{i}*"), false)).collect();
        assert_eq!(string_cells(&specs, 50), Err(Exceeded { limit: 50 }));
    }
}
