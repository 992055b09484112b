//! E107 `arn-account-not-allowed`: a resource ARN has an account id where
//! the resource's ARN format has none.

use warden_catalog::ArnFormat;
use warden_diagnostics::Severity;

use crate::arn_item::Field;
use crate::context::is_wild;
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

impl Rule for ArnAccountNotAllowed {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_statement(&self, cx: &LintContext<'_>, st: &StatementView<'_>, sink: &mut Sink) {
        for a in st.arn_items() {
            if is_wild(&a.arn.account) || is_wild(&a.arn.service) {
                continue;
            }
            let (Some(account), Some(service)) =
                (a.arn.account.as_literal(), a.arn.service.as_literal())
            else {
                continue;
            };
            if account.is_empty() {
                continue;
            }
            let Some(formats) = cx.catalog.arn_formats(service) else {
                continue;
            };
            let matching = ArnFormat::candidates(formats, &a.arn.resource);
            if matching.is_empty() || matching.iter().any(|f| !f.account().is_empty()) {
                continue;
            }
            let d = sink
                .finding(
                    a.field_span(Field::Account),
                    format!("`{}` names account `{account}`, but `{service}` ARNs of this kind have no account", a.item.raw),
                    "no account allowed here",
                )
                .with_note(format!("the ARN format is `{}`", matching.first().map_or("", |f| f.text())))
                .with_help("leave the account field empty; to limit the owner, use the `aws:ResourceAccount` condition key");
            sink.push(d);
        }
    }
}
