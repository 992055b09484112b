//! Compares every consecutive version pair of every AWS managed policy with
//! `warden_prove::compare`, on one thread, and prints how many pairs add
//! access, remove access, are equivalent or are unknown, and the time per
//! pair (median, p90, p99, max, the slowest pairs) and in total:
//!
//! ```sh
//! cargo xtask bench-diff [--known-actions] [--json] [--limit N] [--timeout MS]
//! ```
//!
//! A debug build of xtask runs itself again as a release build (the
//! figures are those of optimized code). Parsing is not timed. A pair whose comparison panics is counted and
//! named, and the run goes on.

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use warden_policy::Policy;
use warden_prove::{Comparison, DiffOptions, VerdictCounts};

const USAGE: &str = "usage: cargo xtask bench-diff [--known-actions] [--json] [--limit N] [--timeout MS (per pair)]";

/// How many of the slowest pairs, and of the unknown reasons, are listed.
const TOP: usize = 5;

struct Args {
    known_actions: bool,
    json: bool,
    limit: Option<usize>,
    timeout: Option<Duration>,
}

fn parse_args(raw: &[String]) -> Result<Args, String> {
    let mut args = Args {
        known_actions: false,
        json: false,
        limit: None,
        timeout: None,
    };
    let mut it = raw.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "-h" | "--help" => return Err(String::new()),
            "--known-actions" => args.known_actions = true,
            "--json" => args.json = true,
            "--limit" | "--timeout" => {
                let n: u64 = it
                    .next()
                    .and_then(|v| v.parse().ok())
                    .ok_or_else(|| format!("{a} needs a number"))?;
                if a == "--limit" {
                    args.limit = Some(usize::try_from(n).unwrap_or(usize::MAX));
                } else {
                    args.timeout = Some(Duration::from_millis(n));
                }
            }
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(args)
}

/// `cargo xtask bench-diff ARGS`.
pub(crate) fn main(raw: &[String]) -> crate::Result<ExitCode> {
    let args = match parse_args(raw) {
        Ok(a) => a,
        Err(e) if e.is_empty() => {
            println!("{USAGE}");
            return Ok(ExitCode::SUCCESS);
        }
        Err(e) => {
            eprintln!("error: {e}\n{USAGE}");
            return Ok(ExitCode::from(2));
        }
    };
    if let Some(exit) = crate::rerun_as_release("bench-diff", raw) {
        return exit;
    }
    run(&args)?;
    Ok(ExitCode::SUCCESS)
}

/// One compared pair.
struct Timed {
    name: String,
    micros: u64,
}

#[derive(Default)]
struct Results {
    times: Vec<Timed>,
    new_access: VerdictCounts,
    removed_access: VerdictCounts,
    equivalent: usize,
    /// Pairs not compared because a version does not parse.
    parse_errors: Vec<String>,
    /// Pairs whose comparison panicked.
    panicked: Vec<String>,
    /// Unknown answers by reason.
    reasons: BTreeMap<String, usize>,
    total: Duration,
}

impl Results {
    fn record(&mut self, name: String, c: &Comparison, elapsed: Duration) {
        self.new_access.add(&c.new_access);
        self.removed_access.add(&c.removed_access);
        self.equivalent += usize::from(c.equivalent());
        for r in [c.new_access.reason(), c.removed_access.reason()]
            .into_iter()
            .flatten()
        {
            *self.reasons.entry(r.to_string()).or_default() += 1;
        }
        self.total += elapsed;
        self.times.push(Timed {
            name,
            micros: u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX),
        });
    }
}

fn run(args: &Args) -> Result<(), String> {
    let wall = Instant::now();
    let policies = warden_testdata::managed_policies()?;
    let mut results = Results::default();
    let parse = |text: &str| {
        warden_policy::parse_policy(text)
            .into_result()
            .ok()
            .map(|(p, _)| p)
    };
    let pairs = warden_testdata::version_pairs(&policies).take(args.limit.unwrap_or(usize::MAX));
    for pair in pairs {
        let name = pair.label();
        let (Some(old), Some(new)) = (parse(pair.old), parse(pair.new)) else {
            results.parse_errors.push(name);
            continue;
        };
        compare_timed(&old, &new, args, name, &mut results);
    }
    let wall = wall.elapsed();
    if args.json {
        println!("{}", summary_json(&mut results, args, wall));
    } else {
        print!("{}", summary_text(&mut results, args, wall));
    }
    Ok(())
}

