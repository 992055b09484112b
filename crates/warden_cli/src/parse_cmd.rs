//! `warden parse`: parse policies, report every problem, optionally print
//! the normalized model.

use std::io::Write;

use clap::Args;
use serde::Serialize;
use warden::SourceFile;
use warden::policy::json::{JsonValue, parse_json};
use warden::policy::model::PolicyModel;
use warden::policy::{ParseOutput, parse_policy_value};

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
            Some(pointer) => match parse_at_pointer(&source, pointer) {
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

/// Parses the policy found at `pointer` inside the JSON document `source`.
fn parse_at_pointer(source: &SourceFile, pointer: &str) -> Result<ParseOutput, String> {
    let root = match parse_json(source.text()) {
        Ok(root) => root,
        Err(d) => {
            return Ok(ParseOutput {
                policy: None,
                diagnostics: vec![*d],
            });
        }
    };
    let value = resolve_pointer(&root, pointer)
        .ok_or_else(|| format!("`{pointer}` does not name a value in `{}`", source.name()))?;
    Ok(parse_policy_value(value))
}

/// Follows an RFC 6901 JSON pointer.
fn resolve_pointer<'a, 's>(root: &'a JsonValue<'s>, pointer: &str) -> Option<&'a JsonValue<'s>> {
    if pointer.is_empty() {
        return Some(root);
    }
    let mut cur = root;
    for token in pointer.strip_prefix('/')?.split('/') {
        let token = token.replace("~1", "/").replace("~0", "~");
        cur = match &cur.kind {
            warden::policy::json::JsonKind::Object(_) => cur.get(&token)?,
            warden::policy::json::JsonKind::Array(items) => {
                items.get(token.parse::<usize>().ok()?)?
            }
            _ => return None,
        };
    }
    Some(cur)
}
