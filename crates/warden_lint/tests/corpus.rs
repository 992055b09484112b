//! Lints every AWS managed policy (latest versions, as identity policies)
//! and snapshots the number of findings per rule, so that any change to a
//! rule shows its effect on real policies. A rule that fires on most AWS
//! managed policies is probably wrong.
#![allow(clippy::expect_used, reason = "tests fail loudly")]

use std::collections::BTreeMap;

use warden_lint::{PolicyType, RuleSelection, lint_policy};
use warden_text::SourceFile;

#[test]
fn managed_policy_findings_per_rule() {
    let corpus = warden_testdata::managed_policies().expect("corpus");
    let mut per_rule: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let selection = RuleSelection::default();
    for p in &corpus {
        let text = p.latest_document().expect("latest version");
        let source = SourceFile::new(p.name.clone(), text);
        let (policy, _) = warden_policy::parse_policy(text)
            .into_result()
            .expect("parses");
        let findings = lint_policy(&source, &policy, PolicyType::Identity, &selection);
        let mut seen = std::collections::BTreeSet::new();
        for f in &findings {
            let entry = per_rule.entry(f.code.to_string()).or_default();
            entry.0 += 1;
            if seen.insert(f.code.to_string()) {
                entry.1 += 1;
            }
        }
    }
    let mut summary = format!(
        "{} AWS managed policies (latest versions)\ncode: findings in policies\n",
        corpus.len()
    );
    for (code, (n, policies)) in &per_rule {
        summary.push_str(&format!("{code}: {n} in {policies}\n"));
    }
    insta::assert_snapshot!(summary);
}

/// The error-severity findings that remain on AWS's own managed policies.
/// Errors are for what IAM would reject or what cannot work as written, so
/// this list should stay short and each entry should be a real defect (or
/// a name the embedded catalog cannot know). A rule that starts failing CI
/// on valid AWS policies shows up here as a longer list.
const MANAGED_POLICY_ERRORS: usize = 19;

#[test]
fn managed_policy_error_findings() {
    let corpus = warden_testdata::managed_policies().expect("corpus");
    let selection = RuleSelection::default();
    let mut listed = String::new();
    let mut n = 0;
    for p in &corpus {
        let text = p.latest_document().expect("latest version");
        let source = SourceFile::new(p.name.clone(), text);
        let (policy, _) = warden_policy::parse_policy(text)
            .into_result()
            .expect("parses");
        for f in lint_policy(&source, &policy, PolicyType::Identity, &selection) {
            if f.severity == warden_diagnostics::Severity::Error {
                n += 1;
                listed.push_str(&format!("{} {}: {}\n", p.name, f.code, f.message));
            }
        }
    }
    insta::assert_snapshot!(format!("{n} error-severity findings\n{listed}"));
    assert_eq!(n, MANAGED_POLICY_ERRORS, "see the snapshot for the list");
}
