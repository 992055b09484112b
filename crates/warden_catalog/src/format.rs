//! The blob written by `cargo xtask gen-catalog` (`xtask/src/encode.rs`) and
//! its decoder. Both sides must change together; bump [`FORMAT_VERSION`].
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
//! ARN formats       F x [format: str]
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

/// A `start, len` range of records in another table.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Span {
    pub(crate) start: u32,
    pub(crate) len: u32,
}

impl Span {
    pub(crate) const EMPTY: Span = Span { start: 0, len: 0 };

    pub(crate) fn range(self) -> Range<usize> {
        let start = self.start as usize;
        start..start + self.len as usize
    }

    fn end(self) -> u64 {
        u64::from(self.start) + u64::from(self.len)
    }
}

#[derive(Debug)]
pub(crate) struct ServiceRecord {
    pub(crate) prefix: &'static str,
    pub(crate) name: &'static str,
    pub(crate) actions: Span,
    pub(crate) resource_types: Span,
    pub(crate) condition_keys: Span,
}

impl ServiceRecord {
    pub(crate) const EMPTY: ServiceRecord = ServiceRecord {
        prefix: "",
        name: "",
        actions: Span::EMPTY,
        resource_types: Span::EMPTY,
        condition_keys: Span::EMPTY,
    };
}

#[derive(Debug)]
pub(crate) struct ActionRecord {
    pub(crate) name: &'static str,
    pub(crate) description: &'static str,
    pub(crate) service: u32,
    pub(crate) access_level: AccessLevel,
    pub(crate) resources: Span,
    pub(crate) condition_keys: Span,
}

impl ActionRecord {
    pub(crate) const EMPTY: ActionRecord = ActionRecord {
        name: "",
        description: "",
        service: 0,
        access_level: AccessLevel::Read,
        resources: Span::EMPTY,
        condition_keys: Span::EMPTY,
    };
}

#[derive(Debug)]
pub(crate) struct ResourceTypeRecord {
    pub(crate) name: &'static str,
    pub(crate) service: u32,
    pub(crate) arn_formats: Span,
    pub(crate) condition_keys: Span,
}

impl ResourceTypeRecord {
    pub(crate) const EMPTY: ResourceTypeRecord = ResourceTypeRecord {
        name: "",
        service: 0,
        arn_formats: Span::EMPTY,
        condition_keys: Span::EMPTY,
    };
}

#[derive(Debug)]
pub(crate) struct KeyRecord {
    pub(crate) name: &'static str,
    pub(crate) description: &'static str,
    pub(crate) service: u32,
    pub(crate) key_type: ConditionKeyType,
}

impl KeyRecord {
    pub(crate) const EMPTY: KeyRecord = KeyRecord {
        name: "",
        description: "",
        service: NO_SERVICE,
        key_type: ConditionKeyType::String,
    };
}

#[derive(Debug)]
pub(crate) struct ActionResourceRecord {
    pub(crate) resource_type: u32,
    pub(crate) required: bool,
    pub(crate) condition_keys: Span,
}

impl ActionResourceRecord {
    pub(crate) const EMPTY: ActionResourceRecord = ActionResourceRecord {
        resource_type: 0,
        required: false,
        condition_keys: Span::EMPTY,
    };
}

/// The embedded catalog could not be decoded: the blob is corrupt or was
/// written by a generator with another format version.
///
/// Tests decode the committed blob, so this does not happen in a released build.
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

/// Reads words from the table area.
struct Words<'a> {
    chunks: std::slice::ChunksExact<'a, u8>,
}

impl Words<'_> {
    fn next(&mut self) -> Result<u32, DecodeError> {
        self.chunks
            .next()
            .and_then(|chunk| <[u8; 4]>::try_from(chunk).ok())
            .map(u32::from_le_bytes)
            .ok_or_else(|| DecodeError::new("truncated tables"))
    }

    fn span(&mut self, limit: usize, what: &str) -> Result<Span, DecodeError> {
        let span = Span {
            start: self.next()?,
            len: self.next()?,
        };
        if span.end() > limit as u64 {
            return Err(DecodeError::new(format!("{what} range out of bounds")));
        }
        Ok(span)
    }

    fn index(&mut self, limit: usize, what: &str) -> Result<u32, DecodeError> {
        let index = self.next()?;
        if index as usize >= limit {
            return Err(DecodeError::new(format!("{what} index out of bounds")));
        }
        Ok(index)
    }
}

