//! `warden lint`: every check of IAM Access Analyzer's policy validation
//! and more, over policy files, CloudFormation templates and Terraform plans.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;
use rayon::prelude::*;
use warden::discover::DiscoverOptions;
use warden::lint::{
    FileReport, LintOptions, check_rule_keys, find_config, lint_file, parse_severity, read_config,
    registry,
};
use warden::{Diagnostic, PolicyType, Severity, SourceFile};

use crate::args::{OutputFormat, policy_type_parser};
use crate::exit;
use crate::report::Reporter;

#[derive(Debug, Args)]
pub(crate) struct LintArgs {
    /// Files or directories (searched for .json, .yaml, .yml, .template); `-` is stdin.
    #[arg(value_name = "PATH")]
    paths: Vec<String>,
    /// Output format.
    #[arg(long, value_parser = OutputFormat::parser(OutputFormat::ALL), default_value = "human")]
    format: OutputFormat,
    /// Only these rules (codes or names, comma-separated; `ALL`).
    #[arg(long, value_delimiter = ',')]
    select: Vec<String>,
    /// Not these rules (codes or names, comma-separated).
    #[arg(long, value_delimiter = ',')]
    ignore: Vec<String>,
    /// Report findings at or above this severity.
    #[arg(long, value_name = "SEVERITY")]
    min_severity: Option<String>,
    /// Also report notes: policies that could not be read (given by an
    /// intrinsic function, known only after apply, a resource type warden
    /// does not read) and values kept as opaque text.
    #[arg(long)]
    show_notes: bool,
    /// Exit 1 when a finding at or above this severity remains (default: security).
    #[arg(long, value_name = "SEVERITY")]
    fail_severity: Option<String>,
    /// Read standalone policy files as this type instead of inferring it
    /// (a policy in a template or plan keeps the type its resource states).
    #[arg(long, value_parser = policy_type_parser())]
    policy_type: Option<PolicyType>,
    /// Largest file to read, in MiB (templates and plans; each policy in
    /// them, and a policy file, is at most 8 MiB).
    #[arg(long, value_name = "MIB", default_value_t = warden::MAX_FILE_BYTES >> 20)]
    max_file_size: u64,
    /// Do not lint paths matching this glob (gitignore syntax, relative to
    /// the directory given; repeatable), such as `tests/**` or `events/*.json`.
    #[arg(long, value_name = "GLOB")]
    exclude: Vec<String>,
    /// Also walk hidden files and folders and what `.gitignore` names.
    #[arg(long)]
    no_ignore: bool,
    /// Configuration file (default: `warden.toml` here or in a parent directory).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Print a rule's documentation.
    #[arg(long, value_name = "CODE")]
    explain: Option<String>,
    /// List every rule.
    #[arg(long)]
    list_rules: bool,
}

