//! Policies in AWS SAM resources (`Transform: AWS::Serverless-2016-10-31`).
//!
//! - `AWS::Serverless::Function` and `AWS::Serverless::StateMachine`
//!   `Policies` is one item or a list; each item is (SAM's "Policies"
//!   property):
//!   - an inline policy document (an object with `Statement`), read as an
//!     identity policy;
//!   - a SAM policy template (`S3ReadPolicy: {BucketName: !Ref Bucket}`),
//!     expanded from SAM's own definitions (`data/sam/policy_templates.json`,
//!     vendored from aws/serverless-application-model under Apache-2.0) as
//!     SAM does: each `{"Ref": Parameter}` of the definition is replaced by
//!     the value the template gives; the expanded policy points at the
//!     template's item;
//!   - an AWS managed policy name or ARN, or an intrinsic (usually a managed
//!     policy ARN): not a document warden has, reported as skipped.
//! - `AWS::Serverless::Api` `Auth.ResourcePolicy.CustomStatements` are the
//!   API's resource policy statements (SAM adds them to the API's policy,
//!   version `2012-10-17`); the shorthands beside them (`AwsAccountWhitelist`,
//!   `IpRangeBlacklist`, ...) are reported as not read.

use std::borrow::Cow;
use std::sync::OnceLock;

use warden_policy::PolicyType;
use warden_policy::json::{JsonKind, JsonMember, JsonValue, parse_json};
use warden_text::Span;

use crate::cloudformation::{Base, document, readings, wrap};
use crate::select::element_parts;
use crate::{Cx, Extraction, Place};

/// SAM's policy template definitions, as published.
const TEMPLATES_JSON: &str = include_str!("../data/sam/policy_templates.json");

/// The parsed definitions (`Templates` of the vendored file).
fn templates() -> Option<&'static JsonValue<'static>> {
    static PARSED: OnceLock<Option<JsonValue<'static>>> = OnceLock::new();
    PARSED
        .get_or_init(|| parse_json(TEMPLATES_JSON).ok())
        .as_ref()
        .and_then(|root| root.get("Templates"))
}

/// The names of SAM's policy templates.
pub fn template_names() -> Vec<&'static str> {
    templates()
        .and_then(JsonValue::as_object)
        .map(|ts| ts.iter().map(|m| &*m.key).collect())
        .unwrap_or_default()
}

fn intrinsic<'v, 'a>(v: &'v JsonValue<'a>) -> Option<(&'v str, &'v JsonValue<'a>)> {
    match v.as_object()? {
        [m] if &*m.key == "Ref" || m.key.starts_with("Fn::") => Some((&m.key, &m.value)),
        _ => None,
    }
}

/// `Policies` of a SAM function or state machine.
pub(crate) fn policies<'a>(
    cx: &Cx<'a>,
    props: &JsonValue<'a>,
    base: &Base<'_>,
    out: &mut Extraction<'a>,
) {
    let Some(list) = props.get("Policies") else {
        return;
    };
    let items: Vec<&JsonValue<'a>> = match &list.kind {
        JsonKind::Array(items) => items.iter().collect(),
        _ if intrinsic(list).is_some() => {
            let name = intrinsic(list).map_or("", |(n, _)| n);
            out.skipped
                .push(base.place(".Policies", "Policies").skipped(
                list.span,
                format!(
                    "the policies are given by `{name}` at {}; they are known only at deployment",
                    cx.at(list.span)
                ),
            ));
            return;
        }
        _ => vec![list],
    };
    let names: Vec<Option<&str>> = items.iter().map(|item| template_name(item)).collect();
    for ((i, whole), (part, alias)) in items
        .iter()
        .enumerate()
        .zip(element_parts("Policies", &names))
    {
        for (item, suffix) in readings(whole) {
            let place = base
                .place(&format!(".Policies[{i}]"), &format!("{part}{suffix}"))
                .with_alias(alias.clone().filter(|_| suffix.is_empty()));
            policy_item(cx, item, place, out);
        }
    }
}

