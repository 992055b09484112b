//! One request line: parsed straight into typed fields (strings borrowed
//! from the line where they have no escapes, context values straight into
//! [`ContextValue`]s, no generic JSON tree), checked, decided, and written
//! as one output line.

use super::fast_hash::FastMap;
use std::borrow::Borrow;
use std::borrow::Cow;
use std::fmt;
use std::rc::Rc;
use std::sync::Mutex;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
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

/// A request line's members, however it was read: strings borrowed from
/// the line where they have no escapes, the id and policy references as
/// their JSON text.
#[derive(Debug, PartialEq)]
pub(super) struct Fields<'a> {
    pub(super) id: Option<&'a str>,
    pub(super) principal: Cow<'a, str>,
    pub(super) action: Cow<'a, str>,
    pub(super) resource: Cow<'a, str>,
    pub(super) resource_account: Option<String>,
    pub(super) context: RequestContext,
    pub(super) references: PolicyStack<&'a str>,
    pub(super) service_linked_role: bool,
}

impl<'a> From<Line<'a>> for Fields<'a> {
    fn from(l: Line<'a>) -> Fields<'a> {
        let raw = |r: &'a RawValue| r.get();
        let level = |v: Vec<&'a RawValue>| v.into_iter().map(raw).collect();
        Fields {
            id: l.id.map(raw),
            principal: l.principal,
            action: l.action,
            resource: l.resource,
            resource_account: l.resource_account,
            context: l.context.0,
            references: PolicyStack {
                identity: l.identity_policies.into_iter().map(raw).collect(),
                resource: l.resource_policy.map(raw),
                boundary: l.permissions_boundary.map(raw),
                session: l.session_policy.map(raw),
                scp_levels: l.scp_levels.into_iter().map(level).collect(),
                rcp_levels: l.rcp_levels.into_iter().map(level).collect(),
            },
            service_linked_role: l.service_linked_role,
        }
    }
}

/// A line read by serde (the path for every line [`super::scan`] leaves).
#[cfg(test)]
pub(super) fn serde_fields(line: &str) -> Result<Fields<'_>, String> {
    serde_json::from_str::<Line<'_>>(line)
        .map(Fields::from)
        .map_err(|e| e.to_string())
}

#[derive(Deserialize)]
struct IdOnly<'a> {
    #[serde(borrow, default)]
    id: Option<&'a RawValue>,
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
    actions: Mutex<FastMap<String, ActionCheck>>,
}

/// Work shared between the lines one worker decides: compiled inline
/// policies by their text, and checked principals and actions (batches
/// repeat them).
pub(super) struct Caches<'s> {
    shared: &'s SharedChecks,
    /// Per worker, so `Rc`: no atomic counts on the hot path.
    inline: FastMap<String, Rc<CompiledPolicy>>,
    callers: FastMap<String, Result<Caller, String>>,
    actions: FastMap<String, ActionCheck>,
    /// The last request decided, whose strings the next one reuses.
    request: Option<Request>,
}

