//! `compare` on consecutive versions of every AWS managed policy (the
//! vendored corpus, `warden_testdata::managed_policies()`), read as identity
//! policies over all action names.
//!
//! Every witness is replayed through the evaluator (see `support`), every
//! `No` is checked against requests sampled from both documents
//! (`warden_testdata::sample_requests`), and a summary is snapshotted:
//! number of pairs, yes/no/unknown counts per direction, and the unknown
//! pairs with their reasons (expected: none).
//!
//! Speed: there are about 4,600 pairs. An optimized build decides all of
//! them in seconds (the target: under 20 s on one core), but the test
//! profile is unoptimized and about 10-20 times slower, which does not fit the
//! one-minute budget of a debug `cargo test` on two cores. So a debug run
//! takes every 20th pair (about 230, in corpus order: policies sorted by name,
//! versions by number), deterministically, on all cores, and snapshots that
//! sample as `managed_policy_pairs_every_20th`; an optimized run
//! (`cargo test --release -p warden_prove --test corpus`) takes every pair and
//! snapshots `managed_policy_pairs_all`. `WARDEN_PROVE_CORPUS_STEP=N` takes
//! every N-th pair instead (snapshotted only when N is 1 or 20). Each pair has
//! a 10-second deadline (a pathological pair shows up as an unknown), and the
//! run a 120-second budget: a prover too slow for it fails the test with its
//! slowest pairs instead of hanging it.
#![allow(clippy::expect_used, reason = "tests")]

mod support;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use serde::Serialize;
use warden_eval::CompiledPolicy;
use warden_prove::{DiffOptions, PolicyType, Verdict, VerdictCounts, compare};

/// Pairs taken in an unoptimized build: every `DEBUG_STEP`-th.
const DEBUG_STEP: usize = 20;

/// Time one pair may take before `compare` should give up (its deadline).
const PAIR_DEADLINE: Duration = Duration::from_secs(10);

/// Time the whole run may take; pairs not started by then are counted as
/// skipped and fail the test, so a slow prover fails clearly instead of
/// making the test hang.
const RUN_BUDGET: Duration = Duration::from_secs(120);

struct Pair {
    label: String,
    old_text: String,
    new_text: String,
}

#[derive(Default, Serialize)]
struct Summary {
    pairs: usize,
    /// Every how many pairs of the corpus were taken.
    step: usize,
    equivalent: usize,
    new_access: VerdictCounts,
    removed_access: VerdictCounts,
    /// `policy vN -> vM: side: reason`.
    unknown: Vec<String>,
}

/// What checking one pair found.
struct Outcome {
    label: String,
    new_access: Verdict,
    removed_access: Verdict,
    problems: Vec<String>,
    micros: u128,
}

fn pairs() -> Vec<Pair> {
    let policies = warden_testdata::managed_policies().expect("the managed-policy corpus loads");
    warden_testdata::version_pairs(&policies)
        .map(|p| Pair {
            label: p.label(),
            old_text: p.old.to_string(),
            new_text: p.new.to_string(),
        })
        .collect()
}

/// Requests built from the policy text, within the prover's request space.
fn samples(text: &str) -> Vec<warden_eval::Request> {
    warden_testdata::sample_requests(text, 24)
        .iter()
        .filter(|s| s.has_request_resource())
        .map(warden_testdata::SampleRequest::to_request)
        .collect()
}

fn check_pair(pair: &Pair, stop_at: Instant) -> Outcome {
    let mut problems = Vec::new();
    let (old, new) = match (
        support::parse(&pair.old_text),
        support::parse(&pair.new_text),
    ) {
        (Ok(o), Ok(n)) => (o, n),
        (Err(e), _) | (_, Err(e)) => {
            // Not compared: the pair fails the test through `problems`
            // (checked before anything reads the verdicts).
            return Outcome {
                label: pair.label.clone(),
                new_access: Verdict::No,
                removed_access: Verdict::No,
                problems: vec![e],
                micros: 0,
            };
        }
    };
    let role = PolicyType::Identity;
    let opts = DiffOptions {
        role,
        known_actions: false,
        deadline: Some((Instant::now() + PAIR_DEADLINE).min(stop_at)),
    };
    let start = Instant::now();
    let c = compare(&old, &new, &opts);
    let micros = start.elapsed().as_micros();
    let old_c = CompiledPolicy::compile(&old);
    let new_c = CompiledPolicy::compile(&new);
    for (side, verdict, allowing, other) in [
        ("new_access", &c.new_access, &new_c, &old_c),
        ("removed_access", &c.removed_access, &old_c, &new_c),
    ] {
        if let Err(e) = support::check_verdict(role, allowing, other, verdict, false) {
            problems.push(format!("{side}: {e}"));
        }
    }
    // A No must hold on the requests built from either document.
    let mut requests = samples(&pair.old_text);
    requests.extend(samples(&pair.new_text));
    for r in &requests {
        let by_new = support::allows(role, &new_c, r);
        let by_old = support::allows(role, &old_c, r);
        if c.new_access == Verdict::No && by_new && !by_old {
            problems.push(format!(
                "new_access: [wrong answer] No, but NEW allows and OLD denies {} on {}",
                r.action(),
                r.resource
            ));
            break;
        }
        if c.removed_access == Verdict::No && by_old && !by_new {
            problems.push(format!(
                "removed_access: [wrong answer] No, but OLD allows and NEW denies {} on {}",
                r.action(),
                r.resource
            ));
            break;
        }
    }
    Outcome {
        label: pair.label.clone(),
        new_access: c.new_access,
        removed_access: c.removed_access,
        problems,
        micros,
    }
}

