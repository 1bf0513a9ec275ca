//! Property tests (issue 8, robustness): whatever a user types, and whatever text a catalog holds, errbook
//! answers with a status it documents and output that keeps its contract. Nothing here starts a process:
//! each case runs the library the way `main` does, with an in-memory environment, stdin and output.

use clap::Parser;
use errbook::app::{run, Env};
use errbook::catalog::actions::ACTIONS;
use errbook::catalog::store::{self, Store};
use errbook::catalog::{
    builtin, Book, Catalog, Entry, Hit, Kind, Lang, Listing, Meta, Origin, Source, Texts, Titled,
};
use errbook::cli::Cli;
use errbook::error::{Error, Outcome};
use errbook::render::{self, CommandName, Document, EntryJson, Format, Output, Report, Style};
use proptest::prelude::*;
use proptest::sample::select;
use std::borrow::Cow;

const FORMATS: [Format; 4] = [Format::Table, Format::Plain, Format::Json, Format::Ndjson];
const COMMANDS: [CommandName; 4] = [
    CommandName::Lookup,
    CommandName::Search,
    CommandName::List,
    CommandName::Explain,
];

// ---------------------------------------------------------------- running the program in memory

/// What one in-memory run gave: the exit status `main` would use, and both streams.
struct Ran {
    status: i32,
    stdout: String,
    stderr: String,
    /// The usage error's message (main prints it as the one stderr line).
    usage: Option<String>,
}

/// Runs `errbook <args>` as main does, but with no environment variables, stdout not a terminal, empty stdin.
fn errbook(args: &[&str]) -> Ran {
    let argv = std::iter::once("errbook").chain(args.iter().copied());
    let cli = match Cli::try_parse_from(argv) {
        Ok(cli) => cli,
        // clap refused the command line: main turns that into status 2 (or 0 for --help, not used here).
        Err(e) => {
            return Ran {
                status: 2,
                stdout: String::new(),
                stderr: String::new(),
                usage: Some(format!("clap: {:?}", e.kind())),
            }
        }
    };
    let env = Env {
        stdout_is_terminal: false,
        terminal_width: None,
        var: Box::new(|_| None),
    };
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let result = run(cli, &env, &mut &b""[..], &mut out, &mut err);
    let (status, usage) = match result {
        Ok(Outcome::Found) => (0, None),
        Ok(Outcome::NotFound) => (1, None),
        Ok(Outcome::Invalid) => panic!("errbook {args:?}: only validate reports Invalid"),
        Err(Error::Usage { message }) => (2, Some(message)),
        // Memory cannot be full and stdin is empty: reading or writing can never fail here.
        Err(e) => panic!("errbook {args:?}: unexpected error {e}"),
    };
    Ran {
        status,
        stdout: String::from_utf8(out).expect("stdout is UTF-8"),
        stderr: String::from_utf8(err).expect("stderr is UTF-8"),
        usage,
    }
}

/// Control characters other than those `allowed` (line ends, and tabs between plain columns).
fn controls(s: &str, allowed: &[char]) -> Vec<char> {
    s.chars()
        .filter(|c| c.is_control() && !allowed.contains(c))
        .collect()
}

fn check_entry_json(e: &EntryJson, context: &str) {
    assert!(!e.catalog.is_empty(), "{context}: empty catalog");
    assert!(!e.code.is_empty(), "{context}: empty code");
    assert!(!e.message.is_empty(), "{context}: empty message");
    assert!(
        Lang::from_code(&e.message_lang).is_some(),
        "{context}: message_lang {:?}",
        e.message_lang
    );
    assert_eq!(
        e.messages.get(&e.message_lang),
        Some(&e.message),
        "{context}: message is not messages[message_lang]"
    );
    if let Some(s) = e.score {
        assert!((0.0..=100.0).contains(&s), "{context}: score {s}");
    }
}

// ---------------------------------------------------------------- what users type

