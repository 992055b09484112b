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
