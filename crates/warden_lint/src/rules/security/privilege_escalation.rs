//! S209 `privilege-escalation`: actions that let a principal raise its own
//! privileges, allowed on every resource.

use warden_diagnostics::Severity;

use super::common::{every_resource_how, name_list, unconstrained_allow};
use crate::{Category, LintContext, PolicyType, Rule, RuleMeta, Sink, StatementView};

/// See [`META`].
pub struct PrivilegeEscalation;

/// The published escalation paths: every action of a path must be allowed;
/// the first one is where the finding points.
const PATHS: &[&[&str]] = &[
    &["iam:CreatePolicyVersion"],
    &["iam:SetDefaultPolicyVersion"],
    &["iam:CreateAccessKey"],
    &["iam:CreateLoginProfile"],
    &["iam:UpdateLoginProfile"],
    &["iam:AttachUserPolicy"],
    &["iam:AttachGroupPolicy"],
    &["iam:AttachRolePolicy"],
    &["iam:PutUserPolicy"],
    &["iam:PutGroupPolicy"],
    &["iam:PutRolePolicy"],
    &["iam:AddUserToGroup"],
    &["iam:UpdateAssumeRolePolicy", "sts:AssumeRole"],
    &["iam:PassRole", "ec2:RunInstances"],
    &["iam:PassRole", "ec2:RequestSpotInstances"],
    &[
        "iam:PassRole",
        "lambda:CreateFunction",
        "lambda:InvokeFunction",
    ],
    &[
        "iam:PassRole",
        "lambda:CreateFunction",
        "lambda:CreateEventSourceMapping",
    ],
    &["lambda:UpdateFunctionCode"],
    &["lambda:UpdateFunctionConfiguration"],
    &["iam:PassRole", "glue:CreateDevEndpoint"],
    &["glue:UpdateDevEndpoint"],
    &["iam:PassRole", "cloudformation:CreateStack"],
    &[
        "iam:PassRole",
        "datapipeline:CreatePipeline",
        "datapipeline:PutPipelineDefinition",
    ],
    &["iam:PassRole", "sagemaker:CreateNotebookInstance"],
    &["sagemaker:CreatePresignedNotebookInstanceUrl"],
    &["iam:PassRole", "ecs:RegisterTaskDefinition", "ecs:RunTask"],
    &[
        "iam:PassRole",
        "codebuild:CreateProject",
        "codebuild:StartBuild",
    ],
    &["ssm:SendCommand"],
    &["ssm:StartSession"],
    &["ec2-instance-connect:SendSSHPublicKey"],
];

static META: RuleMeta = RuleMeta {
    code: "S209",
    name: "privilege-escalation",
    category: Category::Security,
    default_severity: Severity::Security,
    since: "0.1.0",
    summary: "An identity policy allows a known privilege-escalation path on every resource.",
    what_it_does: "Looks for the published privilege-escalation paths (changing or attaching \
        policies, creating credentials for other users, passing a role to a compute service that \
        runs your code, running commands on instances, ...) among the actions that `Allow` \
        statements of an identity policy grant on every resource (`*` or `NotResource`) without \
        a `Condition`. A path of several actions counts when each of them is granted so, in any \
        statement of the policy. Each statement that starts a path gets one finding.",
    why_bad: "Each path turns the permission into more permissions: the principal can attach \
        `AdministratorAccess` to itself, mint keys for an administrator, or run code as any role \
        in the account. A policy with such a path is effectively an administrator policy.",
    example: r#"{"Effect": "Allow", "Action": ["iam:PassRole", "ec2:RunInstances"], "Resource": "*"}"#,
    use_instead: r#"{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::111122223333:role/app-instance",
 "Condition": {"StringEquals": {"iam:PassedToService": "ec2.amazonaws.com"}}}"#,
    access_analyzer: &[],
};

impl Rule for PrivilegeEscalation {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn judges_grants(&self) -> bool {
        true
    }

    fn check_policy(&self, cx: &LintContext<'_>, sink: &mut Sink) {
        if cx.policy_type != PolicyType::Identity {
            return;
        }
        let views: Vec<&StatementView<'_>> = cx
            .statements()
            .iter()
            .filter(|v| unconstrained_allow(v))
            .collect();
        if views.is_empty() {
            return;
        }
        // Which statements grant each action the paths name, computed once.
        let mut names: Vec<&str> = PATHS.iter().flat_map(|p| p.iter().copied()).collect();
        names.sort_unstable();
        names.dedup();
        let granted: Vec<(&str, Vec<bool>)> = names
            .iter()
            .map(|n| {
                let lower = n.to_ascii_lowercase();
                (*n, views.iter().map(|v| v.covers(&lower)).collect())
            })
            .collect();
        let by = |name: &str, i: usize| {
            // `granted` follows `names`, which is sorted.
            granted
                .binary_search_by(|(n, _)| (*n).cmp(name))
                .ok()
                .and_then(|at| granted.get(at))
                .and_then(|(_, g)| g.get(i).copied())
                .unwrap_or(false)
        };
        let anywhere = |name: &str| (0..views.len()).any(|i| by(name, i));
        for (i, view) in views.iter().enumerate() {
            let found: Vec<String> = PATHS
                .iter()
                .filter(|path| {
                    path.first().is_some_and(|first| by(first, i))
                        && path.iter().skip(1).all(|a| anywhere(a))
                })
                .map(|path| path.join(" + "))
                .collect();
            let Some(action) = &view.statement.action else {
                continue;
            };
            if found.is_empty() {
                continue;
            }
            let mut d = sink
                .finding(
                    action.span,
                    format!(
                        "allows privilege escalation on every resource through {}: {}",
                        every_resource_how(view.statement),
                        name_list(&found, 4)
                    ),
                    "escalation path",
                )
                .with_help("limit these actions to the specific users, roles, policies or functions they are meant for, or add conditions");
            if let Some(r) = &view.statement.resource {
                d = d.with_secondary(r.span, "every resource");
            }
            sink.push(d);
        }
    }
}
