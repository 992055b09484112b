//! S206 `service-principal-without-source-condition`: a resource policy
//! grants a service principal access without saying on whose behalf.

use warden_diagnostics::Severity;
use warden_policy::principal::PrincipalKind;

use super::common::{principal_entries, tests_any_key};
use crate::{Category, LintContext, PolicyType, Rule, RuleMeta, Sink, StatementView};

/// See [`META`].
pub struct ServicePrincipalWithoutSourceCondition;

/// The keys that tie a service principal's request to a source resource,
/// account or organization.
pub(crate) const SOURCE_KEYS: &[&str] = &[
    "aws:SourceArn",
    "aws:SourceAccount",
    "aws:SourceOrgID",
    "aws:SourceOrgPaths",
    "aws:SourceOwner",
];

static META: RuleMeta = RuleMeta {
    code: "S206",
    name: "service-principal-without-source-condition",
    category: Category::Security,
    default_severity: Severity::Security,
    since: "0.1.0",
    summary: "A resource policy lets a service principal in without `aws:SourceArn`, \
        `aws:SourceAccount`, `aws:SourceOrgID` or `aws:SourceOrgPaths`.",
    what_it_does: "Finds `Allow` statements of resource policies whose `Principal` names a \
        service (`sns.amazonaws.com`, ...) and whose `Condition` tests none of the source keys.",
    why_bad: "A service principal acts for every AWS customer. Without a source condition, any \
        account can point its own resource (a topic, a trail, a bucket notification) at yours and \
        have the service use your permissions on its behalf: the confused-deputy problem.",
    example: r#"{"Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"},
 "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:us-east-1:111122223333:queue"}"#,
    use_instead: r#"{"Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"},
 "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:us-east-1:111122223333:queue",
 "Condition": {"ArnEquals": {"aws:SourceArn": "arn:aws:sns:us-east-1:111122223333:topic"}}}"#,
    access_analyzer: &["RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL"],
};

impl Rule for ServicePrincipalWithoutSourceCondition {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_statement(&self, cx: &LintContext<'_>, st: &StatementView<'_>, sink: &mut Sink) {
        if cx.policy_type != PolicyType::Resource || !st.is_allow() {
            return;
        }
        if tests_any_key(st.statement, SOURCE_KEYS) {
            return;
        }
        for entry in principal_entries(st.statement, PrincipalKind::Service) {
            for value in &entry.values {
                let d = sink
                    .finding(
                        value.span,
                        format!(
                            "service principal `{}` is allowed without a source condition, for any account that uses the service",
                            value.value
                        ),
                        "no source condition",
                    )
                    .with_help("add `aws:SourceArn` or `aws:SourceAccount` (or `aws:SourceOrgID`, `aws:SourceOrgPaths`) to the `Condition`");
                sink.push(d);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::SOURCE_KEYS;

    /// The source keys are global keys of the catalog, the list the
    /// unknown-key rule (E112) and the prover's public check read too.
    #[test]
    fn source_keys_are_catalog_global_keys() {
        let catalog = warden_catalog::Catalog::get();
        for key in SOURCE_KEYS {
            assert!(catalog.global_condition_key(key).is_some(), "{key}");
        }
    }
}
