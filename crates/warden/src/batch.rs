//! Batch simulation: one JSON request per line in, one JSON decision per
//! line out, in input order.
//!
//! Requests name their policies either inline (a policy document) or by a
//! name in a policy table, so thousands of requests share one parsed and
//! compiled policy. Inline documents are cached by their text, so repeated
//! inline policies are compiled once too.

use std::collections::HashMap;
use std::io::{BufRead, Read, Write};
use std::rc::Rc;

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use warden_eval::{
    Caller, CompiledPolicy, ContextValue, Decision, Explanation, PolicyStack, Request,
    RequestContext,
};
use warden_policy::json::{JsonKind, parse_json};

/// Policies by name, compiled once.
#[derive(Default)]
pub struct PolicyTable {
    policies: HashMap<String, Rc<CompiledPolicy>>,
}

impl PolicyTable {
    /// Parses a table: a JSON object from name to policy document. Errors
    /// are diagnostics pointing into `source`.
    pub fn parse(source: &crate::SourceFile) -> Result<PolicyTable, Vec<crate::Diagnostic>> {
        let root = parse_json(source.text()).map_err(|d| vec![*d])?;
        let JsonKind::Object(members) = root.kind else {
            return Err(vec![
                crate::Diagnostic::error(
                    "P004",
                    "a policy table is a JSON object from policy name to policy document",
                )
                .with_primary(
                    crate::Span::new(root.span.start as usize, root.span.start as usize + 1),
                    "not an object",
                ),
            ]);
        };
        let mut table = PolicyTable::default();
        let mut errors = Vec::new();
        for m in members {
            match warden_policy::parse_policy_json(m.value).into_result() {
                Ok((p, _)) => {
                    table
                        .policies
                        .insert(m.key.to_string(), Rc::new(CompiledPolicy::compile(&p)));
                }
                Err(diags) => errors.extend(diags),
            }
        }
        if errors.is_empty() {
            Ok(table)
        } else {
            Err(errors)
        }
    }

    /// Number of policies.
    pub fn len(&self) -> usize {
        self.policies.len()
    }

    /// Whether the table is empty.
    pub fn is_empty(&self) -> bool {
        self.policies.is_empty()
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Line<'a> {
    #[serde(borrow, default)]
    id: Option<&'a RawValue>,
    principal: String,
    action: String,
    resource: String,
    #[serde(default)]
    resource_account: Option<String>,
    #[serde(default)]
    context: HashMap<String, serde_json::Value>,
    #[serde(borrow, default)]
    identity_policies: Vec<&'a RawValue>,
    #[serde(borrow, default)]
    resource_policy: Option<&'a RawValue>,
    #[serde(borrow, default)]
    permissions_boundary: Option<&'a RawValue>,
    #[serde(borrow, default)]
    session_policy: Option<&'a RawValue>,
    #[serde(borrow, default)]
    scp_levels: Vec<Vec<&'a RawValue>>,
    #[serde(borrow, default)]
    rcp_levels: Vec<Vec<&'a RawValue>>,
    #[serde(default)]
    service_linked_role: bool,
}

#[derive(Serialize)]
struct Output<'a> {
    id: Option<&'a RawValue>,
    #[serde(skip_serializing_if = "Option::is_none")]
    decision: Option<Decision>,
    #[serde(skip_serializing_if = "Option::is_none")]
    explanation: Option<Explanation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

/// The longest request line read: 16 MiB (a request with many inline
/// policies is a few hundred kilobytes).
pub const MAX_LINE_BYTES: u64 = 16 << 20;

/// JSON lines read one at a time, each at most [`MAX_LINE_BYTES`]: a
/// longer line is reported as such and skipped, never buffered whole.
/// Blank lines are skipped; line numbers count them.
pub(crate) struct Lines<R> {
    input: R,
    line: String,
    number: usize,
}

/// One non-blank input line.
pub(crate) struct InputLine<'a> {
    /// 1-based line number.
    pub number: usize,
    /// The text, or `None` when the line was longer than [`MAX_LINE_BYTES`].
    pub text: Option<&'a str>,
}

