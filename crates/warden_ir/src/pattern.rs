//! Wildcard patterns tokenized once, with AWS's ARN segment rule decided
//! once.
//!
//! A [`warden_policy::pattern::Pattern`] keeps what the user wrote; a
//! [`Tokens`] is that pattern read in one [`Mode`] (are `*` and `?`
//! wildcards, which ARN rule applies, is case ignored), each wildcard told
//! whether it may match `:`. From the tokens:
//! - the evaluator matches request text with a [`Matcher`];
//! - the prover builds its automata ([`Automaton`]) and explores them;
//! - the linter asks [`covers`], [`witness`] and [`intersects`].

mod automaton;
mod contain;
mod intersect;
mod matcher;
mod mode;
mod token;

pub use automaton::{Atom, Automaton, FILLERS, fold, variants};
pub use contain::{covers, witness};
pub use intersect::intersects;
pub use matcher::{Matcher, Outcome};
pub use mode::{ArnRule, Mode};
pub use token::{Token, Tokens};

#[cfg(test)]
mod tests;
