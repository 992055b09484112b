//! E103 `invalid-arn-partition`: a resource ARN names a partition AWS does
//! not have.

use warden_diagnostics::Severity;

use crate::arn_item::{Field, InvalidField};
use crate::{Category, LintContext, Rule, RuleMeta, Sink, StatementView};

/// See [`META`].
pub struct InvalidArnPartition;

/// The AWS partitions ("Amazon Resource Names", AWS General Reference).
const PARTITIONS: &[&str] = &[
    "aws",
    "aws-cn",
    "aws-us-gov",
    "aws-iso",
    "aws-iso-b",
    "aws-iso-e",
    "aws-iso-f",
    "aws-eusc",
];

static META: RuleMeta = RuleMeta {
    code: "E103",
    name: "invalid-arn-partition",
    category: Category::Error,
    default_severity: Severity::Error,
    since: "0.1.0",
    summary: "A resource ARN names a partition that does not exist.",
    what_it_does: "Checks the partition field (the second field) of every ARN in `Resource` and \
        `NotResource` against the AWS partitions: `aws`, `aws-cn`, `aws-us-gov`, `aws-iso`, \
        `aws-iso-b`, `aws-iso-e`, `aws-iso-f` and `aws-eusc`. Partitions written with wildcards or \
        policy variables are not checked.",
    why_bad: "An ARN in a partition that does not exist names no resource, so the statement \
        matches nothing there: an `Allow` grants nothing, a `Deny` protects nothing. A common \
        slip is `amazon` or `aws-china` for `aws-cn`.",
    example: r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:amazon:s3:::bucket/*"}"#,
    use_instead: r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/*"}"#,
    access_analyzer: &["INVALID_PARTITION"],
};

/// The finding on a partition AWS does not have.
const PARTITION: InvalidField = InvalidField {
    field: Field::Partition,
    what: "an AWS partition",
    label: "unknown partition",
    help: "use `aws` (or `aws-cn`, `aws-us-gov`, ... for the other partitions)",
};

impl Rule for InvalidArnPartition {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_statement(&self, _cx: &LintContext<'_>, st: &StatementView<'_>, sink: &mut Sink) {
        PARTITION.report(st, sink, |_, partition| PARTITIONS.contains(&partition));
    }
}
