//! SARIF 2.1.0 output, as GitHub code scanning reads it.

use serde_json::{Value, json};
use warden_text::{LineCol, SourceFile};

use crate::{Diagnostic, Severity};

/// A rule as SARIF describes it (`tool.driver.rules[]`).
#[derive(Clone, Debug)]
pub struct SarifRule {
    /// Stable code, the SARIF `id`.
    pub id: String,
    /// Kebab-case name.
    pub name: String,
    /// One-line description.
    pub short: String,
    /// Longer description.
    pub full: String,
    /// Default severity.
    pub severity: Severity,
    /// Category (`error`, `security`, ...), added as a tag.
    pub category: String,
    /// The IAM Access Analyzer issue codes the rule corresponds to
    /// (`properties.aaIssueCodes`; omitted when empty).
    pub aa_issue_codes: Vec<String>,
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Security | Severity::Warning => "warning",
        Severity::Suggestion | Severity::Note => "note",
    }
}

/// A SARIF 2.1.0 log with one run of `tool` at `version`: `rules` describe
/// the codes, `results` are diagnostics with the source they point into.
pub fn to_sarif(
    tool: &str,
    version: &str,
    rules: &[SarifRule],
    results: &[(&Diagnostic, &SourceFile)],
) -> Value {
    let rule_index = |code: &str| rules.iter().position(|r| r.id == code);
    let driver_rules: Vec<Value> = rules
        .iter()
        .map(|r| {
            let mut props = if r.severity == Severity::Security {
                // GitHub ranks security alerts by this property (0.0-10.0);
                // SARIF requires tags to be unique.
                let mut tags = vec![r.category.as_str()];
                if r.category != "security" {
                    tags.push("security");
                }
                json!({ "tags": tags, "security-severity": "7.5" })
            } else {
                json!({ "tags": [r.category] })
            };
            if let (false, Some(obj)) = (r.aa_issue_codes.is_empty(), props.as_object_mut()) {
                obj.insert("aaIssueCodes".to_string(), json!(r.aa_issue_codes));
            }
            json!({
                "id": r.id,
                "name": r.name,
                "shortDescription": { "text": r.short },
                "fullDescription": { "text": r.full },
                "defaultConfiguration": { "level": level(r.severity) },
                "properties": props,
            })
        })
        .collect();
    let results: Vec<Value> = results
        .iter()
        .map(|(d, source)| {
            let (start, end, message) = located_message(d, source);
            let mut result = json!({
                "ruleId": d.code,
                "level": level(d.severity),
                "message": { "text": message },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": sarif_uri(source.name()) },
                        "region": {
                            "startLine": start.line,
                            "startColumn": start.col,
                            "endLine": end.line,
                            "endColumn": end.col,
                        }
                    }
                }],
            });
            // `ruleIndex` only for codes described in `rules` (parser codes
            // are not): SARIF allows no null there.
            if let (Some(i), Some(obj)) = (rule_index(&d.code), result.as_object_mut()) {
                obj.insert("ruleIndex".to_string(), json!(i));
            }
            // SARIF's property bag carries the Access Analyzer issue code, so
            // that code-scanning users can map a result to AWS's check.
            if let (Some(aa), Some(obj)) = (&d.aa_issue_code, result.as_object_mut()) {
                obj.insert(
                    "properties".to_string(),
                    json!({ "aaIssueCode": aa.as_ref() }),
                );
            }
            result
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": { "name": tool, "version": version, "rules": driver_rules } },
            "results": results,
        }],
    })
}

