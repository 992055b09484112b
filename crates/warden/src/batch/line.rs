//! One request line: parsed straight into typed fields (strings borrowed
//! from the line where they have no escapes, context values straight into
//! [`ContextValue`]s, no generic JSON tree), checked, decided, and written
//! as one output line.

use std::borrow::Borrow;
use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::rc::Rc;
use std::sync::Mutex;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use warden_catalog::Catalog;
use warden_eval::{
    Caller, CompiledPolicy, ContextValue, Decision, Explanation, PolicyStack, Request,
    RequestContext,
};

use super::{BatchSummary, MAX_LINE_BYTES, PolicyTable};
use crate::simulate::{RequestProblem, check_action, check_principal, check_resource};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Line<'a> {
    #[serde(borrow, default)]
    id: Option<&'a RawValue>,
    #[serde(borrow)]
    principal: Cow<'a, str>,
    #[serde(borrow)]
    action: Cow<'a, str>,
    #[serde(borrow)]
    resource: Cow<'a, str>,
    #[serde(default)]
    resource_account: Option<String>,
    #[serde(default)]
    context: Context,
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

#[derive(Deserialize)]
struct IdOnly<'a> {
    #[serde(borrow, default)]
    id: Option<&'a RawValue>,
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
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    warnings: &'a [String],
}

/// Caches of one worker grow at most to this many entries, then start
/// over: memory stays bounded whatever the batch repeats.
const CACHE_LIMIT: usize = 4096;

/// The verdict on an action: its warning (`None`: known), or its error.
type ActionCheck = Result<Option<String>, String>;

/// Actions with a problem, checked once for all workers: finding what a
/// misspelt action is close to searches the catalog (tens of
/// microseconds), so no worker repeats another's search.
#[derive(Default)]
pub(super) struct SharedChecks {
    actions: Mutex<HashMap<String, ActionCheck>>,
}

/// Work shared between the lines one worker decides: compiled inline
/// policies by their text, and checked principals and actions (batches
/// repeat them).
pub(super) struct Caches<'s> {
    shared: &'s SharedChecks,
    /// Per worker, so `Rc`: no atomic counts on the hot path.
    inline: HashMap<String, Rc<CompiledPolicy>>,
    callers: HashMap<String, Result<Caller, String>>,
    actions: HashMap<String, ActionCheck>,
}

impl Caches<'_> {
    pub(super) fn new(shared: &SharedChecks) -> Caches<'_> {
        Caches {
            shared,
            inline: HashMap::new(),
            callers: HashMap::new(),
            actions: HashMap::new(),
        }
    }

    fn caller(&mut self, principal: &str) -> Result<Caller, String> {
        if let Some(c) = self.callers.get(principal) {
            return c.clone();
        }
        let checked = check_principal(principal).map_err(|p| p.to_string());
        bounded_insert(&mut self.callers, principal, checked.clone());
        checked
    }

    fn action(&mut self, action: &str) -> Result<Option<String>, String> {
        if let Some(a) = self.actions.get(action) {
            return a.clone();
        }
        let checked = if Catalog::get().action(action).is_some() {
            Ok(None)
        } else {
            self.shared.action(action)
        };
        bounded_insert(&mut self.actions, action, checked.clone());
        checked
    }
}

impl SharedChecks {
    fn action(&self, action: &str) -> ActionCheck {
        let cached = self
            .actions
            .lock()
            .ok()
            .and_then(|m| m.get(action).cloned());
        if let Some(c) = cached {
            return c;
        }
        let checked = match check_action(action) {
            None => Ok(None),
            Some(p) if p.is_error() => Err(p.to_string()),
            Some(p) => Ok(Some(p.to_string())),
        };
        if let Ok(mut m) = self.actions.lock() {
            bounded_insert(&mut m, action, checked.clone());
        }
        checked
    }
}

fn bounded_insert<V>(map: &mut HashMap<String, V>, key: &str, value: V) {
    if map.len() >= CACHE_LIMIT {
        map.clear();
    }
    map.insert(key.to_string(), value);
}

/// Decides every line of a chunk (`lines`, with their numbers), appending
/// one output line per non-blank input line to `out`.
pub(super) fn decide_lines<'t>(
    table: &PolicyTable,
    caches: &mut Caches<'_>,
    lines: impl Iterator<Item = (usize, &'t [u8])>,
    explain: bool,
    out: &mut Vec<u8>,
) -> std::io::Result<BatchSummary> {
    let mut summary = BatchSummary::default();
    for (number, bytes) in lines {
        // The reader skips a line it sees grow past the limit; one that
        // ends in the same read is refused here, so the rule does not
        // depend on where reads fall.
        let decided = if bytes.len() as u64 >= MAX_LINE_BYTES {
            too_long_error()
        } else if is_blank(bytes) {
            continue;
        } else {
            decide_line(table, caches, bytes, explain)
        };
        write_record(out, number, decided, &mut summary)?;
    }
    Ok(summary)
}

