//! E107 `arn-account-not-allowed`: a resource ARN has an account id where
//! the resource's ARN format has none.

use warden_catalog::ArnFormat;
use warden_diagnostics::Severity;

use crate::arn_item::{Field, FieldNotAllowed};
use crate::{Category, LintContext, Rule, RuleMeta, Sink, StatementView};

/// See [`META`].
pub struct ArnAccountNotAllowed;

static META: RuleMeta = RuleMeta {
    code: "E107",
    name: "arn-account-not-allowed",
    category: Category::Error,
    default_severity: Severity::Error,
    since: "0.1.0",
    summary: "A resource ARN has an account id, but ARNs of that resource have none.",
    what_it_does: "Matches each ARN of `Resource` and `NotResource` against the ARN formats the \
        service authorization reference gives for its service. When the account field is a \
        non-empty value without wildcards and every format the resource part can match has an \
        empty account field (S3 buckets and objects, for example), the ARN is reported.",
    why_bad: "Some resources are global by name: an S3 bucket ARN is `arn:aws:s3:::bucket`, \
        with no Region and no account. Adding the account makes the ARN match no resource, so \
        the statement grants or denies nothing.",
    example: r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3::111122223333:bucket/*"}"#,
    use_instead: r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/*",
 "Condition": {"StringEquals": {"aws:ResourceAccount": "111122223333"}}}"#,
    access_analyzer: &["ARN_ACCOUNT_NOT_ALLOWED"],
};

/// The finding on an account in an ARN whose format has none.
const ACCOUNT: FieldNotAllowed = FieldNotAllowed {
    field: Field::Account,
    in_format: ArnFormat::account,
    noun: "account",
    label: "no account allowed here",
    help: "leave the account field empty; to limit the owner, use the `aws:ResourceAccount` condition key",
};

impl Rule for ArnAccountNotAllowed {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_statement(&self, cx: &LintContext<'_>, st: &StatementView<'_>, sink: &mut Sink) {
        ACCOUNT.report(cx.catalog, st, sink);
    }
}
