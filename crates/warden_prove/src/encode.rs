//! From two policies to a [`Symbolic`] form: every element of every
//! statement becomes a reference into shared registries (action patterns,
//! resource blocks, principal elements, condition entries per key).
//! [`crate::slice`] then cuts the question by action and builds, for each
//! slice, dimensions with cells from only the elements that slice uses.
//!
//! Policy variables: without a substitution, each block that mentions one
//! becomes a free boolean shared by identical blocks (an
//! over-approximation, exact when it finds no difference). With a
//! substitution, variables are replaced by concrete values and the keys
//! are forced to them (exact for those values); blocks with a variable
//! the substitution leaves out stay free booleans.

use std::collections::HashMap;

use warden_eval::{ConditionProbe, PrincipalProbe, ResourceProbe};
use warden_ir::pattern::Mode;
use warden_policy::Policy;
use warden_policy::ast::{ConditionValue, Effect, PrincipalValue, Statement};
use warden_policy::operator::{ConditionOperator, OperatorFamily};
use warden_policy::pattern::Pattern;
use warden_policy::principal::PrincipalKind;

use crate::actions::{ActionCell, ActionSpace};
use crate::bits::Bits;
use crate::budget::Budget;
use crate::glob::Glob;
use crate::patterns::{glob_of, pattern_text, substitute, substitute_value};
use crate::unknown::{Explored, Unknown, Unsupported};
use crate::verdict::{PolicyStack, PolicyType};

/// One element of a statement.
#[derive(Clone, Debug)]
pub(crate) enum Sym {
    /// `Resource`/`NotResource`: a block of [`Symbolic::blocks`].
    Resource { block: usize, negated: bool },
    /// `Principal`/`NotPrincipal`: an element of [`Symbolic::principals`].
    Principal(usize),
    /// A condition entry: key and entry index.
    Cond { key: usize, entry: usize },
    /// A block with policy variables, read as a free boolean.
    Free { id: usize, negated: bool },
}

/// A statement in symbolic form.
#[derive(Clone, Debug)]
pub(crate) struct SymStmt {
    pub index: usize,
    /// The group (of the side's [`PolicyStack`]) the statement belongs to.
    pub group: usize,
    pub effect: Effect,
    /// The action cells the statement's `Action`/`NotAction` covers.
    pub actions: Bits,
    pub syms: Vec<Sym>,
}

/// A condition key and its entries.
#[derive(Debug)]
pub(crate) struct KeyInfo {
    pub name: String,
    pub entries: Vec<Entry>,
    /// What a substitution forces on the key: a value, or (`Some(None)`)
    /// absence.
    pub forced: Option<Option<String>>,
    /// Values to keep as representatives (checks pin keys to them).
    pub extra: Vec<String>,
    /// Other keys that always carry the same value (set alike in
    /// witnesses and when classifying).
    pub aliases: Vec<String>,
}

/// One `"Operator": {"key": [values]}` entry.
#[derive(Debug)]
pub(crate) struct Entry {
    pub probe: ConditionProbe,
    pub operator: ConditionOperator,
    pub values: Vec<ConditionValue>,
}

/// A condition entry read as a free boolean: its key (lowercase), how its
/// operator reads values, and the values.
pub(crate) type FreeEntry = (String, Option<Mode>, Vec<Pattern>);

