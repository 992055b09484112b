//! The evaluation case corpus: every case in `testdata/eval/*.toml` states a
//! request, its policies, the expected decision and the documented rule that
//! decides it. All must pass.

use std::collections::HashSet;

use warden_eval::{CompiledPolicy, decide, explain};
use warden_testdata::EvalCase;

fn compile(case: &str, text: &str) -> Result<CompiledPolicy, String> {
    let out = warden_policy::parse_policy(text);
    match out.into_result() {
        Ok((p, _)) => Ok(CompiledPolicy::compile(&p)),
        Err(diags) => Err(format!("{case}: policy does not parse: {diags:?}")),
    }
}

fn run(case: &EvalCase) -> Result<(), String> {
    let policies = case.policies(|t| compile(&case.name, t))?;
    let set = policies.policy_set();
    let request = case.request();
    let decision = decide(&set, &request);
    let explained = explain(&set, &request);
    if explained.decision != decision {
        return Err(format!("{}: decide and explain disagree", case.name));
    }
    let got = format!("{decision:?}");
    if got != case.expected {
        return Err(format!(
            "{}: expected {}, got {got} ({})\n    rule: {}",
            case.name, case.expected, explained.reason, case.rule
        ));
    }
    Ok(())
}

#[test]
fn eval_case_corpus() {
    let files = warden_testdata::eval_case_files();
    let mut failures = Vec::new();
    let mut total = 0;
    let mut names = HashSet::new();
    for file in &files {
        let cases = match &file.cases {
            Ok(cases) => cases,
            Err(e) => {
                failures.push(e.clone());
                continue;
            }
        };
        for case in cases {
            total += 1;
            assert!(
                names.insert(case.name.clone()),
                "duplicate case name {}",
                case.name
            );
            assert!(!case.rule.trim().is_empty(), "{}: no rule", case.name);
            if let Err(e) = run(case) {
                failures.push(e);
            }
        }
    }
    eprintln!(
        "{total} evaluation cases in {} files, {} failing",
        files.len(),
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {total} cases fail:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
