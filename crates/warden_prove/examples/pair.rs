//! Compares two policy files, repeatedly, for profiling:
//! `cargo run --release -p warden_prove --example pair -- OLD NEW [N]`.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "a developer tool"
)]

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let read = |p: &str| {
        let text = std::fs::read_to_string(p).expect("read");
        warden_policy::parse_policy(&text).policy.expect("policy")
    };
    let old = read(&args[1]);
    let new = read(&args[2]);
    let n: usize = args.get(3).map_or(1, |s| s.parse().unwrap());
    let options = warden_prove::DiffOptions::default();
    for _ in 0..n {
        let t = std::time::Instant::now();
        let c = warden_prove::compare(&old, &new, &options);
        eprintln!(
            "{:?} new={:?} removed={:?}",
            t.elapsed(),
            c.new_access.as_bool(),
            c.removed_access.as_bool()
        );
    }
}
