//! Properties of `warden_prove::compare` on random small policies, checked
//! against the evaluator (`warden_eval`), independently of the prover's
//! implementation:
//!
//! (a) a policy allows nothing that it does not allow: `compare(p, p)` is
//!     `No` both ways;
//! (b) removing an `Allow` statement never adds access;
//! (c) adding a `Deny` statement never adds access;
//! (d) when `compare` says `No`, no request among random ones drawn from the
//!     same vocabulary is allowed by one policy and not the other;
//! (e) every `Yes` witness replays (see `support`).
//!
//! `Unknown` is accepted only with a reason, and must stay under 5% of the
//! answers of each property. The vocabulary: a few actions (with wildcards
//! and `NotAction`), resources (with wildcards and `NotResource`), and
//! conditions of every operator family over one key per family, so that
//! statements overlap often. Request values are well typed for the key's
//! family (the documentation does not say how negated operators treat
//! values of the wrong type).
#![allow(clippy::panic, clippy::indexing_slicing, reason = "tests")]

mod support;

use std::cell::RefCell;
use std::collections::BTreeMap;

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::{Value as Json, json};
use warden_eval::CompiledPolicy;
use warden_prove::{DiffOptions, PolicyType, Verdict, compare};
use warden_testdata::{SAMPLE_USER, SampleRequest, SampleValue};

const CASES: u32 = 200;

// ---------------------------------------------------------------------------
// The vocabulary.

const ACTIONS: &[&str] = &[
    "s3:GetObject",
    "s3:PutObject",
    "s3:Get*",
    "s3:*Object",
    "s3:?etObject",
    "s3:*",
    "sqs:SendMessage",
    "sqs:*",
    "*",
];

const RESOURCES: &[&str] = &[
    "*",
    "arn:aws:s3:::b/*",
    "arn:aws:s3:::b/x",
    "arn:aws:s3:::b*",
    "arn:aws:s3:::c/*",
    "arn:aws:sqs:*:111122223333:q",
    "arn:aws:sqs:us-east-1:111122223333:*",
];

/// One key per operator family, its operators and policy values.
struct Family {
    key: &'static str,
    operators: &'static [&'static str],
    values: &'static [&'static str],
    /// Request values (each a single value, or a list for sets).
    requests: &'static [&'static [&'static str]],
    multi: bool,
}

const FAMILIES: &[Family] = &[
    Family {
        key: "aws:ResourceTag/env",
        operators: &[
            "StringEquals",
            "StringNotEquals",
            "StringLike",
            "StringNotLike",
            "StringEqualsIgnoreCase",
            "StringEqualsIfExists",
            "StringNotEqualsIfExists",
        ],
        values: &["dev", "prod", "d*", "p?od"],
        requests: &[&["dev"], &["prod"], &["Prod"], &["d"], &["pood"], &["x"]],
        multi: false,
    },
    Family {
        key: "s3:max-keys",
        operators: &[
            "NumericLessThan",
            "NumericLessThanEquals",
            "NumericGreaterThan",
            "NumericGreaterThanEquals",
            "NumericEquals",
            "NumericNotEquals",
            "NumericLessThanIfExists",
        ],
        values: &["5", "10", "7.5"],
        requests: &[&["0"], &["5"], &["6"], &["7.5"], &["9"], &["10"], &["11"]],
        multi: false,
    },
    Family {
        key: "aws:SourceIp",
        operators: &["IpAddress", "NotIpAddress", "IpAddressIfExists"],
        values: &["10.0.0.0/8", "10.0.0.0/16", "192.0.2.0/24", "2001:db8::/32"],
        requests: &[
            &["10.0.0.1"],
            &["10.1.0.1"],
            &["192.0.2.5"],
            &["198.51.100.1"],
            &["2001:db8::1"],
            &["2001:db9::1"],
        ],
        multi: false,
    },
    Family {
        key: "aws:SecureTransport",
        operators: &["Bool", "BoolIfExists"],
        values: &["true", "false"],
        requests: &[&["true"], &["false"]],
        multi: false,
    },
    Family {
        key: "aws:CurrentTime",
        operators: &["DateLessThan", "DateGreaterThanEquals", "DateEquals"],
        values: &["2026-01-01T00:00:00Z", "2026-06-01T00:00:00Z"],
        requests: &[
            &["2025-12-31T23:59:59Z"],
            &["2026-01-01T00:00:00Z"],
            &["2026-03-01T00:00:00Z"],
            &["2026-06-01T00:00:00Z"],
            &["2027-01-01T00:00:00Z"],
        ],
        multi: false,
    },
    Family {
        key: "aws:TagKeys",
        operators: &[
            "ForAllValues:StringEquals",
            "ForAnyValue:StringEquals",
            "ForAllValues:StringLike",
            "ForAnyValue:StringNotEquals",
            "ForAllValues:StringNotEquals",
        ],
        values: &["env", "owner", "c*"],
        requests: &[
            &[],
            &["env"],
            &["owner"],
            &["env", "owner"],
            &["cost"],
            &["env", "cost"],
        ],
        multi: true,
    },
];

