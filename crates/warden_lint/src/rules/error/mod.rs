//! Rules of the error category: the policy is invalid or does not do what it says.

use crate::Rule;

pub mod unknown_action;
pub mod unknown_service;

/// The rules of this category.
pub(crate) static RULES: &[&dyn Rule] = &[
    &unknown_service::UnknownService,
    &unknown_action::UnknownAction,
];
