//! Turning results into bytes. `view` decides what an entry shows in the chosen language (one place, so
//! every format carries the same content); each format lives in its own file and only lays it out.

mod explain;
mod json;
pub mod labels;
mod plain;
mod scan;
mod table;
pub mod text;

use crate::catalog::actions::action_def;
use crate::catalog::user::Diagnostic;
use crate::catalog::Kind;
use crate::catalog::{Book, Catalog, Hit, Lang, Listing};
use std::io::{self, Write};

pub use json::{
    BodyFindingJson, Borrowed, ByCode, CatalogJson, Document, EntryJson, FileCheckJson, ListJson,
    Lists, Owned, ProblemJson, ReadBack, Repr, ScanDocument, ScanFindingJson, SCHEMA_VERSION,
};
pub use scan::ScanSink;

use crate::input::body::Body;

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned table (explain: sections), coloured on a terminal
    Table,
    /// One entry per line, tab-separated, stable (explain: sections, no colour)
    Plain,
    /// One JSON document
    Json,
    /// One JSON entry per line
    Ndjson,
}

/// Which command produced the results (it names the JSON document's `command`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommandName {
    Lookup,
    Search,
    List,
    Explain,
    Scan,
}

impl CommandName {
    pub fn as_str(self) -> &'static str {
        match self {
            CommandName::Lookup => "lookup",
            CommandName::Search => "search",
            CommandName::List => "list",
            CommandName::Explain => "explain",
            CommandName::Scan => "scan",
        }
    }
}

/// Everything a format needs.
pub struct Report<'a> {
    pub command: CommandName,
    pub query: Option<String>,
    pub lang: Lang,
    pub hits: &'a [Hit<'a>],
    pub style: Style,
}

/// How to paint: decided once, in main.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
    /// Columns available, for tables and wrapping.
    pub width: usize,
}

/// What one entry shows in the chosen language.
pub struct View<'a> {
    pub message: &'a str,
    pub message_lang: Lang,
    pub message_official: bool,
    pub description: Option<(Lang, &'a str)>,
    pub hint: Option<(Lang, &'a str)>,
    pub domain_title: Option<&'a str>,
    pub action_text: &'static str,
    pub source: Option<&'a str>,
    /// Adobe: the entry is in the older list only (its catalog has further lists, and it is in none).
    pub older_list_only: bool,
}

pub fn view<'a>(hit: &Hit<'a>, lang: Lang) -> View<'a> {
    let (c, e) = (hit.catalog, hit.entry);
    // Validation guarantees an English or an official message.
    let (message_lang, message) = e.message_in(lang).unwrap_or((Lang::En, ""));
    View {
        message,
        message_lang,
        message_official: e.is_official(message_lang),
        description: e.description.pick(lang, &[]),
        hint: e.hint.pick(lang, &[]),
        domain_title: c
            .domain(&e.domain)
            .and_then(|d| d.title.pick(lang, &[]).map(|t| t.1)),
        action_text: action_def(&e.action).map_or("", |a| a.text(lang)),
        source: c.source_url(e, lang),
        older_list_only: !c.lists.is_empty() && e.lists.is_empty(),
    }
}

pub fn kind_label(kind: Kind, lang: Lang) -> Option<&'static str> {
    let l = labels::get(lang);
    match kind {
        Kind::Error => None,
        Kind::Success => Some(l.success_code),
        Kind::Status => Some(l.status_code),
    }
}

/// Writes the report in `format`.
pub fn write_report(format: Format, report: &Report, out: &mut dyn Write) -> io::Result<()> {
    match (format, report.command) {
        (Format::Json, _) => json::write_document(report, out),
        (Format::Ndjson, _) => json::write_lines(report, out),
        (Format::Table, CommandName::Explain) => explain::write(report, out, true),
        (Format::Plain, CommandName::Explain) => explain::write(report, out, false),
        (Format::Table, _) => table::write(report, out),
        (Format::Plain, _) => plain::write(report, out),
    }
}

