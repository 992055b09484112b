//! Policy stack files: the policies that apply together to one principal,
//! for `warden diff` and `warden check no-new-access`.
//!
//! A file is either one policy document, or an object with the fields of a
//! `simulate --batch` line: `identity_policies` (a list), and optionally
//! `permissions_boundary`, `session_policy` and `scp_levels` (a list of
//! lists, root first). Diagnostics point into the file.

use warden_policy::json::{JsonKind, JsonValue, parse_json};
use warden_policy::{Policy, parse_policy_json};
use warden_prove::PolicyStack;

use crate::{Diagnostic, SourceFile};

/// The fields that make a file a stack rather than a policy.
const FIELDS: &[&str] = &[
    "identity_policies",
    "permissions_boundary",
    "session_policy",
    "scp_levels",
];

/// The parsed policies of a stack file.
#[derive(Debug, Default)]
pub struct OwnedStack {
    /// Identity-based policies.
    pub identity: Vec<Policy>,
    /// The permissions boundary.
    pub boundary: Option<Policy>,
    /// The session policy.
    pub session: Option<Policy>,
    /// SCP levels, root first.
    pub scp_levels: Vec<Vec<Policy>>,
}

impl OwnedStack {
    /// The stack, borrowing the policies.
    pub fn stack(&self) -> PolicyStack<'_> {
        PolicyStack {
            identity: self.identity.iter().collect(),
            boundary: self.boundary.as_ref(),
            session: self.session.as_ref(),
            scp_levels: self.scp_levels.iter().map(|l| l.iter().collect()).collect(),
        }
    }
}

/// Parses a policy or stack file. All diagnostics are returned (warnings
/// too); the stack is `None` when an error makes it unusable.
pub fn parse_stack(source: &SourceFile) -> (Option<OwnedStack>, Vec<Diagnostic>) {
    match parse_json(source.text()) {
        Ok(v) => stack_from_json(v),
        Err(d) => (None, vec![*d]),
    }
}

/// As [`parse_stack`], from an already parsed JSON value (a batch line's
/// field).
pub fn stack_from_json(root: JsonValue<'_>) -> (Option<OwnedStack>, Vec<Diagnostic>) {
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
        return (
            p.map(|p| OwnedStack {
                identity: vec![p],
                ..OwnedStack::default()
            }),
            diags,
        );
    }
    let JsonKind::Object(members) = root.kind else {
        return (None, diags);
    };
    let mut stack = OwnedStack::default();
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
            ("permissions_boundary", kind) => {
                stack.boundary = policy(
                    JsonValue {
                        span: m.value.span,
                        kind,
                    },
                    &mut diags,
                );
            }
            ("session_policy", kind) => {
                stack.session = policy(
                    JsonValue {
                        span: m.value.span,
                        kind,
                    },
                    &mut diags,
                );
            }
            ("scp_levels", JsonKind::Array(levels)) => {
                for level in levels {
                    match level.kind {
                        JsonKind::Array(items) => {
                            let mut l = Vec::new();
                            for v in items {
                                l.extend(policy(v, &mut diags));
                            }
                            stack.scp_levels.push(l);
                        }
                        _ => {
                            shape_error(
                                crate::Span::new(
                                    level.span.start as usize,
                                    level.span.end as usize,
                                ),
                                "`scp_levels` is a list of lists of policy documents; this level is not a list",
                                &mut diags,
                            );
                        }
                    }
                }
            }
            ("identity_policies" | "scp_levels", _) => {
                shape_error(span, &format!("`{}` must be a list", m.key), &mut diags);
            }
            _ => {}
        }
    }
    let failed = diags.iter().any(|d| d.severity == crate::Severity::Error);
    ((ok && !failed).then_some(stack), diags)
}
