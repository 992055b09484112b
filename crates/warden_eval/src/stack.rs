//! The policies that apply together to one request, owned: what a batch
//! request line, a policy stack file and `simulate`'s flags all fill.
//! [`PolicySet`] is the borrowed view the evaluator reads.

use std::borrow::Borrow;

use warden_policy::StackSlot;

use crate::compile::CompiledPolicy;
use crate::decide::PolicySet;

/// The policies that apply together, by their slot in AWS's evaluation
/// logic. `P` is what a policy is at the caller's stage: a file name, a
/// parsed [`warden_policy::Policy`], a [`CompiledPolicy`], or a shared
/// handle to one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyStack<P> {
    /// Identity-based policies of the principal (inline and managed).
    pub identity: Vec<P>,
    /// The resource-based policy of the resource.
    pub resource: Option<P>,
    /// The principal's permissions boundary.
    pub boundary: Option<P>,
    /// The session policy.
    pub session: Option<P>,
    /// SCPs by level, root first; every level must allow.
    pub scp_levels: Vec<Vec<P>>,
    /// RCPs by level, root first; every level must allow.
    pub rcp_levels: Vec<Vec<P>>,
}

impl<P> Default for PolicyStack<P> {
    fn default() -> Self {
        PolicyStack {
            identity: Vec::new(),
            resource: None,
            boundary: None,
            session: None,
            scp_levels: Vec::new(),
            rcp_levels: Vec::new(),
        }
    }
}

impl<P> PolicyStack<P> {
    /// One identity-based policy on its own.
    pub fn single(policy: P) -> Self {
        PolicyStack {
            identity: vec![policy],
            ..PolicyStack::default()
        }
    }

    /// The same stack with every policy converted by `f`, stopping at the
    /// first error.
    pub fn try_map<'s, Q, E>(
        &'s self,
        mut f: impl FnMut(&'s P) -> Result<Q, E>,
    ) -> Result<PolicyStack<Q>, E> {
        let levels = |levels: &'s [Vec<P>], f: &mut dyn FnMut(&'s P) -> Result<Q, E>| {
            levels
                .iter()
                .map(|l| l.iter().map(&mut *f).collect::<Result<Vec<_>, E>>())
                .collect::<Result<Vec<_>, E>>()
        };
        Ok(PolicyStack {
            identity: self.identity.iter().map(&mut f).collect::<Result<_, _>>()?,
            resource: self.resource.as_ref().map(&mut f).transpose()?,
            boundary: self.boundary.as_ref().map(&mut f).transpose()?,
            session: self.session.as_ref().map(&mut f).transpose()?,
            scp_levels: levels(&self.scp_levels, &mut f)?,
            rcp_levels: levels(&self.rcp_levels, &mut f)?,
        })
    }

    /// The same stack with every policy converted by `f`.
    pub fn map<'s, Q>(&'s self, mut f: impl FnMut(&'s P) -> Q) -> PolicyStack<Q> {
        match self.try_map(|p| Ok::<Q, std::convert::Infallible>(f(p))) {
            Ok(stack) => stack,
            Err(never) => match never {},
        }
    }

    /// The policy in `slot` at `index` (within `level` for SCPs and RCPs),
    /// as an [`Explanation`](crate::Explanation)'s traces name it.
    pub fn get(&self, slot: StackSlot, index: usize, level: Option<usize>) -> Option<&P> {
        fn in_level<P>(levels: &[Vec<P>], level: Option<usize>, index: usize) -> Option<&P> {
            levels.get(level?)?.get(index)
        }
        match slot {
            StackSlot::Identity => self.identity.get(index),
            StackSlot::Resource => self.resource.as_ref(),
            StackSlot::PermissionsBoundary => self.boundary.as_ref(),
            StackSlot::Session => self.session.as_ref(),
            StackSlot::Scp => in_level(&self.scp_levels, level, index),
            StackSlot::Rcp => in_level(&self.rcp_levels, level, index),
        }
    }
}

impl<P: Borrow<CompiledPolicy>> PolicyStack<P> {
    /// The borrowed view the evaluator reads.
    pub fn policy_set(&self) -> PolicySet<'_> {
        fn levels<P: Borrow<CompiledPolicy>>(levels: &[Vec<P>]) -> Vec<Vec<&CompiledPolicy>> {
            levels
                .iter()
                .map(|l| l.iter().map(Borrow::borrow).collect())
                .collect()
        }
        PolicySet {
            identity: self.identity.iter().map(Borrow::borrow).collect(),
            resource: self.resource.as_ref().map(Borrow::borrow),
            boundary: self.boundary.as_ref().map(Borrow::borrow),
            session: self.session.as_ref().map(Borrow::borrow),
            scp_levels: levels(&self.scp_levels),
            rcp_levels: levels(&self.rcp_levels),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn get_follows_the_trace_coordinates() {
        let stack = PolicyStack {
            identity: vec!["a", "b"],
            resource: Some("r"),
            boundary: Some("pb"),
            session: None,
            scp_levels: vec![vec!["root"], vec!["ou1", "ou2"]],
            rcp_levels: vec![vec!["rcp"]],
        };
        assert_eq!(stack.get(StackSlot::Identity, 1, None), Some(&"b"));
        assert_eq!(stack.get(StackSlot::Scp, 1, Some(1)), Some(&"ou2"));
        assert_eq!(stack.get(StackSlot::Rcp, 0, Some(0)), Some(&"rcp"));
        assert_eq!(stack.get(StackSlot::Session, 0, None), None);
        let lengths = stack.try_map(|s| Ok::<_, ()>(s.len()));
        assert_eq!(lengths.map(|l| l.scp_levels), Ok(vec![vec![4], vec![3, 3]]));
    }
}
