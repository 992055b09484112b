//! Witness requests: one concrete request from a solved domain (its replay
//! through the evaluator is [`crate::replay`]).

use std::collections::BTreeMap;

use warden_eval::{Caller, CallerKind, ContextValue};

use crate::bits::Bits;
use crate::problem::{DimKind, Problem};
use crate::search::{Domain, Values};
use crate::verdict::{PolicyType, WitnessRequest};

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
    build_for(problem, d, role, None)
}

/// As [`build`], with `action` (one of the domain's action cells) as the
/// request's action: the resource is then one of that action's own
/// resource types.
pub(crate) fn build_for(
    problem: &Problem,
    d: &Domain,
    role: PolicyType,
    action: Option<&str>,
) -> WitnessRequest {
    let mut draft = Draft::read(problem, d, action);
    let resource = draft.resource.take().unwrap_or_else(|| "*".to_string());
    let principal = draft
        .principal
        .take()
        .unwrap_or_else(|| default_caller(problem, d).to_string());
    let mut agreed = Agreed {
        principal,
        resource_account: None,
    };
    for &(i, c) in &draft.singles {
        if let Some((name, value)) = agreed.caller_key(problem, i, c, &resource, role) {
            draft.context.insert(name, ContextValue::Single(value));
        }
    }
    copy_aliases(problem, &mut draft.context);
    let caller = Caller::parse(&agreed.principal);
    let resource_account = agreed
        .resource_account
        .or_else(|| replay_account(&resource, &caller, role));
    WitnessRequest {
        principal: agreed.principal,
        action: draft.action,
        resource,
        resource_account,
        context: draft.context,
    }
}

/// A first request read off the domain, one dimension at a time, before
/// the caller and the keys derived from it are made to agree.
struct Draft {
    action: String,
    resource: Option<String>,
    principal: Option<String>,
    context: BTreeMap<String, ContextValue>,
    /// Single-valued keys chosen present: (dim, cell) to revisit once the
    /// caller is known.
    singles: Vec<(usize, usize)>,
}

impl Draft {
    fn read(problem: &Problem, d: &Domain, action: Option<&str>) -> Draft {
        let mut draft = Draft {
            action: String::from("example:Action"),
            resource: None,
            principal: None,
            context: BTreeMap::new(),
            singles: Vec::new(),
        };
        for (i, (dim, values)) in problem.dims.iter().zip(&d.0).enumerate() {
            match (&dim.kind, values) {
                (DimKind::Action, Values::Cells(bits)) => {
                    draft.action = match action {
                        Some(a) => a.to_string(),
                        None => pick_action(problem, bits.iter()),
                    };
                }
                (DimKind::Resource, Values::Cells(bits)) => {
                    if let Some(c) = bits.first() {
                        draft.resource = Some(readable_resource(problem, dim, c, &draft.action));
                    }
                }
                (DimKind::Principal, Values::Cells(bits)) => {
                    draft.principal = bits.first().and_then(|c| dim.reps.get(c)).cloned();
                }
                (DimKind::Key { name, .. }, Values::Cells(bits)) => {
                    if let Some(c) = bits.first().filter(|&c| c > 0)
                        && let Some(v) = dim.reps.get(c)
                    {
                        draft
                            .context
                            .insert(name.clone(), ContextValue::Single(v.clone()));
                        draft.singles.push((i, c));
                    }
                }
                (
                    DimKind::Key { name, .. },
                    Values::Set {
                        absent: false,
                        all,
                        anys,
                    },
                ) => {
                    let list = set_values(dim, all, anys);
                    draft
                        .context
                        .insert(name.clone(), ContextValue::Multi(list));
                }
                _ => {}
            }
        }
        draft
    }
}

/// Values of a set-valued key: one per set the values must meet (shared
/// where one value meets several), else one value.
fn set_values(dim: &crate::problem::Dim, all: &Bits, anys: &[Bits]) -> Vec<String> {
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
    cells
        .iter()
        .filter_map(|&c| dim.reps.get(c).cloned())
        .collect()
}

/// The caller when no principal dimension chooses one: a user, or a role
/// session when `aws:username` must be absent (sessions have none).
fn default_caller(problem: &Problem, d: &Domain) -> &'static str {
    let username_absent = problem.dims.iter().zip(&d.0).any(|(dim, v)| {
        matches!(&dim.kind, DimKind::Key { name, .. } if name.eq_ignore_ascii_case("aws:username"))
            && matches!(v, Values::Cells(b) if b.first() == Some(0))
    });
    if username_absent { SESSION } else { USER }
}

/// The caller, made to agree with the keys AWS derives from it.
struct Agreed {
    principal: String,
    /// The resource's account, when `aws:ResourceAccount` chose it.
    resource_account: Option<String>,
}

