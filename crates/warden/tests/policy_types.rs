//! Policy types across the commands: inference on AWS's RCP examples, the
//! type a template states, filters that grant nothing, the meaning of
//! "public", and the prover and evaluator agreeing on policies with
//! principals.
#![allow(clippy::expect_used, clippy::panic, reason = "tests fail loudly")]

use std::path::{Path, PathBuf};

use warden::lint::{LintOptions, lint_source};
use warden::verdict::{DiffOptions, Unknown, Verdict};
use warden::{Policy, PolicyStack, PolicyType, Severity, SourceFile};

fn testdata(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata")
        .join(rel)
}

fn files(rel: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(testdata(rel))
        .expect("testdata folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    out.sort();
    out
}

fn source(path: &Path) -> SourceFile {
    let text = std::fs::read_to_string(path).expect("readable");
    SourceFile::new(path.display().to_string(), text)
}

fn policy(text: &str) -> Policy {
    warden::parse(&SourceFile::new("p.json", text))
        .policy
        .unwrap_or_else(|| panic!("{text}"))
}

fn errors(source: &SourceFile, policy_type: Option<PolicyType>) -> Vec<String> {
    let options = LintOptions {
        policy_type,
        ..LintOptions::default()
    };
    lint_source(source, &options)
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| format!("{}: {}", d.code, d.message))
        .collect()
}

/// AWS's RCP examples (aws-samples/resource-control-policy-examples, MIT-0)
/// deny `sts:AssumeRoleWithWebIdentity` and other `sts:` actions with
/// `"Principal": "*"` on `"Resource": "*"`: not trust policies.
#[test]
fn rcp_examples_are_not_trust_policies() {
    let found = files("policy-types/rcp");
    assert!(found.len() >= 5, "{found:?}");
    for path in found {
        let src = source(&path);
        let p = warden::parse(&src).policy.expect("parses");
        assert_ne!(
            PolicyType::infer(&p),
            PolicyType::Trust,
            "{}",
            path.display()
        );
        assert_eq!(
            errors(&src, None),
            Vec::<String>::new(),
            "{}",
            path.display()
        );
        assert_eq!(
            errors(&src, Some(PolicyType::Rcp)),
            Vec::<String>::new(),
            "{}",
            path.display()
        );
    }
}

const FULL_AWS_ACCESS: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;

/// SCPs, RCPs and endpoint policies filter: rules about over-broad grants
/// do not apply, and AWS's `FullAWSAccess` SCP lints clean.
#[test]
fn filters_are_not_judged_as_grants() {
    let src = SourceFile::new("FullAWSAccess.json", FULL_AWS_ACCESS);
    for t in [PolicyType::Scp, PolicyType::Rcp, PolicyType::Endpoint] {
        let options = LintOptions {
            policy_type: Some(t),
            ..LintOptions::default()
        };
        let codes: Vec<String> = lint_source(&src, &options)
            .diagnostics
            .iter()
            .filter(|d| d.severity <= Severity::Security)
            .map(|d| d.code.to_string())
            .collect();
        let expected: &[&str] = match t {
            // RCPs and endpoint policies name principals.
            PolicyType::Rcp | PolicyType::Endpoint => &["E128"],
            _ => &[],
        };
        assert_eq!(codes, expected, "{t:?}");
    }
    // As an identity policy, the same document is every over-broad grant.
    let identity = lint_source(&src, &LintOptions::default());
    assert!(identity.diagnostics.iter().any(|d| d.code == "S201"));
}

