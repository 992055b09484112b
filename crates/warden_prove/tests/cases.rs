//! The prover's hand-written cases, `testdata/prove/*.toml` (format in
//! `testdata/prove/README.md`).
//!
//! - `case_expectations_hold_in_the_evaluator` checks the cases themselves,
//!   without the prover: every `yes` is shown by a concrete request (the
//!   case's `example_new` / `example_removed`, or one found by probing) that
//!   the evaluator allows under one policy and not the other, and no `no` is
//!   contradicted by any of 3,000 probe requests built from the policies' own
//!   literals.
//! - `prover_answers_every_case` runs `warden_prove::compare` on every case,
//!   checks both answers and the witness constraints, and replays every
//!   witness through the evaluator (see `support`).
//! - `case_files_are_listed_in_the_readme` keeps the README's table current.
//!
//! Failures are reported all at once, as `file::case`, each problem tagged
//! with its category (`[wrong answer]`, `[unknown]`, `[replay failed]`,
//! `[granted_by]`, `[malformed witness]`, `[inconsistent witness]`,
//! `[witness constraint]`, ...), with a count per category first.
#![allow(clippy::expect_used, clippy::indexing_slicing, reason = "tests")]

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::path::PathBuf;

use serde::Deserialize;
use serde_json::Value as Json;
use warden_eval::{CompiledPolicy, ContextValue};
use warden_ir::value::Instant;
use warden_policy::glob::{glob_match, glob_match_ignore_case};
use warden_prove::{DiffOptions, PolicyType, Verdict, Witness, WitnessRequest, compare};

// ---------------------------------------------------------------------------
// The case files.

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    case: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    name: String,
    doc: String,
    old: Doc,
    new: Doc,
    #[serde(default)]
    role: Option<String>,
    #[serde(default)]
    known_actions: bool,
    new_access: String,
    removed_access: String,
    #[serde(default)]
    example_new: Option<Example>,
    #[serde(default)]
    example_removed: Option<Example>,
    /// A known limit of the prover: an `unknown` answer whose reason
    /// contains this text is accepted in place of the expected one (which
    /// the evaluator check still verifies).
    #[serde(default)]
    unknown_ok: Option<String>,
    /// `witness_new_*` / `witness_removed_*` constraints (checked by name).
    #[serde(flatten)]
    witness: BTreeMap<String, toml::Value>,
}

/// A policy document: JSON text, or a TOML table with the same structure.
#[derive(Deserialize)]
#[serde(untagged)]
enum Doc {
    Json(String),
    Table(toml::Table),
}

impl Doc {
    fn text(&self) -> String {
        match self {
            Doc::Json(s) => s.clone(),
            Doc::Table(t) => serde_json::to_string(t).expect("a TOML table is JSON"),
        }
    }
}

/// A concrete request written in a case.
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Example {
    #[serde(default)]
    principal: Option<String>,
    action: String,
    resource: String,
    #[serde(default)]
    resource_account: Option<String>,
    #[serde(default)]
    context: BTreeMap<String, toml::Value>,
}

const WITNESS_KINDS: &[&str] = &[
    "action_matches",
    "action_not_matches",
    "resource_matches",
    "resource_not_matches",
    "principal_matches",
    "principal_not_matches",
    "context_has",
    "context_lacks",
    "context_equals",
    "context_matches",
    "granted_by",
];

/// Main account (the caller's in identity and SCP cases, the resource
/// owner's in resource-policy cases) and the outside account.
const MAIN_ACCOUNT: &str = "111122223333";
const OTHER_ACCOUNT: &str = "444455556666";

struct Loaded {
    file: String,
    case: Case,
    role: PolicyType,
    old_text: String,
    new_text: String,
    old: warden_policy::Policy,
    new: warden_policy::Policy,
}

impl Loaded {
    fn label(&self) -> String {
        format!("{}::{}", self.file, self.case.name)
    }
}

fn prove_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../testdata/prove")
}

