//! The procedure behind [`crate::compare`]: encode both sides, search the
//! slices, replay the witness; with policy variables, search again under
//! concrete values where the over-approximation found a difference.

use std::cell::RefCell;
use std::collections::BTreeMap;

use warden_policy::Policy;

use crate::budget::Budget;
use crate::encode::{self, Symbolic};
use crate::problem::{Problem, Side};
use crate::replay::Replay;
use crate::search::{Domain, find};
use crate::slice::{DimCache, Slice};
use crate::unknown::Unknown;
use crate::variables;
use crate::verdict::{Comparison, DiffOptions, PolicyStack, Verdict, Witness};
use crate::witness;

/// Which way a question goes.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Direction {
    /// NEW allows, OLD does not.
    Added,
    /// OLD allows, NEW does not.
    Removed,
}

/// Both directions of a comparison, within `budget`.
pub(crate) fn compare(
    old: &PolicyStack<'_>,
    new: &PolicyStack<'_>,
    options: &DiffOptions,
    budget: &Budget,
) -> Comparison {
    let [new_access, removed_access] = decide(
        old,
        new,
        options,
        budget,
        [Direction::Added, Direction::Removed],
    );
    Comparison {
        new_access,
        removed_access,
    }
}

/// The asked directions of a comparison, within `budget`, sharing one
/// encoding and its cells.
pub(crate) fn decide<const N: usize>(
    old: &PolicyStack<'_>,
    new: &PolicyStack<'_>,
    options: &DiffOptions,
    budget: &Budget,
    directions: [Direction; N],
) -> [Verdict; N] {
    let sym = match encode::build(
        old,
        new,
        options.role,
        options.known_actions,
        None,
        &[],
        None,
        budget,
    ) {
        Ok(s) => s,
        Err(reason) => return directions.map(|_| Verdict::Unknown(reason.clone())),
    };
    let replay = Replay::new(old, new, options.role);
    let mut cache = DimCache::default();
    let slices = sym.slices();
    directions.map(|dir| {
        let scope = Scope {
            approximate: sym.has_variables,
            ..Scope::default()
        };
        let first = search(&sym, &slices, &scope, &mut cache, dir, budget);
        let question = Question {
            old,
            new,
            options,
            replay: &replay,
            dir,
            budget,
        };
        question.resolve(first, &sym)
    })
}

fn sides<'p>(problem: &'p Problem<'_>, dir: Direction) -> (&'p Side, &'p Side) {
    match dir {
        Direction::Added => (&problem.new, &problem.old),
        Direction::Removed => (&problem.old, &problem.new),
    }
}

/// What a search over the slices found.
pub(crate) enum Found {
    /// A witness (not yet replayed) and the slices holding it.
    Witness(Witness),
    /// With policy variables read as free booleans: the slices where the
    /// over-approximation differs (only they can hold a real difference).
    Approximate(Vec<usize>),
}

/// Which slices a search looks at, and how.
#[derive(Default)]
pub(crate) struct Scope<'a> {
    /// Only these slices (all when `None`).
    pub only: Option<&'a [usize]>,
    /// List every differing slice instead of returning the first witness
    /// (policy variables read as free booleans).
    pub approximate: bool,
    /// Extra constraints on each slice's problem (the public-access check
    /// pins the caller to an outsider).
    pub adjust: Option<&'a dyn Fn(&mut Problem<'_>)>,
}

