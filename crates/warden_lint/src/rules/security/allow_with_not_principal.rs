//! S202 `allow-with-not-principal`: `Allow` combined with `NotPrincipal`.

use warden_diagnostics::Severity;

use crate::{Category, LintContext, Rule, RuleMeta, Sink, StatementView};

/// See [`META`].
pub struct AllowWithNotPrincipal;

static META: RuleMeta = RuleMeta {
    code: "S202",
    name: "allow-with-not-principal",
    category: Category::Security,
    default_severity: Severity::Security,
    since: "0.1.0",
    summary: "An `Allow` statement names its principals with `NotPrincipal`.",
    what_it_does: "Finds statements with `\"Effect\": \"Allow\"` whose principals are given by \
        `NotPrincipal`.",
    why_bad: "`Allow` with `NotPrincipal` grants access to every principal except the listed ones: \
        other accounts, federated users and anonymous callers included. The list of exceptions is \
        almost never what the author meant to allow.",
    example: r#"{"Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:user/mallory"},
 "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/*"}"#,
    use_instead: r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/reader"},
 "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/*"}"#,
    access_analyzer: &["ALLOW_WITH_NOTPRINCIPAL"],
};

impl Rule for AllowWithNotPrincipal {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_statement(&self, _cx: &LintContext<'_>, st: &StatementView<'_>, sink: &mut Sink) {
        let Some(p) = st.statement.principal.as_ref().filter(|p| p.negated) else {
            return;
        };
        if !st.is_allow() {
            return;
        }
        let d = sink
            .finding(
                p.key_span,
                "`Allow` with `NotPrincipal` grants access to everyone not listed, anonymous callers included",
                "allows every other principal",
            )
            .with_help("name the principals that need access in `Principal`; keep `NotPrincipal` for `Deny` statements");
        sink.push(d);
    }
}
