//! E120 `variable-in-principal`: a policy variable in `Principal`.

use warden_diagnostics::Severity;
use warden_policy::pattern::Pattern;

use crate::{Category, LintContext, Rule, RuleMeta, Sink, StatementView};

/// See [`META`].
pub struct VariableInPrincipal;

static META: RuleMeta = RuleMeta {
    code: "E120",
    name: "variable-in-principal",
    category: Category::Error,
    default_severity: Severity::Error,
    since: "0.1.0",
    summary: "A policy variable is used in `Principal` or `NotPrincipal`.",
    what_it_does: "Finds principal values containing a policy variable such as \
        `${aws:username}`. (Variables in `Action` are reported by the parser as invalid \
        actions.)",
    why_bad: "Policy variables are substituted only in `Resource` and in string and ARN \
        conditions. In a principal the text is taken literally, which names no principal; AWS \
        rejects most such policies.",
    example: r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/${aws:username}"},
 "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/*"}"#,
    use_instead: r#"{"Effect": "Allow", "Principal": {"AWS": "111122223333"},
 "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/${aws:username}/*"}"#,
    access_analyzer: &["VARIABLE_UNSUPPORTED_IN_ELEMENT"],
};

impl Rule for VariableInPrincipal {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_statement(&self, _cx: &LintContext<'_>, st: &StatementView<'_>, sink: &mut Sink) {
        for (kind, v) in st.principal_values() {
            let (pattern, _) = Pattern::parse(&v.value, true);
            let Some(var) = pattern.variables().next() else {
                continue;
            };
            sink.report(
                v.span,
                format!(
                    "`{}` principal `{}` uses the policy variable `${{{}}}`",
                    kind.key(),
                    v.value,
                    var.key
                ),
                "variables are not substituted here",
                "name principals literally; use variables in `Resource` or in string conditions",
            );
        }
    }
}
