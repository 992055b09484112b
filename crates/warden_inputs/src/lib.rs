//! Finding the policies inside the files users have.
//!
//! This crate has one job: given a file a user points warden at, find the
//! policy documents in it, each as a spanned JSON tree whose spans are
//! offsets of *that* file, so every diagnostic, witness or selection error
//! points at the line and column the user wrote. It knows file formats and
//! where AWS resources keep their policies; it knows nothing of linting,
//! evaluation or proving, which read what it finds.
//!
//! Policies rarely live alone: they sit in CloudFormation templates (JSON or
//! YAML, with intrinsic functions where values are only known at deploy
//! time) and in Terraform plans (as escaped JSON strings). Each format is
//! read into the spanned [`JsonValue`] tree and each policy found in it is
//! handed on as a subtree:
//!
//! - a plain policy file is one policy, its type left to the caller;
//! - a [CloudFormation template](cloudformation) (SAM included: [`sam`])
//!   yields the policy documents of the resource types that hold one, typed
//!   by where they sit; intrinsic functions where a string belongs become
//!   opaque strings, with a note, and `Fn::If` is read on both branches;
//! - a [Terraform plan](terraform) (`terraform show -json`) yields the
//!   policy strings of the `aws_*` resources that hold one, parsed as JSON
//!   with spans mapped through their escapes back into the plan file;
//! - a Lambda permission, which has no document, yields the statement it
//!   grants.
//!
//! The resource types of both formats are one table, [`holders::HOLDERS`],
//! from which `docs/inputs.md` is generated.
//!
//! Each policy found in a template or plan is named by its resource (the
//! CloudFormation logical id, the Terraform resource address) and its part
//! of that resource; [`select()`] picks one by that name (see [`select`] for
//! the selector syntax).
//!
//! Documents that cannot be read (given by an intrinsic function, known
//! only after `terraform apply`, a managed policy, a resource type warden
//! does not read, ...) are reported as [`Skipped`] by [`extract_all`], each
//! a note ([`Skipped::diagnostic`]) so that "no findings" never means
//! "nothing read".

pub mod cloudformation;
mod embedded;
pub mod holders;
mod permission;
pub mod sam;
mod select;
pub mod terraform;
mod yaml;

pub use select::{PolicyName, SelectError, select};

use warden_diagnostics::{Diagnostic, Severity};
use warden_policy::json::{JsonKind, JsonValue, parse_json};
use warden_text::{LineIndex, Span};

pub use warden_policy::PolicyType;

/// Diagnostic codes of input files. JSON syntax errors keep the codes of
/// [`warden_policy::json::codes`].
pub mod codes {
    /// A note about extraction: an intrinsic function or an unknown value
    /// kept as opaque text, or a part of a document skipped.
    pub const EXTRACTION_NOTE: &str = "I001";
    /// A policy that was found but could not be read: given by an
    /// intrinsic function, known only after apply, a managed policy, a
    /// resource type warden does not read.
    pub const NOT_READ: &str = "I003";
    /// A policy document larger than [`MAX_POLICY_BYTES`](crate::MAX_POLICY_BYTES).
    pub const POLICY_TOO_LARGE: &str = "I004";
    /// No single policy of a template or plan is selected: the name matches
    /// none or several (see [`select()`](crate::select())).
    pub const SELECTION: &str = "I002";
    /// YAML that does not parse, or a YAML file without a document.
    pub const YAML_SYNTAX: &str = "I101";
    /// YAML that parses but that warden does not read: a collection as a
    /// mapping key, a recursive alias, a merge key (`<<`, which
    /// CloudFormation does not support).
    pub const YAML_UNSUPPORTED: &str = "I102";
    /// YAML nested too deeply, or whose aliases expand too much.
    pub const YAML_LIMIT: &str = "I103";
}

/// A policy found in an input file.
#[derive(Clone, Debug)]
pub struct FoundPolicy<'a> {
    /// The policy document, its spans pointing into the input file's text.
    pub value: JsonValue<'a>,
    /// The policy type the container implies, if it does.
    pub policy_type: Option<PolicyType>,
    /// Where it came from, e.g.
    /// `Resources.AppRole.Properties.AssumeRolePolicyDocument` or
    /// `aws_iam_policy.app`; empty for a plain policy file.
    pub location: String,
    /// Its name for [`select()`]: resource and part, e.g.
    /// `AppRole/AssumeRolePolicyDocument`; empty for a plain policy file.
    pub name: PolicyName,
    /// Notes about the extraction (e.g. "`Fn::Sub` at 12:20 is kept as the
    /// opaque string ..."), each with its span.
    pub notes: Vec<(Span, String)>,
    /// Spans of the values that stand for intrinsic functions (opaque
    /// strings such as `${Bucket.Arn}/*`). Their real value is known only at
    /// deployment, so a finding about their text ("not an ARN") says little
    /// about the template; see [`FoundPolicy::is_opaque`]. Empty outside
    /// CloudFormation.
    pub opaque: Vec<Span>,
}

