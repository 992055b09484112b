//! Exact semantic comparison of AWS policies, offline.
//!
//! A policy denotes the set of requests it allows. [`compare`] decides
//! whether one policy allows a request another does not (both ways), with a
//! concrete witness request that the evaluator (`warden_eval`) replays
//! before it is returned; [`compare_stacks`] does the same for identity
//! policies with boundary, session policy and SCP levels; [`changes`]
//! summarizes the difference per action; [`access_granted`] and
//! [`public_access`] are the checks of IAM Access Analyzer's custom policy
//! checks.
//!
//! The procedure: the action cells covered by the same statements form a
//! *slice* (`slice.rs`); within a slice every other dimension (resource,
//! principal, each condition key) is reduced to a finite set of *cells*,
//! classes of values that every element of the slice's statements treats
//! alike (lazily determinized glob automata for strings, cut points for
//! numbers and dates, address ranges for IPs, candidate callers), and a
//! representative of each is classified by the evaluator's own matching. A
//! statement is then a conjunction of cell sets, and a small DPLL search
//! (`search.rs`) finds cells one side allows and the other does not, or
//! proves there are none.

mod actions;
mod api;
mod bits;
mod budget;
mod cells;
mod changes;
mod checks;
mod driver;
mod encode;
mod glob;
mod ordered;
mod patterns;
mod problem;
mod replay;
mod search;
mod slice;
mod unknown;
mod variables;
mod verdict;
mod witness;

pub use api::{
    PUBLIC_RESOURCE_TYPES, access_granted, changes, changes_stacks, compare, compare_stacks,
    new_access, public_access, public_grant,
};

pub use cells::{Cell, Exceeded, GlobSpec, string_cells};
pub use patterns::Family;
pub use unknown::{Explored, NotReplayed, Unknown, Unsupported};
pub use verdict::{
    ActionChange, ChangeKind, Changes, Comparison, DiffOptions, PolicyStack, PolicyType, Verdict,
    VerdictCounts, Witness, WitnessRequest,
};