impl<R: BufRead> Lines<R> {
    pub(crate) fn new(input: R) -> Lines<R> {
        Lines {
            input,
            line: String::with_capacity(4096),
            number: 0,
        }
    }

    /// The next non-blank line, `None` at the end of the input.
    pub(crate) fn next_line(&mut self) -> std::io::Result<Option<InputLine<'_>>> {
        loop {
            self.line.clear();
            if self
                .input
                .by_ref()
                .take(MAX_LINE_BYTES)
                .read_line(&mut self.line)?
                == 0
            {
                return Ok(None);
            }
            self.number += 1;
            let too_long = self.line.len() as u64 >= MAX_LINE_BYTES && !self.line.ends_with('\n');
            if too_long {
                skip_rest_of_line(&mut self.input)?;
                return Ok(Some(InputLine {
                    number: self.number,
                    text: None,
                }));
            }
            if !self.line.trim().is_empty() {
                return Ok(Some(InputLine {
                    number: self.number,
                    text: Some(&self.line),
                }));
            }
        }
    }
}

/// Consumes input up to and including the next newline (after a line cut
/// at [`MAX_LINE_BYTES`]).
fn skip_rest_of_line(input: &mut impl BufRead) -> std::io::Result<()> {
    loop {
        let buf = input.fill_buf()?;
        if buf.is_empty() {
            return Ok(());
        }
        match buf.iter().position(|&b| b == b'\n') {
            Some(i) => {
                input.consume(i + 1);
                return Ok(());
            }
            None => {
                let len = buf.len();
                input.consume(len);
            }
        }
    }
}

/// Counts of a batch run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BatchSummary {
    /// Requests decided.
    pub decided: usize,
    /// Requests allowed.
    pub allowed: usize,
    /// Lines that were not valid requests.
    pub errors: usize,
}

/// Runs a batch: reads JSON lines from `input`, writes one line per request
/// to `output`. Blank lines are skipped. Invalid lines produce an `error`
/// line and the run goes on.
pub fn run_batch(
    table: &PolicyTable,
    mut input: impl BufRead,
    mut output: impl Write,
    explain: bool,
) -> std::io::Result<BatchSummary> {
    let mut summary = BatchSummary::default();
    let mut caches = Caches::default();
    let mut out = Vec::with_capacity(256);
    let mut lines = Lines::new(&mut input);
    while let Some(line) = lines.next_line()? {
        let n = line.number;
        out.clear();
        let result = match line.text {
            None => Err((
                None,
                format!("the request is longer than {} MiB", MAX_LINE_BYTES >> 20),
            )),
            Some(text) => decide_line(table, &mut caches, text, explain),
        };
        let record = match result {
            Ok((id, decision, explanation)) => {
                summary.decided += 1;
                summary.allowed += usize::from(decision == Decision::Allow);
                Output {
                    id,
                    decision: Some(decision),
                    explanation,
                    error: None,
                }
            }
            Err((id, e)) => {
                summary.errors += 1;
                Output {
                    id,
                    decision: None,
                    explanation: None,
                    error: Some(format!("line {n}: {e}")),
                }
            }
        };
        serde_json::to_writer(&mut out, &record).map_err(std::io::Error::other)?;
        out.push(b'\n');
        output.write_all(&out)?;
    }
    output.flush()?;
    Ok(summary)
}

/// Work shared between lines: compiled inline policies by their text, and
/// parsed principals (batches repeat principals).
#[derive(Default)]
struct Caches {
    inline: HashMap<String, Rc<CompiledPolicy>>,
    callers: HashMap<String, Caller>,
}

type LineResult<'a> =
    Result<(Option<&'a RawValue>, Decision, Option<Explanation>), (Option<&'a RawValue>, String)>;