impl Caches<'_> {
    pub(super) fn new(shared: &SharedChecks) -> Caches<'_> {
        Caches {
            shared,
            inline: FastMap::default(),
            callers: FastMap::default(),
            actions: FastMap::default(),
            request: None,
        }
    }

    /// Checks a principal, once per principal.
    fn check_caller(&mut self, principal: &str) -> Result<(), String> {
        match self.callers.get(principal) {
            Some(Ok(_)) => Ok(()),
            Some(Err(e)) => Err(e.clone()),
            None => {
                let checked = check_principal(principal).map_err(|p| p.to_string());
                let result = checked.as_ref().map(|_| ()).map_err(Clone::clone);
                bounded_insert(&mut self.callers, principal, checked);
                result
            }
        }
    }

    /// The request of a line whose caller [`Caches::check_caller`]
    /// accepted; it reuses the strings of the worker's last request.
    fn request(
        &mut self,
        principal: &str,
        action: &str,
        resource: &str,
        context: RequestContext,
    ) -> Result<&mut Request, String> {
        let caller = match self.callers.get(principal) {
            Some(Ok(c)) => c,
            Some(Err(e)) => return Err(e.clone()),
            None => return Err(format!("`{principal}`: no caller")),
        };
        Ok(match &mut self.request {
            Some(r) => {
                r.reset(caller, action, resource, context);
                r
            }
            slot @ None => slot.insert(Request::with_caller(
                caller.clone(),
                action,
                resource,
                context,
            )),
        })
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

fn bounded_insert<V>(map: &mut FastMap<String, V>, key: &str, value: V) {
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

/// Writes one output line: `{"id":...,"decision":...,"explanation":...,
/// "warnings":[...]}` or `{"id":...,"error":...}`, compact, members in
/// that order (what serializing the former `Output` struct gave), the id
/// as its JSON text.
fn write_record(
    out: &mut Vec<u8>,
    number: usize,
    decided: LineResult<'_>,
    summary: &mut BatchSummary,
) -> std::io::Result<()> {
    out.extend_from_slice(b"{\"id\":");
    match decided {
        Ok(d) => {
            summary.decided += 1;
            summary.allowed += usize::from(d.decision == Decision::Allow);
            out.extend_from_slice(d.id.unwrap_or("null").as_bytes());
            out.extend_from_slice(b",\"decision\":");
            out.extend_from_slice(match d.decision {
                Decision::Allow => b"\"Allow\"",
                Decision::ExplicitDeny => b"\"ExplicitDeny\"",
                Decision::ImplicitDeny => b"\"ImplicitDeny\"",
            });
            if let Some(e) = &d.explanation {
                out.extend_from_slice(b",\"explanation\":");
                serde_json::to_writer(&mut *out, e).map_err(std::io::Error::other)?;
            }
            if let Some(w) = &d.warning {
                out.extend_from_slice(b",\"warnings\":[");
                write_json_string(out, w)?;
                out.push(b']');
            }
        }
        Err((id, e)) => {
            summary.errors += 1;
            out.extend_from_slice(id.unwrap_or("null").as_bytes());
            out.extend_from_slice(b",\"error\":");
            write_json_string(out, &format!("line {number}: {e}"))?;
        }
    }
    out.extend_from_slice(b"}\n");
    Ok(())
}

/// `text` as a JSON string, escaped as serde_json escapes it.
fn write_json_string(out: &mut Vec<u8>, text: &str) -> std::io::Result<()> {
    serde_json::to_writer(&mut *out, text).map_err(std::io::Error::other)
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
    id: Option<&'a str>,
    decision: Decision,
    explanation: Option<Explanation>,
    warning: Option<String>,
}

type LineResult<'a> = Result<Decided<'a>, (Option<&'a str>, String)>;

fn decide_line<'a>(
    table: &PolicyTable,
    caches: &mut Caches<'_>,
    line: &'a [u8],
    explain: bool,
) -> LineResult<'a> {
    // One check of the whole line is cheaper than one per JSON string.
    let line =
        std::str::from_utf8(line).map_err(|e| (None, format!("the request is not UTF-8: {e}")))?;
    let req = match super::scan::usual_line(line) {
        Some(fields) => fields,
        None => match serde_json::from_str::<Line<'a>>(line) {
            Ok(r) => Fields::from(r),
            Err(e) => {
                // Recover the id for the error line when the JSON is an object.
                let id = serde_json::from_str::<IdOnly<'a>>(line)
                    .ok()
                    .and_then(|i| i.id)
                    .map(RawValue::get);
                return Err((id, e.to_string()));
            }
        },
    };
    let id = req.id;
    let fail = |e: String| (id, e);
    // The principal is checked first: its error is the one reported.
    caches.check_caller(&req.principal).map_err(fail)?;
    let warning = caches.action(&req.action).map_err(fail)?;
    check_resource(&req.resource, &req.action).map_err(|p: RequestProblem| fail(p.to_string()))?;
    let references = req.references;
    let inline = &mut caches.inline;
    let stack = references
        .try_map(|raw| resolve(table, inline, raw))
        .map_err(fail)?;
    let request = caches
        .request(&req.principal, &req.action, &req.resource, req.context)
        .map_err(fail)?;
    request.resource_account = req.resource_account;
    request.service_linked_role = req.service_linked_role;
    let set = stack.policy_set();
    let (decision, explanation) = if explain {
        let e = warden_eval::explain(&set, request);
        (e.decision, Some(e))
    } else {
        (warden_eval::decide(&set, request), None)
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
    inline: &mut FastMap<String, Rc<CompiledPolicy>>,
    text: &str,
) -> Result<PolicyRef<'t>, String> {
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

    /// The output line of `decided`, parsed back.
    fn written(decided: LineResult<'_>) -> (String, serde_json::Value) {
        let mut out = Vec::new();
        let mut summary = BatchSummary::default();
        write_record(&mut out, 7, decided, &mut summary).expect("write");
        let text = String::from_utf8(out).expect("UTF-8");
        let value = serde_json::from_str(&text).expect("JSON");
        (text, value)
    }

    #[test]
    fn output_lines_are_compact_json_with_strings_escaped() {
        let odd = "quote \" backslash \\ tab \t nl \n nul \u{0} del \u{7f} \u{2028} é 😀";
        let id = serde_json::to_string(odd).expect("id");
        let (text, value) = written(Ok(Decided {
            id: Some(&id),
            decision: Decision::ImplicitDeny,
            explanation: None,
            warning: Some(odd.to_string()),
        }));
        assert_eq!(
            value,
            serde_json::json!({"id": odd, "decision": "ImplicitDeny", "warnings": [odd]})
        );
        assert!(text.starts_with("{\"id\":\"quote \\\""), "{text}");
        assert!(text.ends_with("]}\n") && text.matches('\n').count() == 1);
        let (_, value) = written(Err((Some("12"), odd.to_string())));
        let error = format!("line 7: {odd}");
        assert_eq!(value, serde_json::json!({"id": 12, "error": error}));
        let (text, _) = written(Ok(Decided {
            id: None,
            decision: Decision::Allow,
            explanation: None,
            warning: None,
        }));
        assert_eq!(text, "{\"id\":null,\"decision\":\"Allow\"}\n");
    }

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
