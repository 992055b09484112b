//! Matching, the ARN segment rule, and containment against matching.

use proptest::prelude::*;
use warden_policy::pattern::Pattern;

use super::*;

fn tokens(s: &str, mode: Mode) -> Tokens {
    Tokens::compile(&Pattern::parse(s, true).0, mode)
}

fn matcher(s: &str, mode: Mode) -> Matcher {
    Matcher::new(tokens(s, mode))
}

const CONDITION: Mode = Mode {
    arn: ArnRule::Condition,
    ..Mode::RESOURCE
};

const LIKE: Mode = Mode {
    wildcards: true,
    arn: ArnRule::None,
    ignore_case: false,
};

fn no_values(_: &str) -> Option<&'static str> {
    None
}

#[test]
fn resource_wildcards() {
    let m = |p: &str, t: &str| matcher(p, Mode::RESOURCE).matches(t, no_values).is_match();
    assert!(m("*", "arn:aws:s3:::b/k"));
    assert!(m("arn:aws:s3:::b/*", "arn:aws:s3:::b/a/b/c"));
    assert!(!m("arn:aws:s3:::b/*", "arn:aws:s3:::B/a"));
    // A trailing `*` crosses colons ...
    assert!(m("arn:aws:waf:*", "arn:aws:waf::111122223333:rule/x"));
    assert!(m(
        "arn:aws:iam::*:role/x",
        "arn:aws:iam::111122223333:role/x"
    ));
    // ... a mid-segment one does not.
    assert!(!m("arn:aws:iam::1*3:role/x", "arn:aws:iam::1:2:3:role/x"));
    assert!(m("arn:aws:iam::1*3:role/x", "arn:aws:iam::123:role/x"));
    assert!(!m("arn:aws:s3:?::b", "arn:aws:s3::::b"));
    // The resource part may hold colons.
    assert!(m(
        "arn:aws:logs:*:*:log-group:g*",
        "arn:aws:logs:us-east-1:1:log-group:g:log-stream:s"
    ));
}

#[test]
fn arn_operators_check_each_component() {
    let m = |p: &str, t: &str| matcher(p, CONDITION).matches(t, no_values).is_match();
    assert!(m(
        "arn:aws:iam::*:role/x",
        "arn:aws:iam::111122223333:role/x"
    ));
    assert!(!m(
        "arn:aws:sqs:*:queue",
        "arn:aws:sqs:us-east-1:111122223333:queue"
    ));
    assert!(m(
        "arn:aws:logs:*:*:log-group:*",
        "arn:aws:logs:r:1:log-group:g:log-stream:s"
    ));
    // `*` alone matches everything, colons included.
    assert!(m("*", "arn:aws:sqs:r:1:q"));
}

#[test]
fn variables_are_literal_text() {
    let value = |k: &str| (k == "aws:username").then_some("a*");
    let p = matcher("arn:aws:s3:::b/${aws:username}/*", Mode::RESOURCE);
    assert!(p.matches("arn:aws:s3:::b/a*/k", value).is_match());
    assert!(!p.matches("arn:aws:s3:::b/ab/k", value).is_match());
    let p = matcher("arn:aws:s3:::b/${aws:PrincipalTag/team}", Mode::RESOURCE);
    assert_eq!(p.matches("arn:aws:s3:::b/x", value), Outcome::Unresolved);
    let p = matcher("${aws:PrincipalTag/team, 'none'}", Mode::EXACT);
    assert!(p.matches("none", value).is_match());
    let p = matcher("a${*}b", Mode::EXACT);
    assert!(p.matches("a*b", value).is_match());
    let p = matcher("a*b", Mode::EXACT);
    assert!(!p.matches("axb", value).is_match());
    assert!(p.matches("a*b", value).is_match());
}

#[test]
fn ignore_case() {
    let mode = Mode {
        ignore_case: true,
        ..Mode::EXACT
    };
    assert!(
        matcher("Hello", mode)
            .matches("hELLO", no_values)
            .is_match()
    );
    assert!(
        matcher("Ärger", mode)
            .matches("äRGER", no_values)
            .is_match()
    );
}

#[test]
fn the_issue_reproductions() {
    // Issue 14: `b/?` does not cover `b/*`, and `s3:GetObjec?` does not
    // cover `s3:GetObjec*`.
    let r = |s| tokens(s, Mode::RESOURCE);
    assert!(!covers(&r("arn:aws:s3:::b/?"), &r("arn:aws:s3:::b/*")));
    assert!(covers(&r("arn:aws:s3:::b/*"), &r("arn:aws:s3:::b/?")));
    assert_eq!(
        witness(&r("arn:aws:s3:::b/?"), &r("arn:aws:s3:::b/*")).as_deref(),
        Some("arn:aws:s3:::b/")
    );
    let a = |s| Tokens::plain(s, Mode::ACTION);
    assert!(!covers(&a("s3:GetObjec?"), &a("s3:GetObjec*")));
    assert!(covers(&a("s3:GetObjec*"), &a("s3:GetObjec?")));
    assert!(covers(&a("S3:getobject"), &a("s3:GetObject")));
    assert!(covers(&a("s3:Get*"), &a("s3:get**")));
}

