//! The principal dimension: candidate callers, classified by the
//! `Principal` elements and the condition entries on keys AWS derives from
//! the caller.

use crate::glob::FxMap as HashMap;

use warden_eval::{Caller, RequestContext};

use crate::bits::Bits;
use crate::budget::Budget;
use crate::encode::Symbolic;
use crate::glob::{Glob, explore_unions};
use crate::patterns::{candidate_callers, classify, value_globs};
use crate::problem::{Dim, DimKind};

impl Symbolic {
    /// The principal dimension: callers classified by the `Principal`
    /// elements, then by the `linked` condition entries (on keys AWS sets
    /// from the caller, read with the values AWS would set).
    pub(super) fn principal_dim(
        &self,
        principals: &[usize],
        linked: &[(usize, usize)],
        budget: &Budget,
    ) -> (Dim, Vec<Bits>) {
        let mut values: Vec<_> = principals
            .iter()
            .filter_map(|&p| self.principals.get(p))
            .flat_map(|(_, v)| v.iter().cloned())
            .collect();
        // Callers the linked conditions name, wildcards filled in.
        for &(k, e) in linked {
            let Some(info) = self.keys.get(k) else {
                continue;
            };
            let Some(entry) = info.entries.get(e) else {
                continue;
            };
            for v in &entry.values {
                let text = v.raw.replace('*', "example").replace('?', "x");
                let value = match info.name.to_ascii_lowercase().as_str() {
                    "aws:username" => format!("arn:aws:iam::444455556666:user/{text}"),
                    // An account pattern: wildcards filled with digits up
                    // to twelve.
                    "aws:principalaccount" => {
                        let fixed = v.raw.replace('?', "0");
                        let stars = fixed.matches('*').count();
                        let fill = "0".repeat(12usize.saturating_sub(fixed.len() - stars));
                        fixed.replacen('*', &fill, 1).replace('*', "")
                    }
                    _ => text,
                };
                values.push((warden_policy::principal::PrincipalKind::Aws, value));
            }
        }
        // Values that satisfy several linked patterns at once: the cells of
        // each key's patterns, explored together, give one string per
        // combination (`user/A*` and `user/*B` together: `user/AB`).
        let mut by_key: HashMap<usize, Vec<Glob>> = HashMap::default();
        for &(k, e) in linked {
            let Some(entry) = self.keys.get(k).and_then(|info| info.entries.get(e)) else {
                continue;
            };
            let Some(base) = entry.operator.base else {
                continue;
            };
            let globs = by_key.entry(k).or_default();
            for v in &entry.values {
                globs.extend(value_globs(base, v));
            }
        }
        for (k, globs) in &by_key {
            let Some(info) = self.keys.get(*k) else {
                continue;
            };
            let unions: Vec<Vec<&Glob>> = globs.iter().map(|g| vec![g]).collect();
            let Ok(found) = explore_unions(&unions, &[], false, budget) else {
                continue;
            };
            for f in found {
                let value = if info.name.eq_ignore_ascii_case("aws:username") {
                    format!("arn:aws:iam::444455556666:user/{}", f.witness)
                } else {
                    f.witness
                };
                values.push((warden_policy::principal::PrincipalKind::Aws, value));
            }
        }
        let reps = candidate_callers(&values, self.role);
        let n = principals.len() + linked.len();
        let (reps, columns) = classify(reps, n, |i, rep| {
            if let Some(&p) = principals.get(i) {
                return self
                    .principals
                    .get(p)
                    .is_some_and(|(probe, _)| probe.applies(&Caller::parse(rep)));
            }
            let Some(&(k, e)) = linked.get(i - principals.len()) else {
                return false;
            };
            let ctx = warden_eval::Request::new(rep, "example:Action", "*", RequestContext::new())
                .context;
            self.keys
                .get(k)
                .and_then(|info| info.entries.get(e))
                .is_some_and(|entry| entry.probe.evaluate(&ctx))
        });
        (
            Dim {
                kind: DimKind::Principal,
                reps,
                elements: principals.to_vec(),
            },
            columns,
        )
    }
}
