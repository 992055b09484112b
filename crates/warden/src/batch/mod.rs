//! Batch simulation: one JSON request per line in, one JSON decision per
//! line out, in input order.
//!
//! Requests name their policies either inline (a policy document) or by a
//! name in a policy table, so thousands of requests share one parsed and
//! compiled policy. Inline documents are cached by their text, so repeated
//! inline policies are compiled once too.
//!
//! The input is read in chunks of whole lines (`chunks.rs`) that workers
//! parse and decide in parallel (`line.rs`); the results are written in
//! input order, so the output is the same on one core or many.

mod chunks;
mod fast_hash;
mod line;
mod scan;

use std::collections::BTreeMap;
use std::io::{BufRead, Read, Write};
use std::sync::{Mutex, mpsc};

use warden_eval::{CompiledPolicy, ContextValue};
use warden_policy::json::{JsonKind, JsonMember, parse_json};

use chunks::{Chunk, ChunkReader};
use line::{Caches, SharedChecks};

/// Policies by name, compiled once.
#[derive(Default)]
pub struct PolicyTable {
    policies: fast_hash::FastMap<String, CompiledPolicy>,
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
        // Policies compile independently: one share of them per core.
        let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
        let share = members.len().div_ceil(threads).max(1);
        let mut shares: Vec<Vec<JsonMember<'_>>> = Vec::new();
        let mut members = members.into_iter().peekable();
        while members.peek().is_some() {
            shares.push(members.by_ref().take(share).collect());
        }
        let compiled = std::thread::scope(|scope| {
            let handles: Vec<_> = shares
                .into_iter()
                .map(|share| scope.spawn(move || compile_members(share)))
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
                .collect::<Vec<_>>()
        });
        let mut table = PolicyTable::default();
        let mut errors = Vec::new();
        for (name, policy) in compiled.into_iter().flatten() {
            match policy {
                Ok(p) => {
                    table.policies.insert(name, p);
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

    /// The policy named `name`.
    fn get(&self, name: &str) -> Option<&CompiledPolicy> {
        self.policies.get(name)
    }
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

/// A table's policy compiled, or its diagnostics.
type Compiled = Result<CompiledPolicy, Vec<crate::Diagnostic>>;

/// Each member of a table as a compiled policy, or its diagnostics.
fn compile_members(members: Vec<JsonMember<'_>>) -> Vec<(String, Compiled)> {
    members
        .into_iter()
        .map(|m| {
            let compiled = warden_policy::parse_policy_json(m.value)
                .into_result()
                .map(|(p, _)| CompiledPolicy::compile(&p));
            (m.key.into_owned(), compiled)
        })
        .collect()
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

impl BatchSummary {
    fn add(&mut self, other: BatchSummary) {
        self.decided += other.decided;
        self.allowed += other.allowed;
        self.errors += other.errors;
    }
}

/// How a batch runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BatchOptions {
    /// Explain each decision (which statements applied and why not).
    pub explain: bool,
    /// Worker threads; with 1 every line is decided on the calling thread.
    pub threads: usize,
    /// About how many bytes of input one worker takes at a time. Memory
    /// stays within a few chunks per worker, whatever the input's size.
    pub chunk_bytes: usize,
}

/// The default chunk: several hundred request lines.
pub const DEFAULT_CHUNK_BYTES: usize = 256 << 10;

/// Chunks read and not yet written, per worker: enough that on a loaded
/// machine a worker finds a chunk waiting when it finishes one, rather
/// than waiting for the reader to be scheduled.
const CHUNKS_PER_WORKER: usize = 4;

impl BatchOptions {
    /// One worker per core, chunks of [`DEFAULT_CHUNK_BYTES`].
    pub fn new(explain: bool) -> BatchOptions {
        BatchOptions {
            explain,
            threads: std::thread::available_parallelism().map_or(1, std::num::NonZero::get),
            chunk_bytes: DEFAULT_CHUNK_BYTES,
        }
    }
}

/// Runs a batch on every core: reads JSON lines from `input`, writes one
/// line per request to `output`, in input order. Blank lines are skipped.
/// Invalid lines produce an `error` line and the run goes on.
pub fn run_batch(
    table: &PolicyTable,
    input: impl BufRead,
    output: impl Write,
    explain: bool,
) -> std::io::Result<BatchSummary> {
    run_batch_with(table, input, output, &BatchOptions::new(explain))
}

/// As [`run_batch`], with the number of workers and the chunk size given.
/// The output does not depend on either.
///
/// The calling thread reads chunks of whole lines and writes the results in
/// order; workers parse and decide chunks. At most four chunks per worker
/// are read and not yet written, so memory is bounded by the chunk size.
pub fn run_batch_with(
    table: &PolicyTable,
    input: impl BufRead,
    mut output: impl Write,
    options: &BatchOptions,
) -> std::io::Result<BatchSummary> {
    let mut reader = ChunkReader::new(input, options.chunk_bytes);
    let mut summary = BatchSummary::default();
    let Some(first) = reader.next_chunk(Vec::new())? else {
        output.flush()?;
        return Ok(summary);
    };
    let second = reader.next_chunk(Vec::new())?;
    let shared = SharedChecks::default();
    if options.threads <= 1 || second.is_none() {
        // One chunk (or one worker): no thread is worth starting.
        let mut caches = Caches::new(&shared);
        let mut out = Vec::new();
        let mut next = Some(first);
        let mut after = second;
        while let Some(chunk) = next {
            out.clear();
            summary.add(decide_chunk(
                table,
                &mut caches,
                &chunk,
                options.explain,
                &mut out,
            )?);
            output.write_all(&out)?;
            next = match after.take() {
                Some(c) => Some(c),
                None => reader.next_chunk(chunk.text)?,
            };
        }
        output.flush()?;
        return Ok(summary);
    }
    let pending = [first].into_iter().chain(second);
    let workers = Workers {
        table,
        explain: options.explain,
        shared: &shared,
        inputs: Buffers::default(),
        outputs: Buffers::default(),
    };
    workers.run(reader, pending, &mut output, options.threads, &mut summary)?;
    output.flush()?;
    Ok(summary)
}

/// A chunk's output lines and counts, or the error that stopped it.
type ChunkResult = std::io::Result<(Vec<u8>, BatchSummary)>;

/// What the workers of a parallel batch share.
struct Workers<'t> {
    table: &'t PolicyTable,
    explain: bool,
    shared: &'t SharedChecks,
    /// Spare chunk texts and output buffers, apart so that neither grows
    /// into the other's size.
    inputs: Buffers,
    outputs: Buffers,
}

impl Workers<'_> {
    fn run(
        &self,
        reader: ChunkReader<impl BufRead>,
        pending: impl Iterator<Item = Chunk>,
        output: &mut impl Write,
        threads: usize,
        summary: &mut BatchSummary,
    ) -> std::io::Result<()> {
        let (job_tx, job_rx) = mpsc::sync_channel::<(usize, Chunk)>(threads * CHUNKS_PER_WORKER);
        let job_rx = Mutex::new(job_rx);
        let (done_tx, done_rx) = mpsc::channel::<(usize, ChunkResult)>();
        std::thread::scope(|scope| {
            for _ in 0..threads {
                let done_tx = done_tx.clone();
                let job_rx = &job_rx;
                scope.spawn(move || self.work(job_rx, &done_tx));
            }
            drop(done_tx);
            // `feed` owns the sending end: when it returns, on success or on
            // an error, the workers see the end of the jobs and the scope
            // can join them.
            self.feed(job_tx, &done_rx, reader, pending, output, threads, summary)
        })
    }

    /// One worker: decides chunks until there are no more.
    fn work(
        &self,
        jobs: &Mutex<mpsc::Receiver<(usize, Chunk)>>,
        done: &mpsc::Sender<(usize, ChunkResult)>,
    ) {
        let mut caches = Caches::new(self.shared);
        loop {
            let job = match jobs.lock() {
                Ok(rx) => rx.recv(),
                Err(_) => return,
            };
            let Ok((index, chunk)) = job else {
                return; // No more chunks.
            };
            let mut out = self.outputs.take();
            let result = decide_chunk(self.table, &mut caches, &chunk, self.explain, &mut out)
                .map(|s| (out, s));
            self.inputs.give(chunk.text);
            if done.send((index, result)).is_err() {
                return;
            }
        }
    }

    /// The calling thread's part: reads chunks, hands them to the workers
    /// and writes the results in input order, with at most four chunks per
    /// worker read and not yet written.
    #[expect(
        clippy::too_many_arguments,
        reason = "the two ends of the channels and the run's state"
    )]
    fn feed(
        &self,
        job_tx: mpsc::SyncSender<(usize, Chunk)>,
        done_rx: &mpsc::Receiver<(usize, ChunkResult)>,
        mut reader: ChunkReader<impl BufRead>,
        pending: impl Iterator<Item = Chunk>,
        output: &mut impl Write,
        threads: usize,
        summary: &mut BatchSummary,
    ) -> std::io::Result<()> {
        let mut order = InOrder::default();
        let limit = CHUNKS_PER_WORKER * threads;
        let mut sent = 0;
        let send =
            |chunk: Chunk, index: usize| job_tx.send((index, chunk)).map_err(|_| worker_stopped());
        for chunk in pending {
            send(chunk, sent)?;
            sent += 1;
        }
        loop {
            while let Ok((index, result)) = done_rx.try_recv() {
                order.put(index, result, output, summary, &self.outputs)?;
            }
            if sent - order.next >= limit {
                let (index, result) = done_rx.recv().map_err(|_| worker_stopped())?;
                order.put(index, result, output, summary, &self.outputs)?;
                continue;
            }
            match reader.next_chunk(self.inputs.take())? {
                Some(chunk) => {
                    send(chunk, sent)?;
                    sent += 1;
                }
                None => break,
            }
        }
        drop(job_tx);
        while order.next < sent {
            let (index, result) = done_rx.recv().map_err(|_| worker_stopped())?;
            order.put(index, result, output, summary, &self.outputs)?;
        }
        Ok(())
    }
}

