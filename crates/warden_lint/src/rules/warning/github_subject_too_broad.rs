//! W310 `github-subject-too-broad`: a wildcard in the repository part of
//! GitHub's `sub` claim.

use warden_diagnostics::Severity;

use crate::rules::security::oidc::GITHUB;
use crate::{Category, LintContext, Rule, RuleMeta, Sink, StatementView};

/// See [`META`].
pub struct GithubSubjectTooBroad;

static META: RuleMeta = RuleMeta {
    code: "W310",
    name: "github-subject-too-broad",
    category: Category::Warning,
    default_severity: Severity::Warning,
    since: "0.1.0",
    summary: "The `token.actions.githubusercontent.com:sub` condition leaves the repository open.",
    what_it_does: "Finds `Allow` statements whose values for \
        `token.actions.githubusercontent.com:sub`, under an operator that uses wildcards \
        (`StringLike`), have a `*` or `?` in the owner or repository name (`repo:octo-org/*`), or \
        do not start with `repo:` and contain a wildcard (`*`). Wildcards after the repository \
        (branches, environments) are accepted.",
    why_bad: "The `sub` claim is the only thing that ties a GitHub token to a repository. A \
        wildcard there lets workflows of other repositories, including forks and repositories \
        created later, assume the role.",
    example: r#"{"Condition": {"StringLike": {"token.actions.githubusercontent.com:sub": "repo:octo-org/*"}}}"#,
    use_instead: r#"{"Condition": {"StringLike": {"token.actions.githubusercontent.com:sub": "repo:octo-org/app:ref:refs/heads/*"}}}"#,
    access_analyzer: &["SPECIFIC_GITHUB_REPO_AND_BRANCH_RECOMMENDED"],
};

/// Whether a `sub` pattern leaves the owner or repository open.
fn too_broad(value: &str) -> bool {
    let wild = |s: &str| s.contains(['*', '?']);
    match value.strip_prefix("repo:") {
        Some(rest) => wild(rest.split(':').next().unwrap_or(rest)),
        None => wild(value),
    }
}

impl Rule for GithubSubjectTooBroad {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_statement(&self, _cx: &LintContext<'_>, st: &StatementView<'_>, sink: &mut Sink) {
        if !st.is_allow() {
            return;
        }
        let key = format!("{GITHUB}:sub");
        for (op, entry) in st.conditions() {
            let wildcards = op
                .operator
                .base
                .is_some_and(|b| b.uses_wildcards() && !b.is_negated());
            if !wildcards || !entry.key.value.eq_ignore_ascii_case(&key) {
                continue;
            }
            for v in entry.values.iter().filter(|v| too_broad(&v.raw)) {
                sink.report(
                    v.span,
                    format!("`{}` lets workflows of any matching repository assume the role", v.raw),
                    "repository left open",
                    "name the owner and repository exactly, as in `repo:<owner>/<repo>:ref:refs/heads/<branch>`",
                );
            }
        }
    }
}
