//! The entry points: compare two policies, summarize their difference, and
//! the Access Analyzer style checks. The procedure behind them is in
//! [`crate::driver`].

use warden_policy::Policy;

use crate::budget::Budget;
use crate::verdict::{Changes, Comparison, DiffOptions, PolicyStack, PolicyType, Verdict};

/// Decides both directions: does NEW allow a request OLD does not, and
/// does OLD allow a request NEW does not.
pub fn compare(old: &Policy, new: &Policy, options: &DiffOptions) -> Comparison {
    on_policies(old, new, options, crate::driver::compare)
}

/// [`compare`] for policy stacks: identity policies with permissions
/// boundary, session policy and SCP levels on each side (read as identity
/// policies whatever `options.role` says, unless a side is one policy).
pub fn compare_stacks(
    old: &PolicyStack<'_>,
    new: &PolicyStack<'_>,
    options: &DiffOptions,
) -> Comparison {
    on_stacks(old, new, options, crate::driver::compare)
}

/// One direction of [`compare`]: does NEW allow a request OLD does not?
/// About half the work of `compare` when only that question matters
/// (containment: NEW allows nothing beyond OLD exactly when this is `No`).
pub fn new_access(old: &Policy, new: &Policy, options: &DiffOptions) -> Verdict {
    on_policies(old, new, options, |o, n, opt, budget| {
        let [added] = crate::driver::decide(o, n, opt, budget, [crate::driver::Direction::Added]);
        added
    })
}

/// Runs `procedure` on two single policies (each read as its role says).
fn on_policies<T>(
    old: &Policy,
    new: &Policy,
    options: &DiffOptions,
    procedure: impl FnOnce(&PolicyStack<'_>, &PolicyStack<'_>, &DiffOptions, &Budget) -> T,
) -> T {
    let (old, new) = (PolicyStack::single(old), PolicyStack::single(new));
    on_stacks(&old, &new, options, procedure)
}

/// Runs `procedure` on two stacks with its budget. A stack of several
/// policies is read on the identity side, whatever role the options name.
fn on_stacks<T>(
    old: &PolicyStack<'_>,
    new: &PolicyStack<'_>,
    options: &DiffOptions,
    procedure: impl FnOnce(&PolicyStack<'_>, &PolicyStack<'_>, &DiffOptions, &Budget) -> T,
) -> T {
    let mut options = options.clone();
    if !(old.is_single() && new.is_single()) {
        options.role = PolicyType::Identity;
    }
    let budget = Budget::new(options.deadline);
    procedure(old, new, &options, &budget)
}

/// The difference per action: added, removed, widened, narrowed, each with
/// an example request.
pub fn changes(old: &Policy, new: &Policy, options: &DiffOptions) -> Changes {
    on_policies(old, new, options, crate::changes::changes)
}

/// [`changes`] for policy stacks (see [`compare_stacks`]).
pub fn changes_stacks(
    old: &PolicyStack<'_>,
    new: &PolicyStack<'_>,
    options: &DiffOptions,
) -> Changes {
    on_stacks(old, new, options, crate::changes::changes)
}

/// `access-not-granted`: does `policy` allow any request whose action is
/// one of `actions` (patterns, `s3:Get*` allowed) and, when `resources` is
/// not empty, whose resource matches one of `resources` (patterns)?
/// `Yes` means access *is* granted (the check fails).
pub fn access_granted(
    policy: &Policy,
    actions: &[String],
    resources: &[String],
    options: &DiffOptions,
) -> Verdict {
    crate::checks::access_granted(policy, actions, resources, options)
}

pub use crate::checks::PUBLIC_RESOURCE_TYPES;

/// `no-public-access`: does the resource policy `policy` of a resource of
/// type `resource_type` (an entry of [`PUBLIC_RESOURCE_TYPES`]) allow access
/// to anyone, "public" as IAM Access Analyzer documents it: a principal of
/// any account, not limited by conditions on the caller's account,
/// organization, VPC, source IP, source ARN or similar. `Yes` means public
/// (the check fails). `Err` for a resource type not in the list.
pub fn public_access(
    policy: &Policy,
    resource_type: &str,
    options: &DiffOptions,
) -> Result<Verdict, String> {
    let budget = Budget::new(options.deadline);
    crate::checks::public_access(policy, resource_type, options, &budget)
}

