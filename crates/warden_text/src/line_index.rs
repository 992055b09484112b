/// A 1-based line and column. Columns count Unicode scalar values, as editors
/// and `rustc` do, so a caret lines up under non-ASCII text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    /// Line number, from 1.
    pub line: u32,
    /// Column number, from 1, in characters.
    pub col: u32,
}

/// Byte offsets of line starts, for offset -> line/column lookups by binary
/// search. Lines end at `\n`; a `\r` before it is part of the line ending.
#[derive(Clone, Debug)]
pub struct LineIndex {
    starts: Vec<u32>,
}

impl LineIndex {
    /// Index the line starts of `text`.
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0u32];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| u32::try_from(i + 1).unwrap_or(u32::MAX)),
        );
        LineIndex { starts }
    }

    /// Number of lines (a text without newline has one line).
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// Byte offset where the 1-based `line` starts, if it exists.
    pub fn line_start(&self, line: u32) -> Option<u32> {
        self.starts.get((line as usize).checked_sub(1)?).copied()
    }

    /// The 0-based index of the line holding `offset`.
    fn line_of(&self, offset: u32) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }

    /// 1-based line and column of byte `offset` in `text` (the text this
    /// index was built from). Offsets past the end map to the end.
    pub fn line_col(&self, text: &str, offset: u32) -> LineCol {
        let offset = offset.min(u32::try_from(text.len()).unwrap_or(u32::MAX));
        let line = self.line_of(offset);
        let start = self.starts.get(line).copied().unwrap_or(0) as usize;
        let end = offset as usize;
        // Count characters; an offset inside a multi-byte character counts
        // the character it is in.
        let col = text
            .get(start..)
            .unwrap_or("")
            .char_indices()
            .take_while(|&(i, _)| start + i < end)
            .count();
        LineCol {
            line: u32::try_from(line + 1).unwrap_or(u32::MAX),
            col: u32::try_from(col + 1).unwrap_or(u32::MAX),
        }
    }

    /// The byte range of the 1-based `line`, without its line ending.
    pub fn line_range(&self, text: &str, line: u32) -> std::ops::Range<usize> {
        let Some(start) = self.line_start(line) else {
            return text.len()..text.len();
        };
        let start = start as usize;
        let mut end = self
            .line_start(line + 1)
            .map_or(text.len(), |s| (s as usize).saturating_sub(1));
        if end > start && text.as_bytes().get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        start..end
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column() {
        let text = "ab\ncd\r\né\n";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, 0), LineCol { line: 1, col: 1 });
        assert_eq!(idx.line_col(text, 3), LineCol { line: 2, col: 1 });
        assert_eq!(idx.line_col(text, 4), LineCol { line: 2, col: 2 });
        // after the two-byte é
        assert_eq!(idx.line_col(text, 9), LineCol { line: 3, col: 2 });
        assert_eq!(idx.line_range(text, 2), 3..5);
        assert_eq!(idx.line_count(), 4);
    }

    #[test]
    fn offset_past_end() {
        let text = "x";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, 99), LineCol { line: 1, col: 2 });
    }
}
