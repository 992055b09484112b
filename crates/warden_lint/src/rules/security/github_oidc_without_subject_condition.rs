//! S208 `github-oidc-without-subject-condition`: a role trusts GitHub
//! Actions without saying which repository.

use warden_diagnostics::Severity;

use super::oidc::{GITHUB, providers};
use crate::{Category, LintContext, Rule, RuleMeta, Sink, StatementView};

/// See [`META`].
pub struct GithubOidcWithoutSubjectCondition;

static META: RuleMeta = RuleMeta {
    code: "S208",
    name: "github-oidc-without-subject-condition",
    category: Category::Security,
    default_severity: Severity::Security,
    since: "0.1.0",
    summary: "GitHub Actions' OIDC provider is trusted without `token.actions.githubusercontent.com:sub`.",
    what_it_does: "Finds `Allow` statements that federate with \
        `token.actions.githubusercontent.com` and whose `Condition` does not test its `sub` claim.",
    why_bad: "GitHub issues tokens to every workflow of every repository on github.com. Without a \
        condition on `sub`, which carries the repository and branch, a workflow in anyone's \
        repository can assume the role.",
    example: r#"{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"},
 "Action": "sts:AssumeRoleWithWebIdentity",
 "Condition": {"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}}}"#,
    use_instead: r#"{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"},
 "Action": "sts:AssumeRoleWithWebIdentity",
 "Condition": {"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                                "token.actions.githubusercontent.com:sub": "repo:octo-org/app:ref:refs/heads/main"}}}"#,
    access_analyzer: &["MISSING_GITHUB_REPO_CONDITION_KEY"],
};

impl Rule for GithubOidcWithoutSubjectCondition {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_statement(&self, _cx: &LintContext<'_>, st: &StatementView<'_>, sink: &mut Sink) {
        if !st.is_allow() {
            return;
        }
        let sub = format!("{GITHUB}:sub");
        for (provider, span) in providers(st.statement) {
            if !provider.eq_ignore_ascii_case(GITHUB) {
                continue;
            }
            if st
                .conditions()
                .any(|(_, e)| e.key.value.eq_ignore_ascii_case(&sub))
            {
                continue;
            }
            let d = sink
                .finding(
                    span,
                    format!("GitHub Actions is trusted without a condition on `{sub}`, so a workflow in any repository can assume the role"),
                    "no repository condition",
                )
                .with_help(format!("add `\"StringEquals\": {{\"{sub}\": \"repo:<owner>/<repo>:ref:refs/heads/<branch>\"}}`"));
            sink.push(d);
        }
    }
}