/// `--policy-type` replaces inference for standalone files only: a role's
/// `AssumeRolePolicyDocument` stays a trust policy.
#[test]
fn a_template_states_the_type() {
    let template = r#"{"Resources":{"Role":{"Type":"AWS::IAM::Role","Properties":{
        "AssumeRolePolicyDocument":{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
        "Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}}}}}"#;
    let src = SourceFile::new("template.json", template);
    assert_eq!(
        errors(&src, Some(PolicyType::Identity)),
        Vec::<String>::new()
    );
    // The same document alone, forced to identity: `Principal` is an error.
    let alone = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
        "Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
    let src = SourceFile::new("trust.json", alone);
    assert!(!errors(&src, Some(PolicyType::Identity)).is_empty());
    assert_eq!(errors(&src, None), Vec::<String>::new());
}

const TRUST_OLD: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
const TRUST_NEW: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":["ec2.amazonaws.com","lambda.amazonaws.com"]},"Action":"sts:AssumeRole"}]}"#;

/// The trust policies of issue 16: read as trust policies (inferred), the
/// new service principal is new access; read (wrongly) as identity
/// policies, the answer is still decided, never an unreplayed witness.
#[test]
fn trust_policies_compare() {
    let (old, new) = (
        PolicyStack::single(policy(TRUST_OLD)),
        PolicyStack::single(policy(TRUST_NEW)),
    );
    let side = |stack| warden::policy_types::Side {
        stack,
        stated: None,
    };
    let role = warden::policy_types::for_comparison(side(&old), side(&new), None);
    assert_eq!(role, PolicyType::Trust);
    let options = DiffOptions {
        role,
        ..DiffOptions::default()
    };
    let report = warden::diff::diff(&old, &new, &options).expect("comparable");
    let w = report
        .comparison
        .new_access
        .witness()
        .unwrap_or_else(|| panic!("{:?}", report.comparison));
    assert_eq!(w.request.principal, "lambda.amazonaws.com");
    assert_eq!(report.comparison.removed_access, Verdict::No);
    let identity = warden::diff::diff(&old, &new, &DiffOptions::default()).expect("comparable");
    assert_eq!(identity.comparison.new_access, Verdict::No);
    // access-not-granted on the new trust policy.
    let granted = warden::check::access_not_granted(
        new.identity.first().expect("one"),
        &["sts:AssumeRole".to_string()],
        &[],
        &options,
    )
    .expect("valid");
    assert!(granted.witness().is_some(), "{granted:?}");
}

/// Two different deny-only SCPs are not equivalent: compared as filters
/// stacked on an allow-all, with the reading said.
#[test]
fn deny_only_scps_differ() {
    let a = PolicyStack::single(policy(
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:DeleteBucket","Resource":"*"}]}"#,
    ));
    let b = PolicyStack::single(policy(
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"ec2:TerminateInstances","Resource":"*"}]}"#,
    ));
    let options = DiffOptions {
        role: PolicyType::Scp,
        ..DiffOptions::default()
    };
    let report = warden::diff::diff(&a, &b, &options).expect("comparable");
    assert!(report.comparison.new_access.witness().is_some());
    assert!(report.comparison.removed_access.witness().is_some());
    assert!(report.reading.is_some_and(|r| r.contains("FullAWSAccess")));
    assert!(!report.changes.entries.is_empty());
    let same = warden::diff::diff(&a, &a, &options).expect("comparable");
    assert!(same.comparison.equivalent());
    let check = warden::check::no_new_access(&a, &b, &options).expect("comparable");
    assert!(check.witness().is_some());
}

