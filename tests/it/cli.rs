//! The command line as users and scripts see it: formats, exit statuses, suggestions, languages, colour,
//! pipes. Expectations are derived from the compiled catalogs (errbook's library), not written out by hand.

use assert_cmd::Command;
use errbook::catalog::{builtin, Lang};
use errbook::render::{Document, EntryJson};
use serde_json::Value;
use std::collections::BTreeSet;
use std::io::Read;
use std::process::Stdio;

use crate::common;
use common::{errbook, run_with, Run};

fn run(args: &[&str]) -> Run {
    run_with(errbook().args(args))
}

fn json(args: &[&str]) -> Document {
    let mut a = args.to_vec();
    a.extend(["--format", "json"]);
    let r = run(&a);
    assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
    serde_json::from_str(&r.stdout)
        .unwrap_or_else(|e| panic!("{args:?}: not the JSON contract: {e}"))
}

fn codes(doc: &Document) -> Vec<(String, String)> {
    doc.results
        .iter()
        .map(|e| (e.catalog.clone(), e.code.clone()))
        .collect()
}

const ENTRY_KEYS: [&str; 16] = [
    "catalog",
    "vendor",
    "code",
    "name",
    "aliases",
    "domain",
    "http_status",
    "action",
    "message",
    "message_lang",
    "messages",
    "official_langs",
    "description",
    "hint",
    "source",
    "score",
];

// ---------------------------------------------------------------- every command, every format

#[test]
fn every_command_in_every_format() {
    let commands: [&[&str]; 5] = [
        &["lookup", "7011"],
        &["search", "token"],
        &["list", "--catalog", "skms"],
        &["explain", "network_connection_failure"],
        &["catalogs"],
    ];
    for cmd in commands {
        for format in ["table", "plain", "json", "ndjson"] {
            let mut args = cmd.to_vec();
            args.extend(["--format", format]);
            let r = run(&args);
            assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
            assert!(
                r.stderr.is_empty(),
                "{args:?} wrote to stderr: {}",
                r.stderr
            );
            assert!(!r.stdout.trim().is_empty(), "{args:?} printed nothing");
            assert!(!r.stdout.contains('\u{1b}'), "{args:?}: colour when piped");
            match (format, cmd[0]) {
                ("json", "catalogs") => {
                    let v: Value = serde_json::from_str(&r.stdout).unwrap();
                    assert_eq!(v["schema_version"], 1);
                    assert_eq!(v["catalogs"].as_array().unwrap().len(), builtin().len());
                }
                ("json", _) => {
                    let doc: Document = serde_json::from_str(&r.stdout).unwrap();
                    assert_eq!(doc.schema_version, 1);
                    assert_eq!(doc.command, cmd[0]);
                    assert!(!doc.results.is_empty());
                    let v: Value = serde_json::from_str(&r.stdout).unwrap();
                    for entry in v["results"].as_array().unwrap() {
                        for key in ENTRY_KEYS {
                            assert!(entry.get(key).is_some(), "{args:?}: key {key} missing");
                        }
                    }
                }
                ("ndjson", "catalogs") => {
                    assert_eq!(r.stdout.lines().count(), builtin().len());
                }
                ("ndjson", _) => {
                    for line in r.stdout.lines() {
                        let _: EntryJson = serde_json::from_str(line)
                            .unwrap_or_else(|e| panic!("{args:?}: bad line {line}: {e}"));
                    }
                }
                ("plain", "explain") | ("table", "explain") => {
                    assert!(r.stdout.contains("network_connection_failure"));
                }
                ("plain", "catalogs") => {
                    assert!(r.stdout.lines().all(|l| l.split('\t').count() == 7));
                    assert!(r.stdout.lines().all(|l| l.ends_with("\tbuilt-in\t-")));
                }
                ("plain", _) => {
                    let cols = if cmd[0] == "search" { 9 } else { 8 };
                    for l in r.stdout.lines() {
                        assert_eq!(l.split('\t').count(), cols, "{args:?}: {l}");
                    }
                }
                ("table", _) => {
                    // A table, or, where none fits the width (100 here), one `label  value` block
                    // per entry (tests/it/tables.rs checks which, and what they hold).
                    let blocks = r
                        .stdout
                        .lines()
                        .next()
                        .is_some_and(|l| l.starts_with("Catalog  "));
                    assert!(r.stdout.contains('│') || blocks, "{args:?}: no table");
                }
                _ => unreachable!(),
            }
        }
    }
}

