//! Finding known codes in free text (logs, tickets, HAR excerpts), line by line, in bounded memory.
//!
//! Symbolic names (`CHANNEL_NOT_FOUND`, `network_connection_failure`) are found anywhere, as whole words,
//! in any case. Numbers are codes only where the text says so (`"code": 7011`, `errorCode=250100`,
//! `error 7011`, `[40013]`), so that timestamps, sizes, addresses and ports are left alone. Three-digit
//! codes (NCP API Gateway's) look like HTTP statuses, so they count only after an error-code key
//! (`errorCode`, `error_code`).
//!
//! The input is read in lines of at most [`MAX_LINE`] bytes; a longer line is handled in pieces (cut at a
//! space where possible), so memory does not grow with the input.

use crate::catalog::{Book, Hit};
use crate::error::Error;
use std::collections::HashMap;
use std::io::{self, BufRead};

/// The longest piece of a line handled at once.
pub const MAX_LINE: usize = 1 << 20;

/// Names shorter than this are not looked for in text (none of today's are).
const MIN_NAME_LEN: usize = 6;

/// Keys after which a number is a code (`key=7011`, `"key": 7011`), compared in lowercase.
const CODE_KEYS: [&str; 9] = [
    "code",
    "errorcode",
    "error_code",
    "error-code",
    "errcode",
    "err_code",
    "error",
    "err",
    "errorno",
];

/// Keys that name an error code and nothing else: the only context for three-digit codes.
const ERROR_CODE_KEYS: [&str; 5] = [
    "errorcode",
    "error_code",
    "error-code",
    "errcode",
    "err_code",
];

/// Words after which a number is a code (`error 7011`, `code #7011`).
const CODE_WORDS: [&str; 5] = ["error", "err", "code", "errorcode", "error_code"];

/// Units that make a number a quantity (`7011 bytes`), never a code.
const UNITS: [&str; 21] = [
    "b", "byte", "bytes", "kb", "kib", "mb", "mib", "gb", "gib", "ms", "us", "ns", "s", "sec",
    "secs", "second", "seconds", "min", "mins", "minutes", "%",
];

/// One code found in the text.
#[derive(Debug, Clone)]
pub struct Found<'s> {
    /// 1-based line number.
    pub line: u64,
    /// 1-based column, in characters.
    pub column: u64,
    /// The text as it appears in the input.
    pub matched: &'s str,
    /// Every entry the text names (a name two catalogs share gives two).
    pub hits: &'s [Hit<'static>],
}

/// What a scan saw.
#[derive(Debug, Default, Clone, Copy)]
pub struct Stats {
    pub lines: u64,
    /// Whether the input held anything but white space.
    pub non_blank: bool,
    pub findings: u64,
}

/// The names and numeric codes of every catalog, indexed once so that scanning is linear in the input.
pub struct Scanner {
    names: HashMap<String, Vec<Hit<'static>>>,
    numbers: HashMap<String, Vec<Hit<'static>>>,
    max_name: usize,
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

impl Scanner {
    pub fn new(book: &Book) -> Scanner {
        let mut names: HashMap<String, Vec<Hit<'static>>> = HashMap::new();
        let mut numbers: HashMap<String, Vec<Hit<'static>>> = HashMap::new();
        for hit in book.hits() {
            let e = hit.entry;
            if !e.code.is_empty() && e.code.bytes().all(|b| b.is_ascii_digit()) {
                numbers.entry(e.code.to_string()).or_default().push(hit);
            }
            for key in e.keys() {
                let symbolic = key.len() >= MIN_NAME_LEN
                    && key.contains('_')
                    && key.bytes().all(is_word)
                    && key.bytes().any(|b| b.is_ascii_alphabetic());
                if symbolic {
                    let list = names.entry(key.to_ascii_lowercase()).or_default();
                    if !list.iter().any(|h| std::ptr::eq(h.entry, e)) {
                        list.push(hit);
                    }
                }
            }
        }
        let max_name = names.keys().map(String::len).max().unwrap_or(0);
        Scanner {
            names,
            numbers,
            max_name,
        }
    }

