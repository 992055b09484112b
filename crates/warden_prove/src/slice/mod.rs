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

//!
//! One file per dimension: `resource`, `principal`, `key`.

mod key;
mod principal;
mod resource;

use crate::glob::FxMap as HashMap;

use warden_eval::{Caller, ContextValue, RequestContext};

use crate::bits::Bits;
use crate::budget::Budget;
use crate::encode::{Sym, SymStmt, Symbolic};
use crate::patterns::single;
use crate::problem::{Atom, Dim, DimKind, Pred, Problem, Side, Stmt};
use crate::unknown::Unknown;
use crate::variables::Place;
use warden_ir::pattern::Mode;
use warden_policy::pattern::Pattern;

use key::{KeyDim, key_dim};

/// Keys AWS sets from the caller: read on the principal dimension when
/// there is one.
const LINKED: &[&str] = &["aws:principalarn", "aws:principalaccount", "aws:username"];

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

    /// The problem of one slice: the dimensions its statements use (in
    /// order: action, resource, principal, condition keys, free booleans)
    /// and both sides' statements as atoms over them.
    pub(crate) fn problem(
        &self,
        slice: &Slice,
        cache: &mut DimCache,
        budget: &Budget,
    ) -> Result<Problem<'_>, Unknown> {
        let used = self.used_by(slice);
        let mut b = ProblemDims::new(slice);
        self.add_resource_dim(&mut b, &used.blocks, cache, budget)?;
        self.add_principal_dim(&mut b, &used, cache, budget);
        self.add_key_dims(&mut b, used.entries, cache, budget)?;
        b.add_free_dims(&used.frees);
        Ok(Problem {
            sym: self,
            old: b.side(&slice.old, &self.old, self.old_groups),
            new: b.side(&slice.new, &self.new, self.new_groups),
            dims: b.dims,
            givens: b.givens,
        })
    }

    /// The policy variables (keys lowercase, sorted) that decide whether
    /// the statements of `slice` apply: those their blocks mention, and
    /// those of `variables` whose key a condition of theirs tests.
    pub(crate) fn slice_variables(&self, slice: &Slice, variables: &[String]) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for s in self.statements_of(slice) {
            for sym in &s.syms {
                match sym {
                    Sym::Free { id, .. } => {
                        out.extend(self.free_vars.get(*id).into_iter().flatten().cloned());
                    }
                    Sym::Resource { block, .. } => {
                        for &p in self.blocks.get(*block).into_iter().flatten() {
                            out.extend(self.resource_vars.get(p).into_iter().flatten().cloned());
                        }
                    }
                    Sym::Cond { key, .. } => {
                        if let Some(info) = self.keys.get(*key) {
                            let names = std::iter::once(&info.name).chain(&info.aliases);
                            for name in names {
                                let lower = name.to_ascii_lowercase();
                                if variables.contains(&lower) {
                                    out.push(lower);
                                }
                            }
                        }
                    }
                    Sym::Principal(_) => {}
                }
            }
        }
        out.sort();
        out.dedup();
        out
    }

    /// The policy variables (lowercase, sorted) of the blocks with
    /// variables that only one side's statements in `slice` use: a block
    /// both sides share reads the same on both, whatever its values.
    pub(crate) fn one_sided_variables(&self, slice: &Slice) -> Vec<String> {
        // Per free element (condition free id, or resource pattern id):
        // the sides using it.
        let mut sides: HashMap<(bool, usize), [bool; 2]> = HashMap::default();
        for (side, ids, stmts) in [(0, &slice.old, &self.old), (1, &slice.new, &self.new)] {
            for s in ids.iter().filter_map(|&i| stmts.get(i)) {
                for sym in &s.syms {
                    match sym {
                        Sym::Free { id, .. } => {
                            if let Some(slot) = sides.entry((false, *id)).or_default().get_mut(side)
                            {
                                *slot = true;
                            }
                        }
                        Sym::Resource { block, .. } => {
                            for &p in self.blocks.get(*block).into_iter().flatten() {
                                if self.resource_free.get(p).copied().unwrap_or(false)
                                    && let Some(slot) =
                                        sides.entry((true, p)).or_default().get_mut(side)
                                {
                                    *slot = true;
                                }
                            }
                        }
                        Sym::Cond { .. } | Sym::Principal(_) => {}
                    }
                }
            }
        }
        let mut out: Vec<String> = Vec::new();
        for ((resource, id), used) in sides {
            if used == [true, true] {
                continue;
            }
            let vars = if resource {
                self.resource_vars.get(id)
            } else {
                self.free_vars.get(id)
            };
            out.extend(vars.into_iter().flatten().cloned());
        }
        out.sort();
        out.dedup();
        out
    }

    /// The string patterns the statements of `slice` compare values with,
    /// each with its place and how it is read (as written, variables
    /// included): what the cells of a policy variable come from.
    pub(crate) fn slice_patterns(&self, slice: &Slice) -> Vec<(Place, Pattern, Mode)> {
        let mut out: Vec<(Place, Pattern, Mode)> = Vec::new();
        for s in self.statements_of(slice) {
            for sym in &s.syms {
                match sym {
                    Sym::Free { id, .. } => {
                        if let Some(Some((key, Some(mode), values))) = self.free_entries.get(*id) {
                            for v in values {
                                out.push((Place::Key(key.clone()), v.clone(), *mode));
                            }
                        }
                    }
                    Sym::Resource { block, .. } => {
                        for &p in self.blocks.get(*block).into_iter().flatten() {
                            if let Some(pattern) = self.resource_patterns.get(p) {
                                out.push((Place::Resource, pattern.clone(), Mode::RESOURCE));
                            }
                        }
                    }
                    Sym::Cond { key, entry } => {
                        let Some(info) = self.keys.get(*key) else {
                            continue;
                        };
                        let Some(e) = info.entries.get(*entry) else {
                            continue;
                        };
                        let Some(mode) = e.operator.base.and_then(Mode::of_operator) else {
                            continue;
                        };
                        for name in std::iter::once(&info.name).chain(&info.aliases) {
                            let place = Place::Key(name.to_ascii_lowercase());
                            for v in &e.values {
                                out.push((place.clone(), v.pattern.clone(), mode));
                            }
                        }
                    }
                    Sym::Principal(_) => {}
                }
            }
        }
        out.sort_by(|a, b| format!("{:?}", (&a.0, &a.1)).cmp(&format!("{:?}", (&b.0, &b.1))));
        out.dedup();
        out
    }

    /// The statements of `slice`: OLD's, then NEW's.
    fn statements_of<'a>(&'a self, slice: &'a Slice) -> impl Iterator<Item = &'a SymStmt> + 'a {
        let old = slice.old.iter().filter_map(|&i| self.old.get(i));
        old.chain(slice.new.iter().filter_map(|&i| self.new.get(i)))
    }

    /// The elements the statements of `slice` use, each once.
    fn used_by(&self, slice: &Slice) -> Used {
        let mut used = Used::default();
        for s in self.statements_of(slice) {
            for sym in &s.syms {
                match sym {
                    Sym::Resource { block, .. } => used.blocks.push(*block),
                    Sym::Principal(p) => used.principals.push(*p),
                    Sym::Cond { key, entry } => {
                        used.entries.entry(*key).or_default().push(*entry);
                    }
                    Sym::Free { id, .. } => used.frees.push(*id),
                }
            }
        }
        // Keys a substitution forces get a dimension even where unused.
        for key in self
            .keys
            .iter()
            .enumerate()
            .filter(|(_, k)| k.forced.is_some())
            .map(|(i, _)| i)
        {
            used.entries.entry(key).or_default();
        }
        for list in [&mut used.blocks, &mut used.principals, &mut used.frees] {
            list.sort_unstable();
            list.dedup();
        }
        if !used.principals.is_empty() {
            self.link_caller_keys(&mut used);
        }
        used
    }

    /// With a principal dimension, the keys AWS derives from the caller
    /// are read on it, not as free context keys: moves their entries from
    /// `used.entries` to `used.linked`.
    fn link_caller_keys(&self, used: &mut Used) {
        for (key, list) in &mut used.entries {
            let Some(info) = self.keys.get(*key) else {
                continue;
            };
            if info.forced.is_none() && LINKED.contains(&info.name.to_ascii_lowercase().as_str()) {
                used.linked.extend(list.drain(..).map(|e| (*key, e)));
            }
        }
        used.entries.retain(|_, list| !list.is_empty());
        used.linked.sort_unstable();
        used.linked.dedup();
    }

    /// The resource dimension, when the slice's statements name resources.
    fn add_resource_dim(
        &self,
        b: &mut ProblemDims,
        blocks: &[usize],
        cache: &mut DimCache,
        budget: &Budget,
    ) -> Result<(), Unknown> {
        if blocks.is_empty() {
            return Ok(());
        }
        let (dim, columns) = match cache.resources.get(blocks) {
            Some(hit) => hit.clone(),
            None => {
                let built = self.resource_dim(blocks, budget)?;
                cache.resources.insert(blocks.to_vec(), built.clone());
                built
            }
        };
        let d = b.dims.len();
        b.dims.push(dim);
        for (block, col) in blocks.iter().zip(columns) {
            b.block_pred.insert(*block, (d, col));
        }
        Ok(())
    }

    /// The principal dimension, when the slice's statements name
    /// principals; it also carries the linked condition entries.
    fn add_principal_dim(
        &self,
        b: &mut ProblemDims,
        used: &Used,
        cache: &mut DimCache,
        budget: &Budget,
    ) {
        if used.principals.is_empty() {
            return;
        }
        let cache_key = (used.principals.clone(), used.linked.clone());
        let (dim, columns) = match cache.principals.get(&cache_key) {
            Some(hit) => hit.clone(),
            None => {
                let built = self.principal_dim(&used.principals, &used.linked, budget);
                cache.principals.insert(cache_key, built.clone());
                built
            }
        };
        let d = b.dims.len();
        b.dims.push(dim);
        let mut columns = columns.into_iter();
        for (p, col) in used.principals.iter().zip(columns.by_ref()) {
            b.principal_pred.insert(*p, (d, col));
        }
        for (ke, col) in used.linked.iter().zip(columns) {
            b.entry_pred.insert(*ke, (d, Pred::Bits(col)));
        }
    }

    /// One dimension per condition key, in key order.
    fn add_key_dims(
        &self,
        b: &mut ProblemDims,
        entries: HashMap<usize, Vec<usize>>,
        cache: &mut DimCache,
        budget: &Budget,
    ) -> Result<(), Unknown> {
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
                    let built = key_dim(info, &list, budget)?;
                    cache.keys.insert(cache_key, built.clone());
                    built
                }
            };
            let d = b.dims.len();
            b.dims.push(kd.dim);
            for g in kd.givens {
                b.givens.push(Atom { dim: d, pred: g });
            }
            for (e, p) in list.iter().zip(kd.preds) {
                b.entry_pred.insert((key, *e), (d, p));
            }
        }
        Ok(())
    }
}

