//! Printing diagnostics to standard error, as text or JSON lines.

use std::io::{IsTerminal, Write};

use warden::{Diagnostic, HumanRenderer, SourceFile};

use crate::{ColorChoice, ErrorFormat};

/// Writes diagnostics to standard error in the chosen format.
pub(crate) struct Reporter {
    format: ErrorFormat,
    renderer: HumanRenderer,
}

impl Reporter {
    pub(crate) fn new(color: ColorChoice, format: ErrorFormat) -> Self {
        let styled = match color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
            }
        };
        Reporter {
            format,
            renderer: if styled {
                HumanRenderer::styled()
            } else {
                HumanRenderer::plain()
            },
        }
    }

    /// Prints `diags`, which point into `source`.
    pub(crate) fn report(&self, diags: &[Diagnostic], source: &SourceFile) {
        let mut err = std::io::stderr().lock();
        for d in diags {
            let line = match self.format {
                ErrorFormat::Human => self.renderer.render(d, source),
                ErrorFormat::Json => {
                    let json = warden::diagnostics::to_json(d, source);
                    let mut s = serde_json::to_string(&json).unwrap_or_default();
                    s.push('\n');
                    s
                }
            };
            // A closed stderr is no reason to stop; the exit code still tells.
            let _ = err.write_all(line.as_bytes());
        }
    }

    /// Renders `diags` as human text to `out` (lint prints findings on
    /// stdout: they are the command's output, not its errors).
    pub(crate) fn print_human(
        &self,
        diags: &[Diagnostic],
        source: &SourceFile,
        out: &mut dyn Write,
    ) {
        for d in diags {
            let _ = out.write_all(self.renderer.render(d, source).as_bytes());
        }
    }

    /// Reads `path` (`-` for stdin) as a source; on failure prints why and
    /// returns `None` (the caller exits 2).
    pub(crate) fn read(&self, path: &str) -> Option<SourceFile> {
        self.read_limited(path, warden::MAX_FILE_BYTES)
    }

    /// [`Reporter::read`] refusing files of more than `limit` bytes.
    pub(crate) fn read_limited(&self, path: &str, limit: u64) -> Option<SourceFile> {
        match warden::read_source_limited(path, limit) {
            Ok(s) => Some(s),
            Err(e) => {
                self.report(&[e.diagnostic], &e.source);
                None
            }
        }
    }

    /// Prints a `help:` line after diagnostics (human format only: JSON
    /// lines carry diagnostics, not advice).
    pub(crate) fn hint(&self, message: &str) {
        if self.format == ErrorFormat::Human {
            eprintln!("help: {message}");
        }
    }

    /// Prints a one-line error not tied to a source (usage problems).
    pub(crate) fn usage_error(&self, message: &str) {
        let d = Diagnostic::error("P000", message);
        self.report(&[d], &SourceFile::new("<command line>", ""));
    }
}
