//! Policies in Terraform plans (`terraform show -json plan.out`), and in
//! state in the same form (`terraform show -json`).
//!
//! Resources are read from `planned_values.root_module` (or `values.root_module`
//! for state), its `resources[]` and, recursively, its `child_modules[]`.
//! The resource types read, and the attribute of each that holds a policy,
//! are the Terraform rows of [`HOLDERS`](crate::holders::HOLDERS) (listed in
//! `docs/inputs.md`). Data sources are read only for
//! `aws_iam_policy_document`, and only when no resource of the plan holds
//! the same text (it is then linted once, as that resource's policy). A
//! resource of another type with a policy-like attribute holding a
//! `Statement` is reported as skipped.
//!
//! Plans hold each policy as JSON text in an escaped string
//! (`"{\"Version\":...}"`); it is parsed on its own and its spans are mapped
//! through the escapes back into the plan file, so a finding points at the
//! exact line and column of the plan. A policy whose value is known only
//! after apply (absent from `planned_values`, `true` in the resource change's
//! `after_unknown`) is skipped.

use std::collections::{HashMap, HashSet};

use warden_policy::PolicyType;
use warden_policy::json::{JsonKind, JsonValue};

use crate::cloudformation::holds_statement;
use crate::holders::{Format, Shape, holders, looks_like_policy_property};
use crate::select::element_parts;
use crate::{API_GATEWAY_TYPES, Cx, Extraction, Place, mark_api_shorthand, permission};

/// Whether `root` is `terraform show -json` output.
pub(crate) fn is_plan(root: &JsonValue<'_>) -> bool {
    root.get("format_version").is_some() && root.get("terraform_version").is_some()
}

/// One step of a path into `values`.
#[derive(Clone, Copy)]
enum Step<'s> {
    Key(&'s str),
    Index(usize),
}

/// Adds the policies of the plan `root` to `out`.
pub(crate) fn extract<'a>(cx: &Cx<'a>, root: &JsonValue<'a>, out: &mut Extraction<'a>) {
    let unknown = after_unknown(root);
    let Some(module) = root
        .get("planned_values")
        .or_else(|| root.get("values"))
        .and_then(|v| v.get("root_module"))
    else {
        return;
    };
    // Depth first, in file order; the JSON parser bounds the nesting.
    let mut modules = vec![module];
    let mut data = Extraction {
        kind: out.kind,
        policies: Vec::new(),
        skipped: Vec::new(),
    };
    while let Some(module) = modules.pop() {
        if let Some(JsonKind::Array(resources)) = module.get("resources").map(|r| &r.kind) {
            for r in resources {
                if r.get("mode").and_then(JsonValue::as_str) == Some("data") {
                    resource(cx, r, &unknown, &mut data);
                    continue;
                }
                let before = out.policies.len();
                resource(cx, r, &unknown, out);
                if r.get("type")
                    .and_then(JsonValue::as_str)
                    .is_some_and(|t| API_GATEWAY_TYPES.contains(&t))
                {
                    mark_api_shorthand(out.policies.get_mut(before..).unwrap_or_default());
                }
            }
        }
        if let Some(JsonKind::Array(children)) = module.get("child_modules").map(|c| &c.kind) {
            modules.extend(children.iter().rev());
        }
    }
    // A policy document data source is usually some resource's policy too:
    // lint it there only, once.
    let texts: Vec<String> = out.policies.iter().map(|p| canonical(&p.value)).collect();
    let texts: HashSet<&str> = texts.iter().map(String::as_str).collect();
    for p in data.policies {
        if !texts.contains(canonical(&p.value).as_str()) {
            out.policies.push(p);
        }
    }
    out.skipped.extend(data.skipped);
}

/// A span-free text of a parsed document, to compare two documents.
/// Recursion is bounded by the JSON parser's nesting limit.
fn canonical(v: &JsonValue<'_>) -> String {
    match &v.kind {
        JsonKind::Null => "null".to_string(),
        JsonKind::Bool(b) => b.to_string(),
        JsonKind::Number(n) => (*n).to_string(),
        JsonKind::String(s) => format!("{s:?}"),
        JsonKind::Array(items) => {
            let items: Vec<String> = items.iter().map(canonical).collect();
            format!("[{}]", items.join(","))
        }
        JsonKind::Object(members) => {
            let members: Vec<String> = members
                .iter()
                .map(|m| format!("{:?}:{}", m.key, canonical(&m.value)))
                .collect();
            format!("{{{}}}", members.join(","))
        }
    }
}

