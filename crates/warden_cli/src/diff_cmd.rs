//! `warden diff`: does NEW allow any request OLD does not (and the
//! reverse), what changed per action, with example requests; one pair or a
//! JSON-lines batch.

use std::fmt::Write as _;
use std::io::Write;

use clap::Args;
use warden::PolicyType;
use warden::diff::DiffReport;
use warden::verdict::{ChangeKind, Changes, DiffOptions, Verdict, Witness};

use crate::args::{OutputFormat, policy_type_parser};
use crate::batch_io;
use crate::exit;
use crate::prove_args::{SearchArgs, load_pair};
use crate::report::Reporter;
use crate::witness_text::{request_block, request_line};

#[derive(Debug, Args)]
pub(crate) struct DiffArgs {
    /// The policy before the change (`-` for stdin).
    #[arg(value_name = "OLD", required_unless_present = "batch")]
    old: Option<String>,
    /// The policy after the change (`-` for stdin).
    #[arg(value_name = "NEW", required_unless_present = "batch")]
    new: Option<String>,
    /// How to read standalone policy files (default: inferred, as `lint`
    /// does: a `Principal` makes a resource or trust policy; a policy of a
    /// template or plan keeps the type its resource states). SCPs, RCPs
    /// and endpoint policies are compared as filters stacked on an
    /// allow-all.
    #[arg(long, value_parser = policy_type_parser())]
    policy_type: Option<PolicyType>,
    /// When OLD or NEW is a CloudFormation template or Terraform plan: the
    /// policy to compare, by resource name (`AppRole`,
    /// `AppRole/Policies/read`, `aws_iam_role.app`); `FILE#NAME` names one per
    /// file. Without it, a template must hold exactly one policy.
    #[arg(long, value_name = "NAME", conflicts_with = "batch")]
    resource: Option<String>,
    /// Output format (ignored with --batch, which writes JSON lines).
    #[arg(long, value_parser = OutputFormat::parser(OutputFormat::HUMAN_JSON), default_value = "human")]
    format: OutputFormat,
    #[command(flatten)]
    search: SearchArgs,
    /// Compare every pair of a JSON-lines file (`-` for stdin), lines
    /// `{"id", "old", "new"}`; writes one JSON line per pair to stdout, in
    /// input order. `--timeout` then applies to each pair. Exit 0, or 2 when
    /// a line was invalid.
    #[arg(long, value_name = "PAIRS.jsonl", conflicts_with_all = ["old", "new"])]
    batch: Option<String>,
    /// With --batch: also answer `changes` and `only_future_actions` per
    /// pair, the whole report of `--format json` (several times slower on
    /// pairs that differ, so batches answer the verdicts by default).
    #[arg(long)]
    changes: bool,
}

pub(crate) fn run(args: &DiffArgs, reporter: &Reporter) -> u8 {
    if let Some(path) = &args.batch {
        return run_batch(args, path, reporter);
    }
    if args.changes {
        reporter.usage_error("`--changes` applies to `--batch` only");
        return exit::INPUT_ERROR;
    }
    let (Some(old_path), Some(new_path)) = (&args.old, &args.new) else {
        reporter.usage_error("give OLD and NEW policy files, or `--batch PAIRS.jsonl`");
        return exit::INPUT_ERROR;
    };
    let Some((old, new, role)) = load_pair(
        old_path,
        new_path,
        args.resource.as_deref(),
        args.policy_type,
        reporter,
    ) else {
        return exit::INPUT_ERROR;
    };
    let report = match warden::diff::diff(&old, &new, &args.search.options(role)) {
        Ok(report) => report,
        Err(e) => {
            reporter.usage_error(&e.to_string());
            return exit::INPUT_ERROR;
        }
    };
    let text = match args.format {
        OutputFormat::Json => render_json(&report),
        // `--format` accepts only human and json here.
        _ => render_human(&report),
    };
    if std::io::stdout().lock().write_all(text.as_bytes()).is_err() {
        return exit::INPUT_ERROR;
    }
    match report.comparison.new_access {
        Verdict::No => exit::OK,
        Verdict::Yes(_) => exit::CHECK_FAILED,
        Verdict::Unknown(_) => exit::INPUT_ERROR,
    }
}

