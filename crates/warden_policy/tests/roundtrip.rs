//! Properties of the parser and printer on generated policies:
//! `parse(print(p))` is `p`, printing is idempotent, and no input panics.

#![allow(clippy::expect_used, reason = "tests fail loudly")]
use proptest::prelude::*;
use serde_json::{Value, json};
use warden_policy::model::PolicyModel;
use warden_policy::{parse_policy, print_policy};

/// Text with the characters that matter: wildcards, variables and their
/// escapes, JSON escapes, non-ASCII.
fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            "[a-zA-Z0-9/_.-]{1,8}",
            Just("*".to_string()),
            Just("?".to_string()),
            Just("${aws:username}".to_string()),
            Just("${aws:PrincipalTag/team, 'x y'}".to_string()),
            Just("${*}".to_string()),
            Just("${$}".to_string()),
            Just("\"\\\n\t\u{1}".to_string()),
            Just("é😀".to_string()),
        ],
        0..5,
    )
    .prop_map(|parts| parts.concat())
}

fn one_or_many<S: Strategy<Value = String> + Clone>(s: S) -> impl Strategy<Value = Value> {
    prop_oneof![
        s.clone().prop_map(Value::String),
        prop::collection::vec(s, 0..4).prop_map(|v| json!(v)),
    ]
}

fn action() -> impl Strategy<Value = String> + Clone {
    prop_oneof![Just("*".to_string()), "[a-z0-9*-]{1,6}:[A-Za-z*?]{1,10}",]
}

fn resource() -> impl Strategy<Value = String> + Clone {
    prop_oneof![
        Just("*".to_string()),
        text().prop_map(|t| format!("arn:aws:s3:::{t}"))
    ]
}

fn condition_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        text().prop_map(Value::String),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        (-1e6f64..1e6).prop_map(|f| json!(f)),
    ]
}

fn condition() -> impl Strategy<Value = Value> {
    let operator = prop_oneof![
        Just("StringEquals"),
        Just("StringLike"),
        Just("ForAnyValue:StringNotLikeIfExists"),
        Just("NumericLessThan"),
        Just("Bool"),
        Just("Null"),
        Just("ArnLike"),
        Just("IpAddress"),
    ];
    let values = prop_oneof![
        condition_value(),
        prop::collection::vec(condition_value(), 0..3).prop_map(Value::Array),
    ];
    prop::collection::btree_map(
        operator.prop_map(str::to_string),
        prop::collection::btree_map("[a-z]{1,3}:[A-Za-z/]{1,8}", values, 1..3),
        0..3,
    )
    .prop_map(|m| json!(m))
}

fn principal() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(json!("*")),
        (
            one_or_many(Just("arn:aws:iam::111122223333:root".to_string())),
            one_or_many(Just("lambda.amazonaws.com".to_string()))
        )
            .prop_map(|(a, s)| json!({"AWS": a, "Service": s})),
    ]
}

fn statement() -> impl Strategy<Value = Value> {
    (
        proptest::option::of("[A-Za-z0-9]{0,6}"),
        any::<bool>(),
        proptest::option::of((any::<bool>(), principal())),
        (any::<bool>(), one_or_many(action())),
        proptest::option::of((any::<bool>(), one_or_many(resource()))),
        proptest::option::of(condition()),
    )
        .prop_map(
            |(sid, allow, principal, (not_action, actions), resource, condition)| {
                let mut s = serde_json::Map::new();
                if let Some(sid) = sid {
                    s.insert("Sid".into(), json!(sid));
                }
                s.insert("Effect".into(), json!(if allow { "Allow" } else { "Deny" }));
                if let Some((not, p)) = principal {
                    s.insert(if not { "NotPrincipal" } else { "Principal" }.into(), p);
                }
                s.insert(
                    if not_action { "NotAction" } else { "Action" }.into(),
                    actions,
                );
                if let Some((not, r)) = resource {
                    s.insert(if not { "NotResource" } else { "Resource" }.into(), r);
                }
                if let Some(c) = condition {
                    s.insert("Condition".into(), c);
                }
                Value::Object(s)
            },
        )
}

fn policy() -> impl Strategy<Value = Value> {
    (
        prop_oneof![
            Just(Some("2012-10-17")),
            Just(Some("2008-10-17")),
            Just(None)
        ],
        proptest::option::of("[a-z0-9-]{1,10}"),
        prop_oneof![
            statement(),
            prop::collection::vec(statement(), 0..4).prop_map(Value::Array),
        ],
    )
        .prop_map(|(version, id, statement)| {
            let mut p = serde_json::Map::new();
            if let Some(v) = version {
                p.insert("Version".into(), json!(v));
            }
            if let Some(id) = id {
                p.insert("Id".into(), json!(id));
            }
            p.insert("Statement".into(), statement);
            Value::Object(p)
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn parse_print_roundtrip(doc in policy(), pretty in any::<bool>()) {
        let text = if pretty {
            serde_json::to_string_pretty(&doc)
        } else {
            serde_json::to_string(&doc)
        }
        .expect("serializable");
        let out = parse_policy(&text);
        prop_assert!(!out.has_errors(), "{text}\n{:#?}", out.diagnostics);
        let p = out.policy.expect("a policy");
        let printed = print_policy(&p);
        let again = parse_policy(&printed);
        prop_assert!(!again.has_errors(), "{printed}\n{:#?}", again.diagnostics);
        let p2 = again.policy.expect("a policy");
        prop_assert_eq!(PolicyModel::from(&p), PolicyModel::from(&p2));
        prop_assert_eq!(&print_policy(&p2), &printed);
        // The printed form is JSON that means the same document.
        // (Compared after the same float parsing on both sides.)
        let reread: Value = serde_json::from_str(&printed).expect("printed JSON");
        let original: Value = serde_json::from_str(&text).expect("generated JSON");
        prop_assert_eq!(reread, original);
    }

    #[test]
    fn arbitrary_text_never_panics(text in "[\\[\\]{}\",:0-9a-zA-Z\\\\ .eE+\\-\n*$?]{0,64}") {
        let _ = parse_policy(&text);
    }

    #[test]
    fn mutated_policies_never_panic(doc in policy(), cut in any::<prop::sample::Index>(), byte in any::<u8>()) {
        let mut bytes = serde_json::to_vec(&doc).expect("serializable");
        let i = cut.index(bytes.len().max(1));
        if let Some(b) = bytes.get_mut(i) {
            *b = byte;
        }
        if let Ok(text) = String::from_utf8(bytes) {
            let _ = parse_policy(&text);
        }
    }
}
