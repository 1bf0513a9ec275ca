//! Issue 7: an error body pasted on standard input (`lookup -`, `explain -`) is recognised by its fields
//! and the codes it carries are explained, with the body's own fields beside them.
//!
//! The SKMS bodies are the vendor's examples, read from the seed document when it is present. The Adobe
//! bodies follow the error object of Adobe's enhanced-error-codes page (fields action, status, code,
//! message, details, helpUrl, trace; item-level errors inside a list of items). For NCP and PallyCon
//! errbook assumes no vendor-specific layout beyond a code key beside a message, and the bodies below only
//! exercise that.

use errbook::render::{BodyFindingJson, Document, ScanDocument};
use std::path::Path;

use crate::common;
use common::{errbook, run_with, Run};

fn run(args: &[&str], stdin: &str) -> Run {
    run_with(errbook().args(args).write_stdin(stdin))
}

/// `lookup - --format json` on `body`: the document, after checking it succeeded.
fn findings(body: &str) -> Vec<BodyFindingJson> {
    let r = run(&["lookup", "-", "--format", "json"], body);
    assert_eq!(r.code, 0, "{body}: {}", r.stderr);
    let doc: Document = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(doc.command, "lookup");
    doc.findings
}

fn located(fs: &[BodyFindingJson]) -> Vec<(String, String, String)> {
    fs.iter()
        .map(|f| {
            let cat = f.entry.as_ref().map_or("-".into(), |e| e.catalog.clone());
            (f.pointer.clone(), f.code.clone(), cat)
        })
        .collect()
}

/// The JSON bodies in the SKMS seed's Examples section; None without the seeds (`common::shared` said so).
fn skms_seed_bodies() -> Option<Vec<String>> {
    let dir = common::shared("seeds")?;
    let file = std::fs::read_dir(&dir)
        .expect("seeds folder")
        .flatten()
        .find(|e| e.file_name().to_string_lossy().starts_with("003_"))
        .expect("the SKMS seed, 003_*.txt");
    let text = std::fs::read_to_string(file.path()).expect("the SKMS seed");
    let examples = &text[text.find("Examples").expect("an Examples section")..];
    let mut bodies = Vec::new();
    let mut rest = examples;
    while let Some(start) = rest.find("\n{") {
        let end = rest[start..].find("\n}").expect("the end of an example") + start + 2;
        bodies.push(rest[start + 1..end].to_string());
        rest = &rest[end..];
    }
    Some(bodies)
}

#[test]
fn skms_seed_examples_are_explained_with_their_detail() {
    let Some(bodies) = skms_seed_bodies() else {
        return;
    };
    assert_eq!(bodies.len(), 3, "the seed has three example bodies");
    for body in bodies {
        let raw: serde_json::Value = serde_json::from_str(&body).unwrap();
        let fs = findings(&body);
        assert_eq!(fs.len(), 1, "{body}");
        let f = &fs[0];
        assert_eq!(f.code, raw["code"].to_string());
        assert_eq!(f.shape, "skms");
        assert_eq!(f.detail.as_deref(), raw["detail"].as_str());
        assert_eq!(f.message.as_deref(), raw["message"].as_str());
        let entry = f.entry.as_ref().unwrap();
        assert_eq!(
            (entry.catalog.as_str(), entry.code.as_str()),
            ("skms", f.code.as_str())
        );
        // The explanation shows the body's detail above the entry's story.
        let r = run(&["explain", "-", "--format", "plain"], &body);
        assert_eq!(r.code, 0);
        assert!(
            r.stdout
                .starts_with("In the response body: the whole body\n"),
            "{}",
            r.stdout
        );
        assert!(r
            .stdout
            .contains(&format!("  detail: {}", raw["detail"].as_str().unwrap())));
        assert!(r.stdout.contains(&format!("skms · {}", f.code)));
    }
}

#[test]
fn adobe_top_level_error_shows_its_fields() {
    let body = r#"{"action": "retry", "status": 403, "code": "network_connection_failure",
        "message": "Unable to contact your TV provider services", "details": "",
        "helpUrl": "https://example.invalid/help", "trace": "12f6fef9-d2e0-422b-a9d7-60d799abe353"}"#;
    let fs = findings(body);
    assert_eq!(
        located(&fs),
        [(
            "".into(),
            "network_connection_failure".into(),
            "adobe-pass".into()
        )]
    );
    assert_eq!(fs[0].shape, "adobe-pass");
    assert_eq!(fs[0].status_differs, Some(false));
    assert_eq!(fs[0].detail, None, "an empty details field is absent");
    let r = run(&["explain", "-", "--format", "plain"], body);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for line in [
        "  status: 403",
        "  trace: 12f6fef9-d2e0-422b-a9d7-60d799abe353",
        "  helpUrl: https://example.invalid/help",
        "  action: retry",
        "adobe-pass · network_connection_failure",
    ] {
        assert!(r.stdout.contains(line), "missing {line:?} in\n{}", r.stdout);
    }
    assert!(!r.stdout.contains("differs"), "the statuses agree");
}

