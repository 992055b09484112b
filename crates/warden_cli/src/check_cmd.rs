//! `warden check`: IAM Access Analyzer's custom policy checks
//! (CheckNoNewAccess, CheckAccessNotGranted, CheckNoPublicAccess), decided
//! offline. PASS exits 0, FAIL 1 (with a witness request), unknown or an
//! input error 2.

use std::fmt::Write as _;
use std::io::Write;

use clap::{Args, Subcommand};
use serde::Serialize;
use warden::PolicyType;
use warden::verdict::{Verdict, WitnessRequest};

use crate::args::{OutputFormat, policy_type_parser};
use crate::exit;
use crate::prove_args::{SearchArgs, load_pair, load_policy};
use crate::report::Reporter;
use crate::witness_text::request_block;

#[derive(Debug, Args)]
pub(crate) struct CheckArgs {
    #[command(subcommand)]
    check: Check,
}

#[derive(Debug, Subcommand)]
enum Check {
    /// Pass when NEW allows no request the reference policy does not
    /// (Access Analyzer's CheckNoNewAccess).
    NoNewAccess(NoNewAccessArgs),
    /// Pass when POLICY allows none of the actions, on any of the resources
    /// when given (Access Analyzer's CheckAccessNotGranted).
    AccessNotGranted(AccessNotGrantedArgs),
    /// Pass when the resource policy POLICY grants no public access: no
    /// access for a principal of any account that conditions on the
    /// caller's account, organization, VPC, source IP or similar do not
    /// limit (Access Analyzer's CheckNoPublicAccess).
    NoPublicAccess(NoPublicAccessArgs),
}

/// The options every check takes.
#[derive(Debug, Args)]
struct CommonArgs {
    /// Output format.
    #[arg(long, value_parser = OutputFormat::parser(OutputFormat::HUMAN_JSON), default_value = "human")]
    format: OutputFormat,
    #[command(flatten)]
    search: SearchArgs,
}

#[derive(Debug, Args)]
struct NoNewAccessArgs {
    /// The reference policy: what is already allowed (`-` for stdin).
    #[arg(long, value_name = "OLD")]
    reference: String,
    /// The policy to check (`-` for stdin).
    #[arg(value_name = "NEW")]
    policy: String,
    /// In a CloudFormation template or Terraform plan: the policy to read,
    /// by resource name (`AppRole`, `AppRole/Policies/read`); `FILE#NAME`
    /// names one per file.
    #[arg(long, value_name = "NAME")]
    resource: Option<String>,
    /// How to read standalone policy files (default: inferred, as `lint`
    /// does; a policy of a template or plan keeps the type its resource
    /// states). SCPs, RCPs and endpoint policies are compared as filters
    /// stacked on an allow-all.
    #[arg(long, value_parser = policy_type_parser())]
    policy_type: Option<PolicyType>,
    #[command(flatten)]
    common: CommonArgs,
}

#[derive(Debug, Args)]
struct AccessNotGrantedArgs {
    /// An action or action pattern (`s3:Get*`) that must not be allowed;
    /// repeat for several.
    #[arg(long = "action", value_name = "ACTION", required = true)]
    actions: Vec<String>,
    /// Only requests on this resource (ARN or pattern) count; repeat for
    /// several (default: any resource).
    #[arg(long = "resource", value_name = "ARN")]
    resources: Vec<String>,
    /// The policy to check (`-` for stdin; `FILE#NAME` for one policy of
    /// a CloudFormation template or Terraform plan).
    #[arg(value_name = "POLICY")]
    policy: String,
    /// How to read a standalone policy file (default: inferred, as `lint`
    /// does: a `Principal` makes a resource or trust policy; a policy of a
    /// template or plan keeps the type its resource states).
    #[arg(long, value_parser = policy_type_parser())]
    policy_type: Option<PolicyType>,
    #[command(flatten)]
    common: CommonArgs,
}

#[derive(Debug, Args)]
struct NoPublicAccessArgs {
    /// The type of the resource the policy is attached to, as Access
    /// Analyzer names it (`AWS::S3::Bucket`, `AWS::KMS::Key`, ...; any case).
    #[arg(long, value_name = "TYPE")]
    resource_type: String,
    /// The resource policy to check (`-` for stdin).
    #[arg(value_name = "POLICY")]
    policy: String,
    /// In a CloudFormation template or Terraform plan: the policy to read,
    /// by resource name (`BucketPolicy`, `aws_s3_bucket_policy.b`).
    #[arg(long, value_name = "NAME")]
    resource: Option<String>,
    #[command(flatten)]
    common: CommonArgs,
}

pub(crate) fn run(args: &CheckArgs, reporter: &Reporter) -> u8 {
    match &args.check {
        Check::NoNewAccess(a) => no_new_access(a, reporter),
        Check::AccessNotGranted(a) => access_not_granted(a, reporter),
        Check::NoPublicAccess(a) => no_public_access(a, reporter),
    }
}

