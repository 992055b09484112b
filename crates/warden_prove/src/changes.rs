//! The readable difference: for each action either policy allows, and for
//! each class of actions no policy lists by name, whether NEW added,
//! removed, widened or narrowed access to it, with an example request.
//!
//! An action cell of the prover is a class of `service:name` strings that
//! every `Action` element treats alike, and one class can hold actions of
//! several services (`iam:*`, `organizations:*` and `account:*` are one
//! class for `NotAction: [iam:*, organizations:*, account:*]` against
//! `*`). The list names each service apart: one entry per literal action
//! of the policies under its own service, and per service one entry for
//! the rest of the class, labelled with the most specific pattern that
//! matches it, with every catalog action it holds. Services no pattern
//! names share one entry under `*`. Each entry's example uses that
//! entry's own action, so its resource is of that action's resource type.
//!
//! With policy variables the summary is computed for one generic value of
//! each (the exact yes/no answer is [`crate::compare`]'s).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use warden_policy::Policy;

use crate::actions::{ActionCell, CellService};
use crate::bits::Bits;
use crate::budget::Budget;
use crate::encode::{self, Symbolic};
use crate::problem::{Problem, Side};
use crate::replay::Replay;
use crate::search::{Domain, Values, find};
use crate::slice::DimCache;
use crate::unknown::Unknown;
use crate::variables;
use crate::verdict::{ActionChange, ChangeKind, Changes, DiffOptions, PolicyStack};
use crate::witness;

/// Catalog actions listed in the entry for services no pattern names (the
/// count is always the true one).
pub(crate) const OTHER_SERVICES_LISTED: usize = 100;

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
    let mut list = List {
        sym: &sym,
        replay: Replay::new(old, new, options.role),
        options,
        budget,
        literals: literals_by_cell(&sym, &all, options.known_actions),
        written: written_patterns(&all),
        described: HashMap::new(),
        merged: BTreeMap::new(),
        unknown: None,
    };
    list.run();
    let mut unknown = list.unknown;
    if unknown.is_none() && sym.has_variables && !keys.is_empty() {
        unknown = Some(Unknown::ExampleVariableValues { keys });
    }
    Changes {
        entries: list.merged.into_values().collect(),
        unknown,
    }
}

/// One entry of an action cell, before it has an example.
#[derive(Clone, Debug)]
struct Described {
    /// The service, lowercase, or `*` for services no pattern names.
    service: String,
    /// The literal action, or the pattern labelling the class.
    label: String,
    /// The action of the example request.
    example_action: String,
    /// The catalog actions of the class (the first
    /// [`OTHER_SERVICES_LISTED`] for `*`), and how many there are.
    known: Vec<String>,
    known_count: usize,
}

/// The list being built.
struct List<'a> {
    sym: &'a Symbolic,
    replay: Replay,
    options: &'a DiffOptions,
    budget: &'a Budget,
    /// Literal actions of the policies (service, as written), by the
    /// block membership of their cell.
    literals: HashMap<Bits, Vec<(String, String)>>,
    /// The action patterns the policies write, lowercase (the prover adds
    /// its own: `sts:GetCallerIdentity`, KMS operations).
    written: BTreeSet<String>,
    /// The entries of each action cell, computed once.
    described: HashMap<usize, Vec<Described>>,
    merged: BTreeMap<(String, String, ChangeKind), ActionChange>,
    unknown: Option<Unknown>,
}