/// Spare buffers, so that a long batch reuses the allocations of a few
/// chunks and outputs instead of asking for fresh memory each time.
#[derive(Default)]
struct Buffers {
    free: Mutex<Vec<Vec<u8>>>,
}

impl Buffers {
    /// At most this many spare buffers are kept.
    const KEEP: usize = 64;

    fn take(&self) -> Vec<u8> {
        self.free
            .lock()
            .ok()
            .and_then(|mut f| f.pop())
            .unwrap_or_default()
    }

    fn give(&self, mut buffer: Vec<u8>) {
        buffer.clear();
        if let Ok(mut f) = self.free.lock()
            && f.len() < Self::KEEP
        {
            f.push(buffer);
        }
    }
}

fn worker_stopped() -> std::io::Error {
    std::io::Error::other("a batch worker stopped")
}

/// Chunk results written in input order: those that arrive early wait.
#[derive(Default)]
struct InOrder {
    /// The index of the next chunk to write.
    next: usize,
    early: BTreeMap<usize, ChunkResult>,
}

impl InOrder {
    fn put(
        &mut self,
        index: usize,
        result: ChunkResult,
        output: &mut impl Write,
        summary: &mut BatchSummary,
        buffers: &Buffers,
    ) -> std::io::Result<()> {
        self.early.insert(index, result);
        while let Some(result) = self.early.remove(&self.next) {
            let (out, counts) = result?;
            output.write_all(&out)?;
            buffers.give(out);
            summary.add(counts);
            self.next += 1;
        }
        Ok(())
    }
}

