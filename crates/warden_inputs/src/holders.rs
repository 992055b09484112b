//! The one table of the resource types that hold policies, in
//! CloudFormation templates (SAM included) and Terraform plans.
//!
//! The extraction code of each format looks resource types up here, and
//! `docs/inputs.md` is generated from it ([`markdown`]; a test checks the
//! page is fresh), so the list users read is the list warden reads.

use warden_policy::PolicyType;

/// The file format a row is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// CloudFormation templates, JSON or YAML, SAM included.
    CloudFormation,
    /// Terraform plans and state (`terraform show -json`).
    Terraform,
}

/// How a resource holds its policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// A policy document (an object, or JSON text) at a property path.
    Document {
        /// Property names from the resource's properties (or values).
        path: &'static [&'static str],
        /// The policy type; `None` when only the document can tell.
        policy_type: Option<PolicyType>,
    },
    /// One statement (not a document) at a property.
    Statement {
        /// Property names from the resource's properties.
        path: &'static [&'static str],
        /// The policy type.
        policy_type: PolicyType,
    },
    /// A list of named inline policies: `list[i].document`, named by
    /// `list[i].name`.
    InlineList {
        /// The list property.
        list: &'static str,
        /// The member holding each policy's name.
        name: &'static str,
        /// The member holding each document.
        document: &'static str,
        /// The policy type.
        policy_type: PolicyType,
    },
    /// An AWS Organizations policy: `content` is an SCP or an RCP by
    /// the `kind` property; other kinds are not IAM policies.
    Organizations {
        /// The property holding the document.
        content: &'static str,
        /// The property holding the policy kind.
        kind: &'static str,
    },
    /// SAM `Policies`: managed policy names or ARNs, inline documents,
    /// and SAM policy templates expanded from SAM's definitions.
    SamPolicies,
    /// SAM `Auth.ResourcePolicy` of an API: its `CustomStatements`.
    SamResourcePolicy,
    /// A Lambda permission: its fields are one resource-policy statement.
    LambdaPermission,
}

/// One resource type and where it keeps a policy.
#[derive(Clone, Copy, Debug)]
pub struct Holder {
    /// The format.
    pub format: Format,
    /// The resource type, `AWS::IAM::Role` or `aws_iam_role`.
    pub resource_type: &'static str,
    /// Where and how.
    pub shape: Shape,
}

use Format::{CloudFormation as Cfn, Terraform as Tf};
use PolicyType::{Endpoint, Identity, Resource, Trust};

const fn doc(
    format: Format,
    resource_type: &'static str,
    path: &'static [&'static str],
    policy_type: PolicyType,
) -> Holder {
    Holder {
        format,
        resource_type,
        shape: Shape::Document {
            path,
            policy_type: Some(policy_type),
        },
    }
}

const fn shaped(format: Format, resource_type: &'static str, shape: Shape) -> Holder {
    Holder {
        format,
        resource_type,
        shape,
    }
}

const CFN_INLINE: Shape = Shape::InlineList {
    list: "Policies",
    name: "PolicyName",
    document: "PolicyDocument",
    policy_type: Identity,
};

