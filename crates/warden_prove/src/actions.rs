//! The action dimension, sliced by service.
//!
//! An action is `service:name`, both parts without `:` and compared
//! ignoring case. Almost every pattern names its service literally, so the
//! cells are computed per named service over the name globs that can apply
//! to it, plus one family of cells for every service no pattern names
//! (distinguished only by the patterns whose service part has wildcards).
//! `sts:GetCallerIdentity` is outside the space: AWS allows it whatever the
//! policies say, so it can never be a difference.
//!
//! With `known_actions` the space is the embedded service catalog instead
//! of all strings, and each cell lists the catalog actions it holds.

use std::collections::{BTreeSet, HashMap};

use warden_policy::action::ActionPattern;
use warden_policy::glob::glob_match;

use crate::bits::Bits;
use crate::glob::{Exceeded, Glob, explore};

/// The action patterns of the compared policies.
#[derive(Debug, Default)]
pub(crate) struct ActionSpace {
    pats: Vec<Pat>,
    index: HashMap<String, usize>,
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

/// One class of actions every pattern treats alike.
#[derive(Clone, Debug)]
pub(crate) struct ActionCell {
    /// The service of the witness, lowercase.
    pub service: String,
    /// Whether some pattern names the service literally.
    pub named: bool,
    /// The name of the witness.
    pub name: String,
    /// Which patterns match the actions of the cell.
    pub matches: Bits,
    /// With `known_actions`: the catalog actions of the cell.
    pub catalog: Vec<String>,
}

const CALLER_IDENTITY: &str = "sts:getcalleridentity";

fn wild(s: &str) -> bool {
    s.contains(['*', '?'])
}

impl ActionSpace {
    pub(crate) fn new() -> ActionSpace {
        let mut space = ActionSpace::default();
        space.intern(
            &ActionPattern::Scoped {
                service: "sts".into(),
                name: "getcalleridentity".into(),
            },
            "sts:GetCallerIdentity",
        );
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
        self.pats.push(pat);
        self.index.insert(key, id);
        id
    }

    /// Number of patterns (the length of [`ActionCell::matches`]).
    pub(crate) fn len(&self) -> usize {
        self.pats.len()
    }

    /// The pattern as first written.
    pub(crate) fn raw(&self, id: usize) -> &str {
        self.pats.get(id).map_or("", |p| p.raw.as_str())
    }

    /// Whether pattern `id` is a single action (no wildcard).
    pub(crate) fn is_literal(&self, id: usize) -> bool {
        self.pats
            .get(id)
            .is_some_and(|p| p.service.as_deref().is_some_and(|s| !wild(s)) && !wild(&p.name))
    }

    fn named_services(&self) -> BTreeSet<&str> {
        self.pats
            .iter()
            .filter_map(|p| p.service.as_deref())
            .filter(|s| !wild(s))
            .collect()
    }

    /// Which patterns match the action `service:name` (both lowercase).
    pub(crate) fn membership(&self, service: &str, name: &str) -> Bits {
        let mut bits = Bits::empty(self.pats.len());
        for (i, p) in self.pats.iter().enumerate() {
            let hit = match &p.service {
                None => true,
                Some(s) => {
                    (s == service || (wild(s) && glob_match(s, service)))
                        && (p.name == name || (wild(&p.name) && glob_match(&p.name, name)))
                }
            };
            if hit {
                bits.insert(i);
            }
        }
        bits
    }

    /// Whether only `*` patterns can match actions of `service`.
    fn only_any(&self, service: &str) -> bool {
        !self.pats.iter().any(|p| {
            p.service
                .as_deref()
                .is_some_and(|s| s == service || (wild(s) && glob_match(s, service)))
        })
    }

    /// The cells of the action space.
    pub(crate) fn cells(
        &self,
        known_actions: bool,
        limit: usize,
    ) -> Result<Vec<ActionCell>, Exceeded> {
        let mut cells = if known_actions {
            self.catalog_cells()
        } else {
            self.string_cells(limit)?
        };
        cells.retain(|c| !c.matches.contains(0));
        Ok(cells)
    }

    fn any_ids(&self) -> Vec<usize> {
        (0..self.pats.len())
            .filter(|&i| self.pats.get(i).is_some_and(|p| p.service.is_none()))
            .collect()
    }

