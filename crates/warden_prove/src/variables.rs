//! Policy variables: which keys the policies substitute, the values to try
//! first, and the cells of each variable.
//!
//! [`assignments`] gives readable values: first every key at a value no
//! policy mentions (a "generic" user), then each key absent, then values
//! read from the other patterns at the same position (with
//! `.../home/${aws:username}/*` and `.../home/bob/*`, `bob`). The first is
//! what the comparison tries first, and what the change summary uses.
//!
//! [`cells`] is what decides: a variable is one value shared by every
//! occurrence in a request, so it is one more string dimension, whose cells
//! are the classes of values the patterns it is compared with tell apart
//! (as for any condition key); `driver::with_values` searches every
//! combination of the cells of the variables a slice depends on.

use std::collections::{HashMap, HashSet};

use warden_ir::pattern::{Atom, Automaton, FILLERS, Mode, Token, Tokens, variants};
use warden_policy::Policy;
use warden_policy::pattern::{Pattern, Piece};

/// Keys used as policy variables, lowercase, sorted.
pub(crate) fn keys(policies: &[&Policy]) -> Vec<String> {
    let mut out: Vec<String> = patterns(policies)
        .flat_map(|p| {
            p.variables()
                .map(|v| v.key.to_ascii_lowercase())
                .collect::<Vec<_>>()
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

fn patterns<'p>(policies: &'p [&'p Policy]) -> impl Iterator<Item = &'p Pattern> + 'p {
    policies.iter().flat_map(|p| {
        p.statements().iter().flat_map(|s| {
            let resources = s
                .resource
                .iter()
                .flat_map(|r| r.items.iter().map(|i| &i.pattern));
            let values = s
                .condition
                .iter()
                .flat_map(|c| &c.operators)
                .flat_map(|o| &o.entries)
                .flat_map(|e| e.values.iter().map(|v| &v.pattern));
            resources.chain(values)
        })
    })
}

/// A value no pattern mentions, different for each key: `alice` style
/// names for user names, `<tag>-example` for the rest.
fn generic(key: &str, taken: &str, used: &[String]) -> String {
    let suffix = key
        .rsplit([':', '/'])
        .next()
        .unwrap_or("value")
        .to_ascii_lowercase();
    let fixed: &[&str] = match key {
        "aws:username" => &["alice", "bob", "carol", "dave", "erin"],
        // Values that agree with the witness's caller where possible.
        "aws:principalaccount" | "aws:resourceaccount" => {
            &["111122223333", "444455556666", "777788889999"]
        }
        "aws:principalarn" => &[
            "arn:aws:iam::111122223333:user/example-user",
            "arn:aws:iam::111122223333:role/example-role",
        ],
        "aws:userid" => &["AIDAEXAMPLEUSERID01", "AIDAEXAMPLEUSERID02"],
        _ => &[],
    };
    let names: Vec<String> = if !fixed.is_empty() {
        fixed.iter().map(|s| s.to_string()).collect()
    } else {
        (0..5)
            .map(|i| {
                if i == 0 {
                    format!("{suffix}-example")
                } else {
                    format!("{suffix}-example{i}")
                }
            })
            .collect()
    };
    names
        .iter()
        .find(|n| !taken.contains(n.as_str()) && !used.contains(n))
        .cloned()
        .unwrap_or_else(|| format!("{suffix}-{}", used.len()))
}

/// Values read from other patterns at the variable's position.
fn derived(key: &str, policies: &[&Policy], limit: usize) -> Vec<String> {
    let all: Vec<&Pattern> = patterns(policies).collect();
    let mut out: Vec<String> = Vec::new();
    for p in &all {
        // The literal text before the variable.
        let mut prefix = String::new();
        let mut found = false;
        for piece in &p.pieces {
            match piece {
                Piece::Variable(v) if v.key.eq_ignore_ascii_case(key) => {
                    found = true;
                    break;
                }
                Piece::Literal(s) => prefix.push_str(s),
                _ => {
                    prefix.clear();
                    break;
                }
            }
        }
        if !found || prefix.is_empty() {
            continue;
        }
        for q in &all {
            if q.has_variable() {
                continue;
            }
            let text = crate::patterns::pattern_text(q);
            let Some(rest) = text.strip_prefix(&prefix) else {
                continue;
            };
            let value: String = rest
                .chars()
                .take_while(|c| !matches!(c, '/' | ':' | '*' | '?'))
                .collect();
            if !value.is_empty() && !out.contains(&value) {
                out.push(value);
                if out.len() >= limit {
                    return out;
                }
            }
        }
    }
    out
}

/// Assignments to try: first every key at a generic value of its own,
/// then each key in turn absent (its default, if any, applies), then at
/// values read from the other patterns. `None` is "absent".
pub(crate) fn assignments(
    keys: &[String],
    policies: &[&Policy],
) -> Vec<Vec<(String, Option<String>)>> {
    let taken: String = patterns(policies)
        .flat_map(|p| p.pieces.iter())
        .filter_map(|piece| match piece {
            Piece::Literal(s) => Some(s.as_str()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("\u{0}");
    let mut used: Vec<String> = Vec::new();
    let mut base: Vec<(String, Option<String>)> = Vec::new();
    for k in keys {
        let v = generic(k, &taken, &used);
        used.push(v.clone());
        base.push((k.clone(), Some(v)));
    }
    let mut out = vec![base.clone()];
    for i in 0..keys.len() {
        let mut a = base.clone();
        if let Some(slot) = a.get_mut(i) {
            slot.1 = None;
        }
        out.push(a);
    }
    for (i, k) in keys.iter().enumerate() {
        for v in derived(k, policies, 8) {
            let mut a = base.clone();
            if let Some(slot) = a.get_mut(i) {
                slot.1 = Some(v);
            }
            out.push(a);
        }
    }
    out.truncate(48);
    out
}

/// Where a variable's value is read: after some string of `prefix` in
/// every string `against` can match (the other patterns of the same
/// dimension, and the patterns testing the variable's own key).
struct Track {
    prefix: Automaton,
    /// The text after the variable (other variables read as `*`).
    suffix: Automaton,
    against: Automaton,
}

/// Where a pattern sits: the resource ARNs, or the values of one
/// condition key (lowercase).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Place {
    Resource,
    Key(String),
}

/// The atoms of `tokens`, every variable read as a `*` that may match `:`.
fn widened_atoms(tokens: &[Token]) -> Vec<Atom> {
    tokens
        .iter()
        .flat_map(|t| match t {
            Token::Text(s) => s.chars().map(Atom::Char).collect::<Vec<_>>(),
            Token::Variable(_) => vec![Atom::Star { colon: true }],
            Token::Star { colon } => vec![Atom::Star { colon: *colon }],
            Token::One { colon } => vec![Atom::One { colon: *colon }],
        })
        .collect()
}

/// The tracks of the variable `key`: for each pattern it occurs in, the
/// text before it against every pattern of the same place; for each
/// pattern testing `key` itself, the empty prefix against it.
fn tracks(key: &str, all: &[(Place, Pattern, Mode)]) -> Vec<Track> {
    let mut seen: HashSet<(Automaton, Automaton, Automaton)> = HashSet::default();
    let mut out = Vec::new();
    let mut add = |prefix: Automaton, suffix: Automaton, against: Automaton| {
        if seen.insert((prefix.clone(), suffix.clone(), against.clone())) {
            out.push(Track {
                prefix,
                suffix,
                against,
            });
        }
    };
    for (place, pattern, mode) in all {
        if *place == Place::Key(key.to_string()) {
            add(
                Automaton::new(Vec::new(), mode.ignore_case),
                Automaton::new(Vec::new(), mode.ignore_case),
                Tokens::compile(pattern, *mode).widened(),
            );
        }
        let tokens = Tokens::compile(pattern, *mode);
        let Some(at) = tokens
            .tokens()
            .iter()
            .position(|t| matches!(t, Token::Variable(v) if v.key.eq_ignore_ascii_case(key)))
        else {
            continue;
        };
        let prefix = Automaton::new(
            widened_atoms(tokens.tokens().get(..at).unwrap_or_default()),
            mode.ignore_case,
        );
        let suffix = Automaton::new(
            widened_atoms(tokens.tokens().get(at + 1..).unwrap_or_default()),
            mode.ignore_case,
        );
        for (other_place, other, other_mode) in all {
            // Patterns with variables are compared through their own
            // variables' cells (see `cells`).
            if other_place == place && !other.has_variable() {
                add(
                    prefix.clone(),
                    suffix.clone(),
                    Tokens::compile(other, *other_mode).widened(),
                );
            }
        }
    }
    out
}

/// The states of `t.against` after some string `t.prefix` matches.
fn configurations(t: &Track, budget: &mut usize) -> Option<Vec<Vec<u32>>> {
    let start = (t.prefix.start(), t.against.start());
    let mut seen: HashSet<(Vec<u32>, Vec<u32>)> = HashSet::default();
    let mut queue = vec![start.clone()];
    seen.insert(start);
    let mut out: Vec<Vec<u32>> = Vec::new();
    while let Some((p, q)) = queue.pop() {
        if t.prefix.accepts(&p) && !q.is_empty() && !out.contains(&q) {
            out.push(q.clone());
        }
        let mut chars = Vec::new();
        t.prefix.relevant(&p, &mut chars);
        t.against.relevant(&q, &mut chars);
        chars.push(filler(&chars));
        chars.sort_unstable();
        chars.dedup();
        for c in chars {
            let next = (t.prefix.step(&p, c), t.against.step(&q, c));
            if next.0.is_empty() || seen.contains(&next) {
                continue;
            }
            *budget = budget.checked_sub(1)?;
            seen.insert(next.clone());
            queue.push(next);
        }
    }
    Some(out)
}

/// A character no automaton treats specially.
fn filler(relevant: &[char]) -> char {
    FILLERS
        .chars()
        .chain('\u{e000}'..='\u{f8ff}')
        .find(|c| !relevant.contains(c) && !relevant.contains(&c.to_ascii_uppercase()))
        .unwrap_or('\u{f8ff}')
}

/// Whether `t.against`, from state `state`, can accept and can reject
/// a string of `t.suffix`: all that the text after the variable lets the
/// value's state matter for.
fn outcomes(t: &Track, state: &[u32], budget: &mut usize) -> Option<(bool, bool)> {
    let start = (t.suffix.start(), state.to_vec());
    let mut seen: HashSet<(Vec<u32>, Vec<u32>)> = HashSet::default();
    let mut queue = vec![start.clone()];
    seen.insert(start);
    let (mut accept, mut reject) = (false, false);
    while let Some((p, q)) = queue.pop() {
        if t.suffix.accepts(&p) {
            if t.against.accepts(&q) {
                accept = true;
            } else {
                reject = true;
            }
            if accept && reject {
                break;
            }
        }
        let mut chars = Vec::new();
        t.suffix.relevant(&p, &mut chars);
        t.against.relevant(&q, &mut chars);
        chars.push(filler(&chars));
        chars.sort_unstable();
        chars.dedup();
        for c in chars {
            let next = (t.suffix.step(&p, c), t.against.step(&q, c));
            if next.0.is_empty() || seen.contains(&next) {
                continue;
            }
            *budget = budget.checked_sub(1)?;
            seen.insert(next.clone());
            queue.push(next);
        }
    }
    Some((accept, reject))
}

/// The cells of the variable `key`: classes of values that every pattern
/// it is compared with treats alike, with a shortest value of each.
///
/// A variable's value is read after some text of the pattern it occurs in
/// (`arn:aws:s3:::bucket/home/` before `${aws:username}`) and before the
/// rest of it, against the other patterns of the same place in the slice
/// (resource ARNs, or the values of one condition key, each read as its
/// operator reads it), and by the patterns that test its key directly.
/// Values are explored breadth-first by the states they move those
/// patterns to, from every state they can be in at the variable (the
/// transition monoid restricted to the reachable states, so each value
/// found is a shortest one); two values are in one cell when, for every
/// such pattern and starting state, the rest of the pattern can make it
/// match (and not match) alike. Patterns with variables of their own are
/// not tracked: a variable compared with another (`${aws:username}` with
/// `${aws:PrincipalTag/name}`) is tried at its generic value, empty, and
/// the cells found (see `driver::with_values`). `None` when there are
/// more than `limit` cells or the exploration exceeds its state budget.
pub(crate) fn cells(
    key: &str,
    patterns: &[(Place, Pattern, Mode)],
    limit: usize,
) -> Option<Vec<String>> {
    let mut budget = 200_000usize;
    let mut starts: Vec<(usize, Vec<u32>)> = Vec::new();
    let tracks = tracks(key, patterns);
    for (i, t) in tracks.iter().enumerate() {
        for c in configurations(t, &mut budget)? {
            starts.push((i, c));
        }
    }
    let mut alphabet: Vec<char> = vec![':'];
    for t in &tracks {
        for a in t.against.atoms() {
            if let Atom::Char(c) = a {
                alphabet.push(*c);
                if t.against.ignore_case() {
                    alphabet.extend(variants(*c));
                }
            }
        }
    }
    alphabet.push(filler(&alphabet));
    alphabet.sort_unstable();
    alphabet.dedup();
    // A state holding a trailing `*` that matches anything accepts every
    // continuation: the rest of it does not matter.
    let normal = |t: &Track, mut state: Vec<u32>| -> Vec<u32> {
        if t.against.absorbing(&state) {
            let from = t.against.absorbing_from() as u32;
            state.retain(|&p| p >= from);
        }
        state
    };
    let step = |sig: &[Vec<u32>], c: char| -> Vec<Vec<u32>> {
        starts
            .iter()
            .zip(sig)
            .map(|((i, _), state)| match tracks.get(*i) {
                Some(t) if !state.is_empty() => normal(t, t.against.step(state, c)),
                _ => Vec::new(),
            })
            .collect()
    };
    let mut memo: HashMap<(usize, Vec<u32>), (bool, bool)> = HashMap::new();
    let mut coarse = |sig: &[Vec<u32>], budget: &mut usize| -> Option<Vec<(bool, bool)>> {
        let mut out = Vec::with_capacity(sig.len());
        for ((i, _), state) in starts.iter().zip(sig) {
            let key = (*i, state.clone());
            let o = match memo.get(&key) {
                Some(o) => *o,
                None => {
                    let o = match tracks.get(*i) {
                        Some(t) => outcomes(t, state, budget)?,
                        None => (false, false),
                    };
                    memo.insert(key, o);
                    o
                }
            };
            out.push(o);
        }
        Some(out)
    };
    let first: Vec<Vec<u32>> = starts
        .iter()
        .map(|(i, s)| match tracks.get(*i) {
            Some(t) => normal(t, s.clone()),
            None => Vec::new(),
        })
        .collect();
    let mut seen: HashSet<Vec<Vec<u32>>> = HashSet::default();
    let mut classes: HashSet<Vec<(bool, bool)>> = HashSet::default();
    classes.insert(coarse(&first, &mut budget)?);
    seen.insert(first.clone());
    let mut cells = vec![String::new()];
    let mut queue = std::collections::VecDeque::from([(String::new(), first)]);
    while let Some((text, sig)) = queue.pop_front() {
        for &c in &alphabet {
            let next = step(&sig, c);
            budget = budget.checked_sub(1 + next.len())?;
            if seen.contains(&next) {
                continue;
            }
            let mut longer = text.clone();
            longer.push(c);
            if classes.insert(coarse(&next, &mut budget)?) {
                if cells.len() >= limit {
                    return None;
                }
                cells.push(longer.clone());
            }
            seen.insert(next.clone());
            queue.push_back((longer, next));
        }
    }
    Some(cells)
}
