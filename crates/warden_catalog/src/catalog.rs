//! The decoded catalog and its entry points.

use std::cmp::Ordering;
use std::fmt;
use std::sync::OnceLock;

use crate::action::{Action, ActionId};
use crate::condition_key::ConditionKey;
use crate::format::{
    self, ActionRecord, ActionResourceRecord, DecodeError, KeyRecord, NO_SERVICE,
    ResourceTypeRecord, ServiceRecord, Span,
};
use crate::service::Service;
use crate::template::{self, Dialect};

/// The AWS services, actions, resource types and condition keys known to warden.
///
/// There is one catalog, embedded in the binary: get it with [`Catalog::get`].
/// Look-ups return light handles ([`Service`], [`Action`], [`ResourceType`],
/// [`ConditionKey`]) that borrow the catalog and are `Copy`.
///
/// [`ResourceType`]: crate::ResourceType
pub struct Catalog {
    pub(crate) services: Vec<ServiceRecord>,
    pub(crate) actions: Vec<ActionRecord>,
    pub(crate) resource_types: Vec<ResourceTypeRecord>,
    pub(crate) arn_formats: Vec<&'static str>,
    pub(crate) condition_keys: Vec<KeyRecord>,
    /// Keys from here on are the global ones.
    pub(crate) global_keys_start: u32,
    pub(crate) action_resources: Vec<ActionResourceRecord>,
    pub(crate) key_refs: Vec<u32>,
    /// Every key, by lower-cased name, global keys first among equal names.
    pub(crate) key_index: Vec<u32>,
    /// One key per distinct pattern name (`aws:RequestTag/${TagKey}`), the
    /// preferred definition: tried when no key has the exact name.
    pub(crate) pattern_keys: Vec<u32>,
}

static EMBEDDED: OnceLock<Result<Catalog, DecodeError>> = OnceLock::new();
static EMPTY: Catalog = Catalog::empty();

