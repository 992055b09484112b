//! "Did you mean": the known actions and services closest to a misspelt name,
//! by edit distance (Levenshtein, ignoring ASCII case), bounded so that only
//! plausible typos are offered and most candidates are rejected early.

use crate::action::Action;
use crate::catalog::{Catalog, len_u32};
use crate::service::Service;

/// At most this many suggestions.
const MAX_SUGGESTIONS: usize = 3;

/// The largest distance offered for a name of this length: one edit for
/// short names, about one per three characters, never more than four.
fn budget(len: usize) -> usize {
    (len / 3).clamp(1, 4)
}

impl Catalog {
    /// The known actions closest to `name` (`s3:GetObjekt` -> `s3:GetObject`):
    /// those at the smallest edit distance, at most three, in catalog order;
    /// empty when nothing is close.
    ///
    /// The action's own service is searched first; if nothing there is close,
    /// or the service is unknown, every service whose prefix is close is
    /// searched (`s4:GetObject`, `s3:DescribeInstances` -> `ec2:DescribeInstances`).
    /// A name without a prefix is compared with every action's name.
    pub fn suggest(&self, name: &str) -> Vec<Action<'_>> {
        let mut distance = Distance::default();
        let mut found: Vec<(usize, u32)> = Vec::new();
        let t = &self.tables;
        let Some((prefix, action)) = name.split_once(':') else {
            let max = budget(name.len());
            for id in 0..len_u32(self.action_count()) {
                if let Some(d) = distance.within(name, t.action_name(id), max) {
                    found.push((d, id));
                }
            }
            return self.best(found);
        };
        if let Some(service) = self.service(prefix) {
            let max = budget(action.len());
            for candidate in service.actions() {
                let id = candidate.id().0;
                if let Some(d) = distance.within(action, t.action_name(id), max) {
                    found.push((d, id));
                }
            }
            if !found.is_empty() {
                return self.best(found);
            }
        }
        let max = budget(name.len());
        for service_id in 0..len_u32(self.service_count()) {
            let Some(prefix_distance) = distance.within(prefix, t.service_prefix(service_id), max)
            else {
                continue;
            };
            let service = Service::new(self, service_id);
            let rest = max - prefix_distance;
            for candidate in service.actions() {
                let id = candidate.id().0;
                if let Some(d) = distance.within(action, t.action_name(id), rest) {
                    found.push((prefix_distance + d, id));
                }
            }
        }
        self.best(found)
    }

    /// The known services whose prefixes are closest to `prefix`: those at
    /// the smallest edit distance, at most three.
    pub fn suggest_service(&self, prefix: &str) -> Vec<Service<'_>> {
        let mut distance = Distance::default();
        let max = budget(prefix.len());
        let mut found: Vec<(usize, u32)> = (0..len_u32(self.service_count()))
            .filter_map(|id| {
                let d = distance.within(prefix, self.tables.service_prefix(id), max)?;
                Some((d, id))
            })
            .collect();
        nearest(&mut found)
            .map(|id| Service::new(self, id))
            .collect()
    }

    fn best(&self, mut found: Vec<(usize, u32)>) -> Vec<Action<'_>> {
        nearest(&mut found)
            .map(|id| Action::new(self, id))
            .collect()
    }
}

/// The ids at the smallest distance, at most [`MAX_SUGGESTIONS`], by id.
fn nearest(found: &mut [(usize, u32)]) -> impl Iterator<Item = u32> + '_ {
    found.sort_unstable();
    let best = found.first().map_or(0, |&(d, _)| d);
    found
        .iter()
        .take_while(move |&&(d, _)| d == best)
        .take(MAX_SUGGESTIONS)
        .map(|&(_, id)| id)
}

/// Levenshtein distance with reusable rows, and the bit tables of the
/// last two names compared (a search alternates a prefix and a name).
#[derive(Default)]
struct Distance {
    previous: Vec<usize>,
    current: Vec<usize>,
    patterns: [Option<Pattern>; 2],
}

/// For each byte, the positions of a name (up to 64 bytes) where it
/// occurs, ignoring ASCII case: the table of Myers' bit-parallel distance.
struct Pattern {
    text: Vec<u8>,
    positions: Box<[u64; 256]>,
}

impl Pattern {
    fn new(text: &[u8]) -> Pattern {
        let mut positions = Box::new([0u64; 256]);
        for (i, &c) in text.iter().enumerate() {
            for c in [c.to_ascii_lowercase(), c.to_ascii_uppercase()] {
                if let Some(p) = positions.get_mut(usize::from(c)) {
                    *p |= 1 << i;
                }
            }
        }
        Pattern {
            text: text.to_vec(),
            positions,
        }
    }

