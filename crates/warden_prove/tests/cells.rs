//! Properties of the string cells: every witness lands in its cell
//! (soundness) and every string's combination of matching patterns is one
//! of the cells (completeness), against an independent reference matcher.
#![allow(
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]

use proptest::prelude::*;
use warden_prove::{GlobSpec, string_cells};

/// Reference: recursive glob matching with the optional colon rule.
fn reference(p: &[char], t: &[char], ignore_case: bool, no_colon: bool) -> bool {
    let eq = |a: char, b: char| {
        if ignore_case {
            a.eq_ignore_ascii_case(&b)
        } else {
            a == b
        }
    };
    match p.split_first() {
        None => t.is_empty(),
        Some(('*', rest)) => (0..=t.len())
            .take_while(|&k| k == 0 || !(no_colon && t[k - 1] == ':'))
            .any(|k| reference(rest, &t[k..], ignore_case, no_colon)),
        Some(('?', rest)) => t.split_first().is_some_and(|(c, tr)| {
            !(no_colon && *c == ':') && reference(rest, tr, ignore_case, no_colon)
        }),
        Some((c, rest)) => t
            .split_first()
            .is_some_and(|(x, tr)| eq(*c, *x) && reference(rest, tr, ignore_case, no_colon)),
    }
}

fn matches(s: &GlobSpec, text: &str) -> bool {
    let p: Vec<char> = s.pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    reference(&p, &t, s.ignore_case, s.no_colon)
}

fn spec() -> impl Strategy<Value = GlobSpec> {
    ("[abAB:*?]{0,6}", any::<bool>(), any::<bool>()).prop_map(|(pattern, ignore_case, no_colon)| {
        GlobSpec {
            pattern,
            ignore_case,
            no_colon,
        }
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn cells_are_sound_and_complete(specs in prop::collection::vec(spec(), 1..5), probes in prop::collection::vec("[abABcz:]{0,8}", 0..20)) {
        let cells = string_cells(&specs, 100_000).expect("small patterns fit");
        for cell in &cells {
            let got: Vec<bool> = specs.iter().map(|s| matches(s, &cell.witness)).collect();
            prop_assert_eq!(&got, &cell.matches, "witness {:?}", cell.witness);
        }
        for probe in &probes {
            let got: Vec<bool> = specs.iter().map(|s| matches(s, probe)).collect();
            prop_assert!(cells.iter().any(|c| c.matches == got), "{:?} gives {:?}, not a cell", probe, got);
        }
    }
}
