//! Reading one policy out of a CloudFormation template or a Terraform plan,
//! for the commands that compare or decide policies (`diff`, `check`,
//! `simulate`).
//!
//! A file is read as before when it is a policy (or policy stack) document.
//! When it is a template or plan, [`warden_inputs`] finds its policies and
//! the one the *resource name* selects is read (see [`warden_inputs::select`]
//! for names such as `AppRole` or `AppRole/Policies/read`); with no name, a
//! file holding exactly one policy yields it. Diagnostics point into the
//! template or plan, so a parse error in a selected policy shows the
//! template's line. A command line may also give the name after the path,
//! `template.yaml#AppRole` (see [`split_selector`]), to pick different
//! policies of one file in one command.

use std::path::Path;

use warden_diagnostics::Diagnostic;
use warden_inputs::{FoundPolicy, InputKind, codes};
use warden_policy::json::{JsonKind, JsonValue};
use warden_policy::{ParseOutput, PolicyType, parse_policy_json};

use crate::SourceFile;
use crate::stack::{parse_stack, stack_from_json};
use warden_eval::PolicyStack;
use warden_policy::Policy;

/// Splits a command-line policy argument `FILE#NAME` into the file and the
/// resource name. An argument that names an existing file (or `-`, standard
/// input) is a file whatever it holds; otherwise the text after the last
/// `#` is the name when the text before it is a file or `-`.
pub fn split_selector(arg: &str) -> (&str, Option<&str>) {
    let is_file = |p: &str| p == "-" || Path::new(p).is_file();
    if is_file(arg) {
        return (arg, None);
    }
    match arg.rsplit_once('#') {
        Some((file, name)) if !name.is_empty() && is_file(file) => (file, Some(name)),
        _ => (arg, None),
    }
}

/// Reads the policy stack `source` holds: a policy or stack document (see
/// [`crate::stack`]), or the policy of a template or plan that `resource`
/// names, as a stack of that one identity policy. Diagnostics as
/// [`parse_stack`]; selection errors are [`codes::SELECTION`].
pub fn read_stack(
    source: &SourceFile,
    resource: Option<&str>,
) -> (Option<PolicyStack<Policy>>, Vec<Diagnostic>) {
    let read = read_typed_stack(source, resource);
    (read.stack, read.diagnostics)
}

/// A policy stack read by [`read_typed_stack`].
#[derive(Debug)]
pub struct TypedStack {
    /// The stack, `None` when an error makes it unusable.
    pub stack: Option<PolicyStack<Policy>>,
    /// The type the template or plan states for the selected policy
    /// (`None` for a policy or stack file: its type is the user's or is
    /// inferred, see [`crate::policy_types`]).
    pub stated: Option<PolicyType>,
    /// Every diagnostic.
    pub diagnostics: Vec<Diagnostic>,
}

/// As [`read_stack`], with the type the template or plan states.
pub fn read_typed_stack(source: &SourceFile, resource: Option<&str>) -> TypedStack {
    let (stack, stated, diagnostics) = match held(source, resource) {
        Held::Text => {
            let (stack, d) = parse_stack(source);
            (stack, None, d)
        }
        Held::Document(root) => {
            let (stack, d) = stack_from_json(root);
            (stack, None, d)
        }
        Held::Selected(mut found, mut diagnostics) => {
            let out = parse_policy_json(take_value(&mut found));
            diagnostics.extend(out.diagnostics.iter().map(|d| explained(&found, d.clone())));
            let stack = out
                .into_result()
                .ok()
                .map(|(policy, _)| PolicyStack::single(policy));
            (stack, found.policy_type, diagnostics)
        }
        Held::Failed(diagnostics) => (None, None, diagnostics),
    };
    TypedStack {
        stack,
        stated,
        diagnostics,
    }
}

/// Parses the one policy `source` holds: a policy document, or the policy
/// of a template or plan that `resource` names (as [`read_stack`]).
pub fn read_policy(source: &SourceFile, resource: Option<&str>) -> ParseOutput {
    read_typed_policy(source, resource).0
}

