//! Batch comparison: one pair of policies per JSON line in, one verdict per
//! line out, in input order.
//!
//! A line is `{"id": <any JSON>, "old": <policy document>, "new": <policy
//! document>}` (`id` optional; either side may be a policy stack as in a
//! stack file). The answer is `{"id", "new_access", "removed_access",
//! "witness_new", "witness_removed", "reason", "changes",
//! "only_future_actions", "micros"}`: the fields of `warden diff --format
//! json` ([`DiffJson`](super::DiffJson): `true`, `false` or `null`
//! (unknown) per direction, a witness request in the format of `warden
//! simulate --batch` lines for each `true`, `reason` only when a side is
//! unknown, the changes per action), and the time spent deciding the pair. A bad
//! line (invalid JSON, a missing or unknown field, a policy with an error,
//! a line over [`MAX_LINE_BYTES`]) gives `{"id", "error": "line N: ..."}` and
//! the run goes on.

use std::io::{self, BufRead, Write};
use std::time::{Duration, Instant};

use serde::Serialize;
use serde_json::value::RawValue;
use warden_eval::PolicyStack;
use warden_policy::Policy;
use warden_policy::json::{JsonKind, JsonValue, parse_json};
use warden_prove::{DiffOptions, VerdictCounts};

use super::DiffJson;
use crate::batch::{Lines, MAX_LINE_BYTES};

/// Counts of a batch comparison.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct DiffBatchSummary {
    /// Pairs compared.
    pub pairs: usize,
    /// Lines that were not valid pairs.
    pub errors: usize,
    /// Does NEW allow a request OLD does not?
    pub new_access: VerdictCounts,
    /// Does OLD allow a request NEW does not?
    pub removed_access: VerdictCounts,
}

/// Compares every pair of a JSON-lines batch from `input`, writing one line
/// per pair to `output` in input order. Blank lines are skipped; invalid
/// lines produce an `error` line and the run goes on. `options.deadline`,
/// when set, bounds the whole run: pairs after it are unknown.
pub fn run_diff_batch(
    input: impl BufRead,
    output: impl Write,
    options: &DiffOptions,
) -> io::Result<DiffBatchSummary> {
    run_diff_batch_with(input, output, options, &DiffBatchOptions::default())
}

/// How a batch is run, beyond the prover's options.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DiffBatchOptions {
    /// Each pair gets at most this much time of its own before it is
    /// answered unknown.
    pub pair_timeout: Option<Duration>,
    /// Answer only the verdicts and witnesses, without `changes` and
    /// `only_future_actions`: those cost most of the time of a pair that
    /// differs (the list of changes, and a second comparison restricted
    /// to the catalog's actions).
    pub verdicts_only: bool,
    /// Read each pair as its policies' inferred type
    /// ([`crate::policy_types::for_comparison`]) instead of the options'
    /// `role` (what `warden diff --batch` does without `--policy-type`).
    pub infer_policy_type: bool,
}

/// As [`run_diff_batch`], run as `batch` says.
pub fn run_diff_batch_with(
    mut input: impl BufRead,
    mut output: impl Write,
    options: &DiffOptions,
    batch: &DiffBatchOptions,
) -> io::Result<DiffBatchSummary> {
    let pair_timeout = batch.pair_timeout;
    let mut summary = DiffBatchSummary::default();
    let mut out = Vec::with_capacity(512);
    let mut lines = Lines::new(&mut input);
    while let Some(line) = lines.next_line()? {
        let n = line.number;
        out.clear();
        let pair = match line.text {
            None => Err((
                None,
                format!("the pair is longer than {} MiB", MAX_LINE_BYTES >> 20),
            )),
            Some(text) => parse_pair(text),
        };
        match pair {
            Ok(pair) => {
                let mut opts = options.clone();
                if batch.infer_policy_type {
                    let side = |stack| crate::policy_types::Side {
                        stack,
                        stated: None,
                    };
                    opts.role =
                        crate::policy_types::for_comparison(side(&pair.old), side(&pair.new), None);
                }
                if let Some(deadline) = pair_timeout.and_then(|t| Instant::now().checked_add(t)) {
                    opts.deadline = Some(options.deadline.map_or(deadline, |d| d.min(deadline)));
                }
                let start = Instant::now();
                let report = if batch.verdicts_only {
                    super::verdicts(&pair.old, &pair.new, &opts)
                } else {
                    super::diff(&pair.old, &pair.new, &opts)
                };
                let micros = u64::try_from(start.elapsed().as_micros()).unwrap_or(u64::MAX);
                match report {
                    Ok(report) => {
                        let c = &report.comparison;
                        summary.pairs += 1;
                        summary.new_access.add(&c.new_access);
                        summary.removed_access.add(&c.removed_access);
                        let mut json = report.json();
                        if batch.verdicts_only {
                            json.changes = None;
                            json.only_future_actions = None;
                        }
                        let record = PairOutput {
                            id: pair.id,
                            report: json,
                            micros,
                        };
                        serde_json::to_writer(&mut out, &record).map_err(io::Error::other)?;
                    }
                    Err(e) => {
                        summary.errors += 1;
                        let record = ErrorOutput {
                            id: pair.id,
                            error: format!("line {n}: {e}"),
                        };
                        serde_json::to_writer(&mut out, &record).map_err(io::Error::other)?;
                    }
                }
            }
            Err((id, e)) => {
                summary.errors += 1;
                let record = ErrorOutput {
                    id,
                    error: format!("line {n}: {e}"),
                };
                serde_json::to_writer(&mut out, &record).map_err(io::Error::other)?;
            }
        }
        out.push(b'\n');
        output.write_all(&out)?;
    }
    output.flush()?;
    Ok(summary)
}

