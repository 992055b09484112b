//! Every rule, in code order. Adding a rule: write `rules/<category>/<name>.rs`,
//! list it in its category's `RULES` (in `rules/<category>/mod.rs`), add
//! fixtures under `testdata/lint/<CODE>/` and run the tests to create its
//! snapshot.

use std::sync::OnceLock;

use crate::rule::Rule;
use crate::rules::{error, security, suggestion, warning};

/// Every rule, sorted by code.
pub fn all() -> &'static [&'static dyn Rule] {
    static ALL: OnceLock<Vec<&'static dyn Rule>> = OnceLock::new();
    ALL.get_or_init(|| {
        let mut v: Vec<&'static dyn Rule> = [
            error::RULES,
            security::RULES,
            warning::RULES,
            suggestion::RULES,
        ]
        .concat();
        v.sort_by_key(|r| r.meta().code);
        v
    })
}

/// The rule with this code or name.
pub fn find(code_or_name: &str) -> Option<&'static dyn Rule> {
    all().iter().copied().find(|r| {
        r.meta().code.eq_ignore_ascii_case(code_or_name)
            || r.meta().name.eq_ignore_ascii_case(code_or_name)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_names_are_unique_and_well_formed() {
        let mut seen = std::collections::HashSet::new();
        for r in all() {
            let m = r.meta();
            assert!(seen.insert(m.code), "duplicate code {}", m.code);
            assert!(seen.insert(m.name), "duplicate name {}", m.name);
            let prefix = match m.category {
                crate::Category::Error => 'E',
                crate::Category::Security => 'S',
                crate::Category::Warning => 'W',
                crate::Category::Suggestion => 'H',
            };
            assert!(
                m.code.starts_with(prefix) && m.code.len() == 4,
                "{}",
                m.code
            );
            assert!(
                m.name.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'),
                "{}",
                m.name
            );
            for section in [
                m.summary,
                m.what_it_does,
                m.why_bad,
                m.example,
                m.use_instead,
            ] {
                assert!(
                    !section.trim().is_empty(),
                    "{}: empty documentation section",
                    m.code
                );
            }
        }
    }
}
