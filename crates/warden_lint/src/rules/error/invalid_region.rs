//! E106 `invalid-region`: a Region code that is not one, in a resource
//! ARN or an `aws:RequestedRegion` condition.

use warden_diagnostics::Severity;

use crate::arn_item::{Field, InvalidField};
use crate::context::is_wild;
use crate::{Category, LintContext, Rule, RuleMeta, Sink, StatementView};
use warden_catalog::is_region;

/// See [`META`].
pub struct InvalidRegion;

static META: RuleMeta = RuleMeta {
    code: "E106",
    name: "invalid-region",
    category: Category::Error,
    default_severity: Severity::Error,
    since: "0.1.0",
    summary: "A Region in a resource ARN or in `aws:RequestedRegion` is not a Region code.",
    what_it_does: "Checks the region field of every ARN in `Resource` and `NotResource`, and the \
        values of the `aws:RequestedRegion` condition key, for the shape of an AWS Region code: \
        a geographic code, an optional partition or country word, a direction and a number \
        (`us-east-1`, `us-gov-west-1`, `ap-southeast-7`). Values with wildcards or variables are \
        not checked. Whether a service is offered in a Region is not checked.",
    why_bad: "A misspelt Region (`us-east1`, `eu-west`, `US-EAST-1`) matches no resource and no \
        request: an `Allow` grants nothing, and a `Deny` meant to fence Regions never applies.",
    example: r#"{"Effect": "Deny", "Action": "*", "Resource": "*",
 "Condition": {"StringNotEquals": {"aws:RequestedRegion": ["us-east1", "eu-west-1"]}}}"#,
    use_instead: r#"{"Effect": "Deny", "Action": "*", "Resource": "*",
 "Condition": {"StringNotEquals": {"aws:RequestedRegion": ["us-east-1", "eu-west-1"]}}}"#,
    access_analyzer: &["INVALID_ARN_REGION", "INVALID_REGION"],
};

/// The finding on a region field that is not a Region code.
const REGION: InvalidField = InvalidField {
    field: Field::Region,
    what: "an AWS Region",
    label: "not a Region code",
    help: "write a Region code such as `us-east-1`, or `*`",
};

impl Rule for InvalidRegion {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_statement(&self, _cx: &LintContext<'_>, st: &StatementView<'_>, sink: &mut Sink) {
        REGION.report(st, sink, |_, region| region.is_empty() || is_region(region));
        for (_, entry) in st.conditions() {
            if !entry.key.value.eq_ignore_ascii_case("aws:RequestedRegion") {
                continue;
            }
            for v in &entry.values {
                if is_wild(&v.pattern) || is_region(&v.raw) {
                    continue;
                }
                sink.report(
                    v.span,
                    format!("`{}` is not an AWS Region", v.raw),
                    format!("`{}` never has this value", entry.key.value),
                    "write a Region code such as `us-east-1`",
                );
            }
        }
    }
}
