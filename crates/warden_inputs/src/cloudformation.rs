//! Policies in CloudFormation templates, JSON or YAML, SAM included.
//!
//! The resource types read, and where each keeps its policy, are the
//! CloudFormation rows of [`HOLDERS`](crate::holders::HOLDERS) (listed in
//! `docs/inputs.md`). A resource of another type whose policy-like property
//! holds a `Statement` is reported as skipped, so that "no findings" never
//! means "not read".
//!
//! A document may be an object (the usual case) or a string of JSON text
//! (parsed on its own, spans mapped back into the template). Intrinsic
//! functions are evaluated by CloudFormation at deployment, so warden cannot
//! know their value; it keeps the policy lintable and says what it did:
//!
//! - where a string belongs, an intrinsic becomes an opaque string, with a
//!   note: `Fn::Sub` its template text (variables of its map substituted),
//!   `Ref` `${Name}`, `Fn::GetAtt` `${Resource.Attribute}`, `Fn::Join` its
//!   parts joined (each part's own placeholder), and any other function
//!   `${Fn::Name:argument}`, so that two different `Fn::ImportValue`s stay
//!   two different values;
//! - `Fn::If` is linted on both branches: the policy is read once with the
//!   first branch of every `Fn::If` and, when some `Fn::If` has two real
//!   branches, once more with the second (named `<name>@else`); a branch
//!   that is `AWS::NoValue` gives way to the other one;
//! - `{"Ref": "AWS::NoValue"}` removes its element or member, as at
//!   deployment;
//! - a value that cannot be a string (`Fn::Split`, `Fn::GetAZs`, `Fn::Cidr`)
//!   removes the nearest enclosing list element (usually the statement),
//!   with a note; with no list above it, or when every statement is
//!   removed, the whole document is skipped (never read as an empty policy);
//! - a whole document given by an intrinsic is skipped, except `Fn::Sub` of
//!   JSON text, which is read as that text.

use std::borrow::Cow;

use warden_policy::PolicyType;
use warden_policy::json::{JsonKind, JsonMember, JsonValue};
use warden_text::Span;

use crate::holders::{Format, Shape, holders, looks_like_policy_property};
use crate::select::element_parts;
use crate::{
    API_GATEWAY_TYPES, Cx, Extraction, FoundPolicy, Place, mark_api_shorthand, permission, sam,
};

/// Whether `root` is a CloudFormation template: it has
/// `AWSTemplateFormatVersion`, a SAM `Transform`, or a top-level
/// `Resources` object (CloudFormation's one required section), even one
/// that holds no policy.
pub(crate) fn is_template(root: &JsonValue<'_>) -> bool {
    root.get("AWSTemplateFormatVersion").is_some()
        || root
            .get("Resources")
            .and_then(JsonValue::as_object)
            .is_some()
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
        let Some(props) = resource.value.get("Properties") else {
            continue;
        };
        let base = Base {
            logical_id: &resource.key,
            location: format!("Resources.{}.Properties", resource.key),
        };
        let mut rows = holders(Format::CloudFormation, ty).peekable();
        if rows.peek().is_none() {
            unsupported(cx, ty, props, &base, out);
            continue;
        }
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
        let before = out.policies.len();
        for row in rows {
            match row.shape {
                Shape::Document { path, policy_type } => {
                    if let Some(doc) = at_path(cx, props, path, &base, out) {
                        let place = base.place(&format!(".{}", path.join(".")), &path.join("/"));
                        document(cx, doc, place, policy_type, Vec::new(), out);
                    }
                }
                Shape::Statement { path, policy_type } => {
                    if let Some(statement) = at_path(cx, props, path, &base, out) {
                        let place = base.place(&format!(".{}", path.join(".")), &path.join("/"));
                        let doc = wrap("Statement", statement.clone(), statement.span);
                        document(cx, &doc, place, Some(policy_type), Vec::new(), out);
                    }
                }
                Shape::InlineList {
                    list,
                    name,
                    document: key,
                    policy_type,
                } => {
                    if let Some(items) = props.get(list) {
                        let inline = Inline {
                            list,
                            name,
                            document: key,
                            policy_type,
                        };
                        inline_policies(cx, items, &inline, &base, out);
                    }
                }
                Shape::Organizations { content, kind } => {
                    organizations(cx, props, content, kind, &base, out);
                }
                Shape::SamPolicies => sam::policies(cx, props, &base, out),
                Shape::SamResourcePolicy => sam::api_resource_policy(cx, props, &base, out),
                Shape::LambdaPermission => lambda_permission(cx, props, &base, out),
            }
        }
        if API_GATEWAY_TYPES.contains(&ty) {
            mark_api_shorthand(out.policies.get_mut(before..).unwrap_or_default());
        }
    }
}

