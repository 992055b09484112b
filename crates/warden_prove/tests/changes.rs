//! Properties of `warden_prove::changes` (the list `warden diff` prints) on
//! random pairs of small policies over several services, checked against
//! the evaluator:
//!
//! (a) every listed change replays: its example is allowed by NEW and not
//!     OLD for `added` and `widened`, the reverse for `removed` and
//!     `narrowed` (`warden_eval::decide`);
//! (b) each entry sits under its own service: the example's action is of
//!     the entry's service (or of a service neither policy names, for
//!     `*`) and the entry's label (the action, or a pattern) matches it;
//! (c) the list covers every difference: the witness of each direction of
//!     `compare`, and every sampled request one side allows and the other
//!     does not, has an entry of that direction whose label matches its
//!     action under its service;
//! (d) `added` means OLD allowed nothing with that action, `removed` that
//!     NEW allows nothing (checked on sampled requests for literal actions).
#![allow(clippy::panic, clippy::indexing_slicing, reason = "tests")]

mod support;

use std::collections::BTreeSet;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::{Value as Json, json};
use warden_eval::CompiledPolicy;
use warden_policy::glob::glob_match_ignore_case;
use warden_prove::{ActionChange, ChangeKind, DiffOptions, PolicyType, Verdict, changes, compare};

const ACTIONS: &[&str] = &[
    "s3:GetObject",
    "s3:Get*",
    "s3:*",
    "kms:Decrypt",
    "kms:*",
    "sqs:SendMessage",
    "iam:PassRole",
    "iam:*",
    "organizations:*",
    "*",
];

const RESOURCES: &[&str] = &[
    "*",
    "arn:aws:s3:::b/*",
    "arn:aws:kms:*:111122223333:key/*",
    "arn:aws:sqs:*:111122223333:q",
    "arn:aws:iam::111122223333:role/*",
];

const REQUEST_ACTIONS: &[&str] = &[
    "s3:GetObject",
    "s3:GetBucketAcl",
    "s3:PutObject",
    "kms:Decrypt",
    "kms:Encrypt",
    "sqs:SendMessage",
    "sqs:ReceiveMessage",
    "iam:PassRole",
    "iam:CreateUser",
    "organizations:ListAccounts",
    "ec2:RunInstances",
];

const REQUEST_RESOURCES: &[&str] = &[
    "arn:aws:s3:::b/x",
    "arn:aws:s3:::c/x",
    "arn:aws:kms:us-east-1:111122223333:key/k",
    "arn:aws:sqs:us-east-1:111122223333:q",
    "arn:aws:iam::111122223333:role/r",
    "*",
];

#[derive(Clone, Debug)]
struct Stmt {
    allow: bool,
    not_action: bool,
    actions: Vec<&'static str>,
    resources: Vec<&'static str>,
    ip: Option<&'static str>,
}

fn stmt() -> impl Strategy<Value = Stmt> {
    (
        prop::bool::weighted(0.75),
        prop::bool::weighted(0.15),
        prop::collection::vec(prop::sample::select(ACTIONS), 1..=3),
        prop::collection::vec(prop::sample::select(RESOURCES), 1..=2),
        prop::option::weighted(
            0.2,
            prop::sample::select(&["10.0.0.0/8", "192.0.2.0/24"][..]),
        ),
    )
        .prop_map(|(allow, not_action, actions, resources, ip)| Stmt {
            allow,
            not_action,
            actions,
            resources,
            ip,
        })
}

fn policy() -> impl Strategy<Value = Vec<Stmt>> {
    prop::collection::vec(stmt(), 1..=3)
}

/// NEW: OLD with one statement added or replaced, or an unrelated policy.
fn pair() -> impl Strategy<Value = (Vec<Stmt>, Vec<Stmt>)> {
    policy().prop_flat_map(|old| {
        let n = old.len();
        let edited = (0..n, stmt(), any::<bool>()).prop_map({
            let old = old.clone();
            move |(i, s, replace)| {
                let mut new = old.clone();
                if replace {
                    new[i] = s;
                } else {
                    new.push(s);
                }
                new
            }
        });
        (Just(old), prop_oneof![3 => edited, 1 => policy()])
    })
}

