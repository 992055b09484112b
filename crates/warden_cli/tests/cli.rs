//! End-to-end tests of the `warden` binary: exit codes, output, and bad
//! input (each must give one diagnostic with file, line and column, exit 2,
//! and never a panic).
#![allow(
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "test helpers: a failure must fail the test loudly"
)]

mod common;

use common::{repo, run, warden};

fn examples() -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(repo().join("examples"))
        .expect("examples/")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|p| {
            format!(
                "examples/{}",
                p.file_name().and_then(|n| n.to_str()).unwrap_or_default()
            )
        })
        .collect();
    files.sort();
    files
}

#[test]
fn parse_examples_is_silent_and_succeeds() {
    let r = run(warden(&repo()).arg("parse").args(examples()));
    assert_eq!((r.code, r.stdout.as_str(), r.stderr.as_str()), (0, "", ""));
}

#[test]
fn fmt_check_examples_passes() {
    let r = run(warden(&repo()).args(["fmt", "--check"]).args(examples()));
    assert_eq!((r.code, r.stdout.as_str()), (0, ""), "{}", r.stderr);
}

#[test]
fn parse_json_prints_the_normalized_model() {
    let r = run(warden(&repo()).args(["parse", "--json", "examples/bucket-policy-tls-only.json"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("one JSON line");
    insta::assert_json_snapshot!(v);
}

#[test]
fn parse_reports_every_error_with_positions() {
    let r = run(warden(&repo()).args(["parse", "examples/invalid/typos.json"]));
    assert_eq!(r.code, 2);
    assert_eq!(r.stdout, "");
    insta::assert_snapshot!(r.stderr);
}

#[test]
fn json_error_format() {
    let r = run(warden(&repo()).args([
        "--error-format=json",
        "parse",
        "examples/invalid/typos.json",
    ]));
    assert_eq!(r.code, 2);
    let first: serde_json::Value =
        serde_json::from_str(r.stderr.lines().next().expect("a line")).expect("JSON");
    assert_eq!(first["code"], "P206");
    assert_eq!(first["file"], "examples/invalid/typos.json");
    assert_eq!(
        (first["line"].as_u64(), first["column"].as_u64()),
        (Some(4), Some(5))
    );
    assert_eq!(r.stderr.lines().count(), 7);
}

#[test]
fn parse_pointer_reads_an_embedded_policy() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("template.json"),
        r#"{"Resources": {"Role": {"Properties": {"Policies": [{"PolicyDocument":
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "bucket"}]}}]}}}}"#,
    )
    .expect("write");
    let r = run(warden(dir.path()).args([
        "parse",
        "--pointer",
        "/Resources/Role/Properties/Policies/0/PolicyDocument",
        "template.json",
    ]));
    assert_eq!(r.code, 2);
    r.assert_stderr_contains("--> template.json:2:111");
    let r = run(warden(dir.path()).args(["parse", "--pointer", "/Nope", "template.json"]));
    assert_eq!(r.code, 2);
    r.assert_stderr_contains("`/Nope` does not name a value");
}

#[test]
fn fmt_prints_checks_and_writes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let messy = r#"{"Statement":[{"Action":["s3:GetObject"],"Effect":"Allow","Resource":"*"}],"Version":"2012-10-17"}"#;
    std::fs::write(dir.path().join("p.json"), messy).expect("write");
    let printed = run(warden(dir.path()).args(["fmt", "p.json"]));
    assert_eq!(printed.code, 0);
    insta::assert_snapshot!(printed.stdout);

    let check = run(warden(dir.path()).args(["fmt", "--check", "p.json"]));
    assert_eq!((check.code, check.stdout.as_str()), (1, "p.json\n"));

    let write = run(warden(dir.path()).args(["fmt", "--write", "p.json"]));
    assert_eq!(write.code, 0, "{}", write.stderr);
    let written = std::fs::read_to_string(dir.path().join("p.json")).expect("read");
    assert_eq!(written, printed.stdout);
    let check = run(warden(dir.path()).args(["fmt", "--check", "p.json"]));
    assert_eq!(check.code, 0);

    let stdin = run(warden(dir.path()).args(["fmt", "-"]).write_stdin(messy));
    assert_eq!(stdin.stdout, printed.stdout);
    let bad = run(warden(dir.path()).args(["fmt", "--write", "-"]));
    assert_eq!(bad.code, 2);
}

#[test]
fn fmt_refuses_invalid_policies() {
    let r = run(warden(&repo()).args(["fmt", "examples/invalid/typos.json"]));
    assert_eq!((r.code, r.stdout.as_str()), (2, ""));
}