/// Writes a listing in `format`, entry by entry where the format allows (a table needs every row to size
/// its columns); the number of entries written.
pub fn write_listing(
    format: Format,
    listing: &Listing,
    lang: Lang,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<usize> {
    match format {
        Format::Json => json::write_listing(listing, lang, out),
        Format::Ndjson => json::write_listing_lines(listing, lang, out),
        Format::Plain => {
            listing.try_for_each(|hit| plain::write_hit(hit, CommandName::List, lang, out))
        }
        Format::Table => {
            let hits = listing.hits();
            let report = Report {
                command: CommandName::List,
                query: None,
                lang,
                hits: &hits,
                style,
            };
            table::write(&report, out)?;
            Ok(hits.len())
        }
    }
}

/// Writes a lookup or explain whose standard input was a body. `report.hits` holds every entry found (the
/// command line's, then the body's); `args_hits` those of the command line alone.
pub fn write_body_report(
    format: Format,
    report: &Report,
    args_hits: &[Hit],
    body: &Body,
    out: &mut dyn Write,
) -> io::Result<()> {
    match (format, report.command) {
        (Format::Json, _) => {
            json::write_document_with(report, json::body_findings(body, report.lang), out)
        }
        (Format::Ndjson, _) => {
            let args_only = Report {
                hits: args_hits,
                query: None,
                ..*report
            };
            json::write_lines(&args_only, out)?;
            json::write_body_lines(body, report.lang, out)
        }
        (Format::Table, CommandName::Explain) => {
            explain::write_body(report, args_hits, body, out, true)
        }
        (Format::Plain, CommandName::Explain) => {
            explain::write_body(report, args_hits, body, out, false)
        }
        (Format::Table, _) => table::write(report, out),
        (Format::Plain, _) => plain::write(report, out),
    }
}

/// Writes the list of catalogs in `format`.
pub fn write_catalogs(
    format: Format,
    book: &Book,
    lang: Lang,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    let cats: Vec<&'static Catalog> = book.catalogs.clone();
    match format {
        Format::Json => json::write_catalogs(&cats, lang, out, false),
        Format::Ndjson => json::write_catalogs(&cats, lang, out, true),
        Format::Table => table::write_catalogs(&cats, lang, style, out),
        Format::Plain => plain::write_catalogs(&cats, out),
    }
}

/// What `validate` found in one file.
#[derive(Debug, Clone)]
pub struct FileCheck {
    pub path: String,
    pub catalog: Option<String>,
    pub extends: bool,
    pub entries: Option<usize>,
    pub problems: Vec<Diagnostic>,
}

impl FileCheck {
    /// A file that could not be read or did not pass the checks.
    pub fn failed(path: String, problems: Vec<Diagnostic>) -> FileCheck {
        FileCheck {
            path,
            catalog: None,
            extends: false,
            entries: None,
            problems,
        }
    }
}

/// Writes `validate`'s findings: `file:line:column: message` for each problem, one line for a clean file.
pub fn write_validation(
    format: Format,
    files: &[FileCheck],
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Json => json::write_validation(files, out, false),
        Format::Ndjson => json::write_validation(files, out, true),
        Format::Table | Format::Plain => {
            for f in files {
                for d in &f.problems {
                    writeln!(out, "{}", text::one_line(&d.to_string()))?;
                }
                if f.problems.is_empty() {
                    let how = if f.extends { "extends" } else { "defines" };
                    writeln!(
                        out,
                        "{}: ok: {how} catalog {}, {} entries",
                        text::one_line(&f.path),
                        text::one_line(f.catalog.as_deref().unwrap_or("?")),
                        f.entries.unwrap_or(0)
                    )?;
                }
            }
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A listing written entry by entry is, in every format and language, byte for byte what the same
    /// entries gathered first and written as a report give, and its count is theirs: every catalog, one
    /// catalog, each filter keeping some entries, and filters keeping none.
    #[test]
    fn a_listing_writes_what_its_gathered_entries_write() {
        let book = Book::builtin();
        let all = || Listing {
            catalogs: book.catalogs.clone(),
            ..Listing::default()
        };
        // Filter values taken from the data: the second catalog's first entry.
        let some = book.catalogs[1].all()[0];
        let status = book
            .hits()
            .find_map(|h| h.entry.http_status)
            .expect("an entry with an HTTP status");
        let listings = [
            all(),
            Listing {
                catalogs: vec![book.catalogs[2]],
                ..Listing::default()
            },
            Listing {
                domain: Some(some.domain.to_string()),
                ..all()
            },
            Listing {
                action: Some(&some.action),
                ..all()
            },
            Listing {
                http_status: Some(status),
                ..all()
            },
            Listing {
                domain: Some(some.domain.to_string()),
                http_status: Some(999),
                ..all()
            },
        ];
        let everything = all().hits().len();
        let style = Style {
            color: false,
            width: 100,
        };
        for listing in &listings {
            let hits = listing.hits();
            assert_eq!(listing.is_empty(), hits.is_empty(), "{listing:?}");
            if listing.http_status == Some(999) {
                assert!(hits.is_empty());
            } else {
                assert!(!hits.is_empty(), "{listing:?}");
            }
            if listing.catalogs.len() > 1 && listing.domain.is_some() {
                assert!(hits.len() < everything, "{listing:?} filters nothing out");
            }
            for lang in Lang::ALL {
                for format in [Format::Json, Format::Ndjson, Format::Plain, Format::Table] {
                    let report = Report {
                        command: CommandName::List,
                        query: None,
                        lang,
                        hits: &hits,
                        style,
                    };
                    let (mut streamed, mut gathered) = (Vec::new(), Vec::new());
                    let n = write_listing(format, listing, lang, style, &mut streamed).unwrap();
                    write_report(format, &report, &mut gathered).unwrap();
                    let context = format!("{listing:?} {format:?} {}", lang.code());
                    assert_eq!(n, hits.len(), "{context}");
                    assert_eq!(
                        String::from_utf8_lossy(&streamed),
                        String::from_utf8_lossy(&gathered),
                        "{context}"
                    );
                }
            }
        }
    }
}
