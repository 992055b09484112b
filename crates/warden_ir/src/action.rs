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
use std::cmp::Ordering;
use std::ops::Range;

use warden_policy::ast::ActionBlock;
use warden_policy::glob::{glob_match, has_wildcard};

/// An action (`service:Name`) lowered once and split at its first `:`.
/// Text without `:` is all service and an empty name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActionName<'a> {
    full: Cow<'a, str>,
    /// Where the service ends (the `:`, or the end).
    service_end: usize,
    /// Where the name starts (after the `:`, or the end).
    name_start: usize,
}

impl<'a> ActionName<'a> {
    /// Reads `action` in any case; borrows it when it is already lower
    /// case (the evaluator lowers a request's action once and asks many
    /// sets), so building a name allocates only for mixed-case text.
    #[inline]
    pub fn new(action: &'a str) -> ActionName<'a> {
        // One pass for both questions: names are short, and this runs for
        // every request and every action a rule asks about.
        let (mut upper, mut colon) = (false, None);
        for (i, b) in action.bytes().enumerate() {
            upper |= b.is_ascii_uppercase();
            if b == b':' && colon.is_none() {
                colon = Some(i);
            }
        }
        let full = if upper {
            Cow::Owned(action.to_ascii_lowercase())
        } else {
            Cow::Borrowed(action)
        };
        let (service_end, name_start) = match colon {
            Some(c) => (c, c + 1),
            None => (full.len(), full.len()),
        };
        ActionName {
            full,
            service_end,
            name_start,
        }
    }

    /// The name owning its text, to keep (a request keeps its action's
    /// name, so deciding it against many policies lowers it once).
    pub fn into_owned(self) -> ActionName<'static> {
        ActionName {
            full: Cow::Owned(self.full.into_owned()),
            service_end: self.service_end,
            name_start: self.name_start,
        }
    }

    /// `service:name`, lower case.
    #[inline]
    pub fn full(&self) -> &str {
        &self.full
    }

    /// The service prefix, lower case.
    #[inline]
    pub fn service(&self) -> &str {
        self.full.get(..self.service_end).unwrap_or_default()
    }

    /// The action name after the `:`, lower case (empty without one).
    #[inline]
    pub fn name(&self) -> &str {
        self.full.get(self.name_start..).unwrap_or_default()
    }
}

/// The patterns of one `Action`/`NotAction` element (the element's
/// negation is the reader's to apply), lowered and indexed by service.
///
/// All text lives in one buffer and every index in a few flat vectors, so
/// building a set costs a handful of allocations however many patterns the
/// statement lists, and asking about an action costs a binary search over
/// the services, then one over that service's names.
#[derive(Clone, Debug, Default)]
pub struct ActionSet {
    /// The lowered text of every pattern; the vectors below index into it.
    text: String,
    /// `*`.
    any: bool,
    /// The services named literally, sorted, each with its patterns.
    services: Vec<Service>,
    /// Names without wildcards, sorted by (service, name), distinct.
    literal: Vec<(Span, Span)>,
    /// Name patterns with wildcards, sorted by service.
    wild_names: Vec<(Span, Span)>,
    /// Whole `service:name` patterns whose service has a wildcard.
    wild_services: Vec<Span>,
}

/// A range of the text or of an index vector, in 32 bits to keep the
/// index small (a policy's text is bounded far below 4 GiB by AWS's size
/// quotas; a longer one saturates, and the affected patterns match nothing).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Span {
    start: u32,
    end: u32,
}

impl Span {
    fn new(start: usize, end: usize) -> Span {
        let clamp = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Span {
            start: clamp(start),
            end: clamp(end),
        }
    }

