//! The dead ends a new user met in the first hour (issue 19): each is now an answer or a way forward.

use crate::common::{errbook, run_with, Run};
use errbook::render::Document;

fn run(args: &[&str]) -> Run {
    run_with(errbook().args(args))
}

fn run_stdin(args: &[&str], stdin: &str) -> Run {
    run_with(errbook().args(args).write_stdin(stdin))
}

fn json(args: &[&str]) -> Document {
    let r = run(args);
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{args:?}: {e}: {}", r.stdout))
}

fn codes(doc: &Document) -> Vec<(String, String)> {
    doc.results
        .iter()
        .map(|e| (e.catalog.clone(), e.code.clone()))
        .collect()
}

/// `errbook 7011` is `errbook lookup 7011`; a misspelt command is still an error with clap's suggestion.
#[test]
fn a_first_word_that_is_no_command_is_a_lookup() {
    for (short, long) in [
        (&["7011", "7110"][..], &["lookup", "7011", "7110"][..]),
        (
            &["--lang", "ko", "7011"],
            &["lookup", "7011", "--lang", "ko"],
        ),
        (&["-11800"], &["lookup", "-11800"]),
        (
            &["CHANNEL_NOT_FOUND", "--format", "json"],
            &["lookup", "CHANNEL_NOT_FOUND", "--format", "json"],
        ),
    ] {
        let (a, b) = (run(short), run(long));
        assert_eq!(a.code, 0, "{short:?}: {}", a.stderr);
        assert_eq!((a.stdout, a.stderr), (b.stdout, b.stderr), "{short:?}");
    }
    let r = run(&["serch", "token"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("did you mean 'search'?"), "{}", r.stderr);
    let help = run(&["--help"]).stdout;
    assert!(help.contains("short for errbook lookup"), "{help}");
}

/// `lookup 403`: no entry has that code, but many carry that HTTP status; say how many, and how to list
/// them.
#[test]
fn an_http_status_points_to_the_entries_that_carry_it() {
    let r = run(&["lookup", "403"]);
    assert_eq!(r.code, 1);
    let listed = json(&["list", "--http", "403", "--format", "json"])
        .results
        .len();
    assert!(listed > 0);
    let line = format!("{listed} entries carry HTTP status 403: errbook list --http 403");
    assert!(r.stderr.contains(&line), "{}", r.stderr);
    // A number that is no status gets no such line.
    let r = run(&["lookup", "99999"]);
    assert!(!r.stderr.contains("HTTP status"), "{}", r.stderr);
}

/// Lists in one argument or on one line of standard input are several queries.
#[test]
fn lists_of_codes_are_several_queries() {
    let want = |codes: &[&str]| -> Vec<String> { codes.iter().map(|c| c.to_string()).collect() };
    let got = |r: Run| -> Vec<String> {
        assert_eq!(r.code, 0, "{}", r.stderr);
        r.stdout
            .lines()
            .map(|l| l.split('\t').nth(1).unwrap().to_string())
            .collect()
    };
    assert_eq!(got(run(&["lookup", "7011,7110"])), want(&["7011", "7110"]));
    assert_eq!(
        got(run_stdin(&["lookup", "-"], "7011 7110 40013\n")),
        want(&["7011", "7110", "40013"])
    );
    assert_eq!(
        got(run_stdin(&["lookup", "-"], "7011, 7110\n40013\n")),
        want(&["7011", "7110", "40013"])
    );
    // A sentence stays text: its words are not queries.
    let r = run_stdin(
        &["lookup", "-", "--format", "json"],
        "the player shows an error\n",
    );
    assert!(!r.stderr.contains("no entry for \"the\""), "{}", r.stderr);
}

/// A lookup of `given` that found PallyCon 7011, reading it as `read`, and said so on one line of stderr.
fn said_and_found(r: Run, given: &str, read: &str) {
    assert_eq!(r.code, 0, "{given}: {}", r.stderr);
    assert!(
        r.stdout.starts_with("pallycon\t7011\t"),
        "{given}: {}",
        r.stdout
    );
    assert_eq!(
        r.stderr,
        format!("errbook: note: read {given} as {read}\n"),
        "{given}"
    );
}

/// Codes as people paste them: a vendor before the code, an E or # before it, punctuation after it. What
/// was understood is said on one line of stderr, and the run succeeds.
#[test]
fn pasted_forms_are_understood_and_said() {
    for (given, read) in [
        ("PallyCon-7011", "pallycon:7011"),
        ("E7011", "7011"),
        ("#7011", "7011"),
        ("(7011)", "7011"),
    ] {
        said_and_found(run(&["lookup", given]), given, read);
    }
    // Piped, the same forms are queries too, not text to scan (a line starting with `[` or `<` is read
    // as a JSON or XML body).
    for given in ["#7011", "(7011)", "\"7011\"", "'7011'", "7011.", "7011!"] {
        said_and_found(
            run_stdin(&["lookup", "-"], &format!("{given}\n")),
            given,
            "7011",
        );
    }
    let r = run(&["lookup", "pallycon", "7011", "7011,"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout.lines().count(), 1, "{}", r.stdout);
    // A reading that names nothing is not used: the query stays not found, with suggestions.
    let r = run(&["lookup", "PallyCon-9898"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.starts_with("no entry for \"PallyCon-9898\""),
        "{}",
        r.stderr
    );
}

/// A code in a body that no catalog has gets suggestions too.
#[test]
fn body_codes_get_suggestions() {
    let r = run_stdin(
        &["lookup", "-"],
        r#"{"code": 40099, "message": "x", "detail": "y"}"#,
    );
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("no entry for code \"40099\""),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("did you mean 40009 (skms)"),
        "{}",
        r.stderr
    );
}

/// JSON says which query found each result and which found nothing; a query given twice is listed
/// twice, pointing at the same result.
#[test]
fn json_names_each_result_query_and_the_unmatched_ones() {
    let doc = json(&[
        "lookup",
        "7011",
        "PallyCon-7012",
        "99999",
        "7011",
        "--format",
        "json",
    ]);
    assert_eq!(
        codes(&doc),
        [
            ("pallycon".into(), "7011".into()),
            ("pallycon".into(), "7012".into())
        ]
    );
    assert_eq!(doc.unmatched, ["99999"]);
    let q: Vec<(&str, Option<&str>, &[usize])> = doc
        .queries
        .iter()
        .map(|a| (a.query.as_str(), a.read_as.as_deref(), a.results.as_slice()))
        .collect();
    assert_eq!(
        q,
        [
            ("7011", None, &[0][..]),
            ("PallyCon-7012", Some("pallycon:7012"), &[1][..]),
            ("99999", None, &[][..]),
            ("7011", None, &[0][..]),
        ]
    );
    assert_eq!(doc.results[0].query.as_deref(), Some("7011"));
    assert_eq!(doc.results[1].query.as_deref(), Some("PallyCon-7012"));
    // A code two catalogs define: one query, both results.
    let doc = json(&["lookup", "400", "--format", "json"]);
    assert!(doc.results.len() >= 2);
    assert_eq!(doc.queries[0].results.len(), doc.results.len());
    assert!(doc.unmatched.is_empty());
}

/// The two hints that said more than their sources now say what the sources support.
#[test]
fn hints_of_undocumented_causes_read_the_details_first() {
    for q in ["skms:40005", "pallycon:7106"] {
        let doc = json(&["lookup", q, "--format", "json"]);
        let e = &doc.results[0];
        assert_eq!(e.action, "investigate", "{q}");
        let hint = e.hint.as_deref().unwrap();
        let (read, retry) = (hint.find("first").unwrap(), hint.find("Retry").unwrap());
        assert!(
            read < retry,
            "{q}: read the details before retrying: {hint}"
        );
        let description = e.description.as_deref().unwrap();
        assert!(
            !description.contains("server side rather than"),
            "{q}: {description}"
        );
        assert!(
            !description.contains("It is a failure on the server side"),
            "{q}: {description}"
        );
    }
}