/// As [`read_policy`], with the type the template or plan states for the
/// selected policy (`None` for a policy file).
pub fn read_typed_policy(
    source: &SourceFile,
    resource: Option<&str>,
) -> (ParseOutput, Option<PolicyType>) {
    match held(source, resource) {
        Held::Text => (crate::parse(source), None),
        Held::Document(root) => (parse_policy_json(root), None),
        Held::Selected(mut found, mut diagnostics) => {
            let out = parse_policy_json(take_value(&mut found));
            diagnostics.extend(out.diagnostics.into_iter().map(|d| explained(&found, d)));
            (
                ParseOutput {
                    policy: out.policy,
                    diagnostics,
                },
                found.policy_type,
            )
        }
        Held::Failed(diagnostics) => (
            ParseOutput {
                policy: None,
                diagnostics,
            },
            None,
        ),
    }
}

/// What a file holds, for a command that reads one policy.
enum Held<'a> {
    /// Not JSON and not a template: read as before, so the JSON parser says
    /// what is wrong.
    Text,
    /// A JSON document that is no template or plan: a policy or a stack.
    Document(JsonValue<'a>),
    /// The selected policy of a template or plan, with the notes about
    /// reading it.
    Selected(Box<FoundPolicy<'a>>, Vec<Diagnostic>),
    /// The template cannot be read, or no single policy is selected.
    Failed(Vec<Diagnostic>),
}

fn held<'a>(source: &'a SourceFile, resource: Option<&str>) -> Held<'a> {
    let (name, text) = (source.name(), source.text());
    let extraction = match warden_inputs::extract_all(name, text) {
        Ok(e) => e,
        // A `.yaml` file's own syntax error says more than a JSON one.
        Err(d) if has_yaml_extension(name) => return Held::Failed(vec![*d]),
        Err(_) => return Held::Text,
    };
    if extraction.kind == InputKind::Policy {
        // Keep the JSON tree already parsed; YAML policies are not read
        // by these commands.
        return match extraction.policies.into_iter().next() {
            Some(found) if !warden_inputs::is_yaml(name, text) => Held::Document(found.value),
            _ => Held::Text,
        };
    }
    match warden_inputs::select(&extraction, resource) {
        Ok(found) => Held::Selected(Box::new(found.clone()), found.note_diagnostics().collect()),
        Err(e) => {
            let example = e.candidates().first().map_or("AppRole", String::as_str);
            Held::Failed(vec![
                Diagnostic::error(codes::SELECTION, e.to_string())
                    .with_note(format!("`{name}` is read as a {}", kind_name(extraction.kind)))
                    .with_help(format!(
                        "name one policy, e.g. `{example}`: with `--resource NAME`, or as `FILE#NAME`"
                    )),
            ])
        }
    }
}

/// The policy's JSON tree, moved out (its strings move into the AST).
fn take_value<'a>(found: &mut FoundPolicy<'a>) -> JsonValue<'a> {
    let span = found.value.span;
    std::mem::replace(
        &mut found.value,
        JsonValue {
            span,
            kind: JsonKind::Null,
        },
    )
}

/// An error about a value that stands for a CloudFormation intrinsic
/// (`!GetAtt Bucket.Arn` read as `${Bucket.Arn}`) says so: the template is
/// not wrong, but the policy cannot be decided before deployment.
fn explained(found: &FoundPolicy<'_>, d: Diagnostic) -> Diagnostic {
    if d.is_error() && found.is_opaque(d.primary_span()) {
        d.with_note(
            "this value stands for a CloudFormation reference, known only at deployment; \
             warden reads it as the text shown",
        )
    } else {
        d
    }
}

fn kind_name(kind: InputKind) -> &'static str {
    match kind {
        InputKind::Policy => "policy file",
        InputKind::CloudFormation => "CloudFormation template",
        InputKind::TerraformPlan => "Terraform plan",
    }
}

fn has_yaml_extension(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".yaml") || lower.ends_with(".yml")
}