#[derive(Serialize)]
struct PairOutput<'a> {
    id: Option<&'a RawValue>,
    #[serde(flatten)]
    report: DiffJson<'a>,
    micros: u64,
}

#[derive(Serialize)]
struct ErrorOutput<'a> {
    id: Option<&'a RawValue>,
    error: String,
}

struct Pair<'a> {
    id: Option<&'a RawValue>,
    old: PolicyStack<Policy>,
    new: PolicyStack<Policy>,
}

type PairResult<'a> = Result<Pair<'a>, (Option<&'a RawValue>, String)>;

/// Reads one line with the spanned parser, so a problem in a policy is
/// reported with its column in the line.
fn parse_pair(line: &str) -> PairResult<'_> {
    let root = parse_json(line).map_err(|d| {
        let at = column(line, d.primary_span().start);
        (None, format!("column {at}: [{}] {}", d.code, d.message))
    })?;
    let JsonKind::Object(members) = root.kind else {
        return Err((
            None,
            format!(
                "expected a JSON object with `id`, `old` and `new`, found {}",
                root.kind.describe()
            ),
        ));
    };
    let id = members
        .iter()
        .find(|m| m.key == "id")
        .and_then(|m| line.get(m.value.span.range()))
        .and_then(|raw| serde_json::from_str::<&RawValue>(raw).ok());
    let fail = |e: String| (id, e);
    let mut old = None;
    let mut new = None;
    let mut seen_id = false;
    for m in members {
        let slot = match &*m.key {
            "id" if !seen_id => {
                seen_id = true;
                continue;
            }
            "old" if old.is_none() => &mut old,
            "new" if new.is_none() => &mut new,
            "id" | "old" | "new" => return Err(fail(format!("duplicate field `{}`", m.key))),
            other => {
                return Err(fail(format!(
                    "unknown field `{other}`, expected `id`, `old` or `new`"
                )));
            }
        };
        *slot = Some((m.key, m.value));
    }
    let old = old.ok_or_else(|| fail("missing field `old`".to_string()))?;
    let new = new.ok_or_else(|| fail("missing field `new`".to_string()))?;
    Ok(Pair {
        id,
        old: policy(line, "old", old.1).map_err(fail)?,
        new: policy(line, "new", new.1).map_err(fail)?,
    })
}

/// Parses the policy document (or policy stack) `value` of field
/// `field`, or describes its first error.
fn policy(line: &str, field: &str, value: JsonValue<'_>) -> Result<PolicyStack<Policy>, String> {
    let (stack, diags) = crate::stack::stack_from_json(value);
    stack.ok_or_else(
        || match diags.iter().find(|d| d.is_error()).or(diags.first()) {
            Some(d) => format!(
                "`{field}` is not a valid policy: column {}: [{}] {}",
                column(line, d.primary_span().start),
                d.code,
                d.message
            ),
            None => format!("`{field}` is not a valid policy"),
        },
    )
}

