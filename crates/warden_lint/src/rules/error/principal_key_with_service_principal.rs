//! E127 `principal-key-with-service-principal`: conditions on the calling
//! IAM principal in a statement whose principals are services.

use warden_diagnostics::Severity;

use crate::rules::security::common::quoted_list;
use crate::{Category, LintContext, Rule, RuleMeta, Sink, StatementView};

/// See [`META`].
pub struct PrincipalKeyWithServicePrincipal;

/// Keys that describe an IAM principal and its account, absent from
/// requests that a service principal makes.
const IAM_PRINCIPAL_KEYS: &[&str] = &[
    "aws:PrincipalArn",
    "aws:PrincipalAccount",
    "aws:PrincipalOrgID",
    "aws:PrincipalOrgPaths",
];

static META: RuleMeta = RuleMeta {
    code: "E127",
    name: "principal-key-with-service-principal",
    category: Category::Error,
    default_severity: Severity::Error,
    since: "0.1.0",
    summary: "A statement for service principals tests keys that only IAM principals have.",
    what_it_does: "Finds statements whose `Principal` names only `Service` principals and whose \
        conditions test `aws:PrincipalArn`, `aws:PrincipalAccount`, `aws:PrincipalOrgID`, \
        `aws:PrincipalOrgPaths` or `aws:PrincipalTag/...` without `IfExists`.",
    why_bad: "When a service such as `cloudfront.amazonaws.com` calls with its service principal, \
        the request has no IAM principal, account or organization of the caller, so these keys \
        are absent and the condition never holds (or, negated, always does). To restrict a \
        service acting for a resource, test `aws:SourceArn`, `aws:SourceAccount` or \
        `aws:SourceOrgID` instead.",
    example: r#"{"Effect": "Allow", "Principal": {"Service": "cloudfront.amazonaws.com"}, "Action": "s3:GetObject",
 "Resource": "arn:aws:s3:::site/*", "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}"#,
    use_instead: r#"{"Effect": "Allow", "Principal": {"Service": "cloudfront.amazonaws.com"}, "Action": "s3:GetObject",
 "Resource": "arn:aws:s3:::site/*", "Condition": {"StringEquals": {"aws:SourceOrgID": "o-a1b2c3d4e5"}}}"#,
    access_analyzer: &["UNSUPPORTED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL"],
};

impl Rule for PrincipalKeyWithServicePrincipal {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_statement(&self, _cx: &LintContext<'_>, st: &StatementView<'_>, sink: &mut Sink) {
        let Some((principal, entries)) = st.service_principals() else {
            return;
        };
        let services = quoted_list(
            entries
                .iter()
                .flat_map(|e| e.values.iter().map(|v| &v.value)),
            usize::MAX,
        );
        for (op, entry) in st.conditions() {
            let key = &entry.key.value;
            let principal_key = IAM_PRINCIPAL_KEYS
                .iter()
                .any(|k| k.eq_ignore_ascii_case(key))
                || key.to_ascii_lowercase().starts_with("aws:principaltag/");
            if !principal_key || op.operator.if_exists {
                continue;
            }
            let d = sink
                .finding(
                    entry.key.span,
                    format!("`{key}` is never present when the service principal {} calls", services),
                    "absent for service principals",
                )
                .with_secondary(principal.key_span, "only service principals")
                .with_help("test `aws:SourceArn`, `aws:SourceAccount` or `aws:SourceOrgID` to limit what the service acts for");
            sink.push(d);
        }
    }
}