/// One item of `Policies`.
fn policy_item<'a>(cx: &Cx<'a>, item: &JsonValue<'a>, place: Place, out: &mut Extraction<'a>) {
    match &item.kind {
        JsonKind::String(name) => out.skipped.push(place.skipped(
            item.span,
            format!(
                "`{name}` at {} is an AWS managed policy, which warden does not read",
                cx.at(item.span)
            ),
        )),
        JsonKind::Object(_) if item.get("Statement").is_some() => {
            document(cx, item, place, Some(PolicyType::Identity), Vec::new(), out);
        }
        JsonKind::Object(_) => {
            if let Some((name, arg)) = intrinsic(item) {
                if !(name == "Ref" && arg.as_str() == Some("AWS::NoValue")) {
                    out.skipped.push(place.skipped(
                        item.span,
                        format!(
                            "the policy is given by `{name}` at {} (a managed policy ARN?); \
                                 it is known only at deployment",
                            cx.at(item.span)
                        ),
                    ));
                }
                return;
            }
            match expand(cx, item) {
                Ok((doc, note)) => document(
                    cx,
                    &doc,
                    place,
                    Some(PolicyType::Identity),
                    vec![(item.span, note)],
                    out,
                ),
                Err(why) => out.skipped.push(place.skipped(item.span, why)),
            }
        }
        other => out.skipped.push(place.skipped(
            item.span,
            format!(
                "the policy at {} is {}, not a policy, a template or a managed policy",
                cx.at(item.span),
                other.describe()
            ),
        )),
    }
}

/// The template an item of `Policies` names, if it is `{Name: {...}}`.
fn template_name<'v>(item: &'v JsonValue<'_>) -> Option<&'v str> {
    match item.as_object()? {
        [m] if !m.key.starts_with("Fn::") && &*m.key != "Ref" && &*m.key != "Statement" => {
            Some(&m.key)
        }
        _ => None,
    }
}

/// Expands the policy template `item` (`{Name: {Parameter: value}}`): the
/// document, and a note saying so.
fn expand<'a>(cx: &Cx<'a>, item: &JsonValue<'a>) -> Result<(JsonValue<'a>, String), String> {
    let Some([m]) = item.as_object() else {
        return Err(format!(
            "the policy at {} is neither a document (no `Statement`) nor one SAM policy template",
            cx.at(item.span)
        ));
    };
    let name = &*m.key;
    let Some(template) = templates().and_then(|t| t.get(name)) else {
        return Err(format!(
            "`{name}` at {} is not a SAM policy template warden knows (nor a document: no `Statement`)",
            cx.at(item.span)
        ));
    };
    if let Some((f, _)) = intrinsic(&m.value) {
        return Err(format!(
            "the parameters of `{name}` are given by `{f}` at {}; they are known only at deployment",
            cx.at(m.value.span)
        ));
    }
    let declared: Vec<&str> = template
        .get("Parameters")
        .and_then(JsonValue::as_object)
        .map(|ps| ps.iter().map(|p| &*p.key).collect())
        .unwrap_or_default();
    let Some(definition) = template.get("Definition") else {
        return Err(format!("SAM's `{name}` has no definition"));
    };
    let args = Args {
        declared: &declared,
        given: &m.value,
        span: item.span,
    };
    let mut doc = args.instantiate(definition).map_err(|missing| {
        format!(
            "`{name}` at {} lacks its parameter `{missing}` (SAM would reject it)",
            cx.at(item.span)
        )
    })?;
    // SAM writes the definition without `Version`; none of SAM's
    // definitions holds a policy variable (`${aws:...}`), the one thing the
    // version changes, so reading it as 2012-10-17 changes no decision and
    // spares the user a "missing Version" finding they cannot fix.
    if let JsonKind::Object(members) = &mut doc.kind {
        members.insert(0, version_member(item.span));
    }
    Ok((
        doc,
        format!(
            "SAM policy template `{name}` at {} is expanded from SAM's definition; findings \
             inside it point at the template's use",
            cx.at(item.span)
        ),
    ))
}

/// A template's use: its declared parameters, the values given, and the
/// span every expanded node takes.
struct Args<'u, 'a> {
    declared: &'u [&'u str],
    given: &'u JsonValue<'a>,
    span: Span,
}

