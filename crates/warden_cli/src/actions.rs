//! `warden actions`: list the AWS actions that names or wildcard patterns
//! select, with access level and resource types, or describe one action with
//! its resource types, ARN formats and condition keys. Everything comes from
//! the catalog embedded in the binary, so the command needs no files and no
//! network.
//!
//! Exit codes: 0 when every pattern selected a known action, 1 when a name is
//! unknown (a "did you mean" goes to stderr) or a pattern matches nothing,
//! 2 for a usage error. Problems are diagnostics, printed as `--error-format`
//! says.

use std::io::{self, Write};

use serde_json::{Value, json};
use warden::Diagnostic;
use warden::catalog::{AccessLevel, Action, Catalog, ConditionKey};

use crate::args::OutputFormat;
use crate::report::Reporter;

/// Diagnostic codes of `warden actions`.
mod codes {
    /// A command-line problem not tied to a file.
    pub(super) const USAGE: &str = "P000";
    /// An action name the catalog does not know.
    pub(super) const UNKNOWN_ACTION: &str = "A001";
    /// A pattern that matches no known action.
    pub(super) const NO_MATCH: &str = "A002";
}

/// List AWS actions matching patterns, or describe one action.
#[derive(clap::Args, Clone, Debug)]
pub(crate) struct ActionsArgs {
    /// Action names or wildcard patterns, as in a policy's `Action`:
    /// `s3:GetObject`, `s3:Get*`, `*:List*`, `s3:*Object*`. Case is ignored.
    #[arg(value_name = "PATTERN", required_unless_present = "describe")]
    pub(crate) patterns: Vec<String>,

    /// Only list actions with this access level: list, read, write, tagging or
    /// permissions-management. May be repeated.
    #[arg(long = "access-level", value_name = "LEVEL")]
    pub(crate) access_levels: Vec<AccessLevel>,

    /// Output format.
    #[arg(long, value_parser = OutputFormat::parser(OutputFormat::HUMAN_JSON), default_value = "human")]
    pub(crate) format: OutputFormat,

    /// Describe one action: its resource types with their ARN formats, and its
    /// condition keys with their types.
    #[arg(long, value_name = "ACTION", conflicts_with = "patterns")]
    pub(crate) describe: Option<String>,
}

/// Runs `warden actions`, writing results to `out` and problems through
/// `reporter`; returns the exit code.
pub(crate) fn run(args: &ActionsArgs, out: &mut dyn Write, reporter: &Reporter) -> io::Result<u8> {
    // Listing `*:*` writes 22,000 lines: one write per line would dominate.
    let mut buffered = io::BufWriter::new(out);
    let mut problems = Vec::new();
    let code = run_with(args, &mut buffered, &mut problems);
    // Results first: the problems refer to what was (not) listed.
    buffered.flush()?;
    reporter.report(&problems, &warden::SourceFile::new("<command line>", ""));
    code
}

/// [`run`] with the problems collected, for tests.
pub(crate) fn run_with(
    args: &ActionsArgs,
    out: &mut dyn Write,
    err: &mut Vec<Diagnostic>,
) -> io::Result<u8> {
    let catalog = Catalog::get();
    if let Some(name) = &args.describe {
        return describe(catalog, name.trim(), args.format, out, err);
    }
    if args.patterns.is_empty() {
        err.push(Diagnostic::error(
            codes::USAGE,
            "give at least one action PATTERN, or --describe ACTION",
        ));
        return Ok(2);
    }
    let mut selected = vec![false; catalog.action_count()];
    let mut status = 0u8;
    for pattern in &args.patterns {
        let pattern = pattern.trim();
        let wildcard = pattern.contains(['*', '?']);
        if !pattern.contains(':') && !wildcard {
            err.push(Diagnostic::error(
                codes::USAGE,
                format!("`{pattern}` is not an action; expected `service:ActionName`"),
            ));
            status = status.max(2);
            continue;
        }
        let matches = catalog.expand(pattern);
        if matches.is_empty() {
            status = status.max(1);
            err.push(if wildcard {
                let d = Diagnostic::error(
                    codes::NO_MATCH,
                    format!("pattern `{pattern}` matches no known action"),
                );
                match suggest_service(catalog, pattern) {
                    Some(help) => d.with_help(help),
                    None => d,
                }
            } else {
                unknown_action(catalog, pattern)
            });
        }
        for action in matches {
            let wanted = args.access_levels.is_empty()
                || args.access_levels.contains(&action.access_level());
            if let (true, Some(slot)) = (wanted, selected.get_mut(action.id().index())) {
                *slot = true;
            }
        }
    }
    let actions: Vec<Action<'_>> = catalog
        .actions()
        .zip(&selected)
        .filter(|&(_, &s)| s)
        .map(|(a, _)| a)
        .collect();
    match args.format {
        OutputFormat::Json => {
            let list: Vec<Value> = actions.iter().map(|a| summary_json(*a)).collect();
            write_json(&Value::Array(list), out)?;
        }
        // `--format` accepts only human and json here.
        _ => list_text(&actions, out)?,
    }
    Ok(status)
}

