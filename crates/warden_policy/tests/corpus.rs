//! Every version of every AWS managed policy parses without errors, and the
//! canonical printer is idempotent and lossless on all of them.

use std::collections::BTreeMap;

use warden_policy::model::PolicyModel;
use warden_policy::{parse_policy, print_policy};

#[test]
fn every_managed_policy_version_parses_and_formats_idempotently() {
    let corpus = warden_testdata::managed_policies().expect("corpus loads");
    assert_eq!(corpus.len(), 1594);
    let mut versions = 0usize;
    let mut other = BTreeMap::<String, usize>::new();
    for policy in &corpus {
        for (version, text) in &policy.versions {
            versions += 1;
            let name = format!("{}@{version}", policy.name);
            let out = parse_policy(text);
            let errors: Vec<_> = out.diagnostics.iter().filter(|d| d.is_error()).collect();
            assert!(errors.is_empty(), "{name}: {errors:#?}");
            for d in &out.diagnostics {
                *other.entry(d.code.to_string()).or_default() += 1;
            }
            let policy = out.policy.expect("a policy");
            let printed = print_policy(&policy);
            let reparsed = parse_policy(&printed);
            assert!(!reparsed.has_errors(), "{name}: printed form has errors");
            let reparsed = reparsed.policy.expect("a policy");
            assert_eq!(
                print_policy(&reparsed),
                printed,
                "{name}: fmt is not idempotent"
            );
            assert_eq!(
                PolicyModel::from(&policy),
                PolicyModel::from(&reparsed),
                "{name}: printing changed the policy"
            );
        }
    }
    assert_eq!(versions, 6194);
    // Six actions in AWS managed policy versions carry whitespace
    // (`lambda:ListFunctions `, `amplifybackend: *`); everything else is clean.
    assert_eq!(other, BTreeMap::from([("P302".to_string(), 6)]));
}
