//! One fixture directory per rule: `testdata/lint/<CODE>/bad*.<type>.json`
//! must produce findings of that rule (snapshotted as rendered text) and
//! `good*.<type>.json` none. Every rule must have both.
#![allow(clippy::expect_used, clippy::panic, reason = "tests fail loudly")]

use std::path::{Path, PathBuf};

use warden_diagnostics::HumanRenderer;
use warden_lint::{PolicyType, RuleSelection, lint_policy, registry};
use warden_text::SourceFile;

fn lint_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/lint")
}

/// Lints `path` with only `code` enabled.
fn findings(code: &str, path: &Path) -> Vec<warden_diagnostics::Diagnostic> {
    lint_file(code, path).1
}

/// Lints `path` with only `code` enabled; returns the rendered findings.
fn run(code: &str, path: &Path) -> (usize, String) {
    let (source, findings) = lint_file(code, path);
    let rendered = findings
        .iter()
        .map(|d| HumanRenderer::plain().render(d, &source))
        .collect();
    (findings.len(), rendered)
}

/// Lints `path` with only `code` enabled; returns its source and findings.
fn lint_file(code: &str, path: &Path) -> (SourceFile, Vec<warden_diagnostics::Diagnostic>) {
    let file = path
        .file_name()
        .and_then(|n| n.to_str())
        .expect("file name");
    let type_name = file.rsplit('.').nth(1).expect("<name>.<type>.json");
    let policy_type =
        PolicyType::from_name(type_name).unwrap_or_else(|| panic!("{file}: unknown policy type"));
    let text = std::fs::read_to_string(path).expect("readable fixture");
    let source = SourceFile::new(format!("{code}/{file}"), text);
    let (policy, _) = warden_policy::parse_policy(source.text())
        .into_result()
        .unwrap_or_else(|d| panic!("{file}: fixture does not parse: {d:?}"));
    let selection = RuleSelection {
        select: vec![code.to_string()],
        ..RuleSelection::default()
    };
    let findings = lint_policy(&source, &policy, policy_type, &selection);
    (source, findings)
}

#[test]
fn every_rule_has_fixtures_and_they_hold() {
    let mut missing = Vec::new();
    for rule in registry::all() {
        let code = rule.meta().code;
        let dir = lint_dir().join(code);
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).collect())
            .unwrap_or_default();
        files.sort();
        let bad: Vec<_> = files
            .iter()
            .filter(|p| name(p).starts_with("bad"))
            .collect();
        let good: Vec<_> = files
            .iter()
            .filter(|p| name(p).starts_with("good"))
            .collect();
        if bad.is_empty() || good.is_empty() {
            missing.push(code);
            continue;
        }
        for path in bad {
            let (n, rendered) = run(code, path);
            assert!(n > 0, "{}: expected findings of {code}", path.display());
            insta::assert_snapshot!(format!("{code}-{}", name(path)), rendered);
        }
        for path in good {
            let (n, rendered) = run(code, path);
            assert_eq!(
                n,
                0,
                "{}: expected no findings, got:\n{rendered}",
                path.display()
            );
        }
    }
    assert!(
        missing.is_empty(),
        "rules without good and bad fixtures: {missing:?}"
    );
}

fn name(p: &Path) -> &str {
    p.file_name().and_then(|n| n.to_str()).unwrap_or_default()
}

/// The committed `docs/rules/` match what the rules generate
/// (`cargo xtask gen-rule-docs` rewrites them).
#[test]
fn rule_docs_are_fresh() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut stale = Vec::new();
    for (path, content) in warden_lint::docs::generate() {
        if std::fs::read_to_string(root.join(&path)).ok().as_deref() != Some(content.as_str()) {
            stale.push(path);
        }
    }
    assert!(
        stale.is_empty(),
        "stale rule docs (run `cargo xtask gen-rule-docs`): {stale:?}"
    );
}

/// Every Access Analyzer check in `testdata/reference/access-analyzer-checks.tsv`
/// is covered by a rule or a parser code, or listed as not applicable with
/// the reason; every code a rule names is in that list.
#[test]
fn access_analyzer_coverage_is_complete() {
    use warden_lint::docs::{Coverage, access_analyzer_checks, coverage};
    let all = coverage();
    // AWS's 2023 list had 135 checks; the list only grows.
    assert!(all.len() >= 138, "{} checks", all.len());
    let missing: Vec<&str> = all
        .iter()
        .filter(|(_, c)| *c == Coverage::Missing)
        .map(|(k, _)| k.code)
        .collect();
    assert!(
        missing.is_empty(),
        "Access Analyzer checks neither mapped to a rule or parser code nor listed as not \
         applicable with a reason (crates/warden_lint/data/coverage-*.tsv): {missing:?}"
    );
    for (check, c) in &all {
        if let Coverage::NotApplicable(reason) | Coverage::Parser(_, reason) = c {
            assert!(
                !reason.is_empty(),
                "{}: a mapping without a note",
                check.code
            );
        }
    }
    let known: Vec<&str> = access_analyzer_checks().iter().map(|c| c.code).collect();
    for rule in registry::all() {
        for code in rule.meta().access_analyzer {
            assert!(
                known.contains(code),
                "{} names `{code}`, which is not an Access Analyzer check",
                rule.meta().code
            );
        }
    }
}

