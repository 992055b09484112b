//! Rules of the suggestion category: the policy could be written better.

use crate::Rule;

pub mod redundant_action;

/// The rules of this category.
pub(crate) static RULES: &[&dyn Rule] = &[&redundant_action::RedundantAction];
