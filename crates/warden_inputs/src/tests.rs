//! Tests of input extraction over whole files: the fixtures under
//! `testdata/lint-inputs/` and small inline cases.

use std::path::PathBuf;

use warden_diagnostics::Diagnostic;
use warden_policy::json::JsonKind;
use warden_policy::parse::codes as pcodes;
use warden_policy::parse_policy_value;
use warden_text::{LineCol, LineIndex};

use super::*;

fn fixture(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata/lint-inputs")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn line_col(text: &str, offset: usize) -> LineCol {
    LineIndex::new(text).line_col(text, offset as u32)
}

fn find<'e, 'a>(e: &'e Extraction<'a>, location: &str) -> &'e FoundPolicy<'a> {
    e.policies
        .iter()
        .find(|p| p.location == location)
        .unwrap_or_else(|| {
            let all: Vec<_> = e.policies.iter().map(|p| &p.location).collect();
            panic!("no policy at {location}; found {all:?}")
        })
}

/// Parses the policy at `location` and checks that the malformed action
/// `bad` is reported exactly where `written` (its source form) is in the
/// file, and that the policy has no other error.
fn assert_bad_action_at(text: &str, e: &Extraction<'_>, location: &str, bad: &str, written: &str) {
    let p = find(e, location);
    let out = parse_policy_value(&p.value);
    let errors: Vec<&Diagnostic> = out
        .diagnostics
        .iter()
        .filter(|d| d.is_error() && !p.is_opaque(d.primary_span()))
        .collect();
    assert_eq!(
        errors.len(),
        1,
        "{location}: expected exactly one error, got {:#?}",
        out.diagnostics
    );
    let d = errors[0];
    assert_eq!(d.code, pcodes::INVALID_ACTION, "{location}: {d:?}");
    assert!(d.message.contains(bad), "{location}: {}", d.message);
    assert_eq!(
        text.matches(written).count(),
        1,
        "fixture must hold `{written}` once"
    );
    let expected = text.find(written).unwrap();
    let span = d.primary_span();
    assert_eq!(
        line_col(text, span.start as usize),
        line_col(text, expected),
        "{location}: `{bad}` reported at the wrong place"
    );
    assert_eq!(
        &text[span.range()],
        written,
        "{location}: span covers the wrong text"
    );
}

fn types(e: &Extraction<'_>) -> Vec<(String, Option<PolicyType>)> {
    e.policies
        .iter()
        .map(|p| (p.location.clone(), p.policy_type))
        .collect()
}

