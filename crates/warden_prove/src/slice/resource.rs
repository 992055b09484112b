//! The resource dimension: classes of resource ARNs that the resource
//! patterns of one slice tell apart.

use warden_eval::RequestContext;
use warden_ir::pattern::{ArnRule, Mode};
use warden_policy::pattern::Pattern;

use crate::bits::Bits;
use crate::budget::{Budget, Stop};
use crate::encode::Symbolic;
use crate::glob::{Glob, explore_unions};
use crate::patterns::{classify, glob_of};
use crate::problem::{Dim, DimKind};
use crate::unknown::{Explored, Unknown, Unsupported};

impl Symbolic {
    /// The resource dimension over the resource blocks `blocks`, and per
    /// block the cells it matches.
    pub(super) fn resource_dim(
        &self,
        blocks: &[usize],
        budget: &Budget,
    ) -> Result<(Dim, Vec<Bits>), Unknown> {
        let is_free = |i: usize| self.resource_free.get(i).copied().unwrap_or(false);
        let unions: Vec<Vec<&Glob>> = blocks
            .iter()
            .map(|&b| {
                self.blocks
                    .get(b)
                    .map(|ids| {
                        ids.iter()
                            .filter(|&&i| !is_free(i))
                            .filter_map(|&i| self.resources.get(i))
                            .map(|(g, _)| g)
                            .collect()
                    })
                    .unwrap_or_default()
            })
            .collect();
        // Patterns with policy variables (first problem only): free
        // booleans, each cell of the concrete patterns paired with every
        // combination of them.
        let mut free: Vec<usize> = blocks
            .iter()
            .filter_map(|&b| self.blocks.get(b))
            .flatten()
            .copied()
            .filter(|&i| is_free(i))
            .collect();
        free.sort_unstable();
        free.dedup();
        if free.len() > 10 {
            return Err(Unsupported::VariableResourcePatterns { count: free.len() }.into());
        }
        let reps = shaped_reps(&unions, budget)?;
        let empty = RequestContext::new();
        let (reps, columns) = classify(reps, blocks.len(), |i, rep| {
            blocks
                .get(i)
                .and_then(|&b| self.blocks.get(b))
                .is_some_and(|ids| {
                    ids.iter()
                        .filter(|&&p| !is_free(p))
                        .filter_map(|&p| self.resources.get(p))
                        .any(|(_, probe)| probe.matches(rep, &empty))
                })
        });
        let (reps, columns) = if free.is_empty() {
            (reps, columns)
        } else {
            self.with_free_booleans(blocks, &free, reps, &columns)
        };
        Ok((
            Dim {
                kind: DimKind::Resource,
                reps,
                elements: blocks.to_vec(),
            },
            columns,
        ))
    }

    /// Each cell of the concrete patterns paired with every combination of
    /// the free booleans `free` (patterns with policy variables): a block
    /// holds where its concrete patterns match or one of its free booleans
    /// is true.
    fn with_free_booleans(
        &self,
        blocks: &[usize],
        free: &[usize],
        reps: Vec<String>,
        columns: &[Bits],
    ) -> (Vec<String>, Vec<Bits>) {
        let n = reps.len();
        let combos = 1usize << free.len();
        let mut out_reps = Vec::with_capacity(n * combos);
        for _ in 0..combos {
            out_reps.extend(reps.iter().cloned());
        }
        let out_cols = blocks
            .iter()
            .zip(columns)
            .map(|(&b, col)| {
                let mask: usize = self.blocks.get(b).map_or(0, |ids| {
                    free.iter()
                        .enumerate()
                        .filter(|(_, f)| ids.contains(f))
                        .map(|(k, _)| 1 << k)
                        .sum()
                });
                let mut bits = Bits::empty(n * combos);
                for m in 0..combos {
                    for r in 0..n {
                        if m & mask != 0 || col.contains(r) {
                            bits.insert(m * n + r);
                        }
                    }
                }
                bits
            })
            .collect();
        (out_reps, out_cols)
    }
}

/// One resource of each cell of `unions` that a request can name.
///
/// Requests name a resource by ARN (six parts) or `*`: cells outside that
/// shape are left out. Most cells' shortest strings already have the
/// shape, or get it by padding; only otherwise is the shape explored with
/// the patterns (which multiplies the states).
fn shaped_reps(unions: &[Vec<&Glob>], budget: &Budget) -> Result<Vec<String>, Unknown> {
    let shape = arn_shape();
    let star = Glob::literal("*", false);
    let in_shape = |w: &str| w == "*" || shape.matches(w);
    let limit_err = |stop: Stop| stop.unknown(Explored::Resources);
    let found = explore_unions(unions, &[], false, budget).map_err(limit_err)?;
    let membership = |w: &str| -> Vec<bool> {
        unions
            .iter()
            .map(|u| u.iter().any(|g| g.matches(w)))
            .collect()
    };
    let mut reps: Vec<String> = Vec::with_capacity(found.len());
    for f in &found {
        if in_shape(&f.witness) {
            reps.push(f.witness.clone());
            continue;
        }
        let want = membership(&f.witness);
        let fix = (1..=5)
            .map(|k| format!("{}{}", f.witness, ":example".repeat(k)))
            .chain(std::iter::once(format!(
                "arn:example:example:example:example:{}",
                f.witness
            )))
            .find(|c| in_shape(c) && membership(c) == want);
        match fix {
            Some(c) => reps.push(c),
            None => {
                let mut with_shape = unions.to_vec();
                with_shape.push(vec![&shape, &star]);
                return Ok(explore_unions(&with_shape, &[], false, budget)
                    .map_err(limit_err)?
                    .into_iter()
                    .filter(|f| f.matches.contains(unions.len()))
                    .map(|f| f.witness)
                    .collect());
            }
        }
    }
    Ok(reps)
}

/// `arn:` and five more colon-separated parts, the last of any text: the
/// pattern `arn:*:*:*:*:*` read as an `Arn*` condition value.
fn arn_shape() -> Glob {
    let mode = Mode {
        wildcards: true,
        arn: ArnRule::Condition,
        ignore_case: false,
    };
    glob_of(&Pattern::parse("arn:*:*:*:*:*", false).0, mode)
}
