//! The readable difference: for each class of actions either policy
//! allows, whether NEW added, removed, widened or narrowed access to it,
//! with an example request.
//!
//! With policy variables the summary is computed for one generic value of
//! each (the exact yes/no answer is [`crate::compare`]'s).

use std::collections::BTreeMap;

use warden_policy::Policy;

use crate::bits::Bits;
use crate::encode;
use crate::problem::{Problem, Side};
use crate::search::{Budget, Domain, Values, find};
use crate::slice::DimCache;
use crate::variables;
use crate::verdict::{ActionChange, ChangeKind, Changes, DiffOptions};
use crate::witness::{self, Replay};

/// See [`crate::changes`].
pub(crate) fn changes(old: &Policy, new: &Policy, options: &DiffOptions) -> Changes {
    let keys = variables::keys(&[old, new]);
    let assignment = variables::assignments(&keys, &[old, new])
        .into_iter()
        .next()
        .filter(|a| !a.is_empty());
    let sym = match encode::build(old, new, options.role, options.known_actions, assignment.as_deref(), &[]) {
        Ok(s) => s,
        Err(reason) => {
            return Changes {
                entries: Vec::new(),
                unknown: Some(reason),
            };
        }
    };
    let replay = Replay::new(old, new, options.role);
    let mut budget = Budget::new(options.deadline);
    let mut cache = DimCache::default();
    let nothing = Side::default();
    let mut merged: BTreeMap<(String, String, ChangeKind), ActionChange> = BTreeMap::new();
    let mut unknown: Option<String> = None;
    for slice in sym.slices() {
        let problem = match sym.problem(&slice, &mut cache) {
            Ok(p) => p,
            Err(reason) => {
                unknown.get_or_insert(reason);
                continue;
            }
        };
        let Some(d) = Domain::initial(&problem) else {
            continue;
        };
        let mut ask = |a: &Side, b: &Side| find(a, b, &d, &mut budget);
        let (Ok(added), Ok(removed), Ok(new_any), Ok(old_any)) = (
            ask(&problem.new, &problem.old),
            ask(&problem.old, &problem.new),
            ask(&problem.new, &nothing),
            ask(&problem.old, &nothing),
        ) else {
            unknown = Some("the time limit expired before the summary was complete".into());
            break;
        };
        let found = [
            (added, if old_any.is_some() { ChangeKind::Widened } else { ChangeKind::Added }, true),
            (removed, if new_any.is_some() { ChangeKind::Narrowed } else { ChangeKind::Removed }, false),
        ];
        for (found, kind, new_grants) in found {
            let Some((domain, _)) = found else { continue };
            for c in slice.cells.iter() {
                let (service, label, known) = describe(&problem, c, options.known_actions);
                let key = (service.clone(), label.clone(), kind);
                if !merged.contains_key(&key) {
                    let mut one = domain.clone();
                    let mut only = Bits::empty(sym.action_cells.len());
                    only.insert(c);
                    if let Some(Values::Cells(b)) = one.0.get_mut(0) {
                        *b = only;
                    }
                    let example = witness::build(&problem, &one, options.role);
                    if let Err(bug) = replay.check(&example, new_grants) {
                        unknown = Some(bug);
                    }
                    merged.insert(
                        key.clone(),
                        ActionChange {
                            service,
                            action: label,
                            known_actions: Vec::new(),
                            kind,
                            example,
                        },
                    );
                }
                if let Some(entry) = merged.get_mut(&key) {
                    for a in known {
                        if !entry.known_actions.contains(&a) {
                            entry.known_actions.push(a);
                        }
                    }
                }
            }
        }
    }
    if unknown.is_none() && sym.has_variables && !keys.is_empty() {
        unknown = Some(format!(
            "computed with policy variables at example values ({})",
            keys.join(", ")
        ));
    }
    Changes {
        entries: merged.into_values().collect(),
        unknown,
    }
}

/// Service, label and catalog actions of an action cell: the literal
/// action when the cell is one, else the most specific pattern matching it.
fn describe(problem: &Problem, c: usize, known_actions: bool) -> (String, String, Vec<String>) {
    let Some(cell) = problem.sym.action_cells.get(c) else {
        return ("*".into(), "*".into(), Vec::new());
    };
    let service = if cell.named { cell.service.clone() } else { "*".into() };
    let ids: Vec<usize> = cell.matches.iter().collect();
    if let Some(&lit) = ids.iter().find(|&&i| problem.sym.actions.is_literal(i)) {
        return (service, problem.sym.actions.raw(lit).to_string(), Vec::new());
    }
    let label = ids
        .iter()
        .map(|&i| problem.sym.actions.raw(i))
        .filter(|r| *r != "*")
        .max_by_key(|r| r.len())
        .map(str::to_string)
        .unwrap_or_else(|| {
            if cell.named {
                format!("{}:*", cell.service)
            } else {
                "*".into()
            }
        });
    let known = if known_actions {
        cell.catalog.iter().take(20).cloned().collect()
    } else if cell.named {
        problem.sym.actions.catalog_actions(cell, 20)
    } else {
        Vec::new()
    };
    (service, label, known)
}
