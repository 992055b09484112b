//! Witness requests: one concrete request from a solved domain, and its
//! replay through the evaluator.

use std::collections::BTreeMap;

use warden_eval::{
    Caller, CallerKind, CompiledPolicy, ContextValue, Decision, PolicySet, Request, RequestContext,
};

use crate::problem::{DimKind, Problem};
use crate::search::{Domain, Values};
use crate::verdict::{PolicyStack, PolicyType, WitnessRequest};

const IDENTITY_ACCOUNT: &str = "111122223333";
const USER: &str = "arn:aws:iam::111122223333:user/example-user";
const SESSION: &str = "arn:aws:sts::111122223333:assumed-role/example-role/example-session";

/// A readable request of the domain: catalog actions where one fits, a
/// resource ARN in the format of the action's resource type, keys absent
/// where allowed, one value per set-valued key unless more are needed, and
/// the keys AWS derives from the caller (`aws:PrincipalArn`,
/// `aws:PrincipalAccount`, `aws:username`, `aws:ResourceAccount`) agreeing
/// with the principal and resource whenever the cell allows it.
pub(crate) fn build(problem: &Problem, d: &Domain, role: PolicyType) -> WitnessRequest {
    let sym = problem.sym;
    let mut action = String::from("example:Action");
    let mut resource: Option<String> = None;
    let mut principal: Option<String> = None;
    let mut context: BTreeMap<String, ContextValue> = BTreeMap::new();
    // Single-valued keys chosen present: (dim, cell) to revisit once the
    // caller is known.
    let mut singles: Vec<(usize, usize)> = Vec::new();
    for (i, (dim, values)) in problem.dims.iter().zip(&d.0).enumerate() {
        match (&dim.kind, values) {
            (DimKind::Action, Values::Cells(bits)) => {
                action = pick_action(problem, bits.iter());
            }
            (DimKind::Resource, Values::Cells(bits)) => {
                if let Some(c) = bits.first() {
                    resource = Some(readable_resource(problem, dim, c, &action));
                }
            }
            (DimKind::Principal, Values::Cells(bits)) => {
                principal = bits.first().and_then(|c| dim.reps.get(c)).cloned();
            }
            (DimKind::Key { name, .. }, Values::Cells(bits)) => {
                if let Some(c) = bits.first().filter(|&c| c > 0)
                    && let Some(v) = dim.reps.get(c)
                {
                    context.insert(name.clone(), ContextValue::Single(v.clone()));
                    singles.push((i, c));
                }
            }
            (DimKind::Key { name, .. }, Values::Set { absent, all, anys }) => {
                if *absent {
                    continue;
                }
                let mut cells: Vec<usize> = Vec::new();
                for any in anys {
                    let mut b = any.clone();
                    b.and_with(all);
                    if let Some(c) = b.first()
                        && !cells.iter().any(|x| any.contains(*x))
                    {
                        cells.push(c);
                    }
                }
                if cells.is_empty()
                    && let Some(c) = all.first()
                {
                    cells.push(c);
                }
                cells.sort_unstable();
                cells.dedup();
                let list = cells
                    .iter()
                    .filter_map(|&c| dim.reps.get(c).cloned())
                    .collect();
                context.insert(name.clone(), ContextValue::Multi(list));
            }
            _ => {}
        }
    }
    let resource = resource.unwrap_or_else(|| "*".to_string());
    let username_absent = problem.dims.iter().zip(&d.0).any(|(dim, v)| {
        matches!(&dim.kind, DimKind::Key { name, .. } if name.eq_ignore_ascii_case("aws:username"))
            && matches!(v, Values::Cells(b) if b.first() == Some(0))
    });
    let mut principal =
        principal.unwrap_or_else(|| if username_absent { SESSION } else { USER }.to_string());
    // Keys derived from the caller: keep the caller's own value when it is
    // in the chosen cell, else make the caller agree with the value (when
    // that keeps the caller in its own cell).
    let principal_dim = problem
        .dims
        .iter()
        .find(|dim| dim.kind == DimKind::Principal);
    let fits =
        |old: &str, new: &str| principal_dim.is_none_or(|dim| same_cell(problem, dim, old, new));
    let mut resource_account: Option<String> = None;
    for &(i, c) in &singles {
        let Some(dim) = problem.dims.get(i) else {
            continue;
        };
        let DimKind::Key { name, .. } = &dim.kind else {
            continue;
        };
        let Some(rep) = dim.reps.get(c) else { continue };
        let caller = Caller::parse(&principal);
        let lower = name.to_ascii_lowercase();
        let own: Option<String> = match lower.as_str() {
            "aws:principalarn" => Some(caller.principal_arn().to_string()),
            "aws:principalaccount" => caller.account.clone(),
            "aws:username" => match &caller.kind {
                CallerKind::User { name } => Some(name.clone()),
                _ => None,
            },
            "aws:resourceaccount" => Some(resource_account_of(&resource, &caller, role)),
            _ => continue,
        };
        // A value forced by a policy-variable substitution stays.
        let forced = sym
            .keys
            .iter()
            .any(|k| k.name.eq_ignore_ascii_case(name) && matches!(k.forced, Some(Some(_))));
        let chosen = match own {
            Some(v) if !forced && same_cell(problem, dim, rep, &v) => v,
            _ => rep.clone(),
        };
        match lower.as_str() {
            "aws:principalarn" => {
                let c = Caller::parse(&chosen);
                let new = match (&c.kind, &c.account) {
                    (CallerKind::User { .. }, Some(_)) => Some(chosen.clone()),
                    (CallerKind::Role { name }, Some(a)) => Some(format!(
                        "arn:aws:sts::{a}:assumed-role/{name}/example-session"
                    )),
                    _ => None,
                };
                if let Some(new) = new.filter(|n| fits(&principal, n)) {
                    principal = new;
                }
            }
            "aws:principalaccount" => {
                if chosen.len() == 12
                    && chosen.bytes().all(|b| b.is_ascii_digit())
                    && let Some(a) = &caller.account
                {
                    let new = principal.replacen(a.as_str(), &chosen, 1);
                    if fits(&principal, &new) {
                        principal = new;
                    }
                }
            }
            "aws:username" => {
                if let CallerKind::User { name } = &caller.kind
                    && !chosen.is_empty()
                    && chosen
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b"+=,.@_-".contains(&b))
                {
                    let new = principal.replacen(&format!("/{name}"), &format!("/{chosen}"), 1);
                    if fits(&principal, &new) {
                        principal = new;
                    }
                }
            }
            _ => {
                // The replay's own account rule must still hold: same
                // account for identity policies and SCPs, another account
                // for resource policies.
                let account = chosen.len() == 12 && chosen.bytes().all(|b| b.is_ascii_digit());
                let caller_account = Caller::parse(&principal).account;
                let keeps_rule = match role {
                    PolicyType::Resource | PolicyType::Trust => {
                        caller_account.as_deref() != Some(chosen.as_str())
                    }
                    PolicyType::Identity | PolicyType::Scp | PolicyType::Rcp => {
                        caller_account.as_deref() == Some(chosen.as_str())
                    }
                };
                if account && keeps_rule {
                    resource_account = Some(chosen.clone());
                }
            }
        }
        context.insert(name.clone(), ContextValue::Single(chosen));
    }
    // Keys that carry the same value as another (see `KeyInfo::aliases`).
    for info in &sym.keys {
        if let Some(v) = context.get(&info.name).cloned() {
            for a in &info.aliases {
                context.insert(a.clone(), v.clone());
            }
        }
    }
    let caller = Caller::parse(&principal);
    let resource_account = resource_account.or_else(|| match role {
        PolicyType::Resource | PolicyType::Trust => {
            Some(resource_account_of(&resource, &caller, role))
        }
        PolicyType::Identity | PolicyType::Scp | PolicyType::Rcp => {
            let arn_account = resource
                .strip_prefix("arn:")
                .and_then(|r| r.split(':').nth(3))
                .filter(|a| !a.is_empty());
            match (arn_account, &caller.account) {
                (Some(a), Some(c)) if a != c => Some(c.clone()),
                (Some(_), None) => Some(IDENTITY_ACCOUNT.to_string()),
                _ => None,
            }
        }
    });
    WitnessRequest {
        principal,
        action,
        resource,
        resource_account,
        context,
    }
}

