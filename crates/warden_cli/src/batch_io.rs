//! The input, output and exit code of the batch modes (`simulate --batch`,
//! `diff --batch`): JSON lines in, JSON lines out.

use std::fmt::Display;
use std::io::{BufRead, BufReader, BufWriter, StdoutLock};

use crate::exit;
use crate::report::Reporter;

/// Batch lines are short and many: read and write in 64 KiB blocks.
const BUFFER: usize = 1 << 16;

/// The batch input `path` (`-` for stdin), buffered; `None` (reported) when
/// the file does not open.
pub(crate) fn open_input(path: &str, reporter: &Reporter) -> Option<Box<dyn BufRead>> {
    if path == "-" {
        return Some(Box::new(BufReader::new(std::io::stdin().lock())));
    }
    match std::fs::File::open(path) {
        Ok(f) => Some(Box::new(BufReader::with_capacity(BUFFER, f))),
        Err(e) => {
            reporter.usage_error(&format!("cannot read `{path}`: {e}"));
            None
        }
    }
}

/// Standard output, buffered for many lines.
pub(crate) fn output() -> BufWriter<StdoutLock<'static>> {
    BufWriter::with_capacity(BUFFER, std::io::stdout().lock())
}

/// The exit code of a batch run: an input error when it failed (reported)
/// or when any of its lines was invalid (`invalid_lines`).
pub(crate) fn exit_code(outcome: Result<usize, impl Display>, reporter: &Reporter) -> u8 {
    match outcome {
        Ok(invalid_lines) if invalid_lines > 0 => exit::INPUT_ERROR,
        Ok(_) => exit::OK,
        Err(e) => {
            reporter.usage_error(&format!("batch: {e}"));
            exit::INPUT_ERROR
        }
    }
}
