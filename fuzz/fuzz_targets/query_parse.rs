//! Any text a user may type as a query: parsing it, looking it up, searching for it and suggesting near
//! codes must never panic, and what comes back must keep the promises the command line relies on.
#![no_main]

use errbook::catalog::Book;
use errbook::error::Error;
use errbook::catalog::key_is;
use errbook::query::{number_forms, Pattern, Query, MAX_QUERY_LEN};
use errbook::render::{self, CommandName, Document, Format, Output, Report, Style};
use errbook::search;
use errbook::suggest::{suggest, MAX_SUGGESTIONS};
use libfuzzer_sys::fuzz_target;

const LIMIT: usize = 20;

fuzz_target!(|data: &[u8]| {
    // Arguments reach errbook as UTF-8 (anything else is refused by the command line before this).
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let book = Book::builtin();

    match Query::parse(text, &book) {
        Ok(q) => {
            // A code that names nothing as typed is tried in the forms players print it in.
            let forms = match &q.pattern {
                Pattern::Exact(k) => number_forms(k),
                _ => Vec::new(),
            };
            for hit in q.lookup(&book) {
                let row = hit.catalog.row(hit.index).expect("a found entry has a row");
                let as_form = row.keys().any(|k| forms.iter().any(|f| key_is(k, f)));
                assert!(
                    q.pattern.matches(&row) || as_form,
                    "{text:?}: a hit the pattern refuses"
                );
                if let Some(c) = q.catalog {
                    assert!(
                        std::ptr::eq(c, hit.catalog),
                        "{text:?}: hit outside its catalog"
                    );
                }
            }
        }
        // The message becomes the one line errbook prints on stderr.
        Err(Error::Usage { message }) => {
            assert!(!message.is_empty());
            assert!(!message.contains(['\n', '\r']), "{text:?}: {message:?}");
        }
        Err(other) => panic!("{text:?}: parse gave {other:?}"),
    }

    let suggestions = suggest(&book, text);
    assert!(suggestions.len() <= MAX_SUGGESTIONS);

    // The command line refuses longer search text before searching.
    if text.len() > MAX_QUERY_LEN {
        return;
    }
    let hits = search::search(&book, text, LIMIT);
    assert!(hits.len() <= LIMIT);
    let scores: Vec<f64> = hits
        .iter()
        .map(|h| h.score.expect("search sets a score"))
        .collect();
    assert!(
        scores.iter().all(|s| (0.0..=100.0).contains(s)),
        "{text:?}: {scores:?}"
    );
    assert!(
        scores.windows(2).all(|w| w[0] >= w[1]),
        "{text:?}: {scores:?}"
    );

    // The query is echoed in the JSON document; it must come back unchanged.
    let report = Report {
        command: CommandName::Search,
        query: Some(text.to_string()),
        lang: errbook::catalog::Lang::En,
        hits: &hits,
        asked: &[],
        style: Style {
            color: false,
            width: 80,
        },
    };
    let mut out = Vec::new();
    render::write(Format::Json, &Output::Entries(report), &mut out).expect("writing to memory");
    let doc: Document = serde_json::from_slice(&out).expect("the JSON contract");
    assert_eq!(doc.query.as_deref(), Some(text));
    assert_eq!(doc.results.len(), hits.len());
});
