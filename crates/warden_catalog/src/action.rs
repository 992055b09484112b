//! An action (`s3:GetObject`) and the resource types it acts on.

use std::fmt;
use std::hash::{Hash, Hasher};

use crate::access_level::AccessLevel;
use crate::catalog::Catalog;
use crate::condition_key::ConditionKey;
use crate::format::{ActionRecord, ActionResourceRecord};
use crate::resource_type::ResourceType;
use crate::service::Service;

/// A compact, stable-within-one-catalog number for an action, for callers
/// that keep sets of actions (bitsets indexed by [`ActionId::index`]).
///
/// Ids follow the catalog's order (service prefix, then name) and run from 0
/// to [`Catalog::action_count`]; they change when the catalog is regenerated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ActionId(pub(crate) u32);

impl ActionId {
    /// The id as an index into `0..Catalog::action_count()`.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// An IAM action such as `s3:GetObject`. Displays as `prefix:Name`.
#[derive(Clone, Copy)]
pub struct Action<'c> {
    catalog: &'c Catalog,
    id: u32,
}

impl<'c> Action<'c> {
    pub(crate) fn new(catalog: &'c Catalog, id: u32) -> Self {
        Self { catalog, id }
    }

    fn record(&self) -> ActionRecord {
        self.catalog.tables.action(self.id)
    }

    /// The action's id.
    pub fn id(&self) -> ActionId {
        ActionId(self.id)
    }

    /// The action's name without the service prefix, as AWS spells it: `GetObject`.
    pub fn name(&self) -> &'c str {
        let tables = &self.catalog.tables;
        std::str::from_utf8(tables.action_name(self.id)).unwrap_or_default()
    }

    /// The service the action belongs to.
    pub fn service(&self) -> Service<'c> {
        Service::new(self.catalog, self.record().service)
    }

    /// What the action does, from the AWS reference ("Grants permission to ...").
    pub fn description(&self) -> &'c str {
        self.catalog.tables.text(self.record().description)
    }

    /// The action's access level.
    pub fn access_level(&self) -> AccessLevel {
        self.record().access_level
    }

    /// The resource types the action acts on, in the catalog's order (by
    /// name). Empty when the action supports only `"Resource": "*"`.
    pub fn resources(&self) -> impl ExactSizeIterator<Item = ActionResource<'c>> + use<'c> {
        let catalog = self.catalog;
        self.record()
            .resources
            .ids()
            .map(move |id| ActionResource::new(catalog, id))
    }

    /// Whether the action takes no resource type, so that only
    /// `"Resource": "*"` applies to it (`s3:ListAllMyBuckets`).
    pub fn supports_only_wildcard_resource(&self) -> bool {
        self.record().resources.len == 0
    }

    /// The condition keys listed for the action itself (not those of its
    /// resource types, nor the global keys).
    pub fn condition_keys(&self) -> impl ExactSizeIterator<Item = ConditionKey<'c>> + use<'c> {
        self.catalog.keys_of(self.record().condition_keys)
    }

    /// The condition key `name` if it applies to this action: a key listed for
    /// the action, for one of its resource-type rows or for one of its
    /// resource types, or a global key. Ignores ASCII case; concrete names
    /// match pattern keys (`aws:ResourceTag/team`).
    pub fn condition_key(&self, name: &str) -> Option<ConditionKey<'c>> {
        let listed = self.condition_keys().chain(
            self.resources()
                .flat_map(|r| r.condition_keys().chain(r.resource_type().condition_keys())),
        );
        let mut best: Option<(usize, ConditionKey<'c>)> = None;
        for key in listed {
            match key.match_score(name) {
                Some(usize::MAX) => return Some(key),
                Some(score) if best.is_none_or(|(b, _)| score > b) => best = Some((score, key)),
                _ => {}
            }
        }
        best.map(|(_, k)| k)
            .or_else(|| self.catalog.global_condition_key(name))
    }

    /// The resource-type row that a concrete ARN is an instance of, for this
    /// action: the ARN is matched against the ARN formats of each resource
    /// type the action takes, and the most specific match (the format with the
    /// most literal text) wins.
    ///
    /// In a format, `${Partition}`, `${Region}`, `${Account}`, `${BucketName}`
    /// and the like stand for a non-empty string that does not contain the
    /// character following the placeholder in the format (so `${Region}`
    /// contains no `:`, and `${BucketName}` in `${BucketName}/${ObjectName}`
    /// no `/`); a placeholder that ends the format takes the rest of the ARN,
    /// slashes included (`role/${RoleNameWithPath}`), except the characters
    /// with which a longer format in the catalog continues the same text (a
    /// bucket name takes no `/`, since `${BucketName}/${ObjectName}` exists).
    /// A `*` in a format matches anything. Literal text is compared
    /// case-sensitively.
    ///
    /// `arn:aws:s3:::bucket/key` is an `object` for `s3:GetObject`,
    /// `arn:aws:s3:::bucket` a `bucket` for `s3:ListBucket`.
    pub fn resource_type_for_arn(&self, arn: &str) -> Option<ActionResource<'c>> {
        let mut best: Option<(usize, ActionResource<'c>)> = None;
        for row in self.resources() {
            if let Some(score) = row.resource_type().arn_match_score(arn)
                && best.is_none_or(|(b, _)| score > b)
            {
                best = Some((score, row));
            }
        }
        best.map(|(_, row)| row)
    }
}

