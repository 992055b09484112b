//! Times `warden lint` (lint, then the JSON report, as `warden lint --format
//! json` does) on generated inputs of the shapes that once grew faster than
//! their size, and prints the peak memory of each run:
//!
//! ```sh
//! cargo xtask bench-lint [--shape plan|statements|actions|big] [--sizes N,N,...]
//! ```
//!
//! - `plan`: a Terraform plan (one line, as `terraform show -json` writes
//!   it) with N `aws_iam_policy` resources, each with two findings; every
//!   finding's line and column is looked up on that one long line.
//! - `statements`: one policy with N distinct statements (H413 compares
//!   statements with each other).
//! - `actions`: one statement whose `Action` lists N real actions.
//! - `unknown-actions`: N actions that do not exist (each may search the
//!   catalog for a "did you mean").
//! - `resources`: N distinct resources (H402 compares entries pairwise).
//! - `big`: a policy of about N MB (statements of 20 actions and 5
//!   resources each), for memory.
//!
//! Each input is written under `target/bench-lint/` and linted in a fresh
//! process (this program run again with `--run FILE`), so the peak resident
//! memory (`VmHWM`, Linux only) is that one run's. A debug build runs
//! itself again as a release build.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

const USAGE: &str = "usage: cargo xtask bench-lint [--shape plan|statements|actions|unknown-actions|resources|big] [--sizes N,N,...]";

/// The shapes and their default sizes.
const SHAPES: &[(&str, &[usize])] = &[
    ("plan", &[1000, 2000, 4000, 8000]),
    ("statements", &[1000, 2000, 4000]),
    ("actions", &[5000, 10000, 20000]),
    ("unknown-actions", &[5000, 10000, 20000]),
    ("resources", &[5000, 10000, 20000]),
    ("big", &[1, 3, 7]),
];

