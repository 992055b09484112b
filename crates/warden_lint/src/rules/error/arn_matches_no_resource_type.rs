//! E110 `arn-matches-no-resource-type`: a resource ARN fits none of its
//! service's ARN formats.

use warden_catalog::ArnFormat;
use warden_diagnostics::Severity;

use crate::rules::security::common::quoted_list;
use crate::{Category, LintContext, Rule, RuleMeta, Sink, StatementView};

/// See [`META`].
pub struct ArnMatchesNoResourceType;

static META: RuleMeta = RuleMeta {
    code: "E110",
    name: "arn-matches-no-resource-type",
    category: Category::Error,
    default_severity: Severity::Error,
    since: "0.1.0",
    summary: "The resource part of an ARN fits none of the service's resource types.",
    what_it_does: "Matches the resource part (after the fifth `:`) of each ARN in `Resource` and \
        `NotResource` against every ARN format that the service authorization reference gives \
        for the ARN's service, with the format's placeholders and the ARN's wildcards and \
        variables matching anything. An ARN that can match none of them is reported. ARNs of \
        services the catalog has no formats for are not checked.",
    why_bad: "A resource part in the wrong shape (`role:app` for `role/app`, `bucket:key`, a \
        missing `table/` prefix) names no resource, so the statement grants or denies nothing.",
    example: r#"{"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "arn:aws:dynamodb:us-east-1:111122223333:orders"}"#,
    use_instead: r#"{"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "arn:aws:dynamodb:us-east-1:111122223333:table/orders"}"#,
    access_analyzer: &["INVALID_ARN_RESOURCE"],
};

impl Rule for ArnMatchesNoResourceType {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_statement(&self, cx: &LintContext<'_>, st: &StatementView<'_>, sink: &mut Sink) {
        for a in st.arn_items() {
            let Some((service, formats, fitting)) = a.fitting_formats(cx.catalog) else {
                continue;
            };
            if !fitting.is_empty() {
                continue;
            }
            let examples: Vec<&str> = ArnFormat::closest(formats, &a.arn.resource, 3)
                .iter()
                .map(|f| f.text())
                .collect();
            let d = sink
                .finding(
                    a.item.span,
                    format!("`{}` matches no resource type of `{service}`", a.item.raw),
                    "no ARN format fits",
                )
                .with_note(format!(
                    "the closest `{service}` ARN formats are {}{}",
                    quoted_list(examples.iter(), usize::MAX),
                    if formats.len() > examples.len() { ", ..." } else { "" }
                ))
                .with_help("check the resource part against the service's ARN formats (`warden` uses the AWS service authorization reference)");
            sink.push(d);
        }
    }
}
