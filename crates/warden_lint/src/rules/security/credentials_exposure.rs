//! S211 `credentials-exposure`: actions that hand out credentials, allowed
//! on every resource.

use warden_diagnostics::Severity;

use std::sync::OnceLock;

use super::common::TableOnAllResources;
use crate::{Category, LintContext, Rule, RuleMeta, Sink, StatementView};

/// See [`META`].
pub struct CredentialsExposure;

/// Actions whose response contains credentials, passwords or tokens.
const ACTIONS: &[&str] = &[
    "iam:CreateAccessKey",
    "iam:UpdateAccessKey",
    "iam:CreateLoginProfile",
    "iam:CreateServiceSpecificCredential",
    "iam:ResetServiceSpecificCredential",
    "sts:GetFederationToken",
    "ecr:GetAuthorizationToken",
    "redshift:GetClusterCredentials",
    "redshift:GetClusterCredentialsWithIAM",
    "redshift-serverless:GetCredentials",
    "rds-db:connect",
    "ec2:GetPasswordData",
    "lightsail:GetInstanceAccessDetails",
    "lightsail:GetRelationalDatabaseMasterUserPassword",
    "cognito-identity:GetCredentialsForIdentity",
    "cognito-identity:GetOpenIdTokenForDeveloperIdentity",
    "connect:GetFederationToken",
    "gamelift:RequestUploadCredentials",
    "sso:GetRoleCredentials",
    "chime:CreateApiKey",
    "codepipeline:PollForJobs",
    "mediapackage:RotateIngestEndpointCredentials",
];

/// The finding on statements that grant [`ACTIONS`] on every resource.
static CREDENTIALS: TableOnAllResources = TableOnAllResources {
    actions: ACTIONS,
    names: OnceLock::new(),
    what: "obtaining credentials for every resource",
    label: "exposes credentials",
    help: "name the users, clusters or databases in `Resource`, or use a variable such as `${aws:username}`",
};

static META: RuleMeta = RuleMeta {
    code: "S211",
    name: "credentials-exposure",
    category: Category::Security,
    default_severity: Severity::Security,
    since: "0.1.0",
    summary: "An identity policy allows actions that return credentials, on every resource.",
    what_it_does: "Finds `Allow` statements of identity policies that grant, on every resource \
        (`*` or `NotResource`) and without a `Condition`, actions whose response carries \
        credentials: access keys, console passwords, federation tokens, database passwords and \
        tokens, instance passwords. Actions that only accept `\"Resource\": \"*\"` are not \
        reported, since they cannot be scoped.",
    why_bad: "Credentials outlive the request and leave the account's control: the principal \
        can mint keys for other users or fetch database passwords, and whoever holds them acts \
        as those identities from anywhere.",
    example: r#"{"Effect": "Allow", "Action": ["iam:CreateAccessKey", "redshift:GetClusterCredentials"], "Resource": "*"}"#,
    use_instead: r#"{"Effect": "Allow", "Action": "iam:CreateAccessKey", "Resource": "arn:aws:iam::111122223333:user/${aws:username}"}"#,
    access_analyzer: &[],
};

impl Rule for CredentialsExposure {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn judges_grants(&self) -> bool {
        true
    }

    fn check_statement(&self, cx: &LintContext<'_>, st: &StatementView<'_>, sink: &mut Sink) {
        CREDENTIALS.check(cx, st, sink);
    }
}