/// `cargo xtask bench-lint ARGS`.
pub(crate) fn main(raw: &[String]) -> crate::Result<ExitCode> {
    if let [flag, file] = raw
        && flag == "--run"
    {
        return run_one(Path::new(file));
    }
    let mut shape: Option<String> = None;
    let mut sizes: Option<Vec<usize>> = None;
    let mut it = raw.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--shape" => shape = it.next().cloned(),
            "--sizes" => {
                sizes = it
                    .next()
                    .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
            }
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(ExitCode::SUCCESS);
            }
            other => {
                eprintln!("error: unknown argument `{other}`\n{USAGE}");
                return Ok(ExitCode::from(2));
            }
        }
    }
    if let Some(exit) = crate::rerun_as_release("bench-lint", raw) {
        return exit;
    }
    let dir = crate::workspace_root().join("target/bench-lint");
    std::fs::create_dir_all(&dir)?;
    let exe = std::env::current_exe()?;
    println!(
        "{:<12} {:>7} {:>10} {:>9} {:>10} {:>12}",
        "shape", "size", "input", "findings", "time", "peak memory"
    );
    for (name, default_sizes) in SHAPES {
        if shape.as_deref().is_some_and(|s| s != *name) {
            continue;
        }
        for &n in sizes.as_deref().unwrap_or(default_sizes) {
            let path = write_input(&dir, name, n)?;
            let out = Command::new(&exe)
                .args(["bench-lint", "--run"])
                .arg(&path)
                .output()?;
            let line = String::from_utf8_lossy(&out.stdout);
            let bytes = std::fs::metadata(&path)?.len();
            println!(
                "{name:<12} {n:>7} {:>8.1}MB {}",
                bytes as f64 / 1e6,
                line.trim_end()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Lints `file` once and prints findings, time and peak memory.
fn run_one(file: &Path) -> crate::Result<ExitCode> {
    let start = Instant::now();
    let source = warden::read_source(&file.display().to_string())
        .map_err(|e| e.diagnostic.message.clone())?;
    let report = warden::lint::lint_source(&source, &warden::lint::LintOptions::default());
    let json = warden::lint::json_report(std::slice::from_ref(&report)).to_string();
    let elapsed = start.elapsed();
    std::hint::black_box(json);
    println!(
        "{:>9} {:>9.2}s {:>12}",
        report.diagnostics.len(),
        elapsed.as_secs_f64(),
        peak_memory().unwrap_or_else(|| "n/a".into())
    );
    Ok(ExitCode::SUCCESS)
}

/// This process's peak resident memory, from `/proc/self/status`.
fn peak_memory() -> Option<String> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kib: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(format!("{:.0} MB", kib * 1024.0 / 1e6))
}

/// Writes the input of `shape` at size `n` and returns its path.
fn write_input(dir: &Path, shape: &str, n: usize) -> crate::Result<PathBuf> {
    let text = match shape {
        "plan" => plan(n),
        "statements" => policy(&(0..n).map(distinct_statement).collect::<Vec<_>>()),
        "actions" => policy(&[action_list(n)]),
        "unknown-actions" => policy(&[list_statement(
            "Action",
            (0..n).map(|i| format!("s3:GetObjec{i}")),
            "\"Resource\": \"*\"",
        )]),
        "resources" => policy(&[list_statement(
            "Resource",
            (0..n).map(|i| format!("arn:aws:s3:::bucket-{i}/*")),
            "\"Action\": \"s3:GetObject\"",
        )]),
        _ => big_policy(n * 1_000_000),
    };
    let path = dir.join(format!("{shape}-{n}.json"));
    std::fs::write(&path, text)?;
    Ok(path)
}

fn policy(statements: &[String]) -> String {
    format!(
        "{{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n{}\n  ]\n}}\n",
        statements.join(",\n")
    )
}

/// Statement `i`: one action on one bucket of its own, so no statement
/// contains another.
fn distinct_statement(i: usize) -> String {
    format!(
        "    {{\"Sid\": \"S{i}\", \"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::bucket-{i}/*\"}}"
    )
}

/// Real action names, in catalog order, cycled.
fn actions(n: usize) -> Vec<String> {
    let catalog = warden_catalog::Catalog::get();
    let all: Vec<String> = catalog
        .actions()
        .map(|a| format!("{}:{}", a.service().prefix(), a.name()))
        .collect();
    all.iter().cycle().take(n).cloned().collect()
}

fn action_list(n: usize) -> String {
    let list = actions(n)
        .iter()
        .map(|a| format!("\"{a}\""))
        .collect::<Vec<_>>()
        .join(", ");
    format!("    {{\"Effect\": \"Allow\", \"Action\": [{list}], \"Resource\": \"*\"}}")
}

/// An `Allow` statement whose `element` lists `items`, and `rest`.
fn list_statement(element: &str, items: impl Iterator<Item = String>, rest: &str) -> String {
    let list = items
        .map(|i| format!("\"{i}\""))
        .collect::<Vec<_>>()
        .join(", ");
    format!("    {{\"Effect\": \"Allow\", \"{element}\": [{list}], {rest}}}")
}

/// A policy of about `bytes` bytes: statements of 20 actions on 5 buckets.
fn big_policy(bytes: usize) -> String {
    let names = actions(20_000);
    let mut statements = Vec::new();
    let mut size = 0;
    let mut i = 0;
    while size < bytes {
        let acts = (0..20)
            .map(|k| {
                format!(
                    "\"{}\"",
                    names
                        .get((i * 20 + k) % names.len())
                        .map_or("s3:GetObject", String::as_str)
                )
            })
            .collect::<Vec<_>>()
            .join(", ");
        let res = (0..5)
            .map(|k| format!("\"arn:aws:s3:::bucket-{i}-{k}/*\""))
            .collect::<Vec<_>>()
            .join(", ");
        let s = format!(
            "    {{\"Sid\": \"S{i}\", \"Effect\": \"Allow\", \"Action\": [{acts}], \"Resource\": [{res}]}}"
        );
        size += s.len() + 2;
        statements.push(s);
        i += 1;
    }
    policy(&statements)
}

/// A one-line Terraform plan with `n` `aws_iam_policy` resources, each
/// policy with an unknown action and an `s3:*` on `*` (two findings).
fn plan(n: usize) -> String {
    let mut resources = String::new();
    for i in 0..n {
        let doc = format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":["s3:GetObjects","s3:*"],"Resource":"arn:aws:s3:::b-{i}/*"}}]}}"#
        );
        let escaped = serde_json::to_string(&doc).unwrap_or_default();
        if i > 0 {
            resources.push(',');
        }
        let _ = write!(
            resources,
            r#"{{"address":"aws_iam_policy.p{i}","mode":"managed","type":"aws_iam_policy","name":"p{i}","values":{{"name":"p{i}","policy":{escaped}}}}}"#
        );
    }
    format!(
        r#"{{"format_version":"1.2","terraform_version":"1.9.0","planned_values":{{"root_module":{{"resources":[{resources}]}}}}}}"#
    ) + "\n"
}
