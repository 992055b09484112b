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

use warden_eval::{Caller, CallerKind, CompiledPolicy, Decision, decide};
use warden_policy::Policy;
use warden_policy::ast::Effect;
use warden_policy::build::{self, StatementBuilder};
use warden_prove::{DiffOptions, PolicyStack, Unknown, Verdict, compare_stacks};
use warden_testdata::{EvalCase as Case, PolicyLayers};

/// A policy, or `Err` when it does not parse (the evaluator's test reports
/// it).
fn parse(text: &str) -> Result<Policy, ()> {
    warden_policy::parse_policy(text)
        .into_result()
        .map(|(p, _)| p)
        .map_err(|_| ())
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
struct Parsed(PolicyLayers<Policy>);

impl Parsed {
    fn new(case: &Case) -> Result<Parsed, ()> {
        case.policies(parse).map(Parsed)
    }

    /// The evaluator's decision on the case's request.
    fn decide(&self, case: &Case) -> Decision {
        let compiled = self.0.map(CompiledPolicy::compile);
        decide(&compiled.policy_set(), &case.request())
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
        let mut identity = self.0.identity.clone();
        if let Some(first) = identity.first_mut() {
            match &mut first.statement {
                Some(block) => block.statements.extend(restriction),
                None => first.statement = build::policy(restriction.to_vec()).statement,
            }
        }
        let stack = PolicyStack {
            identity: identity.iter().collect(),
            boundary: self.0.boundary.as_ref(),
            session: self.0.session.as_ref(),
            scp_levels: self
                .0
                .scp_levels
                .iter()
                .map(|l| l.iter().collect())
                .collect(),
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
    let mut problems: Vec<String> = Vec::new();
    let (mut checked, mut allowed, mut unknown) = (0usize, 0usize, 0usize);
    for file in warden_testdata::eval_case_files() {
        let cases = file.cases.unwrap();
        for case in cases.iter().filter(|c| covered(c)) {
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
