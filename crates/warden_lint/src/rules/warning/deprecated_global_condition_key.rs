//! W302 `deprecated-global-condition-key`: `aws:ARN`.

use warden_diagnostics::Severity;

use crate::{Category, LintContext, Rule, RuleMeta, Sink, StatementView};

/// See [`META`].
pub struct DeprecatedGlobalConditionKey;

static META: RuleMeta = RuleMeta {
    code: "W302",
    name: "deprecated-global-condition-key",
    category: Category::Warning,
    default_severity: Severity::Warning,
    since: "0.1.0",
    summary: "A condition uses the deprecated global key `aws:ARN`.",
    what_it_does: "Finds condition entries whose key is `aws:ARN` (in any letter case).",
    why_bad: "`aws:ARN` is deprecated: it is not clear whether it names the caller or the \
        resource, and AWS no longer documents which requests carry it.",
    example: r#"{"Condition": {"ArnLike": {"aws:ARN": "arn:aws:iam::111122223333:role/ops-*"}}}"#,
    use_instead: r#"{"Condition": {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/ops-*"}}}"#,
    access_analyzer: &["DEPRECATED_GLOBAL_CONDITION_KEY"],
};

impl Rule for DeprecatedGlobalConditionKey {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_statement(&self, _cx: &LintContext<'_>, st: &StatementView<'_>, sink: &mut Sink) {
        for (_, entry) in st.conditions() {
            if !entry.key.value.eq_ignore_ascii_case("aws:ARN") {
                continue;
            }
            sink.report(
                entry.key.span,
                format!("`{}` is a deprecated global condition key", entry.key.value),
                "deprecated",
                "use `aws:PrincipalArn` for the caller or `aws:SourceArn` for the source resource",
            );
        }
    }
}
