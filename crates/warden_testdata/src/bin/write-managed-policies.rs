//! Writes the latest version of every AWS managed policy as its own file,
//! `DIR/<PolicyName>.json`, for end-to-end benchmarks of the `warden` binary:
//!
//! ```sh
//! cargo run --release -p warden_testdata --bin write-managed-policies -- /tmp/managed
//! time target/release/warden parse /tmp/managed/*.json
//! ```

use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: write-managed-policies DIR");
        return ExitCode::from(2);
    };
    let policies = match warden_testdata::managed_policies() {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("error: {dir}: {e}");
        return ExitCode::from(2);
    }
    let mut written = 0usize;
    for p in &policies {
        let Some(doc) = p.latest_document() else {
            eprintln!("warning: {} has no stored latest version", p.name);
            continue;
        };
        let path = std::path::Path::new(&dir).join(format!("{}.json", p.name));
        if let Err(e) = std::fs::write(&path, format!("{doc}\n")) {
            eprintln!("error: {}: {e}", path.display());
            return ExitCode::from(2);
        }
        written += 1;
    }
    println!("wrote {written} policies to {dir}");
    ExitCode::SUCCESS
}
