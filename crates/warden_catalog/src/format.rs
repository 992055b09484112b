//! The blob written by `cargo xtask gen-catalog` (`xtask/src/encode.rs`) and
//! the reads of it. Both sides must change together; bump [`FORMAT_VERSION`].
//!
//! All integers are little-endian `u32`. A string is a pair of words (byte
//! offset and length in the string table). Ranges ("start, len") index the
//! table named. Layout:
//!
//! ```text
//! "WCAT"
//! header:  version, services S, actions A, resource types R, ARN formats F,
//!          condition keys K, global keys G, action resources AR, key refs KR,
//!          string bytes N
//! services          S x [prefix: str, name: str, actions: range, resource types: range,
//!                        condition keys: range]                           sorted by prefix
//! actions           A x [name: str, description: str, service, access level,
//!                        action resources: range, key refs: range]        by service, name
//! resource types    R x [name: str, service, ARN formats: range, key refs: range]
//! ARN formats       F x [format: str, trailing stops: up to 4 bytes, 0 = none]
//! condition keys    K x [name: str, description: str, service or u32::MAX, type]
//!                        services' keys by service then name; the last G are global
//! action resources AR x [resource type, required (0/1), key refs: range]
//! key refs         KR x [condition key]
//! key index         K x [condition key]   by name, then global before service keys
//! strings           N bytes of UTF-8
//! ```
//!
//! Names are sorted by their ASCII-lower-cased bytes within each service,
//! which is the order the look-ups binary-search in.
//!
//! The blob is read in place: opening it checks only the header and the
//! sizes, and each record is read when asked for, so a query touches only the
//! pages it needs and start-up costs nothing measurable. Every read is
//! bounds-checked and falls back to an empty value, so a corrupt blob cannot
//! panic; [`Catalog::validate`] (run by the tests) checks every reference.

use std::fmt;
use std::ops::Range;

use crate::access_level::AccessLevel;
use crate::catalog::Catalog;
use crate::condition_key::ConditionKeyType;

/// The layout version; must equal the generator's.
pub(crate) const FORMAT_VERSION: u32 = 1;
const MAGIC: &[u8; 4] = b"WCAT";
const HEADER_WORDS: usize = 10;
/// The `service` of a global condition key.
pub(crate) const NO_SERVICE: u32 = u32::MAX;

/// Words per record of each table.
const SERVICE_WORDS: usize = 10;
const ACTION_WORDS: usize = 10;
const RESOURCE_TYPE_WORDS: usize = 7;
const ARN_FORMAT_WORDS: usize = 3;
const KEY_WORDS: usize = 6;
const ACTION_RESOURCE_WORDS: usize = 4;

/// A `start, len` range of records in another table.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Span {
    pub(crate) start: u32,
    pub(crate) len: u32,
}

impl Span {
    pub(crate) fn range(self) -> Range<usize> {
        let start = self.start as usize;
        start..start.saturating_add(self.len as usize)
    }

    /// The ids in the span.
    pub(crate) fn ids(self) -> Range<u32> {
        self.start..self.start.saturating_add(self.len)
    }
}

/// A string in the string table.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Str {
    start: u32,
    len: u32,
}

/// A table of fixed-size records of `u32` words.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Table {
    bytes: &'static [u8],
    width: usize,
    len: usize,
}

impl Table {
    pub(crate) const EMPTY: Table = Table {
        bytes: &[],
        width: 1,
        len: 0,
    };

    /// The number of records.
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Word `field` of record `index`, or 0 when out of bounds.
    pub(crate) fn word(&self, index: u32, field: usize) -> u32 {
        let at = (index as usize)
            .saturating_mul(self.width)
            .saturating_add(field)
            .saturating_mul(4);
        self.bytes
            .get(at..at.saturating_add(4))
            .and_then(|b| <[u8; 4]>::try_from(b).ok())
            .map_or(0, u32::from_le_bytes)
    }

    fn span(&self, index: u32, field: usize) -> Span {
        Span {
            start: self.word(index, field),
            len: self.word(index, field + 1),
        }
    }

    fn str(&self, index: u32, field: usize) -> Str {
        Str {
            start: self.word(index, field),
            len: self.word(index, field + 1),
        }
    }
}

/// The tables of a blob, located but not read.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Tables {
    pub(crate) services: Table,
    pub(crate) actions: Table,
    pub(crate) resource_types: Table,
    pub(crate) arn_formats: Table,
    pub(crate) condition_keys: Table,
    /// Keys from here on are the global ones.
    pub(crate) global_keys_start: u32,
    pub(crate) action_resources: Table,
    pub(crate) key_refs: Table,
    /// Every key, by lower-cased name, global keys first among equal names.
    pub(crate) key_index: Table,
    pub(crate) strings: &'static [u8],
    /// `strings` as text, checked to be UTF-8 once when the blob is opened,
    /// so that reading a string is a bounds check, not a validation.
    pub(crate) text: &'static str,
}