#[test]
fn several_item_level_errors_in_one_body() {
    for list in ["decisions", "resources"] {
        let body = format!(
            r#"{{"{list}": [
                {{"id": "TestStream1", "authorized": true}},
                {{"id": "TestStream2", "authorized": false,
                  "error": {{"status": 403, "code": "network_connection_timeout", "action": "retry", "trace": "a"}}}},
                {{"id": "TestStream3", "authorized": false,
                  "error": {{"status": 403, "code": "authorization_denied_by_mvpd", "action": "none", "trace": "b"}}}}
            ]}}"#
        );
        let fs = findings(&body);
        assert_eq!(
            located(&fs),
            [
                (
                    format!("/{list}/1/error"),
                    "network_connection_timeout".into(),
                    "adobe-pass".into()
                ),
                (
                    format!("/{list}/2/error"),
                    "authorization_denied_by_mvpd".into(),
                    "adobe-pass".into()
                ),
            ]
        );
        assert_eq!(
            fs.iter().map(|f| f.trace.as_deref()).collect::<Vec<_>>(),
            [Some("a"), Some("b")]
        );
        let r = run(&["explain", "-", "--format", "plain"], &body);
        assert_eq!(r.stdout.matches("In the response body: ").count(), 2);
        // The top-level array form of the seed's example works the same way.
        let r = run(&["lookup", "-"], &format!("[{body}]"));
        assert_eq!(r.stdout.lines().count(), 2, "{}", r.stdout);
    }
}

#[test]
fn xml_error_form() {
    let body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<error>\n  <status>403</status>\n  \
                <code>network_connection_failure</code>\n  <message>Unable to contact your TV provider \
                services</message>\n  <helpUrl></helpUrl>\n  <trace>12f6fef9-d2e0-422b-a9d7-60d799abe353</trace>\n  \
                <action>retry</action>\n</error>\n";
    let r = run(&["lookup", "-", "--format", "json"], body);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let doc: Document = serde_json::from_str(&r.stdout).unwrap();
    let f = &doc.findings[0];
    assert_eq!(f.syntax, "xml");
    assert_eq!(f.pointer, "/error");
    assert_eq!(f.code, "network_connection_failure");
    assert_eq!(f.status.as_deref(), Some("403"));
    assert_eq!(
        f.trace.as_deref(),
        Some("12f6fef9-d2e0-422b-a9d7-60d799abe353")
    );
    assert_eq!(doc.results.len(), 1);
    assert_eq!(doc.results[0].catalog, "adobe-pass");
}

#[test]
fn status_that_differs_from_the_catalog_is_noted() {
    // network_connection_failure is HTTP 403 in the catalog; this body says 500.
    let body =
        r#"{"error": {"status": 500, "code": "network_connection_failure", "action": "retry"}}"#;
    let fs = findings(body);
    assert_eq!(fs[0].status_differs, Some(true));
    assert_eq!(fs[0].catalog_http_status, [403]);
    let r = run(&["explain", "-", "--format", "plain"], body);
    assert!(
        r.stdout
            .contains("The body's status 500 differs from the catalog's HTTP 403."),
        "{}",
        r.stdout
    );
    let r = run(&["explain", "-", "--format", "plain", "--lang", "ko"], body);
    assert!(r.stdout.contains("HTTP 403와(과) 다릅니다"), "{}", r.stdout);
    // lookup's rows have no room for it: the note goes to stderr, the row to stdout.
    let r = run(&["lookup", "-", "--format", "plain"], body);
    assert_eq!(r.code, 0);
    assert!(r
        .stdout
        .starts_with("adobe-pass\tnetwork_connection_failure\t"));
    assert!(
        r.stderr
            .contains("status 500 differs from the catalog's HTTP 403"),
        "{}",
        r.stderr
    );
}

