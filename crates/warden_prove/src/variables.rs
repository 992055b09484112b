//! Policy variables: which keys the policies substitute, and which values
//! to try for them when the over-approximation (variables as free
//! booleans) finds a difference.
//!
//! The first assignment gives every key a value no policy mentions (a
//! "generic" user). Then each key in turn takes values read from the other
//! patterns at the same position: with `.../home/${aws:username}/*` and
//! `.../home/bob/*`, `bob`. These are candidates, not a proof: a found
//! witness is replayed, and when none is found the answer is `unknown`.

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
