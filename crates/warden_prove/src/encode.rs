//! From two policies to a [`Problem`].
//!
//! Every element of every statement becomes an atom on one dimension. The
//! cells of each dimension come from its patterns (automata for strings,
//! cut points for ordered values, candidate callers for principals), and a
//! representative of each cell is classified by the evaluator's own
//! matching (`warden_eval`'s probes), so an atom means exactly what the
//! evaluator does with it.
//!
//! Policy variables: without a substitution, each block that mentions one
//! becomes a free boolean shared by identical blocks (an
//! over-approximation, exact when it finds no difference). With a
//! substitution, variables are replaced by concrete values and the keys
//! are forced to them (exact for those values).

use std::collections::{BTreeMap, HashMap};

use warden_eval::{
    Caller, CallerKind, ConditionProbe, ContextValue, PrincipalProbe, RequestContext,
    ResourceProbe,
};
use warden_policy::Policy;
use warden_policy::ast::{ConditionValue, Effect, PrincipalValue, Statement};
use warden_policy::operator::{BaseOperator, ConditionOperator, OperatorFamily, SetQualifier};
use warden_policy::pattern::{Pattern, Piece};
use warden_policy::principal::PrincipalKind;

use crate::actions::ActionSpace;
use crate::bits::Bits;
use crate::glob::{Glob, Tok, explore};
use crate::ordered::{date_reps, ip_reps, number_reps};
use crate::problem::{Atom, Dim, DimKind, Pred, Problem, Side, Stmt};
use crate::verdict::PolicyRole;

/// Product states one string dimension may explore.
pub(crate) const STATE_LIMIT: usize = 400_000;

/// Keys the evaluator always sets from the principal: never absent.
const ALWAYS_PRESENT: &[&str] = &["aws:principalarn", "aws:principalaccount"];

/// Why a problem could not be built (the comparison is then unknown).
pub(crate) type Unsupported = String;

enum Sym {
    Action { ids: Vec<usize>, negated: bool },
    Resource { ids: Vec<usize>, negated: bool },
    Principal(usize),
    Cond { key: usize, entry: usize },
    Free { id: usize, negated: bool },
}

struct SymStmt {
    index: usize,
    effect: Effect,
    syms: Vec<Sym>,
}

struct KeyInfo {
    name: String,
    entries: Vec<Entry>,
    /// Values a substitution forces on the key.
    forced: Option<String>,
    /// Values to keep as representatives.
    extra: Vec<String>,
}

struct Entry {
    probe: ConditionProbe,
    operator: ConditionOperator,
    values: Vec<ConditionValue>,
}

#[derive(Default)]
struct Builder<'s> {
    role: PolicyRole,
    subst: Option<&'s [(String, String)]>,
    actions: ActionSpace,
    resources: Vec<(Glob, ResourceProbe)>,
    resource_index: HashMap<String, usize>,
    principals: Vec<PrincipalProbe>,
    principal_values: Vec<(PrincipalKind, String)>,
    keys: Vec<KeyInfo>,
    key_index: HashMap<String, usize>,
    frees: HashMap<String, usize>,
    has_variables: bool,
}

/// Builds the problem for `old` and `new` read as `role`. With `subst`,
/// policy variables take those values (keys lowercase).
pub(crate) fn build(
    old: &Policy,
    new: &Policy,
    role: PolicyRole,
    known_actions: bool,
    subst: Option<&[(String, String)]>,
) -> Result<Problem, Unsupported> {
    build_with(old, new, role, known_actions, subst, &[])
}