/// "unknown action" with a "did you mean" help.
fn unknown_action(catalog: &Catalog, name: &str) -> Diagnostic {
    let d = Diagnostic::error(codes::UNKNOWN_ACTION, format!("unknown action `{name}`"));
    let suggestions = catalog.suggest(name);
    let quoted: Vec<String> = suggestions.iter().map(|a| format!("`{a}`")).collect();
    let help = match quoted.as_slice() {
        [] => suggest_service(catalog, name),
        [one] => Some(format!("did you mean {one}?")),
        many => Some(format!("did you mean one of {}?", many.join(", "))),
    };
    match help {
        Some(help) => d.with_help(help),
        None => d,
    }
}

/// When a pattern's service prefix (without wildcards) is unknown, a help
/// naming the closest prefixes.
fn suggest_service(catalog: &Catalog, pattern: &str) -> Option<String> {
    let (prefix, _) = pattern.split_once(':')?;
    if prefix.contains(['*', '?']) || catalog.service(prefix).is_some() {
        return None;
    }
    let close: Vec<String> = catalog
        .suggest_service(prefix)
        .iter()
        .map(|s| format!("`{}`", s.prefix()))
        .collect();
    Some(if close.is_empty() {
        format!("`{prefix}` is not a known service prefix")
    } else {
        format!(
            "`{prefix}` is not a known service prefix; did you mean {}?",
            close.join(" or ")
        )
    })
}

fn list_text(actions: &[Action<'_>], out: &mut dyn Write) -> io::Result<()> {
    let names: Vec<String> = actions.iter().map(ToString::to_string).collect();
    let name_width = names.iter().map(String::len).max().unwrap_or(0);
    let level_width = actions
        .iter()
        .map(|a| a.access_level().as_str().len())
        .max()
        .unwrap_or(0);
    for (action, name) in actions.iter().zip(&names) {
        let level = action.access_level().as_str();
        writeln!(
            out,
            "{name:<name_width$}  {level:<level_width$}  {}",
            resource_summary(*action)
        )?;
    }
    Ok(())
}

/// `object, accesspointobject` with required types marked `*` (as in the AWS
/// reference), or `*` alone when the action takes no resource type.
fn resource_summary(action: Action<'_>) -> String {
    if action.supports_only_wildcard_resource() {
        return "*".to_owned();
    }
    let parts: Vec<String> = action
        .resources()
        .map(|r| {
            let mark = if r.is_required() { "*" } else { "" };
            format!("{}{mark}", r.resource_type().name())
        })
        .collect();
    parts.join(", ")
}

fn summary_json(action: Action<'_>) -> Value {
    let resource_types: Vec<Value> = action
        .resources()
        .map(|r| json!({"name": r.resource_type().name(), "required": r.is_required()}))
        .collect();
    json!({
        "action": action.to_string(),
        "service": action.service().prefix(),
        "name": action.name(),
        "access_level": action.access_level().as_str(),
        "resource_types": resource_types,
    })
}

fn key_json(key: ConditionKey<'_>) -> Value {
    json!({
        "name": key.name(),
        "type": key.key_type().as_str(),
        "description": key.description(),
    })
}

fn describe(
    catalog: &Catalog,
    name: &str,
    format: OutputFormat,
    out: &mut dyn Write,
    err: &mut Vec<Diagnostic>,
) -> io::Result<u8> {
    if name.contains(['*', '?']) {
        err.push(
            Diagnostic::error(
                codes::USAGE,
                format!("--describe takes one action name, not the pattern `{name}`"),
            )
            .with_help(format!("list the matches with `warden actions '{name}'`")),
        );
        return Ok(2);
    }
    let Some(action) = catalog.action(name) else {
        if name.contains(':') {
            err.push(unknown_action(catalog, name));
            return Ok(1);
        }
        err.push(Diagnostic::error(
            codes::USAGE,
            format!("`{name}` is not an action; expected `service:ActionName`"),
        ));
        return Ok(2);
    };
    match format {
        OutputFormat::Json => write_json(&describe_json(catalog, action), out)?,
        // `--format` accepts only human and json here.
        _ => describe_text(catalog, action, out)?,
    }
    Ok(0)
}

/// The keys of a resource-type row: the row's own, then the resource type's,
/// each once.
fn resource_keys<'c>(row: warden::catalog::ActionResource<'c>) -> Vec<ConditionKey<'c>> {
    let mut keys: Vec<ConditionKey<'c>> = Vec::new();
    for key in row
        .condition_keys()
        .chain(row.resource_type().condition_keys())
    {
        if !keys.contains(&key) {
            keys.push(key);
        }
    }
    keys
}

