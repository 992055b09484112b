//! S205 `deny-with-unsupported-tag-condition-key`: a `Deny` conditioned on
//! tags, for services that do not provide those tags.

use warden_diagnostics::Severity;

use super::tag_support::report_unsupported_tag_keys;
use crate::{Category, LintContext, Rule, RuleMeta, Sink, StatementView};

/// See [`META`].
pub struct DenyWithUnsupportedTagConditionKey;

static META: RuleMeta = RuleMeta {
    code: "S205",
    name: "deny-with-unsupported-tag-condition-key",
    category: Category::Security,
    default_severity: Severity::Security,
    since: "0.1.0",
    summary: "A `Deny` depends on a tag condition key that some of its services never provide.",
    what_it_does: "Finds `Deny` statements that test `aws:ResourceTag/...`, `aws:RequestTag/...` \
        or `aws:TagKeys` with an operator that is false when the key is missing, and lists the \
        services among the statement's actions (`Action`, or the complement of `NotAction`) that \
        do not document that key in the service authorization reference. A `Deny` of every \
        action (`\"Action\": \"*\"`) is not reported: it is written to apply to whatever \
        request carries the key, and services that never set the key are not a hole in it.\n\n\
        Access Analyzer: `DENY_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE` and \
        `DENY_NOTACTION_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE`. Differs in leaving \
        `\"Action\": \"*\"` alone.",
    why_bad: "A service that does not support the tag key never puts it in the request, so the \
        condition is false and the `Deny` never applies to that service's actions. The guardrail \
        silently has a hole.",
    example: r#"{"Effect": "Deny", "Action": ["ec2:TerminateInstances", "route53:DeleteHostedZone"], "Resource": "*",
 "Condition": {"StringEquals": {"aws:ResourceTag/env": "prod"}}}"#,
    use_instead: r#"{"Effect": "Deny", "Action": "ec2:TerminateInstances", "Resource": "*",
 "Condition": {"StringEquals": {"aws:ResourceTag/env": "prod"}}}"#,
    access_analyzer: &[
        "DENY_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE",
        "DENY_NOTACTION_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE",
    ],
};

impl Rule for DenyWithUnsupportedTagConditionKey {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_statement(&self, _cx: &LintContext<'_>, st: &StatementView<'_>, sink: &mut Sink) {
        if st.is_allow() || st.statement.effect.is_none() {
            return;
        }
        // A Deny of every action (`"Action": "*"`) conditioned on tags is
        // deliberately broad: it applies to whatever request carries the
        // key, as AWS's `ProtectDataPerimeterTags` SCP does with
        // `aws:TagKeys`. A service that never sets the key cannot be used
        // to do what the Deny guards against, so there is no hole.
        let every_action = st.statement.action.as_ref().is_some_and(|a| {
            !a.negated && a.items.iter().any(|i| matches!(i.raw.trim(), "*" | "*:*"))
        });
        if every_action {
            return;
        }
        let negated = st.statement.action.as_ref().is_some_and(|a| a.negated);
        let whose = if negated {
            "the actions `NotAction` leaves"
        } else {
            "the listed actions"
        };
        report_unsupported_tag_keys(
            st,
            sink,
            (whose, "this `Deny` does not apply to them"),
            "move the actions of those services to a statement without tag conditions, or deny them by resource ARN",
        );
    }
}
