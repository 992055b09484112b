//! Policies in CloudFormation templates, JSON or YAML.
//!
//! These resource types hold policy documents (property, policy type):
//!
//! | resource type | property | type |
//! | --- | --- | --- |
//! | `AWS::IAM::Policy`, `AWS::IAM::ManagedPolicy`, `AWS::IAM::RolePolicy`, `AWS::IAM::UserPolicy`, `AWS::IAM::GroupPolicy` | `PolicyDocument` | identity |
//! | `AWS::IAM::Role` | `AssumeRolePolicyDocument` | trust |
//! | `AWS::IAM::Role`, `AWS::IAM::User`, `AWS::IAM::Group` | `Policies[i].PolicyDocument` | identity |
//! | `AWS::S3::BucketPolicy`, `AWS::SQS::QueuePolicy`, `AWS::SNS::TopicPolicy` | `PolicyDocument` | resource |
//! | `AWS::KMS::Key`, `AWS::KMS::ReplicaKey` | `KeyPolicy` | resource |
//! | `AWS::SecretsManager::ResourcePolicy` | `ResourcePolicy` | resource |
//! | `AWS::ECR::Repository` | `RepositoryPolicyText` | resource |
//! | `AWS::Organizations::Policy` | `Content` | SCP or RCP, from its `Type` |
//!
//! `AWS::Lambda::Permission` grants one principal one action through its own
//! properties (`Action`, `Principal`, `SourceArn`); it has no policy document,
//! so there is nothing to lint there.
//!
//! A document may be an object (the usual case) or a string of JSON text
//! (parsed on its own, spans mapped back into the template). Intrinsic
//! functions are evaluated by CloudFormation at deployment, so warden cannot
//! know their value; it keeps the policy lintable and says what it did:
//!
//! - where a string belongs, an intrinsic becomes an opaque string, with a
//!   note: `Fn::Sub` its template text, `Ref` `${Name}`, `Fn::GetAtt`
//!   `${Resource.Attribute}`, `Fn::Join` its parts joined (each part's own
//!   placeholder), `Fn::If` between two strings `${Fn::If}`, and any other
//!   function `${Fn::Name}`;
//! - `{"Ref": "AWS::NoValue"}` removes its element or member, as at
//!   deployment;
//! - a value that cannot be a string (`Fn::Split`, `Fn::GetAZs`, `Fn::Cidr`,
//!   `Fn::If` between objects or lists) removes the nearest enclosing list
//!   element (usually the statement), with a note; with no list above it,
//!   the whole document is skipped;
//! - a whole document given by an intrinsic is skipped, except `Fn::Sub` of
//!   JSON text, which is read as that text.

use std::borrow::Cow;

use warden_policy::PolicyType;
use warden_policy::json::{JsonKind, JsonMember, JsonValue};
use warden_text::Span;

use crate::select::element_parts;
use crate::{Cx, Extraction, FoundPolicy, Place};

/// Whether `root` is a CloudFormation template: it has
/// `AWSTemplateFormatVersion`, or `Resources` with an `AWS::...` type.
pub(crate) fn is_template(root: &JsonValue<'_>) -> bool {
    root.get("AWSTemplateFormatVersion").is_some()
        || root
            .get("Resources")
            .and_then(JsonValue::as_object)
            .is_some_and(|rs| {
                rs.iter().any(|m| {
                    m.value
                        .get("Type")
                        .and_then(JsonValue::as_str)
                        .is_some_and(|t| t.starts_with("AWS::"))
                })
            })
}

/// Where a resource type keeps its policies.
struct Holder {
    /// Properties holding one document each, with the type it has.
    documents: &'static [(&'static str, PolicyType)],
    /// Whether `Policies[i].PolicyDocument` holds identity policies.
    inline: bool,
}