/// The elements the statements of one slice use.
#[derive(Default)]
struct Used {
    /// Resource blocks.
    blocks: Vec<usize>,
    /// Principal elements.
    principals: Vec<usize>,
    /// Condition entries, by key.
    entries: HashMap<usize, Vec<usize>>,
    /// Free booleans (blocks with policy variables).
    frees: Vec<usize>,
    /// Entries (key, entry) on keys AWS derives from the caller, read on
    /// the principal dimension.
    linked: Vec<(usize, usize)>,
}

/// The dimensions of a problem being built, and for each element the
/// dimension and cells where it holds.
struct ProblemDims {
    dims: Vec<Dim>,
    givens: Vec<Atom>,
    block_pred: HashMap<usize, (usize, Bits)>,
    principal_pred: HashMap<usize, (usize, Bits)>,
    entry_pred: HashMap<(usize, usize), (usize, Pred)>,
    free_dim: HashMap<usize, usize>,
}

impl ProblemDims {
    /// The action dimension (always dimension 0), settled to the slice's
    /// cells.
    fn new(slice: &Slice) -> ProblemDims {
        ProblemDims {
            dims: vec![Dim {
                kind: DimKind::Action,
                reps: Vec::new(),
                elements: Vec::new(),
            }],
            givens: vec![Atom {
                dim: 0,
                pred: Pred::Bits(slice.cells.clone()),
            }],
            block_pred: HashMap::default(),
            principal_pred: HashMap::default(),
            entry_pred: HashMap::default(),
            free_dim: HashMap::default(),
        }
    }