impl Catalog {
    /// The embedded catalog, decoded on first use (well under a millisecond;
    /// see the `catalog` benchmark) and shared afterwards.
    ///
    /// Should the embedded data be corrupt, which the crate's tests rule out,
    /// this returns an empty catalog; [`Catalog::try_get`] reports the error.
    pub fn get() -> &'static Catalog {
        Catalog::try_get().unwrap_or(&EMPTY)
    }

    /// The embedded catalog, or why it could not be decoded.
    pub fn try_get() -> Result<&'static Catalog, &'static DecodeError> {
        EMBEDDED
            .get_or_init(|| format::decode(crate::generated::BLOB))
            .as_ref()
    }

    /// Decodes a fresh copy of the embedded catalog. Most callers want
    /// [`Catalog::get`], which decodes once; this is for measuring the decode.
    pub fn load() -> Result<Catalog, DecodeError> {
        format::decode(crate::generated::BLOB)
    }

    const fn empty() -> Catalog {
        Catalog {
            services: Vec::new(),
            actions: Vec::new(),
            resource_types: Vec::new(),
            arn_formats: Vec::new(),
            condition_keys: Vec::new(),
            global_keys_start: 0,
            action_resources: Vec::new(),
            key_refs: Vec::new(),
            key_index: Vec::new(),
            pattern_keys: Vec::new(),
        }
    }

    /// The date of the AWS data (`YYYY-MM-DD`), as [`crate::DATA_DATE`].
    pub fn data_date(&self) -> &'static str {
        crate::DATA_DATE
    }

    /// Every service, ordered by prefix.
    pub fn services(&self) -> impl ExactSizeIterator<Item = Service<'_>> + '_ {
        (0..self.services.len()).map(move |i| Service::new(self, index_u32(i)))
    }

    /// The number of services.
    pub fn service_count(&self) -> usize {
        self.services.len()
    }

    /// The service with this prefix (`s3`, `ec2`), ignoring ASCII case.
    pub fn service(&self, prefix: &str) -> Option<Service<'_>> {
        let index = self
            .services
            .binary_search_by(|record| cmp_ignore_ascii_case(record.prefix, prefix))
            .ok()?;
        Some(Service::new(self, index_u32(index)))
    }

    /// Every action of every service, ordered by service prefix, then name.
    pub fn actions(&self) -> impl ExactSizeIterator<Item = Action<'_>> + '_ {
        (0..self.actions.len()).map(move |i| Action::new(self, index_u32(i)))
    }

    /// The number of actions.
    pub fn action_count(&self) -> usize {
        self.actions.len()
    }

    /// The action named `service:Action`, ignoring ASCII case: `s3:getobject`
    /// finds `s3:GetObject`. Wildcards are not expanded here; see
    /// [`Catalog::expand`].
    pub fn action(&self, name: &str) -> Option<Action<'_>> {
        let (prefix, action) = name.split_once(':')?;
        self.service(prefix)?.action(action)
    }

    /// The action with this id.
    pub fn action_by_id(&self, id: ActionId) -> Option<Action<'_>> {
        (id.index() < self.actions.len()).then(|| Action::new(self, id.0))
    }

    /// The number of resource types, over all services.
    pub fn resource_type_count(&self) -> usize {
        self.resource_types.len()
    }

    /// The number of condition keys that services define (a key such as
    /// `aws:ResourceTag/${TagKey}` counts once per service that lists it);
    /// the global keys are not included.
    pub fn condition_key_count(&self) -> usize {
        self.global_keys_start as usize
    }

    /// The AWS global condition keys (`aws:SourceIp`, `aws:PrincipalArn`, ...),
    /// which apply to every action; ordered by name.
    pub fn global_condition_keys(&self) -> impl ExactSizeIterator<Item = ConditionKey<'_>> + '_ {
        (self.global_keys_start as usize..self.condition_keys.len())
            .map(move |i| ConditionKey::new(self, index_u32(i)))
    }

    /// The global condition key with this name or pattern, ignoring ASCII case.
    pub fn global_condition_key(&self, name: &str) -> Option<ConditionKey<'_>> {
        let range = self.global_keys_start as usize..self.condition_keys.len();
        self.find_key_in(range, name)
    }

    /// The definition of a condition key, ignoring ASCII case: a global key
    /// (`aws:SourceIp`), a service key (`s3:max-keys`), or a concrete name
    /// that one of the pattern keys matches (`aws:RequestTag/team` is
    /// `aws:RequestTag/${TagKey}`).
    ///
    /// A key listed by several services resolves to the global definition if
    /// there is one, else to the service whose prefix the key carries, else to
    /// the first service that lists it.
    pub fn condition_key(&self, name: &str) -> Option<ConditionKey<'_>> {
        let start = self
            .key_index
            .partition_point(|&id| cmp_ignore_ascii_case(self.key(id).name, name).is_lt());
        let same_name = self
            .key_index
            .get(start..)
            .unwrap_or_default()
            .iter()
            .take_while(|&&id| self.key(id).name.eq_ignore_ascii_case(name));
        if let Some(id) = self.preferred_key(same_name.copied()) {
            return Some(ConditionKey::new(self, id));
        }
        let mut best: Option<(usize, u32)> = None;
        for &id in &self.pattern_keys {
            let score = template::match_template(self.key(id).name, name, Dialect::ConditionKey);
            if let Some(score) = score
                && best.is_none_or(|(b, _)| score > b)
            {
                best = Some((score, id));
            }
        }
        best.map(|(_, id)| ConditionKey::new(self, id))
    }

    /// Among keys of the same name, ordered global first: the global one,
    /// else the one of the service whose prefix the name carries, else the first.
    fn preferred_key(&self, ids: impl Iterator<Item = u32>) -> Option<u32> {
        let mut first = None;
        for id in ids {
            let key = self.key(id);
            if key.service == NO_SERVICE {
                return Some(id);
            }
            let prefix = key.name.split_once(':').map_or("", |(p, _)| p);
            if self.service_record(key.service).prefix.eq_ignore_ascii_case(prefix) {
                return Some(id);
            }
            first = first.or(Some(id));
        }
        first
    }

    /// The pattern keys, one per distinct lower-cased name.
    pub(crate) fn collect_pattern_keys(&self) -> Vec<u32> {
        let mut out = Vec::new();
        let mut rest = self.key_index.as_slice();
        while let Some(&first) = rest.first() {
            let name = self.key(first).name;
            let group_len = rest
                .iter()
                .take_while(|&&id| self.key(id).name.eq_ignore_ascii_case(name))
                .count()
                .max(1);
            let (group, tail) = rest.split_at(group_len.min(rest.len()));
            if template::is_pattern(name, Dialect::ConditionKey)
                && let Some(id) = self.preferred_key(group.iter().copied())
            {
                out.push(id);
            }
            rest = tail;
        }
        out
    }

    /// Exact (ignoring ASCII case), else most specific pattern match, among
    /// the keys `range` (sorted by lower-cased name).
    pub(crate) fn find_key_in(
        &self,
        range: std::ops::Range<usize>,
        name: &str,
    ) -> Option<ConditionKey<'_>> {
        let start = range.start;
        let keys = self.condition_keys.get(range)?;
        if let Ok(i) = keys.binary_search_by(|k| cmp_ignore_ascii_case(k.name, name)) {
            return Some(ConditionKey::new(self, index_u32(start + i)));
        }
        let mut best: Option<(usize, usize)> = None;
        for (i, key) in keys.iter().enumerate() {
            if !template::is_pattern(key.name, Dialect::ConditionKey) {
                continue;
            }
            if let Some(score) = template::match_template(key.name, name, Dialect::ConditionKey)
                && best.is_none_or(|(b, _)| score > b)
            {
                best = Some((score, i));
            }
        }
        best.map(|(_, i)| ConditionKey::new(self, index_u32(start + i)))
    }

    pub(crate) fn service_record(&self, id: u32) -> &ServiceRecord {
        self.services
            .get(id as usize)
            .unwrap_or(&ServiceRecord::EMPTY)
    }

    pub(crate) fn action_record(&self, id: u32) -> &ActionRecord {
        self.actions.get(id as usize).unwrap_or(&ActionRecord::EMPTY)
    }

    pub(crate) fn resource_type_record(&self, id: u32) -> &ResourceTypeRecord {
        self.resource_types
            .get(id as usize)
            .unwrap_or(&ResourceTypeRecord::EMPTY)
    }

    pub(crate) fn key(&self, id: u32) -> &KeyRecord {
        self.condition_keys
            .get(id as usize)
            .unwrap_or(&KeyRecord::EMPTY)
    }

    pub(crate) fn action_resource_record(&self, id: u32) -> &ActionResourceRecord {
        self.action_resources
            .get(id as usize)
            .unwrap_or(&ActionResourceRecord::EMPTY)
    }

    /// The condition keys a span of key refs names.
    pub(crate) fn keys_of(
        &self,
        span: Span,
    ) -> impl ExactSizeIterator<Item = ConditionKey<'_>> + '_ {
        self.key_refs
            .get(span.range())
            .unwrap_or_default()
            .iter()
            .map(move |&id| ConditionKey::new(self, id))
    }
}

