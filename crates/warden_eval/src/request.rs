//! A request to decide: who, what action, on which resource, in what context.

use warden_ir::action::ActionName;
use warden_policy::arn::Arn;

use crate::context::{ContextValue, RequestContext};
use crate::principal::{Caller, CallerKind};

/// The keys AWS sets from the principal when the context does not give
/// them: `aws:PrincipalArn`, `aws:PrincipalAccount`, and `aws:username` for
/// an IAM user.
fn add_caller_keys(caller: &Caller, context: &mut RequestContext) {
    if caller.account.is_some() || caller.kind != CallerKind::Other {
        context.insert_default_static(
            "aws:principalarn",
            ContextValue::Single(caller.principal_arn().to_string()),
        );
    }
    if let Some(account) = &caller.account {
        context.insert_default_static(
            "aws:principalaccount",
            ContextValue::Single(account.clone()),
        );
    }
    if let CallerKind::User { name } = &caller.kind {
        context.insert_default_static("aws:username", ContextValue::Single(name.clone()));
    }
}

/// One authorization request.
#[derive(Clone, Debug)]
pub struct Request {
    /// The principal making the request.
    pub caller: Caller,
    /// The action, `service:Name` (any case); read it with [`Request::action`].
    pub(crate) action: String,
    /// The action lowered and split once, for matching.
    pub(crate) action_name: ActionName<'static>,
    /// The resource ARN (or `*` for actions without resources).
    pub resource: String,
    /// The account that owns the resource, when known.
    pub resource_account: Option<String>,
    /// Condition keys.
    pub context: RequestContext,
    /// The principal is a service-linked role: SCPs and RCPs do not apply
    /// ("Service-linked roles are not affected by SCPs").
    pub service_linked_role: bool,
}

impl Request {
    /// A request with `context`, completed with the keys AWS always sets
    /// from the principal when the context does not give them:
    /// `aws:PrincipalArn`, `aws:PrincipalAccount` and, for IAM users,
    /// `aws:username`.
    pub fn new(principal: &str, action: &str, resource: &str, context: RequestContext) -> Request {
        Request::with_caller(Caller::parse(principal), action, resource, context)
    }

    /// As [`Request::new`], with an already parsed caller (batches reuse them).
    pub fn with_caller(
        caller: Caller,
        action: &str,
        resource: &str,
        mut context: RequestContext,
    ) -> Request {
        add_caller_keys(&caller, &mut context);
        Request {
            caller,
            action: action.to_string(),
            action_name: ActionName::new(action).into_owned(),
            resource: resource.to_string(),
            resource_account: None,
            context,
            service_linked_role: false,
        }
    }

    /// Makes this request the one [`Request::with_caller`] builds from a
    /// clone of `caller`, reusing this one's strings: batches decide one
    /// request after another, mostly for the same callers.
    pub fn reset(
        &mut self,
        caller: &Caller,
        action: &str,
        resource: &str,
        mut context: RequestContext,
    ) {
        add_caller_keys(caller, &mut context);
        let c = &mut self.caller;
        c.arn.clone_from(&caller.arn);
        c.account.clone_from(&caller.account);
        c.partition.clone_from(&caller.partition);
        match (&mut c.kind, &caller.kind) {
            (CallerKind::User { name }, CallerKind::User { name: from }) => name.clone_from(from),
            (kind, from) => kind.clone_from(from),
        }
        c.role_arn.clone_from(&caller.role_arn);
        self.action.clear();
        self.action.push_str(action);
        self.action_name = ActionName::new(action).into_owned();
        self.resource.clear();
        self.resource.push_str(resource);
        self.resource_account = None;
        self.context = context;
        self.service_linked_role = false;
    }

    /// The action as given.
    pub fn action(&self) -> &str {
        &self.action
    }

    /// The account owning the resource: as given, else the account in the
    /// resource ARN, else the principal's account.
    pub fn resource_account(&self) -> Option<&str> {
        if let Some(a) = &self.resource_account {
            return Some(a);
        }
        let from_arn = self
            .resource
            .strip_prefix("arn:")
            .and_then(|r| r.split(':').nth(3))
            .filter(|a| !a.is_empty());
        from_arn.or(self.caller.account.as_deref())
    }

    /// The service prefix of the action, lowercased comparison left to callers.
    pub fn service(&self) -> &str {
        self.action
            .split_once(':')
            .map_or(self.action.as_str(), |(s, _)| s)
    }

    /// Whether the resource string is an ARN.
    pub fn resource_is_arn(&self) -> bool {
        Arn::parse(&self.resource).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reset_request_is_the_one_built_afresh() {
        let context = |k: &str| {
            let mut c = RequestContext::new();
            c.insert(k, ContextValue::Single("v".into()));
            c
        };
        let principals = [
            "arn:aws:iam::111122223333:user/path/alice",
            "arn:aws:sts::444455556666:assumed-role/app/session",
            "arn:aws:iam::111122223333:user/bob",
            "lambda.amazonaws.com",
            "arn:aws-cn:iam::111122223333:root",
            "arn:aws:iam::111122223333:role/r",
        ];
        let mut reused = Request::new("x", "s3:GetObject", "*", RequestContext::new());
        reused.resource_account = Some("999988887777".into());
        reused.service_linked_role = true;
        for (i, p) in principals.iter().enumerate() {
            let action = if i % 2 == 0 {
                "S3:PutObject"
            } else {
                "ec2:runinstances"
            };
            let resource = format!("arn:aws:s3:::bucket-{i}/key");
            let key = if i % 3 == 0 {
                "aws:PrincipalArn"
            } else {
                "aws:SourceIp"
            };
            let fresh = Request::new(p, action, &resource, context(key));
            reused.reset(&Caller::parse(p), action, &resource, context(key));
            assert_eq!(format!("{reused:?}"), format!("{fresh:?}"), "{p}");
        }
    }
}