/// Both policies over shared registries.
#[derive(Debug)]
pub(crate) struct Symbolic {
    pub role: PolicyType,
    pub actions: ActionSpace,
    pub action_cells: Vec<ActionCell>,
    /// Resource patterns: glob and evaluator probe.
    pub resources: Vec<(Glob, ResourceProbe)>,
    /// Per resource pattern: it has policy variables and is read as a free
    /// boolean (an over-approximation, exact when it finds nothing).
    pub resource_free: Vec<bool>,
    /// Resource patterns as written (without variables), for readable
    /// witnesses.
    pub resource_texts: Vec<Option<String>>,
    /// Resource blocks: lists of pattern ids.
    pub blocks: Vec<Vec<usize>>,
    /// Principal elements and the values they list.
    pub principals: Vec<(PrincipalProbe, Vec<(PrincipalKind, String)>)>,
    pub keys: Vec<KeyInfo>,
    pub old: Vec<SymStmt>,
    pub new: Vec<SymStmt>,
    /// Number of groups of each side.
    pub old_groups: usize,
    pub new_groups: usize,
    /// The statements mention policy variables.
    pub has_variables: bool,
    /// Per free boolean (`Sym::Free` id), the variables (keys lowercase)
    /// its block mentions.
    pub free_vars: Vec<Vec<String>>,
    /// Per resource pattern, the variables it mentions (lowercase).
    pub resource_vars: Vec<Vec<String>>,
    /// Per resource pattern, the pattern as written (before any
    /// substitution), for the cells of policy variables.
    pub resource_patterns: Vec<Pattern>,
    /// Per free boolean of a condition entry: its key (lowercase), how its
    /// operator reads values, and the values.
    pub free_entries: Vec<Option<FreeEntry>>,
}

struct PendingStmt {
    index: usize,
    group: usize,
    effect: Effect,
    action_block: usize,
    negated_action: bool,
    syms: Vec<Sym>,
}

#[derive(Default)]
struct Builder<'s> {
    role: PolicyType,
    subst: Option<&'s [(String, Option<String>)]>,
    actions: ActionSpace,
    resources: Vec<(Glob, ResourceProbe)>,
    resource_free: Vec<bool>,
    resource_texts: Vec<Option<String>>,
    resource_index: HashMap<String, usize>,
    blocks: Vec<Vec<usize>>,
    block_index: HashMap<Vec<usize>, usize>,
    principals: Vec<(PrincipalProbe, Vec<(PrincipalKind, String)>)>,
    keys: Vec<KeyInfo>,
    key_index: HashMap<String, usize>,
    frees: HashMap<String, usize>,
    free_vars: Vec<Vec<String>>,
    resource_vars: Vec<Vec<String>>,
    resource_patterns: Vec<Pattern>,
    free_entries: Vec<Option<FreeEntry>>,
    has_variables: bool,
}