/// Searches the slices in `scope` where the granting side allows
/// something.
pub(crate) fn search(
    sym: &Symbolic,
    slices: &[Slice],
    scope: &Scope<'_>,
    cache: &mut DimCache,
    dir: Direction,
    budget: &Budget,
) -> Result<Option<Found>, Unknown> {
    let mut unknown: Option<Unknown> = None;
    let mut differing: Vec<usize> = Vec::new();
    for (k, slice) in slices.iter().enumerate() {
        if scope.only.is_some_and(|o| !o.contains(&k))
            || !slice.allows(sym, dir == Direction::Added)
        {
            continue;
        }
        let mut problem = match sym.problem(slice, cache, budget) {
            Ok(p) => p,
            Err(Unknown::Timeout) => return Err(Unknown::Timeout),
            Err(reason) => {
                unknown.get_or_insert(reason);
                continue;
            }
        };
        if let Some(adjust) = scope.adjust {
            adjust(&mut problem);
        }
        let Some(base) = Domain::initial(&problem) else {
            continue;
        };
        let (a, b) = sides(&problem, dir);
        let found = find(a, b, &base, budget).map_err(|_| Unknown::Timeout)?;
        if let Some((domain, granted_by)) = found {
            if scope.approximate {
                differing.push(k);
                continue;
            }
            let request = witness::build(&problem, &domain, sym.role);
            return Ok(Some(Found::Witness(Witness {
                request,
                granted_by,
            })));
        }
    }
    if !differing.is_empty() {
        return Ok(Some(Found::Approximate(differing)));
    }
    match unknown {
        Some(reason) => Err(reason),
        None => Ok(None),
    }
}

/// One direction of a comparison, and what answering it needs.
struct Question<'q> {
    old: &'q PolicyStack<'q>,
    new: &'q PolicyStack<'q>,
    options: &'q DiffOptions,
    replay: &'q Replay,
    dir: Direction,
    budget: &'q Budget,
}

