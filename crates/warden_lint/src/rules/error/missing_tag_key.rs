//! E114 `missing-tag-key`: a tag condition key without the tag's name.

use warden_diagnostics::Severity;

use crate::{Category, LintContext, Rule, RuleMeta, Sink, StatementView};

/// See [`META`].
pub struct MissingTagKey;

static META: RuleMeta = RuleMeta {
    code: "E114",
    name: "missing-tag-key",
    category: Category::Error,
    default_severity: Severity::Error,
    since: "0.1.0",
    summary: "A tag condition key such as `aws:ResourceTag` lacks the `/tag-key` part.",
    what_it_does: "Finds condition keys that are the stem of a tag key pattern without a tag \
        name: `aws:ResourceTag`, `aws:RequestTag/`, `aws:PrincipalTag`, \
        `s3:ExistingObjectTag`, and the like for every service key written `.../${TagKey}` or \
        `.../<key>` in the service authorization reference.",
    why_bad: "Tag keys name one tag: `aws:ResourceTag/team`. The bare stem is not a key of any \
        request, so the condition never holds as written and the statement does not control \
        access by tags at all.",
    example: r#"{"Effect": "Allow", "Action": "ec2:StartInstances", "Resource": "*",
 "Condition": {"StringEquals": {"aws:ResourceTag": "team=web"}}}"#,
    use_instead: r#"{"Effect": "Allow", "Action": "ec2:StartInstances", "Resource": "*",
 "Condition": {"StringEquals": {"aws:ResourceTag/team": "web"}}}"#,
    access_analyzer: &["MISSING_TAG_KEY_IN_CONDITION"],
};

impl Rule for MissingTagKey {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_statement(&self, cx: &LintContext<'_>, st: &StatementView<'_>, sink: &mut Sink) {
        for (_, entry) in st.conditions() {
            let key = &entry.key.value;
            let Some(pattern) = cx.missing_tag_key(key) else {
                continue;
            };
            let stem = key.strip_suffix('/').unwrap_or(key);
            sink.report(
                entry.key.span,
                format!("condition key `{key}` does not name a tag"),
                "tag key missing",
                format!("write `{stem}/<tag-key>` (the key is `{pattern}`), such as `{stem}/team`"),
            );
        }
    }
}