impl FoundPolicy<'_> {
    /// Whether `span` lies inside a value that stands for an intrinsic
    /// function (or, in a `Fn::Sub` template, holds a `${...}` reference).
    ///
    /// Callers should drop findings located there that judge the *text* of
    /// the value: an ARN that does not start with `arn:` (`${Bucket.Arn}/*`),
    /// a policy variable where none is allowed (`${AWS::AccountId}` in a
    /// principal), a malformed variable. Findings about what the value
    /// grants (a whole account as principal) stay meaningful: the literal
    /// text around a reference is real.
    pub fn is_opaque(&self, span: Span) -> bool {
        self.opaque
            .iter()
            .any(|o| o.start <= span.start && span.end <= o.end)
    }

    /// The [`notes`](FoundPolicy::notes) as diagnostics
    /// ([`codes::EXTRACTION_NOTE`], [`Severity::Note`]), each saying where
    /// the policy is.
    pub fn note_diagnostics(&self) -> impl Iterator<Item = Diagnostic> + '_ {
        self.notes.iter().map(|(span, note)| {
            Diagnostic::new(codes::EXTRACTION_NOTE, Severity::Note, note.clone())
                .with_primary(*span, "")
                .with_note(format!("in {}", self.location))
        })
    }
}

/// What kind of file it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum InputKind {
    /// A policy document on its own (JSON, or YAML).
    Policy,
    /// A CloudFormation template, JSON or YAML.
    CloudFormation,
    /// A Terraform plan or state in `terraform show -json` form.
    TerraformPlan,
}

impl InputKind {
    /// A lowercase name for messages.
    pub fn as_str(self) -> &'static str {
        match self {
            InputKind::Policy => "policy",
            InputKind::CloudFormation => "cloudformation",
            InputKind::TerraformPlan => "terraform-plan",
        }
    }
}

/// A policy document that was found but cannot be linted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    /// Where it is, as in [`FoundPolicy::location`].
    pub location: String,
    /// Its name, as in [`FoundPolicy::name`].
    pub name: PolicyName,
    /// Its span in the file.
    pub span: Span,
    /// Why it is skipped, one line.
    pub reason: String,
}

impl Skipped {
    /// The note that says this document was not read
    /// ([`codes::NOT_READ`], [`Severity::Note`]).
    pub fn diagnostic(&self) -> Diagnostic {
        let name = self.name.to_string();
        let mut d = Diagnostic::new(
            codes::NOT_READ,
            Severity::Note,
            format!("policy not read: {}", self.reason),
        )
        .with_primary(self.span, "not read");
        if !self.location.is_empty() {
            d = d.with_note(format!("in {}", self.location));
        }
        if !name.is_empty() {
            d = d.with_note(format!("named `{name}`"));
        }
        d
    }
}

/// The largest policy document warden reads: 8 MiB. AWS's largest policy
/// quota is tens of kilobytes, and the largest AWS managed policy about
/// 150 KB formatted, so anything bigger is not a policy. Templates and
/// plans may be far larger (100 MB plans exist); the limit applies to
/// each document in them, and to a file that is a policy on its own.
pub const MAX_POLICY_BYTES: usize = 8 * 1024 * 1024;

/// Everything found in one input file.
#[derive(Clone, Debug)]
pub struct Extraction<'a> {
    /// What kind of file it is.
    pub kind: InputKind,
    /// The policies, in file order.
    pub policies: Vec<FoundPolicy<'a>>,
    /// Policy documents that cannot be linted, with the reason.
    pub skipped: Vec<Skipped>,
}

impl Extraction<'_> {
    /// A note for each document that was found but not read.
    pub fn skipped_diagnostics(&self) -> impl Iterator<Item = Diagnostic> + '_ {
        self.skipped.iter().map(Skipped::diagnostic)
    }
}