/// The account owning the resource as the replay will see it: for
/// resource policies an account other than the caller's (they are read
/// cross-account), else the caller's.
fn resource_account_of(resource: &str, caller: &Caller, role: PolicyType) -> String {
    match role {
        PolicyType::Resource | PolicyType::Trust => {
            if caller.account.as_deref() == Some(IDENTITY_ACCOUNT) {
                "222233334444"
            } else {
                IDENTITY_ACCOUNT
            }
            .to_string()
        }
        PolicyType::Identity | PolicyType::Scp | PolicyType::Rcp => {
            let _ = resource;
            caller
                .account
                .clone()
                .unwrap_or_else(|| IDENTITY_ACCOUNT.to_string())
        }
    }
}

/// Whether `value` is in the same cell of `dim` as `rep`.
fn same_cell(problem: &Problem, dim: &crate::problem::Dim, rep: &str, value: &str) -> bool {
    problem.sym.classify_value(dim, rep) == problem.sym.classify_value(dim, value)
}

/// A resource of the cell that reads like one: an ARN in the format of the
/// action's resource type, or `*`, when either lies in the cell.
fn readable_resource(
    problem: &Problem,
    dim: &crate::problem::Dim,
    cell: usize,
    action: &str,
) -> String {
    let Some(rep) = dim.reps.get(cell) else {
        return "*".into();
    };
    let mut candidates: Vec<String> = Vec::new();
    if let Some(a) = warden_catalog::Catalog::get().action(action) {
        for r in a.resources() {
            for format in r.resource_type().arn_formats() {
                candidates.push(fill_arn(format));
            }
        }
    }
    candidates.push("*".into());
    // The policies' own ARN patterns, wildcards filled in.
    for &b in &dim.elements {
        for &p in problem.sym.blocks.get(b).into_iter().flatten() {
            if let Some(text) = problem
                .sym
                .resource_text(p)
                .filter(|t| t.starts_with("arn:"))
            {
                let filled = text.replace('*', "example").replace('?', "x");
                // A `*` that ends a segment may stand for several: pad to
                // the six parts of an ARN.
                let colons = filled.matches(':').count();
                if colons < 5 && text.ends_with('*') {
                    candidates.push(format!("{filled}{}", ":example".repeat(5 - colons)));
                }
                candidates.push(filled);
            }
        }
    }
    candidates
        .into_iter()
        .find(|c| same_cell(problem, dim, rep, c))
        .unwrap_or_else(|| rep.clone())
}

