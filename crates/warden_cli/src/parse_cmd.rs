//! `warden parse`: parse policies, report every problem, optionally print
//! the normalized model.

use std::io::Write;

use clap::Args;
use serde::Serialize;
use warden::PolicyModel;

use crate::exit;
use crate::report::Reporter;

#[derive(Debug, Args)]
pub(crate) struct ParseArgs {
    /// Policy files; `-` reads standard input.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<String>,
    /// Print the normalized policy model of each file as one JSON line
    /// `{"file": ..., "policy": ...}` on standard output.
    #[arg(long)]
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
            continue;
        }
        if let (true, Some(policy)) = (args.json, &out.policy) {
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
