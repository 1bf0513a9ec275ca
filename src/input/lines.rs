//! Pasted text that is a player's error rather than a log: Shaka's `Shaka Error DRM.…(…)` lines, Apple's
//! `NSError` descriptions with their `NSUnderlyingError`, Media3's `ExoPlaybackException` lines. The
//! catalogs say what such lines look like (`[[catalog.line]]`, a regular expression with a `code` group,
//! see `catalog::LineShape`); this file only applies them. Every match is one link of a chain: within a
//! paragraph (lines without a blank line between them), each link is carried by the one before it, as
//! these players print the outer error first. JSON objects in the text (a response body a player logged)
//! are decoded as bodies, carried by the link before them; without any match, JSON objects with only a
//! short label beside them (`hls.on(ERROR) => {…}`) are a body too.

use super::body::{self, Finding, Request, Shapes};
use regex_lite::Regex;

/// The longest text decoded this way; a longer one is a log, and is scanned.
pub const MAX_TEXT: usize = 1 << 20;

/// The most text (bytes, white space at the ends of pieces aside, and on one line) beside JSON objects
/// for them to be read as a body without any line shape matching.
const MAX_LABEL: usize = 120;

/// The most matches of line shapes in one text: more is a log, and is scanned.
const MAX_LINKS: usize = 256;

/// How many `{` are tried as the start of a JSON object (each try reads at most the rest of the text).
const MAX_OBJECTS: usize = 64;

