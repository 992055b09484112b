//! Rule documentation, generated from the rules themselves into
//! `docs/rules/`: one page per rule, an index, and the coverage of IAM
//! Access Analyzer's checks. `cargo xtask gen-rule-docs` writes the files;
//! a test fails when the committed ones are stale.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::registry;

/// IAM Access Analyzer's policy-validation checks: severity, code, name and
/// (for checks newer than AWS's 2023 list) where each was seen.
const ACCESS_ANALYZER_CHECKS: &str =
    include_str!("../../../testdata/reference/access-analyzer-checks.tsv");
/// How each check not covered by a rule's metadata is covered (parser code)
/// or why it does not apply, written by hand.
const COVERAGE_NOTES: &[&str] = &[
    include_str!("../data/coverage-errors.tsv"),
    include_str!("../data/coverage-others.tsv"),
];

/// One Access Analyzer check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Check {
    /// `Error`, `Security Warning`, `General Warning` or `Suggestion`.
    pub severity: &'static str,
    /// Issue code, such as `PASS_ROLE_WITH_STAR_IN_RESOURCE`.
    pub code: &'static str,
    /// Title.
    pub name: &'static str,
}

/// The Access Analyzer check catalog.
pub fn access_analyzer_checks() -> Vec<Check> {
    ACCESS_ANALYZER_CHECKS
        .lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with("severity\t") && !l.trim().is_empty())
        .filter_map(|l| {
            let mut f = l.split('\t');
            Some(Check {
                severity: f.next()?,
                code: f.next()?,
                name: f.next()?,
            })
        })
        .collect()
}

/// Warden's severity for an Access Analyzer finding type.
fn warden_severity(aa: &str) -> Option<warden_diagnostics::Severity> {
    use warden_diagnostics::Severity as S;
    Some(match aa {
        "Error" => S::Error,
        "Security Warning" => S::Security,
        "General Warning" => S::Warning,
        "Suggestion" => S::Suggestion,
        _ => return None,
    })
}

/// The hand-written coverage notes: AA code -> (covered by, note).
pub(crate) fn notes() -> BTreeMap<&'static str, (&'static str, &'static str)> {
    let mut notes = BTreeMap::new();
    for text in COVERAGE_NOTES {
        for line in text
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        {
            let mut f = line.splitn(3, '\t');
            if let (Some(code), Some(by)) = (f.next(), f.next()) {
                notes.insert(code.trim(), (by.trim(), f.next().unwrap_or("").trim()));
            }
        }
    }
    notes
}

/// The "Access Analyzer" section of a rule's page: the checks it
/// corresponds to, their Access Analyzer severity, and where warden
/// differs (the coverage note, and the severity when it is not the same).
pub fn access_analyzer_section(meta: &crate::RuleMeta) -> String {
    if meta.access_analyzer.is_empty() {
        return "\n## Access Analyzer\n\nNo IAM Access Analyzer check corresponds to this rule; \
                it is warden's own, and its findings carry no `aa_issue_code`.\n"
            .to_string();
    }
    let checks = access_analyzer_checks();
    let notes = notes();
    let mut out = String::from(
        "\n## Access Analyzer\n\nFindings carry the issue code of the corresponding IAM Access \
         Analyzer check (`aa_issue_code` in JSON, `properties.aaIssueCode` in SARIF).\n\n\
         | check | Access Analyzer severity | where warden differs |\n|---|---|---|\n",
    );
    for code in meta.access_analyzer {
        let check = checks.iter().find(|c| c.code == *code);
        let aa_severity = check.map_or("not in the check list", |c| c.severity);
        let mut differs: Vec<String> = Vec::new();
        if let Some(note) = notes.get(code).map(|(_, n)| *n).filter(|n| !n.is_empty()) {
            differs.push(note.to_string());
        }
        if let Some(s) = check.and_then(|c| warden_severity(c.severity))
            && s != meta.default_severity
        {
            differs.push(format!(
                "warden reports it as {} by default",
                meta.default_severity
            ));
        }
        if differs.is_empty() {
            differs.push("none noted".to_string());
        }
        let _ = writeln!(
            out,
            "| `{code}` | {aa_severity} | {} |",
            differs.join("; ").replace('|', "\\|")
        );
    }
    out
}