pub(crate) fn run(args: &LintArgs, reporter: &Reporter) -> u8 {
    let mut stdout = std::io::stdout().lock();
    if let Some(code) = &args.explain {
        return match registry::find(code) {
            Some(rule) => {
                let _ = writeln!(stdout, "{}", rule.meta().to_markdown());
                exit::OK
            }
            None => {
                reporter.usage_error(&format!(
                    "no rule `{code}`; `warden lint --list-rules` lists them"
                ));
                exit::INPUT_ERROR
            }
        };
    }
    if args.list_rules {
        for r in registry::all() {
            let m = r.meta();
            let _ = writeln!(
                stdout,
                "{}  {:<44} {:<10} {}",
                m.code,
                m.name,
                m.default_severity.as_str(),
                m.summary
            );
        }
        return exit::OK;
    }
    if args.paths.is_empty() {
        reporter.usage_error("give files or directories to lint (or `-` for standard input)");
        return exit::INPUT_ERROR;
    }
    let options = match options(args) {
        Ok(o) => o,
        Err(e) => {
            reporter.usage_error(&e);
            return exit::INPUT_ERROR;
        }
    };
    let discovery = match warden::discover::discover(
        &args.paths,
        &DiscoverOptions {
            exclude: args.exclude.clone(),
            no_ignore: args.no_ignore,
        },
    ) {
        Ok(d) => d,
        Err(e) => {
            reporter.usage_error(&e);
            return exit::INPUT_ERROR;
        }
    };
    // Files are independent: lint them on every core, keeping their order.
    // A file that cannot be read is a report with that one error.
    let mut reports: Vec<FileReport> = discovery
        .files
        .par_iter()
        .map(|c| {
            match warden::read_source_limited(&c.path, args.max_file_size.saturating_mul(1 << 20)) {
                Ok(source) => lint_file(&source, &options, c.named),
                Err(e) => FileReport::unreadable(e.source, e.diagnostic),
            }
        })
        .collect();
    reports.extend(discovery.errors.into_iter().map(|(path, error)| {
        FileReport::unreadable(
            SourceFile::new(path, ""),
            Diagnostic::error(warden::codes::UNREADABLE, error),
        )
    }));
    reports.extend(discovery.skipped.into_iter().map(|s| FileReport {
        source: SourceFile::new(s.path, ""),
        policies: 0,
        diagnostics: Vec::new(),
        input_errors: 0,
        skipped: Some(s.reason),
        hidden_notes: 0,
    }));
    // Unreadable files exit 2; a file that does not parse is an error
    // finding (exit 1 under the default `--fail-severity`).
    let unreadable = [
        warden::codes::UNREADABLE,
        warden::codes::NOT_UTF8,
        warden::codes::TOO_LARGE,
    ];
    let input_error = reports
        .iter()
        .flat_map(|r| r.split_input_errors().0)
        .any(|d| unreadable.contains(&&*d.code));
    let failed = reports
        .iter()
        .flat_map(|r| &r.diagnostics)
        .any(|d| d.severity <= options.fail_severity);
    let written = match args.format {
        OutputFormat::Human => {
            for r in &reports {
                reporter.print_human(&r.diagnostics, &r.source, &mut stdout);
            }
            writeln!(stdout, "{}", summary_line(&reports))
        }
        OutputFormat::Json => writeln!(stdout, "{}", warden::lint::json_report(&reports)),
        OutputFormat::Sarif => writeln!(
            stdout,
            "{}",
            warden::lint::sarif_report(&reports, "warden", env!("CARGO_PKG_VERSION"))
        ),
        OutputFormat::Github => reports
            .iter()
            .flat_map(|r| {
                r.diagnostics
                    .iter()
                    .map(move |d| warden::diagnostics::to_github(d, &r.source))
            })
            .try_for_each(|line| writeln!(stdout, "{line}")),
    };
    if written.is_err() || input_error {
        exit::INPUT_ERROR
    } else if failed {
        exit::CHECK_FAILED
    } else {
        exit::OK
    }
}

fn options(args: &LintArgs) -> Result<LintOptions, String> {
    let mut options = LintOptions::default();
    let config = match &args.config {
        Some(p) => Some(p.clone()),
        None => std::env::current_dir().ok().and_then(|d| find_config(&d)),
    };
    if let Some(path) = config {
        read_config(&path)?.apply(&mut options)?;
    }
    if !args.select.is_empty() {
        options.selection.select = args.select.clone();
    }
    options.selection.ignore.extend(args.ignore.iter().cloned());
    let severity = |s: &str| {
        parse_severity(s).ok_or_else(|| {
            format!("unknown severity `{s}` (error, security, warning, suggestion, note)")
        })
    };
    if let Some(s) = &args.min_severity {
        options.min_severity = severity(s)?;
    }
    if args.show_notes {
        options.min_severity = Severity::Note;
    }
    if let Some(s) = &args.fail_severity {
        options.fail_severity = severity(s)?;
    }
    options.policy_type = args.policy_type;
    // A misspelt code would silently turn a check off (or every rule, in
    // `--select`): refuse it.
    check_rule_keys(&options.selection)?;
    Ok(options)
}

fn summary_line(reports: &[FileReport]) -> String {
    let count = |s: Severity| {
        reports
            .iter()
            .flat_map(|r| &r.diagnostics)
            .filter(|d| d.severity == s)
            .count()
    };
    let policies: usize = reports.iter().map(|r| r.policies).sum();
    let files = reports.iter().filter(|r| r.skipped.is_none()).count();
    let mut line = format!(
        "{files} files, {policies} policies: {} errors, {} security warnings, {} warnings, {} suggestions",
        count(Severity::Error),
        count(Severity::Security),
        count(Severity::Warning),
        count(Severity::Suggestion)
    );
    let notes = count(Severity::Note);
    let hidden: usize = reports.iter().map(|r| r.hidden_notes).sum();
    if notes > 0 {
        line.push_str(&format!(", {notes} notes"));
    }
    if hidden > 0 {
        line.push_str(&format!(
            " ({hidden} notes hidden: policies not read or read in part; --show-notes lists them)"
        ));
    }
    let input_errors: usize = reports.iter().map(|r| r.input_errors).sum();
    if input_errors > 0 {
        line.push_str(&format!(
            "; {input_errors} files could not be read or parsed"
        ));
    }
    let skipped = reports.iter().filter(|r| r.skipped.is_some()).count();
    if skipped > 0 {
        line.push_str(&format!(
            "; {skipped} files skipped (not a policy, template or plan; `--format json` lists them)"
        ));
    }
    line
}
