//! E141 `scp-size-exceeded`: a service control policy longer than the
//! AWS Organizations quota.

use warden_diagnostics::Severity;

use crate::spans::opening;
use crate::{Category, LintContext, PolicyType, Rule, RuleMeta, Sink};

/// See [`META`].
pub struct ScpSizeExceeded;

/// The maximum size of an SCP, in characters ("Quotas for AWS Organizations").
const SCP_QUOTA: usize = 5_120;

static META: RuleMeta = RuleMeta {
    code: "E141",
    name: "scp-size-exceeded",
    category: Category::Error,
    default_severity: Severity::Error,
    since: "0.1.0",
    summary: "A service control policy is longer than 5,120 characters.",
    what_it_does: "Counts the characters of a service control policy without the whitespace \
        between JSON tokens (as the Organizations console stores it) and reports a policy \
        longer than the 5,120-character quota.",
    why_bad: "AWS Organizations rejects a larger SCP, so the guardrail it holds is never \
        applied. Whitespace inside strings counts; whitespace between tokens does not when the \
        console saves the policy (the API stores the text as sent, so it may fail even sooner).",
    example: r#"{"Version": "2012-10-17", "Statement": [ ... 6,000 characters of statements ... ]}"#,
    use_instead: r#"{"Version": "2012-10-17", "Statement": [ ... ]}
(split the statements across several SCPs attached to the same target, and use wildcards
such as "ec2:Delete*" instead of long action lists)"#,
    access_analyzer: &["POLICY_SIZE_EXCEEDS_SCP_QUOTA"],
};

impl Rule for ScpSizeExceeded {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_policy(&self, cx: &LintContext<'_>, sink: &mut Sink) {
        if cx.policy_type != PolicyType::Scp {
            return;
        }
        if cx.policy.span.len() <= SCP_QUOTA {
            return;
        }
        let size = cx.policy_size();
        if size <= SCP_QUOTA {
            return;
        }
        sink.report(
            opening(cx.policy.span),
            format!("this service control policy has {size} characters, more than the {SCP_QUOTA} AWS Organizations allows"),
            "policy too large",
            "split it into several SCPs, or shorten action lists with wildcards",
        );
    }
}