/// Characters that stress different parts of the program: query syntax, digits and `x` for templates,
/// control characters, bidirectional controls, combining marks, zero-width characters, wide scripts,
/// characters whose lowercase is longer, and then any character at all.
fn odd_char() -> impl Strategy<Value = char> {
    prop_oneof![
        3 => select(vec![':', '*', '?', '-', 'x', 'X', '_', ' ', '0', '7', '1', '3']),
        2 => prop::char::range('\0', '\u{1f}'),
        1 => Just('\u{7f}'),
        1 => prop::char::range('\u{80}', '\u{9f}'),
        1 => select(vec!['\u{202e}', '\u{202d}', '\u{200f}', '\u{2066}', '\u{2069}', '\u{61c}']),
        2 => prop::char::range('\u{300}', '\u{36f}'),
        1 => select(vec!['\u{200b}', '\u{200d}', '\u{feff}', '\u{ad}']),
        1 => select(vec!['İ', 'ẞ', 'Σ', 'ﬃ', 'Å', 'ǅ']),
        2 => prop::char::range('가', '힣'),
        1 => prop::char::range('\u{ff61}', '\u{ff9f}'),
        1 => prop::char::range('\u{1f300}', '\u{1f64f}'),
        4 => any::<char>(),
    ]
}

/// A piece of a query: real codes, names and catalog ids (so that lookups also find things), or odd text.
fn piece() -> impl Strategy<Value = String> {
    let keys: Vec<String> = builtin()
        .iter()
        .flat_map(|c| {
            c.all()
                .into_iter()
                .flat_map(|e| e.keys().map(str::to_string))
                .chain([format!("{}:", c.id)])
        })
        .collect();
    prop_oneof![
        2 => select(keys),
        3 => prop::collection::vec(odd_char(), 1..12).prop_map(|v| v.into_iter().collect()),
    ]
}

/// Any query: a few pieces joined, sometimes padded with white space.
fn query() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(piece(), 0..4),
        select(vec!["", " ", "\t", "\u{3000}"]),
    )
        .prop_map(|(pieces, pad)| format!("{pad}{}{pad}", pieces.concat()))
}

/// Very long text, around and beyond the 4096-byte query limit.
fn long_query() -> impl Strategy<Value = String> {
    (
        select(vec!["7", "가", "a", "x", "*", "\u{301}", "🙂"]),
        1000..6000usize,
    )
        .prop_map(|(unit, n)| unit.repeat(n))
}

/// The checks every query command shares, whatever it was given. `plain`: the output is plain text (JSON
/// may carry the query, with the escapes JSON requires, which leave DEL and C1 characters as they are).
fn check_query_run(command: &str, q: &str, r: &Ran, plain: bool) {
    assert!(
        matches!(r.status, 0..=2),
        "{command} {q:?}: status {}",
        r.status
    );
    match r.status {
        0 => assert!(
            !r.stdout.is_empty(),
            "{command} {q:?}: found, printed nothing"
        ),
        2 => {
            assert!(r.stdout.is_empty(), "{command} {q:?}: output with an error");
            let msg = r.usage.as_deref().unwrap_or_default();
            assert!(!msg.is_empty());
            // main prints it as one line; it must not be able to drive the terminal either.
            assert!(controls(msg, &[]).is_empty(), "{command} {q:?}: {msg:?}");
        }
        _ => {}
    }
    // Diagnostics quote the query with escapes, so a query cannot put control characters on stderr.
    assert!(
        controls(&r.stderr, &['\n']).is_empty(),
        "{command} {q:?}: stderr {:?}",
        r.stderr
    );
    if plain {
        assert!(
            controls(&r.stdout, &['\n', '\t']).is_empty(),
            "{command} {q:?}: stdout {:?}",
            r.stdout
        );
    }
}