/// Parses `text` (named `name`, used for format detection by extension)
/// and returns what it holds; errors (bad JSON/YAML) come back as one
/// Diagnostic with a span into `text`. Documents that cannot be linted are
/// left out; [`extract_all`] reports them too.
pub fn extract<'a>(
    name: &str,
    text: &'a str,
) -> Result<(InputKind, Vec<FoundPolicy<'a>>), Box<Diagnostic>> {
    let e = extract_all(name, text)?;
    Ok((e.kind, e.policies))
}

/// Like [`extract`], with the documents that were skipped and why.
///
/// The format is chosen by extension (`.yaml`/`.yml` for YAML, `.json` for
/// JSON), else by content (JSON starts with `{` or `[`). A JSON file is a
/// Terraform plan when it has `format_version` and `terraform_version`, a
/// CloudFormation template when it has `AWSTemplateFormatVersion` or a
/// top-level `Resources` object (even one holding no policy); otherwise it
/// is a policy. Each document of a multi-document YAML file is read so.
pub fn extract_all<'a>(name: &str, text: &'a str) -> Result<Extraction<'a>, Box<Diagnostic>> {
    let yaml = is_yaml(name, text);
    let roots = if yaml {
        yaml::parse_yaml_documents(text)?
    } else {
        vec![parse_json(text)?]
    };
    let mut out = Extraction {
        kind: InputKind::Policy,
        policies: Vec::new(),
        skipped: Vec::new(),
    };
    let cx = Cx::new(text);
    let several = roots.len() > 1;
    for root in roots {
        if several && !cloudformation::is_template(&root) {
            // A policy file is one document; several documents that are not
            // templates (Kubernetes manifests, say) hold no policy.
            out.skipped.push(Skipped {
                location: String::new(),
                name: PolicyName::default(),
                span: Span::empty(root.span.start as usize),
                reason: format!(
                    "the YAML document at {} is not a CloudFormation template, and a policy file holds one document",
                    cx.at(root.span)
                ),
            });
            continue;
        }
        if !yaml && terraform::is_plan(&root) {
            out.kind = InputKind::TerraformPlan;
            terraform::extract(&cx, &root, &mut out);
        } else if cloudformation::is_template(&root) {
            out.kind = InputKind::CloudFormation;
            cloudformation::extract(&cx, &root, &mut out);
        } else if root.span.len() > MAX_POLICY_BYTES {
            return Err(Box::new(too_large(
                name,
                Span::empty(root.span.start as usize),
            )));
        } else {
            out.policies.push(FoundPolicy {
                value: root,
                policy_type: None,
                location: String::new(),
                name: PolicyName::default(),
                notes: Vec::new(),
                opaque: Vec::new(),
            });
        }
    }
    Ok(out)
}

/// API Gateway resource policies may name the API's own resources as
/// `execute-api:/stage/METHOD/path`, which "API Gateway converts ... to the
/// full ARN when you save the policy" ("API Gateway resource policy
/// examples"): the text is not the ARN the policy will hold, so it is
/// opaque like a CloudFormation reference.
pub(crate) fn mark_api_shorthand(policies: &mut [FoundPolicy<'_>]) {
    fn walk(v: &JsonValue<'_>, spans: &mut Vec<Span>) {
        match &v.kind {
            JsonKind::String(s) if s.starts_with("execute-api:/") => spans.push(v.span),
            JsonKind::Array(items) => items.iter().for_each(|i| walk(i, spans)),
            JsonKind::Object(members) => members.iter().for_each(|m| walk(&m.value, spans)),
            _ => {}
        }
    }
    for p in policies {
        walk(&p.value, &mut p.opaque);
    }
}

/// Resource types whose policies may use API Gateway's `execute-api:/`
/// shorthand (see [`mark_api_shorthand`]).
pub(crate) const API_GATEWAY_TYPES: &[&str] = &[
    "AWS::ApiGateway::RestApi",
    "AWS::Serverless::Api",
    "aws_api_gateway_rest_api_policy",
    "aws_api_gateway_rest_api",
];

/// The error for a policy document of more than [`MAX_POLICY_BYTES`].
fn too_large(name: &str, span: Span) -> Diagnostic {
    Diagnostic::error(
        codes::POLICY_TOO_LARGE,
        format!(
            "`{name}` is a policy document larger than {} MiB, too large for a policy",
            MAX_POLICY_BYTES / (1024 * 1024)
        ),
    )
    .with_primary(span, "")
    .with_help("AWS policies are at most a few tens of kilobytes; is this the right file?")
}

/// Whether `text` (named `name`) is read as YAML: by extension (`.yaml`,
/// `.yml`; `.json` is JSON), else when it does not start like JSON (`{` or
/// `[`).
pub fn is_yaml(name: &str, text: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".yaml") || lower.ends_with(".yml") {
        return true;
    }
    if lower.ends_with(".json") {
        return false;
    }
    let body = text.trim_start_matches('\u{feff}').trim_start();
    !(body.starts_with('{') || body.starts_with('['))
}

