//! Condition-key questions that several rules ask of the catalog: whether
//! a key is known, which tag key it lacks, and which known key is closest.

use warden_catalog::ConditionKey;

use crate::LintContext;

impl LintContext<'_> {
    /// Whether the catalog knows the condition key `name`. Besides the
    /// catalog's own look-up, this accepts tag keys of services whose entry
    /// in the service reference spells the pattern literally
    /// (`secretsmanager:ResourceTag/tag-key`, `sagemaker:ResourceTag/`).
    pub(crate) fn is_known_key(&self, name: &str) -> bool {
        if self.condition_key(name).is_some() {
            return true;
        }
        let Some((stem, tag)) = name.split_once('/') else {
            return false;
        };
        !tag.is_empty()
            && stem.to_ascii_lowercase().ends_with("tag")
            && (self.condition_key(&format!("{stem}/tag-key")).is_some()
                || self.condition_key(&format!("{stem}/")).is_some())
    }

    /// The name a tag-key condition key must be completed to, when `name`
    /// is such a key without its tag key (`aws:ResourceTag`,
    /// `aws:RequestTag/`, `s3:ExistingObjectTag`): the key's pattern, such
    /// as `aws:ResourceTag/${TagKey}`.
    pub(crate) fn missing_tag_key(&self, name: &str) -> Option<String> {
        let stem = name.strip_suffix('/').unwrap_or(name);
        if !stem.to_ascii_lowercase().ends_with("tag") || stem.contains('/') {
            return None;
        }
        if self.condition_key(name).is_some() {
            return None;
        }
        if let Some(key) = self.condition_key(&format!("{stem}/x"))
            && key.is_pattern()
        {
            return Some(key.name().to_string());
        }
        self.condition_key(&format!("{stem}/tag-key"))
            .map(|k| k.name().to_string())
    }
}

/// The service prefix of a condition key (text before the first `:`).
pub(crate) fn key_prefix(name: &str) -> Option<&str> {
    name.split_once(':').map(|(p, _)| p)
}

/// The name among `keys` closest to `key` (edit distance at most 3,
/// ignoring case), for "did you mean" help.
pub(crate) fn closest_key_name<'c>(
    keys: impl Iterator<Item = ConditionKey<'c>>,
    key: &str,
) -> Option<&'c str> {
    let lower = key.to_ascii_lowercase();
    keys.map(|k| {
        (
            warden_policy::operator::edit_distance(&k.name().to_ascii_lowercase(), &lower),
            k.name(),
        )
    })
    .filter(|(d, _)| *d <= 3)
    .min_by_key(|(d, _)| *d)
    .map(|(_, name)| name)
}