    fn range(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// One literal service of a set and where its patterns are.
#[derive(Clone, Debug)]
struct Service {
    /// The service prefix in the text.
    name: Span,
    /// `service:*`: every action of the service.
    all: bool,
    /// Its names in `literal`.
    literal: Span,
    /// Its name patterns in `wild_names`.
    wild: Span,
}

impl ActionSet {
    /// The set of an `Action`/`NotAction` element's valid patterns (an
    /// invalid one was reported by the parser and matches nothing).
    pub fn from_block(block: &ActionBlock) -> ActionSet {
        let valid = || {
            block
                .items
                .iter()
                .filter(|i| i.valid)
                .map(|i| i.raw.as_str())
        };
        ActionSet::build(valid(), valid().map(str::len).sum())
    }

    /// The set of `patterns`: `*` or `service:name`, either part possibly
    /// with `*` and `?`. Whitespace around the parts is ignored, as IAM
    /// ignores it (AWS managed policies contain `amplifybackend: *`).
    pub fn new<'p>(patterns: impl IntoIterator<Item = &'p str>) -> ActionSet {
        ActionSet::build(patterns, 0)
    }

    /// [`ActionSet::new`] with room for `text_len` bytes of pattern text.
    fn build<'p>(patterns: impl IntoIterator<Item = &'p str>, text_len: usize) -> ActionSet {
        let mut set = ActionSet {
            text: String::with_capacity(text_len),
            ..ActionSet::default()
        };
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
                    let whole = Span::new(start, set.text.len());
                    set.wild_services.push(whole);
                }
                None => {
                    let whole = set.push(pattern);
                    set.wild_services.push(whole);
                }
            }
        }
        set.index();
        set
    }

    /// Sorts the patterns and builds the service index.
    fn index(&mut self) {
        let text = self.text.as_bytes();
        let at = |r: &Span| text.get(r.range()).unwrap_or_default();
        let by_pair = |a: &(Span, Span), b: &(Span, Span)| {
            cmp_short(at(&a.0), at(&b.0)).then_with(|| cmp_short(at(&a.1), at(&b.1)))
        };
        self.literal.sort_unstable_by(by_pair);
        self.literal
            .dedup_by(|a, b| at(&a.0) == at(&b.0) && at(&a.1) == at(&b.1));
        self.wild_names.sort_unstable_by(by_pair);
        let (mut i, mut j) = (0, 0);
        loop {
            let next = match (self.literal.get(i), self.wild_names.get(j)) {
                (Some(l), Some(w)) => std::cmp::min_by(&l.0, &w.0, |a, b| cmp_short(at(a), at(b))),
                (Some(l), None) => &l.0,
                (None, Some(w)) => &w.0,
                (None, None) => break,
            };
            let name = *next;
            let service = at(&name);
            let literal_end = i + self
                .literal
                .get(i..)
                .unwrap_or_default()
                .iter()
                .take_while(|(s, _)| at(s) == service)
                .count();
            let wild_end = j + self
                .wild_names
                .get(j..)
                .unwrap_or_default()
                .iter()
                .take_while(|(s, _)| at(s) == service)
                .count();
            let all = self
                .wild_names
                .get(j..wild_end)
                .unwrap_or_default()
                .iter()
                .any(|(_, n)| at(n) == b"*");
            self.services.push(Service {
                name,
                all,
                literal: Span::new(i, literal_end),
                wild: Span::new(j, wild_end),
            });
            (i, j) = (literal_end, wild_end);
        }
    }

    /// Appends `s` lowered to the buffer and returns where it is.
    fn push(&mut self, s: &str) -> Span {
        let start = self.text.len();
        self.text.push_str(s);
        if let Some(added) = self.text.get_mut(start..) {
            added.make_ascii_lowercase();
        }
        Span::new(start, self.text.len())
    }

    #[inline]
    fn bytes(&self, r: &Span) -> &[u8] {
        self.text.as_bytes().get(r.range()).unwrap_or_default()
    }

    #[inline]
    fn str(&self, r: &Span) -> &str {
        self.text.get(r.range()).unwrap_or_default()
    }

    /// Whether a pattern of the set matches `action`.
    #[inline]
    pub fn matches(&self, action: &ActionName<'_>) -> bool {
        if self.any {
            return true;
        }
        let (service, name_text) = (action.service().as_bytes(), action.name());
        let name = name_text.as_bytes();
        let by_service = self
            .services
            .binary_search_by(|s| cmp_short(self.bytes(&s.name), service))
            .ok()
            .and_then(|i| self.services.get(i));
        if let Some(s) = by_service {
            let literal = self.literal.get(s.literal.range()).unwrap_or_default();
            let wild = self.wild_names.get(s.wild.range()).unwrap_or_default();
            if s.all
                || literal
                    .binary_search_by(|(_, n)| cmp_short(self.bytes(n), name))
                    .is_ok()
                || wild.iter().any(|(_, p)| glob_match(self.str(p), name_text))
            {
                return true;
            }
        }
        self.wild_services
            .iter()
            .any(|p| glob_match(self.str(p), action.full()))
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
        Some(self.services.iter().map(|s| self.str(&s.name)).collect())
    }
}

/// Compares byte strings as `Ord` does, inline: service prefixes and action
/// names are a few bytes long, where a call to `memcmp` costs more than the
/// comparison.
#[inline]
fn cmp_short(a: &[u8], b: &[u8]) -> Ordering {
    for (x, y) in a.iter().zip(b) {
        if x != y {
            return x.cmp(y);
        }
    }
    a.len().cmp(&b.len())
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
    fn services_index_their_own_patterns() {
        let s = set(&[
            "sqs:Send*",
            "s3:PutObject",
            "sqs:ListQueues",
            "iam:*",
            "s3:Get?bject",
            "a:b",
        ]);
        assert!(has(&s, "sqs:SendMessage"));
        assert!(has(&s, "sqs:listqueues"));
        assert!(!has(&s, "sqs:PutObject"));
        assert!(has(&s, "s3:GetObject"));
        assert!(!has(&s, "s3:SendMessage"));
        assert!(has(&s, "iam:AnyThing"));
        assert!(has(&s, "a:b"));
        assert!(!has(&s, "b:a"));
        assert_eq!(s.named_services(), Some(vec!["a", "iam", "s3", "sqs"]));
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
