//! Federated OIDC principals: which identity provider a `Federated` value
//! names, shared by S207, S208, W310 and H418.

use warden_policy::ast::Statement;
use warden_policy::principal::PrincipalKind;

use super::common::principal_entries;

/// The issuer host of GitHub Actions' OIDC tokens.
pub(crate) const GITHUB: &str = "token.actions.githubusercontent.com";

/// The condition-key prefix (`host/path`) of an OIDC provider named by a
/// `Federated` principal, or `None` for SAML providers and anything else.
pub(crate) fn provider_of(federated: &str) -> Option<&str> {
    const BUILT_IN: &[&str] = &[
        "cognito-identity.amazonaws.com",
        "accounts.google.com",
        "graph.facebook.com",
        "www.amazon.com",
    ];
    if let Some(b) = BUILT_IN.iter().find(|b| b.eq_ignore_ascii_case(federated)) {
        return Some(b);
    }
    let (_, rest) = federated.split_once(":oidc-provider/")?;
    federated.starts_with("arn:").then_some(rest)
}

/// The OIDC providers the statement's `Principal` federates with, with the
/// span of each value.
pub(crate) fn providers(statement: &Statement) -> Vec<(&str, warden_text::Span)> {
    principal_entries(statement, PrincipalKind::Federated)
        .flat_map(|e| e.values.iter())
        .filter_map(|v| provider_of(&v.value).map(|p| (p, v.span)))
        .collect()
}

/// Whether `key` belongs to `provider` (`provider:claim`, ignoring case).
pub(crate) fn is_key_of(key: &str, provider: &str) -> bool {
    key.len() > provider.len()
        && key
            .get(..provider.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(provider))
        && key.as_bytes().get(provider.len()) == Some(&b':')
}
