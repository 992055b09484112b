//! E101 `unknown-service`: an action names a service prefix AWS does not have.

use warden_diagnostics::Severity;

use crate::arn_item::Field;
use crate::{Category, LintContext, Rule, RuleMeta, Sink, StatementView};

/// See [`META`].
pub struct UnknownService;

static META: RuleMeta = RuleMeta {
    code: "E101",
    name: "unknown-service",
    category: Category::Error,
    default_severity: Severity::Error,
    since: "0.1.0",
    summary: "An action's service prefix, or a resource ARN's service, is not an AWS service.",
    what_it_does: "Checks the service prefix of every action in `Action` and `NotAction` (the part \
        before `:`) against the AWS service authorization reference embedded in warden. Prefixes \
        with wildcards are checked too: `s3*` must match at least one service. Prefixes that \
        AWS managed policies still use but the reference no longer lists (`deepracer`, \
        `iot1click`) are reported by `retired-service-or-action` instead, as warnings.\n\n\
        The service field of resource ARNs is checked too: it must be a service prefix or the \
        service of one of the reference's ARN formats (`execute-api`).\n\n\
        Access Analyzer: `INVALID_SERVICE_IN_ACTION` for actions, `INVALID_SERVICE` for resource \
        ARNs. Differs in that retired services it still accepts are not errors here either. \
        Condition-key prefixes are checked by `unknown-service-condition-key`; service \
        principals by `invalid-service-principal` (their form only: the reference does not list \
        service principals, so an unknown name is not reported).",
    why_bad: "A misspelt prefix (`s3objects:GetObject`, `ec:DescribeInstances`) grants or denies \
        nothing. In a `Deny` statement that is a silent hole; in an `Allow` statement the intended \
        access never works.",
    example: r#"{"Effect": "Deny", "Action": "ec:TerminateInstances", "Resource": "*"}"#,
    use_instead: r#"{"Effect": "Deny", "Action": "ec2:TerminateInstances", "Resource": "*"}"#,
    access_analyzer: &["INVALID_SERVICE_IN_ACTION", "INVALID_SERVICE"],
};

impl Rule for UnknownService {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_statement(&self, cx: &LintContext<'_>, st: &StatementView<'_>, sink: &mut Sink) {
        let Some(block) = &st.statement.action else {
            return;
        };
        // Action lists are usually grouped by service: skip repeats of the
        // last known prefix.
        let mut last_known: Option<&str> = None;
        for item in block.items.iter().filter(|i| i.valid) {
            let Some((service, _)) = item.raw.trim().split_once(':') else {
                continue;
            };
            let service = service.trim();
            if last_known.is_some_and(|k| k.eq_ignore_ascii_case(service)) {
                continue;
            }
            let known = if service.contains(['*', '?']) {
                cx.catalog
                    .services()
                    .any(|s| warden_policy::glob::glob_match_ignore_case(service, s.prefix()))
            } else {
                cx.catalog.service(service).is_some()
            };
            // A retired service is W313's business (a warning).
            if known || cx.catalog.is_retired_service(service) {
                last_known = Some(service);
                continue;
            }
            let mut d = sink.finding(
                item.span,
                format!("`{service}` in `{}` is not an AWS service prefix", item.raw),
                "unknown service",
            );
            if let Some(s) = cx.catalog.suggest_service(service).first() {
                d = d.with_help(format!("did you mean `{}` ({})?", s.prefix(), s.name()));
            }
            sink.push(d);
        }
        check_arn_services(cx, st, sink);
    }
}

/// Resource ARNs name services too (Access Analyzer's `INVALID_SERVICE`):
/// reports a literal service field that is neither a service prefix, nor
/// the service field of any ARN format of the reference, nor retired.
fn check_arn_services(cx: &LintContext<'_>, st: &StatementView<'_>, sink: &mut Sink) {
    for a in st.arn_items() {
        let Some(service) = a.literal(Field::Service).filter(|s| !s.is_empty()) else {
            continue;
        };
        if cx.catalog.service(service).is_some()
            || cx.catalog.arn_formats(service).is_some()
            || cx.catalog.is_retired_service(service)
        {
            continue;
        }
        let mut d = sink.finding(
            a.field_span(Field::Service),
            format!("`{service}` in `{}` is not an AWS service", a.item.raw),
            "unknown service",
        );
        if let Some(s) = cx.catalog.suggest_service(service).first() {
            d = d.with_help(format!("did you mean `{}` ({})?", s.prefix(), s.name()));
        }
        sink.push(d);
    }
}