fn decide_line<'a>(
    table: &PolicyTable,
    caches: &mut Caches,
    line: &'a str,
    explain: bool,
) -> LineResult<'a> {
    let req: Line<'a> = match serde_json::from_str(line) {
        Ok(r) => r,
        Err(e) => {
            // Recover the id for the error line when the JSON is an object.
            let id = serde_json::from_str::<IdOnly<'a>>(line)
                .ok()
                .and_then(|i| i.id);
            return Err((id, e.to_string()));
        }
    };
    let id = req.id;
    let fail = |e: String| (id, e);
    let references = PolicyStack {
        identity: req.identity_policies,
        resource: req.resource_policy,
        boundary: req.permissions_boundary,
        session: req.session_policy,
        scp_levels: req.scp_levels,
        rcp_levels: req.rcp_levels,
    };
    let inline = &mut caches.inline;
    let stack = references
        .try_map(|raw| resolve(table, inline, raw))
        .map_err(fail)?;
    let mut ctx = RequestContext::new();
    for (k, v) in &req.context {
        ctx.insert(
            k,
            context_value(v).map_err(|e| fail(format!("context key `{k}`: {e}")))?,
        );
    }
    let caller = match caches.callers.get(&req.principal) {
        Some(c) => c.clone(),
        None => {
            let c = Caller::parse(&req.principal);
            caches.callers.insert(req.principal.clone(), c.clone());
            c
        }
    };
    let mut request = Request::with_caller(caller, &req.action, &req.resource, ctx);
    request.resource_account = req.resource_account;
    request.service_linked_role = req.service_linked_role;
    let set = stack.policy_set();
    if explain {
        let e = warden_eval::explain(&set, &request);
        Ok((id, e.decision, Some(e)))
    } else {
        Ok((id, warden_eval::decide(&set, &request), None))
    }
}

#[derive(Deserialize)]
struct IdOnly<'a> {
    #[serde(borrow, default)]
    id: Option<&'a RawValue>,
}

/// A policy reference: a table name (a JSON string) or an inline document.
fn resolve(
    table: &PolicyTable,
    inline: &mut HashMap<String, Rc<CompiledPolicy>>,
    raw: &RawValue,
) -> Result<Rc<CompiledPolicy>, String> {
    let text = raw.get();
    if text.starts_with('"') {
        let name: String = serde_json::from_str(text).map_err(|e| e.to_string())?;
        return table
            .policies
            .get(&name)
            .cloned()
            .ok_or_else(|| format!("no policy named `{name}` in the policy table"));
    }
    if let Some(p) = inline.get(text) {
        return Ok(p.clone());
    }
    let out = warden_policy::parse_policy(text);
    match out.into_result() {
        Ok((p, _)) => {
            let compiled = Rc::new(CompiledPolicy::compile(&p));
            inline.insert(text.to_string(), compiled.clone());
            Ok(compiled)
        }
        Err(diags) => {
            let first = diags
                .first()
                .map_or(String::new(), |d| format!("[{}] {}", d.code, d.message));
            Err(format!("invalid inline policy: {first}"))
        }
    }
}

/// A context value from JSON: a string, number or boolean (as its text), or
/// an array of them (a multivalued key).
pub fn context_value(v: &serde_json::Value) -> Result<ContextValue, String> {
    let scalar = |v: &serde_json::Value| match v {
        serde_json::Value::String(s) => Ok(s.clone()),
        serde_json::Value::Number(n) => Ok(n.to_string()),
        serde_json::Value::Bool(b) => Ok(b.to_string()),
        other => Err(format!(
            "expected a string, number, boolean or array, found {other}"
        )),
    };
    match v {
        serde_json::Value::Array(items) => Ok(ContextValue::Multi(
            items.iter().map(scalar).collect::<Result<_, _>>()?,
        )),
        other => Ok(ContextValue::Single(scalar(other)?)),
    }
}