impl List<'_> {
    fn run(&mut self) {
        let sym = self.sym;
        let budget = self.budget;
        let mut cache = DimCache::default();
        let nothing = Side::nothing();
        for slice in sym.slices() {
            let problem = match sym.problem(&slice, &mut cache, budget) {
                Ok(p) => p,
                Err(Unknown::Timeout) => {
                    self.unknown = Some(Unknown::SummaryTimeout);
                    return;
                }
                Err(reason) => {
                    self.unknown.get_or_insert(reason);
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
                self.unknown = Some(Unknown::SummaryTimeout);
                return;
            };
            let widened = old_any.is_some();
            let narrowed = new_any.is_some();
            let found = [
                (added, kind(widened, ChangeKind::Widened, ChangeKind::Added)),
                (
                    removed,
                    kind(narrowed, ChangeKind::Narrowed, ChangeKind::Removed),
                ),
            ];
            for (found, kind) in found {
                let Some((domain, _)) = found else { continue };
                for c in slice.cells.iter() {
                    if !self.list_cell(&problem, &domain, c, kind) {
                        self.unknown = Some(Unknown::SummaryTimeout);
                        return;
                    }
                }
            }
        }
    }

    /// Lists the entries of action cell `c` as changed by `kind`, with
    /// examples from `domain`. False when the deadline passed.
    fn list_cell(
        &mut self,
        problem: &Problem<'_>,
        domain: &Domain,
        c: usize,
        kind: ChangeKind,
    ) -> bool {
        if self.budget.expired() {
            return false;
        }
        if !self.described.contains_key(&c) {
            let Some(entries) = self.describe(c) else {
                return false;
            };
            self.described.insert(c, entries);
        }
        let entries = self.described.get(&c).cloned().unwrap_or_default();
        let new_grants = matches!(kind, ChangeKind::Added | ChangeKind::Widened);
        for e in entries {
            let key = (e.service.clone(), e.label.clone(), kind);
            if let Some(entry) = self.merged.get_mut(&key) {
                // Another cell with the same label: classes are disjoint,
                // so their catalog actions add up.
                entry.known_action_count += e.known_count;
                let room = OTHER_SERVICES_LISTED.saturating_sub(entry.known_actions.len());
                let limit = if e.service == "*" { room } else { usize::MAX };
                entry.known_actions.extend(e.known.into_iter().take(limit));
                continue;
            }
            let mut one = domain.clone();
            let mut only = Bits::empty(self.sym.action_cells.len());
            only.insert(c);
            if let Some(Values::Cells(b)) = one.0.get_mut(0) {
                *b = only;
            }
            let example =
                witness::build_for(problem, &one, self.options.role, Some(&e.example_action));
            if let Err(bug) = self.replay.check(&example, new_grants) {
                self.unknown = Some(bug);
            }
            self.merged.insert(
                key,
                ActionChange {
                    service: e.service,
                    action: e.label,
                    known_actions: e.known,
                    known_action_count: e.known_count,
                    kind,
                    example,
                },
            );
        }
        true
    }

    /// The entries of action cell `c`: each literal action of the policies
    /// in it, under its own service; then per service with other actions
    /// in the class, one entry labelled with the most specific pattern
    /// matching them. `None` when the deadline passed.
    fn describe(&self, c: usize) -> Option<Vec<Described>> {
        let cell = self.sym.action_cells.get(c)?;
        let lits = self.literals.get(&cell.matches);
        let mut out: Vec<Described> = lits
            .into_iter()
            .flatten()
            .map(|(service, raw)| Described {
                service: service.clone(),
                label: raw.clone(),
                example_action: raw.clone(),
                known: Vec::new(),
                known_count: 0,
            })
            .collect();
        let is_literal = |action: &str| {
            lits.into_iter()
                .flatten()
                .any(|(_, raw)| raw.eq_ignore_ascii_case(action))
        };
        for member in cell.services() {
            let mut known = self.known_actions(cell, &member)?;
            known.retain(|a| !is_literal(a));
            let own = format!("{}:{}", member.service, member.name);
            // The class holds more than the literals when a catalog action
            // or its own shortest witness is not one of them (with
            // `known_actions`, only catalog actions count).
            let example_action = match known.first() {
                Some(a) => a.clone(),
                None if !self.options.known_actions && !is_literal(&own) => own,
                None => continue,
            };
            // A service only the prover's own patterns name
            // (`sts:GetCallerIdentity`, KMS operations) is listed with the
            // services no policy names.
            let named = member.named && self.names_service(&member.service);
            let known_count = known.len();
            if !named {
                known.truncate(OTHER_SERVICES_LISTED);
            }
            out.push(Described {
                service: if named {
                    member.service.clone()
                } else {
                    "*".into()
                },
                label: self.label(&example_action, &member, named),
                example_action,
                known,
                known_count,
            });
        }
        Some(out)
    }

    /// The catalog actions of `member`'s part of `cell`.
    fn known_actions(&self, cell: &ActionCell, member: &CellService) -> Option<Vec<String>> {
        if !self.options.known_actions {
            return self
                .sym
                .actions
                .class_actions(member, &cell.matches, self.budget);
        }
        // The catalog cells list their actions, across services.
        let named = |prefix: &str| {
            cell.services()
                .any(|s| s.named && s.service.eq_ignore_ascii_case(prefix))
        };
        Some(
            cell.catalog
                .iter()
                .filter(|a| {
                    let prefix = a.split_once(':').map_or("", |(p, _)| p);
                    if member.named {
                        prefix.eq_ignore_ascii_case(&member.service)
                    } else {
                        !named(prefix)
                    }
                })
                .cloned()
                .collect(),
        )
    }

    /// The most specific pattern of the policies matching `example`, an
    /// action of `member`'s part of the class that is not a literal of the
    /// policies (`service:*` or `*` when only `*` does).
    fn label(&self, example: &str, member: &CellService, named: bool) -> String {
        let actions = &self.sym.actions;
        let lower = example.to_ascii_lowercase();
        let (service, name) = lower.split_once(':').unwrap_or(("", ""));
        let hits = actions.pattern_membership(service, name);
        // Under `*`, only patterns that leave the service open.
        let fits = |r: &str| {
            r != "*"
                && self.written.contains(&r.to_ascii_lowercase())
                && (named
                    || r.split_once(':')
                        .is_some_and(|(s, _)| s.contains(['*', '?'])))
        };
        hits.iter()
            .map(|&i| actions.raw(i))
            .filter(|r| fits(r))
            .max_by_key(|r| r.len())
            .map(str::to_string)
            .unwrap_or_else(|| {
                if named {
                    format!("{}:*", member.service)
                } else {
                    "*".into()
                }
            })
    }
}

