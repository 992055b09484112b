use std::borrow::Cow;
use std::fmt;

use warden_text::Span;

/// How bad a finding is. Ordered from most to least severe, so
/// `severity <= Severity::Warning` selects warnings and worse.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The input is invalid: AWS would reject it, or warden cannot use it.
    Error,
    /// Valid, but grants more access than it appears to (Access Analyzer's
    /// "security warning").
    Security,
    /// Valid, but probably not what the author meant.
    Warning,
    /// Valid; could be written better.
    Suggestion,
    /// Not a finding: something warden could not read or had to guess
    /// (a policy given by an intrinsic function, a value known only after
    /// `terraform apply`), said so that "no findings" never reads as
    /// "checked and clean". Hidden unless asked for.
    Note,
}

impl Severity {
    /// The lowercase name used in JSON output and configuration.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Security => "security",
            Severity::Warning => "warning",
            Severity::Suggestion => "suggestion",
            Severity::Note => "note",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A span with a short text saying what is there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    /// Where.
    pub span: Span,
    /// What is wrong or relevant there; may be empty.
    pub message: String,
    /// The primary label is the place the diagnostic is about; its start is
    /// the diagnostic's `line:column`.
    pub primary: bool,
}

/// One problem found in a source text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Stable code, such as `P201`.
    pub code: Cow<'static, str>,
    /// How bad it is.
    pub severity: Severity,
    /// One line, lowercase start, user values in backticks.
    pub message: String,
    /// Labelled spans; the first primary one locates the diagnostic.
    pub labels: Vec<Label>,
    /// How to fix it, if we know.
    pub help: Option<String>,
    /// Extra context lines.
    pub notes: Vec<String>,
    /// The IAM Access Analyzer policy check this finding corresponds to, by
    /// its issue code (`PASS_ROLE_WITH_STAR_IN_RESOURCE`), when warden's
    /// check has an Access Analyzer counterpart.
    pub aa_issue_code: Option<Cow<'static, str>>,
}

impl Diagnostic {
    /// A diagnostic without labels.
    pub fn new(
        code: impl Into<Cow<'static, str>>,
        severity: Severity,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            code: code.into(),
            severity,
            message: message.into(),
            labels: Vec::new(),
            help: None,
            notes: Vec::new(),
            aa_issue_code: None,
        }
    }

    /// An error diagnostic.
    pub fn error(code: impl Into<Cow<'static, str>>, message: impl Into<String>) -> Self {
        Diagnostic::new(code, Severity::Error, message)
    }

    /// A warning diagnostic.
    pub fn warning(code: impl Into<Cow<'static, str>>, message: impl Into<String>) -> Self {
        Diagnostic::new(code, Severity::Warning, message)
    }

    /// Adds the primary label.
    pub fn with_primary(mut self, span: Span, message: impl Into<String>) -> Self {
        self.labels.push(Label {
            span,
            message: message.into(),
            primary: true,
        });
        self
    }

    /// Adds a secondary label.
    pub fn with_secondary(mut self, span: Span, message: impl Into<String>) -> Self {
        self.labels.push(Label {
            span,
            message: message.into(),
            primary: false,
        });
        self
    }

    /// Sets the help text.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds a note.
    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    /// Sets the IAM Access Analyzer issue code.
    pub fn with_aa_issue_code(mut self, code: impl Into<Cow<'static, str>>) -> Self {
        self.aa_issue_code = Some(code.into());
        self
    }

    /// The span that locates this diagnostic: the first primary label, else
    /// the first label, else the start of the source.
    pub fn primary_span(&self) -> Span {
        self.labels
            .iter()
            .find(|l| l.primary)
            .or_else(|| self.labels.first())
            .map_or(Span::empty(0), |l| l.span)
    }

    /// Whether this is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}