impl Tables {
    pub(crate) const EMPTY: Tables = Tables {
        services: Table::EMPTY,
        actions: Table::EMPTY,
        resource_types: Table::EMPTY,
        arn_formats: Table::EMPTY,
        condition_keys: Table::EMPTY,
        global_keys_start: 0,
        action_resources: Table::EMPTY,
        key_refs: Table::EMPTY,
        key_index: Table::EMPTY,
        strings: &[],
        text: "",
    };

    /// The bytes of a string (empty when out of bounds).
    pub(crate) fn bytes(&self, s: Str) -> &'static [u8] {
        let start = s.start as usize;
        self.strings
            .get(start..start.saturating_add(s.len as usize))
            .unwrap_or_default()
    }

    /// A string (empty when out of bounds or not on character boundaries).
    pub(crate) fn text(&self, s: Str) -> &'static str {
        let start = s.start as usize;
        self.text
            .get(start..start.saturating_add(s.len as usize))
            .unwrap_or_default()
    }

    pub(crate) fn service(&self, id: u32) -> ServiceRecord {
        let t = &self.services;
        ServiceRecord {
            prefix: t.str(id, 0),
            name: t.str(id, 2),
            actions: t.span(id, 4),
            resource_types: t.span(id, 6),
            condition_keys: t.span(id, 8),
        }
    }

    pub(crate) fn action(&self, id: u32) -> ActionRecord {
        let t = &self.actions;
        ActionRecord {
            name: t.str(id, 0),
            description: t.str(id, 2),
            service: t.word(id, 4),
            access_level: AccessLevel::from_code(t.word(id, 5)).unwrap_or(AccessLevel::Write),
            resources: t.span(id, 6),
            condition_keys: t.span(id, 8),
        }
    }

    /// An action's name only, for the hot loops of look-ups and expansion.
    pub(crate) fn action_name(&self, id: u32) -> &'static [u8] {
        self.bytes(self.actions.str(id, 0))
    }

    /// A service's prefix only.
    pub(crate) fn service_prefix(&self, id: u32) -> &'static [u8] {
        self.bytes(self.services.str(id, 0))
    }

    pub(crate) fn resource_type(&self, id: u32) -> ResourceTypeRecord {
        let t = &self.resource_types;
        ResourceTypeRecord {
            name: t.str(id, 0),
            service: t.word(id, 2),
            arn_formats: t.span(id, 3),
            condition_keys: t.span(id, 5),
        }
    }

    pub(crate) fn arn_format(&self, id: u32) -> ArnFormatRecord {
        let t = &self.arn_formats;
        ArnFormatRecord {
            format: t.str(id, 0),
            trailing_stops: t.word(id, 2).to_le_bytes(),
        }
    }

    pub(crate) fn key(&self, id: u32) -> KeyRecord {
        let t = &self.condition_keys;
        KeyRecord {
            name: t.str(id, 0),
            description: t.str(id, 2),
            service: t.word(id, 4),
            key_type: ConditionKeyType::from_code(t.word(id, 5))
                .unwrap_or(ConditionKeyType::String),
        }
    }

    /// A condition key's name only.
    pub(crate) fn key_name(&self, id: u32) -> &'static [u8] {
        self.bytes(self.condition_keys.str(id, 0))
    }

    pub(crate) fn action_resource(&self, id: u32) -> ActionResourceRecord {
        let t = &self.action_resources;
        ActionResourceRecord {
            resource_type: t.word(id, 0),
            required: t.word(id, 1) != 0,
            condition_keys: t.span(id, 2),
        }
    }

    /// The condition key ids a span of key refs names.
    pub(crate) fn key_refs(&self, span: Span) -> impl ExactSizeIterator<Item = u32> + use<> {
        let refs = self.key_refs;
        span.ids().map(move |i| refs.word(i, 0))
    }
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct ServiceRecord {
    pub(crate) prefix: Str,
    pub(crate) name: Str,
    pub(crate) actions: Span,
    pub(crate) resource_types: Span,
    pub(crate) condition_keys: Span,
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct ActionRecord {
    pub(crate) name: Str,
    pub(crate) description: Str,
    pub(crate) service: u32,
    pub(crate) access_level: AccessLevel,
    pub(crate) resources: Span,
    pub(crate) condition_keys: Span,
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct ResourceTypeRecord {
    pub(crate) name: Str,
    pub(crate) service: u32,
    pub(crate) arn_formats: Span,
    pub(crate) condition_keys: Span,
}

/// An ARN format and the characters its final placeholder cannot contain
/// (see `trailing_stops` in `xtask/src/encode.rs`); zero bytes are unused.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ArnFormatRecord {
    pub(crate) format: Str,
    pub(crate) trailing_stops: [u8; 4],
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct KeyRecord {
    pub(crate) name: Str,
    pub(crate) description: Str,
    pub(crate) service: u32,
    pub(crate) key_type: ConditionKeyType,
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct ActionResourceRecord {
    pub(crate) resource_type: u32,
    pub(crate) required: bool,
    pub(crate) condition_keys: Span,
}

/// The embedded catalog is unusable: the blob is corrupt or was written by a
/// generator with another format version.
///
/// The crate's tests open and validate the committed blob, so this does not
/// happen in a released build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    message: String,
}

impl DecodeError {
    fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "corrupt embedded AWS catalog: {}", self.message)
    }
}

