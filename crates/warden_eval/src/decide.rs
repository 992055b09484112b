//! The decision: AWS's documented policy evaluation logic ("Policy
//! evaluation logic", "Determining whether a request is allowed or denied
//! within an account", "Cross-account policy evaluation logic").
//!
//! 1. `sts:GetCallerIdentity` needs no permission and cannot be denied.
//! 2. An explicit `Deny` in any applicable policy decides.
//! 3. Every SCP level must allow (not for service-linked roles), and every
//!    RCP level must allow (for the services that support RCPs, per the
//!    embedded service reference; not for service-linked roles).
//! 4. Within one account, an identity-based allow (within the permissions
//!    boundary and session policy, when present) or a resource-based allow
//!    grants access. A resource policy that names the user or the role
//!    session directly is not limited by an implicit deny in the boundary or
//!    session policy; one that names the role is; one that names the account
//!    delegates to identity-based policies.
//! 5. Across accounts both sides must allow: the principal's identity-based
//!    policies (with boundary and session policy) and the resource policy.
//! 6. KMS key policies and role trust policies are required: identity-based
//!    policies alone never grant `kms:*` on a key or `sts:AssumeRole*`, when
//!    the key or trust policy is given.

use serde::Serialize;

use crate::compile::{CompiledPolicy, Miss, PrincipalMatch};
use crate::principal::CallerKind;
use crate::request::Request;
use warden_ir::action::ActionName;
pub use warden_policy::StackSlot;

/// The outcome of a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Decision {
    /// Allowed.
    Allow,
    /// Denied by a matching `Deny` statement.
    ExplicitDeny,
    /// Not allowed by anything (or not by every required policy).
    ImplicitDeny,
}

/// The policies that apply to a request.
#[derive(Clone, Debug, Default)]
pub struct PolicySet<'a> {
    /// Identity-based policies of the principal (inline and managed).
    pub identity: Vec<&'a CompiledPolicy>,
    /// The resource-based policy of the resource.
    pub resource: Option<&'a CompiledPolicy>,
    /// The principal's permissions boundary.
    pub boundary: Option<&'a CompiledPolicy>,
    /// The session policy.
    pub session: Option<&'a CompiledPolicy>,
    /// SCPs by level, root first; every level must allow.
    pub scp_levels: Vec<Vec<&'a CompiledPolicy>>,
    /// RCPs by level, root first; every level must allow.
    pub rcp_levels: Vec<Vec<&'a CompiledPolicy>>,
}

/// KMS operations that work on a key in another account; every other KMS
/// operation is denied across accounts whatever the policies say ("Allowing
/// users in other accounts to use a KMS key", and "Cross-account use: Yes"
/// in each operation's API reference).
pub const KMS_CROSS_ACCOUNT: &[&str] = &[
    "creategrant",
    "decrypt",
    "derivesharedsecret",
    "describekey",
    "encrypt",
    "generatedatakey",
    "generatedatakeypair",
    "generatedatakeypairwithoutplaintext",
    "generatedatakeywithoutplaintext",
    "generatemac",
    "getkeyrotationstatus",
    "getpublickey",
    "listgrants",
    "reencryptfrom",
    "reencryptto",
    "retiregrant",
    "revokegrant",
    "sign",
    "verify",
    "verifymac",
];

/// Why one statement did or did not apply.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StatementTrace {
    /// Position in the policy's `Statement` list.
    pub index: usize,
    /// `Sid`, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
    /// `Allow` or `Deny`.
    pub effect: &'static str,
    /// Whether the statement applies to the request.
    pub applies: bool,
    /// When it does not: the element that does not match.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mismatch: Option<String>,
}

/// The statements of one policy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PolicyTrace {
    /// Where the policy sits in the stack (serialized as `kind`).
    pub kind: StackSlot,
    /// Position among policies of its kind (within its level for SCP/RCP).
    pub index: usize,
    /// SCP/RCP level, root = 0.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<usize>,
    /// Each statement.
    pub statements: Vec<StatementTrace>,
}

/// A decision with the reasons for it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Explanation {
    /// The decision.
    pub decision: Decision,
    /// Which rule decided, in one sentence.
    pub reason: String,
    /// Every policy considered, statement by statement.
    pub policies: Vec<PolicyTrace>,
}

/// What one policy says about a request.
#[derive(Clone, Copy, Debug, Default)]
struct Verdict {
    deny: bool,
    allow: bool,
    /// The strongest way an allowing statement named the principal.
    principal: Option<PrincipalMatch>,
}

