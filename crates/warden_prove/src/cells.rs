//! Cells of the string dimension.
//!
//! A public face of [`crate::glob`] for plain `*`/`?` patterns, used by
//! property tests against the reference matcher.

use warden_ir::pattern::Atom;

use crate::budget::Budget;
use crate::glob::{Glob, explore};

/// The exploration visited more product states than allowed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Exceeded {
    /// The limit that was reached.
    pub limit: usize,
}

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

/// Every combination of matching patterns that some string produces, each
/// with a shortest witness, in order of witness length. Explores at most
/// `limit` product states.
pub fn string_cells(specs: &[GlobSpec], limit: usize) -> Result<Vec<Cell>, Exceeded> {
    let globs: Vec<Glob> = specs
        .iter()
        .map(|s| {
            let colon = !s.no_colon;
            Glob::new(
                s.pattern
                    .chars()
                    .map(|c| match c {
                        '*' => Atom::Star { colon },
                        '?' => Atom::One { colon },
                        c => Atom::Char(c),
                    })
                    .collect(),
                s.ignore_case,
            )
        })
        .collect();
    // Without a deadline only the state limit stops an exploration.
    let found =
        explore(&globs, &[], false, &Budget::states_only(limit)).map_err(|_| Exceeded { limit })?;
    Ok(found
        .into_iter()
        .map(|f| Cell {
            matches: (0..specs.len()).map(|i| f.matches.contains(i)).collect(),
            witness: f.witness,
        })
        .collect())
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
