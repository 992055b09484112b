//! Comparing policies that filter instead of granting: SCPs, RCPs and VPC
//! endpoint policies.
//!
//! Such a policy grants nothing; it sets the most a request may get. Read
//! alone, two deny-only SCPs both allow nothing and would compare
//! "equivalent" although they deny different things. So a filter is
//! compared where AWS places it, stacked on identity policies that allow
//! everything:
//!
//! - an SCP in both placements AWS allows ("Every root, OU, and account
//!   must have at least one SCP attached": an *allow list* replaces the
//!   default `FullAWSAccess`, a *deny list* sits next to it). Two SCPs
//!   differ in some organization exactly when they differ in one of these
//!   two placements: with another policy `G` at the level, a request passes
//!   `(allows(F) ∪ allows(G)) \ denies(F) \ denies(G)`, and `G` empty or
//!   `G = FullAWSAccess` are the extremes;
//! - an RCP next to `RCPFullAWSAccess`, which AWS attaches to every root,
//!   OU and account;
//! - a VPC endpoint policy alone: an endpoint has one policy.

use warden_policy::ast::Effect;
use warden_policy::build::{self, StatementBuilder};
use warden_policy::{Policy, PolicyType};
use warden_prove::{Changes, Comparison, DiffOptions, PolicyStack, Verdict};

/// Where a filter is placed for a comparison.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Placement {
    /// The only policy of its level (an SCP allow list, an endpoint
    /// policy).
    Alone,
    /// Next to a policy that allows everything (`FullAWSAccess`,
    /// `RCPFullAWSAccess`).
    NextToFullAccess,
}

/// The placements a policy of `role` is compared in; empty when the type
/// grants (identity, resource and trust policies are compared as they
/// are).
pub fn placements(role: PolicyType) -> &'static [Placement] {
    match role {
        PolicyType::Scp => &[Placement::Alone, Placement::NextToFullAccess],
        PolicyType::Rcp => &[Placement::NextToFullAccess],
        PolicyType::Endpoint => &[Placement::Alone],
        PolicyType::Identity | PolicyType::Resource | PolicyType::Trust => &[],
    }
}

/// How filters of `role` were compared, for the output; `None` for types
/// that grant.
pub fn reading(role: PolicyType) -> Option<&'static str> {
    match role {
        PolicyType::Scp => Some(
            "read as service control policies, which filter and grant nothing: each compared \
             stacked on identity policies that allow everything, both as the only SCP of its \
             level (an allow list) and next to FullAWSAccess (a deny list)",
        ),
        PolicyType::Rcp => Some(
            "read as resource control policies, which filter and grant nothing: each compared \
             next to RCPFullAWSAccess (attached to every root, OU and account), stacked on \
             policies that allow everything",
        ),
        PolicyType::Endpoint => Some(
            "read as VPC endpoint policies, which filter and grant nothing: each compared as \
             the endpoint's only policy, stacked on policies that allow everything",
        ),
        PolicyType::Identity | PolicyType::Resource | PolicyType::Trust => None,
    }
}

/// `{"Effect": "Allow", "Action": "*", "Resource": "*"}` (with
/// `"Principal": "*"` for RCPs and endpoint policies, which name
/// principals).
fn full_access(role: PolicyType) -> Policy {
    let s = StatementBuilder::new(Effect::Allow);
    let s = if role == PolicyType::Scp {
        s
    } else {
        s.any_principal()
    };
    build::policy(vec![s.all_actions().all_resources().build()])
}

/// A comparison of two filters: the verdicts of the placement that shows
/// a difference (each direction its own), and the changes there.
pub(crate) struct FilterComparison {
    /// The verdicts.
    pub comparison: Comparison,
    /// The changes per action, in the first placement that differs.
    pub changes: Changes,
}