#[test]
fn cloudformation_json_template() {
    let text = fixture("cfn-template.json");
    let e = extract_all("cfn-template.json", &text).unwrap();
    assert_eq!(e.kind, InputKind::CloudFormation);
    assert_eq!(
        types(&e),
        vec![
            (
                "Resources.AppRole.Properties.AssumeRolePolicyDocument".to_string(),
                Some(PolicyType::Trust)
            ),
            (
                "Resources.AppRole.Properties.Policies[0].PolicyDocument".to_string(),
                Some(PolicyType::Identity)
            ),
            (
                "Resources.AppPolicy.Properties.PolicyDocument".to_string(),
                Some(PolicyType::Identity)
            ),
            (
                "Resources.QueuePolicy.Properties.PolicyDocument".to_string(),
                Some(PolicyType::Resource)
            ),
            // A Lambda permission, as the statement it grants.
            (
                "Resources.Permission.Properties".to_string(),
                Some(PolicyType::Resource)
            ),
            (
                "Resources.Scp.Properties.Content".to_string(),
                Some(PolicyType::Scp)
            ),
        ]
    );
    assert!(e.skipped.is_empty(), "{:?}", e.skipped);
    let loc = |s: &str| format!("Resources.{s}");
    assert_bad_action_at(
        &text,
        &e,
        &loc("AppRole.Properties.AssumeRolePolicyDocument"),
        "badTrustAction",
        "\"badTrustAction\"",
    );
    assert_bad_action_at(
        &text,
        &e,
        &loc("AppRole.Properties.Policies[0].PolicyDocument"),
        "badInlineAction",
        "\"badInlineAction\"",
    );
    assert_bad_action_at(
        &text,
        &e,
        &loc("AppPolicy.Properties.PolicyDocument"),
        "badManagedAction",
        "\"badManagedAction\"",
    );
    // Inside an escaped JSON string: the span covers the escaped quotes.
    assert_bad_action_at(
        &text,
        &e,
        &loc("QueuePolicy.Properties.PolicyDocument"),
        "badQueueAction",
        r#"\"badQueueAction\""#,
    );
    assert_bad_action_at(
        &text,
        &e,
        &loc("Scp.Properties.Content"),
        "badScpAction",
        "\"badScpAction\"",
    );

    // Intrinsics: `Fn::Join` with a `Ref` part, `Fn::Sub` kept as its
    // template, the conditional statement skipped with a note.
    let inline = find(&e, &loc("AppRole.Properties.Policies[0].PolicyDocument"));
    let policy = parse_policy_value(&inline.value).policy.unwrap();
    let resource = &policy.statements()[0].resource.as_ref().unwrap().items[0];
    assert_eq!(resource.raw, "arn:aws:s3:::${BucketName}/*");
    let join_at = text.find("{ \"Fn::Join\"").unwrap();
    assert_eq!(resource.span.start as usize, join_at);
    assert_eq!(inline.notes.len(), 1);
    let lc = line_col(&text, join_at);
    assert_eq!(
        inline.notes[0].1,
        format!(
            "`Fn::Join` at {}:{} is kept as the opaque string `arn:aws:s3:::${{BucketName}}/*`",
            lc.line, lc.col
        )
    );
    let managed = find(&e, &loc("AppPolicy.Properties.PolicyDocument"));
    let policy = parse_policy_value(&managed.value).policy.unwrap();
    // The conditional statement is linted: `Fn::If` with `AWS::NoValue` on
    // one side deploys the other or nothing.
    assert_eq!(policy.statements().len(), 2);
    let resource = &policy.statements()[0].resource.as_ref().unwrap().items[0];
    assert_eq!(resource.raw, "arn:aws:s3:::${BucketName}/*");
    assert_eq!(
        &text[resource.span.range()],
        "\"arn:aws:s3:::${BucketName}/*\""
    );
    assert_eq!(managed.notes.len(), 2, "{:#?}", managed.notes);
    assert!(
        managed.notes[1]
            .1
            .contains("is linted with its first branch; the second is `AWS::NoValue`"),
        "{}",
        managed.notes[1].1
    );
    // One real branch: no `@else` reading.
    assert!(!e.policies.iter().any(|p| p.name.part.ends_with("@else")));
    // The escaped string maps exactly: no note.
    assert!(
        find(&e, &loc("QueuePolicy.Properties.PolicyDocument"))
            .notes
            .is_empty()
    );
}

