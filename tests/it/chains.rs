//! Issue 21: player errors, chains, HAR files and curl output, as tickets bring them. The cases are the
//! ticket corpus's files under `tests/data/tickets/` whose names start with `player-`, `chain-`, `har-`,
//! `curl-` or `adobe-` (`<name>.in`, the text as pasted; `<name>.toml`, the command and the findings
//! expected, written from the catalogs before errbook was run on them).

use crate::common::{errbook, run_with as run};
use serde::Deserialize;
use serde_json::Value;
use std::path::{Path, PathBuf};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    command: String,
    about: String,
    expect: Vec<String>,
    cause: Option<String>,
}

const PREFIXES: [&str; 5] = ["player-", "chain-", "har-", "curl-", "adobe-"];

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/tickets")
}

fn cases() -> Vec<(String, Case, PathBuf)> {
    let mut names: Vec<String> = std::fs::read_dir(dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter_map(|n| n.strip_suffix(".toml").map(str::to_string))
        .filter(|n| PREFIXES.iter().any(|p| n.starts_with(p)))
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|name| {
            let text = std::fs::read_to_string(dir().join(format!("{name}.toml"))).unwrap();
            let case: Case = toml::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
            let input = dir().join(format!("{name}.in"));
            assert!(input.is_file(), "{name}.in is missing");
            (name, case, input)
        })
        .collect()
}

fn entry_key(e: &Value) -> Option<String> {
    Some(format!(
        "{}:{}",
        e.get("catalog")?.as_str()?,
        e.get("code")?.as_str()?
    ))
}

fn output(case: &Case, input: &Path) -> (i32, Value, String) {
    let r = match case.command.as_str() {
        "scan" => run(errbook().arg("scan").arg(input).args(["--format", "json"])),
        "explain" => run(errbook()
            .args(["explain", "-", "--format", "json"])
            .write_stdin(std::fs::read(input).unwrap())),
        other => panic!("unknown command {other}"),
    };
    let doc = serde_json::from_str(&r.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}; {}", r.stdout, r.stderr));
    (r.code, doc, r.stderr)
}

#[test]
fn player_chain_har_and_curl_tickets_give_the_findings_expected() {
    let cases = cases();
    assert!(cases.len() >= 15, "only {} cases", cases.len());
    let mut failures = Vec::new();
    for (name, case, input) in &cases {
        assert!(!case.about.trim().is_empty());
        let (code, doc, stderr) = output(case, input);
        let got: Vec<String> = doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|f| f.get("entry").and_then(entry_key))
            .collect();
        let cause = doc["chains"]
            .as_array()
            .and_then(|c| c.iter().find_map(|c| c.get("cause").and_then(entry_key)));
        let want_code = if case.expect.is_empty() { 1 } else { 0 };
        if got != case.expect || code != want_code || (case.cause.is_some() && cause != case.cause)
        {
            failures.push(format!(
                "{name}: found {got:?} (exit {code}, cause {cause:?}), expected {:?} (cause {:?}); stderr: {stderr}",
                case.expect, case.cause
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The chain of a Shaka 6007 reads outermost first in one line, with the license server's status, URL
/// and the likely cause's message, in `explain` and on `lookup`'s stderr; 6007 is Shaka's, not "no entry".
#[test]
fn a_shaka_6007_chain_reads_outermost_first() {
    let input = std::fs::read(dir().join("chain-shaka-6007-pallycon-7011.in")).unwrap();
    let want = "shaka 6007 → shaka 1001 (HTTP 403 from https://license.pallycon.com/ri/licenseManager.do) → pallycon 7011 Token is expired.";
    let r = run(errbook()
        .args(["explain", "-", "--lang", "en"])
        .write_stdin(input.clone()));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains(want), "{}", r.stdout);
    assert!(
        r.stdout.contains("Likely cause: pallycon 7011"),
        "{}",
        r.stdout
    );
    let r = run(errbook().args(["lookup", "-"]).write_stdin(input.clone()));
    assert_eq!(r.code, 0);
    assert!(
        r.stderr.contains(&format!("errbook: chain: {want}")),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("no entry"), "{}", r.stderr);
    let r = run(errbook()
        .args(["explain", "-", "--format", "json"])
        .write_stdin(input));
    let doc: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(doc["schema_version"], 1);
    let f = doc["findings"].as_array().unwrap();
    assert_eq!(f[1]["carried_by"], 0);
    assert_eq!(f[2]["carried_by"], 1);
    assert_eq!(f[2]["likely_cause"], true);
    assert_eq!(f[0]["likely_cause"], false);
    assert_eq!(f[1]["request"]["status"], 403);
    assert_eq!(doc["chains"][0]["text"], want);
}

/// A HAR's failed request is explained with its method, URL and status; a failed request with no error
/// body is a note on stderr; `scan` reads a .har the same way.
#[test]
fn a_har_file_is_read_entry_by_entry() {
    let har = dir().join("har-license-403-base64.in");
    let r = run(errbook()
        .args(["explain", "-", "--lang", "en"])
        .write_stdin(std::fs::read(&har).unwrap()));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains(
            "request: HTTP 403 from POST https://license.pallycon.com/ri/licenseManager.do"
        ),
        "{}",
        r.stdout
    );
    assert!(
        r.stderr.contains(
            "HTTP 404 from GET https://cdn.example.com/vod/seg-00042.m4s: no error object"
        ),
        "{}",
        r.stderr
    );
    let r = run(errbook().arg("scan").arg(&har));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("pallycon\t7011"), "{}", r.stdout);
}

/// Adobe decisions items show their resource and MVPD; a body action the catalog does not give is noted.
#[test]
fn adobe_items_show_resource_mvpd_and_a_differing_action() {
    let body = r#"{"decisions":[{"resource":"REF31","mvpd":"Cablevision","authorized":false,
        "error":{"status":403,"code":"network_connection_failure","action":"none"}}]}"#;
    let r = run(errbook()
        .args(["explain", "-", "--lang", "en"])
        .write_stdin(body));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("resource: REF31"), "{}", r.stdout);
    assert!(r.stdout.contains("mvpd: Cablevision"), "{}", r.stdout);
    assert!(
        r.stdout
            .contains("The body's action none differs from the catalog's retry."),
        "{}",
        r.stdout
    );
    let r = run(errbook()
        .args(["explain", "-", "--format", "json"])
        .write_stdin(body));
    let doc: Value = serde_json::from_str(&r.stdout).unwrap();
    let f = &doc["findings"][0];
    assert_eq!(f["action_differs"], true);
    assert_eq!(f["context"]["resource"], "REF31");
    assert_eq!(f["context"]["mvpd"], "Cablevision");
    let same = body.replace("\"none\"", "\"retry\"");
    let r = run(errbook()
        .args(["explain", "-", "--format", "json"])
        .write_stdin(same));
    let doc: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(doc["findings"][0]["action_differs"], false);
}