    /// Calls `f` for every code in one line (or piece of a line), with the byte offset where it starts.
    pub fn scan_line<'s>(
        &'s self,
        bytes: &'s [u8],
        mut f: impl FnMut(usize, &'s str, &'s [Hit<'static>]),
    ) {
        let n = bytes.len();
        let mut i = 0;
        let mut lower = String::new();
        while i < n {
            if !is_word(bytes[i]) {
                i += 1;
                continue;
            }
            let start = i;
            while i < n && is_word(bytes[i]) {
                i += 1;
            }
            let word = &bytes[start..i];
            // Word bytes are ASCII, so this cannot fail.
            let Ok(text) = std::str::from_utf8(word) else {
                continue;
            };
            if word.iter().all(u8::is_ascii_digit) {
                if let Some(hits) = self.numbers.get(text) {
                    if code_context(bytes, start, i) {
                        f(start, text, hits);
                    }
                }
            } else if word.len() >= MIN_NAME_LEN
                && word.len() <= self.max_name
                && word.contains(&b'_')
            {
                lower.clear();
                lower.extend(word.iter().map(|b| b.to_ascii_lowercase() as char));
                if let Some(hits) = self.names.get(&lower) {
                    f(start, text, hits);
                }
            }
        }
    }

    /// Scans `input` line by line; `f` receives each finding. `what` names the input in error messages.
    pub fn scan(
        &self,
        input: &mut dyn BufRead,
        what: &str,
        mut f: impl FnMut(&Found) -> Result<(), Error>,
    ) -> Result<Stats, Error> {
        let mut lines = Lines::new(input);
        let mut stats = Stats::default();
        loop {
            let piece = lines.next_piece().map_err(|source| Error::Read {
                what: what.to_string(),
                source,
            })?;
            let Some(piece) = piece else { break };
            stats.lines = piece.line;
            if !stats.non_blank && piece.bytes.iter().any(|b| !b.is_ascii_whitespace()) {
                stats.non_blank = true;
            }
            // Columns count characters: every byte that does not continue a UTF-8 sequence.
            let mut counted = 0usize;
            let mut chars = 0u64;
            let mut result = Ok(());
            self.scan_line(piece.bytes, |at, matched, hits| {
                if result.is_err() {
                    return;
                }
                chars += piece.bytes[counted..at]
                    .iter()
                    .filter(|b| (**b & 0xC0) != 0x80)
                    .count() as u64;
                counted = at;
                stats.findings += hits.len() as u64;
                result = f(&Found {
                    line: piece.line,
                    column: piece.column + chars + 1,
                    matched,
                    hits,
                });
            });
            result?;
        }
        Ok(stats)
    }
}

/// Whether the number at `bytes[s..e]` stands where a code stands.
fn code_context(bytes: &[u8], s: usize, e: usize) -> bool {
    let digit_at = |i: usize| bytes.get(i).is_some_and(u8::is_ascii_digit);
    // Part of a larger number: 10.0.70.11, 10:15:30, 2026-11-22, 1/2, 7,011.
    if let Some(&next) = bytes.get(e) {
        if matches!(next, b'.' | b':' | b'-' | b'/' | b',') && digit_at(e + 1) {
            return false;
        }
    }
    if s >= 2 && matches!(bytes[s - 1], b'.' | b':' | b'-' | b'/' | b',') && digit_at(s - 2) {
        return false;
    }
    if followed_by_unit(bytes, e) {
        return false;
    }
    let three_digits = e - s <= 3;
    if let Some(key) = key_before(bytes, s) {
        let keys: &[&str] = if three_digits {
            &ERROR_CODE_KEYS
        } else {
            &CODE_KEYS
        };
        return keys.contains(&key.as_str());
    }
    if three_digits {
        return false;
    }
    // [7011], but not sshd[7011] (a process id).
    if s >= 1 && bytes[s - 1] == b'[' && bytes.get(e) == Some(&b']') {
        return s < 2 || !is_word(bytes[s - 2]);
    }
    word_before(bytes, s).is_some_and(|w| CODE_WORDS.contains(&w.as_str()))
}

/// `key=7011`, `key: 7011`, `"key": "7011"`, `\"key\":7011`: the key, in lowercase.
fn key_before(bytes: &[u8], s: usize) -> Option<String> {
    let mut i = s;
    let skip_quotes = |i: &mut usize| {
        while *i > 0 && matches!(bytes[*i - 1], b'"' | b'\'' | b'\\') {
            *i -= 1;
        }
    };
    let skip_spaces = |i: &mut usize| {
        while *i > 0 && matches!(bytes[*i - 1], b' ' | b'\t') {
            *i -= 1;
        }
    };
    skip_quotes(&mut i);
    skip_spaces(&mut i);
    if i == 0 || !matches!(bytes[i - 1], b':' | b'=') {
        return None;
    }
    i -= 1;
    skip_spaces(&mut i);
    skip_quotes(&mut i);
    let end = i;
    while i > 0 && (is_word(bytes[i - 1]) || bytes[i - 1] == b'-') {
        i -= 1;
    }
    (i < end).then(|| String::from_utf8_lossy(&bytes[i..end]).to_ascii_lowercase())
}

/// `error 7011`, `code #7011`, `error: 7011`: the word before, in lowercase.
fn word_before(bytes: &[u8], s: usize) -> Option<String> {
    let mut i = s;
    if i > 0 && bytes[i - 1] == b'#' {
        i -= 1;
    }
    let spaces_end = i;
    while i > 0 && matches!(bytes[i - 1], b' ' | b'\t') {
        i -= 1;
    }
    if i == spaces_end && i == s {
        return None; // "error7011" is one word, not a context
    }
    let end = i;
    while i > 0 && is_word(bytes[i - 1]) {
        i -= 1;
    }
    (i < end).then(|| String::from_utf8_lossy(&bytes[i..end]).to_ascii_lowercase())
}

/// `7011 bytes`, `7011ms` is one word anyway; `7011 MB`.
fn followed_by_unit(bytes: &[u8], e: usize) -> bool {
    let mut i = e;
    while i < bytes.len() && bytes[i] == b' ' {
        i += 1;
    }
    let start = i;
    while i < bytes.len() && (bytes[i].is_ascii_alphabetic() || bytes[i] == b'%') {
        i += 1;
    }
    if start == i {
        return false;
    }
    let unit = String::from_utf8_lossy(&bytes[start..i]).to_ascii_lowercase();
    UNITS.contains(&unit.as_str())
}

/// A piece of a line: the whole line, or part of one longer than [`MAX_LINE`].
pub struct Piece<'a> {
    pub line: u64,
    /// Characters of the same line before this piece.
    pub column: u64,
    pub bytes: &'a [u8],
}

/// Reads lines of at most [`MAX_LINE`] bytes, never an unbounded `read_line`.
pub struct Lines<'r> {
    input: &'r mut dyn BufRead,
    buf: Vec<u8>,
    carry: Vec<u8>,
    line: u64,
    column: u64,
    at_line_start: bool,
    max: usize,
}