/// Builds the symbolic form of `old` and `new` read as `role`. With
/// `subst`, policy variables take those values (keys lowercase); `extras`
/// are `(key, value)` pairs kept as representatives of their own cells.
/// With `prior`, the symbolic form of the same policies under another
/// substitution, its action cells are reused (actions have no variables,
/// so their cells do not change).
#[allow(clippy::too_many_arguments, reason = "four call sites, all distinct")]
pub(crate) fn build(
    old: &PolicyStack<'_>,
    new: &PolicyStack<'_>,
    role: PolicyType,
    known_actions: bool,
    subst: Option<&[(String, Option<String>)]>,
    extras: &[(String, String)],
    prior: Option<&Symbolic>,
    budget: &Budget,
) -> Result<Symbolic, Unknown> {
    let mut b = Builder {
        role,
        subst,
        actions: ActionSpace::new(),
        ..Builder::default()
    };
    // "Cross-account use: No" KMS operations are denied across accounts
    // whatever the policies say (see `warden_eval`): resource policies are
    // read cross-account, so they never grant them.
    let kms_blocks = role.is_resource_based().then(|| {
        let star = b.intern_action_text("kms:*").into_iter().collect();
        let listed = warden_eval::KMS_CROSS_ACCOUNT
            .iter()
            .filter_map(|op| b.intern_action_text(&format!("kms:{op}")))
            .collect();
        (b.actions.block(star), b.actions.block(listed))
    });
    let mut old_p = Vec::new();
    let old_groups = old.groups();
    for (g, policies) in old_groups.iter().enumerate() {
        for p in policies {
            old_p.extend(b.policy(p, g, budget)?);
        }
    }
    let mut new_p = Vec::new();
    let new_groups = new.groups();
    for (g, policies) in new_groups.iter().enumerate() {
        for p in policies {
            new_p.extend(b.policy(p, g, budget)?);
        }
    }
    if let Some(subst) = subst {
        for (key, value) in subst {
            let k = b.key(key);
            if let Some(info) = b.keys.get_mut(k) {
                info.forced = Some(value.clone());
            }
        }
    }
    for (key, value) in extras {
        if let Some(&k) = b.key_index.get(&key.to_ascii_lowercase())
            && let Some(info) = b.keys.get_mut(k)
        {
            info.extra.push(value.clone());
        }
    }
    let reusable = prior.filter(|p| {
        p.actions.pattern_count() == b.actions.pattern_count()
            && p.actions.block_count() == b.actions.block_count()
    });
    let mut action_cells = match reusable {
        Some(p) => p.action_cells.clone(),
        None => b
            .actions
            .cells(known_actions, budget)
            .map_err(|stop| stop.unknown(Explored::Actions))?,
    };
    if let Some((star, listed)) = kms_blocks {
        action_cells.retain(|c| !c.matches.contains(star) || c.matches.contains(listed));
    }
    let resolve = |p: PendingStmt| -> SymStmt {
        let mut bits = Bits::empty(action_cells.len());
        for (c, cell) in action_cells.iter().enumerate() {
            if cell.matches.contains(p.action_block) != p.negated_action {
                bits.insert(c);
            }
        }
        SymStmt {
            index: p.index,
            group: p.group,
            effect: p.effect,
            actions: bits,
            syms: p.syms,
        }
    };
    let old_s: Vec<SymStmt> = old_p.into_iter().map(resolve).collect();
    let new_s: Vec<SymStmt> = new_p.into_iter().map(resolve).collect();
    Ok(Symbolic {
        role,
        actions: b.actions,
        action_cells,
        resources: b.resources,
        resource_free: b.resource_free,
        resource_texts: b.resource_texts,
        blocks: b.blocks,
        principals: b.principals,
        keys: b.keys,
        old: old_s,
        new: new_s,
        old_groups: old_groups.len(),
        new_groups: new_groups.len(),
        has_variables: b.has_variables,
        free_vars: b.free_vars,
        resource_vars: b.resource_vars,
        resource_patterns: b.resource_patterns,
        free_entries: b.free_entries,
    })
}