/// [`build`], with extra values to keep as representatives of their own
/// cells (`(key, value)`; the checks pin keys to them).
pub(crate) fn build_with(
    old: &Policy,
    new: &Policy,
    role: PolicyRole,
    known_actions: bool,
    subst: Option<&[(String, String)]>,
    extras: &[(String, String)],
) -> Result<Problem, Unsupported> {
    let mut b = Builder {
        role,
        subst,
        actions: ActionSpace::new(),
        ..Builder::default()
    };
    if role == PolicyRole::Resource {
        // "Cross-account use: No" KMS operations are denied across
        // accounts whatever the policies say (see `warden_eval`).
        b.intern_action_text("kms:*");
        for op in warden_eval::KMS_CROSS_ACCOUNT {
            b.intern_action_text(&format!("kms:{op}"));
        }
    }
    let old_syms = b.policy(old)?;
    let new_syms = b.policy(new)?;
    if let Some(subst) = subst {
        for (key, value) in subst {
            let k = b.key(key);
            if let Some(info) = b.keys.get_mut(k) {
                info.forced = Some(value.clone());
            }
        }
    }
    for (key, value) in extras {
        let lower = key.to_ascii_lowercase();
        if let Some(&k) = b.key_index.get(&lower)
            && let Some(info) = b.keys.get_mut(k)
        {
            info.extra.push(value.clone());
        }
    }
    b.finish(old_syms, new_syms, known_actions)
}

