//! Turning results into bytes. A command builds one [`Output`] and hands it to [`write()`] (a scan opens a
//! [`ScanSink`] with [`scan`] and pushes its findings as it finds them). `view` decides what an entry
//! shows in the chosen language (one place, so every format carries the same content).
//!
//! Each format lives in its own file and implements `Render` for every kind of output: `table.rs`,
//! `plain.rs` and `json.rs` (JSON and NDJSON); `explain.rs` is the long per-entry story that the table and
//! plain formats write for `explain`. A new format is one new file, a [`Format`] variant and its arm in
//! `renderer`; a new kind of output is an [`Output`] variant and one method per format.

mod columns;
mod explain;
mod json;
pub mod labels;
mod plain;
pub mod safe;
mod table;
pub mod text;

use crate::catalog::actions::action_def;
use crate::catalog::user::Diagnostic;
use crate::catalog::Kind;
use crate::catalog::{Catalog, Hit, Lang, Listing};
use std::io::{self, Write};

pub use json::{
    AskedJson, BodyFindingJson, Borrowed, ByCode, CatalogJson, Document, EntryJson, FileCheckJson,
    ListJson, Lists, Owned, ProblemJson, ReadBack, Repr, ScanDocument, ScanFindingJson,
    SCHEMA_VERSION,
};

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
#[derive(Clone)]
pub struct Report<'a> {
    pub command: CommandName,
    pub query: Option<String>,
    pub lang: Lang,
    pub hits: &'a [Hit<'a>],
    pub style: Style,
    /// What each query of a lookup found, in the order given (empty for other commands).
    pub asked: &'a [Asked],
}

/// One query of a lookup and the entries it found.
#[derive(Debug, Clone, Default)]
pub struct Asked {
    /// The query as given.
    pub query: String,
    /// How errbook read it when that differs (`PallyCon-7011` as `pallycon:7011`).
    pub read_as: Option<String>,
    /// The places in the report's hits of the entries it found; empty when it found nothing.
    pub results: Vec<usize>,
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
    /// Adobe: the entry is in the older list only (its built-in catalog has further lists, and the
    /// built-in entry is in none). Never said of an entry a user catalog defines.
    pub older_list_only: bool,
    /// The team's note, from a user catalog.
    pub note: Option<(Lang, &'a str)>,
}

pub fn view<'a>(hit: &Hit<'a>, lang: Lang) -> View<'a> {
    let (c, e) = (hit.catalog, hit.entry);
    let (message_lang, message) = message(hit, lang);
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
        older_list_only: e.lists.is_empty() && older_list_only(c.id(), &e.code),
        note: e.note.pick(lang, &[]),
    }
}

/// The message a one-line row shows in `lang`, and its language: all of [`view`] that a listing's row
/// needs (the rest reads the catalog's header and other entries).
pub fn message<'a>(hit: &Hit<'a>, lang: Lang) -> (Lang, &'a str) {
    // Validation guarantees an English or an official message.
    hit.entry.message_in(lang).unwrap_or((Lang::En, ""))
}

/// Whether the built-in catalog `id` has further lists and its entry `code` is in none of them: what
/// Adobe's older page alone lists. Only the built-in data can say so; an entry only a user catalog has is
/// not on any page of the vendor's.
fn older_list_only(id: &str, code: &str) -> bool {
    crate::catalog::builtin()
        .iter()
        .find(|b| b.id() == id)
        .filter(|b| !b.lists.is_empty())
        .and_then(|b| b.entry(code))
        .is_some_and(|b| b.lists.is_empty())
}

pub fn kind_label(kind: Kind, lang: Lang) -> Option<&'static str> {
    let l = labels::get(lang);
    match kind {
        Kind::Error => None,
        Kind::Success => Some(l.success_code),
        Kind::Status => Some(l.status_code),
    }
}

/// What a command produces, written in the chosen format by [`write()`].
pub enum Output<'a> {
    /// The entries of a lookup, search or explain (`report.command` says which).
    Entries(Report<'a>),
    /// A lookup or explain whose standard input was a body. `report.hits` holds every entry found (the
    /// command line's, then the body's); `args_hits` those of the command line alone.
    Body {
        report: Report<'a>,
        args_hits: &'a [Hit<'a>],
        body: &'a Body,
    },
    /// The entries of `list`, written as they are decoded where the format allows (a table needs every
    /// row to size its columns).
    Listing {
        listing: &'a Listing,
        lang: Lang,
        style: Style,
    },
    /// The catalogs of this run.
    Catalogs {
        catalogs: &'a [&'static Catalog],
        lang: Lang,
        style: Style,
    },
    /// What `validate` found: `file:line:column: message` for each problem, one line for a clean file.
    Validation(&'a [FileCheck]),
}

