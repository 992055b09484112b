//! The deadline bounds the whole comparison, building the cells included,
//! and memory stays bounded, on policies of thousands of statements
//! generated here (not stored: a few megabytes of JSON).
#![allow(
    clippy::panic,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "tests"
)]

mod support;

use std::time::{Duration, Instant};

use warden_prove::{DiffOptions, Unknown, Verdict, changes, compare};

/// A policy of `n` statements over a few services, each with its own
/// resource pattern (thousands of distinct patterns: the product of their
/// automata is what grows) and, one in two, a condition. `seed` varies
/// the choices, so two seeds give two different policies.
fn large_policy(n: usize, seed: u64) -> String {
    const SERVICES: &[&str] = &[
        "s3", "ec2", "iam", "kms", "sqs", "sns", "dynamodb", "lambda",
    ];
    const VERBS: &[&str] = &["Get", "List", "Put", "Delete", "Describe", "Create"];
    const TAILS: &[&str] = &["*", "Object", "Item", "Key*", "Queue"];
    let mut state = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
    let mut next = |m: usize| {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        usize::try_from(state >> 33).unwrap_or(0) % m
    };
    let mut statements = Vec::with_capacity(n);
    for i in 0..n {
        let actions: Vec<String> = (0..3)
            .map(|_| {
                format!(
                    "\"{}:{}{}\"",
                    SERVICES[next(SERVICES.len())],
                    VERBS[next(VERBS.len())],
                    TAILS[next(TAILS.len())]
                )
            })
            .collect();
        let effect = if next(5) == 0 { "Deny" } else { "Allow" };
        let resource = format!(
            "arn:aws:s3:::bucket-{}/{}{}*",
            next(1000),
            ["", "data/", "logs/"][next(3)],
            next(100)
        );
        let condition = if next(2) == 0 {
            format!(
                r#","Condition":{{"StringLike":{{"aws:PrincipalTag/team":"team-{}*"}}}}"#,
                next(50)
            )
        } else {
            String::new()
        };
        statements.push(format!(
            r#"{{"Sid":"S{i}","Effect":"{effect}","Action":[{}],"Resource":"{resource}"{condition}}}"#,
            actions.join(",")
        ));
    }
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
        statements.join(",")
    )
}

/// Peak resident memory of this process so far, in MiB (Linux).
fn peak_mib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024)
}

fn is_budget(v: &Verdict) -> bool {
    matches!(
        v,
        Verdict::Unknown(
            Unknown::Timeout | Unknown::MemoryLimit { .. } | Unknown::StateLimit { .. }
        )
    )
}

/// Two different policies of 2,000 statements, 300 ms: the answer comes
/// soon after the deadline (the slack covers parsing and compiling, which
/// are linear, on a loaded debug build), it is an answer or `unknown` for
/// a budget reason, and memory stays far below the gigabytes the product
/// of thousands of automata used to take.
#[test]
fn the_deadline_bounds_a_large_comparison() {
    let old = support::parse(&large_policy(2_000, 1)).expect("parses");
    let new = support::parse(&large_policy(2_000, 2)).expect("parses");
    let budget = Duration::from_millis(300);
    let options = DiffOptions {
        deadline: Some(Instant::now() + budget),
        ..DiffOptions::default()
    };
    let start = Instant::now();
    let c = compare(&old, &new, &options);
    let spent = start.elapsed();
    for v in [&c.new_access, &c.removed_access] {
        assert!(
            matches!(v, Verdict::Yes(_) | Verdict::No) || is_budget(v),
            "{v:?}"
        );
    }
    assert!(spent < budget + Duration::from_secs(3), "took {spent:?}");

    let options = DiffOptions {
        deadline: Some(Instant::now() + budget),
        ..DiffOptions::default()
    };
    let start = Instant::now();
    let list = changes(&old, &new, &options);
    let spent = start.elapsed();
    assert!(spent < budget + Duration::from_secs(3), "took {spent:?}");
    assert!(
        list.unknown.is_some() || !list.entries.is_empty(),
        "{list:?}"
    );
    if let Some(peak) = peak_mib() {
        assert!(peak < 1_024, "peak memory {peak} MiB");
    }
}

/// A large policy compared with itself: equivalent, or `unknown` for a
/// budget reason, within the deadline.
#[test]
fn a_large_policy_against_itself_stays_bounded() {
    let p = support::parse(&large_policy(2_000, 3)).expect("parses");
    let budget = Duration::from_millis(300);
    let options = DiffOptions {
        deadline: Some(Instant::now() + budget),
        ..DiffOptions::default()
    };
    let start = Instant::now();
    let c = compare(&p, &p, &options);
    let spent = start.elapsed();
    for v in [&c.new_access, &c.removed_access] {
        assert!(*v == Verdict::No || is_budget(v), "{v:?}");
    }
    assert!(spent < budget + Duration::from_secs(3), "took {spent:?}");
}
