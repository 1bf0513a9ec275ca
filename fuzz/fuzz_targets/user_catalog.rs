//! User catalogs: any text as a catalog file, and any bytes as the stored form a cache file holds. Neither
//! may panic; a file that passes the checks must store, load back the same, and render.
#![no_main]

use errbook::catalog::{Book, Hit, Listing, Origin};
use errbook::render::{self, CommandName, Format, Report, Style};
use errbook::user;
use libfuzzer_sys::fuzz_target;

fn render_all(book: &Book) {
    let hits: Vec<Hit> = book.hits().take(50).collect();
    for h in &hits {
        let _ = h.related();
    }
    for format in [Format::Table, Format::Plain, Format::Json, Format::Ndjson] {
        for command in [CommandName::Lookup, CommandName::Explain] {
            let report = Report {
                command,
                query: None,
                lang: errbook::catalog::Lang::Ko,
                hits: &hits,
                style: Style {
                    color: true,
                    width: 60,
                },
            };
            let mut out = Vec::new();
            render::write_report(format, &report, &mut out).expect("memory");
            if matches!(format, Format::Table | Format::Plain) {
                let text = String::from_utf8(out).expect("UTF-8 output");
                assert!(!text.contains('\u{1b}') || report.style.color, "raw ESC");
            }
        }
    }
    // The user's catalogs (and built-in ones they extend), listed entry by entry in every format.
    let listing = Listing {
        catalogs: book
            .catalogs
            .iter()
            .copied()
            .filter(|c| c.origin != Origin::BuiltIn || !c.extended_by.is_empty())
            .collect(),
        ..Listing::default()
    };
    let kept = listing.hits().len();
    assert_eq!(listing.is_empty(), kept == 0);
    for format in [Format::Table, Format::Plain, Format::Json, Format::Ndjson] {
        let style = Style {
            color: false,
            width: 60,
        };
        let mut out = Vec::new();
        let n = render::write_listing(
            format,
            &listing,
            errbook::catalog::Lang::Ja,
            style,
            &mut out,
        )
        .expect("memory");
        assert_eq!(n, kept, "{format:?}");
    }
    let _ = errbook::search::search(book, "token", 20);
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let mut book = Book::builtin();
    if mode % 2 == 0 {
        let Ok(text) = std::str::from_utf8(rest) else {
            return;
        };
        let Ok(file) = user::check(text, &book) else {
            return;
        };
        let part =
            user::stored_part(user::store(&file), "fuzz.toml").expect("a checked file stores");
        assert_eq!(part.id, file.catalog.id.get_ref());
        let n = errbook::catalog::EntrySource::len(part.entries);
        assert_eq!(n, file.entry.len());
        let all = errbook::catalog::EntrySource::all(part.entries);
        assert_eq!(all.len(), n, "every stored entry decodes");
        for (e, f) in all.iter().zip(&file.entry) {
            assert_eq!(e.code, f.get_ref().code);
        }
        user::join(&mut book, part);
    } else {
        let Some(part) = user::stored_part(rest.to_vec(), "fuzz.bin") else {
            return;
        };
        let src = part.entries;
        let mut bufs = (String::new(), String::new(), String::new());
        for i in 0..errbook::catalog::EntrySource::len(src) {
            let _ = errbook::catalog::EntrySource::row(src, i);
            let _ = errbook::catalog::EntrySource::entry(src, i);
            let _ =
                errbook::catalog::EntrySource::fold(src, i, &mut bufs.0, &mut bufs.1, &mut bufs.2);
        }
        user::join(&mut book, part);
    }
    render_all(&book);
});
