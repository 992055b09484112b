//! The catalog and its entry points.

use std::cmp::Ordering;
use std::fmt;
use std::ops::Range;
use std::sync::OnceLock;

use crate::action::{Action, ActionId};
use crate::condition_key::ConditionKey;
use crate::format::{self, DecodeError, NO_SERVICE, Span, Tables};
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
    pub(crate) tables: Tables,
    /// One key per distinct pattern name (`aws:RequestTag/${TagKey}`), the
    /// preferred definition: tried when no key has the exact name. Built on
    /// the first such look-up.
    pattern_keys: OnceLock<Vec<u32>>,
}

static EMBEDDED: OnceLock<Result<Catalog, DecodeError>> = OnceLock::new();
static EMPTY: Catalog = Catalog {
    tables: Tables::EMPTY,
    pattern_keys: OnceLock::new(),
};

impl Catalog {
    /// The embedded catalog. The first call checks the blob's header and
    /// sizes (well under a microsecond; records are read in place when asked
    /// for), later calls return the same catalog.
    ///
    /// Should the embedded data be corrupt, which the crate's tests rule out,
    /// this returns an empty catalog; [`Catalog::try_get`] reports the error.
    pub fn get() -> &'static Catalog {
        Catalog::try_get().unwrap_or(&EMPTY)
    }

    /// The embedded catalog, or why it cannot be read.
    pub fn try_get() -> Result<&'static Catalog, &'static DecodeError> {
        EMBEDDED.get_or_init(Catalog::load).as_ref()
    }

    /// Opens a fresh copy of the embedded catalog. Most callers want
    /// [`Catalog::get`]; this is for measuring what the first call costs.
    pub fn load() -> Result<Catalog, DecodeError> {
        Ok(Catalog {
            tables: format::open(crate::generated::BLOB)?,
            pattern_keys: OnceLock::new(),
        })
    }

    /// The date of the AWS data (`YYYY-MM-DD`), as [`crate::DATA_DATE`].
    pub fn data_date(&self) -> &'static str {
        crate::DATA_DATE
    }

    /// Every service, ordered by prefix.
    pub fn services(&self) -> impl ExactSizeIterator<Item = Service<'_>> + '_ {
        (0..len_u32(self.tables.services.len())).map(move |id| Service::new(self, id))
    }

    /// The number of services.
    pub fn service_count(&self) -> usize {
        self.tables.services.len()
    }

    /// The service with this prefix (`s3`, `ec2`), ignoring ASCII case.
    pub fn service(&self, prefix: &str) -> Option<Service<'_>> {
        let ids = 0..len_u32(self.tables.services.len());
        let id = find_sorted(ids, |id| self.tables.service_prefix(id), prefix)?;
        Some(Service::new(self, id))
    }

    /// Every action of every service, ordered by service prefix, then name.
    pub fn actions(&self) -> impl ExactSizeIterator<Item = Action<'_>> + '_ {
        (0..len_u32(self.tables.actions.len())).map(move |id| Action::new(self, id))
    }

    /// The number of actions.
    pub fn action_count(&self) -> usize {
        self.tables.actions.len()
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
        (id.index() < self.action_count()).then(|| Action::new(self, id.0))
    }

    /// The number of resource types, over all services.
    pub fn resource_type_count(&self) -> usize {
        self.tables.resource_types.len()
    }

    /// The number of condition keys that services define (a key such as
    /// `aws:ResourceTag/${TagKey}` counts once per service that lists it);
    /// the global keys are not included.
    pub fn condition_key_count(&self) -> usize {
        self.tables.global_keys_start as usize
    }

    fn global_key_ids(&self) -> Range<u32> {
        self.tables.global_keys_start..len_u32(self.tables.condition_keys.len())
    }

    /// The AWS global condition keys (`aws:SourceIp`, `aws:PrincipalArn`, ...),
    /// which apply to every action; ordered by name.
    pub fn global_condition_keys(&self) -> impl ExactSizeIterator<Item = ConditionKey<'_>> + '_ {
        self.global_key_ids()
            .map(move |id| ConditionKey::new(self, id))
    }

    /// The global condition key with this name or pattern, ignoring ASCII case.
    pub fn global_condition_key(&self, name: &str) -> Option<ConditionKey<'_>> {
        self.find_key_in(self.global_key_ids(), name)
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
        let t = &self.tables;
        let positions = 0..len_u32(t.key_index.len());
        let key_at = |position: u32| t.key_index.word(position, 0);
        let start = partition_point(positions.clone(), |p| {
            cmp_ignore_ascii_case(t.key_name(key_at(p)), name.as_bytes()).is_lt()
        });
        let same_name = (start..positions.end)
            .map(key_at)
            .take_while(|&id| t.key_name(id).eq_ignore_ascii_case(name.as_bytes()));
        if let Some(id) = self.preferred_key(same_name) {
            return Some(ConditionKey::new(self, id));
        }
        let mut best: Option<(usize, u32)> = None;
        for &id in self.pattern_keys() {
            let pattern = t.text(t.key(id).name);
            if let Some(score) = template::match_template(pattern, name, Dialect::ConditionKey)
                && best.is_none_or(|(b, _)| score > b)
            {
                best = Some((score, id));
            }
        }
        best.map(|(_, id)| ConditionKey::new(self, id))
    }

    /// Whether a request can carry several values for the condition key
    /// `name` ("Single-valued vs. multivalued context keys": the difference
    /// lies in the number of values in the request context, not in the
    /// policy): `Some(true)` for a key the catalog types `ArrayOf*`,
    /// `Some(false)` for any other known key (a resource has one value per
    /// tag, so `aws:ResourceTag/${TagKey}` is single-valued), `None` for a
    /// key the catalog does not know; the caller says what it assumes then.
    pub fn is_multivalued(&self, name: &str) -> Option<bool> {
        self.condition_key(name).map(|k| k.key_type().is_array())
    }

    /// Among keys of the same name, ordered global first: the global one,
    /// else the one of the service whose prefix the name carries, else the first.
    fn preferred_key(&self, ids: impl Iterator<Item = u32>) -> Option<u32> {
        let t = &self.tables;
        let mut first = None;
        for id in ids {
            let key = t.key(id);
            if key.service == NO_SERVICE {
                return Some(id);
            }
            let name = t.bytes(key.name);
            let prefix = name.split(|&b| b == b':').next().unwrap_or_default();
            if t.service_prefix(key.service).eq_ignore_ascii_case(prefix) {
                return Some(id);
            }
            first = first.or(Some(id));
        }
        first
    }

    /// The pattern keys, one per distinct lower-cased name.
    fn pattern_keys(&self) -> &[u32] {
        self.pattern_keys.get_or_init(|| {
            let t = &self.tables;
            let ids: Vec<u32> = (0..len_u32(t.key_index.len()))
                .map(|p| t.key_index.word(p, 0))
                .collect();
            let mut out = Vec::new();
            for group in ids.chunk_by(|&a, &b| t.key_name(a).eq_ignore_ascii_case(t.key_name(b))) {
                let name = group.first().map_or("", |&id| t.text(t.key(id).name));
                if template::is_pattern(name, Dialect::ConditionKey)
                    && let Some(id) = self.preferred_key(group.iter().copied())
                {
                    out.push(id);
                }
            }
            out
        })
    }

    /// Exact (ignoring ASCII case), else most specific pattern match, among
    /// the keys `ids` (sorted by lower-cased name).
    pub(crate) fn find_key_in(&self, ids: Range<u32>, name: &str) -> Option<ConditionKey<'_>> {
        let t = &self.tables;
        if let Some(id) = find_sorted(ids.clone(), |id| t.key_name(id), name) {
            return Some(ConditionKey::new(self, id));
        }
        let mut best: Option<(usize, u32)> = None;
        for id in ids {
            let pattern = t.text(t.key(id).name);
            if !template::is_pattern(pattern, Dialect::ConditionKey) {
                continue;
            }
            if let Some(score) = template::match_template(pattern, name, Dialect::ConditionKey)
                && best.is_none_or(|(b, _)| score > b)
            {
                best = Some((score, id));
            }
        }
        best.map(|(_, id)| ConditionKey::new(self, id))
    }

    /// The condition keys a span of key refs names.
    pub(crate) fn keys_of(
        &self,
        span: Span,
    ) -> impl ExactSizeIterator<Item = ConditionKey<'_>> + '_ {
        self.tables
            .key_refs(span)
            .map(move |id| ConditionKey::new(self, id))
    }
}