/// Each bad input: exit 2, exactly one diagnostic, and a `file:line:col`.
fn bad_input(name: &str, bytes: &[u8], location: &str) -> String {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join(name), bytes).expect("write");
    let r = run(warden(dir.path()).args(["parse", name]));
    assert_eq!(r.code, 2, "{name}: {}", r.stderr);
    assert_eq!(
        r.stderr.matches("error[").count(),
        1,
        "{name}: {}",
        r.stderr
    );
    assert!(
        r.stderr.contains(&format!("{name}:{location}")),
        "{name}: {}",
        r.stderr
    );
    assert!(!r.stderr.contains("panicked"), "{name}: {}", r.stderr);
    r.stderr
}

#[test]
fn bad_input_invalid_utf8() {
    let stderr = bad_input(
        "latin1.json",
        b"{\"Version\": \"2012-10-17\", \"Id\": \"caf\xe9\"}",
        "1:37",
    );
    assert!(stderr.contains("P002"));
}

#[test]
fn bad_input_truncated() {
    let text = std::fs::read(repo().join("examples/bucket-policy-tls-only.json")).expect("example");
    let half = text.get(..text.len() / 2).expect("half");
    let stderr = bad_input("truncated.json", half, "");
    assert!(stderr.contains("P102"), "{stderr}");
}

#[test]
fn bad_input_100_mb() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("huge.json");
    let file = std::fs::File::create(&path).expect("create");
    file.set_len(100 * 1024 * 1024).expect("sparse 100 MB file");
    let r = run(warden(dir.path()).args(["parse", "huge.json"]));
    assert_eq!(r.code, 2);
    r.assert_stderr_contains("P003");
    r.assert_stderr_contains("huge.json:1:1");
}

#[test]
fn bad_input_deep_nesting() {
    let stderr = bad_input("deep.json", "[".repeat(100_000).as_bytes(), "1:129");
    assert!(stderr.contains("P106"));
}

#[test]
fn bad_input_400_digit_number_at_the_top() {
    let stderr = bad_input("number.json", "9".repeat(400).as_bytes(), "1:1");
    assert!(stderr.contains("P201"));
}

