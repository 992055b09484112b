//! Action patterns indexed by service: one action set for every reader.
//!
//! Action names are case-insensitive ("IAM JSON policy elements: Action":
//! "action names are not case sensitive"), so a set keeps its patterns in
//! lower case and an [`ActionName`] is lowered once, when it is built. A
//! statement in an AWS managed policy may list thousands of actions and the
//! evaluator and the linter ask about many actions per statement, so the set
//! answers with binary searches over the patterns of the action's service,
//! not a scan of every pattern.

use std::borrow::Cow;
use std::ops::Range;

use warden_policy::ast::ActionBlock;
use warden_policy::glob::{glob_match_ignore_case, has_wildcard};

/// An action (`service:Name`) lowered once and split at its first `:`.
/// Text without `:` is all service and an empty name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActionName<'a> {
    full: Cow<'a, str>,
    colon: Option<usize>,
}

impl<'a> ActionName<'a> {
    /// Reads `action` in any case; borrows it when it is already lower
    /// case (the evaluator lowers a request's action once and asks many
    /// sets), so building a name allocates only for mixed-case text.
    pub fn new(action: &'a str) -> ActionName<'a> {
        let full = if action.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(action.to_ascii_lowercase())
        } else {
            Cow::Borrowed(action)
        };
        let colon = full.find(':');
        ActionName { full, colon }
    }

    /// `service:name`, lower case.
    pub fn full(&self) -> &str {
        &self.full
    }

    /// The service prefix, lower case.
    pub fn service(&self) -> &str {
        match self.colon {
            Some(c) => self.full.get(..c).unwrap_or_default(),
            None => &self.full,
        }
    }

    /// The action name after the `:`, lower case (empty without one).
    pub fn name(&self) -> &str {
        self.colon
            .and_then(|c| self.full.get(c + 1..))
            .unwrap_or_default()
    }
}

/// The patterns of one `Action`/`NotAction` element (the element's
/// negation is the reader's to apply), lowered and indexed by service.
///
/// All text lives in one buffer, so building a set costs a handful of
/// allocations however many patterns the statement lists.
#[derive(Clone, Debug, Default)]
pub struct ActionSet {
    /// The lowered text of every pattern; the vectors below index into it.
    text: String,
    /// `*`.
    any: bool,
    /// (service, name) of patterns without wildcards, sorted, distinct.
    literal: Vec<(Range<usize>, Range<usize>)>,
    /// (service, name pattern) of patterns whose name has a wildcard,
    /// sorted by service.
    wild_names: Vec<(Range<usize>, Range<usize>)>,
    /// Whole `service:name` patterns whose service has a wildcard.
    wild_services: Vec<Range<usize>>,
}

impl ActionSet {
    /// The set of an `Action`/`NotAction` element's valid patterns (an
    /// invalid one was reported by the parser and matches nothing).
    pub fn from_block(block: &ActionBlock) -> ActionSet {
        ActionSet::new(
            block
                .items
                .iter()
                .filter(|i| i.valid)
                .map(|i| i.raw.as_str()),
        )
    }

