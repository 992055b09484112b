//! Any bytes as a policy file, CloudFormation template (JSON or YAML) or
//! Terraform plan: extraction, selection, parsing and every lint rule must
//! not panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let name = match selector % 3 {
        0 => "input.json",
        1 => "template.yaml",
        _ => "plan.json",
    };
    let source = warden::SourceFile::new(name, text);
    let _ = warden::lint::lint_source(&source, &warden::lint::LintOptions::default());
    // The same bytes as the one policy `diff`, `check` and `simulate` read.
    let _ = warden::select::read_stack(&source, None);
    let _ = warden::select::read_policy(&source, Some("A/Policies/0"));
});