fn parse_role(s: Option<&str>) -> Result<PolicyType, String> {
    match s {
        None | Some("identity") => Ok(PolicyType::Identity),
        Some("resource") => Ok(PolicyType::Resource),
        Some("scp") => Ok(PolicyType::Scp),
        Some(other) => Err(format!(
            "role `{other}`: expected identity, resource or scp"
        )),
    }
}

fn validate(case: &Case) -> Result<(), String> {
    if case.name.is_empty()
        || !case
            .name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Err("name must be kebab-case".into());
    }
    if !case.doc.contains("docs.aws.amazon.com") {
        return Err("doc must cite the documented rule with its docs.aws.amazon.com page".into());
    }
    for (field, v) in [
        ("new_access", &case.new_access),
        ("removed_access", &case.removed_access),
    ] {
        if v != "yes" && v != "no" {
            return Err(format!("{field} must be \"yes\" or \"no\", not {v:?}"));
        }
    }
    for key in case.witness.keys() {
        let (side, kind) = key
            .strip_prefix("witness_new_")
            .map(|k| ("new", k))
            .or_else(|| key.strip_prefix("witness_removed_").map(|k| ("removed", k)))
            .ok_or_else(|| format!("unknown field `{key}`"))?;
        if !WITNESS_KINDS.contains(&kind) {
            return Err(format!(
                "unknown witness constraint `{key}` (kinds: {})",
                WITNESS_KINDS.join(", ")
            ));
        }
        let expected = if side == "new" {
            &case.new_access
        } else {
            &case.removed_access
        };
        if expected != "yes" {
            return Err(format!(
                "`{key}` constrains a witness, but {side} is \"no\""
            ));
        }
    }
    if case.example_new.is_some() && case.new_access != "yes" {
        return Err("example_new given but new_access is \"no\"".into());
    }
    if case.example_removed.is_some() && case.removed_access != "yes" {
        return Err("example_removed given but removed_access is \"no\"".into());
    }
    Ok(())
}

/// Loads every case; problems with the files themselves are returned as
/// failures.
fn load() -> (Vec<Loaded>, Vec<String>) {
    let mut files: Vec<PathBuf> = std::fs::read_dir(prove_dir())
        .map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == "toml"));
    files.sort();
    assert!(
        !files.is_empty(),
        "no case files in {}",
        prove_dir().display()
    );
    let mut out = Vec::new();
    let mut failures = Vec::new();
    let mut names = BTreeSet::new();
    for path in &files {
        let file = path
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default();
        let text = std::fs::read_to_string(path).unwrap_or_default();
        let parsed: File = match toml::from_str(&text) {
            Ok(f) => f,
            Err(e) => {
                failures.push(format!("{file}: not a valid case file: {e}"));
                continue;
            }
        };
        for case in parsed.case {
            let label = format!("{file}::{}", case.name);
            if !names.insert(case.name.clone()) {
                failures.push(format!("{label}: duplicate case name"));
            }
            if let Err(e) = validate(&case) {
                failures.push(format!("{label}: {e}"));
                continue;
            }
            let role = match parse_role(case.role.as_deref()) {
                Ok(r) => r,
                Err(e) => {
                    failures.push(format!("{label}: {e}"));
                    continue;
                }
            };
            let (old_text, new_text) = (case.old.text(), case.new.text());
            let (old, new) = match (support::parse(&old_text), support::parse(&new_text)) {
                (Ok(o), Ok(n)) => (o, n),
                (Err(e), _) => {
                    failures.push(format!("{label}: OLD: {e}"));
                    continue;
                }
                (_, Err(e)) => {
                    failures.push(format!("{label}: NEW: {e}"));
                    continue;
                }
            };
            out.push(Loaded {
                file: file.clone(),
                case,
                role,
                old_text,
                new_text,
                old,
                new,
            });
        }
    }
    (out, failures)
}