impl std::error::Error for DecodeError {}

/// Locates the tables of a blob after checking its header and size.
pub(crate) fn open(blob: &'static [u8]) -> Result<Tables, DecodeError> {
    let (magic, rest) = blob
        .split_first_chunk::<4>()
        .ok_or_else(|| DecodeError::new("too short"))?;
    if magic != MAGIC {
        return Err(DecodeError::new("bad magic"));
    }
    let header = Table {
        bytes: rest,
        width: HEADER_WORDS,
        len: 1,
    };
    if rest.len() < HEADER_WORDS * 4 {
        return Err(DecodeError::new("truncated header"));
    }
    let count = |field: usize| header.word(0, field) as usize;
    let version = header.word(0, 0);
    if version != FORMAT_VERSION {
        return Err(DecodeError::new(format!(
            "format version {version}, expected {FORMAT_VERSION}"
        )));
    }
    let sizes = [
        (count(1), SERVICE_WORDS),
        (count(2), ACTION_WORDS),
        (count(3), RESOURCE_TYPE_WORDS),
        (count(4), ARN_FORMAT_WORDS),
        (count(5), KEY_WORDS),
        (count(7), ACTION_RESOURCE_WORDS),
        (count(8), 1),
        (count(5), 1),
    ];
    let (global_keys, string_bytes) = (count(6), count(9));
    let mut tables = [Table::EMPTY; 8];
    let mut at = 4 + HEADER_WORDS * 4;
    for (slot, (len, width)) in tables.iter_mut().zip(sizes) {
        let end = len
            .checked_mul(width * 4)
            .and_then(|bytes| bytes.checked_add(at))
            .ok_or_else(|| DecodeError::new("table sizes overflow"))?;
        let bytes = blob
            .get(at..end)
            .ok_or_else(|| DecodeError::new("truncated tables"))?;
        *slot = Table { bytes, width, len };
        at = end;
    }
    let strings = blob
        .get(at..)
        .filter(|s| s.len() == string_bytes)
        .ok_or_else(|| DecodeError::new("size does not match the header"))?;
    let [
        services,
        actions,
        resource_types,
        arn_formats,
        condition_keys,
        action_resources,
        key_refs,
        key_index,
    ] = tables;
    let global_keys_start = condition_keys
        .len()
        .checked_sub(global_keys)
        .and_then(|start| u32::try_from(start).ok())
        .ok_or_else(|| DecodeError::new("bad global key count"))?;
    Ok(Tables {
        services,
        actions,
        resource_types,
        arn_formats,
        condition_keys,
        global_keys_start,
        action_resources,
        key_refs,
        key_index,
        strings,
        text: std::str::from_utf8(strings)
            .map_err(|_| DecodeError::new("the string table is not UTF-8"))?,
    })
}

