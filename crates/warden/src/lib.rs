//! warden: exact, offline answers about AWS access policies.
//!
//! This crate is the stable API. It re-exports the pieces a caller needs
//! (sources, diagnostics, the policy language) and adds the operations the
//! command line and, later, the server are built from. The crates beneath
//! it may change shape; this one changes with a version bump.

pub use warden_diagnostics as diagnostics;
pub use warden_policy as policy;
pub use warden_text as text;

pub use warden_diagnostics::{Diagnostic, HumanRenderer, Severity};
pub use warden_policy::{ParseOutput, Policy};
pub use warden_text::{SourceFile, Span};

pub mod batch;
pub mod diff;
pub mod lint;
pub mod select;
mod source;
pub mod stack;

pub use warden_eval as eval;
pub use warden_lint as linter;
pub use warden_prove as prove;

pub use source::{MAX_POLICY_BYTES, SourceError, codes, read_source, source_from_bytes};

/// Parses the policy in `source`.
pub fn parse(source: &SourceFile) -> ParseOutput {
    warden_policy::parse_policy(source.text())
}

/// The canonical form of the policy in `source`, or the diagnostics that
/// prevent formatting it (any error).
pub fn format(source: &SourceFile) -> Result<String, Vec<Diagnostic>> {
    let (policy, _) = parse(source).into_result()?;
    Ok(warden_policy::print_policy(&policy))
}
