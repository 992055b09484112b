//! The checks of IAM Access Analyzer's custom policy checks, as questions
//! to the prover: "is any of these actions granted?" and "is this resource
//! policy public?".

use warden_eval::Caller;
use warden_policy::Policy;
use warden_policy::ast::{Effect, Statement};
use warden_policy::build::{self, StatementBuilder};

use crate::bits::Bits;
use crate::budget::Budget;
use crate::driver::{Direction, Found, Scope, confirm, search};
use crate::encode;
use crate::patterns::fresh_account;
use crate::problem::{Atom, DimKind, Pred, Problem};
use crate::replay::Replay;
use crate::slice::DimCache;
use crate::unknown::Unknown;
use crate::verdict::{DiffOptions, PolicyStack, PolicyType, Verdict};

/// The resource types `public_access` knows, as IAM Access Analyzer names
/// them, with the service prefixes whose actions apply to each.
pub const PUBLIC_RESOURCE_TYPES: &[(&str, &[&str])] = &[
    ("AWS::S3::Bucket", &["s3"]),
    ("AWS::S3::AccessPoint", &["s3"]),
    ("AWS::S3::Glacier", &["glacier"]),
    ("AWS::S3Express::DirectoryBucket", &["s3express"]),
    ("AWS::S3Outposts::Bucket", &["s3-outposts"]),
    ("AWS::S3Outposts::AccessPoint", &["s3-outposts"]),
    ("AWS::S3Tables::TableBucket", &["s3tables"]),
    ("AWS::S3Tables::Table", &["s3tables"]),
    ("AWS::KMS::Key", &["kms"]),
    ("AWS::SQS::Queue", &["sqs"]),
    ("AWS::SNS::Topic", &["sns"]),
    ("AWS::Lambda::Function", &["lambda"]),
    ("AWS::Lambda::LayerVersion", &["lambda"]),
    ("AWS::SecretsManager::Secret", &["secretsmanager"]),
    ("AWS::IAM::AssumeRolePolicyDocument", &["sts"]),
    ("AWS::DynamoDB::Table", &["dynamodb"]),
    ("AWS::DynamoDB::Stream", &["dynamodb"]),
    ("AWS::EFS::FileSystem", &["elasticfilesystem"]),
    ("AWS::OpenSearchService::Domain", &["es"]),
    ("AWS::Kinesis::Stream", &["kinesis"]),
    ("AWS::Kinesis::StreamConsumer", &["kinesis"]),
    ("AWS::ECR::Repository", &["ecr"]),
    ("AWS::ApiGateway::RestApi", &["execute-api"]),
    ("AWS::CodeArtifact::Domain", &["codeartifact"]),
    ("AWS::Backup::BackupVault", &["backup"]),
    ("AWS::CloudTrail::Dashboard", &["cloudtrail"]),
    ("AWS::CloudTrail::EventDataStore", &["cloudtrail"]),
];

/// Condition keys whose value an outsider does not choose: they say who
/// the caller is or where the call comes from ("IAM Access Analyzer
/// policy checks": a statement limited by them is not public). An outsider
/// has each absent or at a value of their own, which no policy names.
const LIMITING_KEYS: &[(&str, &str)] = &[
    ("aws:PrincipalAccount", "{account}"),
    (
        "aws:PrincipalArn",
        "arn:aws:iam::{account}:user/example-user",
    ),
    ("aws:PrincipalOrgID", "o-exampleorg99"),
    (
        "aws:PrincipalOrgPaths",
        "o-exampleorg99/r-ex99/ou-ex99-exampl99/",
    ),
    ("aws:PrincipalServiceName", "example.amazonaws.com"),
    ("aws:SourceAccount", "{account}"),
    (
        "aws:SourceArn",
        "arn:aws:example:us-east-1:{account}:example/outsider",
    ),
    ("aws:SourceOwner", "{account}"),
    ("aws:SourceOrgID", "o-exampleorg99"),
    (
        "aws:SourceOrgPaths",
        "o-exampleorg99/r-ex99/ou-ex99-exampl99/",
    ),
    ("aws:SourceVpc", "vpc-0outsider0example"),
    ("aws:SourceVpce", "vpce-0outsider0example"),
    (
        "aws:SourceVpcArn",
        "arn:aws:ec2:us-east-1:{account}:vpc/vpc-0outsider0example",
    ),
    ("aws:SourceIp", "198.51.100.173"),
    ("aws:VpcSourceIp", "198.51.100.173"),
    ("aws:userid", "AIDAOUTSIDEREXAMPLE99"),
    ("aws:username", "outsider-example"),
    ("kms:CallerAccount", "{account}"),
    ("lambda:FunctionUrlAuthType", "AWS_IAM"),
    ("s3:DataAccessPointAccount", "{account}"),
    (
        "s3:DataAccessPointArn",
        "arn:aws:s3:us-east-1:{account}:accesspoint/outsider",
    ),
    ("sns:Endpoint", "outsider@example.com"),
    (
        "sqs:SourceArn",
        "arn:aws:example:us-east-1:{account}:example/outsider",
    ),
];