fn decide_chunk(
    table: &PolicyTable,
    caches: &mut Caches<'_>,
    chunk: &Chunk,
    explain: bool,
    out: &mut Vec<u8>,
) -> std::io::Result<BatchSummary> {
    if chunk.too_long {
        line::too_long(out, chunk.first_line)
    } else {
        line::decide_lines(table, caches, chunk.lines(), explain, out)
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

#[cfg(test)]
mod tests {
    use super::*;

    const TABLE: &str = r#"{
        "read": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:Get*", "Resource": "*"}]},
        "deny": {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::secret/*"}]}
    }"#;

    /// Requests of every kind: decided, unknown action (a warning), bad
    /// principal, action and resource, inline policies, invalid JSON, blank
    /// lines, bytes that are not UTF-8, and a last line without a newline.
    fn batch() -> Vec<u8> {
        let mut out = Vec::new();
        for i in 0..500 {
            let (principal, action, resource) = match i % 9 {
                0 => (
                    "arn:aws:iam::111122223333:user/alice",
                    "s3:GetObject",
                    "arn:aws:s3:::b/k",
                ),
                1 => (
                    "arn:aws:iam::111122223333:user/alice",
                    "s3:GetObject",
                    "arn:aws:s3:::secret/k",
                ),
                2 => (
                    "arn:aws:sts::111122223333:assumed-role/r/s",
                    "s3:PutObject",
                    "*",
                ),
                3 => ("arn:aws:iam::111122223333:user/alice", "s3:GetObjekt", "*"),
                4 => ("alice", "s3:GetObject", "*"),
                5 => ("arn:aws:iam::111122223333:user/alice", "s3:Get*", "*"),
                6 => (
                    "arn:aws:iam::111122223333:user/alice",
                    "s3:GetObject",
                    "bucket",
                ),
                7 => ("arn:aws:iam::111122223333:root", "GetObject", "*"),
                _ => ("lambda.amazonaws.com", "s3:GetObject", "arn:aws:s3:::b/k"),
            };
            let policies = if i % 4 == 0 {
                format!(
                    r#"[{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::b/{}"}}]}}]"#,
                    i % 5
                )
            } else {
                r#"["read", "deny"]"#.to_string()
            };
            out.extend(format!(
                r#"{{"id": {i}, "principal": "{principal}", "action": "{action}", "resource": "{resource}", "context": {{"aws:SourceIp": "203.0.113.7", "aws:TagKeys": ["a", 1, true]}}, "identity_policies": {policies}}}"#
            ).bytes());
            out.push(b'\n');
            match i % 50 {
                10 => out.extend(b"\n   \n"),
                20 => out.extend(b"not json\n"),
                30 => out.extend(b"{\"id\": \"bad\xff\"}\n"),
                40 => out.extend(b"{\"id\": 1, \"principal\": \"arn:aws:iam::111122223333:user/u\", \"action\": \"s3:GetObject\", \"resource\": \"*\", \"identity_policies\": [\"missing\"]}\n"),
                _ => {}
            }
        }
        out.extend(b"{\"id\": \"last\", \"principal\": \"arn:aws:iam::111122223333:user/u\", \"action\": \"s3:GetObject\", \"resource\": \"*\", \"identity_policies\": [\"read\"]}");
        out
    }

    fn table() -> PolicyTable {
        let source = crate::SourceFile::new("table.json", TABLE);
        PolicyTable::parse(&source)
            .map_err(|d| format!("{d:?}"))
            .expect("table")
    }

    fn run(options: BatchOptions, input: &[u8]) -> (Vec<u8>, BatchSummary) {
        let mut out = Vec::new();
        let summary = run_batch_with(&table(), input, &mut out, &options).expect("batch");
        (out, summary)
    }

    #[test]
    fn output_does_not_depend_on_threads_or_chunks() {
        let input = batch();
        let one = BatchOptions {
            explain: false,
            threads: 1,
            chunk_bytes: DEFAULT_CHUNK_BYTES,
        };
        let (expected, summary) = run(one, &input);
        let lines = expected.iter().filter(|&&b| b == b'\n').count();
        assert_eq!(lines, summary.decided + summary.errors);
        assert!(
            summary.decided > 200 && summary.errors > 200 && summary.allowed > 50,
            "{summary:?}"
        );
        for (threads, chunk_bytes) in [
            (1, 1),
            (2, 1),
            (2, 300),
            (3, 4096),
            (4, 64 << 10),
            (2, DEFAULT_CHUNK_BYTES),
        ] {
            let options = BatchOptions {
                explain: false,
                threads,
                chunk_bytes,
            };
            let (got, s) = run(options, &input);
            assert_eq!(s, summary, "{threads} threads, chunks of {chunk_bytes}");
            assert!(
                got == expected,
                "{threads} threads, chunks of {chunk_bytes}: output differs"
            );
        }
        let explained = |threads| {
            run(
                BatchOptions {
                    explain: true,
                    threads,
                    chunk_bytes: 500,
                },
                &input,
            )
            .0
        };
        assert!(explained(1) == explained(2));
    }

    #[test]
    fn a_line_of_the_limit_is_refused_wherever_reads_fall() {
        let ok = r#"{"id": "ok", "principal": "arn:aws:iam::111122223333:user/u", "action": "s3:GetObject", "resource": "*", "identity_policies": ["read"]}"#;
        let limit = MAX_LINE_BYTES as usize;
        for (length, too_long) in [(limit - 1, false), (limit, true), (limit + 3, true)] {
            let input = format!("{ok}\n{}\n{ok}", "x".repeat(length));
            for reader_capacity in [1 << 16, 1 << 25] {
                let mut out = Vec::new();
                let reader = std::io::BufReader::with_capacity(reader_capacity, input.as_bytes());
                run_batch_with(&table(), reader, &mut out, &BatchOptions::new(false))
                    .expect("batch");
                let text = String::from_utf8(out).expect("UTF-8");
                let lines: Vec<&str> = text.lines().collect();
                assert_eq!(lines.len(), 3, "{length}");
                assert_eq!(
                    lines[1].contains("line 2: the request is longer than 16 MiB"),
                    too_long,
                    "{length} bytes, reads of {reader_capacity}: {}",
                    lines[1]
                );
                assert!(lines[2].contains("\"decision\":\"Allow\""), "{}", lines[2]);
            }
        }
    }

    #[test]
    fn bad_lines_are_reported_with_their_numbers() {
        let input = batch();
        let (out, _) = run(BatchOptions::new(false), &input);
        let text = String::from_utf8(out).expect("UTF-8 output");
        let line = |id: &str| {
            text.lines()
                .find(|l| l.starts_with(&format!("{{\"id\":{id},")))
                .unwrap_or_default()
                .to_string()
        };
        assert!(
            line("3").contains("\"warnings\":[\"`s3:GetObjekt` is not an action of Amazon S3"),
            "{}",
            line("3")
        );
        assert!(
            line("4").contains("\"error\":\"line 5: `alice` is not a principal"),
            "{}",
            line("4")
        );
        assert!(line("5").contains("is a pattern"), "{}", line("5"));
        assert!(
            line("6").contains("`bucket` is not an ARN"),
            "{}",
            line("6")
        );
        assert!(
            line("7").contains("has no service prefix") && line("7").contains("did you mean"),
            "{}",
            line("7")
        );
        assert!(
            text.contains("\"error\":\"line 24: expected ident"),
            "not json on line 24: {text}"
        );
        assert!(
            text.contains("\"error\":\"line 35: the request is not UTF-8"),
            "invalid UTF-8 on line 35"
        );
        assert!(
            line("\"last\"").contains("\"decision\":\"Allow\""),
            "{}",
            line("\"last\"")
        );
    }
}