struct Evaluation<'r, 't> {
    request: &'r Request,
    has_boundary: bool,
    action: &'r ActionName<'static>,
    traces: Option<&'t mut Vec<PolicyTrace>>,
}

impl Evaluation<'_, '_> {
    fn policy(
        &mut self,
        p: &CompiledPolicy,
        kind: StackSlot,
        index: usize,
        level: Option<usize>,
    ) -> Verdict {
        let mut v = Verdict::default();
        let mut statements = self
            .traces
            .as_ref()
            .map(|_| Vec::with_capacity(p.statements.len()));
        for s in &p.statements {
            let r = s.applies(
                self.has_boundary,
                &self.request.caller,
                self.action,
                &self.request.resource,
                &self.request.context,
            );
            // A resource policy grants only to principals it names.
            let r = match r {
                Ok(None) if kind == StackSlot::Resource => Err(Miss::Principal),
                other => other,
            };
            if let Ok(principal) = r {
                match s.effect {
                    warden_policy::ast::Effect::Deny => v.deny = true,
                    warden_policy::ast::Effect::Allow => {
                        v.allow = true;
                        v.principal = v.principal.max(principal);
                    }
                }
            }
            if let Some(list) = statements.as_mut() {
                list.push(StatementTrace {
                    index: s.index,
                    sid: s.sid.clone(),
                    effect: s.effect.as_str(),
                    applies: r.is_ok(),
                    mismatch: r.err().map(|m| match m {
                        Miss::Action => "the action is not covered".to_string(),
                        Miss::Resource => "the resource is not covered".to_string(),
                        Miss::Principal => "the principal is not covered".to_string(),
                        Miss::Condition(i) => {
                            let (op, key) = s.condition_label(i);
                            format!("condition `{op}` on `{key}` is false")
                        }
                    }),
                });
            }
        }
        if let (Some(traces), Some(statements)) = (self.traces.as_mut(), statements) {
            traces.push(PolicyTrace {
                kind,
                index,
                level,
                statements,
            });
        }
        v
    }
}

/// Decides `request` against `policies`.
pub fn decide(policies: &PolicySet<'_>, request: &Request) -> Decision {
    run(policies, request, None).0
}

/// Decides `request` and explains the decision.
pub fn explain(policies: &PolicySet<'_>, request: &Request) -> Explanation {
    let mut traces = Vec::new();
    let (decision, reason) = run(policies, request, Some(&mut traces));
    Explanation {
        decision,
        reason: reason.to_string(),
        policies: traces,
    }
}