fn no_new_access(a: &NoNewAccessArgs, reporter: &Reporter) -> u8 {
    let Some((old, new, role)) = load_pair(
        &a.reference,
        &a.policy,
        a.resource.as_deref(),
        a.policy_type,
        reporter,
    ) else {
        return exit::INPUT_ERROR;
    };
    let options = a.common.search.options(role);
    let verdict = warden::check::no_new_access(&old, &new, &options);
    let (new_name, old_name) = (&a.policy, &a.reference);
    let outcome = Outcome {
        check: "no-new-access",
        pass: format!("`{new_name}` allows no request that `{old_name}` does not"),
        fail: format!("`{new_name}` allows a request that `{old_name}` does not"),
        reading: warden::filter::reading(role),
    };
    outcome.conclude(verdict, a.common.format, reporter)
}

fn access_not_granted(a: &AccessNotGrantedArgs, reporter: &Reporter) -> u8 {
    let Some((policy, stated)) = load_policy(&a.policy, None, reporter) else {
        return exit::INPUT_ERROR;
    };
    let role = warden::policy_types::for_policy(&policy, stated, a.policy_type);
    let options = a.common.search.options(role);
    let verdict = warden::check::access_not_granted(&policy, &a.actions, &a.resources, &options);
    let mut what = match a.actions.as_slice() {
        [one] => one.clone(),
        many => format!("any of {}", many.join(", ")),
    };
    if !a.resources.is_empty() {
        what = format!("{what} on {}", a.resources.join(", "));
    }
    let name = &a.policy;
    let outcome = Outcome {
        check: "access-not-granted",
        pass: format!("`{name}` does not allow {what}"),
        fail: format!("`{name}` allows {what}"),
        reading: None,
    };
    outcome.conclude(verdict, a.common.format, reporter)
}

fn no_public_access(a: &NoPublicAccessArgs, reporter: &Reporter) -> u8 {
    let resource_type = match warden::check::public_resource_type(&a.resource_type) {
        Ok(t) => t,
        Err(e) => {
            reporter.usage_error(&e);
            return exit::INPUT_ERROR;
        }
    };
    let Some((policy, _)) = load_policy(&a.policy, a.resource.as_deref(), reporter) else {
        return exit::INPUT_ERROR;
    };
    let options = a.common.search.options(PolicyType::Resource);
    let verdict = warden::check::no_public_access(&policy, resource_type, &options);
    let name = &a.policy;
    let outcome = Outcome {
        check: "no-public-access",
        pass: format!("`{name}` grants no public access to the {resource_type}"),
        fail: format!("`{name}` grants public access to the {resource_type}"),
        reading: None,
    };
    outcome.conclude(verdict, a.common.format, reporter)
}

/// A check's name and what it says on pass and on fail.
struct Outcome {
    check: &'static str,
    pass: String,
    fail: String,
    /// How the policies were read, when not plainly (filters).
    reading: Option<&'static str>,
}

#[derive(Serialize)]
struct JsonOutcome<'a> {
    check: &'a str,
    result: &'a str,
    message: &'a str,
    witness: Option<&'a WitnessRequest>,
    #[serde(skip_serializing_if = "Option::is_none")]
    granted_by: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reading: Option<&'a str>,
}

impl Outcome {
    /// Prints the result of a check that ran, or reports why it could not
    /// run; returns the exit code.
    fn conclude(
        &self,
        verdict: Result<Verdict, impl std::fmt::Display>,
        format: OutputFormat,
        reporter: &Reporter,
    ) -> u8 {
        match verdict {
            Ok(v) => self.finish(&v, format),
            Err(e) => {
                reporter.usage_error(&e.to_string());
                exit::INPUT_ERROR
            }
        }
    }

    /// Prints the result and returns the exit code.
    fn finish(&self, verdict: &Verdict, format: OutputFormat) -> u8 {
        // The reason is rendered here, where it is printed.
        let reason = verdict.reason().map(ToString::to_string);
        let (result, message, code) = match verdict {
            Verdict::No => ("PASS", self.pass.as_str(), exit::OK),
            Verdict::Yes(_) => ("FAIL", self.fail.as_str(), exit::CHECK_FAILED),
            Verdict::Unknown(_) => (
                "UNKNOWN",
                reason.as_deref().unwrap_or_default(),
                exit::INPUT_ERROR,
            ),
        };
        let text = match format {
            // `--format` accepts only human and json here.
            OutputFormat::Human | OutputFormat::Sarif | OutputFormat::Github => {
                let mut s = format!("{result}: {message}\n");
                if let Some(reading) = self.reading {
                    let _ = writeln!(s, "note: {reading}");
                }
                if let Some(w) = verdict.witness() {
                    let _ = writeln!(
                        s,
                        "for example, this request (allowed by statement {}):",
                        w.granted_by
                    );
                    s.push_str(&request_block(&w.request, "  "));
                }
                s
            }
            OutputFormat::Json => {
                let json = JsonOutcome {
                    check: self.check,
                    result,
                    message,
                    witness: verdict.witness().map(|w| &w.request),
                    granted_by: verdict.witness().map(|w| w.granted_by),
                    reason: reason.as_deref(),
                    reading: self.reading,
                };
                let mut s = serde_json::to_string_pretty(&json).unwrap_or_default();
                s.push('\n');
                s
            }
        };
        if std::io::stdout().lock().write_all(text.as_bytes()).is_err() {
            return exit::INPUT_ERROR;
        }
        code
    }
}