    /// The edit distance from the pattern to `b` (Myers 1999, global
    /// distance as in Hyyrö 2001): one column of the table per byte of
    /// `b`, as bit vectors of vertical +1 and -1 steps.
    fn distance(&self, b: &[u8]) -> usize {
        let n = self.text.len();
        let last = 1u64 << (n - 1);
        let (mut plus, mut minus) = (u64::MAX, 0u64);
        let mut score = n;
        for &c in b {
            let eq = self.positions.get(usize::from(c)).copied().unwrap_or(0);
            let xv = eq | minus;
            let xh = ((eq & plus).wrapping_add(plus) ^ plus) | eq;
            let mut ph = minus | !(xh | plus);
            let mut mh = plus & xh;
            if ph & last != 0 {
                score += 1;
            } else if mh & last != 0 {
                score -= 1;
            }
            // Row 0 is 0, 1, 2, ...: every column starts one step up.
            ph = (ph << 1) | 1;
            mh <<= 1;
            plus = mh | !(xv | ph);
            minus = ph & xv;
        }
        score
    }
}

impl Distance {
    /// The edit distance between `a` and `b` ignoring ASCII case, if it is
    /// at most `max`: bit-parallel for names up to 64 bytes (all the
    /// catalog's), else [`Distance::banded`].
    fn within(&mut self, a: &str, b: &[u8], max: usize) -> Option<usize> {
        let bytes = a.as_bytes();
        if bytes.len().abs_diff(b.len()) > max {
            return None;
        }
        if bytes.is_empty() || bytes.len() > 64 {
            return self.banded(a, b, max);
        }
        let [first, second] = &mut self.patterns;
        let hit = |p: &Option<Pattern>| p.as_ref().is_some_and(|p| p.text == bytes);
        if !hit(first) {
            if hit(second) {
                std::mem::swap(first, second);
            } else {
                std::mem::swap(first, second);
                *first = Some(Pattern::new(bytes));
            }
        }
        let d = first.as_ref()?.distance(b);
        Some(d).filter(|&d| d <= max)
    }

