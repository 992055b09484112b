//! Principals of resource-based policies ("AWS JSON policy elements:
//! Principal"): `"*"`, or a map from principal type to one or more ids.

use serde::Serialize;

use crate::arn::Arn;

/// The principal types AWS defines as keys of the `Principal` map.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum PrincipalKind {
    /// `AWS`: accounts, IAM users and roles, assumed-role sessions, `*`.
    #[serde(rename = "AWS")]
    Aws,
    /// `Service`: service principals such as `lambda.amazonaws.com`.
    Service,
    /// `Federated`: identity providers (SAML, OIDC, Cognito, web identity).
    Federated,
    /// `CanonicalUser`: S3 canonical user ids.
    CanonicalUser,
}

impl PrincipalKind {
    /// Every kind, in canonical order.
    pub const ALL: [PrincipalKind; 4] = [
        PrincipalKind::Aws,
        PrincipalKind::Service,
        PrincipalKind::Federated,
        PrincipalKind::CanonicalUser,
    ];

    /// The key as written in policies.
    pub fn key(self) -> &'static str {
        match self {
            PrincipalKind::Aws => "AWS",
            PrincipalKind::Service => "Service",
            PrincipalKind::Federated => "Federated",
            PrincipalKind::CanonicalUser => "CanonicalUser",
        }
    }

    /// Looks a kind up by its exact key.
    pub fn from_key(key: &str) -> Option<PrincipalKind> {
        PrincipalKind::ALL.into_iter().find(|k| k.key() == key)
    }
}

/// What an `AWS` principal value names.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "form", rename_all = "snake_case")]
pub enum AwsPrincipal {
    /// `*`: anyone, including anonymous callers.
    Any,
    /// A 12-digit account id, short for `arn:aws:iam::ID:root`.
    Account {
        /// The account id.
        account: String,
    },
    /// An ARN: account root, user, role, assumed-role session, federated user.
    Arn {
        /// The parsed ARN.
        arn: Arn,
    },
    /// A unique id (`AIDA...`, `AROA...`): AWS stores these in place of a
    /// principal that was deleted, so it matches nobody new.
    UniqueId {
        /// The id.
        id: String,
    },
    /// Anything else; AWS rejects it.
    Invalid,
}

impl AwsPrincipal {
    /// Classifies an `AWS` principal value.
    pub fn classify(value: &str) -> AwsPrincipal {
        if value == "*" {
            return AwsPrincipal::Any;
        }
        if value.len() == 12 && value.bytes().all(|b| b.is_ascii_digit()) {
            return AwsPrincipal::Account {
                account: value.to_string(),
            };
        }
        if let Ok(arn) = Arn::parse(value) {
            return AwsPrincipal::Arn { arn };
        }
        let unique_prefixes = [
            "AIDA", "AROA", "AIPA", "ANPA", "ANVA", "ASIA", "AKIA", "AGPA",
        ];
        if value.len() >= 16
            && unique_prefixes.iter().any(|p| value.starts_with(p))
            && value
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        {
            return AwsPrincipal::UniqueId {
                id: value.to_string(),
            };
        }
        AwsPrincipal::Invalid
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classify() {
        assert_eq!(AwsPrincipal::classify("*"), AwsPrincipal::Any);
        assert!(matches!(
            AwsPrincipal::classify("111122223333"),
            AwsPrincipal::Account { .. }
        ));
        assert!(matches!(
            AwsPrincipal::classify("arn:aws:iam::111122223333:role/x"),
            AwsPrincipal::Arn { .. }
        ));
        assert!(matches!(
            AwsPrincipal::classify("AIDAJQABLZS4A3QDU576Q"),
            AwsPrincipal::UniqueId { .. }
        ));
        assert_eq!(AwsPrincipal::classify("bob"), AwsPrincipal::Invalid);
        assert_eq!(PrincipalKind::from_key("AWS"), Some(PrincipalKind::Aws));
        assert_eq!(PrincipalKind::from_key("aws"), None);
    }
}
