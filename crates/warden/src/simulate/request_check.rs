//! Whether a request to simulate is one AWS could send.
//!
//! A request names one caller, one action and one resource; policies hold
//! the patterns. The evaluator decides whatever it is given, so without
//! these checks `--principal alice` or `--action s3:Get*` are decided
//! silently (and may even be allowed). What AWS could never send is an
//! error; a well-formed action the catalog does not know is a warning, since
//! the catalog lags behind AWS by days.
//!
//! References: "IAM JSON policy elements: Action" (an action is
//! `service-prefix:action-name`), "Identify AWS resources with Amazon
//! Resource Names (ARNs)" (`arn:partition:service:region:account-id:resource`),
//! "AWS global condition context keys" (`aws:PrincipalArn`: the ARN of the
//! IAM user, role, role session, federated user or root user that makes the
//! request).

use std::fmt;

use warden_catalog::Catalog;
use warden_eval::{Caller, CallerKind};
use warden_policy::arn::ArnError;

/// How bad a [`RequestProblem`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProblemLevel {
    /// AWS could never send this request: it is not decided.
    Error,
    /// The request is decided, but something in it is unknown to the catalog.
    Warning,
}

/// Something wrong with a request's principal, action or resource.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestProblem {
    /// Error or warning.
    pub level: ProblemLevel,
    /// What is wrong, one line.
    pub message: String,
    /// What to do instead ("did you mean ..."), when known.
    pub help: Option<String>,
}

impl RequestProblem {
    fn error(message: String, help: Option<String>) -> RequestProblem {
        RequestProblem {
            level: ProblemLevel::Error,
            message,
            help,
        }
    }

    fn warning(message: String, help: Option<String>) -> RequestProblem {
        RequestProblem {
            level: ProblemLevel::Warning,
            message,
            help,
        }
    }

    /// Whether the request must not be decided.
    pub fn is_error(&self) -> bool {
        self.level == ProblemLevel::Error
    }
}

/// The message, then the help after `; `: the one-line form of batch output.
impl fmt::Display for RequestProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(help) = &self.help {
            write!(f, "; {help}")?;
        }
        Ok(())
    }
}

/// Every problem of a request's principal, action and resource, errors
/// first.
pub fn check_request(principal: &str, action: &str, resource: &str) -> Vec<RequestProblem> {
    let mut problems: Vec<RequestProblem> = [
        check_principal(principal).err(),
        check_action(action),
        check_resource(resource, action).err(),
    ]
    .into_iter()
    .flatten()
    .collect();
    problems.sort_by_key(|p| !p.is_error());
    problems
}

/// The caller, when `principal` is one that can make a request: the ARN of
/// an IAM user, a role, a role session, a federated user or an account root
/// user (in an account of twelve digits), or a service principal.
pub fn check_principal(principal: &str) -> Result<Caller, RequestProblem> {
    let caller = Caller::parse(principal);
    let account_ok = caller
        .account
        .as_deref()
        .is_some_and(|a| a.len() == 12 && a.bytes().all(|b| b.is_ascii_digit()));
    let known_kind = !matches!(caller.kind, CallerKind::Other | CallerKind::Service);
    if caller.kind == CallerKind::Service || (known_kind && account_ok) {
        return Ok(caller);
    }
    let expected = "a request's principal is the ARN of an IAM user, role, role session, \
                    federated user or account root user, or a service principal";
    let message = if known_kind {
        format!("`{principal}` has no 12-digit account id: {expected}")
    } else {
        format!("`{principal}` is not a principal that can make a request: {expected}")
    };
    let bare_name = !principal.is_empty()
        && principal
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+=,.@_-".contains(&b));
    let help = if bare_name {
        format!("for an IAM user, give its ARN: `arn:aws:iam::111122223333:user/{principal}`")
    } else {
        "such as `arn:aws:iam::111122223333:user/alice` or \
         `arn:aws:sts::111122223333:assumed-role/app/session`"
            .to_string()
    };
    Err(RequestProblem::error(message, Some(help)))
}