impl List<'_> {
    /// Whether a pattern the policies write names `service` literally.
    fn names_service(&self, service: &str) -> bool {
        self.written
            .iter()
            .any(|p| p.split_once(':').is_some_and(|(s, _)| s == service))
    }
}

/// The action patterns of `policies` (in `Action` and `NotAction`),
/// lowercase.
fn written_patterns(policies: &[&Policy]) -> BTreeSet<String> {
    policies
        .iter()
        .flat_map(|p| p.statements())
        .filter_map(|s| s.action.as_ref())
        .flat_map(|a| &a.items)
        .map(|i| i.raw.to_ascii_lowercase())
        .collect()
}

/// `widened` when `was` (the other side allowed some of the slice), else
/// `added`.
fn kind(was: bool, widened: ChangeKind, added: ChangeKind) -> ChangeKind {
    if was { widened } else { added }
}

/// The literal actions the policies list (service lowercase, action as
/// first written), by the block membership of the cell they fall in. With
/// `known_actions`, only catalog actions (the others are outside the
/// request space).
fn literals_by_cell(
    sym: &Symbolic,
    policies: &[&Policy],
    known_actions: bool,
) -> HashMap<Bits, Vec<(String, String)>> {
    let catalog = warden_catalog::Catalog::get();
    let mut out: HashMap<Bits, Vec<(String, String)>> = HashMap::new();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let items = policies
        .iter()
        .flat_map(|p| p.statements())
        .filter_map(|s| s.action.as_ref())
        .flat_map(|a| &a.items);
    for item in items {
        let raw = item.raw.as_str();
        let lower = raw.to_ascii_lowercase();
        if lower.contains(['*', '?']) || (known_actions && catalog.action(raw).is_none()) {
            continue;
        }
        if let Some((service, name)) = lower.split_once(':')
            && seen.insert(lower.clone())
        {
            out.entry(sym.actions.membership(service, name))
                .or_default()
                .push((service.to_string(), raw.to_string()));
        }
    }
    out
}
