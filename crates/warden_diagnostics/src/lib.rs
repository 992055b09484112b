//! Diagnostics: the one type every warden stage reports problems with, and
//! its renderers.
//!
//! A [`Diagnostic`] has a stable code, a [`Severity`], a one-line message,
//! labelled spans and an optional help text. It does not own its source: the
//! caller renders it against the [`SourceFile`](warden_text::SourceFile) its
//! spans point into, as human text (`file:line:col`, the source lines and
//! carets, in the style of `rustc`) or as JSON.

mod diagnostic;
mod human;
mod json;
mod sarif;

pub use diagnostic::{Diagnostic, Label, Severity};
pub use human::HumanRenderer;
pub use json::{JsonDiagnostic, JsonLabel, to_json};
pub use sarif::{SarifRule, sarif_notification, sarif_uri, to_github, to_sarif};