fn holder(resource_type: &str) -> Option<Holder> {
    const IDENTITY: &[(&str, PolicyType)] = &[("PolicyDocument", PolicyType::Identity)];
    const RESOURCE: &[(&str, PolicyType)] = &[("PolicyDocument", PolicyType::Resource)];
    let (documents, inline): (&'static [(&'static str, PolicyType)], bool) = match resource_type {
        "AWS::IAM::Policy"
        | "AWS::IAM::ManagedPolicy"
        | "AWS::IAM::RolePolicy"
        | "AWS::IAM::UserPolicy"
        | "AWS::IAM::GroupPolicy" => (IDENTITY, false),
        "AWS::IAM::Role" => (&[("AssumeRolePolicyDocument", PolicyType::Trust)], true),
        "AWS::IAM::User" | "AWS::IAM::Group" => (&[], true),
        "AWS::S3::BucketPolicy" | "AWS::SQS::QueuePolicy" | "AWS::SNS::TopicPolicy" => {
            (RESOURCE, false)
        }
        "AWS::KMS::Key" | "AWS::KMS::ReplicaKey" => (&[("KeyPolicy", PolicyType::Resource)], false),
        "AWS::SecretsManager::ResourcePolicy" => {
            (&[("ResourcePolicy", PolicyType::Resource)], false)
        }
        "AWS::ECR::Repository" => (&[("RepositoryPolicyText", PolicyType::Resource)], false),
        // The type is decided by the `Type` property; see `organizations`.
        "AWS::Organizations::Policy" => (&[], false),
        _ => return None,
    };
    Some(Holder { documents, inline })
}

/// Adds the policies of the template `root` to `out`.
pub(crate) fn extract<'a>(cx: &Cx<'a>, root: &JsonValue<'a>, out: &mut Extraction<'a>) {
    let Some(resources) = root.get("Resources").and_then(JsonValue::as_object) else {
        return;
    };
    for resource in resources {
        let Some(ty) = resource.value.get("Type").and_then(JsonValue::as_str) else {
            continue;
        };
        let Some(holder) = holder(ty) else {
            continue;
        };
        let Some(props) = resource.value.get("Properties") else {
            continue;
        };
        let base = Base {
            logical_id: &resource.key,
            location: format!("Resources.{}.Properties", resource.key),
        };
        if let Some((name, _)) = intrinsic(props) {
            out.skipped.push(base.place("", "").skipped(
                props.span,
                format!(
                    "the properties are given by `{name}` at {}; they are known only at deployment",
                    cx.at(props.span)
                ),
            ));
            continue;
        }
        if ty == "AWS::Organizations::Policy" {
            organizations(cx, props, &base, out);
        }
        for &(property, policy_type) in holder.documents {
            if let Some(doc) = props.get(property) {
                let place = base.place(&format!(".{property}"), property);
                document(cx, doc, place, Some(policy_type), Vec::new(), out);
            }
        }
        if holder.inline
            && let Some(list) = props.get("Policies")
        {
            inline_policies(cx, list, &base, out);
        }
    }
}

/// A resource's properties: its logical id, and their location
/// (`Resources.<id>.Properties`).
struct Base<'r> {
    logical_id: &'r str,
    location: String,
}

impl Base<'_> {
    /// The place at `suffix` of the properties' location, named `part`.
    fn place(&self, suffix: &str, part: &str) -> Place {
        Place::new(format!("{}{suffix}", self.location), self.logical_id, part)
    }
}

/// `AWS::Organizations::Policy`: `Content`, an SCP or RCP by `Type`.
fn organizations<'a>(
    cx: &Cx<'a>,
    props: &JsonValue<'a>,
    base: &Base<'_>,
    out: &mut Extraction<'a>,
) {
    let Some(content) = props.get("Content") else {
        return;
    };
    let place = base.place(".Content", "Content");
    let mut notes = Vec::new();
    let policy_type = match props.get("Type") {
        Some(t) => match t.as_str() {
            Some("SERVICE_CONTROL_POLICY") => Some(PolicyType::Scp),
            Some("RESOURCE_CONTROL_POLICY") => Some(PolicyType::Rcp),
            Some(other) => {
                out.skipped
                    .push(place.skipped(content.span, format!("a `{other}` is not an IAM policy")));
                return;
            }
            None => {
                notes.push((
                    t.span,
                    format!(
                        "the policy `Type` at {} is not a plain string; the policy type is inferred",
                        cx.at(t.span)
                    ),
                ));
                None
            }
        },
        None => None,
    };
    document(cx, content, place, policy_type, notes, out);
}

