//! The evaluation case corpus: every case in `testdata/eval/*.toml` states a
//! request, its policies, the expected decision and the documented rule that
//! decides it. All must pass.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Deserialize;
use warden_eval::{
    CompiledPolicy, ContextValue, PolicySet, Request, RequestContext, decide, explain,
};

#[derive(Deserialize)]
struct File {
    case: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    rule: String,
    #[serde(default)]
    source: Option<String>,
    principal: String,
    action: String,
    resource: String,
    #[serde(default)]
    resource_account: Option<String>,
    #[serde(default)]
    context: BTreeMap<String, toml::Value>,
    #[serde(default)]
    identity_policies: Vec<String>,
    #[serde(default)]
    resource_policy: Option<String>,
    #[serde(default)]
    permissions_boundary: Option<String>,
    #[serde(default)]
    session_policy: Option<String>,
    #[serde(default)]
    scp_levels: Vec<Vec<String>>,
    #[serde(default)]
    rcp_levels: Vec<Vec<String>>,
    #[serde(default)]
    service_linked_role: bool,
    expected: String,
}

fn eval_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../testdata/eval")
}

fn compile(case: &str, text: &str) -> Result<CompiledPolicy, String> {
    let out = warden_policy::parse_policy(text);
    match out.into_result() {
        Ok((p, _)) => Ok(CompiledPolicy::compile(&p)),
        Err(diags) => Err(format!("{case}: policy does not parse: {diags:?}")),
    }
}

fn context_value(v: &toml::Value) -> ContextValue {
    let scalar = |v: &toml::Value| match v {
        toml::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    match v {
        toml::Value::Array(items) => ContextValue::Multi(items.iter().map(scalar).collect()),
        other => ContextValue::Single(scalar(other)),
    }
}

fn run(case: &Case) -> Result<(), String> {
    let compile_all = |v: &[String]| {
        v.iter()
            .map(|t| compile(&case.name, t))
            .collect::<Result<Vec<_>, _>>()
    };
    let identity = compile_all(&case.identity_policies)?;
    let resource = case
        .resource_policy
        .as_deref()
        .map(|t| compile(&case.name, t))
        .transpose()?;
    let boundary = case
        .permissions_boundary
        .as_deref()
        .map(|t| compile(&case.name, t))
        .transpose()?;
    let session = case
        .session_policy
        .as_deref()
        .map(|t| compile(&case.name, t))
        .transpose()?;
    let scps = case
        .scp_levels
        .iter()
        .map(|l| compile_all(l))
        .collect::<Result<Vec<_>, _>>()?;
    let rcps = case
        .rcp_levels
        .iter()
        .map(|l| compile_all(l))
        .collect::<Result<Vec<_>, _>>()?;
    let set = PolicySet {
        identity: identity.iter().collect(),
        resource: resource.as_ref(),
        boundary: boundary.as_ref(),
        session: session.as_ref(),
        scp_levels: scps.iter().map(|l| l.iter().collect()).collect(),
        rcp_levels: rcps.iter().map(|l| l.iter().collect()).collect(),
    };
    let mut ctx = RequestContext::new();
    for (k, v) in &case.context {
        ctx.insert(k, context_value(v));
    }
    let mut request = Request::new(&case.principal, &case.action, &case.resource, ctx);
    request.resource_account = case.resource_account.clone();
    request.service_linked_role = case.service_linked_role;
    let decision = decide(&set, &request);
    let explained = explain(&set, &request);
    if explained.decision != decision {
        return Err(format!("{}: decide and explain disagree", case.name));
    }
    let got = format!("{decision:?}");
    if got != case.expected {
        return Err(format!(
            "{}: expected {}, got {got} ({})\n    rule: {}",
            case.name, case.expected, explained.reason, case.rule
        ));
    }
    Ok(())
}

#[test]
fn eval_case_corpus() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(eval_dir())
        .map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == "toml"));
    files.sort();
    let mut failures = Vec::new();
    let mut total = 0;
    let mut names = std::collections::HashSet::new();
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        let file: File = match toml::from_str(&text) {
            Ok(f) => f,
            Err(e) => {
                failures.push(format!("{}: {e}", path.display()));
                continue;
            }
        };
        for case in &file.case {
            total += 1;
            assert!(
                names.insert(case.name.clone()),
                "duplicate case name {}",
                case.name
            );
            assert!(!case.rule.trim().is_empty(), "{}: no rule", case.name);
            let _ = &case.source;
            if let Err(e) = run(case) {
                failures.push(e);
            }
        }
    }
    eprintln!(
        "{total} evaluation cases in {} files, {} failing",
        files.len(),
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {total} cases fail:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