/// Compares the filters `old` and `new` of `options.role` in each of its
/// placements; a direction is `Yes` when some placement shows a witness,
/// `No` when every placement proves none, else the first unknown.
pub(crate) fn compare(
    old: &Policy,
    new: &Policy,
    options: &DiffOptions,
    with_changes: bool,
) -> FilterComparison {
    let full = full_access(options.role);
    let mut new_access: Option<Verdict> = None;
    let mut removed_access: Option<Verdict> = None;
    let mut changes = Changes::default();
    for &placement in placements(options.role) {
        let (old_stack, new_stack, opts) = match placement {
            Placement::Alone => (
                PolicyStack::single(old),
                PolicyStack::single(new),
                options.clone(),
            ),
            Placement::NextToFullAccess => (
                level_with(old, &full),
                level_with(new, &full),
                DiffOptions {
                    role: PolicyType::Identity,
                    ..options.clone()
                },
            ),
        };
        let c = warden_prove::compare_stacks(&old_stack, &new_stack, &opts);
        if with_changes && !c.equivalent() && changes.entries.is_empty() {
            changes = warden_prove::changes_stacks(&old_stack, &new_stack, &opts);
        }
        merge(&mut new_access, c.new_access);
        merge(&mut removed_access, c.removed_access);
    }
    FilterComparison {
        comparison: Comparison {
            new_access: new_access.unwrap_or(Verdict::No),
            removed_access: removed_access.unwrap_or(Verdict::No),
        },
        changes,
    }
}

/// `filter` next to `full` in the one level above identity policies that
/// allow everything.
fn level_with<'p>(filter: &'p Policy, full: &'p Policy) -> PolicyStack<'p> {
    PolicyStack {
        identity: vec![allow_all()],
        scp_levels: vec![vec![filter, full]],
        ..PolicyStack::default()
    }
}

/// Identity policies that allow everything.
fn allow_all() -> &'static Policy {
    static ALL: std::sync::OnceLock<Policy> = std::sync::OnceLock::new();
    ALL.get_or_init(|| full_access(PolicyType::Scp))
}

/// Keeps the first witness; a proven `No` only when every placement
/// proves it.
fn merge(into: &mut Option<Verdict>, v: Verdict) {
    match (into.as_ref(), &v) {
        (Some(Verdict::Yes(_)), _) => {}
        (_, Verdict::Yes(_)) => *into = Some(v),
        (Some(Verdict::Unknown(_)), _) => {}
        _ => *into = Some(v),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(statements: &str) -> Policy {
        let text = format!(r#"{{"Version":"2012-10-17","Statement":[{statements}]}}"#);
        warden_policy::parse_policy(&text)
            .policy
            .unwrap_or_else(|| panic!("{text}"))
    }

    fn options(role: PolicyType) -> DiffOptions {
        DiffOptions {
            role,
            ..DiffOptions::default()
        }
    }

    #[test]
    fn two_deny_only_scps_differ() {
        let a = policy(r#"{"Effect":"Deny","Action":"s3:DeleteBucket","Resource":"*"}"#);
        let b = policy(r#"{"Effect":"Deny","Action":"ec2:TerminateInstances","Resource":"*"}"#);
        let c = compare(&a, &b, &options(PolicyType::Scp), true).comparison;
        let w = c.new_access.witness().unwrap_or_else(|| panic!("{c:?}"));
        assert!(
            w.request.action.eq_ignore_ascii_case("s3:DeleteBucket"),
            "{w:?}"
        );
        let w = c
            .removed_access
            .witness()
            .unwrap_or_else(|| panic!("{c:?}"));
        assert!(
            w.request
                .action
                .eq_ignore_ascii_case("ec2:TerminateInstances"),
            "{w:?}"
        );
        assert!(
            compare(&a, &a, &options(PolicyType::Scp), true)
                .comparison
                .equivalent()
        );
    }

    #[test]
    fn allow_list_scps_differ_alone() {
        let s3 = policy(r#"{"Effect":"Allow","Action":"s3:*","Resource":"*"}"#);
        let ec2 = policy(r#"{"Effect":"Allow","Action":"ec2:*","Resource":"*"}"#);
        let c = compare(&s3, &ec2, &options(PolicyType::Scp), false).comparison;
        assert!(c.new_access.witness().is_some(), "{c:?}");
        assert!(c.removed_access.witness().is_some(), "{c:?}");
    }

    #[test]
    fn rcps_are_read_next_to_rcp_full_access() {
        let a = policy(
            r#"{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}"#,
        );
        let b = policy(r#"{"Effect":"Deny","Principal":"*","Action":"sqs:*","Resource":"*"}"#);
        let c = compare(&a, &b, &options(PolicyType::Rcp), false).comparison;
        assert!(c.new_access.witness().is_some(), "{c:?}");
        assert!(c.removed_access.witness().is_some(), "{c:?}");
        assert!(
            compare(&b, &b, &options(PolicyType::Rcp), false)
                .comparison
                .equivalent()
        );
    }
}
