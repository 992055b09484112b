//! Pattern helpers shared by the encoding: globs of policy patterns (their
//! tokens, with AWS's ARN segment rule, come from `warden_ir`), variable
//! substitution, candidate callers, and the classification of
//! representatives.

use std::borrow::Cow;
use std::collections::BTreeMap;

use crate::glob::FxMap as HashMap;

use warden_eval::{Caller, CallerKind};
use warden_ir::pattern::{Mode, Tokens};
use warden_policy::ast::ConditionValue;
use warden_policy::operator::{BaseOperator, OperatorFamily};
use warden_policy::pattern::{Pattern, Piece};
use warden_policy::principal::PrincipalKind;

use crate::bits::Bits;
use crate::glob::Glob;
use crate::unknown::Unsupported;
use crate::verdict::PolicyType;

pub(crate) fn single(len: usize, i: usize) -> Bits {
    let mut b = Bits::empty(len);
    b.insert(i);
    b
}

/// Keeps one representative per distinct classification and returns, per
/// element, the cells it holds on.
pub(crate) fn classify(
    reps: Vec<String>,
    elements: usize,
    holds: impl Fn(usize, &str) -> bool,
) -> (Vec<String>, Vec<Bits>) {
    let mut seen: HashMap<Vec<bool>, ()> = HashMap::default();
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

/// Which family of values a condition key is compared as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    /// Strings, ARNs, booleans and binary values: compared as text.
    Text,
    /// Numbers.
    Number,
    /// Dates.
    Date,
    /// IP addresses and ranges.
    Ip,
}

pub(crate) fn family_of(op: BaseOperator) -> Option<Family> {
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

/// The globs whose combinations separate the request values of one policy
/// value under `op`.
pub(crate) fn value_globs(op: BaseOperator, v: &ConditionValue) -> Vec<Glob> {
    if let Some(mode) = Mode::of_operator(op) {
        return vec![glob_of(&v.pattern, mode)];
    }
    match op.family() {
        // `Bool` compares ignoring case; a value that is not a boolean
        // matches nothing, like any other string.
        OperatorFamily::Bool => vec![Glob::literal(&v.raw, true)],
        OperatorFamily::Binary => vec![Glob::literal(&v.raw, false)],
        _ => Vec::new(),
    }
}

/// The glob of a pattern read in `mode`. The callers substitute variables
/// first; any left are read as their text `${key}`.
pub(crate) fn glob_of(pattern: &Pattern, mode: Mode) -> Glob {
    let tokens = Tokens::compile(pattern, mode);
    let atoms = tokens
        .atoms(|v| Some(Cow::Owned(format!("${{{}}}", v.key))))
        .unwrap_or_default();
    Glob::new(atoms, mode.ignore_case)
}

/// `pattern` with its variables replaced by their values (as literal text;
/// the evaluator does not read wildcards in substituted values).
/// `None` when a variable has no value and no default (AWS then leaves the
/// pattern unresolved: it matches nothing).
pub(crate) fn substitute(
    pattern: &Pattern,
    subst: &[(String, Option<String>)],
) -> Result<Option<Pattern>, Unsupported> {
    let mut pieces: Vec<Piece> = Vec::new();
    for piece in &pattern.pieces {
        let piece = match piece {
            Piece::Variable(v) => {
                let key = v.key.to_ascii_lowercase();
                let value = subst
                    .iter()
                    .find(|(k, _)| *k == key)
                    .map(|(_, v)| v.clone())
                    .ok_or_else(|| Unsupported::MissingVariableValue { key: v.key.clone() })?;
                match value.or_else(|| v.default.clone()) {
                    Some(value) => Piece::Literal(value),
                    None => return Ok(None),
                }
            }
            p => p.clone(),
        };
        match (pieces.last_mut(), piece) {
            (Some(Piece::Literal(a)), Piece::Literal(b)) => a.push_str(&b),
            (_, p) => pieces.push(p),
        }
    }
    Ok(Some(Pattern { pieces }))
}

/// A pattern as text, wildcards as written and variables left out (the
/// callers pass patterns without variables).
pub(crate) fn pattern_text(p: &Pattern) -> String {
    p.pieces
        .iter()
        .map(|piece| match piece {
            Piece::Literal(s) => s.as_str(),
            Piece::Star => "*",
            Piece::Question => "?",
            Piece::Variable(_) => "",
        })
        .collect()
}

/// A condition value with its variables replaced; unchanged (so that the
/// evaluator finds it unresolved) when a variable has no value or default.
pub(crate) fn substitute_value(
    v: &ConditionValue,
    subst: &[(String, Option<String>)],
) -> Result<ConditionValue, Unsupported> {
    let Some(pattern) = substitute(&v.pattern, subst)? else {
        return Ok(v.clone());
    };
    let raw = pattern_text(&pattern);
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
pub(crate) fn candidate_callers(
    values: &[(PrincipalKind, String)],
    role: PolicyType,
) -> Vec<String> {
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
        // An account id (the evaluator compares it with the caller's
        // account as text, whatever its length).
        if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) {
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
            out.push(format!(
                "arn:aws:sts::{a}:assumed-role/{name}/example-session"
            ));
        }
    }
    for a in accounts.keys() {
        out.push(format!("arn:aws:iam::{a}:user/example-user"));
        out.push(format!("arn:aws:iam::{a}:root"));
    }
    let fresh = fresh_account(|a| accounts.contains_key(a));
    out.insert(0, format!("arn:aws:iam::{fresh}:user/example-user"));
    if !role.is_resource_based() {
        // The root user is allowed everything by its own account: no
        // policy difference shows on it. A caller of no account (an AWS
        // service, an anonymous or federated caller) gets access only from
        // a resource-based policy, which these roles are not: the
        // evaluator denies it whatever the policy says, so it is no
        // candidate (a service principal in an identity policy read this
        // way used to give a witness the evaluator did not confirm).
        out.retain(|c| {
            let caller = Caller::parse(c);
            caller.kind != CallerKind::Root && caller.account.is_some()
        });
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