/// Each finding carries one of its rule's Access Analyzer issue codes, and
/// a finding of a rule without a counterpart carries none.
#[test]
fn findings_carry_their_rules_aa_issue_code() {
    for rule in registry::all() {
        let meta = rule.meta();
        let Ok(dir) = std::fs::read_dir(lint_dir().join(meta.code)) else {
            continue;
        };
        for path in dir.filter_map(|e| e.ok()).map(|e| e.path()) {
            if !name(&path).starts_with("bad") {
                continue;
            }
            for d in findings(meta.code, &path) {
                match d.aa_issue_code.as_deref() {
                    None => assert!(
                        meta.access_analyzer.is_empty(),
                        "{}: no code",
                        path.display()
                    ),
                    Some(c) => assert!(
                        meta.access_analyzer.contains(&c),
                        "{}: `{c}` is not one of {:?}",
                        path.display(),
                        meta.access_analyzer
                    ),
                }
            }
        }
    }
}

/// The specific Access Analyzer check is chosen per finding where a rule
/// covers several.
#[test]
fn aa_issue_code_is_specific() {
    let dir = lint_dir();
    let codes = |code: &str, file: &str| -> Vec<String> {
        findings(code, &dir.join(code).join(file))
            .iter()
            .filter_map(|d| d.aa_issue_code.as_deref().map(str::to_string))
            .collect()
    };
    assert_eq!(
        codes("H420", "bad.identity.json")[0],
        "EQUIVALENT_TO_NULL_FALSE"
    );
    assert_eq!(
        codes("W320", "bad.identity.json")[0],
        "STRING_LIKE_OPERATOR_WITH_ARN_CONDITION_KEYS"
    );
    let w309 = codes("W309", "bad.identity.json");
    assert!(
        w309.iter().any(|c| c != "TYPE_MISMATCH_BOOLEAN"),
        "{w309:?}"
    );
}

/// The Access Analyzer check chosen for each finding of rules that cover
/// several: by operator, qualifier, key, policy type or statement shape.
#[test]
fn aa_issue_code_follows_the_finding() {
    let dir = lint_dir();
    let codes = |code: &str, file: &str| -> Vec<String> {
        let mut v: Vec<String> = findings(code, &dir.join(code).join(file))
            .iter()
            .filter_map(|d| d.aa_issue_code.as_deref().map(str::to_string))
            .collect();
        v.dedup();
        v
    };
    let expected: &[(&str, &str, &[&str])] = &[
        (
            "E122",
            "bad.identity.json",
            &["PRIVATE_NOTIPADDRESS", "PRIVATE_IP_ADDRESS"],
        ),
        (
            "E123",
            "bad.identity.json",
            &["INVALID_VPCE_FORMAT", "INVALID_VPC_FORMAT"],
        ),
        (
            "H404",
            "bad.resource.json",
            &["EMPTY_OBJECT_PRINCIPAL", "EMPTY_ARRAY_PRINCIPAL"],
        ),
        (
            "H406",
            "bad.identity.json",
            &[
                "EMPTY_ARRAY_CONDITION_FORALLVALUES",
                "EMPTY_ARRAY_CONDITION_FORANYVALUE",
                "EMPTY_ARRAY_CONDITION_IFEXISTS",
                "EMPTY_ARRAY_CONDITION",
            ],
        ),
        (
            "W309",
            "bad.identity.json",
            &[
                "TYPE_MISMATCH_NUMBER",
                "TYPE_MISMATCH_BOOLEAN",
                "TYPE_MISMATCH_IP_RANGE",
                "TYPE_MISMATCH_DATE",
                "TYPE_MISMATCH_STRING",
            ],
        ),
        ("E130", "bad.identity.json", &["UNSUPPORTED_PRINCIPAL"]),
        ("E130", "bad.scp.json", &["SCP_SYNTAX_ERROR_PRINCIPAL"]),
        (
            "E130",
            "bad.trust.json",
            &["ROLE_TRUST_POLICY_SYNTAX_ERROR_NOTPRINCIPAL"],
        ),
        (
            "E133",
            "bad.resource.json",
            &["UNSUPPORTED_WILDCARD_IN_PRINCIPAL"],
        ),
        (
            "E133",
            "bad.trust.json",
            &["ROLE_TRUST_POLICY_UNSUPPORTED_WILDCARD_IN_PRINCIPAL"],
        ),
        (
            "W301",
            "bad.identity.json",
            &[
                "CREATE_SLR_WITH_STAR_IN_RESOURCE",
                "CREATE_SLR_WITH_NOTACTION_AND_NOTRESOURCE",
            ],
        ),
        (
            "H410",
            "bad.identity.json",
            &["PRIVATE_IP_ADDRESS_SUBSET", "PRIVATE_NOTIPADDRESS_SUBSET"],
        ),
        (
            "W304",
            "bad.resource.json",
            &["INVALID_ROLE_REFERENCE", "INVALID_USER_REFERENCE"],
        ),
    ];
    for (code, file, want) in expected {
        assert_eq!(codes(code, file), *want, "{code} {file}");
    }
}