impl fmt::Display for Action<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.service().prefix(), self.name())
    }
}

impl fmt::Debug for Action<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Action({self})")
    }
}

impl PartialEq for Action<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id && std::ptr::eq(self.catalog, other.catalog)
    }
}

impl Eq for Action<'_> {}

impl PartialOrd for Action<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// Catalog order: by service prefix, then name (ignoring case).
impl Ord for Action<'_> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.id.cmp(&other.id)
    }
}

impl Hash for Action<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.id.hash(state);
    }
}

/// One resource type an action acts on: a row of the "Resource types" column
/// of the AWS reference table for the action.
#[derive(Clone, Copy)]
pub struct ActionResource<'c> {
    catalog: &'c Catalog,
    id: u32,
}

impl<'c> ActionResource<'c> {
    pub(crate) fn new(catalog: &'c Catalog, id: u32) -> Self {
        Self { catalog, id }
    }

    fn record(&self) -> ActionResourceRecord {
        self.catalog.tables.action_resource(self.id)
    }

    /// The resource type.
    pub fn resource_type(&self) -> ResourceType<'c> {
        ResourceType::new(self.catalog, self.record().resource_type)
    }

    /// Whether the resource type is required (marked `*` in the AWS
    /// reference): a statement granting the action must name a resource of
    /// this type (or `*`).
    pub fn is_required(&self) -> bool {
        self.record().required
    }

    /// The condition keys listed on this row, which apply when the action
    /// acts on this resource type.
    pub fn condition_keys(&self) -> impl ExactSizeIterator<Item = ConditionKey<'c>> + use<'c> {
        self.catalog.keys_of(self.record().condition_keys)
    }
}

impl fmt::Debug for ActionResource<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ActionResource")
            .field("resource_type", &self.resource_type())
            .field("required", &self.is_required())
            .finish()
    }
}

impl PartialEq for ActionResource<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id && std::ptr::eq(self.catalog, other.catalog)
    }
}

impl Eq for ActionResource<'_> {}

#[cfg(test)]
mod tests {
    use crate::{AccessLevel, Catalog};