/// Counts the `[category]` tags of the problems, for the summary line.
fn categories(failures: &[String]) -> String {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for f in failures {
        let mut rest = f.as_str();
        while let Some(i) = rest.find(": [") {
            rest = &rest[i + 3..];
            if let Some(end) = rest.find(']') {
                let tag = &rest[..end];
                if tag
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b == b' ' || b == b'_')
                {
                    *counts.entry(tag).or_default() += 1;
                }
            }
        }
    }
    counts
        .iter()
        .map(|(c, n)| format!("{n} {c}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn report(what: &str, total: usize, failures: &[String]) {
    eprintln!("{what}: {total} cases, {} failing", failures.len());
    assert!(
        failures.is_empty(),
        "{what}: {} of {total} cases fail ({}):\n\n{}\n",
        failures.len(),
        categories(failures),
        failures.join("\n\n")
    );
}

// ---------------------------------------------------------------------------
// The prover against the cases.

fn strings(v: &toml::Value) -> Vec<String> {
    match v {
        toml::Value::String(s) => vec![s.clone()],
        toml::Value::Array(a) => a.iter().flat_map(strings).collect(),
        other => vec![other.to_string()],
    }
}

fn context_value(v: &toml::Value) -> ContextValue {
    match v {
        toml::Value::Array(_) => ContextValue::Multi(strings(v)),
        toml::Value::String(s) => ContextValue::Single(s.clone()),
        other => ContextValue::Single(other.to_string()),
    }
}

/// Checks one constraint on a witness.
fn check_constraint(kind: &str, value: &toml::Value, witness: &Witness) -> Result<(), String> {
    let w = &witness.request;
    let present = |k: &str| {
        w.context
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(k))
            .map(|(_, v)| v)
            .filter(|v| !v.values().is_empty())
    };
    let ok = match kind {
        "action_matches" => strings(value)
            .iter()
            .any(|p| glob_match_ignore_case(p, &w.action)),
        "action_not_matches" => !strings(value)
            .iter()
            .any(|p| glob_match_ignore_case(p, &w.action)),
        "resource_matches" => strings(value).iter().any(|p| glob_match(p, &w.resource)),
        "resource_not_matches" => !strings(value).iter().any(|p| glob_match(p, &w.resource)),
        "principal_matches" => strings(value).iter().any(|p| glob_match(p, &w.principal)),
        "principal_not_matches" => !strings(value).iter().any(|p| glob_match(p, &w.principal)),
        "context_has" => strings(value).iter().all(|k| present(k).is_some()),
        "context_lacks" => strings(value).iter().all(|k| present(k).is_none()),
        "context_equals" => {
            let toml::Value::Table(t) = value else {
                return Err("context_equals must be a table".into());
            };
            t.iter().all(|(k, v)| {
                let want: BTreeSet<String> = strings(v).into_iter().collect();
                present(k).is_some_and(|got| {
                    got.values().iter().cloned().collect::<BTreeSet<_>>() == want
                })
            })
        }
        "context_matches" => {
            let toml::Value::Table(t) = value else {
                return Err("context_matches must be a table".into());
            };
            t.iter().all(|(k, v)| {
                let patterns = strings(v);
                present(k).is_some_and(|got| {
                    got.values()
                        .iter()
                        .all(|x| patterns.iter().any(|p| glob_match(p, x)))
                })
            })
        }
        "granted_by" => value
            .as_integer()
            .is_some_and(|i| usize::try_from(i).ok() == Some(witness.granted_by)),
        _ => return Err(format!("unknown constraint kind {kind}")),
    };
    if ok {
        Ok(())
    } else {
        Err(format!(
            "[witness constraint] the witness violates {kind} = {value}: {}",
            support::show(w)
        ))
    }
}

