//! The dimension of one condition key: classes of values (or, for a
//! set-valued key, of value sets) that the key's condition entries in one
//! slice tell apart.

use warden_eval::{ContextValue, RequestContext};
use warden_policy::operator::{BaseOperator, SetQualifier};

use crate::bits::Bits;
use crate::budget::Budget;
use crate::encode::{Entry, KeyInfo};
use crate::glob::{Glob, explore_unions};
use crate::ordered::{date_reps, ip_reps, number_reps};
use crate::patterns::{Family, classify, family_of, single, value_globs};
use crate::problem::{Dim, DimKind, Pred};
use crate::unknown::{Explored, Unknown, Unsupported};

/// Keys the evaluator always sets from the principal: never absent.
const ALWAYS_PRESENT: &[&str] = &["aws:principalarn", "aws:principalaccount"];

/// A key's dimension, with per entry its predicate.
#[derive(Clone)]
pub(super) struct KeyDim {
    pub(super) dim: Dim,
    /// Per entry (in the order asked), its predicate.
    pub(super) preds: Vec<Pred>,
    pub(super) givens: Vec<Pred>,
}

/// The dimension of one condition key over the entries `list`.
pub(super) fn key_dim(info: &KeyInfo, list: &[usize], budget: &Budget) -> Result<KeyDim, Unknown> {
    let entries: Vec<&Entry> = list.iter().filter_map(|&e| info.entries.get(e)).collect();
    let family = family(info, &entries)?;
    let set = multivalued(&info.name);
    let reps = candidates(info, &entries, family, budget)?;
    Ok(if set {
        set_dim(info, list, &entries, reps)
    } else {
        single_dim(info, list, &entries, reps)
    })
}

/// Whether requests may carry several values for the key: the catalog's
/// type decides (`ArrayOf*`; the global keys as AWS's global condition key
/// page types them), never how the policies use the key, so a witness never
/// lists values for a key AWS sends one value of. A `ForAllValues` or
/// `ForAnyValue` entry on a single-valued key is then evaluated over the
/// one-element set, as the evaluator does.
///
/// A key the catalog does not know is assumed multivalued: every
/// single-valued request is a one-element set, so a `no` holds whatever
/// AWS sends, and a witness lists several values only when no single value
/// shows the difference.
pub(crate) fn multivalued(name: &str) -> bool {
    warden_catalog::Catalog::get()
        .is_multivalued(name)
        .unwrap_or(true)
}

/// The family of values the entries compare the key as (`None` when only
/// `Null` tests it).
fn family(info: &KeyInfo, entries: &[&Entry]) -> Result<Option<Family>, Unsupported> {
    let mut family: Option<Family> = None;
    for e in entries {
        if let Some(f) = e.operator.base.and_then(family_of) {
            match family {
                Some(g) if g != f => {
                    return Err(Unsupported::MixedFamilies {
                        key: info.name.clone(),
                        first: g,
                        second: f,
                    });
                }
                _ => family = Some(f),
            }
        }
    }
    if matches!(info.forced, Some(Some(_)))
        && let Some(family) = family.filter(|&f| f != Family::Text)
    {
        return Err(Unsupported::VariableOnNonTextKey {
            key: info.name.clone(),
            family,
        });
    }
    Ok(family)
}

/// Values that together reach every class the entries tell apart (not yet
/// deduplicated by class).
fn candidates(
    info: &KeyInfo,
    entries: &[&Entry],
    family: Option<Family>,
    budget: &Budget,
) -> Result<Vec<String>, Unknown> {
    let constants: Vec<&str> = entries
        .iter()
        .flat_map(|e| e.values.iter().map(|v| v.raw.as_str()))
        .collect();
    let mut reps: Vec<String> = Vec::new();
    reps.extend(info.forced.iter().flatten().cloned());
    reps.extend(info.extra.iter().cloned());
    match family {
        None => reps.push("example".into()),
        Some(Family::Number) => reps.extend(number_reps(&constants)),
        Some(Family::Date) => reps.extend(date_reps(&constants)),
        Some(Family::Ip) => reps.extend(ip_reps(&constants)),
        Some(Family::Text) => {
            let mut owned: Vec<Vec<Glob>> = Vec::new();
            for e in entries {
                let Some(base) = e.operator.base else {
                    continue;
                };
                owned.push(e.values.iter().flat_map(|v| value_globs(base, v)).collect());
            }
            for v in info.forced.iter().flatten().chain(&info.extra) {
                owned.push(vec![Glob::literal(v, false)]);
            }
            let unions: Vec<Vec<&Glob>> = owned.iter().map(|u| u.iter().collect()).collect();
            let found = explore_unions(&unions, &[], false, budget).map_err(|stop| {
                stop.unknown(Explored::ConditionValues {
                    key: info.name.clone(),
                })
            })?;
            reps.extend(found.into_iter().map(|f| f.witness));
        }
    }
    Ok(reps)
}

