//! The action dimension, sliced by service.
//!
//! An action is `service:name`, both parts without `:` and compared
//! ignoring case. Almost every pattern names its service literally, so the
//! cells are computed per named service, plus one family of cells for the
//! services no pattern names (told apart only by the patterns whose service
//! part has wildcards). Cells tell *blocks* apart (the pattern lists of
//! `Action` elements), not single patterns: a statement listing twenty
//! overlapping globs is one union, which keeps the cells few.
//!
//! `sts:GetCallerIdentity` is outside the space: AWS allows it whatever the
//! policies say, so it can never be a difference. With `known_actions` the
//! space is the embedded service catalog instead of all strings, and each
//! cell lists the catalog actions it holds.

use std::collections::BTreeSet;

use crate::glob::FxMap as HashMap;

use warden_policy::action::ActionPattern;
use warden_policy::glob::glob_match;

use crate::bits::Bits;
use crate::budget::{Budget, Stop};
use crate::glob::{Glob, explore_unions};

/// The action patterns of the compared policies, and their blocks.
#[derive(Debug, Default)]
pub(crate) struct ActionSpace {
    pats: Vec<Pat>,
    index: HashMap<String, usize>,
    /// Pattern ids by literal service.
    by_service: HashMap<String, Vec<usize>>,
    /// Ids of `*` and of patterns whose service has wildcards.
    unscoped: Vec<usize>,
    blocks: Vec<Vec<usize>>,
    block_index: HashMap<Vec<usize>, usize>,
    /// Per pattern id, the blocks holding it.
    blocks_of: Vec<Vec<usize>>,
}

#[derive(Debug)]
struct Pat {
    /// Lowercase service part; `None` for `*`.
    service: Option<String>,
    /// Lowercase name part.
    name: String,
    /// As first written.
    raw: String,
}

/// One class of actions every block treats alike.
#[derive(Clone, Debug)]
pub(crate) struct ActionCell {
    /// The service of the witness, lowercase.
    pub service: String,
    /// Whether some pattern names the service literally.
    pub named: bool,
    /// The name of the witness.
    pub name: String,
    /// Which blocks match the actions of the cell.
    pub matches: Bits,
    /// With `known_actions`: the catalog actions of the cell.
    pub catalog: Vec<String>,
    /// Other services with actions in the class (every block treats them
    /// like the witness, so the prover needs one cell; the list of changes
    /// names each service): named services each, and at most one service
    /// no pattern names.
    pub also: Vec<CellService>,
}

/// A service with actions in an [`ActionCell`], and one of them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct CellService {
    /// The service, lowercase.
    pub service: String,
    /// Whether some pattern names the service literally.
    pub named: bool,
    /// The name of an action of the service in the class.
    pub name: String,
}

impl ActionCell {
    /// Every service with actions in the class: the witness's first.
    pub(crate) fn services(&self) -> impl Iterator<Item = CellService> + '_ {
        std::iter::once(CellService {
            service: self.service.clone(),
            named: self.named,
            name: self.name.clone(),
        })
        .chain(self.also.iter().cloned())
    }

    /// Records that `other` also has actions in the class (once per named
    /// service, once for all services no pattern names).
    fn add_service(&mut self, other: CellService) {
        let known = |named: bool, service: &str| {
            if other.named {
                named && service == other.service
            } else {
                !named
            }
        };
        if !known(self.named, &self.service)
            && !self.also.iter().any(|s| known(s.named, &s.service))
        {
            self.also.push(other);
        }
    }
}

fn wild(s: &str) -> bool {
    s.contains(['*', '?'])
}

/// The block of `sts:GetCallerIdentity` (always block 0).
pub(crate) const CALLER_IDENTITY_BLOCK: usize = 0;

impl ActionSpace {
    pub(crate) fn new() -> ActionSpace {
        let mut space = ActionSpace::default();
        let id = space.intern(
            &ActionPattern::Scoped {
                service: "sts".into(),
                name: "getcalleridentity".into(),
            },
            "sts:GetCallerIdentity",
        );
        space.block(vec![id]);
        space
    }