impl Agreed {
    /// For the single-valued key of cell `c` of dimension `i`, when it is
    /// one AWS derives from the caller: keeps the caller's own value when
    /// it is in the cell, else makes the caller agree with the cell's
    /// value (when that keeps the caller in its own cell). Returns the key
    /// and the value to put in the context.
    fn caller_key(
        &mut self,
        problem: &Problem,
        i: usize,
        c: usize,
        resource: &str,
        role: PolicyType,
    ) -> Option<(String, String)> {
        let dim = problem.dims.get(i)?;
        let DimKind::Key { name, .. } = &dim.kind else {
            return None;
        };
        let rep = dim.reps.get(c)?;
        let caller = Caller::parse(&self.principal);
        let lower = name.to_ascii_lowercase();
        let own: Option<String> = match lower.as_str() {
            "aws:principalarn" => Some(caller.principal_arn().to_string()),
            "aws:principalaccount" => caller.account.clone(),
            "aws:username" => match &caller.kind {
                CallerKind::User { name } => Some(name.clone()),
                _ => None,
            },
            "aws:resourceaccount" => Some(resource_account_of(resource, &caller, role)),
            _ => return None,
        };
        // A value forced by a policy-variable substitution stays.
        let forced = problem
            .sym
            .keys
            .iter()
            .any(|k| k.name.eq_ignore_ascii_case(name) && matches!(k.forced, Some(Some(_))));
        let chosen = match own {
            Some(v) if !forced && same_cell(problem, dim, rep, &v) => v,
            _ => rep.clone(),
        };
        self.follow(problem, &lower, &chosen, &caller, role);
        Some((name.clone(), chosen))
    }

    /// Changes the caller (or the resource's account) so that the key
    /// `lower` derived from it reads `chosen`, when the change keeps the
    /// caller in its cell of the principal dimension.
    fn follow(
        &mut self,
        problem: &Problem,
        lower: &str,
        chosen: &str,
        caller: &Caller,
        role: PolicyType,
    ) {
        let principal_dim = problem
            .dims
            .iter()
            .find(|dim| dim.kind == DimKind::Principal);
        let fits = |old: &str, new: &str| {
            principal_dim.is_none_or(|dim| same_cell(problem, dim, old, new))
        };
        let principal = &mut self.principal;
        match lower {
            "aws:principalarn" => {
                let c = Caller::parse(chosen);
                let new = match (&c.kind, &c.account) {
                    (CallerKind::User { .. }, Some(_)) => Some(chosen.to_string()),
                    (CallerKind::Role { name }, Some(a)) => Some(format!(
                        "arn:aws:sts::{a}:assumed-role/{name}/example-session"
                    )),
                    _ => None,
                };
                if let Some(new) = new.filter(|n| fits(principal, n)) {
                    *principal = new;
                }
            }
            "aws:principalaccount" => {
                if chosen.len() == 12
                    && chosen.bytes().all(|b| b.is_ascii_digit())
                    && let Some(a) = &caller.account
                {
                    let new = principal.replacen(a.as_str(), chosen, 1);
                    if fits(principal, &new) {
                        *principal = new;
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
                    if fits(principal, &new) {
                        *principal = new;
                    }
                }
            }
            _ => {
                // The replay's own account rule must still hold: same
                // account for identity policies and SCPs, another account
                // for resource policies.
                let account = chosen.len() == 12 && chosen.bytes().all(|b| b.is_ascii_digit());
                let caller_account = Caller::parse(principal).account;
                let keeps_rule = match role {
                    PolicyType::Resource | PolicyType::Trust => {
                        caller_account.as_deref() != Some(chosen)
                    }
                    PolicyType::Identity
                    | PolicyType::Scp
                    | PolicyType::Rcp
                    | PolicyType::Endpoint => caller_account.as_deref() == Some(chosen),
                };
                if account && keeps_rule {
                    self.resource_account = Some(chosen.to_string());
                }
            }
        }
    }
}

/// Keys that carry the same value as another (see `KeyInfo::aliases`).
fn copy_aliases(problem: &Problem, context: &mut BTreeMap<String, ContextValue>) {
    for info in &problem.sym.keys {
        if let Some(v) = context.get(&info.name).cloned() {
            for a in &info.aliases {
                context.insert(a.clone(), v.clone());
            }
        }
    }
}

/// The resource's account the replay needs stated: for resource policies
/// always (they are read cross-account), else when the resource ARN names
/// an account other than the caller's, or the caller has none.
fn replay_account(resource: &str, caller: &Caller, role: PolicyType) -> Option<String> {
    match role {
        PolicyType::Resource | PolicyType::Trust => {
            Some(resource_account_of(resource, caller, role))
        }
        PolicyType::Identity | PolicyType::Scp | PolicyType::Rcp | PolicyType::Endpoint => {
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
        PolicyType::Identity | PolicyType::Scp | PolicyType::Rcp | PolicyType::Endpoint => {
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