impl Question<'_> {
    /// Turns a search result into a verdict: replays a witness, or (with
    /// policy variables) tries concrete values.
    fn resolve(&self, first: Result<Option<Found>, Unknown>, prior: &Symbolic) -> Verdict {
        match first {
            Err(reason) => Verdict::Unknown(reason),
            Ok(None) => Verdict::No,
            Ok(Some(Found::Witness(w))) => confirm(w, self.replay, self.dir),
            Ok(Some(Found::Approximate(slices))) => self.with_values(&slices, prior),
        }
    }

    /// With policy variables: decides the slices `only` (where reading the
    /// variables as free booleans shows a difference) under concrete values.
    ///
    /// First every variable at a generic value of its own (the most
    /// readable witness). Then, slice by slice, every combination of the
    /// cells of the variables that slice depends on ([`variables::cells`]:
    /// each variable is one more string dimension, its cells the classes of
    /// values the patterns it is compared with tell apart), plus each
    /// variable's generic value and its absence. A variable is one value
    /// shared by every occurrence in a request, so this decides the slice:
    /// no combination showing a difference is a `no`. Before that, fewer
    /// variables are pinned (each alone, then those of blocks only one
    /// side uses), the other blocks staying free booleans (an
    /// over-approximation): when no combination of theirs shows a
    /// difference, neither does any value of the others. Past
    /// [`MAX_CELLS`] cells of one variable or [`MAX_ASSIGNMENTS`]
    /// combinations for one slice, the readable values of
    /// [`variables::assignments`] are tried, and then the answer is
    /// [`Unknown::PolicyVariables`].
    fn with_values(&self, only: &[usize], prior: &Symbolic) -> Verdict {
        let all: Vec<&Policy> = self.old.all().into_iter().chain(self.new.all()).collect();
        let keys = variables::keys(&all);
        let gave_up = || Verdict::Unknown(Unknown::PolicyVariables { keys: keys.clone() });
        let Some(base) = variables::assignments(&keys, &all).into_iter().next() else {
            return gave_up();
        };
        let mut undecided: Option<Unknown> = None;
        match self.try_values(&base, only, prior, false) {
            Tried::Witness(v) => return v,
            Tried::Timeout => return Verdict::Unknown(Unknown::Timeout),
            Tried::Undecided(reason) => undecided = Some(reason),
            Tried::Nothing | Tried::Differs => {}
        }
        let slices = prior.slices();
        let mut groups: BTreeMap<Vec<String>, Vec<usize>> = BTreeMap::new();
        for &k in only {
            if let Some(slice) = slices.get(k) {
                groups
                    .entry(prior.slice_variables(slice, &keys))
                    .or_default()
                    .push(k);
            }
        }
        for (vars, group) in &groups {
            let group_slices: Vec<&Slice> = group.iter().filter_map(|&k| slices.get(k)).collect();
            // The cells of each variable come from the patterns of this
            // group's statements (those of other slices do not apply).
            let patterns: Vec<_> = group_slices
                .iter()
                .flat_map(|slice| prior.slice_patterns(slice))
                .collect();
            let mut core: Vec<String> = group_slices
                .iter()
                .flat_map(|slice| prior.one_sided_variables(slice))
                .filter(|v| vars.contains(v))
                .collect();
            core.sort();
            core.dedup();
            let pinned = Pinned {
                patterns: &patterns,
                base: &base,
                only: group,
                prior,
                cells: RefCell::default(),
            };
            // Pinning fewer variables (the others' blocks free booleans)
            // is cheaper and, when it shows no difference, a proof: each
            // variable alone, then those of one-sided blocks together.
            let mut attempts: Vec<Vec<String>> = vars.iter().map(|v| vec![v.clone()]).collect();
            if core.len() > 1 && core.len() < vars.len() {
                attempts.push(core);
            }
            let mut proven = false;
            for attempt in attempts.iter().filter(|a| a.len() < vars.len()) {
                match self.each_combination(attempt, &pinned, true) {
                    Tried::Nothing => {
                        proven = true;
                        break;
                    }
                    Tried::Timeout => return Verdict::Unknown(Unknown::Timeout),
                    Tried::Witness(v) => return v,
                    Tried::Differs | Tried::Undecided(_) => {}
                }
            }
            if proven {
                continue;
            }
            match self.each_combination(vars, &pinned, false) {
                Tried::Witness(v) => return v,
                Tried::Timeout => return Verdict::Unknown(Unknown::Timeout),
                Tried::Undecided(reason) => undecided = Some(reason),
                // Too many cells: the readable values of `assignments`
                // may still show a difference (a witness is a `yes`).
                Tried::Differs => {
                    for assignment in variables::assignments(&keys, &all).iter().skip(1) {
                        match self.try_values(assignment, group, prior, false) {
                            Tried::Witness(v) => return v,
                            Tried::Timeout => return Verdict::Unknown(Unknown::Timeout),
                            _ => {}
                        }
                    }
                    return gave_up();
                }
                Tried::Nothing => {}
            }
        }
        match undecided {
            Some(reason) => Verdict::Unknown(reason),
            None => Verdict::No,
        }
    }

    /// Searches the slices `pinned.only` under every combination of the
    /// cells of `vars` (the other variables at their generic values, or,
    /// with `partial`, left as free booleans). `Differs` when the cells are
    /// too many, or (with `partial`) a difference shows.
    fn each_combination(&self, vars: &[String], pinned: &Pinned<'_>, partial: bool) -> Tried {
        let mut lists: Vec<Vec<Option<String>>> = Vec::new();
        for v in vars {
            let found = pinned
                .cells
                .borrow_mut()
                .entry(v.clone())
                .or_insert_with(|| variables::cells(v, pinned.patterns, MAX_CELLS))
                .clone();
            let Some(found) = found else {
                return Tried::Differs;
            };
            let mut list: Vec<Option<String>> = found.into_iter().map(Some).collect();
            if let Some((_, generic)) = pinned.base.iter().find(|(k, _)| k == v)
                && !list.contains(generic)
            {
                list.push(generic.clone());
            }
            list.push(None);
            lists.push(list);
        }
        let count = lists
            .iter()
            .try_fold(1usize, |n, l| n.checked_mul(l.len().max(1)));
        if count.is_none_or(|n| n > MAX_ASSIGNMENTS) {
            return Tried::Differs;
        }
        let mut undecided: Option<Unknown> = None;
        let mut digits = vec![0usize; lists.len()];
        loop {
            let mut assignment: Vec<(String, Option<String>)> = if partial {
                Vec::new()
            } else {
                pinned.base.to_vec()
            };
            for ((v, list), &d) in vars.iter().zip(&lists).zip(&digits) {
                let value = list.get(d).cloned().flatten();
                match assignment.iter_mut().find(|(k, _)| k == v) {
                    Some(slot) => slot.1 = value,
                    None => assignment.push((v.clone(), value)),
                }
            }
            match self.try_values(&assignment, pinned.only, pinned.prior, partial) {
                Tried::Nothing => {}
                Tried::Undecided(reason) => undecided = Some(reason),
                other => return other,
            }
            if !next_digits(&mut digits, &lists) {
                break;
            }
        }
        match undecided {
            Some(reason) => Tried::Undecided(reason),
            None => Tried::Nothing,
        }
    }

    /// Searches the slices `only` with the variables at `assignment`.
    fn try_values(
        &self,
        assignment: &[(String, Option<String>)],
        only: &[usize],
        prior: &Symbolic,
        approximate: bool,
    ) -> Tried {
        let sym = match encode::build(
            self.old,
            self.new,
            self.options.role,
            self.options.known_actions,
            Some(assignment),
            &[],
            Some(prior),
            self.budget,
        ) {
            Ok(s) => s,
            Err(Unknown::Timeout) => return Tried::Timeout,
            Err(reason) => return Tried::Undecided(reason),
        };
        let mut cache = DimCache::default();
        let scope = Scope {
            only: Some(only),
            approximate,
            ..Scope::default()
        };
        match search(
            &sym,
            &sym.slices(),
            &scope,
            &mut cache,
            self.dir,
            self.budget,
        ) {
            Err(Unknown::Timeout) => Tried::Timeout,
            Err(reason) => Tried::Undecided(reason),
            Ok(None) => Tried::Nothing,
            Ok(Some(Found::Approximate(_))) => Tried::Differs,
            Ok(Some(Found::Witness(w))) => Tried::Witness(confirm(w, self.replay, self.dir)),
        }
    }
}