/// Issue 20 #6: a byte order mark before a body or a list of codes changes nothing.
#[test]
fn a_byte_order_mark_changes_no_decision() {
    for (input, want) in [
        ("\u{feff}7011\n7012\n", "pallycon\t7012"),
        (
            "\u{feff}{\"code\": 40013, \"message\": \"m\"}",
            "skms\t40013",
        ),
    ] {
        let r = run(errbook().args(["lookup", "-"]).write_stdin(input));
        assert_eq!(r.code, 0, "{input:?}: {}", r.stderr);
        assert!(r.stdout.contains(want), "{input:?}: {}", r.stdout);
    }
}

/// The example user catalog with `lines` (TOML) after it, written as `name` in `dir`.
fn acme_with(dir: &Path, name: &str, lines: &str) -> std::path::PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let base = std::fs::read_to_string(root.join("examples/acme-platform.toml")).unwrap();
    let file = dir.join(name);
    std::fs::write(&file, format!("{base}\n{lines}")).unwrap();
    file
}

/// `explain -` of `text` with the user catalog `file`: the first finding's shape and code.
fn first_finding(file: &Path, text: &str) -> (Value, Value) {
    let r = run(errbook()
        .args(["explain", "-", "--format", "json", "--catalog-file"])
        .arg(file)
        .write_stdin(text));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let doc: Value = serde_json::from_str(&r.stdout).unwrap();
    let f = &doc["findings"][0];
    (f["shape"].clone(), f["entry"]["code"].clone())
}

/// A user catalog's `[[catalog.line]]` is data like a built-in one: checked by `validate` (a pattern
/// that does not compile, or has no `code` group, is a problem) and used by `explain -`.
#[test]
fn a_user_catalogs_line_shape_is_checked_and_used() {
    let dir = tempfile::tempdir().unwrap();
    let bad = acme_with(
        dir.path(),
        "bad.toml",
        "[[catalog.line]]\nshape = \"acme\"\npattern = \"ACME-(?P<code>[0-9]+\"\n\n[[catalog.line]]\nshape = \"acme\"\npattern = \"ACME-[0-9]+\"\n",
    );
    let r = run(errbook().arg("validate").arg(&bad));
    assert_eq!(r.code, 2);
    assert!(
        r.stdout.contains("the pattern is not a regular expression")
            || r.stderr.contains("the pattern is not a regular expression"),
        "{} {}",
        r.stdout,
        r.stderr
    );
    assert!(r.stdout.contains("no group named code") || r.stderr.contains("no group named code"));
    let good = acme_with(
        dir.path(),
        "good.toml",
        "[[catalog.line]]\nshape = \"acme\"\npattern = \"ACME failure (?P<code>ACME-[0-9]+)\"\n",
    );
    assert_eq!(
        first_finding(&good, "player: ACME failure ACME-1001 while loading\n"),
        ("acme".into(), "ACME-1001".into())
    );
}

