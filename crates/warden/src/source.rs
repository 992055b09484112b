//! Reading policy sources from files and standard input, with the input
//! limits and encoding checks every command shares.

use std::io::Read;
use std::path::Path;

use warden_diagnostics::Diagnostic;
use warden_text::{SourceFile, Span};

/// The largest policy file warden reads: 8 MiB. AWS's largest policy
/// quota is tens of kilobytes, and the largest AWS managed policy about
/// 150 KB formatted, so anything bigger is not a policy; refusing it keeps
/// memory bounded whatever the input.
pub const MAX_POLICY_BYTES: u64 = 8 * 1024 * 1024;

/// Diagnostic codes of input problems.
pub mod codes {
    /// The file cannot be read.
    pub const UNREADABLE: &str = "P001";
    /// The file is not UTF-8.
    pub const NOT_UTF8: &str = "P002";
    /// The file is larger than [`super::MAX_POLICY_BYTES`].
    pub const TOO_LARGE: &str = "P003";
}

/// A source that could not be read, with the diagnostic that says why and
/// the source it points into (empty when nothing could be read).
#[derive(Debug)]
pub struct SourceError {
    /// What was read, for rendering the diagnostic.
    pub source: SourceFile,
    /// Why it cannot be used.
    pub diagnostic: Diagnostic,
}

/// Reads `path` (or standard input for `-`) as a policy source.
pub fn read_source(path: &str) -> Result<SourceFile, Box<SourceError>> {
    let name = if path == "-" { "<stdin>" } else { path };
    let fail = |message: String| {
        Box::new(SourceError {
            source: SourceFile::new(name, ""),
            diagnostic: Diagnostic::error(codes::UNREADABLE, message),
        })
    };
    let mut bytes = Vec::new();
    let limit = MAX_POLICY_BYTES + 1;
    let read = if path == "-" {
        std::io::stdin().lock().take(limit).read_to_end(&mut bytes)
    } else {
        if Path::new(path).is_dir() {
            return Err(fail(format!("cannot read `{name}`: it is a directory")));
        }
        std::fs::File::open(path).and_then(|f| f.take(limit).read_to_end(&mut bytes))
    };
    if let Err(e) = read {
        return Err(fail(format!("cannot read `{name}`: {e}")));
    }
    source_from_bytes(name, bytes)
}

/// Checks size and encoding of `bytes` read from `name`.
pub fn source_from_bytes(name: &str, bytes: Vec<u8>) -> Result<SourceFile, Box<SourceError>> {
    if bytes.len() as u64 > MAX_POLICY_BYTES {
        return Err(Box::new(SourceError {
            source: SourceFile::new(name, ""),
            diagnostic: Diagnostic::error(
                codes::TOO_LARGE,
                format!(
                    "`{name}` is larger than {} MiB, too large for a policy document",
                    MAX_POLICY_BYTES / (1024 * 1024)
                ),
            )
            .with_primary(Span::empty(0), "")
            .with_help("AWS policies are at most a few tens of kilobytes; is this the right file?"),
        }));
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(SourceFile::new(name, text)),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            // Keep the valid prefix verbatim so line and column are exact.
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            let byte = e.as_bytes().get(at).copied().unwrap_or(0);
            Err(Box::new(SourceError {
                source: SourceFile::new(name, text),
                diagnostic: Diagnostic::error(
                    codes::NOT_UTF8,
                    format!("`{name}` is not valid UTF-8 (byte 0x{byte:02x} at offset {at})"),
                )
                // The lossy text holds U+FFFD (three bytes) where the bad bytes were.
                .with_primary(
                    Span::new(at, at + '\u{FFFD}'.len_utf8()),
                    "invalid UTF-8 here",
                )
                .with_help("AWS policies are UTF-8 JSON; re-save the file as UTF-8"),
            }))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_points_at_the_byte() {
        let err = source_from_bytes("p.json", b"{\n  \"a\": \"\xff\"\n}".to_vec()).unwrap_err();
        let at = err.source.line_col(err.diagnostic.primary_span().start);
        assert_eq!((at.line, at.col), (2, 9));
        assert_eq!(err.diagnostic.code, codes::NOT_UTF8);
    }

    #[test]
    fn too_large_is_refused() {
        let err =
            source_from_bytes("big.json", vec![b' '; MAX_POLICY_BYTES as usize + 1]).unwrap_err();
        assert_eq!(err.diagnostic.code, codes::TOO_LARGE);
    }
}
