//! The search: a request one side allows and the other does not.
//!
//! A domain holds, per dimension, the cells still possible. Dimensions are
//! independent (every atom reads one), so a domain where each dimension is
//! non-empty is a family of requests, and restricting one dimension never
//! affects another. "A allows and B does not" is: some Allow statement of A
//! applies, no Deny of A applies, and either no Allow of B applies or some
//! Deny of B does. Each "does not apply" is a clause "one of its atoms is
//! false"; the search branches on those atoms, most constrained clause
//! first, as DPLL does, and a clause is dropped as soon as one of its atoms
//! cannot hold in the domain.

use crate::bits::Bits;
use crate::budget::{Budget, Timeout};
use crate::problem::{Atom, DimKind, Pred, Problem, Side, Stmt};

/// The possible values of one dimension.
#[derive(Clone, Debug)]
pub(crate) enum Values {
    /// One cell among these.
    Cells(Bits),
    /// A set-valued key: absent (if `absent`), or a non-empty set of cells
    /// within `all` that meets every set in `anys`.
    Set {
        absent: bool,
        all: Bits,
        anys: Vec<Bits>,
    },
}

impl Values {
    fn satisfiable(&self) -> bool {
        match self {
            Values::Cells(b) => !b.is_empty(),
            Values::Set { absent, all, anys } => {
                *absent || (!all.is_empty() && anys.iter().all(|a| a.intersects(all)))
            }
        }
    }

    /// Keeps the values where `pred` (negated: where it is false) holds;
    /// false when none is left.
    fn restrict(&mut self, pred: &Pred, negated: bool) -> bool {
        match (self, pred) {
            (Values::Cells(b), Pred::Bits(p)) => {
                if negated {
                    b.minus(p);
                } else {
                    b.and_with(p);
                }
                !b.is_empty()
            }
            (
                v @ Values::Set { .. },
                Pred::Set {
                    absent: pa,
                    all: pall,
                    pred: p,
                },
            ) => {
                let Values::Set { absent, all, anys } = v else {
                    return false;
                };
                // not(ALL p) = ANY(not p); not(ANY p) = ALL(not p).
                let (pa, pall) = if negated { (!pa, !pall) } else { (*pa, *pall) };
                let p = if negated { p.not() } else { p.clone() };
                *absent &= pa;
                if pall {
                    all.and_with(&p);
                } else {
                    anys.push(p);
                }
                v.satisfiable()
            }
            _ => false,
        }
    }

    /// Whether some value satisfies `pred` (negated: falsifies it).
    fn allows(&self, pred: &Pred, negated: bool) -> bool {
        match (self, pred) {
            (Values::Cells(b), Pred::Bits(p)) => {
                if negated {
                    !b.is_subset(p)
                } else {
                    b.intersects(p)
                }
            }
            _ => self.clone().restrict(pred, negated),
        }
    }
}

/// Possible values of every dimension.
#[derive(Clone, Debug)]
pub(crate) struct Domain(pub Vec<Values>);

impl Domain {
    /// Every value, restricted by the problem's givens.
    pub(crate) fn initial(problem: &Problem) -> Option<Domain> {
        let mut d = Domain(
            problem
                .dims
                .iter()
                .enumerate()
                .map(|(i, dim)| {
                    let n = problem.cells(i);
                    match dim.kind {
                        DimKind::Key { set: true, .. } => Values::Set {
                            absent: true,
                            all: Bits::full(n),
                            anys: Vec::new(),
                        },
                        _ => Values::Cells(Bits::full(n)),
                    }
                })
                .collect(),
        );
        d.restrict_all(&problem.givens).then_some(d)
    }

    fn restrict(&mut self, atom: &Atom, negated: bool) -> bool {
        self.0
            .get_mut(atom.dim)
            .is_some_and(|v| v.restrict(&atom.pred, negated))
    }

    /// Restricts to requests where every atom holds.
    pub(crate) fn restrict_all(&mut self, atoms: &[Atom]) -> bool {
        atoms.iter().all(|a| self.restrict(a, false))
    }

    fn allows(&self, atom: &Atom, negated: bool) -> bool {
        self.0
            .get(atom.dim)
            .is_some_and(|v| v.allows(&atom.pred, negated))
    }
}