/// `Policies: [{PolicyName, PolicyDocument}, ...]` of roles, users, groups.
fn inline_policies<'a>(
    cx: &Cx<'a>,
    list: &JsonValue<'a>,
    base: &Base<'_>,
    out: &mut Extraction<'a>,
) {
    if let Some((name, _)) = intrinsic(list) {
        out.skipped
            .push(base.place(".Policies", "Policies").skipped(
            list.span,
            format!(
                "the list of policies is given by `{name}` at {}; it is known only at deployment",
                cx.at(list.span)
            ),
        ));
        return;
    }
    let JsonKind::Array(items) = &list.kind else {
        return;
    };
    let names: Vec<Option<&str>> = items
        .iter()
        .map(|item| item.get("PolicyName").and_then(JsonValue::as_str))
        .collect();
    for ((i, item), (part, alias)) in items
        .iter()
        .enumerate()
        .zip(element_parts("Policies", &names))
    {
        if let Some((name, arg)) = intrinsic(item) {
            if !(name == "Ref" && arg.as_str() == Some("AWS::NoValue")) {
                out.skipped
                    .push(base.place(&format!(".Policies[{i}]"), &part).with_alias(alias).skipped(
                        item.span,
                        format!(
                            "the policy is given by `{name}` at {}; it is known only at deployment",
                            cx.at(item.span)
                        ),
                    ));
            }
            continue;
        }
        if let Some(doc) = item.get("PolicyDocument") {
            let place = base
                .place(&format!(".Policies[{i}].PolicyDocument"), &part)
                .with_alias(alias);
            document(cx, doc, place, Some(PolicyType::Identity), Vec::new(), out);
        }
    }
}

/// One policy document: an object, a string of JSON, or an intrinsic.
fn document<'a>(
    cx: &Cx<'a>,
    doc: &JsonValue<'a>,
    place: Place,
    policy_type: Option<PolicyType>,
    mut notes: Vec<(Span, String)>,
    out: &mut Extraction<'a>,
) {
    if let Some((name, arg)) = intrinsic(doc) {
        if let Some(template) = sub_template(name, arg).filter(|t| t.as_str().is_some()) {
            notes.push((
                doc.span,
                format!(
                    "`Fn::Sub` at {}: the policy is read from its template text; `${{...}}` \
                     references are kept as written",
                    cx.at(doc.span)
                ),
            ));
            let mut found = cx.string_policy(template, place, policy_type, notes);
            // Its `${...}` are CloudFormation references, not policy variables.
            with_references(&found.value, &mut found.opaque);
            out.policies.push(found);
        } else {
            out.skipped.push(place.skipped(
                doc.span,
                format!(
                    "the document is given by `{name}` at {}; it is known only at deployment",
                    cx.at(doc.span)
                ),
            ));
        }
        return;
    }
    if let JsonKind::String(_) = doc.kind {
        out.policies
            .push(cx.string_policy(doc, place, policy_type, notes));
        return;
    }
    let mut log = Log {
        notes,
        opaque: Vec::new(),
    };
    match resolve(cx, doc.clone(), &mut log) {
        Resolved::Keep(value) => out.policies.push(FoundPolicy {
            value,
            policy_type,
            location: place.location,
            name: place.name,
            notes: log.notes,
            opaque: log.opaque,
        }),
        Resolved::NoValue => {}
        Resolved::Drop(reason) => out.skipped.push(place.skipped(doc.span, reason)),
    }
}