#[derive(Clone, Debug)]
struct Sample {
    action: &'static str,
    resource: &'static str,
    ip: &'static str,
}

fn sample() -> impl Strategy<Value = Sample> {
    (
        prop::sample::select(REQUEST_ACTIONS),
        prop::sample::select(REQUEST_RESOURCES),
        prop::sample::select(&["10.1.2.3", "192.0.2.9", "198.51.100.1"][..]),
    )
        .prop_map(|(action, resource, ip)| Sample {
            action,
            resource,
            ip,
        })
}

fn document(statements: &[Stmt]) -> String {
    let statements: Vec<Json> = statements
        .iter()
        .map(|s| {
            let mut m = serde_json::Map::new();
            m.insert(
                "Effect".into(),
                json!(if s.allow { "Allow" } else { "Deny" }),
            );
            m.insert(
                (if s.not_action { "NotAction" } else { "Action" }).into(),
                json!(s.actions),
            );
            m.insert("Resource".into(), json!(s.resources));
            if let Some(ip) = s.ip {
                m.insert(
                    "Condition".into(),
                    json!({"IpAddress": {"aws:SourceIp": ip}}),
                );
            }
            Json::Object(m)
        })
        .collect();
    json!({"Version": "2012-10-17", "Statement": statements}).to_string()
}

struct Parsed {
    text: String,
    policy: warden_policy::Policy,
    compiled: CompiledPolicy,
}

