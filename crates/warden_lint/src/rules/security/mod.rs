//! Rules of the security category: the policy grants more than it appears to.

use crate::Rule;

pub mod pass_role_on_all_resources;

/// The rules of this category.
pub(crate) static RULES: &[&dyn Rule] = &[&pass_role_on_all_resources::PassRoleOnAllResources];