/// The problem with `action`, if any: an error when it is not one
/// `service:Action` name (a missing prefix, a wildcard, a stray character),
/// a warning when the catalog does not know it.
pub fn check_action(action: &str) -> Option<RequestProblem> {
    let catalog = Catalog::get();
    if action.contains(['*', '?']) {
        return Some(RequestProblem::error(
            format!("`{action}` is a pattern: a request names one action, without wildcards"),
            Some(format!(
                "`warden actions {action}` lists the actions the pattern matches"
            )),
        ));
    }
    let Some((prefix, name)) = action.split_once(':') else {
        return Some(RequestProblem::error(
            format!("`{action}` has no service prefix: a request's action is `service:Action`"),
            did_you_mean(catalog.suggest(action).iter().map(ToString::to_string)),
        ));
    };
    let well_formed = |s: &str, extra: &[u8]| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || extra.contains(&b))
    };
    if !well_formed(prefix, b"-") || !well_formed(name, b"-_.") {
        return Some(RequestProblem::error(
            format!(
                "`{action}` is not an action name: a request's action is `service:Action`, \
                 letters, digits and `-`"
            ),
            did_you_mean(catalog.suggest(action).iter().map(ToString::to_string)),
        ));
    }
    let date = catalog.data_date();
    let Some(service) = catalog.service(prefix) else {
        let suggestions = catalog.suggest(action);
        let help = if suggestions.is_empty() {
            did_you_mean(
                catalog
                    .suggest_service(prefix)
                    .iter()
                    .map(|s| s.prefix().to_string()),
            )
        } else {
            did_you_mean(suggestions.iter().map(ToString::to_string))
        };
        return Some(RequestProblem::warning(
            format!(
                "`{action}`: no service has the prefix `{prefix}` in the catalog (AWS data of {date})"
            ),
            help,
        ));
    };
    if service.action(name).is_some() {
        return None;
    }
    Some(RequestProblem::warning(
        format!(
            "`{action}` is not an action of {} in the catalog (AWS data of {date})",
            service.name()
        ),
        did_you_mean(catalog.suggest(action).iter().map(ToString::to_string)),
    ))
}

/// A warning when the context gives several values for `key` while the
/// catalog says a request carries one (any type but `ArrayOf*`: a resource
/// has one value per tag, a request one source IP). The evaluator still
/// decides it, over the set given, but AWS never sends such a request, so
/// a policy using a set qualifier on the key may look wider or narrower
/// than it is ("Single-valued vs. multivalued context keys", IAM User
/// Guide). Keys the catalog does not know are not judged.
pub fn check_context_key(key: &str, values: usize) -> Option<RequestProblem> {
    if values < 2 || Catalog::get().is_multivalued(key) != Some(false) {
        return None;
    }
    Some(RequestProblem::warning(
        format!(
            "`{key}` holds one value in a request AWS sends (the catalog does not type it \
             `ArrayOf...`), and {values} values are given"
        ),
        Some("give one value per request; to test several, send one request for each".to_string()),
    ))
}

/// Checks that `resource` is `*` (actions without a resource type) or an
/// ARN with a partition, a service and a resource part. The help names
/// the ARN formats of `action`'s resource types, when the catalog knows it.
pub fn check_resource(resource: &str, action: &str) -> Result<(), RequestProblem> {
    if resource == "*" {
        return Ok(());
    }
    let expected = "a request's resource is an ARN `arn:partition:service:region:account-id:resource`, \
                    or `*` for an action without a resource type";
    // Split as `Arn::parse` does, without copying the parts: requests are
    // checked one by one in batches.
    let Some(rest) = resource.strip_prefix("arn:") else {
        let e = ArnError::NoPrefix;
        return Err(RequestProblem::error(
            format!("`{resource}` is not an ARN ({e}): {expected}"),
            resource_formats(action),
        ));
    };
    let mut split = rest.splitn(5, ':');
    let parts = [(); 5].map(|()| split.next());
    match parts {
        [Some(partition), Some(service), _, _, Some(resource_part)]
            if !partition.is_empty() && !service.is_empty() && !resource_part.is_empty() =>
        {
            Ok(())
        }
        [_, _, _, _, Some(_)] => Err(RequestProblem::error(
            format!("`{resource}` has an empty partition, service or resource part: {expected}"),
            resource_formats(action),
        )),
        _ => {
            let e = ArnError::TooFewParts(parts.iter().flatten().count() + 1);
            Err(RequestProblem::error(
                format!("`{resource}` is not an ARN ({e}): {expected}"),
                resource_formats(action),
            ))
        }
    }
}

/// "the resource of `s3:GetObject` is `arn:${Partition}:s3:::...`": the
/// ARN formats of the action's resource types, at most three.
fn resource_formats(action: &str) -> Option<String> {
    let found = Catalog::get().action(action)?;
    let formats: Vec<String> = found
        .resources()
        .flat_map(|r| r.resource_type().arn_formats().collect::<Vec<_>>())
        .map(|f| format!("`{f}`"))
        .take(3)
        .collect();
    if formats.is_empty() {
        return Some(format!(
            "`{found}` has no resource type: its resource is `*`"
        ));
    }
    Some(format!(
        "the resource of `{found}` is {}",
        formats.join(" or ")
    ))
}

