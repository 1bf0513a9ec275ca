//! Keeping text from catalogs, bodies, file names and arguments from driving the terminal or deceiving
//! the reader: which characters are hidden, a writer that escapes them on stderr, and a JSON formatter
//! that escapes what serde_json writes raw.
//!
//! Escaping means a visible `\u{..}`, never dropping: the reader sees that something was there.

use serde_json::ser::Formatter;
use std::io::{self, Write};

/// Characters that change how the text around them is shown without showing themselves: bidirectional
/// embeddings, overrides, isolates and marks (a U+202E can make `exe.txt` read `txt.exe`), zero-width
/// spaces and joiners, the byte-order mark, invisible operators, the soft hyphen.
#[inline]
pub fn is_hidden(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{061C}' | '\u{180E}'
        | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{2069}'
        | '\u{FEFF}')
}

/// Whether `c` must not reach a terminal as itself: a control character (C0, DEL, C1) or a hidden one.
#[inline]
pub fn is_unsafe(c: char) -> bool {
    if (c as u32) < 0xAD {
        return c.is_control();
    }
    is_hidden(c)
}

/// Whether `s` may hold an unsafe character: a DEL or C0 byte, or the first byte of the UTF-8 form of
/// a C1 control or a hidden character (U+0080–U+00AD: C2; U+061C: D8; U+180E: E1; U+200B–U+2069: E2;
/// U+FEFF: EF). Most text has none, and is then written without looking at its characters.
pub fn may_be_unsafe(s: &str) -> bool {
    s.bytes()
        .any(|b| b < 0x20 || matches!(b, 0x7F | 0xC2 | 0xD8 | 0xE1 | 0xE2 | 0xEF))
}

/// A writer for diagnostics: every control or hidden character in what passes through is written as a
/// visible escape, except the line feed that ends a diagnostic line and the tab. Values that may hold a
/// line feed of their own are quoted (`{:?}`) or made one line where they are written; this writer is
/// the net under all of them (an escape sequence in a file name, a body's status, a catalog's code).
/// Bytes that are not UTF-8 are written as `\x..`.
pub struct SafeWriter<W: Write> {
    inner: W,
    /// The start of a UTF-8 sequence cut by the end of the last write.
    pending: Vec<u8>,
}

impl<W: Write> SafeWriter<W> {
    pub fn new(inner: W) -> Self {
        SafeWriter {
            inner,
            pending: Vec::new(),
        }
    }

    fn escape_into(out: &mut String, s: &str) {
        for c in s.chars() {
            if c != '\n' && c != '\t' && is_unsafe(c) {
                out.push_str(&c.escape_unicode().to_string());
            } else {
                out.push(c);
            }
        }
    }
}

impl<W: Write> Write for SafeWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.pending.extend_from_slice(buf);
        let bytes = std::mem::take(&mut self.pending);
        let mut out = String::with_capacity(bytes.len());
        let mut rest = &bytes[..];
        loop {
            match std::str::from_utf8(rest) {
                Ok(s) => {
                    Self::escape_into(&mut out, s);
                    break;
                }
                Err(e) => {
                    let (good, bad) = rest.split_at(e.valid_up_to());
                    // SAFETY-free: `good` is valid UTF-8 by `valid_up_to`.
                    Self::escape_into(&mut out, std::str::from_utf8(good).unwrap_or_default());
                    match e.error_len() {
                        // Cut at the end: keep it for the next write.
                        None => {
                            self.pending = bad.to_vec();
                            break;
                        }
                        Some(n) => {
                            for b in &bad[..n] {
                                out.push_str(&format!("\\x{b:02x}"));
                            }
                            rest = &bad[n..];
                        }
                    }
                }
            }
        }
        self.inner.write_all(out.as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if !self.pending.is_empty() {
            let cut: String = self.pending.iter().map(|b| format!("\\x{b:02x}")).collect();
            self.pending.clear();
            self.inner.write_all(cut.as_bytes())?;
        }
        self.inner.flush()
    }
}

