//! Policies in Terraform plans (`terraform show -json plan.out`), and in
//! state in the same form (`terraform show -json`).
//!
//! Resources are read from `planned_values.root_module` (or `values.root_module`
//! for state), its `resources[]` and, recursively, its `child_modules[]`.
//! Only managed resources are read (`mode: "data"` is skipped):
//!
//! | resource type | attribute | type |
//! | --- | --- | --- |
//! | `aws_iam_policy`, `aws_iam_role_policy`, `aws_iam_user_policy`, `aws_iam_group_policy` | `policy` | identity |
//! | `aws_iam_role` | `assume_role_policy` | trust |
//! | `aws_iam_role` | `inline_policy[i].policy` | identity |
//! | `aws_s3_bucket_policy`, `aws_kms_key`, `aws_sqs_queue_policy`, `aws_sns_topic_policy`, `aws_secretsmanager_secret_policy`, `aws_ecr_repository_policy` | `policy` | resource |
//! | `aws_organizations_policy` | `content` | SCP or RCP, from `type` (SCP when absent); other types are skipped |
//!
//! Plans hold each policy as JSON text in an escaped string
//! (`"{\"Version\":...}"`); it is parsed on its own and its spans are mapped
//! through the escapes back into the plan file, so a finding points at the
//! exact line and column of the plan. A policy whose value is known only
//! after apply (absent from `planned_values`, `true` in the resource change's
//! `after_unknown`) is skipped.

use std::collections::HashMap;

use warden_policy::PolicyType;
use warden_policy::json::{JsonKind, JsonValue};

use crate::select::element_parts;
use crate::{Cx, Extraction, Place};

/// Whether `root` is `terraform show -json` output.
pub(crate) fn is_plan(root: &JsonValue<'_>) -> bool {
    root.get("format_version").is_some() && root.get("terraform_version").is_some()
}

/// The attribute holding the policy of a resource type, and its type.
fn policy_attribute(resource_type: &str) -> Option<(&'static str, PolicyType)> {
    Some(match resource_type {
        "aws_iam_policy"
        | "aws_iam_role_policy"
        | "aws_iam_user_policy"
        | "aws_iam_group_policy" => ("policy", PolicyType::Identity),
        "aws_iam_role" => ("assume_role_policy", PolicyType::Trust),
        "aws_s3_bucket_policy"
        | "aws_kms_key"
        | "aws_sqs_queue_policy"
        | "aws_sns_topic_policy"
        | "aws_secretsmanager_secret_policy"
        | "aws_ecr_repository_policy" => ("policy", PolicyType::Resource),
        _ => return None,
    })
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
    while let Some(module) = modules.pop() {
        if let Some(JsonKind::Array(resources)) = module.get("resources").map(|r| &r.kind) {
            for r in resources {
                resource(cx, r, &unknown, out);
            }
        }
        if let Some(JsonKind::Array(children)) = module.get("child_modules").map(|c| &c.kind) {
            modules.extend(children.iter().rev());
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
    if r.get("mode").and_then(JsonValue::as_str) == Some("data") {
        return;
    }
    let Some(ty) = r.get("type").and_then(JsonValue::as_str) else {
        return;
    };
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
    match ty {
        "aws_organizations_policy" => {
            let policy_type = match values
                .and_then(|v| v.get("type"))
                .and_then(JsonValue::as_str)
            {
                None | Some("SERVICE_CONTROL_POLICY") => PolicyType::Scp,
                Some("RESOURCE_CONTROL_POLICY") => PolicyType::Rcp,
                Some(other) => {
                    out.skipped.push(
                        Place::new(address.clone(), &address, "content")
                            .skipped(r.span, format!("a `{other}` is not an IAM policy")),
                    );
                    return;
                }
            };
            let place = Place::new(address.clone(), &address, "content");
            read.attribute(&[Step::Key("content")], place, policy_type, out);
        }
        "aws_iam_role" => {
            let place = Place::new(
                format!("{address}.assume_role_policy"),
                &address,
                "assume_role_policy",
            );
            read.attribute(
                &[Step::Key("assume_role_policy")],
                place,
                PolicyType::Trust,
                out,
            );
            match values.and_then(|v| v.get("inline_policy")).map(|p| &p.kind) {
                Some(JsonKind::Array(items)) => {
                    let names: Vec<Option<&str>> = items
                        .iter()
                        .map(|item| item.get("name").and_then(JsonValue::as_str))
                        .collect();
                    let parts = element_parts("inline_policy", &names);
                    for (i, (part, alias)) in parts.into_iter().enumerate() {
                        let place =
                            Place::new(format!("{address}.inline_policy[{i}]"), &address, &part)
                                .with_alias(alias);
                        let path = [
                            Step::Key("inline_policy"),
                            Step::Index(i),
                            Step::Key("policy"),
                        ];
                        read.attribute(&path, place, PolicyType::Identity, out);
                    }
                }
                None | Some(JsonKind::Null) => {
                    let place = Place::new(
                        format!("{address}.inline_policy"),
                        &address,
                        "inline_policy",
                    );
                    read.attribute(
                        &[Step::Key("inline_policy")],
                        place,
                        PolicyType::Identity,
                        out,
                    );
                }
                Some(_) => {}
            }
        }
        _ => {
            if let Some((attr, policy_type)) = policy_attribute(ty) {
                let place = Place::new(address.clone(), &address, attr);
                read.attribute(&[Step::Key(attr)], place, policy_type, out);
            }
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
    /// Reads the policy string at `path` of `values`.
    fn attribute(
        &self,
        path: &[Step<'_>],
        place: Place,
        policy_type: PolicyType,
        out: &mut Extraction<'a>,
    ) {
        match follow(self.values, path).map(|v| (v, &v.kind)) {
            Some((_, JsonKind::String(s))) if s.trim().is_empty() => {}
            Some((v, JsonKind::String(_))) => {
                out.policies.push(
                    self.cx
                        .string_policy(v, place, Some(policy_type), Vec::new()),
                );
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
