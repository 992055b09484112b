use serde::Serialize;
use warden_text::SourceFile;

use crate::Diagnostic;

/// A diagnostic resolved against its source, in the shape warden prints as
/// JSON: positions are 1-based lines and character columns, the end exclusive.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct JsonDiagnostic {
    /// Stable code.
    pub code: String,
    /// `error`, `security`, `warning` or `suggestion`.
    pub severity: &'static str,
    /// The message.
    pub message: String,
    /// Source name.
    pub file: String,
    /// Line of the primary span's start.
    pub line: u32,
    /// Column of the primary span's start.
    pub column: u32,
    /// Line of the primary span's end.
    pub end_line: u32,
    /// Column of the primary span's end (exclusive).
    pub end_column: u32,
    /// Help text, if any (`null` when none: `warden lint --format json`
    /// always had the field).
    pub help: Option<String>,
    /// Notes, if any.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// All labels with their positions.
    pub labels: Vec<JsonLabel>,
    /// The IAM Access Analyzer issue code of the corresponding check; absent
    /// when warden's check has no Access Analyzer counterpart.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aa_issue_code: Option<String>,
}

/// A label resolved against its source.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct JsonLabel {
    /// Start line.
    pub line: u32,
    /// Start column.
    pub column: u32,
    /// End line.
    pub end_line: u32,
    /// End column (exclusive).
    pub end_column: u32,
    /// Byte offset of the start.
    pub start_byte: u32,
    /// Byte offset of the end (exclusive).
    pub end_byte: u32,
    /// The label text.
    pub message: String,
    /// Whether it is the primary label.
    pub primary: bool,
}

/// Resolves `diag` against `source` for JSON output.
pub fn to_json(diag: &Diagnostic, source: &SourceFile) -> JsonDiagnostic {
    let primary = diag.primary_span();
    let start = source.line_col(primary.start);
    let end = source.line_col(primary.end);
    JsonDiagnostic {
        code: diag.code.to_string(),
        severity: diag.severity.as_str(),
        message: diag.message.clone(),
        file: source.name().to_string(),
        line: start.line,
        column: start.col,
        end_line: end.line,
        end_column: end.col,
        help: diag.help.clone(),
        notes: diag.notes.clone(),
        labels: diag
            .labels
            .iter()
            .map(|l| {
                let s = source.line_col(l.span.start);
                let e = source.line_col(l.span.end);
                JsonLabel {
                    line: s.line,
                    column: s.col,
                    end_line: e.line,
                    end_column: e.col,
                    start_byte: l.span.start,
                    end_byte: l.span.end,
                    message: l.message.clone(),
                    primary: l.primary,
                }
            })
            .collect(),
        aa_issue_code: diag.aa_issue_code.as_deref().map(str::to_string),
    }
}