    /// One two-cell dimension per free boolean.
    fn add_free_dims(&mut self, frees: &[usize]) {
        for &f in frees {
            self.free_dim.insert(f, self.dims.len());
            self.dims.push(Dim {
                kind: DimKind::Free,
                reps: vec!["false".into(), "true".into()],
                elements: Vec::new(),
            });
        }
    }

    /// A statement as atoms over the dimensions.
    fn stmt(&self, s: &SymStmt) -> Stmt {
        let mut atoms = Vec::new();
        for sym in &s.syms {
            let atom = match sym {
                Sym::Resource { block, negated } => self.block_pred.get(block).map(|(d, b)| Atom {
                    dim: *d,
                    pred: Pred::Bits(if *negated { b.not() } else { b.clone() }),
                }),
                Sym::Principal(p) => self.principal_pred.get(p).map(|(d, b)| Atom {
                    dim: *d,
                    pred: Pred::Bits(b.clone()),
                }),
                Sym::Cond { key, entry } => {
                    self.entry_pred.get(&(*key, *entry)).map(|(d, p)| Atom {
                        dim: *d,
                        pred: p.clone(),
                    })
                }
                Sym::Free { id, negated } => self.free_dim.get(id).map(|d| Atom {
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
    }

    /// One side's statements `ids` (of `stmts`), Allows by group.
    fn side(&self, ids: &[usize], stmts: &[SymStmt], groups: usize) -> Side {
        let mut side = Side {
            groups: vec![Vec::new(); groups],
            denies: Vec::new(),
        };
        for s in ids.iter().filter_map(|&i| stmts.get(i)) {
            match s.effect {
                warden_policy::ast::Effect::Allow => {
                    if let Some(g) = side.groups.get_mut(s.group) {
                        g.push(self.stmt(s));
                    }
                }
                warden_policy::ast::Effect::Deny => side.denies.push(self.stmt(s)),
            }
        }
        side
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

fn is_allow(s: &SymStmt) -> bool {
    s.effect == warden_policy::ast::Effect::Allow
}
