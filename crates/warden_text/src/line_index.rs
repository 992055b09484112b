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
///
/// Columns are found without scanning the line: the index also keeps the
/// multi-byte characters, so a lookup is two binary searches however long
/// the line. (`terraform show -json` writes a whole plan on one line;
/// counting characters from the line start made each finding cost the
/// length of the plan, and a plan's lint time grow with the square of its
/// size.)
#[derive(Clone, Debug)]
pub struct LineIndex {
    starts: Vec<u32>,
    /// The multi-byte characters in text order (empty for ASCII text).
    wide: Vec<WideChar>,
}

/// A character longer than one byte.
#[derive(Clone, Copy, Debug)]
struct WideChar {
    /// Byte offset of its first byte.
    start: u32,
    /// Continuation bytes of the multi-byte characters before this one.
    extra_before: u32,
    /// Its own continuation bytes (1 to 3).
    extra: u8,
}

impl LineIndex {
    /// Index the line starts and the multi-byte characters of `text`.
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0u32];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| u32::try_from(i + 1).unwrap_or(u32::MAX)),
        );
        let mut wide = Vec::new();
        if !text.is_ascii() {
            let mut extra_before = 0u32;
            for (i, c) in text.char_indices().filter(|(_, c)| !c.is_ascii()) {
                let extra = u8::try_from(c.len_utf8() - 1).unwrap_or(0);
                wide.push(WideChar {
                    start: u32::try_from(i).unwrap_or(u32::MAX),
                    extra_before,
                    extra,
                });
                extra_before = extra_before.saturating_add(u32::from(extra));
            }
        }
        LineIndex { starts, wide }
    }

    /// Continuation bytes before `offset`: those of the characters that
    /// end before it, and those before it of a character it falls inside.
    fn extra_before(&self, offset: u32) -> u32 {
        let n = self.wide.partition_point(|w| w.start < offset);
        match n.checked_sub(1).and_then(|i| self.wide.get(i)) {
            None => 0,
            Some(w) => w.extra_before + (offset - w.start - 1).min(u32::from(w.extra)),
        }
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
        let start = self.starts.get(line).copied().unwrap_or(0).min(offset);
        // Characters from the line start to `offset`: bytes less
        // continuation bytes. An offset inside a multi-byte character
        // counts the character it is in.
        let col = (offset - start) - (self.extra_before(offset) - self.extra_before(start));
        LineCol {
            line: u32::try_from(line + 1).unwrap_or(u32::MAX),
            col: col.saturating_add(1),
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

    /// The column of every offset agrees with counting characters from
    /// the line start, inside multi-byte characters too.
    #[test]
    fn columns_match_counting() {
        let text = "aé€\n😀x\r\n\nzé😀\u{301}y";
        let idx = LineIndex::new(text);
        for offset in 0..=text.len() {
            let before = &text.as_bytes()[..offset];
            let line = before.iter().filter(|&&b| b == b'\n').count();
            let start = before
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i + 1);
            let col = text[start..]
                .char_indices()
                .take_while(|&(i, _)| start + i < offset)
                .count();
            let got = idx.line_col(text, offset as u32);
            assert_eq!(
                (got.line as usize, got.col as usize),
                (line + 1, col + 1),
                "offset {offset}"
            );
        }
    }

    #[test]
    fn offset_past_end() {
        let text = "x";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, 99), LineCol { line: 1, col: 2 });
    }
}
