//! End-to-end tests of `warden diff` and `warden check`: verdicts, witness
//! requests, output shapes, exit codes, and bad input.
//!
//! The tests in the first half check behaviour that does not depend on the
//! prover's answers (argument errors, malformed input, batch error lines,
//! output shape); those in the second half check the answers themselves.
#![allow(
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test helpers: a failure must fail the test loudly"
)]

mod common;

use common::{repo, run, warden};

/// An identity policy allowing `actions` on objects of `bucket`.
fn allow(actions: &[&str]) -> String {
    let actions: Vec<String> = actions.iter().map(|a| format!("\"{a}\"")).collect();
    format!(
        r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": [{}], "Resource": "arn:aws:s3:::bucket/*"}}]}}"#,
        actions.join(", ")
    )
}

/// A bucket policy granting `s3:GetObject` to `principal` (a JSON value).
fn bucket_policy(principal: &str, condition: &str) -> String {
    format!(
        r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Principal": {principal}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/*"{condition}}}]}}"#
    )
}

/// A directory with `old.json` (`s3:GetObject`), `same.json` (the same),
/// `wide.json` (`s3:Get*`), `more.json` (`s3:GetObject`, `s3:PutObject`),
/// `future.json` (`s3:GetObject`, `s3:Zzz*`: no catalog action matches)
/// and `typo.json` (an error on line 5).
fn policies() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let write =
        |name: &str, text: &str| std::fs::write(dir.path().join(name), text).expect("write");
    write("old.json", &allow(&["s3:GetObject"]));
    write("same.json", &allow(&["s3:GetObject"]));
    write("wide.json", &allow(&["s3:Get*"]));
    write("more.json", &allow(&["s3:GetObject", "s3:PutObject"]));
    write("future.json", &allow(&["s3:GetObject", "s3:Zzz*"]));
    write(
        "typo.json",
        "{\n    \"Version\": \"2012-10-17\",\n    \"Statement\": [\n        {\n            \"effect\": \"Allow\",\n            \"Action\": \"s3:GetObject\",\n            \"Resource\": \"*\"\n        }\n    ]\n}\n",
    );
    write("public.json", &bucket_policy(r#""*""#, ""));
    write(
        "account.json",
        &bucket_policy(r#"{"AWS": "arn:aws:iam::111122223333:root"}"#, ""),
    );
    write(
        "org.json",
        &bucket_policy(
            r#""*""#,
            r#", "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}"#,
        ),
    );
    dir
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// Whether a witness action is one `s3:Get*` matches, other than `s3:GetObject`.
fn is_other_get(action: &str) -> bool {
    let lower = action.to_ascii_lowercase();
    lower.starts_with("s3:get") && lower != "s3:getobject"
}

// ---- behaviour that does not depend on the prover's answers ----

#[test]
fn diff_usage_errors_exit_2() {
    let dir = policies();
    for args in [
        &["diff"][..],
        &["diff", "old.json"],
        &["diff", "old.json", "same.json", "--batch", "pairs.jsonl"],
        &["diff", "old.json", "same.json", "--policy-type", "boundary"],
        &["diff", "old.json", "same.json", "--format", "sarif"],
        &["diff", "old.json", "same.json", "--timeout", "soon"],
        &["diff", "old.json", "same.json", "--changes"],
    ] {
        let r = run(warden(dir.path()).args(args));
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert_eq!(r.stdout, "", "{args:?}");
    }
}

#[test]
fn diff_reports_a_malformed_policy_with_its_position() {
    let dir = policies();
    let r = run(warden(dir.path()).args(["diff", "old.json", "typo.json"]));
    assert_eq!((r.code, r.stdout.as_str()), (2, ""), "{}", r.stderr);
    r.assert_stderr_contains("P202");
    r.assert_stderr_contains("typo.json:5:13");
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);

    let r = run(warden(dir.path()).args(["diff", "nope.json", "old.json"]));
    assert_eq!(r.code, 2);
    r.assert_stderr_contains("cannot read `nope.json`");

    let r = run(warden(dir.path())
        .args(["diff", "old.json", "-"])
        .write_stdin("{\"Statement\": []"));
    assert_eq!(r.code, 2);
    r.assert_stderr_contains("<stdin>:1:17");
}

#[test]
fn diff_json_has_every_field() {
    let dir = policies();
    let r = run(warden(dir.path()).args(["diff", "--format", "json", "old.json", "wide.json"]));
    let v = json(&r.stdout);
    for key in [
        "new_access",
        "removed_access",
        "witness_new",
        "witness_removed",
        "changes",
        "only_future_actions",
    ] {
        assert!(v.get(key).is_some(), "{key}: {v}");
    }
    assert!(v["changes"]["entries"].is_array(), "{v}");
    assert!(v["only_future_actions"].is_boolean(), "{v}");
    // `reason` exactly when a side is unknown.
    let unknown = v["new_access"].is_null() || v["removed_access"].is_null();
    assert_eq!(v.get("reason").is_some(), unknown, "{v}");
    // Exit code follows `new_access`.
    let expected = match v["new_access"].as_bool() {
        Some(false) => 0,
        Some(true) => 1,
        None => 2,
    };
    assert_eq!(r.code, expected, "{v}");
}

#[test]
fn diff_batch_keeps_order_and_reports_bad_lines() {
    let dir = policies();
    let lines = [
        format!(
            r#"{{"id": "a", "old": {}, "new": {}}}"#,
            allow(&["s3:GetObject"]),
            allow(&["s3:GetObject"])
        ),
        format!(r#"{{"id": "b", "old": {}}}"#, allow(&["s3:GetObject"])),
        String::new(),
        format!(
            r#"{{"id": 3, "old": {}, "new": {}}}"#,
            allow(&["s3:GetObject"]),
            allow(&["s3:Get*"])
        ),
    ];
    std::fs::write(dir.path().join("pairs.jsonl"), lines.join("\n")).expect("write");
    let r = run(warden(dir.path()).args(["diff", "--batch", "pairs.jsonl"]));
    // Exit 2 because a line was invalid; the other lines are still answered.
    assert_eq!(r.code, 2, "{}", r.stderr);
    let out: Vec<serde_json::Value> = r.stdout.lines().map(json).collect();
    assert_eq!(out.len(), 3, "{}", r.stdout);
    assert_eq!(out[0]["id"], "a");
    assert_eq!(out[1]["id"], "b");
    assert_eq!(out[1]["error"], "line 2: missing field `new`");
    assert_eq!(out[2]["id"], 3);
    for v in [&out[0], &out[2]] {
        for key in [
            "new_access",
            "removed_access",
            "witness_new",
            "witness_removed",
            "micros",
        ] {
            assert!(v.get(key).is_some(), "{key}: {v}");
        }
        assert!(v["micros"].is_u64(), "{v}");
        assert!(v.get("error").is_none(), "{v}");
    }

    // Malformed JSON and a policy with an error, from stdin.
    let bad_policy = r#"{"id": "p", "old": {"Statement": [{"effect": "Allow"}]}, "new": {}}"#;
    let r = run(warden(dir.path())
        .args(["diff", "--batch", "-"])
        .write_stdin(format!("not json\n{bad_policy}\n")));
    assert_eq!(r.code, 2);
    let out: Vec<serde_json::Value> = r.stdout.lines().map(json).collect();
    assert_eq!(out.len(), 2, "{}", r.stdout);
    assert_eq!(out[0]["id"], serde_json::Value::Null);
    assert!(
        out[0]["error"]
            .as_str()
            .is_some_and(|e| e.starts_with("line 1: ")),
        "{}",
        out[0]
    );
    assert_eq!(out[1]["id"], "p");
    assert!(
        out[1]["error"]
            .as_str()
            .is_some_and(|e| e.starts_with("line 2: `old` is not a valid policy: column ")),
        "{}",
        out[1]
    );

    let r = run(warden(dir.path()).args(["diff", "--batch", "nope.jsonl"]));
    assert_eq!(r.code, 2);
    r.assert_stderr_contains("cannot read `nope.jsonl`");
}

#[test]
fn diff_batch_with_only_valid_lines_exits_0_whatever_the_answers() {
    let dir = policies();
    let line = format!(
        r#"{{"id": "w", "old": {}, "new": {}}}"#,
        allow(&["s3:GetObject"]),
        allow(&["s3:Get*"])
    );
    let r = run(warden(dir.path())
        .args(["diff", "--batch", "-"])
        .write_stdin(line));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout.lines().count(), 1);
}

#[test]
fn check_argument_errors_exit_2() {
    let dir = policies();
    let r = run(warden(dir.path()).args([
        "check",
        "no-public-access",
        "--resource-type",
        "AWS::S3::Bukket",
        "public.json",
    ]));
    assert_eq!((r.code, r.stdout.as_str()), (2, ""));
    for needle in [
        "unknown resource type `AWS::S3::Bukket`",
        "AWS::S3::Bucket",
        "AWS::KMS::Key",
        "AWS::IAM::AssumeRolePolicyDocument",
    ] {
        r.assert_stderr_contains(needle);
    }
    for args in [
        &["check"][..],
        &["check", "no-such-check", "old.json"],
        &["check", "no-new-access", "wide.json"],
        &["check", "access-not-granted", "wide.json"],
        &["check", "access-not-granted", "--action", "", "wide.json"],
        &["check", "no-public-access", "public.json"],
        &[
            "check",
            "no-public-access",
            "--resource-type",
            "AWS::S3::Bucket",
            "--policy-type",
            "identity",
            "public.json",
        ],
    ] {
        let r = run(warden(dir.path()).args(args));
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert_eq!(r.stdout, "", "{args:?}");
    }
}

#[test]
fn check_reports_a_malformed_policy_with_its_position() {
    let dir = policies();
    for args in [
        &[
            "check",
            "no-new-access",
            "--reference",
            "old.json",
            "typo.json",
        ][..],
        &[
            "check",
            "access-not-granted",
            "--action",
            "s3:PutObject",
            "typo.json",
        ],
        &[
            "check",
            "no-public-access",
            "--resource-type",
            "aws::s3::bucket",
            "typo.json",
        ],
    ] {
        let r = run(warden(dir.path()).args(args));
        assert_eq!((r.code, r.stdout.as_str()), (2, ""), "{args:?}");
        assert!(
            r.stderr.contains("typo.json:5:13"),
            "{args:?}: {}",
            r.stderr
        );
    }
}

#[test]
fn check_json_has_every_field() {
    let dir = policies();
    let r = run(warden(dir.path()).args([
        "check",
        "no-public-access",
        "--resource-type",
        "aws::s3::bucket",
        "--format",
        "json",
        "public.json",
    ]));
    let v = json(&r.stdout);
    assert_eq!(v["check"], "no-public-access");
    let result = v["result"].as_str().expect("result");
    let expected = match result {
        "PASS" => 0,
        "FAIL" => 1,
        "UNKNOWN" => 2,
        other => panic!("result {other}"),
    };
    assert_eq!(r.code, expected);
    assert!(v["message"].is_string(), "{v}");
    assert_eq!(v["witness"].is_null(), result != "FAIL", "{v}");
    assert_eq!(v.get("reason").is_some(), result == "UNKNOWN", "{v}");
}

// ---- the prover's answers ----

#[test]
fn diff_of_identical_policies_is_no_new_access() {
    let dir = policies();
    let r = run(warden(dir.path()).args(["diff", "old.json", "same.json"]));
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let mut lines = r.stdout.lines();
    assert_eq!(lines.next(), Some("no new access"), "{}", r.stdout);
    assert_eq!(
        lines.next(),
        Some("no access removed: the policies are equivalent"),
        "{}",
        r.stdout
    );
    let v = json(
        &run(warden(dir.path()).args(["diff", "--format", "json", "old.json", "same.json"])).stdout,
    );
    assert_eq!(
        (&v["new_access"], &v["removed_access"]),
        (&serde_json::json!(false), &serde_json::json!(false))
    );
    assert_eq!(v["changes"]["entries"], serde_json::json!([]));
}

#[test]
fn diff_of_a_widened_action_shows_a_new_action() {
    let dir = policies();
    let r = run(warden(dir.path()).args(["diff", "old.json", "wide.json"]));
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    let mut lines = r.stdout.lines();
    assert_eq!(lines.next(), Some("new access"), "{}", r.stdout);
    assert_eq!(lines.next(), Some("no access removed"), "{}", r.stdout);
    r.assert_stdout_contains("\ns3\n");
    assert!(
        r.stdout
            .contains("new access: this request is allowed by NEW"),
        "{}",
        r.stdout
    );
    let v = json(
        &run(warden(dir.path()).args(["diff", "--format", "json", "old.json", "wide.json"])).stdout,
    );
    assert_eq!(v["new_access"], true, "{v}");
    let action = v["witness_new"]["action"].as_str().expect("a witness");
    assert!(is_other_get(action), "{action}");
    assert_eq!(v["witness_removed"], serde_json::Value::Null);
    let entries = v["changes"]["entries"].as_array().expect("entries");
    assert!(
        entries
            .iter()
            .any(|e| e["service"] == "s3" && e["kind"] == "added"),
        "{v}"
    );
    assert_eq!(v["only_future_actions"], false);
}

#[test]
fn diff_of_a_removed_action_is_no_new_access() {
    let dir = policies();
    let r = run(warden(dir.path()).args(["diff", "more.json", "old.json"]));
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let mut lines = r.stdout.lines();
    assert_eq!(lines.next(), Some("no new access"), "{}", r.stdout);
    assert_eq!(lines.next(), Some("access removed"), "{}", r.stdout);
    r.assert_stdout_contains("- s3:PutObject  (removed)");
    let v = json(
        &run(warden(dir.path()).args(["diff", "--format", "json", "more.json", "old.json"])).stdout,
    );
    assert_eq!(v["removed_access"], true, "{v}");
    assert_eq!(v["witness_removed"]["action"], "s3:PutObject", "{v}");
    assert!(
        v["changes"]["entries"]
            .as_array()
            .expect("entries")
            .iter()
            .any(|e| e["action"] == "s3:PutObject" && e["kind"] == "removed"),
        "{v}"
    );
}

#[test]
fn diff_says_when_only_future_actions_differ() {
    let dir = policies();
    let r = run(warden(dir.path()).args(["diff", "old.json", "future.json"]));
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout
            .contains("differ only in actions not in the service catalog (future actions)"),
        "{}",
        r.stdout
    );
    let r = run(warden(dir.path()).args(["diff", "--known-actions", "old.json", "future.json"]));
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let v = json(
        &run(warden(dir.path()).args(["diff", "--format", "json", "old.json", "future.json"]))
            .stdout,
    );
    assert_eq!(v["only_future_actions"], true, "{v}");
}

#[test]
fn diff_batch_answers_each_pair() {
    let dir = policies();
    let lines = [
        format!(
            r#"{{"id": "same", "old": {}, "new": {}}}"#,
            allow(&["s3:GetObject"]),
            allow(&["s3:GetObject"])
        ),
        format!(
            r#"{{"id": "wide", "old": {}, "new": {}}}"#,
            allow(&["s3:GetObject"]),
            allow(&["s3:Get*"])
        ),
    ];
    let r = run(warden(dir.path())
        .args(["diff", "--batch", "-"])
        .write_stdin(lines.join("\n")));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let out: Vec<serde_json::Value> = r.stdout.lines().map(json).collect();
    assert_eq!(
        (&out[0]["new_access"], &out[0]["removed_access"]),
        (&serde_json::json!(false), &serde_json::json!(false)),
        "{}",
        out[0]
    );
    assert_eq!(out[1]["new_access"], true, "{}", out[1]);
    let action = out[1]["witness_new"]["action"].as_str().expect("a witness");
    assert!(is_other_get(action), "{action}");
    assert!(out[1].get("reason").is_none(), "{}", out[1]);
}

#[test]
fn check_no_new_access_passes_and_fails() {
    let dir = policies();
    let r = run(warden(dir.path()).args([
        "check",
        "no-new-access",
        "--reference",
        "old.json",
        "same.json",
    ]));
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.starts_with("PASS"), "{}", r.stdout);
    let r = run(warden(dir.path()).args([
        "check",
        "no-new-access",
        "--reference",
        "old.json",
        "wide.json",
    ]));
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.starts_with("FAIL"), "{}", r.stdout);
    r.assert_stdout_contains("principal:");
    let r = run(warden(dir.path()).args([
        "check",
        "no-new-access",
        "--format",
        "json",
        "--reference",
        "old.json",
        "wide.json",
    ]));
    let v = json(&r.stdout);
    assert_eq!(v["result"], "FAIL");
    assert!(
        is_other_get(v["witness"]["action"].as_str().expect("a witness")),
        "{v}"
    );
}

#[test]
fn check_access_not_granted_passes_and_fails() {
    let dir = policies();
    let check = |args: &[&str]| {
        run(warden(dir.path())
            .args(["check", "access-not-granted"])
            .args(args))
    };
    let r = check(&["--action", "s3:PutObject", "wide.json"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.starts_with("PASS"), "{}", r.stdout);
    let r = check(&[
        "--action",
        "s3:PutObject",
        "--action",
        "s3:GetObjectAcl",
        "wide.json",
    ]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.starts_with("FAIL"), "{}", r.stdout);
    r.assert_stdout_contains("action:    s3:GetObjectAcl");
    let r = check(&[
        "--action",
        "s3:GetObject",
        "--resource",
        "arn:aws:s3:::other/*",
        "wide.json",
    ]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let r = check(&[
        "--action",
        "s3:GetObject",
        "--resource",
        "arn:aws:s3:::bucket/key",
        "wide.json",
    ]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
}

#[test]
fn check_no_public_access_passes_and_fails() {
    let dir = policies();
    let check = |file: &str| {
        run(warden(dir.path()).args([
            "check",
            "no-public-access",
            "--resource-type",
            "aws::s3::bucket",
            file,
        ]))
    };
    let r = check("public.json");
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.starts_with("FAIL"), "{}", r.stdout);
    r.assert_stdout_contains("AWS::S3::Bucket");
    for file in ["account.json", "org.json"] {
        let r = check(file);
        assert_eq!(r.code, 0, "{file}: {}{}", r.stdout, r.stderr);
        assert!(r.stdout.starts_with("PASS"), "{file}: {}", r.stdout);
    }
}

#[test]
fn policy_stacks_combine_boundary_and_scp_levels() {
    let dir = tempfile::tempdir().expect("tempdir");
    let old = dir.path().join("old.json");
    let new = dir.path().join("new.json");
    std::fs::write(
        &old,
        r#"{"identity_policies": [{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}]}"#,
    )
    .expect("write");
    // The same identity policy under a boundary: only narrower.
    std::fs::write(
        &new,
        r#"{"identity_policies": [{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}],
            "permissions_boundary": {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:Get*","Resource":"*"}]}}"#,
    )
    .expect("write");
    let out = assert_cmd::Command::cargo_bin("warden")
        .expect("binary")
        .args(["diff", "--format", "json"])
        .arg(&old)
        .arg(&new)
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["new_access"], false);
    assert_eq!(v["removed_access"], true);
    let action = v["witness_removed"]["action"]
        .as_str()
        .expect("action")
        .to_ascii_lowercase();
    assert!(
        action.starts_with("s3:") && !action.starts_with("s3:get"),
        "{action}"
    );
    // A stack whose identity_policies is not a list is an input error.
    std::fs::write(&old, r#"{"identity_policies": 3}"#).expect("write");
    let out = assert_cmd::Command::cargo_bin("warden")
        .expect("binary")
        .arg("diff")
        .arg(&old)
        .arg(&new)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("P005"));
}

/// The README's quick-start example: the changed version of the example
/// policy adds `s3:DeleteObject` on the user's own prefix and `s3:Get*` on
/// `shared/`, and removes nothing.
#[test]
fn quick_start_example_diff() {
    let r = run(warden(&repo()).args([
        "diff",
        "--format",
        "json",
        "examples/s3-read-own-prefix.json",
        "examples/diff/s3-read-own-prefix-v2.json",
    ]));
    assert_eq!(r.code, 1, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("json");
    assert_eq!(v["new_access"], true);
    assert_eq!(v["removed_access"], false);
    let actions: Vec<&str> = v["changes"]["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert!(actions.contains(&"s3:DeleteObject"), "{actions:?}");
    assert!(actions.contains(&"s3:Get*"), "{actions:?}");
}

/// With `--changes`, a batch answer carries every field of `diff --format
/// json` (the changes and the future-actions note too), with the same values.
#[test]
fn batch_answers_carry_the_single_diff_report() {
    let dir = policies();
    let single = json(
        &run(warden(dir.path()).args(["diff", "--format", "json", "old.json", "future.json"]))
            .stdout,
    );
    let old = allow(&["s3:GetObject"]);
    let future = allow(&["s3:GetObject", "s3:Zzz*"]);
    let line = format!("{{\"id\": \"f\", \"old\": {old}, \"new\": {future}}}\n");
    let r = run(warden(dir.path())
        .args(["diff", "--batch", "-", "--changes"])
        .write_stdin(line));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let batch = json(r.stdout.trim());
    assert_eq!(batch["id"], "f");
    let fields = single.as_object().expect("an object");
    assert!(fields.contains_key("changes") && fields.contains_key("only_future_actions"));
    for (key, value) in fields {
        if key.starts_with("witness") {
            // The prover may choose another example; the presence agrees.
            assert_eq!(batch[key].is_null(), value.is_null(), "{key}");
        } else if key == "changes" {
            let actions = |v: &serde_json::Value| {
                v["entries"]
                    .as_array()
                    .map(|e| e.iter().map(|x| x["action"].clone()).collect::<Vec<_>>())
            };
            assert_eq!(actions(&batch[key]), actions(value), "{key}");
        } else {
            assert_eq!(&batch[key], value, "{key}");
        }
    }
    assert_eq!(batch["only_future_actions"], true);
    // Without `--changes` a batch answers the verdicts and witnesses only.
    let line = format!("{{\"id\": \"f\", \"old\": {old}, \"new\": {future}}}\n");
    let r = run(warden(dir.path())
        .args(["diff", "--batch", "-"])
        .write_stdin(line));
    let quick = json(r.stdout.trim());
    assert_eq!(quick["new_access"], batch["new_access"]);
    assert!(quick.get("changes").is_none() && quick.get("only_future_actions").is_none());
}

/// A stack with a resource policy is refused by the prover, not read as
/// if the resource policy were not there.
#[test]
fn a_compared_stack_with_a_resource_policy_is_refused() {
    let dir = policies();
    let stack = format!(
        "{{\"identity_policies\": [{}], \"resource_policy\": {}}}",
        allow(&["s3:GetObject"]),
        bucket_policy(r#""*""#, "")
    );
    std::fs::write(dir.path().join("stack.json"), stack).expect("write");
    let r = run(warden(dir.path()).args(["diff", "old.json", "stack.json"]));
    assert_eq!((r.code, r.stdout.as_str()), (2, ""), "{}", r.stderr);
    r.assert_stderr_contains("`resource_policy` cannot be compared");
}

/// `--format text`, the old name of `human` in `simulate` and `actions`,
/// still works everywhere; every comparison command takes every policy
/// type.
#[test]
fn format_text_is_an_alias_of_human_and_every_policy_type_parses() {
    let dir = policies();
    let human = run(warden(dir.path()).args(["diff", "old.json", "wide.json"]));
    let text = run(warden(dir.path()).args(["diff", "--format", "text", "old.json", "wide.json"]));
    assert_eq!(text.code, 1, "{}", text.stderr);
    assert_eq!(text.stdout.lines().next(), human.stdout.lines().next());
    let r = run(warden(&repo()).args(["actions", "--format", "text", "s3:GetObject"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.starts_with("s3:GetObject"), "{}", r.stdout);
    for policy_type in ["identity", "resource", "trust", "scp", "rcp", "endpoint"] {
        let r = run(warden(dir.path()).args([
            "diff",
            "--policy-type",
            policy_type,
            "old.json",
            "same.json",
        ]));
        assert_eq!(r.code, 0, "{policy_type}: {}", r.stderr);
    }
}

/// A directory with the latest versions of the named AWS managed policies
/// (from the vendored corpus), each as `NAME.json`.
fn managed(names: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let all = warden_testdata::managed_policies().expect("the vendored corpus loads");
    for name in names {
        let policy = all
            .iter()
            .find(|p| p.name == *name)
            .unwrap_or_else(|| panic!("{name} is in the corpus"));
        let text = policy.latest_document().expect("has its latest version");
        std::fs::write(dir.path().join(format!("{name}.json")), text).expect("write");
    }
    dir
}

/// The entries of `changes` as (service, action, kind, count).
fn entries(v: &serde_json::Value) -> Vec<(String, String, String, u64)> {
    v["changes"]["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| {
            (
                e["service"].as_str().expect("service").to_string(),
                e["action"].as_str().expect("action").to_string(),
                e["kind"].as_str().expect("kind").to_string(),
                e["known_action_count"].as_u64().expect("count"),
            )
        })
        .collect()
}

/// `PowerUserAccess` -> `AdministratorAccess`: the new access is to
/// `iam:*`, `organizations:*` and `account:*` (less the actions
/// PowerUserAccess lists), each under its own service, with every catalog
/// action counted and an example of its own resource type.
#[test]
fn diff_power_user_to_administrator_lists_each_service() {
    let dir = managed(&["PowerUserAccess", "AdministratorAccess"]);
    let args = ["diff", "PowerUserAccess.json", "AdministratorAccess.json"];
    let r = run(warden(dir.path()).args(args));
    assert_eq!(r.code, 1, "{}", r.stderr);
    insta::assert_snapshot!(r.stdout);

    let r = run(warden(dir.path()).args(args).args(["--format", "json"]));
    let v = json(&r.stdout);
    let listed: Vec<(String, String, String)> = entries(&v)
        .into_iter()
        .map(|(s, a, k, _)| (s, a, k))
        .collect();
    let expected: Vec<(String, String, String)> = [
        ("account", "account:*"),
        ("iam", "iam:*"),
        ("organizations", "organizations:*"),
    ]
    .iter()
    .map(|(s, a)| (s.to_string(), a.to_string(), "added".to_string()))
    .collect();
    assert_eq!(listed, expected, "{v}");
    for e in v["changes"]["entries"].as_array().expect("entries") {
        let count = e["known_action_count"].as_u64().expect("count");
        let known = e["known_actions"].as_array().expect("list");
        assert_eq!(count, known.len() as u64, "{e}");
        let service = e["service"].as_str().expect("service");
        let example = &e["example"];
        assert!(
            example["action"]
                .as_str()
                .is_some_and(|a| a.starts_with(&format!("{service}:"))),
            "{e}"
        );
        assert!(
            example["resource"]
                .as_str()
                .is_some_and(|r| r.starts_with(&format!("arn:aws:{service}:"))),
            "{e}"
        );
        // PowerUserAccess's own grants are not new.
        assert!(
            !known
                .iter()
                .any(|a| a == "iam:ListRoles" || a == "account:ListRegions"),
            "{e}"
        );
    }
    assert!(
        entries(&v)
            .iter()
            .any(|(s, _, _, n)| s == "iam" && *n > 100),
        "{v}"
    );
}

/// New grants of KMS and SQS beside one of IAM: each under its own
/// service, the example resource of the action's own resource type; and
/// `s3:Get*` over `s3:GetObject` counts every new action.
#[test]
fn diff_lists_grants_under_their_own_service_with_true_counts() {
    let dir = tempfile::tempdir().expect("tempdir");
    let write =
        |name: &str, text: &str| std::fs::write(dir.path().join(name), text).expect("write");
    write("old.json", &allow(&["s3:GetObject"]));
    write(
        "new.json",
        r#"{"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/*"},
            {"Effect": "Allow", "Action": ["iam:PassRole", "kms:Decrypt", "sqs:SendMessage"], "Resource": "*"}]}"#,
    );
    write("wide.json", &allow(&["s3:Get*"]));
    let r = run(warden(dir.path()).args(["diff", "old.json", "new.json", "--format", "json"]));
    let v = json(&r.stdout);
    let shown: Vec<(&str, &str, &str)> = v["changes"]["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| {
            (
                e["service"].as_str().expect("service"),
                e["action"].as_str().expect("action"),
                e["example"]["resource"].as_str().expect("resource"),
            )
        })
        .collect();
    assert_eq!(
        shown,
        [
            (
                "iam",
                "iam:PassRole",
                "arn:aws:iam::111122223333:role/example-rolenamewithpath"
            ),
            (
                "kms",
                "kms:Decrypt",
                "arn:aws:kms:us-east-1:111122223333:key/example-keyid"
            ),
            (
                "sqs",
                "sqs:SendMessage",
                "arn:aws:sqs:us-east-1:111122223333:example-queuename"
            ),
        ],
        "{v}"
    );

    let r = run(warden(dir.path()).args(["diff", "old.json", "wide.json", "--format", "json"]));
    let v = json(&r.stdout);
    let catalog_gets = warden::catalog::Catalog::get()
        .service("s3")
        .expect("s3")
        .actions()
        .filter(|a| a.name().starts_with("Get") && a.name() != "GetObject")
        .count();
    assert_eq!(
        entries(&v),
        [(
            "s3".to_string(),
            "s3:Get*".to_string(),
            "added".to_string(),
            catalog_gets as u64
        )],
        "{v}"
    );
    let r = run(warden(dir.path()).args(["diff", "old.json", "wide.json"]));
    r.assert_stdout_contains(format!("and {} more", catalog_gets - 5));
}

/// A generated policy of `n` statements, each with its own resource
/// pattern with wildcards inside (what makes the product of automata grow).
fn large_policy(n: usize, seed: usize) -> String {
    let services = ["s3", "ec2", "iam", "kms", "sqs", "sns"];
    let statements: Vec<String> = (0..n)
        .map(|i| {
            let k = i * 7919 + seed * 104_729;
            format!(
                r#"{{"Effect":"{}","Action":["{}:Get*","{}:Put{}"],"Resource":"arn:aws:s3:::*-{}*/*{}*"}}"#,
                if k.is_multiple_of(5) { "Deny" } else { "Allow" },
                services[k % services.len()],
                services[(k / 7) % services.len()],
                k % 13,
                k % 1000,
                (k / 13) % 100
            )
        })
        .collect();
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
        statements.join(",")
    )
}

