//! Every action named in the `Action` or `NotAction` of any stored version of
//! any AWS managed policy resolves in the catalog exactly when the source
//! package knows it, and every wildcard pattern expands to exactly the actions
//! IAM's full-string match selects. Names unknown to the catalog (AWS has
//! removed some actions that old policy versions still name) are reported in
//! the test output, not treated as failures.

#[cfg(test)]
mod support;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use serde_json::Value;
use warden_catalog::Catalog;
use warden_policy::glob::{glob_match_ignore_case, has_wildcard};

/// Action strings of one document's `Action` and `NotAction` elements.
fn document_actions(document: &Value, out: &mut BTreeSet<String>) {
    let statements = match &document["Statement"] {
        Value::Array(items) => items.iter().collect(),
        single @ Value::Object(_) => vec![single],
        _ => Vec::new(),
    };
    for statement in statements {
        for element in ["Action", "NotAction"] {
            match &statement[element] {
                Value::String(s) => {
                    out.insert(s.clone());
                }
                Value::Array(items) => {
                    out.extend(items.iter().filter_map(Value::as_str).map(str::to_owned));
                }
                _ => {}
            }
        }
    }
}

/// IAM ignores blanks around the `:` (`lambda:ListFunctions `, `amplifybackend: *`).
fn normalize(name: &str) -> String {
    match name.split_once(':') {
        Some((service, action)) => format!("{}:{}", service.trim(), action.trim()),
        None => name.trim().to_owned(),
    }
}

#[test]
fn managed_policy_actions_resolve_and_patterns_expand() {
    let corpus = warden_testdata::managed_policies().unwrap();
    let mut written = BTreeSet::new();
    for policy in &corpus {
        for (_, text) in &policy.versions {
            let document: Value = serde_json::from_str(text).unwrap();
            document_actions(&document, &mut written);
        }
    }
    let source = support::Source::load();
    let known_names = source.action_names();
    let known: HashSet<&str> = known_names.iter().map(String::as_str).collect();
    // The definition of a pattern's expansion is a match against every known
    // name; bucketing names by first letter only skips names that cannot match.
    let mut by_first: HashMap<u8, Vec<&str>> = HashMap::new();
    for name in &known_names {
        by_first.entry(name.as_bytes()[0]).or_default().push(name);
    }
    let catalog = Catalog::get();

    let (mut names, mut patterns, mut trimmed) = (0, 0, 0);
    let mut unknown: BTreeMap<String, usize> = BTreeMap::new();
    let mut empty_patterns = Vec::new();
    for original in &written {
        let name = normalize(original);
        trimmed += usize::from(name != *original);
        if has_wildcard(&name) {
            patterns += 1;
            let expanded: Vec<String> = catalog
                .expand(&name)
                .iter()
                .map(|a| a.to_string().to_ascii_lowercase())
                .collect();
            let first = name.as_bytes()[0].to_ascii_lowercase();
            let candidates: Vec<&str> = if first == b'*' || first == b'?' {
                known_names.iter().map(String::as_str).collect()
            } else {
                by_first.get(&first).cloned().unwrap_or_default()
            };
            let expected: Vec<&str> = candidates
                .into_iter()
                .filter(|full| glob_match_ignore_case(&name, full))
                .collect();
            let expanded_set: BTreeSet<&str> = expanded.iter().map(String::as_str).collect();
            let expected_set: BTreeSet<&str> = expected.iter().copied().collect();
            assert_eq!(expanded_set, expected_set, "expansion of `{name}`");
            assert_eq!(
                expanded.len(),
                expanded_set.len(),
                "`{name}` expands without duplicates"
            );
            if expanded.is_empty() {
                empty_patterns.push(name);
            }
        } else {
            names += 1;
            let resolved = catalog.action(&name);
            let in_source = known.contains(name.to_ascii_lowercase().as_str());
            assert_eq!(resolved.is_some(), in_source, "`{name}`");
            match resolved {
                Some(action) => assert!(action.to_string().eq_ignore_ascii_case(&name)),
                None => {
                    let service = name.split_once(':').map_or("", |(s, _)| s);
                    *unknown.entry(service.to_owned()).or_default() += 1;
                    if unknown.values().sum::<usize>() <= 12 {
                        let suggestions: Vec<String> = catalog
                            .suggest(&name)
                            .iter()
                            .map(|a| a.to_string())
                            .collect();
                        eprintln!("  unknown: {name}  (did you mean: {suggestions:?})");
                    }
                }
            }
        }
    }
    let unknown_total: usize = unknown.values().sum();
    eprintln!(
        "managed policies: {} policies, {} distinct Action/NotAction strings ({trimmed} with \
         blanks around `:`): {names} names, {patterns} wildcard patterns",
        corpus.len(),
        written.len()
    );
    eprintln!(
        "names unknown to the catalog (data date {}): {unknown_total} of {names}, in {} services; \
         most: {:?}",
        warden_catalog::DATA_DATE,
        unknown.len(),
        {
            let mut by_count: Vec<(&String, &usize)> = unknown.iter().collect();
            by_count.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
            by_count.into_iter().take(8).collect::<Vec<_>>()
        }
    );
    eprintln!(
        "wildcard patterns matching no known action: {} of {patterns}, e.g. {:?}",
        empty_patterns.len(),
        empty_patterns.iter().take(8).collect::<Vec<_>>()
    );
    assert!(names > 10_000 && patterns > 1_000, "the corpus was read");
    assert!(
        unknown_total * 20 < names,
        "at most 5% unknown: {unknown_total}"
    );
}