    /// The edit distance between `a` and `b` ignoring ASCII case, if it is at
    /// most `max`.
    ///
    /// Only the band of cells within `max` of the diagonal is computed, and
    /// every value is capped at `max + 1`: a cell further from the diagonal
    /// is more than `max` anyway, and capping a min-plus recurrence leaves
    /// every value up to `max` exact (Ukkonen's cut-off). Searches compare a
    /// name with thousands of candidates, so this is the hot loop.
    fn banded(&mut self, a: &str, b: &[u8], max: usize) -> Option<usize> {
        let a = a.as_bytes();
        let m = b.len();
        if a.len().abs_diff(m) > max {
            return None;
        }
        let cap = max + 1;
        let previous = &mut self.previous;
        let current = &mut self.current;
        previous.clear();
        previous.extend((0..=m).map(|j| j.min(cap)));
        current.clear();
        current.resize(m + 1, cap);
        for (i, &ca) in (1_usize..).zip(a) {
            let ca = ca.to_ascii_lowercase();
            // Columns lo..=hi are within `max` of the diagonal.
            let lo = i.saturating_sub(max).max(1);
            let hi = (i + max).min(m);
            let first = if lo == 1 { i.min(cap) } else { cap };
            let (Some(diagonal), Some(above), Some(bs), Some(row)) = (
                previous.get(lo - 1..hi),
                previous.get(lo..=hi),
                b.get(lo - 1..hi),
                current.get_mut(lo - 1..=hi),
            ) else {
                return None;
            };
            let mut left = first;
            let mut row_min = first;
            let (head, cells) = row.split_at_mut(1);
            for (((cell, &d), &u), &cb) in cells.iter_mut().zip(diagonal).zip(above).zip(bs) {
                let substitute = d + usize::from(ca != cb.to_ascii_lowercase());
                left = substitute.min(u + 1).min(left + 1).min(cap);
                *cell = left;
                row_min = row_min.min(left);
            }
            if let Some(h) = head.first_mut() {
                *h = first;
            }
            // The next row reads one column further right: beyond the band.
            if let Some(next) = current.get_mut(hi + 1) {
                *next = cap;
            }
            if row_min > max {
                return None;
            }
            std::mem::swap(previous, current);
        }
        previous.get(m).copied().filter(|&d| d <= max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn suggest(name: &str) -> Vec<String> {
        Catalog::get()
            .suggest(name)
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn distances() {
        let mut d = Distance::default();
        assert_eq!(d.within("kitten", b"sitting", 5), Some(3));
        assert_eq!(d.within("kitten", b"sitting", 2), None);
        assert_eq!(d.within("GetObject", b"getobject", 0), Some(0));
        assert_eq!(d.within("", b"abc", 3), Some(3));
    }

    /// The full Levenshtein table, ignoring ASCII case.
    fn naive(a: &[u8], b: &[u8]) -> usize {
        let mut previous: Vec<usize> = (0..=b.len()).collect();
        for (i, ca) in a.iter().enumerate() {
            let mut current = vec![i + 1];
            for (j, cb) in b.iter().enumerate() {
                let substitute = previous.get(j).copied().unwrap_or_default()
                    + usize::from(!ca.eq_ignore_ascii_case(cb));
                let delete = previous.get(j + 1).copied().unwrap_or_default() + 1;
                let insert = current.last().copied().unwrap_or_default() + 1;
                current.push(substitute.min(delete).min(insert));
            }
            previous = current;
        }
        previous.last().copied().unwrap_or_default()
    }

    #[test]
    fn banded_distance_matches_the_full_table() {
        // Every string of up to four letters from `a`, `B`, `b`, `c`.
        let mut words: Vec<Vec<u8>> = vec![Vec::new()];
        let mut last = vec![Vec::new()];
        for _ in 0..4 {
            last = last
                .iter()
                .flat_map(|w: &Vec<u8>| {
                    b"aBbc".iter().map(move |&c| {
                        let mut next = w.clone();
                        next.push(c);
                        next
                    })
                })
                .collect();
            words.extend(last.iter().cloned());
        }
        let mut d = Distance::default();
        for a in &words {
            let a_text = std::str::from_utf8(a).unwrap_or_default();
            for b in &words {
                let full = naive(a, b);
                for max in 0..=5 {
                    let expected = Some(full).filter(|&f| f <= max);
                    assert_eq!(d.within(a_text, b, max), expected, "{a:?} {b:?} {max}");
                    assert_eq!(d.banded(a_text, b, max), expected, "{a:?} {b:?} {max}");
                }
            }
        }
    }

    #[test]
    fn long_names_match_the_full_table() {
        let catalog = Catalog::get();
        let mut names: Vec<String> = catalog
            .services()
            .flat_map(|s| s.actions().map(|a| a.name().to_string()).take(3))
            .step_by(7)
            .collect();
        names.push("x".repeat(63));
        names.push("X".repeat(64));
        names.push("y".repeat(65));
        names.push(
            "GetObjectRetentionGetObjectRetentionGetObjectRetentionGetObjectRetention".into(),
        );
        let mut d = Distance::default();
        for a in &names {
            for b in names.iter().take(120) {
                let full = naive(a.as_bytes(), b.as_bytes());
                for max in [1, 4, 80] {
                    let expected = Some(full).filter(|&f| f <= max);
                    assert_eq!(d.within(a, b.as_bytes(), max), expected, "{a} {b} {max}");
                }
            }
        }
    }

    #[test]
    fn suggests_typos() {
        assert_eq!(
            suggest("s3:GetObjekt").first().map(String::as_str),
            Some("s3:GetObject")
        );
        assert_eq!(
            suggest("s3:getobjects").first().map(String::as_str),
            Some("s3:GetObject")
        );
        assert_eq!(
            suggest("s4:GetObject").first().map(String::as_str),
            Some("s3:GetObject")
        );
        assert_eq!(
            suggest("iam:PassRoles").first().map(String::as_str),
            Some("iam:PassRole")
        );
        assert!(
            suggest("s3:DescribeInstances").contains(&"ec2:DescribeInstances".to_owned()),
            "{:?}",
            suggest("s3:DescribeInstances")
        );
        assert!(suggest("s3:CompletelyUnrelatedThing").is_empty());
        assert!(
            suggest("GetObjekt")
                .iter()
                .any(|s| s.ends_with(":GetObject"))
        );
    }

    #[test]
    fn suggests_services() {
        let services: Vec<&str> = Catalog::get()
            .suggest_service("lamda")
            .iter()
            .map(|s| s.prefix())
            .collect();
        assert_eq!(services.first(), Some(&"lambda"));
    }
}
