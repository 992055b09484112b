//! The kind of policy being linted: which elements it may have and which
//! checks apply depend on it.

use crate::Policy;

/// Where a policy is used.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum PolicyType {
    /// Attached to a user, group or role (also permissions boundaries and
    /// session policies, which share its grammar).
    #[default]
    Identity,
    /// Attached to a resource (bucket, key, queue, topic, secret, ...).
    Resource,
    /// A role's trust policy (its `AssumeRolePolicyDocument`).
    Trust,
    /// An Organizations service control policy.
    Scp,
    /// An Organizations resource control policy.
    Rcp,
    /// A VPC endpoint policy: it names principals like a resource policy,
    /// but, like an SCP, it only limits what passes through the endpoint
    /// ("Control access to VPC endpoints using endpoint policies").
    Endpoint,
}

impl PolicyType {
    /// Every type.
    pub const ALL: [PolicyType; 6] = [
        PolicyType::Identity,
        PolicyType::Resource,
        PolicyType::Trust,
        PolicyType::Scp,
        PolicyType::Rcp,
        PolicyType::Endpoint,
    ];

    /// The name used on the command line and in output.
    pub fn as_str(self) -> &'static str {
        match self {
            PolicyType::Identity => "identity",
            PolicyType::Resource => "resource",
            PolicyType::Trust => "trust",
            PolicyType::Scp => "scp",
            PolicyType::Rcp => "rcp",
            PolicyType::Endpoint => "endpoint",
        }
    }

    /// Parses a name.
    pub fn from_name(name: &str) -> Option<PolicyType> {
        PolicyType::ALL
            .into_iter()
            .find(|t| t.as_str().eq_ignore_ascii_case(name))
    }

    /// Whether the policy is attached to a resource and names the
    /// principals it grants to. A role trust policy is one: AWS calls it
    /// "the only resource-based policy type in IAM" ("Identity-based
    /// policies and resource-based policies").
    pub fn is_resource_based(self) -> bool {
        matches!(self, PolicyType::Resource | PolicyType::Trust)
    }

    /// Whether the policy grants access. SCPs, RCPs and VPC endpoint
    /// policies do not: they are filters that set the most a request may
    /// get ("SCPs do not grant permissions", and likewise RCPs; an endpoint
    /// policy "does not override or replace" identity or resource
    /// policies), so rules about over-broad grants do not apply to them.
    pub fn grants(self) -> bool {
        matches!(
            self,
            PolicyType::Identity | PolicyType::Resource | PolicyType::Trust
        )
    }

    /// The type a policy is read as: the type its container states (a
    /// template's `AssumeRolePolicyDocument` is a trust policy) wins; for
    /// a standalone policy file, the type the user `forced`
    /// (`--policy-type`), else the [inferred](PolicyType::infer) one.
    /// Every command (lint, diff, check) decides the type here.
    pub fn resolve(
        stated: Option<PolicyType>,
        forced: Option<PolicyType>,
        policy: &Policy,
    ) -> PolicyType {
        stated
            .or(forced)
            .unwrap_or_else(|| PolicyType::infer(policy))
    }

    /// The type a standalone policy file most likely has: a `Principal`
    /// makes it a resource policy, a trust policy when its actions are
    /// `sts:AssumeRole*` (and session tags and source identity) and no
    /// statement has a `Resource` element (a trust policy has none; an RCP
    /// denying `sts:AssumeRoleWithWebIdentity` on `"Resource": "*"` is not
    /// one); otherwise an identity policy. SCPs, RCPs and endpoint
    /// policies look like identity or resource policies and are never
    /// inferred: name them with `--policy-type`.
    pub fn infer(policy: &Policy) -> PolicyType {
        let statements = policy.statements();
        if !statements.iter().any(|s| s.principal.is_some()) {
            return PolicyType::Identity;
        }
        let assumes = statements.iter().all(|s| {
            s.resource.is_none()
                && s.action.as_ref().is_some_and(|a| {
                    !a.negated
                        && a.items.iter().all(|i| {
                            let lower = i.raw.to_ascii_lowercase();
                            lower.starts_with("sts:assumerole")
                                || lower == "sts:tagsession"
                                || lower == "sts:setsourceidentity"
                        })
                })
        });
        if assumes {
            PolicyType::Trust
        } else {
            PolicyType::Resource
        }
    }
}

/// Where a policy sits in the stack of policies that apply to one request:
/// the [`PolicyType`] of its document, refined by its position. A
/// permissions boundary and a session policy are identity-grammar
/// documents ([`PolicyType::Identity`]) that limit rather than grant, so
/// the evaluator and its traces tell them apart from the principal's own
/// identity policies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StackSlot {
    /// One of the principal's identity-based policies.
    Identity,
    /// The resource-based policy of the resource (a role's trust policy
    /// when the resource is the role).
    Resource,
    /// The principal's permissions boundary.
    PermissionsBoundary,
    /// The session policy.
    Session,
    /// A service control policy.
    Scp,
    /// A resource control policy.
    Rcp,
}

impl StackSlot {
    /// The grammar of the documents in this slot.
    pub fn policy_type(self) -> PolicyType {
        match self {
            StackSlot::Identity | StackSlot::PermissionsBoundary | StackSlot::Session => {
                PolicyType::Identity
            }
            StackSlot::Resource => PolicyType::Resource,
            StackSlot::Scp => PolicyType::Scp,
            StackSlot::Rcp => PolicyType::Rcp,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn infer(statements: &str) -> PolicyType {
        let text = format!(r#"{{"Version":"2012-10-17","Statement":[{statements}]}}"#);
        let policy = crate::parse_policy(&text).policy;
        policy.map_or(PolicyType::Identity, |p| PolicyType::infer(&p))
    }

    #[test]
    fn inference() {
        assert_eq!(
            infer(r#"{"Effect":"Allow","Action":"s3:*","Resource":"*"}"#),
            PolicyType::Identity
        );
        assert_eq!(
            infer(
                r#"{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":["sts:AssumeRole","sts:TagSession"]}"#
            ),
            PolicyType::Trust
        );
        assert_eq!(
            infer(r#"{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}"#),
            PolicyType::Resource
        );
        // AWS's RCP examples: `sts:` actions with a `Resource` element.
        assert_eq!(
            infer(
                r#"{"Effect":"Deny","Principal":"*","Action":"sts:AssumeRoleWithWebIdentity","Resource":"*"}"#
            ),
            PolicyType::Resource
        );
    }

    #[test]
    fn a_stated_type_wins() {
        let text = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
        let Some(p) = crate::parse_policy(text).policy else {
            panic!("parses");
        };
        assert_eq!(PolicyType::resolve(None, None, &p), PolicyType::Trust);
        assert_eq!(
            PolicyType::resolve(None, Some(PolicyType::Resource), &p),
            PolicyType::Resource
        );
        assert_eq!(
            PolicyType::resolve(Some(PolicyType::Trust), Some(PolicyType::Identity), &p),
            PolicyType::Trust
        );
        assert!(!PolicyType::Scp.grants() && !PolicyType::Endpoint.grants());
        assert_eq!(
            PolicyType::from_name("endpoint"),
            Some(PolicyType::Endpoint)
        );
    }
}
