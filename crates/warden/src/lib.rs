//! warden: exact, offline answers about AWS access policies.
//!
//! This crate is the stable API and the boundary the command line is built
//! on: each operation (`parse`, `format`, [`lint`], [`simulate`], [`diff`],
//! [`check`]) returns a report type, and the types a caller needs are
//! re-exported here by name. The crates beneath it may change shape; this
//! one changes with a version bump.

pub use warden_diagnostics::{Diagnostic, HumanRenderer, Severity};
pub use warden_eval::PolicyStack;
pub use warden_policy::model::PolicyModel;
pub use warden_policy::{ParseOutput, Policy, PolicyType, StackSlot, print_policy};
pub use warden_text::{SourceFile, Span};

pub mod batch;
pub mod check;
pub mod diff;
pub mod discover;
pub mod filter;
pub mod lint;
pub mod policy_types;
pub mod select;
pub mod simulate;
mod source;
pub mod stack;

/// The embedded AWS service reference: services, actions, resource types
/// and condition keys.
pub mod catalog {
    pub use warden_catalog::{
        AccessLevel, Action, ActionResource, Catalog, ConditionKey, DATA_DATE, SOURCE_PACKAGE,
        SOURCE_VERSION,
    };
}

/// Diagnostics in the machine-readable shapes warden prints.
pub mod diagnostics {
    pub use warden_diagnostics::{JsonDiagnostic, JsonLabel, to_github, to_json};
}

/// The prover's answers, as [`diff`] and [`check`]
/// return them.
pub mod verdict {
    pub use warden_prove::{
        ActionChange, ChangeKind, Changes, Comparison, DiffOptions, Unknown, Verdict, Witness,
        WitnessRequest,
    };
}

/// The evaluator's requests and answers, as [`simulate`]
/// and [`batch`] use them.
pub mod request {
    pub use warden_eval::{
        Caller, CompiledPolicy, ContextValue, Decision, Explanation, PolicyTrace, Request,
        RequestContext, StatementTrace,
    };
}

pub use source::{
    MAX_FILE_BYTES, MAX_POLICY_BYTES, SourceError, codes, read_source, read_source_limited,
    source_from_bytes,
};

/// Parses the policy in `source`.
pub fn parse(source: &SourceFile) -> ParseOutput {
    warden_policy::parse_policy(source.text())
}

/// Parses the policy embedded at the RFC 6901 JSON `pointer` of the JSON
/// document `source` (`/Resources/Role/Properties/Policies/0/PolicyDocument`
/// in a template). A JSON syntax error is a diagnostic of the output; a
/// pointer that names nothing is an error message.
pub fn parse_at_pointer(source: &SourceFile, pointer: &str) -> Result<ParseOutput, String> {
    let root = match warden_policy::json::parse_json(source.text()) {
        Ok(root) => root,
        Err(d) => {
            return Ok(ParseOutput {
                policy: None,
                diagnostics: vec![*d],
            });
        }
    };
    let value = root
        .pointer(pointer)
        .ok_or_else(|| format!("`{pointer}` does not name a value in `{}`", source.name()))?;
    Ok(warden_policy::parse_policy_value(value))
}

/// What `source` is when it holds policies rather than being one: "a
/// CloudFormation template" or "a Terraform plan"; `None` for anything else.
/// Lets `parse` and `fmt` point at `lint` and `--pointer` when given a
/// template.
pub fn container_kind(source: &SourceFile) -> Option<&'static str> {
    match warden_inputs::extract_all(source.name(), source.text())
        .ok()?
        .kind
    {
        warden_inputs::InputKind::CloudFormation => Some("a CloudFormation template"),
        warden_inputs::InputKind::TerraformPlan => Some("a Terraform plan"),
        warden_inputs::InputKind::Policy => None,
    }
}

/// The canonical form of the policy in `source`, or the diagnostics that
/// prevent formatting it.
///
/// Any policy that parses formats, even one with semantic errors (an
/// unknown `Effect`, a malformed ARN, no `Action`: `lint` reports those),
/// as long as printing keeps every word of it: the printed policy must
/// parse to the same errors, with the same messages. Text the policy tree
/// does not keep (an unknown element, a value of the wrong JSON type) would
/// be lost, so such a policy is refused with its errors, as is JSON that
/// does not parse.
pub fn format(source: &SourceFile) -> Result<String, Vec<Diagnostic>> {
    let out = parse(source);
    let errors = error_messages(&out.diagnostics);
    let Some(policy) = out.policy.as_ref() else {
        return Err(out.diagnostics);
    };
    let printed = warden_policy::print_policy(policy);
    if !errors.is_empty()
        && error_messages(&warden_policy::parse_policy(&printed).diagnostics) != errors
    {
        return Err(out
            .diagnostics
            .into_iter()
            .filter(Diagnostic::is_error)
            .collect());
    }
    Ok(printed)
}

/// The errors among `diagnostics` as (code, message), sorted.
fn error_messages(diagnostics: &[Diagnostic]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| (d.code.to_string(), d.message.clone()))
        .collect();
    out.sort();
    out
}
