//! H415 `allow-with-unsupported-tag-condition-key`: an `Allow` conditioned
//! on tags, for services that do not provide those tags.

use warden_diagnostics::Severity;

use crate::rules::security::tag_support::report_unsupported_tag_keys;
use crate::{Category, LintContext, Rule, RuleMeta, Sink, StatementView};

/// See [`META`].
pub struct AllowWithUnsupportedTagConditionKey;

static META: RuleMeta = RuleMeta {
    code: "H415",
    name: "allow-with-unsupported-tag-condition-key",
    category: Category::Suggestion,
    default_severity: Severity::Suggestion,
    since: "0.1.0",
    summary: "An `Allow` depends on a tag condition key that some of its services never provide.",
    what_it_does: "Finds `Allow` statements that test `aws:ResourceTag/...`, `aws:RequestTag/...` \
        or `aws:TagKeys` with an operator that is false when the key is missing, and lists the \
        services among the statement's actions (`Action`, or the complement of `NotAction`) that \
        do not document that key in the service authorization reference.",
    why_bad: "A service that does not support the tag key never puts it in the request, so the \
        statement never allows that service's actions. They are dead weight that suggests access \
        the principal does not have.",
    example: r#"{"Effect": "Allow", "Action": ["ec2:StartInstances", "route53:ChangeResourceRecordSets"], "Resource": "*",
 "Condition": {"StringEquals": {"aws:ResourceTag/team": "web"}}}"#,
    use_instead: r#"[{"Effect": "Allow", "Action": "ec2:StartInstances", "Resource": "*",
  "Condition": {"StringEquals": {"aws:ResourceTag/team": "web"}}},
 {"Effect": "Allow", "Action": "route53:ChangeResourceRecordSets", "Resource": "arn:aws:route53:::hostedzone/Z123"}]"#,
    access_analyzer: &[
        "ALLOW_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE",
        "ALLOW_NOTACTION_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE",
    ],
};

impl Rule for AllowWithUnsupportedTagConditionKey {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_statement(&self, _cx: &LintContext<'_>, st: &StatementView<'_>, sink: &mut Sink) {
        if !st.is_allow() {
            return;
        }
        report_unsupported_tag_keys(
            st,
            sink,
            ("this statement's actions", "they are never allowed"),
            "allow those services' actions in a separate statement scoped by resource ARN",
        );
    }
}