/// Runs `command -- q` in JSON and checks the document, then in plain and checks the status agrees.
fn check_query(command: &str, q: &str) {
    let json = errbook(&[command, "--format", "json", "--", q]);
    check_query_run(command, q, &json, false);
    if q == "-" && command != "search" {
        // `-` reads standard input, which is empty here: said on stderr, with nothing to print.
        assert_eq!(json.status, 1, "{command} -");
        assert!(json.stdout.is_empty(), "{command} -: {}", json.stdout);
        assert!(
            json.stderr.contains("standard input is empty"),
            "{command} -: {}",
            json.stderr
        );
    } else if json.status != 2 {
        let doc: Document = serde_json::from_str(&json.stdout)
            .unwrap_or_else(|e| panic!("{command} {q:?}: not the JSON contract: {e}"));
        assert_eq!(doc.schema_version, 1);
        assert_eq!(doc.command, command);
        assert_eq!(doc.lang, "en");
        if command == "search" {
            assert_eq!(doc.results.is_empty(), json.status == 1, "{command} {q:?}");
        } else {
            // One argument may hold several queries (`7011,7110`): the status says whether one of
            // them found nothing, and the document names those.
            assert_eq!(
                !doc.unmatched.is_empty(),
                json.status == 1,
                "{command} {q:?}"
            );
            for a in &doc.queries {
                assert!(
                    a.results.iter().all(|&i| i < doc.results.len()),
                    "{command} {q:?}"
                );
            }
        }
        for e in &doc.results {
            check_entry_json(e, &format!("{command} {q:?}"));
        }
        if command == "search" {
            assert!(doc.results.len() <= 20, "search {q:?}: past the limit");
            assert!(doc.results.iter().all(|e| e.score.is_some()));
        }
    }
    let plain = errbook(&[command, "--format", "plain", "--", q]);
    check_query_run(command, q, &plain, true);
    assert_eq!(
        plain.status, json.status,
        "{command} {q:?}: formats disagree"
    );
    assert_eq!(
        plain.stderr, json.stderr,
        "{command} {q:?}: formats disagree"
    );
}

/// The query `-` (standard input) is the one the strategies found that needs its own expectation.
#[test]
fn dash_reads_empty_stdin() {
    for command in ["lookup", "explain", "search"] {
        check_query(command, "-");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn any_lookup_query(q in query()) {
        check_query("lookup", &q);
    }

    #[test]
    fn any_explain_query(q in query()) {
        check_query("explain", &q);
    }

    #[test]
    fn several_queries_at_once(qs in prop::collection::vec(query(), 1..4)) {
        let mut args = vec!["lookup", "--format", "ndjson", "--"];
        args.extend(qs.iter().map(String::as_str));
        let r = errbook(&args);
        check_query_run("lookup", &qs.join(" "), &r, false);
        for line in r.stdout.lines() {
            let e: EntryJson = serde_json::from_str(line).expect("one entry per line");
            check_entry_json(&e, &format!("lookup {qs:?}"));
        }
    }
}

proptest! {
    // Search reads every entry's text for each query; fewer cases keep the suite quick in debug builds.
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn any_search_text(q in query()) {
        check_query("search", &q);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    #[test]
    fn very_long_queries(q in long_query(), command in select(vec!["lookup", "explain", "search"])) {
        let r = errbook(&[command, "--format", "json", "--", &q]);
        check_query_run(command, &q, &r, false);
        // Past the limit the query is refused, with its length rather than its text.
        if q.trim().len() > errbook::query::MAX_QUERY_LEN {
            prop_assert_eq!(r.status, 2);
            let msg = r.usage.unwrap_or_default();
            prop_assert!(msg.len() < 200, "{}", msg);
        }
    }
}

// ---------------------------------------------------------------- rendering built-in entries

fn report<'a>(command: CommandName, lang: Lang, hits: &'a [Hit], width: usize) -> Report<'a> {
    Report {
        command,
        query: Some("q".into()),
        lang,
        hits,
        style: Style {
            color: false,
            width,
        },
        asked: &[],
    }
}

/// Renders `hits` in `format` and checks what every format promises.
fn check_render(format: Format, report: &Report) -> String {
    let mut out = Vec::new();
    render::write(format, &Output::Entries(report.clone()), &mut out).expect("writing to memory");
    let text = String::from_utf8(out).expect("UTF-8 output");
    let context = format!(
        "{:?} {} {:?} width {}",
        format,
        report.command.as_str(),
        report.lang,
        report.style.width
    );
    let n = report.hits.len();
    match format {
        Format::Json => {
            let doc: Document = serde_json::from_str(&text)
                .unwrap_or_else(|e| panic!("{context}: not the JSON contract: {e}"));
            assert_eq!(doc.results.len(), n, "{context}");
            for e in &doc.results {
                check_entry_json(e, &context);
            }
        }
        Format::Ndjson => {
            assert_eq!(text.lines().count(), n, "{context}");
            for line in text.lines() {
                let e: EntryJson = serde_json::from_str(line)
                    .unwrap_or_else(|e| panic!("{context}: bad line: {e}"));
                check_entry_json(&e, &context);
            }
        }
        Format::Plain => {
            assert!(
                controls(&text, &['\n', '\t']).is_empty(),
                "{context}: {text:?}"
            );
            if report.command != CommandName::Explain {
                // One entry per line, the fixed columns, whatever the text holds.
                let cols = if report.command == CommandName::Search {
                    9
                } else {
                    8
                };
                assert_eq!(text.lines().count(), n, "{context}: {text:?}");
                for line in text.lines() {
                    assert_eq!(line.split('\t').count(), cols, "{context}: {line:?}");
                }
            } else {
                assert!(!text.contains('\t'), "{context}: {text:?}");
            }
        }
        Format::Table => {
            assert!(controls(&text, &['\n']).is_empty(), "{context}: {text:?}");
            assert!(
                n == 0 || !text.trim().is_empty(),
                "{context}: nothing shown"
            );
        }
    }
    text
}

