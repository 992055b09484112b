//! IAM Access Analyzer's custom policy checks, decided offline:
//! CheckNoNewAccess, CheckAccessNotGranted and CheckNoPublicAccess. Each
//! answers a [`Verdict`]: `No` passes, `Yes` fails with a witness request.

use warden_eval::PolicyStack;
use warden_policy::{Policy, PolicyType};
use warden_prove::{DiffOptions, PUBLIC_RESOURCE_TYPES, Verdict};

use crate::stack::{UnsupportedStack, prover_view};

/// `no-new-access`: does `new` allow a request `reference` does not?
pub fn no_new_access(
    reference: &PolicyStack<Policy>,
    new: &PolicyStack<Policy>,
    options: &DiffOptions,
) -> Result<Verdict, UnsupportedStack> {
    // Filters (SCPs, RCPs, endpoint policies) in their placements.
    if let (Some(old), Some(new), Some(_)) = (
        crate::diff::single(reference),
        crate::diff::single(new),
        crate::filter::reading(options.role),
    ) {
        return Ok(crate::filter::compare(old, new, options, false)
            .comparison
            .new_access);
    }
    let (old, new) = (prover_view(reference)?, prover_view(new)?);
    Ok(warden_prove::compare_stacks(&old, &new, options).new_access)
}

/// `access-not-granted`: does `policy` allow any of `actions` (patterns),
/// on any of `resources` when given?
pub fn access_not_granted(
    policy: &Policy,
    actions: &[String],
    resources: &[String],
    options: &DiffOptions,
) -> Result<Verdict, String> {
    if let Some(bad) = actions.iter().find(|x| x.trim().is_empty()) {
        return Err(format!("`--action {bad}`: an action cannot be empty"));
    }
    Ok(warden_prove::access_granted(
        policy, actions, resources, options,
    ))
}

/// The resource type `no-public-access` knows by `name` (any case), in
/// Access Analyzer's spelling (`AWS::S3::Bucket`), or an error naming the
/// known types.
pub fn public_resource_type(name: &str) -> Result<&'static str, String> {
    let mut known = PUBLIC_RESOURCE_TYPES.iter().map(|(t, _)| *t);
    known
        .clone()
        .find(|t| t.eq_ignore_ascii_case(name))
        .ok_or_else(|| {
            let known: Vec<&str> = known.by_ref().collect();
            format!(
                "unknown resource type `{name}`; the known types are: {}",
                known.join(", ")
            )
        })
}

/// `no-public-access`: does the resource policy `policy` of a resource of
/// type `resource_type` (from [`public_resource_type`]) grant public
/// access? The policy is read as a resource policy whatever
/// `options.role` says.
pub fn no_public_access(
    policy: &Policy,
    resource_type: &str,
    options: &DiffOptions,
) -> Result<Verdict, String> {
    let options = DiffOptions {
        role: PolicyType::Resource,
        ..options.clone()
    };
    warden_prove::public_access(policy, resource_type, &options)
}
