//! E135 `invalid-federated-principal`: a `Federated` principal of a trust
//! policy that is neither a provider ARN nor a domain name.

use warden_diagnostics::Severity;
use warden_policy::arn::Arn;
use warden_policy::principal::PrincipalKind;

use crate::{Category, LintContext, PolicyType, Rule, RuleMeta, Sink, StatementView};
use warden_policy::glob::has_wildcard;

/// See [`META`].
pub struct InvalidFederatedPrincipal;

static META: RuleMeta = RuleMeta {
    code: "E135",
    name: "invalid-federated-principal",
    category: Category::Error,
    default_severity: Severity::Error,
    since: "0.1.0",
    summary: "A `Federated` principal is neither an identity provider ARN nor a domain name.",
    what_it_does: "In role trust policies, checks each `Federated` principal: it must be the ARN \
        of an IAM SAML or OIDC provider (`arn:aws:iam::111122223333:saml-provider/corp`, \
        `.../oidc-provider/token.actions.githubusercontent.com`) or the domain name of a web \
        identity provider (`cognito-identity.amazonaws.com`, `accounts.google.com`).",
    why_bad: "Any other value names no identity provider, so nobody can assume the role through \
        federation, and IAM rejects most such policies.",
    example: r#"{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:role/corp"}, "Action": "sts:AssumeRoleWithSAML"}"#,
    use_instead: r#"{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:saml-provider/corp"}, "Action": "sts:AssumeRoleWithSAML"}"#,
    access_analyzer: &["INVALID_FEDERATED_PRINCIPAL_SYNTAX_IN_ROLE_TRUST_POLICY"],
};

fn is_domain(s: &str) -> bool {
    s.contains('.')
        && s.split('.').all(|label| {
            !label.is_empty()
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

fn is_valid(s: &str) -> bool {
    match Arn::parse(s) {
        Ok(arn) => {
            arn.service == "iam"
                && (arn.resource.starts_with("saml-provider/")
                    || arn.resource.starts_with("oidc-provider/"))
        }
        Err(_) => is_domain(s),
    }
}

impl Rule for InvalidFederatedPrincipal {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_statement(&self, cx: &LintContext<'_>, st: &StatementView<'_>, sink: &mut Sink) {
        if cx.policy_type != PolicyType::Trust {
            return;
        }
        for (kind, v) in st.principal_values() {
            if kind != PrincipalKind::Federated
                || has_wildcard(&v.value)
                || v.value.contains("${")
                || is_valid(&v.value)
            {
                continue;
            }
            sink.report(
                v.span,
                format!("`Federated` principal `{}` is not an identity provider", v.value),
                "expected a provider ARN or domain",
                "write the ARN of a SAML or OIDC provider (`arn:aws:iam::<account>:saml-provider/<name>`) or a domain such as `cognito-identity.amazonaws.com`",
            );
        }
    }
}
