//! The `warden` command line.
//!
//! Exit codes, for every command: 0 success; 1 a check failed (a file is
//! not canonical, a request is denied, a finding remains); 2 a usage or
//! input error (unreadable file, invalid policy), or for `diff` and
//! `check`, an answer the prover could not decide ("unknown").

use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

mod actions;
mod args;
mod batch_io;
mod check_cmd;
mod diff_cmd;
mod fmt_cmd;
mod lint_cmd;
mod parse_cmd;
mod prove_args;
mod report;
mod simulate_cmd;
mod witness_text;

// Parsing allocates many small strings; mimalloc makes that markedly faster
// than the system allocator (see README, "Dependencies").
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The version line names the embedded AWS service reference's date.
static VERSION: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    format!(
        "{} (AWS service reference {})",
        env!("CARGO_PKG_VERSION"),
        warden::catalog::DATA_DATE
    )
});

/// warden: who can do what in your AWS accounts, exactly and offline.
#[derive(Debug, Parser)]
#[command(name = "warden", version = VERSION.as_str(), about, max_term_width = 100)]
struct Cli {
    /// When to colour diagnostics.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    /// How to print diagnostics on standard error.
    #[arg(long, global = true, value_enum, default_value_t = ErrorFormat::Human)]
    error_format: ErrorFormat,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Parse policy files and report every problem; with --json, print the
    /// normalized policy model.
    Parse(parse_cmd::ParseArgs),
    /// Print policies in canonical form, check that they are, or rewrite them.
    Fmt(fmt_cmd::FmtArgs),
    /// Check policies, CloudFormation templates and Terraform plans against
    /// every Access Analyzer validation check and more.
    Lint(lint_cmd::LintArgs),
    /// List AWS actions matching patterns, or describe one action.
    Actions(actions::ActionsArgs),
    /// Decide requests exactly as AWS's documented evaluation logic does;
    /// exit 0 on Allow, 1 on deny.
    Simulate(Box<simulate_cmd::SimulateArgs>),
    /// Compare two policies exactly: does NEW allow any request OLD does
    /// not (and the reverse), what changed per action, with example
    /// requests; exit 0 when NEW grants no new access, 1 when it does, 2 on
    /// error or unknown.
    Diff(diff_cmd::DiffArgs),
    /// Run IAM Access Analyzer's custom policy checks offline
    /// (no-new-access, access-not-granted, no-public-access); exit 0 pass,
    /// 1 fail, 2 error or unknown.
    Check(check_cmd::CheckArgs),
}

/// When to use ANSI colours.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub(crate) enum ColorChoice {
    /// When standard error is a terminal and NO_COLOR is unset.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// The format of diagnostics.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum ErrorFormat {
    /// rustc-style text with source excerpts.
    Human,
    /// One JSON object per line.
    Json,
}

/// Exit codes shared by all commands.
pub(crate) mod exit {
    /// Success.
    pub(crate) const OK: u8 = 0;
    /// A check failed.
    pub(crate) const CHECK_FAILED: u8 = 1;
    /// A usage or input error.
    pub(crate) const INPUT_ERROR: u8 = 2;
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() {
                exit::INPUT_ERROR
            } else {
                exit::OK
            });
        }
    };
    let reporter = report::Reporter::new(cli.color, cli.error_format);
    let code = match cli.command {
        Command::Parse(args) => parse_cmd::run(&args, &reporter),
        Command::Fmt(args) => fmt_cmd::run(&args, &reporter),
        Command::Simulate(args) => simulate_cmd::run(&args, &reporter),
        Command::Lint(args) => lint_cmd::run(&args, &reporter),
        Command::Diff(args) => diff_cmd::run(&args, &reporter),
        Command::Check(args) => check_cmd::run(&args, &reporter),
        Command::Actions(args) => {
            match actions::run(&args, &mut std::io::stdout().lock(), &reporter) {
                Ok(code) => code,
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => exit::OK,
                Err(e) => {
                    eprintln!("error: cannot write the output: {e}");
                    exit::INPUT_ERROR
                }
            }
        }
    };
    ExitCode::from(code)
}