fn check_side(
    l: &Loaded,
    side: &str,
    expected: &str,
    verdict: &Verdict,
    allowing: &CompiledPolicy,
    other: &CompiledPolicy,
) -> Vec<String> {
    let mut problems = Vec::new();
    let got = match support::check_verdict(l.role, allowing, other, verdict, l.case.known_actions) {
        Ok(b) => b,
        Err(e) => {
            problems.push(format!("{side}: {e}"));
            return problems;
        }
    };
    let want = expected == "yes";
    if got.is_none()
        && let (Some(ok), Some(reason)) = (&l.case.unknown_ok, verdict.reason())
        && reason.to_string().contains(ok.as_str())
    {
        return problems;
    }
    if got != Some(want) {
        let category = if got.is_none() {
            "unknown"
        } else {
            "wrong answer"
        };
        problems.push(format!(
            "{side}: [{category}] expected {expected}, got {}",
            support::describe(verdict)
        ));
        return problems;
    }
    if let Some(w) = verdict.witness() {
        let prefix = format!("witness_{side}_");
        for (key, value) in &l.case.witness {
            if let Some(kind) = key.strip_prefix(&prefix)
                && let Err(e) = check_constraint(kind, value, w)
            {
                problems.push(format!("{side}: {e}"));
            }
        }
    }
    problems
}

#[test]
fn prover_answers_every_case() {
    let (cases, mut failures) = load();
    for l in &cases {
        let opts = DiffOptions {
            role: l.role,
            known_actions: l.case.known_actions,
            deadline: Some(std::time::Instant::now() + std::time::Duration::from_secs(20)),
        };
        let old = CompiledPolicy::compile(&l.old);
        let new = CompiledPolicy::compile(&l.new);
        let result = compare(&l.old, &l.new, &opts);
        let mut problems = check_side(l, "new", &l.case.new_access, &result.new_access, &new, &old);
        problems.extend(check_side(
            l,
            "removed",
            &l.case.removed_access,
            &result.removed_access,
            &old,
            &new,
        ));
        if !problems.is_empty() {
            failures.push(format!(
                "{}: {}\n    rule: {}",
                l.label(),
                problems.join("\n    "),
                l.case.doc
            ));
        }
    }
    report("prover cases", cases.len(), &failures);
}

// ---------------------------------------------------------------------------
// The cases against the evaluator, without the prover.

fn default_principal(role: PolicyType) -> String {
    match role {
        PolicyType::Resource => format!("arn:aws:iam::{OTHER_ACCOUNT}:user/bob"),
        _ => format!("arn:aws:iam::{MAIN_ACCOUNT}:user/alice"),
    }
}

fn example_request(role: PolicyType, e: &Example) -> WitnessRequest {
    WitnessRequest {
        principal: e
            .principal
            .clone()
            .unwrap_or_else(|| default_principal(role)),
        action: e.action.clone(),
        resource: e.resource.clone(),
        resource_account: e
            .resource_account
            .clone()
            .or_else(|| (role.is_resource_based()).then(|| MAIN_ACCOUNT.to_string())),
        context: e
            .context
            .iter()
            .map(|(k, v)| (k.clone(), context_value(v)))
            .collect(),
    }
}

/// A small deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % (n.max(1) as u64)).unwrap_or(0)
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// What probing a case draws requests from.
#[derive(Default)]
struct Vocab {
    actions: BTreeSet<String>,
    resources: BTreeSet<String>,
    principals: BTreeSet<String>,
    /// Lowercased key -> (key as written, candidate values, multivalued).
    keys: BTreeMap<String, (String, BTreeSet<String>, bool)>,
}

/// Keys derived from the principal: probes vary the principal instead.
const DERIVED: &[&str] = &["aws:username", "aws:principalarn", "aws:principalaccount"];

fn json_strings(v: Option<&Json>) -> Vec<String> {
    match v {
        Some(Json::String(s)) => vec![s.clone()],
        Some(Json::Array(a)) => a.iter().flat_map(|x| json_strings(Some(x))).collect(),
        Some(Json::Bool(b)) => vec![b.to_string()],
        Some(Json::Number(n)) => vec![n.to_string()],
        _ => Vec::new(),
    }
}

