//! The question for one slice: dimensions with their cells, and the
//! statements of both policies as conjunctions of cell sets.

use crate::bits::Bits;
use crate::encode::Symbolic;

/// What a dimension is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum DimKind {
    /// The action (cells in [`Symbolic::action_cells`]); always dimension 0.
    Action,
    /// The resource ARN.
    Resource,
    /// The calling principal (cells are caller ARNs).
    Principal,
    /// A condition key. Single-valued keys have cell 0 = absent.
    Key {
        /// The key as first written.
        name: String,
        /// Set-valued: the request may carry several values.
        set: bool,
    },
    /// A condition or resource block with policy variables, read as an
    /// unconstrained boolean (cell 0 false, cell 1 true): an
    /// over-approximation that is exact when it finds nothing.
    Free,
}

/// One dimension: its kind and one representative value per cell.
#[derive(Clone, Debug)]
pub(crate) struct Dim {
    pub kind: DimKind,
    /// Per cell, a value of the cell (unused for the action dimension).
    pub reps: Vec<String>,
    /// The elements the cells were built from, to classify other values
    /// (witnesses prefer readable ones from the same cell).
    pub elements: Vec<usize>,
}

/// What an atom requires of its dimension.
#[derive(Clone, Debug)]
pub(crate) enum Pred {
    /// The value is one of these cells.
    Bits(Bits),
    /// A set-valued key: true when absent iff `absent`; when present, every
    /// value (`all`) or some value (`!all`) lies in `pred`.
    Set { absent: bool, all: bool, pred: Bits },
}

/// A constraint on one dimension.
#[derive(Clone, Debug)]
pub(crate) struct Atom {
    pub dim: usize,
    pub pred: Pred,
}

/// A statement: applies when every atom holds (its action is settled by
/// the slice).
#[derive(Clone, Debug)]
pub(crate) struct Stmt {
    /// Position in the policy's `Statement` list.
    pub index: usize,
    pub atoms: Vec<Atom>,
}

/// The Allow and Deny statements of one side: a request is allowed when
/// every group has an Allow that applies (the identity policies, the
/// permissions boundary, the session policy, each SCP level: "Policy
/// evaluation logic") and no Deny applies. A single policy is one group.
#[derive(Clone, Debug, Default)]
pub(crate) struct Side {
    pub groups: Vec<Vec<Stmt>>,
    pub denies: Vec<Stmt>,
}

impl Side {
    /// A side that allows nothing.
    pub(crate) fn nothing() -> Side {
        Side {
            groups: vec![Vec::new()],
            denies: Vec::new(),
        }
    }
}

/// Both policies over shared dimensions, for one slice.
#[derive(Debug)]
pub(crate) struct Problem<'s> {
    pub sym: &'s Symbolic,
    pub dims: Vec<Dim>,
    pub old: Side,
    pub new: Side,
    /// Atoms every request satisfies (the slice's actions, keys AWS always
    /// sets, forced variable values).
    pub givens: Vec<Atom>,
}

impl Problem<'_> {
    /// Number of cells of dimension `dim`.
    pub(crate) fn cells(&self, dim: usize) -> usize {
        match self.dims.get(dim).map(|d| &d.kind) {
            Some(DimKind::Action) => self.sym.action_cells.len(),
            Some(_) => self.dims.get(dim).map_or(0, |d| d.reps.len()),
            None => 0,
        }
    }
}