#[test]
fn containment_follows_the_arn_rule() {
    let r = |s| tokens(s, Mode::RESOURCE);
    // A mid-segment `*` does not reach across a colon.
    assert!(!covers(
        &r("arn:aws:iam::1*3:role/x"),
        &r("arn:aws:iam::1:3:role/x")
    ));
    assert!(covers(
        &r("arn:aws:iam::*:role/x"),
        &r("arn:aws:iam::1*3:role/x")
    ));
    // A segment-ending `*` does.
    assert!(covers(&r("arn:aws:iam::*"), &r("arn:aws:iam::1:3:role/x")));
    assert!(covers(&r("*"), &r("arn:aws:iam::1:3:role/?")));
}

#[test]
fn containment_with_variables() {
    let r = |s| tokens(s, Mode::RESOURCE);
    let home = r("arn:aws:s3:::b/${aws:username}/*");
    assert!(covers(&home, &r("arn:aws:s3:::b/${aws:UserName}/k")));
    assert!(!covers(&home, &r("arn:aws:s3:::b/${aws:userid}/k")));
    assert!(!covers(&home, &r("arn:aws:s3:::b/x/k")));
    assert!(covers(&r("arn:aws:s3:::b/*"), &home));
    assert!(!covers(&r("arn:aws:s3:::b/x/*"), &home));
    assert!(intersects(&home, &r("arn:aws:s3:::b/x/k")));
    assert!(!intersects(&home, &r("arn:aws:s3:::c/*")));
}

#[test]
fn intersection() {
    let w = |s| tokens(s, LIKE);
    assert!(intersects(&w("role/*"), &w("role/*")));
    assert!(intersects(&w("*"), &w("bucket/key")));
    assert!(intersects(&w("bu*et/k?y"), &w("*/*")));
    assert!(!intersects(&w("user/x"), &w("role/*")));
    assert!(!intersects(&w("abc"), &w("abcd")));
    assert!(intersects(&w("a*"), &w("*b")));
    assert!(!intersects(&w("a*c"), &w("b*")));
}

fn mode_strategy() -> impl Strategy<Value = Mode> {
    prop_oneof![
        Just(Mode::RESOURCE),
        Just(CONDITION),
        Just(Mode::ACTION),
        Just(LIKE),
        Just(Mode::EXACT),
    ]
}

/// Patterns and strings over a small alphabet where colons, case and
/// wildcards meet often.
fn pattern_strategy() -> &'static str {
    "(arn:|ab|aA)?[ab:A*?]{0,7}"
}

fn text_strategy() -> &'static str {
    "(arn:)?[ab:A*?]{0,8}"
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn every_pattern_covers_itself(p in pattern_strategy(), mode in mode_strategy()) {
        let t = tokens(&p, mode);
        prop_assert!(covers(&t, &t));
        prop_assert!(witness(&t, &t).is_none());
    }

    #[test]
    fn star_covers_everything(p in pattern_strategy(), mode in mode_strategy()) {
        let star = tokens("*", Mode { wildcards: true, ..mode });
        prop_assert!(covers(&star, &tokens(&p, mode)));
    }

    #[test]
    fn containment_agrees_with_matching(
        a in pattern_strategy(),
        b in pattern_strategy(),
        mode in mode_strategy(),
        other_mode in mode_strategy(),
        same in any::<bool>(),
        texts in proptest::collection::vec(text_strategy(), 24),
    ) {
        // Mostly one mode, as rules compare; sometimes two.
        let mode_b = if same { mode } else { other_mode };
        let (ta, tb) = (tokens(&a, mode), tokens(&b, mode_b));
        let (ma, mb) = (Matcher::new(ta.clone()), Matcher::new(tb.clone()));
        let m = |p: &Matcher, s: &str| p.matches(s, no_values).is_match();
        if covers(&ta, &tb) {
            for s in texts.iter().chain([&a, &b]) {
                prop_assert!(!m(&mb, s) || m(&ma, s), "{a:?} covers {b:?} but not {s:?}");
            }
        } else {
            let w = witness(&ta, &tb);
            prop_assert!(w.is_some(), "{a:?} does not cover {b:?}, no witness");
            let w = w.unwrap();
            prop_assert!(m(&mb, &w) && !m(&ma, &w), "bad witness {w:?} for {a:?} / {b:?}");
        }
        let both = texts.iter().chain([&a, &b]).any(|s| m(&ma, s) && m(&mb, s));
        prop_assert!(!both || intersects(&ta, &tb));
    }

    #[test]
    fn intersection_agrees_with_the_automaton_search(
        a in pattern_strategy(),
        b in pattern_strategy(),
        mode in mode_strategy(),
        other_mode in mode_strategy(),
        same in any::<bool>(),
    ) {
        let mode_b = if same { mode } else { other_mode };
        let (ta, tb) = (tokens(&a, mode), tokens(&b, mode_b));
        if let Some(common) = super::contain::common_string(&ta, &tb) {
            prop_assert_eq!(intersects(&ta, &tb), common.is_some(), "{:?} / {:?}: {:?}", a, b, common);
            if let Some(s) = common {
                let m = |t: &Tokens| Matcher::new(t.clone()).matches(&s, no_values).is_match();
                prop_assert!(m(&ta) && m(&tb), "{s:?} is not common to {a:?} and {b:?}");
            }
        }
    }

    #[test]
    fn automaton_agrees_with_matcher(
        p in pattern_strategy(),
        mode in mode_strategy(),
        s in text_strategy(),
    ) {
        let t = tokens(&p, mode);
        let auto = t.automaton(|_| None);
        let auto = auto.unwrap();
        prop_assert_eq!(auto.matches(&s), Matcher::new(t).matches(&s, no_values).is_match());
    }
}