/// The output line of a line of at least [`MAX_LINE_BYTES`] (without its
/// newline), which the reader skipped.
pub(super) fn too_long(out: &mut Vec<u8>, number: usize) -> std::io::Result<BatchSummary> {
    let mut summary = BatchSummary::default();
    write_record(out, number, too_long_error(), &mut summary)?;
    Ok(summary)
}

fn too_long_error() -> LineResult<'static> {
    let message = format!("the request is longer than {} MiB", MAX_LINE_BYTES >> 20);
    Err((None, message))
}

fn write_record(
    out: &mut Vec<u8>,
    number: usize,
    decided: LineResult<'_>,
    summary: &mut BatchSummary,
) -> std::io::Result<()> {
    let warnings: Vec<String>;
    let record = match decided {
        Ok(d) => {
            summary.decided += 1;
            summary.allowed += usize::from(d.decision == Decision::Allow);
            warnings = d.warning.into_iter().collect();
            Output {
                id: d.id,
                decision: Some(d.decision),
                explanation: d.explanation,
                error: None,
                warnings: &warnings,
            }
        }
        Err((id, e)) => {
            summary.errors += 1;
            Output {
                id,
                decision: None,
                explanation: None,
                error: Some(format!("line {number}: {e}")),
                warnings: &[],
            }
        }
    };
    serde_json::to_writer(&mut *out, &record).map_err(std::io::Error::other)?;
    out.push(b'\n');
    Ok(())
}

/// Whether a line is empty or white space (skipped, as before the
/// batch was read in chunks: `str::trim` whitespace).
fn is_blank(bytes: &[u8]) -> bool {
    match bytes.iter().position(|b| !b.is_ascii_whitespace()) {
        None => true,
        Some(i) if bytes.get(i).is_some_and(|&b| b < 0x80) => false,
        Some(_) => std::str::from_utf8(bytes).is_ok_and(|s| s.trim().is_empty()),
    }
}

struct Decided<'a> {
    id: Option<&'a RawValue>,
    decision: Decision,
    explanation: Option<Explanation>,
    warning: Option<String>,
}

type LineResult<'a> = Result<Decided<'a>, (Option<&'a RawValue>, String)>;

fn decide_line<'a>(
    table: &PolicyTable,
    caches: &mut Caches<'_>,
    line: &'a [u8],
    explain: bool,
) -> LineResult<'a> {
    // One check of the whole line is cheaper than one per JSON string.
    let line =
        std::str::from_utf8(line).map_err(|e| (None, format!("the request is not UTF-8: {e}")))?;
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
    let caller = caches.caller(&req.principal).map_err(fail)?;
    let warning = caches.action(&req.action).map_err(fail)?;
    check_resource(&req.resource, &req.action).map_err(|p: RequestProblem| fail(p.to_string()))?;
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
    let mut request = Request::with_caller(caller, &req.action, &req.resource, req.context.0);
    request.resource_account = req.resource_account;
    request.service_linked_role = req.service_linked_role;
    let set = stack.policy_set();
    let (decision, explanation) = if explain {
        let e = warden_eval::explain(&set, &request);
        (e.decision, Some(e))
    } else {
        (warden_eval::decide(&set, &request), None)
    };
    Ok(Decided {
        id,
        decision,
        explanation,
        warning,
    })
}

/// A request's policy: borrowed from the table (no reference count to
/// touch, which two cores would fight over for a popular policy), or an
/// inline one shared with the worker's cache.
enum PolicyRef<'t> {
    Named(&'t CompiledPolicy),
    Inline(Rc<CompiledPolicy>),
}

impl Borrow<CompiledPolicy> for PolicyRef<'_> {
    fn borrow(&self) -> &CompiledPolicy {
        match self {
            PolicyRef::Named(p) => p,
            PolicyRef::Inline(p) => p,
        }
    }
}

/// A policy reference: a table name (a JSON string) or an inline document.
fn resolve<'t>(
    table: &'t PolicyTable,
    inline: &mut HashMap<String, Rc<CompiledPolicy>>,
    raw: &RawValue,
) -> Result<PolicyRef<'t>, String> {
    let text = raw.get();
    if text.starts_with('"') {
        // Most names have no escapes: the text between the quotes.
        let plain = text
            .strip_prefix('"')
            .and_then(|t| t.strip_suffix('"'))
            .filter(|t| !t.contains('\\'));
        let name: Cow<'_, str> = match plain {
            Some(name) => Cow::Borrowed(name),
            None => {
                serde_json::from_str::<CowStr<'_>>(text)
                    .map_err(|e| e.to_string())?
                    .0
            }
        };
        return table
            .get(&name)
            .map(PolicyRef::Named)
            .ok_or_else(|| format!("no policy named `{name}` in the policy table"));
    }
    if let Some(p) = inline.get(text) {
        return Ok(PolicyRef::Inline(p.clone()));
    }
    let out = warden_policy::parse_policy(text);
    match out.into_result() {
        Ok((p, _)) => {
            let compiled = Rc::new(CompiledPolicy::compile(&p));
            bounded_insert(inline, text, compiled.clone());
            Ok(PolicyRef::Inline(compiled))
        }
        Err(diags) => {
            let first = diags
                .first()
                .map_or(String::new(), |d| format!("[{}] {}", d.code, d.message));
            Err(format!("invalid inline policy: {first}"))
        }
    }
}