/// Every resource type warden reads a policy from. VPC endpoint policies
/// have their own type: they name principals like resource policies but
/// only filter what passes through the endpoint.
pub const HOLDERS: &[Holder] = &[
    // CloudFormation: IAM.
    doc(Cfn, "AWS::IAM::Policy", &["PolicyDocument"], Identity),
    doc(
        Cfn,
        "AWS::IAM::ManagedPolicy",
        &["PolicyDocument"],
        Identity,
    ),
    doc(Cfn, "AWS::IAM::RolePolicy", &["PolicyDocument"], Identity),
    doc(Cfn, "AWS::IAM::UserPolicy", &["PolicyDocument"], Identity),
    doc(Cfn, "AWS::IAM::GroupPolicy", &["PolicyDocument"], Identity),
    doc(Cfn, "AWS::IAM::Role", &["AssumeRolePolicyDocument"], Trust),
    shaped(Cfn, "AWS::IAM::Role", CFN_INLINE),
    shaped(Cfn, "AWS::IAM::User", CFN_INLINE),
    shaped(Cfn, "AWS::IAM::Group", CFN_INLINE),
    doc(Cfn, "AWS::SSO::PermissionSet", &["InlinePolicy"], Identity),
    // CloudFormation: resource policies.
    doc(Cfn, "AWS::S3::BucketPolicy", &["PolicyDocument"], Resource),
    doc(Cfn, "AWS::S3::AccessPoint", &["Policy"], Resource),
    doc(Cfn, "AWS::SQS::QueuePolicy", &["PolicyDocument"], Resource),
    doc(Cfn, "AWS::SNS::TopicPolicy", &["PolicyDocument"], Resource),
    doc(Cfn, "AWS::KMS::Key", &["KeyPolicy"], Resource),
    doc(Cfn, "AWS::KMS::ReplicaKey", &["KeyPolicy"], Resource),
    doc(
        Cfn,
        "AWS::SecretsManager::ResourcePolicy",
        &["ResourcePolicy"],
        Resource,
    ),
    doc(
        Cfn,
        "AWS::ECR::Repository",
        &["RepositoryPolicyText"],
        Resource,
    ),
    doc(Cfn, "AWS::EC2::VPCEndpoint", &["PolicyDocument"], Endpoint),
    doc(
        Cfn,
        "AWS::OpenSearchService::Domain",
        &["AccessPolicies"],
        Resource,
    ),
    doc(
        Cfn,
        "AWS::Elasticsearch::Domain",
        &["AccessPolicies"],
        Resource,
    ),
    doc(Cfn, "AWS::ApiGateway::RestApi", &["Policy"], Resource),
    doc(Cfn, "AWS::Events::EventBus", &["Policy"], Resource),
    shaped(
        Cfn,
        "AWS::Events::EventBusPolicy",
        Shape::Statement {
            path: &["Statement"],
            policy_type: Resource,
        },
    ),
    doc(Cfn, "AWS::Backup::BackupVault", &["AccessPolicy"], Resource),
    doc(
        Cfn,
        "AWS::Logs::ResourcePolicy",
        &["PolicyDocument"],
        Resource,
    ),
    doc(
        Cfn,
        "AWS::DynamoDB::Table",
        &["ResourcePolicy", "PolicyDocument"],
        Resource,
    ),
    doc(
        Cfn,
        "AWS::DynamoDB::Table",
        &["StreamSpecification", "ResourcePolicy", "PolicyDocument"],
        Resource,
    ),
    doc(
        Cfn,
        "AWS::Kinesis::ResourcePolicy",
        &["ResourcePolicy"],
        Resource,
    ),
    doc(Cfn, "AWS::Glacier::Vault", &["AccessPolicy"], Resource),
    doc(Cfn, "AWS::EFS::FileSystem", &["FileSystemPolicy"], Resource),
    shaped(Cfn, "AWS::Lambda::Permission", Shape::LambdaPermission),
    shaped(
        Cfn,
        "AWS::Organizations::Policy",
        Shape::Organizations {
            content: "Content",
            kind: "Type",
        },
    ),
    // SAM (`Transform: AWS::Serverless-2016-10-31`).
    shaped(Cfn, "AWS::Serverless::Function", Shape::SamPolicies),
    shaped(Cfn, "AWS::Serverless::StateMachine", Shape::SamPolicies),
    shaped(Cfn, "AWS::Serverless::Api", Shape::SamResourcePolicy),
    // Terraform: IAM.
    doc(Tf, "aws_iam_policy", &["policy"], Identity),
    doc(Tf, "aws_iam_role_policy", &["policy"], Identity),
    doc(Tf, "aws_iam_user_policy", &["policy"], Identity),
    doc(Tf, "aws_iam_group_policy", &["policy"], Identity),
    doc(Tf, "aws_iam_role", &["assume_role_policy"], Trust),
    shaped(
        Tf,
        "aws_iam_role",
        Shape::InlineList {
            list: "inline_policy",
            name: "name",
            document: "policy",
            policy_type: Identity,
        },
    ),
    doc(
        Tf,
        "aws_ssoadmin_permission_set_inline_policy",
        &["inline_policy"],
        Identity,
    ),
    shaped(
        Tf,
        "aws_iam_policy_document",
        Shape::Document {
            path: &["json"],
            policy_type: None,
        },
    ),
    // Terraform: resource policies.
    doc(Tf, "aws_s3_bucket_policy", &["policy"], Resource),
    doc(Tf, "aws_s3_bucket", &["policy"], Resource),
    doc(Tf, "aws_s3_access_point", &["policy"], Resource),
    doc(Tf, "aws_kms_key", &["policy"], Resource),
    doc(Tf, "aws_kms_key_policy", &["policy"], Resource),
    doc(Tf, "aws_sqs_queue_policy", &["policy"], Resource),
    doc(Tf, "aws_sqs_queue", &["policy"], Resource),
    doc(Tf, "aws_sns_topic_policy", &["policy"], Resource),
    doc(Tf, "aws_sns_topic", &["policy"], Resource),
    doc(
        Tf,
        "aws_secretsmanager_secret_policy",
        &["policy"],
        Resource,
    ),
    doc(Tf, "aws_ecr_repository_policy", &["policy"], Resource),
    doc(Tf, "aws_vpc_endpoint", &["policy"], Endpoint),
    doc(Tf, "aws_vpc_endpoint_policy", &["policy"], Endpoint),
    doc(
        Tf,
        "aws_opensearch_domain_policy",
        &["access_policies"],
        Resource,
    ),
    doc(Tf, "aws_opensearch_domain", &["access_policies"], Resource),
    doc(
        Tf,
        "aws_elasticsearch_domain_policy",
        &["access_policies"],
        Resource,
    ),
    doc(
        Tf,
        "aws_elasticsearch_domain",
        &["access_policies"],
        Resource,
    ),
    doc(Tf, "aws_api_gateway_rest_api_policy", &["policy"], Resource),
    doc(Tf, "aws_api_gateway_rest_api", &["policy"], Resource),
    doc(Tf, "aws_cloudwatch_event_bus_policy", &["policy"], Resource),
    doc(
        Tf,
        "aws_cloudwatch_log_resource_policy",
        &["policy_document"],
        Resource,
    ),
    doc(Tf, "aws_backup_vault_policy", &["policy"], Resource),
    doc(Tf, "aws_dynamodb_resource_policy", &["policy"], Resource),
    doc(Tf, "aws_kinesis_resource_policy", &["policy"], Resource),
    doc(Tf, "aws_glacier_vault", &["access_policy"], Resource),
    doc(Tf, "aws_efs_file_system_policy", &["policy"], Resource),
    shaped(Tf, "aws_lambda_permission", Shape::LambdaPermission),
    shaped(
        Tf,
        "aws_organizations_policy",
        Shape::Organizations {
            content: "content",
            kind: "type",
        },
    ),
];

