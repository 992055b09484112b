//! E109 `missing-arn-region`: a resource ARN has no Region where the
//! resource's ARN format requires one.

use warden_diagnostics::Severity;

use crate::arn_item::Field;
use crate::{Category, LintContext, Rule, RuleMeta, Sink, StatementView};

/// See [`META`].
pub struct MissingArnRegion;

static META: RuleMeta = RuleMeta {
    code: "E109",
    name: "missing-arn-region",
    category: Category::Error,
    default_severity: Severity::Error,
    since: "0.1.0",
    summary: "A resource ARN has an empty Region, but ARNs of that resource have one.",
    what_it_does: "Matches each ARN of `Resource` and `NotResource` against the ARN formats the \
        service authorization reference gives for its service. When the region field is empty \
        and every format the resource part can match has a Region (DynamoDB tables, SQS queues, \
        Lambda functions, ...), the ARN is reported.",
    why_bad: "Regional resources always carry their Region in their ARN. An empty region field \
        matches no resource, so the statement grants or denies nothing. Write the Region, or `*` \
        for every Region.",
    example: r#"{"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "arn:aws:dynamodb::111122223333:table/orders"}"#,
    use_instead: r#"{"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "arn:aws:dynamodb:*:111122223333:table/orders"}"#,
    access_analyzer: &["MISSING_ARN_REGION"],
};

impl Rule for MissingArnRegion {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_statement(&self, cx: &LintContext<'_>, st: &StatementView<'_>, sink: &mut Sink) {
        for a in st.arn_items() {
            if a.arn.region.as_literal() != Some("") {
                continue;
            }
            let Some((service, _, matching)) = a.fitting_formats(cx.catalog) else {
                continue;
            };
            if matching.is_empty() || matching.iter().any(|f| f.region().is_empty()) {
                continue;
            }
            let d = sink
                .finding(
                    a.field_span(Field::Region),
                    format!(
                        "`{}` has no Region, but `{service}` ARNs of this kind need one",
                        a.item.raw
                    ),
                    "empty Region",
                )
                .with_note(format!(
                    "the ARN format is `{}`",
                    matching.first().map_or("", |f| f.text())
                ))
                .with_help("write the Region, such as `us-east-1`, or `*` for every Region");
            sink.push(d);
        }
    }
}