/// Does the resource or trust policy `policy` grant access to anyone, or
/// to any account: "public" as in [`public_access`], for a resource of
/// unknown type (every action counts; `sts:` actions for a trust policy,
/// `options.role` [`PolicyType::Trust`]). `Yes` means public.
pub fn public_grant(policy: &Policy, options: &DiffOptions) -> Verdict {
    let budget = Budget::new(options.deadline);
    crate::checks::public_grant(policy, options, &budget)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(statements: &str) -> Policy {
        let text = format!(r#"{{"Version":"2012-10-17","Statement":[{statements}]}}"#);
        warden_policy::parse_policy(&text).policy.unwrap()
    }

    fn cmp(old: &str, new: &str) -> Comparison {
        compare(&policy(old), &policy(new), &DiffOptions::default())
    }

    #[test]
    fn identical_policies_are_equivalent() {
        let p = r#"{"Effect":"Allow","Action":["s3:GetObject","s3:List*"],"Resource":"arn:aws:s3:::b/*"}"#;
        assert!(cmp(p, p).equivalent(), "{:?}", cmp(p, p));
    }

    #[test]
    fn widened_action_has_a_witness() {
        let old = r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}"#;
        let new = r#"{"Effect":"Allow","Action":"s3:Get*","Resource":"*"}"#;
        let c = cmp(old, new);
        let w = c.new_access.witness().unwrap_or_else(|| panic!("{c:?}"));
        assert!(w.request.action.to_ascii_lowercase().starts_with("s3:get"));
        assert_ne!(w.request.action.to_ascii_lowercase(), "s3:getobject");
        assert_eq!(c.removed_access, Verdict::No);
    }

    #[test]
    fn conditions_and_denies() {
        let old = r#"{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}"#;
        let new = r#"{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/16"}}}"#;
        let c = cmp(old, new);
        assert_eq!(c.new_access, Verdict::No, "{c:?}");
        assert!(c.removed_access.witness().is_some(), "{c:?}");
        let with_deny = r#"{"Effect":"Allow","Action":"s3:*","Resource":"*"},{"Effect":"Deny","Action":"s3:Delete*","Resource":"*"}"#;
        let without = r#"{"Effect":"Allow","Action":"s3:*","Resource":"*"}"#;
        let c = cmp(with_deny, without);
        let w = c.new_access.witness().unwrap_or_else(|| panic!("{c:?}"));
        assert!(
            w.request
                .action
                .to_ascii_lowercase()
                .starts_with("s3:delete"),
            "{w:?}"
        );
    }

    #[test]
    fn variables() {
        let a = r#"{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/home/${aws:username}/*"}"#;
        assert!(cmp(a, a).equivalent());
        let deny_bob = r#"{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/home/${aws:username}/*"},{"Effect":"Deny","Action":"s3:*","Resource":"arn:aws:s3:::b/home/bob/*"}"#;
        let c = cmp(deny_bob, a);
        assert!(c.new_access.witness().is_some(), "{c:?}");
        assert_eq!(c.removed_access, Verdict::No, "{c:?}");
    }

    #[test]
    fn public_bucket() {
        let p = policy(
            r#"{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}"#,
        );
        let v = public_access(&p, "AWS::S3::Bucket", &DiffOptions::default()).unwrap();
        assert!(v.witness().is_some(), "{v:?}");
        let p = policy(
            r#"{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-123"}}}"#,
        );
        let v = public_access(&p, "AWS::S3::Bucket", &DiffOptions::default()).unwrap();
        assert_eq!(v, Verdict::No);
    }
}

#[cfg(test)]
mod stack_tests {
    use super::*;