const REQUEST_ACTIONS: &[&str] = &[
    "s3:GetObject",
    "s3:PutObject",
    "s3:GetBucketAcl",
    "s3:DeleteObject",
    "s3:getobject",
    "s3:SetObject",
    "sqs:SendMessage",
    "sqs:ReceiveMessage",
    "ec2:RunInstances",
];

const REQUEST_RESOURCES: &[&str] = &[
    "arn:aws:s3:::b/x",
    "arn:aws:s3:::b/y",
    "arn:aws:s3:::b",
    "arn:aws:s3:::bb/x",
    "arn:aws:s3:::c/x",
    "arn:aws:sqs:us-east-1:111122223333:q",
    "arn:aws:sqs:eu-west-1:111122223333:q",
    "arn:aws:sqs:us-east-1:111122223333:r",
];

// ---------------------------------------------------------------------------
// Generators.

#[derive(Clone, Debug)]
struct Cond {
    operator: &'static str,
    key: &'static str,
    values: Vec<&'static str>,
}

#[derive(Clone, Debug)]
struct Stmt {
    allow: bool,
    not_action: bool,
    actions: Vec<&'static str>,
    not_resource: bool,
    resources: Vec<&'static str>,
    conditions: Vec<Cond>,
}

fn pick(items: &'static [&'static str]) -> impl Strategy<Value = &'static str> {
    prop::sample::select(items)
}

fn cond() -> impl Strategy<Value = Cond> {
    (0..FAMILIES.len(), any::<prop::sample::Index>(), 0..8u8).prop_flat_map(|(f, op, null)| {
        let values = prop::sample::subsequence(FAMILIES[f].values, 1..=2);
        (values, Just((f, op, null))).prop_map(|(values, (f, op, null))| {
            let family = &FAMILIES[f];
            // One condition in four is a Null test on the family's key.
            if null < 2 {
                Cond {
                    operator: "Null",
                    key: family.key,
                    values: vec![if null == 0 { "true" } else { "false" }],
                }
            } else {
                Cond {
                    operator: family.operators[op.index(family.operators.len())],
                    key: family.key,
                    values,
                }
            }
        })
    })
}

fn stmt_with(allow: impl Strategy<Value = bool>) -> impl Strategy<Value = Stmt> {
    (
        allow,
        prop::bool::weighted(0.2),
        prop::collection::vec(pick(ACTIONS), 1..=2),
        prop::bool::weighted(0.2),
        prop::collection::vec(pick(RESOURCES), 1..=2),
        prop::collection::vec(cond(), 0..=2),
    )
        .prop_map(
            |(allow, not_action, actions, not_resource, resources, conditions)| Stmt {
                allow,
                not_action,
                actions,
                not_resource,
                resources,
                conditions,
            },
        )
}