/// Whether every byte is ASCII and none is DEL: eight bytes at a time, as a word (a byte with its high
/// bit set is not ASCII; adding 1 to each byte sets the high bit of a DEL, and of nothing below it).
/// Most of a document's strings are, and are then written as they are.
fn plain_ascii(bytes: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut words = bytes.chunks_exact(8);
    let words_ok = words.by_ref().all(|w| {
        let w = u64::from_le_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]]);
        (w | w.wrapping_add(ONES)) & HIGH == 0
    });
    words_ok && words.remainder().iter().all(|&b| b < 0x7F)
}

/// A serde_json formatter that writes C1 controls and hidden characters in strings as `\uXXXX` escapes,
/// as serde_json does for C0 controls itself: a JSON reader gets the same value, a terminal shown the
/// document gets no raw control. Everything else is the wrapped formatter's.
pub struct Escaping<F>(pub F);

impl<F: Formatter> Formatter for Escaping<F> {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        // serde_json has escaped C0 controls already; ASCII text needs a look for DEL only.
        let bytes = fragment.as_bytes();
        if plain_ascii(bytes) {
            return writer.write_all(bytes);
        }
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            if is_unsafe(c) {
                writer.write_all(&bytes[start..i])?;
                // Every unsafe character is in the Basic Multilingual Plane.
                write!(writer, "\\u{:04x}", c as u32)?;
                start = i + c.len_utf8();
            }
        }
        writer.write_all(&bytes[start..])
    }

    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn end_object_key<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_key(w)
    }
    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_value(w)
    }
}

/// Writes `value` as JSON through [`Escaping`]: pretty-printed, or on one line.
pub fn write_json<T: serde::Serialize + ?Sized, W: Write>(
    out: W,
    value: &T,
    pretty: bool,
) -> io::Result<()> {
    if pretty {
        let f = Escaping(serde_json::ser::PrettyFormatter::new());
        value.serialize(&mut serde_json::Serializer::with_formatter(out, f))?;
    } else {
        let f = Escaping(serde_json::ser::CompactFormatter);
        value.serialize(&mut serde_json::Serializer::with_formatter(out, f))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn through(pieces: &[&[u8]]) -> String {
        let mut w = SafeWriter::new(Vec::new());
        for p in pieces {
            w.write_all(p).unwrap();
        }
        w.flush().unwrap();
        String::from_utf8(w.inner).unwrap()
    }

    #[test]
    fn stderr_text_cannot_drive_the_terminal() {
        // OSC 52 (clipboard), a screen clear, CR that overwrites a line, a C1 CSI, a bidi override.
        let hostile = "a\x1b]52;c;aGk=\x07b\x1b[2J\rc\u{9b}d\u{202e}e\n";
        let out = through(&[hostile.as_bytes()]);
        assert!(!out.chars().any(|c| c != '\n' && is_unsafe(c)), "{out:?}");
        assert!(out.ends_with("e\n") && out.contains("\\u{1b}") && out.contains("\\u{202e}"));
        // A character cut between two writes is whole; bytes that are no UTF-8 are shown as such.
        let k = "토".as_bytes();
        assert_eq!(through(&[&k[..1], &k[1..]]), "토");
        assert_eq!(through(&[b"x\xffy"]), "x\\xffy");
        assert_eq!(through(&[&k[..2]]), "\\xed\\x86");
    }

    #[test]
    fn plain_ascii_finds_del_and_non_ascii_anywhere() {
        let base = "abcdefghijklmnopqrstuvwxyz0123456789 ~";
        assert!(plain_ascii(base.as_bytes()));
        for at in 0..base.len() {
            for bad in ["\u{7f}", "é", "\u{9b}", "토"] {
                let s = format!("{}{bad}{}", &base[..at], &base[at..]);
                assert!(!plain_ascii(s.as_bytes()), "{s:?}");
            }
        }
    }

    #[test]
    fn json_escapes_c1_and_hidden_characters_and_keeps_the_value() {
        let value = "a\u{9b}b\u{9d}c\u{202e}d\u{200b}e\x1bf 토큰";
        for pretty in [false, true] {
            let mut out = Vec::new();
            write_json(&mut out, &[value], pretty).unwrap();
            let text = String::from_utf8(out).unwrap();
            assert!(!text.chars().any(|c| c != '\n' && is_unsafe(c)), "{text:?}");
            let back: Vec<String> = serde_json::from_str(&text).unwrap();
            assert_eq!(back, [value]);
        }
    }
}
