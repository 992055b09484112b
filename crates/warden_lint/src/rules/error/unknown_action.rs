//! E102 `unknown-action`: an action AWS does not define in a known service.

use warden_diagnostics::Severity;

use crate::{Category, LintContext, Rule, RuleMeta, Sink, StatementView};

/// See [`META`].
pub struct UnknownAction;

static META: RuleMeta = RuleMeta {
    code: "E102",
    name: "unknown-action",
    category: Category::Error,
    default_severity: Severity::Error,
    since: "0.1.0",
    summary: "An action name is not defined by its service.",
    what_it_does: "Checks every action without wildcards in `Action` and `NotAction` whose service \
        exists against the actions that service defines (case-insensitively), and suggests the \
        closest name. Names that AWS managed policies still use but the reference no longer \
        lists (`cloudhsm:DescribeHapg`) are reported by `retired-service-or-action` instead, as \
        warnings.\n\n\
        Access Analyzer: `INVALID_ACTION`. Differs in that retired or preview actions it still \
        accepts are not errors here either.",
    why_bad: "A misspelt action (`s3:GetObjects`) matches nothing, so the statement silently does \
        less than it says. Some names belong to actions AWS has removed; they still match nothing.",
    example: r#"{"Effect": "Allow", "Action": "s3:GetObjects", "Resource": "arn:aws:s3:::bucket/*"}"#,
    use_instead: r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/*"}"#,
    access_analyzer: &["INVALID_ACTION"],
};

/// How many unknown actions of one statement get a "did you mean".
const MAX_SUGGESTION_SEARCHES: usize = 100;

impl Rule for UnknownAction {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_statement(&self, cx: &LintContext<'_>, st: &StatementView<'_>, sink: &mut Sink) {
        let Some(block) = &st.statement.action else {
            return;
        };
        // Action lists are usually grouped by service: remember the last
        // service looked up.
        let mut last: Option<(&str, Option<warden_catalog::Service<'_>>)> = None;
        // A suggestion may search the whole catalog (22,000 actions); past
        // this many in one statement, the findings come without one, so a
        // list of 20,000 unknown names costs seconds, not minutes.
        let mut suggestions_left = MAX_SUGGESTION_SEARCHES;
        for item in block.items.iter().filter(|i| i.valid) {
            let raw = item.raw.trim();
            if raw.contains(['*', '?']) {
                continue;
            }
            let Some((service, name)) = raw.split_once(':') else {
                continue;
            };
            let (service, name) = (service.trim(), name.trim());
            let svc = match last {
                Some((prefix, svc)) if prefix.eq_ignore_ascii_case(service) => svc,
                _ => {
                    let svc = cx.catalog.service(service);
                    last = Some((service, svc));
                    svc
                }
            };
            let Some(svc) = svc else {
                continue; // E101 reports it.
            };
            // A retired action is W313's business (a warning).
            if svc.action(name).is_some() || cx.catalog.is_retired_action(raw) {
                continue;
            }
            let mut d = sink.finding(
                item.span,
                format!("`{service}:{name}` is not an action of {}", svc.name()),
                "unknown action",
            );
            let suggestion = (suggestions_left > 0).then(|| {
                suggestions_left -= 1;
                cx.catalog.suggest(&format!("{service}:{name}"))
            });
            if let Some(a) = suggestion.as_ref().and_then(|s| s.first()) {
                d = d.with_help(format!(
                    "did you mean `{}:{}`?",
                    a.service().prefix(),
                    a.name()
                ));
            }
            sink.push(d);
        }
    }
}
