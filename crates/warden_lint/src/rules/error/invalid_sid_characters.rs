//! E140 `invalid-sid-characters`: a `Sid` with characters IAM does not
//! accept.

use warden_diagnostics::Severity;

use crate::{Category, LintContext, Rule, RuleMeta, Sink, StatementView};

/// See [`META`].
pub struct InvalidSidCharacters;

static META: RuleMeta = RuleMeta {
    code: "E140",
    name: "invalid-sid-characters",
    category: Category::Error,
    default_severity: Severity::Error,
    since: "0.1.0",
    summary: "A `Sid` of an identity-based or role trust policy has characters other than letters and digits.",
    what_it_does: "In identity-based policies and role trust policies, finds `Sid` values with \
        characters other than ASCII letters and digits (spaces, `-`, `_`, `.`, ...).",
    why_bad: "IAM accepts only `[A-Za-z0-9]` in statement ids and rejects the policy otherwise. \
        Resource-based policies of other services (SQS, SNS, S3) are more lenient, so ids \
        copied from them often fail in IAM.",
    example: r#"{"Sid": "allow-read_access", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}"#,
    use_instead: r#"{"Sid": "AllowReadAccess", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}"#,
    access_analyzer: &["UNSUPPORTED_SID"],
};

impl Rule for InvalidSidCharacters {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_statement(&self, cx: &LintContext<'_>, st: &StatementView<'_>, sink: &mut Sink) {
        if !cx.is_iam_policy() {
            return;
        }
        let Some(sid) = &st.statement.sid else {
            return;
        };
        let Some(bad) = sid.value.chars().find(|c| !c.is_ascii_alphanumeric()) else {
            return;
        };
        let fixed: String = sid
            .value
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect();
        sink.report(
            sid.span,
            format!(
                "`Sid` `{}` contains `{bad}`, which IAM does not accept",
                sid.value
            ),
            "only letters and digits",
            format!("write `{fixed}`"),
        );
    }
}