/// How a check is covered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Coverage {
    /// By these warden rules.
    Rules(Vec<&'static str>),
    /// By a parser diagnostic (with a note).
    Parser(String, String),
    /// Not applicable offline, with the reason.
    NotApplicable(String),
    /// Not covered yet.
    Missing,
}

/// The coverage of every Access Analyzer check, in catalog order.
pub fn coverage() -> Vec<(Check, Coverage)> {
    let notes = notes();
    access_analyzer_checks()
        .into_iter()
        .map(|check| {
            let rules: Vec<&'static str> = registry::all()
                .iter()
                .filter(|r| r.meta().access_analyzer.contains(&check.code))
                .map(|r| r.meta().code)
                .collect();
            let cov = if !rules.is_empty() {
                Coverage::Rules(rules)
            } else {
                match notes.get(check.code) {
                    Some((by, note)) if by.eq_ignore_ascii_case("NA") => {
                        Coverage::NotApplicable(note.to_string())
                    }
                    Some((by, note)) if by.starts_with('P') => {
                        Coverage::Parser(by.to_string(), note.to_string())
                    }
                    _ => Coverage::Missing,
                }
            };
            (check, cov)
        })
        .collect()
}

/// The index's cell for a rule's Access Analyzer checks.
fn aa_cell(m: &crate::RuleMeta) -> String {
    if m.access_analyzer.is_empty() {
        return "none (warden's own)".to_string();
    }
    m.access_analyzer
        .iter()
        .map(|c| format!("`{c}`"))
        .collect::<Vec<_>>()
        .join("<br>")
}

/// Every generated documentation file: (path relative to the repository
/// root, contents).
pub fn generate() -> Vec<(String, String)> {
    let mut files = Vec::new();
    let mut index = String::from(
        "<!-- generated by `cargo xtask gen-rule-docs`; do not edit -->\n# warden lint rules\n\n\
         | code | name | category | default severity | Access Analyzer checks | summary |\n|---|---|---|---|---|---|\n",
    );
    for rule in registry::all() {
        let m = rule.meta();
        let file = format!("{}-{}.md", m.code, m.name);
        let _ = writeln!(
            index,
            "| [{}]({file}) | `{}` | {} | {} | {} | {} |",
            m.code,
            m.name,
            m.category.as_str(),
            m.default_severity,
            aa_cell(m),
            m.summary.replace('|', "\\|")
        );
        files.push((
            format!("docs/rules/{file}"),
            format!(
                "<!-- generated by `cargo xtask gen-rule-docs`; do not edit -->\n{}",
                m.to_markdown()
            ),
        ));
    }
    index.push_str("\nParser diagnostics (codes P0xx-P3xx) are reported by `warden lint` too; see the README.\n");
    files.push(("docs/rules/README.md".to_string(), index));
    let mut cov = String::from(
        "<!-- generated by `cargo xtask gen-rule-docs`; do not edit -->\n# Coverage of IAM Access Analyzer's checks\n\n\
         Every policy-validation check of IAM Access Analyzer (`testdata/reference/access-analyzer-checks.tsv`: \
         AWS's 2023 list and the checks added since) and what in warden covers it. A check that cannot \
         be checked from a policy document alone is listed as not applicable, with the reason.\n\n\
         | severity | check | covered by | note |\n|---|---|---|---|\n",
    );
    let (mut covered, mut total) = (0, 0);
    let notes = notes();
    for (check, c) in coverage() {
        total += 1;
        let (by, note) = match &c {
            Coverage::Rules(r) => (
                r.iter()
                    .filter_map(|c| registry::find(c))
                    .map(|rule| {
                        format!(
                            "[{}]({}-{}.md)",
                            rule.meta().code,
                            rule.meta().code,
                            rule.meta().name
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(", "),
                notes
                    .get(check.code)
                    .map_or(String::new(), |(_, n)| n.to_string()),
            ),
            Coverage::Parser(p, n) => (format!("parser {p}"), n.clone()),
            Coverage::NotApplicable(n) => ("not applicable".to_string(), n.clone()),
            Coverage::Missing => ("**not yet covered**".to_string(), String::new()),
        };
        if c != Coverage::Missing {
            covered += 1;
        }
        let _ = writeln!(
            cov,
            "| {} | `{}` | {by} | {} |",
            check.severity,
            check.code,
            note.replace('|', "\\|")
        );
    }
    let _ = writeln!(cov, "\n{covered} of {total} checks accounted for.");
    files.push(("docs/rules/coverage.md".to_string(), cov));
    files
}
