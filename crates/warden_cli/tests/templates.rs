//! End-to-end tests of reading one policy out of a CloudFormation template
//! or a Terraform plan in `warden diff`, `warden check` and `warden
//! simulate`: `--resource NAME`, `FILE#NAME`, the single-policy default, and
//! the errors that list the names to choose from. Fixtures are in
//! `testdata/templates/` (see its README).
#![allow(
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test helpers: a failure must fail the test loudly"
)]

mod common;

use std::path::PathBuf;

use common::{Run, repo, run, warden};

fn templates() -> PathBuf {
    repo().join("testdata/templates")
}

/// `warden ARGS` run in `testdata/templates`.
fn cli(args: &[&str]) -> Run {
    run(warden(&templates()).args(args))
}

#[test]
fn diff_across_two_template_versions() {
    let r = cli(&[
        "diff",
        "app-v1.yaml",
        "app-v2.yaml",
        "--resource",
        "AppRole/Policies/0",
    ]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stdout.starts_with("new access\nno access removed\n"),
        "{}",
        r.stdout
    );
    r.assert_stdout_contains("+ s3:PutObject  (added)");
    r.assert_stdout_contains("resource:  arn:aws:s3:::app-bucket/");
    assert_eq!(r.stderr, "");

    // The managed policy did not change between the versions.
    let r = cli(&[
        "diff",
        "app-v1.yaml",
        "app-v2.yaml",
        "--resource",
        "ListPolicy",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.assert_stdout_contains("the policies are equivalent");
}

#[test]
fn diff_json_output_from_templates() {
    let r = cli(&[
        "diff",
        "app-v1.yaml",
        "app-v2.yaml",
        "--resource",
        "AppRole/Policies/0",
        "--format",
        "json",
    ]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("JSON");
    assert_eq!(v["new_access"], true);
    assert_eq!(v["witness_new"]["action"], "s3:PutObject");
}

#[test]
fn an_ambiguous_resource_is_an_error_listing_the_candidates() {
    let r = cli(&[
        "diff",
        "app-v1.yaml",
        "app-v2.yaml",
        "--resource",
        "AppRole",
    ]);
    assert_eq!(r.code, 2);
    assert_eq!(r.stdout, "");
    r.assert_stderr_contains(
        "error[I002]: `AppRole` names 2 policies: \
             AppRole/AssumeRolePolicyDocument, AppRole/Policies/read\n",
    );
    r.assert_stderr_contains("--> app-v1.yaml");
    r.assert_stderr_contains("--> app-v2.yaml");
    r.assert_stderr_contains("is read as a CloudFormation template");
    assert!(
        r.stderr
            .contains("help: name one policy, e.g. `AppRole/AssumeRolePolicyDocument`"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_template_with_several_policies_needs_a_name() {
    let r = cli(&["diff", "app-v1.yaml", "app-v2.yaml"]);
    assert_eq!(r.code, 2);
    r.assert_stderr_contains(
        "error[I002]: the file holds 4 policies: BucketPolicy/PolicyDocument, \
             AppRole/AssumeRolePolicyDocument, AppRole/Policies/read, ListPolicy/PolicyDocument\n",
    );
}

#[test]
fn an_unknown_name_lists_the_names_there_are() {
    let r = cli(&[
        "diff",
        "app-v1.yaml",
        "app-v2.yaml",
        "--resource",
        "approle",
    ]);
    assert_eq!(r.code, 2);
    r.assert_stderr_contains(
        "error[I002]: no policy is named `approle`; the policies are: \
             BucketPolicy/PolicyDocument, AppRole/AssumeRolePolicyDocument",
    );
}

#[test]
fn a_name_after_the_path_selects_per_file() {
    // A resource renamed between versions: each file names its own.
    let r = cli(&[
        "diff",
        "app-v1.yaml#ListPolicy",
        "managed-policy.json#ReadPolicy",
    ]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    r.assert_stdout_contains("+ s3:GetObject  (added)");
    // `FILE#NAME` wins over `--resource`; an inline policy by its index.
    let r = cli(&[
        "diff",
        "app-v1.yaml#AppRole/Policies/0",
        "app-v2.yaml",
        "--resource",
        "AppRole/Policies/0",
    ]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let r = cli(&[
        "diff",
        "app-v1.yaml#AppRole/AssumeRolePolicyDocument",
        "app-v2.yaml",
        "--resource",
        "AppRole/AssumeRolePolicyDocument",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn a_template_with_one_policy_is_that_policy() {
    // The template's policy against the same policy written as a file.
    let dir = tempfile::tempdir().expect("tempdir");
    let policy = dir.path().join("read.json");
    std::fs::write(
        &policy,
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
            "Action": ["s3:GetObject", "s3:ListBucket"],
            "Resource": ["arn:aws:s3:::app-bucket", "arn:aws:s3:::app-bucket/*"]}]}"#,
    )
    .expect("write");
    let policy = policy.to_str().expect("UTF-8 path");
    let r = cli(&["diff", policy, "managed-policy.json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.assert_stdout_contains("the policies are equivalent");
    // A policy file is read whole; the name applies to the template.
    let r = cli(&[
        "diff",
        policy,
        "plan.json",
        "--resource",
        "aws_iam_policy.read",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn check_reads_policies_from_templates() {
    let r = cli(&[
        "check",
        "no-new-access",
        "--reference",
        "app-v1.yaml",
        "app-v2.yaml",
        "--resource",
        "AppRole/Policies/0",
    ]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stdout.starts_with("FAIL: "), "{}", r.stdout);
    let r = cli(&[
        "check",
        "no-new-access",
        "--reference",
        "app-v1.yaml",
        "app-v2.yaml",
        "--resource",
        "ListPolicy",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);

    for (file, code) in [("app-v1.yaml", 0), ("app-v3.yaml", 1)] {
        let r = cli(&[
            "check",
            "no-public-access",
            "--resource-type",
            "AWS::S3::Bucket",
            file,
            "--resource",
            "BucketPolicy",
        ]);
        assert_eq!(r.code, code, "{file}: {}{}", r.stdout, r.stderr);
    }
}

#[test]
fn check_and_simulate_read_a_terraform_plan() {
    let r = cli(&[
        "check",
        "access-not-granted",
        "--action",
        "s3:PutObject",
        "plan.json#aws_iam_policy.read",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = cli(&[
        "check",
        "access-not-granted",
        "--action",
        "s3:GetObject",
        "plan.json#aws_iam_policy.read/policy",
    ]);
    assert_eq!(r.code, 1, "{}", r.stderr);

    let r = cli(&[
        "simulate",
        "--policy",
        "plan.json#aws_iam_role.fn/inline_policy/logs",
        "--principal",
        "arn:aws:iam::111122223333:role/fn",
        "--action",
        "logs:PutLogEvents",
        "--resource",
        "arn:aws:logs:us-east-1:111122223333:log-group:app",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.starts_with("Allow"), "{}", r.stdout);

    let r = cli(&[
        "simulate",
        "--policy",
        "plan.json#aws_iam_role.fn",
        "--principal",
        "arn:aws:iam::111122223333:role/fn",
        "--action",
        "logs:PutLogEvents",
        "--resource",
        "*",
    ]);
    assert_eq!(r.code, 2);
    r.assert_stderr_contains(
        "error[I002]: `aws_iam_role.fn` names 2 policies: \
             aws_iam_role.fn/assume_role_policy, aws_iam_role.fn/inline_policy/logs\n",
    );
    r.assert_stderr_contains("is read as a Terraform plan");
}

#[test]
fn simulate_takes_policies_of_one_template_in_their_roles() {
    let r = cli(&[
        "simulate",
        "--policy",
        "app-v2.yaml#AppRole/Policies/read",
        "--resource-policy",
        "app-v1.yaml#BucketPolicy",
        "--principal",
        "arn:aws:iam::111122223333:role/app",
        "--action",
        "s3:PutObject",
        "--resource",
        "arn:aws:s3:::app-bucket/key",
        "--explain",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("Identity policy app-v2.yaml#AppRole/Policies/read:"),
        "{}",
        r.stdout
    );
}

#[test]
fn an_error_in_a_selected_policy_points_into_the_template() {
    let r = cli(&["diff", "reference.yaml", "reference.yaml"]);
    assert_eq!(r.code, 2);
    // The reference is kept as text, and the error about it says why.
    r.assert_stderr_contains("note[I001]: `Fn::GetAtt` at 16:23");
    r.assert_stderr_contains("error[P303]");
    r.assert_stderr_contains("--> reference.yaml:16:23");
    r.assert_stderr_contains("known only at deployment");
}

#[test]
fn a_yaml_template_with_a_syntax_error_gets_the_yaml_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bad = dir.path().join("bad.yaml");
    std::fs::write(&bad, "Resources:\n  A: [\n").expect("write");
    let bad = bad.to_str().expect("UTF-8 path");
    let r = cli(&["diff", bad, "app-v1.yaml", "--resource", "ListPolicy"]);
    assert_eq!(r.code, 2);
    r.assert_stderr_contains("error[I101]");
}

#[test]
fn errors_as_json_lines_carry_the_selection_code() {
    let r = cli(&[
        "--error-format",
        "json",
        "check",
        "access-not-granted",
        "--action",
        "s3:PutObject",
        "plan.json",
    ]);
    assert_eq!(r.code, 2);
    let line: serde_json::Value =
        serde_json::from_str(r.stderr.lines().next().expect("a line")).expect("JSON");
    assert_eq!(line["code"], "I002");
}
