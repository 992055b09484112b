//! The rules, one per file, by category.

pub mod error;
pub mod security;
pub mod suggestion;
pub mod warning;
