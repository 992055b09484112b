//! E104 `arn-service-not-lowercase`: the service field of a resource ARN
//! has capital letters.

use warden_diagnostics::Severity;

use crate::arn_item::Field;
use crate::{Category, LintContext, Rule, RuleMeta, Sink, StatementView};

/// See [`META`].
pub struct ArnServiceNotLowercase;

static META: RuleMeta = RuleMeta {
    code: "E104",
    name: "arn-service-not-lowercase",
    category: Category::Error,
    default_severity: Severity::Error,
    since: "0.1.0",
    summary: "The service field of a resource ARN is not all lower case.",
    what_it_does: "Finds ARNs in `Resource` and `NotResource` whose service field (the third \
        field, such as `s3` in `arn:aws:s3:::bucket`) contains an upper-case letter.",
    why_bad: "Resource ARNs are matched case-sensitively and AWS writes every service namespace \
        in lower case, so `arn:aws:S3:::bucket` matches no resource at all. Unlike actions, \
        whose case does not matter, the ARN silently stops working.",
    example: r#"{"Effect": "Deny", "Action": "s3:*", "Resource": "arn:aws:S3:::bucket"}"#,
    use_instead: r#"{"Effect": "Deny", "Action": "s3:*", "Resource": "arn:aws:s3:::bucket"}"#,
    access_analyzer: &["INVALID_ARN_SERVICE_CASE"],
};

impl Rule for ArnServiceNotLowercase {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_statement(&self, _cx: &LintContext<'_>, st: &StatementView<'_>, sink: &mut Sink) {
        for a in st.arn_items() {
            let Some(service) = a.literal(Field::Service) else {
                continue;
            };
            if !service.bytes().any(|b| b.is_ascii_uppercase()) {
                continue;
            }
            sink.report(
                a.field_span(Field::Service),
                format!(
                    "the service `{service}` in `{}` is not lower case",
                    a.item.raw
                ),
                "ARNs compare case-sensitively",
                format!("write `{}`", service.to_ascii_lowercase()),
            );
        }
    }
}
