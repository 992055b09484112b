//! `warden parse`: parse policies, report every problem, optionally print
//! the normalized model.

use std::io::Write;

use clap::Args;
use serde::Serialize;
use warden::PolicyModel;

use crate::args::OutputFormat;
use crate::exit;
use crate::report::Reporter;

#[derive(Debug, Args)]
pub(crate) struct ParseArgs {
    /// Policy files; `-` reads standard input.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<String>,
    /// `json`: print the normalized policy model of each file as one JSON
    /// line `{"file": ..., "policy": ...}` on standard output; `human`
    /// (the default) prints only problems, on standard error.
    #[arg(long, value_parser = OutputFormat::parser(OutputFormat::HUMAN_JSON), default_value = "human")]
    format: OutputFormat,
    /// The same as `--format json` (kept for scripts).
    #[arg(long, hide = true)]
    json: bool,
    /// Parse the policy embedded at this JSON pointer (RFC 6901), such as
    /// `/Resources/Role/Properties/Policies/0/PolicyDocument` in a template.
    #[arg(long, value_name = "POINTER")]
    pointer: Option<String>,
}

#[derive(Serialize)]
struct Output<'a> {
    file: &'a str,
    policy: PolicyModel,
}

pub(crate) fn run(args: &ParseArgs, reporter: &Reporter) -> u8 {
    let mut code = exit::OK;
    let mut stdout = std::io::stdout().lock();
    for path in &args.files {
        let Some(source) = reporter.read(path) else {
            code = exit::INPUT_ERROR;
            continue;
        };
        let out = match &args.pointer {
            None => warden::parse(&source),
            Some(pointer) => match warden::parse_at_pointer(&source, pointer) {
                Ok(out) => out,
                Err(message) => {
                    reporter.usage_error(&message);
                    code = exit::INPUT_ERROR;
                    continue;
                }
            },
        };
        reporter.report(&out.diagnostics, &source);
        if out.has_errors() {
            code = exit::INPUT_ERROR;
            if args.pointer.is_none() {
                hint_container(reporter, &source);
            }
            continue;
        }
        let json = args.json || args.format == OutputFormat::Json;
        if let (true, Some(policy)) = (json, &out.policy) {
            let line = serde_json::to_string(&Output {
                file: source.name(),
                policy: PolicyModel::from(policy),
            })
            .unwrap_or_default();
            if writeln!(stdout, "{line}").is_err() {
                return exit::INPUT_ERROR;
            }
        }
    }
    code
}

/// When `source` is a template or plan, says how to read the policies in
/// it: `parse` reads one policy document.
pub(crate) fn hint_container(reporter: &Reporter, source: &warden::SourceFile) {
    if let Some(kind) = warden::container_kind(source) {
        let name = source.name();
        reporter.hint(&format!(
            "`{name}` is {kind}, not a policy: `warden lint {name}` checks every policy in it, \
             and `--pointer` parses one (`warden parse --pointer \
             /Resources/Role/Properties/Policies/0/PolicyDocument {name}`)"
        ));
    }
}
