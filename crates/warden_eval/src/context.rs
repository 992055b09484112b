//! The request context: condition keys and their values.
//!
//! Condition key names are case-insensitive ("IAM JSON policy elements:
//! Condition", "condition key names are not case-sensitive"), so keys are
//! stored lowercased once and looked up by a lowercased name. Values keep
//! their case: whether a comparison ignores it is the operator's business.

use std::borrow::Cow;

use serde::Serialize;

/// The value of one context key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum ContextValue {
    /// A single-valued key such as `aws:SourceIp`.
    Single(String),
    /// A multivalued key such as `aws:TagKeys` (possibly empty).
    Multi(Vec<String>),
}

impl ContextValue {
    /// The values as a slice (one for a single-valued key).
    pub fn values(&self) -> &[String] {
        match self {
            ContextValue::Single(s) => std::slice::from_ref(s),
            ContextValue::Multi(v) => v,
        }
    }
}

/// The condition keys of a request.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RequestContext {
    /// (lowercased key, value), at most one entry per key. The keys a
    /// request sets by default are static (no allocation per request).
    entries: Vec<(Cow<'static, str>, ContextValue)>,
}

impl RequestContext {
    /// An empty context.
    pub fn new() -> Self {
        RequestContext::default()
    }

    /// An empty context with room for `n` keys.
    pub fn with_capacity(n: usize) -> Self {
        RequestContext {
            entries: Vec::with_capacity(n),
        }
    }

    /// Sets `key` (any case) to `value`, replacing an earlier value.
    pub fn insert(&mut self, key: &str, value: ContextValue) {
        match self
            .entries
            .iter_mut()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
        {
            Some(slot) => slot.1 = value,
            None => self
                .entries
                .push((Cow::Owned(key.to_ascii_lowercase()), value)),
        }
    }

    /// Sets `key` only if it has no value yet.
    pub fn insert_default(&mut self, key: &str, value: ContextValue) {
        if self.get(key).is_none() {
            self.entries
                .push((Cow::Owned(key.to_ascii_lowercase()), value));
        }
    }

    /// As [`RequestContext::insert_default`] for a key given in lower case.
    pub(crate) fn insert_default_static(
        &mut self,
        lowercase_key: &'static str,
        value: ContextValue,
    ) {
        debug_assert_eq!(lowercase_key, lowercase_key.to_ascii_lowercase());
        if self.get(lowercase_key).is_none() {
            self.entries.push((Cow::Borrowed(lowercase_key), value));
        }
    }

    /// The value of `key`, compared case-insensitively.
    pub fn get(&self, key: &str) -> Option<&ContextValue> {
        self.entries
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v)
    }

    /// The single value of `key`, for policy variables: `None` when the key
    /// is absent or multivalued (AWS does not substitute multivalued keys).
    pub fn single(&self, key: &str) -> Option<&str> {
        match self.get(key)? {
            ContextValue::Single(s) => Some(s),
            ContextValue::Multi(_) => None,
        }
    }

    /// All entries, keys lowercased.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &ContextValue)> {
        self.entries.iter().map(|(k, v)| (k.as_ref(), v))
    }
}
