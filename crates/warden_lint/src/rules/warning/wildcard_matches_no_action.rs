//! W311 `wildcard-matches-no-action`: an action pattern that matches no
//! action of its service.

use warden_diagnostics::Severity;
use warden_policy::glob::{glob_match_ignore_case, has_wildcard};

use crate::{Category, LintContext, Rule, RuleMeta, Sink, StatementView};

/// See [`META`].
pub struct WildcardMatchesNoAction;

static META: RuleMeta = RuleMeta {
    code: "W311",
    name: "wildcard-matches-no-action",
    category: Category::Warning,
    default_severity: Severity::Warning,
    since: "0.1.0",
    summary: "An action pattern with wildcards matches no known action.",
    what_it_does: "Expands every pattern with `*` or `?` in `Action` and `NotAction` against the \
        service catalog and reports those that match nothing although their service exists \
        (unknown services are E101's business).",
    why_bad: "A pattern that matches nothing does nothing: `s3:Get*Objects` grants no access, and \
        in a `Deny` or `NotAction` it protects nothing. It is usually a misspelling of the \
        intended pattern.",
    example: r#"{"Effect": "Allow", "Action": "s3:Gte*", "Resource": "*"}"#,
    use_instead: r#"{"Effect": "Allow", "Action": "s3:Get*", "Resource": "*"}"#,
    access_analyzer: &[],
};

impl Rule for WildcardMatchesNoAction {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_statement(&self, cx: &LintContext<'_>, st: &StatementView<'_>, sink: &mut Sink) {
        let Some(block) = &st.statement.action else {
            return;
        };
        for item in block.items.iter().filter(|i| i.valid) {
            let raw = item.raw.trim();
            let Some((service, _)) = raw.split_once(':') else {
                continue;
            };
            if !has_wildcard(raw) {
                continue;
            }
            let service_known = if has_wildcard(service) {
                cx.catalog
                    .services()
                    .any(|s| glob_match_ignore_case(service, s.prefix()))
            } else {
                cx.catalog.service(service).is_some()
            };
            if !service_known || !cx.catalog.expand(raw).is_empty() {
                continue;
            }
            sink.report(
                item.span,
                format!("`{raw}` matches no action of the AWS service catalog"),
                "matches nothing",
                "check the spelling of the pattern against the service's actions",
            );
        }
    }
}