/// Patterns are regex-lite's: `(?i)` folds ASCII case; a Unicode class (`\p{…}`) is refused by
/// `validate` with regex-lite's reason, on the one line that names the shape.
#[test]
fn a_line_pattern_may_ignore_case_and_may_not_use_unicode_classes() {
    let dir = tempfile::tempdir().unwrap();
    let greek = acme_with(
        dir.path(),
        "greek.toml",
        "[[catalog.line]]\nshape = \"acme\"\npattern = '\\p{Greek} (?P<code>ACME-[0-9]+)'\n",
    );
    let r = run(errbook().arg("validate").arg(&greek));
    assert_eq!(r.code, 2, "{} {}", r.stdout, r.stderr);
    let said = format!("{}{}", r.stdout, r.stderr);
    let line = said
        .lines()
        .find(|l| l.contains("catalog.line \"acme\": the pattern is not a regular expression"))
        .unwrap_or_else(|| panic!("{said}"));
    assert!(
        line.contains("Unicode character classes are not supported"),
        "{line}"
    );
    let folded = acme_with(
        dir.path(),
        "folded.toml",
        "[[catalog.line]]\nshape = \"acme\"\npattern = '(?i)acme failure (?P<code>acme-[0-9]+)'\n",
    );
    assert_eq!(
        first_finding(&folded, "player: ACME FAILURE ACME-1001 while loading\n"),
        ("acme".into(), "ACME-1001".into())
    );
}

/// EME's "Rejected with system code (N)": the number is looked up in every catalog, in the forms players
/// print numbers in (here an HRESULT as its unsigned decimal); a number no catalog has is reported, exit 1.
#[test]
fn a_cdm_system_code_is_looked_up_in_every_catalog() {
    let line = "Uncaught (in promise) NotSupportedError: Failed to execute 'update' on 'MediaKeySession': Rejected with system code (2147796482)";
    let r = run(errbook()
        .args(["explain", "-", "--format", "json"])
        .write_stdin(line));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let doc: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(doc["findings"][0]["shape"], "eme-system-code");
    assert_eq!(doc["findings"][0]["entry"]["code"], "0x8004C602");
    let r = run(errbook()
        .args(["lookup", "-"])
        .write_stdin(line.replace("2147796482", "12345678")));
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("no entry for code \"12345678\""),
        "{}",
        r.stderr
    );
}

/// The status of the response that carried a body (curl's, a HAR entry's) is compared with the catalog's
/// when the body states none: SKMS gives 40013 as HTTP 400, this server answered 404.
#[test]
fn the_responses_status_is_compared_when_the_body_has_none() {
    let input = std::fs::read(dir().join("curl-v-skms-40013.in")).unwrap();
    let r = run(errbook()
        .args(["explain", "-", "--format", "json"])
        .write_stdin(input));
    let doc: Value = serde_json::from_str(&r.stdout).unwrap();
    let f = &doc["findings"][0];
    assert_eq!(f["status"], Value::Null);
    assert_eq!(f["request"]["status"], 404);
    assert_eq!(f["request"]["method"], "POST");
    assert_eq!(f["request"]["url"], "https://kms.example.com/v2/keys");
    assert_eq!(f["catalog_http_status"], serde_json::json!([400]));
    assert_eq!(f["status_differs"], true);
}

/// A shape that says `only` keeps its codes to its catalog: a WebKitMediaKeyError's code 6 is no other
/// system's 6 (Android's MediaDrm has one), so it is reported unknown while its systemCode is found.
#[test]
fn a_shape_that_says_only_looks_nowhere_else() {
    let r = run(errbook()
        .args(["lookup", "-"])
        .write_stdin(r#"{"code":6,"systemCode":4294955460}"#));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stdout,
        "apple\t-11836\tAVErrorApplicationIsNotAuthorized\tavfoundation\t-\tconfiguration\ten\tThe app is not authorized to play this content.\n"
    );
    assert!(
        r.stderr
            .contains("no entry for code \"6\" (media-error error object)"),
        "{}",
        r.stderr
    );
}