/// Which rule decided. Kept as data so that `decide` does not format text.
#[derive(Clone, Copy, Debug)]
enum Reason {
    CallerIdentity,
    Denied(&'static str),
    NoScpAllow(usize),
    NoRcpAllow(usize),
    ResourceAllows,
    IdentityAllows,
    CrossAccountAllows,
    RequiredPolicyMissing(&'static str),
    Limited { prefix: &'static str, limit: Limit },
    NoResourceGrant,
    CrossAccountNoResourceGrant,
    KmsNotCrossAccount,
}

#[derive(Clone, Copy, Debug)]
enum Limit {
    NoIdentityAllow,
    Boundary,
    Session,
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Reason::CallerIdentity => f.write_str("sts:GetCallerIdentity needs no permission"),
            Reason::Denied(what) => write!(f, "explicitly denied by {what}"),
            Reason::NoScpAllow(l) => write!(f, "no service control policy at level {l} allows the action"),
            Reason::NoRcpAllow(l) => write!(f, "no resource control policy at level {l} allows the request"),
            Reason::ResourceAllows => f.write_str("allowed by the resource-based policy"),
            Reason::IdentityAllows => f.write_str("allowed by an identity-based policy"),
            Reason::CrossAccountAllows => f.write_str(
                "cross-account request allowed by both the identity-based and the resource-based policy",
            ),
            Reason::RequiredPolicyMissing(what) => write!(
                f,
                "the {what} does not allow this principal, and identity-based policies cannot grant without it"
            ),
            Reason::Limited { prefix, limit } => {
                f.write_str(prefix)?;
                f.write_str(match limit {
                    Limit::NoIdentityAllow => "no identity-based policy allows the action",
                    Limit::Boundary => "the permissions boundary does not allow the action",
                    Limit::Session => "the session policy does not allow the action",
                })
            }
            Reason::NoResourceGrant => f.write_str("no resource-based policy allows this principal"),
            Reason::KmsNotCrossAccount => {
                f.write_str("this KMS operation cannot be used on a key in another account")
            }
            Reason::CrossAccountNoResourceGrant => {
                f.write_str("cross-account request: the resource-based policy does not allow this principal")
            }
        }
    }
}

fn run(
    policies: &PolicySet<'_>,
    request: &Request,
    traces: Option<&mut Vec<PolicyTrace>>,
) -> (Decision, Reason) {
    let action = &request.action_name;
    let (service, name) = (action.service(), action.name());
    let mut ev = Evaluation {
        request,
        has_boundary: policies.boundary.is_some(),
        action,
        traces,
    };
    // "No permissions are required to perform this operation ... you can
    // still perform it even if a policy explicitly denies it" (STS API
    // reference, GetCallerIdentity).
    if request.action.eq_ignore_ascii_case("sts:GetCallerIdentity") {
        return (Decision::Allow, Reason::CallerIdentity);
    }
    let orgs_apply = !request.service_linked_role;
    // RCPs govern only the services AWS lists as supporting them (the
    // service reference's `rcpSupportedServices`, embedded in the catalog).
    let rcps_apply = orgs_apply
        && warden_catalog::RCP_SUPPORTED_SERVICES
            .binary_search(&service)
            .is_ok();
    let said = ev.every_policy(policies, orgs_apply, rcps_apply);
    if let Some(denied) = said.denial() {
        return denied;
    }
    grant(request, policies, &said, service, name)
}

/// What the applicable policies said about a request.
struct Said {
    /// The first policy kind found with an explicit deny.
    denied_by: Option<&'static str>,
    identity_allows: bool,
    resource: Option<Verdict>,
    boundary: Option<Verdict>,
    session: Option<Verdict>,
    /// The first SCP level none of whose policies allows.
    scp_gap: Option<usize>,
    /// The first RCP level none of whose policies allows.
    rcp_gap: Option<usize>,
}

impl Evaluation<'_, '_> {
    /// Evaluates every applicable policy (explanations list them all);
    /// the first explicit deny found is the one reported.
    fn every_policy(
        &mut self,
        policies: &PolicySet<'_>,
        orgs_apply: bool,
        rcps_apply: bool,
    ) -> Said {
        let mut denied_by: Option<&'static str> = None;
        let mut note_deny = |v: &Verdict, what: &'static str| {
            if v.deny && denied_by.is_none() {
                denied_by = Some(what);
            }
        };
        let mut identity_allows = false;
        for (i, p) in policies.identity.iter().enumerate() {
            let v = self.policy(p, StackSlot::Identity, i, None);
            note_deny(&v, "an identity-based policy");
            identity_allows |= v.allow;
        }
        let resource = policies
            .resource
            .map(|p| self.policy(p, StackSlot::Resource, 0, None));
        if let Some(v) = &resource {
            note_deny(v, "the resource-based policy");
        }
        let boundary = policies
            .boundary
            .map(|p| self.policy(p, StackSlot::PermissionsBoundary, 0, None));
        if let Some(v) = &boundary {
            note_deny(v, "the permissions boundary");
        }
        let session = policies
            .session
            .map(|p| self.policy(p, StackSlot::Session, 0, None));
        if let Some(v) = &session {
            note_deny(v, "the session policy");
        }
        let scp_gap = if orgs_apply {
            self.first_gap(&policies.scp_levels, StackSlot::Scp, &mut |v| {
                note_deny(v, "a service control policy")
            })
        } else {
            None
        };
        let rcp_gap = if rcps_apply {
            self.first_gap(&policies.rcp_levels, StackSlot::Rcp, &mut |v| {
                note_deny(v, "a resource control policy")
            })
        } else {
            None
        };
        Said {
            denied_by,
            identity_allows,
            resource,
            boundary,
            session,
            scp_gap,
            rcp_gap,
        }
    }
}

impl Evaluation<'_, '_> {
    /// Evaluates every policy of an organization's levels (SCPs or RCPs),
    /// telling `seen` each verdict; the first level none of whose policies
    /// allows ("every level must allow").
    fn first_gap(
        &mut self,
        levels: &[Vec<&CompiledPolicy>],
        slot: StackSlot,
        seen: &mut impl FnMut(&Verdict),
    ) -> Option<usize> {
        let mut gap = None;
        for (level, ps) in levels.iter().enumerate() {
            let mut allows = false;
            for (i, p) in ps.iter().enumerate() {
                let v = self.policy(p, slot, i, Some(level));
                seen(&v);
                allows |= v.allow;
            }
            if !allows && gap.is_none() {
                gap = Some(level);
            }
        }
        gap
    }
}

