//! User catalogs: any text as a catalog file, and any bytes as the stored form a cache file holds. Neither
//! may panic; a file that passes the checks must store, load back the same, and render.
#![no_main]

use errbook::catalog::{Book, Hit, Listing, Origin};
use errbook::render::{self, CommandName, Format, Output, Report, Style};
use errbook::catalog::user;
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
                asked: &[],
                style: Style {
                    color: true,
                    width: 60,
                },
            };
            let mut out = Vec::new();
            render::write(format, &Output::Entries(report.clone()), &mut out).expect("memory");
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
        let listed = Output::Listing {
            listing: &listing,
            lang: errbook::catalog::Lang::Ja,
            style,
        };
        let n = render::write(format, &listed, &mut out).expect("memory");
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
        let mut bases = user::Bases::new();
        let Ok(file) = user::check(text, &mut bases) else {
            return;
        };
        let part =
            user::stored_part(file.stored(), "fuzz.toml").expect("a checked file stores");
        assert_eq!(part.id(), file.id());
        assert_eq!(part.store.len(), file.entry.len());
        for (i, f) in file.entry.iter().enumerate() {
            assert_eq!(part.store.entry(i).as_ref(), Some(f.get_ref()), "every stored entry reads back");
        }
        user::join(&mut book, part);
    } else {
        let Some(part) = user::stored_part(rest.to_vec(), "fuzz.bin") else {
            return;
        };
        let s = &part.store;
        for i in 0..s.len() + 1 {
            let _ = s.row(i);
            let _ = s.entry(i);
            let _ = s.related(i);
        }
        let _ = s.keyed("x", false);
        user::join(&mut book, part);
    }
    render_all(&book);
});
