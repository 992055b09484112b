//! The evaluation case corpus (`testdata/eval/*.toml`, run against the
//! evaluator by `warden_eval/tests/cases.rs`) as a property of the prover.
//!
//! For each case the prover is asked "do the case's policies allow any
//! request with the case's action on the case's resource?": the policies,
//! with a `Deny` of every other action and every other resource added,
//! compared with the empty policy. The property: **a `no` from the prover
//! means the evaluator does not allow the case's request.** (A `yes` comes
//! with a witness the prover has replayed through the evaluator itself.)
//!
//! The prover reads policy stacks as an IAM user's, in the resource's
//! account, and its request space is a superset of such requests (context
//! keys, including those AWS derives from the caller, range freely). So
//! the property is checked only on cases that reading covers: identity
//! policies with, optionally, a permissions boundary, a session policy and
//! SCP levels; no resource policy and no RCP (the prover's stacks have
//! neither); not the root user (allowed without policies), not a
//! service-linked role (SCPs do not apply to it), not
//! `sts:GetCallerIdentity` (allowed whatever the policies say), and no
//! `${` in the action or resource (a request's literal text would read as
//! a policy variable in the added statements).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests"
)]

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Deserialize;
use warden_eval::{
    Caller, CallerKind, CompiledPolicy, ContextValue, Decision, PolicySet, Request, RequestContext,
    decide,
};
use warden_policy::Policy;
use warden_policy::ast::Effect;
use warden_policy::build::{self, StatementBuilder};
use warden_prove::{DiffOptions, PolicyStack, Unknown, Verdict, compare_stacks};

#[derive(Deserialize)]
struct File {
    case: Vec<Case>,
}

/// The fields of a case this test reads (the evaluator's test checks the
/// format).
#[derive(Deserialize)]
struct Case {
    name: String,
    principal: String,
    action: String,
    resource: String,
    #[serde(default)]
    resource_account: Option<String>,
    #[serde(default)]
    context: BTreeMap<String, toml::Value>,
    #[serde(default)]
    identity_policies: Vec<String>,
    #[serde(default)]
    resource_policy: Option<String>,
    #[serde(default)]
    permissions_boundary: Option<String>,
    #[serde(default)]
    session_policy: Option<String>,
    #[serde(default)]
    scp_levels: Vec<Vec<String>>,
    #[serde(default)]
    rcp_levels: Vec<Vec<String>>,
    #[serde(default)]
    service_linked_role: bool,
}

fn eval_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../testdata/eval")
}

/// A policy, or `Err` when it does not parse (the evaluator's test reports
/// it).
fn parse(text: &str) -> Result<Policy, ()> {
    warden_policy::parse_policy(text)
        .into_result()
        .map(|(p, _)| p)
        .map_err(|_| ())
}

