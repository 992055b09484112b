//! E108 `arn-region-not-allowed`: a resource ARN has a Region where the
//! resource's ARN format has none.

use warden_catalog::ArnFormat;
use warden_diagnostics::Severity;

use crate::arn_item::{Field, FieldNotAllowed};
use crate::{Category, LintContext, Rule, RuleMeta, Sink, StatementView};

/// See [`META`].
pub struct ArnRegionNotAllowed;

static META: RuleMeta = RuleMeta {
    code: "E108",
    name: "arn-region-not-allowed",
    category: Category::Error,
    default_severity: Severity::Error,
    since: "0.1.0",
    summary: "A resource ARN has a Region, but ARNs of that resource have none.",
    what_it_does: "Matches each ARN of `Resource` and `NotResource` against the ARN formats the \
        service authorization reference gives for its service. When the region field is a \
        non-empty value without wildcards and every format the resource part can match has an \
        empty region field (IAM, S3 buckets, Route 53, CloudFront, ...), the ARN is reported.",
    why_bad: "Global resources have ARNs without a Region: `arn:aws:iam::111122223333:role/app`. \
        With a Region the ARN matches no resource, so the statement grants or denies nothing.",
    example: r#"{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam:us-east-1:111122223333:role/app"}"#,
    use_instead: r#"{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::111122223333:role/app"}"#,
    access_analyzer: &["ARN_REGION_NOT_ALLOWED"],
};

/// The finding on a Region in an ARN whose format has none.
const REGION: FieldNotAllowed = FieldNotAllowed {
    field: Field::Region,
    in_format: ArnFormat::region,
    noun: "Region",
    label: "no Region allowed here",
    help: "leave the region field empty; to limit Regions, use the `aws:RequestedRegion` condition key",
};

impl Rule for ArnRegionNotAllowed {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_statement(&self, cx: &LintContext<'_>, st: &StatementView<'_>, sink: &mut Sink) {
        REGION.report(cx.catalog, st, sink);
    }
}
