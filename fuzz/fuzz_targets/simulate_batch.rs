//! Any bytes as a batch of simulation requests: never a panic, and one
//! output line per non-blank input line.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let table = warden::batch::PolicyTable::default();
    let mut out = Vec::new();
    let Ok(summary) = warden::batch::run_batch(&table, data, &mut out, true) else {
        return; // Only an I/O error stops a batch (a bad line is an error line).
    };
    let lines = out.iter().filter(|&&b| b == b'\n').count();
    assert_eq!(lines, summary.decided + summary.errors);
});