#[test]
fn json_query_and_null_fields() {
    let doc = json(&["lookup", "7011"]);
    assert_eq!(doc.query.as_deref(), Some("7011"));
    assert_eq!(doc.lang, "en");
    let e = &doc.results[0];
    assert_eq!((e.catalog.as_str(), e.code.as_str()), ("pallycon", "7011"));
    assert_eq!(e.http_status, None);
    assert_eq!(e.score, None);
    assert_eq!(e.message_lang, "en");
    assert_eq!(e.messages.len(), 3);
    assert_eq!(e.official_langs, vec!["en", "ko"]);
    assert_eq!(e.translated_langs, vec!["ja"]);
    let list = json(&["list", "--catalog", "skms"]);
    assert_eq!(list.query, None);
    let search = json(&["search", "token"]);
    assert!(search.results.iter().all(|e| e.score.is_some()));
}

// ---------------------------------------------------------------- exit statuses and suggestions

#[test]
fn exit_statuses() {
    assert_eq!(run(&["lookup", "7011"]).code, 0);
    assert_eq!(run(&["lookup", "no_such_code_at_all"]).code, 1);
    assert_eq!(run(&["lookup", "7011", "no_such_code_at_all"]).code, 1);
    assert_eq!(run(&["search", "zzqqxxjj"]).code, 1);
    for bad in [
        &["lookup", "nosuch:7011"][..],
        &["lookup", "7317-7300"],
        &["lookup", "   "],
        &["list", "--domain", "nosuch"],
        &["list", "--catalog", "nosuch"],
        &["list", "--action", "nosuch"],
        &["lookup", "7011", "--format", "xml"],
        &["lookup", "7011", "--lang", "xx"],
        &["serch", "token"],
    ] {
        let r = run(bad);
        assert_eq!(r.code, 2, "{bad:?}");
        assert_eq!(
            r.stderr.lines().count(),
            1,
            "{bad:?}: one line, got {:?}",
            r.stderr
        );
        assert!(r.stdout.is_empty());
    }
}

#[test]
fn unknown_filters_list_the_valid_values() {
    let r = run(&["list", "--domain", "nosuch"]);
    for d in ["fairplay", "widevine", "playready", "channel"] {
        assert!(r.stderr.contains(d), "{}", r.stderr);
    }
    let r = run(&["list", "--catalog", "nosuch"]);
    for c in builtin() {
        assert!(r.stderr.contains(c.id.as_ref()), "{}", r.stderr);
    }
    let r = run(&["list", "--action", "nosuch"]);
    assert!(r.stderr.contains("fix-request") && r.stderr.contains("retry-after"));
}

#[test]
fn not_found_suggests_near_codes() {
    let r = run(&["lookup", "7012x"]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.is_empty());
    let lines: Vec<&str> = r.stderr.lines().collect();
    assert_eq!(lines[0], "no entry for \"7012x\"");
    assert!(
        lines[1].starts_with("did you mean 7012 (pallycon)"),
        "{}",
        lines[1]
    );
    let n = lines[1].matches(" (").count();
    assert!((1..=5).contains(&n), "{}", lines[1]);
    // A misspelt name.
    let r = run(&["lookup", "chanel_not_found"]);
    assert!(
        r.stderr.contains("did you mean 250100 (livestation)"),
        "{}",
        r.stderr
    );
}

// ---------------------------------------------------------------- lookup forms

#[test]
fn wildcards_and_ranges_match_the_catalog() {
    let fairplay: BTreeSet<_> = codes(&json(&["list", "--domain", "fairplay"]))
        .into_iter()
        .collect();
    let wild: BTreeSet<_> = codes(&json(&["lookup", "73xx"])).into_iter().collect();
    let range: BTreeSet<_> = codes(&json(&["lookup", "7300-7399"])).into_iter().collect();
    let glob: BTreeSet<_> = codes(&json(&["lookup", "pallycon:73*"]))
        .into_iter()
        .collect();
    assert!(!fairplay.is_empty());
    assert_eq!(wild, fairplay);
    assert_eq!(range, fairplay);
    assert_eq!(glob, fairplay);
    // A glob over names finds exactly the entries with a key that matches it, in every catalog.
    let network: BTreeSet<_> = codes(&json(&["lookup", "network_*"])).into_iter().collect();
    let want: BTreeSet<(String, String)> = builtin()
        .iter()
        .flat_map(|c| {
            c.all()
                .into_iter()
                .filter(|e| e.keys().any(|k| k.to_lowercase().starts_with("network_")))
                .map(move |e| (c.id.to_string(), e.code.to_string()))
        })
        .collect();
    assert!(want.len() >= 3, "{want:?}");
    assert_eq!(network, want);
}