#[test]
fn a_400_digit_condition_value_is_kept_exactly() {
    let digits = "1".repeat(400);
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("p.json"),
        format!(r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*", "Condition": {{"NumericLessThan": {{"s3:max-keys": {digits}}}}}}}]}}"#),
    )
    .expect("write");
    let r = run(warden(dir.path()).args(["parse", "--json", "p.json"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains(&format!("\"raw\":\"{digits}\"")));
    let r = run(warden(dir.path()).args(["fmt", "p.json"]));
    assert!(r.stdout.contains(&format!("\"s3:max-keys\": {digits}")));
}

#[test]
fn bad_input_empty_file() {
    let stderr = bad_input("empty.json", b"", "1:1");
    assert!(stderr.contains("P108"));
}

#[test]
fn bad_input_array_at_the_top() {
    let stderr = bad_input("array.json", b"[{\"Effect\": \"Allow\"}]", "1:1");
    assert!(stderr.contains("P201"));
}

#[test]
fn bad_input_missing_file_and_directory() {
    let dir = tempfile::tempdir().expect("tempdir");
    let r = run(warden(dir.path()).args(["parse", "nope.json"]));
    assert_eq!(r.code, 2);
    r.assert_stderr_contains("cannot read `nope.json`");
    let r = run(warden(dir.path()).args(["parse", "."]));
    assert_eq!(r.code, 2);
    r.assert_stderr_contains("is a directory");
}

#[test]
fn usage_errors_exit_2() {
    let r = run(warden(&repo()).args(["parse"]));
    assert_eq!(r.code, 2);
    let r = run(warden(&repo()).args(["frobnicate"]));
    assert_eq!(r.code, 2);
    let r = run(warden(&repo()).args(["--help"]));
    assert_eq!(r.code, 0);
}

#[test]
fn stdin_is_read_with_dash() {
    let r = run(warden(&repo())
        .args(["parse", "-"])
        .write_stdin("{\"Statement\": []"));
    assert_eq!(r.code, 2);
    r.assert_stderr_contains("<stdin>:1:17");
}

#[test]
fn version_names_the_catalog_date() {
    let r = run(warden(&repo()).arg("--version"));
    assert_eq!(r.code, 0);
    r.assert_stdout_contains("AWS service reference 20");
}

#[test]
fn actions_lists_describes_and_suggests() {
    let r = run(warden(&repo()).args(["actions", "s3:GetObject"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.starts_with("s3:GetObject"), "{}", r.stdout);
    let r = run(warden(&repo()).args(["actions", "--format", "json", "iam:PassRole"]));
    assert_eq!(r.code, 0);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("JSON");
    assert!(v.to_string().contains("PassRole"), "{v}");
    let r = run(warden(&repo()).args(["actions", "--describe", "s3:GetObject"]));
    assert_eq!(r.code, 0);
    assert!(
        r.stdout
            .contains("arn:${Partition}:s3:::${BucketName}/${ObjectName}"),
        "{}",
        r.stdout
    );
    let r = run(warden(&repo()).args(["actions", "s3:GetObjekt"]));
    assert_eq!(r.code, 1);
    r.assert_stderr_contains("did you mean `s3:GetObject`");
}

#[test]
fn simulate_decides_and_explains() {
    let allow = run(warden(&repo()).args([
        "simulate",
        "--policy",
        "examples/s3-read-own-prefix.json",
        "--principal",
        "arn:aws:iam::111122223333:user/alice",
        "--action",
        "s3:GetObject",
        "--resource",
        "arn:aws:s3:::example-team-data/home/alice/notes.txt",
    ]));
    assert_eq!(
        (allow.code, allow.stdout.as_str()),
        (0, "Allow: allowed by an identity-based policy\n")
    );
    let deny = run(warden(&repo()).args([
        "simulate",
        "--policy",
        "examples/s3-read-own-prefix.json",
        "--principal",
        "arn:aws:iam::111122223333:user/alice",
        "--action",
        "s3:ListBucket",
        "--resource",
        "arn:aws:s3:::example-team-data",
        "--context",
        "s3:prefix=home/bob/",
        "--explain",
    ]));
    assert_eq!(deny.code, 1);
    insta::assert_snapshot!(deny.stdout);
    let scp = run(warden(&repo()).args([
        "simulate",
        "--policy",
        "examples/s3-read-own-prefix.json",
        "--scp",
        "examples/scp-deny-outside-regions.json",
        "--principal",
        "arn:aws:iam::111122223333:user/alice",
        "--action",
        "s3:GetObject",
        "--resource",
        "arn:aws:s3:::example-team-data/home/alice/notes.txt",
        "--context",
        "aws:RequestedRegion=us-east-1",
        "--context",
        "aws:PrincipalArn=arn:aws:iam::111122223333:user/alice",
        "--format",
        "json",
    ]));
    assert_eq!(
        (scp.code, scp.stdout.trim()),
        (1, r#"{"decision":"ExplicitDeny"}"#)
    );
}

#[test]
fn simulate_batch_keeps_order_and_reports_bad_lines() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("table.json"),
        r#"{"read": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:Get*", "Resource": "*"}]}}"#,
    )
    .expect("write");
    let lines = [
        r#"{"id": "a", "principal": "arn:aws:iam::111122223333:user/u", "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k", "identity_policies": ["read"]}"#,
        r#"{"id": "b", "principal": "arn:aws:iam::111122223333:user/u", "action": "s3:PutObject", "resource": "arn:aws:s3:::b/k", "identity_policies": ["read"]}"#,
        r#"{"id": "c", "principal": "arn:aws:iam::111122223333:user/u", "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k", "identity_policies": [{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*"}]}]}"#,
        r#"{"id": "d", "principal": "arn:aws:iam::111122223333:user/u"}"#,
        "not json",
        r#"{"id": 5, "principal": "arn:aws:iam::111122223333:user/u", "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k", "identity_policies": ["missing"]}"#,
        "",
        r#"{"id": "f", "principal": "arn:aws:iam::111122223333:user/u", "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k", "context": {"aws:TagKeys": ["a", "b"], "aws:MultiFactorAuthAge": 30}, "identity_policies": ["read"]}"#,
    ];
    std::fs::write(dir.path().join("requests.jsonl"), lines.join("\n")).expect("write");
    let r = run(warden(dir.path()).args([
        "simulate",
        "--batch",
        "requests.jsonl",
        "--policy-table",
        "table.json",
    ]));
    assert_eq!(r.code, 2, "{}", r.stderr);
    insta::assert_snapshot!(r.stdout);
    let explained = run(warden(dir.path())
        .args([
            "simulate",
            "--batch",
            "-",
            "--policy-table",
            "table.json",
            "--explain",
        ])
        .write_stdin(lines[1]));
    assert_eq!(explained.code, 0);
    let v: serde_json::Value = serde_json::from_str(explained.stdout.trim()).expect("JSON");
    assert_eq!(
        v["explanation"]["reason"],
        "no identity-based policy allows the action"
    );
    assert_eq!(
        v["explanation"]["policies"][0]["statements"][0]["mismatch"],
        "the action is not covered"
    );
}

const TYPO_POLICY: &str = r#"{
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Action": ["s3:GetObjects", "s3:GetObject", "s3:Get*"],
            "Resource": "arn:aws:s3:::bucket/*"
        }
    ]
}
"#;

