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
