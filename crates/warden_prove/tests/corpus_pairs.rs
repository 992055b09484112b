//! Managed-policy version pairs that once had wrong or `unknown` answers
//! (issue 16), each with its expected answers. Every witness is replayed
//! through the evaluator (see `support`), and every witness lists one value
//! for a single-valued key.
#![allow(clippy::expect_used, clippy::panic, reason = "tests")]

mod support;

use std::sync::OnceLock;
use warden_eval::{CompiledPolicy, ContextValue};

use warden_prove::{DiffOptions, PolicyType, compare};
use warden_testdata::ManagedPolicy;

/// A pair and the expected answers (new access, removed access).
struct Expected {
    policy: &'static str,
    old: &'static str,
    new: &'static str,
    new_access: bool,
    removed_access: bool,
}

const PAIRS: &[Expected] = &[
    // `ForAllValues:StringLike` -> `StringLike` on the single-valued
    // `ec2:ResourceTag/aws:cloudformation:stack-id`: over one value they
    // agree; only the absent key (ForAllValues is true on it) is removed.
    Expected {
        policy: "ServerMigrationServiceLaunchRole",
        old: "v2",
        new: "v3",
        new_access: false,
        removed_access: true,
    },
    Expected {
        policy: "AWSServiceRoleForSMS",
        old: "v8",
        new: "v9",
        new_access: false,
        removed_access: true,
    },
    // `StringLike "*${ec2:InstanceId}"` -> `ArnLike
    // "arn:aws:ec2:*:*:instance/${ec2:InstanceId}"` on
    // `ec2:SourceInstanceARN`: narrower for every instance id.
    Expected {
        policy: "AWSEC2VssSnapshotPolicy",
        old: "v1",
        new: "v2",
        new_access: false,
        removed_access: true,
    },
    // Principal-tag variables in resources and conditions; the new version
    // drops an `aws:ResourceTag` = `${aws:PrincipalTag/...}` condition.
    Expected {
        policy: "SageMakerStudioProjectUserRolePolicy",
        old: "v66",
        new: "v67",
        new_access: true,
        removed_access: false,
    },
    // Many variables in one ARN: more cells than the limit, so the readable
    // values of `assignments` find the new access-point grant.
    Expected {
        policy: "SageMakerStudioEMRInstanceRolePolicy",
        old: "v3",
        new: "v4",
        new_access: true,
        removed_access: false,
    },
];

fn document(policy: &str, version: &str) -> String {
    static CORPUS: OnceLock<Vec<ManagedPolicy>> = OnceLock::new();
    let policies = CORPUS.get_or_init(|| {
        warden_testdata::managed_policies().expect("the managed-policy corpus loads")
    });
    let p = policies
        .iter()
        .find(|p| p.name == policy)
        .unwrap_or_else(|| panic!("{policy} is in the corpus"));
    p.versions
        .iter()
        .find(|(v, _)| v == version)
        .map(|(_, d)| d.to_string())
        .unwrap_or_else(|| panic!("{policy} {version} is in the corpus"))
}

#[test]
fn fixed_pairs_answer_as_expected() {
    let mut problems = Vec::new();
    for e in PAIRS {
        let label = format!("{} {} -> {}", e.policy, e.old, e.new);
        let old_text = document(e.policy, e.old);
        let new_text = document(e.policy, e.new);
        let old = support::parse(&old_text).expect("old parses");
        let new = support::parse(&new_text).expect("new parses");
        let role = PolicyType::Identity;
        let c = compare(&old, &new, &DiffOptions::default());
        let old_c = CompiledPolicy::compile(&old);
        let new_c = CompiledPolicy::compile(&new);
        for (side, verdict, expected, allowing, other) in [
            ("new_access", &c.new_access, e.new_access, &new_c, &old_c),
            (
                "removed_access",
                &c.removed_access,
                e.removed_access,
                &old_c,
                &new_c,
            ),
        ] {
            match support::check_verdict(role, allowing, other, verdict, false) {
                Ok(Some(got)) if got == expected => {}
                Ok(got) => problems.push(format!(
                    "{label}: {side}: expected {expected}, got {got:?} ({verdict:?})"
                )),
                Err(err) => problems.push(format!("{label}: {side}: {err}")),
            }
            if let Some(w) = verdict.witness() {
                for (key, value) in &w.request.context {
                    let multi = warden_catalog::Catalog::get()
                        .is_multivalued(key)
                        .unwrap_or(true);
                    if !multi && matches!(value, ContextValue::Multi(_)) {
                        problems.push(format!(
                            "{label}: {side}: the witness lists values for the single-valued {key}"
                        ));
                    }
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