    fn resource_for(action: &str, arn: &str) -> Option<&'static str> {
        Catalog::get()
            .action(action)?
            .resource_type_for_arn(arn)
            .map(|row| row.resource_type().name())
    }

    #[test]
    fn lookup_ignores_case() {
        let catalog = Catalog::get();
        for name in ["s3:GetObject", "s3:getobject", "S3:GETOBJECT"] {
            let action = catalog.action(name);
            assert_eq!(
                action.map(|a| a.to_string()).as_deref(),
                Some("s3:GetObject")
            );
        }
        assert!(catalog.action("s3:GetObjekt").is_none());
        assert!(catalog.action("GetObject").is_none());
        assert!(catalog.action("s3:Get*").is_none());
        let action = catalog.action("iam:passrole");
        assert_eq!(action.map(|a| a.name()), Some("PassRole"));
        assert_eq!(action.map(|a| a.service().prefix()), Some("iam"));
        let by_id = action.and_then(|a| catalog.action_by_id(a.id()));
        assert_eq!(by_id, action);
    }

    #[test]
    fn access_levels() {
        let level = |name: &str| Catalog::get().action(name).map(|a| a.access_level());
        assert_eq!(level("s3:ListBucket"), Some(AccessLevel::List));
        assert_eq!(level("s3:GetObject"), Some(AccessLevel::Read));
        assert_eq!(level("s3:PutObject"), Some(AccessLevel::Write));
        assert_eq!(
            level("s3:PutBucketPolicy"),
            Some(AccessLevel::PermissionsManagement)
        );
        assert_eq!(
            level("iam:PutRolePolicy"),
            Some(AccessLevel::PermissionsManagement)
        );
        assert_eq!(level("s3:PutObjectTagging"), Some(AccessLevel::Tagging));
        assert_eq!(level("ec2:CreateTags"), Some(AccessLevel::Tagging));
        assert_eq!(level("ec2:DescribeInstances"), Some(AccessLevel::List));
    }

    #[test]
    fn resource_types_with_required_flags() {
        let catalog = Catalog::get();
        let get_object = catalog.action("s3:GetObject");
        let rows: Vec<(&str, bool)> = get_object
            .into_iter()
            .flat_map(|a| a.resources())
            .map(|r| (r.resource_type().name(), r.is_required()))
            .collect();
        assert_eq!(rows, vec![("accesspointobject", false), ("object", false)]);
        let pass_role = catalog.action("iam:PassRole");
        let rows: Vec<(&str, bool)> = pass_role
            .into_iter()
            .flat_map(|a| a.resources())
            .map(|r| (r.resource_type().name(), r.is_required()))
            .collect();
        assert_eq!(rows, vec![("role", true)]);
        let list_all = catalog.action("s3:ListAllMyBuckets");
        assert!(list_all.is_some_and(|a| a.supports_only_wildcard_resource()));
    }

    #[test]
    fn arn_to_resource_type() {
        assert_eq!(
            resource_for("s3:GetObject", "arn:aws:s3:::bucket/key"),
            Some("object")
        );
        assert_eq!(
            resource_for("s3:GetObject", "arn:aws:s3:::bucket/a/b/c.txt"),
            Some("object")
        );
        assert_eq!(resource_for("s3:GetObject", "arn:aws:s3:::bucket"), None);
        assert_eq!(
            resource_for(
                "s3:GetObject",
                "arn:aws:s3:us-east-1:123456789012:accesspoint/ap/object/k"
            ),
            Some("accesspointobject")
        );
        assert_eq!(
            resource_for("s3:ListBucket", "arn:aws:s3:::bucket"),
            Some("bucket")
        );
        assert_eq!(
            resource_for("s3:ListBucket", "arn:aws:s3:::bucket/key"),
            None
        );
        assert_eq!(
            resource_for(
                "iam:PassRole",
                "arn:aws:iam::123456789012:role/service/MyRole"
            ),
            Some("role")
        );
        assert_eq!(
            resource_for("iam:PassRole", "arn:aws:iam::123456789012:user/alice"),
            None
        );
        assert_eq!(
            resource_for(
                "dynamodb:Query",
                "arn:aws:dynamodb:us-east-1:123456789012:table/t/index/i"
            ),
            Some("index")
        );
        assert_eq!(
            resource_for(
                "dynamodb:Query",
                "arn:aws:dynamodb:us-east-1:123456789012:table/t"
            ),
            Some("table")
        );
        assert_eq!(
            resource_for(
                "logs:PutLogEvents",
                "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/f:log-stream:s"
            ),
            Some("log-stream")
        );
        assert_eq!(
            resource_for(
                "lambda:InvokeFunction",
                "arn:aws:lambda:us-east-1:1:function:f"
            ),
            Some("function")
        );
        assert_eq!(
            resource_for(
                "apigateway:GET",
                "arn:aws:apigateway:us-east-1::/restapis/abc/stages/prod"
            ),
            Some("Stage")
        );
        assert_eq!(resource_for("s3:GetObject", "not an arn"), None);
    }

    #[test]
    fn applicable_condition_keys() {
        let catalog = Catalog::get();
        let get_object = catalog.action("s3:GetObject");
        let key = |name: &str| {
            get_object
                .and_then(|a| a.condition_key(name))
                .map(|k| k.name())
        };
        assert_eq!(
            key("s3:ExistingObjectTag/team"),
            Some("s3:ExistingObjectTag/<key>")
        );
        assert_eq!(key("aws:SourceIp"), Some("aws:SourceIp"));
        assert_eq!(key("S3:TLSVERSION"), Some("s3:TlsVersion"));
        assert_eq!(key("s3:max-keys"), None, "a ListBucket key");
        let list_bucket = catalog.action("s3:ListBucket");
        let listed: Vec<&str> = list_bucket
            .into_iter()
            .flat_map(|a| a.condition_keys())
            .map(|k| k.name())
            .collect();
        assert!(listed.contains(&"s3:max-keys"), "{listed:?}");
        let pass_role = catalog.action("iam:PassRole");
        let tag = pass_role.and_then(|a| a.condition_key("iam:ResourceTag/team"));
        assert_eq!(tag.map(|k| k.name()), Some("iam:ResourceTag/${TagKey}"));
    }
}
