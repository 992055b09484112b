//! End-to-end tests of `warden simulate`: requests AWS could never send are
//! refused with a diagnostic (one request) or an error line (a batch), an
//! action the catalog does not know is decided with a warning, and a batch
//! decided on several threads writes exactly what one thread writes.
#![allow(
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "test helpers: a failure must fail the test loudly"
)]

mod common;

use common::{repo, run, warden};

const POLICY: &str = "examples/s3-read-own-prefix.json";
const USER: &str = "arn:aws:iam::111122223333:user/alice";
const OBJECT: &str = "arn:aws:s3:::example-team-data/home/alice/notes.txt";

fn simulate(principal: &str, action: &str, resource: &str) -> common::Run {
    run(warden(&repo()).args([
        "simulate",
        "--policy",
        POLICY,
        "--principal",
        principal,
        "--action",
        action,
        "--resource",
        resource,
    ]))
}

#[test]
fn a_request_aws_could_never_send_is_refused() {
    let cases = [
        ("principal_not_an_arn", "alice", "s3:GetObject", OBJECT),
        ("action_without_prefix", USER, "GetObject", OBJECT),
        ("action_with_wildcard", USER, "s3:Get*", OBJECT),
        (
            "resource_not_an_arn",
            USER,
            "s3:GetObject",
            "example-team-data",
        ),
        (
            "principal_without_account",
            "arn:aws:iam::alice:user/alice",
            "s3:GetObject",
            OBJECT,
        ),
    ];
    for (name, principal, action, resource) in cases {
        let r = simulate(principal, action, resource);
        assert_eq!((r.code, r.stdout.as_str()), (2, ""), "{name}: {}", r.stderr);
        insta::assert_snapshot!(name, r.stderr);
    }
}

#[test]
fn an_unknown_action_is_decided_with_a_warning() {
    // `s3:GetObjekt` would be allowed by `s3:Get*`-style grants; here the
    // policy names `s3:GetObject` only, so the request is denied, and the
    // warning says what was probably meant.
    let r = simulate(USER, "s3:GetObjekt", OBJECT);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(
        r.stdout,
        "ImplicitDeny: no identity-based policy allows the action\n"
    );
    insta::assert_snapshot!(r.stderr);
    // A well-formed action of a service the catalog does not know.
    let r = simulate(USER, "newservice:DoThing", "*");
    assert_eq!(r.code, 1, "{}", r.stderr);
    r.assert_stderr_contains("warning");
    r.assert_stderr_contains("no service has the prefix `newservice`");
    // A known action: nothing on stderr.
    let r = simulate(USER, "s3:GetObject", OBJECT);
    assert_eq!((r.code, r.stderr.as_str()), (0, ""));
}

/// Issue 16: a request carries one value of a key the catalog does not
/// type `ArrayOf*` (a resource has one value per tag); several values are
/// decided, with a warning that AWS never sends such a request.
#[test]
fn several_values_of_a_single_valued_key_are_warned_about() {
    let with_context = |context: &str| {
        run(warden(&repo()).args([
            "simulate",
            "--policy",
            POLICY,
            "--principal",
            USER,
            "--action",
            "s3:GetObject",
            "--resource",
            OBJECT,
            "--context",
            context,
        ]))
    };
    let r = with_context(r#"s3:ExistingObjectTag/team=["a","b"]"#);
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.assert_stderr_contains("warning");
    // Context keys are case-insensitive; the request keeps them lowercased.
    r.assert_stderr_contains("`s3:existingobjecttag/team` holds one value in a request AWS sends");
    // A multivalued key takes a set without a word.
    let r = with_context(r#"aws:TagKeys=["a","b"]"#);
    assert_eq!((r.code, r.stderr.as_str()), (0, ""));
}

#[test]
fn batch_lines_aws_could_never_send_are_errors_and_the_run_goes_on() {
    let line = |id: &str, principal: &str, action: &str, resource: &str| {
        format!(
            r#"{{"id": "{id}", "principal": "{principal}", "action": "{action}", "resource": "{resource}", "identity_policies": [{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}}]}}]}}"#
        )
    };
    let input = [
        line("ok", USER, "s3:GetObject", OBJECT),
        line("principal", "alice", "s3:GetObject", OBJECT),
        line("prefix", USER, "GetObject", OBJECT),
        line("typo", USER, "s3:GetObjekt", OBJECT),
        line("wildcard", USER, "s3:*", "*"),
        line("resource", USER, "s3:GetObject", "my-bucket"),
        String::new(),
        "{\"id\": \"bytes\", \"principal\": \"\u{0}\"}".to_string(),
        line("last", USER, "s3:PutObject", OBJECT),
    ]
    .join("\n");
    let r = run(warden(&repo())
        .args(["simulate", "--batch", "-"])
        .write_stdin(input));
    assert_eq!(r.code, 2, "{}", r.stderr);
    insta::assert_snapshot!(r.stdout);
}

/// A batch of requests sampled from real AWS managed policies, several
/// chunks long: every thread count writes the same bytes.
#[test]
fn batch_output_is_the_same_on_one_thread_and_many() {
    let dir = tempfile::tempdir().expect("tempdir");
    let policies = warden_testdata::managed_policies().expect("managed policies");
    let mut table = serde_json::Map::new();
    let mut lines = String::new();
    let mut n = 0;
    for p in policies.iter().take(300) {
        let Some(doc) = p.latest_document() else {
            continue;
        };
        table.insert(
            p.name.clone(),
            serde_json::from_str(doc).expect("policy JSON"),
        );
        for s in warden_testdata::sample_requests(doc, 8) {
            let context: serde_json::Map<String, serde_json::Value> = s
                .context
                .iter()
                .map(|(k, v)| {
                    let value = match v {
                        warden_testdata::SampleValue::Single(s) => serde_json::json!(s),
                        warden_testdata::SampleValue::Multi(m) => serde_json::json!(m),
                    };
                    (k.clone(), value)
                })
                .collect();
            for copy in 0..3 {
                let line = serde_json::json!({
                    "id": n,
                    "principal": s.principal,
                    "action": s.action,
                    "resource": s.resource,
                    "context": context,
                    "identity_policies": [p.name],
                    "service_linked_role": copy == 2,
                });
                lines.push_str(&line.to_string());
                lines.push('\n');
                n += 1;
            }
        }
    }
    assert!(
        lines.len() > 1 << 20,
        "several chunks: {} bytes",
        lines.len()
    );
    std::fs::write(
        dir.path().join("table.json"),
        serde_json::Value::Object(table).to_string(),
    )
    .expect("write");
    std::fs::write(dir.path().join("requests.jsonl"), &lines).expect("write");
    let batch = |threads: Option<&str>| {
        let mut cmd = warden(dir.path());
        cmd.args([
            "simulate",
            "--batch",
            "requests.jsonl",
            "--policy-table",
            "table.json",
        ]);
        if let Some(t) = threads {
            cmd.args(["--threads", t]);
        }
        let r = run(&mut cmd);
        assert!(r.code == 0 || r.code == 2, "{}", r.stderr);
        r.stdout
    };
    let one = batch(Some("1"));
    assert_eq!(one.lines().count(), n);
    assert!(one.contains("\"decision\":\"Allow\""));
    for threads in [Some("3"), None] {
        assert!(batch(threads) == one, "{threads:?} threads: output differs");
    }
}
