//! H407 `empty-sid`: `"Sid": ""`.

use warden_diagnostics::Severity;

use crate::{Category, LintContext, Rule, RuleMeta, Sink, StatementView};

/// See [`META`].
pub struct EmptySid;

static META: RuleMeta = RuleMeta {
    code: "H407",
    name: "empty-sid",
    category: Category::Suggestion,
    default_severity: Severity::Suggestion,
    since: "0.1.0",
    summary: "A statement's `Sid` is the empty string.",
    what_it_does: "Finds `\"Sid\": \"\"`.",
    why_bad: "An empty `Sid` names nothing; it is noise left by a template or a generator.",
    example: r#"{"Sid": "", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}"#,
    use_instead: r#"{"Sid": "ReadObjects", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}"#,
    access_analyzer: &["EMPTY_SID_VALUE"],
};

impl Rule for EmptySid {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_statement(&self, _cx: &LintContext<'_>, st: &StatementView<'_>, sink: &mut Sink) {
        let Some(sid) = st.statement.sid.as_ref().filter(|s| s.value.is_empty()) else {
            return;
        };
        sink.report(
            sid.span,
            "the `Sid` is empty",
            "empty `Sid`",
            "name the statement, or remove `Sid`",
        );
    }
}