/// Where a document sits: its location for messages and its name for
/// selection.
pub(crate) struct Place {
    pub(crate) location: String,
    pub(crate) name: PolicyName,
}

impl Place {
    /// The place of part `part` (`/`-separated) of `resource`, shown as
    /// `location`.
    pub(crate) fn new(location: String, resource: &str, part: &str) -> Self {
        Place {
            location,
            name: PolicyName {
                resource: resource.to_string(),
                part: part.to_string(),
                alias: None,
            },
        }
    }

    /// The place of the reading with every `Fn::If` on its second branch:
    /// named `<part>@else`.
    pub(crate) fn else_branch(&self) -> Place {
        Place {
            location: format!("{} (every `Fn::If` on its second branch)", self.location),
            name: PolicyName {
                part: format!("{}@else", self.name.part),
                alias: None,
                ..self.name.clone()
            },
        }
    }

    /// Also selected by `alias` (a part).
    pub(crate) fn with_alias(mut self, alias: Option<String>) -> Self {
        self.name.alias = alias;
        self
    }

    /// The document here is skipped, for `reason`.
    pub(crate) fn skipped(self, span: Span, reason: String) -> Skipped {
        Skipped {
            location: self.location,
            name: self.name,
            span,
            reason,
        }
    }
}

/// The file being read, for positions in notes.
pub(crate) struct Cx<'a> {
    pub(crate) text: &'a str,
    lines: LineIndex,
}

impl<'a> Cx<'a> {
    fn new(text: &'a str) -> Self {
        Cx {
            text,
            lines: LineIndex::new(text),
        }
    }

    /// `line:column` of the start of `span`.
    pub(crate) fn at(&self, span: Span) -> String {
        let lc = self.lines.line_col(self.text, span.start);
        format!("{}:{}", lc.line, lc.col)
    }

    /// A policy whose document is the JSON text of `string` (a string value
    /// of the file): parsed, with spans mapped into the file. When the text
    /// is not JSON, the string itself is the policy (the policy parser then
    /// reports that it is not an object) and a note gives the JSON error at
    /// its position.
    pub(crate) fn string_policy(
        &self,
        string: &JsonValue<'a>,
        place: Place,
        policy_type: Option<PolicyType>,
        mut notes: Vec<(Span, String)>,
    ) -> Result<FoundPolicy<'a>, Box<Skipped>> {
        let JsonKind::String(content) = &string.kind else {
            return Ok(FoundPolicy {
                value: string.clone(),
                policy_type,
                location: place.location,
                name: place.name,
                notes,
                opaque: Vec::new(),
            });
        };
        if content.len() > MAX_POLICY_BYTES {
            let reason = format!(
                "the policy text at {} is larger than {} MiB, too large for a policy",
                self.at(string.span),
                MAX_POLICY_BYTES / (1024 * 1024)
            );
            return Err(Box::new(place.skipped(string.span, reason)));
        }
        let value = match embedded::parse_embedded(self.text, string.span, content) {
            Ok(p) => {
                notes.extend(p.notes);
                p.value
            }
            Err(note) => {
                notes.push(note);
                string.clone()
            }
        };
        Ok(FoundPolicy {
            value,
            policy_type,
            location: place.location,
            name: place.name,
            notes,
            opaque: Vec::new(),
        })
    }

    /// [`Cx::string_policy`] added to `out`.
    pub(crate) fn push_string_policy(
        &self,
        string: &JsonValue<'a>,
        place: Place,
        policy_type: Option<PolicyType>,
        notes: Vec<(Span, String)>,
        out: &mut Extraction<'a>,
    ) {
        match self.string_policy(string, place, policy_type, notes) {
            Ok(p) => out.policies.push(p),
            Err(s) => out.skipped.push(*s),
        }
    }
}

#[cfg(test)]
mod holder_tests;
#[cfg(test)]
mod tests;
