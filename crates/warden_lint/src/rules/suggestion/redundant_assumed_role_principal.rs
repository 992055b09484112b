//! H417 `redundant-assumed-role-principal`: a trust policy names both a role
//! and one of its sessions.

use warden_diagnostics::Severity;
use warden_policy::arn::Arn;
use warden_policy::principal::PrincipalKind;

use crate::rules::security::common::principal_entries;
use crate::{Category, LintContext, PolicyType, Rule, RuleMeta, Sink, StatementView};

/// See [`META`].
pub struct RedundantAssumedRolePrincipal;

static META: RuleMeta = RuleMeta {
    code: "H417",
    name: "redundant-assumed-role-principal",
    category: Category::Suggestion,
    default_severity: Severity::Suggestion,
    since: "0.1.0",
    summary: "A role trust policy names an assumed-role session next to its role.",
    what_it_does: "In trust policies, finds `AWS` principals of the form \
        `arn:aws:sts::<account>:assumed-role/<role>/<session>` in a statement that also names \
        `arn:aws:iam::<account>:role/<path><role>`.",
    why_bad: "Every session of the role is already trusted through the role's ARN, so the \
        session principal adds nothing, and it suggests the trust is narrower than it is.",
    example: r#"{"Principal": {"AWS": ["arn:aws:iam::111122223333:role/ci", "arn:aws:sts::111122223333:assumed-role/ci/build"]}}"#,
    use_instead: r#"{"Principal": {"AWS": "arn:aws:iam::111122223333:role/ci"}}"#,
    access_analyzer: &["REDUNDANT_PRINCIPAL_IN_ROLE_TRUST_POLICY"],
};

/// `(partition, account, role name)` of a role ARN (the name without its
/// path, as session ARNs carry it).
fn role(arn: &str) -> Option<(String, String, String)> {
    let a = Arn::parse(arn).ok()?;
    if a.service != "iam" || !a.region.is_empty() {
        return None;
    }
    let path = a.resource.strip_prefix("role/")?;
    let name = path.rsplit('/').next().unwrap_or(path).to_string();
    Some((a.partition, a.account, name))
}

/// `(partition, account, role name)` of an assumed-role session ARN.
fn session(arn: &str) -> Option<(String, String, String)> {
    let a = Arn::parse(arn).ok()?;
    if a.service != "sts" || !a.region.is_empty() {
        return None;
    }
    let name = a
        .resource
        .strip_prefix("assumed-role/")?
        .split('/')
        .next()?
        .to_string();
    Some((a.partition, a.account, name))
}

impl Rule for RedundantAssumedRolePrincipal {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_statement(&self, cx: &LintContext<'_>, st: &StatementView<'_>, sink: &mut Sink) {
        if cx.policy_type != PolicyType::Trust {
            return;
        }
        let values: Vec<_> = principal_entries(st.statement, PrincipalKind::Aws)
            .flat_map(|e| e.values.iter())
            .collect();
        for v in &values {
            let Some(s) = session(&v.value) else {
                continue;
            };
            let Some(parent) = values.iter().find(|r| role(&r.value).as_ref() == Some(&s)) else {
                continue;
            };
            let d = sink
                .finding(
                    v.span,
                    format!(
                        "`{}` is redundant: its role `{}` is already trusted",
                        v.value, parent.value
                    ),
                    "redundant session",
                )
                .with_secondary(parent.span, "trusts every session of the role")
                .with_help(format!("remove `{}`", v.value));
            sink.push(d);
        }
    }
}