#[test]
fn every_builtin_entry_renders_in_every_format_and_language() {
    let book = Book::builtin();
    let mut rendered = 0;
    for hit in book.hits() {
        let hit = Hit {
            score: Some(50.0),
            ..hit
        };
        for lang in Lang::ALL {
            for command in COMMANDS {
                for format in FORMATS {
                    let text = check_render(format, &report(command, lang, &[hit], 100));
                    // Tables wrap long codes inside their cell; plain text and explain's header never do.
                    if format == Format::Plain || command == CommandName::Explain {
                        assert!(
                            text.contains(&errbook::render::text::one_line(&hit.entry.code)),
                            "{}:{} missing from its own output",
                            hit.catalog.id,
                            hit.entry.code
                        );
                    }
                    rendered += 1;
                }
            }
        }
    }
    assert!(rendered >= builtin().len() * 3 * 4 * 4);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Narrow and odd terminal widths (a terminal can report 0 columns) with any entry.
    #[test]
    fn builtin_entries_at_any_width(
        index in any::<prop::sample::Index>(),
        lang in select(Lang::ALL.to_vec()),
        command in select(COMMANDS.to_vec()),
        format in select(FORMATS.to_vec()),
        width in prop_oneof![0..40usize, 40..400usize, Just(usize::MAX)],
    ) {
        let all: Vec<Hit> = Book::builtin().hits().collect();
        let hit = all[index.index(all.len())];
        check_render(format, &report(command, lang, &[hit], width));
    }
}

// ---------------------------------------------------------------- rendering any catalog text

/// Text a catalog could hold: never empty (validation refuses empty text), otherwise anything.
fn catalog_text() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        prop::collection::vec(odd_char(), 1..40).prop_map(|v| v.into_iter().collect::<String>()),
        "[a-z ]{1,300}",
        prop::collection::vec(
            prop_oneof![
                Just('\u{1b}'),
                Just('['),
                Just('3'),
                Just('m'),
                Just('\n'),
                Just('\t')
            ],
            1..10
        )
        .prop_map(|v| v.into_iter().collect::<String>()),
    ]
    .prop_filter("text is never blank", |s| !s.trim().is_empty())
    .prop_map(|s| &*Box::leak(s.into_boxed_str()))
}

/// A code: no white space and no ':', as validation demands; anything else goes.
fn catalog_code() -> impl Strategy<Value = &'static str> {
    prop::collection::vec(odd_char(), 1..12)
        .prop_map(|v| {
            v.into_iter()
                .filter(|c| !c.is_whitespace() && *c != ':')
                .collect::<String>()
        })
        .prop_filter("code is never empty", |s| !s.is_empty())
        .prop_map(|s| &*Box::leak(s.into_boxed_str()))
}

fn texts(required: bool) -> impl Strategy<Value = Texts<'static>> {
    (
        prop::option::of(catalog_text()),
        prop::option::of(catalog_text()),
        prop::option::of(catalog_text()),
    )
        .prop_map(move |(en, ko, ja)| Texts {
            // A text that must exist has at least English (the fallback every format relies on).
            en: if required && en.is_none() && ko.is_none() && ja.is_none() {
                Some(Cow::Borrowed("fallback"))
            } else {
                en.map(Cow::Borrowed)
            },
            ko: ko.map(Cow::Borrowed),
            ja: ja.map(Cow::Borrowed),
        })
}