fn step() -> usize {
    match std::env::var("WARDEN_PROVE_CORPUS_STEP") {
        Ok(s) => s.parse().ok().filter(|&n| n > 0).unwrap_or(1),
        Err(_) if cfg!(debug_assertions) => DEBUG_STEP,
        Err(_) => 1,
    }
}

#[test]
fn managed_policy_version_pairs() {
    let all = pairs();
    assert!(all.len() > 4_000, "only {} pairs in the corpus", all.len());
    let step = step();
    let taken: Vec<&Pair> = all.iter().step_by(step).collect();
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(8);
    let started = Instant::now();
    let stop_at = started + RUN_BUDGET;
    let mut outcomes: Vec<(usize, Option<Outcome>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let taken = &taken;
                scope.spawn(move || {
                    taken
                        .iter()
                        .enumerate()
                        .skip(t)
                        .step_by(threads)
                        .map(|(i, p)| {
                            (
                                i,
                                (Instant::now() < stop_at).then(|| check_pair(p, stop_at)),
                            )
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("a worker panicked"))
            .collect()
    });
    outcomes.sort_by_key(|(i, _)| *i);
    let elapsed = started.elapsed();

    let skipped = outcomes.iter().filter(|(_, o)| o.is_none()).count();
    let outcomes: Vec<Outcome> = outcomes.into_iter().filter_map(|(_, o)| o).collect();
    let mut slowest: Vec<(u128, &str)> = outcomes
        .iter()
        .map(|o| (o.micros, o.label.as_str()))
        .collect();
    slowest.sort_unstable_by(|a, b| b.cmp(a));
    eprintln!("slowest pairs (us): {:?}", &slowest[..slowest.len().min(8)]);
    assert!(
        skipped == 0,
        "too slow: the run budget of {RUN_BUDGET:?} ran out after {} of {} pairs; slowest: {:?}",
        outcomes.len(),
        outcomes.len() + skipped,
        &slowest[..slowest.len().min(8)]
    );
    let mut summary = Summary {
        pairs: outcomes.len(),
        step,
        ..Summary::default()
    };
    let mut problems = Vec::new();
    let mut times: Vec<u128> = Vec::with_capacity(outcomes.len());
    for o in &outcomes {
        summary.new_access.add(&o.new_access);
        summary.removed_access.add(&o.removed_access);
        if o.new_access == Verdict::No && o.removed_access == Verdict::No {
            summary.equivalent += 1;
        }
        for (side, v) in [
            ("new_access", &o.new_access),
            ("removed_access", &o.removed_access),
        ] {
            if let Some(r) = v.reason() {
                summary.unknown.push(format!("{}: {side}: {r}", o.label));
            }
        }
        for p in &o.problems {
            problems.push(format!("{}: {p}", o.label));
        }
        times.push(o.micros);
    }
    times.sort_unstable();
    let pct = |q: usize| times.get((times.len() * q / 100).min(times.len().saturating_sub(1)));
    eprintln!(
        "{} pairs (every {step}th) in {:.1}s on {threads} threads; compare: median {:?} us, p99 {:?} us, max {:?} us",
        summary.pairs,
        elapsed.as_secs_f64(),
        pct(50).copied().unwrap_or(0),
        pct(99).copied().unwrap_or(0),
        times.last().copied().unwrap_or(0),
    );
    let mut categories: BTreeMap<&str, usize> = BTreeMap::new();
    for p in &problems {
        if let Some(c) = p.split_once(": [").and_then(|(_, r)| r.split_once(']')) {
            *categories.entry(c.0).or_default() += 1;
        }
    }
    assert!(
        problems.is_empty(),
        "{} of {} pairs have wrong or unconfirmed answers ({categories:?}):\n{}",
        problems.len(),
        summary.pairs,
        problems.join("\n")
    );
    let unknown_reasons: BTreeMap<&str, usize> =
        summary.unknown.iter().fold(BTreeMap::new(), |mut m, line| {
            let reason = line.rsplit(": ").next().unwrap_or("");
            *m.entry(reason).or_default() += 1;
            m
        });
    eprintln!("unknown answers by reason: {unknown_reasons:?}");
    let name = match step {
        1 => "managed_policy_pairs_all",
        DEBUG_STEP => "managed_policy_pairs_every_20th",
        _ => return,
    };
    insta::assert_json_snapshot!(name, summary);
}
