//! What a rule is: metadata, documentation and checks.

use warden_diagnostics::Severity;

use crate::context::{LintContext, Sink, StatementView};

/// The category of a rule, as IAM Access Analyzer groups its checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Category {
    /// The policy is invalid or does not do what it says.
    Error,
    /// The policy grants more than it appears to.
    Security,
    /// The policy is valid but probably wrong.
    Warning,
    /// The policy could be written better.
    Suggestion,
}

impl Category {
    /// The lowercase name, used in docs and configuration.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Error => "error",
            Category::Security => "security",
            Category::Warning => "warning",
            Category::Suggestion => "suggestion",
        }
    }
}

/// A rule's identity and documentation.
#[derive(Debug)]
pub struct RuleMeta {
    /// Stable code: category letter (E, S, W, H) and three digits.
    pub code: &'static str,
    /// Kebab-case name of the bad pattern.
    pub name: &'static str,
    /// Category.
    pub category: Category,
    /// Severity when no configuration says otherwise.
    pub default_severity: Severity,
    /// The warden version that introduced the rule.
    pub since: &'static str,
    /// One line for listings.
    pub summary: &'static str,
    /// *What it does*.
    pub what_it_does: &'static str,
    /// *Why is this bad?*
    pub why_bad: &'static str,
    /// *Example*: a policy fragment that triggers the rule.
    pub example: &'static str,
    /// *Use instead*.
    pub use_instead: &'static str,
    /// The IAM Access Analyzer checks this rule covers, by issue code.
    pub access_analyzer: &'static [&'static str],
}

impl RuleMeta {
    /// The rule's documentation as Markdown.
    pub fn to_markdown(&self) -> String {
        let aa = crate::docs::access_analyzer_section(self);
        format!(
            "# {code} `{name}`\n\n{summary}\n\nCategory: {category}. Default severity: {severity}. Since {since}.\n\n\
             ## What it does\n\n{what}\n\n## Why is this bad?\n\n{why}\n\n## Example\n\n```json\n{example}\n```\n\n\
             ## Use instead\n\n```json\n{instead}\n```\n{aa}",
            code = self.code,
            name = self.name,
            summary = self.summary,
            category = self.category.as_str(),
            severity = self.default_severity,
            since = self.since,
            what = self.what_it_does,
            why = self.why_bad,
            example = self.example.trim(),
            instead = self.use_instead.trim(),
        )
    }
}

/// A lint rule. Implement `check_policy` for whole-policy properties and
/// `check_statement` for per-statement ones; the walker calls each once.
pub trait Rule: Send + Sync {
    /// Identity and documentation.
    fn meta(&self) -> &'static RuleMeta;

    /// Whether the rule judges what a policy grants (an over-broad
    /// `Allow`). Such rules do not run on policies that grant nothing:
    /// SCPs, RCPs and VPC endpoint policies only filter
    /// ([`PolicyType::grants`](crate::PolicyType::grants)), and AWS's own
    /// `FullAWSAccess` SCP allows `*` on `*` by design.
    fn judges_grants(&self) -> bool {
        false
    }

    /// Checks the policy as a whole.
    fn check_policy(&self, _cx: &LintContext<'_>, _sink: &mut Sink) {}

    /// Checks one statement.
    fn check_statement(
        &self,
        _cx: &LintContext<'_>,
        _statement: &StatementView<'_>,
        _sink: &mut Sink,
    ) {
    }
}
