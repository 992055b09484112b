//! H415 `allow-with-unsupported-tag-condition-key`: an `Allow` conditioned
//! on tags, for services that do not provide those tags.

use warden_diagnostics::Severity;

use warden_catalog::Action;

use crate::rules::security::common::{false_when_key_absent, quoted_list};
use crate::rules::security::tag_support::{is_tag_key, report_unsupported_tag_keys};
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
        do not document that key in the service authorization reference. Then, action by \
        action, lists the actions named without wildcards whose service documents the key but \
        whose own entry (the action and its resource types) does not (`ec2:DescribeInstances` \
        with `aws:ResourceTag/...`).\n\n\
        Access Analyzer: `ALLOW_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE` and \
        `ALLOW_NOTACTION_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE` (suggestions). Same \
        severity; the per-action part follows Access Analyzer's per-action findings.",
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
        report_unsupported_actions(st, sink);
    }
}

/// Per action: the actions named without wildcards whose service documents
/// the tag key but whose own entry in the reference (the action and its
/// resource types) does not, such as `ec2:DescribeInstances` under
/// `aws:ResourceTag/...` (Access Analyzer decides these per action too).
fn report_unsupported_actions(st: &StatementView<'_>, sink: &mut Sink) {
    if st.statement.action.as_ref().is_none_or(|b| b.negated) {
        return;
    }
    let tag_entries: Vec<_> = st
        .conditions()
        .filter(|(op, e)| is_tag_key(&e.key.value) && false_when_key_absent(op, e))
        .map(|(_, e)| e)
        .collect();
    if tag_entries.is_empty() {
        return;
    }
    let named = st.named_actions();
    for entry in tag_entries {
        let key = entry.key.value.as_str();
        let unsupported: Vec<_> = named
            .iter()
            .filter(|(_, a)| a.service().condition_key(key).is_some() && !lists_key(a, key))
            .collect();
        let Some((first, _)) = unsupported.first() else {
            continue;
        };
        let mut d = sink
            .finding(
                entry.key.span,
                format!(
                    "`{key}` is never set for {}: this statement never allows those actions",
                    quoted_list(unsupported.iter().map(|(_, a)| a), 5)
                ),
                "not provided by every action",
            )
            .with_secondary(first.span, "never carries this key");
        for (item, _) in unsupported.iter().skip(1) {
            d = d.with_secondary(item.span, "");
        }
        sink.push(
            d.with_help("if the principal needs these actions, allow them in a separate statement scoped by resource ARN"),
        );
    }
}

/// Whether the reference lists `key` for the action itself or for one of its
/// resource types (not counting the global fallback).
fn lists_key(action: &Action<'_>, key: &str) -> bool {
    action.condition_keys().any(|k| k.matches(key))
        || action.resources().any(|r| {
            r.condition_keys()
                .chain(r.resource_type().condition_keys())
                .any(|k| k.matches(key))
        })
}