/// `--timeout` bounds the whole run on policies of thousands of
/// statements (building the cells included): `unknown` with the reason,
/// exit 2, soon after the deadline (the slack covers reading and
/// compiling the policies in a debug build on a loaded machine).
#[test]
fn diff_timeout_bounds_a_large_comparison() {
    let dir = tempfile::tempdir().expect("tempdir");
    let write =
        |name: &str, text: &str| std::fs::write(dir.path().join(name), text).expect("write");
    write("a.json", &large_policy(3_000, 1));
    write("b.json", &large_policy(3_000, 2));
    for (old, new) in [("a.json", "b.json"), ("a.json", "a.json")] {
        let start = std::time::Instant::now();
        let r = run(warden(dir.path()).args(["diff", old, new, "--timeout", "300"]));
        let spent = start.elapsed();
        assert!(
            spent < std::time::Duration::from_secs(30),
            "{old} {new}: {spent:?}"
        );
        assert!(r.code == 2 || r.code == 0 || r.code == 1, "{}", r.stderr);
        if r.code == 2 {
            r.assert_stdout_contains("unknown: the time limit expired");
        }
    }
}

/// Issue 16: two role trust policies, the new one adding a service
/// principal. Without `--policy-type` they are read as trust policies (as
/// `lint` infers), never answered "unknown: bug: the witness did not
/// replay"; forced to `identity` the answer is still decided.
#[test]
fn trust_policies_are_inferred_and_compared() {
    let dir = tempfile::tempdir().expect("tempdir");
    let trust = |services: &str| {
        format!(
            r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Principal": {{"Service": [{services}]}}, "Action": "sts:AssumeRole"}}]}}"#
        )
    };
    let write =
        |name: &str, text: &str| std::fs::write(dir.path().join(name), text).expect("write");
    write("trust_old.json", &trust(r#""ec2.amazonaws.com""#));
    write(
        "trust_new.json",
        &trust(r#""ec2.amazonaws.com", "lambda.amazonaws.com""#),
    );
    let r = run(warden(dir.path()).args(["diff", "trust_old.json", "trust_new.json"]));
    assert_eq!(r.code, 1, "{}\n{}", r.stdout, r.stderr);
    r.assert_stdout_contains("principal: lambda.amazonaws.com");
    assert!(!r.stdout.contains("unknown"), "{}", r.stdout);
    let r = run(warden(dir.path()).args([
        "diff",
        "--policy-type",
        "trust",
        "--format",
        "json",
        "trust_old.json",
        "trust_new.json",
    ]));
    assert_eq!(
        json(&r.stdout)["witness_new"]["principal"],
        "lambda.amazonaws.com"
    );
    let r = run(warden(dir.path()).args([
        "diff",
        "--policy-type",
        "identity",
        "trust_old.json",
        "trust_new.json",
    ]));
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    let r = run(warden(dir.path()).args([
        "check",
        "access-not-granted",
        "--action",
        "sts:AssumeRole",
        "trust_new.json",
    ]));
    assert_eq!(r.code, 1, "{}\n{}", r.stdout, r.stderr);
    r.assert_stdout_contains("FAIL");
    let r = run(warden(dir.path()).args([
        "check",
        "access-not-granted",
        "--action",
        "s3:GetObject",
        "trust_new.json",
    ]));
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
}

/// Issue 16: two deny-only SCPs are compared as the filters they are,
/// and the output says how.
#[test]
fn deny_only_scps_are_compared_as_filters() {
    let dir = tempfile::tempdir().expect("tempdir");
    let deny = |action: &str| {
        format!(
            r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Deny", "Action": "{action}", "Resource": "*"}}]}}"#
        )
    };
    std::fs::write(dir.path().join("a.json"), deny("s3:DeleteBucket")).expect("write");
    std::fs::write(dir.path().join("b.json"), deny("ec2:TerminateInstances")).expect("write");
    let r = run(warden(dir.path()).args(["diff", "--policy-type", "scp", "a.json", "b.json"]));
    assert_eq!(r.code, 1, "{}\n{}", r.stdout, r.stderr);
    r.assert_stdout_contains("note: read as service control policies");
    r.assert_stdout_contains("FullAWSAccess");
    r.assert_stdout_contains("access removed");
    let r = run(warden(dir.path()).args([
        "diff",
        "--policy-type",
        "scp",
        "--format",
        "json",
        "a.json",
        "a.json",
    ]));
    let v = json(&r.stdout);
    assert_eq!(
        (v["new_access"].clone(), v["removed_access"].clone()),
        (false.into(), false.into())
    );
    assert!(
        v["reading"]
            .as_str()
            .is_some_and(|s| s.contains("FullAWSAccess"))
    );
    let r = run(warden(dir.path()).args([
        "check",
        "no-new-access",
        "--policy-type",
        "scp",
        "--reference",
        "a.json",
        "b.json",
    ]));
    assert_eq!(r.code, 1, "{}\n{}", r.stdout, r.stderr);
    r.assert_stdout_contains("FAIL");
    r.assert_stdout_contains("note: read as service control policies");
}

/// Issue 16: a condition pinning the caller to the named account is not
/// public (the S3 guide's access-point delegation example).
#[test]
fn access_point_delegation_is_not_public() {
    let dir = tempfile::tempdir().expect("tempdir");
    let policy = bucket_policy(
        r#"{"AWS": "*"}"#,
        r#", "Condition": {"StringEquals": {"s3:DataAccessPointAccount": "444455556666"}}"#,
    );
    std::fs::write(dir.path().join("delegate.json"), policy).expect("write");
    let r = run(warden(dir.path()).args([
        "check",
        "no-public-access",
        "--resource-type",
        "AWS::S3::Bucket",
        "delegate.json",
    ]));
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    r.assert_stdout_contains("PASS");
}