/// `policy` with `extra` statements appended.
fn with_statements(policy: &Policy, extra: Vec<Statement>) -> Policy {
    let mut out = policy.clone();
    match &mut out.statement {
        Some(block) => block.statements.extend(extra),
        None => out.statement = build::policy(extra).statement,
    }
    out
}

/// `access-not-granted`: see [`crate::access_granted`].
pub(crate) fn access_granted(
    policy: &Policy,
    actions: &[String],
    resources: &[String],
    options: &DiffOptions,
) -> Verdict {
    if actions.is_empty() && resources.is_empty() {
        return Verdict::Unknown(Unknown::NothingAsked);
    }
    // The policy, limited to the actions and resources asked about by
    // Deny statements, then "does it allow anything?".
    let deny = || {
        let s = StatementBuilder::new(Effect::Deny);
        if options.role.is_resource_based() {
            s.any_principal()
        } else {
            s
        }
    };
    let mut denies = Vec::new();
    if !actions.is_empty() {
        denies.push(deny().not_actions(actions).all_resources().build());
    }
    if !resources.is_empty() {
        denies.push(deny().all_actions().not_resources(resources).build());
    }
    let limited = with_statements(policy, denies);
    let empty = build::policy(Vec::new());
    crate::api::compare(&empty, &limited, options).new_access
}

/// `no-public-access`: see [`crate::public_access`].
pub(crate) fn public_access(
    policy: &Policy,
    resource_type: &str,
    options: &DiffOptions,
    budget: &Budget,
) -> Result<Verdict, String> {
    let Some((_, services)) = PUBLIC_RESOURCE_TYPES
        .iter()
        .find(|(t, _)| t.eq_ignore_ascii_case(resource_type))
    else {
        let known: Vec<&str> = PUBLIC_RESOURCE_TYPES.iter().map(|(t, _)| *t).collect();
        return Err(format!(
            "unknown resource type `{resource_type}`; known types: {}",
            known.join(", ")
        ));
    };
    Ok(public_for_services(policy, services, options, budget))
}

/// `public-grant`: see [`crate::public_grant`].
pub(crate) fn public_grant(policy: &Policy, options: &DiffOptions, budget: &Budget) -> Verdict {
    let services: &[&str] = if options.role == PolicyType::Trust {
        &["sts"]
    } else {
        &[]
    };
    public_for_services(policy, services, options, budget)
}