/// Resolves string references against the string table.
struct Strings(&'static str);

impl Strings {
    fn read(&self, words: &mut Words<'_>) -> Result<&'static str, DecodeError> {
        let start = words.next()? as usize;
        let len = words.next()? as usize;
        start
            .checked_add(len)
            .and_then(|end| self.0.get(start..end))
            .ok_or_else(|| DecodeError::new("string reference out of bounds"))
    }
}

fn records<T>(
    count: usize,
    mut read: impl FnMut() -> Result<T, DecodeError>,
) -> Result<Vec<T>, DecodeError> {
    let mut out = Vec::with_capacity(count);
    for _ in 0..count {
        out.push(read()?);
    }
    Ok(out)
}

/// Decodes a blob into a catalog, checking every reference, so that the
/// accessors never meet a dangling index.
pub(crate) fn decode(blob: &'static [u8]) -> Result<Catalog, DecodeError> {
    let (magic, rest) = blob
        .split_first_chunk::<4>()
        .ok_or_else(|| DecodeError::new("too short"))?;
    if magic != MAGIC {
        return Err(DecodeError::new("bad magic"));
    }
    let mut header = Words {
        chunks: rest.chunks_exact(4),
    };
    let mut counts = [0usize; HEADER_WORDS];
    for slot in &mut counts {
        *slot = header.next()? as usize;
    }
    let [version, s, a, r, f, k, g, ar, kr, n] = counts;
    if version != FORMAT_VERSION as usize {
        return Err(DecodeError::new(format!(
            "format version {version}, expected {FORMAT_VERSION}"
        )));
    }
    let table_words = s * 10 + a * 10 + r * 7 + f * 2 + k * 6 + ar * 4 + kr + k;
    let tables_start = 4 + HEADER_WORDS * 4;
    let strings_start = tables_start + table_words * 4;
    if blob.len() != strings_start + n || g > k {
        return Err(DecodeError::new("size does not match the header"));
    }
    let strings = blob
        .get(strings_start..)
        .and_then(|bytes| std::str::from_utf8(bytes).ok())
        .ok_or_else(|| DecodeError::new("string table is not UTF-8"))?;
    let strings = Strings(strings);
    let tables = blob
        .get(tables_start..strings_start)
        .ok_or_else(|| DecodeError::new("truncated tables"))?;
    let mut w = Words {
        chunks: tables.chunks_exact(4),
    };

    let services = records(s, || {
        Ok(ServiceRecord {
            prefix: strings.read(&mut w)?,
            name: strings.read(&mut w)?,
            actions: w.span(a, "action")?,
            resource_types: w.span(r, "resource type")?,
            condition_keys: w.span(k, "condition key")?,
        })
    })?;
    let actions = records(a, || {
        Ok(ActionRecord {
            name: strings.read(&mut w)?,
            description: strings.read(&mut w)?,
            service: w.index(s, "service")?,
            access_level: AccessLevel::from_code(w.next()?)
                .ok_or_else(|| DecodeError::new("unknown access level"))?,
            resources: w.span(ar, "action resource")?,
            condition_keys: w.span(kr, "key ref")?,
        })
    })?;
    let resource_types = records(r, || {
        Ok(ResourceTypeRecord {
            name: strings.read(&mut w)?,
            service: w.index(s, "service")?,
            arn_formats: w.span(f, "ARN format")?,
            condition_keys: w.span(kr, "key ref")?,
        })
    })?;
    let arn_formats = records(f, || strings.read(&mut w))?;
    let condition_keys = records(k, || {
        Ok(KeyRecord {
            name: strings.read(&mut w)?,
            description: strings.read(&mut w)?,
            service: match w.next()? {
                NO_SERVICE => NO_SERVICE,
                index if (index as usize) < s => index,
                _ => return Err(DecodeError::new("service index out of bounds")),
            },
            key_type: ConditionKeyType::from_code(w.next()?)
                .ok_or_else(|| DecodeError::new("unknown condition key type"))?,
        })
    })?;
    let action_resources = records(ar, || {
        Ok(ActionResourceRecord {
            resource_type: w.index(r, "resource type")?,
            required: w.next()? != 0,
            condition_keys: w.span(kr, "key ref")?,
        })
    })?;
    let key_refs = records(kr, || w.index(k, "condition key"))?;
    let key_index = records(k, || w.index(k, "condition key"))?;

    let global_keys_start = u32::try_from(k - g)
        .map_err(|_| DecodeError::new("too many condition keys"))?;
    let mut catalog = Catalog {
        services,
        actions,
        resource_types,
        arn_formats,
        condition_keys,
        global_keys_start,
        action_resources,
        key_refs,
        key_index,
        pattern_keys: Vec::new(),
    };
    catalog.pattern_keys = catalog.collect_pattern_keys();
    Ok(catalog)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_blob_decodes() {
        let decoded = decode(crate::generated::BLOB);
        assert!(decoded.is_ok(), "{decoded:?}");
    }

    #[test]
    fn rejects_garbage() {
        assert!(decode(b"").is_err());
        assert!(decode(b"XXXX\x01\0\0\0").is_err());
        let blob = crate::generated::BLOB;
        let truncated = blob.get(..blob.len() / 2).unwrap_or_default();
        assert!(decode(truncated).is_err());
    }
}
