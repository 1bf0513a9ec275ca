//! `curl -i` and `curl -v` output pasted on standard input: the status line and headers are read, and the
//! body after them is decoded as a body (JSON or XML), with the request's method, URL and status.
//!
//! `curl -i` writes the response's status line, its headers, a blank line and the body (once per
//! response when it followed redirects or got `100 Continue`: the last counts). `curl -v` writes
//! `* ` notes, `> ` request lines, `< ` response lines, then the body unmarked.

use super::body::{self, Finding, Request, Shapes};

/// Whether `text` looks like curl's output: it starts with a status line, or it has a `< HTTP/` line.
pub fn looks_like(text: &str) -> bool {
    let first = text.trim_start().lines().next().unwrap_or("");
    is_status_line(first)
        || text
            .lines()
            .any(|l| l.strip_prefix("< ").is_some_and(is_status_line))
}

fn is_status_line(l: &str) -> bool {
    l.starts_with("HTTP/") && status_of(l).is_some()
}

/// `HTTP/1.1 403 Forbidden` → 403.
fn status_of(l: &str) -> Option<u16> {
    let code = l.split_whitespace().nth(1)?;
    code.parse().ok().filter(|s| (100..=599).contains(s))
}

/// The findings of the body of curl's output, each carrying the request; None when it is not curl's
/// output or its body holds no error object.
pub fn decode(text: &str, shapes: &Shapes) -> Option<Vec<Finding>> {
    if !looks_like(text) {
        return None;
    }
    let mut request = Request::default();
    let mut host = None;
    let mut tls = false;
    let mut path = None;
    let mut body_lines: Vec<&str> = Vec::new();
    let verbose = text
        .lines()
        .any(|l| l.starts_with("> ") || l.starts_with("< "));
    if verbose {
        for l in text.lines() {
            let l = l.trim_end_matches('\r');
            if let Some(req) = l.strip_prefix("> ") {
                if let Some(h) = req
                    .strip_prefix("Host: ")
                    .or_else(|| req.strip_prefix("host: "))
                {
                    host = Some(h.trim().to_string());
                } else if let Some(h) = req.strip_prefix(":authority: ") {
                    host = Some(h.trim().to_string());
                } else if req.ends_with(" HTTP/1.1")
                    || req.ends_with(" HTTP/1.0")
                    || req.ends_with(" HTTP/2")
                    || req.ends_with(" HTTP/3")
                {
                    let mut parts = req.split_whitespace();
                    request.method = parts.next().map(str::to_string);
                    path = parts.next().map(str::to_string);
                }
            } else if let Some(resp) = l.strip_prefix("< ") {
                if is_status_line(resp) {
                    request.status = status_of(resp);
                    body_lines.clear();
                }
            } else if l.starts_with("* ") || l.starts_with("*  ") || l == "<" || l == ">" {
                if l.contains("SSL")
                    || l.contains("TLS")
                    || l.contains("ALPN")
                    || l.contains(":443")
                    || l.contains("port 443")
                {
                    tls = true;
                }
            } else if l.starts_with("{ [") || l.starts_with("} [") {
            } else if request.status.is_some() {
                body_lines.push(l);
            }
        }
    } else {
        // The last status line, its headers, a blank line, the body.
        let lines: Vec<&str> = text.trim_start().lines().collect();
        let mut i = 0;
        let mut body_start = None;
        while i < lines.len() {
            let l = lines[i].trim_end_matches('\r');
            if is_status_line(l) {
                request.status = status_of(l);
                let mut j = i + 1;
                while j < lines.len() && !lines[j].trim().is_empty() {
                    j += 1;
                }
                body_start = Some(j + 1);
                i = j + 1;
                // Another status line right after the blank line is the next response.
                if lines.get(i).is_some_and(|l| is_status_line(l)) {
                    continue;
                }
                break;
            }
            i += 1;
        }
        if let Some(b) = body_start {
            body_lines.extend(lines.iter().skip(b).copied());
        }
    }
    if let (Some(h), Some(p)) = (&host, &path) {
        let scheme = if tls { "https" } else { "http" };
        request.url = Some(if p.starts_with("http") {
            p.clone()
        } else {
            format!("{scheme}://{h}{p}")
        });
    }
    let body_text = body_lines.join("\n");
    let t = body_text.trim();
    let mut found = if t.starts_with(['{', '[']) {
        body::decode_json(&serde_json::from_str(t).ok()?, shapes)
    } else if t.starts_with('<') {
        body::decode_xml(t, shapes)?
    } else {
        return None;
    };
    if found.is_empty() {
        return None;
    }
    for f in found.iter_mut().filter(|f| f.parent.is_none()) {
        f.request = Some(request.clone());
    }
    Some(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shapes() -> Shapes {
        Shapes::of(&crate::catalog::Book::builtin())
    }

    #[test]
    fn curl_i_takes_the_last_response() {
        let text = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 403 Forbidden\r\nContent-Type: application/json\r\n\r\n{\"errorCode\":\"7011\",\"message\":\"Token is expired.\"}\r\n";
        let f = decode(text, &shapes()).unwrap();
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].code, "7011");
        let r = f[0].request.as_ref().unwrap();
        assert_eq!((r.status, r.method.as_deref()), (Some(403), None));
    }

    #[test]
    fn curl_v_gives_method_and_url() {
        let text = "* Connected to lic.example.com (192.0.2.1) port 443\n> POST /license?x=1 HTTP/2\n> Host: lic.example.com\n>\n< HTTP/2 401\n< content-type: text/xml\n<\n<error><code>access_token_expired</code><status>401</status></error>\n* Connection #0 left intact\n";
        let f = decode(text, &shapes()).unwrap();
        assert_eq!(f[0].code, "access_token_expired");
        assert_eq!(
            f[0].request.as_ref().unwrap().describe(),
            "HTTP 401 from POST https://lic.example.com/license?x=1"
        );
    }

    #[test]
    fn not_curl_or_no_error_body() {
        assert!(decode("error 7011 at 10:00\n", &shapes()).is_none());
        assert!(decode("HTTP/1.1 200 OK\n\n<html></html>\n", &shapes()).is_none());
        assert!(decode("HTTP/1.1 200 OK\n\n{\"ok\": true}\n", &shapes()).is_none());
        assert!(!looks_like("HTTP/1.1 is a protocol"));
    }
}
