//! The prover's public types: options, answers and witnesses.

use std::collections::BTreeMap;

use serde::Serialize;
use warden_eval::ContextValue;

use crate::unknown::Unknown;

pub use warden_policy::PolicyType;

/// Options of a comparison.
#[derive(Clone, Debug, Default)]
pub struct DiffOptions {
    /// How to read the policies, which decides the request space and how
    /// witnesses are replayed through the evaluator:
    /// - [`PolicyType::Identity`] (also permissions boundaries and session
    ///   policies): a request is allowed when the policy allows it.
    ///   Replayed as the only identity policy of an IAM user in the
    ///   resource's account.
    /// - [`PolicyType::Resource`] and [`PolicyType::Trust`]: the principal
    ///   is part of the request. Read as what the policy grants to
    ///   principals of *other* accounts (replayed cross-account, the
    ///   caller's identity policies allowing everything), so a grant to
    ///   "the account" counts as a grant.
    /// - [`PolicyType::Scp`], [`PolicyType::Rcp`] and
    ///   [`PolicyType::Endpoint`]: replayed as the only SCP above an
    ///   identity policy that allows everything (an RCP and a VPC endpoint
    ///   policy are read as SCPs: filters on what the caller's own
    ///   policies allow).
    pub role: PolicyType,
    /// Restrict actions to those of the embedded service catalog instead of
    /// all strings (`s3:*` then does not stand for actions AWS adds later).
    pub known_actions: bool,
    /// Give up with [`Verdict::Unknown`] after this instant.
    pub deadline: Option<std::time::Instant>,
}

/// A concrete request, in the format of `warden simulate --batch` lines.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct WitnessRequest {
    /// The calling principal's ARN (or service principal).
    pub principal: String,
    /// The action, `service:Name`.
    pub action: String,
    /// The resource ARN, or `*`.
    pub resource: String,
    /// The account owning the resource, when the replay needs it stated
    /// (resource policies are read cross-account).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_account: Option<String>,
    /// Condition keys the request carries.
    pub context: BTreeMap<String, ContextValue>,
}

/// A request one policy allows and the other does not.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Witness {
    /// The request.
    pub request: WitnessRequest,
    /// Index (in the `Statement` list) of the statement of the allowing
    /// policy that grants it.
    pub granted_by: usize,
}

/// The answer to "does one policy allow something the other does not?".
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// No: proven.
    No,
    /// Yes, with a witness the evaluator confirmed.
    Yes(Box<Witness>),
    /// Not decided, and why: a construct outside what the procedure
    /// decides, the deadline, or (a bug, reported as such) a witness the
    /// evaluator did not confirm.
    Unknown(Unknown),
}

impl Verdict {
    /// `Some(true)` for yes, `Some(false)` for no, `None` when unknown.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Verdict::No => Some(false),
            Verdict::Yes(_) => Some(true),
            Verdict::Unknown(_) => None,
        }
    }

    /// The witness, when the answer is yes.
    pub fn witness(&self) -> Option<&Witness> {
        match self {
            Verdict::Yes(w) => Some(w),
            _ => None,
        }
    }

    /// The reason, when the answer is unknown.
    pub fn reason(&self) -> Option<&Unknown> {
        match self {
            Verdict::Unknown(r) => Some(r),
            _ => None,
        }
    }
}

/// Both directions of a comparison of OLD and NEW.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comparison {
    /// Does NEW allow a request OLD does not?
    pub new_access: Verdict,
    /// Does OLD allow a request NEW does not?
    pub removed_access: Verdict,
}

impl Comparison {
    /// Whether the two policies are proven to allow exactly the same requests.
    pub fn equivalent(&self) -> bool {
        self.new_access == Verdict::No && self.removed_access == Verdict::No
    }
}

/// How access to one action (or class of actions) changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// OLD allowed no request with this action; NEW allows some.
    Added,
    /// OLD allowed some request with this action; NEW allows none.
    Removed,
    /// Both allow some; NEW allows requests OLD does not (other resources,
    /// conditions or principals).
    Widened,
    /// Both allow some; OLD allows requests NEW does not.
    Narrowed,
}

/// One line of the readable difference.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ActionChange {
    /// The service prefix of the action, lowercase (`*` for actions of
    /// services neither policy names).
    pub service: String,
    /// The action, as a policy spells it, or a pattern describing a class of
    /// actions (`s3:Get*` for "actions matching `s3:Get*` not listed
    /// otherwise").
    pub action: String,
    /// Catalog actions in the class, when it is not a single action
    /// (empty for a single action): all of them, except under service `*`
    /// (services neither policy names), where the first 100 are listed.
    pub known_actions: Vec<String>,
    /// How many catalog actions the class holds (the true count, also
    /// where `known_actions` lists only the first ones).
    pub known_action_count: usize,
    /// What changed.
    pub kind: ChangeKind,
    /// A request showing it: allowed by NEW and not OLD for `Added` and
    /// `Widened`, the reverse for `Removed` and `Narrowed`.
    pub example: WitnessRequest,
}

/// The readable difference between OLD and NEW.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Changes {
    /// Changes sorted by service, action, kind. A widened-and-narrowed
    /// action has two entries.
    pub entries: Vec<ActionChange>,
    /// When the summary could not be completed, why.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unknown: Option<Unknown>,
}

/// Policies that apply together to one principal's requests, combined as
/// AWS's evaluation logic combines them within one account: a request is
/// allowed when an identity-based policy allows it, the permissions
/// boundary and the session policy (when given) allow it, every SCP level
/// allows it, and no policy denies it.
#[derive(Clone, Debug, Default)]
pub struct PolicyStack<'p> {
    /// Identity-based policies (one of them must allow).
    pub identity: Vec<&'p warden_policy::Policy>,
    /// The permissions boundary.
    pub boundary: Option<&'p warden_policy::Policy>,
    /// The session policy.
    pub session: Option<&'p warden_policy::Policy>,
    /// SCPs by level, root first (each level must allow).
    pub scp_levels: Vec<Vec<&'p warden_policy::Policy>>,
}

impl<'p> PolicyStack<'p> {
    /// One policy on its own (read as its [`PolicyType`] says).
    pub fn single(policy: &'p warden_policy::Policy) -> PolicyStack<'p> {
        PolicyStack {
            identity: vec![policy],
            ..PolicyStack::default()
        }
    }

    /// The groups of which each must allow, in order: identity, boundary,
    /// session, SCP levels.
    pub(crate) fn groups(&self) -> Vec<Vec<&'p warden_policy::Policy>> {
        let mut out = vec![self.identity.clone()];
        out.extend(self.boundary.map(|p| vec![p]));
        out.extend(self.session.map(|p| vec![p]));
        out.extend(self.scp_levels.iter().cloned());
        out
    }

    /// Every policy of the stack.
    pub(crate) fn all(&self) -> Vec<&'p warden_policy::Policy> {
        self.groups().into_iter().flatten().collect()
    }

    /// Whether the stack is a single policy.
    pub(crate) fn is_single(&self) -> bool {
        self.all().len() == 1 && self.identity.len() == 1
    }
}

/// How many times one question was answered yes, no and unknown.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct VerdictCounts {
    /// Answered yes (with a witness).
    pub yes: usize,
    /// Answered no (proven).
    pub no: usize,
    /// Not decided.
    pub unknown: usize,
}

impl VerdictCounts {
    /// Counts one answer.
    pub fn add(&mut self, verdict: &Verdict) {
        match verdict {
            Verdict::Yes(_) => self.yes += 1,
            Verdict::No => self.no += 1,
            Verdict::Unknown(_) => self.unknown += 1,
        }
    }
}