/// The start of a scan's report; its findings follow one by one through the [`ScanSink`] that [`scan`]
/// opens, so that a long log never piles up in memory.
pub struct Scan<'a> {
    /// `scan`, or `lookup`/`explain` given free text (`explain` adds the story of every entry found).
    pub command: CommandName,
    pub lang: Lang,
    pub style: Style,
    /// The names of the inputs, in order.
    pub inputs: &'a [String],
}

/// One code found by a scan, and one entry it names.
pub struct Found<'a> {
    pub input: &'a str,
    pub line: u64,
    pub column: u64,
    pub matched: &'a str,
    pub hit: &'a Hit<'static>,
}

/// Receives a scan's findings one by one and writes them.
pub trait ScanSink {
    fn push(&mut self, found: &Found) -> io::Result<()>;
    /// Ends the report (when every input has been scanned).
    fn finish(self: Box<Self>) -> io::Result<()>;
}

/// One output format: it writes every kind of [`Output`], and opens a scan's report. A new format is a
/// new file implementing this, a [`Format`] variant and its arm in [`renderer`].
trait Render {
    fn entries(&self, report: &Report, out: &mut dyn Write) -> io::Result<()>;
    fn body(
        &self,
        report: &Report,
        args_hits: &[Hit],
        body: &Body,
        out: &mut dyn Write,
    ) -> io::Result<()>;
    /// The number of entries written.
    fn listing(
        &self,
        listing: &Listing,
        lang: Lang,
        style: Style,
        out: &mut dyn Write,
    ) -> io::Result<usize>;
    fn catalogs(
        &self,
        catalogs: &[&Catalog],
        lang: Lang,
        style: Style,
        out: &mut dyn Write,
    ) -> io::Result<()>;
    fn validation(&self, files: &[FileCheck], out: &mut dyn Write) -> io::Result<()>;
    fn scan<'o>(&self, scan: &Scan, out: &'o mut dyn Write) -> io::Result<Box<dyn ScanSink + 'o>>;
}

fn renderer(format: Format) -> &'static dyn Render {
    match format {
        Format::Table => &table::Table,
        Format::Plain => &plain::Plain,
        Format::Json => &json::Json { lines: false },
        Format::Ndjson => &json::Json { lines: true },
    }
}

/// Writes `output` in `format`; the number of results written (entries, catalogs or files checked).
pub fn write(format: Format, output: &Output, out: &mut dyn Write) -> io::Result<usize> {
    let r = renderer(format);
    match output {
        Output::Entries(report) => r.entries(report, out).map(|()| report.hits.len()),
        Output::Body {
            report,
            args_hits,
            body,
        } => r
            .body(report, args_hits, body, out)
            .map(|()| report.hits.len()),
        Output::Listing {
            listing,
            lang,
            style,
        } => r.listing(listing, *lang, *style, out),
        Output::Catalogs {
            catalogs,
            lang,
            style,
        } => r
            .catalogs(catalogs, *lang, *style, out)
            .map(|()| catalogs.len()),
        Output::Validation(files) => r.validation(files, out).map(|()| files.len()),
    }
}

/// Starts a scan's report in `format`; push each finding to the sink, then finish it.
pub fn scan<'o>(
    format: Format,
    scan: &Scan,
    out: &'o mut dyn Write,
) -> io::Result<Box<dyn ScanSink + 'o>> {
    renderer(format).scan(scan, out)
}

/// A chain of a body in one line, outermost first: `shaka 6007 → shaka 1001 (HTTP 403 from https://…)
/// → pallycon 7011 Token is expired.` Each link is its entry's catalog and code (the code as the body
/// gives it when no catalog has it), the request it answered, and for the likely cause its message.
pub fn chain_text(body: &Body, chain: &[usize], lang: Lang) -> String {
    let cause = body.likely_cause(chain);
    let links: Vec<String> = chain
        .iter()
        .map(|&i| {
            let f = &body.findings[i];
            let mut s = match f.hits.first() {
                Some(h) => format!("{} {}", h.catalog.id, h.entry.code),
                None => format!("{} (unknown)", f.code),
            };
            if let Some(r) = &f.request {
                s.push_str(&format!(" ({})", r.describe()));
            }
            if cause == Some(i) {
                if let Some((_, m)) = f.hits.first().and_then(|h| h.entry.message_in(lang)) {
                    s.push(' ');
                    s.push_str(m);
                }
            }
            s
        })
        .collect();
    text::one_line(&links.join(" → "))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Book;

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
                        asked: &[],
                    };
                    let (mut streamed, mut gathered) = (Vec::new(), Vec::new());
                    let listed = Output::Listing {
                        listing,
                        lang,
                        style,
                    };
                    let n = write(format, &listed, &mut streamed).unwrap();
                    write(format, &Output::Entries(report), &mut gathered).unwrap();
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
