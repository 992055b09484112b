//! The compiled question: dimensions with their cells, and the statements
//! of both policies as conjunctions of cell sets.

use crate::actions::{ActionCell, ActionSpace};
use crate::bits::Bits;

/// What a dimension is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum DimKind {
    /// The action (cells in [`Problem::action_cells`]).
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

/// A statement: applies when every atom holds.
#[derive(Clone, Debug)]
pub(crate) struct Stmt {
    /// Position in the policy's `Statement` list.
    pub index: usize,
    pub atoms: Vec<Atom>,
}

/// The Allow and Deny statements of one policy.
#[derive(Clone, Debug, Default)]
pub(crate) struct Side {
    pub allows: Vec<Stmt>,
    pub denies: Vec<Stmt>,
}

/// Both policies over shared dimensions.
#[derive(Debug)]
pub(crate) struct Problem {
    pub dims: Vec<Dim>,
    pub old: Side,
    pub new: Side,
    pub actions: ActionSpace,
    pub action_cells: Vec<ActionCell>,
    /// Atoms every request satisfies (keys AWS always sets, forced
    /// variable values).
    pub givens: Vec<Atom>,
    /// Values of policy variables substituted into the patterns.
    pub substitution: Vec<(String, String)>,
    /// The statements mention policy variables (read as free booleans
    /// when `substitution` is empty).
    pub has_variables: bool,
}

impl Problem {
    /// Number of cells of dimension `dim`.
    pub(crate) fn cells(&self, dim: usize) -> usize {
        match self.dims.get(dim).map(|d| &d.kind) {
            Some(DimKind::Action) => self.action_cells.len(),
            Some(_) => self.dims.get(dim).map_or(0, |d| d.reps.len()),
            None => 0,
        }
    }
}