/// The 1-based column, in characters, of byte `offset` of `line`.
fn column(line: &str, offset: u32) -> usize {
    line.get(..offset as usize).map_or(0, |s| s.chars().count()) + 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::unknown_reason;
    use warden_prove::{Comparison, Unknown, Verdict};

    fn errors(input: &str) -> (DiffBatchSummary, Vec<serde_json::Value>) {
        let mut out = Vec::new();
        let summary = run_diff_batch(input.as_bytes(), &mut out, &DiffOptions::default()).unwrap();
        let lines = String::from_utf8(out)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        (summary, lines)
    }

    const P: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#;

    #[test]
    fn bad_lines_are_reported_with_their_number_and_id() {
        let input = format!(
            "not json\n\n{{\"id\": 7, \"old\": {P}}}\n[1]\n{{\"id\": {{\"k\": [1]}}, \"old\": {P}, \"new\": {{\"Statement\": [{{\"effect\": \"Allow\"}}]}}}}\n{{\"id\": \"x\", \"old\": {P}, \"new\": {P}, \"extra\": 1}}\n"
        );
        let (summary, lines) = errors(&input);
        assert_eq!((summary.pairs, summary.errors), (0, 5));
        let error = |i: usize| lines[i]["error"].as_str().unwrap().to_string();
        assert!(
            error(0).starts_with("line 1: column 1: [P101]"),
            "{}",
            error(0)
        );
        assert_eq!(lines[1]["id"], 7);
        assert_eq!(error(1), "line 3: missing field `new`");
        assert!(error(2).starts_with("line 4: expected a JSON object"));
        assert_eq!(lines[3]["id"], serde_json::json!({"k": [1]}));
        assert!(
            error(3).starts_with("line 5: `new` is not a valid policy: column "),
            "{}",
            error(3)
        );
        assert!(error(4).contains("unknown field `extra`"), "{}", error(4));
    }

    #[test]
    fn a_valid_pair_has_every_field() {
        let (summary, lines) = errors(&format!("{{\"id\": \"a\", \"old\": {P}, \"new\": {P}}}"));
        assert_eq!((summary.pairs, summary.errors), (1, 0));
        let line = lines[0].as_object().unwrap();
        for key in [
            "id",
            "new_access",
            "removed_access",
            "witness_new",
            "witness_removed",
            "changes",
            "only_future_actions",
            "micros",
        ] {
            assert!(line.contains_key(key), "{key}: {line:?}");
        }
        let counts = summary.new_access.yes + summary.new_access.no + summary.new_access.unknown;
        assert_eq!(counts, 1);
    }

    #[test]
    fn a_stack_with_a_resource_policy_is_refused_not_ignored() {
        let (summary, lines) = errors(&format!(
            "{{\"id\": 1, \"old\": {P}, \"new\": {{\"identity_policies\": [{P}], \"resource_policy\": {P}}}}}"
        ));
        assert_eq!((summary.pairs, summary.errors), (0, 1));
        let error = lines[0]["error"].as_str().unwrap();
        assert!(
            error.contains("`resource_policy` cannot be compared"),
            "{error}"
        );
    }

    #[test]
    fn verdicts_only_leaves_out_the_changes() {
        let wide = P.replace("s3:GetObject", "s3:Get*");
        let mut out = Vec::new();
        let batch = DiffBatchOptions {
            verdicts_only: true,
            ..DiffBatchOptions::default()
        };
        let line = format!("{{\"old\": {P}, \"new\": {wide}}}");
        let summary =
            run_diff_batch_with(line.as_bytes(), &mut out, &DiffOptions::default(), &batch)
                .unwrap();
        assert_eq!(summary.new_access.yes, 1);
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["new_access"], true);
        assert!(v.get("changes").is_none() && v.get("only_future_actions").is_none());
    }

    #[test]
    fn an_overlong_line_is_refused_and_the_run_goes_on() {
        let big = format!(
            "{{\"id\": \"big\", \"old\": \"{}\"}}\n",
            "a".repeat(17 << 20)
        );
        let (summary, lines) = errors(&format!(
            "{big}{{\"id\": \"ok\", \"old\": {P}, \"new\": {P}}}\n"
        ));
        assert_eq!((summary.pairs, summary.errors), (1, 1));
        assert_eq!(
            lines[0],
            serde_json::json!({"id": null, "error": "line 1: the pair is longer than 16 MiB"})
        );
        assert_eq!(lines[1]["id"], "ok");
    }

    #[test]
    fn unknown_reason_names_each_side() {
        let c = Comparison {
            new_access: Verdict::Unknown(Unknown::Timeout),
            removed_access: Verdict::Unknown(Unknown::NothingAsked),
        };
        assert_eq!(
            unknown_reason(&c).as_deref(),
            Some(
                "new access: the time limit expired; removed access: give at least one action or resource"
            )
        );
        let c = Comparison {
            new_access: Verdict::No,
            removed_access: Verdict::No,
        };
        assert_eq!(unknown_reason(&c), None);
    }
}