/// Compares one pair and records its answers and time; a panic is
/// recorded, not propagated.
fn compare_timed(old: &Policy, new: &Policy, args: &Args, name: String, results: &mut Results) {
    let options = DiffOptions {
        role: warden_prove::PolicyType::Identity,
        known_actions: args.known_actions,
        deadline: args.timeout.and_then(|t| Instant::now().checked_add(t)),
    };
    let start = Instant::now();
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        warden_prove::compare(old, new, &options)
    }));
    let elapsed = start.elapsed();
    match outcome {
        Ok(c) => results.record(name, &c, elapsed),
        Err(_) => results.panicked.push(name),
    }
}

/// The `q` quantile (0..=1) of sorted `times`, nearest rank.
fn quantile(times: &[Timed], q: f64) -> u64 {
    if times.is_empty() {
        return 0;
    }
    let rank = ((q * times.len() as f64).ceil() as usize).clamp(1, times.len());
    times.get(rank - 1).map_or(0, |t| t.micros)
}

fn slowest(times: &[Timed]) -> impl Iterator<Item = &Timed> {
    times.iter().rev().take(TOP)
}

fn top_reasons(reasons: &BTreeMap<String, usize>) -> Vec<(&str, usize)> {
    let mut v: Vec<(&str, usize)> = reasons.iter().map(|(r, n)| (r.as_str(), *n)).collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    v.truncate(TOP);
    v
}

fn summary_text(r: &mut Results, args: &Args, wall: Duration) -> String {
    use std::fmt::Write as _;
    r.times.sort_by_key(|t| t.micros);
    let mut s = String::new();
    let space = if args.known_actions {
        "catalog actions"
    } else {
        "all strings"
    };
    let _ = writeln!(
        s,
        "pairs: {} compared ({space}), {} not parsed, {} panicked",
        r.times.len(),
        r.parse_errors.len(),
        r.panicked.len()
    );
    let _ = writeln!(
        s,
        "new access:     {} yes, {} no, {} unknown",
        r.new_access.yes, r.new_access.no, r.new_access.unknown
    );
    let _ = writeln!(
        s,
        "removed access: {} yes, {} no, {} unknown",
        r.removed_access.yes, r.removed_access.no, r.removed_access.unknown
    );
    let _ = writeln!(s, "equivalent:     {}", r.equivalent);
    let _ = writeln!(
        s,
        "time per pair (µs): median {}, p90 {}, p99 {}, max {}",
        quantile(&r.times, 0.5),
        quantile(&r.times, 0.9),
        quantile(&r.times, 0.99),
        r.times.last().map_or(0, |t| t.micros)
    );
    let _ = writeln!(
        s,
        "total: {:.3} s comparing, {:.3} s wall (loading and parsing included)",
        r.total.as_secs_f64(),
        wall.as_secs_f64()
    );
    let _ = writeln!(s, "slowest:");
    for t in slowest(&r.times) {
        let _ = writeln!(s, "  {:>10} µs  {}", t.micros, t.name);
    }
    let reasons = top_reasons(&r.reasons);
    if !reasons.is_empty() {
        let _ = writeln!(s, "unknown answers, most frequent reasons:");
        for (reason, n) in reasons {
            let _ = writeln!(s, "  {n:>6}  {reason}");
        }
    }
    for (what, names) in [("not parsed", &r.parse_errors), ("panicked", &r.panicked)] {
        if !names.is_empty() {
            let _ = writeln!(s, "{what}: {}", names.join(", "));
        }
    }
    s
}

fn summary_json(r: &mut Results, args: &Args, wall: Duration) -> serde_json::Value {
    r.times.sort_by_key(|t| t.micros);
    serde_json::json!({
        "pairs": r.times.len(),
        "known_actions": args.known_actions,
        "new_access": r.new_access,
        "removed_access": r.removed_access,
        "equivalent": r.equivalent,
        "micros": {
            "median": quantile(&r.times, 0.5),
            "p90": quantile(&r.times, 0.9),
            "p99": quantile(&r.times, 0.99),
            "max": r.times.last().map_or(0, |t| t.micros),
        },
        "slowest": slowest(&r.times)
            .map(|t| serde_json::json!({"pair": t.name, "micros": t.micros}))
            .collect::<Vec<_>>(),
        "total_seconds": r.total.as_secs_f64(),
        "wall_seconds": wall.as_secs_f64(),
        "unknown_reasons": top_reasons(&r.reasons)
            .into_iter()
            .map(|(reason, n)| serde_json::json!({"reason": reason, "answers": n}))
            .collect::<Vec<_>>(),
        "not_parsed": r.parse_errors,
        "panicked": r.panicked,
    })
}
