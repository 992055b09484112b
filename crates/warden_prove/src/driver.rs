//! The procedure behind [`crate::compare`]: encode both sides, search the
//! slices, replay the witness; with policy variables, search again under
//! concrete values where the over-approximation found a difference.

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

    /// With policy variables: searches the slices `only` again under each
    /// assignment of values to try, until one shows a difference.
    fn with_values(&self, only: &[usize], prior: &Symbolic) -> Verdict {
        let all: Vec<&Policy> = self.old.all().into_iter().chain(self.new.all()).collect();
        let keys = variables::keys(&all);
        for assignment in variables::assignments(&keys, &all) {
            let sym = match encode::build(
                self.old,
                self.new,
                self.options.role,
                self.options.known_actions,
                Some(&assignment),
                &[],
                Some(prior),
                self.budget,
            ) {
                Ok(s) => s,
                Err(reason) => return Verdict::Unknown(reason),
            };
            let mut cache = DimCache::default();
            let scope = Scope {
                only: Some(only),
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
                Err(Unknown::Timeout) => return Verdict::Unknown(Unknown::Timeout),
                Err(_) | Ok(None) | Ok(Some(Found::Approximate(_))) => continue,
                Ok(Some(Found::Witness(w))) => return confirm(w, self.replay, self.dir),
            }
        }
        Verdict::Unknown(Unknown::PolicyVariables { keys })
    }
}

/// The verdict for a witness: yes when the evaluator confirms it.
pub(crate) fn confirm(w: Witness, replay: &Replay, dir: Direction) -> Verdict {
    match replay.check(&w.request, dir == Direction::Added) {
        Ok(()) => Verdict::Yes(Box::new(w)),
        Err(bug) => Verdict::Unknown(bug),
    }
}