#[test]
fn names_aliases_and_qualified_codes() {
    let doc = json(&[
        "lookup",
        "NETWORK_CONNECTION_FAILURE",
        "channel_not_found",
        "identity_not_cognition_by_mvpd",
    ]);
    assert_eq!(
        codes(&doc),
        vec![
            ("adobe-pass".into(), "network_connection_failure".into()),
            ("livestation".into(), "250100".into()),
            (
                "adobe-pass".into(),
                "identity_not_recognized_by_mvpd".into()
            ),
        ]
    );
    let doc = json(&["lookup", "livestation:CHANNEL_NOT_FOUND"]);
    assert_eq!(doc.results.len(), 1);
}

#[test]
fn a_code_in_two_catalogs_shows_both_in_catalog_order() {
    // Find a key that two catalogs define, from the data itself.
    let mut owners: std::collections::BTreeMap<String, Vec<&str>> = Default::default();
    for c in builtin() {
        for e in c.all() {
            for k in e.keys() {
                let v = owners.entry(k.to_lowercase()).or_default();
                if !v.contains(&c.id.as_ref()) {
                    v.push(&c.id);
                }
            }
        }
    }
    let (key, cats) = owners
        .iter()
        .find(|(_, v)| v.len() > 1)
        .expect("some key is defined by two catalogs");
    let doc = json(&["lookup", key]);
    let got: Vec<&str> = doc.results.iter().map(|e| e.catalog.as_str()).collect();
    let mut dedup = got.clone();
    dedup.dedup();
    assert_eq!(&dedup, cats, "{key}: grouped by catalog, in catalog order");
}

#[test]
fn queries_from_stdin() {
    let r = run_with(
        errbook()
            .args(["lookup", "-"])
            .write_stdin("7011\n\nCHANNEL_NOT_FOUND\n"),
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines.len(), 2);
    assert!(
        lines[0].starts_with("pallycon\t7011\t") && lines[1].starts_with("livestation\t250100\t")
    );
    // Issue 7: empty input finds nothing (status 1), with a message saying so.
    let r = run_with(errbook().args(["lookup", "-"]).write_stdin(" \n"));
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("standard input is empty"), "{}", r.stderr);
    assert!(r.stdout.is_empty());
}

// ---------------------------------------------------------------- search

fn search_codes(q: &str) -> Vec<(String, String)> {
    codes(&json(&["search", q, "--limit", "200"]))
}

/// Every entry whose vendor text contains `q` is found by searching for `q`.
fn finds_every_official_mention(q: &str) {
    let found = search_codes(q);
    let mut expected = 0;
    for c in builtin() {
        for e in c.all() {
            if e.message.iter().any(|(_, t)| t.contains(q)) {
                expected += 1;
                assert!(
                    found.contains(&(c.id.to_string(), e.code.to_string())),
                    "search {q}: {}:{} missing",
                    c.id,
                    e.code
                );
            }
        }
    }
    assert!(expected > 0, "no entry mentions {q}");
}

#[test]
fn korean_and_japanese_search() {
    finds_every_official_mention("토큰");
    finds_every_official_mention("재생 기간");
    finds_every_official_mention("キーボルト");
    // The best match for 재생 기간 is a playback-period entry.
    let top = &search_codes("재생 기간")[0];
    assert_eq!(top.0, "pallycon");
    assert!(top.1.starts_with("87"), "{top:?}");
    // Half-width katakana is folded to full width (NFKC).
    assert_eq!(search_codes("ｷｰﾎﾞﾙﾄ"), search_codes("キーボルト"));
}

