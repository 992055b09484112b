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
        `NotResource` against the ARN formats that the service authorization reference gives \
        for the ARN's service, with the format's placeholders and the ARN's wildcards and \
        variables matching anything. A `*` that ends the Region or account field may match \
        across the colons after it (IAM's documentation of `Resource`), so \
        `arn:aws:logs:*:*:/aws-glue/*` fits `log-group:${LogGroupName}`. An ARN is reported \
        only when it names a resource type the catalog knows for the service (the literal text \
        before the first `/` or `:`, such as `table` or `stateMachine`, compared ignoring case), \
        or is a single word where every format of the service starts with a type \
        (`arn:aws:dynamodb:us-east-1:111122223333:orders`), and fits none of the service's \
        formats. ARNs of services the catalog has no formats \
        for, and of resource types it does not list, are not checked: the catalog may lack a \
        new or retired type.\n\n\
        Access Analyzer: `INVALID_ARN_RESOURCE`. Differs in that warden stays silent when the \
        resource type is not in the catalog (Access Analyzer's own resource data decides there), \
        and honours the documented colon rule for a trailing `*`.",
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
            // Only judge ARNs of a resource type the catalog knows for the
            // service: its formats for that type are then authoritative. A
            // type the catalog lacks may be new, undocumented or retired
            // (`transform/` of CloudFormation, `changetoken/` of WAF), and
            // an error there would fail CI on a valid policy.
            let Some(kind) = a.resource_type() else {
                continue;
            };
            let same_type: Vec<&ArnFormat> = formats
                .iter()
                .filter(|f| format_type(f).eq_ignore_ascii_case(kind))
                .collect();
            // A resource part that is one word (`orders`) where every format
            // of the service starts with a type (`table/...`) lacks its type:
            // that is sure too.
            let untyped = a.arn.resource.as_literal() == Some(kind)
                && formats.iter().all(|f| !format_type(f).is_empty());
            if same_type.is_empty() && !untyped {
                continue;
            }
            let exact_case = same_type.iter().any(|f| format_type(f) == kind);
            let case_note = same_type
                .iter()
                .map(|f| format_type(f))
                .find(|t| !exact_case && *t != kind)
                .map(|t| format!("ARNs are case-sensitive: the resource type is written `{t}`"));
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
                    if formats.len() > examples.len() {
                        ", ..."
                    } else {
                        ""
                    }
                ));
            let d = match case_note {
                Some(note) => d.with_note(note),
                None => d,
            }
            .with_help("check the resource part against the service's ARN formats (`warden` uses the AWS service authorization reference)");
            sink.push(d);
        }
    }
}

/// The resource type a catalog ARN format names: the literal start of its
/// resource part up to the first `/` or `:` (empty when the part starts
/// with a placeholder, such as S3's `${BucketName}`).
fn format_type(format: &ArnFormat) -> &'static str {
    let resource = format.text().splitn(6, ':').nth(5).unwrap_or("");
    let token = resource.split(['/', ':']).next().unwrap_or("");
    if token.contains("${") { "" } else { token }
}
