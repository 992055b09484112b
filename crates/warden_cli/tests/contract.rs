//! The command-line contract beyond `lint`: `fmt` formats what parses and
//! follows symlinks, `parse` points at `lint` for templates, `--format`
//! takes the same words everywhere.

#![allow(
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "end-to-end tests: a failure must fail the test loudly"
)]

mod common;

use common::{repo, run, warden};

/// Semantically wrong (no `Effect`, an action and a resource that are not
/// valid), syntactically a policy.
const SEMANTIC_ERRORS: &str =
    r#"{"Statement":[{"Action":["s3 GetObject"],"Resource":"bucket/*"}],"Version":"2012-10-17"}"#;

#[test]
fn fmt_formats_a_policy_with_semantic_errors() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("p.json"), SEMANTIC_ERRORS).expect("write");
    let r = run(warden(dir.path()).args(["fmt", "p.json"]));
    assert_eq!((r.code, r.stderr.as_str()), (0, ""), "{}", r.stdout);
    assert!(r.stdout.contains("\"s3 GetObject\"") && r.stdout.contains("\"bucket/*\""));
    // Printing would drop an unknown element: refused, with its errors.
    let r = run(warden(&repo()).args(["fmt", "examples/invalid/typos.json"]));
    assert_eq!((r.code, r.stdout.as_str()), (2, ""));
    r.assert_stderr_contains("P202");
}

#[cfg(unix)]
#[test]
fn fmt_write_through_a_symlink_rewrites_the_target() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join("real")).expect("mkdir");
    let messy = r#"{"Statement":[{"Action":"s3:GetObject","Effect":"Allow","Resource":"*"}],"Version":"2012-10-17"}"#;
    std::fs::write(dir.path().join("real/p.json"), messy).expect("write");
    std::os::unix::fs::symlink("real/p.json", dir.path().join("link.json")).expect("symlink");
    let r = run(warden(dir.path()).args(["fmt", "--write", "link.json"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let meta = std::fs::symlink_metadata(dir.path().join("link.json")).expect("stat");
    assert!(meta.file_type().is_symlink(), "the link was replaced");
    let target = std::fs::read_to_string(dir.path().join("real/p.json")).expect("read");
    assert_ne!(target, messy);
    let r = run(warden(dir.path()).args(["fmt", "--check", "real/p.json"]));
    assert_eq!(r.code, 0, "{}", r.stdout);
}

#[test]
fn parse_of_a_template_points_at_lint_and_pointer() {
    let r = run(warden(&repo()).args(["parse", "testdata/lint-inputs/cfn-template.json"]));
    assert_eq!(r.code, 2);
    r.assert_stderr_contains("is a CloudFormation template, not a policy");
    r.assert_stderr_contains("warden lint testdata/lint-inputs/cfn-template.json");
    r.assert_stderr_contains("--pointer");
    let r = run(warden(&repo()).args(["parse", "testdata/lint-inputs/tf-plan.json"]));
    r.assert_stderr_contains("is a Terraform plan");
}

#[test]
fn parse_takes_format_json() {
    let dir = tempfile::tempdir().expect("tempdir");
    let policy = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#;
    std::fs::write(dir.path().join("p.json"), policy).expect("write");
    let a = run(warden(dir.path()).args(["parse", "--format", "json", "p.json"]));
    let b = run(warden(dir.path()).args(["parse", "--json", "p.json"]));
    assert_eq!((a.code, &a.stdout), (0, &b.stdout));
    assert!(a.stdout.starts_with("{\"file\":\"p.json\""), "{}", a.stdout);
    let r = run(warden(dir.path()).args(["parse", "--format", "sarif", "p.json"]));
    assert_eq!(r.code, 2);
}
