//! Shared by the prover's test binaries: parsing, and the independent replay
//! of a prover answer through the evaluator (`warden_eval`).
//!
//! A witness is replayed the way the docs of `DiffOptions::role` describe:
//! - `Identity`: the policy is the only identity-based policy of the caller;
//! - `Resource`: the caller's identity policy allows everything and the
//!   policy is the resource-based policy, with `resource_account` taken from
//!   the witness;
//! - `Scp`: the caller's identity policy allows everything and the policy is
//!   the only SCP (one level).
//!
//! NEW must get `Allow`, OLD anything else (for `removed_access` the other
//! way round), the statement named by `granted_by` must be an `Allow`
//! statement of the allowing policy that applies to the request, and the
//! keys AWS derives from the principal (`aws:PrincipalArn`,
//! `aws:PrincipalAccount`, `aws:username`) must agree with the principal
//! when the witness states them.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    dead_code,
    reason = "test helpers fail loudly; each test binary uses a part of them"
)]

use std::sync::OnceLock;

use warden_eval::{
    Caller, CallerKind, CompiledPolicy, ContextValue, Decision, Explanation, PolicySet, Request,
    RequestContext, StackSlot, decide, explain,
};
use warden_policy::Policy;
use warden_prove::{PolicyType, Verdict, Witness, WitnessRequest};

/// The identity policy used under resource policies and SCPs.
pub(crate) const ALLOW_ALL: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;

/// Parses a policy document strictly (warnings allowed, errors not).
pub(crate) fn parse(text: &str) -> Result<Policy, String> {
    match warden_policy::parse_policy(text).into_result() {
        Ok((policy, _warnings)) => Ok(policy),
        Err(diags) => Err(format!(
            "policy does not parse: {}",
            diags
                .iter()
                .map(|d| d.message.clone())
                .collect::<Vec<_>>()
                .join("; ")
        )),
    }
}

fn allow_all() -> &'static CompiledPolicy {
    static P: OnceLock<CompiledPolicy> = OnceLock::new();
    P.get_or_init(|| {
        CompiledPolicy::compile(&parse(ALLOW_ALL).unwrap_or_else(|e| panic!("ALLOW_ALL: {e}")))
    })
}

/// The policy set a policy of `role` is evaluated in.
pub(crate) fn policy_set(role: PolicyType, policy: &CompiledPolicy) -> PolicySet<'_> {
    match role {
        PolicyType::Identity => PolicySet {
            identity: vec![policy],
            ..PolicySet::default()
        },
        PolicyType::Resource | PolicyType::Trust => PolicySet {
            identity: vec![allow_all()],
            resource: Some(policy),
            ..PolicySet::default()
        },
        PolicyType::Scp | PolicyType::Rcp | PolicyType::Endpoint => PolicySet {
            identity: vec![allow_all()],
            scp_levels: vec![vec![policy]],
            ..PolicySet::default()
        },
    }
}

/// The evaluator's request for a witness (or any request in that format).
pub(crate) fn to_request(w: &WitnessRequest) -> Request {
    let mut ctx = RequestContext::new();
    for (k, v) in &w.context {
        ctx.insert(k, v.clone());
    }
    let mut request = Request::new(&w.principal, &w.action, &w.resource, ctx);
    request.resource_account = w.resource_account.clone();
    request
}

/// The decision for `request` with `policy` in its role.
pub(crate) fn decide_as(role: PolicyType, policy: &CompiledPolicy, request: &Request) -> Decision {
    decide(&policy_set(role, policy), request)
}

/// The explanation for `request` with `policy` in its role.
pub(crate) fn explain_as(
    role: PolicyType,
    policy: &CompiledPolicy,
    request: &Request,
) -> Explanation {
    explain(&policy_set(role, policy), request)
}

/// Whether the policy under test allows the request.
pub(crate) fn allows(role: PolicyType, policy: &CompiledPolicy, request: &Request) -> bool {
    decide_as(role, policy, request) == Decision::Allow
}

/// A witness request in one line, for messages.
pub(crate) fn show(w: &WitnessRequest) -> String {
    let ctx: Vec<String> = w
        .context
        .iter()
        .map(|(k, v)| match v {
            ContextValue::Single(s) => format!("{k}={s:?}"),
            ContextValue::Multi(vs) => format!("{k}={vs:?}"),
        })
        .collect();
    format!(
        "principal={} action={} resource={}{} context={{{}}}",
        w.principal,
        w.action,
        w.resource,
        w.resource_account
            .as_deref()
            .map(|a| format!(" resource_account={a}"))
            .unwrap_or_default(),
        ctx.join(", ")
    )
}

