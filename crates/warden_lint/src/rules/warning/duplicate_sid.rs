//! W305 `duplicate-sid`: two statements of an identity policy share a `Sid`.

use warden_diagnostics::Severity;

use crate::rules::security::common::report_duplicate_sids;
use crate::{Category, LintContext, Rule, RuleMeta, Sink};

/// See [`META`].
pub struct DuplicateSid;

static META: RuleMeta = RuleMeta {
    code: "W305",
    name: "duplicate-sid",
    category: Category::Warning,
    default_severity: Severity::Warning,
    since: "0.1.0",
    summary: "Statements of a resource policy, SCP or RCP share a `Sid`.",
    what_it_does: "Finds, in resource policies, service control policies and resource control \
        policies, a non-empty `Sid` equal to the `Sid` of an earlier statement. (In identity and \
        role trust policies, where IAM rejects duplicates, E139 reports them.)",
    why_bad: "A `Sid` names a statement in reviews, in tooling and in error messages. Where a \
        service accepts duplicates, a name no longer says which statement is meant, and copying \
        the policy to a service that rejects them fails.",
    example: r#"[{"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
 {"Sid": "Read", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}]"#,
    use_instead: r#"[{"Sid": "ReadObjects", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
 {"Sid": "ListBuckets", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}]"#,
    access_analyzer: &["UNIQUE_SIDS_RECOMMENDED"],
};

impl Rule for DuplicateSid {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_policy(&self, cx: &LintContext<'_>, sink: &mut Sink) {
        if cx.is_iam_policy() {
            return;
        }
        report_duplicate_sids(
            cx,
            sink,
            |sid| format!("the `Sid` `{sid}` is used by an earlier statement"),
            "give each statement its own `Sid`",
        );
    }
}
