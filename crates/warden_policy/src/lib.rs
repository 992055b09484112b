//! The IAM policy language: a spanned JSON parser, the typed policy AST,
//! patterns, ARNs and policy variables, and the canonical printer.
//!
//! ```
//! let out = warden_policy::parse_policy(r#"{
//!     "Version": "2012-10-17",
//!     "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]
//! }"#);
//! assert!(!out.has_errors());
//! let policy = out.policy.unwrap();
//! assert_eq!(policy.statements().len(), 1);
//! ```

pub mod action;
pub mod arn;
pub mod ast;
pub mod build;
pub mod glob;
pub mod json;
pub mod model;
pub mod operator;
pub mod parse;
pub mod pattern;
pub mod policy_type;
pub mod principal;
pub mod printer;

pub use ast::Policy;
pub use parse::{ParseOutput, parse_policy, parse_policy_json, parse_policy_value};
pub use policy_type::{PolicyType, StackSlot};
pub use printer::print_policy;