/// Replaces wildcards and policy variables: `*` by `star`, `?` by `one`,
/// `${key}` by `var` (or its default when `use_default`), `${*}` `${?}`
/// `${$}` by the literal character.
fn fill(p: &str, star: &str, one: &str, var: &str, use_default: bool) -> String {
    let mut out = String::new();
    let mut rest = p;
    while let Some(c) = rest.chars().next() {
        if let Some(after) = rest.strip_prefix("${")
            && let Some(end) = after.find('}')
        {
            let inner = &after[..end];
            match inner {
                "*" | "?" | "$" => out.push_str(inner),
                _ => match inner.split_once(',') {
                    Some((_, default)) if use_default => {
                        out.push_str(default.trim().trim_matches('\''));
                    }
                    _ => out.push_str(var),
                },
            }
            rest = &after[end + 1..];
            continue;
        }
        match c {
            '*' => out.push_str(star),
            '?' => out.push_str(one),
            _ => out.push(c),
        }
        rest = &rest[c.len_utf8()..];
    }
    out
}

fn fills(p: &str) -> Vec<String> {
    let mut v = Vec::new();
    for (star, one, var, def) in [
        ("", "x", "alice", false),
        ("x", "x", "alice", false),
        ("Object", "G", "bob", false),
        ("a:b", ":", "alice", true),
        ("/", "y", "bob", true),
    ] {
        v.push(fill(p, star, one, var, def));
    }
    v
}

/// Variable keys in a pattern, with their defaults.
fn variables(p: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = p;
    while let Some(i) = rest.find("${") {
        let after = &rest[i + 2..];
        let Some(end) = after.find('}') else { break };
        let inner = &after[..end];
        if !matches!(inner, "*" | "?" | "$") {
            out.push(inner.split(',').next().unwrap_or("").trim().to_string());
        }
        rest = &after[end + 1..];
    }
    out
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn iso(seconds: i64, frac: &str) -> String {
    let (y, m, d) = civil_from_days(seconds.div_euclid(86_400));
    let s = seconds.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}{frac}Z",
        s / 3600,
        s / 60 % 60,
        s % 60
    )
}

fn number_variants(text: &str) -> Vec<String> {
    let mut v = vec![text.to_string()];
    if let Ok(c) = text.trim().parse::<f64>() {
        for d in [-1.0, -0.5, 0.0, 0.5, 1.0] {
            v.push(format!("{}", c + d));
        }
    }
    v
}

fn date_variants(text: &str) -> Vec<String> {
    let mut v = vec![text.to_string()];
    if let Some(i) = Instant::parse(text) {
        for d in [-1, 0, 1] {
            let s = i.seconds + d;
            v.push(iso(s, ""));
            v.push(iso(s, ".5"));
            if s >= 0 {
                v.push(s.to_string());
            }
        }
    }
    v
}

fn ip_variants(text: &str) -> Vec<String> {
    let (addr, prefix) = match text.split_once('/') {
        Some((a, p)) => (a, p.parse::<u32>().ok()),
        None => (text, None),
    };
    let mut v = vec![addr.to_string()];
    // Both families as 128-bit numbers of `bits` significant bits.
    let (bits, value) = match addr.parse::<IpAddr>() {
        Ok(IpAddr::V4(a)) => (32, u128::from(u32::from(a))),
        Ok(IpAddr::V6(a)) => (128, u128::from(a)),
        Err(_) => return v,
    };
    let full = u128::MAX >> (128 - bits);
    let p = prefix.unwrap_or(bits).min(bits);
    let mask = if p == 0 {
        0
    } else {
        (u128::MAX << (bits - p)) & full
    };
    let net = value & mask;
    let last = net | (!mask & full);
    for x in [
        Some(net),
        Some(last),
        net.checked_sub(1),
        last.checked_add(1).filter(|&x| x <= full),
    ]
    .into_iter()
    .flatten()
    {
        v.push(match u32::try_from(x) {
            Ok(x4) if bits == 32 => Ipv4Addr::from(x4).to_string(),
            _ => Ipv6Addr::from(x).to_string(),
        });
    }
    v
}

