//! Properties of the evaluator on real policies: no panic on any AWS managed
//! policy; adding a Deny never widens access; with an allow-everything
//! identity policy, SCPs alone decide; statement order never matters.
#![allow(
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]

use std::sync::OnceLock;

use proptest::prelude::*;
use warden_eval::{CompiledPolicy, Decision, PolicySet, Request, decide, explain};
use warden_policy::Policy;

struct Corpus {
    policies: Vec<(String, Policy)>,
    requests: Vec<Request>,
}

fn corpus() -> &'static Corpus {
    static CORPUS: OnceLock<Corpus> = OnceLock::new();
    CORPUS.get_or_init(|| {
        let mut policies = Vec::new();
        let mut requests = Vec::new();
        for p in warden_testdata::managed_policies().expect("corpus") {
            let text = p.latest_document().expect("latest").to_string();
            let (policy, _) = warden_policy::parse_policy(&text)
                .into_result()
                .expect("parses");
            requests.extend(
                warden_testdata::sample_requests(&text, 4)
                    .iter()
                    .map(warden_testdata::SampleRequest::to_request),
            );
            policies.push((text, policy));
        }
        Corpus { policies, requests }
    })
}

fn compile(text: &str) -> CompiledPolicy {
    let (p, _) = warden_policy::parse_policy(text)
        .into_result()
        .expect("parses");
    CompiledPolicy::compile(&p)
}

#[test]
fn every_managed_policy_evaluates_without_panic() {
    let c = corpus();
    let compiled: Vec<CompiledPolicy> = c
        .policies
        .iter()
        .map(|(_, p)| CompiledPolicy::compile(p))
        .collect();
    let mut decisions = [0usize; 3];
    // Each policy against the requests built from it and from its
    // neighbours, as identity, boundary, SCP and resource policy.
    for (i, policy) in compiled.iter().enumerate() {
        for r in c.requests.iter().skip(i * 2).take(8) {
            for set in [
                PolicySet {
                    identity: vec![policy],
                    ..PolicySet::default()
                },
                PolicySet {
                    identity: vec![policy],
                    boundary: Some(policy),
                    ..PolicySet::default()
                },
                PolicySet {
                    identity: vec![policy],
                    scp_levels: vec![vec![policy]],
                    ..PolicySet::default()
                },
                PolicySet {
                    resource: Some(policy),
                    ..PolicySet::default()
                },
            ] {
                let d = decide(&set, r);
                assert_eq!(explain(&set, r).decision, d);
                decisions[d as usize] += 1;
            }
        }
    }
    eprintln!("decisions (Allow, ExplicitDeny, ImplicitDeny): {decisions:?}");
    assert!(decisions[0] > 0 && decisions[2] > 0);
}

const ALLOW_ALL: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}"#;

/// The policy with one more statement: a Deny of `action` on `resource`.
fn with_deny(text: &str, action: &str, resource: &str) -> String {
    let mut doc: serde_json::Value = serde_json::from_str(text).expect("JSON");
    let deny = serde_json::json!({"Effect": "Deny", "Action": action, "Resource": resource});
    match doc.get_mut("Statement") {
        Some(serde_json::Value::Array(a)) => a.push(deny),
        Some(single) => *single = serde_json::json!([single.clone(), deny]),
        None => {}
    }
    doc.to_string()
}

fn reversed(text: &str) -> String {
    let mut doc: serde_json::Value = serde_json::from_str(text).expect("JSON");
    if let Some(serde_json::Value::Array(a)) = doc.get_mut("Statement") {
        a.reverse();
    }
    doc.to_string()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn adding_a_deny_never_widens_access(
        p in any::<prop::sample::Index>(),
        r in any::<prop::sample::Index>(),
        d in any::<prop::sample::Index>(),
        wild in any::<bool>(),
    ) {
        let c = corpus();
        let (text, _) = &c.policies[p.index(c.policies.len())];
        let request = &c.requests[r.index(c.requests.len())];
        let deny_source = &c.requests[d.index(c.requests.len())];
        let (action, resource) = if wild {
            (format!("{}:*", deny_source.action().split(':').next().unwrap_or("s3")), "*".to_string())
        } else {
            (deny_source.action().to_string(), deny_source.resource.clone())
        };
        let before = compile(text);
        let after = compile(&with_deny(text, &action, &resource));
        let d0 = decide(&PolicySet { identity: vec![&before], ..PolicySet::default() }, request);
        let d1 = decide(&PolicySet { identity: vec![&after], ..PolicySet::default() }, request);
        prop_assert!(!(d0 != Decision::Allow && d1 == Decision::Allow));
        if request.action().eq_ignore_ascii_case(&action) && (resource == "*" || resource == request.resource) {
            prop_assert_eq!(d1, Decision::ExplicitDeny);
        }
    }

    #[test]
    fn with_allow_all_identity_the_scp_decides(
        p in any::<prop::sample::Index>(),
        r in any::<prop::sample::Index>(),
    ) {
        let c = corpus();
        let (text, _) = &c.policies[p.index(c.policies.len())];
        let request = &c.requests[r.index(c.requests.len())];
        let scp = compile(text);
        let admin = compile(ALLOW_ALL);
        let with_scp = decide(&PolicySet { identity: vec![&admin], scp_levels: vec![vec![&scp]], ..PolicySet::default() }, request);
        let scp_alone = decide(&PolicySet { identity: vec![&scp], ..PolicySet::default() }, request);
        prop_assert_eq!(with_scp == Decision::Allow, scp_alone == Decision::Allow);
    }

    #[test]
    fn statement_order_does_not_matter(
        p in any::<prop::sample::Index>(),
        r in any::<prop::sample::Index>(),
    ) {
        let c = corpus();
        let (text, _) = &c.policies[p.index(c.policies.len())];
        let request = &c.requests[r.index(c.requests.len())];
        let a = compile(text);
        let b = compile(&reversed(text));
        prop_assert_eq!(
            decide(&PolicySet { identity: vec![&a], ..PolicySet::default() }, request),
            decide(&PolicySet { identity: vec![&b], ..PolicySet::default() }, request)
        );
    }
}
