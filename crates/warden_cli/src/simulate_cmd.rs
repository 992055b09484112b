//! `warden simulate`: decide requests as AWS would, one or a batch.

use std::io::Write;

use clap::Args;
use warden::request::{
    CompiledPolicy, ContextValue, Decision, Explanation, Request, RequestContext,
};
use warden::simulate::RequestProblem;
use warden::{Diagnostic, PolicyStack, SourceFile};

use crate::args::OutputFormat;
use crate::batch_io;
use crate::exit;
use crate::report::Reporter;

#[derive(Debug, Args)]
pub(crate) struct SimulateArgs {
    /// Identity-based policy of the principal (repeat for several). Every
    /// policy flag takes `FILE#NAME` for one policy of a CloudFormation
    /// template or Terraform plan (`template.yaml#AppRole/Policies/read`).
    #[arg(long = "policy", value_name = "FILE")]
    policies: Vec<String>,
    /// Resource-based policy of the resource (bucket policy, key policy,
    /// role trust policy, ...).
    #[arg(long, value_name = "FILE")]
    resource_policy: Option<String>,
    /// Permissions boundary of the principal.
    #[arg(long, value_name = "FILE")]
    boundary: Option<String>,
    /// A service control policy; each `--scp` is one level, root first.
    #[arg(long = "scp", value_name = "FILE")]
    scps: Vec<String>,
    /// A resource control policy; each `--rcp` is one level, root first.
    #[arg(long = "rcp", value_name = "FILE")]
    rcps: Vec<String>,
    /// Session policy.
    #[arg(long, value_name = "FILE")]
    session_policy: Option<String>,
    /// The calling principal's ARN.
    #[arg(long, value_name = "ARN", required_unless_present = "batch")]
    principal: Option<String>,
    /// The action, such as `s3:GetObject`.
    #[arg(long, value_name = "ACTION", required_unless_present = "batch")]
    action: Option<String>,
    /// The resource ARN.
    #[arg(long, value_name = "ARN", required_unless_present = "batch")]
    resource: Option<String>,
    /// The account that owns the resource (default: from the resource ARN,
    /// else the principal's account).
    #[arg(long, value_name = "ID")]
    resource_account: Option<String>,
    /// A condition key; repeat a key for a multivalued key, or give a JSON
    /// array: `--context 'aws:TagKeys=["a","b"]'`.
    #[arg(long = "context", value_name = "KEY=VALUE")]
    context: Vec<String>,
    /// The principal is a service-linked role (SCPs and RCPs do not apply).
    #[arg(long)]
    service_linked_role: bool,
    /// Explain the decision: which statements applied and why not.
    #[arg(long)]
    explain: bool,
    /// Output format.
    #[arg(long, value_parser = OutputFormat::parser(OutputFormat::HUMAN_JSON), default_value = "human")]
    format: OutputFormat,
    /// Decide every request of a JSON-lines file (`-` for stdin); writes one
    /// JSON line per request to stdout, in input order.
    #[arg(long, value_name = "REQUESTS.jsonl", conflicts_with_all = ["principal", "action", "resource"])]
    batch: Option<String>,
    /// With --batch: a JSON object from policy name to policy document;
    /// requests name policies instead of repeating them.
    #[arg(long, value_name = "TABLE.json", requires = "batch")]
    policy_table: Option<String>,
    /// With --batch: how many threads decide requests (default: one per
    /// core). The output is the same whatever the number.
    #[arg(long, value_name = "N", requires = "batch", value_parser = clap::value_parser!(u16).range(1..))]
    threads: Option<u16>,
}

pub(crate) fn run(args: &SimulateArgs, reporter: &Reporter) -> u8 {
    match &args.batch {
        Some(path) => run_batch(args, path, reporter),
        None => run_one(args, reporter),
    }
}

/// Reads, parses and compiles one policy file, reporting problems.
fn load(path: &str, reporter: &Reporter) -> Option<CompiledPolicy> {
    let (path, name) = warden::select::split_selector(path);
    let source = reporter.read(path)?;
    let out = warden::select::read_policy(&source, name);
    reporter.report(&out.diagnostics, &source);
    let (policy, _) = out.into_result().ok()?;
    Some(CompiledPolicy::compile(&policy))
}

fn parse_context(items: &[String]) -> Result<RequestContext, String> {
    let mut ctx = RequestContext::new();
    let mut multi: Vec<(String, Vec<String>)> = Vec::new();
    for item in items {
        let Some((key, value)) = item.split_once('=') else {
            return Err(format!("`--context {item}`: expected KEY=VALUE"));
        };
        if value.trim_start().starts_with('[') {
            let v: serde_json::Value =
                serde_json::from_str(value).map_err(|e| format!("`--context {item}`: {e}"))?;
            ctx.insert(key, warden::simulate::context_value(&v)?);
            continue;
        }
        match multi.iter_mut().find(|(k, _)| k.eq_ignore_ascii_case(key)) {
            Some((_, values)) => values.push(value.to_string()),
            None => multi.push((key.to_string(), vec![value.to_string()])),
        }
    }
    for (key, mut values) in multi {
        let value = if values.len() == 1 {
            ContextValue::Single(values.remove(0))
        } else {
            ContextValue::Multi(values)
        };
        ctx.insert(&key, value);
    }
    Ok(ctx)
}