fn string_variants(text: &str) -> Vec<String> {
    let mut v = vec![text.to_string()];
    for f in fills(text) {
        v.push(f.to_uppercase());
        v.push(f.to_lowercase());
        v.push(format!("{f}z"));
        v.push(f);
    }
    v
}

impl Vocab {
    fn key(&mut self, key: &str) -> &mut (String, BTreeSet<String>, bool) {
        self.keys
            .entry(key.to_ascii_lowercase())
            .or_insert_with(|| (key.to_string(), BTreeSet::new(), false))
    }

    fn add_variable_keys(&mut self, pattern: &str) {
        for k in variables(pattern) {
            if !DERIVED.contains(&k.to_ascii_lowercase().as_str()) {
                let entry = self.key(&k);
                entry.1.insert("alice".into());
                entry.1.insert("bob".into());
            }
        }
    }

    fn add_policy(&mut self, doc: &Json) {
        let statements = match doc.get("Statement") {
            Some(Json::Array(a)) => a.clone(),
            Some(s) => vec![s.clone()],
            None => Vec::new(),
        };
        for s in &statements {
            for field in ["Action", "NotAction"] {
                for a in json_strings(s.get(field)) {
                    for f in fills(&a) {
                        self.actions.insert(f);
                    }
                    for x in warden_catalog::Catalog::get().expand(&a).iter().take(6) {
                        self.actions.insert(x.to_string());
                    }
                }
            }
            for field in ["Resource", "NotResource"] {
                for r in json_strings(s.get(field)) {
                    self.add_variable_keys(&r);
                    for f in fills(&r) {
                        self.resources.insert(f);
                    }
                }
            }
            for field in ["Principal", "NotPrincipal"] {
                match s.get(field) {
                    Some(Json::Object(m)) => {
                        for (kind, v) in m {
                            for p in json_strings(Some(v)) {
                                self.add_principal(kind, &p);
                            }
                        }
                    }
                    Some(Json::String(_)) => {}
                    _ => {}
                }
            }
            if let Some(Json::Object(ops)) = s.get("Condition") {
                for (op, entries) in ops {
                    let Json::Object(entries) = entries else {
                        continue;
                    };
                    let base = op.rsplit(':').next().unwrap_or(op);
                    let base = base.strip_suffix("IfExists").unwrap_or(base);
                    for (key, values) in entries {
                        let values = json_strings(Some(values));
                        for v in &values {
                            self.add_variable_keys(v);
                        }
                        if DERIVED.contains(&key.to_ascii_lowercase().as_str()) {
                            continue;
                        }
                        // The prover's rule: the catalog's type, unknown
                        // keys multivalued (never how the policy uses the key).
                        let multi = warden_catalog::Catalog::get()
                            .is_multivalued(key)
                            .unwrap_or(true);
                        let entry = self.key(key);
                        entry.2 |= multi;
                        for v in &values {
                            let variants = if base.starts_with("Numeric") {
                                number_variants(v)
                            } else if base.starts_with("Date") {
                                date_variants(v)
                            } else if base.ends_with("IpAddress") {
                                ip_variants(v)
                            } else if base == "Bool" || base == "Null" {
                                vec!["true".into(), "false".into()]
                            } else {
                                string_variants(v)
                            };
                            entry.1.extend(variants);
                        }
                        if base.ends_with("IpAddress") {
                            entry.1.extend(["192.0.2.1".into(), "2001:db8::1".into()]);
                        }
                        entry.1.insert("x".into());
                    }
                }
            }
        }
    }

    fn add_principal(&mut self, kind: &str, p: &str) {
        if kind != "AWS" {
            self.principals.insert(p.to_string());
            return;
        }
        if p == "*" {
            return;
        }
        if p.bytes().all(|b| b.is_ascii_digit()) {
            self.principals
                .insert(format!("arn:aws:iam::{p}:user/probe"));
            return;
        }
        self.principals.insert(p.to_string());
        let parts: Vec<&str> = p.splitn(6, ':').collect();
        if let [_, _, _, _, account, resource] = parts.as_slice() {
            self.principals
                .insert(format!("arn:aws:iam::{account}:user/probe"));
            if let Some(role) = resource.strip_prefix("role/") {
                let name = role.rsplit('/').next().unwrap_or(role);
                self.principals
                    .insert(format!("arn:aws:sts::{account}:assumed-role/{name}/probe"));
            }
        }
    }
}