#[test]
fn ncp_error_code_bodies() {
    // Live Station: errorCode at the top level.
    let fs = findings(r#"{"errorCode": "250100", "message": "Channel is not found"}"#);
    assert_eq!(
        located(&fs),
        [("".into(), "250100".into(), "livestation".into())]
    );
    assert_eq!(fs[0].shape, "ncp");
    // API Gateway: errorCode inside an error object.
    let fs = findings(
        r#"{"error": {"errorCode": "210", "message": "Permission Denied", "details": "no permission"}}"#,
    );
    assert_eq!(
        located(&fs),
        [("/error".into(), "210".into(), "ncp-apigw".into())]
    );
    assert_eq!(fs[0].detail.as_deref(), Some("no permission"));
}

#[test]
fn pallycon_codes_in_generic_error_objects() {
    for body in [
        r#"{"error_code": 7011, "message": "Token is expired."}"#,
        r#"{"errorCode": "7011", "errorMessage": "Token is expired."}"#,
        r#"{"error": {"code": "7011"}}"#,
    ] {
        let fs = findings(body);
        assert_eq!(fs.len(), 1, "{body}");
        assert_eq!(fs[0].code, "7011");
        assert_eq!(fs[0].entry.as_ref().unwrap().catalog, "pallycon", "{body}");
    }
}

#[test]
fn unknown_codes_in_a_recognised_body_are_reported() {
    let body = r#"{"errors": [{"code": "no_such_code", "message": "x"}]}"#;
    let r = run(&["lookup", "-"], body);
    assert_eq!(r.code, 1);
    assert!(r.stdout.is_empty());
    assert!(
        r.stderr.contains("no entry for code \"no_such_code\""),
        "{}",
        r.stderr
    );
    // Beside a known code, the known one is shown and the run succeeds.
    let body = r#"{"errors": [{"code": "no_such_code", "message": "x"}, {"code": 40013, "message": "y"}]}"#;
    let r = run(&["lookup", "-", "--format", "json"], body);
    assert_eq!(r.code, 0);
    assert!(r.stderr.contains("no_such_code"));
    let doc: Document = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(doc.findings.len(), 2);
    assert!(doc.findings[0].entry.is_none());
}

#[test]
fn ndjson_gives_one_finding_per_line() {
    let body = r#"{"decisions": [{"error": {"status": 403, "code": "network_connection_timeout"}},
                                 {"error": {"status": 401, "code": "access_token_expired"}}]}"#;
    let r = run(&["lookup", "-", "--format", "ndjson"], body);
    let lines: Vec<BodyFindingJson> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(
        lines.iter().map(|f| f.pointer.as_str()).collect::<Vec<_>>(),
        ["/decisions/0/error", "/decisions/1/error"]
    );
}

#[test]
fn text_that_is_not_a_body_is_scanned() {
    let log = "2026-11-22T10:15:30Z GET /license 200 4711 bytes\n\
               2026-11-22T10:15:31Z license failed: {\"errorCode\": 7011}\n";
    let r = run(&["lookup", "-", "--format", "plain"], log);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stdout,
        "2:52\t7011\tpallycon\t7011\t-\ten\tToken is expired.\n"
    );
    // explain adds the story of each entry found.
    let r = run(&["explain", "-", "--format", "plain"], log);
    assert!(r.stdout.starts_with("2:52\t7011\tpallycon"));
    assert!(r.stdout.contains("pallycon · 7011 · token"), "{}", r.stdout);
    // JSON that carries no error object, and JSON lines, are scanned too.
    let r = run(
        &["lookup", "-", "--format", "json"],
        "{\"note\": \"see error 7011\"}",
    );
    let doc: ScanDocument = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(doc.command, "scan");
    assert_eq!(doc.findings.len(), 1);
    assert_eq!((doc.findings[0].line, doc.findings[0].column), (1, 21));
    // Free text beside queries on the command line is a usage error.
    let r = run(&["lookup", "7011", "-"], log);
    assert_eq!(r.code, 2);
    assert_eq!(r.stderr.lines().count(), 1);
}

#[test]
fn queries_and_bodies_from_the_same_command() {
    let r = run(
        &["lookup", "7012", "-", "--format", "plain"],
        r#"{"code": 40013, "message": "m"}"#,
    );
    assert_eq!(r.code, 0);
    let rows: Vec<&str> = r
        .stdout
        .lines()
        .map(|l| l.split('\t').nth(1).unwrap())
        .collect();
    assert_eq!(rows, ["7012", "40013"]);
}

#[test]
fn odd_bodies_never_panic() {
    let deep = "[".repeat(10_000);
    let deep_xml = "<a>".repeat(10_000);
    for body in [
        "{",
        "[]",
        "{}",
        "<",
        "<error>",
        "<error><code>7011</code></error>",
        r#"{"code": null}"#,
        r#"{"code": 1.5, "message": "x"}"#,
        r#"{"code": -7011, "message": "x"}"#,
        &deep,
        &deep_xml,
        "\u{feff}{\"code\": 40013, \"message\": \"m\"}",
    ] {
        let r = run(&["explain", "-"], body);
        assert!(matches!(r.code, 0..=2), "{body:.20}: {}", r.code);
        assert!(!r.stderr.contains("panicked"), "{body:.20}: {}", r.stderr);
    }
    let r = run(&["lookup", "-"], "<error><code>7011</code></error>");
    assert_eq!(r.code, 0, "XML with a bare code is read: {}", r.stderr);
    let r = run(
        &["lookup", "-"],
        "\u{feff}{\"code\": 40013, \"message\": \"m\"}",
    );
    assert_eq!(r.code, 0, "a byte order mark is skipped: {}", r.stderr);
}

#[test]
fn readme_body_example_says_what_the_program_prints() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let body = std::fs::read_to_string(root.join("examples/adobe-decisions.json")).unwrap();
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let note = "The body's status 500 differs from the catalog's HTTP 403.";
    assert!(readme.contains(note), "README no longer quotes the note");
    let r = run(&["explain", "-", "--format", "plain"], &body);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains(&format!("  ! {note}")), "{}", r.stdout);
    assert!(r
        .stdout
        .starts_with("In the response body: /decisions/1/error\n"));
}
