//! Reading policy sources from files and standard input, with the input
//! limits and encoding checks every command shares.

use std::io::Read;
use std::path::Path;

use warden_diagnostics::Diagnostic;
use warden_text::{SourceFile, Span};

/// The largest policy document warden reads: 8 MiB (see
/// [`warden_inputs::MAX_POLICY_BYTES`]). A file that is a policy on its own
/// is held to it; templates and plans to [`MAX_FILE_BYTES`].
pub const MAX_POLICY_BYTES: u64 = warden_inputs::MAX_POLICY_BYTES as u64;

/// The largest file warden reads by default: 512 MiB. Terraform plans of
/// 100 MB and more are normal; each policy inside is still held to
/// [`MAX_POLICY_BYTES`]. [`read_source_limited`] takes another limit
/// (`warden lint --max-file-size`).
pub const MAX_FILE_BYTES: u64 = 512 * 1024 * 1024;

/// Diagnostic codes of input problems.
pub mod codes {
    /// The file cannot be read.
    pub const UNREADABLE: &str = "P001";
    /// The file is not UTF-8.
    pub const NOT_UTF8: &str = "P002";
    /// The file is larger than the file limit ([`super::MAX_FILE_BYTES`]
    /// by default).
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

/// Reads `path` (or standard input for `-`) as a policy source, of at most
/// [`MAX_FILE_BYTES`].
pub fn read_source(path: &str) -> Result<SourceFile, Box<SourceError>> {
    read_source_limited(path, MAX_FILE_BYTES)
}

/// Reads `path` (or standard input for `-`), refusing more than `limit`
/// bytes.
pub fn read_source_limited(path: &str, limit: u64) -> Result<SourceFile, Box<SourceError>> {
    let name = if path == "-" { "<stdin>" } else { path };
    let fail = |message: String| {
        Box::new(SourceError {
            source: SourceFile::new(name, ""),
            diagnostic: Diagnostic::error(codes::UNREADABLE, message),
        })
    };
    let mut bytes = Vec::new();
    let max = limit;
    let limit = limit.saturating_add(1);
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
    checked_source(name, bytes, max)
}

/// Checks size and encoding of `bytes` read from `name`, with the default
/// file limit.
pub fn source_from_bytes(name: &str, bytes: Vec<u8>) -> Result<SourceFile, Box<SourceError>> {
    checked_source(name, bytes, MAX_FILE_BYTES)
}

fn checked_source(name: &str, bytes: Vec<u8>, max: u64) -> Result<SourceFile, Box<SourceError>> {
    if bytes.len() as u64 > max {
        return Err(Box::new(SourceError {
            source: SourceFile::new(name, ""),
            diagnostic: Diagnostic::error(
                codes::TOO_LARGE,
                format!("`{name}` is larger than {}, the file limit", mib(max)),
            )
            .with_primary(Span::empty(0), "")
            .with_help(
                "`warden lint --max-file-size MIB` raises the limit for templates and plans; \
                 a policy document itself is at most 8 MiB",
            ),
        }));
    }
    if bytes.len() as u64 > MAX_POLICY_BYTES && !may_be_container(&bytes) {
        return Err(Box::new(SourceError {
            source: SourceFile::new(name, ""),
            diagnostic: Diagnostic::error(
                codes::TOO_LARGE,
                format!(
                    "`{name}` is larger than {}, too large for a policy document, and does not start like a template or plan",
                    mib(MAX_POLICY_BYTES)
                ),
            )
            .with_primary(Span::empty(0), "")
            .with_help("AWS policies are at most a few tens of kilobytes; is this the right file?"),
        }));
    }
    let bytes = match utf16(&bytes) {
        Some(Ok(text)) => return Ok(SourceFile::new(name, text)),
        Some(Err(at)) => {
            return Err(Box::new(SourceError {
                source: SourceFile::new(name, ""),
                diagnostic: Diagnostic::error(
                    codes::NOT_UTF8,
                    format!("`{name}` is UTF-16 (it starts with a byte order mark) but holds an invalid sequence at byte {at}"),
                )
                .with_primary(Span::empty(0), "")
                .with_help("re-save the file as UTF-8"),
            }));
        }
        None => bytes,
    };
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

/// Whether a file too large for a policy may be a template or plan: it
/// starts (after a byte order mark and blanks) like JSON or YAML text.
fn may_be_container(bytes: &[u8]) -> bool {
    let body = bytes
        .strip_prefix(b"\xEF\xBB\xBF")
        .or_else(|| bytes.strip_prefix(b"\xFF\xFE"))
        .or_else(|| bytes.strip_prefix(b"\xFE\xFF"))
        .unwrap_or(bytes);
    // UTF-16 interleaves zero bytes with ASCII text.
    let wide = body.len() + 2 == bytes.len();
    body.iter()
        .find(|b| !(b.is_ascii_whitespace() || wide && **b == 0))
        .is_some_and(|b| b.is_ascii_alphanumeric() || b"{[-#%\"'".contains(b))
}

/// `max` bytes in words.
fn mib(max: u64) -> String {
    if max >= 1024 * 1024 && max.is_multiple_of(1024 * 1024) {
        format!("{} MiB", max / (1024 * 1024))
    } else {
        format!("{max} bytes")
    }
}

/// The text of UTF-16 `bytes` with a byte order mark (Windows PowerShell's
/// `>` writes `terraform show -json` output so); `None` without the mark,
/// the offset of the first bad unit when not valid UTF-16.
fn utf16(bytes: &[u8]) -> Option<Result<String, usize>> {
    let (little, body) = match bytes {
        [0xFF, 0xFE, rest @ ..] => (true, rest),
        [0xFE, 0xFF, rest @ ..] => (false, rest),
        _ => return None,
    };
    let units = body.chunks(2).map(|c| match c {
        [a, b] if little => u16::from_le_bytes([*a, *b]),
        [a, b] => u16::from_be_bytes([*a, *b]),
        // An odd last byte: not UTF-16.
        _ => 0xDC00,
    });
    let mut text = String::with_capacity(body.len() / 2);
    for (i, c) in char::decode_utf16(units).enumerate() {
        match c {
            Ok(c) => text.push(c),
            Err(_) => return Some(Err(2 + 2 * i)),
        }
    }
    Some(Ok(text))
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
        let err = checked_source("big.json", vec![b' '; 1025], 1024).unwrap_err();
        assert_eq!(err.diagnostic.code, codes::TOO_LARGE);
        assert!(err.diagnostic.message.contains("1024 bytes"));
        // A template or plan may exceed the policy size; other text not.
        let mut big = vec![b' '; MAX_POLICY_BYTES as usize + 1];
        big[0] = b'{';
        assert!(source_from_bytes("plan.json", big.clone()).is_ok());
        big[0] = 0;
        let err = source_from_bytes("zeros.json", big).unwrap_err();
        assert_eq!(err.diagnostic.code, codes::TOO_LARGE);
    }

    #[test]
    fn utf16_with_a_byte_order_mark_is_decoded() {
        let text = "{\"a\": \"é\"}";
        let mut le = vec![0xFF, 0xFE];
        le.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(source_from_bytes("p.json", le).unwrap().text(), text);
        let mut be = vec![0xFE, 0xFF];
        be.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
        assert_eq!(source_from_bytes("p.json", be).unwrap().text(), text);
        // A lone surrogate is named, not read as Latin-1 garbage.
        let bad = vec![0xFF, 0xFE, 0x00, 0xD8, b'a', 0];
        let err = source_from_bytes("p.json", bad).unwrap_err();
        assert!(
            err.diagnostic.message.contains("UTF-16"),
            "{}",
            err.diagnostic.message
        );
    }
}