/// The findings of `text`, in order, or nothing when no line shape matches it.
pub fn decode(text: &str, shapes: &Shapes) -> Vec<Finding> {
    if text.len() > MAX_TEXT || shapes.lines.is_empty() {
        return Vec::new();
    }
    // Each match: (start, end, finding).
    let mut links: Vec<(usize, usize, Finding)> = Vec::new();
    let newlines: Vec<usize> = memchr::memchr_iter(b'\n', text.as_bytes()).collect();
    for line in &shapes.lines {
        let (catalog, shape) = (line.catalog, line.shape);
        if line.literal.is_some_and(|l| !text.contains(l)) {
            continue;
        }
        // The patterns were checked when the catalog was built or loaded; one that does not compile
        // here is skipped rather than trusted.
        let Ok(re) = Regex::new(line.pattern) else {
            continue;
        };
        for caps in re.captures_iter(text) {
            let Some(code) = caps.name("code") else {
                continue;
            };
            let whole = caps.get(0).map_or(code.range(), |m| m.range());
            if links
                .iter()
                .any(|(s, e, _)| whole.start < *e && *s < whole.end)
            {
                continue;
            }
            if links.len() == MAX_LINKS {
                return Vec::new();
            }
            let line = newlines.partition_point(|&n| n < whole.start) + 1;
            let mut f = Finding::new(format!("line {line}"), shape, code.as_str().to_string());
            f.prefer = vec![catalog];
            let request = Request {
                method: None,
                url: caps.name("url").map(|m| m.as_str().to_string()),
                status: caps
                    .name("status")
                    .and_then(|m| m.as_str().parse().ok())
                    .filter(|s| (100..=599).contains(s)),
            };
            if request.url.is_some() || request.status.is_some() {
                f.request = Some(request);
            }
            links.push((whole.start, whole.end, f));
        }
    }
    // JSON objects in the text.
    let mut objects: Vec<(usize, usize, Vec<Finding>)> = Vec::new();
    let mut from = 0;
    let mut tries = 0;
    while let Some(i) = text[from..].find('{').map(|i| i + from) {
        if tries == MAX_OBJECTS {
            break;
        }
        tries += 1;
        let mut stream =
            serde_json::Deserializer::from_str(&text[i..]).into_iter::<serde_json::Value>();
        match stream.next() {
            Some(Ok(v)) => {
                let end = i + stream.byte_offset();
                let found = body::decode_json(&v, shapes);
                if !found.is_empty() {
                    objects.push((i, end, found));
                }
                from = end;
            }
            _ => from = i + 1,
        }
    }
    // Without a line shape's match, the text is a body only when it is JSON objects with a label around
    // them (`hls.on(ERROR) => {…}`), not a log that happens to hold some.
    if links.is_empty() {
        let mut outside = String::new();
        let mut at = 0;
        for (s, e, _) in &objects {
            outside.push_str(text[at..*s].trim());
            at = *e;
        }
        outside.push_str(text[at..].trim());
        if objects.is_empty() || outside.len() > MAX_LABEL || outside.contains('\n') {
            return Vec::new();
        }
    }
    // A line match inside a JSON object is the object's business.
    links.retain(|(s, _, _)| !objects.iter().any(|(os, oe, _)| os <= s && s < oe));
    enum Item {
        Link(Box<Finding>),
        Object(Vec<Finding>),
    }
    let mut items: Vec<(usize, usize, Item)> = links
        .into_iter()
        .map(|(s, e, f)| (s, e, Item::Link(Box::new(f))))
        .chain(objects.into_iter().map(|(s, e, o)| (s, e, Item::Object(o))))
        .collect();
    items.sort_by_key(|(s, _, _)| *s);
    let mut out = body::Body {
        syntax: body::Syntax::Text,
        findings: Vec::new(),
        notes: Vec::new(),
    };
    let mut carrier: Option<usize> = None;
    let mut last_end = 0;
    for (start, end, item) in items {
        if text[last_end.min(start)..start].contains("\n\n")
            || text[last_end.min(start)..start].contains("\n\r\n")
        {
            carrier = None;
        }
        last_end = end;
        match item {
            Item::Link(mut f) => {
                f.parent = carrier;
                carrier = Some(out.findings.len());
                out.findings.push(*f);
            }
            Item::Object(found) => out.extend(found, carrier),
        }
    }
    out.findings
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shapes() -> Shapes {
        Shapes::of(&crate::catalog::Book::builtin())
    }

    #[test]
    fn an_nserror_reads_outer_first_and_a_blank_line_ends_a_chain() {
        let text = "Error Domain=AVFoundationErrorDomain Code=-11800 \"x\" UserInfo={NSUnderlyingError=0x1 {Error Domain=NSOSStatusErrorDomain Code=-42656 \"(null)\"}}\n\nError Domain=AVFoundationErrorDomain Code=-11819 \"y\"\n";
        let f = decode(text, &shapes());
        let got: Vec<(&str, Option<usize>, &str)> = f
            .iter()
            .map(|f| (f.code.as_str(), f.parent, f.pointer.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("-11800", None, "line 1"),
                ("-42656", Some(0), "line 1"),
                ("-11819", None, "line 3")
            ]
        );
    }

    #[test]
    fn json_needs_a_line_shape_or_only_a_short_label() {
        let labelled = "hls.on(ERROR) => {\"type\":\"networkError\",\"details\":\"keyLoadError\",\"fatal\":false}";
        assert_eq!(decode(labelled, &shapes())[0].code, "keyLoadError");
        let log = "10:00 GET /a 200\n10:01 failed: {\"type\":\"networkError\",\"details\":\"keyLoadError\",\"fatal\":false}";
        assert!(decode(log, &shapes()).is_empty());
        assert!(decode("nothing here", &shapes()).is_empty());
        // Hundreds of player lines are a log, left to the scanner.
        let log = "E/x: errorCode=ERROR_CODE_IO_BAD_HTTP_STATUS\n".repeat(MAX_LINKS + 1);
        assert!(decode(&log, &shapes()).is_empty());
        let few = "E/x: errorCode=ERROR_CODE_IO_BAD_HTTP_STATUS\n".repeat(3);
        let f = decode(&few, &shapes());
        assert_eq!(
            f.iter().map(|f| f.pointer.as_str()).collect::<Vec<_>>(),
            ["line 1", "line 2", "line 3"]
        );
    }

    #[test]
    fn a_pattern_whose_literal_is_absent_is_not_tried() {
        let mut s = shapes();
        s.lines = vec![crate::input::body::Line {
            catalog: "apple",
            shape: "t",
            pattern: "X(?P<code>-[0-9]+)",
            literal: Some("Y"),
        }];
        assert!(decode("X-11800", &s).is_empty());
        s.lines[0].literal = None;
        assert_eq!(decode("X-11800", &s)[0].code, "-11800");
    }

    #[test]
    fn shaka_debug_line_carries_status_and_url() {
        let text = "Shaka Error NETWORK.BAD_HTTP_STATUS (https://lic.example.com/l,403,body)";
        let f = decode(text, &shapes());
        assert_eq!(f[0].code, "BAD_HTTP_STATUS");
        let r = f[0].request.as_ref().unwrap();
        assert_eq!(
            (r.status, r.url.as_deref()),
            (Some(403), Some("https://lic.example.com/l"))
        );
    }
}