/// `resource_changes[].change.after_unknown` by resource address.
fn after_unknown<'v, 'a>(root: &'v JsonValue<'a>) -> HashMap<&'v str, &'v JsonValue<'a>> {
    let mut map = HashMap::new();
    if let Some(JsonKind::Array(changes)) = root.get("resource_changes").map(|c| &c.kind) {
        for c in changes {
            if let (Some(address), Some(unknown)) = (
                c.get("address").and_then(JsonValue::as_str),
                c.get("change").and_then(|ch| ch.get("after_unknown")),
            ) {
                map.insert(address, unknown);
            }
        }
    }
    map
}

fn resource<'a>(
    cx: &Cx<'a>,
    r: &JsonValue<'a>,
    unknown: &HashMap<&str, &JsonValue<'a>>,
    out: &mut Extraction<'a>,
) {
    let Some(ty) = r.get("type").and_then(JsonValue::as_str) else {
        return;
    };
    let data = r.get("mode").and_then(JsonValue::as_str) == Some("data");
    if data && ty != "aws_iam_policy_document" {
        return;
    }
    let address = match r.get("address").and_then(JsonValue::as_str) {
        Some(a) => a.to_string(),
        None => format!(
            "{ty}.{}",
            r.get("name").and_then(JsonValue::as_str).unwrap_or("?")
        ),
    };
    let values = r.get("values");
    let unknown = unknown.get(address.as_str()).copied();
    let read = Reader {
        cx,
        resource: r,
        values,
        unknown,
    };
    let several = holders(Format::Terraform, ty).count() > 1;
    let mut rows = holders(Format::Terraform, ty).peekable();
    if rows.peek().is_none() {
        unsupported(cx, ty, &address, values, out);
        return;
    }
    for row in rows {
        match row.shape {
            Shape::Document { path, policy_type } => {
                let attr = path.join(".");
                // A resource with several policies names the attribute.
                let location = if several {
                    format!("{address}.{attr}")
                } else {
                    address.clone()
                };
                let place = Place::new(location, &address, &path.join("/"));
                let steps: Vec<Step<'_>> = path.iter().map(|k| Step::Key(k)).collect();
                read.attribute(&steps, place, policy_type, out);
            }
            Shape::InlineList {
                list,
                name,
                document,
                policy_type,
            } => read.inline_list(&address, list, name, document, policy_type, out),
            Shape::Organizations { content, kind } => {
                let policy_type = match values.and_then(|v| v.get(kind)).and_then(JsonValue::as_str)
                {
                    None | Some("SERVICE_CONTROL_POLICY") => PolicyType::Scp,
                    Some("RESOURCE_CONTROL_POLICY") => PolicyType::Rcp,
                    Some(other) => {
                        out.skipped.push(
                            Place::new(address.clone(), &address, content)
                                .skipped(r.span, format!("a `{other}` is not an IAM policy")),
                        );
                        return;
                    }
                };
                let place = Place::new(address.clone(), &address, content);
                read.attribute(&[Step::Key(content)], place, Some(policy_type), out);
            }
            Shape::LambdaPermission => read.lambda_permission(&address, out),
            // CloudFormation shapes.
            Shape::Statement { .. } | Shape::SamPolicies | Shape::SamResourcePolicy => {}
        }
    }
}

/// A resource type warden does not read: each attribute with a
/// policy-like name whose text holds a `Statement` is reported as skipped.
fn unsupported<'a>(
    cx: &Cx<'a>,
    ty: &str,
    address: &str,
    values: Option<&JsonValue<'a>>,
    out: &mut Extraction<'a>,
) {
    let Some(members) = values.and_then(JsonValue::as_object) else {
        return;
    };
    for m in members {
        if looks_like_policy_property(&m.key) && holds_statement(&m.value) {
            out.skipped.push(
                Place::new(format!("{address}.{}", m.key), address, &m.key).skipped(
                    m.value.span,
                    format!(
                        "`{}` at {} looks like a policy, but warden does not read `{ty}` resources",
                        m.key,
                        cx.at(m.value.span)
                    ),
                ),
            );
        }
    }
}

/// One resource's values and unknowns.
struct Reader<'c, 'v, 'a> {
    cx: &'c Cx<'a>,
    resource: &'v JsonValue<'a>,
    values: Option<&'v JsonValue<'a>>,
    unknown: Option<&'v JsonValue<'a>>,
}