/// A request context with the key (and its aliases) set to `value`.
fn with_value(info: &KeyInfo, value: &str) -> RequestContext {
    let mut ctx = RequestContext::new();
    ctx.insert(&info.name, ContextValue::Single(value.to_string()));
    for a in &info.aliases {
        ctx.insert(a, ContextValue::Single(value.to_string()));
    }
    ctx
}

/// Whether the evaluator always sets the key.
fn always_present(info: &KeyInfo) -> bool {
    ALWAYS_PRESENT.contains(&info.name.to_ascii_lowercase().as_str())
}

/// A set-valued key: cells are values, a request carries a set of them
/// (or none: absent).
fn set_dim(info: &KeyInfo, list: &[usize], entries: &[&Entry], reps: Vec<String>) -> KeyDim {
    let empty = RequestContext::new();
    let (reps, columns) = classify(reps, entries.len(), |i, rep| {
        entries.get(i).is_some_and(|e| match e.operator.base {
            Some(BaseOperator::Null) => e.probe.evaluate(&with_value(info, rep)),
            _ => e.probe.test_value(rep, &empty),
        })
    });
    let preds = entries
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
                absent: e.probe.evaluate(&empty),
                all,
                pred,
            }
        })
        .collect();
    let n = reps.len();
    let mut givens = Vec::new();
    if let Some(forced) = &info.forced {
        givens.push(match forced {
            Some(_) => Pred::Set {
                absent: false,
                all: true,
                pred: single(n, 0),
            },
            None => Pred::Set {
                absent: true,
                all: true,
                pred: Bits::empty(n),
            },
        });
    } else if always_present(info) {
        givens.push(Pred::Set {
            absent: false,
            all: false,
            pred: Bits::full(n),
        });
    }
    KeyDim {
        dim: Dim {
            kind: DimKind::Key {
                name: info.name.clone(),
                set: true,
            },
            reps,
            elements: list.to_vec(),
        },
        preds,
        givens,
    }
}

/// A single-valued key: cell 0 is "absent", each other cell a value.
fn single_dim(info: &KeyInfo, list: &[usize], entries: &[&Entry], reps: Vec<String>) -> KeyDim {
    let empty = RequestContext::new();
    let (reps, columns) = classify(reps, entries.len(), |i, rep| {
        entries
            .get(i)
            .is_some_and(|e| e.probe.evaluate(&with_value(info, rep)))
    });
    let n = reps.len() + 1;
    let preds = entries
        .iter()
        .zip(columns)
        .map(|(e, col)| {
            let mut bits = Bits::empty(n);
            if e.probe.evaluate(&empty) {
                bits.insert(0);
            }
            for c in col.iter() {
                bits.insert(c + 1);
            }
            Pred::Bits(bits)
        })
        .collect();
    let mut givens = Vec::new();
    if let Some(forced) = &info.forced {
        givens.push(Pred::Bits(single(n, if forced.is_some() { 1 } else { 0 })));
    } else if always_present(info) {
        let mut present = Bits::full(n);
        present.minus(&single(n, 0));
        givens.push(Pred::Bits(present));
    }
    let mut all_reps = vec![String::new()];
    all_reps.extend(reps);
    KeyDim {
        dim: Dim {
            kind: DimKind::Key {
                name: info.name.clone(),
                set: false,
            },
            reps: all_reps,
            elements: list.to_vec(),
        },
        preds,
        givens,
    }
}