/// A JSON string, borrowed when it has no escapes.
#[derive(Deserialize)]
struct CowStr<'a>(#[serde(borrow)] Cow<'a, str>);

/// The `context` object, read straight into a [`RequestContext`].
#[derive(Default)]
struct Context(RequestContext);

impl<'de> Deserialize<'de> for Context {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Context, D::Error> {
        d.deserialize_map(ContextVisitor)
    }
}

struct ContextVisitor;

impl<'de> Visitor<'de> for ContextVisitor {
    type Value = Context;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object from condition key to value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Context, A::Error> {
        let mut ctx = RequestContext::new();
        while let Some(key) = map.next_key::<CowStr<'de>>()? {
            let value = map.next_value_seed(ValueSeed {
                key: &key.0,
                in_array: false,
            })?;
            ctx.insert(&key.0, value);
        }
        Ok(Context(ctx))
    }
}

/// One context value: a string, number or boolean (as its JSON text), or an
/// array of them (a multivalued key). Errors name the key.
#[derive(Clone, Copy)]
struct ValueSeed<'k> {
    key: &'k str,
    in_array: bool,
}

impl<'de> DeserializeSeed<'de> for ValueSeed<'_> {
    type Value = ContextValue;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<ContextValue, D::Error> {
        d.deserialize_any(ValueVisitor {
            key: self.key,
            in_array: self.in_array,
        })
    }
}

struct ValueVisitor<'k> {
    key: &'k str,
    in_array: bool,
}

impl<'de> Visitor<'de> for ValueVisitor<'_> {
    type Value = ContextValue;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = if self.in_array {
            "a string, number or boolean"
        } else {
            "a string, number, boolean or array of them"
        };
        write!(f, "{what} for context key `{}`", self.key)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<ContextValue, E> {
        Ok(ContextValue::Single(v.to_string()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<ContextValue, E> {
        Ok(ContextValue::Single(v))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<ContextValue, E> {
        Ok(ContextValue::Single(v.to_string()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<ContextValue, E> {
        Ok(ContextValue::Single(v.to_string()))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<ContextValue, E> {
        Ok(ContextValue::Single(v.to_string()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<ContextValue, E> {
        // The text serde_json gives a number (`1.5`, `1e300` as `1e+300`), as
        // when the context was read into a `serde_json::Value`.
        Ok(ContextValue::Single(
            serde_json::Number::from_f64(v).map_or_else(|| v.to_string(), |n| n.to_string()),
        ))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<ContextValue, A::Error> {
        if self.in_array {
            return Err(de::Error::invalid_type(de::Unexpected::Seq, &self));
        }
        let mut values = Vec::new();
        let item = ValueSeed {
            key: self.key,
            in_array: true,
        };
        while let Some(v) = seq.next_element_seed(item)? {
            // `in_array` refuses nested arrays, so every item is single.
            match v {
                ContextValue::Single(s) => values.push(s),
                ContextValue::Multi(m) => values.extend(m),
            }
        }
        Ok(ContextValue::Multi(values))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn context(json: &str) -> Result<Vec<(String, ContextValue)>, String> {
        let c: Context = serde_json::from_str(json).map_err(|e| e.to_string())?;
        Ok(c.0
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect())
    }

    #[test]
    fn context_values_keep_the_text_of_their_json() {
        let single = |s: &str| ContextValue::Single(s.to_string());
        assert_eq!(
            context(
                r#"{"aws:SourceIp": "203.0.113.7", "aws:MultiFactorAuthAge": 30, "n": -2, "f": 1.5, "big": 1e300, "b": true, "aws:TagKeys": ["a", 1, false], "e": []}"#
            ),
            Ok(vec![
                ("aws:sourceip".into(), single("203.0.113.7")),
                ("aws:multifactorauthage".into(), single("30")),
                ("n".into(), single("-2")),
                ("f".into(), single("1.5")),
                ("big".into(), single("1e+300")),
                ("b".into(), single("true")),
                (
                    "aws:tagkeys".into(),
                    ContextValue::Multi(vec!["a".into(), "1".into(), "false".into()])
                ),
                ("e".into(), ContextValue::Multi(vec![])),
            ])
        );
        // The same key twice: the last value, as a JSON object reader keeps.
        assert_eq!(
            context(r#"{"k": "a", "K": "b"}"#),
            Ok(vec![("k".into(), single("b"))])
        );
        for bad in [r#"{"k": null}"#, r#"{"k": {"a": 1}}"#, r#"{"k": [["a"]]}"#] {
            let e = context(bad).expect_err(bad);
            assert!(e.contains("for context key `k`"), "{bad}: {e}");
        }
    }
}
