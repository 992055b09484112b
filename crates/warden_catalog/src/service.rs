//! A service: one action prefix (`s3`) with its actions, resource types and
//! condition keys.

use std::fmt;
use std::hash::{Hash, Hasher};

use crate::action::Action;
use crate::catalog::{Catalog, find_sorted};
use crate::condition_key::ConditionKey;
use crate::format::ServiceRecord;
use crate::resource_type::ResourceType;

/// An AWS service, identified by its action prefix (`s3`, `ec2`, `iam`).
#[derive(Clone, Copy)]
pub struct Service<'c> {
    catalog: &'c Catalog,
    id: u32,
}

impl<'c> Service<'c> {
    pub(crate) fn new(catalog: &'c Catalog, id: u32) -> Self {
        Self { catalog, id }
    }

    fn record(&self) -> ServiceRecord {
        self.catalog.tables.service(self.id)
    }

    /// The prefix of the service's actions, lower case: `s3`.
    pub fn prefix(&self) -> &'c str {
        self.catalog.tables.text(self.record().prefix)
    }

    /// The service's name: `Amazon S3`.
    pub fn name(&self) -> &'c str {
        self.catalog.tables.text(self.record().name)
    }

    /// The service's actions, ordered by name (ignoring case).
    pub fn actions(&self) -> impl ExactSizeIterator<Item = Action<'c>> + use<'c> {
        let catalog = self.catalog;
        self.record()
            .actions
            .ids()
            .map(move |id| Action::new(catalog, id))
    }

    /// The action of this service with this name (without the prefix),
    /// ignoring ASCII case.
    pub fn action(&self, name: &str) -> Option<Action<'c>> {
        let tables = &self.catalog.tables;
        let ids = self.record().actions.ids();
        let id = find_sorted(ids, |id| tables.action_name(id), name)?;
        Some(Action::new(self.catalog, id))
    }

    /// The service's resource types, ordered by name (ignoring case).
    pub fn resource_types(&self) -> impl ExactSizeIterator<Item = ResourceType<'c>> + use<'c> {
        let catalog = self.catalog;
        self.record()
            .resource_types
            .ids()
            .map(move |id| ResourceType::new(catalog, id))
    }

    /// The resource type of this service with this name (`object`), ignoring
    /// ASCII case.
    pub fn resource_type(&self, name: &str) -> Option<ResourceType<'c>> {
        let tables = &self.catalog.tables;
        let ids = self.record().resource_types.ids();
        let id = find_sorted(ids, |id| tables.bytes(tables.resource_type(id).name), name)?;
        Some(ResourceType::new(self.catalog, id))
    }

    /// The service's resource type that `arn` is an instance of, if any; when
    /// several ARN formats match, the most specific (the one with the most
    /// literal text) wins. See [`Action::resource_type_for_arn`] for the rules.
    pub fn resource_type_for_arn(&self, arn: &str) -> Option<ResourceType<'c>> {
        let mut best: Option<(usize, ResourceType<'c>)> = None;
        for resource_type in self.resource_types() {
            if let Some(score) = resource_type.arn_match_score(arn)
                && best.is_none_or(|(b, _)| score > b)
            {
                best = Some((score, resource_type));
            }
        }
        best.map(|(_, r)| r)
    }

    /// The condition keys the service defines, ordered by name (ignoring
    /// case). These include keys of other prefixes that the service documents
    /// (`aws:RequestTag/${TagKey}`, or `saml:aud` for `sts`).
    pub fn condition_keys(&self) -> impl ExactSizeIterator<Item = ConditionKey<'c>> + use<'c> {
        let catalog = self.catalog;
        self.record()
            .condition_keys
            .ids()
            .map(move |id| ConditionKey::new(catalog, id))
    }

    /// The condition key of this service with this name, ignoring ASCII case;
    /// a concrete name matches a pattern key (`s3:ExistingObjectTag/team`
    /// finds `s3:ExistingObjectTag/<key>`).
    pub fn condition_key(&self, name: &str) -> Option<ConditionKey<'c>> {
        self.catalog
            .find_key_in(self.record().condition_keys.ids(), name)
    }
}

impl fmt::Debug for Service<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Service").field(&self.prefix()).finish()
    }
}

impl fmt::Display for Service<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.prefix())
    }
}

impl PartialEq for Service<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id && std::ptr::eq(self.catalog, other.catalog)
    }
}

impl Eq for Service<'_> {}

impl Hash for Service<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.id.hash(state);
    }
}

#[cfg(test)]
mod tests {
    use crate::Catalog;

    #[test]
    fn resource_types_and_keys_by_name() {
        let s3 = Catalog::get().service("s3");
        let object = s3.and_then(|s| s.resource_type("OBJECT"));
        assert_eq!(object.map(|r| r.name()), Some("object"));
        let key = s3.and_then(|s| s.condition_key("s3:ExistingObjectTag/team"));
        assert_eq!(key.map(|k| k.name()), Some("s3:ExistingObjectTag/<key>"));
    }

    #[test]
    fn resource_type_for_arn_within_a_service() {
        let iam = Catalog::get().service("iam");
        let role = iam.and_then(|s| s.resource_type_for_arn("arn:aws:iam::123456789012:role/a/b"));
        assert_eq!(role.map(|r| r.name()), Some("role"));
    }
}
