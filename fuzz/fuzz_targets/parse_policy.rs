//! Any bytes: the parser must not panic, and any policy it accepts must
//! print to a canonical form that parses to the same policy and prints the
//! same again.
#![no_main]

use libfuzzer_sys::fuzz_target;
use warden_policy::model::PolicyModel;
use warden_policy::{parse_policy, print_policy};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let out = parse_policy(text);
    let Some(policy) = out.policy.filter(|_| !out.diagnostics.iter().any(|d| d.is_error())) else {
        return;
    };
    let printed = print_policy(&policy);
    let again = parse_policy(&printed);
    assert!(!again.has_errors(), "printed form has errors:\n{printed}");
    let Some(again) = again.policy else {
        panic!("printed form has no policy:\n{printed}");
    };
    assert_eq!(PolicyModel::from(&policy), PolicyModel::from(&again));
    assert_eq!(print_policy(&again), printed);
});
