//! W307 `policy-size-exceeds-quota`: a policy longer than IAM accepts for
//! its type.

use warden_diagnostics::Severity;
use warden_text::Span;

use crate::{Category, LintContext, PolicyType, Rule, RuleMeta, Sink};

/// See [`META`].
pub struct PolicySizeExceedsQuota;

static META: RuleMeta = RuleMeta {
    code: "W307",
    name: "policy-size-exceeds-quota",
    category: Category::Warning,
    default_severity: Severity::Warning,
    since: "0.1.0",
    summary: "The policy has more characters (not counting whitespace) than the default quota of its type.",
    what_it_does: "Counts the characters of the policy document other than whitespace, as IAM \
        does, and compares the count with the default quota of its type: 6,144 for customer \
        managed identity policies (inline policies share 2,048 per user, 5,120 per group and \
        10,240 per role; AWS managed policies are not bound by the customer quota), 2,048 for \
        role trust policies (adjustable), and for resource policies the quota of the service \
        all the policy's actions belong to (S3 20,480, Lambda 20,480, Secrets Manager 20,480, \
        SQS 8,192, SNS 30,720, KMS 32,768, ECR 10,240), else 20,480. Service control policies \
        are checked by an error rule.\n\n\
        Access Analyzer: `POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA`, \
        `POLICY_SIZE_EXCEEDS_RESOURCE_POLICY_QUOTA` and \
        `POLICY_SIZE_EXCEEDS_ROLE_TRUST_POLICY_QUOTA`, all general warnings, as here. warden \
        cannot tell an inline policy from a managed one, so it uses the managed figure.",
    why_bad: "AWS rejects a policy over its quota when it is created or updated, so the \
        deployment fails, often far from where the policy was written.",
    example: "A managed policy listing hundreds of individual actions, 7,000 characters long.",
    use_instead: "Split the policy into several policies, or replace long lists of actions with \
        wildcards that mean the same (`s3:Get*`).",
    access_analyzer: &[
        "POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA",
        "POLICY_SIZE_EXCEEDS_RESOURCE_POLICY_QUOTA",
        "POLICY_SIZE_EXCEEDS_ROLE_TRUST_POLICY_QUOTA",
    ],
};

impl Rule for PolicySizeExceedsQuota {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_policy(&self, cx: &LintContext<'_>, sink: &mut Sink) {
        let (quota, what) = match cx.policy_type {
            PolicyType::Identity => (6_144, "a customer managed policy"),
            PolicyType::Trust => (2_048, "a role trust policy (adjustable)"),
            PolicyType::Resource => resource_quota(cx),
            PolicyType::Scp | PolicyType::Rcp | PolicyType::Endpoint => return,
        };
        let span = cx.policy.span;
        // A text no longer than the quota in bytes cannot exceed it in
        // characters: skip the count for most policies.
        if cx.policy.span.len() <= quota {
            return;
        }
        let size = cx.policy_size();
        if size <= quota {
            return;
        }
        let start = span.start as usize;
        sink.report(
            Span::new(start, start + 1),
            format!("the policy has {size} characters without whitespace between tokens, over the {quota}-character quota of {what}"),
            "policy too large",
            "split it into several policies, or replace lists of actions by equivalent wildcards",
        );
    }
}

/// Resource-policy size quotas by service, from each service's quotas page
/// (characters or bytes as the service counts them).
const RESOURCE_QUOTAS: &[(&str, usize, &str)] = &[
    ("ecr", 10_240, "an ECR repository policy"),
    ("kms", 32_768, "a KMS key policy"),
    ("lambda", 20_480, "a Lambda function policy"),
    ("s3", 20_480, "an S3 bucket policy"),
    (
        "secretsmanager",
        20_480,
        "a Secrets Manager resource policy",
    ),
    ("sns", 30_720, "an SNS topic policy"),
    ("sqs", 8_192, "an SQS queue policy"),
];

/// The quota of a resource policy: its service's, when every action of the
/// policy belongs to one service in [`RESOURCE_QUOTAS`]; else 20,480, the
/// limit of S3, Lambda and Secrets Manager.
fn resource_quota(cx: &LintContext<'_>) -> (usize, &'static str) {
    let mut services = cx
        .policy
        .statements()
        .iter()
        .filter_map(|st| st.action.as_ref())
        .flat_map(|block| block.items.iter())
        .filter_map(|item| {
            item.raw
                .split_once(':')
                .map(|(p, _)| p.trim().to_ascii_lowercase())
        });
    let first = services.next();
    let single = first.filter(|f| services.all(|s| s == *f));
    single
        .and_then(|service| RESOURCE_QUOTAS.iter().find(|(p, _, _)| *p == service))
        .map_or((20_480, "a resource policy"), |(_, quota, what)| {
            (*quota, *what)
        })
}
