//! Finding policies inside input files. (Placeholder with the agreed API:
//! plain policy files only, until the CloudFormation, Terraform and YAML
//! readers land; the inputs engineer replaces this file.)

use warden_diagnostics::Diagnostic;
use warden_policy::json::{JsonValue, parse_json};
use warden_text::Span;

use crate::PolicyType;

/// A policy found in an input file.
pub struct FoundPolicy<'a> {
    /// The policy document, its spans pointing into the input file's text.
    pub value: JsonValue<'a>,
    /// The policy type the container implies, if it does.
    pub policy_type: Option<PolicyType>,
    /// Where it came from.
    pub location: String,
    /// Notes about the extraction, each with its span.
    pub notes: Vec<(Span, String)>,
}

/// What kind of file it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputKind {
    /// A policy document.
    Policy,
    /// A CloudFormation template.
    CloudFormation,
    /// A Terraform plan (`terraform show -json`).
    TerraformPlan,
}

/// The policies in `text`.
pub fn extract<'a>(name: &str, text: &'a str) -> Result<(InputKind, Vec<FoundPolicy<'a>>), Box<Diagnostic>> {
    let value = parse_json(text)?;
    Ok((
        InputKind::Policy,
        vec![FoundPolicy {
            value,
            policy_type: None,
            location: name.to_string(),
            notes: Vec::new(),
        }],
    ))
}