    /// The id of a pattern, registering it on first sight.
    pub(crate) fn intern(&mut self, pattern: &ActionPattern, raw: &str) -> usize {
        let key = raw.to_ascii_lowercase();
        if let Some(&i) = self.index.get(&key) {
            return i;
        }
        let pat = match pattern {
            ActionPattern::Any => Pat {
                service: None,
                name: "*".into(),
                raw: raw.to_string(),
            },
            ActionPattern::Scoped { service, name } => Pat {
                service: Some(service.to_ascii_lowercase()),
                name: name.to_ascii_lowercase(),
                raw: raw.to_string(),
            },
        };
        let id = self.pats.len();
        match pat.service.as_deref() {
            Some(s) if !wild(s) => self.by_service.entry(s.to_string()).or_default().push(id),
            _ => self.unscoped.push(id),
        }
        self.pats.push(pat);
        self.index.insert(key, id);
        id
    }

    /// The id of a block (a list of pattern ids), registering it.
    pub(crate) fn block(&mut self, mut ids: Vec<usize>) -> usize {
        ids.sort_unstable();
        ids.dedup();
        let n = self.blocks.len();
        let id = *self.block_index.entry(ids.clone()).or_insert(n);
        if id == n {
            for &p in &ids {
                if self.blocks_of.len() <= p {
                    self.blocks_of.resize_with(p + 1, Vec::new);
                }
                if let Some(list) = self.blocks_of.get_mut(p) {
                    list.push(id);
                }
            }
            self.blocks.push(ids);
        }
        id
    }

    /// The pattern as first written.
    pub(crate) fn raw(&self, id: usize) -> &str {
        self.pats.get(id).map_or("", |p| p.raw.as_str())
    }

    /// Number of patterns.
    pub(crate) fn pattern_count(&self) -> usize {
        self.pats.len()
    }

    /// Number of blocks.
    pub(crate) fn block_count(&self) -> usize {
        self.blocks.len()
    }

    fn named_services(&self) -> BTreeSet<&str> {
        self.pats
            .iter()
            .filter_map(|p| p.service.as_deref())
            .filter(|s| !wild(s))
            .collect()
    }

    fn pattern_matches(p: &Pat, service: &str, name: &str) -> bool {
        match &p.service {
            None => true,
            Some(s) => {
                (s == service || (wild(s) && glob_match(s, service)))
                    && (p.name == name || (wild(&p.name) && glob_match(&p.name, name)))
            }
        }
    }

    /// Which patterns match the action `service:name` (both lowercase).
    pub(crate) fn pattern_membership(&self, service: &str, name: &str) -> Vec<usize> {
        let own = self.by_service.get(service).map_or(&[][..], Vec::as_slice);
        let mut hits: Vec<usize> = own
            .iter()
            .chain(&self.unscoped)
            .copied()
            .filter(|&i| {
                self.pats
                    .get(i)
                    .is_some_and(|p| Self::pattern_matches(p, service, name))
            })
            .collect();
        hits.sort_unstable();
        hits
    }

    /// Which blocks match the action `service:name` (both lowercase).
    pub(crate) fn membership(&self, service: &str, name: &str) -> Bits {
        let hits = self.pattern_membership(service, name);
        let mut bits = Bits::empty(self.blocks.len());
        for b in hits.iter().filter_map(|&p| self.blocks_of.get(p)).flatten() {
            bits.insert(*b);
        }
        bits
    }

    /// Whether only `*` patterns can match actions of `service`.
    fn only_any(&self, service: &str) -> bool {
        !self.by_service.contains_key(service)
            && !self.unscoped.iter().any(|&i| {
                self.pats
                    .get(i)
                    .and_then(|p| p.service.as_deref())
                    .is_some_and(|s| glob_match(s, service))
            })
    }

    /// The cells of the action space (`sts:GetCallerIdentity` left out).
    pub(crate) fn cells(
        &self,
        known_actions: bool,
        budget: &Budget,
    ) -> Result<Vec<ActionCell>, Stop> {
        let mut cells = if known_actions {
            self.catalog_cells(budget)?
        } else {
            self.string_cells(budget)?
        };
        cells.retain(|c| !c.matches.contains(CALLER_IDENTITY_BLOCK));
        Ok(cells)
    }