#[test]
fn cloudformation_yaml_template() {
    let text = fixture("cfn-template.yaml");
    let e = extract_all("cfn-template.yaml", &text).unwrap();
    assert_eq!(e.kind, InputKind::CloudFormation);
    assert_eq!(
        types(&e),
        vec![
            (
                "Resources.BucketPolicy.Properties.PolicyDocument".to_string(),
                Some(PolicyType::Resource)
            ),
            (
                "Resources.Key.Properties.KeyPolicy".to_string(),
                Some(PolicyType::Resource)
            ),
            (
                "Resources.Worker.Properties.AssumeRolePolicyDocument".to_string(),
                Some(PolicyType::Trust)
            ),
            (
                "Resources.Worker.Properties.Policies[0].PolicyDocument".to_string(),
                Some(PolicyType::Identity)
            ),
            (
                "Resources.Rcp.Properties.Content".to_string(),
                Some(PolicyType::Rcp)
            ),
        ]
    );
    let skipped: Vec<&str> = e.skipped.iter().map(|s| s.location.as_str()).collect();
    assert_eq!(
        skipped,
        vec![
            "Resources.Worker.Properties.Policies[1]",
            "Resources.Skipped.Properties.PolicyDocument",
            // `Fn::If` between two documents: each branch is a document.
            "Resources.Skipped.Properties.PolicyDocument (every `Fn::If` on its second branch)"
        ]
    );
    assert!(
        e.skipped[1]
            .reason
            .starts_with("the document is given by `Ref` at "),
        "{}",
        e.skipped[1].reason
    );

    let loc = |s: &str| format!("Resources.{s}");
    assert_bad_action_at(
        &text,
        &e,
        &loc("BucketPolicy.Properties.PolicyDocument"),
        "badBucketAction",
        "badBucketAction",
    );
    // A `|` block of JSON text: mapped line by line past the indentation.
    assert_bad_action_at(
        &text,
        &e,
        &loc("Key.Properties.KeyPolicy"),
        "badKeyAction",
        "\"badKeyAction\"",
    );
    assert_bad_action_at(
        &text,
        &e,
        &loc("Worker.Properties.AssumeRolePolicyDocument"),
        "badTrustAction",
        "'badTrustAction'",
    );
    assert_bad_action_at(
        &text,
        &e,
        &loc("Worker.Properties.Policies[0].PolicyDocument"),
        "badWorkerAction",
        "\"badWorkerAction\"",
    );
    // `!Sub |` of JSON text: read as its template.
    assert_bad_action_at(
        &text,
        &e,
        &loc("Rcp.Properties.Content"),
        "badRcpAction",
        "\"badRcpAction\"",
    );

    let bucket = find(&e, &loc("BucketPolicy.Properties.PolicyDocument"));
    let policy = parse_policy_value(&bucket.value).policy.unwrap();
    // The `!If` statement between a statement and `AWS::NoValue` is linted.
    assert_eq!(policy.statements().len(), 2);
    let st = &policy.statements()[0];
    assert_eq!(
        st.resource.as_ref().unwrap().items[0].raw,
        "${Bucket.Arn}/*"
    );
    let notes: Vec<&str> = bucket.notes.iter().map(|(_, n)| n.as_str()).collect();
    assert_eq!(notes.len(), 4, "{notes:#?}");
    assert!(notes[0].starts_with("`Fn::Sub` at "));
    assert!(
        notes[0].ends_with("is kept as the opaque string `arn:aws:iam::${AWS::AccountId}:root`")
    );
    // The `!GetAtt` inside `!Join` is part of the join's placeholder.
    assert!(notes[1].starts_with("`Fn::Join` at "));
    assert!(notes[1].ends_with("is kept as the opaque string `${Bucket.Arn}/*`"));
    assert!(notes[2].starts_with("`Fn::If` at "));
    assert!(notes[2].ends_with("is linted with its first branch; the second is `AWS::NoValue`"));
    assert!(notes[3].starts_with("`Fn::Sub` at "));
    // The placeholder is opaque: "not an ARN" about it is not a finding.
    let resource = &st.resource.as_ref().unwrap().items[0];
    assert!(bucket.is_opaque(resource.span));
    // Each note points at its intrinsic: the tag in the YAML text.
    let sub_at = text.find("!Sub \"arn:aws:iam").unwrap();
    assert_eq!(bucket.notes[0].0.start as usize, sub_at);
    let lc = line_col(&text, sub_at);
    assert!(notes[0].contains(&format!(" at {}:{} ", lc.line, lc.col)));

    let rcp = find(&e, &loc("Rcp.Properties.Content"));
    assert_eq!(rcp.notes.len(), 1);
    assert!(rcp.notes[0].1.starts_with("`Fn::Sub` at "));
    // Its `${BucketName}` is a reference: the resource is opaque.
    let policy = parse_policy_value(&rcp.value).policy.unwrap();
    let resource = &policy.statements()[0].resource.as_ref().unwrap().items[0];
    assert_eq!(resource.raw, "arn:aws:s3:::${BucketName}/*");
    assert!(rcp.is_opaque(resource.span));
    let action = &policy.statements()[0].action.as_ref().unwrap().items[0];
    assert!(!rcp.is_opaque(action.span));
}