/// A request family `a` allows and `b` does not, within `base`, with the
/// index of the Allow statement of `a`'s first group that grants it.
pub(crate) fn find(
    a: &Side,
    b: &Side,
    base: &Domain,
    budget: &Budget,
) -> Result<Option<(Domain, usize)>, Timeout> {
    choose(a, b, 0, base.clone(), None, budget)
}

/// One Allow of each group of `a` (from group `g` on), then "`b` does
/// not allow".
fn choose(
    a: &Side,
    b: &Side,
    g: usize,
    d: Domain,
    granted: Option<usize>,
    budget: &Budget,
) -> Result<Option<(Domain, usize)>, Timeout> {
    let Some(group) = a.groups.get(g) else {
        return refute(a, b, d, granted.unwrap_or(0), budget);
    };
    for s in group {
        budget.tick()?;
        let mut next = d.clone();
        if !next.restrict_all(&s.atoms) {
            continue;
        }
        let found = choose(a, b, g + 1, next, granted.or(Some(s.index)), budget)?;
        if found.is_some() {
            return Ok(found);
        }
    }
    Ok(None)
}

/// Within `d`: no Deny of `a` applies, and `b` does not allow: some group
/// of `b` has no Allow that applies, or a Deny of `b` applies.
fn refute(
    a: &Side,
    b: &Side,
    d: Domain,
    granted: usize,
    budget: &Budget,
) -> Result<Option<(Domain, usize)>, Timeout> {
    for group in &b.groups {
        let clauses: Vec<&Stmt> = a.denies.iter().chain(group).collect();
        if let Some(found) = solve(d.clone(), &clauses, budget)? {
            return Ok(Some((found, granted)));
        }
    }
    for e in &b.denies {
        let mut d2 = d.clone();
        if !d2.restrict_all(&e.atoms) {
            continue;
        }
        let clauses: Vec<&Stmt> = a.denies.iter().collect();
        if let Some(found) = solve(d2, &clauses, budget)? {
            return Ok(Some((found, granted)));
        }
    }
    Ok(None)
}

/// A domain within `d` where no statement of `clauses` applies.
fn solve(d: Domain, clauses: &[&Stmt], budget: &Budget) -> Result<Option<Domain>, Timeout> {
    let mut work: Vec<&Stmt> = clauses.to_vec();
    solve_in(d, &mut work, budget)
}

/// [`solve`] on `clauses`, which it may reorder. Each level moves the
/// clauses that can still apply to the front and hands that prefix down,
/// so the whole search needs one list of clauses, not one per level (a
/// list per level is quadratic in the statements: gigabytes for a policy
/// of thousands).
fn solve_in(d: Domain, clauses: &mut [&Stmt], budget: &Budget) -> Result<Option<Domain>, Timeout> {
    budget.tick()?;
    // Clauses that can still apply, and the one with fewest ways out.
    let mut live = 0usize;
    let mut best: Option<(usize, usize)> = None;
    for i in 0..clauses.len() {
        let Some(&c) = clauses.get(i) else { break };
        if c.atoms.iter().any(|a| !d.allows(a, false)) {
            continue; // cannot apply anywhere in d
        }
        let exits = c.atoms.iter().filter(|a| d.allows(a, true)).count();
        if exits == 0 {
            return Ok(None); // applies everywhere in d
        }
        clauses.swap(live, i);
        if best.is_none_or(|(_, e)| exits < e) {
            best = Some((live, exits));
        }
        live += 1;
    }
    let Some((pick, _)) = best else {
        return Ok(Some(d));
    };
    // The chosen clause goes last; the others are the children's list.
    clauses.swap(pick, live - 1);
    let Some((&mut clause, rest)) = clauses.get_mut(..live).and_then(|c| c.split_last_mut()) else {
        return Ok(Some(d));
    };
    // Branch: atom i false, atoms before it true (disjoint branches).
    let mut prefix = d;
    for atom in &clause.atoms {
        if prefix.allows(atom, true) {
            let mut branch = prefix.clone();
            if branch.restrict(atom, true)
                && let Some(found) = solve_in(branch, rest, budget)?
            {
                return Ok(Some(found));
            }
        }
        if !prefix.restrict(atom, false) {
            break;
        }
    }
    Ok(None)
}
