use std::sync::{Arc, OnceLock};

use crate::{LineCol, LineIndex, Span};

/// A named source text: a file, standard input, or a policy document embedded
/// in a larger file (then the name says where it came from, for example
/// `snapshot.json: role app, inline policy s3`).
///
/// Cheap to clone: the name and text are shared, and the line index is built
/// once, on first use.
#[derive(Clone, Debug)]
pub struct SourceFile {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    name: String,
    text: String,
    lines: OnceLock<LineIndex>,
}

impl SourceFile {
    /// A source named `name` with contents `text`.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        SourceFile {
            inner: Arc::new(Inner {
                name: name.into(),
                text: text.into(),
                lines: OnceLock::new(),
            }),
        }
    }

    /// The name shown in diagnostics (a path, `<stdin>`, or a description).
    pub fn name(&self) -> &str {
        &self.inner.name
    }

    /// The whole text.
    pub fn text(&self) -> &str {
        &self.inner.text
    }

    /// The text covered by `span`, or `""` if the span is out of range or
    /// not on character boundaries.
    pub fn slice(&self, span: Span) -> &str {
        self.inner.text.get(span.range()).unwrap_or("")
    }

    /// The line index of this text, built on first use.
    pub fn line_index(&self) -> &LineIndex {
        self.inner
            .lines
            .get_or_init(|| LineIndex::new(&self.inner.text))
    }

    /// 1-based line and column of a byte offset.
    pub fn line_col(&self, offset: u32) -> LineCol {
        self.line_index().line_col(&self.inner.text, offset)
    }
}
