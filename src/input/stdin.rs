//! What standard input holds for `lookup -` and `explain -`, decided once per input:
//!
//! 1. only white space: empty;
//! 2. it starts with `{` or `[` and is one JSON document (at most [`MAX_BODY`] bytes) with an error object
//!    in it, or is a HAR file, or starts with `<` and is XML with an error element: a body;
//! 3. it is at most [`lines::MAX_TEXT`] bytes and is curl's output (`curl -i`/`-v`) with an error body,
//!    or holds lines a catalog's line shape matches (a player's error): a body, decoded by `http` or
//!    `lines`;
//! 4. every non-blank line is one query token (a code, name, `catalog:code`, wildcard or range): queries,
//!    one per line;
//! 5. anything else: free text, to be scanned. Nothing read while deciding is lost: the text handed
//!    back starts at the first byte, so line numbers are those of the input.

use crate::error::Error;
use crate::input::body::{self, Body, Shapes, Syntax};
use crate::input::{har, http, lines};
use crate::query::MAX_QUERY_LEN;
use std::io::{BufRead, Cursor, Read};

/// The largest body decoded as JSON or XML; a longer input is scanned as text instead.
pub const MAX_BODY: usize = 16 << 20;

pub enum Stdin<'r> {
    Empty,
    Queries(Vec<String>),
    Body(Body),
    Text(Box<dyn BufRead + 'r>),
}

fn read_error(source: std::io::Error) -> Error {
    Error::Read {
        what: "standard input".into(),
        source,
    }
}

/// A line a user would type as one query: a single token of code characters.
/// The longest line read as a list of queries; a longer one makes the input free text.
const LINE_LIMIT: u64 = 64 * 1024;

/// The queries of one line: none for a blank line, one for a line that is one query token, several for
/// a line that lists codes separated by white space or commas (`7011 7110, 40013`). `None` when the line
/// is text. In a list, each token must look like a code (a digit, `_` or `:` in it), so that a sentence
/// ("license request fails with 7011") stays text and is scanned.
fn line_queries(line: &str) -> Option<Vec<String>> {
    let tokens: Vec<&str> = line
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|t| !t.is_empty())
        .collect();
    let ok = match tokens.as_slice() {
        [] => true,
        [one] => looks_like_query(crate::pasted::unwrapped(one)),
        many => many.iter().all(|t| {
            let t = crate::pasted::unwrapped(t);
            looks_like_query(t) && t.contains(|c: char| c.is_ascii_digit() || c == '_' || c == ':')
        }),
    };
    ok.then(|| tokens.into_iter().map(str::to_string).collect())
}

pub fn looks_like_query(line: &str) -> bool {
    !line.is_empty()
        && line.len() <= MAX_QUERY_LEN
        && line
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | ':' | '*' | '?'))
}