fn describe_text(catalog: &Catalog, action: Action<'_>, out: &mut dyn Write) -> io::Result<()> {
    let service = action.service();
    writeln!(out, "{action}")?;
    if !action.description().is_empty() {
        writeln!(out, "  {}", action.description())?;
    }
    writeln!(
        out,
        "  service:       {} ({})",
        service.prefix(),
        service.name()
    )?;
    writeln!(out, "  access level:  {}", action.access_level())?;
    writeln!(out)?;
    if action.supports_only_wildcard_resource() {
        writeln!(
            out,
            "resource types: none; the action supports only \"Resource\": \"*\""
        )?;
    } else {
        writeln!(out, "resource types (* = required):")?;
        for row in action.resources() {
            let resource_type = row.resource_type();
            let mark = if row.is_required() { "*" } else { "" };
            writeln!(out, "  {}{mark}", resource_type.name())?;
            for format in resource_type.arn_formats() {
                writeln!(out, "    {format}")?;
            }
            let keys = resource_keys(row);
            if !keys.is_empty() {
                let listed: Vec<String> = keys
                    .iter()
                    .map(|k| format!("{} ({})", k.name(), k.key_type()))
                    .collect();
                writeln!(out, "    condition keys: {}", listed.join(", "))?;
            }
        }
    }
    writeln!(out)?;
    let keys: Vec<ConditionKey<'_>> = action.condition_keys().collect();
    if keys.is_empty() {
        writeln!(out, "condition keys: none of its own")?;
    } else {
        writeln!(out, "condition keys:")?;
        let name_width = keys.iter().map(|k| k.name().len()).max().unwrap_or(0);
        let type_width = keys
            .iter()
            .map(|k| k.key_type().as_str().len())
            .max()
            .unwrap_or(0);
        for key in &keys {
            let (name, key_type) = (key.name(), key.key_type().as_str());
            writeln!(
                out,
                "  {name:<name_width$}  {key_type:<type_width$}  {}",
                key.description()
            )?;
        }
    }
    writeln!(
        out,
        "and the {} AWS global condition keys (aws:SourceIp, aws:PrincipalArn, ...)",
        catalog.global_condition_keys().len()
    )?;
    writeln!(
        out,
        "\n(AWS service reference of {}, {} {})",
        warden::catalog::DATA_DATE,
        warden::catalog::SOURCE_PACKAGE,
        warden::catalog::SOURCE_VERSION
    )
}

fn describe_json(catalog: &Catalog, action: Action<'_>) -> Value {
    let resource_types: Vec<Value> = action
        .resources()
        .map(|row| {
            let resource_type = row.resource_type();
            let formats: Vec<&str> = resource_type.arn_formats().collect();
            let keys: Vec<Value> = resource_keys(row).into_iter().map(key_json).collect();
            json!({
                "name": resource_type.name(),
                "required": row.is_required(),
                "arn_formats": formats,
                "condition_keys": keys,
            })
        })
        .collect();
    let keys: Vec<Value> = action.condition_keys().map(key_json).collect();
    let global: Vec<&str> = catalog.global_condition_keys().map(|k| k.name()).collect();
    json!({
        "action": action.to_string(),
        "service": action.service().prefix(),
        "service_name": action.service().name(),
        "name": action.name(),
        "description": action.description(),
        "access_level": action.access_level().as_str(),
        "resource_types": resource_types,
        "condition_keys": keys,
        "global_condition_keys": global,
        "data_date": warden::catalog::DATA_DATE,
    })
}

