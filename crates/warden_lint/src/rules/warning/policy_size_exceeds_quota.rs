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
        does, and compares the count with the default quota: 6,144 for managed identity \
        policies, 2,048 for role trust policies, and 20,480 for resource policies (the limit of \
        S3 bucket, Secrets Manager and Lambda policies; other services differ). Service control \
        policies are checked by an error rule.",
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
            PolicyType::Identity => (6_144, "a managed identity policy"),
            PolicyType::Trust => (2_048, "a role trust policy"),
            PolicyType::Resource => (20_480, "a resource policy"),
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