/// "did you mean `a`?" or "did you mean `a`, `b` or `c`?"; `None` for no
/// candidates.
fn did_you_mean(candidates: impl Iterator<Item = String>) -> Option<String> {
    let names: Vec<String> = candidates.map(|c| format!("`{c}`")).collect();
    match names.split_last() {
        None => None,
        Some((last, [])) => Some(format!("did you mean {last}?")),
        Some((last, rest)) => Some(format!("did you mean {} or {last}?", rest.join(", "))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn levels(principal: &str, action: &str, resource: &str) -> Vec<(ProblemLevel, String)> {
        check_request(principal, action, resource)
            .into_iter()
            .map(|p| (p.level, p.to_string()))
            .collect()
    }

    const USER: &str = "arn:aws:iam::111122223333:user/alice";

    #[test]
    fn accepts_requests_aws_sends() {
        for principal in [
            USER,
            "arn:aws:sts::111122223333:assumed-role/app/session",
            "arn:aws:iam::111122223333:root",
            "arn:aws:iam::111122223333:role/app",
            "arn:aws-cn:sts::111122223333:federated-user/bob",
            "lambda.amazonaws.com",
        ] {
            assert_eq!(
                levels(principal, "s3:GetObject", "*"),
                vec![],
                "{principal}"
            );
        }
        assert_eq!(
            levels(USER, "S3:getobject", "arn:aws:s3:::bucket/key*with?stars"),
            vec![]
        );
    }

    #[test]
    fn rejects_what_aws_never_sends() {
        let all = [
            (
                "alice",
                "s3:GetObject",
                "*",
                "`alice` is not a principal that can make a request",
            ),
            (
                "arn:aws:iam::1234:user/bob",
                "s3:GetObject",
                "*",
                "has no 12-digit account id",
            ),
            (
                "arn:aws:s3:::bucket",
                "s3:GetObject",
                "*",
                "is not a principal",
            ),
            (USER, "GetObject", "*", "has no service prefix"),
            (USER, "s3:Get*", "*", "is a pattern"),
            (USER, "s3:Get Object", "*", "is not an action name"),
            (
                USER,
                "s3:GetObject",
                "my-bucket",
                "`my-bucket` is not an ARN",
            ),
            (
                USER,
                "s3:GetObject",
                "arn:aws:s3:::",
                "empty partition, service or resource",
            ),
        ];
        for (principal, action, resource, expected) in all {
            let found = levels(principal, action, resource);
            assert!(
                matches!(found.first(), Some((ProblemLevel::Error, m)) if m.contains(expected)),
                "{principal} {action} {resource}: {found:?}"
            );
        }
        let missing_prefix = levels(USER, "GetObject", "*");
        assert!(
            missing_prefix
                .first()
                .is_some_and(|(_, m)| m.contains("did you mean") && m.contains("s3:GetObject`")),
            "{missing_prefix:?}"
        );
        assert!(
            levels("alice", "s3:GetObject", "*")
                .first()
                .is_some_and(|(_, m)| m.contains("`arn:aws:iam::111122223333:user/alice`"))
        );
    }

    #[test]
    fn warns_on_several_values_for_a_single_valued_key() {
        let p = check_context_key("ec2:ResourceTag/aws:cloudformation:stack-id", 2);
        assert!(p.as_ref().is_some_and(|p| !p.is_error()), "{p:?}");
        assert!(check_context_key("ec2:ResourceTag/team", 1).is_none());
        assert!(check_context_key("aws:SourceIp", 2).is_some());
        // Multivalued keys and keys the catalog does not know are not judged.
        assert!(check_context_key("aws:TagKeys", 3).is_none());
        assert!(check_context_key("example:NotAKey", 3).is_none());
    }

    #[test]
    fn warns_on_actions_the_catalog_does_not_know() {
        let typo = levels(USER, "s3:GetObjekt", "*");
        assert_eq!(typo.len(), 1, "{typo:?}");
        let (level, message) = &typo[0];
        assert_eq!(*level, ProblemLevel::Warning);
        assert!(message.starts_with("`s3:GetObjekt` is not an action of Amazon S3 in the catalog"));
        assert!(
            message.ends_with("did you mean `s3:GetObject`?"),
            "{message}"
        );
        let service = levels(USER, "s4:GetObject", "*");
        assert!(
            service
                .first()
                .is_some_and(|(l, m)| *l == ProblemLevel::Warning
                    && m.contains("no service has the prefix `s4`")
                    && m.contains("`s3:GetObject`")),
            "{service:?}"
        );
    }
}
