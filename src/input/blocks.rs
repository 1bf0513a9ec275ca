//! Text read in blocks of whole lines, for the scanner: each block ends at a line end, so that a block can
//! be searched on its own (and on another thread) and no line is split between two searches. A line longer
//! than the block is cut (at a space near the end when there is one, else at a character boundary) and
//! comes in pieces, so memory stays bounded whatever the input holds.

use std::io::{self, BufRead};

/// The largest block, and so the longest piece of a line handled at once.
pub const MAX_BLOCK: usize = 1 << 20;

/// The buffer's first size.
const START: usize = 64 << 10;

/// Where a block sits in its input.
#[derive(Debug, Clone, Copy, Default)]
pub struct Block {
    /// Bytes at the start of the buffer that belong to this block (the buffer is kept as it is between
    /// blocks, not cleared for every one).
    pub len: usize,
    /// The block ends inside a line (a line longer than the block), not after a newline or at the end.
    pub cut: bool,
}

/// Reads blocks of whole lines from `input` into buffers the caller owns (so that two can be in flight).
pub struct Blocks<'r> {
    input: &'r mut dyn BufRead,
    /// Bytes read past the end of the last block: the start of the next one.
    carry: Vec<u8>,
    eof: bool,
    max: usize,
}

impl<'r> Blocks<'r> {
    pub fn new(input: &'r mut dyn BufRead) -> Blocks<'r> {
        Blocks::with_max(input, MAX_BLOCK)
    }

    pub fn with_max(input: &'r mut dyn BufRead, max: usize) -> Blocks<'r> {
        Blocks {
            input,
            carry: Vec::new(),
            eof: false,
            max: max.max(16),
        }
    }

    /// The largest block.
    pub fn max(&self) -> usize {
        self.max
    }

    /// Whether the whole input has been handed out in blocks.
    pub fn done(&self) -> bool {
        self.eof && self.carry.is_empty()
    }

    /// Fills the start of `buf` with the next block; `None` at the end of the input.
    pub fn next_into(&mut self, buf: &mut Vec<u8>) -> io::Result<Option<Block>> {
        // The buffer grows to a block as the input proves long enough to need one, so that a short
        // input is not paid for with a megabyte of zeroed pages; then it keeps its size.
        let want = buf.len().max(self.carry.len() + 1).max(START.min(self.max));
        if buf.len() < want {
            buf.resize(want.min(self.max), 0);
        }
        // The carried bytes (always fewer than a block), then the rest of the block.
        let mut filled = self.carry.len();
        buf[..filled].copy_from_slice(&self.carry);
        self.carry.clear();
        // A short read (a pipe with nothing more for now) ends the block at its last complete line, so
        // that a slow pipe's lines are searched as they arrive rather than once a megabyte has piled up
        // (stdout is still buffered); a file fills whole blocks.
        let mut has_line = memchr::memchr(b'\n', &buf[..filled]).is_some();
        while filled < self.max && !self.eof {
            if filled == buf.len() {
                buf.resize((2 * buf.len()).min(self.max), 0);
            }
            let asked = buf.len() - filled;
            match self.input.read(&mut buf[filled..]) {
                Ok(0) => self.eof = true,
                Ok(n) => {
                    has_line =
                        has_line || memchr::memchr(b'\n', &buf[filled..filled + n]).is_some();
                    filled += n;
                    if n < asked && has_line {
                        break;
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        let buf = &buf[..filled];
        if filled == 0 {
            return Ok(None);
        }
        if self.eof {
            return Ok(Some(Block {
                len: filled,
                cut: false,
            }));
        }
        if let Some(nl) = memchr::memrchr(b'\n', buf) {
            self.carry.extend_from_slice(&buf[nl + 1..]);
            return Ok(Some(Block {
                len: nl + 1,
                cut: false,
            }));
        }
        // One line fills the block: cut at a space near the end when there is one, else at a character
        // boundary.
        let tail_from = filled.saturating_sub(256);
        let cut = match buf[tail_from..].iter().rposition(u8::is_ascii_whitespace) {
            Some(p) => tail_from + p + 1,
            None => {
                let mut c = filled;
                while c > 0 && (buf[c - 1] & 0xC0) == 0x80 {
                    c -= 1;
                }
                // Keep a multi-byte character whole; c - 1 is its first byte.
                if c > 0 && buf[c - 1] >= 0xC0 {
                    c - 1
                } else {
                    filled
                }
            }
        };
        let cut = if cut == 0 { filled } else { cut };
        self.carry.extend_from_slice(&buf[cut..]);
        Ok(Some(Block {
            len: cut,
            cut: true,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_end_at_line_ends_and_long_lines_come_in_pieces() {
        let text = format!("short\n{} error 7011\nnext\n", "é".repeat(40));
        let mut input = text.as_bytes();
        let mut blocks = Blocks::with_max(&mut input, 32);
        let mut buf = Vec::new();
        let mut got = Vec::new();
        while let Some(b) = blocks.next_into(&mut buf).unwrap() {
            let buf = &buf[..b.len];
            assert!(buf.len() <= 32);
            assert!(std::str::from_utf8(buf).is_ok(), "cut inside a character");
            assert!(
                b.cut || buf.ends_with(b"\n"),
                "{:?}",
                String::from_utf8_lossy(buf)
            );
            got.push(String::from_utf8(buf.to_vec()).unwrap());
        }
        assert_eq!(got.concat(), text);
        assert!(got.len() > 3);
    }

    /// A reader that hands out one piece per read, as a pipe does when its writer is slow.
    struct Trickle(Vec<&'static [u8]>);

    impl io::Read for Trickle {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            if self.0.is_empty() {
                return Ok(0);
            }
            let piece = self.0.remove(0);
            out[..piece.len()].copy_from_slice(piece);
            Ok(piece.len())
        }
    }

    #[test]
    fn a_short_read_ends_the_block_at_its_last_line() {
        let mut input = io::BufReader::new(Trickle(vec![b"error ", b"7011\nnext ", b"line\n"]));
        let mut blocks = Blocks::with_max(&mut input, 1024);
        let mut buf = Vec::new();
        let mut got = Vec::new();
        while let Some(b) = blocks.next_into(&mut buf).unwrap() {
            got.push(String::from_utf8(buf[..b.len].to_vec()).unwrap());
        }
        assert_eq!(got, ["error 7011\n", "next line\n"]);
    }

    #[test]
    fn a_last_line_without_newline_is_a_block() {
        let mut input: &[u8] = b"a\nb";
        let mut blocks = Blocks::with_max(&mut input, 1024);
        let mut buf = Vec::new();
        let mut got = Vec::new();
        while let Some(b) = blocks.next_into(&mut buf).unwrap() {
            assert!(!b.cut);
            got.push(buf[..b.len].to_vec());
        }
        assert_eq!(got.concat(), b"a\nb");
        assert_eq!(got.last().unwrap(), b"b");
    }
}