/// Probe requests for a case, deterministic per case name.
fn probes(l: &Loaded, count: usize) -> Vec<WitnessRequest> {
    let mut vocab = Vocab::default();
    for text in [&l.old_text, &l.new_text] {
        let doc: Json = serde_json::from_str(text).expect("policies are JSON");
        vocab.add_policy(&doc);
    }
    vocab.actions.extend(
        [
            "s3:GetObject",
            "s3:PutObject",
            "iam:CreateUser",
            "sqs:SendMessage",
            "ec2:RunInstances",
            "kms:Decrypt",
            "dynamodb:GetItem",
        ]
        .map(String::from),
    );
    if l.case.known_actions {
        let catalog = warden_catalog::Catalog::get();
        vocab.actions.retain(|a| catalog.action(a).is_some());
    }
    vocab
        .resources
        .extend(["arn:aws:s3:::b/x", "*"].map(String::from));
    let principals: Vec<String> = match l.role {
        PolicyType::Resource => {
            let mut p: Vec<String> = vocab.principals.iter().cloned().collect();
            p.extend([
                format!("arn:aws:iam::{OTHER_ACCOUNT}:user/bob"),
                format!("arn:aws:sts::{OTHER_ACCOUNT}:assumed-role/app/s1"),
                "arn:aws:iam::777788889999:user/carol".to_string(),
                "lambda.amazonaws.com".to_string(),
            ]);
            p
        }
        _ => vec![
            format!("arn:aws:iam::{MAIN_ACCOUNT}:user/alice"),
            format!("arn:aws:iam::{MAIN_ACCOUNT}:user/bob"),
            format!("arn:aws:sts::{MAIN_ACCOUNT}:assumed-role/app/alice"),
        ],
    };
    let actions: Vec<&String> = vocab.actions.iter().collect();
    let resources: Vec<&String> = vocab.resources.iter().collect();
    let keys: Vec<(String, Vec<String>, bool)> = vocab
        .keys
        .values()
        .map(|(k, vs, m)| (k.clone(), vs.iter().cloned().collect(), *m))
        .collect();
    let seed = l.case.name.bytes().fold(0x9E37_79B9_7F4A_7C15_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01B3)
    });
    let mut rng = Rng(seed | 1);
    let mut out = Vec::with_capacity(count);
    for i in 0..count {
        let principal = rng.pick(&principals).clone();
        let mut context = BTreeMap::new();
        // Half the probes leave each key out with probability 1/2.
        let sparse = i % 2 == 0;
        for (key, values, multi) in &keys {
            let absent = if sparse {
                rng.below(2) == 0
            } else {
                rng.below(values.len() + 1) == 0
            };
            if absent {
                continue;
            }
            let value = if *multi {
                let n = rng.below(4);
                ContextValue::Multi((0..n).map(|_| rng.pick(values).clone()).collect())
            } else {
                ContextValue::Single(rng.pick(values).clone())
            };
            context.insert(key.clone(), value);
        }
        // Identity and SCP probes: the caller's own account, so that the
        // identity policies alone decide. Resource probes: the owner's
        // account, while the callers are mostly outside it.
        let resource_account = Some(MAIN_ACCOUNT.to_string());
        out.push(WitnessRequest {
            principal,
            action: (*rng.pick(&actions)).clone(),
            resource: (*rng.pick(&resources)).clone(),
            resource_account,
            context,
        });
    }
    out
}

/// Whether `request` is allowed by `allowing` and not by `other`.
fn differs(
    role: PolicyType,
    allowing: &CompiledPolicy,
    other: &CompiledPolicy,
    w: &WitnessRequest,
) -> bool {
    let r = support::to_request(w);
    support::allows(role, allowing, &r) && !support::allows(role, other, &r)
}