/// The value at `path` of `props`; an intrinsic on the way is reported as
/// skipped.
fn at_path<'v, 'a>(
    cx: &Cx<'a>,
    props: &'v JsonValue<'a>,
    path: &[&str],
    base: &Base<'_>,
    out: &mut Extraction<'a>,
) -> Option<&'v JsonValue<'a>> {
    let (last, parents) = path.split_last()?;
    let mut cur = props;
    for (i, key) in parents.iter().enumerate() {
        cur = cur.get(key)?;
        if let Some((name, _)) = intrinsic(cur) {
            let shown = path.get(..=i).unwrap_or(path);
            out.skipped.push(
                base.place(&format!(".{}", shown.join(".")), &path.join("/"))
                    .skipped(
                        cur.span,
                        format!(
                            "`{}` is given by `{name}` at {}; it is known only at deployment",
                            shown.join("."),
                            cx.at(cur.span)
                        ),
                    ),
            );
            return None;
        }
    }
    cur.get(last)
}

/// An object `{key: value}` spanning `span`, for documents warden builds
/// around what a template holds.
pub(crate) fn wrap<'a>(key: &'static str, value: JsonValue<'a>, span: Span) -> JsonValue<'a> {
    JsonValue {
        span,
        kind: JsonKind::Object(vec![JsonMember {
            key: Cow::Borrowed(key),
            key_span: span,
            value,
        }]),
    }
}

/// A resource type warden does not read: each top-level property with a
/// policy-like name whose value holds a `Statement` is reported as skipped.
fn unsupported<'a>(
    cx: &Cx<'a>,
    ty: &str,
    props: &JsonValue<'a>,
    base: &Base<'_>,
    out: &mut Extraction<'a>,
) {
    let Some(members) = props.as_object() else {
        return;
    };
    for m in members {
        if looks_like_policy_property(&m.key) && holds_statement(&m.value) {
            out.skipped
                .push(base.place(&format!(".{}", m.key), &m.key).skipped(
                    m.value.span,
                    format!(
                        "`{}` at {} looks like a policy, but warden does not read `{ty}` resources",
                        m.key,
                        cx.at(m.value.span)
                    ),
                ));
        }
    }
}

/// Whether `v` looks like a policy document: an object with `Statement`,
/// or text that mentions `"Statement"` (JSON text, or a `Fn::Sub` of it).
pub(crate) fn holds_statement(v: &JsonValue<'_>) -> bool {
    match &v.kind {
        JsonKind::Object(_) if v.get("Statement").is_some() => true,
        JsonKind::String(s) => s.contains("\"Statement\""),
        JsonKind::Object(_) => intrinsic(v)
            .and_then(|(name, arg)| sub_template(name, arg))
            .is_some_and(holds_statement),
        _ => false,
    }
}

/// A resource's properties: its logical id, and their location
/// (`Resources.<id>.Properties`).
pub(crate) struct Base<'r> {
    pub(crate) logical_id: &'r str,
    pub(crate) location: String,
}

impl Base<'_> {
    /// The place at `suffix` of the properties' location, named `part`.
    pub(crate) fn place(&self, suffix: &str, part: &str) -> Place {
        Place::new(format!("{}{suffix}", self.location), self.logical_id, part)
    }
}

