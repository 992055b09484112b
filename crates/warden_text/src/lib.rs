//! Source text for warden: named source files, byte spans into them, and the
//! line index that turns a byte offset into a 1-based line and column.
//!
//! Every diagnostic warden prints points at a [`Span`] of a [`SourceFile`]; the
//! policy parser records spans for every key and value so that any later stage
//! (lint, evaluation explanations, the prover's witnesses) can point back at
//! the exact text a user wrote.

mod line_index;
mod source;
mod span;

pub use line_index::{LineCol, LineIndex};
pub use source::SourceFile;
pub use span::Span;
