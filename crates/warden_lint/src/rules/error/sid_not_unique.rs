//! E139 `sid-not-unique`: two statements with the same `Sid` in an IAM
//! policy.

use warden_diagnostics::Severity;

use crate::rules::security::common::report_duplicate_sids;
use crate::{Category, LintContext, Rule, RuleMeta, Sink};

/// See [`META`].
pub struct SidNotUnique;

static META: RuleMeta = RuleMeta {
    code: "E139",
    name: "sid-not-unique",
    category: Category::Error,
    default_severity: Severity::Error,
    since: "0.1.0",
    summary: "Two statements of an identity-based or role trust policy share a `Sid`.",
    what_it_does: "In identity-based policies and role trust policies, finds statements whose \
        non-empty `Sid` repeats an earlier statement's `Sid`.",
    why_bad: "IAM requires statement ids to be unique within a policy and rejects the policy \
        otherwise. (Other resource-based policies may accept duplicates; there they are only \
        confusing.)",
    example: r#"[{"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
 {"Sid": "Read", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}]"#,
    use_instead: r#"[{"Sid": "ReadObjects", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
 {"Sid": "ListBuckets", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}]"#,
    access_analyzer: &["UNIQUE_SIDS_REQUIRED"],
};

impl Rule for SidNotUnique {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_policy(&self, cx: &LintContext<'_>, sink: &mut Sink) {
        if !cx.is_iam_policy() {
            return;
        }
        report_duplicate_sids(
            cx,
            sink,
            |sid| format!("`Sid` `{sid}` is used twice"),
            "give every statement its own `Sid`",
        );
    }
}
