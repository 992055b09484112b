//! Names of the policies found in the fixtures, and selection by name.

use std::path::PathBuf;

use super::*;
use crate::extract_all;

fn fixture(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata/lint-inputs")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn names(e: &Extraction<'_>) -> Vec<String> {
    e.policies.iter().map(|p| p.name.to_string()).collect()
}

fn selected(e: &Extraction<'_>, selector: &str) -> Result<String, SelectError> {
    select(e, Some(selector)).map(|p| p.name.to_string())
}

#[test]
fn cloudformation_policies_are_named_by_logical_id_and_property() {
    let text = fixture("cfn-template.yaml");
    let e = extract_all("t.yaml", &text).unwrap();
    assert_eq!(
        names(&e),
        [
            "BucketPolicy/PolicyDocument",
            "Key/KeyPolicy",
            "Worker/AssumeRolePolicyDocument",
            "Worker/Policies/work",
            "Rcp/Content",
        ]
    );
    let skipped: Vec<String> = e.skipped.iter().map(|s| s.name.to_string()).collect();
    assert_eq!(
        skipped,
        [
            "Worker/Policies/1",
            "Skipped/PolicyDocument",
            "Skipped/PolicyDocument@else"
        ]
    );
}

#[test]
fn terraform_policies_are_named_by_address_and_attribute() {
    let text = fixture("tf-plan.json");
    let e = extract_all("plan.json", &text).unwrap();
    let names = names(&e);
    assert!(
        names.contains(&"aws_iam_policy.app/policy".to_string()),
        "{names:?}"
    );
    assert!(names.contains(&"aws_iam_role.app/assume_role_policy".to_string()));
    assert!(names.contains(&"aws_iam_role.app/inline_policy/inline".to_string()));
    assert!(
        names.contains(
            &"module.storage.module.org.aws_organizations_policy.scp/content".to_string()
        )
    );
    assert_eq!(
        selected(&e, "aws_iam_policy.app").unwrap(),
        "aws_iam_policy.app/policy"
    );
    for selector in [
        "aws_iam_role.app/inline_policy/0",
        "aws_iam_role.app/inline_policy/inline",
    ] {
        assert_eq!(
            selected(&e, selector).unwrap(),
            "aws_iam_role.app/inline_policy/inline"
        );
    }
}

#[test]
fn a_resource_with_one_policy_is_selected_by_its_resource_name() {
    let text = fixture("cfn-template.yaml");
    let e = extract_all("t.yaml", &text).unwrap();
    assert_eq!(selected(&e, "Key").unwrap(), "Key/KeyPolicy");
    assert_eq!(selected(&e, "Key/KeyPolicy").unwrap(), "Key/KeyPolicy");
    assert_eq!(
        selected(&e, "Worker/Policies").unwrap(),
        "Worker/Policies/work"
    );
    // An inline policy by its own name, or by its index.
    assert_eq!(
        selected(&e, "Worker/Policies/work").unwrap(),
        "Worker/Policies/work"
    );
    assert_eq!(
        selected(&e, "Worker/Policies/0").unwrap(),
        "Worker/Policies/work"
    );
    assert_eq!(
        selected(&e, "Worker/AssumeRolePolicyDocument").unwrap(),
        "Worker/AssumeRolePolicyDocument"
    );
}

#[test]
fn several_matches_are_an_error_listing_them() {
    let text = fixture("cfn-template.yaml");
    let e = extract_all("t.yaml", &text).unwrap();
    let err = selected(&e, "Worker").unwrap_err();
    assert_eq!(
        err.candidates(),
        ["Worker/AssumeRolePolicyDocument", "Worker/Policies/work"]
    );
    assert_eq!(
        err.to_string(),
        "`Worker` names 2 policies: Worker/AssumeRolePolicyDocument, Worker/Policies/work"
    );
    let err = select(&e, None).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("the file holds 5 policies: BucketPolicy/PolicyDocument,"),
        "{err}"
    );
}

#[test]
fn no_match_lists_every_name_and_is_exact() {
    let text = fixture("cfn-template.yaml");
    let e = extract_all("t.yaml", &text).unwrap();
    for selector in ["worker", "Work", "Worker/Policies/2", "Worker/"] {
        let err = selected(&e, selector).unwrap_err();
        assert!(
            matches!(err, SelectError::NotFound { .. }),
            "{selector}: {err}"
        );
        assert_eq!(err.candidates().len(), 5);
    }
}

#[test]
fn a_skipped_document_says_why() {
    let text = fixture("cfn-template.yaml");
    let e = extract_all("t.yaml", &text).unwrap();
    let err = selected(&e, "Worker/Policies/1").unwrap_err();
    let message = err.to_string();
    assert!(
        message.starts_with("no policy is named `Worker/Policies/1`; `Worker/Policies/1` cannot be read: the policy is given by `Ref`"),
        "{message}"
    );
    let err = selected(&e, "Skipped").unwrap_err();
    assert!(
        err.to_string().contains("known only at deployment"),
        "{err}"
    );
}

#[test]
fn a_whole_skipped_list_explains_its_elements() {
    let text = "Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      Policies: !If [C, [], []]\n";
    let e = extract_all("t.yaml", text).unwrap();
    let err = selected(&e, "R/Policies/0").unwrap_err();
    assert!(
        err.to_string().contains("`R/Policies` cannot be read"),
        "{err}"
    );
}

#[test]
fn a_plain_policy_file_has_one_unnamed_policy() {
    let text = r#"{"Version": "2012-10-17", "Statement": []}"#;
    let e = extract_all("p.json", text).unwrap();
    assert_eq!(select(&e, None).unwrap().name, PolicyName::default());
    assert_eq!(
        selected(&e, "Anything").unwrap_err().to_string(),
        "no policy is named `Anything`: the file holds no named policies"
    );
}

#[test]
fn a_template_without_policies_says_so() {
    let text = "Resources:\n  B:\n    Type: AWS::S3::Bucket\n";
    let e = extract_all("t.yaml", text).unwrap();
    assert_eq!(
        select(&e, None).unwrap_err().to_string(),
        "the file holds no policy that can be read"
    );
}

#[test]
fn inline_policies_without_a_usable_name_are_named_by_index() {
    let text = r#"{"Resources": {"R": {"Type": "AWS::IAM::Role", "Properties": {"Policies": [
        {"PolicyName": "same", "PolicyDocument": {"Statement": []}},
        {"PolicyName": "same", "PolicyDocument": {"Statement": []}},
        {"PolicyName": {"Fn::Sub": "${AWS::StackName}-x"}, "PolicyDocument": {"Statement": []}},
        {"PolicyName": "a/b", "PolicyDocument": {"Statement": []}},
        {"PolicyName": "ok", "PolicyDocument": {"Statement": []}}
    ]}}}}"#;
    let e = extract_all("t.json", text).unwrap();
    assert_eq!(
        names(&e),
        [
            "R/Policies/0",
            "R/Policies/1",
            "R/Policies/2",
            "R/Policies/3",
            "R/Policies/ok"
        ]
    );
    assert_eq!(selected(&e, "R/Policies/4").unwrap(), "R/Policies/ok");
    assert!(matches!(
        selected(&e, "R/Policies/same"),
        Err(SelectError::NotFound { .. })
    ));
}

#[test]
fn element_parts_count_names_once() {
    let names: Vec<Option<&str>> = (0..50_000).map(|_| Some("x")).collect();
    let parts = element_parts("Policies", &names);
    assert_eq!(parts.len(), 50_000);
    assert_eq!(parts[49_999], ("Policies/49999".to_string(), None));
}
