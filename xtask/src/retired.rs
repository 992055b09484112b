//! Names the service reference no longer (or not yet) lists, but that AWS
//! managed policies have used: retired services (`deepracer`, `iot1click`,
//! `mobilehub`, `elastic-inference`), retired or preview actions. Access
//! Analyzer still accepts many of them, and a policy naming one works; the
//! linter reports them as retired (a warning), not as unknown (an error).
//!
//! Regenerated with the catalog from the version in force of every AWS
//! managed policy (`testdata/corpus/managed-policies.json.gz`): a name
//! drops out as soon as the reference lists it again.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::source::Model;

/// Lower-cased retired service prefixes and `service:action` names, sorted.
pub(crate) struct Retired {
    pub services: Vec<String>,
    pub actions: Vec<String>,
}

/// The names AWS managed policies use in `Action`/`NotAction` that `model`
/// lacks: prefixes of unknown services, and exact action names (no
/// wildcards) of known services.
pub(crate) fn collect(model: &Model) -> Result<Retired, String> {
    let known_services: BTreeSet<String> = model
        .services
        .iter()
        .map(|s| s.prefix.to_ascii_lowercase())
        .collect();
    let known_actions: BTreeSet<String> = model
        .services
        .iter()
        .flat_map(|s| {
            s.actions
                .iter()
                .map(move |a| format!("{}:{}", s.prefix, a.name).to_ascii_lowercase())
        })
        .collect();
    let mut services = BTreeSet::new();
    let mut actions = BTreeSet::new();
    for policy in warden_testdata::managed_policies()? {
        // Only the versions in force: older versions hold typos that AWS
        // later fixed (`s3:ListObjects`, `codedpeloy:`), which must stay
        // unknown-action errors.
        if let Some(text) = policy.latest_document() {
            let doc: Value =
                serde_json::from_str(text).map_err(|e| format!("{}: {e}", policy.name))?;
            for name in action_names(&doc) {
                let lower = name.trim().to_ascii_lowercase();
                let Some((prefix, action)) = lower.split_once(':') else {
                    continue;
                };
                let well_formed = |s: &str| {
                    !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                };
                if !well_formed(prefix) {
                    continue;
                }
                if !known_services.contains(prefix) {
                    services.insert(prefix.to_string());
                } else if well_formed(action) && !known_actions.contains(&lower) {
                    actions.insert(lower.clone());
                }
            }
        }
    }
    Ok(Retired {
        services: services.into_iter().collect(),
        actions: actions.into_iter().collect(),
    })
}

/// Every string in the `Action` and `NotAction` elements of a policy
/// document's statements.
fn action_names(doc: &Value) -> Vec<&str> {
    let statements = match doc.get("Statement") {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(one @ Value::Object(_)) => vec![one],
        _ => Vec::new(),
    };
    let mut out = Vec::new();
    for st in statements {
        for element in ["Action", "NotAction"] {
            match st.get(element) {
                Some(Value::String(s)) => out.push(s.as_str()),
                Some(Value::Array(items)) => out.extend(items.iter().filter_map(Value::as_str)),
                _ => {}
            }
        }
    }
    out
}
