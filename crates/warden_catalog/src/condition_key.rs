//! Condition keys and their types.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

use crate::catalog::Catalog;
use crate::format::{KeyRecord, NO_SERVICE};
use crate::service::Service;
use crate::template::{self, Dialect};

/// The type of a condition key's values, which decides the condition
/// operators that make sense for it (`IpAddress` for `IPAddress`,
/// `ForAnyValue:` for arrays, ...). Spelled as in the AWS reference.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ConditionKeyType {
    /// `String`.
    String,
    /// `ARN`.
    Arn,
    /// `Numeric`.
    Numeric,
    /// `Long`.
    Long,
    /// `Date`.
    Date,
    /// `Bool`.
    Bool,
    /// `IPAddress`.
    IpAddress,
    /// `Binary`.
    Binary,
    /// `ArrayOfString`: multivalued.
    ArrayOfString,
    /// `ArrayOfARN`: multivalued.
    ArrayOfArn,
    /// `ArrayOfNumeric`: multivalued.
    ArrayOfNumeric,
    /// `ArrayOfLong`: multivalued.
    ArrayOfLong,
    /// `ArrayOfDate`: multivalued.
    ArrayOfDate,
    /// `ArrayOfBool`: multivalued.
    ArrayOfBool,
    /// `ArrayOfIPAddress`: multivalued.
    ArrayOfIpAddress,
    /// `ArrayOfBinary`: multivalued.
    ArrayOfBinary,
}

impl ConditionKeyType {
    /// The name the AWS reference uses: `String`, `ARN`, `IPAddress`, `ArrayOfString`, ...
    pub fn as_str(self) -> &'static str {
        use ConditionKeyType as T;
        match self {
            T::String => "String",
            T::Arn => "ARN",
            T::Numeric => "Numeric",
            T::Long => "Long",
            T::Date => "Date",
            T::Bool => "Bool",
            T::IpAddress => "IPAddress",
            T::Binary => "Binary",
            T::ArrayOfString => "ArrayOfString",
            T::ArrayOfArn => "ArrayOfARN",
            T::ArrayOfNumeric => "ArrayOfNumeric",
            T::ArrayOfLong => "ArrayOfLong",
            T::ArrayOfDate => "ArrayOfDate",
            T::ArrayOfBool => "ArrayOfBool",
            T::ArrayOfIpAddress => "ArrayOfIPAddress",
            T::ArrayOfBinary => "ArrayOfBinary",
        }
    }

    /// Whether the key is multivalued (an `ArrayOf...` type).
    pub fn is_array(self) -> bool {
        self.element() != self
    }

    /// The type of one value: `String` for `ArrayOfString`, itself for scalars.
    pub fn element(self) -> ConditionKeyType {
        use ConditionKeyType as T;
        match self {
            T::ArrayOfString => T::String,
            T::ArrayOfArn => T::Arn,
            T::ArrayOfNumeric => T::Numeric,
            T::ArrayOfLong => T::Long,
            T::ArrayOfDate => T::Date,
            T::ArrayOfBool => T::Bool,
            T::ArrayOfIpAddress => T::IpAddress,
            T::ArrayOfBinary => T::Binary,
            scalar => scalar,
        }
    }

    /// The code the generator writes (`xtask/src/source.rs`): scalars 0-7,
    /// arrays 16 + the scalar's code.
    pub(crate) fn from_code(code: u32) -> Option<ConditionKeyType> {
        use ConditionKeyType as T;
        Some(match code {
            0 => T::String,
            1 => T::Arn,
            2 => T::Numeric,
            3 => T::Long,
            4 => T::Date,
            5 => T::Bool,
            6 => T::IpAddress,
            7 => T::Binary,
            16 => T::ArrayOfString,
            17 => T::ArrayOfArn,
            18 => T::ArrayOfNumeric,
            19 => T::ArrayOfLong,
            20 => T::ArrayOfDate,
            21 => T::ArrayOfBool,
            22 => T::ArrayOfIpAddress,
            23 => T::ArrayOfBinary,
            _ => return None,
        })
    }
}

impl fmt::Display for ConditionKeyType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The text is not a condition key type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseConditionKeyTypeError {
    input: String,
}

impl fmt::Display for ParseConditionKeyTypeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown condition key type `{}`", self.input)
    }
}

impl std::error::Error for ParseConditionKeyTypeError {}

impl FromStr for ConditionKeyType {
    type Err = ParseConditionKeyTypeError;

    /// Parses the AWS spelling, ignoring ASCII case (`Boolean` is `Bool`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        use ConditionKeyType as T;
        let lower = s.to_ascii_lowercase();
        let (array, scalar) = match lower.strip_prefix("arrayof") {
            Some(rest) => (true, rest),
            None => (false, lower.as_str()),
        };
        let scalar = match scalar {
            "string" => T::String,
            "arn" => T::Arn,
            "numeric" => T::Numeric,
            "long" => T::Long,
            "date" => T::Date,
            "bool" | "boolean" => T::Bool,
            "ipaddress" => T::IpAddress,
            "binary" => T::Binary,
            _ => {
                return Err(ParseConditionKeyTypeError {
                    input: s.to_owned(),
                });
            }
        };
        if !array {
            return Ok(scalar);
        }
        Ok(match scalar {
            T::String => T::ArrayOfString,
            T::Arn => T::ArrayOfArn,
            T::Numeric => T::ArrayOfNumeric,
            T::Long => T::ArrayOfLong,
            T::Date => T::ArrayOfDate,
            T::Bool => T::ArrayOfBool,
            T::IpAddress => T::ArrayOfIpAddress,
            _ => T::ArrayOfBinary,
        })
    }
}