/// An ARN format of the service reference with example values.
fn fill_arn(format: &str) -> String {
    let mut out = String::new();
    let mut rest = format;
    while let Some(start) = rest.find("${") {
        out.push_str(rest.get(..start).unwrap_or(""));
        let after = rest.get(start + 2..).unwrap_or("");
        let Some(end) = after.find('}') else {
            out.push_str(rest.get(start..).unwrap_or(""));
            return out;
        };
        let name = after.get(..end).unwrap_or("");
        out.push_str(&match name {
            "Partition" => "aws".to_string(),
            "Region" => "us-east-1".to_string(),
            "Account" => IDENTITY_ACCOUNT.to_string(),
            other => format!("example-{}", other.to_ascii_lowercase()),
        });
        rest = after.get(end + 1..).unwrap_or("");
    }
    out.push_str(rest);
    out
}

/// The first cell holding a catalog action (among the first few), else the
/// first cell's own witness.
fn pick_action(problem: &Problem, cells: impl Iterator<Item = usize>) -> String {
    let mut first: Option<String> = None;
    for (tried, c) in cells.enumerate() {
        let Some(cell) = problem.sym.action_cells.get(c) else {
            continue;
        };
        if let Some(a) = cell.catalog.first() {
            return a.clone();
        }
        let own = format!("{}:{}", cell.service, cell.name);
        if first.is_none() {
            first = Some(own);
        }
        if tried < 16
            && cell.named
            && let Some(a) = problem
                .sym
                .actions
                .catalog_actions(cell, 1)
                .into_iter()
                .next()
        {
            return a;
        }
        if tried >= 16 {
            break;
        }
    }
    first.unwrap_or_else(|| "example:Action".into())
}

