//! `warden lint` on a whole project folder: which files it reads, which it
//! skips and says so, input errors in the report, and the CLI contract
//! (unknown rule codes refused, SARIF URIs encoded).

#![allow(
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "end-to-end tests: a failure must fail the test loudly"
)]

mod common;

use std::path::Path;
use std::time::Duration;

use common::{run, warden};

const TEMPLATE: &str = r#"AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: { Service: lambda.amazonaws.com }
            Action: sts:AssumeRole
      Policies:
        - PolicyName: p
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: s3:GetObjects
                Resource: "*"
"#;

/// A project as `sam init` and a CI set-up leave it: one template, and
/// JSON and YAML that are not policies.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let files: &[(&str, &str)] = &[
        ("template.yaml", TEMPLATE),
        (
            "package.json",
            r#"{"name": "app", "version": "1.0.0", "dependencies": {}}"#,
        ),
        (
            "events/event.json",
            r#"{"body": "{\"message\": \"hello\"}", "httpMethod": "GET"}"#,
        ),
        (
            "deploy/k8s.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n",
        ),
        (
            ".github/workflows/ci.yml",
            "on: push\njobs:\n  t:\n    runs-on: x\n",
        ),
        ("node_modules/dep/package.json", r#"{"name": "dep"}"#),
        ("cdk.out/Stack.template.json", "{ not json"),
        ("build/out.json", "{ not json"),
        (".gitignore", "build/\n"),
        (
            "policies/p.json",
            r#"{"Version": "2012-10-17", "Statement": []}"#,
        ),
        ("policies/broken.json", r#"{"Statement": [}"#),
    ];
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }
    dir
}

fn json(dir: &Path, args: &[&str]) -> (i32, serde_json::Value) {
    let r = run(warden(dir).args(["lint", "--format", "json"]).args(args));
    let v = serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}", r.stdout));
    (r.code, v)
}

#[test]
fn a_project_folder_lints_its_policies_and_skips_the_rest() {
    let dir = project();
    let (code, v) = json(dir.path(), &["."]);
    assert_eq!(code, 1, "{v}");
    let mut skipped: Vec<&str> = v["skipped"]
        .as_array()
        .expect("skipped")
        .iter()
        .map(|s| s["file"].as_str().unwrap_or(""))
        .collect();
    skipped.sort();
    assert_eq!(
        skipped,
        ["./deploy/k8s.yaml", "./events/event.json", "./package.json"]
    );
    let summary = &v["summary"];
    assert_eq!(summary["files"], 3, "{summary}");
    assert_eq!(summary["skipped"], 3, "{summary}");
    assert_eq!(summary["input_errors"], 1, "{summary}");
    let files: Vec<&str> = v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["file"].as_str().unwrap_or(""))
        .collect();
    assert!(files.contains(&"./template.yaml"), "{files:?}");
    assert!(files.contains(&"./policies/broken.json"), "{files:?}");
    assert!(
        files.iter().all(|f| !f.contains("node_modules")
            && !f.contains("cdk.out")
            && !f.contains("build/")
            && !f.contains(".github")),
        "{files:?}"
    );

    // The human summary says what was skipped; a file named on the command
    // line is read whatever it holds.
    let r = run(warden(dir.path()).args(["lint", "."]));
    r.assert_stdout_contains("3 files skipped (not a policy, template or plan");
    r.assert_stdout_contains("1 files could not be read or parsed");
    let (_, v) = json(dir.path(), &["package.json"]);
    assert_eq!(v["summary"]["skipped"], 0);
    assert!(v["summary"]["findings"].as_u64() > Some(0), "{v}");

    // --exclude and --no-ignore.
    let (_, v) = json(dir.path(), &["--exclude", "policies/**", "."]);
    assert_eq!(v["summary"]["files"], 1, "{v}");
    let (_, v) = json(dir.path(), &["--no-ignore", "."]);
    assert!(v.to_string().contains("build/out.json"), "{v}");
}

#[cfg(unix)]
#[test]
fn a_fifo_in_the_tree_is_skipped_not_opened() {
    let dir = project();
    let fifo = dir.path().join("policies/p2.json");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    // Opening the FIFO would block forever: the timeout fails the test.
    let out = warden(dir.path())
        .args(["lint", "--format", "json", "."])
        .timeout(Duration::from_secs(60))
        .output()
        .expect("runs");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let skipped = v["skipped"].to_string();
    assert!(
        skipped.contains("p2.json") && skipped.contains("not a regular file"),
        "{skipped}"
    );
}

#[test]
fn unreadable_files_are_input_errors_in_every_format() {
    let dir = project();
    std::fs::write(
        dir.path().join("policies/latin1.json"),
        b"{\"Sid\": \"\xe9\"}",
    )
    .expect("write");
    std::fs::write(dir.path().join("policies/a b#1.json"), "{\"Statement\": [}").expect("write");
    let (code, v) = json(dir.path(), &["policies"]);
    assert_eq!(code, 2, "{v}");
    assert_eq!(v["summary"]["input_errors"], 3, "{v}");
    assert!(v.to_string().contains("P002"), "{v}");

    let r = run(warden(dir.path()).args(["lint", "--format", "sarif", "policies"]));
    assert_eq!(r.code, 2, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("SARIF");
    let invocation = &v["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let notes = invocation["toolExecutionNotifications"]
        .as_array()
        .expect("notifications");
    let uris: Vec<&str> = notes
        .iter()
        .map(|n| {
            n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap_or("")
        })
        .collect();
    assert!(uris.contains(&"policies/a%20b%231.json"), "{uris:?}");
    assert!(uris.contains(&"policies/latin1.json"), "{uris:?}");
    // Input errors are not results.
    assert!(
        v["runs"][0]["results"]
            .as_array()
            .expect("results")
            .iter()
            .all(|r| r["ruleId"] != "P002"),
        "{v}"
    );
}

#[test]
fn unknown_rule_codes_are_refused() {
    let dir = project();
    for args in [
        &["--select", "S2O1"][..],
        &["--ignore", "unknown-acton"],
        &["--select", "E102,nope"],
    ] {
        let r = run(warden(dir.path()).arg("lint").args(args).arg("policies"));
        assert_eq!(r.code, 2, "{args:?}: {}", r.stdout);
        r.assert_stderr_contains("unknown rule");
    }
    // Parser and input codes can be ignored; rule names selected.
    let r = run(warden(dir.path()).args([
        "lint",
        "--select",
        "unknown-action,S201",
        "--ignore",
        "P101,I001",
        "policies",
    ]));
    assert_ne!(r.code, 2, "{}", r.stderr);
    std::fs::write(
        dir.path().join("warden.toml"),
        "[lint]\nignore = [\"H4O1\"]\n",
    )
    .expect("write");
    let r = run(warden(dir.path()).args(["lint", "policies"]));
    assert_eq!(r.code, 2, "{}", r.stdout);
    r.assert_stderr_contains("H4O1");
}
