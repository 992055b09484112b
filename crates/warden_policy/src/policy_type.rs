//! The kind of policy being linted: which elements it may have and which
//! checks apply depend on it.

use crate::Policy;

/// Where a policy is used.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PolicyType {
    /// Attached to a user, group or role (also permissions boundaries and
    /// session policies, which share its grammar).
    Identity,
    /// Attached to a resource (bucket, key, queue, topic, secret, ...).
    Resource,
    /// A role's trust policy (its `AssumeRolePolicyDocument`).
    Trust,
    /// An Organizations service control policy.
    Scp,
    /// An Organizations resource control policy.
    Rcp,
}

impl PolicyType {
    /// Every type.
    pub const ALL: [PolicyType; 5] = [
        PolicyType::Identity,
        PolicyType::Resource,
        PolicyType::Trust,
        PolicyType::Scp,
        PolicyType::Rcp,
    ];

    /// The name used on the command line and in output.
    pub fn as_str(self) -> &'static str {
        match self {
            PolicyType::Identity => "identity",
            PolicyType::Resource => "resource",
            PolicyType::Trust => "trust",
            PolicyType::Scp => "scp",
            PolicyType::Rcp => "rcp",
        }
    }

    /// Parses a name.
    pub fn from_name(name: &str) -> Option<PolicyType> {
        PolicyType::ALL
            .into_iter()
            .find(|t| t.as_str().eq_ignore_ascii_case(name))
    }

    /// The type a standalone policy file most likely has: a `Principal`
    /// makes it a resource policy, a trust policy when its actions are
    /// `sts:AssumeRole*`; otherwise an identity policy.
    pub fn infer(policy: &Policy) -> PolicyType {
        let statements = policy.statements();
        if !statements.iter().any(|s| s.principal.is_some()) {
            return PolicyType::Identity;
        }
        let assumes = statements.iter().all(|s| {
            s.action.as_ref().is_some_and(|a| {
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
