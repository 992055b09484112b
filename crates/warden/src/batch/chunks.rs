//! The batch input cut into chunks of whole lines, so that workers can
//! parse and decide chunks in parallel while their order stays known.
//!
//! The reader only finds line ends and counts them; validating UTF-8 and
//! parsing happen in the workers. A line seen to grow to
//! [`MAX_LINE_BYTES`](super::MAX_LINE_BYTES) while it is read becomes a
//! chunk of its own, marked too long, and is skipped without being buffered
//! whole; one that ends in the read that crosses the limit stays in its
//! chunk (memory is still bounded by the limit and one read) and the worker
//! refuses it.

use std::io::BufRead;

use super::MAX_LINE_BYTES;

/// Consecutive input lines.
pub(super) struct Chunk {
    /// The 1-based number of the chunk's first line.
    pub first_line: usize,
    /// Whole lines, each ending in `\n` except the last line of the input.
    /// Empty when the chunk is one overlong line.
    pub text: Vec<u8>,
    /// The chunk is one line longer than `MAX_LINE_BYTES`, skipped.
    pub too_long: bool,
}

impl Chunk {
    /// The chunk's lines with their numbers (blank lines included).
    pub(super) fn lines(&self) -> impl Iterator<Item = (usize, &[u8])> {
        let text = self.text.strip_suffix(b"\n").unwrap_or(&self.text);
        let lines = (!self.text.is_empty()).then(|| text.split(|&b| b == b'\n'));
        lines
            .into_iter()
            .flatten()
            .enumerate()
            .map(|(i, line)| (self.first_line + i, line))
    }
}

/// Reads chunks of about `target` bytes of whole lines from `input`.
pub(super) struct ChunkReader<R> {
    input: R,
    target: usize,
    /// The number of the next line to read.
    next_line: usize,
    /// An overlong line whose start was read: its number. The rest of it
    /// is skipped before the next chunk.
    overlong: Option<usize>,
}

impl<R: BufRead> ChunkReader<R> {
    pub(super) fn new(input: R, target: usize) -> ChunkReader<R> {
        ChunkReader {
            input,
            target: target.max(1),
            next_line: 1,
            overlong: None,
        }
    }

    /// The next chunk, `None` at the end of the input. Its text is read
    /// into `buffer` (cleared first), so that buffers can be reused.
    pub(super) fn next_chunk(&mut self, buffer: Vec<u8>) -> std::io::Result<Option<Chunk>> {
        let mut text = buffer;
        text.clear();
        if let Some(number) = self.overlong.take() {
            self.skip_rest_of_line()?;
            return Ok(Some(Chunk {
                first_line: number,
                text,
                too_long: true,
            }));
        }
        let first_line = self.next_line;
        text.reserve(self.target + (self.target >> 3));
        // Where the line being read starts in `text`.
        let mut line_start = 0;
        loop {
            if line_start == text.len() && text.len() >= self.target {
                break;
            }
            let buf = self.input.fill_buf()?;
            if buf.is_empty() {
                if line_start < text.len() {
                    // The last line has no newline.
                    self.next_line += 1;
                }
                break;
            }
            // Up to the first line end past the target size.
            let room = self.target.saturating_sub(text.len()).saturating_sub(1);
            let take = match buf
                .get(room..)
                .and_then(|t| t.iter().position(|&b| b == b'\n'))
            {
                Some(i) => room + i + 1,
                None => buf.len(),
            };
            let part = buf.get(..take).unwrap_or(buf);
            let whole = part.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
            let ends = bytecount(part.get(..whole).unwrap_or_default());
            text.extend_from_slice(part);
            self.input.consume(take);
            if ends > 0 {
                self.next_line += ends;
                line_start = text.len() - (take - whole);
            }
            if text.len() - line_start >= MAX_LINE_BYTES_USIZE {
                let number = self.next_line;
                self.next_line += 1;
                text.truncate(line_start);
                if text.is_empty() {
                    self.skip_rest_of_line()?;
                    return Ok(Some(Chunk {
                        first_line: number,
                        text,
                        too_long: true,
                    }));
                }
                self.overlong = Some(number);
                break;
            }
        }
        if text.is_empty() {
            return Ok(None);
        }
        Ok(Some(Chunk {
            first_line,
            text,
            too_long: false,
        }))
    }

