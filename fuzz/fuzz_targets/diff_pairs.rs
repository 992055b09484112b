//! Any bytes as a batch of policy pairs for `warden diff --batch`: never a
//! panic, one output line per non-blank input line, and every witness the
//! prover returns has been replayed (a failed replay would surface as an
//! `unknown` whose reason starts with "bug:", which this target rejects).
#![no_main]

use std::time::Duration;

use libfuzzer_sys::fuzz_target;
use warden_prove::DiffOptions;

fuzz_target!(|data: &[u8]| {
    let mut out = Vec::new();
    let batch = warden::diff::DiffBatchOptions {
        pair_timeout: Some(Duration::from_millis(200)),
        // The changes too: the fuzzer covers every path of a batch answer.
        verdicts_only: false,
        // Each pair read as its inferred type, as the command line does.
        infer_policy_type: true,
    };
    let Ok(summary) =
        warden::diff::run_diff_batch_with(data, &mut out, &DiffOptions::default(), &batch)
    else {
        return; // Invalid UTF-8 is an I/O error of the reader.
    };
    let lines = out.iter().filter(|&&b| b == b'\n').count();
    assert_eq!(lines, summary.pairs + summary.errors);
    let text = String::from_utf8_lossy(&out);
    assert!(!text.contains("\"reason\":\"bug:"), "{text}");
});
