//! S207 `oidc-principal-without-condition`: a role trusts an OIDC provider
//! without a condition on the provider's claims.

use warden_diagnostics::Severity;

use super::oidc::{GITHUB, is_key_of, providers};
use crate::{Category, LintContext, Rule, RuleMeta, Sink, StatementView};

/// See [`META`].
pub struct OidcPrincipalWithoutCondition;

static META: RuleMeta = RuleMeta {
    code: "S207",
    name: "oidc-principal-without-condition",
    category: Category::Security,
    default_severity: Severity::Security,
    since: "0.1.0",
    summary: "A `Federated` OIDC principal is trusted without a condition on its claims.",
    what_it_does: "Finds `Allow` statements whose `Principal` federates with an OpenID Connect \
        provider (Cognito, Google, Facebook, Login with Amazon, or an `oidc-provider/` ARN) and \
        whose `Condition` tests no key of that provider (`<provider>:aud`, `<provider>:sub`, ...). \
        GitHub Actions has its own rule, S208.",
    why_bad: "An identity provider issues tokens to every application and user registered with \
        it. Without a condition on the audience or subject, any of them can assume the role.",
    example: r#"{"Effect": "Allow", "Principal": {"Federated": "cognito-identity.amazonaws.com"},
 "Action": "sts:AssumeRoleWithWebIdentity"}"#,
    use_instead: r#"{"Effect": "Allow", "Principal": {"Federated": "cognito-identity.amazonaws.com"},
 "Action": "sts:AssumeRoleWithWebIdentity",
 "Condition": {"StringEquals": {"cognito-identity.amazonaws.com:aud": "us-east-1:12345678-abcd-abcd-abcd-123456789012"}}}"#,
    access_analyzer: &["MISSING_CONDITION_KEY_FOR_OIDC_PRINCIPAL"],
};

impl Rule for OidcPrincipalWithoutCondition {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_statement(&self, _cx: &LintContext<'_>, st: &StatementView<'_>, sink: &mut Sink) {
        if !st.is_allow() {
            return;
        }
        for (provider, span) in providers(st.statement) {
            if provider.eq_ignore_ascii_case(GITHUB) {
                continue;
            }
            if st
                .conditions()
                .any(|(_, e)| is_key_of(&e.key.value, provider))
            {
                continue;
            }
            let d = sink
                .finding(
                    span,
                    format!("the OIDC provider `{provider}` is trusted without a condition on its claims, so any of its users can assume the role"),
                    "no claim condition",
                )
                .with_help(format!("add a condition on `{provider}:aud` (and `{provider}:sub` where the provider sets it)"));
            sink.push(d);
        }
    }
}
