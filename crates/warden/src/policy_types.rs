//! Which [`PolicyType`] a command reads a policy as, decided in one place
//! for `lint`, `diff` and `check`: the type a template or plan states for
//! the policy, else the type the user forced (`--policy-type`, for
//! standalone policy files), else the inferred one
//! ([`PolicyType::resolve`]).

use warden_eval::PolicyStack;
use warden_policy::{Policy, PolicyType};

/// One compared side: the stack, and the type its container states.
#[derive(Clone, Copy, Debug)]
pub struct Side<'a> {
    /// The policy or stack.
    pub stack: &'a PolicyStack<Policy>,
    /// The type the template or plan it came from states, if any.
    pub stated: Option<PolicyType>,
}

/// The type one policy is read as.
pub fn for_policy(
    policy: &Policy,
    stated: Option<PolicyType>,
    forced: Option<PolicyType>,
) -> PolicyType {
    PolicyType::resolve(stated, forced, policy)
}

/// The one type two compared sides are read as. A stack of several
/// policies is read as identity policies with their boundary, session
/// policy and SCPs. When the two single policies resolve to different
/// types (a trust policy and an empty policy), a stated type wins over an
/// inferred one, and a type with principals over an identity policy, so
/// that a policy with a `Principal` is never read as an identity policy
/// (whose callers the prover and the evaluator see differently).
pub fn for_comparison(old: Side<'_>, new: Side<'_>, forced: Option<PolicyType>) -> PolicyType {
    let (Some(old_policy), Some(new_policy)) = (
        crate::diff::single(old.stack),
        crate::diff::single(new.stack),
    ) else {
        return forced.unwrap_or(PolicyType::Identity);
    };
    let a = for_policy(old_policy, old.stated, forced);
    let b = for_policy(new_policy, new.stated, forced);
    if a == b {
        return a;
    }
    match (old.stated.is_some(), new.stated.is_some()) {
        (true, false) => return a,
        (false, true) => return b,
        _ => {}
    }
    if b == PolicyType::Identity { a } else { b }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stack(text: &str) -> PolicyStack<Policy> {
        let policy = warden_policy::parse_policy(text)
            .policy
            .unwrap_or_else(|| panic!("{text}"));
        PolicyStack::single(policy)
    }

    const TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
    const EMPTY: &str = r#"{"Version":"2012-10-17","Statement":[]}"#;

    #[test]
    fn a_principal_is_never_read_as_identity() {
        let (trust, empty) = (stack(TRUST), stack(EMPTY));
        let side = |stack| Side {
            stack,
            stated: None,
        };
        assert_eq!(
            for_comparison(side(&trust), side(&trust), None),
            PolicyType::Trust
        );
        assert_eq!(
            for_comparison(side(&empty), side(&trust), None),
            PolicyType::Trust
        );
        assert_eq!(
            for_comparison(side(&trust), side(&empty), None),
            PolicyType::Trust
        );
        assert_eq!(
            for_comparison(side(&trust), side(&trust), Some(PolicyType::Resource)),
            PolicyType::Resource
        );
    }

    #[test]
    fn a_stated_type_wins_over_the_forced_one() {
        let trust = stack(TRUST);
        let stated = Side {
            stack: &trust,
            stated: Some(PolicyType::Trust),
        };
        assert_eq!(
            for_comparison(stated, stated, Some(PolicyType::Identity)),
            PolicyType::Trust
        );
    }
}