/// `AWS::Organizations::Policy`: `Content`, an SCP or RCP by `Type`.
fn organizations<'a>(
    cx: &Cx<'a>,
    props: &JsonValue<'a>,
    content_key: &str,
    kind_key: &str,
    base: &Base<'_>,
    out: &mut Extraction<'a>,
) {
    let Some(content) = props.get(content_key) else {
        return;
    };
    let place = base.place(&format!(".{content_key}"), content_key);
    let mut notes = Vec::new();
    let policy_type = match props.get(kind_key) {
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
                        "the policy `{kind_key}` at {} is not a plain string; the policy type is inferred",
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

/// The keys of an inline policy list.
struct Inline {
    list: &'static str,
    name: &'static str,
    document: &'static str,
    policy_type: PolicyType,
}

/// `Policies: [{PolicyName, PolicyDocument}, ...]` of roles, users, groups.
fn inline_policies<'a>(
    cx: &Cx<'a>,
    list: &JsonValue<'a>,
    keys: &Inline,
    base: &Base<'_>,
    out: &mut Extraction<'a>,
) {
    let list_name = keys.list;
    if let Some((name, _)) = intrinsic(list) {
        out.skipped
            .push(base.place(&format!(".{list_name}"), list_name).skipped(
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
        .map(|item| item.get(keys.name).and_then(JsonValue::as_str))
        .collect();
    for ((i, whole), (part, alias)) in items
        .iter()
        .enumerate()
        .zip(element_parts(list_name, &names))
    {
        for (item, suffix) in readings(whole) {
            let part = format!("{part}{suffix}");
            let alias = alias.clone().filter(|_| suffix.is_empty());
            if let Some((name, arg)) = intrinsic(item) {
                if !is_no_value(name, arg) {
                    out.skipped.push(
                        base.place(&format!(".{list_name}[{i}]"), &part)
                            .with_alias(alias)
                            .skipped(
                                item.span,
                                format!(
                                    "the policy is given by `{name}` at {}; it is known only at deployment",
                                    cx.at(item.span)
                                ),
                            ),
                    );
                }
                continue;
            }
            if let Some(doc) = item.get(keys.document) {
                let place = base
                    .place(&format!(".{list_name}[{i}].{}", keys.document), &part)
                    .with_alias(alias);
                document(cx, doc, place, Some(keys.policy_type), Vec::new(), out);
            }
        }
    }
}

/// The readings of a list element: itself, or, for `Fn::If`, each branch
/// that is not `AWS::NoValue` (the second named with `@else`).
pub(crate) fn readings<'v, 'a>(item: &'v JsonValue<'a>) -> Vec<(&'v JsonValue<'a>, &'static str)> {
    if let Some(("Fn::If", arg)) = intrinsic(item)
        && let JsonKind::Array(args) = &arg.kind
        && let [_, then, other] = args.as_slice()
    {
        let real = |v: &JsonValue<'_>| !intrinsic(v).is_some_and(|(n, a)| is_no_value(n, a));
        let mut out = Vec::new();
        if real(then) {
            out.push((then, ""));
        }
        if real(other) {
            out.push((other, "@else"));
        }
        return out;
    }
    vec![(item, "")]
}

/// `AWS::Lambda::Permission`: the statement its properties grant.
fn lambda_permission<'a>(
    cx: &Cx<'a>,
    props: &JsonValue<'a>,
    base: &Base<'_>,
    out: &mut Extraction<'a>,
) {
    let field = |key: &str| props.as_object()?.iter().find(|m| &*m.key == key);
    let fields = permission::Fields {
        action: field("Action"),
        principal: field("Principal"),
        function: field("FunctionName"),
        source_arn: field("SourceArn"),
        source_account: field("SourceAccount"),
        org_id: field("PrincipalOrgID"),
        url_auth_type: field("FunctionUrlAuthType"),
        whole: props.span,
    };
    let place = base.place("", "Permission");
    match permission::document(cx, &fields) {
        Ok(synth) => {
            let notes = vec![(
                props.span,
                format!(
                    "the permission at {} is read as the resource-policy statement it adds to the function",
                    cx.at(props.span)
                ),
            )];
            let before = out.policies.len();
            document(
                cx,
                &synth.value,
                place,
                Some(PolicyType::Resource),
                notes,
                out,
            );
            for p in out.policies.iter_mut().skip(before) {
                p.opaque.extend(synth.opaque.iter().copied());
            }
        }
        Err(why) => out.skipped.push(place.skipped(props.span, why)),
    }
}

/// One policy document: an object, a string of JSON, or an intrinsic.
pub(crate) fn document<'a>(
    cx: &Cx<'a>,
    doc: &JsonValue<'a>,
    place: Place,
    policy_type: Option<PolicyType>,
    mut notes: Vec<(Span, String)>,
    out: &mut Extraction<'a>,
) {
    if let Some(("Fn::If", arg)) = intrinsic(doc)
        && let JsonKind::Array(items) = &arg.kind
        && let [_, then, other] = items.as_slice()
    {
        // A whole document chosen by `Fn::If`: each branch is a document.
        let else_place = place.else_branch();
        for (branch, place) in [(then, place), (other, else_place)] {
            if !intrinsic(branch).is_some_and(|(n, a)| is_no_value(n, a)) {
                document(cx, branch, place, policy_type, notes.clone(), out);
            }
        }
        return;
    }
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
            match cx.string_policy(template, place, policy_type, notes) {
                Ok(mut found) => {
                    // Its `${...}` are CloudFormation references, not policy variables.
                    with_references(&found.value, &mut found.opaque);
                    out.policies.push(found);
                }
                Err(skipped) => out.skipped.push(*skipped),
            }
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
        cx.push_string_policy(doc, place, policy_type, notes, out);
        return;
    }
    let mut log = Log::new(notes.clone(), Branch::Then);
    let first = resolve(cx, doc.clone(), &mut log);
    let two_way = log.two_way_ifs;
    let else_place = place.else_branch();
    keep(cx, doc, first, log, place, policy_type, out);
    if two_way > 0 {
        let mut log = Log::new(notes, Branch::Else);
        let second = resolve(cx, doc.clone(), &mut log);
        keep(cx, doc, second, log, else_place, policy_type, out);
    }
}

/// Adds what [`resolve`] made of `doc` to `out`: the policy, or why it is
/// skipped.
fn keep<'a>(
    cx: &Cx<'a>,
    doc: &JsonValue<'a>,
    resolved: Resolved<'a>,
    log: Log,
    place: Place,
    policy_type: Option<PolicyType>,
    out: &mut Extraction<'a>,
) {
    match resolved {
        Resolved::Keep(value) => {
            if statements_all_removed(doc, &value) {
                let reasons: Vec<&str> = log.notes.iter().map(|(_, n)| n.as_str()).collect();
                out.skipped.push(place.skipped(
                    doc.span,
                    format!(
                        "every statement at {} is removed by an intrinsic function ({})",
                        cx.at(doc.span),
                        reasons.join("; ")
                    ),
                ));
                return;
            }
            out.policies.push(FoundPolicy {
                value,
                policy_type,
                location: place.location,
                name: place.name,
                notes: log.notes,
                opaque: log.opaque,
            });
        }
        Resolved::NoValue => {}
        Resolved::Drop(reason) => out.skipped.push(place.skipped(doc.span, reason)),
    }
}