/// The two policies compiled for replay, with the policy that stands in for
/// "the caller's identity policies allow everything".
pub(crate) struct Replay {
    old: CompiledStack,
    new: CompiledStack,
    /// The caller's identity policies for resource policies and SCPs
    /// (always parses: a constant).
    allow_all: Option<CompiledPolicy>,
    role: PolicyType,
}

/// A [`PolicyStack`] compiled for the evaluator.
struct CompiledStack {
    identity: Vec<CompiledPolicy>,
    boundary: Option<CompiledPolicy>,
    session: Option<CompiledPolicy>,
    scp_levels: Vec<Vec<CompiledPolicy>>,
}

impl CompiledStack {
    fn new(stack: &PolicyStack<'_>) -> CompiledStack {
        CompiledStack {
            identity: stack
                .identity
                .iter()
                .map(|p| CompiledPolicy::compile(p))
                .collect(),
            boundary: stack.boundary.map(CompiledPolicy::compile),
            session: stack.session.map(CompiledPolicy::compile),
            scp_levels: stack
                .scp_levels
                .iter()
                .map(|l| l.iter().map(|p| CompiledPolicy::compile(p)).collect())
                .collect(),
        }
    }

    fn single(&self) -> bool {
        self.identity.len() == 1
            && self.boundary.is_none()
            && self.session.is_none()
            && self.scp_levels.is_empty()
    }
}

impl Replay {
    pub(crate) fn new(old: &PolicyStack<'_>, new: &PolicyStack<'_>, role: PolicyType) -> Replay {
        let allow_all = warden_policy::parse_policy(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
        )
        .policy
        .map(|p| CompiledPolicy::compile(&p));
        Replay {
            old: CompiledStack::new(old),
            new: CompiledStack::new(new),
            allow_all,
            role,
        }
    }

    fn decide(&self, stack: &CompiledStack, w: &WitnessRequest) -> Decision {
        let mut ctx = RequestContext::new();
        for (k, v) in &w.context {
            ctx.insert(k, v.clone());
        }
        let mut request =
            Request::with_caller(Caller::parse(&w.principal), &w.action, &w.resource, ctx);
        request.resource_account.clone_from(&w.resource_account);
        let first = stack.identity.first();
        let set = match (self.role, first, &self.allow_all) {
            (PolicyType::Resource | PolicyType::Trust, Some(policy), Some(all))
                if stack.single() =>
            {
                PolicySet {
                    identity: vec![all],
                    resource: Some(policy),
                    ..PolicySet::default()
                }
            }
            (PolicyType::Scp | PolicyType::Rcp, Some(policy), Some(all)) if stack.single() => {
                PolicySet {
                    identity: vec![all],
                    scp_levels: vec![vec![policy]],
                    ..PolicySet::default()
                }
            }
            _ => PolicySet {
                identity: stack.identity.iter().collect(),
                boundary: stack.boundary.as_ref(),
                session: stack.session.as_ref(),
                scp_levels: stack
                    .scp_levels
                    .iter()
                    .map(|l| l.iter().collect())
                    .collect(),
                ..PolicySet::default()
            },
        };
        warden_eval::decide(&set, &request)
    }

    /// Checks that `granting` (new when `new_grants`) allows the request and
    /// the other policy does not; the error says what the evaluator decided.
    pub(crate) fn check(&self, w: &WitnessRequest, new_grants: bool) -> Result<(), String> {
        let (yes, no) = if new_grants {
            (&self.new, &self.old)
        } else {
            (&self.old, &self.new)
        };
        let a = self.decide(yes, w);
        let b = self.decide(no, w);
        if a == Decision::Allow && b != Decision::Allow {
            Ok(())
        } else {
            Err(format!(
                "bug: the witness did not replay (the evaluator decided {a:?} and {b:?}); please report it with both policies: {}",
                serde_json_lite(w)
            ))
        }
    }
}

fn serde_json_lite(w: &WitnessRequest) -> String {
    format!(
        "principal={} action={} resource={} context={:?}",
        w.principal, w.action, w.resource, w.context
    )
}
