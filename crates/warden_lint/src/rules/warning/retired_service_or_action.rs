//! W330 `retired-service-or-action`: an action of a retired service, or a
//! retired action, that the service reference no longer lists.

use warden_catalog::DATA_DATE;
use warden_diagnostics::Severity;

use crate::{Category, LintContext, Rule, RuleMeta, Sink, StatementView};

/// See [`META`].
pub struct RetiredServiceOrAction;

static META: RuleMeta = RuleMeta {
    code: "W330",
    name: "retired-service-or-action",
    category: Category::Warning,
    default_severity: Severity::Warning,
    since: "0.1.0",
    summary: "An action names a service or action that AWS has retired (or not yet documented).",
    what_it_does: "Reports entries of `Action` and `NotAction` whose service prefix, or whose \
        exact `service:action` name, the embedded service authorization reference does not list \
        although AWS managed policies in force still use it: retired services (`deepracer`, \
        `deeplens`, `mobilehub`, `iot1click`, `elastic-inference`), retired or preview actions. \
        The list is regenerated with the catalog (`cargo xtask gen-catalog`) from the AWS \
        managed policies, so a name leaves it when the reference lists it again. \
        `unknown-service` and `unknown-action` leave these names to this rule.\n\n\
        Access Analyzer: it accepts many of these names; where it does not, it reports \
        `INVALID_SERVICE_IN_ACTION` or `INVALID_ACTION` (errors). warden reports a warning: the \
        policy is valid and works, but the name most likely grants nothing today.",
    why_bad: "A retired service's actions can no longer be called, so the entry grants or \
        denies nothing; it is dead weight that reviewers must read past. A name that is only \
        missing from the reference (preview, or documented late) is fine, which is why this is \
        not an error.",
    example: r#"{"Effect": "Allow", "Action": ["deepracer:*", "s3:GetObject"], "Resource": "*"}"#,
    use_instead: r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}"#,
    access_analyzer: &[],
};

impl Rule for RetiredServiceOrAction {
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
            let message = if cx.catalog.is_retired_service(service) {
                format!(
                    "`{raw}`: the service `{service}` is not in the AWS service reference of {DATA_DATE}, but AWS managed policies still name it"
                )
            } else if !raw.contains(['*', '?']) && cx.catalog.is_retired_action(raw) {
                format!(
                    "`{raw}` is not in the AWS service reference of {DATA_DATE}, but AWS managed policies still name it"
                )
            } else {
                continue;
            };
            let d = sink
                .finding(item.span, message, "retired or undocumented")
                .with_note("the service or action was retired, or is a preview the reference does not document yet")
                .with_help("remove the entry if the service or action is retired; keep it if you rely on it");
            sink.push(d);
        }
    }
}