/// Whether `doc` had statements and none is left in `resolved`: the
/// policy would read as "grants nothing" when really it was not read.
fn statements_all_removed(doc: &JsonValue<'_>, resolved: &JsonValue<'_>) -> bool {
    let count = |v: &JsonValue<'_>| match v.get("Statement").map(|s| &s.kind) {
        Some(JsonKind::Array(items)) => items.len(),
        Some(_) => 1,
        None => 0,
    };
    count(doc) > 0 && count(resolved) == 0
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

/// Which branch of every `Fn::If` a reading takes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Branch {
    Then,
    Else,
}

/// What [`resolve`] did.
struct Log {
    notes: Vec<(Span, String)>,
    /// Spans of the opaque strings put in place of intrinsics.
    opaque: Vec<Span>,
    /// The branch every `Fn::If` takes.
    branch: Branch,
    /// How many `Fn::If`s had two branches that are not `AWS::NoValue`.
    two_way_ifs: usize,
}

impl Log {
    fn new(notes: Vec<(Span, String)>, branch: Branch) -> Self {
        Log {
            notes,
            opaque: Vec::new(),
            branch,
            two_way_ifs: 0,
        }
    }
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
            let mut dropped = None;
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
                    Resolved::Drop(reason) => {
                        log.notes
                            .push((item_span, format!("a list element is skipped: {reason}")));
                        dropped = Some(reason);
                    }
                }
            }
            // Nothing left but for values unknown until deployment: the
            // list is unknown too, never an empty list (an empty `Action`
            // or `Statement` would be a finding about what was not read).
            if let (true, Some(reason)) = (kept.is_empty(), dropped) {
                return Resolved::Drop(reason);
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
    if is_no_value(name, arg) {
        return Resolved::NoValue;
    }
    if name == "Fn::If" {
        return resolve_if(cx, arg, span, log);
    }
    let stringish = !matches!(
        name,
        "Fn::Split" | "Fn::GetAZs" | "Fn::Cidr" | "Fn::ForEach" | "Fn::Transform"
    );
    if !stringish {
        return Resolved::Drop(format!(
            "`{name}` at {} produces a value that is not a string, known only at deployment",
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

fn is_no_value(name: &str, arg: &JsonValue<'_>) -> bool {
    name == "Ref" && arg.as_str() == Some("AWS::NoValue")
}

/// `Fn::If [condition, then, else]`: the branch of this reading (see
/// [`Branch`]); a branch that is `AWS::NoValue` gives way to the other,
/// whose value is the one to lint.
fn resolve_if<'a>(cx: &Cx<'a>, arg: &JsonValue<'a>, span: Span, log: &mut Log) -> Resolved<'a> {
    let JsonKind::Array(items) = &arg.kind else {
        return Resolved::Drop(format!(
            "`Fn::If` at {} is not `[condition, then, else]`",
            cx.at(span)
        ));
    };
    let [_, then, other] = items.as_slice() else {
        return Resolved::Drop(format!(
            "`Fn::If` at {} is not `[condition, then, else]`",
            cx.at(span)
        ));
    };
    let no_value = |v: &JsonValue<'_>| intrinsic(v).is_some_and(|(n, a)| is_no_value(n, a));
    let (pick, which) = match (no_value(then), no_value(other)) {
        (true, true) => return Resolved::NoValue,
        (false, true) => (then, "first branch; the second is `AWS::NoValue`"),
        (true, false) => (other, "second branch; the first is `AWS::NoValue`"),
        (false, false) => {
            log.two_way_ifs += 1;
            match log.branch {
                Branch::Then => (
                    then,
                    "first branch here and its second in the `@else` reading",
                ),
                Branch::Else => (
                    other,
                    "second branch here and its first in the plain reading",
                ),
            }
        }
    };
    log.notes.push((
        span,
        format!("`Fn::If` at {} is linted with its {which}", cx.at(span)),
    ));
    resolve(cx, pick.clone(), log)
}

/// The opaque string that stands for a string-valued intrinsic. Two
/// different calls give two different strings (`${Fn::ImportValue:A}`,
/// `${Fn::ImportValue:B}`), so that a list holding both is not read as
/// holding one value twice.
fn placeholder(name: &str, arg: &JsonValue<'_>) -> String {
    let text = match name {
        "Fn::Sub" => sub_text(arg),
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
    text.unwrap_or_else(|| format!("${{{name}:{}}}", argument_text(arg)))
}

/// `Fn::Sub`'s template with the variables of its map substituted by
/// their values (a literal, or another intrinsic's placeholder).
fn sub_text(arg: &JsonValue<'_>) -> Option<String> {
    let template = sub_template("Fn::Sub", arg)?.as_str()?;
    let vars = match &arg.kind {
        JsonKind::Array(items) => items.get(1).and_then(JsonValue::as_object),
        _ => None,
    };
    let Some(vars) = vars else {
        return Some(template.to_string());
    };
    let mut text = template.to_string();
    for v in vars {
        let value = match &v.value.kind {
            JsonKind::String(s) => s.to_string(),
            JsonKind::Number(n) => (*n).to_string(),
            _ => match intrinsic(&v.value) {
                Some((name, arg)) => placeholder(name, arg),
                None => continue,
            },
        };
        text = text.replace(&format!("${{{}}}", v.key), &value);
    }
    Some(text)
}

/// A short text of an intrinsic's argument, for its placeholder: literals
/// as written, nested intrinsics as their placeholders, and the offset of
/// anything else (so distinct calls stay distinct).
fn argument_text(arg: &JsonValue<'_>) -> String {
    match &arg.kind {
        JsonKind::String(s) => s.to_string(),
        JsonKind::Number(n) => (*n).to_string(),
        JsonKind::Bool(b) => b.to_string(),
        JsonKind::Null => "null".to_string(),
        JsonKind::Array(items) if items.len() <= 8 => items
            .iter()
            .map(argument_text)
            .collect::<Vec<_>>()
            .join(","),
        JsonKind::Object(_) => match intrinsic(arg) {
            Some((name, inner)) => placeholder(name, inner),
            None => format!("@{}", arg.span.start),
        },
        JsonKind::Array(_) => format!("@{}", arg.span.start),
    }
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
