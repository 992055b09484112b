//! Writing the model as the compact blob that `warden_catalog` embeds, plus
//! the small Rust file with its provenance constants.
//!
//! The layout is documented, and decoded, in
//! `crates/warden_catalog/src/format.rs`; the two must change together (bump
//! `FORMAT_VERSION` in both). The crate's round-trip tests compare the decoded
//! catalog with the source package, so a mismatch fails there.

use std::collections::HashMap;

use crate::Result;
use crate::source::{KeyRef, Model, lower_cmp};

/// Must equal `FORMAT_VERSION` in `crates/warden_catalog/src/format.rs`.
const FORMAT_VERSION: u32 = 1;
const MAGIC: &[u8; 4] = b"WCAT";
/// The service of a global condition key.
const NO_SERVICE: u32 = u32::MAX;

pub(crate) struct Generated {
    pub blob: Vec<u8>,
    pub rust: String,
}

/// A deduplicated string table.
#[derive(Default)]
struct Strings {
    bytes: Vec<u8>,
    seen: HashMap<String, (u32, u32)>,
}

impl Strings {
    fn add(&mut self, s: &str) -> Result<[u32; 2]> {
        if let Some(&(off, len)) = self.seen.get(s) {
            return Ok([off, len]);
        }
        let off = u32::try_from(self.bytes.len())?;
        let len = u32::try_from(s.len())?;
        self.bytes.extend_from_slice(s.as_bytes());
        self.seen.insert(s.to_owned(), (off, len));
        Ok([off, len])
    }
}

fn count(n: usize) -> Result<u32> {
    Ok(u32::try_from(n)?)
}

pub(crate) fn encode(model: &Model) -> Result<Generated> {
    let mut strings = Strings::default();
    let mut services: Vec<u32> = Vec::new();
    let mut actions: Vec<u32> = Vec::new();
    let mut resource_types: Vec<u32> = Vec::new();
    let mut arn_formats: Vec<u32> = Vec::new();
    let mut condition_keys: Vec<u32> = Vec::new();
    let mut action_resources: Vec<u32> = Vec::new();
    let mut key_refs: Vec<u32> = Vec::new();

    let trailing_stops = trailing_stops(model);
    let service_key_total: usize = model.services.iter().map(|s| s.condition_keys.len()).sum();
    let global_base = count(service_key_total)?;

    let (mut action_base, mut type_base, mut key_base) = (0u32, 0u32, 0u32);
    let mut action_resource_count = 0u32;
    let mut format_count = 0u32;
    for (service_index, service) in model.services.iter().enumerate() {
        let service_id = count(service_index)?;
        let resolve = |r: &KeyRef| -> Result<u32> {
            Ok(match *r {
                KeyRef::Service(i) => key_base + count(i)?,
                KeyRef::Global(i) => global_base + count(i)?,
            })
        };
        let push_refs = |refs: &[KeyRef], key_refs: &mut Vec<u32>| -> Result<[u32; 2]> {
            let start = count(key_refs.len())?;
            for r in refs {
                key_refs.push(resolve(r)?);
            }
            Ok([start, count(refs.len())?])
        };

        services.extend(strings.add(&service.prefix)?);
        services.extend(strings.add(&service.name)?);
        services.extend([action_base, count(service.actions.len())?]);
        services.extend([type_base, count(service.resource_types.len())?]);
        services.extend([key_base, count(service.condition_keys.len())?]);

        for action in &service.actions {
            actions.extend(strings.add(&action.name)?);
            actions.extend(strings.add(&action.description)?);
            actions.extend([service_id, action.access_level]);
            actions.extend([action_resource_count, count(action.resources.len())?]);
            actions.extend(push_refs(&action.condition_keys, &mut key_refs)?);
            for row in &action.resources {
                action_resources.extend([
                    type_base + count(row.resource_type)?,
                    u32::from(row.required),
                ]);
                action_resources.extend(push_refs(&row.condition_keys, &mut key_refs)?);
                action_resource_count += 1;
            }
        }
        for resource_type in &service.resource_types {
            resource_types.extend(strings.add(&resource_type.name)?);
            resource_types.extend([
                service_id,
                format_count,
                count(resource_type.arn_formats.len())?,
            ]);
            for format in &resource_type.arn_formats {
                arn_formats.extend(strings.add(format)?);
                arn_formats.push(trailing_stops.get(format.as_str()).copied().unwrap_or(0));
                format_count += 1;
            }
            resource_types.extend(push_refs(&resource_type.condition_keys, &mut key_refs)?);
        }
        for key in &service.condition_keys {
            condition_keys.extend(strings.add(&key.name)?);
            condition_keys.extend(strings.add(&key.description)?);
            condition_keys.extend([service_id, key.key_type]);
        }
        action_base += count(service.actions.len())?;
        type_base += count(service.resource_types.len())?;
        key_base += count(service.condition_keys.len())?;
    }
    for key in &model.global_keys {
        condition_keys.extend(strings.add(&key.name)?);
        condition_keys.extend(strings.add(&key.description)?);
        condition_keys.extend([NO_SERVICE, key.key_type]);
    }

    // Every key id, ordered by lower-cased name, then global before service
    // keys, then by service: exact look-ups binary-search this.
    let mut names: Vec<(&str, u32, u32)> = Vec::new();
    let mut id = 0u32;
    for (service_index, service) in model.services.iter().enumerate() {
        for key in &service.condition_keys {
            names.push((&key.name, count(service_index)? + 1, id));
            id += 1;
        }
    }
    for key in &model.global_keys {
        names.push((&key.name, 0, id));
        id += 1;
    }
    names.sort_by(|a, b| lower_cmp(a.0, b.0).then(a.1.cmp(&b.1)));
    let key_index: Vec<u32> = names.iter().map(|&(_, _, id)| id).collect();

    let total_keys = key_base + count(model.global_keys.len())?;
    let header = [
        FORMAT_VERSION,
        count(model.services.len())?,
        action_base,
        type_base,
        format_count,
        total_keys,
        count(model.global_keys.len())?,
        action_resource_count,
        count(key_refs.len())?,
        count(strings.bytes.len())?,
    ];
    let mut blob = Vec::new();
    blob.extend_from_slice(MAGIC);
    for table in [
        &header[..],
        &services,
        &actions,
        &resource_types,
        &arn_formats,
        &condition_keys,
        &action_resources,
        &key_refs,
        &key_index,
    ] {
        for word in table {
            blob.extend_from_slice(&word.to_le_bytes());
        }
    }
    blob.extend_from_slice(&strings.bytes);

    Ok(Generated {
        blob,
        rust: rust_file(model),
    })
}