fn parse(statements: &[Stmt]) -> Parsed {
    let text = document(statements);
    let policy = support::parse(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    let compiled = CompiledPolicy::compile(&policy);
    Parsed {
        text,
        policy,
        compiled,
    }
}

fn grants_new(kind: ChangeKind) -> bool {
    matches!(kind, ChangeKind::Added | ChangeKind::Widened)
}

/// The service part of an action, lowercase.
fn service_of(action: &str) -> String {
    action
        .split_once(':')
        .map_or("", |(s, _)| s)
        .to_ascii_lowercase()
}

/// The services the policies name literally.
fn named(policies: &[&Parsed]) -> BTreeSet<String> {
    policies
        .iter()
        .flat_map(|p| p.policy.statements())
        .filter_map(|s| s.action.as_ref())
        .flat_map(|a| &a.items)
        .filter_map(|i| i.raw.split_once(':').map(|(s, _)| s.to_ascii_lowercase()))
        .filter(|s| !s.contains(['*', '?']))
        .collect()
}

/// Whether `entry` is about `action`: its service, and its label matches.
fn covers(entry: &ActionChange, action: &str, named: &BTreeSet<String>) -> bool {
    let service = service_of(action);
    let right_service = if entry.service == "*" {
        !named.contains(&service)
    } else {
        entry.service == service
    };
    right_service && glob_match_ignore_case(&entry.action, action)
}

fn check_pair(old: &Parsed, new: &Parsed, samples: &[Sample]) -> Result<(), TestCaseError> {
    let role = PolicyType::Identity;
    let options = DiffOptions::default();
    let list = changes(&old.policy, &new.policy, &options);
    let context = || {
        format!(
            "\n  OLD {}\n  NEW {}\n  changes {:#?}",
            old.text, new.text, list
        )
    };
    prop_assert!(
        list.unknown.is_none(),
        "unknown: {:?}{}",
        list.unknown,
        context()
    );
    let named = named(&[old, new]);
    for e in &list.entries {
        // (a) the example replays.
        let (allowing, other) = if grants_new(e.kind) {
            (new, old)
        } else {
            (old, new)
        };
        let request = support::to_request(&e.example);
        prop_assert!(
            support::allows(role, &allowing.compiled, &request)
                && !support::allows(role, &other.compiled, &request),
            "the example of {} ({:?}) does not replay: {}{}",
            e.action,
            e.kind,
            support::show(&e.example),
            context()
        );
        // (b) under its own service.
        prop_assert!(
            covers(e, &e.example.action, &named),
            "entry {} under `{}` has example action {}{}",
            e.action,
            e.service,
            e.example.action,
            context()
        );
        prop_assert!(
            e.known_actions.len() <= e.known_action_count,
            "{} lists more actions than it counts{}",
            e.action,
            context()
        );
    }
    // (c) every witness of the prover is covered.
    let c = compare(&old.policy, &new.policy, &options);
    for (verdict, new_grants) in [(&c.new_access, true), (&c.removed_access, false)] {
        if let Verdict::Yes(w) = verdict {
            let action = &w.request.action;
            prop_assert!(
                list.entries
                    .iter()
                    .any(|e| grants_new(e.kind) == new_grants && covers(e, action, &named)),
                "the witness {} is in no listed change{}",
                support::show(&w.request),
                context()
            );
        }
    }
    // (c) and (d) on sampled requests.
    for s in samples {
        let mut ctx = warden_eval::RequestContext::new();
        ctx.insert(
            "aws:SourceIp",
            warden_eval::ContextValue::Single(s.ip.to_string()),
        );
        let request =
            warden_eval::Request::new(warden_testdata::SAMPLE_USER, s.action, s.resource, ctx);
        let by_new = support::allows(role, &new.compiled, &request);
        let by_old = support::allows(role, &old.compiled, &request);
        if by_new != by_old {
            prop_assert!(
                list.entries
                    .iter()
                    .any(|e| grants_new(e.kind) == by_new && covers(e, s.action, &named)),
                "{s:?} (allowed by {}) is in no listed change{}",
                if by_new { "NEW" } else { "OLD" },
                context()
            );
        }
        for e in &list.entries {
            let literal = e.action.eq_ignore_ascii_case(s.action);
            prop_assert!(
                !(literal && e.kind == ChangeKind::Added && by_old),
                "{} is `added`, but OLD allows {s:?}{}",
                e.action,
                context()
            );
            prop_assert!(
                !(literal && e.kind == ChangeKind::Removed && by_new),
                "{} is `removed`, but NEW allows {s:?}{}",
                e.action,
                context()
            );
        }
    }
    Ok(())
}

#[test]
fn listed_changes_replay_and_cover_every_difference() {
    let mut runner = TestRunner::new(Config {
        cases: 150,
        failure_persistence: None,
        ..Config::default()
    });
    let strategy = (pair(), prop::collection::vec(sample(), 30));
    let result = runner.run(&strategy, |((old, new), samples)| {
        check_pair(&parse(&old), &parse(&new), &samples)
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}

/// The pairs of the issue, kept as cases: new grants of other services
/// are listed under their own service, with an example resource of their
/// own resource type.
#[test]
fn new_grants_are_listed_under_their_own_service() {
    let old = support::parse(
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/*"}]}"#,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let new = support::parse(
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/*"},{"Effect":"Allow","Action":["iam:PassRole","kms:Decrypt","sqs:SendMessage"],"Resource":"*"}]}"#,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let list = changes(&old, &new, &DiffOptions::default());
    let shown: Vec<(&str, &str, &str)> = list
        .entries
        .iter()
        .map(|e| {
            (
                e.service.as_str(),
                e.action.as_str(),
                e.example.resource.as_str(),
            )
        })
        .collect();
    assert_eq!(
        shown,
        [
            (
                "iam",
                "iam:PassRole",
                "arn:aws:iam::111122223333:role/example-rolenamewithpath"
            ),
            (
                "kms",
                "kms:Decrypt",
                "arn:aws:kms:us-east-1:111122223333:key/example-keyid"
            ),
            (
                "sqs",
                "sqs:SendMessage",
                "arn:aws:sqs:us-east-1:111122223333:example-queuename"
            ),
        ]
    );
}