impl<'a> Reader<'_, '_, 'a> {
    /// `inline_policy[i].policy` of a role.
    fn inline_list(
        &self,
        address: &str,
        list: &str,
        name: &str,
        document: &str,
        policy_type: PolicyType,
        out: &mut Extraction<'a>,
    ) {
        match self.values.and_then(|v| v.get(list)).map(|p| &p.kind) {
            Some(JsonKind::Array(items)) => {
                let names: Vec<Option<&str>> = items
                    .iter()
                    .map(|item| item.get(name).and_then(JsonValue::as_str))
                    .collect();
                let parts = element_parts(list, &names);
                for (i, (part, alias)) in parts.into_iter().enumerate() {
                    let place = Place::new(format!("{address}.{list}[{i}]"), address, &part)
                        .with_alias(alias);
                    let path = [Step::Key(list), Step::Index(i), Step::Key(document)];
                    self.attribute(&path, place, Some(policy_type), out);
                }
            }
            None | Some(JsonKind::Null) => {
                let place = Place::new(format!("{address}.{list}"), address, list);
                self.attribute(&[Step::Key(list)], place, Some(policy_type), out);
            }
            Some(_) => {}
        }
    }

    /// `aws_lambda_permission`: the statement its attributes grant.
    fn lambda_permission(&self, address: &str, out: &mut Extraction<'a>) {
        let place = Place::new(address.to_string(), address, "permission");
        if self.values.is_none() && self.unknown.is_some() {
            out.skipped.push(place.skipped(
                self.resource.span,
                "the permission is known only after apply".to_string(),
            ));
            return;
        }
        let field = |key: &str| {
            self.values?
                .as_object()?
                .iter()
                .find(|m| &*m.key == key && !matches!(m.value.kind, JsonKind::Null))
        };
        let fields = permission::Fields {
            action: field("action"),
            principal: field("principal"),
            function: field("function_name"),
            source_arn: field("source_arn"),
            source_account: field("source_account"),
            org_id: field("principal_org_id"),
            url_auth_type: field("function_url_auth_type"),
            whole: self.resource.span,
        };
        if fields.principal.is_none() && is_unknown(self.unknown, &[Step::Key("principal")]) {
            out.skipped.push(place.skipped(
                self.resource.span,
                "the permission's principal is known only after apply".to_string(),
            ));
            return;
        }
        match permission::document(self.cx, &fields) {
            Ok(synth) => out.policies.push(crate::FoundPolicy {
                value: synth.value,
                policy_type: Some(PolicyType::Resource),
                location: place.location,
                name: place.name,
                notes: vec![(
                    self.resource.span,
                    format!(
                        "the permission at {} is read as the resource-policy statement it adds to the function",
                        self.cx.at(self.resource.span)
                    ),
                )],
                opaque: synth.opaque,
            }),
            Err(why) => out.skipped.push(place.skipped(self.resource.span, why)),
        }
    }

    /// Reads the policy string at `path` of `values`.
    fn attribute(
        &self,
        path: &[Step<'_>],
        place: Place,
        policy_type: Option<PolicyType>,
        out: &mut Extraction<'a>,
    ) {
        match follow(self.values, path).map(|v| (v, &v.kind)) {
            Some((_, JsonKind::String(s))) if s.trim().is_empty() => {}
            Some((v, JsonKind::String(_))) => {
                self.cx
                    .push_string_policy(v, place, policy_type, Vec::new(), out);
            }
            Some((_, JsonKind::Null)) | None => {
                if is_unknown(self.unknown, path) {
                    out.skipped.push(place.skipped(
                        self.resource.span,
                        "the policy is known only after apply".to_string(),
                    ));
                }
            }
            Some((v, kind)) => out.skipped.push(place.skipped(
                v.span,
                format!("the policy is {}, not JSON text", kind.describe()),
            )),
        }
    }
}

fn follow<'v, 'a>(
    mut v: Option<&'v JsonValue<'a>>,
    path: &[Step<'_>],
) -> Option<&'v JsonValue<'a>> {
    for step in path {
        let cur = v?;
        v = match (step, &cur.kind) {
            (Step::Key(k), JsonKind::Object(_)) => cur.get(k),
            (Step::Index(i), JsonKind::Array(items)) => items.get(*i),
            _ => None,
        };
    }
    v
}

/// Whether `after_unknown` marks `path` (or a value containing it) as
/// unknown.
fn is_unknown(mut v: Option<&JsonValue<'_>>, path: &[Step<'_>]) -> bool {
    for step in path {
        match v.map(|v| &v.kind) {
            Some(JsonKind::Bool(true)) => return true,
            Some(_) => v = follow(v, std::slice::from_ref(step)),
            None => return false,
        }
    }
    matches!(v.map(|v| &v.kind), Some(JsonKind::Bool(true)))
}