/// Whether `policy` grants an outsider any action of `services` (any
/// action when empty).
fn public_for_services(
    policy: &Policy,
    services: &[&str],
    options: &DiffOptions,
    budget: &Budget,
) -> Verdict {
    let limited = if services.is_empty() {
        policy.clone()
    } else {
        let other_services = StatementBuilder::new(Effect::Deny)
            .any_principal()
            .not_actions(services.iter().map(|s| format!("{s}:*")))
            .all_resources()
            .build();
        with_statements(policy, vec![other_services])
    };
    let empty = build::policy(Vec::new());
    let role = PolicyType::Resource;
    let (account, extras) = outsider(policy);
    let (empty_stack, limited_stack) = (PolicyStack::single(&empty), PolicyStack::single(&limited));
    let sym = match encode::build(
        &empty_stack,
        &limited_stack,
        role,
        options.known_actions,
        None,
        &extras,
        None,
        budget,
    ) {
        Ok(s) => s,
        Err(reason) => return Verdict::Unknown(reason),
    };
    if sym.has_variables {
        return Verdict::Unknown(Unknown::PublicAccessVariables);
    }
    let mut cache = DimCache::default();
    // The caller: a user of the outsider's account, or of any account
    // that no principal and no condition on the caller (`aws:Principal*`)
    // names: all such users fall in one principal cell, whichever account
    // the cell's representative has (an account named only in, say,
    // `aws:SourceAccount` says nothing about who the caller is).
    let principal_named = caller_accounts(policy);
    let is_outsider = |a: &str| a == account || !principal_named.iter().any(|n| n == a);
    let pin = |problem: &mut Problem<'_>| pin_outsider(problem, &is_outsider, &extras);
    let scope = Scope {
        adjust: Some(&pin),
        ..Scope::default()
    };
    let found = search(
        &sym,
        &sym.slices(),
        &scope,
        &mut cache,
        Direction::Added,
        budget,
    );
    match found {
        Err(reason) => Verdict::Unknown(reason),
        Ok(None) => Verdict::No,
        Ok(Some(Found::Witness(w))) => {
            let replay = Replay::new(&empty_stack, &limited_stack, role);
            confirm(w, &replay, Direction::Added)
        }
        Ok(Some(Found::Approximate(_))) => Verdict::Unknown(Unknown::PublicAccessVariables),
    }
}

/// The outsider of "public": a user of an account the policy names
/// nowhere (in a principal or in any condition value, so a condition
/// pinning the caller to accounts `444455556666` does not admit an outsider
/// of that account), with each limiting key at a value of its own that no
/// condition names: a source IP in none of the policy's address ranges
/// (except the `/0` ranges, which limit nothing), a VPC, endpoint or
/// organization no condition names. "Fixed" values limit, in S3's words
/// ("The meaning of public": a fixed `aws:SourceVpce`, `aws:SourceAccount`
/// ..., or access limited to a set of CIDRs with `aws:SourceIp`); a
/// wildcard pattern that the outsider's value matches does not.
fn outsider(policy: &Policy) -> (&'static str, Vec<(String, String)>) {
    let values = policy_values(policy);
    let named: Vec<String> = policy_accounts(policy);
    let account = fresh_account(|a| {
        named.iter().any(|n| n == a) || values.iter().any(|(_, v)| v.contains(a))
    });
    let extras = LIMITING_KEYS
        .iter()
        .map(|(k, v)| {
            let key_values = || {
                values
                    .iter()
                    .filter(|(key, _)| key.eq_ignore_ascii_case(k))
                    .map(|(_, v)| v.as_str())
            };
            let value = if IP_KEYS.iter().any(|ip| ip.eq_ignore_ascii_case(k)) {
                outsider_ip(key_values())
            } else {
                let own = v.replace("{account}", account);
                // An outsider's own value: the documented one unless a
                // condition names it exactly.
                let taken = |c: &str| key_values().any(|n| n.eq_ignore_ascii_case(c));
                if taken(&own) {
                    (2..)
                        .map(|i| format!("{own}{i}"))
                        .find(|c| !taken(c))
                        .unwrap_or(own)
                } else {
                    own
                }
            };
            (k.to_string(), value)
        })
        .collect();
    (account, extras)
}

/// Keys holding the caller's IP address.
const IP_KEYS: &[&str] = &["aws:SourceIp", "aws:VpcSourceIp"];

/// An address in none of the `ranges` named on an IP key (`/0` ranges
/// aside: they admit everyone).
fn outsider_ip<'v>(ranges: impl Iterator<Item = &'v str> + Clone) -> String {
    const CANDIDATES: &[&str] = &[
        "198.51.100.173",
        "203.0.113.77",
        "192.0.2.44",
        "100.64.17.3",
        "2001:db8:77::1",
        "2001:db8:1234::9",
    ];
    let limits = |ip: &str| {
        let Some(addr) = warden_ir::value::parse_ip(ip) else {
            return false;
        };
        ranges.clone().any(|r| {
            warden_ir::value::IpRange::parse(r).is_some_and(|r| r.prefix() > 0 && r.contains(addr))
        })
    };
    CANDIDATES
        .iter()
        .find(|c| !limits(c))
        .or(CANDIDATES.first())
        .map_or_else(String::new, |c| c.to_string())
}