/// Collects the spans of the strings in `v` that hold `${`. Recursion is
/// bounded by the JSON parser's nesting limit.
fn with_references(v: &JsonValue<'_>, spans: &mut Vec<Span>) {
    match &v.kind {
        JsonKind::String(s) if s.contains("${") => spans.push(v.span),
        JsonKind::Array(items) => items.iter().for_each(|i| with_references(i, spans)),
        JsonKind::Object(members) => members
            .iter()
            .for_each(|m| with_references(&m.value, spans)),
        _ => {}
    }
}

/// The function name and argument if `v` is an intrinsic function call:
/// an object with one member, `Ref` or `Fn::...`.
fn intrinsic<'v, 'a>(v: &'v JsonValue<'a>) -> Option<(&'v str, &'v JsonValue<'a>)> {
    match v.as_object()? {
        [m] if &*m.key == "Ref" || m.key.starts_with("Fn::") => Some((&m.key, &m.value)),
        _ => None,
    }
}

/// The template string of `Fn::Sub` (`"text"` or `["text", {vars}]`).
fn sub_template<'v, 'a>(name: &str, arg: &'v JsonValue<'a>) -> Option<&'v JsonValue<'a>> {
    if name != "Fn::Sub" {
        return None;
    }
    match &arg.kind {
        JsonKind::String(_) => Some(arg),
        JsonKind::Array(items) => items.first().filter(|t| t.as_str().is_some()),
        _ => None,
    }
}

/// What [`resolve`] did.
struct Log {
    notes: Vec<(Span, String)>,
    /// Spans of the opaque strings put in place of intrinsics.
    opaque: Vec<Span>,
}

/// What an intrinsic-free copy of a value is.
enum Resolved<'a> {
    /// The value, intrinsics replaced.
    Keep(JsonValue<'a>),
    /// `{"Ref": "AWS::NoValue"}`: nothing.
    NoValue,
    /// Cannot be represented; the reason says where and why.
    Drop(String),
}

/// Replaces the intrinsics in `v` (see the module docs). Recursion is
/// bounded by the parsers' nesting limit.
fn resolve<'a>(cx: &Cx<'a>, v: JsonValue<'a>, log: &mut Log) -> Resolved<'a> {
    if let Some((name, arg)) = intrinsic(&v) {
        return resolve_intrinsic(cx, name, arg, v.span, log);
    }
    let JsonValue { span, kind } = v;
    let kind = match kind {
        JsonKind::Array(items) => {
            let mut kept = Vec::with_capacity(items.len());
            for item in items {
                let item_span = item.span;
                match resolve(cx, item, log) {
                    Resolved::Keep(x) => kept.push(x),
                    Resolved::NoValue => log.notes.push((
                        item_span,
                        format!(
                            "`AWS::NoValue` at {} removes this list element",
                            cx.at(item_span)
                        ),
                    )),
                    Resolved::Drop(reason) => log
                        .notes
                        .push((item_span, format!("a list element is skipped: {reason}"))),
                }
            }
            JsonKind::Array(kept)
        }
        JsonKind::Object(members) => {
            let mut kept = Vec::with_capacity(members.len());
            for m in members {
                let value_span = m.value.span;
                match resolve(cx, m.value, log) {
                    Resolved::Keep(value) => kept.push(JsonMember {
                        key: m.key,
                        key_span: m.key_span,
                        value,
                    }),
                    Resolved::NoValue => log.notes.push((
                        value_span,
                        format!(
                            "`AWS::NoValue` at {} removes `{}`",
                            cx.at(value_span),
                            m.key
                        ),
                    )),
                    Resolved::Drop(reason) => return Resolved::Drop(reason),
                }
            }
            JsonKind::Object(kept)
        }
        other => other,
    };
    Resolved::Keep(JsonValue { span, kind })
}