/// The rows for `resource_type` in `format`, in table order.
pub fn holders(format: Format, resource_type: &str) -> impl Iterator<Item = &'static Holder> + '_ {
    HOLDERS
        .iter()
        .filter(move |h| h.format == format && h.resource_type == resource_type)
}

/// Property or attribute names that, on a resource type not in
/// [`HOLDERS`], suggest a policy warden does not read (with a `Statement`
/// inside; see the formats' "unsupported resource" notes).
pub(crate) fn looks_like_policy_property(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.contains("polic") || lower.contains("permission")
}

fn type_name(t: Option<PolicyType>) -> &'static str {
    t.map_or("inferred from the document", PolicyType::as_str)
}

fn describe(format: Format, shape: &Shape) -> (String, &'static str) {
    let dot = |path: &[&str]| path.join(".");
    match *shape {
        Shape::Document { path, policy_type } => (format!("`{}`", dot(path)), type_name(policy_type)),
        Shape::Statement { path, policy_type } => (
            format!("`{}` (one statement)", dot(path)),
            type_name(Some(policy_type)),
        ),
        Shape::InlineList {
            list,
            document,
            policy_type,
            ..
        } => (
            format!("`{list}[i].{document}`"),
            type_name(Some(policy_type)),
        ),
        Shape::Organizations { content, .. } => (
            format!("`{content}`"),
            match format {
                Format::CloudFormation => "SCP or RCP by `Type`; other types are not IAM policies",
                Format::Terraform => "SCP or RCP by `type` (SCP when absent); other types are not IAM policies",
            },
        ),
        Shape::SamPolicies => (
            "`Policies`: inline documents, SAM policy templates (expanded from SAM's definitions); managed policy names and ARNs are noted".to_string(),
            "identity",
        ),
        Shape::SamResourcePolicy => (
            "`Auth.ResourcePolicy.CustomStatements`; the other `ResourcePolicy` shorthands are noted".to_string(),
            "resource",
        ),
        Shape::LambdaPermission => (
            match format {
                Format::CloudFormation => "`Action`, `Principal`, `FunctionName`, `SourceArn`, `SourceAccount`, `PrincipalOrgID`, `FunctionUrlAuthType`, read as the statement they grant",
                Format::Terraform => "`action`, `principal`, `function_name`, `source_arn`, `source_account`, `principal_org_id`, `function_url_auth_type`, read as the statement they grant",
            }
            .to_string(),
            "resource",
        ),
    }
}

/// The table as the Markdown page `docs/inputs.md`.
pub fn markdown() -> String {
    let mut out = String::from(
        "# Where warden finds policies\n\n\
         <!-- Generated from `warden_inputs::holders::HOLDERS`; `WARDEN_UPDATE_DOCS=1 cargo test -p warden_inputs docs_page_is_fresh` rewrites it. -->\n\n\
         `warden lint` (and `--pointer`/selection in the other commands) reads the policies of these\n\
         resource types. A resource of another type whose policy-like property holds a `Statement`,\n\
         and every policy that cannot be read (given by an intrinsic function, known only after\n\
         `terraform apply`), is reported as a note: `warden lint --show-notes` lists them.\n",
    );
    for (format, title) in [
        (Format::CloudFormation, "CloudFormation and SAM templates"),
        (
            Format::Terraform,
            "Terraform plans (`terraform show -json`)",
        ),
    ] {
        out.push_str(&format!(
            "\n## {title}\n\n| resource type | where | policy type |\n| --- | --- | --- |\n"
        ));
        for h in HOLDERS.iter().filter(|h| h.format == format) {
            let (place, ty) = describe(format, &h.shape);
            out.push_str(&format!("| `{}` | {place} | {ty} |\n", h.resource_type));
        }
    }
    out.push_str(
        "\nTerraform data sources are read only for `aws_iam_policy_document`, and only when the plan\n\
         holds their value and no resource of the plan holds the same document (which is then\n\
         linted once, as that resource's policy).\n",
    );
    out
}
