//! Slicing by action, and the problem of one slice.
//!
//! Action cells covered by exactly the same statements (of both policies)
//! form a slice; within it the action dimension is settled, and only those
//! statements' resources, principals and condition keys matter. A policy of
//! fifty statements over different services becomes fifty small questions,
//! each with the few patterns of its statements: this is what keeps the
//! cells of the resource dimension small (ARN patterns whose `*` ends a
//! segment may run past colons, so twenty such patterns can produce 2^20
//! classes together, but rarely more than a handful share a statement).

use crate::glob::FxMap as HashMap;

use warden_eval::{Caller, ContextValue, RequestContext};
use warden_ir::pattern::{ArnRule, Mode};
use warden_policy::operator::{BaseOperator, SetQualifier};
use warden_policy::pattern::Pattern;

use crate::bits::Bits;
use crate::encode::{KeyInfo, STATE_LIMIT, Sym, SymStmt, Symbolic};
use crate::glob::{Glob, explore_unions};
use crate::ordered::{date_reps, ip_reps, number_reps};
use crate::patterns::{
    Family, Unsupported, candidate_callers, classify, family_of, glob_of, single, value_globs,
};
use crate::problem::{Atom, Dim, DimKind, Pred, Problem, Side, Stmt};

/// Keys AWS sets from the caller: read on the principal dimension when
/// there is one.
const LINKED: &[&str] = &["aws:principalarn", "aws:principalaccount", "aws:username"];

/// Keys the evaluator always sets from the principal: never absent.
const ALWAYS_PRESENT: &[&str] = &["aws:principalarn", "aws:principalaccount"];

/// Action cells covered by the same statements.
#[derive(Clone, Debug)]
pub(crate) struct Slice {
    /// The action cells.
    pub cells: Bits,
    /// Positions in [`Symbolic::old`] of the statements covering them.
    pub old: Vec<usize>,
    /// Positions in [`Symbolic::new`].
    pub new: Vec<usize>,
}

impl Slice {
    /// Whether every group of `old` (or `new`) has an Allow statement
    /// covering the slice.
    pub(crate) fn allows(&self, sym: &Symbolic, new: bool) -> bool {
        let (ids, stmts, groups) = if new {
            (&self.new, &sym.new, sym.new_groups)
        } else {
            (&self.old, &sym.old, sym.old_groups)
        };
        (0..groups).all(|g| {
            ids.iter().any(|&i| {
                stmts
                    .get(i)
                    .is_some_and(|s| s.group == g && s.effect == warden_policy::ast::Effect::Allow)
            })
        })
    }
}

/// Principal elements and linked condition entries (key, entry).
type PrincipalKey = (Vec<usize>, Vec<(usize, usize)>);

/// Dimensions already built, by the elements they were built from.
#[derive(Default)]
pub(crate) struct DimCache {
    resources: HashMap<Vec<usize>, (Dim, Vec<Bits>)>,
    principals: HashMap<PrincipalKey, (Dim, Vec<Bits>)>,
    keys: HashMap<(usize, Vec<usize>), KeyDim>,
}

#[derive(Clone)]
struct KeyDim {
    dim: Dim,
    /// Per entry (in the order asked), its predicate.
    preds: Vec<Pred>,
    givens: Vec<Pred>,
}

impl Symbolic {
    /// The slices with at least one Allow statement.
    pub(crate) fn slices(&self) -> Vec<Slice> {
        let n = self.action_cells.len();
        let mut per_cell: Vec<(Vec<usize>, Vec<usize>)> = vec![(Vec::new(), Vec::new()); n];
        for (i, s) in self.old.iter().enumerate() {
            for c in s.actions.iter() {
                if let Some(slot) = per_cell.get_mut(c) {
                    slot.0.push(i);
                }
            }
        }
        for (i, s) in self.new.iter().enumerate() {
            for c in s.actions.iter() {
                if let Some(slot) = per_cell.get_mut(c) {
                    slot.1.push(i);
                }
            }
        }
        let mut index: HashMap<(Vec<usize>, Vec<usize>), usize> = HashMap::default();
        let mut slices: Vec<Slice> = Vec::new();
        for (c, sig) in per_cell.into_iter().enumerate() {
            let has_allow = sig.0.iter().any(|&i| self.old.get(i).is_some_and(is_allow))
                || sig.1.iter().any(|&i| self.new.get(i).is_some_and(is_allow));
            if !has_allow {
                continue;
            }
            match index.get(&sig) {
                Some(&k) => {
                    if let Some(s) = slices.get_mut(k) {
                        s.cells.insert(c);
                    }
                }
                None => {
                    let mut cells = Bits::empty(n);
                    cells.insert(c);
                    index.insert(sig.clone(), slices.len());
                    slices.push(Slice {
                        cells,
                        old: sig.0,
                        new: sig.1,
                    });
                }
            }
        }
        slices
    }