    fn policy(statements: &str) -> Policy {
        let text = format!(r#"{{"Version":"2012-10-17","Statement":[{statements}]}}"#);
        warden_policy::parse_policy(&text).policy.unwrap()
    }

    #[test]
    fn a_boundary_only_narrows() {
        let s3 = policy(r#"{"Effect":"Allow","Action":"s3:*","Resource":"*"}"#);
        let get = policy(r#"{"Effect":"Allow","Action":"s3:Get*","Resource":"*"}"#);
        let old = PolicyStack::single(&s3);
        let new = PolicyStack {
            identity: vec![&s3],
            boundary: Some(&get),
            ..PolicyStack::default()
        };
        let c = compare_stacks(&old, &new, &DiffOptions::default());
        assert_eq!(c.new_access, Verdict::No, "{c:?}");
        let w = c
            .removed_access
            .witness()
            .unwrap_or_else(|| panic!("{c:?}"));
        assert!(
            !w.request.action.to_ascii_lowercase().starts_with("s3:get"),
            "{w:?}"
        );
    }

    #[test]
    fn every_scp_level_must_allow() {
        let all = policy(r#"{"Effect":"Allow","Action":"*","Resource":"*"}"#);
        let ec2 = policy(r#"{"Effect":"Allow","Action":"ec2:*","Resource":"*"}"#);
        let s3 = policy(r#"{"Effect":"Allow","Action":"s3:*","Resource":"*"}"#);
        let one_level = PolicyStack {
            identity: vec![&all],
            scp_levels: vec![vec![&ec2, &s3]],
            ..PolicyStack::default()
        };
        let two_levels = PolicyStack {
            identity: vec![&all],
            scp_levels: vec![vec![&ec2, &s3], vec![&s3]],
            ..PolicyStack::default()
        };
        let c = compare_stacks(&one_level, &two_levels, &DiffOptions::default());
        assert_eq!(c.new_access, Verdict::No, "{c:?}");
        let w = c
            .removed_access
            .witness()
            .unwrap_or_else(|| panic!("{c:?}"));
        assert!(
            w.request.action.to_ascii_lowercase().starts_with("ec2:"),
            "{w:?}"
        );
        assert!(compare_stacks(&two_levels, &two_levels, &DiffOptions::default()).equivalent());
    }

    #[test]
    fn another_identity_policy_adds_access() {
        let s3 = policy(r#"{"Effect":"Allow","Action":"s3:*","Resource":"*"}"#);
        let sqs = policy(r#"{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"*"}"#);
        let deny = policy(r#"{"Effect":"Deny","Action":"sqs:*","Resource":"*"}"#);
        let old = PolicyStack::single(&s3);
        let new = PolicyStack {
            identity: vec![&s3, &sqs],
            ..PolicyStack::default()
        };
        let c = compare_stacks(&old, &new, &DiffOptions::default());
        let w = c.new_access.witness().unwrap_or_else(|| panic!("{c:?}"));
        assert_eq!(w.request.action.to_ascii_lowercase(), "sqs:sendmessage");
        let denied = PolicyStack {
            identity: vec![&s3, &sqs],
            session: Some(&s3),
            ..PolicyStack::default()
        };
        assert_eq!(
            compare_stacks(&old, &denied, &DiffOptions::default()).new_access,
            Verdict::No
        );
        let scp_denies = PolicyStack {
            identity: vec![&s3, &sqs],
            scp_levels: vec![vec![&deny, &sqs]],
            ..PolicyStack::default()
        };
        assert_eq!(
            compare_stacks(&old, &scp_denies, &DiffOptions::default()).new_access,
            Verdict::No
        );
    }
}

#[cfg(test)]
mod review_tests {
    use super::*;

    fn policy(statements: &str) -> Policy {
        let text = format!(r#"{{"Version":"2012-10-17","Statement":[{statements}]}}"#);
        warden_policy::parse_policy(&text).policy.unwrap()
    }

    fn new_access(old: &str, new: &str, role: crate::PolicyType) -> Verdict {
        let options = DiffOptions {
            role,
            ..DiffOptions::default()
        };
        compare(&policy(old), &policy(new), &options).new_access
    }

    /// Cases a review found answered "no" wrongly; each must now be "yes".
    #[test]
    fn found_in_review() {
        use crate::PolicyType::{Identity, Resource};
        let cases = [
            // Unicode case folding (KELVIN SIGN lowercases to `k`).
            (
                r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:userid":["k","K"]}}}"#,
                r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEqualsIgnoreCase":{"aws:userid":"k"}}}"#,
                Identity,
            ),
            (
                r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:userid":"Ä"}}}"#,
                r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEqualsIgnoreCase":{"aws:userid":"Ä"}}}"#,
                Identity,
            ),
            // Integers past 2^53 compare exactly.
            (
                r#"{"Effect":"Deny","Action":"*","Resource":"*"}"#,
                r#"{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*","Condition":{"NumericGreaterThan":{"s3:max-keys":"9007199254740992"},"NumericLessThan":{"s3:max-keys":"9007199254740994"}}}"#,
                Identity,
            ),
            // Dates past year 9999.
            (
                r#"{"Effect":"Deny","Action":"*","Resource":"*"}"#,
                r#"{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"9999-12-31T23:00:00Z"}}}"#,
                Identity,
            ),
            // Account patterns in linked keys, and short account ids.
            (
                r#"{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalAccount":"999988887777"}}}"#,
                r#"{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"StringLike":{"aws:PrincipalAccount":"1111222233*"}}}"#,
                Resource,
            ),
            (
                r#"{"Effect":"Allow","Principal":{"AWS":"999988887777"},"Action":"s3:GetObject","Resource":"*"}"#,
                r#"{"Effect":"Allow","Principal":{"AWS":"12345"},"Action":"s3:GetObject","Resource":"*"}"#,
                Resource,
            ),
            // Two principal ARN patterns that one caller satisfies together.
            (
                r#"{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalAccount":"999988887777"}}}"#,
                r#"{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"StringLike":{"aws:PrincipalArn":"arn:aws:iam::111122223333:user/A*"},"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::111122223333:user/*B"}}}"#,
                Resource,
            ),
            // A key is set-valued when a set operator uses it anywhere.
            (
                r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"ForAnyValue:StringEquals":{"my:key":"x"}}}"#,
                r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"ForAnyValue:StringEquals":{"my:key":"x"}}},{"Effect":"Allow","Action":"ec2:RunInstances","Resource":"*","Condition":{"StringEquals":{"my:key":"a"},"StringLike":{"my:key":"b"}}}"#,
                Identity,
            ),
        ];
        for (old, new, role) in cases {
            let v = new_access(old, new, role);
            assert!(v.witness().is_some(), "{v:?}\n OLD {old}\n NEW {new}");
        }
    }
}
