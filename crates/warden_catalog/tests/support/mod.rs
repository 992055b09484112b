//! Reads the vendored source package independently of the generator, so the
//! tests compare the embedded catalog with the data it was made from.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::PathBuf;

use serde_json::Value;
use warden_catalog::AccessLevel;

/// The source package's files under `data/`, parsed, by path.
pub(crate) struct Source {
    pub files: BTreeMap<String, Value>,
}

impl Source {
    pub(crate) fn load() -> Source {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../testdata/corpus/service-reference.tar.gz");
        let file = std::fs::File::open(&path).unwrap();
        let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(file));
        let mut files = BTreeMap::new();
        for entry in archive.entries().unwrap() {
            let mut entry = entry.unwrap();
            let name = entry.path().unwrap().to_string_lossy().into_owned();
            let name = name.strip_prefix("package/").unwrap_or(&name).to_owned();
            if name.starts_with("data/") && name.ends_with(".json") {
                let mut text = String::new();
                entry.read_to_string(&mut text).unwrap();
                files.insert(name, serde_json::from_str(&text).unwrap());
            }
        }
        Source { files }
    }

    /// Service prefixes from `services.json`.
    pub(crate) fn prefixes(&self) -> Vec<&str> {
        self.files["data/services.json"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect()
    }

    /// The entries of `data/<kind>/<prefix>.json`.
    pub(crate) fn entries(&self, kind: &str, prefix: &str) -> Vec<&Value> {
        self.files
            .get(&format!("data/{kind}/{prefix}.json"))
            .and_then(Value::as_object)
            .map(|o| o.values().collect())
            .unwrap_or_default()
    }

    /// Every action as lower-cased `prefix:name`.
    #[allow(dead_code, reason = "used by some of the test binaries only")]
    pub(crate) fn action_names(&self) -> Vec<String> {
        let mut out = Vec::new();
        for prefix in self.prefixes() {
            for action in self.entries("actions", prefix) {
                let name = action["name"].as_str().unwrap();
                out.push(format!("{prefix}:{name}").to_ascii_lowercase());
            }
        }
        out
    }
}

/// The lower-cased strings of a JSON array (empty if absent).
#[allow(dead_code, reason = "used by some of the test binaries only")]
pub(crate) fn lower_list(value: &Value) -> Vec<String> {
    value
        .as_array()
        .map(|a| {
            a.iter()
                .map(|v| v.as_str().unwrap().to_ascii_lowercase())
                .collect()
        })
        .unwrap_or_default()
}

/// The access level the catalog should give a source `accessLevel`.
#[allow(dead_code, reason = "used by some of the test binaries only")]
pub(crate) fn expected_level(text: &str) -> AccessLevel {
    // "Tagging, Write" and "Permissions management, Write" are the refinements.
    if text.contains("Permissions management") {
        AccessLevel::PermissionsManagement
    } else if text.contains("Tagging") {
        AccessLevel::Tagging
    } else {
        text.parse().unwrap()
    }
}
