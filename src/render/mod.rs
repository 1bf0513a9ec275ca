//! Turning results into bytes. `view` decides what an entry shows in the chosen language (one place, so
//! every format carries the same content); each format lives in its own file and only lays it out.

mod explain;
mod json;
mod json_writer;
pub mod labels;
mod plain;
mod scan;
mod table;
pub mod text;

use crate::catalog::{Book, Catalog, Hit, Lang};
use crate::model::{action_def, Kind};
use crate::user::Diagnostic;
use std::io::{self, Write};

pub use json::{
    BodyFindingJson, CatalogJson, Document, EntryJson, EntryView, FileCheckJson, ListJson,
    ProblemJson, ScanDocument, ScanFindingJson, SCHEMA_VERSION,
};
pub use scan::ScanSink;

use crate::body::Body;

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
    pub hits: &'a [Hit],
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
pub struct View {
    pub message: &'static str,
    pub message_lang: Lang,
    pub message_official: bool,
    pub description: Option<(Lang, &'static str)>,
    pub hint: Option<(Lang, &'static str)>,
    pub domain_title: Option<&'static str>,
    pub action_text: &'static str,
    pub source: Option<&'static str>,
    /// Adobe: the entry is in the older list only (its catalog has further lists, and it is in none).
    pub older_list_only: bool,
}

pub fn view(hit: &Hit, lang: Lang) -> View {
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
            .domain(e.domain)
            .and_then(|d| d.title.pick(lang, &[]).map(|t| t.1)),
        action_text: action_def(e.action).map_or("", |a| a.text(lang)),
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
