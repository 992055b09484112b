//! E123 `invalid-vpc-id`: an `aws:SourceVpc` or `aws:SourceVpce` value that
//! is not a VPC or endpoint id.

use warden_diagnostics::Severity;

use crate::context::is_wild;
use crate::{Category, LintContext, Rule, RuleMeta, Sink, StatementView};

/// See [`META`].
pub struct InvalidVpcId;

static META: RuleMeta = RuleMeta {
    code: "E123",
    name: "invalid-vpc-id",
    category: Category::Error,
    default_severity: Severity::Error,
    since: "0.1.0",
    summary: "An `aws:SourceVpc` or `aws:SourceVpce` value is not a VPC or VPC endpoint id.",
    what_it_does: "Checks the values of `aws:SourceVpc` for `vpc-` and of `aws:SourceVpce` for \
        `vpce-` followed by 8 or 17 letters or digits. Values with wildcards or variables are \
        not checked.",
    why_bad: "A VPC name, an ARN or an endpoint id in the wrong key never equals the id AWS puts \
        in the request, so the condition never holds (or, negated, always does): a `Deny` meant \
        to allow only one network path denies every path, or none.",
    example: r#"{"Effect": "Deny", "Action": "s3:*", "Resource": "*",
 "Condition": {"StringNotEquals": {"aws:SourceVpce": "vpc-1a2b3c4d"}}}"#,
    use_instead: r#"{"Effect": "Deny", "Action": "s3:*", "Resource": "*",
 "Condition": {"StringNotEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}}}"#,
    access_analyzer: &["INVALID_VPC_FORMAT", "INVALID_VPCE_FORMAT"],
};

fn is_id(value: &str, prefix: &str) -> bool {
    value.strip_prefix(prefix).is_some_and(|rest| {
        matches!(rest.len(), 8 | 17) && rest.bytes().all(|b| b.is_ascii_alphanumeric())
    })
}

impl Rule for InvalidVpcId {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_statement(&self, _cx: &LintContext<'_>, st: &StatementView<'_>, sink: &mut Sink) {
        for (_, entry) in st.conditions() {
            let key = &entry.key.value;
            let (prefix, what) = if key.eq_ignore_ascii_case("aws:SourceVpc") {
                ("vpc-", "VPC")
            } else if key.eq_ignore_ascii_case("aws:SourceVpce") {
                ("vpce-", "VPC endpoint")
            } else {
                continue;
            };
            for v in &entry.values {
                if is_wild(&v.pattern) || is_id(&v.raw, prefix) {
                    continue;
                }
                sink.report(
                    v.span,
                    format!("`{}` is not a {what} id, as `{key}` requires", v.raw),
                    format!("expected `{prefix}` and 8 or 17 letters or digits"),
                    format!("write the id, such as `{prefix}1a2b3c4d`"),
                );
            }
        }
    }
}