pub fn read<'r>(stdin: &'r mut dyn BufRead, shapes: &Shapes) -> Result<Stdin<'r>, Error> {
    // Find the first byte that is not white space, keeping everything read on the way but a UTF-8 byte
    // order mark at the start, which is dropped: with it, a JSON body would not parse and the first of a
    // list of codes would not look like one.
    let mut head: Vec<u8> = Vec::new();
    let first = loop {
        let avail = stdin.fill_buf().map_err(read_error)?;
        if avail.is_empty() {
            break None;
        }
        let skip_bom = if head.is_empty() && avail.starts_with(b"\xEF\xBB\xBF") {
            3
        } else {
            0
        };
        match avail[skip_bom..]
            .iter()
            .position(|b| !b.is_ascii_whitespace())
        {
            Some(p) => {
                let b = avail[skip_bom + p];
                head.extend_from_slice(&avail[skip_bom..skip_bom + p]);
                stdin.consume(skip_bom + p);
                break Some(b);
            }
            None => {
                let n = avail.len();
                head.extend_from_slice(&avail[skip_bom..]);
                stdin.consume(n);
                if head.len() > MAX_BODY {
                    // Megabytes of white space: treat it as text, without holding more of it.
                    return Ok(Stdin::Text(Box::new(Cursor::new(head).chain(stdin))));
                }
            }
        }
    };
    let Some(first) = first else {
        return Ok(Stdin::Empty);
    };
    if matches!(first, b'{' | b'[' | b'<') {
        let limit = (MAX_BODY + 1 - head.len().min(MAX_BODY)) as u64;
        (&mut *stdin)
            .take(limit)
            .read_to_end(&mut head)
            .map_err(read_error)?;
        if head.len() <= MAX_BODY {
            let findings = if first == b'<' {
                std::str::from_utf8(&head)
                    .ok()
                    .and_then(|t| body::decode_xml(t, shapes))
                    .map(|f| (Syntax::Xml, f))
            } else {
                match serde_json::from_slice::<serde_json::Value>(&head) {
                    Ok(v) if har::is_har(&v) => {
                        let mut h = har::decode(&v, shapes);
                        if h.findings.is_empty() && h.notes.is_empty() {
                            h.notes.push("the HAR file holds no failed request".into());
                        }
                        return Ok(Stdin::Body(Body {
                            syntax: Syntax::Har,
                            findings: h.findings,
                            notes: h.notes,
                        }));
                    }
                    Ok(v) => Some((Syntax::Json, body::decode_json(&v, shapes))),
                    Err(_) => None,
                }
            };
            if let Some((syntax, findings)) = findings.filter(|(_, f)| !f.is_empty()) {
                return Ok(Stdin::Body(Body {
                    syntax,
                    findings,
                    notes: Vec::new(),
                }));
            }
        }
        return Ok(Stdin::Text(Box::new(Cursor::new(head).chain(stdin))));
    }

    // curl's output or a player's error lines, when the whole text is small.
    let limit = (lines::MAX_TEXT + 1).saturating_sub(head.len()) as u64;
    (&mut *stdin)
        .take(limit)
        .read_to_end(&mut head)
        .map_err(read_error)?;
    if head.len() <= lines::MAX_TEXT {
        let text = std::str::from_utf8(&head).ok().filter(|t| {
            // A list of queries is not looked at further.
            !t.lines()
                .map(str::trim)
                .all(|l| l.is_empty() || looks_like_query(l))
        });
        if let Some(text) = text {
            let decoded = http::decode(text, shapes)
                .map(|f| (Syntax::Http, f))
                .or_else(|| {
                    Some((Syntax::Text, lines::decode(text, shapes))).filter(|(_, f)| !f.is_empty())
                });
            if let Some((syntax, findings)) = decoded {
                return Ok(Stdin::Body(Body {
                    syntax,
                    findings,
                    notes: Vec::new(),
                }));
            }
        }
    }

    // One query per line, as long as every line looks like one.
    let mut reader = Cursor::new(head).chain(stdin);
    let mut consumed: Vec<u8> = Vec::new();
    let mut queries = Vec::new();
    // A line may list many codes (`7011 7110 40013`); each stays within MAX_QUERY_LEN.
    let limit = LINE_LIMIT;
    loop {
        let mut line = Vec::new();
        let n = (&mut reader)
            .take(limit)
            .read_until(b'\n', &mut line)
            .map_err(read_error)?;
        if n == 0 {
            break;
        }
        let complete = line.ends_with(b"\n") || (n as u64) < limit;
        consumed.extend_from_slice(&line);
        let line = std::str::from_utf8(&line).ok().filter(|_| complete);
        match line.and_then(line_queries) {
            Some(q) => queries.extend(q),
            None => {
                return Ok(Stdin::Text(Box::new(Cursor::new(consumed).chain(reader))));
            }
        }
    }
    if queries.is_empty() {
        return Ok(Stdin::Empty);
    }
    Ok(Stdin::Queries(queries))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(input: &str) -> String {
        let shapes = Shapes::of(&crate::catalog::Book::builtin());
        let mut r = input.as_bytes();
        let got = read(&mut r, &shapes).unwrap();
        let kind = match got {
            Stdin::Empty => "empty".into(),
            Stdin::Queries(q) => format!("queries {}", q.join(",")),
            Stdin::Body(b) => format!("{} {}", b.syntax.as_str(), b.findings.len()),
            Stdin::Text(mut t) => {
                let mut s = String::new();
                t.read_to_string(&mut s).unwrap();
                assert_eq!(s, input, "text must come back whole");
                "text".into()
            }
        };
        kind
    }

    #[test]
    fn decides_per_input() {
        assert_eq!(kind(" \n\t\n"), "empty");
        assert_eq!(kind(""), "empty");
        assert_eq!(
            kind("7011\n\nCHANNEL_NOT_FOUND\r\n73xx\n"),
            "queries 7011,CHANNEL_NOT_FOUND,73xx"
        );
        assert_eq!(
            kind("pallycon:7011\n7300-7317"),
            "queries pallycon:7011,7300-7317"
        );
        assert_eq!(kind("\n{\"code\": 40013, \"message\": \"m\"}\n"), "json 1");
        assert_eq!(
            kind("<error><code>bad_request</code><status>400</status></error>"),
            "xml 1"
        );
        // JSON without an error object, JSON lines, a log starting with a bracket, HTML, plain text.
        assert_eq!(kind("{\"a\": 1}"), "text");
        assert_eq!(
            kind("{\"code\": 7011, \"message\": \"x\"}\n{\"code\": 7012}\n"),
            "text"
        );
        assert_eq!(kind("[2026-01-01 10:00:00] error 7011\n"), "text");
        assert_eq!(kind("<html><body>hi</body></html>"), "text");
        assert_eq!(kind("7011\nlicense failed: error 7012\n"), "text");
        // A byte order mark changes nothing (issue 20 #6).
        assert_eq!(kind("\u{feff}7011\n7012\n"), "queries 7011,7012");
        assert_eq!(
            kind("\u{feff}{\"code\": 40013, \"message\": \"m\"}"),
            "json 1"
        );
        assert_eq!(
            kind("\u{feff}<error><code>bad_request</code><status>400</status></error>"),
            "xml 1"
        );
        let long = "7".repeat(MAX_QUERY_LEN + 10);
        assert_eq!(kind(&long), "text");
    }
}