impl Builder<'_> {
    fn intern_action_text(&mut self, text: &str) -> Option<usize> {
        let p = warden_policy::action::ActionPattern::parse(text).ok()?;
        Some(self.actions.intern(&p, text))
    }

    fn key(&mut self, name: &str) -> usize {
        let lower = name.to_ascii_lowercase();
        if let Some(&k) = self.key_index.get(&lower) {
            return k;
        }
        let k = self.keys.len();
        self.keys.push(KeyInfo {
            name: name.to_string(),
            entries: Vec::new(),
            forced: None,
            extra: Vec::new(),
        });
        self.key_index.insert(lower, k);
        k
    }

    fn free(&mut self, label: String) -> usize {
        let n = self.frees.len();
        *self.frees.entry(label).or_insert(n)
    }

    fn policy(&mut self, policy: &Policy) -> Result<Vec<SymStmt>, Unsupported> {
        let mut out = Vec::new();
        for (index, s) in policy.statements().iter().enumerate() {
            if let Some(st) = self.statement(index, s)? {
                out.push(st);
            }
        }
        Ok(out)
    }

    /// `None` when the statement can never apply.
    fn statement(&mut self, index: usize, s: &Statement) -> Result<Option<SymStmt>, Unsupported> {
        let Some(effect) = s.effect.as_ref().map(|e| e.value) else {
            return Ok(None);
        };
        let mut syms = Vec::new();
        // Without `Action` nothing matches (the evaluator's empty set).
        let Some(action) = &s.action else {
            return Ok(None);
        };
        let ids: Vec<usize> = action
            .items
            .iter()
            .filter_map(|i| i.pattern().map(|p| self.actions.intern(&p, &i.raw)))
            .collect();
        syms.push(Sym::Action {
            ids,
            negated: action.negated,
        });
        if let Some(r) = &s.resource {
            let vars = r.items.iter().any(|i| i.pattern.has_variable());
            if vars && self.subst.is_none() {
                self.has_variables = true;
                let raws: Vec<&str> = r.items.iter().map(|i| i.raw.as_str()).collect();
                // The free boolean is "some pattern matches"; NotResource
                // holds when it is false.
                let id = self.free(format!("R\u{0}{}", raws.join("\u{0}")));
                syms.push(Sym::Free {
                    id,
                    negated: r.negated,
                });
            } else {
                self.has_variables |= vars;
                let mut ids = Vec::new();
                for item in &r.items {
                    ids.push(self.resource(&item.pattern)?);
                }
                syms.push(Sym::Resource {
                    ids,
                    negated: r.negated,
                });
            }
        }
        match &s.principal {
            Some(p) => {
                for entry in match &p.value {
                    PrincipalValue::Any => &[][..],
                    PrincipalValue::Map(m) => m.as_slice(),
                } {
                    for v in &entry.values {
                        self.principal_values
                            .push((entry.kind.value, v.value.clone()));
                    }
                }
                self.principals.push(PrincipalProbe::new(p));
                syms.push(Sym::Principal(self.principals.len() - 1));
            }
            // A resource policy grants only to principals it names.
            None if self.role == PolicyRole::Resource => return Ok(None),
            None => {}
        }
        for op in s.condition.iter().flat_map(|c| &c.operators) {
            for e in &op.entries {
                let vars = e.values.iter().any(|v| v.pattern.has_variable());
                if vars && self.subst.is_none() {
                    self.has_variables = true;
                    let raws: Vec<&str> = e.values.iter().map(|v| v.raw.as_str()).collect();
                    let label = format!(
                        "C{}\u{0}{}\u{0}{}",
                        op.operator.raw,
                        e.key.value.to_ascii_lowercase(),
                        raws.join("\u{0}")
                    );
                    let id = self.free(label);
                    syms.push(Sym::Free { id, negated: false });
                    continue;
                }
                self.has_variables |= vars;
                let values = match self.subst {
                    Some(subst) if vars => {
                        if op.operator.base.map(|b| b.family()) != Some(OperatorFamily::String)
                            && op.operator.base.map(|b| b.family()) != Some(OperatorFamily::Arn)
                        {
                            return Err(format!(
                                "policy variable in a `{}` condition value",
                                op.operator.raw
                            ));
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
        Ok(Some(SymStmt {
            index,
            effect,
            syms,
        }))
    }

    fn resource(&mut self, pattern: &Pattern) -> Result<usize, Unsupported> {
        let pattern = match self.subst {
            Some(subst) if pattern.has_variable() => substitute(pattern, subst)?,
            _ => pattern.clone(),
        };
        let key = format!("{pattern:?}");
        if let Some(&i) = self.resource_index.get(&key) {
            return Ok(i);
        }
        let glob = glob_of(&pattern, true, Arn::Resource, false);
        self.resources.push((glob, ResourceProbe::new(&pattern)));
        let i = self.resources.len() - 1;
        self.resource_index.insert(key, i);
        Ok(i)
    }

    fn finish(
        self,
        old_syms: Vec<SymStmt>,
        new_syms: Vec<SymStmt>,
        known_actions: bool,
    ) -> Result<Problem, Unsupported> {
        let mut dims: Vec<Dim> = Vec::new();
        let mut givens: Vec<Atom> = Vec::new();
        let empty = RequestContext::new();

        // Actions.
        let mut action_cells = self
            .actions
            .cells(known_actions, STATE_LIMIT)
            .map_err(|e| format!("the action patterns need more than {} automaton states", e.limit))?;
        if self.role == PolicyRole::Resource {
            let ids: Vec<usize> = (0..self.actions.len())
                .filter(|&i| {
                    let raw = self.actions.raw(i).to_ascii_lowercase();
                    raw.starts_with("kms:") && raw != "kms:*"
                        && warden_eval::KMS_CROSS_ACCOUNT.contains(&&raw["kms:".len()..])
                })
                .collect();
            let star = (0..self.actions.len()).find(|&i| self.actions.raw(i) == "kms:*");
            action_cells.retain(|c| {
                star.is_none_or(|s| !c.matches.contains(s)) || ids.iter().any(|&i| c.matches.contains(i))
            });
        }
        let action_dim = dims.len();
        dims.push(Dim {
            kind: DimKind::Action,
            reps: Vec::new(),
        });

        // Resources.
        let (resource_dim, resource_bits) = if self.resources.is_empty() {
            (None, Vec::new())
        } else {
            let globs: Vec<Glob> = self.resources.iter().map(|(g, _)| g.clone()).collect();
            let found = explore(&globs, &[], false, STATE_LIMIT).map_err(|e| {
                format!("the resource patterns need more than {} automaton states", e.limit)
            })?;
            let reps: Vec<String> = found.into_iter().map(|f| f.witness).collect();
            let (reps, columns) = classify(reps, self.resources.len(), |i, rep| {
                self.resources
                    .get(i)
                    .is_some_and(|(_, p)| p.matches(rep, &empty))
            });
            let d = dims.len();
            dims.push(Dim {
                kind: DimKind::Resource,
                reps,
            });
            (Some(d), columns)
        };

        // Principals.
        let (principal_dim, principal_bits) = if self.principals.is_empty() {
            (None, Vec::new())
        } else {
            let reps = candidate_callers(&self.principal_values, self.role);
            let (reps, columns) = classify(reps, self.principals.len(), |i, rep| {
                self.principals
                    .get(i)
                    .is_some_and(|p| p.applies(&Caller::parse(rep)))
            });
            let d = dims.len();
            dims.push(Dim {
                kind: DimKind::Principal,
                reps,
            });
            (Some(d), columns)
        };

        // Condition keys.
        let mut key_atoms: Vec<Vec<Pred>> = Vec::new();
        let mut key_dims: Vec<usize> = Vec::new();
        for info in &self.keys {
            let (dim, preds, given) = key_dim(info, &empty)?;
            key_dims.push(dims.len());
            if let Some(g) = given {
                givens.push(Atom {
                    dim: dims.len(),
                    pred: g,
                });
            }
            if let (true, DimKind::Key { set: false, .. }) = (
                ALWAYS_PRESENT.contains(&info.name.to_ascii_lowercase().as_str()),
                &dim.kind,
            ) {
                let mut present = Bits::full(dim.reps.len());
                present.minus(&single(dim.reps.len(), 0));
                givens.push(Atom {
                    dim: dims.len(),
                    pred: Pred::Bits(present),
                });
            } else if let (true, DimKind::Key { set: true, .. }) = (
                ALWAYS_PRESENT.contains(&info.name.to_ascii_lowercase().as_str()),
                &dim.kind,
            ) {
                givens.push(Atom {
                    dim: dims.len(),
                    pred: Pred::Set {
                        absent: false,
                        all: false,
                        pred: Bits::full(dim.reps.len()),
                    },
                });
            }
            dims.push(dim);
            key_atoms.push(preds);
        }

        // Free booleans.
        let free_base = dims.len();
        for _ in 0..self.frees.len() {
            dims.push(Dim {
                kind: DimKind::Free,
                reps: vec!["false".into(), "true".into()],
            });
        }
        let n_actions = action_cells.len();
        let action_pred = |ids: &[usize], negated: bool| -> Pred {
            let mut pats = Bits::empty(self.actions.len());
            for &i in ids {
                pats.insert(i);
            }
            let mut bits = Bits::empty(n_actions);
            for (c, cell) in action_cells.iter().enumerate() {
                if cell.matches.intersects(&pats) {
                    bits.insert(c);
                }
            }
            Pred::Bits(if negated { bits.not() } else { bits })
        };
        let convert = |st: SymStmt| -> (Effect, Stmt) {
            let mut atoms = Vec::new();
            for sym in st.syms {
                let atom = match sym {
                    Sym::Action { ids, negated } => Atom {
                        dim: action_dim,
                        pred: action_pred(&ids, negated),
                    },
                    Sym::Resource { ids, negated } => {
                        let Some(d) = resource_dim else { continue };
                        let n = dims.get(d).map_or(0, |x| x.reps.len());
                        let mut bits = Bits::empty(n);
                        for i in ids {
                            if let Some(col) = resource_bits.get(i) {
                                bits.or_with(col);
                            }
                        }
                        Atom {
                            dim: d,
                            pred: Pred::Bits(if negated { bits.not() } else { bits }),
                        }
                    }
                    Sym::Principal(i) => {
                        let Some(d) = principal_dim else { continue };
                        let n = dims.get(d).map_or(0, |x| x.reps.len());
                        Atom {
                            dim: d,
                            pred: Pred::Bits(principal_bits.get(i).cloned().unwrap_or_else(|| Bits::empty(n))),
                        }
                    }
                    Sym::Cond { key, entry } => {
                        let Some(pred) = key_atoms.get(key).and_then(|p| p.get(entry)) else {
                            continue;
                        };
                        Atom {
                            dim: key_dims.get(key).copied().unwrap_or(0),
                            pred: pred.clone(),
                        }
                    }
                    Sym::Free { id, negated } => Atom {
                        dim: free_base + id,
                        pred: Pred::Bits(single(2, usize::from(!negated))),
                    },
                };
                atoms.push(atom);
            }
            (
                st.effect,
                Stmt {
                    index: st.index,
                    atoms,
                },
            )
        };
        let side = |syms: Vec<SymStmt>| -> Side {
            let mut side = Side::default();
            for st in syms {
                match convert(st) {
                    (Effect::Allow, s) => side.allows.push(s),
                    (Effect::Deny, s) => side.denies.push(s),
                }
            }
            side
        };
        let old = side(old_syms);
        let new = side(new_syms);
        Ok(Problem {
            dims,
            old,
            new,
            actions: self.actions,
            action_cells,
            givens,
            substitution: self.subst.map(<[_]>::to_vec).unwrap_or_default(),
            has_variables: self.has_variables,
        })
    }
}

fn single(len: usize, i: usize) -> Bits {
    let mut b = Bits::empty(len);
    b.insert(i);
    b
}

/// Keeps one representative per distinct classification and returns, per
/// element, the cells it holds on.
fn classify(
    reps: Vec<String>,
    elements: usize,
    holds: impl Fn(usize, &str) -> bool,
) -> (Vec<String>, Vec<Bits>) {
    let mut seen: HashMap<Vec<bool>, ()> = HashMap::new();
    let mut kept: Vec<(String, Vec<bool>)> = Vec::new();
    for rep in reps {
        let sig: Vec<bool> = (0..elements).map(|i| holds(i, &rep)).collect();
        if !seen.contains_key(&sig) {
            seen.insert(sig.clone(), ());
            kept.push((rep, sig));
        }
    }
    let mut columns = vec![Bits::empty(kept.len()); elements];
    for (c, (_, sig)) in kept.iter().enumerate() {
        for (i, &h) in sig.iter().enumerate() {
            if h && let Some(col) = columns.get_mut(i) {
                col.insert(c);
            }
        }
    }
    (kept.into_iter().map(|(r, _)| r).collect(), columns)
}

/// Which family of values a key is compared as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Family {
    Text,
    Number,
    Date,
    Ip,
}

fn family_of(op: BaseOperator) -> Option<Family> {
    match op.family() {
        OperatorFamily::String
        | OperatorFamily::Arn
        | OperatorFamily::Bool
        | OperatorFamily::Binary => Some(Family::Text),
        OperatorFamily::Numeric => Some(Family::Number),
        OperatorFamily::Date => Some(Family::Date),
        OperatorFamily::IpAddress => Some(Family::Ip),
        OperatorFamily::Null => None,
    }
}

/// The dimension of one condition key, the predicate of each entry, and a
/// forced value when a substitution pins the key.
fn key_dim(info: &KeyInfo, empty: &RequestContext) -> Result<(Dim, Vec<Pred>, Option<Pred>), Unsupported> {
    let mut family: Option<Family> = None;
    for e in &info.entries {
        if let Some(f) = e.operator.base.and_then(family_of) {
            match family {
                Some(g) if g != f => {
                    return Err(format!(
                        "condition key `{}` is compared both as {g:?} and as {f:?}",
                        info.name
                    ));
                }
                _ => family = Some(f),
            }
        }
    }
    if info.forced.is_some() && family.is_some_and(|f| f != Family::Text) {
        return Err(format!(
            "policy variable `${{{}}}` on a key compared as {family:?}",
            info.name
        ));
    }
    let set = info.entries.iter().any(|e| e.operator.qualifier.is_some())
        || warden_catalog::Catalog::get()
            .condition_key(&info.name)
            .is_some_and(|k| k.key_type().is_array());
    let constants: Vec<&str> = info
        .entries
        .iter()
        .flat_map(|e| e.values.iter().map(|v| v.raw.as_str()))
        .collect();
    let mut reps: Vec<String> = Vec::new();
    if let Some(v) = &info.forced {
        reps.push(v.clone());
    }
    reps.extend(info.extra.iter().cloned());
    match family {
        None => reps.push("example".into()),
        Some(Family::Number) => reps.extend(number_reps(&constants)),
        Some(Family::Date) => reps.extend(date_reps(&constants)),
        Some(Family::Ip) => reps.extend(ip_reps(&constants)),
        Some(Family::Text) => {
            let mut globs: Vec<Glob> = Vec::new();
            for e in &info.entries {
                let Some(base) = e.operator.base else { continue };
                for v in &e.values {
                    globs.extend(value_globs(base, v));
                }
            }
            if let Some(v) = &info.forced {
                globs.push(Glob::literal(v, false));
            }
            globs.extend(info.extra.iter().map(|v| Glob::literal(v, false)));
            let found = explore(&globs, &[], false, STATE_LIMIT).map_err(|e| {
                format!(
                    "the values of condition key `{}` need more than {} automaton states",
                    info.name, e.limit
                )
            })?;
            reps.extend(found.into_iter().map(|f| f.witness));
        }
    }
    let with = |value: &str| {
        let mut ctx = RequestContext::new();
        ctx.insert(&info.name, ContextValue::Single(value.to_string()));
        ctx
    };
    if set {
        let (reps, columns) = classify(reps, info.entries.len(), |i, rep| {
            info.entries.get(i).is_some_and(|e| match e.operator.base {
                Some(BaseOperator::Null) => e.probe.evaluate(&with(rep)),
                _ => e.probe.test_value(rep, empty),
            })
        });
        let preds = info
            .entries
            .iter()
            .zip(columns)
            .map(|(e, pred)| {
                let negated = e.operator.base.is_some_and(BaseOperator::is_negated);
                let all = match e.operator.qualifier {
                    Some(SetQualifier::ForAllValues) => true,
                    Some(SetQualifier::ForAnyValue) => false,
                    None => negated && e.operator.base != Some(BaseOperator::Null),
                };
                Pred::Set {
                    absent: e.probe.evaluate(empty),
                    all,
                    pred,
                }
            })
            .collect();
        let given = info.forced.as_ref().map(|_| Pred::Set {
            absent: false,
            all: true,
            pred: single(reps.len(), 0),
        });
        let dim = Dim {
            kind: DimKind::Key {
                name: info.name.clone(),
                set: true,
            },
            reps,
        };
        return Ok((dim, preds, given));
    }
    // Single-valued: cell 0 is "absent".
    let (reps, columns) = classify(reps, info.entries.len(), |i, rep| {
        info.entries
            .get(i)
            .is_some_and(|e| e.probe.evaluate(&with(rep)))
    });
    let n = reps.len() + 1;
    let preds = info
        .entries
        .iter()
        .zip(columns)
        .map(|(e, col)| {
            let mut bits = Bits::empty(n);
            if e.probe.evaluate(empty) {
                bits.insert(0);
            }
            for c in col.iter() {
                bits.insert(c + 1);
            }
            Pred::Bits(bits)
        })
        .collect();
    let given = info.forced.as_ref().map(|_| Pred::Bits(single(n, 1)));
    let mut all_reps = vec![String::new()];
    all_reps.extend(reps);
    let dim = Dim {
        kind: DimKind::Key {
            name: info.name.clone(),
            set: false,
        },
        reps: all_reps,
    };
    Ok((dim, preds, given))
}

/// The globs whose combinations separate the request values of one policy
/// value under `op`.
fn value_globs(op: BaseOperator, v: &ConditionValue) -> Vec<Glob> {
    use BaseOperator as B;
    match op.family() {
        OperatorFamily::String => {
            let ignore_case = matches!(op, B::StringEqualsIgnoreCase | B::StringNotEqualsIgnoreCase);
            vec![glob_of(&v.pattern, op.uses_wildcards(), Arn::None, ignore_case)]
        }
        OperatorFamily::Arn => vec![glob_of(&v.pattern, true, Arn::Condition, false)],
        OperatorFamily::Bool => vec![Glob::literal("true", true), Glob::literal("false", true)],
        OperatorFamily::Binary => vec![Glob::literal(&v.raw, false)],
        _ => Vec::new(),
    }
}

/// Which ARN segment rule applies (mirrors `warden_eval`'s matcher).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Arn {
    None,
    Resource,
    Condition,
}

/// The glob of a pattern without variables. In the first five ARN
/// segments a wildcard does not match `:`, except (for `Resource`) a `*`
/// that ends its segment ("IAM JSON policy elements: Resource").
fn glob_of(pattern: &Pattern, wildcards: bool, arn: Arn, ignore_case: bool) -> Glob {
    let mut toks = Vec::new();
    let mut colons = 0usize;
    for (i, piece) in pattern.pieces.iter().enumerate() {
        let in_segments = arn != Arn::None && colons < 5;
        match piece {
            Piece::Literal(s) => {
                colons += s.bytes().filter(|&b| b == b':').count();
                toks.extend(s.chars().map(Tok::Char));
            }
            Piece::Variable(v) => toks.extend(format!("${{{}}}", v.key).chars().map(Tok::Char)),
            Piece::Star if wildcards => {
                let ends_segment = match pattern.pieces.get(i + 1) {
                    None => true,
                    Some(Piece::Literal(next)) => next.starts_with(':'),
                    Some(_) => false,
                };
                toks.push(Tok::Star {
                    colon: !in_segments || (ends_segment && arn == Arn::Resource),
                });
            }
            Piece::Question if wildcards => toks.push(Tok::One {
                colon: !in_segments,
            }),
            Piece::Star => toks.push(Tok::Char('*')),
            Piece::Question => toks.push(Tok::Char('?')),
        }
    }
    Glob::new(toks, ignore_case)
}

/// `pattern` with its variables replaced by their values (as literal text;
/// the evaluator does not read wildcards in substituted values).
fn substitute(pattern: &Pattern, subst: &[(String, String)]) -> Result<Pattern, Unsupported> {
    let mut pieces: Vec<Piece> = Vec::new();
    for piece in &pattern.pieces {
        let piece = match piece {
            Piece::Variable(v) => {
                let key = v.key.to_ascii_lowercase();
                let value = subst
                    .iter()
                    .find(|(k, _)| *k == key)
                    .map(|(_, v)| v.clone())
                    .ok_or_else(|| format!("no value for policy variable `${{{}}}`", v.key))?;
                Piece::Literal(value)
            }
            p => p.clone(),
        };
        match (pieces.last_mut(), piece) {
            (Some(Piece::Literal(a)), Piece::Literal(b)) => a.push_str(&b),
            (_, p) => pieces.push(p),
        }
    }
    Ok(Pattern { pieces })
}

fn substitute_value(v: &ConditionValue, subst: &[(String, String)]) -> Result<ConditionValue, Unsupported> {
    let pattern = substitute(&v.pattern, subst)?;
    let raw = pattern
        .pieces
        .iter()
        .map(|p| match p {
            Piece::Literal(s) => s.clone(),
            Piece::Star => "*".into(),
            Piece::Question => "?".into(),
            Piece::Variable(_) => String::new(),
        })
        .collect();
    Ok(ConditionValue {
        raw,
        span: v.span,
        value_type: v.value_type,
        pattern,
    })
}

/// Callers that together reach every way the principals named can match:
/// each one named, the root and a fresh user of each account named, a
/// session of each role named, and a user of an account nobody names.
fn candidate_callers(values: &[(PrincipalKind, String)], role: PolicyRole) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut accounts: BTreeMap<String, ()> = BTreeMap::new();
    for (kind, v) in values {
        if *kind != PrincipalKind::Aws {
            out.push(v.clone());
            continue;
        }
        if v == "*" {
            continue;
        }
        if v.len() == 12 && v.bytes().all(|b| b.is_ascii_digit()) {
            accounts.insert(v.clone(), ());
            continue;
        }
        let caller = Caller::parse(v);
        if let Some(a) = &caller.account {
            accounts.insert(a.clone(), ());
        }
        out.push(v.clone());
        if let CallerKind::Role { name } = &caller.kind
            && let Some(a) = &caller.account
        {
            out.push(format!("arn:aws:sts::{a}:assumed-role/{name}/example-session"));
        }
    }
    for a in accounts.keys() {
        out.push(format!("arn:aws:iam::{a}:user/example-user"));
        out.push(format!("arn:aws:iam::{a}:root"));
    }
    let fresh = fresh_account(|a| accounts.contains_key(a));
    out.insert(0, format!("arn:aws:iam::{fresh}:user/example-user"));
    if role != PolicyRole::Resource {
        // The root user is allowed everything by its own account: no
        // policy difference shows on it.
        out.retain(|c| Caller::parse(c).kind != CallerKind::Root);
    }
    out
}

/// An account id for "an account no policy names".
pub(crate) fn fresh_account(named: impl Fn(&str) -> bool) -> &'static str {
    ["444455556666", "777788889999", "123456789012"]
        .into_iter()
        .find(|a| !named(a))
        .unwrap_or("000000000000")
}