    /// The problem of one slice.
    pub(crate) fn problem(
        &self,
        slice: &Slice,
        cache: &mut DimCache,
    ) -> Result<Problem<'_>, Unsupported> {
        let stmts: Vec<&SymStmt> = slice
            .old
            .iter()
            .filter_map(|&i| self.old.get(i))
            .chain(slice.new.iter().filter_map(|&i| self.new.get(i)))
            .collect();
        let mut blocks: Vec<usize> = Vec::new();
        let mut principals: Vec<usize> = Vec::new();
        let mut entries: HashMap<usize, Vec<usize>> = HashMap::default();
        let mut frees: Vec<usize> = Vec::new();
        for s in &stmts {
            for sym in &s.syms {
                match sym {
                    Sym::Resource { block, .. } => blocks.push(*block),
                    Sym::Principal(p) => principals.push(*p),
                    Sym::Cond { key, entry } => entries.entry(*key).or_default().push(*entry),
                    Sym::Free { id, .. } => frees.push(*id),
                }
            }
        }
        for key in self
            .keys
            .iter()
            .enumerate()
            .filter(|(_, k)| k.forced.is_some())
            .map(|(i, _)| i)
        {
            entries.entry(key).or_default();
        }
        for list in [&mut blocks, &mut principals, &mut frees] {
            list.sort_unstable();
            list.dedup();
        }
        // With a principal dimension, the keys AWS derives from the caller
        // are read on it, not as free context keys.
        let mut linked: Vec<(usize, usize)> = Vec::new();
        if !principals.is_empty() {
            for (key, list) in &mut entries {
                let Some(info) = self.keys.get(*key) else {
                    continue;
                };
                if info.forced.is_none()
                    && LINKED.contains(&info.name.to_ascii_lowercase().as_str())
                {
                    linked.extend(list.drain(..).map(|e| (*key, e)));
                }
            }
            entries.retain(|_, list| !list.is_empty());
            linked.sort_unstable();
            linked.dedup();
        }
        let mut dims: Vec<Dim> = vec![Dim {
            kind: DimKind::Action,
            reps: Vec::new(),
            elements: Vec::new(),
        }];
        let mut givens = vec![Atom {
            dim: 0,
            pred: Pred::Bits(slice.cells.clone()),
        }];
        let mut block_pred: HashMap<usize, (usize, Bits)> = HashMap::default();
        if !blocks.is_empty() {
            let (dim, columns) = match cache.resources.get(&blocks) {
                Some(hit) => hit.clone(),
                None => {
                    let built = self.resource_dim(&blocks)?;
                    cache.resources.insert(blocks.clone(), built.clone());
                    built
                }
            };
            let d = dims.len();
            dims.push(dim);
            for (b, col) in blocks.iter().zip(columns) {
                block_pred.insert(*b, (d, col));
            }
        }
        let mut principal_pred: HashMap<usize, (usize, Bits)> = HashMap::default();
        let mut entry_pred: HashMap<(usize, usize), (usize, Pred)> = HashMap::default();
        if !principals.is_empty() {
            let cache_key = (principals.clone(), linked.clone());
            let (dim, columns) = match cache.principals.get(&cache_key) {
                Some(hit) => hit.clone(),
                None => {
                    let built = self.principal_dim(&principals, &linked);
                    cache.principals.insert(cache_key, built.clone());
                    built
                }
            };
            let d = dims.len();
            dims.push(dim);
            let mut columns = columns.into_iter();
            for (p, col) in principals.iter().zip(columns.by_ref()) {
                principal_pred.insert(*p, (d, col));
            }
            for (ke, col) in linked.iter().zip(columns) {
                entry_pred.insert(*ke, (d, Pred::Bits(col)));
            }
        }
        let mut keys: Vec<(usize, Vec<usize>)> = entries.into_iter().collect();
        keys.sort_unstable();
        for (key, mut list) in keys {
            list.sort_unstable();
            list.dedup();
            let Some(info) = self.keys.get(key) else {
                continue;
            };
            let cache_key = (key, list.clone());
            let kd = match cache.keys.get(&cache_key) {
                Some(hit) => hit.clone(),
                None => {
                    let built = key_dim(info, &list)?;
                    cache.keys.insert(cache_key, built.clone());
                    built
                }
            };
            let d = dims.len();
            dims.push(kd.dim);
            for g in kd.givens {
                givens.push(Atom { dim: d, pred: g });
            }
            for (e, p) in list.iter().zip(kd.preds) {
                entry_pred.insert((key, *e), (d, p));
            }
        }
        let mut free_dim: HashMap<usize, usize> = HashMap::default();
        for f in frees {
            free_dim.insert(f, dims.len());
            dims.push(Dim {
                kind: DimKind::Free,
                reps: vec!["false".into(), "true".into()],
                elements: Vec::new(),
            });
        }
        let convert = |s: &SymStmt| -> Stmt {
            let mut atoms = Vec::new();
            for sym in &s.syms {
                let atom = match sym {
                    Sym::Resource { block, negated } => block_pred.get(block).map(|(d, b)| Atom {
                        dim: *d,
                        pred: Pred::Bits(if *negated { b.not() } else { b.clone() }),
                    }),
                    Sym::Principal(p) => principal_pred.get(p).map(|(d, b)| Atom {
                        dim: *d,
                        pred: Pred::Bits(b.clone()),
                    }),
                    Sym::Cond { key, entry } => {
                        entry_pred.get(&(*key, *entry)).map(|(d, p)| Atom {
                            dim: *d,
                            pred: p.clone(),
                        })
                    }
                    Sym::Free { id, negated } => free_dim.get(id).map(|d| Atom {
                        dim: *d,
                        pred: Pred::Bits(single(2, usize::from(!negated))),
                    }),
                };
                atoms.extend(atom);
            }
            Stmt {
                index: s.index,
                atoms,
            }
        };
        let side = |ids: &[usize], stmts: &[SymStmt], groups: usize| -> Side {
            let mut side = Side {
                groups: vec![Vec::new(); groups],
                denies: Vec::new(),
            };
            for s in ids.iter().filter_map(|&i| stmts.get(i)) {
                match s.effect {
                    warden_policy::ast::Effect::Allow => {
                        if let Some(g) = side.groups.get_mut(s.group) {
                            g.push(convert(s));
                        }
                    }
                    warden_policy::ast::Effect::Deny => side.denies.push(convert(s)),
                }
            }
            side
        };
        Ok(Problem {
            sym: self,
            old: side(&slice.old, &self.old, self.old_groups),
            new: side(&slice.new, &self.new, self.new_groups),
            dims,
            givens,
        })
    }

    fn resource_dim(&self, blocks: &[usize]) -> Result<(Dim, Vec<Bits>), Unsupported> {
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
            return Err(format!(
                "{} resource patterns with policy variables apply to one action",
                free.len()
            ));
        }
        // Requests name a resource by ARN (six parts) or `*`: cells outside
        // that shape are left out. Most cells' shortest strings already
        // have the shape, or get it by padding; only otherwise is the shape
        // explored with the patterns (which multiplies the states).
        let shape = arn_shape();
        let star = Glob::literal("*", false);
        let in_shape = |w: &str| w == "*" || shape.matches(w);
        let limit_err = |e: crate::glob::Exceeded| e.reason("the resource patterns of one action");
        let found = explore_unions(&unions, &[], false, STATE_LIMIT).map_err(limit_err)?;
        let membership = |w: &str| -> Vec<bool> {
            unions
                .iter()
                .map(|u| u.iter().any(|g| g.matches(w)))
                .collect()
        };
        let mut reps: Vec<String> = Vec::with_capacity(found.len());
        let mut repaired = true;
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
                    repaired = false;
                    break;
                }
            }
        }
        if !repaired {
            let mut with_shape = unions.clone();
            with_shape.push(vec![&shape, &star]);
            reps = explore_unions(&with_shape, &[], false, STATE_LIMIT)
                .map_err(limit_err)?
                .into_iter()
                .filter(|f| f.matches.contains(blocks.len()))
                .map(|f| f.witness)
                .collect();
        }
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
            let n = reps.len();
            let combos = 1usize << free.len();
            let mut out_reps = Vec::with_capacity(n * combos);
            for _ in 0..combos {
                out_reps.extend(reps.iter().cloned());
            }
            let out_cols = blocks
                .iter()
                .zip(&columns)
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

    /// The principal dimension: callers classified by the `Principal`
    /// elements, then by the `linked` condition entries (on keys AWS sets
    /// from the caller, read with the values AWS would set).
    fn principal_dim(&self, principals: &[usize], linked: &[(usize, usize)]) -> (Dim, Vec<Bits>) {
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
            let Ok(found) = explore_unions(&unions, &[], false, STATE_LIMIT) else {
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

impl Symbolic {
    /// How the elements of `dim` classify `value` (for a single-valued key:
    /// present with that value). Two values of one cell classify alike.
    pub(crate) fn classify_value(&self, dim: &Dim, value: &str) -> Vec<bool> {
        let empty = RequestContext::new();
        match &dim.kind {
            DimKind::Resource => dim
                .elements
                .iter()
                .map(|&b| {
                    self.blocks.get(b).is_some_and(|ids| {
                        ids.iter()
                            .filter_map(|&p| self.resources.get(p))
                            .any(|(_, probe)| probe.matches(value, &empty))
                    })
                })
                .collect(),
            DimKind::Principal => dim
                .elements
                .iter()
                .map(|&p| {
                    self.principals
                        .get(p)
                        .is_some_and(|(probe, _)| probe.applies(&Caller::parse(value)))
                })
                .collect(),
            DimKind::Key { name, .. } => {
                let Some(info) = self.keys.iter().find(|k| k.name == *name) else {
                    return Vec::new();
                };
                let mut ctx = RequestContext::new();
                ctx.insert(name, ContextValue::Single(value.to_string()));
                for a in &info.aliases {
                    ctx.insert(a, ContextValue::Single(value.to_string()));
                }
                dim.elements
                    .iter()
                    .map(|&e| info.entries.get(e).is_some_and(|e| e.probe.evaluate(&ctx)))
                    .collect()
            }
            DimKind::Action | DimKind::Free => Vec::new(),
        }
    }
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

fn is_allow(s: &SymStmt) -> bool {
    s.effect == warden_policy::ast::Effect::Allow
}

/// The dimension of one condition key over the entries `list`.
fn key_dim(info: &KeyInfo, list: &[usize]) -> Result<KeyDim, Unsupported> {
    let entries: Vec<&crate::encode::Entry> =
        list.iter().filter_map(|&e| info.entries.get(e)).collect();
    let mut family: Option<Family> = None;
    for e in &entries {
        if let Some(f) = e.operator.base.and_then(family_of) {
            match family {
                Some(g) if g != f => {
                    return Err(format!(
                        "condition key `{}` is compared both as {g:?} and as {f:?}",
                        info.name
                    ));
                }
                _ => family = Some(f),
            }
        }
    }
    if matches!(info.forced, Some(Some(_))) && family.is_some_and(|f| f != Family::Text) {
        return Err(format!(
            "policy variable `${{{}}}` on a key compared as {family:?}",
            info.name
        ));
    }
    // Set-valued when a set operator is used on the key anywhere in the
    // policies (not only in this slice), or the catalog says so.
    let set = info.entries.iter().any(|e| e.operator.qualifier.is_some())
        || warden_catalog::Catalog::get()
            .condition_key(&info.name)
            .is_some_and(|k| k.key_type().is_array());
    let constants: Vec<&str> = entries
        .iter()
        .flat_map(|e| e.values.iter().map(|v| v.raw.as_str()))
        .collect();
    let mut reps: Vec<String> = Vec::new();
    reps.extend(info.forced.iter().flatten().cloned());
    reps.extend(info.extra.iter().cloned());
    match family {
        None => reps.push("example".into()),
        Some(Family::Number) => reps.extend(number_reps(&constants)),
        Some(Family::Date) => reps.extend(date_reps(&constants)),
        Some(Family::Ip) => reps.extend(ip_reps(&constants)),
        Some(Family::Text) => {
            let mut owned: Vec<Vec<Glob>> = Vec::new();
            for e in &entries {
                let Some(base) = e.operator.base else {
                    continue;
                };
                owned.push(e.values.iter().flat_map(|v| value_globs(base, v)).collect());
            }
            for v in info.forced.iter().flatten().chain(&info.extra) {
                owned.push(vec![Glob::literal(v, false)]);
            }
            let unions: Vec<Vec<&Glob>> = owned.iter().map(|u| u.iter().collect()).collect();
            let found = explore_unions(&unions, &[], false, STATE_LIMIT)
                .map_err(|e| e.reason(&format!("the values of condition key `{}`", info.name)))?;
            reps.extend(found.into_iter().map(|f| f.witness));
        }
    }
    let empty = RequestContext::new();
    let with = |value: &str| {
        let mut ctx = RequestContext::new();
        ctx.insert(&info.name, ContextValue::Single(value.to_string()));
        for a in &info.aliases {
            ctx.insert(a, ContextValue::Single(value.to_string()));
        }
        ctx
    };
    let always = ALWAYS_PRESENT.contains(&info.name.to_ascii_lowercase().as_str());
    if set {
        let (reps, columns) = classify(reps, entries.len(), |i, rep| {
            entries.get(i).is_some_and(|e| match e.operator.base {
                Some(BaseOperator::Null) => e.probe.evaluate(&with(rep)),
                _ => e.probe.test_value(rep, &empty),
            })
        });
        let preds = entries
            .iter()
            .zip(columns)
            .map(|(e, pred)| {
                let negated = e.operator.base.is_some_and(BaseOperator::is_negated);
                let all = match e.operator.qualifier {
                    Some(SetQualifier::ForAllValues) => true,
                    Some(SetQualifier::ForAnyValue) => false,
                    None => negated && e.operator.base != Some(BaseOperator::Null),
                };
                Pred::Set {
                    absent: e.probe.evaluate(&empty),
                    all,
                    pred,
                }
            })
            .collect();
        let n = reps.len();
        let mut givens = Vec::new();
        if let Some(forced) = &info.forced {
            givens.push(match forced {
                Some(_) => Pred::Set {
                    absent: false,
                    all: true,
                    pred: single(n, 0),
                },
                None => Pred::Set {
                    absent: true,
                    all: true,
                    pred: Bits::empty(n),
                },
            });
        } else if always {
            givens.push(Pred::Set {
                absent: false,
                all: false,
                pred: Bits::full(n),
            });
        }
        return Ok(KeyDim {
            dim: Dim {
                kind: DimKind::Key {
                    name: info.name.clone(),
                    set: true,
                },
                reps,
                elements: list.to_vec(),
            },
            preds,
            givens,
        });
    }
    // Single-valued: cell 0 is "absent".
    let (reps, columns) = classify(reps, entries.len(), |i, rep| {
        entries.get(i).is_some_and(|e| e.probe.evaluate(&with(rep)))
    });
    let n = reps.len() + 1;
    let preds = entries
        .iter()
        .zip(columns)
        .map(|(e, col)| {
            let mut bits = Bits::empty(n);
            if e.probe.evaluate(&empty) {
                bits.insert(0);
            }
            for c in col.iter() {
                bits.insert(c + 1);
            }
            Pred::Bits(bits)
        })
        .collect();
    let mut givens = Vec::new();
    if let Some(forced) = &info.forced {
        givens.push(Pred::Bits(single(n, if forced.is_some() { 1 } else { 0 })));
    } else if always {
        let mut present = Bits::full(n);
        present.minus(&single(n, 0));
        givens.push(Pred::Bits(present));
    }
    let mut all_reps = vec![String::new()];
    all_reps.extend(reps);
    Ok(KeyDim {
        dim: Dim {
            kind: DimKind::Key {
                name: info.name.clone(),
                set: false,
            },
            reps: all_reps,
            elements: list.to_vec(),
        },
        preds,
        givens,
    })
}
