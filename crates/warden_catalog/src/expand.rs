//! Wildcard expansion: the exact set of known actions an `Action` or
//! `NotAction` pattern matches.
//!
//! IAM matches a pattern against the whole `service:Action` string, with `*`
//! and `?` free to match anything, ignoring case. Action names never contain
//! `:` and neither do service prefixes, so a pattern with one `:` splits
//! exactly: its left side must match the prefix and its right side the name.
//! The service side is matched against the 456 prefixes first, and names only
//! within the matching services. Because records are sorted by lower-cased
//! name, the literal text before a pattern's first wildcard (`Get` in
//! `Get*Policy`) narrows each side to a contiguous range by binary search
//! before any wildcard matching, which makes `s3:Get*` and `*:List*` cheap.

use std::ops::Range;

use warden_policy::glob::{glob_match_ignore_case, has_wildcard};

use crate::action::Action;
use crate::catalog::{Catalog, index_u32};

impl Catalog {
    /// The actions `pattern` matches, in catalog order (service prefix, then
    /// name): `s3:Get*`, `s3:*Object*`, `*:List*`, `*`. Case is ignored. A
    /// name without wildcards yields that action, if it exists.
    pub fn expand(&self, pattern: &str) -> Vec<Action<'_>> {
        let mut out = Vec::new();
        self.for_each_match(pattern, &mut |id| out.push(Action::new(self, id)));
        out
    }

    /// The actions any of `patterns` matches, in catalog order, each once:
    /// what an `Action` list grants.
    pub fn expand_any<'p>(&self, patterns: impl IntoIterator<Item = &'p str>) -> Vec<Action<'_>> {
        let marked = self.mark(patterns);
        self.collect_marked(&marked, true)
    }

    /// The actions none of `patterns` matches, in catalog order: what a
    /// `NotAction` list grants.
    pub fn expand_not<'p>(&self, patterns: impl IntoIterator<Item = &'p str>) -> Vec<Action<'_>> {
        let marked = self.mark(patterns);
        self.collect_marked(&marked, false)
    }

    fn mark<'p>(&self, patterns: impl IntoIterator<Item = &'p str>) -> Vec<bool> {
        let mut marked = vec![false; self.actions.len()];
        for pattern in patterns {
            self.for_each_match(pattern, &mut |id| {
                if let Some(slot) = marked.get_mut(id as usize) {
                    *slot = true;
                }
            });
        }
        marked
    }

    fn collect_marked(&self, marked: &[bool], wanted: bool) -> Vec<Action<'_>> {
        marked
            .iter()
            .enumerate()
            .filter(|&(_, &m)| m == wanted)
            .map(|(i, _)| Action::new(self, index_u32(i)))
            .collect()
    }

    /// Calls `f` with the id of every action `pattern` matches, in order.
    fn for_each_match(&self, pattern: &str, f: &mut dyn FnMut(u32)) {
        let Some((service_pattern, action_pattern)) = pattern.split_once(':') else {
            self.for_each_match_without_colon(pattern, f);
            return;
        };
        if action_pattern.contains(':') {
            return; // A second `:` can match nothing: names have one.
        }
        let services = narrow(&self.services, |s| s.prefix, service_pattern);
        for service in self.services.get(services).unwrap_or_default() {
            if !matches_within(service.prefix, service_pattern) {
                continue;
            }
            let all = service.actions.range();
            let offset = all.start;
            let records = self.actions.get(all).unwrap_or_default();
            let range = narrow(records, |a| a.name, action_pattern);
            let start = range.start;
            for (i, record) in records.get(range).unwrap_or_default().iter().enumerate() {
                if matches_within(record.name, action_pattern) {
                    f(index_u32(offset + start + i));
                }
            }
        }
    }

    /// Rare: a pattern such as `s3*` or `*Object`, whose wildcards must also
    /// cover the `:`. Matched against each full name.
    fn for_each_match_without_colon(&self, pattern: &str, f: &mut dyn FnMut(u32)) {
        if !has_wildcard(pattern) {
            return;
        }
        let everything = pattern.bytes().all(|b| b == b'*');
        let mut full = String::new();
        for (i, record) in self.actions.iter().enumerate() {
            let matched = everything || {
                full.clear();
                full.push_str(self.service_record(record.service).prefix);
                full.push(':');
                full.push_str(record.name);
                glob_match_ignore_case(pattern, &full)
            };
            if matched {
                f(index_u32(i));
            }
        }
    }
}