impl Said {
    /// The decision when an explicit deny or an organization level decides
    /// before any grant is looked at.
    fn denial(&self) -> Option<(Decision, Reason)> {
        if let Some(what) = self.denied_by {
            return Some((Decision::ExplicitDeny, Reason::Denied(what)));
        }
        if let Some(level) = self.scp_gap {
            return Some((Decision::ImplicitDeny, Reason::NoScpAllow(level)));
        }
        if let Some(level) = self.rcp_gap {
            return Some((Decision::ImplicitDeny, Reason::NoRcpAllow(level)));
        }
        None
    }
}

/// Whether a grant allows the request, nothing having denied it: through
/// the identity-based path, the resource policy, or both across accounts.
fn grant(
    request: &Request,
    policies: &PolicySet<'_>,
    said: &Said,
    service: &str,
    name: &str,
) -> (Decision, Reason) {
    // "The root user has full access" to its account: no identity policy
    // is needed, and boundaries and session policies do not apply to it.
    let root = request.caller.kind == CallerKind::Root;
    let identity_allows = said.identity_allows || root;
    let boundary_ok = root || said.boundary.is_none_or(|v| v.allow);
    // A federated user's session (GetFederationToken) has only what its
    // session policy allows: without one, nothing ("Session policies").
    let federated = matches!(request.caller.kind, CallerKind::FederatedUser { .. });
    let session_ok = root || said.session.map_or(!federated, |v| v.allow);
    let identity_path = identity_allows && boundary_ok && session_ok;
    let limit = if !identity_allows {
        Limit::NoIdentityAllow
    } else if !boundary_ok {
        Limit::Boundary
    } else {
        Limit::Session
    };
    let granted = said
        .resource
        .and_then(|v| v.allow.then_some(v.principal))
        .flatten();
    let deny = |r: Reason| (Decision::ImplicitDeny, r);
    let allow = |r: Reason| (Decision::Allow, r);
    match request.caller.account.as_deref() {
        // Anonymous callers and AWS services: only a resource policy grants.
        None => match granted {
            Some(_) => allow(Reason::ResourceAllows),
            None => deny(Reason::NoResourceGrant),
        },
        Some(account) if request.resource_account().is_none_or(|r| r == account) => {
            let required = required_resource_policy(request, policies);
            let resource_grant = match granted {
                Some(PrincipalMatch::Direct | PrincipalMatch::Anyone) => Some(true),
                Some(PrincipalMatch::Role) => Some(boundary_ok && session_ok),
                Some(PrincipalMatch::Account) => Some(identity_path),
                None => None,
            };
            match (resource_grant, required) {
                (Some(true), _) => allow(Reason::ResourceAllows),
                (_, Some(what)) if !matches!(granted, Some(PrincipalMatch::Account)) => {
                    deny(Reason::RequiredPolicyMissing(what))
                }
                _ if identity_path => allow(Reason::IdentityAllows),
                (Some(false), _) => deny(Reason::Limited {
                    prefix: "the resource-based policy grants only through the principal's own policies, and ",
                    limit,
                }),
                (None, _) => deny(Reason::Limited { prefix: "", limit }),
            }
        }
        Some(_) => {
            if service == "kms" && !KMS_CROSS_ACCOUNT.contains(&name) {
                deny(Reason::KmsNotCrossAccount)
            } else if !identity_path {
                deny(Reason::Limited {
                    prefix: "cross-account request: ",
                    limit,
                })
            } else if granted.is_none() {
                deny(Reason::CrossAccountNoResourceGrant)
            } else {
                allow(Reason::CrossAccountAllows)
            }
        }
    }
}

/// The resource policy that must allow the request, when AWS requires one
/// (KMS key policies, role trust policies) and it was given.
fn required_resource_policy(request: &Request, policies: &PolicySet<'_>) -> Option<&'static str> {
    policies.resource?;
    let service = request.service();
    if service.eq_ignore_ascii_case("kms") {
        return Some("key policy");
    }
    let action = request.action.get(..14).unwrap_or("");
    if action.eq_ignore_ascii_case("sts:assumerole") {
        return Some("role trust policy");
    }
    None
}