fn bucket_policy(condition: &str) -> Policy {
    let condition = if condition.is_empty() {
        String::new()
    } else {
        format!(r#","Condition":{condition}"#)
    };
    policy(&format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":"*"}},"Action":"s3:GetObject","Resource":"arn:aws:s3:::amzn-s3-demo-bucket/*"{condition}}}]}}"#
    ))
}

fn public(condition: &str) -> Verdict {
    warden::check::no_public_access(
        &bucket_policy(condition),
        "AWS::S3::Bucket",
        &DiffOptions::default(),
    )
    .expect("known type")
}

/// "Public" as IAM Access Analyzer and S3 ("The meaning of public") define
/// it: each limiting key both ways. A fixed value limits (PASS); the key
/// absent, negated, a wildcard or a `/0` range does not (FAIL).
#[test]
fn each_limiting_key_both_ways() {
    let keys = [
        ("aws:PrincipalAccount", "444455556666"),
        ("aws:SourceAccount", "444455556666"),
        ("s3:DataAccessPointAccount", "444455556666"),
        ("aws:SourceOwner", "444455556666"),
        ("aws:PrincipalOrgID", "o-a1b2c3d4e5"),
        (
            "aws:PrincipalOrgPaths",
            "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/",
        ),
        ("aws:SourceVpc", "vpc-1a2b3c4d"),
        ("aws:SourceVpce", "vpce-1a2b3c4d"),
        ("aws:SourceArn", "arn:aws:sns:us-east-1:444455556666:topic"),
    ];
    assert!(public("").witness().is_some(), "no condition is public");
    for (key, value) in keys {
        let limited = format!(r#"{{"StringEquals":{{"{key}":"{value}"}}}}"#);
        assert_eq!(public(&limited), Verdict::No, "{limited}");
        let negated = format!(r#"{{"StringNotEquals":{{"{key}":"{value}"}}}}"#);
        let v = public(&negated);
        assert!(v.witness().is_some(), "{negated}: {v:?}");
        let any = format!(r#"{{"StringLike":{{"{key}":"*"}}}}"#);
        assert!(public(&any).witness().is_some(), "{any}");
        let if_exists = format!(r#"{{"StringEqualsIfExists":{{"{key}":"{value}"}}}}"#);
        let v = public(&if_exists);
        // Keys AWS always sets from an authenticated caller cannot be
        // absent; the others can.
        if !matches!(key, "aws:PrincipalAccount") {
            assert!(v.witness().is_some(), "{if_exists}: {v:?}");
        }
    }
    for range in [
        "198.51.100.0/24",
        "203.0.113.7/32",
        "10.0.0.0/8",
        "2001:db8::/32",
    ] {
        let limited = format!(r#"{{"IpAddress":{{"aws:SourceIp":"{range}"}}}}"#);
        assert_eq!(public(&limited), Verdict::No, "{limited}");
        let negated = format!(r#"{{"NotIpAddress":{{"aws:SourceIp":"{range}"}}}}"#);
        assert!(public(&negated).witness().is_some(), "{negated}");
    }
    let everyone = r#"{"IpAddress":{"aws:SourceIp":["0.0.0.0/0","::/0"]}}"#;
    assert!(public(everyone).witness().is_some(), "{everyone}");
}

/// The evaluator and the prover must agree: every witness the prover finds
/// on real policies with principals, read as every type, replays. An
/// unreplayed witness (`Unknown::NotReplayed`) fails this test.
#[test]
fn prover_and_evaluator_agree_on_policies_with_principals() {
    let mut policies: Vec<(String, Policy)> = Vec::new();
    for dir in [
        "policy-types/rcp",
        "lint/S220",
        "lint/S206",
        "lint/E130",
        "lint/E128",
    ] {
        for path in files(dir) {
            let src = source(&path);
            if let Some(p) = warden::parse(&src).policy {
                policies.push((path.display().to_string(), p));
            }
        }
    }
    policies.push(("trust_old".into(), policy(TRUST_OLD)));
    policies.push(("trust_new".into(), policy(TRUST_NEW)));
    assert!(policies.len() >= 10);
    let mut pairs = 0;
    for (i, (a_name, a)) in policies.iter().enumerate() {
        for (b_name, b) in policies.iter().skip(i).take(4) {
            for role in PolicyType::ALL {
                let options = DiffOptions {
                    role,
                    deadline: std::time::Instant::now()
                        .checked_add(std::time::Duration::from_secs(5)),
                    ..DiffOptions::default()
                };
                let (old, new) = (
                    PolicyStack::single(a.clone()),
                    PolicyStack::single(b.clone()),
                );
                let report = warden::diff::diff(&old, &new, &options).expect("single");
                for v in [
                    &report.comparison.new_access,
                    &report.comparison.removed_access,
                ] {
                    assert!(
                        !matches!(v, Verdict::Unknown(Unknown::NotReplayed(_))),
                        "{role:?}: {a_name} -> {b_name}: {v:?}"
                    );
                }
                pairs += 1;
            }
        }
    }
    assert!(pairs > 50, "{pairs}");
}

/// A VPC endpoint's policy is an endpoint policy: AWS's default
/// full-access endpoint policy grants nothing by itself, so neither the
/// public-access rule nor the over-broad-grant rules report it.
#[test]
fn an_endpoint_policy_in_a_template_is_a_filter() {
    let template = r#"{"Resources":{"Endpoint":{"Type":"AWS::EC2::VPCEndpoint","Properties":{
        "VpcId":"vpc-1a2b3c4d","ServiceName":"com.amazonaws.us-east-1.s3",
        "PolicyDocument":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}}}}}"#;
    let src = SourceFile::new("template.json", template);
    let report = lint_source(&src, &LintOptions::default());
    let codes: Vec<String> = report
        .diagnostics
        .iter()
        .filter(|d| d.severity <= Severity::Warning)
        .map(|d| d.code.to_string())
        .collect();
    assert_eq!(report.policies, 1);
    assert_eq!(codes, Vec::<String>::new());
}