#[test]
fn terraform_plan_with_nested_modules() {
    let text = fixture("tf-plan.json");
    let e = extract_all("tf-plan.json", &text).unwrap();
    assert_eq!(e.kind, InputKind::TerraformPlan);
    assert_eq!(
        types(&e),
        vec![
            ("aws_iam_policy.app".to_string(), Some(PolicyType::Identity)),
            (
                "aws_iam_role.app.assume_role_policy".to_string(),
                Some(PolicyType::Trust)
            ),
            (
                "aws_iam_role.app.inline_policy[0]".to_string(),
                Some(PolicyType::Identity)
            ),
            (
                "module.storage.aws_s3_bucket_policy.b".to_string(),
                Some(PolicyType::Resource)
            ),
            (
                "module.storage.module.org.aws_organizations_policy.scp".to_string(),
                Some(PolicyType::Scp)
            ),
        ]
    );
    let skipped: Vec<(&str, &str)> = e
        .skipped
        .iter()
        .map(|s| (s.location.as_str(), s.reason.as_str()))
        .collect();
    assert_eq!(
        skipped,
        vec![
            ("aws_kms_key.k", "the policy is known only after apply"),
            (
                "module.storage.module.org.aws_organizations_policy.tags",
                "a `TAG_POLICY` is not an IAM policy"
            ),
        ]
    );
    for (location, bad) in [
        ("aws_iam_policy.app", "badTfPolicyAction"),
        ("aws_iam_role.app.assume_role_policy", "badTfTrustAction"),
        ("aws_iam_role.app.inline_policy[0]", "badTfInlineAction"),
        ("module.storage.aws_s3_bucket_policy.b", "badTfBucketAction"),
        (
            "module.storage.module.org.aws_organizations_policy.scp",
            "badTfScpAction",
        ),
    ] {
        assert_bad_action_at(&text, &e, location, bad, &format!(r#"\"{bad}\""#));
        assert!(find(&e, location).notes.is_empty());
    }
    // Escapes inside the policy text (`\\u0026`, after a raw `é`) unescape.
    let p = find(&e, "aws_iam_policy.app");
    let policy = parse_policy_value(&p.value).policy.unwrap();
    let sid = policy.statements()[0].sid.as_ref().unwrap();
    assert_eq!(sid.value, "ReadBé&W");
    assert_eq!(&text[sid.span.range()], r#"\"ReadBé\\u0026W\""#);
}

#[test]
fn plain_policies_json_and_yaml() {
    let text = r#"{"Version": "2012-10-17", "Statement": []}"#;
    let (kind, found) = extract("p.json", text).unwrap();
    assert_eq!(kind, InputKind::Policy);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].policy_type, None);
    assert_eq!(found[0].location, "");
    assert_eq!(found[0].value.span.end as usize, text.len());
    // No extension: sniffed.
    let (kind, _) = extract("policy", text).unwrap();
    assert_eq!(kind, InputKind::Policy);

    let yaml = "Version: '2012-10-17'\nStatement:\n  - Effect: Allow\n    Action: s3Get\n    Resource: '*'\n";
    let (kind, found) = extract("p.yml", yaml).unwrap();
    assert_eq!(kind, InputKind::Policy);
    let out = parse_policy_value(&found[0].value);
    let d = out.diagnostics.iter().find(|d| d.is_error()).unwrap();
    assert_eq!(&yaml[d.primary_span().range()], "s3Get");
    // Sniffed as YAML without an extension.
    assert_eq!(extract("policy", yaml).unwrap().0, InputKind::Policy);
}

#[test]
fn syntax_errors_are_one_diagnostic() {
    let d = extract("t.json", "{\"Resources\": ").unwrap_err();
    assert_eq!(d.code, warden_policy::json::codes::TRUNCATED);
    let text = "Resources:\n  A: [1, 2\n";
    let d = extract("t.yaml", text).unwrap_err();
    assert_eq!(d.code, codes::YAML_SYNTAX);
    assert!((d.primary_span().start as usize) <= text.len());
}

#[test]
fn embedded_string_that_is_not_json() {
    let text = r#"{"format_version": "1.2", "terraform_version": "1.9.0",
      "planned_values": {"root_module": {"resources": [
        {"address": "aws_iam_policy.x", "mode": "managed", "type": "aws_iam_policy",
         "values": {"policy": "{\"Version\": tru}"}}]}}}"#;
    let e = extract_all("plan.json", text).unwrap();
    let p = &e.policies[0];
    assert!(matches!(p.value.kind, JsonKind::String(_)));
    assert_eq!(p.notes.len(), 1);
    assert!(p.notes[0].1.contains("not valid JSON"));
    assert_eq!(&text[p.notes[0].0.range()], "tru");
    // The policy parser then says the policy is not an object.
    let out = parse_policy_value(&p.value);
    assert!(out.has_errors());
}

