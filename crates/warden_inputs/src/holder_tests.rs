//! Tests of the resource types of the holder table, SAM, Lambda
//! permissions, `Fn::If` readings and intrinsic placeholders.

use warden_policy::json::JsonKind;
use warden_policy::parse_policy_value;

use super::*;

fn names(e: &Extraction<'_>) -> Vec<String> {
    e.policies.iter().map(|p| p.name.to_string()).collect()
}

fn skipped(e: &Extraction<'_>) -> Vec<String> {
    e.skipped.iter().map(|s| s.reason.clone()).collect()
}

/// The raw text of the items of `element` (`Action`, `Resource`) of every
/// statement of `p`.
fn items(p: &FoundPolicy<'_>, element: &str) -> Vec<String> {
    let policy = parse_policy_value(&p.value).policy.expect("a policy");
    policy
        .statements()
        .iter()
        .flat_map(|s| match element {
            "Action" => s
                .action
                .as_ref()
                .map(|l| {
                    l.items
                        .iter()
                        .map(|i| i.raw.to_string())
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default(),
            _ => s
                .resource
                .as_ref()
                .map(|l| {
                    l.items
                        .iter()
                        .map(|i| i.raw.to_string())
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default(),
        })
        .collect()
}

#[test]
fn sam_policies_inline_templates_and_managed() {
    let text = r#"Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Policies:
        - AWSLambdaExecute
        - arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess
        - S3ReadPolicy:
            BucketName: !Ref Bucket
        - Statement:
            - Effect: Allow
              Action: iam:PassRole
              Resource: "*"
        - !Ref ManagedArn
  Machine:
    Type: AWS::Serverless::StateMachine
    Properties:
      Policies:
        - LambdaInvokePolicy:
            FunctionName: my-function
  Missing:
    Type: AWS::Serverless::Function
    Properties:
      Policies:
        - DynamoDBCrudPolicy: {}
        - NoSuchPolicyTemplate: {}
"#;
    let e = extract_all("t.yaml", text).unwrap();
    assert_eq!(e.kind, InputKind::CloudFormation);
    assert_eq!(
        names(&e),
        [
            "Fn/Policies/S3ReadPolicy",
            "Fn/Policies/3",
            "Machine/Policies/LambdaInvokePolicy",
        ]
    );
    assert!(
        e.policies
            .iter()
            .all(|p| p.policy_type == Some(PolicyType::Identity))
    );
    // The template is expanded from SAM's definition, parameters in place.
    let s3 = &e.policies[0];
    assert!(items(s3, "Action").contains(&"s3:GetObject".to_string()));
    assert_eq!(
        items(s3, "Resource"),
        [
            "arn:${AWS::Partition}:s3:::${Bucket}",
            "arn:${AWS::Partition}:s3:::${Bucket}/*"
        ]
    );
    // Findings in the expansion point at the template's use.
    let at = text.find("S3ReadPolicy:").unwrap();
    assert_eq!(s3.value.span.start as usize, at);
    // A literal parameter is substituted into the `Fn::Sub` text.
    assert_eq!(
        items(&e.policies[2], "Resource"),
        ["arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:my-function*"]
    );
    // The inline statement is read as written, exact spans.
    let inline = &e.policies[1];
    assert_eq!(items(inline, "Action"), ["iam:PassRole"]);
    let reasons = skipped(&e);
    assert_eq!(reasons.len(), 5, "{reasons:#?}");
    assert!(reasons[0].starts_with("`AWSLambdaExecute` at 8:11 is an AWS managed policy"));
    assert!(reasons[1].contains("AmazonS3ReadOnlyAccess"));
    assert!(
        reasons[2].starts_with("the policy is given by `Ref` at 16:11"),
        "{}",
        reasons[2]
    );
    assert!(
        reasons[3].contains("lacks its parameter `TableName`"),
        "{}",
        reasons[3]
    );
    assert!(reasons[4].contains("`NoSuchPolicyTemplate` at 28:11 is not a SAM policy template"));
}

#[test]
fn sam_api_custom_statements() {
    let text = r#"Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      Auth:
        ResourcePolicy:
          IpRangeWhitelist: ["10.0.0.0/8"]
          CustomStatements:
            - Effect: Allow
              Principal: "*"
              Action: execute-api:Invoke
              Resource: execute-api:/*
"#;
    let e = extract_all("t.yaml", text).unwrap();
    assert_eq!(names(&e), ["Api/ResourcePolicy/CustomStatements"]);
    let p = &e.policies[0];
    assert_eq!(p.policy_type, Some(PolicyType::Resource));
    // API Gateway expands its `execute-api:/` shorthand: the text is opaque.
    let policy = parse_policy_value(&p.value).policy.unwrap();
    let r = &policy.statements()[0].resource.as_ref().unwrap().items[0];
    assert!(p.is_opaque(r.span));
    assert_eq!(e.skipped.len(), 1);
    assert!(
        e.skipped[0]
            .reason
            .starts_with("`IpRangeWhitelist` at 7:29")
    );
}

#[test]
fn more_cloudformation_resource_types() {
    let doc = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"}]}"#;
    let types = [
        ("AWS::EC2::VPCEndpoint", "PolicyDocument"),
        ("AWS::OpenSearchService::Domain", "AccessPolicies"),
        ("AWS::Elasticsearch::Domain", "AccessPolicies"),
        ("AWS::ApiGateway::RestApi", "Policy"),
        ("AWS::Events::EventBus", "Policy"),
        ("AWS::Backup::BackupVault", "AccessPolicy"),
        ("AWS::Logs::ResourcePolicy", "PolicyDocument"),
        ("AWS::Kinesis::ResourcePolicy", "ResourcePolicy"),
        ("AWS::S3::AccessPoint", "Policy"),
        ("AWS::Glacier::Vault", "AccessPolicy"),
        ("AWS::ECR::Repository", "RepositoryPolicyText"),
        ("AWS::SSO::PermissionSet", "InlinePolicy"),
    ];
    let mut text = String::from("{\"Resources\": {");
    for (i, (ty, prop)) in types.iter().enumerate() {
        text.push_str(&format!(
            "\"R{i}\": {{\"Type\": \"{ty}\", \"Properties\": {{\"{prop}\": {doc}}}}},"
        ));
    }
    text.push_str(&format!(
        "\"T\": {{\"Type\": \"AWS::DynamoDB::Table\", \"Properties\": {{\"ResourcePolicy\": {{\"PolicyDocument\": {doc}}}}}}},"
    ));
    text.push_str(
        "\"B\": {\"Type\": \"AWS::Events::EventBusPolicy\", \"Properties\": {\"StatementId\": \"s\", \"Statement\": {\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"events:PutEvents\", \"Resource\": \"*\"}}},",
    );
    // Not read: said so.
    text.push_str(&format!(
        "\"U\": {{\"Type\": \"AWS::Some::Thing\", \"Properties\": {{\"AccessPolicy\": {doc}, \"Name\": \"x\"}}}}}}}}"
    ));
    let e = extract_all("t.json", &text).unwrap();
    let found = names(&e);
    assert_eq!(found.len(), types.len() + 2, "{found:#?}");
    assert!(found.contains(&"T/ResourcePolicy/PolicyDocument".to_string()));
    assert!(found.contains(&"B/Statement".to_string()));
    let sso = e
        .policies
        .iter()
        .find(|p| p.name.resource == "R11")
        .unwrap();
    assert_eq!(sso.policy_type, Some(PolicyType::Identity));
    let bus = e.policies.iter().find(|p| p.name.resource == "B").unwrap();
    assert_eq!(items(bus, "Action"), ["events:PutEvents"]);
    assert_eq!(skipped(&e).len(), 1);
    assert!(
        skipped(&e)[0].contains("looks like a policy, but warden does not read `AWS::Some::Thing`")
    );
}

#[test]
fn lambda_permission_is_the_grant_it_makes() {
    let text = r#"Resources:
  P:
    Type: AWS::Lambda::Permission
    Properties:
      Action: lambda:InvokeFunction
      FunctionName: !GetAtt Fn.Arn
      Principal: s3.amazonaws.com
      SourceAccount: !Ref AWS::AccountId
      SourceArn: arn:aws:s3:::bucket
  Q:
    Type: AWS::Lambda::Permission
    Properties:
      Action: lambda:InvokeFunction
      FunctionName: f
      Principal: !Ref Caller
"#;
    let e = extract_all("t.yaml", text).unwrap();
    assert_eq!(names(&e), ["P/Permission"]);
    let p = &e.policies[0];
    let policy = parse_policy_value(&p.value).policy.unwrap();
    let st = &policy.statements()[0];
    assert_eq!(items(p, "Action"), ["lambda:InvokeFunction"]);
    assert!(st.principal.is_some());
    assert!(st.condition.is_some());
    // The principal points at the field.
    let field = text.find("s3.amazonaws.com").unwrap();
    let principal = p.value.pointer("/Statement/0/Principal/Service").unwrap();
    assert_eq!(principal.span.start as usize, field);
    assert_eq!(skipped(&e).len(), 1);
    assert!(skipped(&e)[0].contains("principal at 15:18 is not a plain string"));
}

#[test]
fn fn_if_is_read_on_both_branches() {
    let text = r#"Resources:
  P:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: !If [Prod, "s3:GetObject", "s3:*"]
            Resource: "*"
          - !If
            - Prod
            - !Ref AWS::NoValue
            - Effect: Allow
              Action: iam:PassRole
              Resource: "*"
"#;
    let e = extract_all("t.yaml", text).unwrap();
    assert_eq!(names(&e), ["P/PolicyDocument", "P/PolicyDocument@else"]);
    assert_eq!(
        items(&e.policies[0], "Action"),
        ["s3:GetObject", "iam:PassRole"]
    );
    assert_eq!(items(&e.policies[1], "Action"), ["s3:*", "iam:PassRole"]);
    // The branches are the literal text: exact spans, not opaque.
    let policy = parse_policy_value(&e.policies[1].value).policy.unwrap();
    let star = &policy.statements()[0].action.as_ref().unwrap().items[0];
    assert_eq!(&text[star.span.range()], "\"s3:*\"");
    assert!(!e.policies[1].is_opaque(star.span));
}

#[test]
fn statements_removed_by_intrinsics_are_not_an_empty_policy() {
    let text = r#"{"Resources": {"P": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {
      "PolicyDocument": {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": {"Fn::Split": [",", "a,b"]}, "Resource": "*"}]}}}}}"#;
    let e = extract_all("t.json", text).unwrap();
    assert!(e.policies.is_empty());
    assert_eq!(e.skipped.len(), 1);
    assert!(
        e.skipped[0]
            .reason
            .starts_with("`Fn::Split` at 3:39 produces a value that is not a string"),
        "{}",
        e.skipped[0].reason
    );
}

#[test]
fn different_intrinsics_stay_different() {
    let text = r#"{"Resources": {"P": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {
      "PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Action": "s3:GetObject",
        "Resource": [{"Fn::ImportValue": "BucketA"}, {"Fn::ImportValue": "BucketB"},
                     {"Fn::ImportValue": {"Fn::Sub": "${Env}-bucket"}},
                     {"Fn::Sub": ["arn:aws:s3:::${b}/*", {"b": {"Ref": "Name"}}]}]}]}}}}}"#;
    let e = extract_all("t.json", text).unwrap();
    assert_eq!(
        items(&e.policies[0], "Resource"),
        [
            "${Fn::ImportValue:BucketA}",
            "${Fn::ImportValue:BucketB}",
            "${Fn::ImportValue:${Env}-bucket}",
            "arn:aws:s3:::${Name}/*"
        ]
    );
}

#[test]
fn terraform_resource_types_permissions_and_data_sources() {
    let policy = r#"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"sqs:SendMessage\",\"Resource\":\"*\"}]}"#;
    let other = r#"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}]}"#;
    let text = format!(
        r#"{{"format_version": "1.2", "terraform_version": "1.9.0",
  "planned_values": {{"root_module": {{"resources": [
    {{"address": "aws_sqs_queue.q", "mode": "managed", "type": "aws_sqs_queue", "name": "q", "values": {{"policy": "{policy}"}}}},
    {{"address": "aws_vpc_endpoint.e", "mode": "managed", "type": "aws_vpc_endpoint", "name": "e", "values": {{"policy": "{policy}"}}}},
    {{"address": "aws_lambda_permission.p", "mode": "managed", "type": "aws_lambda_permission", "name": "p",
      "values": {{"action": "lambda:InvokeFunction", "function_name": "f", "principal": "123456789012", "source_arn": null}}}},
    {{"address": "data.aws_iam_policy_document.same", "mode": "data", "type": "aws_iam_policy_document", "name": "same", "values": {{"json": "{policy}"}}}},
    {{"address": "data.aws_iam_policy_document.own", "mode": "data", "type": "aws_iam_policy_document", "name": "own", "values": {{"json": "{other}"}}}},
    {{"address": "aws_foo.x", "mode": "managed", "type": "aws_foo", "name": "x", "values": {{"access_policy": "{policy}"}}}}
  ]}}}}}}"#
    );
    let e = extract_all("plan.json", &text).unwrap();
    assert_eq!(e.kind, InputKind::TerraformPlan);
    assert_eq!(
        names(&e),
        [
            "aws_sqs_queue.q/policy",
            "aws_vpc_endpoint.e/policy",
            "aws_lambda_permission.p/permission",
            // The data source with its own text; the other is the queue's.
            "data.aws_iam_policy_document.own/json",
        ]
    );
    assert_eq!(e.policies[3].policy_type, None);
    let grant = &e.policies[2];
    let aws = grant.value.pointer("/Statement/0/Principal/AWS").unwrap();
    assert_eq!(aws.as_str(), Some("123456789012"));
    // A function name stands for its ARN: opaque.
    let resource = grant.value.pointer("/Statement/0/Resource").unwrap();
    assert!(matches!(resource.kind, JsonKind::String(_)));
    assert!(grant.is_opaque(resource.span));
    assert!(grant.value.pointer("/Statement/0/Condition").is_none());
    assert_eq!(skipped(&e).len(), 1);
    assert!(skipped(&e)[0].contains("warden does not read `aws_foo`"));
}

#[test]
fn skipped_documents_are_notes() {
    let text = "Resources:\n  P:\n    Type: AWS::IAM::Policy\n    Properties:\n      PolicyDocument: !Ref Doc\n";
    let e = extract_all("t.yaml", text).unwrap();
    let d: Vec<Diagnostic> = e.skipped_diagnostics().collect();
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].severity, Severity::Note);
    assert_eq!(d[0].code, codes::NOT_READ);
    assert!(
        d[0].message
            .starts_with("policy not read: the document is given by `Ref`")
    );
}

#[test]
fn a_resources_key_makes_a_template() {
    let e = extract_all("t.yaml", "Resources:\n  B:\n    Type: Custom::Thing\n").unwrap();
    assert_eq!(e.kind, InputKind::CloudFormation);
    assert!(e.policies.is_empty());
    let e = extract_all("t.json", "{\"Resources\": {}}").unwrap();
    assert_eq!(e.kind, InputKind::CloudFormation);
}

#[test]
fn oversized_policies_are_refused_alone_and_skipped_inside() {
    let big = format!(
        "{{\"Statement\": [], \"x\": \"{}\"}}",
        "a".repeat(MAX_POLICY_BYTES)
    );
    let d = extract_all("p.json", &big).unwrap_err();
    assert_eq!(d.code, codes::POLICY_TOO_LARGE);
    let plan = format!(
        r#"{{"format_version": "1.2", "terraform_version": "1.9.0", "planned_values": {{"root_module": {{"resources": [
        {{"address": "aws_iam_policy.p", "mode": "managed", "type": "aws_iam_policy", "name": "p", "values": {{"policy": "{}"}}}}]}}}}}}"#,
        "a".repeat(MAX_POLICY_BYTES + 1)
    );
    let e = extract_all("plan.json", &plan).unwrap();
    assert!(e.policies.is_empty());
    assert!(e.skipped[0].reason.contains("larger than 8 MiB"));
}

#[test]
fn multi_document_yaml_reads_its_templates_only() {
    let text = "Resources:\n  P:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument: {Version: '2012-10-17', Statement: []}\n---\napiVersion: v1\nkind: ConfigMap\n";
    let e = extract_all("t.yaml", text).unwrap();
    assert_eq!(e.kind, InputKind::CloudFormation);
    assert_eq!(names(&e), ["P/PolicyDocument"]);
    assert_eq!(e.skipped.len(), 1);
    assert!(
        e.skipped[0]
            .reason
            .starts_with("the YAML document at 7:1 is not a CloudFormation template")
    );
}

#[test]
fn a_list_emptied_by_intrinsics_drops_its_statement() {
    let text = r#"{"Resources": {"P": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {
      "PolicyDocument": {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": [{"Fn::Split": [",", "a,b"]}], "Resource": "*"},
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}}}}}"#;
    let e = extract_all("t.json", text).unwrap();
    // The first statement is dropped whole, not read with `Action: []`.
    assert_eq!(items(&e.policies[0], "Action"), ["s3:GetObject"]);
}

#[test]
fn fn_if_in_policy_lists_reads_each_branch() {
    let text = r#"Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {Version: '2012-10-17', Statement: []}
      Policies:
        - !If
          - Prod
          - PolicyName: prod
            PolicyDocument: {Version: '2012-10-17', Statement: [{Effect: Allow, Action: 's3:GetObject', Resource: '*'}]}
          - PolicyName: dev
            PolicyDocument: {Version: '2012-10-17', Statement: [{Effect: Allow, Action: 's3:*', Resource: '*'}]}
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Policies:
        - !If [Prod, AWSLambdaExecute, !Ref AWS::NoValue]
        - !If [Prod, !Ref AWS::NoValue, {S3ReadPolicy: {BucketName: b}}]
"#;
    let e = extract_all("t.yaml", text).unwrap();
    assert_eq!(
        names(&e),
        [
            "Role/AssumeRolePolicyDocument",
            "Role/Policies/0",
            "Role/Policies/0@else",
            "Fn/Policies/1@else",
        ]
    );
    assert_eq!(items(&e.policies[2], "Action"), ["s3:*"]);
    assert_eq!(skipped(&e).len(), 1);
    assert!(
        skipped(&e)[0].starts_with("`AWSLambdaExecute` at 17:22 is an AWS managed policy"),
        "{}",
        skipped(&e)[0]
    );
}
