//! Witness requests: one concrete request from a solved domain, and its
//! replay through the evaluator.

use std::collections::BTreeMap;

use warden_eval::{
    Caller, CompiledPolicy, ContextValue, Decision, PolicySet, Request, RequestContext,
};
use warden_policy::Policy;

use crate::problem::{DimKind, Problem};
use crate::search::{Domain, Values};
use crate::verdict::{PolicyRole, WitnessRequest};

const IDENTITY_ACCOUNT: &str = "111122223333";
const USER: &str = "arn:aws:iam::111122223333:user/example-user";
const SESSION: &str = "arn:aws:sts::111122223333:assumed-role/example-role/example-session";

/// A readable request of the domain: catalog actions where one fits, keys
/// absent where allowed, one value per set-valued key unless more are
/// needed.
pub(crate) fn build(problem: &Problem, d: &Domain, role: PolicyRole) -> WitnessRequest {
    let mut action = String::from("example:Action");
    let mut resource = String::from("*");
    let mut principal: Option<String> = None;
    let mut context: BTreeMap<String, ContextValue> = BTreeMap::new();
    for (dim, values) in problem.dims.iter().zip(&d.0) {
        match (&dim.kind, values) {
            (DimKind::Action, Values::Cells(bits)) => {
                action = pick_action(problem, bits.iter());
            }
            (DimKind::Resource, Values::Cells(bits)) => {
                if let Some(r) = bits.first().and_then(|c| dim.reps.get(c)) {
                    resource.clone_from(r);
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
    let username_absent = problem.dims.iter().zip(&d.0).any(|(dim, v)| {
        matches!(&dim.kind, DimKind::Key { name, .. } if name.eq_ignore_ascii_case("aws:username"))
            && matches!(v, Values::Cells(b) if b.first() == Some(0))
    });
    let principal = principal.unwrap_or_else(|| {
        if username_absent { SESSION } else { USER }.to_string()
    });
    let caller_account = Caller::parse(&principal).account;
    let resource_account = match role {
        PolicyRole::Resource => Some(
            if caller_account.as_deref() == Some(IDENTITY_ACCOUNT) {
                "222233334444"
            } else {
                IDENTITY_ACCOUNT
            }
            .to_string(),
        ),
        PolicyRole::Identity | PolicyRole::Scp => {
            let arn_account = resource
                .strip_prefix("arn:")
                .and_then(|r| r.split(':').nth(3))
                .filter(|a| !a.is_empty());
            match (arn_account, &caller_account) {
                (Some(a), Some(c)) if a != c => Some(c.clone()),
                (Some(_), None) => Some(IDENTITY_ACCOUNT.to_string()),
                _ => None,
            }
        }
    };
    WitnessRequest {
        principal,
        action,
        resource,
        resource_account,
        context,
    }
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
            && let Some(a) = problem.sym.actions.catalog_actions(cell, 1).into_iter().next()
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
    old: CompiledPolicy,
    new: CompiledPolicy,
    allow_all: CompiledPolicy,
    role: PolicyRole,
}

impl Replay {
    pub(crate) fn new(old: &Policy, new: &Policy, role: PolicyRole) -> Replay {
        let allow_all = warden_policy::parse_policy(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
        )
        .policy
        .map(|p| CompiledPolicy::compile(&p));
        Replay {
            old: CompiledPolicy::compile(old),
            new: CompiledPolicy::compile(new),
            allow_all: allow_all.unwrap_or_else(|| CompiledPolicy::compile(old)),
            role,
        }
    }

    fn decide(&self, policy: &CompiledPolicy, w: &WitnessRequest) -> Decision {
        let mut ctx = RequestContext::new();
        for (k, v) in &w.context {
            ctx.insert(k, v.clone());
        }
        let mut request = Request::with_caller(Caller::parse(&w.principal), &w.action, &w.resource, ctx);
        request.resource_account.clone_from(&w.resource_account);
        let set = match self.role {
            PolicyRole::Identity => PolicySet {
                identity: vec![policy],
                ..PolicySet::default()
            },
            PolicyRole::Resource => PolicySet {
                identity: vec![&self.allow_all],
                resource: Some(policy),
                ..PolicySet::default()
            },
            PolicyRole::Scp => PolicySet {
                identity: vec![&self.allow_all],
                scp_levels: vec![vec![policy]],
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
