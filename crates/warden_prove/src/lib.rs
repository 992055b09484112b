//! Semantic comparison of policies (issue 6, in progress).
//!
//! The prover reduces every request dimension to a finite set of *cells*
//! (classes of values that every atom of the compared policies treats
//! alike; `../shared/design/prover.md`). This crate so far holds the string
//! dimension: [`string_cells`] runs the automata of a set of glob patterns
//! in lock-step and returns every reachable combination of matching
//! patterns with a shortest witness string, which is exact for the
//! wildcard semantics of actions, resources and `*Like` operators.

mod cells;

pub use cells::{Cell, Exceeded, GlobSpec, string_cells};