fn context_value(v: &toml::Value) -> ContextValue {
    let scalar = |v: &toml::Value| match v {
        toml::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    match v {
        toml::Value::Array(items) => ContextValue::Multi(items.iter().map(scalar).collect()),
        other => ContextValue::Single(scalar(other)),
    }
}

/// Whether the prover's reading covers the case (see the module doc).
fn covered(case: &Case) -> bool {
    !case.identity_policies.is_empty()
        && case.resource_policy.is_none()
        && case.rcp_levels.is_empty()
        && !case.service_linked_role
        && Caller::parse(&case.principal).kind != CallerKind::Root
        && !case.action.eq_ignore_ascii_case("sts:GetCallerIdentity")
        && !case.action.contains("${")
        && !case.resource.contains("${")
}

/// The case's policies, parsed.
struct Parsed {
    identity: Vec<Policy>,
    boundary: Option<Policy>,
    session: Option<Policy>,
    scp_levels: Vec<Vec<Policy>>,
}

impl Parsed {
    fn new(case: &Case) -> Result<Parsed, ()> {
        let all = |v: &[String]| v.iter().map(|t| parse(t)).collect::<Result<Vec<_>, ()>>();
        Ok(Parsed {
            identity: all(&case.identity_policies)?,
            boundary: case
                .permissions_boundary
                .as_deref()
                .map(parse)
                .transpose()?,
            session: case.session_policy.as_deref().map(parse).transpose()?,
            scp_levels: case
                .scp_levels
                .iter()
                .map(|l| all(l))
                .collect::<Result<Vec<_>, ()>>()?,
        })
    }

    /// The evaluator's decision on the case's request.
    fn decide(&self, case: &Case) -> Decision {
        let identity: Vec<CompiledPolicy> =
            self.identity.iter().map(CompiledPolicy::compile).collect();
        let boundary = self.boundary.as_ref().map(CompiledPolicy::compile);
        let session = self.session.as_ref().map(CompiledPolicy::compile);
        let scps: Vec<Vec<CompiledPolicy>> = self
            .scp_levels
            .iter()
            .map(|l| l.iter().map(CompiledPolicy::compile).collect())
            .collect();
        let set = PolicySet {
            identity: identity.iter().collect(),
            boundary: boundary.as_ref(),
            session: session.as_ref(),
            scp_levels: scps.iter().map(|l| l.iter().collect()).collect(),
            ..PolicySet::default()
        };
        let mut ctx = RequestContext::new();
        for (k, v) in &case.context {
            ctx.insert(k, context_value(v));
        }
        let mut request = Request::new(&case.principal, &case.action, &case.resource, ctx);
        request.resource_account = case.resource_account.clone();
        decide(&set, &request)
    }

    /// The prover's answer to "is any request with the case's action on
    /// its resource allowed?".
    fn prove(&self, case: &Case) -> Verdict {
        // A Deny in any identity policy denies for the whole stack: the
        // restriction goes into the first one.
        let restriction = [
            StatementBuilder::new(Effect::Deny)
                .not_actions([case.action.as_str()])
                .all_resources()
                .build(),
            StatementBuilder::new(Effect::Deny)
                .all_actions()
                .not_resources([case.resource.as_str()])
                .build(),
        ];
        let mut identity = self.identity.clone();
        if let Some(first) = identity.first_mut() {
            match &mut first.statement {
                Some(block) => block.statements.extend(restriction),
                None => first.statement = build::policy(restriction.to_vec()).statement,
            }
        }
        let stack = PolicyStack {
            identity: identity.iter().collect(),
            boundary: self.boundary.as_ref(),
            session: self.session.as_ref(),
            scp_levels: self.scp_levels.iter().map(|l| l.iter().collect()).collect(),
        };
        let empty = build::policy(Vec::new());
        let options = DiffOptions {
            deadline: Some(std::time::Instant::now() + std::time::Duration::from_secs(20)),
            ..DiffOptions::default()
        };
        compare_stacks(&PolicyStack::single(&empty), &stack, &options).new_access
    }
}

#[test]
fn a_prover_no_means_the_evaluator_denies_the_case_request() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(eval_dir())
        .map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == "toml"));
    files.sort();
    let mut problems: Vec<String> = Vec::new();
    let (mut checked, mut allowed, mut unknown) = (0usize, 0usize, 0usize);
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        let file: File = toml::from_str(&text).unwrap();
        for case in file.case.iter().filter(|c| covered(c)) {
            let Ok(parsed) = Parsed::new(case) else {
                continue;
            };
            checked += 1;
            let decision = parsed.decide(case);
            allowed += usize::from(decision == Decision::Allow);
            match parsed.prove(case) {
                Verdict::No if decision == Decision::Allow => problems.push(format!(
                    "{}: the prover says no request with this action and resource is allowed, but the evaluator allows the case's request",
                    case.name
                )),
                Verdict::Unknown(reason @ Unknown::NotReplayed(_)) => {
                    problems.push(format!("{}: {reason}", case.name));
                }
                Verdict::Unknown(_) => unknown += 1,
                _ => {}
            }
        }
    }
    eprintln!("{checked} cases checked, {allowed} allowed by the evaluator, {unknown} unknown");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(
        checked >= 50 && allowed >= 20,
        "too few cases covered: {checked} checked, {allowed} allowed"
    );
}
