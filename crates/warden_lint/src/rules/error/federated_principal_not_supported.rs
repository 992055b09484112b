//! E132 `federated-principal-not-supported`: a `Federated` principal in a
//! resource-based policy other than a role trust policy.

use warden_diagnostics::Severity;
use warden_policy::principal::PrincipalKind;

use crate::rules::security::common::quoted_list;
use crate::{Category, LintContext, PolicyType, Rule, RuleMeta, Sink, StatementView};

/// See [`META`].
pub struct FederatedPrincipalNotSupported;

static META: RuleMeta = RuleMeta {
    code: "E132",
    name: "federated-principal-not-supported",
    category: Category::Error,
    default_severity: Severity::Error,
    since: "0.1.0",
    summary: "A resource-based policy other than a role trust policy names a `Federated` principal.",
    what_it_does: "Finds `Federated` entries of `Principal` in resource-based policies (bucket, \
        key, queue, topic policies, ...). Role trust policies, where federated principals \
        belong, are not checked.",
    why_bad: "An identity provider (SAML, OIDC, Cognito) cannot call AWS services directly: its \
        users first assume a role. A `Federated` principal in a bucket policy matches no \
        request; grant the role that the federated users assume instead.",
    example: r#"{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:saml-provider/corp"},
 "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/*"}"#,
    use_instead: r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/corp-saml-users"},
 "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/*"}"#,
    access_analyzer: &["FEDERATED_PRINCIPAL_NOT_SUPPORTED"],
};

impl Rule for FederatedPrincipalNotSupported {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_statement(&self, cx: &LintContext<'_>, st: &StatementView<'_>, sink: &mut Sink) {
        if cx.policy_type != PolicyType::Resource {
            return;
        }
        let Some((_, entries)) = st.principal_map() else {
            return;
        };
        for e in entries
            .iter()
            .filter(|e| e.kind.value == PrincipalKind::Federated)
        {
            sink.report(
                e.kind.span,
                format!(
                    "federated principal {} is not supported in a resource-based policy",
                    quoted_list(e.values.iter().map(|v| &v.value), usize::MAX)
                ),
                "only role trust policies take `Federated`",
                "grant the IAM role that the federated users assume, with `\"AWS\": \"<role ARN>\"`",
            );
        }
    }
}
