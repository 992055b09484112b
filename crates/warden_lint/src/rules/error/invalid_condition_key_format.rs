//! E111 `invalid-condition-key-format`: a condition key that is not
//! `prefix:name`.

use warden_diagnostics::Severity;

use crate::{Category, LintContext, Rule, RuleMeta, Sink, StatementView};

/// See [`META`].
pub struct InvalidConditionKeyFormat;

static META: RuleMeta = RuleMeta {
    code: "E111",
    name: "invalid-condition-key-format",
    category: Category::Error,
    default_severity: Severity::Error,
    since: "0.1.0",
    summary: "A condition key is not written `prefix:name`.",
    what_it_does: "Finds condition keys without a `:`, with nothing before or after the first \
        `:`, or with whitespace in them.",
    why_bad: "Every condition key has a prefix (`aws`, a service prefix, or an identity \
        provider) and a name. A key without one (`SourceIp`, `aws:`) is never in the request, so \
        the condition never holds as the author meant: an `Allow` never applies, and a negated \
        operator in a `Deny` always does.",
    example: r#"{"Effect": "Deny", "Action": "*", "Resource": "*",
 "Condition": {"NotIpAddress": {"SourceIp": "203.0.113.0/24"}}}"#,
    use_instead: r#"{"Effect": "Deny", "Action": "*", "Resource": "*",
 "Condition": {"NotIpAddress": {"aws:SourceIp": "203.0.113.0/24"}}}"#,
    access_analyzer: &["INVALID_CONDITION_KEY_FORMAT"],
};

impl Rule for InvalidConditionKeyFormat {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_statement(&self, _cx: &LintContext<'_>, st: &StatementView<'_>, sink: &mut Sink) {
        for (_, entry) in st.conditions() {
            let key = &entry.key.value;
            let well_formed = key
                .split_once(':')
                .is_some_and(|(p, n)| !p.is_empty() && !n.is_empty())
                && !key.chars().any(char::is_whitespace);
            if well_formed {
                continue;
            }
            sink.report(
                entry.key.span,
                format!("condition key `{key}` is not of the form `prefix:name`"),
                "malformed condition key",
                "write keys as `aws:SourceIp`, `s3:prefix`, `aws:ResourceTag/team`",
            );
        }
    }
}
