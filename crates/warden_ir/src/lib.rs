//! The typed policy layer between the spanned AST ([`warden_policy`]) and
//! its readers (the evaluator, the linter and the prover).
//!
//! The AST keeps what the user wrote, with spans, for diagnostics. This
//! layer keeps what it *means*, decided once: condition values parsed into
//! their types, wildcard patterns tokenized with AWS's ARN segment rule,
//! action patterns indexed by service, and exact containment between
//! patterns. Every reader asks these types instead of re-reading text, so
//! the evaluator, the linter and the prover cannot disagree about a value
//! or a wildcard (as regex-syntax lowers its `Ast` to one `Hir` that every
//! engine reads).

pub mod action;
pub mod pattern;
pub mod value;
