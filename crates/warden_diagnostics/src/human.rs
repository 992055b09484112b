use annotate_snippets::renderer::DecorStyle;
use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};
use warden_text::SourceFile;

use crate::{Diagnostic, Severity};

/// Source excerpts longer than this are not quoted (a minified 100 MB file
/// is one line); the diagnostic then shows `file:line:col` and its message.
const MAX_EXCERPT_BYTES: usize = 16 * 1024;

/// Renders diagnostics as `rustc` does: a header with code and message, the
/// `--> file:line:col` location, the source lines with carets under each
/// label, then help and notes.
#[derive(Clone, Copy, Debug, Default)]
pub struct HumanRenderer {
    color: bool,
}

impl HumanRenderer {
    /// A renderer without ANSI colours.
    pub fn plain() -> Self {
        HumanRenderer { color: false }
    }

    /// A renderer with ANSI colours (for terminals).
    pub fn styled() -> Self {
        HumanRenderer { color: true }
    }

    /// Renders one diagnostic, ending in a newline.
    pub fn render(&self, diag: &Diagnostic, source: &SourceFile) -> String {
        let renderer = if self.color {
            Renderer::styled()
        } else {
            Renderer::plain()
        }
        .decor_style(DecorStyle::Ascii);
        let level = match diag.severity {
            Severity::Error => Level::ERROR,
            Severity::Security => Level::WARNING.with_name(Some("security warning")),
            Severity::Warning => Level::WARNING,
            Severity::Suggestion => Level::HELP.with_name(Some("suggestion")),
            Severity::Note => Level::NOTE,
        };
        let text = source.text();
        let index = source.line_index();
        let (first_line, last_line) = diag.labels.iter().fold((u32::MAX, 0u32), |(lo, hi), l| {
            (
                lo.min(source.line_col(l.span.start).line),
                hi.max(source.line_col(l.span.end).line),
            )
        });
        let mut title = level.clone().primary_title(diag.message.as_str());
        title = title.id(diag.code.as_ref());
        let mut group = Group::with_title(title);

        let excerpt = if diag.labels.is_empty() {
            None
        } else {
            let start = index.line_range(text, first_line).start;
            let end = index.line_range(text, last_line).end;
            Some(start..end).filter(|r| r.len() <= MAX_EXCERPT_BYTES)
        };
        match excerpt.and_then(|r| Some((r.start, text.get(r)?))) {
            Some((base, excerpt)) => {
                let mut snippet = Snippet::source(excerpt)
                    .line_start(first_line as usize)
                    .path(source.name())
                    .fold(true);
                for label in &diag.labels {
                    let range = label.span.range();
                    let lo = floor_char_boundary(excerpt, range.start.saturating_sub(base));
                    let hi = floor_char_boundary(excerpt, range.end.saturating_sub(base)).max(lo);
                    let kind = if label.primary {
                        AnnotationKind::Primary
                    } else {
                        AnnotationKind::Context
                    };
                    snippet = snippet.annotation(kind.span(lo..hi).label(label.message.as_str()));
                }
                group = group.element(snippet);
            }
            None => {
                // No excerpt (no labels, or lines too long to quote): still
                // say where, as `--> file:line:col`.
                let mut origin = Origin::path(source.name());
                if !diag.labels.is_empty() {
                    let at = source.line_col(diag.primary_span().start);
                    origin = origin.line(at.line as usize).char_column(at.col as usize);
                }
                group = group.element(origin);
            }
        }
        if let Some(help) = &diag.help {
            group = group.element(Level::HELP.message(help.as_str()));
        }
        for note in &diag.notes {
            group = group.element(Level::NOTE.message(note.as_str()));
        }
        let mut out = renderer.render(&[group]);
        out.push('\n');
        out
    }
}

/// The largest char boundary of `s` at or below `i` (spans from other
/// stages must never make the renderer slice inside a character).
fn floor_char_boundary(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;
    use warden_text::Span;

    #[test]
    fn renders_location_and_carets() {
        let src = SourceFile::new(
            "policy.json",
            "{\n  \"Version\": \"2012-10-17\",\n  \"Statment\": []\n}\n",
        );
        let d = Diagnostic::error("P203", "unknown element `Statment` in a policy")
            .with_primary(Span::new(31, 41), "not a policy element")
            .with_help("did you mean `Statement`?");
        insta::assert_snapshot!(HumanRenderer::plain().render(&d, &src));
    }

    #[test]
    fn renders_without_labels() {
        let src = SourceFile::new("empty.json", "");
        let d = Diagnostic::error("P101", "file is empty");
        insta::assert_snapshot!(HumanRenderer::plain().render(&d, &src));
    }
}
