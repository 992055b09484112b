//! S213 `allow-with-not-action`: `Allow` combined with `NotAction`.

use warden_diagnostics::Severity;

use crate::{Category, LintContext, Rule, RuleMeta, Sink, StatementView};

/// See [`META`].
pub struct AllowWithNotAction;

static META: RuleMeta = RuleMeta {
    code: "S213",
    name: "allow-with-not-action",
    category: Category::Security,
    default_severity: Severity::Security,
    since: "0.1.0",
    summary: "An `Allow` statement lists the actions it does not grant with `NotAction`.",
    what_it_does: "Finds statements with `\"Effect\": \"Allow\"` and `NotAction` in identity, \
        resource and trust policies (service control policies have their own error for it).",
    why_bad: "`Allow` with `NotAction` grants every action of every service except the listed \
        ones, including actions and services AWS adds later. It is almost always far broader \
        than intended.",
    example: r#"{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}"#,
    use_instead: r#"{"Effect": "Allow", "Action": ["s3:*", "dynamodb:*"], "Resource": "*"}"#,
    access_analyzer: &[],
};

impl Rule for AllowWithNotAction {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_statement(&self, cx: &LintContext<'_>, st: &StatementView<'_>, sink: &mut Sink) {
        if !cx.policy_type.grants() || !st.is_allow() {
            return;
        }
        let Some(block) = st.statement.action.as_ref().filter(|a| a.negated) else {
            return;
        };
        let excluded: Vec<&str> = block.items.iter().map(|i| i.raw.trim()).collect();
        let d = sink
            .finding(
                block.key_span,
                format!(
                    "`Allow` with `NotAction` grants every action of every service except {}",
                    super::common::name_list(&excluded, 4)
                ),
                "allows everything not listed",
            )
            .with_help(
                "list the actions to allow in `Action`; use `NotAction` in `Deny` statements",
            );
        sink.push(d);
    }
}
