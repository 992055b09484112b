//! Consecutive versions of the managed policies, the input of the prover's
//! corpus test and of the diff benchmark (`cargo xtask bench-diff`).

use crate::ManagedPolicy;

/// Two consecutive stored versions of one managed policy.
#[derive(Clone, Copy, Debug)]
pub struct VersionPair<'a> {
    /// The policy name.
    pub policy: &'a str,
    /// The older version id, such as `v2`.
    pub old_version: &'a str,
    /// The newer version id, such as `v3`.
    pub new_version: &'a str,
    /// The older document text.
    pub old: &'a str,
    /// The newer document text.
    pub new: &'a str,
}

impl VersionPair<'_> {
    /// `Policy v2 -> v3`: how tests and benchmarks name the pair.
    pub fn label(&self) -> String {
        format!(
            "{} {} -> {}",
            self.policy, self.old_version, self.new_version
        )
    }
}

/// Every pair of consecutive versions, in corpus order (policies by name,
/// versions by number).
pub fn version_pairs(policies: &[ManagedPolicy]) -> impl Iterator<Item = VersionPair<'_>> {
    policies.iter().flat_map(|p| {
        p.versions.windows(2).filter_map(move |w| {
            let [(old_version, old), (new_version, new)] = w else {
                return None;
            };
            Some(VersionPair {
                policy: &p.name,
                old_version,
                new_version,
                old,
                new,
            })
        })
    })
}