impl fmt::Debug for Catalog {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Catalog")
            .field("data_date", &crate::DATA_DATE)
            .field("services", &self.services.len())
            .field("actions", &self.actions.len())
            .field("resource_types", &self.resource_types.len())
            .field("condition_keys", &self.condition_keys.len())
            .finish_non_exhaustive()
    }
}

/// Indexes are below `u32::MAX` by construction (the blob stores them as u32).
pub(crate) fn index_u32(index: usize) -> u32 {
    u32::try_from(index).unwrap_or(u32::MAX)
}

/// Orders as the generator sorts: by ASCII-lower-cased bytes.
pub(crate) fn cmp_ignore_ascii_case(a: &str, b: &str) -> Ordering {
    a.bytes()
        .map(|c| c.to_ascii_lowercase())
        .cmp(b.bytes().map(|c| c.to_ascii_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn get_decodes_the_embedded_catalog() {
        let catalog = Catalog::try_get();
        assert!(catalog.is_ok(), "{catalog:?}");
        let catalog = Catalog::get();
        assert!(catalog.service_count() > 400);
        assert!(catalog.action_count() > 20_000);
        assert_eq!(catalog.data_date(), crate::DATA_DATE);
    }

    #[test]
    fn records_are_sorted_for_binary_search() {
        let catalog = Catalog::get();
        let sorted = |names: &[&str]| {
            names
                .windows(2)
                .all(|w| matches!(w, [a, b] if cmp_ignore_ascii_case(a, b).is_lt()))
        };
        let prefixes: Vec<&str> = catalog.services.iter().map(|s| s.prefix).collect();
        assert!(sorted(&prefixes));
        for service in catalog.services() {
            let names: Vec<&str> = service.actions().map(|a| a.name()).collect();
            assert!(sorted(&names), "{}", service.prefix());
            let names: Vec<&str> = service.resource_types().map(|r| r.name()).collect();
            assert!(sorted(&names), "{}", service.prefix());
            let names: Vec<&str> = service.condition_keys().map(|k| k.name()).collect();
            assert!(sorted(&names), "{}", service.prefix());
        }
        let globals: Vec<&str> = catalog.global_condition_keys().map(|k| k.name()).collect();
        assert!(sorted(&globals));
    }

    #[test]
    fn services_by_prefix_ignoring_case() {
        let catalog = Catalog::get();
        let s3 = catalog.service("S3");
        assert_eq!(s3.map(|s| s.prefix()), Some("s3"));
        assert_eq!(s3.map(|s| s.name()), Some("Amazon S3"));
        assert!(catalog.service("no-such-service").is_none());
    }

    #[test]
    fn condition_keys_resolve_with_their_types() {
        use crate::ConditionKeyType as T;
        let catalog = Catalog::get();
        let ty = |name: &str| catalog.condition_key(name).map(|k| k.key_type());
        assert_eq!(ty("aws:SourceIp"), Some(T::IpAddress));
        assert_eq!(ty("AWS:sourceip"), Some(T::IpAddress));
        assert_eq!(ty("s3:max-keys"), Some(T::Numeric));
        assert_eq!(ty("aws:MultiFactorAuthPresent"), Some(T::Bool));
        assert_eq!(ty("aws:CurrentTime"), Some(T::Date));
        assert_eq!(ty("aws:TagKeys"), Some(T::ArrayOfString));
        assert_eq!(ty("aws:PrincipalArn"), Some(T::Arn));
        assert_eq!(ty("no:such-key"), None);

        let tag = catalog.condition_key("aws:RequestTag/team");
        assert_eq!(tag.map(|k| k.name()), Some("aws:RequestTag/${TagKey}"));
        assert!(tag.is_some_and(|k| k.is_global() && k.is_pattern()));
        let exact = catalog.condition_key("aws:requesttag/${tagkey}");
        assert_eq!(exact.map(|k| k.name()), Some("aws:RequestTag/${TagKey}"));
        let object_tag = catalog.condition_key("s3:ExistingObjectTag/owner");
        assert_eq!(object_tag.map(|k| k.name()), Some("s3:ExistingObjectTag/<key>"));
        let saml = catalog.condition_key("saml:aud");
        assert_eq!(saml.and_then(|k| k.service()).map(|s| s.prefix()), Some("sts"));
        let buildkite = catalog.condition_key("agent.example.buildkite.dev:pipeline_slug");
        assert_eq!(
            buildkite.map(|k| k.name()),
            Some("agent.${Domain}.buildkite.dev:pipeline_slug")
        );
    }
}