fn run_one(args: &SimulateArgs, reporter: &Reporter) -> u8 {
    let (Some(principal), Some(action), Some(resource)) =
        (&args.principal, &args.action, &args.resource)
    else {
        reporter.usage_error(
            "`--principal`, `--action` and `--resource` are required without `--batch`",
        );
        return exit::INPUT_ERROR;
    };
    if !request_is_sendable(principal, action, resource, reporter) {
        return exit::INPUT_ERROR;
    }
    let files = policy_files(args);
    let loaded = files.map(|path| load(path, reporter));
    let Ok(stack) = loaded.try_map(|p| p.as_ref().ok_or(())) else {
        return exit::INPUT_ERROR;
    };
    let context = match parse_context(&args.context) {
        Ok(c) => c,
        Err(e) => {
            reporter.usage_error(&e);
            return exit::INPUT_ERROR;
        }
    };
    let several: Vec<Diagnostic> = context
        .iter()
        .filter_map(|(key, value)| warden::simulate::check_context_key(key, value.values().len()))
        .map(|p| problem_diagnostic(&p))
        .collect();
    reporter.report(&several, &SourceFile::new("<command line>", ""));
    let mut request = Request::new(principal, action, resource, context);
    request.resource_account = args.resource_account.clone();
    request.service_linked_role = args.service_linked_role;
    let explanation = warden::simulate::simulate(&stack, &request);
    let mut stdout = std::io::stdout().lock();
    let text = match args.format {
        OutputFormat::Json if args.explain => {
            serde_json::to_string_pretty(&explanation).unwrap_or_default()
        }
        OutputFormat::Json => serde_json::json!({ "decision": explanation.decision }).to_string(),
        // `--format` accepts only human and json here.
        _ => render_text(&explanation, args.explain, &files),
    };
    if writeln!(stdout, "{text}").is_err() {
        return exit::INPUT_ERROR;
    }
    if explanation.decision == Decision::Allow {
        exit::OK
    } else {
        exit::CHECK_FAILED
    }
}

/// Reports what is wrong with the request's principal, action and resource
/// (errors, and warnings for actions the catalog does not know); `false`
/// when AWS could never send it.
fn request_is_sendable(principal: &str, action: &str, resource: &str, reporter: &Reporter) -> bool {
    let problems = warden::simulate::check_request(principal, action, resource);
    let diagnostics: Vec<Diagnostic> = problems.iter().map(problem_diagnostic).collect();
    reporter.report(&diagnostics, &SourceFile::new("<command line>", ""));
    !problems.iter().any(RequestProblem::is_error)
}

/// A problem of the request on the command line as a diagnostic.
fn problem_diagnostic(p: &RequestProblem) -> Diagnostic {
    let d = if p.is_error() {
        Diagnostic::error("P000", p.message.clone())
    } else {
        Diagnostic::warning("P000", p.message.clone())
    };
    match &p.help {
        Some(help) => d.with_help(help.clone()),
        None => d,
    }
}

fn render_text(e: &Explanation, explain: bool, files: &PolicyStack<String>) -> String {
    let mut s = format!("{:?}: {}", e.decision, e.reason);
    if !explain {
        return s;
    }
    for p in &e.policies {
        let file = files
            .get(p.kind, p.index, p.level)
            .map_or("", String::as_str);
        s.push_str(&format!("\n{:?} policy {file}:", p.kind));
        for st in &p.statements {
            let sid = st
                .sid
                .as_deref()
                .map(|x| format!(" ({x})"))
                .unwrap_or_default();
            match &st.mismatch {
                None => s.push_str(&format!(
                    "\n  statement {}{sid} {}: applies",
                    st.index, st.effect
                )),
                Some(why) => s.push_str(&format!(
                    "\n  statement {}{sid} {}: does not apply: {why}",
                    st.index, st.effect
                )),
            }
        }
    }
    s
}

/// The policy files the flags name, in their slots: each `--scp` and
/// `--rcp` is one level.
fn policy_files(args: &SimulateArgs) -> PolicyStack<String> {
    PolicyStack {
        identity: args.policies.clone(),
        resource: args.resource_policy.clone(),
        boundary: args.boundary.clone(),
        session: args.session_policy.clone(),
        scp_levels: args.scps.iter().map(|p| vec![p.clone()]).collect(),
        rcp_levels: args.rcps.iter().map(|p| vec![p.clone()]).collect(),
    }
}

fn run_batch(args: &SimulateArgs, path: &str, reporter: &Reporter) -> u8 {
    let table = match &args.policy_table {
        None => warden::batch::PolicyTable::default(),
        Some(p) => {
            let Some(source) = reporter.read(p) else {
                return exit::INPUT_ERROR;
            };
            match warden::batch::PolicyTable::parse(&source) {
                Ok(t) => t,
                Err(diags) => {
                    reporter.report(&diags, &source);
                    return exit::INPUT_ERROR;
                }
            }
        }
    };
    let Some(input) = batch_io::open_input(path, reporter) else {
        return exit::INPUT_ERROR;
    };
    let stdout = batch_io::output();
    let mut options = warden::batch::BatchOptions::new(args.explain);
    if let Some(threads) = args.threads {
        options.threads = usize::from(threads);
    }
    let outcome = warden::batch::run_batch_with(&table, input, stdout, &options);
    // The process ends next: freeing the compiled table object by object
    // (about 20 million instructions for the AWS managed policies) is work
    // the operating system does at once.
    std::mem::forget(table);
    batch_io::exit_code(outcome.map(|summary| summary.errors), reporter)
}
