//! Which wildcard patterns may match a text, found without trying them all.
//!
//! A pattern (`*` and `?` its only wildcards, as IAM reads actions and
//! resources) can match a text only when its literal prefix, the part
//! before the first wildcard, begins the text. Indexing patterns by that
//! prefix turns "which of n patterns match each of n texts" from n²
//! comparisons into a few hash lookups per text: the redundancy rules
//! (H402, H413) compare every entry with every other one, and a
//! 20,000-entry `Resource` list took 40 s.

use std::collections::HashMap;

/// Items (by index) keyed by the literal prefixes of their patterns.
#[derive(Debug, Default)]
pub(crate) struct PrefixIndex {
    by_prefix: HashMap<String, Vec<usize>>,
    /// The distinct prefix lengths, in bytes.
    lengths: Vec<usize>,
}

/// The part of `pattern` before its first wildcard.
pub(crate) fn literal_prefix(pattern: &str) -> &str {
    pattern.split(['*', '?']).next().unwrap_or("")
}

/// `text` lowercased as `glob_match_ignore_case` compares it.
pub(crate) fn fold(text: &str) -> String {
    text.chars().flat_map(char::to_lowercase).collect()
}

impl PrefixIndex {
    /// Adds item `item` with a pattern whose literal prefix is `prefix`
    /// (already folded when the index is case-insensitive). Items are
    /// added in increasing order.
    pub(crate) fn add(&mut self, item: usize, prefix: String) {
        if !self.lengths.contains(&prefix.len()) {
            self.lengths.push(prefix.len());
        }
        let list = self.by_prefix.entry(prefix).or_default();
        if list.last() != Some(&item) {
            list.push(item);
        }
    }

    /// The lists of items with a pattern that may match `text`.
    pub(crate) fn lists(&self, text: &str) -> Vec<&Vec<usize>> {
        self.lengths
            .iter()
            .filter_map(|&n| text.get(..n))
            .filter_map(|prefix| self.by_prefix.get(prefix))
            .collect()
    }

    /// The items with a pattern that may match `text`, in increasing order.
    pub(crate) fn candidates(&self, text: &str) -> Vec<usize> {
        sorted(self.lists(text))
    }
}

/// The items of `lists`, sorted, without repeats.
pub(crate) fn sorted(lists: Vec<&Vec<usize>>) -> Vec<usize> {
    let mut out: Vec<usize> = lists.into_iter().flatten().copied().collect();
    out.sort_unstable();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_patterns_whose_prefix_begins_the_text() {
        let patterns = [
            "arn:aws:s3:::a/*",
            "*",
            "arn:aws:s3:::b?",
            "arn:aws:s3:::a/x",
        ];
        let mut index = PrefixIndex::default();
        for (i, p) in patterns.iter().enumerate() {
            index.add(i, literal_prefix(p).to_string());
        }
        assert_eq!(index.candidates("arn:aws:s3:::a/x"), [0, 1, 3]);
        assert_eq!(index.candidates("arn:aws:s3:::bc"), [1, 2]);
        assert_eq!(index.candidates("é"), [1]);
    }
}