/// The literal text before the first wildcard.
fn literal_prefix(pattern: &str) -> &str {
    let end = pattern.find(['*', '?']).unwrap_or(pattern.len());
    pattern.get(..end).unwrap_or_default()
}

/// The range of `records` (sorted by ASCII-lower-cased name) whose names
/// start with the pattern's literal prefix, ignoring ASCII case.
fn narrow<T>(records: &[T], name: impl Fn(&T) -> &str, pattern: &str) -> Range<usize> {
    let prefix = literal_prefix(pattern);
    if prefix.is_empty() || !prefix.is_ascii() {
        return 0..records.len();
    }
    let lower = prefix.to_ascii_lowercase();
    let start = records.partition_point(|r| {
        let head = name(r).bytes().take(lower.len()).map(|b| b.to_ascii_lowercase());
        head.lt(lower.bytes())
    });
    let len = records
        .get(start..)
        .unwrap_or_default()
        .partition_point(|r| starts_with_ignore_ascii_case(name(r), &lower));
    start..start + len
}

fn starts_with_ignore_ascii_case(text: &str, prefix: &str) -> bool {
    text.as_bytes()
        .get(..prefix.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(prefix.as_bytes()))
}

/// Whether `name`, already known to start with the pattern's literal prefix
/// when that prefix is ASCII, matches the pattern.
fn matches_within(name: &str, pattern: &str) -> bool {
    let prefix = literal_prefix(pattern);
    let rest = pattern.get(prefix.len()..).unwrap_or_default();
    if rest.is_empty() {
        name.eq_ignore_ascii_case(pattern)
    } else if rest == "*" && prefix.is_ascii() {
        true
    } else {
        glob_match_ignore_case(pattern, name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(actions: &[Action<'_>]) -> Vec<String> {
        actions.iter().map(ToString::to_string).collect()
    }

    /// The definition: IAM's full-string match, over every action.
    fn brute_force(catalog: &Catalog, pattern: &str) -> Vec<String> {
        catalog
            .actions()
            .map(|a| a.to_string())
            .filter(|full| glob_match_ignore_case(pattern, full))
            .collect()
    }

    #[test]
    fn matches_the_definition() {
        let catalog = Catalog::get();
        for pattern in [
            "s3:Get*",
            "s3:get*",
            "S3:*Object*",
            "*:List*",
            "*:list*tags*",
            "s3:GetObject",
            "s3:getobject",
            "s3:GetObject?",
            "s3:?etObject",
            "ec2:Describe*",
            "iam:*",
            "iam:*Role*",
            "s3*",
            "*Object",
            "s?:Get*",
            "s3-*:*",
            "*:*Tag*",
            "cloudwatch:Get*Data",
            "s3:",
            ":",
            "s3:Get:Object",
            "no-such-service:*",
            "ec2:*Instance?",
        ] {
            let expanded = names(&catalog.expand(pattern));
            assert_eq!(expanded, brute_force(catalog, pattern), "{pattern}");
        }
    }

    #[test]
    fn everything() {
        let catalog = Catalog::get();
        assert_eq!(catalog.expand("*").len(), catalog.action_count());
        assert_eq!(catalog.expand("*:*").len(), catalog.action_count());
        assert_eq!(catalog.expand("**").len(), catalog.action_count());
        assert_eq!(catalog.expand_not(["*"]).len(), 0);
    }

    #[test]
    fn service_wildcard_counts_its_actions() {
        let catalog = Catalog::get();
        let s3 = catalog.service("s3");
        let s3_actions = s3.map_or(0, |s| s.actions().len());
        assert!(s3_actions > 100);
        assert_eq!(catalog.expand("s3:*").len(), s3_actions);
        let get = catalog.expand("s3:Get*");
        assert!(get.iter().all(|a| a.name().starts_with("Get")));
        assert_eq!(
            get.len(),
            s3.map_or(0, |s| s.actions().filter(|a| a.name().starts_with("Get")).count())
        );
    }

    #[test]
    fn any_and_not_are_complements() {
        let catalog = Catalog::get();
        let patterns = ["s3:*", "iam:Get*", "ec2:DescribeInstances", "s3:GetObject"];
        let any = catalog.expand_any(patterns);
        let not = catalog.expand_not(patterns);
        assert_eq!(any.len() + not.len(), catalog.action_count());
        assert!(any.windows(2).all(|w| matches!(w, [a, b] if a < b)));
        assert!(not.iter().all(|a| !any.contains(a)));
        let s3 = catalog.expand("s3:*").len();
        let iam_get = catalog.expand("iam:Get*").len();
        assert_eq!(any.len(), s3 + iam_get + 1);
    }
}
