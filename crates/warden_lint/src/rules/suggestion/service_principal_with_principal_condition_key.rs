//! H416 `service-principal-with-principal-condition-key`: a service
//! principal restricted with keys that describe callers, not services.

use warden_diagnostics::Severity;

use crate::rules::security::common::only_service_principals;
use crate::{Category, LintContext, Rule, RuleMeta, Sink, StatementView};

/// See [`META`].
pub struct ServicePrincipalWithPrincipalConditionKey;

/// Principal keys and the source key that does their job for services.
const REPLACEMENTS: &[(&str, &str)] = &[
    ("aws:PrincipalArn", "aws:SourceArn"),
    ("aws:PrincipalAccount", "aws:SourceAccount"),
    ("aws:PrincipalOrgID", "aws:SourceOrgID"),
    ("aws:PrincipalOrgPaths", "aws:SourceOrgPaths"),
];

static META: RuleMeta = RuleMeta {
    code: "H416",
    name: "service-principal-with-principal-condition-key",
    category: Category::Suggestion,
    default_severity: Severity::Suggestion,
    since: "0.1.0",
    summary: "A statement for service principals tests `aws:Principal...` keys with `IfExists`.",
    what_it_does: "Finds statements whose `Principal` names only service principals and whose \
        `Condition` tests `aws:PrincipalArn`, `aws:PrincipalAccount`, `aws:PrincipalOrgID` or \
        `aws:PrincipalOrgPaths` with an `...IfExists` operator, and names the `aws:Source...` key \
        to use instead. (Without `IfExists` the condition never holds, which E127 reports.)",
    why_bad: "A service principal is not an IAM principal of any account or organization, so \
        those keys are absent from its requests and `IfExists` makes the condition hold for \
        them: it restricts nothing. The `aws:Source...` keys say on whose behalf the service \
        acts.",
    example: r#"{"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "s3:PutObject",
 "Resource": "arn:aws:s3:::trail-bucket/*", "Condition": {"StringEqualsIfExists": {"aws:PrincipalAccount": "111122223333"}}}"#,
    use_instead: r#"{"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "s3:PutObject",
 "Resource": "arn:aws:s3:::trail-bucket/*", "Condition": {"StringEquals": {"aws:SourceAccount": "111122223333"}}}"#,
    access_analyzer: &["RECOMMENDED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL"],
};

impl Rule for ServicePrincipalWithPrincipalConditionKey {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_statement(&self, _cx: &LintContext<'_>, st: &StatementView<'_>, sink: &mut Sink) {
        if !only_service_principals(st) {
            return;
        }
        for (op, entry) in st.conditions() {
            if !op.operator.if_exists {
                continue;
            }
            let Some((_, source)) = REPLACEMENTS
                .iter()
                .find(|(k, _)| entry.key.value.eq_ignore_ascii_case(k))
            else {
                continue;
            };
            sink.report(
                entry.key.span,
                format!("`{}` is absent when a service principal calls, so `{}` lets every such call through; `{source}` says on whose behalf the service acts", entry.key.value, op.operator.raw),
                "caller key on a service principal",
                format!("use `{source}`"),
            );
        }
    }
}