/// Lints `text` as a `policy_type` policy with only `code` enabled; returns
/// the Access Analyzer codes of its findings, in order.
fn aa_codes_of(code: &str, policy_type: PolicyType, text: &str) -> Vec<String> {
    let source = SourceFile::new("inline.json", text);
    let (policy, _) = warden_policy::parse_policy(source.text())
        .into_result()
        .expect("parses");
    let selection = RuleSelection {
        select: vec![code.to_string()],
        ..RuleSelection::default()
    };
    lint_policy(&source, &policy, policy_type, &selection)
        .iter()
        .filter_map(|d| d.aa_issue_code.as_deref().map(str::to_string))
        .collect()
}

/// AA's six shapes of PassRole on all resources, told apart per statement.
#[test]
fn pass_role_shapes_map_to_their_checks() {
    let policy = r#"{"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"},
        {"Effect": "Allow", "Action": "iam:*", "Resource": "*"},
        {"Effect": "Allow", "NotAction": "s3:*", "Resource": "*"},
        {"Effect": "Allow", "Action": "iam:PassRole", "NotResource": "arn:aws:iam::111122223333:role/a"},
        {"Effect": "Allow", "Action": "iam:Pass*", "NotResource": "arn:aws:iam::111122223333:role/a"},
        {"Effect": "Allow", "NotAction": "s3:*", "NotResource": "arn:aws:iam::111122223333:role/a"}
    ]}"#;
    assert_eq!(
        aa_codes_of("S201", PolicyType::Identity, policy),
        [
            "PASS_ROLE_WITH_STAR_IN_RESOURCE",
            "PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE",
            "PASS_ROLE_WITH_STAR_IN_RESOURCE_AND_NOTACTION",
            "PASS_ROLE_WITH_NOTRESOURCE",
            "PASS_ROLE_WITH_STAR_IN_ACTION_AND_NOTRESOURCE",
            "PASS_ROLE_WITH_NOTACTION_AND_NOTRESOURCE",
        ]
    );
}

/// Parser codes that stand for exactly one Access Analyzer check carry it.
#[test]
fn parser_codes_map_to_one_check_or_none() {
    assert_eq!(
        warden_lint::parser_issue_code("P207"),
        Some("INVALID_EFFECT")
    );
    assert_eq!(
        warden_lint::parser_issue_code("P101"),
        Some("JSON_SYNTAX_ERROR")
    );
    assert_eq!(
        warden_lint::parser_issue_code("P102"),
        Some("JSON_SYNTAX_ERROR")
    );
    // P303 stands for two checks and P310 for five: no single code.
    assert_eq!(warden_lint::parser_issue_code("P303"), None);
    assert_eq!(warden_lint::parser_issue_code("P310"), None);
    assert_eq!(warden_lint::parser_issue_code("E102"), None);
}

/// More checks chosen per finding: where the value sits, which key, the
/// policy type and `NotAction`.
#[test]
fn aa_issue_code_by_place_key_and_policy_type() {
    let region = r#"{"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "ec2:StartInstances", "Resource": "arn:aws:ec2:moon-1:111122223333:instance/*",
         "Condition": {"StringEquals": {"aws:RequestedRegion": "moon-2"}}}
    ]}"#;
    assert_eq!(
        aa_codes_of("E106", PolicyType::Identity, region),
        ["INVALID_ARN_REGION", "INVALID_REGION"]
    );
    let keys = r#"{"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
         "Condition": {"StringEquals": {"aws:ARN": "x", "aws:SourceAccountt": "111122223333"}}}
    ]}"#;
    assert_eq!(
        aa_codes_of("E112", PolicyType::Identity, keys),
        [
            "UNSUPPORTED_GLOBAL_CONDITION_KEY",
            "INVALID_GLOBAL_CONDITION_KEY"
        ]
    );
    let tags = r#"{"Version": "2012-10-17", "Statement": [
        {"Effect": "Deny", "NotAction": ["iam:*", "sts:*"], "Resource": "*",
         "Condition": {"StringEquals": {"aws:ResourceTag/team": "x"}}}
    ]}"#;
    // S205's scope is being revised (issue 15): whatever it reports here
    // must be the NotAction form of the check.
    let s205 = aa_codes_of("S205", PolicyType::Identity, tags);
    assert!(
        s205.iter()
            .all(|c| c == "DENY_NOTACTION_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE"),
        "{s205:?}"
    );
}
