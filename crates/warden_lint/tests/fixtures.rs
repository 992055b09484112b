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

/// Lints `path` with only `code` enabled; returns the rendered findings.
fn run(code: &str, path: &Path) -> (usize, String) {
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
    let rendered = findings
        .iter()
        .map(|d| HumanRenderer::plain().render(d, &source))
        .collect();
    (findings.len(), rendered)
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

/// Every Access Analyzer check is covered by a rule, a parser code, or a
/// stated reason it does not apply.
#[test]
fn access_analyzer_coverage_is_consistent() {
    use warden_lint::docs::{Coverage, coverage};
    let all = coverage();
    assert_eq!(all.len(), 135);
    let missing: Vec<&str> = all
        .iter()
        .filter(|(_, c)| *c == Coverage::Missing)
        .map(|(k, _)| k.code)
        .collect();
    for (check, c) in &all {
        if let Coverage::NotApplicable(reason) | Coverage::Parser(_, reason) = c {
            assert!(
                !reason.is_empty(),
                "{}: a mapping without a note",
                check.code
            );
        }
    }
    eprintln!(
        "{} of {} Access Analyzer checks not yet covered: {missing:?}",
        missing.len(),
        all.len()
    );
}