    fn wild_service_ids(&self) -> Vec<usize> {
        (0..self.pats.len())
            .filter(|&i| {
                self.pats
                    .get(i)
                    .and_then(|p| p.service.as_deref())
                    .is_some_and(wild)
            })
            .collect()
    }

    fn string_cells(&self, limit: usize) -> Result<Vec<ActionCell>, Exceeded> {
        let n = self.pats.len();
        let any = self.any_ids();
        let wild_ids = self.wild_service_ids();
        let named = self.named_services();
        let mut out: Vec<ActionCell> = Vec::new();
        let mut seen: HashMap<Bits, ()> = HashMap::new();
        let mut push = |out: &mut Vec<ActionCell>, cell: ActionCell| {
            if !seen.contains_key(&cell.matches) {
                seen.insert(cell.matches.clone(), ());
                out.push(cell);
            }
        };
        for service in &named {
            let mut owners: Vec<usize> = Vec::new();
            let mut globs: Vec<Glob> = Vec::new();
            for (i, p) in self.pats.iter().enumerate() {
                let applies = match p.service.as_deref() {
                    Some(s) if s == *service => true,
                    Some(s) if wild(s) => Glob::wildcard(s, true).matches(service),
                    _ => false,
                };
                if applies {
                    owners.push(i);
                    globs.push(Glob::wildcard(&p.name, true));
                }
            }
            for f in explore(&globs, &[':'], true, limit)? {
                let mut matches = Bits::empty(n);
                for &i in &any {
                    matches.insert(i);
                }
                for (k, &i) in owners.iter().enumerate() {
                    if f.matches.contains(k) {
                        matches.insert(i);
                    }
                }
                push(
                    &mut out,
                    ActionCell {
                        service: service.to_string(),
                        named: true,
                        name: f.witness,
                        matches,
                        catalog: Vec::new(),
                    },
                );
            }
        }
        // Services no pattern names: told apart by the wildcard service
        // globs only; named services are excluded by literal globs.
        let mut service_globs: Vec<Glob> = wild_ids
            .iter()
            .filter_map(|&i| self.pats.get(i).and_then(|p| p.service.as_deref()))
            .map(|s| Glob::wildcard(s, true))
            .collect();
        let first_named = service_globs.len();
        service_globs.extend(named.iter().map(|s| Glob::literal(s, true)));
        for sf in explore(&service_globs, &[':'], true, limit)? {
            if (first_named..service_globs.len()).any(|k| sf.matches.contains(k)) {
                continue;
            }
            let active: Vec<usize> = wild_ids
                .iter()
                .enumerate()
                .filter(|(k, _)| sf.matches.contains(*k))
                .map(|(_, &i)| i)
                .collect();
            let globs: Vec<Glob> = active
                .iter()
                .filter_map(|&i| self.pats.get(i))
                .map(|p| Glob::wildcard(&p.name, true))
                .collect();
            let service = readable_service(&sf.witness, &service_globs, &sf.matches);
            for f in explore(&globs, &[':'], true, limit)? {
                let mut matches = Bits::empty(n);
                for &i in &any {
                    matches.insert(i);
                }
                for (k, &i) in active.iter().enumerate() {
                    if f.matches.contains(k) {
                        matches.insert(i);
                    }
                }
                push(
                    &mut out,
                    ActionCell {
                        service: service.clone(),
                        named: false,
                        name: f.witness,
                        matches,
                        catalog: Vec::new(),
                    },
                );
            }
        }
        Ok(out)
    }

    fn catalog_cells(&self) -> Vec<ActionCell> {
        let catalog = warden_catalog::Catalog::get();
        let named = self.named_services();
        let mut out: Vec<ActionCell> = Vec::new();
        let mut by_bits: HashMap<Bits, usize> = HashMap::new();
        for service in catalog.services() {
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
                    Some(cell) => cell.catalog.push(full),
                    None => {
                        by_bits.insert(bits.clone(), out.len());
                        out.push(ActionCell {
                            service: prefix.to_string(),
                            named: named.contains(prefix),
                            name: name.to_string(),
                            matches: bits,
                            catalog: vec![full],
                        });
                    }
                }
            }
        }
        out
    }

    /// Catalog actions whose membership is exactly `cell.matches` (for a
    /// readable witness and for reports).
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
