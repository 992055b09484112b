//! Policy stack files: the policies that apply together to one principal,
//! for `warden diff` and `warden check no-new-access`.
//!
//! A file is either one policy document, or an object with the policy
//! fields of a `simulate --batch` line: `identity_policies` (a list),
//! `resource_policy`, `permissions_boundary`, `session_policy`, and
//! `scp_levels` and `rcp_levels` (lists of lists, root first).
//! Diagnostics point into the file.

use warden_eval::PolicyStack;
use warden_policy::json::{JsonKind, JsonValue, parse_json};
use warden_policy::{Policy, parse_policy_json};

use crate::{Diagnostic, SourceFile};

/// The fields that make a file a stack rather than a policy.
const FIELDS: &[&str] = &[
    "identity_policies",
    "resource_policy",
    "permissions_boundary",
    "session_policy",
    "scp_levels",
    "rcp_levels",
];

/// A stack the prover cannot compare: it reads identity policies with
/// their boundary, session policy and SCP levels, not resource policies or
/// RCPs beside them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnsupportedStack {
    /// The fields that are not supported.
    pub fields: Vec<&'static str>,
}

impl std::fmt::Display for UnsupportedStack {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let fields: Vec<String> = self.fields.iter().map(|x| format!("`{x}`")).collect();
        write!(
            f,
            "a compared policy stack holds identity policies, a permissions boundary, a \
             session policy and SCP levels; {} cannot be compared (compare the resource \
             policy or RCP as a single policy with `--policy-type resource` or `rcp`)",
            fields.join(" and ")
        )
    }
}

impl std::error::Error for UnsupportedStack {}

/// The prover's view of `stack`, or which fields it cannot read.
pub(crate) fn prover_view(
    stack: &PolicyStack<Policy>,
) -> Result<warden_prove::PolicyStack<'_>, UnsupportedStack> {
    let mut fields = Vec::new();
    if stack.resource.is_some() {
        fields.push("resource_policy");
    }
    if !stack.rcp_levels.is_empty() {
        fields.push("rcp_levels");
    }
    if !fields.is_empty() {
        return Err(UnsupportedStack { fields });
    }
    Ok(warden_prove::PolicyStack {
        identity: stack.identity.iter().collect(),
        boundary: stack.boundary.as_ref(),
        session: stack.session.as_ref(),
        scp_levels: stack
            .scp_levels
            .iter()
            .map(|l| l.iter().collect())
            .collect(),
    })
}

/// Parses a policy or stack file. All diagnostics are returned (warnings
/// too); the stack is `None` when an error makes it unusable.
pub fn parse_stack(source: &SourceFile) -> (Option<PolicyStack<Policy>>, Vec<Diagnostic>) {
    match parse_json(source.text()) {
        Ok(v) => stack_from_json(v),
        Err(d) => (None, vec![*d]),
    }
}

/// As [`parse_stack`], from an already parsed JSON value (a batch line's
/// field).
pub fn stack_from_json(root: JsonValue<'_>) -> (Option<PolicyStack<Policy>>, Vec<Diagnostic>) {
    let is_stack = matches!(&root.kind, JsonKind::Object(members)
        if members.iter().any(|m| FIELDS.contains(&m.key.as_ref())));
    let mut diags = Vec::new();
    let mut ok = true;
    let mut policy = |v: JsonValue<'_>, diags: &mut Vec<Diagnostic>| -> Option<Policy> {
        let out = parse_policy_json(v);
        diags.extend(out.diagnostics.iter().cloned());
        match out.into_result() {
            Ok((p, _)) => Some(p),
            Err(_) => {
                ok = false;
                None
            }
        }
    };
    if !is_stack {
        let p = policy(root, &mut diags);
        return (p.map(PolicyStack::single), diags);
    }
    let JsonKind::Object(members) = root.kind else {
        return (None, diags);
    };
    let mut stack = PolicyStack::default();
    let shape_error = |span: crate::Span, what: &str, diags: &mut Vec<Diagnostic>| {
        diags.push(
            Diagnostic::error("P005", format!("in a policy stack, {what}"))
                .with_primary(span, "not in the expected shape"),
        );
    };
    for m in members {
        let span = crate::Span::new(m.value.span.start as usize, m.value.span.end as usize);
        match (m.key.as_ref(), m.value.kind) {
            ("identity_policies", JsonKind::Array(items)) => {
                for v in items {
                    stack.identity.extend(policy(v, &mut diags));
                }
            }
            (key @ ("resource_policy" | "permissions_boundary" | "session_policy"), kind) => {
                let slot = match key {
                    "resource_policy" => &mut stack.resource,
                    "permissions_boundary" => &mut stack.boundary,
                    _ => &mut stack.session,
                };
                *slot = policy(
                    JsonValue {
                        span: m.value.span,
                        kind,
                    },
                    &mut diags,
                );
            }
            ("scp_levels" | "rcp_levels", JsonKind::Array(levels)) => {
                let mut parsed = Vec::new();
                for level in levels {
                    match level.kind {
                        JsonKind::Array(items) => {
                            let mut l = Vec::new();
                            for v in items {
                                l.extend(policy(v, &mut diags));
                            }
                            parsed.push(l);
                        }
                        _ => {
                            shape_error(
                                crate::Span::new(
                                    level.span.start as usize,
                                    level.span.end as usize,
                                ),
                                &format!(
                                    "`{}` is a list of lists of policy documents; this level is not a list",
                                    m.key
                                ),
                                &mut diags,
                            );
                        }
                    }
                }
                if m.key == "scp_levels" {
                    stack.scp_levels = parsed;
                } else {
                    stack.rcp_levels = parsed;
                }
            }
            ("identity_policies" | "scp_levels" | "rcp_levels", _) => {
                shape_error(span, &format!("`{}` must be a list", m.key), &mut diags);
            }
            _ => {}
        }
    }
    let failed = diags.iter().any(|d| d.severity == crate::Severity::Error);
    ((ok && !failed).then_some(stack), diags)
}