#[test]
fn cloudformation_detection_and_odd_shapes() {
    // `Resources` with an AWS type and no format version.
    let text = r#"{"Resources": {"P": {"Type": "AWS::IAM::Policy", "Properties": {
        "PolicyDocument": {"Version": "2012-10-17", "Statement": {"Effect": "Allow",
          "Action": {"Fn::Split": [",", {"Ref": "Actions"}]}, "Resource": "*"}}}}}}"#;
    let e = extract_all("t.json", text).unwrap();
    assert_eq!(e.kind, InputKind::CloudFormation);
    // The list intrinsic drops its statement, and with no list above it,
    // the whole document.
    assert!(e.policies.is_empty());
    assert_eq!(e.skipped.len(), 1);
    assert!(
        e.skipped[0]
            .reason
            .starts_with("`Fn::Split` at 3:21 produces a value that is not a string")
    );
    // Properties given by an intrinsic; a non-IAM Organizations policy;
    // an unknown resource type; a Lambda permission.
    let text = "Resources:\n  A:\n    Type: AWS::IAM::Role\n    Properties: !If [C, {}, {}]\n  B:\n    Type: AWS::Organizations::Policy\n    Properties:\n      Type: TAG_POLICY\n      Content: {}\n  C:\n    Type: AWS::Lambda::Permission\n    Properties: {Action: 'lambda:InvokeFunction'}\n";
    let e = extract_all("t.yaml", text).unwrap();
    assert!(e.policies.is_empty());
    let reasons: Vec<&str> = e.skipped.iter().map(|s| s.reason.as_str()).collect();
    assert_eq!(reasons.len(), 3, "{reasons:?}");
    assert!(reasons[0].starts_with("the properties are given by `Fn::If` at 4:17"));
    assert_eq!(reasons[1], "a `TAG_POLICY` is not an IAM policy");
    assert_eq!(
        reasons[2],
        "the permission at 12:17 has no `Principal` or no `Action`"
    );
}

#[test]
fn hostile_inputs_do_not_panic() {
    for (name, text) in [
        (
            "a.json",
            "{\"AWSTemplateFormatVersion\": 1, \"Resources\": []}",
        ),
        (
            "a.json",
            "{\"AWSTemplateFormatVersion\": 1, \"Resources\": {\"X\": 1}}",
        ),
        (
            "a.json",
            "{\"Resources\": {\"X\": {\"Type\": \"AWS::IAM::Role\", \"Properties\": {\"Policies\": 3, \"AssumeRolePolicyDocument\": 5}}}}",
        ),
        (
            "a.json",
            "{\"format_version\": 1, \"terraform_version\": 1, \"planned_values\": {\"root_module\": {\"resources\": [1, {\"type\": \"aws_iam_role\", \"values\": {\"inline_policy\": [{\"policy\": 1}]}}], \"child_modules\": 7}}}",
        ),
        ("a.yaml", "AWSTemplateFormatVersion: x\nResources: !Ref X\n"),
        ("a.yaml", "- !Sub\n- !If\n- &a !Join [*a]\n"),
        ("a.yaml", "\u{feff}Version: 1\n"),
        ("a.yaml", "{a: !Sub [1, {b: !Ref}]}"),
    ] {
        let _ = extract_all(name, text);
    }
}

/// `docs/inputs.md` is generated from the holder table;
/// `WARDEN_UPDATE_DOCS=1` rewrites it.
#[test]
fn docs_page_is_fresh() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/inputs.md");
    let want = holders::markdown();
    if std::env::var_os("WARDEN_UPDATE_DOCS").is_some() {
        std::fs::write(&path, &want).unwrap();
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "docs/inputs.md is stale: run `WARDEN_UPDATE_DOCS=1 cargo test -p warden_inputs docs_page_is_fresh`"
    );
}
