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
use crate::catalog::{Catalog, len_u32, partition_point};

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
        // Sorting the matches costs O(m log m); marking a table of every
        // action would cost O(22,091) per statement, however small.
        let mut ids = Vec::new();
        for pattern in patterns {
            self.for_each_match(pattern, &mut |id| ids.push(id));
        }
        ids.sort_unstable();
        ids.dedup();
        ids.into_iter().map(|id| Action::new(self, id)).collect()
    }

    /// The actions none of `patterns` matches, in catalog order: what a
    /// `NotAction` list grants.
    pub fn expand_not<'p>(&self, patterns: impl IntoIterator<Item = &'p str>) -> Vec<Action<'_>> {
        let marked = self.mark(patterns);
        self.collect_marked(&marked, false)
    }

    fn mark<'p>(&self, patterns: impl IntoIterator<Item = &'p str>) -> Vec<bool> {
        let mut marked = vec![false; self.action_count()];
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
            .map(|(i, _)| Action::new(self, len_u32(i)))
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
        let t = &self.tables;
        let (service_part, action_part) = (Part::new(service_pattern), Part::new(action_pattern));
        let all_services = 0..len_u32(t.services.len());
        for service in service_part.narrow(all_services, |id| t.service_prefix(id)) {
            if !service_part.matches(|| t.service_prefix(service)) {
                continue;
            }
            let actions = t.service(service).actions.ids();
            for id in action_part.narrow(actions, |id| t.action_name(id)) {
                if action_part.matches(|| t.action_name(id)) {
                    f(id);
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
        for action in self.actions() {
            let matched = everything || {
                full.clear();
                full.push_str(action.service().prefix());
                full.push(':');
                full.push_str(action.name());
                glob_match_ignore_case(pattern, &full)
            };
            if matched {
                f(action.id().0);
            }
        }
    }
}

/// One side of a `service:Action` pattern, prepared for matching names.
struct Part<'p> {
    pattern: &'p str,
    /// The literal text before the first wildcard, lower-cased, when ASCII.
    prefix: String,
    kind: Kind,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// `*`, `**`: every name.
    Everything,
    /// No wildcard: one name, ignoring case.
    Exact,
    /// ASCII literal text then `*`: every name in the narrowed range.
    PrefixStar,
    /// Anything else: the wildcard matcher decides.
    Glob,
}

impl<'p> Part<'p> {
    fn new(pattern: &'p str) -> Self {
        let end = pattern.find(['*', '?']).unwrap_or(pattern.len());
        let literal = pattern.get(..end).unwrap_or_default();
        let rest = pattern.get(end..).unwrap_or_default();
        let ascii = pattern.is_ascii();
        let kind = if !pattern.is_empty() && pattern.bytes().all(|b| b == b'*') {
            Kind::Everything
        } else if !ascii {
            Kind::Glob
        } else if rest.is_empty() {
            Kind::Exact
        } else if rest == "*" {
            Kind::PrefixStar
        } else {
            Kind::Glob
        };
        Part {
            pattern,
            prefix: if ascii {
                literal.to_ascii_lowercase()
            } else {
                String::new()
            },
            kind,
        }
    }

    /// The ids (sorted by ASCII-lower-cased `name`) whose names start with
    /// the literal prefix, ignoring ASCII case: a binary search, no matching.
    fn narrow(&self, ids: Range<u32>, name: impl Fn(u32) -> &'static [u8]) -> Range<u32> {
        let prefix = self.prefix.as_bytes();
        if prefix.is_empty() {
            return ids;
        }
        let start = partition_point(ids.clone(), |id| {
            let head = name(id)
                .iter()
                .take(prefix.len())
                .map(u8::to_ascii_lowercase);
            head.lt(prefix.iter().copied())
        });
        let end = partition_point(start..ids.end, |id| {
            name(id)
                .get(..prefix.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
        });
        start..end
    }

    /// Whether the name, already narrowed to the literal prefix, matches.
    fn matches(&self, name: impl FnOnce() -> &'static [u8]) -> bool {
        match self.kind {
            Kind::Everything | Kind::PrefixStar => true,
            Kind::Exact => name().eq_ignore_ascii_case(self.pattern.as_bytes()),
            Kind::Glob => std::str::from_utf8(name())
                .is_ok_and(|name| glob_match_ignore_case(self.pattern, name)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(actions: &[Action<'_>]) -> Vec<String> {
        actions.iter().map(ToString::to_string).collect()
    }

    /// The definition: IAM's full-string match, over every action.
    fn brute_force(all: &[String], pattern: &str) -> Vec<String> {
        all.iter()
            .filter(|full| glob_match_ignore_case(pattern, full))
            .cloned()
            .collect()
    }

    #[test]
    fn matches_the_definition() {
        let catalog = Catalog::get();
        let all: Vec<String> = catalog.actions().map(|a| a.to_string()).collect();
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
            "s3:",
            "*:",
            ":*",
            "S3:GETOBJECT",
            "s3:Get\u{e9}*",
            "\u{212a}ms:*",
        ] {
            let expanded = names(&catalog.expand(pattern));
            assert_eq!(expanded, brute_force(&all, pattern), "{pattern}");
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
            s3.map_or(0, |s| s
                .actions()
                .filter(|a| a.name().starts_with("Get"))
                .count())
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
