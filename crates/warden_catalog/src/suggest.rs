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
                if let Some(d) = distance.within(action, candidate.name().as_bytes(), max) {
                    found.push((d, candidate.id().0));
                }
            }
            if !found.is_empty() {
                return self.best(found);
            }
        }
        let max = budget(name.len());
        for service in self.services() {
            let Some(prefix_distance) = distance.within(prefix, service.prefix().as_bytes(), max)
            else {
                continue;
            };
            let rest = max - prefix_distance;
            for candidate in service.actions() {
                if let Some(d) = distance.within(action, candidate.name().as_bytes(), rest) {
                    found.push((prefix_distance + d, candidate.id().0));
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

/// Levenshtein distance with reusable rows.
#[derive(Default)]
struct Distance {
    previous: Vec<usize>,
    current: Vec<usize>,
}

impl Distance {
    /// The edit distance between `a` and `b` ignoring ASCII case, if it is at
    /// most `max`.
    fn within(&mut self, a: &str, b: &[u8], max: usize) -> Option<usize> {
        let a = a.as_bytes();
        if a.len().abs_diff(b.len()) > max {
            return None;
        }
        self.previous.clear();
        self.previous.extend(0..=b.len());
        for (i, &ca) in a.iter().enumerate() {
            self.current.clear();
            self.current.push(i + 1);
            let mut row_min = i + 1;
            for (j, &cb) in b.iter().enumerate() {
                let substitute = self.previous.get(j).copied().unwrap_or(usize::MAX)
                    + usize::from(!ca.eq_ignore_ascii_case(&cb));
                let delete = self.previous.get(j + 1).copied().unwrap_or(usize::MAX) + 1;
                let insert = self.current.get(j).copied().unwrap_or(usize::MAX) + 1;
                let cell = substitute.min(delete).min(insert);
                row_min = row_min.min(cell);
                self.current.push(cell);
            }
            if row_min > max {
                return None;
            }
            std::mem::swap(&mut self.previous, &mut self.current);
        }
        self.previous.last().copied().filter(|&d| d <= max)
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
