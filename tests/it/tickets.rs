//! Issue 21: tickets as they arrive. Each case is two files under `tests/data/tickets/`:
//!
//! - `<name>.in`: the ticket's text, bytes as pasted (a sentence, a log excerpt, a body, a HAR file);
//! - `<name>.toml`: how errbook reads it and what it must find:
//!
//!   ```toml
//!   command = "scan"            # "scan": errbook scan --format json <file>
//!                               # "explain": errbook explain - --format json < file
//!   about = "one line: where such text comes from"
//!   expect = ["pallycon:7011"]  # the findings as catalog:code, in errbook's order; exactly these
//!   cause = "pallycon:7011"     # optional: the innermost known code, marked as the likely cause
//!   ```
//!
//! The expectations are written from the catalogs and the ticket before errbook is run on it, and never
//! changed to fit the output. Every case runs; the test fails with the list of every case that differs.

use crate::common;
use common::{errbook, run_with as run};
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

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/tickets")
}

/// The cases, by name, in name order.
fn cases() -> Vec<(String, Case, PathBuf)> {
    let mut names: Vec<String> = std::fs::read_dir(dir())
        .expect("tests/data/tickets")
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter_map(|n| n.strip_suffix(".toml").map(str::to_string))
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|name| {
            let toml_path = dir().join(format!("{name}.toml"));
            let text = std::fs::read_to_string(&toml_path).unwrap();
            let case: Case =
                toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", toml_path.display()));
            let input = dir().join(format!("{name}.in"));
            assert!(input.is_file(), "{name}: {} is missing", input.display());
            (name, case, input)
        })
        .collect()
}

/// `catalog:code` of an entry object, when it is one.
fn entry_key(entry: &Value) -> Option<String> {
    let catalog = entry.get("catalog")?.as_str()?;
    let code = entry.get("code")?.as_str()?;
    Some(format!("{catalog}:{code}"))
}

/// The findings of a JSON document, as catalog:code in the order written: a scan's findings, a body's
/// error objects that name an entry, or (standard input of queries) the results.
fn findings(doc: &Value) -> Vec<String> {
    let listed = doc
        .get("findings")
        .and_then(Value::as_array)
        .filter(|f| !f.is_empty());
    match listed {
        Some(items) => items
            .iter()
            .filter_map(|f| f.get("entry").and_then(entry_key))
            .collect(),
        None => doc
            .get("results")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(entry_key).collect())
            .unwrap_or_default(),
    }
}

/// The entry a document marks as the likely cause of a chain: an object under a `cause` key, or the
/// item of a `chain` list marked `likely_cause` (or `cause`) true. None when the output has no chain.
fn likely_cause(doc: &Value) -> Option<String> {
    match doc {
        Value::Object(map) => {
            if let Some(c) = map
                .get("cause")
                .and_then(|c| entry_key(c).or_else(|| c.get("entry").and_then(entry_key)))
            {
                return Some(c);
            }
            if let Some(chain) = map.get("chain").and_then(Value::as_array) {
                for link in chain {
                    let marked = ["likely_cause", "cause"]
                        .iter()
                        .any(|k| link.get(*k).and_then(Value::as_bool) == Some(true));
                    if marked {
                        if let Some(c) =
                            entry_key(link).or_else(|| link.get("entry").and_then(entry_key))
                        {
                            return Some(c);
                        }
                    }
                }
            }
            map.values().find_map(likely_cause)
        }
        Value::Array(items) => items.iter().find_map(likely_cause),
        _ => None,
    }
}

/// What is wrong with one case's output, if anything.
fn check(name: &str, case: &Case, input: &Path) -> Option<String> {
    let r = match case.command.as_str() {
        "scan" => run(errbook().arg("scan").arg(input).args(["--format", "json"])),
        "explain" => run(errbook()
            .args(["explain", "-", "--format", "json"])
            .write_stdin(std::fs::read(input).unwrap())),
        other => return Some(format!("{name}: unknown command {other:?}")),
    };
    let expected_code = if case.expect.is_empty() { 1 } else { 0 };
    let doc: Value = match serde_json::from_str(&r.stdout) {
        Ok(d) => d,
        Err(e) => {
            return Some(format!(
                "{name}: exit {}, stdout is not JSON ({e}); stderr: {}",
                r.code, r.stderr
            ))
        }
    };
    let got = findings(&doc);
    let mut problems = Vec::new();
    if got != case.expect {
        problems.push(format!("found {got:?}, expected {:?}", case.expect));
    }
    if r.code != expected_code {
        problems.push(format!("exit {} (expected {expected_code})", r.code));
    }
    if let Some(cause) = &case.cause {
        match likely_cause(&doc) {
            None => problems.push(format!(
                "expects {cause} marked as the likely cause, but the output has no chain"
            )),
            Some(c) if &c != cause => problems.push(format!("likely cause {c}, expected {cause}")),
            Some(_) => {}
        }
    }
    (!problems.is_empty()).then(|| format!("{name} ({}): {}", case.about, problems.join("; ")))
}

#[test]
fn every_ticket_gives_the_findings_expected() {
    let cases = cases();
    assert!(cases.len() >= 25, "only {} ticket cases", cases.len());
    let mut failures = Vec::new();
    for (name, case, input) in &cases {
        assert!(!case.about.trim().is_empty(), "{name}: `about` is empty");
        if let Some(f) = check(name, case, input) {
            failures.push(f);
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} ticket cases differ:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn the_corpus_holds_traps_and_three_languages() {
    let cases = cases();
    let text = |p: &Path| String::from_utf8_lossy(&std::fs::read(p).unwrap()).into_owned();
    let korean = cases
        .iter()
        .filter(|c| text(&c.2).chars().any(|ch| ('가'..='힣').contains(&ch)))
        .count();
    let japanese = cases
        .iter()
        .filter(|c| {
            text(&c.2)
                .chars()
                .any(|ch| ('\u{3040}'..='\u{30ff}').contains(&ch))
        })
        .count();
    let traps = cases.iter().filter(|c| c.1.expect.is_empty()).count();
    assert!(korean >= 5, "{korean} Korean tickets");
    assert!(japanese >= 5, "{japanese} Japanese tickets");
    assert!(traps >= 5, "{traps} tickets where nothing is to be found");
}