fn stmt() -> impl Strategy<Value = Stmt> {
    stmt_with(prop::bool::weighted(0.7))
}

fn policy() -> impl Strategy<Value = Vec<Stmt>> {
    prop::collection::vec(stmt(), 1..=4)
}

fn role() -> impl Strategy<Value = PolicyType> {
    prop_oneof![4 => Just(PolicyType::Identity), 1 => Just(PolicyType::Scp)]
}

/// A request drawn from the request vocabulary, as the shared sample type.
fn request() -> impl Strategy<Value = SampleRequest> {
    let context = FAMILIES
        .iter()
        .map(|f| prop::option::weighted(0.5, prop::sample::select(f.requests)))
        .collect::<Vec<_>>();
    (pick(REQUEST_ACTIONS), pick(REQUEST_RESOURCES), context).prop_map(
        |(action, resource, values)| {
            let mut context = BTreeMap::new();
            for (family, value) in FAMILIES.iter().zip(values) {
                let Some(value) = value else { continue };
                let v = if family.multi {
                    SampleValue::Multi(value.iter().map(|s| s.to_string()).collect())
                } else {
                    SampleValue::Single(value.first().copied().unwrap_or_default().to_string())
                };
                context.insert(family.key.to_string(), v);
            }
            SampleRequest {
                principal: SAMPLE_USER.to_string(),
                action: action.to_string(),
                resource: resource.to_string(),
                context: context.into_iter().collect(),
            }
        },
    )
}

/// NEW: a mutation of OLD (half the time), else an unrelated policy.
fn pair() -> impl Strategy<Value = (Vec<Stmt>, Vec<Stmt>)> {
    policy().prop_flat_map(|old| {
        let n = old.len();
        let mutated = (
            0..n,
            0..4u8,
            stmt(),
            prop::collection::vec(pick(ACTIONS), 1..=2),
            prop::collection::vec(pick(RESOURCES), 1..=2),
            prop::collection::vec(cond(), 0..=2),
        )
            .prop_map({
                let old = old.clone();
                move |(i, how, extra, actions, resources, conditions)| {
                    let mut new = old.clone();
                    match how {
                        0 => new.push(extra),
                        1 => new[i].actions = actions,
                        2 => new[i].resources = resources,
                        _ => new[i].conditions = conditions,
                    }
                    new
                }
            });
        let unrelated = policy();
        (Just(old), prop_oneof![mutated, unrelated])
    })
}