fn check_expectations(l: &Loaded) -> Vec<String> {
    let mut problems = Vec::new();
    let old = CompiledPolicy::compile(&l.old);
    let new = CompiledPolicy::compile(&l.new);
    let sides = [
        ("new", &l.case.new_access, &l.case.example_new, &new, &old),
        (
            "removed",
            &l.case.removed_access,
            &l.case.example_removed,
            &old,
            &new,
        ),
    ];
    let probes = probes(l, 3000);
    // (NEW allows, OLD allows) per probe.
    let decided: Vec<(bool, bool)> = probes
        .iter()
        .map(|w| {
            let r = support::to_request(w);
            (
                support::allows(l.role, &new, &r),
                support::allows(l.role, &old, &r),
            )
        })
        .collect();
    for (side, expected, example, allowing, other) in sides {
        if let Some(e) = example {
            let w = example_request(l.role, e);
            if let Err(err) = support::check_consistent(&w) {
                problems.push(format!("example_{side}: {err}"));
            }
            if !differs(l.role, allowing, other, &w) {
                let r = support::to_request(&w);
                problems.push(format!(
                    "example_{side} is not allowed by one policy and denied by the other: \
                     allowing policy gives {:?}, other gives {:?}\n      request: {}",
                    support::decide_as(l.role, allowing, &r),
                    support::decide_as(l.role, other, &r),
                    support::show(&w)
                ));
            }
        }
        let found = probes.iter().zip(&decided).find_map(|(w, &(n, o))| {
            let hit = if side == "new" { n && !o } else { o && !n };
            hit.then_some(w)
        });
        match (expected.as_str(), found) {
            ("no", Some(w)) => problems.push(format!(
                "{side}_access is \"no\" but this request is allowed by one and not the other: {}",
                support::show(w)
            )),
            ("yes", None) if example.is_none() => problems.push(format!(
                "{side}_access is \"yes\" but no probe shows it: add example_{side}"
            )),
            _ => {}
        }
    }
    // The witness constraints must be satisfiable by the case's own example
    // when there is one (a check on the case, not on the prover).
    for (side, example) in [
        ("new", &l.case.example_new),
        ("removed", &l.case.example_removed),
    ] {
        let Some(e) = example else { continue };
        let w = Witness {
            request: example_request(l.role, e),
            granted_by: usize::MAX,
        };
        let prefix = format!("witness_{side}_");
        for (key, value) in &l.case.witness {
            if let Some(kind) = key.strip_prefix(&prefix)
                && kind != "granted_by"
                && let Err(err) = check_constraint(kind, value, &w)
            {
                problems.push(format!(
                    "example_{side} does not satisfy its own constraint: {err}"
                ));
            }
        }
    }
    problems
}

#[test]
fn case_expectations_hold_in_the_evaluator() {
    let (cases, mut failures) = load();
    for l in &cases {
        let problems = check_expectations(l);
        if !problems.is_empty() {
            failures.push(format!("{}: {}", l.label(), problems.join("\n    ")));
        }
    }
    report("case expectations", cases.len(), &failures);
}

#[test]
fn case_files_are_listed_in_the_readme() {
    let readme = std::fs::read_to_string(prove_dir().join("README.md")).unwrap_or_default();
    let (cases, _) = load();
    let mut per_file: BTreeMap<&str, usize> = BTreeMap::new();
    for l in &cases {
        *per_file.entry(l.file.as_str()).or_default() += 1;
    }
    let missing: Vec<String> = per_file
        .iter()
        .filter(|(f, n)| !readme.contains(&format!("| `{f}` | {n} |")))
        .map(|(f, n)| format!("| `{f}` | {n} |"))
        .collect();
    assert!(
        missing.is_empty(),
        "testdata/prove/README.md must list each file with its case count; missing rows:\n{}",
        missing.join("\n")
    );
}