impl Builder<'_> {
    fn intern_action_text(&mut self, text: &str) -> Option<usize> {
        let p = warden_policy::action::ActionPattern::parse(text).ok()?;
        Some(self.actions.intern(&p, text))
    }

    fn key(&mut self, name: &str) -> usize {
        let mut lower = name.to_ascii_lowercase();
        let mut name = name.to_string();
        let mut alias: Option<&str> = None;
        // Identity policies and SCPs are read for requests within the
        // caller's account: the resource's account is the caller's.
        if !self.role.is_resource_based() && lower == "aws:resourceaccount" {
            lower = "aws:principalaccount".into();
            name = "aws:PrincipalAccount".into();
            alias = Some("aws:ResourceAccount");
        }
        if let Some(&k) = self.key_index.get(&lower) {
            if let (Some(a), Some(info)) = (alias, self.keys.get_mut(k))
                && !info.aliases.iter().any(|x| x == a)
            {
                info.aliases.push(a.to_string());
            }
            return k;
        }
        let k = self.keys.len();
        self.keys.push(KeyInfo {
            name,
            entries: Vec::new(),
            forced: None,
            extra: Vec::new(),
            aliases: alias.map(str::to_string).into_iter().collect(),
        });
        self.key_index.insert(lower, k);
        k
    }

    fn free(&mut self, label: String, vars: Vec<String>, entry: Option<FreeEntry>) -> usize {
        let n = self.frees.len();
        let id = *self.frees.entry(label).or_insert(n);
        if id == n {
            self.free_vars.push(vars);
            self.free_entries.push(entry);
        }
        id
    }

    fn policy(
        &mut self,
        policy: &Policy,
        group: usize,
        budget: &Budget,
    ) -> Result<Vec<PendingStmt>, Unknown> {
        let mut out = Vec::new();
        for (index, s) in policy.statements().iter().enumerate() {
            // The deadline bounds reading thousands of statements too.
            if index % 64 == 63 && budget.expired() {
                return Err(Unknown::Timeout);
            }
            if let Some(mut st) = self.statement(index, s)? {
                st.group = group;
                out.push(st);
            }
        }
        Ok(out)
    }

    /// `None` when the statement can never apply.
    fn statement(
        &mut self,
        index: usize,
        s: &Statement,
    ) -> Result<Option<PendingStmt>, Unsupported> {
        let Some(effect) = s.effect.as_ref().map(|e| e.value) else {
            return Ok(None);
        };
        // Without `Action` nothing matches (the evaluator's empty set).
        let Some(action) = &s.action else {
            return Ok(None);
        };
        let action_ids: Vec<usize> = action
            .items
            .iter()
            .filter_map(|i| i.pattern().map(|p| self.actions.intern(&p, &i.raw)))
            .collect();
        let action_block = self.actions.block(action_ids);
        let mut syms = Vec::new();
        if let Some(r) = &s.resource {
            let vars = r.items.iter().any(|i| i.pattern.has_variable());
            {
                self.has_variables |= vars;
                let mut ids = Vec::new();
                for item in &r.items {
                    ids.push(if self.unpinned(&item.pattern) {
                        // Read as a free boolean of the resource dimension,
                        // shared by identical patterns.
                        self.free_resource(&item.raw, &item.pattern)
                    } else {
                        self.resource(&item.pattern)?
                    });
                }
                ids.sort_unstable();
                ids.dedup();
                let n = self.blocks.len();
                let block = *self.block_index.entry(ids.clone()).or_insert(n);
                if block == n {
                    self.blocks.push(ids);
                }
                syms.push(Sym::Resource {
                    block,
                    negated: r.negated,
                });
            }
        }
        match &s.principal {
            Some(p) => {
                let mut values = Vec::new();
                if let PrincipalValue::Map(entries) = &p.value {
                    for entry in entries {
                        for v in &entry.values {
                            values.push((entry.kind.value, v.value.clone()));
                        }
                    }
                }
                self.principals.push((PrincipalProbe::new(p), values));
                syms.push(Sym::Principal(self.principals.len() - 1));
            }
            // A resource policy grants only to principals it names.
            None if self.role.is_resource_based() => return Ok(None),
            None => {}
        }
        for op in s.condition.iter().flat_map(|c| &c.operators) {
            for e in &op.entries {
                let vars = e.values.iter().any(|v| v.pattern.has_variable());
                if e.values.iter().any(|v| self.unpinned(&v.pattern)) {
                    self.has_variables = true;
                    let raws: Vec<&str> = e.values.iter().map(|v| v.raw.as_str()).collect();
                    let label = format!(
                        "C{}\u{0}{}\u{0}{}",
                        op.operator.raw,
                        e.key.value.to_ascii_lowercase(),
                        raws.join("\u{0}")
                    );
                    let vars = e
                        .values
                        .iter()
                        .flat_map(|v| variable_keys(&v.pattern))
                        .collect();
                    let entry = (
                        e.key.value.to_ascii_lowercase(),
                        op.operator.base.and_then(Mode::of_operator),
                        e.values.iter().map(|v| v.pattern.clone()).collect(),
                    );
                    let id = self.free(label, vars, Some(entry));
                    syms.push(Sym::Free { id, negated: false });
                    continue;
                }
                self.has_variables |= vars;
                let values = match self.subst {
                    Some(subst) if vars => {
                        let family = op.operator.base.map(|b| b.family());
                        if !matches!(family, Some(OperatorFamily::String | OperatorFamily::Arn)) {
                            return Err(Unsupported::VariableInConditionValue {
                                operator: op.operator.raw.clone(),
                            });
                        }
                        e.values
                            .iter()
                            .map(|v| substitute_value(v, subst))
                            .collect::<Result<Vec<_>, _>>()?
                    }
                    _ => e.values.clone(),
                };
                let key = self.key(&e.key.value);
                let probe = ConditionProbe::new(&op.operator, &e.key.value, &values);
                let Some(info) = self.keys.get_mut(key) else {
                    continue;
                };
                info.entries.push(Entry {
                    probe,
                    operator: op.operator.clone(),
                    values,
                });
                syms.push(Sym::Cond {
                    key,
                    entry: info.entries.len() - 1,
                });
            }
        }
        Ok(Some(PendingStmt {
            index,
            group: 0,
            effect,
            action_block,
            negated_action: action.negated,
            syms,
        }))
    }

    /// Whether `pattern` has a variable the substitution gives no value
    /// (every variable without one): its block is then read as a free
    /// boolean. A substitution may pin only some variables (the others'
    /// blocks stay free booleans: an over-approximation in them).
    fn unpinned(&self, pattern: &Pattern) -> bool {
        pattern.variables().any(|v| {
            self.subst
                .is_none_or(|subst| !subst.iter().any(|(k, _)| k.eq_ignore_ascii_case(&v.key)))
        })
    }

    fn free_resource(&mut self, raw: &str, pattern: &Pattern) -> usize {
        let key = format!("free\u{0}{raw}");
        if let Some(&i) = self.resource_index.get(&key) {
            return i;
        }
        self.resources.push((
            Glob::literal("\u{10ffff}", false),
            ResourceProbe::new(pattern),
        ));
        self.resource_free.push(true);
        self.resource_vars.push(variable_keys(pattern));
        self.resource_patterns.push(pattern.clone());
        self.resource_texts.push(None);
        let i = self.resources.len() - 1;
        self.resource_index.insert(key, i);
        i
    }

    fn resource(&mut self, pattern: &Pattern) -> Result<usize, Unsupported> {
        let (pattern, resolved) = match self.subst {
            Some(subst) if pattern.has_variable() => match substitute(pattern, subst)? {
                Some(p) => (p, true),
                None => (pattern.clone(), false),
            },
            _ => (pattern.clone(), true),
        };
        let key = format!("{resolved}{pattern:?}");
        if let Some(&i) = self.resource_index.get(&key) {
            return Ok(i);
        }
        // A variable without value and without default leaves the pattern
        // unresolved: the evaluator's probe (given no value) matches
        // nothing, and the glob only needs to match nothing real.
        let glob = if resolved {
            glob_of(&pattern, Mode::RESOURCE)
        } else {
            Glob::literal("\u{10ffff}", false)
        };
        self.resources.push((glob, ResourceProbe::new(&pattern)));
        self.resource_free.push(false);
        self.resource_vars.push(Vec::new());
        self.resource_patterns.push(pattern.clone());
        self.resource_texts
            .push(resolved.then(|| pattern_text(&pattern)));
        let i = self.resources.len() - 1;
        self.resource_index.insert(key, i);
        Ok(i)
    }
}

/// The variables of a pattern, keys lowercase.
fn variable_keys(pattern: &Pattern) -> Vec<String> {
    pattern
        .variables()
        .map(|v| v.key.to_ascii_lowercase())
        .collect()
}

impl Symbolic {
    /// Resource pattern `i` as text (`None` for patterns with variables).
    pub(crate) fn resource_text(&self, i: usize) -> Option<&str> {
        self.resource_texts.get(i).and_then(Option::as_deref)
    }
}
