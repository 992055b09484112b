//! The entry points: compare two policies, summarize their difference, and
//! the Access Analyzer style checks.

use warden_policy::Policy;

use crate::verdict::{Changes, Comparison, DiffOptions, Verdict};

/// Decides both directions: does NEW allow a request OLD does not, and
/// does OLD allow a request NEW does not.
pub fn compare(old: &Policy, new: &Policy, options: &DiffOptions) -> Comparison {
    let _ = (old, new, options);
    Comparison {
        new_access: Verdict::Unknown("not implemented yet".into()),
        removed_access: Verdict::Unknown("not implemented yet".into()),
    }
}

/// The difference per action: added, removed, widened, narrowed, each with
/// an example request.
pub fn changes(old: &Policy, new: &Policy, options: &DiffOptions) -> Changes {
    let _ = (old, new, options);
    Changes {
        entries: Vec::new(),
        unknown: Some("not implemented yet".into()),
    }
}

/// `access-not-granted`: does `policy` allow any request whose action is
/// one of `actions` (patterns, `s3:Get*` allowed) and, when `resources` is
/// not empty, whose resource matches one of `resources` (patterns)?
/// `Yes` means access *is* granted (the check fails).
pub fn access_granted(
    policy: &Policy,
    actions: &[String],
    resources: &[String],
    options: &DiffOptions,
) -> Verdict {
    let _ = (policy, actions, resources, options);
    Verdict::Unknown("not implemented yet".into())
}

/// The resource types `public_access` knows, as IAM Access Analyzer names
/// them, with the service prefixes whose actions apply to each.
pub const PUBLIC_RESOURCE_TYPES: &[(&str, &[&str])] = &[
    ("AWS::S3::Bucket", &["s3"]),
    ("AWS::S3::AccessPoint", &["s3"]),
    ("AWS::S3::Glacier", &["glacier"]),
    ("AWS::S3Express::DirectoryBucket", &["s3express"]),
    ("AWS::S3Outposts::Bucket", &["s3-outposts"]),
    ("AWS::S3Outposts::AccessPoint", &["s3-outposts"]),
    ("AWS::S3Tables::TableBucket", &["s3tables"]),
    ("AWS::S3Tables::Table", &["s3tables"]),
    ("AWS::KMS::Key", &["kms"]),
    ("AWS::SQS::Queue", &["sqs"]),
    ("AWS::SNS::Topic", &["sns"]),
    ("AWS::Lambda::Function", &["lambda"]),
    ("AWS::Lambda::LayerVersion", &["lambda"]),
    ("AWS::SecretsManager::Secret", &["secretsmanager"]),
    ("AWS::IAM::AssumeRolePolicyDocument", &["sts"]),
    ("AWS::DynamoDB::Table", &["dynamodb"]),
    ("AWS::DynamoDB::Stream", &["dynamodb"]),
    ("AWS::EFS::FileSystem", &["elasticfilesystem"]),
    ("AWS::OpenSearchService::Domain", &["es"]),
    ("AWS::Kinesis::Stream", &["kinesis"]),
    ("AWS::Kinesis::StreamConsumer", &["kinesis"]),
    ("AWS::ECR::Repository", &["ecr"]),
    ("AWS::ApiGateway::RestApi", &["execute-api"]),
    ("AWS::CodeArtifact::Domain", &["codeartifact"]),
    ("AWS::Backup::BackupVault", &["backup"]),
    ("AWS::CloudTrail::Dashboard", &["cloudtrail"]),
    ("AWS::CloudTrail::EventDataStore", &["cloudtrail"]),
];

/// `no-public-access`: does the resource policy `policy` of a resource of
/// type `resource_type` (an entry of [`PUBLIC_RESOURCE_TYPES`]) allow access
/// to anyone, "public" as IAM Access Analyzer documents it: a principal of
/// any account, not limited by conditions on the caller's account,
/// organization, VPC, source IP, source ARN or similar. `Yes` means public
/// (the check fails). `Err` for a resource type not in the list.
pub fn public_access(
    policy: &Policy,
    resource_type: &str,
    options: &DiffOptions,
) -> Result<Verdict, String> {
    let _ = (policy, options);
    if !PUBLIC_RESOURCE_TYPES
        .iter()
        .any(|(t, _)| t.eq_ignore_ascii_case(resource_type))
    {
        return Err(format!("unknown resource type `{resource_type}`"));
    }
    Ok(Verdict::Unknown("not implemented yet".into()))
}
