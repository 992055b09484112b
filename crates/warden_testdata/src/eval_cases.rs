//! The evaluation case corpus, `testdata/eval/*.toml`: every case states a
//! request, its policies, the expected decision and the documented rule
//! that decides it. Read by the evaluator's case test and, as a property,
//! by the prover's.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Deserialize;

use crate::testdata_dir;

/// One file of the corpus.
#[derive(Debug)]
pub struct EvalCaseFile {
    /// Where the file is.
    pub path: PathBuf,
    /// Its cases, or why the file does not read.
    pub cases: Result<Vec<EvalCase>, String>,
}

#[derive(Deserialize)]
struct File {
    case: Vec<EvalCase>,
}

/// One evaluation case.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvalCase {
    /// A unique name.
    pub name: String,
    /// The documented rule the case checks.
    pub rule: String,
    /// Where the rule is documented.
    #[serde(default)]
    pub source: Option<String>,
    /// The calling principal's ARN.
    pub principal: String,
    /// The action.
    pub action: String,
    /// The resource ARN.
    pub resource: String,
    /// The account that owns the resource, when not the principal's.
    #[serde(default)]
    pub resource_account: Option<String>,
    /// Context keys and values (a TOML array is a multivalued key).
    #[serde(default)]
    pub context: BTreeMap<String, toml::Value>,
    /// The principal's identity policies (document texts).
    #[serde(default)]
    pub identity_policies: Vec<String>,
    /// The resource's policy.
    #[serde(default)]
    pub resource_policy: Option<String>,
    /// The permissions boundary.
    #[serde(default)]
    pub permissions_boundary: Option<String>,
    /// The session policy.
    #[serde(default)]
    pub session_policy: Option<String>,
    /// SCPs, one list per level of the organization.
    #[serde(default)]
    pub scp_levels: Vec<Vec<String>>,
    /// RCPs, one list per level of the organization.
    #[serde(default)]
    pub rcp_levels: Vec<Vec<String>>,
    /// Whether the principal is a service-linked role.
    #[serde(default)]
    pub service_linked_role: bool,
    /// The expected decision, as `Decision`'s debug text.
    pub expected: String,
}

/// A case's policies, each read by the caller (parsed, compiled).
#[derive(Debug)]
pub struct PolicyLayers<T> {
    /// Identity policies.
    pub identity: Vec<T>,
    /// The resource policy.
    pub resource: Option<T>,
    /// The permissions boundary.
    pub boundary: Option<T>,
    /// The session policy.
    pub session: Option<T>,
    /// SCP levels.
    pub scp_levels: Vec<Vec<T>>,
    /// RCP levels.
    pub rcp_levels: Vec<Vec<T>>,
}

impl<T> PolicyLayers<T> {
    /// The same layers, each policy read again by `f` (say, compiled).
    pub fn map<U>(&self, mut f: impl FnMut(&T) -> U) -> PolicyLayers<U> {
        let mut all = |v: &[T]| v.iter().map(&mut f).collect::<Vec<U>>();
        let identity = all(&self.identity);
        let scp_levels = self.scp_levels.iter().map(|l| all(l)).collect();
        let rcp_levels = self.rcp_levels.iter().map(|l| all(l)).collect();
        PolicyLayers {
            identity,
            resource: self.resource.as_ref().map(&mut f),
            boundary: self.boundary.as_ref().map(&mut f),
            session: self.session.as_ref().map(&mut f),
            scp_levels,
            rcp_levels,
        }
    }
}

impl EvalCase {
    /// The case's policies, each read by `read`; the first error stops.
    pub fn policies<T, E>(
        &self,
        mut read: impl FnMut(&str) -> Result<T, E>,
    ) -> Result<PolicyLayers<T>, E> {
        let mut all =
            |texts: &[String]| texts.iter().map(|t| read(t)).collect::<Result<Vec<_>, E>>();
        let identity = all(&self.identity_policies)?;
        let scp_levels = self
            .scp_levels
            .iter()
            .map(|l| all(l))
            .collect::<Result<_, E>>()?;
        let rcp_levels = self
            .rcp_levels
            .iter()
            .map(|l| all(l))
            .collect::<Result<_, E>>()?;
        let mut one = |text: &Option<String>| text.as_deref().map(&mut read).transpose();
        Ok(PolicyLayers {
            identity,
            resource: one(&self.resource_policy)?,
            boundary: one(&self.permissions_boundary)?,
            session: one(&self.session_policy)?,
            scp_levels,
            rcp_levels,
        })
    }

    /// The case's request.
    #[cfg(feature = "eval")]
    pub fn request(&self) -> warden_eval::Request {
        let scalar = |v: &toml::Value| match v {
            toml::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let mut context = warden_eval::RequestContext::new();
        for (k, v) in &self.context {
            let value = match v {
                toml::Value::Array(items) => {
                    warden_eval::ContextValue::Multi(items.iter().map(scalar).collect())
                }
                other => warden_eval::ContextValue::Single(scalar(other)),
            };
            context.insert(k, value);
        }
        let mut request =
            warden_eval::Request::new(&self.principal, &self.action, &self.resource, context);
        request.resource_account.clone_from(&self.resource_account);
        request.service_linked_role = self.service_linked_role;
        request
    }
}

#[cfg(feature = "eval")]
impl PolicyLayers<warden_eval::CompiledPolicy> {
    /// The layers as the evaluator's policy set.
    pub fn policy_set(&self) -> warden_eval::PolicySet<'_> {
        warden_eval::PolicySet {
            identity: self.identity.iter().collect(),
            resource: self.resource.as_ref(),
            boundary: self.boundary.as_ref(),
            session: self.session.as_ref(),
            scp_levels: self.scp_levels.iter().map(|l| l.iter().collect()).collect(),
            rcp_levels: self.rcp_levels.iter().map(|l| l.iter().collect()).collect(),
        }
    }
}

/// Every file of `testdata/eval/*.toml`, sorted by path.
pub fn eval_case_files() -> Vec<EvalCaseFile> {
    let dir = testdata_dir().join("eval");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    paths.retain(|p| p.extension().is_some_and(|e| e == "toml"));
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let cases = std::fs::read_to_string(&path)
                .map_err(|e| e.to_string())
                .and_then(|text| toml::from_str::<File>(&text).map_err(|e| e.to_string()))
                .map(|f| f.case)
                .map_err(|e| format!("{}: {e}", path.display()));
            EvalCaseFile { path, cases }
        })
        .collect()
}