fn resolve_intrinsic<'a>(
    cx: &Cx<'a>,
    name: &str,
    arg: &JsonValue<'a>,
    span: Span,
    log: &mut Log,
) -> Resolved<'a> {
    if name == "Ref" && arg.as_str() == Some("AWS::NoValue") {
        return Resolved::NoValue;
    }
    let stringish = match name {
        "Fn::Split" | "Fn::GetAZs" | "Fn::Cidr" | "Fn::ForEach" | "Fn::Transform" => false,
        "Fn::If" => if_between_strings(arg),
        _ => true,
    };
    if !stringish {
        let what = if name == "Fn::If" {
            "chooses between values that are not strings"
        } else {
            "produces a value that is not a string"
        };
        return Resolved::Drop(format!(
            "`{name}` at {} {what}, known only at deployment",
            cx.at(span)
        ));
    }
    let text = placeholder(name, arg);
    // A `Fn::Sub` reads as its template: point at the template itself.
    let value_span = sub_template(name, arg).map_or(span, |t| t.span);
    log.opaque.push(value_span);
    log.notes.push((
        span,
        format!(
            "`{name}` at {} is kept as the opaque string `{text}`",
            cx.at(span)
        ),
    ));
    Resolved::Keep(JsonValue {
        span: value_span,
        kind: JsonKind::String(Cow::Owned(text)),
    })
}

/// The intrinsic functions whose value is a string.
const STRING_INTRINSICS: &[&str] = &[
    "Ref",
    "Fn::Sub",
    "Fn::Join",
    "Fn::GetAtt",
    "Fn::ImportValue",
    "Fn::Select",
    "Fn::FindInMap",
    "Fn::Base64",
];

/// Whether `Fn::If`'s two branches are strings (or string-valued
/// intrinsics), so that the choice can stand as one opaque string.
fn if_between_strings(arg: &JsonValue<'_>) -> bool {
    let JsonKind::Array(items) = &arg.kind else {
        return false;
    };
    let [_, a, b] = items.as_slice() else {
        return false;
    };
    [a, b].iter().all(|v| match &v.kind {
        JsonKind::String(_) | JsonKind::Number(_) | JsonKind::Bool(_) => true,
        JsonKind::Object(_) => intrinsic(v).is_some_and(|(name, arg)| {
            STRING_INTRINSICS.contains(&name) && arg.as_str() != Some("AWS::NoValue")
        }),
        _ => false,
    })
}

/// The opaque string that stands for a string-valued intrinsic.
fn placeholder(name: &str, arg: &JsonValue<'_>) -> String {
    let text = match name {
        "Fn::Sub" => sub_template(name, arg)
            .and_then(JsonValue::as_str)
            .map(str::to_string),
        "Ref" => arg.as_str().map(|n| format!("${{{n}}}")),
        "Fn::GetAtt" => match &arg.kind {
            JsonKind::String(s) => Some(format!("${{{s}}}")),
            JsonKind::Array(items) => items
                .iter()
                .map(JsonValue::as_str)
                .collect::<Option<Vec<_>>>()
                .map(|parts| format!("${{{}}}", parts.join("."))),
            _ => None,
        },
        "Fn::Join" => join(arg),
        _ => None,
    };
    text.unwrap_or_else(|| format!("${{{name}}}"))
}

/// `Fn::Join` of a literal list: the parts joined, intrinsic parts as their
/// placeholders.
fn join(arg: &JsonValue<'_>) -> Option<String> {
    let JsonKind::Array(items) = &arg.kind else {
        return None;
    };
    let [delimiter, list] = items.as_slice() else {
        return None;
    };
    let delimiter = delimiter.as_str()?;
    let JsonKind::Array(parts) = &list.kind else {
        return None;
    };
    let parts = parts
        .iter()
        .map(|p| match &p.kind {
            JsonKind::String(s) => Some(s.to_string()),
            JsonKind::Number(n) => Some((*n).to_string()),
            _ => {
                let (name, arg) = intrinsic(p)?;
                (STRING_INTRINSICS.contains(&name) || name == "Fn::If")
                    .then(|| placeholder(name, arg))
            }
        })
        .collect::<Option<Vec<_>>>()?;
    Some(parts.join(delimiter))
}