    fn string_cells(&self, budget: &Budget) -> Result<Vec<ActionCell>, Stop> {
        let named = self.named_services();
        // Name globs once per pattern, and (block, pattern) pairs bucketed
        // by literal service, so each service looks only at its own.
        let name_globs: Vec<Glob> = self
            .pats
            .iter()
            .map(|p| Glob::wildcard(&p.name, true))
            .collect();
        let mut by_service: HashMap<&str, Vec<(usize, usize)>> = HashMap::default();
        let mut any: Vec<(usize, usize)> = Vec::new();
        let mut wild_service: Vec<(usize, usize)> = Vec::new();
        for (b, ids) in self.blocks.iter().enumerate() {
            for &i in ids {
                match self.pats.get(i).and_then(|p| p.service.as_deref()) {
                    None => any.push((b, i)),
                    Some(s) if wild(s) => wild_service.push((b, i)),
                    Some(s) => by_service.entry(s).or_default().push((b, i)),
                }
            }
        }
        let unions_of = |pairs: &mut dyn Iterator<Item = (usize, usize)>| -> Vec<Vec<&Glob>> {
            let mut unions: Vec<Vec<&Glob>> = vec![Vec::new(); self.blocks.len()];
            for (b, i) in pairs {
                if let (Some(u), Some(g)) = (unions.get_mut(b), name_globs.get(i)) {
                    u.push(g);
                }
            }
            unions
        };
        let mut out: Vec<ActionCell> = Vec::new();
        let mut seen: HashMap<Bits, usize> = HashMap::default();
        // One cell per class; a class found again in another service
        // records that service on the cell.
        let mut push = |out: &mut Vec<ActionCell>, cell: ActionCell| match seen
            .get(&cell.matches)
            .and_then(|&k| out.get_mut(k))
        {
            Some(first) => first.add_service(CellService {
                service: cell.service,
                named: cell.named,
                name: cell.name,
            }),
            None => {
                seen.insert(cell.matches.clone(), out.len());
                out.push(cell);
            }
        };
        for service in &named {
            let own = by_service.get(service).map_or(&[][..], Vec::as_slice);
            let mut pairs = own
                .iter()
                .chain(&any)
                .chain(wild_service.iter().filter(|(_, i)| {
                    self.pats
                        .get(*i)
                        .and_then(|p| p.service.as_deref())
                        .is_some_and(|s| glob_match(s, service))
                }))
                .copied();
            let unions = unions_of(&mut pairs);
            for f in explore_unions(&unions, &[':'], true, budget)? {
                push(
                    &mut out,
                    ActionCell {
                        service: service.to_string(),
                        named: true,
                        name: f.witness,
                        matches: f.matches,
                        catalog: Vec::new(),
                        also: Vec::new(),
                    },
                );
            }
        }
        // Services no pattern names: told apart by the wildcard service
        // globs; named services are excluded by literal globs.
        let wild_ids: Vec<usize> = {
            let mut v: Vec<usize> = wild_service.iter().map(|(_, i)| *i).collect();
            v.sort_unstable();
            v.dedup();
            v
        };
        let mut service_globs: Vec<Glob> = wild_ids
            .iter()
            .filter_map(|&i| self.pats.get(i).and_then(|p| p.service.as_deref()))
            .map(|s| Glob::wildcard(s, true))
            .collect();
        let first_named = service_globs.len();
        service_globs.extend(named.iter().map(|s| Glob::literal(s, true)));
        let service_unions: Vec<Vec<&Glob>> = service_globs.iter().map(|g| vec![g]).collect();
        for sf in explore_unions(&service_unions, &[':'], true, budget)? {
            if (first_named..service_globs.len()).any(|k| sf.matches.contains(k)) {
                continue;
            }
            let active: Vec<usize> = wild_ids
                .iter()
                .enumerate()
                .filter(|(k, _)| sf.matches.contains(*k))
                .map(|(_, &i)| i)
                .collect();
            let mut pairs = any
                .iter()
                .chain(wild_service.iter().filter(|(_, i)| active.contains(i)))
                .copied();
            let unions = unions_of(&mut pairs);
            let service = readable_service(&sf.witness, &service_globs, &sf.matches);
            for f in explore_unions(&unions, &[':'], true, budget)? {
                push(
                    &mut out,
                    ActionCell {
                        service: service.clone(),
                        named: false,
                        name: f.witness,
                        matches: f.matches,
                        catalog: Vec::new(),
                        also: Vec::new(),
                    },
                );
            }
        }
        Ok(out)
    }