    /// Consumes input up to and including the next newline.
    fn skip_rest_of_line(&mut self) -> std::io::Result<()> {
        loop {
            let buf = self.input.fill_buf()?;
            if buf.is_empty() {
                return Ok(());
            }
            match buf.iter().position(|&b| b == b'\n') {
                Some(i) => {
                    self.input.consume(i + 1);
                    return Ok(());
                }
                None => {
                    let len = buf.len();
                    self.input.consume(len);
                }
            }
        }
    }
}

const MAX_LINE_BYTES_USIZE: usize = MAX_LINE_BYTES as usize;

/// The number of newlines in `bytes`, eight bytes at a time: in each word,
/// a byte equal to `\n` becomes zero after the XOR, and the exact
/// zero-byte test sets its high bit alone (no borrow crosses bytes).
fn bytecount(bytes: &[u8]) -> usize {
    const NEWLINES: u64 = u64::from_ne_bytes([b'\n'; 8]);
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let words = bytes.chunks_exact(8);
    let tail = words.remainder();
    let mut count = 0;
    for word in words {
        let mut w = [0u8; 8];
        w.copy_from_slice(word);
        let x = u64::from_ne_bytes(w) ^ NEWLINES;
        let zero_bytes = !(((x & LOW7) + LOW7) | x | LOW7);
        count += zero_bytes.count_ones() as usize;
    }
    count + tail.iter().filter(|&&b| b == b'\n').count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunks(input: &str, target: usize) -> Vec<(usize, Vec<(usize, String)>)> {
        let mut reader = ChunkReader::new(input.as_bytes(), target);
        let mut out = Vec::new();
        while let Some(c) = reader.next_chunk(Vec::new()).expect("read") {
            let lines = c
                .lines()
                .map(|(n, l)| (n, String::from_utf8_lossy(l).into_owned()))
                .collect();
            out.push((c.first_line, lines));
        }
        out
    }

    #[test]
    fn an_overlong_line_is_its_own_chunk_and_is_skipped() {
        let long = "x".repeat(MAX_LINE_BYTES_USIZE + 5000);
        let input = format!("a\nb\n{long}\nc\n{long}");
        let reader = std::io::BufReader::with_capacity(1000, input.as_bytes());
        let mut chunks = ChunkReader::new(reader, 1 << 20);
        let mut got = Vec::new();
        while let Some(c) = chunks.next_chunk(Vec::new()).expect("read") {
            let lines: Vec<(usize, usize)> = c.lines().map(|(n, l)| (n, l.len())).collect();
            got.push((c.first_line, c.too_long, lines));
        }
        assert_eq!(
            got,
            vec![
                (1, false, vec![(1, 1), (2, 1)]),
                (3, true, vec![]),
                (4, false, vec![(4, 1)]),
                (5, true, vec![]),
            ]
        );
    }

    #[test]
    fn counts_newlines() {
        let texts: [&[u8]; 4] = [
            b"",
            b"\n",
            b"a\nb\n\n\x8a\x0a\xff\x0b\x09\n",
            b"0123456789\n\n\n\n\n\n\n\n\n\nabcdefg\n",
        ];
        for bytes in texts {
            assert_eq!(
                bytecount(bytes),
                bytes.iter().filter(|&&b| b == b'\n').count(),
                "{bytes:?}"
            );
        }
        let all: Vec<u8> = (0..=255u8).cycle().take(4099).collect();
        assert_eq!(bytecount(&all), all.iter().filter(|&&b| b == b'\n').count());
    }

    #[test]
    fn lines_keep_their_numbers_across_chunks() {
        let got = chunks("a\n\nbb\nccc", 2);
        assert_eq!(
            got,
            vec![
                (1, vec![(1, "a".into())]),
                (2, vec![(2, String::new()), (3, "bb".into())]),
                (4, vec![(4, "ccc".into())]),
            ]
        );
        let all: Vec<_> = chunks("a\n\nbb\nccc\n", 1 << 20)
            .into_iter()
            .flat_map(|(_, l)| l)
            .collect();
        assert_eq!(all.len(), 4);
        assert_eq!(chunks("", 8), vec![]);
        assert_eq!(chunks("\n", 8), vec![(1, vec![(1, String::new())])]);
    }
}