fn render_human(r: &DiffReport) -> String {
    let c = &r.comparison;
    let mut s = String::new();
    if let Some(reading) = r.reading {
        let _ = writeln!(s, "note: {reading}");
    }
    let _ = match &c.new_access {
        Verdict::No => writeln!(s, "no new access"),
        Verdict::Yes(_) => writeln!(s, "new access"),
        Verdict::Unknown(why) => writeln!(s, "unknown: {why}"),
    };
    let _ = match &c.removed_access {
        Verdict::No if c.new_access == Verdict::No => {
            writeln!(s, "no access removed: the policies are equivalent")
        }
        Verdict::No => writeln!(s, "no access removed"),
        Verdict::Yes(_) => writeln!(s, "access removed"),
        Verdict::Unknown(why) => writeln!(s, "removed access unknown: {why}"),
    };
    if r.only_future_actions {
        let _ = if r.removed_only_future {
            writeln!(
                s,
                "note: the policies differ only in actions not in the service catalog \
                 (future actions); with --known-actions, no new access"
            )
        } else {
            writeln!(
                s,
                "note: the new access is only to actions not in the service catalog \
                 (future actions); with --known-actions, no new access"
            )
        };
    }
    render_changes(&mut s, &r.changes);
    if let Some(w) = c.new_access.witness() {
        render_witness(&mut s, "new access", w, "NEW", "OLD");
    }
    if let Some(w) = c.removed_access.witness() {
        render_witness(&mut s, "access removed", w, "OLD", "NEW");
    }
    s
}

/// How many catalog actions of a class are named before "and N more".
const KNOWN_ACTIONS_SHOWN: usize = 5;

fn render_changes(s: &mut String, changes: &Changes) {
    let mut service = None;
    for e in &changes.entries {
        if service != Some(&e.service) {
            let _ = if e.service == "*" {
                writeln!(s, "\n* (services neither policy names)")
            } else {
                writeln!(s, "\n{}", e.service)
            };
            service = Some(&e.service);
        }
        let (mark, kind) = match e.kind {
            ChangeKind::Added => ('+', "added"),
            ChangeKind::Removed => ('-', "removed"),
            ChangeKind::Widened => ('~', "widened"),
            ChangeKind::Narrowed => ('~', "narrowed"),
        };
        let _ = writeln!(s, "  {mark} {}  ({kind})", e.action);
        if !e.known_actions.is_empty() {
            let shown: Vec<&str> = e
                .known_actions
                .iter()
                .take(KNOWN_ACTIONS_SHOWN)
                .map(String::as_str)
                .collect();
            let more = e.known_action_count.saturating_sub(shown.len());
            let tail = if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            };
            let _ = writeln!(s, "      known actions: {}{tail}", shown.join(", "));
        }
        let _ = writeln!(s, "      e.g. {}", request_line(&e.example));
    }
    if let Some(why) = &changes.unknown {
        let _ = writeln!(s, "\nthe list of changes is incomplete: {why}");
    }
}

fn render_witness(s: &mut String, what: &str, w: &Witness, allows: &str, denies: &str) {
    let _ = writeln!(
        s,
        "\n{what}: this request is allowed by {allows} (statement {}) and not by {denies}:",
        w.granted_by
    );
    s.push_str(&request_block(&w.request, "  "));
}

fn render_json(r: &DiffReport) -> String {
    let mut text = serde_json::to_string_pretty(&r.json()).unwrap_or_default();
    text.push('\n');
    text
}