    /// The set of `patterns`: `*` or `service:name`, either part possibly
    /// with `*` and `?`. Whitespace around the parts is ignored, as IAM
    /// ignores it (AWS managed policies contain `amplifybackend: *`).
    pub fn new<'p>(patterns: impl IntoIterator<Item = &'p str>) -> ActionSet {
        let mut set = ActionSet::default();
        for pattern in patterns {
            let pattern = pattern.trim();
            if pattern == "*" {
                set.any = true;
                continue;
            }
            match pattern.split_once(':') {
                Some((service, name)) if !has_wildcard(service) => {
                    let service = set.push(service.trim());
                    let name_text = name.trim();
                    let name = set.push(name_text);
                    if has_wildcard(name_text) {
                        set.wild_names.push((service, name));
                    } else {
                        set.literal.push((service, name));
                    }
                }
                Some((service, name)) => {
                    let start = set.text.len();
                    set.push(service.trim());
                    set.text.push(':');
                    set.push(name.trim());
                    let end = set.text.len();
                    set.wild_services.push(start..end);
                }
                None => {
                    let whole = set.push(pattern);
                    set.wild_services.push(whole);
                }
            }
        }
        let text = set.text.as_bytes();
        let at = |r: &Range<usize>| text.get(r.clone()).unwrap_or_default();
        set.literal
            .sort_unstable_by(|a, b| at(&a.0).cmp(at(&b.0)).then_with(|| at(&a.1).cmp(at(&b.1))));
        set.literal
            .dedup_by(|a, b| at(&a.0) == at(&b.0) && at(&a.1) == at(&b.1));
        set.wild_names.sort_by(|a, b| at(&a.0).cmp(at(&b.0)));
        set
    }

    /// Appends `s` lowered to the buffer and returns where it is.
    fn push(&mut self, s: &str) -> Range<usize> {
        let start = self.text.len();
        self.text.extend(s.chars().map(|c| c.to_ascii_lowercase()));
        start..self.text.len()
    }

    fn bytes(&self, r: &Range<usize>) -> &[u8] {
        self.text.as_bytes().get(r.clone()).unwrap_or_default()
    }

    fn str(&self, r: &Range<usize>) -> &str {
        self.text.get(r.clone()).unwrap_or_default()
    }

    /// Whether a pattern of the set matches `action`.
    pub fn matches(&self, action: &ActionName<'_>) -> bool {
        if self.any {
            return true;
        }
        let (service, name) = (action.service().as_bytes(), action.name().as_bytes());
        let literal = self
            .literal
            .binary_search_by(|(s, n)| {
                self.bytes(s)
                    .cmp(service)
                    .then_with(|| self.bytes(n).cmp(name))
            })
            .is_ok();
        if literal {
            return true;
        }
        let start = self
            .wild_names
            .partition_point(|(s, _)| self.bytes(s) < service);
        let by_name = self
            .wild_names
            .get(start..)
            .unwrap_or_default()
            .iter()
            .take_while(|(s, _)| self.bytes(s) == service)
            .any(|(_, p)| glob_match_ignore_case(self.str(p), action.name()));
        by_name
            || self
                .wild_services
                .iter()
                .any(|p| glob_match_ignore_case(self.str(p), action.full()))
    }

    /// Whether the set holds `*`.
    pub fn has_any(&self) -> bool {
        self.any
    }

    /// The distinct services the set names, lower case and sorted, when
    /// those are all it can match: `None` for `*` and for patterns whose
    /// service has a wildcard.
    pub fn named_services(&self) -> Option<Vec<&str>> {
        if self.any || !self.wild_services.is_empty() {
            return None;
        }
        let mut out: Vec<&str> = self
            .literal
            .iter()
            .chain(&self.wild_names)
            .map(|(s, _)| self.str(s))
            .collect();
        out.sort_unstable();
        out.dedup();
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(patterns: &[&str]) -> ActionSet {
        ActionSet::new(patterns.iter().copied())
    }

    fn has(s: &ActionSet, action: &str) -> bool {
        s.matches(&ActionName::new(action))
    }

    #[test]
    fn names_are_lowered_once() {
        let a = ActionName::new("S3:GetObject");
        assert_eq!(
            (a.service(), a.name(), a.full()),
            ("s3", "getobject", "s3:getobject")
        );
        assert!(matches!(
            ActionName::new("s3:getobject").full,
            Cow::Borrowed(_)
        ));
        let bare = ActionName::new("s3");
        assert_eq!((bare.service(), bare.name()), ("s3", ""));
    }

    #[test]
    fn matches_ignoring_case() {
        let s = set(&[
            "s3:GetObject",
            "iam:Get*",
            "ec2:Describe?nstances",
            "s3:GetObject",
        ]);
        assert!(has(&s, "S3:GETOBJECT"));
        assert!(!has(&s, "s3:PutObject"));
        assert!(has(&s, "iam:GetRole"));
        assert!(has(&s, "ec2:DescribeInstances"));
        assert!(!has(&s, "sqs:GetObject"));
        assert!(has(&set(&["*"]), "anything:Here"));
        assert!(!has(&ActionSet::default(), "s3:GetObject"));
    }

    #[test]
    fn wildcard_services_and_whitespace() {
        let s = set(&["s3*:List*", " amplifybackend : * "]);
        assert!(has(&s, "s3express:ListBuckets"));
        assert!(has(&s, "amplifybackend:CreateBackend"));
        assert_eq!(s.named_services(), None);
        let named = set(&["S3:Get*", "iam:PassRole", "s3:PutObject"]);
        assert_eq!(named.named_services(), Some(vec!["iam", "s3"]));
        assert_eq!(set(&["*"]).named_services(), None);
    }
}
