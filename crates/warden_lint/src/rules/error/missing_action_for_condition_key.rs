//! E126 `missing-action-for-condition-key`: a trust policy conditions on a
//! session value without allowing the action that sets it.

use warden_diagnostics::Severity;

use crate::spans::opening;
use crate::{Category, LintContext, Rule, RuleMeta, Sink, StatementView};

/// See [`META`].
pub struct MissingActionForConditionKey;

static META: RuleMeta = RuleMeta {
    code: "E126",
    name: "missing-action-for-condition-key",
    category: Category::Error,
    default_severity: Severity::Error,
    since: "0.1.0",
    summary: "A trust policy tests session tags or a source identity without allowing the action that sets them.",
    what_it_does: "In role trust policies, finds `Allow` statements that test `sts:SourceIdentity` \
        when no `Allow` statement of the policy allows `sts:SetSourceIdentity`, or that test \
        session tags (`aws:RequestTag/...`, `aws:TagKeys`, `sts:TransitiveTagKeys`) when none \
        allows `sts:TagSession`. The action may be allowed by another statement (the IAM guide's \
        session-tags trust policy does so).\n\n\
        Access Analyzer: `MISSING_ACTION_FOR_CONDITION_KEY`. Same check, decided over the whole \
        policy.",
    why_bad: "Setting a source identity or passing session tags when assuming a role needs the \
        matching permission in the trust policy. Without it the values the condition tests can \
        never be set, so the assumption fails whenever they are passed.",
    example: r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/ci"}, "Action": "sts:AssumeRole",
 "Condition": {"StringEquals": {"aws:RequestTag/project": "web"}}}"#,
    use_instead: r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/ci"},
 "Action": ["sts:AssumeRole", "sts:TagSession"],
 "Condition": {"StringEquals": {"aws:RequestTag/project": "web"}}}"#,
    access_analyzer: &["MISSING_ACTION_FOR_CONDITION_KEY"],
};

/// The action a trust policy must allow for the key to be set.
fn required_action(key: &str) -> Option<&'static str> {
    let lower = key.to_ascii_lowercase();
    if lower == "sts:sourceidentity" {
        Some("SetSourceIdentity")
    } else if lower.starts_with("aws:requesttag/")
        || lower == "aws:tagkeys"
        || lower == "sts:transitivetagkeys"
    {
        Some("TagSession")
    } else {
        None
    }
}

impl Rule for MissingActionForConditionKey {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_statement(&self, cx: &LintContext<'_>, st: &StatementView<'_>, sink: &mut Sink) {
        let Some(block) = cx.trust_allow_action(st) else {
            return;
        };
        for (_, entry) in st.conditions() {
            let Some(action) = required_action(&entry.key.value) else {
                continue;
            };
            // Decided over the whole policy: the IAM guide's session-tags
            // trust policy allows `sts:AssumeRole` in one statement and
            // `sts:TagSession` in another, and that works.
            let allowed_anywhere = cx
                .statements()
                .iter()
                .any(|s| cx.trust_allow_action(s).is_some() && s.grants_action("sts", action));
            if allowed_anywhere {
                continue;
            }
            let d = sink
                .finding(
                    entry.key.span,
                    format!(
                        "`{}` is tested but the statement does not allow `sts:{action}`",
                        entry.key.value
                    ),
                    format!("set only with `sts:{action}`"),
                )
                .with_secondary(opening(block.span), "add it here")
                .with_help(format!("add `sts:{action}` to `Action`"));
            sink.push(d);
        }
    }
}
