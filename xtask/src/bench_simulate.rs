//! Times `warden simulate --batch` end to end (reading the policy table and
//! the JSON lines, deciding, writing the decisions) on the benchmark batch:
//! requests sampled from every AWS managed policy, written by
//! `warden_testdata`'s `write-simulate-batch`.
//!
//! ```sh
//! cargo xtask bench-simulate [--requests N] [--runs R] [--threads T] [--binary PATH]
//! ```
//!
//! It builds the release `warden` (unless `--binary` names another one, to
//! compare builds with the same command), writes the batch once under
//! `target/bench-simulate/N/`, runs the binary R times and prints each
//! run's requests/s and MB/s of input, then the best and the median. The
//! machine's other load shows in the spread; compare figures run back to
//! back.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

const USAGE: &str = "usage: cargo xtask bench-simulate [--requests N (100000)] [--runs R (5)] [--threads T (all cores)] [--binary PATH]";

struct Args {
    requests: usize,
    runs: usize,
    threads: Option<usize>,
    binary: Option<PathBuf>,
}

fn parse_args(raw: &[String]) -> Result<Args, String> {
    let mut args = Args {
        requests: 100_000,
        runs: 5,
        threads: None,
        binary: None,
    };
    let mut it = raw.iter();
    while let Some(a) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{a} needs a value"));
        match a.as_str() {
            "-h" | "--help" => return Err(String::new()),
            "--requests" | "--runs" | "--threads" => {
                let n: usize = value()?
                    .parse()
                    .map_err(|_| format!("{a} needs a number"))?;
                match a.as_str() {
                    "--requests" => args.requests = n,
                    "--runs" => args.runs = n.max(1),
                    _ => args.threads = Some(n),
                }
            }
            "--binary" => args.binary = Some(PathBuf::from(value()?)),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(args)
}

/// `cargo xtask bench-simulate ARGS`.
pub(crate) fn main(raw: &[String]) -> crate::Result<ExitCode> {
    let args = match parse_args(raw) {
        Ok(a) => a,
        Err(e) if e.is_empty() => {
            println!("{USAGE}");
            return Ok(ExitCode::SUCCESS);
        }
        Err(e) => {
            eprintln!("error: {e}\n{USAGE}");
            return Ok(ExitCode::from(2));
        }
    };
    let root = crate::workspace_root();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let binary = match &args.binary {
        Some(b) => b.clone(),
        None => {
            let status = Command::new(&cargo)
                .current_dir(&root)
                .args([
                    "build",
                    "--quiet",
                    "--release",
                    "-p",
                    "warden_cli",
                    "--bin",
                    "warden",
                ])
                .status()?;
            if !status.success() {
                return Err("building the release `warden` failed".into());
            }
            root.join("target/release/warden")
        }
    };
    let dir = root.join(format!("target/bench-simulate/{}", args.requests));
    let requests = dir.join("requests.jsonl");
    let table = dir.join("table.json");
    if !requests.exists() || !table.exists() {
        let status = Command::new(&cargo)
            .current_dir(&root)
            .args([
                "run",
                "--quiet",
                "--release",
                "-p",
                "warden_testdata",
                "--bin",
                "write-simulate-batch",
                "--",
            ])
            .arg(&dir)
            .arg(args.requests.to_string())
            .status()?;
        if !status.success() {
            return Err("writing the benchmark batch failed".into());
        }
    }
    let bytes = std::fs::metadata(&requests)?.len();
    println!(
        "warden simulate --batch: {} requests, {:.1} MB of JSON lines, policy table {:.1} MB ({})",
        args.requests,
        mb(bytes),
        mb(std::fs::metadata(&table)?.len()),
        binary.display(),
    );
    let mut times = Vec::with_capacity(args.runs);
    for run in 1..=args.runs {
        let elapsed = run_once(&binary, &requests, &table, args.threads)?;
        println!("run {run}: {}", figures(elapsed, args.requests, bytes));
        times.push(elapsed);
    }
    times.sort();
    let best = times.first().copied().unwrap_or_default();
    let median = times.get(times.len() / 2).copied().unwrap_or_default();
    println!("best:   {}", figures(best, args.requests, bytes));
    println!("median: {}", figures(median, args.requests, bytes));
    Ok(ExitCode::SUCCESS)
}

/// One run, output discarded; its wall time.
fn run_once(
    binary: &Path,
    requests: &Path,
    table: &Path,
    threads: Option<usize>,
) -> crate::Result<Duration> {
    let mut command = Command::new(binary);
    command
        .arg("simulate")
        .arg("--batch")
        .arg(requests)
        .arg("--policy-table")
        .arg(table)
        .stdout(Stdio::null());
    if let Some(t) = threads {
        command.arg("--threads").arg(t.to_string());
    }
    let start = Instant::now();
    let status = command.status()?;
    let elapsed = start.elapsed();
    // Exit 2 means some lines were errors; the run itself went through.
    if !matches!(status.code(), Some(0 | 2)) {
        return Err(format!("`{}` failed: {status}", binary.display()).into());
    }
    Ok(elapsed)
}

fn figures(elapsed: Duration, requests: usize, bytes: u64) -> String {
    let secs = elapsed.as_secs_f64().max(1e-9);
    format!(
        "{:.3} s, {:>9.0} requests/s, {:>6.1} MB/s",
        secs,
        requests as f64 / secs,
        mb(bytes) / secs
    )
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1e6
}
