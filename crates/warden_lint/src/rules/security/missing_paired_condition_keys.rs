//! S204 `missing-paired-condition-keys`: a network condition key that only
//! means something together with another one.

use warden_diagnostics::Severity;

use super::common::tests_any_key;
use crate::{Category, LintContext, Rule, RuleMeta, Sink, StatementView};

/// See [`META`].
pub struct MissingPairedConditionKeys;

/// A key, and the keys one of which must accompany it.
const PAIRS: &[(&str, &[&str])] = &[
    (
        "aws:VpcSourceIp",
        &["aws:SourceVpc", "aws:SourceVpce", "aws:SourceVpcArn"],
    ),
    (
        "aws:Ec2InstanceSourcePrivateIPv4",
        &["aws:Ec2InstanceSourceVpc"],
    ),
];

static META: RuleMeta = RuleMeta {
    code: "S204",
    name: "missing-paired-condition-keys",
    category: Category::Security,
    default_severity: Severity::Security,
    since: "0.1.0",
    summary: "A private-address condition key is used without the key that names its network.",
    what_it_does: "Finds `Allow` statements that test `aws:VpcSourceIp` without also testing \
        `aws:SourceVpc`, `aws:SourceVpce` or `aws:SourceVpcArn`, and statements that test \
        `aws:Ec2InstanceSourcePrivateIPv4` without `aws:Ec2InstanceSourceVpc`.",
    why_bad: "Private IPv4 ranges are reused across VPCs and accounts. A condition on a private \
        address alone matches the same address in any VPC that reaches the service, including \
        VPCs that belong to someone else.",
    example: r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/*",
 "Condition": {"IpAddress": {"aws:VpcSourceIp": "10.0.0.0/16"}}}"#,
    use_instead: r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/*",
 "Condition": {"IpAddress": {"aws:VpcSourceIp": "10.0.0.0/16"},
               "StringEquals": {"aws:SourceVpc": "vpc-1a2b3c4d"}}}"#,
    access_analyzer: &["MISSING_PAIRED_CONDITION_KEYS"],
};

impl Rule for MissingPairedConditionKeys {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_statement(&self, _cx: &LintContext<'_>, st: &StatementView<'_>, sink: &mut Sink) {
        if !st.is_allow() {
            return;
        }
        for (_, entry) in st.conditions() {
            let Some((_, partners)) = PAIRS
                .iter()
                .find(|(k, _)| entry.key.value.eq_ignore_ascii_case(k))
            else {
                continue;
            };
            if tests_any_key(st.statement, partners) {
                continue;
            }
            let wanted = partners
                .iter()
                .map(|p| format!("`{p}`"))
                .collect::<Vec<_>>()
                .join(" or ");
            let d = sink
                .finding(
                    entry.key.span,
                    format!(
                        "`{}` is tested without {wanted}, so the same address in any network matches",
                        entry.key.value
                    ),
                    "needs a paired key",
                )
                .with_help(format!("add a condition on {wanted}"));
            sink.push(d);
        }
    }
}