fn run_batch(args: &DiffArgs, path: &str, reporter: &Reporter) -> u8 {
    let Some(input) = batch_io::open_input(path, reporter) else {
        return exit::INPUT_ERROR;
    };
    let stdout = batch_io::output();
    let options = DiffOptions {
        role: args.policy_type.unwrap_or_default(),
        known_actions: args.search.known_actions,
        deadline: None,
    };
    let batch = warden::diff::DiffBatchOptions {
        infer_policy_type: args.policy_type.is_none(),
        pair_timeout: args.search.timeout_duration(),
        verdicts_only: !args.changes,
    };
    let outcome = warden::diff::run_diff_batch_with(input, stdout, &options, &batch);
    batch_io::exit_code(outcome.map(|summary| summary.errors), reporter)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use warden::request::ContextValue;
    use warden::verdict::{ActionChange, Comparison, WitnessRequest};

    use super::*;

    fn request(action: &str) -> WitnessRequest {
        WitnessRequest {
            principal: "arn:aws:iam::111122223333:user/user".into(),
            action: action.into(),
            resource: "arn:aws:s3:::bucket/key".into(),
            resource_account: None,
            context: BTreeMap::from([(
                "aws:SourceIp".to_string(),
                ContextValue::Single("10.0.0.1".into()),
            )]),
        }
    }

    fn change(action: &str, kind: ChangeKind, known: &[&str]) -> ActionChange {
        ActionChange {
            service: "s3".into(),
            action: action.into(),
            known_actions: known.iter().map(|a| a.to_string()).collect(),
            known_action_count: known.len(),
            kind,
            example: request(action),
        }
    }

    fn report() -> DiffReport {
        let witness = |action: &str| {
            Box::new(Witness {
                request: request(action),
                granted_by: 1,
            })
        };
        let known = [
            "s3:GetA", "s3:GetB", "s3:GetC", "s3:GetD", "s3:GetE", "s3:GetF",
        ];
        DiffReport {
            comparison: Comparison {
                new_access: Verdict::Yes(witness("s3:GetObjectAcl")),
                removed_access: Verdict::Yes(witness("s3:PutObject")),
            },
            changes: Changes {
                entries: vec![
                    change("s3:Get*", ChangeKind::Added, &known),
                    change("s3:PutObject", ChangeKind::Removed, &[]),
                ],
                unknown: None,
            },
            only_future_actions: false,
            removed_only_future: false,
            reading: None,
        }
    }

    #[test]
    fn human_output_groups_changes_and_prints_witnesses() {
        let text = render_human(&report());
        let expected = "\
new access
access removed

s3
  + s3:Get*  (added)
      known actions: s3:GetA, s3:GetB, s3:GetC, s3:GetD, s3:GetE and 1 more
      e.g. principal arn:aws:iam::111122223333:user/user  action s3:Get*  resource arn:aws:s3:::bucket/key  context aws:SourceIp=10.0.0.1
  - s3:PutObject  (removed)
      e.g. principal arn:aws:iam::111122223333:user/user  action s3:PutObject  resource arn:aws:s3:::bucket/key  context aws:SourceIp=10.0.0.1

new access: this request is allowed by NEW (statement 1) and not by OLD:
  principal: arn:aws:iam::111122223333:user/user
  action:    s3:GetObjectAcl
  resource:  arn:aws:s3:::bucket/key
  context:
    aws:SourceIp = 10.0.0.1
  as a request line: {\"principal\":\"arn:aws:iam::111122223333:user/user\",\"action\":\"s3:GetObjectAcl\",\"resource\":\"arn:aws:s3:::bucket/key\",\"context\":{\"aws:SourceIp\":\"10.0.0.1\"}}

access removed: this request is allowed by OLD (statement 1) and not by NEW:
  principal: arn:aws:iam::111122223333:user/user
  action:    s3:PutObject
  resource:  arn:aws:s3:::bucket/key
  context:
    aws:SourceIp = 10.0.0.1
  as a request line: {\"principal\":\"arn:aws:iam::111122223333:user/user\",\"action\":\"s3:PutObject\",\"resource\":\"arn:aws:s3:::bucket/key\",\"context\":{\"aws:SourceIp\":\"10.0.0.1\"}}
";
        assert_eq!(text, expected, "{text}");
    }

    #[test]
    fn json_output_has_the_documented_shape() {
        let mut r = report();
        r.comparison.removed_access = Verdict::Unknown(warden::verdict::Unknown::Timeout);
        let v: serde_json::Value = serde_json::from_str(&render_json(&r)).unwrap();
        assert_eq!(v["new_access"], true);
        assert_eq!(v["removed_access"], serde_json::Value::Null);
        assert_eq!(v["witness_new"]["action"], "s3:GetObjectAcl");
        assert_eq!(v["witness_removed"], serde_json::Value::Null);
        assert_eq!(v["reason"], "the time limit expired");
        assert_eq!(v["changes"]["entries"][0]["kind"], "added");
        assert_eq!(v["only_future_actions"], false);
    }

    #[test]
    fn the_note_on_future_actions() {
        let mut r = report();
        r.only_future_actions = true;
        r.removed_only_future = true;
        assert!(render_human(&r).contains(
            "note: the policies differ only in actions not in the service catalog \
                 (future actions); with --known-actions, no new access"
        ));
    }
}