impl Catalog {
    /// Checks every reference and string of the catalog: ids and ranges in
    /// bounds, strings UTF-8, codes known, records sorted for binary search.
    /// Reads the whole blob (a few milliseconds); the tests run it, so
    /// callers need not.
    pub fn validate(&self) -> Result<(), DecodeError> {
        let t = &self.tables;
        let fail = |what: &str, id: u32| Err(DecodeError::new(format!("{what} {id}")));
        let str_ok =
            |s: Str| std::str::from_utf8(t.bytes(s)).is_ok() && t.bytes(s).len() == s.len as usize;
        let span_ok = |s: Span, table: &Table| s.range().end <= table.len();
        let index_ok = |i: u32, table: &Table| (i as usize) < table.len();
        let mut previous: &[u8] = &[];
        for id in 0..len_u32(&t.services) {
            let s = t.service(id);
            let ok = str_ok(s.prefix)
                && str_ok(s.name)
                && span_ok(s.actions, &t.actions)
                && span_ok(s.resource_types, &t.resource_types)
                && span_ok(s.condition_keys, &t.condition_keys)
                && (id == 0 || lower_lt(&previous, &t.bytes(s.prefix)));
            if !ok {
                return fail("bad service", id);
            }
            previous = t.bytes(s.prefix);
            let sorted = s
                .actions
                .ids()
                .map(|i| t.action_name(i))
                .is_sorted_by(lower_lt)
                && s.resource_types
                    .ids()
                    .map(|i| t.bytes(t.resource_type(i).name))
                    .is_sorted_by(lower_lt)
                && s.condition_keys
                    .ids()
                    .map(|i| t.key_name(i))
                    .is_sorted_by(lower_lt);
            if !sorted {
                return fail("unsorted records in service", id);
            }
        }
        for id in 0..len_u32(&t.actions) {
            let a = t.action(id);
            let ok = str_ok(a.name)
                && str_ok(a.description)
                && index_ok(a.service, &t.services)
                && AccessLevel::from_code(t.actions.word(id, 5)).is_some()
                && span_ok(a.resources, &t.action_resources)
                && span_ok(a.condition_keys, &t.key_refs);
            if !ok {
                return fail("bad action", id);
            }
        }
        for id in 0..len_u32(&t.resource_types) {
            let r = t.resource_type(id);
            let ok = str_ok(r.name)
                && index_ok(r.service, &t.services)
                && span_ok(r.arn_formats, &t.arn_formats)
                && span_ok(r.condition_keys, &t.key_refs);
            if !ok {
                return fail("bad resource type", id);
            }
        }
        for id in 0..len_u32(&t.arn_formats) {
            if !str_ok(t.arn_format(id).format) {
                return fail("bad ARN format", id);
            }
        }
        for id in 0..len_u32(&t.condition_keys) {
            let k = t.key(id);
            let global = id >= t.global_keys_start;
            let ok = str_ok(k.name)
                && str_ok(k.description)
                && (if global {
                    k.service == NO_SERVICE
                } else {
                    index_ok(k.service, &t.services)
                })
                && ConditionKeyType::from_code(t.condition_keys.word(id, 5)).is_some();
            if !ok {
                return fail("bad condition key", id);
            }
        }
        for id in 0..len_u32(&t.action_resources) {
            let r = t.action_resource(id);
            if !index_ok(r.resource_type, &t.resource_types)
                || !span_ok(r.condition_keys, &t.key_refs)
            {
                return fail("bad action resource", id);
            }
        }
        for table in [&t.key_refs, &t.key_index] {
            for id in 0..len_u32(table) {
                if !index_ok(table.word(id, 0), &t.condition_keys) {
                    return fail("bad key reference", id);
                }
            }
        }
        let by_name = (0..len_u32(&t.key_index))
            .map(|i| t.key_name(t.key_index.word(i, 0)))
            .is_sorted_by(|a, b| !lower_lt(b, a));
        if !by_name {
            return Err(DecodeError::new("unsorted key index"));
        }
        Ok(())
    }
}

fn len_u32(table: &Table) -> u32 {
    u32::try_from(table.len()).unwrap_or(u32::MAX)
}

/// `a < b` comparing ASCII-lower-cased bytes.
fn lower_lt(a: &&[u8], b: &&[u8]) -> bool {
    a.iter()
        .map(u8::to_ascii_lowercase)
        .lt(b.iter().map(u8::to_ascii_lowercase))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_blob_opens_and_validates() {
        let catalog = Catalog::load();
        assert!(catalog.is_ok(), "{catalog:?}");
        let validated = catalog.map(|c| c.validate());
        assert_eq!(validated, Ok(Ok(())));
    }

    #[test]
    fn rejects_garbage() {
        assert!(open(b"").is_err());
        assert!(open(b"XXXX\x01\0\0\0").is_err());
        let blob = crate::generated::BLOB;
        let truncated = blob.get(..blob.len() / 2).unwrap_or_default();
        assert!(open(truncated).is_err());
    }

    #[test]
    fn out_of_bounds_reads_are_empty() {
        let tables = Tables::EMPTY;
        assert_eq!(tables.text(tables.action(7).name), "");
        assert_eq!(tables.key_refs(Span { start: 3, len: 2 }).len(), 2);
        assert_eq!(Table::EMPTY.word(u32::MAX, usize::MAX), 0);
    }
}
