//! HAR files (a browser's saved network log): the failed requests, their response bodies decoded. An
//! entry counts when its status is 400 or more, or when its body holds an error object a catalog's shape
//! claims (a 200 that is an error). Each finding carries the request's method, URL and status; license
//! and key requests come first, the others in the file's order.

use super::body::{self, Finding, Request, Shapes, GENERIC};
use base64::Engine;
use serde_json::Value;

/// Whether a JSON document is a HAR file: `log.entries` is a list.
pub fn is_har(doc: &Value) -> bool {
    doc.get("log")
        .and_then(|l| l.get("entries"))
        .is_some_and(Value::is_array)
}

/// Whether the start of a file looks like a HAR file: `{` and then the key `"log"`, as browsers write
/// them (for `scan`, which must not read a log whole to find out).
pub fn looks_like_har(head: &[u8]) -> bool {
    let mut rest = head
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(head)
        .trim_ascii_start();
    let Some(r) = rest.strip_prefix(b"{") else {
        return false;
    };
    rest = r.trim_ascii_start();
    rest.starts_with(b"\"log\"")
}

/// What a HAR file holds: the findings, and a line for every failed request whose body holds no error
/// object.
pub struct Har {
    pub findings: Vec<Finding>,
    pub notes: Vec<String>,
}

/// Words in a URL that mark a license or key request.
const LICENSE_WORDS: [&str; 9] = [
    "licen",
    "drm",
    "widevine",
    "playready",
    "fairplay",
    "fps",
    "ckc",
    "/key",
    "rightsmanager",
];

fn is_license(url: &str) -> bool {
    let u = url.to_ascii_lowercase();
    LICENSE_WORDS.iter().any(|w| u.contains(w))
}

pub fn decode(doc: &Value, shapes: &Shapes) -> Har {
    let mut groups: Vec<(bool, Vec<Finding>)> = Vec::new();
    let mut notes = Vec::new();
    let entries = doc["log"]["entries"]
        .as_array()
        .map_or(&[][..], Vec::as_slice);
    for (i, e) in entries.iter().enumerate() {
        let status = e["response"]["status"]
            .as_u64()
            .filter(|s| (100..=599).contains(s))
            .map(|s| s as u16);
        let request = Request {
            method: e["request"]["method"].as_str().map(str::to_string),
            url: e["request"]["url"]
                .as_str()
                .map(|u| body::cut(u.to_string())),
            status,
        };
        let content = &e["response"]["content"];
        let text = content["text"].as_str().unwrap_or("");
        let text = if content["encoding"].as_str() == Some("base64") {
            let compact: String = text.split_whitespace().collect();
            base64::engine::general_purpose::STANDARD
                .decode(compact.as_bytes())
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .unwrap_or_default()
        } else {
            text.to_string()
        };
        let t = text.trim_start();
        let pointer = format!("/log/entries/{i}/response/content/text");
        let mut found = if t.starts_with(['{', '[']) {
            serde_json::from_str(t)
                .map(|v| body::decode_json(&v, shapes))
                .unwrap_or_default()
        } else if t.starts_with('<') {
            body::decode_xml(t, shapes).unwrap_or_default()
        } else {
            Vec::new()
        };
        let failed = status.is_some_and(|s| s >= 400);
        if !failed && !found.iter().any(|f| f.shape != GENERIC) {
            continue;
        }
        if found.is_empty() {
            notes.push(format!(
                "{}: no error object in the response body",
                request.describe()
            ));
            continue;
        }
        for f in &mut found {
            f.pointer = format!("{pointer}{}", f.pointer);
            if f.parent.is_none() {
                f.request = Some(request.clone());
            }
        }
        groups.push((request.url.as_deref().is_some_and(is_license), found));
    }
    // License and key requests first (a stable sort keeps the file's order otherwise).
    groups.sort_by_key(|(license, _)| !*license);
    let mut out = body::Body {
        syntax: body::Syntax::Har,
        findings: Vec::new(),
        notes: Vec::new(),
    };
    for (_, found) in groups {
        out.extend(found, None);
    }
    Har {
        findings: out.findings,
        notes,
    }
}