fn lint_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join("policies")).expect("mkdir");
    std::fs::write(dir.path().join("policies/typo.json"), TYPO_POLICY).expect("write");
    dir
}

#[test]
fn lint_reports_findings_and_fails_on_errors() {
    let dir = lint_dir();
    let r = run(warden(dir.path()).args(["lint", "--select", "E102,H401", "policies"]));
    assert_eq!(r.code, 1, "{}", r.stderr);
    insta::assert_snapshot!(r.stdout);
    // Suggestions alone do not fail the run.
    let r = run(warden(dir.path()).args(["lint", "--select", "H401", "policies/typo.json"]));
    assert_eq!(r.code, 0, "{}", r.stdout);
    let r = run(warden(dir.path()).args([
        "lint",
        "--select",
        "H401",
        "--fail-severity",
        "suggestion",
        "policies",
    ]));
    assert_eq!(r.code, 1);
    let r = run(warden(dir.path()).args([
        "lint",
        "--select",
        "E102,H401",
        "--min-severity",
        "error",
        "policies",
    ]));
    assert!(!r.stdout.contains("H401"), "{}", r.stdout);
}

#[test]
fn lint_machine_formats() {
    let dir = lint_dir();
    let json =
        run(warden(dir.path()).args(["lint", "--select", "E102", "--format", "json", "policies"]));
    let v: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    let f = &v["findings"][0];
    assert_eq!(
        (
            f["code"].as_str(),
            f["name"].as_str(),
            f["severity"].as_str()
        ),
        (Some("E102"), Some("unknown-action"), Some("error"))
    );
    assert_eq!(
        (
            f["line"].as_u64(),
            f["column"].as_u64(),
            f["end_column"].as_u64()
        ),
        (Some(6), Some(24), Some(39))
    );
    assert_eq!(v["summary"]["findings"], 1);

    let sarif =
        run(warden(dir.path()).args(["lint", "--select", "E102", "--format", "sarif", "policies"]));
    let v: serde_json::Value = serde_json::from_str(&sarif.stdout).expect("SARIF");
    assert_eq!(v["version"], "2.1.0");
    let result = &v["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "E102");
    assert_eq!(result["level"], "error");
    let rule = &v["runs"][0]["tool"]["driver"]["rules"]
        [result["ruleIndex"].as_u64().expect("index") as usize];
    assert_eq!(rule["id"], "E102");
    assert_eq!(
        result["locations"][0]["physicalLocation"]["region"]["startLine"],
        6
    );

    let gh = run(
        warden(dir.path()).args(["lint", "--select", "E102", "--format", "github", "policies"])
    );
    assert!(
        gh.stdout.starts_with("::error file=policies/typo.json,line=6,col=24,endLine=6,endColumn=39,title=E102 error::"),
        "{}",
        gh.stdout
    );
}

#[test]
fn lint_reads_warden_toml_and_explains_rules() {
    let dir = lint_dir();
    std::fs::write(
        dir.path().join("warden.toml"),
        "[lint]\nselect = [\"E102\", \"H401\"]\nignore = [\"unknown-action\"]\n",
    )
    .expect("write");
    let r = run(warden(dir.path()).args(["lint", "policies"]));
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(
        !r.stdout.contains("E102") && r.stdout.contains("H401"),
        "{}",
        r.stdout
    );
    std::fs::write(dir.path().join("warden.toml"), "[lint]\nselct = []\n").expect("write");
    let r = run(warden(dir.path()).args(["lint", "policies"]));
    assert_eq!(r.code, 2, "{}", r.stderr);
    r.assert_stderr_contains("selct");

    let r = run(warden(&repo()).args(["lint", "--explain", "E102"]));
    assert_eq!(r.code, 0);
    r.assert_stdout_contains("## Why is this bad?");
    let r = run(warden(&repo()).args(["lint", "--explain", "Z999"]));
    assert_eq!(r.code, 2);
    let r = run(warden(&repo()).args(["lint", "no/such/path.json"]));
    assert_eq!(r.code, 2);
}

#[test]
fn simulate_batch_refuses_an_overlong_line_and_goes_on() {
    let big = format!(
        "{{\"id\":\"big\",\"principal\":\"{}\"}}\n",
        "a".repeat(17 << 20)
    );
    let ok = r#"{"id":"ok","principal":"arn:aws:iam::111122223333:user/u","action":"s3:GetObject","resource":"*"}"#;
    let r = run(warden(&repo())
        .args(["simulate", "--batch", "-"])
        .write_stdin(format!("{big}{ok}\n")));
    assert_eq!(r.code, 2);
    assert_eq!(
        r.stdout,
        "{\"id\":null,\"error\":\"line 1: the request is longer than 16 MiB\"}\n{\"id\":\"ok\",\"decision\":\"ImplicitDeny\"}\n"
    );
}

/// `--format text` (simulate's old name for `human`) keeps working.
#[test]
fn simulate_format_text_is_human() {
    let args = |format: &str| {
        run(warden(&repo()).args([
            "simulate",
            "--policy",
            "examples/s3-read-own-prefix.json",
            "--principal",
            "arn:aws:iam::111122223333:user/alice",
            "--action",
            "s3:GetObject",
            "--resource",
            "arn:aws:s3:::example-team-data/home/alice/notes.txt",
            "--format",
            format,
        ]))
    };
    let (text, human) = (args("text"), args("human"));
    assert_eq!((text.code, human.code), (0, 0), "{}", text.stderr);
    assert_eq!(text.stdout, human.stdout);
    assert_eq!(text.stdout, "Allow: allowed by an identity-based policy\n");
}

/// `warden actions` reports its problems as diagnostics, in the format
/// `--error-format` asks for.
#[test]
fn actions_errors_follow_the_error_format() {
    let r = run(warden(&repo()).args(["--error-format", "json", "actions", "s3:GetObjekt"]));
    assert_eq!(r.code, 1);
    let line: serde_json::Value =
        serde_json::from_str(r.stderr.lines().next().expect("a line")).expect("JSON");
    assert_eq!(line["code"], "A001");
    assert_eq!(line["message"], "unknown action `s3:GetObjekt`");
    assert_eq!(line["help"], "did you mean `s3:GetObject`?");
}

/// Each finding names its IAM Access Analyzer check: `aa_issue_code` in
/// JSON, `properties.aaIssueCode` in SARIF (and the rule descriptor lists
/// the rule's checks), the specific one where a rule covers several.
#[test]
fn lint_findings_carry_the_access_analyzer_issue_code() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("p.json"),
        r#"{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": "iam:PassRole", "NotResource": "arn:aws:iam::111122223333:role/admin"},
    {"Effect": "Allow", "Action": "ec2:StopInstances", "Resource": "*",
     "Condition": {"StringLike": {"aws:ResourceTag/team": "*"}}}
  ]
}
"#,
    )
    .expect("write");
    let json = run(warden(dir.path()).args([
        "lint",
        "--select",
        "S201,H420",
        "--format",
        "json",
        "p.json",
    ]));
    let v: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    let codes: Vec<(&str, &str)> = v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap_or_default(),
                f["aa_issue_code"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        codes,
        [
            ("S201", "PASS_ROLE_WITH_NOTRESOURCE"),
            ("H420", "EQUIVALENT_TO_NULL_FALSE")
        ],
        "{}",
        json.stdout
    );

    let sarif = run(warden(dir.path()).args([
        "lint",
        "--select",
        "S201,H420",
        "--format",
        "sarif",
        "p.json",
    ]));
    let v: serde_json::Value = serde_json::from_str(&sarif.stdout).expect("SARIF");
    let result = &v["runs"][0]["results"][0];
    assert_eq!(
        result["properties"]["aaIssueCode"],
        "PASS_ROLE_WITH_NOTRESOURCE"
    );
    let rule = &v["runs"][0]["tool"]["driver"]["rules"]
        [result["ruleIndex"].as_u64().expect("index") as usize];
    assert!(
        rule["properties"]["aaIssueCodes"]
            .as_array()
            .expect("codes")
            .contains(&serde_json::json!("PASS_ROLE_WITH_NOTRESOURCE"))
    );

    // Parser diagnostics carry the check too, where they stand for one.
    std::fs::write(
        dir.path().join("p.json"),
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Permit", "Action": "s3:GetObject", "Resource": "*"}]}"#,
    )
    .expect("write");
    let json = run(warden(dir.path()).args(["lint", "--format", "json", "p.json"]));
    let v: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    let p207 = v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["code"] == "P207")
        .expect("P207");
    assert_eq!(p207["aa_issue_code"], "INVALID_EFFECT");
}