// ---------------------------------------------------------------------------
// Building and checking.

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
            m.insert(
                (if s.not_resource {
                    "NotResource"
                } else {
                    "Resource"
                })
                .into(),
                json!(s.resources),
            );
            if !s.conditions.is_empty() {
                let mut ops: BTreeMap<&str, BTreeMap<&str, Vec<&str>>> = BTreeMap::new();
                for c in &s.conditions {
                    let values = ops.entry(c.operator).or_default().entry(c.key).or_default();
                    for v in &c.values {
                        if !values.contains(v) {
                            values.push(v);
                        }
                    }
                }
                m.insert("Condition".into(), json!(ops));
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

/// Answers seen by one property.
#[derive(Default)]
struct Tally {
    answers: usize,
    unknown: usize,
    reasons: BTreeMap<String, usize>,
}

impl Tally {
    fn note(&mut self, v: &Verdict) {
        self.answers += 1;
        if let Verdict::Unknown(r) = v {
            self.unknown += 1;
            *self.reasons.entry(r.to_string()).or_default() += 1;
        }
    }
}

/// Compares OLD and NEW, checks both answers (reasons, witness replay), and
/// returns them.
fn compare_checked(
    role: PolicyType,
    old: &Parsed,
    new: &Parsed,
    tally: &RefCell<Tally>,
) -> Result<(Option<bool>, Option<bool>), TestCaseError> {
    let opts = DiffOptions {
        role,
        known_actions: false,
        deadline: Some(std::time::Instant::now() + std::time::Duration::from_secs(10)),
    };
    let c = compare(&old.policy, &new.policy, &opts);
    tally.borrow_mut().note(&c.new_access);
    tally.borrow_mut().note(&c.removed_access);
    let context = || format!("role {role:?}\n  OLD {}\n  NEW {}", old.text, new.text);
    let n = support::check_verdict(role, &new.compiled, &old.compiled, &c.new_access, false)
        .map_err(|e| TestCaseError::fail(format!("new_access: {e}\n  {}", context())))?;
    let r = support::check_verdict(role, &old.compiled, &new.compiled, &c.removed_access, false)
        .map_err(|e| TestCaseError::fail(format!("removed_access: {e}\n  {}", context())))?;
    Ok((n, r))
}

fn run<S: Strategy>(
    name: &str,
    strategy: S,
    test: impl Fn(S::Value, &RefCell<Tally>) -> Result<(), TestCaseError>,
) where
    S::Value: std::fmt::Debug,
{
    let tally = RefCell::new(Tally::default());
    let mut runner = TestRunner::new(Config {
        cases: CASES,
        failure_persistence: None,
        ..Config::default()
    });
    let result = runner.run(&strategy, |v| test(v, &tally));
    if let Err(e) = result {
        panic!("property `{name}` fails: {e}");
    }
    let t = tally.into_inner();
    let top: Vec<String> = t
        .reasons
        .iter()
        .map(|(r, n)| format!("{n} x {r}"))
        .take(5)
        .collect();
    eprintln!("{name}: {} answers, {} unknown", t.answers, t.unknown);
    assert!(
        t.unknown * 20 < t.answers.max(1),
        "property `{name}`: {} of {} answers are unknown (at most 5% allowed); reasons: {}",
        t.unknown,
        t.answers,
        top.join("; ")
    );
}

#[test]
fn a_policy_equals_itself() {
    run(
        "compare(p, p) is No both ways",
        (policy(), role()),
        |(p, role), tally| {
            let a = parse(&p);
            let b = parse(&p);
            let (n, r) = compare_checked(role, &a, &b, tally)?;
            prop_assert!(
                n != Some(true),
                "new_access Yes for identical policies\n{}",
                a.text
            );
            prop_assert!(
                r != Some(true),
                "removed_access Yes for identical policies\n{}",
                a.text
            );
            Ok(())
        },
    );
}

#[test]
fn removing_an_allow_never_adds_access() {
    let strategy = (policy(), any::<prop::sample::Index>(), role());
    run(
        "removing an Allow statement never adds access",
        strategy,
        |(p, index, role), tally| {
            let allows: Vec<usize> = (0..p.len()).filter(|&i| p[i].allow).collect();
            if allows.is_empty() {
                return Ok(());
            }
            let mut smaller = p.clone();
            smaller.remove(allows[index.index(allows.len())]);
            let old = parse(&p);
            let new = parse(&smaller);
            let (n, _) = compare_checked(role, &old, &new, tally)?;
            prop_assert!(
                n != Some(true),
                "new_access Yes after removing an Allow\n  OLD {}\n  NEW {}",
                old.text,
                new.text
            );
            Ok(())
        },
    );
}

#[test]
fn adding_a_deny_never_adds_access() {
    let strategy = (policy(), stmt_with(Just(false)), role());
    run(
        "adding a Deny statement never adds access",
        strategy,
        |(p, deny, role), tally| {
            let mut bigger = p.clone();
            bigger.push(deny);
            let old = parse(&p);
            let new = parse(&bigger);
            let (n, _) = compare_checked(role, &old, &new, tally)?;
            prop_assert!(
                n != Some(true),
                "new_access Yes after adding a Deny\n  OLD {}\n  NEW {}",
                old.text,
                new.text
            );
            Ok(())
        },
    );
}

#[test]
fn no_means_no_sampled_request_differs() {
    let strategy = (pair(), prop::collection::vec(request(), 40), role());
    run(
        "a No answer holds on random requests",
        strategy,
        |((old, new), requests, role), tally| {
            let old = parse(&old);
            let new = parse(&new);
            let (n, r) = compare_checked(role, &old, &new, tally)?;
            for w in &requests {
                let req = w.to_request();
                let by_new = support::allows(role, &new.compiled, &req);
                let by_old = support::allows(role, &old.compiled, &req);
                prop_assert!(
                    !(n == Some(false) && by_new && !by_old),
                    "new_access is No, but NEW allows and OLD denies {}\n  OLD {}\n  NEW {}",
                    format!("{w:?}"),
                    old.text,
                    new.text
                );
                prop_assert!(
                    !(r == Some(false) && by_old && !by_new),
                    "removed_access is No, but OLD allows and NEW denies {}\n  OLD {}\n  NEW {}",
                    format!("{w:?}"),
                    old.text,
                    new.text
                );
            }
            Ok(())
        },
    );
}

#[test]
fn the_generator_makes_interesting_pairs() {
    // Guards the vocabulary: with the evaluator alone, a good share of the
    // generated pairs must differ on some sampled request, and a good share
    // must agree on all of them, so that property (d) tests both answers.
    let mut runner = TestRunner::deterministic();
    let strategy = (pair(), prop::collection::vec(request(), 40));
    let (mut differ, mut total) = (0, 0);
    for _ in 0..200 {
        let ((old, new), requests) = strategy.new_tree(&mut runner).expect("generates").current();
        let old = parse(&old);
        let new = parse(&new);
        total += 1;
        if requests.iter().any(|w| {
            let req = w.to_request();
            support::allows(PolicyType::Identity, &new.compiled, &req)
                != support::allows(PolicyType::Identity, &old.compiled, &req)
        }) {
            differ += 1;
        }
    }
    eprintln!("{differ} of {total} generated pairs differ on a sampled request");
    assert!(
        differ * 10 >= total && differ * 10 <= total * 9,
        "{differ} of {total} pairs differ on sampled requests: the generator is lopsided"
    );
}

/// Stacks: putting a permissions boundary or an SCP level over identity
/// policies never adds access, and whatever the prover answers, every
/// sampled request agrees with the evaluator's decision for the stacks.
#[test]
fn a_boundary_or_scp_level_never_adds_access() {
    use warden_prove::{PolicyStack, compare_stacks};
    run(
        "identity vs identity + boundary + SCP level",
        (
            policy(),
            policy(),
            policy(),
            proptest::collection::vec(request(), 8),
        ),
        |(identity, boundary, scp, requests), tally| {
            let (i, b, s) = (parse(&identity), parse(&boundary), parse(&scp));
            let old = PolicyStack::single(&i.policy);
            let new = PolicyStack {
                identity: vec![&i.policy],
                boundary: Some(&b.policy),
                scp_levels: vec![vec![&s.policy]],
                ..PolicyStack::default()
            };
            let c = compare_stacks(&old, &new, &DiffOptions::default());
            tally.borrow_mut().note(&c.new_access);
            prop_assert_eq!(
                &c.new_access,
                &Verdict::No,
                "{} / {} / {}",
                i.text,
                b.text,
                s.text
            );
            // "No removed access" must hold for every sampled request.
            if c.removed_access == Verdict::No {
                for w in &requests {
                    let r = w.to_request();
                    let old_set = warden_eval::PolicySet {
                        identity: vec![&i.compiled],
                        ..warden_eval::PolicySet::default()
                    };
                    let new_set = warden_eval::PolicySet {
                        identity: vec![&i.compiled],
                        boundary: Some(&b.compiled),
                        scp_levels: vec![vec![&s.compiled]],
                        ..warden_eval::PolicySet::default()
                    };
                    let was = warden_eval::decide(&old_set, &r) == warden_eval::Decision::Allow;
                    let is = warden_eval::decide(&new_set, &r) == warden_eval::Decision::Allow;
                    prop_assert!(!was || is, "removed_access No, but {w:?} lost access");
                }
            }
            Ok(())
        },
    );
}