/// A file name as a SARIF `artifactLocation.uri`: a URI reference, so
/// every byte outside RFC 3986's unreserved characters and `/` is
/// percent-encoded (a space, `#`, `%`, `?` or a non-ASCII letter in a path
/// would otherwise make the log invalid or point elsewhere); Windows
/// separators become `/`.
pub fn sarif_uri(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for b in name.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(char::from(b));
            }
            b'\\' => out.push('/'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// A SARIF `toolExecutionNotification` for a diagnostic that is no rule's
/// result (a file that cannot be read or parsed).
pub fn sarif_notification(d: &Diagnostic, source: &SourceFile) -> Value {
    let (start, end, message) = located_message(d, source);
    // Nothing read, nothing to point at: the file alone.
    let location = if source.text().is_empty() {
        json!({ "artifactLocation": { "uri": sarif_uri(source.name()) } })
    } else {
        json!({
            "artifactLocation": { "uri": sarif_uri(source.name()) },
            "region": {
                "startLine": start.line,
                "startColumn": start.col,
                "endLine": end.line,
                "endColumn": end.col,
            },
        })
    };
    json!({
        "level": level(d.severity),
        "message": { "text": message },
        "descriptor": { "id": d.code },
        "locations": [{ "physicalLocation": location }],
    })
}

/// Where `d`'s primary span starts and ends, and its message with the help
/// appended (both formats carry one message text).
fn located_message(d: &Diagnostic, source: &SourceFile) -> (LineCol, LineCol, String) {
    let span = d.primary_span();
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    (
        source.line_col(span.start),
        source.line_col(span.end),
        message,
    )
}

/// GitHub Actions workflow commands, one line per diagnostic:
/// `::error file=F,line=L,col=C,endLine=L,endColumn=C,title=T::message`.
pub fn to_github(d: &Diagnostic, source: &SourceFile) -> String {
    let kind = match d.severity {
        Severity::Error | Severity::Security => "error",
        Severity::Warning => "warning",
        Severity::Suggestion | Severity::Note => "notice",
    };
    let (start, end, message) = located_message(d, source);
    format!(
        "::{kind} file={},line={},col={},endLine={},endColumn={},title={}::{}",
        escape_property(source.name()),
        start.line,
        start.col,
        end.line,
        end.col,
        escape_property(&format!("{} {}", d.code, d.severity)),
        escape_data(&message)
    )
}

/// Escapes workflow-command data (`%`, CR, LF).
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes workflow-command properties (also `:` and `,`).
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use warden_text::Span;

    #[test]
    fn github_annotation() {
        let src = SourceFile::new("p,1.json", "{\n  \"Action\": \"s3:GetObjects\"\n}\n");
        let d = Diagnostic::error("E102", "`s3:GetObjects` is not an action")
            .with_primary(Span::new(14, 29), "unknown")
            .with_help("did you mean `s3:GetObject`?");
        assert_eq!(
            to_github(&d, &src),
            "::error file=p%2C1.json,line=2,col=13,endLine=2,endColumn=28,title=E102 error::`s3:GetObjects` is not an action%0Ahelp: did you mean `s3:GetObject`?"
        );
    }

    #[test]
    fn uris_are_percent_encoded() {
        assert_eq!(sarif_uri("dir/a b#1%.json"), "dir/a%20b%231%25.json");
        assert_eq!(sarif_uri("é.json"), "%C3%A9.json");
        assert_eq!(sarif_uri(r"c:\x.json"), "c%3A/x.json");
    }

    #[test]
    fn sarif_shape() {
        let src = SourceFile::new("p.json", "{}");
        let d = Diagnostic::warning("W301", "x")
            .with_primary(Span::new(0, 1), "")
            .with_aa_issue_code("CREATE_SLR_WITH_STAR_IN_RESOURCE");
        let rules = [SarifRule {
            id: "W301".into(),
            name: "x-y".into(),
            short: "s".into(),
            full: "f".into(),
            severity: Severity::Warning,
            category: "warning".into(),
            aa_issue_codes: vec!["CREATE_SLR_WITH_STAR_IN_RESOURCE".into()],
        }];
        let v = to_sarif("warden", "0.1.0", &rules, &[(&d, &src)]);
        assert_eq!(v["version"], "2.1.0");
        assert_eq!(v["runs"][0]["results"][0]["ruleIndex"], 0);
        assert_eq!(
            v["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"],
            1
        );
        assert_eq!(
            v["runs"][0]["results"][0]["properties"]["aaIssueCode"],
            "CREATE_SLR_WITH_STAR_IN_RESOURCE"
        );
        assert_eq!(
            v["runs"][0]["tool"]["driver"]["rules"][0]["properties"]["aaIssueCodes"][0],
            "CREATE_SLR_WITH_STAR_IN_RESOURCE"
        );
    }
}