impl<'r> Lines<'r> {
    pub fn new(input: &'r mut dyn BufRead) -> Lines<'r> {
        Lines::with_max(input, MAX_LINE)
    }

    fn with_max(input: &'r mut dyn BufRead, max: usize) -> Lines<'r> {
        Lines {
            input,
            buf: Vec::new(),
            carry: Vec::new(),
            line: 0,
            column: 0,
            at_line_start: true,
            max: max.max(16),
        }
    }

    pub fn next_piece(&mut self) -> io::Result<Option<Piece<'_>>> {
        if self.at_line_start {
            self.column = 0;
        } else {
            self.column += self.buf.iter().filter(|b| (**b & 0xC0) != 0x80).count() as u64;
        }
        self.buf.clear();
        self.buf.append(&mut self.carry);
        let starting = self.at_line_start;
        loop {
            let room = self.max - self.buf.len();
            let avail = match self.input.fill_buf() {
                Ok(a) => a,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if avail.is_empty() {
                if self.buf.is_empty() && (starting || self.at_line_start) {
                    return Ok(None);
                }
                if starting {
                    self.line += 1;
                }
                self.at_line_start = true;
                return Ok(Some(self.piece()));
            }
            let window = &avail[..avail.len().min(room)];
            if let Some(nl) = window.iter().position(|b| *b == b'\n') {
                self.buf.extend_from_slice(&window[..nl]);
                self.input.consume(nl + 1);
                if self.buf.last() == Some(&b'\r') {
                    self.buf.pop();
                }
                if starting {
                    self.line += 1;
                }
                self.at_line_start = true;
                return Ok(Some(self.piece()));
            }
            let took = window.len();
            self.buf.extend_from_slice(window);
            self.input.consume(took);
            if self.buf.len() >= self.max {
                // Too long: cut at a space near the end when there is one, else at a character boundary.
                let tail_from = self.buf.len().saturating_sub(256);
                let cut = match self.buf[tail_from..]
                    .iter()
                    .rposition(|b| b.is_ascii_whitespace())
                {
                    Some(p) => tail_from + p + 1,
                    None => {
                        let mut c = self.buf.len();
                        while c > 0 && (self.buf[c - 1] & 0xC0) == 0x80 {
                            c -= 1;
                        }
                        // Keep a multi-byte character whole; c - 1 is its first byte.
                        if c > 0 && self.buf[c - 1] >= 0xC0 {
                            c - 1
                        } else {
                            self.buf.len()
                        }
                    }
                };
                let cut = if cut == 0 { self.buf.len() } else { cut };
                self.carry.extend_from_slice(&self.buf[cut..]);
                self.buf.truncate(cut);
                if starting {
                    self.line += 1;
                }
                self.at_line_start = false;
                return Ok(Some(self.piece()));
            }
        }
    }

    fn piece(&self) -> Piece<'_> {
        Piece {
            line: self.line,
            column: self.column,
            bytes: &self.buf,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(line: &str) -> Vec<(usize, String, String)> {
        let book = Book::builtin();
        let s = Scanner::new(&book);
        let mut out = Vec::new();
        s.scan_line(line.as_bytes(), |at, m, hits| {
            for h in hits {
                out.push((
                    at,
                    m.to_string(),
                    format!("{}:{}", h.catalog.id, h.entry.code),
                ));
            }
        });
        out
    }

    fn found(line: &str) -> Vec<String> {
        codes(line).into_iter().map(|c| c.2).collect()
    }

    #[test]
    fn numbers_in_code_context() {
        assert_eq!(found(r#"{"code": 40013, "message": "x"}"#), ["skms:40013"]);
        assert_eq!(found("errorCode=250100"), ["livestation:250100"]);
        assert_eq!(found("license failed: error 7011"), ["pallycon:7011"]);
        assert_eq!(found("[7011] token"), ["pallycon:7011"]);
        assert_eq!(found(r#"body={\"code\":\"40013\"}"#), ["skms:40013"]);
        assert_eq!(found("code #7011"), ["pallycon:7011"]);
        assert_eq!(found(r#""errorCode": "210""#), ["ncp-apigw:210"]);
    }

    #[test]
    fn numbers_without_context_or_with_guards_are_ignored() {
        for line in [
            "7011",
            "2026-11-22T10:15:30Z took 7011 ms",
            "sent 7011 bytes",
            "connect 10.0.70.11:7011 refused",
            "ts=1700000000 size=7011",
            "sshd[7011]: accepted",
            "code=7011.5",
            "error 7011 bytes",
            "HTTP status code: 200",
            "code=200",
            "[200]",
            "error7011",
        ] {
            assert!(found(line).is_empty(), "{line}: {:?}", found(line));
        }
    }

    #[test]
    fn names_are_whole_words_in_any_case() {
        assert_eq!(
            codes("x Channel_Not_Found."),
            [(
                2,
                "Channel_Not_Found".to_string(),
                "livestation:250100".to_string()
            )]
        );
        assert!(found("ERR_CHANNEL_NOT_FOUND").is_empty());
        assert!(found("channel_not_found_2").is_empty());
        assert_eq!(
            found("\"code\": \"network_connection_failure\""),
            ["adobe-pass:network_connection_failure"]
        );
        // A name two catalogs share gives both.
        assert_eq!(found("INTERNAL_SERVER_ERROR").len(), 2);
    }

    #[test]
    fn long_lines_come_in_pieces_with_running_columns() {
        let text = format!("{} error 7011\nnext\n", "é".repeat(40));
        let mut input = text.as_bytes();
        let mut lines = Lines::with_max(&mut input, 32);
        let mut pieces = Vec::new();
        while let Some(p) = lines.next_piece().unwrap() {
            assert!(p.bytes.len() <= 32);
            assert!(
                std::str::from_utf8(p.bytes).is_ok(),
                "cut inside a character"
            );
            pieces.push((
                p.line,
                p.column,
                String::from_utf8(p.bytes.to_vec()).unwrap(),
            ));
        }
        let line1: String = pieces
            .iter()
            .filter(|p| p.0 == 1)
            .map(|p| p.2.clone())
            .collect();
        assert_eq!(line1, text.lines().next().unwrap());
        assert_eq!(pieces.last().unwrap(), &(2, 0, "next".to_string()));
        for w in pieces.windows(2).filter(|w| w[0].0 == w[1].0) {
            assert_eq!(w[1].1, w[0].1 + w[0].2.chars().count() as u64);
        }
    }

    #[test]
    fn scan_reports_lines_and_character_columns() {
        let book = Book::builtin();
        let s = Scanner::new(&book);
        let mut input: &[u8] = "ok\r\n\n채널 CHANNEL_NOT_FOUND and [7011]\n".as_bytes();
        let mut got = Vec::new();
        let stats = s
            .scan(&mut input, "test", |f| {
                got.push((f.line, f.column, f.matched.to_string()));
                Ok(())
            })
            .unwrap();
        assert_eq!(
            got,
            [
                (3, 4, "CHANNEL_NOT_FOUND".to_string()),
                (3, 27, "7011".to_string())
            ]
        );
        assert_eq!(stats.lines, 3);
        assert!(stats.non_blank);
    }
}