/// A finding of a HAR file as `scan` reports it: the line and column (in characters) of its request's
/// URL in the file, the code, and the entries it names.
pub struct Located {
    pub line: u64,
    pub column: u64,
    pub code: String,
    pub hits: Vec<crate::catalog::Hit<'static>>,
}

/// For `scan`: when `reader` starts like a HAR file, its findings, looked up; otherwise the reader, every
/// byte still to be read (a file that starts like one and is not is handed back whole, as text).
#[allow(clippy::type_complexity)]
pub fn read_if_har<'r>(
    mut reader: Box<dyn std::io::BufRead + 'r>,
    book: &crate::catalog::Book,
) -> std::io::Result<Result<Vec<Located>, Box<dyn std::io::BufRead + 'r>>> {
    use std::io::Read;
    if !looks_like_har(reader.fill_buf()?) {
        return Ok(Err(reader));
    }
    let mut text = Vec::new();
    (&mut reader)
        .take(super::MAX_BODY as u64 + 1)
        .read_to_end(&mut text)?;
    match locate(&text, book) {
        Some(found) => Ok(Ok(found)),
        None => Ok(Err(Box::new(std::io::Cursor::new(text).chain(reader)))),
    }
}

/// The findings of a HAR file's text for `scan`, looked up; None when the text is not a HAR file.
pub fn locate(text: &[u8], book: &crate::catalog::Book) -> Option<Vec<Located>> {
    let doc: Value = serde_json::from_slice(text).ok()?;
    if !is_har(&doc) {
        return None;
    }
    let text = String::from_utf8_lossy(text);
    let har = decode(&doc, &Shapes::of(book));
    Some(
        har.findings
            .into_iter()
            .map(|mut f| {
                f.resolve(book);
                let url = f.request.as_ref().and_then(|r| r.url.clone());
                let at = url
                    .and_then(|u| serde_json::to_string(&u).ok())
                    .and_then(|quoted| text.find(&quoted))
                    .unwrap_or(0);
                let before = &text[..at];
                let line = before.matches('\n').count() as u64 + 1;
                let column = before[before.rfind('\n').map_or(0, |i| i + 1)..]
                    .chars()
                    .count() as u64
                    + 1;
                Located {
                    line,
                    column,
                    code: f.code,
                    hits: f.hits,
                }
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn entry(method: &str, url: &str, status: u64, text: &str, base64: bool) -> Value {
        let content = if base64 {
            json!({"text": base64::engine::general_purpose::STANDARD.encode(text), "encoding": "base64"})
        } else {
            json!({ "text": text })
        };
        json!({"request": {"method": method, "url": url}, "response": {"status": status, "content": content}})
    }

    #[test]
    fn failed_requests_and_error_bodies_license_first() {
        let doc = json!({"log": {"entries": [
            entry("GET", "https://api.example.com/a", 500, r#"{"errorCode":"250100","message":"Channel is not found"}"#, false),
            entry("GET", "https://cdn.example.com/ok", 200, r#"{"code": 7, "items": []}"#, false),
            entry("GET", "https://cdn.example.com/seg.m4s", 404, "<html>no</html>", false),
            entry("POST", "https://drm.example.com/widevine", 403, r#"{"errorCode":"7011","message":"Token is expired."}"#, true),
            entry("POST", "https://kms.example.com/v2/keys", 200, r#"{"code":40013,"message":"Key not found"}"#, false),
        ]}});
        assert!(is_har(&doc));
        let h = decode(&doc, &Shapes::of(&crate::catalog::Book::builtin()));
        let codes: Vec<&str> = h.findings.iter().map(|f| f.code.as_str()).collect();
        assert_eq!(codes, ["7011", "40013", "250100"]);
        let r = h.findings[0].request.as_ref().unwrap();
        assert_eq!(r.method.as_deref(), Some("POST"));
        assert_eq!(r.status, Some(403));
        assert_eq!(
            h.notes,
            ["HTTP 404 from GET https://cdn.example.com/seg.m4s: no error object in the response body"]
        );
    }

    #[test]
    fn recognises_har_by_its_start() {
        assert!(looks_like_har(b"\xEF\xBB\xBF {\n  \"log\": {"));
        assert!(!looks_like_har(b"{\"code\": 7011}"));
        assert!(!looks_like_har(b"log: 7011"));
    }
}
