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

// `warden lint` on real templates (`testdata/templates/real/`, see its
// README) and on the shapes real repositories hold.

/// `warden lint ARGS` run in a fresh directory holding `files`.
fn lint_files(files: &[(&str, &[u8])], args: &[&str]) -> Run {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, bytes) in files {
        std::fs::write(dir.path().join(name), bytes).expect("write");
    }
    run(warden(dir.path()).arg("lint").args(args))
}

#[test]
fn lint_reads_every_policy_of_real_templates() {
    let r = run(warden(&templates().join("real")).args(["lint", "."]));
    // SAM's `Action: '*'` inline statement fails CI by default.
    assert_eq!(r.code, 1, "{}", r.stderr);
    // 6 policies before SAM, Lambda permissions and `Fn::If` were read.
    r.assert_stdout_contains("5 files, 74 policies:");
    r.assert_stdout_contains("notes hidden");
    r.assert_stdout_contains("--> ./sam-basic_function.yaml:111:21");
    r.assert_stdout_contains("`iam:PassRole` is allowed on every role");
    // SAM's policy templates expand without findings of their own.
    let r = run(warden(&templates().join("real")).args(["lint", "sam-all_policy_templates.yaml"]));
    assert_eq!(r.code, 0, "{}", r.stdout);
    r.assert_stdout_contains(
        "1 files, 65 policies: 0 errors, 0 security warnings, 0 warnings, 0 suggestions",
    );
}

#[test]
fn pass_role_in_sam_policies_is_found() {
    let template = b"Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      Policies:
        - AWSLambdaBasicExecutionRole
        - S3ReadPolicy:
            BucketName: !Ref Bucket
        - Statement:
            - Effect: Allow
              Action: iam:PassRole
              Resource: '*'
";
    let r = lint_files(&[("template.yaml", template)], &["template.yaml"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    r.assert_stdout_contains("security warning[S201]: `iam:PassRole` is allowed on every role");
    r.assert_stdout_contains("--> template.yaml:14:23");
    r.assert_stdout_contains("1 files, 2 policies:");
    // The managed policy is a note: shown when asked.
    let r = lint_files(
        &[("template.yaml", template)],
        &["template.yaml", "--show-notes"],
    );
    r.assert_stdout_contains(
        "note[I003]: policy not read: `AWSLambdaBasicExecutionRole` at 9:11 is an AWS managed policy",
    );
}

#[test]
fn notes_are_hidden_unless_asked_and_never_annotations_by_default() {
    let template = b"Resources:
  P:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument: !Ref Doc
";
    let files: &[(&str, &[u8])] = &[("t.yaml", template)];
    let r = lint_files(files, &["t.yaml"]);
    assert_eq!(r.code, 0);
    assert_eq!(
        r.stdout,
        "1 files, 0 policies: 0 errors, 0 security warnings, 0 warnings, 0 suggestions \
         (1 notes hidden: policies not read or read in part; --show-notes lists them)\n"
    );
    let r = lint_files(files, &["t.yaml", "--format", "github"]);
    assert_eq!(r.stdout, "");
    let r = lint_files(files, &["t.yaml", "--show-notes"]);
    assert_eq!(r.code, 0);
    r.assert_stdout_contains(
        "note[I003]: policy not read: the document is given by `Ref` at 5:23; it is known only at deployment",
    );
    r.assert_stdout_contains(", 1 notes");
    let r = lint_files(files, &["t.yaml", "--format", "json"]);
    r.assert_stdout_contains("\"hidden_notes\":1");
}

#[test]
fn fn_if_branches_are_both_linted_once_each() {
    let template = b"Conditions:
  Prod: !Equals [!Ref Env, prod]
Resources:
  P:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Action: !If [Prod, s3:GetObject, iam:PassRole]
            Resource: '*'
          - Effect: Allow
            Action: s3:ListBucket
            Resource: [!ImportValue BucketA, !ImportValue BucketB]
";
    let r = lint_files(&[("t.yaml", template)], &["t.yaml"]);
    // The second branch passes any role; the two imports are two values.
    r.assert_stdout_contains("`iam:PassRole` is allowed on every role");
    assert!(!r.stdout.contains("listed twice"), "{}", r.stdout);
    assert!(!r.stdout.contains("grants nothing"), "{}", r.stdout);
    // A finding both readings share is reported once.
    assert_eq!(r.stdout.matches("S210").count(), 1, "{}", r.stdout);
    r.assert_stdout_contains("1 files, 1 policies:");
}

#[test]
fn yaml_as_cloudformation_reads_it() {
    // A flow mapping closing at its key's indentation (PyYAML accepts it).
    let flow = b"Resources:
  R:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument: {
        \"Version\": \"2012-10-17\",
        \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"iam:PassRole\", \"Resource\": \"*\"}]
      }
";
    let r = lint_files(&[("flow.yaml", flow)], &["flow.yaml"]);
    r.assert_stdout_contains("--> flow.yaml:7:53");
    r.assert_stdout_contains("1 files, 1 policies:");
    // Several documents: each template is read.
    let mut multi = flow.to_vec();
    multi.extend_from_slice(b"---\n");
    multi.extend_from_slice(flow);
    let r = lint_files(&[("multi.yaml", &multi)], &["multi.yaml"]);
    r.assert_stdout_contains("1 files, 2 policies:");
    // A merge key: one clear error.
    let merge = b"Resources:
  R:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Statement:
          - <<: {Effect: Allow}
            Action: s3:GetObject
            Resource: '*'
";
    let r = lint_files(&[("merge.yaml", merge)], &["merge.yaml"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    r.assert_stdout_contains(
        "error[I102]: a merge key (`<<`): CloudFormation does not support YAML merge keys",
    );
    assert_eq!(r.stdout.matches("error[").count(), 1, "{}", r.stdout);
}

/// A plan of `aws_iam_policy` resources, with `padding` bytes of an
/// unrelated attribute.
fn plan(padding: usize) -> String {
    let policy = r#"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"iam:PassRole\",\"Resource\":\"*\"}]}"#;
    format!(
        r#"{{"format_version": "1.2", "terraform_version": "1.9.0",
"planned_values": {{"root_module": {{"resources": [
  {{"address": "aws_iam_policy.p", "mode": "managed", "type": "aws_iam_policy", "name": "p", "values": {{"policy": "{policy}"}}}},
  {{"address": "aws_s3_object.big", "mode": "managed", "type": "aws_s3_object", "name": "big", "values": {{"content": "{}"}}}}
]}}}}}}
"#,
        "x".repeat(padding)
    )
}

#[test]
fn plans_past_8_mib_are_read_and_the_limit_is_configurable() {
    let big = plan(9 << 20);
    let files: &[(&str, &[u8])] = &[("plan.json", big.as_bytes())];
    let r = lint_files(files, &["plan.json"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    r.assert_stdout_contains("`iam:PassRole` is allowed on every role");
    r.assert_stdout_contains("1 files, 1 policies:");
    let r = lint_files(files, &["plan.json", "--max-file-size", "8"]);
    assert_eq!(r.code, 2);
    // Input errors are part of the report (stdout), like findings.
    r.assert_stdout_contains("P003");
    r.assert_stdout_contains("is larger than 8 MiB, the file limit");
}

#[test]
fn utf16_plans_are_decoded() {
    let text = plan(0);
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let r = lint_files(&[("plan.json", &bytes)], &["plan.json"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    r.assert_stdout_contains("`iam:PassRole` is allowed on every role");
    r.assert_stdout_contains("--> plan.json:3:");
}
