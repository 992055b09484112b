//! W306 `wildcard-without-like-operator`: `*` or `?` in a value compared
//! literally.

use warden_diagnostics::Severity;
use warden_policy::operator::OperatorFamily;

use crate::{Category, LintContext, Rule, RuleMeta, Sink, StatementView};

/// See [`META`].
pub struct WildcardWithoutLikeOperator;

static META: RuleMeta = RuleMeta {
    code: "W306",
    name: "wildcard-without-like-operator",
    category: Category::Warning,
    default_severity: Severity::Warning,
    since: "0.1.0",
    summary: "A condition value contains `*` or `?`, but its operator compares literally.",
    what_it_does: "Finds values containing `*` or `?` (not written as `${*}` or `${?}`) under \
        string operators that do not use wildcards: `StringEquals`, `StringNotEquals` and their \
        `IgnoreCase` forms.",
    why_bad: "Under `StringEquals` a `*` is an ordinary character, so `team-*` matches only the \
        literal text `team-*`. An `Allow` then grants nothing and a `Deny` blocks nothing.",
    example: r#"{"Condition": {"StringEquals": {"aws:PrincipalTag/team": "platform-*"}}}"#,
    use_instead: r#"{"Condition": {"StringLike": {"aws:PrincipalTag/team": "platform-*"}}}"#,
    access_analyzer: &["WILDCARD_WITHOUT_LIKE_OPERATOR"],
};

impl Rule for WildcardWithoutLikeOperator {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_statement(&self, _cx: &LintContext<'_>, st: &StatementView<'_>, sink: &mut Sink) {
        for (base, op, entry) in st.known_conditions() {
            if base.family() != OperatorFamily::String || base.uses_wildcards() {
                continue;
            }
            for v in entry.values.iter().filter(|v| v.pattern.has_wildcard()) {
                let like = if base.is_negated() {
                    "StringNotLike"
                } else {
                    "StringLike"
                };
                sink.report(
                    v.span,
                    format!("`{}` contains a wildcard, but `{}` compares it as plain text", v.raw, op.operator.raw),
                    "literal `*` or `?`",
                    format!("use `{like}` if the wildcard is meant; write `${{*}}` or `${{?}}` for a literal character"),
                );
            }
        }
    }
}
