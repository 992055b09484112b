//! The readable difference: for each class of actions either policy
//! allows, whether NEW added, removed, widened or narrowed access to it,
//! with an example request.
//!
//! With policy variables the summary is computed for one generic value of
//! each (the exact yes/no answer is [`crate::compare`]'s).

use std::collections::{BTreeMap, HashMap};

use warden_policy::Policy;

use crate::bits::Bits;
use crate::budget::Budget;
use crate::encode;
use crate::problem::{Problem, Side};
use crate::replay::Replay;
use crate::search::{Domain, Values, find};
use crate::slice::DimCache;
use crate::unknown::Unknown;
use crate::variables;
use crate::verdict::{ActionChange, ChangeKind, Changes, DiffOptions, PolicyStack};
use crate::witness;

/// See [`crate::changes`].
pub(crate) fn changes(
    old: &PolicyStack<'_>,
    new: &PolicyStack<'_>,
    options: &DiffOptions,
    budget: &Budget,
) -> Changes {
    let all: Vec<&Policy> = old.all().into_iter().chain(new.all()).collect();
    let keys = variables::keys(&all);
    let assignment = variables::assignments(&keys, &all)
        .into_iter()
        .next()
        .filter(|a| !a.is_empty());
    let sym = match encode::build(
        old,
        new,
        options.role,
        options.known_actions,
        assignment.as_deref(),
        &[],
        None,
        budget,
    ) {
        Ok(s) => s,
        Err(reason) => {
            return Changes {
                entries: Vec::new(),
                unknown: Some(reason),
            };
        }
    };
    let replay = Replay::new(old, new, options.role);
    let mut cache = DimCache::default();
    let nothing = Side::nothing();
    let literals = literals_by_cell(&sym);
    let mut merged: BTreeMap<(String, String, ChangeKind), ActionChange> = BTreeMap::new();
    let mut unknown: Option<Unknown> = None;
    for slice in sym.slices() {
        let problem = match sym.problem(&slice, &mut cache, budget) {
            Ok(p) => p,
            Err(reason) => {
                unknown.get_or_insert(reason);
                continue;
            }
        };
        let Some(d) = Domain::initial(&problem) else {
            continue;
        };
        let ask = |a: &Side, b: &Side| find(a, b, &d, budget);
        let (Ok(added), Ok(removed), Ok(new_any), Ok(old_any)) = (
            ask(&problem.new, &problem.old),
            ask(&problem.old, &problem.new),
            ask(&problem.new, &nothing),
            ask(&problem.old, &nothing),
        ) else {
            unknown = Some(Unknown::SummaryTimeout);
            break;
        };
        let found = [
            (
                added,
                if old_any.is_some() {
                    ChangeKind::Widened
                } else {
                    ChangeKind::Added
                },
                true,
            ),
            (
                removed,
                if new_any.is_some() {
                    ChangeKind::Narrowed
                } else {
                    ChangeKind::Removed
                },
                false,
            ),
        ];
        for (found, kind, new_grants) in found {
            let Some((domain, _)) = found else { continue };
            for c in slice.cells.iter() {
                for (service, label, action, known) in
                    describe(&problem, c, &literals, options.known_actions)
                {
                    let key = (service.clone(), label.clone(), kind);
                    if !merged.contains_key(&key) {
                        let mut one = domain.clone();
                        let mut only = Bits::empty(sym.action_cells.len());
                        only.insert(c);
                        if let Some(Values::Cells(b)) = one.0.get_mut(0) {
                            *b = only;
                        }
                        let mut example = witness::build(&problem, &one, options.role);
                        if let Some(a) = action {
                            example.action = a;
                        }
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
    }
    if unknown.is_none() && sym.has_variables && !keys.is_empty() {
        unknown = Some(Unknown::ExampleVariableValues { keys });
    }
    Changes {
        entries: merged.into_values().collect(),
        unknown,
    }
}

/// The literal actions of the policies, by the cell they fall in.
fn literals_by_cell(sym: &crate::encode::Symbolic) -> HashMap<Bits, Vec<usize>> {
    let mut out: HashMap<Bits, Vec<usize>> = HashMap::new();
    for id in (0..sym.actions.pattern_count()).filter(|&i| sym.actions.is_literal(i)) {
        let raw = sym.actions.raw(id).to_ascii_lowercase();
        if let Some((service, name)) = raw.split_once(':') {
            out.entry(sym.actions.membership(service, name))
                .or_default()
                .push(id);
        }
    }
    out
}

/// Entries for an action cell: each literal action of the policies in it,
/// and, when the cell holds other actions, the most specific pattern that
/// matches them. Each: service, label, the action for the example (when
/// not the cell's own witness), catalog actions.
fn describe(
    problem: &Problem<'_>,
    c: usize,
    literals: &HashMap<Bits, Vec<usize>>,
    known_actions: bool,
) -> Vec<(String, String, Option<String>, Vec<String>)> {
    let actions = &problem.sym.actions;
    let Some(cell) = problem.sym.action_cells.get(c) else {
        return Vec::new();
    };
    let service = if cell.named {
        cell.service.clone()
    } else {
        "*".into()
    };
    let mut out = Vec::new();
    let lits = literals.get(&cell.matches).cloned().unwrap_or_default();
    for &id in &lits {
        let raw = actions.raw(id).to_string();
        out.push((service.clone(), raw.clone(), Some(raw), Vec::new()));
    }
    let witness = format!("{}:{}", cell.service, cell.name);
    let is_literal = lits
        .iter()
        .any(|&id| actions.raw(id).eq_ignore_ascii_case(&witness));
    if is_literal {
        return out;
    }
    let hits = actions.pattern_membership(&cell.service, &cell.name.to_ascii_lowercase());
    let label = hits
        .iter()
        .map(|&i| actions.raw(i))
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
    let mut known = if known_actions {
        cell.catalog.iter().take(40).cloned().collect()
    } else if cell.named {
        actions.catalog_actions(cell, 40)
    } else {
        Vec::new()
    };
    known.retain(|a| {
        !lits
            .iter()
            .any(|&id| actions.raw(id).eq_ignore_ascii_case(a))
    });
    known.truncate(20);
    out.push((service, label, None, known));
    out
}
