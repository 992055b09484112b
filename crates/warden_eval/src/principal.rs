//! The caller of a request and the identities it acts as.
//!
//! A request made by a role session is also a request by its role and by the
//! role's account; AWS matches `Principal` and `NotPrincipal` against these
//! ("AWS JSON policy elements: NotPrincipal": to exempt a role session from a
//! `Deny` with `NotPrincipal`, list the session ARN, the role ARN and the
//! account).

use warden_policy::arn::Arn;

/// What kind of principal makes the request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CallerKind {
    /// An IAM user `arn:aws:iam::ACCOUNT:user/path/name`.
    User {
        /// The user name (last path element).
        name: String,
    },
    /// An IAM role acting directly (rare: requests come from sessions).
    Role {
        /// The role name.
        name: String,
    },
    /// A role session `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`.
    AssumedRole {
        /// The role name.
        role: String,
        /// The session name.
        session: String,
    },
    /// The account root user `arn:aws:iam::ACCOUNT:root`.
    Root,
    /// A federated user `arn:aws:sts::ACCOUNT:federated-user/NAME`.
    FederatedUser {
        /// The federated user name.
        name: String,
    },
    /// An AWS service principal such as `lambda.amazonaws.com`.
    Service,
    /// Anything else (an identity provider ARN, a canonical user id).
    Other,
}

/// The principal that makes a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Caller {
    /// The principal as given: an ARN or a service principal name.
    pub arn: String,
    /// The principal's account, when it has one.
    pub account: Option<String>,
    /// The partition (`aws` when not an ARN).
    pub partition: String,
    /// What it is.
    pub kind: CallerKind,
    /// For a role session, the role ARN without path (`aws:PrincipalArn`).
    pub role_arn: Option<String>,
}

impl Caller {
    /// Classifies a principal string.
    pub fn parse(principal: &str) -> Caller {
        let mut caller = Caller {
            arn: principal.to_string(),
            account: None,
            partition: "aws".to_string(),
            kind: CallerKind::Other,
            role_arn: None,
        };
        let Ok(arn) = Arn::parse(principal) else {
            if principal.ends_with(".amazonaws.com") || principal.ends_with(".amazonaws.com.cn") {
                caller.kind = CallerKind::Service;
            }
            return caller;
        };
        caller.partition = arn.partition.clone();
        if !arn.account.is_empty() {
            caller.account = Some(arn.account.clone());
        }
        let last = |s: &str| s.rsplit('/').next().unwrap_or("").to_string();
        caller.kind = match (arn.service.as_str(), arn.resource.split_once('/')) {
            ("iam", None) if arn.resource == "root" => CallerKind::Root,
            ("iam", Some(("user", rest))) => CallerKind::User { name: last(rest) },
            ("iam", Some(("role", rest))) => CallerKind::Role { name: last(rest) },
            ("sts", Some(("assumed-role", rest))) => match rest.split_once('/') {
                Some((role, session)) => {
                    caller.role_arn = Some(format!(
                        "arn:{}:iam::{}:role/{role}",
                        arn.partition, arn.account
                    ));
                    CallerKind::AssumedRole {
                        role: role.to_string(),
                        session: session.to_string(),
                    }
                }
                None => CallerKind::Other,
            },
            ("sts", Some(("federated-user", name))) => CallerKind::FederatedUser {
                name: name.to_string(),
            },
            _ => CallerKind::Other,
        };
        caller
    }

    /// The value of `aws:PrincipalArn`: the role ARN for a session, else the
    /// principal's ARN.
    pub fn principal_arn(&self) -> &str {
        self.role_arn.as_deref().unwrap_or(&self.arn)
    }

    /// The account root ARN, when the caller has an account.
    pub fn account_root(&self) -> Option<String> {
        self.account
            .as_ref()
            .map(|a| format!("arn:{}:iam::{a}:root", self.partition))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classify() {
        let c = Caller::parse("arn:aws:sts::111122223333:assumed-role/app/i-123");
        assert_eq!(c.account.as_deref(), Some("111122223333"));
        assert_eq!(c.principal_arn(), "arn:aws:iam::111122223333:role/app");
        assert!(matches!(c.kind, CallerKind::AssumedRole { .. }));
        let u = Caller::parse("arn:aws:iam::111122223333:user/dev/alice");
        assert_eq!(
            u.kind,
            CallerKind::User {
                name: "alice".into()
            }
        );
        assert_eq!(
            Caller::parse("arn:aws:iam::111122223333:root").kind,
            CallerKind::Root
        );
        assert_eq!(
            Caller::parse("lambda.amazonaws.com").kind,
            CallerKind::Service
        );
    }
}