#[test]
fn search_ranks_exact_before_prefix_before_text() {
    let doc = json(&["search", "7011"]);
    assert_eq!(codes(&doc)[0], ("pallycon".into(), "7011".into()));
    let scores: Vec<f64> = doc.results.iter().map(|e| e.score.unwrap()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    assert_eq!(scores[0], 100.0);
    let limited = json(&["search", "token", "--limit", "3"]);
    assert_eq!(limited.results.len(), 3);
    // Noise stays out: a random string finds nothing.
    assert_eq!(run(&["search", "qwzxv"]).code, 1);
}

// ---------------------------------------------------------------- language and colour

#[test]
fn language_from_flag_and_environment() {
    let lang_of = |cmd: &mut Command| {
        let r = run_with(cmd.args(["lookup", "7011", "--format", "json"]));
        let d: Document = serde_json::from_str(&r.stdout).unwrap();
        (d.lang, d.results[0].message_lang.clone())
    };
    assert_eq!(lang_of(&mut errbook()), ("en".into(), "en".into()));
    assert_eq!(
        lang_of(errbook().env("LANG", "ko_KR.UTF-8")),
        ("ko".into(), "ko".into())
    );
    assert_eq!(
        lang_of(errbook().env("LANG", "ko_KR.UTF-8").env("LC_ALL", "")),
        ("ko".into(), "ko".into())
    );
    assert_eq!(
        lang_of(errbook().env("LANG", "ko_KR.UTF-8").env("LC_ALL", "C")),
        ("en".into(), "en".into())
    );
    assert_eq!(
        lang_of(errbook().env("LANG", "ko").env("ERRBOOK_LANG", "ja")),
        ("ja".into(), "ja".into())
    );
    assert_eq!(
        lang_of(errbook().env("LANGUAGE", "ja:en").env("LANG", "ko")),
        ("ja".into(), "ja".into())
    );
    assert_eq!(
        lang_of(errbook().env("ERRBOOK_LANG", "ja").arg("--lang").arg("en")),
        ("en".into(), "en".into())
    );
    let r = run_with(errbook().env("ERRBOOK_LANG", "xx").args(["lookup", "7011"]));
    assert_eq!(r.code, 2);
}

#[test]
fn korean_list_shows_the_official_korean() {
    let doc = json(&["list", "--domain", "fairplay", "--lang", "ko"]);
    let c = builtin().iter().find(|c| c.id == "pallycon").unwrap();
    for e in &doc.results {
        let entry = c.entry(&e.code).unwrap();
        assert_eq!(e.message, entry.message.get(Lang::Ko).unwrap());
        assert_eq!(e.message_lang, "ko");
    }
}

#[test]
fn colour_follows_flag_and_environment() {
    let has_esc = |cmd: &mut Command| {
        run_with(cmd.args(["lookup", "7011", "--format", "table"]))
            .stdout
            .contains('\u{1b}')
    };
    assert!(!has_esc(&mut errbook()), "no colour when piped");
    assert!(has_esc(errbook().env("CLICOLOR_FORCE", "1")));
    assert!(!has_esc(
        errbook().env("CLICOLOR_FORCE", "1").env("NO_COLOR", "1")
    ));
    assert!(has_esc(
        errbook().env("NO_COLOR", "1").args(["--color", "always"])
    ));
    assert!(!has_esc(
        errbook()
            .env("CLICOLOR_FORCE", "1")
            .args(["--color", "never"])
    ));
    let explain = run_with(
        errbook()
            .env("CLICOLOR_FORCE", "1")
            .args(["explain", "7011", "--format", "table"]),
    );
    assert!(explain.stdout.contains('\u{1b}'));
}

// ---------------------------------------------------------------- explain

#[test]
fn explain_network_connection_failure() {
    let doc = json(&["explain", "network_connection_failure"]);
    let e = &doc.results[0];
    assert_eq!(e.action, "retry");
    assert_eq!(e.http_status, Some(403));
    assert!(e.description.is_some() && e.hint.is_some());
    let text = run(&["explain", "network_connection_failure"]).stdout;
    for label in [
        "What it means",
        "What to do",
        "Related",
        "Source",
        "HTTP 403",
        "retry",
    ] {
        assert!(text.contains(label), "missing {label}");
    }
    // Labels follow the language.
    let ko = run(&["explain", "network_connection_failure", "--lang", "ko"]).stdout;
    assert!(ko.contains("해야 할 일") && ko.contains("공식 문구"));
}

#[test]
fn explain_marks_translations() {
    let ja = run(&["explain", "7011", "--lang", "ja"]).stdout;
    assert!(ja.contains("errbook による翻訳"), "{ja}");
    let ko = run(&["explain", "7011", "--lang", "ko"]).stdout;
    assert!(!ko.contains("errbook 번역"), "the Korean text is official");
}

// ---------------------------------------------------------------- pipes, help, robustness

#[test]
fn closed_pipe_is_quiet_success() {
    let mut child = common::std_errbook()
        .args(["list", "--format", "json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read one byte, then close the pipe, like `| head -c1`.
    let mut out = child.stdout.take().unwrap();
    let mut one = [0u8; 1];
    out.read_exact(&mut one).unwrap();
    drop(out);
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0), "stderr: {err}");
    assert!(err.is_empty(), "stderr: {err}");
}

#[test]
fn full_disk_is_an_error() {
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
        return;
    };
    let out = common::std_errbook()
        .args(["list"])
        .stdout(full)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("cannot write output"), "{err}");
}