impl<'a> Args<'_, 'a> {
    /// A copy of `def` (SAM's definition) with parameters replaced and
    /// spans at the use; the name of a missing parameter otherwise.
    /// Recursion is bounded by the vendored definitions' fixed depth.
    fn instantiate(&self, def: &JsonValue<'static>) -> Result<JsonValue<'a>, String> {
        if let Some(("Ref", arg)) = intrinsic(def)
            && let Some(p) = arg.as_str().filter(|p| self.declared.contains(p))
        {
            return self.given.get(p).cloned().ok_or_else(|| p.to_string());
        }
        let kind = match &def.kind {
            // A few definitions list an action twice (`CodeCommitCrudPolicy`
            // has `codecommit:GetBranch` twice); the copy changes nothing
            // and the user cannot remove it, so it is dropped.
            JsonKind::Array(items) => {
                let mut seen: Vec<&str> = Vec::new();
                let mut out = Vec::with_capacity(items.len());
                for i in items {
                    if let Some(s) = i.as_str() {
                        if seen.contains(&s) {
                            continue;
                        }
                        seen.push(s);
                    }
                    out.push(self.instantiate(i)?);
                }
                JsonKind::Array(out)
            }
            JsonKind::Object(members) => JsonKind::Object(
                members
                    .iter()
                    .map(|m| {
                        Ok(JsonMember {
                            key: m.key.clone(),
                            key_span: self.span,
                            value: self.instantiate(&m.value)?,
                        })
                    })
                    .collect::<Result<_, String>>()?,
            ),
            JsonKind::String(s) => JsonKind::String(s.clone()),
            JsonKind::Number(n) => JsonKind::Number(n),
            JsonKind::Bool(b) => JsonKind::Bool(*b),
            JsonKind::Null => JsonKind::Null,
        };
        Ok(JsonValue {
            span: self.span,
            kind,
        })
    }
}

/// `"Version": "2012-10-17"`, spanning `span`.
fn version_member<'a>(span: Span) -> JsonMember<'a> {
    JsonMember {
        key: Cow::Borrowed("Version"),
        key_span: span,
        value: JsonValue {
            span,
            kind: JsonKind::String(Cow::Borrowed("2012-10-17")),
        },
    }
}

/// The keys of `Auth.ResourcePolicy` that SAM turns into statements of its
/// own (not read by warden).
const SHORTHANDS: &[&str] = &[
    "AwsAccountBlacklist",
    "AwsAccountWhitelist",
    "IntrinsicVpcBlacklist",
    "IntrinsicVpcWhitelist",
    "IntrinsicVpceBlacklist",
    "IntrinsicVpceWhitelist",
    "IpRangeBlacklist",
    "IpRangeWhitelist",
    "SourceVpcBlacklist",
    "SourceVpcWhitelist",
];

/// `Auth.ResourcePolicy` of a SAM API.
pub(crate) fn api_resource_policy<'a>(
    cx: &Cx<'a>,
    props: &JsonValue<'a>,
    base: &Base<'_>,
    out: &mut Extraction<'a>,
) {
    let Some(rp) = props.get("Auth").and_then(|a| a.get("ResourcePolicy")) else {
        return;
    };
    let location = ".Auth.ResourcePolicy";
    if let Some((name, _)) = intrinsic(rp) {
        out.skipped
            .push(base.place(location, "ResourcePolicy").skipped(
            rp.span,
            format!(
                "the resource policy is given by `{name}` at {}; it is known only at deployment",
                cx.at(rp.span)
            ),
        ));
        return;
    }
    for m in rp.as_object().unwrap_or_default() {
        if SHORTHANDS.contains(&&*m.key) {
            out.skipped.push(
                base.place(&format!("{location}.{}", m.key), &format!("ResourcePolicy/{}", m.key))
                    .skipped(
                        m.value.span,
                        format!(
                            "`{}` at {} becomes statements SAM writes itself; warden does not read them",
                            m.key,
                            cx.at(m.value.span)
                        ),
                    ),
            );
        }
    }
    let Some(custom) = rp.get("CustomStatements") else {
        return;
    };
    let place = base.place(
        &format!("{location}.CustomStatements"),
        "ResourcePolicy/CustomStatements",
    );
    let mut doc = wrap("Statement", custom.clone(), custom.span);
    if let JsonKind::Object(members) = &mut doc.kind {
        members.insert(0, version_member(custom.span));
    }
    let note = (
        custom.span,
        format!(
            "the statements at {} are read as the API's resource policy (version 2012-10-17, as SAM writes it)",
            cx.at(custom.span)
        ),
    );
    document(cx, &doc, place, Some(PolicyType::Resource), vec![note], out);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vendored_templates_parse() {
        let names = template_names();
        assert!(names.len() > 70, "{}", names.len());
        assert!(names.contains(&"S3ReadPolicy"));
    }
}