/// For each ARN format that ends in a placeholder, the characters that
/// placeholder cannot contain, packed into a word (up to four bytes, 0 = none):
/// those that continue the same format in a longer one, anywhere in the
/// catalog. `arn:${Partition}:s3:::${BucketName}` is continued by
/// `/${ObjectName}` in the `object` format, so a bucket name holds no `/`,
/// while `role/${RoleNameWithPath}` is continued by nothing and takes the rest.
fn trailing_stops(model: &Model) -> HashMap<&str, u32> {
    let mut formats: Vec<&str> = model
        .services
        .iter()
        .flat_map(|s| &s.resource_types)
        .flat_map(|r| &r.arn_formats)
        .map(String::as_str)
        .collect();
    formats.sort_unstable();
    formats.dedup();
    let mut out = HashMap::new();
    for (i, &short) in formats.iter().enumerate() {
        if !short.ends_with('}') {
            continue;
        }
        let mut stops: Vec<u8> = formats
            .get(i + 1..)
            .unwrap_or_default()
            .iter()
            .take_while(|long| long.starts_with(short))
            .filter_map(|long| long.as_bytes().get(short.len()).copied())
            .filter(|&b| b != b'$' && b != b'*')
            .collect();
        stops.sort_unstable();
        stops.dedup();
        let packed = stops
            .iter()
            .take(4)
            .enumerate()
            .fold(0u32, |word, (k, &b)| word | (u32::from(b) << (8 * k)));
        if packed != 0 {
            out.insert(short, packed);
        }
    }
    out
}

fn rust_file(model: &Model) -> String {
    format!(
        r#"// @generated by `cargo xtask gen-catalog` from {package} {version} (data date {date}). DO NOT EDIT.

//! Provenance of the embedded catalog, written by the generator beside `catalog.bin`.

/// The package the catalog was generated from.
pub const SOURCE_PACKAGE: &str = "{package}";

/// The version of [`SOURCE_PACKAGE`] the catalog was generated from.
pub const SOURCE_VERSION: &str = "{version}";

/// The date of the AWS data in the catalog, `YYYY-MM-DD`.
pub const DATA_DATE: &str = "{date}";

/// The services whose resources resource control policies govern.
pub const RCP_SUPPORTED_SERVICES: &[&str] = &[{rcp}];

/// Service prefixes that AWS managed policies use but the reference does not
/// list (retired, or not yet documented), lower case, sorted.
pub const RETIRED_SERVICES: &[&str] = &[{retired_services}];

/// `service:action` names likewise, of services the reference lists; lower
/// case, sorted.
pub const RETIRED_ACTIONS: &[&str] = &[{retired_actions}];

/// The encoded catalog (see `format.rs`).
pub(crate) static BLOB: &[u8] = include_bytes!("catalog.bin");
"#,
        package = model.package_name,
        version = model.version,
        date = model.date,
        rcp = quoted(&model.rcp_services),
        retired_services = quoted(&model.retired_services),
        retired_actions = quoted(&model.retired_actions),
    )
}

/// `"a", "b"`: Rust string literals, comma-separated.
fn quoted(items: &[String]) -> String {
    items
        .iter()
        .map(|s| format!("{s:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}