#[test]
fn help_has_examples_and_version_works() {
    let cmd = <errbook::cli::Cli as clap::CommandFactory>::command();
    let subs: Vec<&str> = cmd.get_subcommands().map(|c| c.get_name()).collect();
    assert!(subs.len() >= 7);
    for sub in subs {
        let r = run(&[sub, "--help"]);
        assert_eq!(r.code, 0);
        assert!(
            r.stdout.contains("Examples:"),
            "{sub} --help has no examples"
        );
        assert!(r.stdout.contains(&format!("errbook {sub}")));
    }
    // -V is the version alone; --version adds the catalogs (see the test below).
    let r = run(&["-V"]);
    assert_eq!(r.code, 0);
    assert_eq!(
        r.stdout.trim(),
        format!("errbook {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn common_options_mean_the_same_before_or_after_the_command() {
    let after = run(&["lookup", "7011", "--lang", "ko", "--format", "json"]);
    assert_eq!(after.code, 0, "{}", after.stderr);
    let before = run(&["--lang", "ko", "--format", "json", "lookup", "7011"]);
    assert_eq!(before.stdout, after.stdout);
    let doc: Document = serde_json::from_str(&after.stdout).unwrap();
    assert_eq!(doc.lang, "ko");

    // Given on both sides, the one after the command wins.
    let both = run(&[
        "--lang", "ja", "lookup", "7011", "--lang", "ko", "--format", "json",
    ]);
    assert_eq!(both.stdout, after.stdout);
    let plain = run(&["--format", "json", "lookup", "7011", "--format", "plain"]);
    assert!(serde_json::from_str::<Value>(&plain.stdout).is_err());
    assert!(
        plain.stdout.starts_with("pallycon\t7011\t"),
        "{}",
        plain.stdout
    );

    // --color has a default, so only a --color actually written after the command overrides one before it.
    let coloured = run(&["--color", "always", "lookup", "7011", "--format", "table"]);
    assert!(coloured.stdout.contains('\x1b'), "{}", coloured.stdout);
    let still = run(&[
        "--color", "always", "lookup", "7011", "--lang", "en", "--format", "table",
    ]);
    assert_eq!(still.stdout, coloured.stdout);
    let off = run(&[
        "--color", "always", "lookup", "7011", "--color", "never", "--format", "table",
    ]);
    assert!(!off.stdout.contains('\x1b'), "{}", off.stdout);
}

#[test]
fn usage_errors_name_what_is_wrong_and_whose_help_to_read() {
    for (args, says, help) in [
        (&["lookup"][..], "<QUERY>", "errbook lookup --help"),
        (
            &["search", "--limit", "3"][..],
            "<TEXT>",
            "errbook search --help",
        ),
        (
            &["list", "--http", "abc"][..],
            "--http",
            "errbook list --help",
        ),
        (
            &["lookup", "7011", "--bogus"][..],
            "--bogus",
            "errbook lookup --help",
        ),
        (
            &["--format", "xml", "lookup", "7011"][..],
            "possible values: table, plain, json, ndjson",
            "errbook lookup --help",
        ),
        (
            &["lokup", "7011"][..],
            "did you mean 'lookup'?",
            "errbook --help",
        ),
    ] {
        let r = run(args);
        assert_eq!(r.code, 2, "{args:?}");
        assert!(r.stdout.is_empty(), "{args:?}: {}", r.stdout);
        assert_eq!(r.stderr.lines().count(), 1, "{args:?}: {}", r.stderr);
        assert!(
            r.stderr.starts_with("errbook: error: "),
            "{args:?}: {}",
            r.stderr
        );
        assert!(r.stderr.contains(says), "{args:?}: {}", r.stderr);
        assert!(
            r.stderr.contains(&format!("see '{help}'")),
            "{args:?}: {}",
            r.stderr
        );
    }
}

#[test]
fn help_subcommand_shows_each_commands_own_options() {
    // Each subcommand's arguments are added only when it is used; `help NAME` must still show them.
    for (sub, option) in [
        ("list", "--domain"),
        ("search", "--limit"),
        ("lookup", "<QUERY>"),
    ] {
        let r = run(&["help", sub]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(r.stdout.contains(option), "help {sub}: {}", r.stdout);
        assert!(r.stdout.contains("--lang"), "help {sub}: {}", r.stdout);
        assert_eq!(r.stdout, run(&[sub, "--help"]).stdout);
    }
}

#[test]
fn odd_input_never_panics() {
    let long = "7".repeat(100_000);
    for q in [
        "\u{200b}",
        "🙂",
        "ｷｰ",
        "a:b:c",
        "-",
        "x",
        "*",
        "?",
        "0-0",
        "99999999999999999999999-1",
        &long,
    ] {
        for cmd in ["lookup", "explain", "search"] {
            let r = run_with(errbook().args([cmd, q]).write_stdin(""));
            assert!(matches!(r.code, 0..=2), "{cmd} {q:.20}: status {}", r.code);
            assert!(
                !r.stderr.contains("panicked"),
                "{cmd} {q:.20}: {}",
                r.stderr
            );
        }
    }
}

#[cfg(unix)]
#[test]
fn non_utf8_argument_is_a_usage_error() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let r = run_with(errbook().arg("lookup").arg(OsStr::from_bytes(b"70\xff11")));
    assert_eq!(r.code, 2);
    assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
}

// ---------------------------------------------------------------- abuse (issue 8)

/// The one-line usage error every abuse case must end with: status 2, nothing on stdout, exactly one line on
/// stderr starting with `errbook: error:`, and no panic.
/// "Nothing found" on standard input (issue 7): status 1, nothing on stdout, one line on stderr, no panic.
fn assert_one_line_nothing(r: &Run, what: &str) {
    assert_eq!(r.code, 1, "{what}: status; stderr {:?}", r.stderr);
    assert!(r.stdout.is_empty(), "{what}: stdout {:?}", r.stdout);
    assert_eq!(r.stderr.lines().count(), 1, "{what}: stderr {:?}", r.stderr);
    assert!(!r.stderr.contains("panicked"), "{what}: {:?}", r.stderr);
}

fn assert_one_line_error(r: &Run, what: &str) {
    assert_eq!(r.code, 2, "{what}: status; stderr {:?}", r.stderr);
    assert!(r.stdout.is_empty(), "{what}: stdout {:?}", r.stdout);
    assert_eq!(r.stderr.lines().count(), 1, "{what}: stderr {:?}", r.stderr);
    assert!(
        r.stderr.starts_with("errbook: error: "),
        "{what}: {:?}",
        r.stderr
    );
    assert!(!r.stderr.contains("panicked"), "{what}: {:?}", r.stderr);
}

#[test]
fn a_100_kb_argument_is_one_short_error_line() {
    for unit in ["7", "가", "x"] {
        let big = unit.repeat(100 * 1024 / unit.len());
        for cmd in ["lookup", "explain", "search"] {
            let what = format!("{cmd} <100 KB of {unit}>");
            let r = run(&[cmd, &big]);
            assert_one_line_error(&r, &what);
            // The error names the length, it does not echo 100 KB back.
            assert!(r.stderr.len() < 300, "{what}: {} bytes", r.stderr.len());
            assert!(r.stderr.contains("limit"), "{what}: {}", r.stderr);
        }
    }
    // The same line read from standard input is no query (too long): it is scanned as text, and holds no
    // code.
    let r = run_with(
        errbook()
            .args(["lookup", "-"])
            .write_stdin(format!("{}\n", "7".repeat(100 * 1024))),
    );
    assert_one_line_nothing(&r, "lookup - <100 KB line>");
    assert!(r.stderr.len() < 300, "{} bytes", r.stderr.len());
}

#[test]
fn empty_and_blank_queries_are_usage_errors() {
    for q in ["", " ", "\t", "  \t  ", "\u{3000}", "\n"] {
        for cmd in ["lookup", "explain", "search"] {
            let r = run(&[cmd, q]);
            assert_one_line_error(&r, &format!("{cmd} {q:?}"));
        }
        // A catalog with nothing after it is no better.
        let r = run(&["lookup", &format!("pallycon:{q}")]);
        assert_one_line_error(&r, &format!("lookup pallycon:{q:?}"));
    }
    // Standard input with only blank lines is empty input: nothing found (issue 7).
    let r = run_with(errbook().args(["explain", "-"]).write_stdin("\n  \n\t\n"));
    assert_one_line_nothing(&r, "explain - <blank lines>");
    assert!(r.stderr.contains("empty"), "{}", r.stderr);
}

#[test]
fn unknown_language_and_format_on_every_command() {
    let commands: [&[&str]; 5] = [
        &["lookup", "7011"],
        &["explain", "7011"],
        &["search", "token"],
        &["list"],
        &["catalogs"],
    ];
    for cmd in commands {
        for bad in [
            &["--lang", "xx"][..],
            &["--lang", ""],
            &["--lang", "kor"],
            &["--format", "xml"],
            &["--format", ""],
        ] {
            let mut args = cmd.to_vec();
            args.extend(bad);
            let r = run(&args);
            assert_one_line_error(&r, &format!("{args:?}"));
            // The line says which values would do.
            let expected = if bad[0] == "--lang" { "ja" } else { "ndjson" };
            assert!(r.stderr.contains(expected), "{args:?}: {}", r.stderr);
        }
    }
}

#[cfg(unix)]
#[test]
fn non_utf8_anywhere_is_a_usage_error() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let bad = OsStr::from_bytes(b"to\xffken");
    for cmd in ["lookup", "explain", "search"] {
        let r = run_with(errbook().arg(cmd).arg(bad));
        assert_one_line_error(&r, &format!("{cmd} <non-UTF-8>"));
    }
    for flag in ["--catalog", "--domain", "--action"] {
        let r = run_with(errbook().arg("list").arg(flag).arg(bad));
        assert_one_line_error(&r, &format!("list {flag} <non-UTF-8>"));
    }
    let r = run_with(errbook().args(["lookup", "7011", "--lang"]).arg(bad));
    assert_one_line_error(&r, "--lang <non-UTF-8>");
    // Bytes that are not UTF-8 on standard input are read as text with replacement characters: not a
    // query, so the text is scanned, and it names no code.
    let r = run_with(
        errbook()
            .args(["lookup", "-"])
            .write_stdin(&b"70\xff11\n"[..]),
    );
    assert_one_line_nothing(&r, "lookup - <non-UTF-8>");
}

/// Runs errbook through `sh`, with a redirection applied to it (to close a standard stream).
#[cfg(unix)]
fn run_redirected(redirect: &str, args: &[&str]) -> Run {
    let bin = assert_cmd::cargo::cargo_bin("errbook");
    let mut cmd = Command::from_std(common::hermetic(std::process::Command::new("sh")));
    cmd.arg("-c")
        .arg(format!("exec \"$0\" \"$@\" {redirect}"))
        .arg(bin)
        .args(args);
    run_with(&mut cmd)
}

#[cfg(unix)]
#[test]
fn closed_stdout_is_not_a_crash() {
    // With stdout closed there is nowhere to write; the answer is the exit status.
    for (args, code) in [
        (&["lookup", "7011"][..], 0),
        (&["explain", "network_connection_failure"], 0),
        (&["search", "token"], 0),
        (&["list", "--format", "json"], 0),
        (&["lookup", "no_such_code_at_all"], 1),
    ] {
        let r = run_redirected(">&-", args);
        assert_eq!(r.code, code, "{args:?} >&-: {}", r.stderr);
        assert!(!r.stderr.contains("panicked"), "{args:?}: {}", r.stderr);
        assert!(r.stderr.lines().count() <= 2, "{args:?}: {}", r.stderr);
    }
}

#[cfg(unix)]
#[test]
fn closed_or_unreadable_stdin() {
    for cmd in ["lookup", "explain"] {
        // Closed: nothing to read, which is empty input (issue 7).
        let r = run_redirected("<&-", &[cmd, "-"]);
        assert_one_line_nothing(&r, &format!("{cmd} - <&-"));
        assert!(r.stderr.contains("empty"), "{}", r.stderr);
        // A directory: reading fails, and says so.
        let r = run_redirected("</", &[cmd, "-"]);
        assert_one_line_error(&r, &format!("{cmd} - </"));
        assert!(r.stderr.contains("standard input"), "{}", r.stderr);
    }
    // Commands that do not read stdin do not care.
    let r = run_redirected("<&-", &["lookup", "7011"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn full_disk_for_every_command() {
    if std::fs::metadata("/dev/full").is_err() {
        return;
    }
    let commands: [&[&str]; 10] = [
        &["lookup", "7011"],
        &["explain", "network_connection_failure"],
        &["explain", "7011", "--format", "table", "--color", "always"],
        &["search", "token", "--format", "ndjson"],
        &["list", "--format", "json"],
        &["catalogs"],
        &["completions", "bash"],
        &["man"],
        &["--help"],
        &["lookup", "--help"],
    ];
    for args in commands {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let mut cmd = common::std_errbook();
        let out = cmd.args(args).stdout(full).output().unwrap();
        let r = Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::new(),
            stderr: String::from_utf8(out.stderr).unwrap(),
        };
        assert_one_line_error(&r, &format!("{args:?} >/dev/full"));
        assert!(r.stderr.contains("cannot write output"), "{}", r.stderr);
    }
}

#[test]
fn usage_errors_come_before_any_result_and_need_no_language() {
    // A bad query among good ones: one error line, nothing looked up.
    let r = run(&["lookup", "zzzz", "nosuch:7011"]);
    assert_one_line_error(&r, "lookup zzzz nosuch:7011");
    assert!(r.stderr.contains("nosuch"), "{}", r.stderr);
    // Commands that print no catalog text work whatever ERRBOOK_LANG says.
    for args in [
        &["man"][..],
        &["completions", "bash"],
        &["validate", "examples/acme-platform.toml"],
    ] {
        let r = run_with(errbook().env("ERRBOOK_LANG", "xx").args(args));
        assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
        assert!(!r.stdout.is_empty());
    }
    let r = run_with(errbook().env("ERRBOOK_LANG", "xx").args(["lookup", "7011"]));
    assert_one_line_error(&r, "ERRBOOK_LANG=xx lookup");
    // Search refuses control characters as lookup does, but reads tabs and newlines as spaces.
    let r = run(&["search", "token\u{1b}[31m"]);
    assert_one_line_error(&r, "search with ESC");
    let r = run(&["search", "token\texpired"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, run(&["search", "token expired"]).stdout);
}

/// Player codes in the forms tickets carry them (issue 17): each finds its entry, and explain tells its
/// story in every language.
#[test]
fn player_codes_as_tickets_carry_them() {
    let cases: [(&str, &[(&str, &str)]); 8] = [
        ("6007", &[("shaka", "6007"), ("media3", "6007")]),
        ("-11836", &[("apple", "-11836")]),
        ("\u{2212}11836", &[("apple", "-11836")]),
        ("4294955460", &[("apple", "-11836")]),
        ("0x8004C600", &[("playready", "0x8004C600")]),
        ("8004c600", &[("playready", "0x8004C600")]),
        ("keySystemNoKeys", &[("hlsjs", "keySystemNoKeys")]),
        (
            "ERROR_CODE_DRM_LICENSE_ACQUISITION_FAILED",
            &[("media3", "6004")],
        ),
    ];
    for (query, want) in cases {
        let got = codes(&json(&["lookup", query]));
        for (c, code) in want {
            assert!(
                got.contains(&(c.to_string(), code.to_string())),
                "{query}: {got:?}"
            );
        }
        for lang in ["en", "ko", "ja"] {
            let r = run(&["explain", query, "--lang", lang]);
            assert_eq!(r.code, 0, "{query} {lang}: {}", r.stderr);
            assert!(r.stdout.contains(want[0].1), "{query} {lang}");
        }
    }
    // The catalog picks one of the entries a number names in several catalogs.
    assert_eq!(
        codes(&json(&["lookup", "shaka:6007"])),
        [("shaka".to_string(), "6007".to_string())]
    );
}

/// Option values name domains, actions, catalogs and languages in any case (issue 19).
#[test]
fn option_values_in_any_case() {
    for (typed, lower) in [
        (
            &["list", "--domain", "FairPlay"][..],
            &["list", "--domain", "fairplay"][..],
        ),
        (
            &["list", "--action", "Retry", "--catalog", "PallyCon"],
            &["list", "--action", "retry", "--catalog", "pallycon"],
        ),
        (
            &["lookup", "7011", "--lang", "KO"],
            &["lookup", "7011", "--lang", "ko"],
        ),
    ] {
        let (a, b) = (run(typed), run(lower));
        assert_eq!(a.code, 0, "{typed:?}: {}", a.stderr);
        assert!(!a.stdout.is_empty(), "{typed:?}");
        assert_eq!(a.stdout, b.stdout, "{typed:?}");
    }
}

/// `errbook --version` names every built-in catalog with the newest date among its sources, as the
/// catalog files give them, so that a ticket can say which data answered it.
#[test]
fn version_names_each_catalog_and_its_source_date() {
    let r = run(&["--version"]);
    assert_eq!(r.code, 0);
    let mut lines = r.stdout.lines();
    assert_eq!(
        lines.next(),
        Some(concat!("errbook ", env!("CARGO_PKG_VERSION")))
    );
    let listed: Vec<(String, String)> = lines
        .filter_map(|l| l.strip_prefix("  "))
        .map(|l| {
            let (id, date) = l.split_once(' ').unwrap();
            (id.to_string(), date.trim().to_string())
        })
        .collect();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("catalog");
    let mut expected = Vec::new();
    for f in std::fs::read_dir(&dir).unwrap() {
        let path = f.unwrap().path();
        let doc: toml::Table = std::fs::read_to_string(&path).unwrap().parse().unwrap();
        let Some(catalog) = doc.get("catalog").and_then(|c| c.as_table()) else {
            continue; // not a vendor catalog (the glossary, say)
        };
        let id = catalog["id"].as_str().unwrap().to_string();
        let newest = catalog
            .get("source")
            .and_then(|s| s.as_array())
            .into_iter()
            .flatten()
            .filter_map(|s| s.get("date").and_then(|d| d.as_str()))
            .max()
            .map(str::to_string);
        expected.push((id, newest));
    }
    assert_eq!(listed.len(), expected.len(), "{}", r.stdout);
    for (id, newest) in expected {
        let (_, shown) = listed
            .iter()
            .find(|(l, _)| *l == id)
            .unwrap_or_else(|| panic!("{id} missing"));
        match newest {
            Some(date) => assert_eq!(shown, &date, "{id}"),
            None => assert!(shown.starts_with("undated"), "{id}: {shown}"),
        }
    }
}