/// Cells one variable may have before the comparison gives up.
const MAX_CELLS: usize = 64;

/// Combinations of variable cells tried for one slice at most.
const MAX_ASSIGNMENTS: usize = 1024;

/// What the per-slice search under variable values works with.
struct Pinned<'a> {
    /// The patterns of the slices' statements.
    patterns: &'a [(
        crate::variables::Place,
        warden_policy::pattern::Pattern,
        warden_ir::pattern::Mode,
    )],
    /// Every variable at its generic value.
    base: &'a [(String, Option<String>)],
    /// The slices.
    only: &'a [usize],
    prior: &'a Symbolic,
    /// The cells of each variable over `patterns`, once computed (`None`:
    /// too many).
    cells: RefCell<BTreeMap<String, Option<Vec<String>>>>,
}

/// What searching under one assignment of the variables gave.
enum Tried {
    /// A witness, replayed: the verdict.
    Witness(Verdict),
    /// No difference under these values.
    Nothing,
    /// With blocks left as free booleans: a difference there (or too many
    /// cells to try).
    Differs,
    /// The deadline passed.
    Timeout,
    /// These values could not be decided.
    Undecided(Unknown),
}

/// The next combination (mixed radix over the lists' lengths); false
/// after the last.
fn next_digits(digits: &mut [usize], lists: &[Vec<Option<String>>]) -> bool {
    for (d, list) in digits.iter_mut().zip(lists) {
        *d += 1;
        if *d < list.len() {
            return true;
        }
        *d = 0;
    }
    false
}

/// The verdict for a witness: yes when the evaluator confirms it.
pub(crate) fn confirm(w: Witness, replay: &Replay, dir: Direction) -> Verdict {
    match replay.check(&w.request, dir == Direction::Added) {
        Ok(()) => Verdict::Yes(Box::new(w)),
        Err(bug) => Verdict::Unknown(bug),
    }
}