fn entry() -> impl Strategy<Value = Entry<'static>> {
    (
        catalog_code(),
        prop::option::of(catalog_code()),
        texts(true),
        texts(false),
        texts(false),
        texts(false),
        select(ACTIONS.iter().map(|a| a.id).collect::<Vec<_>>()),
        select(vec![Kind::Error, Kind::Success, Kind::Status]),
        prop::option::of(100u16..600),
        prop::option::of(catalog_text()),
    )
        .prop_map(
            |(
                code,
                name,
                message,
                official_note,
                description,
                hint,
                action,
                kind,
                http,
                source,
            )| {
                // The vendor's languages are some of those the message has; with no English, at least one.
                let present: Vec<Lang> = message.iter().map(|(l, _)| l).collect();
                let official = if message.en.is_some() {
                    present.into_iter().filter(|l| *l != Lang::Ja).collect()
                } else {
                    present
                };
                Entry {
                    code: code.into(),
                    name: name.map(Cow::Borrowed),
                    aliases: Vec::new(),
                    domain: "d".into(),
                    http_status: http,
                    action: action.into(),
                    kind,
                    related: Vec::new(),
                    official: Some(official),
                    message,
                    official_note,
                    description,
                    hint,
                    lists: Vec::new(),
                    source: source.map(Cow::Borrowed),
                    retired: false,
                    observed: false,
                    fatal: None,
                    versions: None,
                    note: Default::default(),
                    replace: false,
                    older_action: None,
                    older_http_status: None,
                }
            },
        )
}

fn catalog() -> impl Strategy<Value = &'static Catalog> {
    (
        catalog_text(),
        catalog_text(),
        texts(true),
        texts(true),
        prop::option::of(catalog_text()),
        prop::collection::vec(entry(), 1..4),
    )
        .prop_map(
            |(vendor, product, description, domain_title, url, entries)| {
                let meta = Meta {
                    id: "generated".into(),
                    vendor: vendor.into(),
                    product: product.into(),
                    official_langs: vec![Lang::En],
                    description,
                    sources: vec![Source {
                        title: None,
                        url: url.map(Cow::Borrowed),
                        lang: Some(Lang::En),
                        date: None,
                    }],
                    domains: vec![Titled {
                        id: "d".into(),
                        title: domain_title,
                    }],
                    lists: Vec::new(),
                    bodies: Vec::new(),
                    glossary: Vec::new(),
                    lines: Vec::new(),
                };
                // Written in the stored form and read back, as every catalog is.
                let bytes = store::encode(&meta, &entries);
                let store = Store::open(Box::leak(bytes.into_boxed_slice())).expect("stored form");
                let c = Catalog::new(store, Origin::BuiltIn);
                &*Box::leak(Box::new(c))
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Whatever text a catalog holds (control characters, escape sequences, newlines, any script), every
    /// format renders it without a panic, keeps its layout, and lets no control character through.
    #[test]
    fn any_catalog_text_renders(
        catalog in catalog(),
        lang in select(Lang::ALL.to_vec()),
        command in select(COMMANDS.to_vec()),
        width in prop_oneof![0..30usize, 30..200usize],
    ) {
        let hits: Vec<Hit> = catalog
            .all()
            .into_iter()
            .enumerate()
            .map(|(i, e)| Hit { score: Some(42.0), ..Hit::new(catalog, i, e) })
            .collect();
        for format in FORMATS {
            check_render(format, &report(command, lang, &hits, width));
        }
        // Listed entry by entry, the catalog comes out as its entries gathered first do.
        let listing = Listing { catalogs: vec![catalog], ..Listing::default() };
        let kept: Vec<Hit> = catalog
            .all()
            .into_iter()
            .enumerate()
            .map(|(i, e)| Hit::new(catalog, i, e))
            .collect();
        let gathered = Report { query: None, ..report(CommandName::List, lang, &kept, width) };
        for format in FORMATS {
            let (mut streamed, mut whole) = (Vec::new(), Vec::new());
            let listed = Output::Listing { listing: &listing, lang, style: gathered.style };
            let n = render::write(format, &listed, &mut streamed).expect("writing to memory");
            render::write(format, &Output::Entries(gathered.clone()), &mut whole)
                .expect("writing to memory");
            prop_assert_eq!(n, kept.len());
            prop_assert_eq!(String::from_utf8_lossy(&streamed), String::from_utf8_lossy(&whole));
        }
    }
}