fn write_json(value: &Value, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(patterns: &[&str]) -> ActionsArgs {
        ActionsArgs {
            patterns: patterns.iter().map(|p| (*p).to_owned()).collect(),
            access_levels: Vec::new(),
            format: OutputFormat::Human,
            describe: None,
        }
    }

    /// The exit code, stdout, and the problems as `error: ...` and
    /// `help: ...` lines.
    fn run_args(args: &ActionsArgs) -> (u8, String, String) {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let code = run_with(args, &mut out, &mut err).unwrap();
        let problems: String = err
            .iter()
            .map(|d| {
                let help = d.help.as_deref().map(|h| format!("help: {h}\n"));
                format!("error: {}\n{}", d.message, help.unwrap_or_default())
            })
            .collect();
        (code, String::from_utf8(out).unwrap(), problems)
    }

    #[test]
    fn lists_one_action() {
        let (code, out, err) = run_args(&args(&["s3:getobject"]));
        assert_eq!((code, err.as_str()), (0, ""));
        assert_eq!(out, "s3:GetObject  Read  accesspointobject, object\n");
    }

    #[test]
    fn lists_patterns_filtered_by_access_level() {
        let mut a = args(&["s3:*Object*", "iam:PassRole"]);
        a.access_levels = vec![AccessLevel::Tagging];
        let (code, out, _) = run_args(&a);
        assert_eq!(code, 0);
        assert!(out.lines().count() > 2, "{out}");
        assert!(out.lines().all(|l| l.contains(" Tagging ")), "{out}");
        assert!(!out.contains("iam:PassRole"));
    }

    #[test]
    fn unknown_names_suggest_and_exit_1() {
        let (code, out, err) = run_args(&args(&["s3:GetObjekt", "s3:ListBucket"]));
        assert_eq!(code, 1);
        assert!(out.starts_with("s3:ListBucket"), "{out}");
        assert!(
            err.contains("error: unknown action `s3:GetObjekt`"),
            "{err}"
        );
        assert!(err.contains("help: did you mean `s3:GetObject`?"), "{err}");
        let (code, _, err) = run_args(&args(&["s4:Get*"]));
        assert_eq!(code, 1);
        assert!(err.contains("did you mean `s3`"), "{err}");
    }

    #[test]
    fn usage_errors_exit_2() {
        assert_eq!(run_args(&args(&[])).0, 2);
        assert_eq!(run_args(&args(&["GetObject"])).0, 2);
        let mut a = args(&[]);
        a.describe = Some("s3:Get*".to_owned());
        assert_eq!(run_args(&a).0, 2);
    }

    #[test]
    fn json_list() {
        let mut a = args(&["iam:PassRole"]);
        a.format = OutputFormat::Json;
        let (code, out, _) = run_args(&a);
        assert_eq!(code, 0);
        let value: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(value[0]["action"], "iam:PassRole");
        assert_eq!(value[0]["resource_types"][0]["name"], "role");
        assert_eq!(value[0]["resource_types"][0]["required"], true);
    }

    #[test]
    fn describes_one_action() {
        let mut a = args(&[]);
        a.describe = Some("s3:GetObject".to_owned());
        let (code, out, _) = run_args(&a);
        assert_eq!(code, 0);
        assert!(out.starts_with("s3:GetObject\n"), "{out}");
        assert!(
            out.contains("arn:${Partition}:s3:::${BucketName}/${ObjectName}"),
            "{out}"
        );
        assert!(out.contains("s3:ExistingObjectTag/<key>"), "{out}");
        a.format = OutputFormat::Json;
        let (code, out, _) = run_args(&a);
        assert_eq!(code, 0);
        let value: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(value["access_level"], "Read");
        let types = value["resource_types"].as_array().unwrap();
        assert!(types.iter().any(|t| t["name"] == "object"));
        let keys = value["condition_keys"].as_array().unwrap();
        assert!(
            keys.iter()
                .any(|k| k["name"] == "s3:TlsVersion" && k["type"] == "Numeric")
        );
        a.describe = Some("s3:GetObjekt".to_owned());
        let (code, _, err) = run_args(&a);
        assert_eq!(code, 1);
        assert!(err.contains("did you mean `s3:GetObject`"), "{err}");
    }
}