/// A witness names a real-looking request: an action `service:name`, a
/// resource that is an ARN or `*`, a principal that is an ARN or a service
/// principal; the keys AWS derives from the principal (`aws:PrincipalArn`,
/// `aws:PrincipalAccount`, `aws:username`) agree with it, and
/// `aws:ResourceAccount` with the resource's account.
pub(crate) fn check_consistent(w: &WitnessRequest) -> Result<(), String> {
    let well_formed_action = w
        .action
        .split_once(':')
        .is_some_and(|(service, name)| !service.is_empty() && !name.is_empty());
    if !well_formed_action {
        return Err(format!(
            "[malformed witness] action `{}` is not `service:name`",
            w.action
        ));
    }
    if w.resource != "*" && warden_policy::arn::Arn::parse(&w.resource).is_err() {
        return Err(format!(
            "[malformed witness] resource `{}` is neither an ARN nor `*`",
            w.resource
        ));
    }
    if warden_policy::arn::Arn::parse(&w.principal).is_err()
        && !w.principal.ends_with(".amazonaws.com")
    {
        return Err(format!(
            "[malformed witness] principal `{}` is neither an ARN nor a service principal",
            w.principal
        ));
    }
    let caller = Caller::parse(&w.principal);
    for (key, value) in &w.context {
        let single = match value {
            ContextValue::Single(s) => Some(s.as_str()),
            ContextValue::Multi(_) => None,
        };
        let bad = |expected: &str| {
            Err(format!(
                "[inconsistent witness] it states {key}={value:?} but its principal {} implies {expected}",
                w.principal
            ))
        };
        if key.eq_ignore_ascii_case("aws:PrincipalArn") && single != Some(caller.principal_arn()) {
            return bad(caller.principal_arn());
        }
        if key.eq_ignore_ascii_case("aws:PrincipalAccount") && single != caller.account.as_deref() {
            return bad(caller.account.as_deref().unwrap_or("no account"));
        }
        if key.eq_ignore_ascii_case("aws:ResourceAccount") {
            let request = to_request(w);
            if single.is_none() || single != request.resource_account() {
                return Err(format!(
                    "[inconsistent witness] it states {key}={value:?} but its resource {} belongs to {}",
                    w.resource,
                    request.resource_account().unwrap_or("no account")
                ));
            }
        }
        if key.eq_ignore_ascii_case("aws:username") {
            match &caller.kind {
                CallerKind::User { name } if single == Some(name.as_str()) => {}
                CallerKind::User { name } => return bad(name),
                _ => return bad("no aws:username (not an IAM user)"),
            }
        }
    }
    Ok(())
}

/// Checks a witness: `allowing` allows it (through statement `granted_by`),
/// `other` does not, it is well formed and consistent, and (with
/// `known_actions`) its action is in the catalog. Errors start with their
/// category in brackets.
pub(crate) fn check_witness(
    role: PolicyType,
    allowing: &CompiledPolicy,
    other: &CompiledPolicy,
    w: &Witness,
    known_actions: bool,
) -> Result<(), String> {
    let shown = show(&w.request);
    let request = to_request(&w.request);
    let yes = explain_as(role, allowing, &request);
    if yes.decision != Decision::Allow {
        return Err(format!(
            "[replay failed] the allowing policy gives {:?} ({})\n      witness: {shown}",
            yes.decision, yes.reason
        ));
    }
    let no = explain_as(role, other, &request);
    if no.decision == Decision::Allow {
        return Err(format!(
            "[replay failed] the other policy also allows it ({})\n      witness: {shown}",
            no.reason
        ));
    }
    let kind = match role {
        PolicyType::Identity => StackSlot::Identity,
        PolicyType::Resource | PolicyType::Trust => StackSlot::Resource,
        PolicyType::Scp | PolicyType::Rcp | PolicyType::Endpoint => StackSlot::Scp,
    };
    let granted = yes
        .policies
        .iter()
        .filter(|p| p.kind == kind && p.index == 0)
        .flat_map(|p| &p.statements)
        .find(|s| s.index == w.granted_by);
    match granted {
        Some(s) if s.effect == "Allow" && s.applies => {}
        Some(s) => {
            return Err(format!(
                "[granted_by] {} names a statement that does not grant it (effect {}, applies {}, {})\n      witness: {shown}",
                w.granted_by,
                s.effect,
                s.applies,
                s.mismatch.as_deref().unwrap_or("-")
            ));
        }
        None => {
            return Err(format!(
                "[granted_by] {} is not a statement of the allowing policy\n      witness: {shown}",
                w.granted_by
            ));
        }
    }
    check_consistent(&w.request).map_err(|e| format!("{e}\n      witness: {shown}"))?;
    if known_actions
        && warden_catalog::Catalog::get()
            .action(&w.request.action)
            .is_none()
    {
        return Err(format!(
            "[not a catalog action] known_actions is set but the witness action `{}` is not in the catalog\n      witness: {shown}",
            w.request.action
        ));
    }
    Ok(())
}

/// Checks one side of a comparison: a `Yes` must replay, an `Unknown` must
/// give a reason. Returns the answer.
pub(crate) fn check_verdict(
    role: PolicyType,
    allowing: &CompiledPolicy,
    other: &CompiledPolicy,
    verdict: &Verdict,
    known_actions: bool,
) -> Result<Option<bool>, String> {
    match verdict {
        Verdict::Yes(w) => {
            check_witness(role, allowing, other, w, known_actions).map(|()| Some(true))
        }
        Verdict::No => Ok(Some(false)),
        Verdict::Unknown(reason) if reason.to_string().trim().is_empty() => {
            Err("[unknown without a reason]".to_string())
        }
        Verdict::Unknown(_) => Ok(None),
    }
}

/// `yes`, `no` or `unknown (reason)`, for messages.
pub(crate) fn describe(v: &Verdict) -> String {
    match v {
        Verdict::No => "no".to_string(),
        Verdict::Yes(w) => format!("yes ({})", show(&w.request)),
        Verdict::Unknown(r) => format!("unknown ({r})"),
    }
}