    fn catalog_cells(&self, budget: &Budget) -> Result<Vec<ActionCell>, Stop> {
        let catalog = warden_catalog::Catalog::get();
        let named = self.named_services();
        let mut out: Vec<ActionCell> = Vec::new();
        let mut by_bits: HashMap<Bits, usize> = HashMap::default();
        for service in catalog.services() {
            // Each action is matched against every block: with thousands
            // of statements the catalog takes seconds.
            if budget.expired() {
                return Err(Stop::Deadline);
            }
            let prefix = service.prefix();
            let only_any = self.only_any(prefix);
            let mut shared: Option<Bits> = None;
            for action in service.actions() {
                let name = action.name();
                let bits = match &shared {
                    Some(b) => b.clone(),
                    None => {
                        let b = self.membership(prefix, &name.to_ascii_lowercase());
                        if only_any {
                            shared = Some(b.clone());
                        }
                        b
                    }
                };
                let full = format!("{prefix}:{name}");
                match by_bits.get(&bits).and_then(|&c| out.get_mut(c)) {
                    Some(cell) => {
                        if cell.service != prefix {
                            cell.add_service(CellService {
                                service: prefix.to_string(),
                                named: named.contains(prefix),
                                name: name.to_string(),
                            });
                        }
                        cell.catalog.push(full);
                    }
                    None => {
                        by_bits.insert(bits.clone(), out.len());
                        out.push(ActionCell {
                            service: prefix.to_string(),
                            named: named.contains(prefix),
                            name: name.to_string(),
                            matches: bits,
                            catalog: vec![full],
                            also: Vec::new(),
                        });
                    }
                }
            }
        }
        Ok(out)
    }

    /// Every catalog action of `service`'s part of the class `matches`
    /// (for a service no pattern names: of all such services), in catalog
    /// order. `None` when the deadline passed.
    pub(crate) fn class_actions(
        &self,
        service: &CellService,
        matches: &Bits,
        budget: &Budget,
    ) -> Option<Vec<String>> {
        let catalog = warden_catalog::Catalog::get();
        let services: Vec<warden_catalog::Service<'_>> = if service.named {
            catalog.service(&service.service).into_iter().collect()
        } else {
            let named = self.named_services();
            catalog
                .services()
                .filter(|s| !named.contains(s.prefix()))
                .collect()
        };
        let mut found = Vec::new();
        for s in services {
            if budget.expired() {
                return None;
            }
            let prefix = s.prefix();
            // Where only `*` can match, every action of the service is in
            // the same class.
            let shared = self
                .only_any(prefix)
                .then(|| s.actions().next())
                .flatten()
                .map(|a| self.membership(prefix, &a.name().to_ascii_lowercase()) == *matches);
            for action in s.actions() {
                let name = action.name();
                let inside = match shared {
                    Some(inside) => inside,
                    None => self.membership(prefix, &name.to_ascii_lowercase()) == *matches,
                };
                if inside {
                    found.push(format!("{prefix}:{name}"));
                }
            }
        }
        Some(found)
    }

    /// Catalog actions of `cell` (for a readable witness and for reports).
    pub(crate) fn catalog_actions(&self, cell: &ActionCell, limit: usize) -> Vec<String> {
        let catalog = warden_catalog::Catalog::get();
        let mut found = Vec::new();
        let services: Vec<warden_catalog::Service<'_>> = if cell.named {
            catalog.service(&cell.service).into_iter().collect()
        } else {
            let named = self.named_services();
            catalog
                .services()
                .filter(|s| !named.contains(s.prefix()))
                .collect()
        };
        for service in services {
            for action in service.actions() {
                let name = action.name();
                if self.membership(service.prefix(), &name.to_ascii_lowercase()) == cell.matches {
                    found.push(format!("{}:{name}", service.prefix()));
                    if found.len() >= limit {
                        return found;
                    }
                }
            }
        }
        found
    }
}

/// A readable name for a service no pattern names, when the shortest
/// witness is just filler.
fn readable_service(witness: &str, globs: &[Glob], matches: &Bits) -> String {
    for candidate in ["newservice", "futureservice", "example"] {
        let same = globs
            .iter()
            .enumerate()
            .all(|(k, g)| g.matches(candidate) == matches.contains(k));
        if same {
            return candidate.to_string();
        }
    }
    witness.to_string()
}