/// Accounts that say who the caller is: named by a principal, or in a
/// condition on an `aws:Principal*` key (which AWS sets from the caller).
fn caller_accounts(policy: &Policy) -> Vec<String> {
    let mut out = policy_accounts(policy);
    for (key, value) in policy_values(policy) {
        if key.to_ascii_lowercase().starts_with("aws:principal") {
            out.extend(
                value
                    .split(|c: char| !c.is_ascii_digit())
                    .filter(|d| d.len() == 12)
                    .map(str::to_string),
            );
        }
    }
    out
}

/// Every condition value of the policy, with its key.
fn policy_values(policy: &Policy) -> Vec<(String, String)> {
    policy
        .statements()
        .iter()
        .flat_map(|s| s.condition.iter().flat_map(|c| &c.operators))
        .flat_map(|op| &op.entries)
        .flat_map(|e| {
            e.values
                .iter()
                .map(|v| (e.key.value.clone(), v.raw.clone()))
        })
        .collect()
}

/// Pins the principal to the outsider and each limiting key to absent or
/// the outsider's own value.
fn pin_outsider(
    problem: &mut Problem<'_>,
    is_outsider: &dyn Fn(&str) -> bool,
    extras: &[(String, String)],
) {
    let mut givens: Vec<Atom> = Vec::new();
    for (i, dim) in problem.dims.iter().enumerate() {
        let n = problem.cells(i);
        match &dim.kind {
            DimKind::Principal => {
                let mut b = Bits::empty(n);
                if let Some(c) = dim.reps.iter().position(|r| {
                    Caller::parse(r).account.as_deref().is_some_and(is_outsider)
                        && r.contains(":user/")
                }) {
                    b.insert(c);
                }
                givens.push(Atom {
                    dim: i,
                    pred: Pred::Bits(b),
                });
            }
            DimKind::Key { name, set } => {
                let Some((_, value)) = extras.iter().find(|(k, _)| k.eq_ignore_ascii_case(name))
                else {
                    continue;
                };
                let mut b = Bits::empty(n);
                if let Some(c) = dim.reps.iter().position(|r| r == value) {
                    b.insert(c);
                }
                if *set {
                    givens.push(Atom {
                        dim: i,
                        pred: Pred::Set {
                            absent: true,
                            all: true,
                            pred: b,
                        },
                    });
                } else {
                    b.insert(0);
                    givens.push(Atom {
                        dim: i,
                        pred: Pred::Bits(b),
                    });
                }
            }
            _ => {}
        }
    }
    problem.givens.extend(givens);
}

/// Account ids the policy's principals name.
fn policy_accounts(policy: &Policy) -> Vec<String> {
    let mut out = Vec::new();
    for s in policy.statements() {
        let Some(p) = &s.principal else { continue };
        if let warden_policy::ast::PrincipalValue::Map(entries) = &p.value {
            for e in entries {
                for v in &e.values {
                    if let Some(a) = Caller::parse(&v.value).account {
                        out.push(a);
                    } else if v.value.len() == 12 && v.value.bytes().all(|b| b.is_ascii_digit()) {
                        out.push(v.value.clone());
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod limiting_keys_tests {
    use super::LIMITING_KEYS;

    /// One source of truth for global keys: every `aws:` key the public
    /// check counts as limiting is a global key of the catalog (which the
    /// linter's unknown-key rule reads), so the two cannot disagree about
    /// whether a key such as `aws:SourceOwner` exists.
    #[test]
    fn limiting_global_keys_are_catalog_global_keys() {
        let catalog = warden_catalog::Catalog::get();
        for (key, _) in LIMITING_KEYS {
            if key.starts_with("aws:") {
                assert!(
                    catalog.global_condition_key(key).is_some(),
                    "{key} is not in crates/warden_catalog/data/global-condition-keys.tsv"
                );
            }
        }
    }
}
