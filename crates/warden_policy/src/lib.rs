//! The IAM policy language: a spanned JSON parser, the typed policy AST,
//! patterns, ARNs and policy variables, and the canonical printer.

pub mod glob;
pub mod json;