impl fmt::Debug for Catalog {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Catalog")
            .field("data_date", &crate::DATA_DATE)
            .field("services", &self.service_count())
            .field("actions", &self.action_count())
            .field("resource_types", &self.resource_type_count())
            .field("condition_keys", &self.tables.condition_keys.len())
            .finish_non_exhaustive()
    }
}

/// Table lengths fit in u32 by construction (the blob stores them as u32).
pub(crate) fn len_u32(len: usize) -> u32 {
    u32::try_from(len).unwrap_or(u32::MAX)
}

/// Orders as the generator sorts: by ASCII-lower-cased bytes.
pub(crate) fn cmp_ignore_ascii_case(a: &[u8], b: &[u8]) -> Ordering {
    a.iter()
        .map(u8::to_ascii_lowercase)
        .cmp(b.iter().map(u8::to_ascii_lowercase))
}

/// The first id in `ids` for which `before` is false (`before` must be true
/// for a prefix of the range and false after it).
pub(crate) fn partition_point(ids: Range<u32>, before: impl Fn(u32) -> bool) -> u32 {
    let (mut lo, mut hi) = (ids.start, ids.end.max(ids.start));
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if before(mid) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo
}

/// The id in `ids` (sorted by `name`, ignoring ASCII case) whose name is
/// `key`, ignoring ASCII case.
pub(crate) fn find_sorted(
    ids: Range<u32>,
    name: impl Fn(u32) -> &'static [u8],
    key: &str,
) -> Option<u32> {
    let end = ids.end;
    let at = partition_point(ids, |id| {
        cmp_ignore_ascii_case(name(id), key.as_bytes()).is_lt()
    });
    (at < end && name(at).eq_ignore_ascii_case(key.as_bytes())).then_some(at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_helpers() {
        let names: [&'static [u8]; 4] = [b"a", b"B", b"c", b"D"];
        let name = |id: u32| names.get(id as usize).copied().unwrap_or_default();
        assert_eq!(find_sorted(0..4, name, "b"), Some(1));
        assert_eq!(find_sorted(0..4, name, "d"), Some(3));
        assert_eq!(find_sorted(0..4, name, "e"), None);
        assert_eq!(find_sorted(2..4, name, "a"), None);
        assert_eq!(partition_point(0..4, |id| id < 2), 2);
        let (start, end) = (5, 3);
        assert_eq!(partition_point(start..end, |_| true), 5);
    }

    #[test]
    fn get_opens_the_embedded_catalog() {
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
            names.windows(2).all(
                |w| matches!(w, [a, b] if cmp_ignore_ascii_case(a.as_bytes(), b.as_bytes()).is_lt()),
            )
        };
        let prefixes: Vec<&str> = catalog.services().map(|s| s.prefix()).collect();
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
        assert_eq!(catalog.is_multivalued("aws:TagKeys"), Some(true));
        assert_eq!(catalog.is_multivalued("aws:PrincipalOrgPaths"), Some(true));
        assert_eq!(catalog.is_multivalued("aws:ResourceTag/team"), Some(false));
        assert_eq!(
            catalog.is_multivalued("ec2:ResourceTag/aws:cloudformation:stack-id"),
            Some(false)
        );
        assert_eq!(catalog.is_multivalued("no:such-key"), None);

        let tag = catalog.condition_key("aws:RequestTag/team");
        assert_eq!(tag.map(|k| k.name()), Some("aws:RequestTag/${TagKey}"));
        assert!(tag.is_some_and(|k| k.is_global() && k.is_pattern()));
        let exact = catalog.condition_key("aws:requesttag/${tagkey}");
        assert_eq!(exact.map(|k| k.name()), Some("aws:RequestTag/${TagKey}"));
        let object_tag = catalog.condition_key("s3:ExistingObjectTag/owner");
        assert_eq!(
            object_tag.map(|k| k.name()),
            Some("s3:ExistingObjectTag/<key>")
        );
        let saml = catalog.condition_key("saml:aud");
        assert_eq!(
            saml.and_then(|k| k.service()).map(|s| s.prefix()),
            Some("sts")
        );
        let buildkite = catalog.condition_key("agent.example.buildkite.dev:pipeline_slug");
        assert_eq!(
            buildkite.map(|k| k.name()),
            Some("agent.${Domain}.buildkite.dev:pipeline_slug")
        );
    }
}