/// A condition key definition: a service's (`s3:max-keys`) or a global one
/// (`aws:SourceIp`). Its name may be a pattern (`aws:RequestTag/${TagKey}`,
/// `s3:ExistingObjectTag/<key>`) that stands for many concrete keys.
#[derive(Clone, Copy)]
pub struct ConditionKey<'c> {
    catalog: &'c Catalog,
    id: u32,
}

impl<'c> ConditionKey<'c> {
    pub(crate) fn new(catalog: &'c Catalog, id: u32) -> Self {
        Self { catalog, id }
    }

    fn record(&self) -> KeyRecord {
        self.catalog.tables.key(self.id)
    }

    /// The key's name as AWS spells it, possibly a pattern: `aws:RequestTag/${TagKey}`.
    pub fn name(&self) -> &'c str {
        self.catalog.tables.text(self.record().name)
    }

    /// What the key filters on, from the AWS reference.
    pub fn description(&self) -> &'c str {
        self.catalog.tables.text(self.record().description)
    }

    /// The type of the key's values.
    pub fn key_type(&self) -> ConditionKeyType {
        self.record().key_type
    }

    /// The service that defines the key; `None` for a global key.
    pub fn service(&self) -> Option<Service<'c>> {
        let service = self.record().service;
        (service != NO_SERVICE).then(|| Service::new(self.catalog, service))
    }

    /// Whether this is one of the AWS global condition keys, which apply to
    /// every action (from the hand-maintained list; see the crate docs).
    pub fn is_global(&self) -> bool {
        self.record().service == NO_SERVICE
    }

    /// Whether the name has a placeholder (`${TagKey}`, `<key>`).
    pub fn is_pattern(&self) -> bool {
        template::is_pattern(self.name(), Dialect::ConditionKey)
    }

    /// Whether a concrete key name used in a policy is this key, ignoring
    /// ASCII case: `aws:RequestTag/team` is `aws:RequestTag/${TagKey}`.
    pub fn matches(&self, name: &str) -> bool {
        self.match_score(name).is_some()
    }

    /// `usize::MAX` for an exact match, else the pattern's literal length.
    pub(crate) fn match_score(&self, name: &str) -> Option<usize> {
        if self.name().eq_ignore_ascii_case(name) {
            Some(usize::MAX)
        } else if self.is_pattern() {
            template::match_template(self.name(), name, Dialect::ConditionKey)
        } else {
            None
        }
    }
}

impl fmt::Display for ConditionKey<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl fmt::Debug for ConditionKey<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let owner = self.service().map_or("global", |s| s.prefix());
        write!(
            f,
            "ConditionKey({} [{owner}]: {})",
            self.name(),
            self.key_type()
        )
    }
}

impl PartialEq for ConditionKey<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id && std::ptr::eq(self.catalog, other.catalog)
    }
}

impl Eq for ConditionKey<'_> {}

impl Hash for ConditionKey<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.id.hash(state);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_parse_and_print_like_aws() {
        for code in (0..8).chain(16..24) {
            let ty = ConditionKeyType::from_code(code);
            assert!(ty.is_some(), "{code}");
            if let Some(ty) = ty {
                assert_eq!(ty.as_str().parse(), Ok(ty));
                assert_eq!(ty.is_array(), code >= 16);
            }
        }
        assert_eq!("Boolean".parse(), Ok(ConditionKeyType::Bool));
        assert_eq!("arrayofarn".parse(), Ok(ConditionKeyType::ArrayOfArn));
        assert!("Blob".parse::<ConditionKeyType>().is_err());
        assert_eq!(
            ConditionKeyType::ArrayOfArn.element(),
            ConditionKeyType::Arn
        );
    }

    #[test]
    fn pattern_keys_match_concrete_names() {
        let catalog = Catalog::get();
        let tag = catalog.global_condition_key("aws:RequestTag/${TagKey}");
        assert!(tag.is_some_and(|k| k.matches("aws:RequestTag/team")));
        assert!(tag.is_some_and(|k| k.matches("AWS:REQUESTTAG/Team")));
        assert!(tag.is_some_and(|k| !k.matches("aws:RequestTag/")));
        assert!(tag.is_some_and(|k| !k.matches("aws:ResourceTag/team")));
        assert_eq!(tag.map(|k| k.key_type()), Some(ConditionKeyType::String));
        let ip = catalog.global_condition_key("aws:sourceip");
        assert!(ip.is_some_and(|k| k.is_global() && !k.is_pattern() && k.matches("aws:SourceIP")));
    }
}
