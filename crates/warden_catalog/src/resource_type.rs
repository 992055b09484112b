//! A resource type (`object`, `bucket`, `role`) and its ARN formats.

use std::fmt;
use std::hash::{Hash, Hasher};

use crate::catalog::Catalog;
use crate::condition_key::ConditionKey;
use crate::format::ResourceTypeRecord;
use crate::service::Service;
use crate::template::{self, Dialect};

/// A kind of resource a service defines, with the ARN format(s) of its
/// instances: `object` of `s3` is `arn:${Partition}:s3:::${BucketName}/${ObjectName}`.
#[derive(Clone, Copy)]
pub struct ResourceType<'c> {
    catalog: &'c Catalog,
    id: u32,
}

impl<'c> ResourceType<'c> {
    pub(crate) fn new(catalog: &'c Catalog, id: u32) -> Self {
        Self { catalog, id }
    }

    fn record(&self) -> ResourceTypeRecord {
        self.catalog.tables.resource_type(self.id)
    }

    /// The resource type's name, as the AWS reference spells it (`object`,
    /// `Stage`, `bot alias`).
    pub fn name(&self) -> &'c str {
        self.catalog.tables.text(self.record().name)
    }

    /// The service that defines the resource type. Its ARNs may name another
    /// service (`ssm` defines `bucket` with an `s3` ARN format).
    pub fn service(&self) -> Service<'c> {
        Service::new(self.catalog, self.record().service)
    }

    /// The ARN formats of the resource type; usually one, a few resource
    /// types have two (`apigateway` `Stage`: one for HTTP APIs, one for REST APIs).
    pub fn arn_formats(&self) -> impl ExactSizeIterator<Item = &'c str> + use<'c> {
        let tables = &self.catalog.tables;
        self.record()
            .arn_formats
            .ids()
            .map(move |id| tables.text(tables.arn_format(id).format))
    }

    /// The condition keys listed for the resource type.
    pub fn condition_keys(&self) -> impl ExactSizeIterator<Item = ConditionKey<'c>> + use<'c> {
        self.catalog.keys_of(self.record().condition_keys)
    }

    /// Whether `arn` is an instance of this resource type, by the rules of
    /// [`Action::resource_type_for_arn`](crate::Action::resource_type_for_arn).
    pub fn matches_arn(&self, arn: &str) -> bool {
        self.arn_match_score(arn).is_some()
    }

    /// How specifically one of the formats matches `arn` (literal bytes).
    pub(crate) fn arn_match_score(&self, arn: &str) -> Option<usize> {
        let tables = &self.catalog.tables;
        self.record()
            .arn_formats
            .ids()
            .filter_map(|id| {
                let record = tables.arn_format(id);
                let dialect = Dialect::Arn {
                    trailing_stops: record.trailing_stops,
                };
                template::match_template(tables.text(record.format), arn, dialect)
            })
            .max()
    }
}

impl fmt::Display for ResourceType<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl fmt::Debug for ResourceType<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "ResourceType({}/{})",
            self.service().prefix(),
            self.name()
        )
    }
}

impl PartialEq for ResourceType<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id && std::ptr::eq(self.catalog, other.catalog)
    }
}

impl Eq for ResourceType<'_> {}

impl Hash for ResourceType<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.id.hash(state);
    }
}

#[cfg(test)]
mod tests {
    use crate::Catalog;

    #[test]
    fn arn_formats() {
        let s3 = Catalog::get().service("s3");
        let object = s3.and_then(|s| s.resource_type("object"));
        let formats: Vec<&str> = object.into_iter().flat_map(|r| r.arn_formats()).collect();
        assert_eq!(
            formats,
            vec!["arn:${Partition}:s3:::${BucketName}/${ObjectName}"]
        );
        assert!(object.is_some_and(|r| r.matches_arn("arn:aws-cn:s3:::b/k")));

        let apigateway = Catalog::get().service("apigateway");
        let stage = apigateway.and_then(|s| s.resource_type("stage"));
        assert_eq!(stage.map(|r| r.arn_formats().len()), Some(2));
    }
}
