//! `--format table`: an aligned table that fits the terminal, coloured when colour is on.

use super::columns::{self, Column, Fit};
use super::text::one_line;
use super::{explain, labels, plain};
use super::{message, CommandName, FileCheck, Found, Render, Report, Scan, ScanSink, Style};
use crate::catalog::{Catalog, Hit, Lang, Listing, Origin};
use crate::input::body::Body;
use comfy_table::Color;
use std::io::{self, Write};

/// `--format table`; `explain` writes its sections, painted and wrapped.
pub(super) struct Table;

impl Render for Table {
    fn entries(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        match report.command {
            CommandName::Explain => explain::write(report, out, true),
            _ => write(report, out),
        }
    }

    fn body(
        &self,
        report: &Report,
        args_hits: &[Hit],
        body: &Body,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        match report.command {
            CommandName::Explain => explain::write_body(report, args_hits, body, out, true),
            _ => write(report, out),
        }
    }

    fn listing(
        &self,
        listing: &Listing,
        lang: Lang,
        style: Style,
        out: &mut dyn Write,
    ) -> io::Result<usize> {
        let hits = listing.hits();
        let report = Report {
            command: CommandName::List,
            query: None,
            lang,
            hits: &hits,
            style,
            asked: &[],
        };
        write(&report, out)?;
        Ok(hits.len())
    }

    fn catalogs(
        &self,
        catalogs: &[&Catalog],
        lang: Lang,
        style: Style,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        write_catalogs(catalogs, lang, style, out)
    }

    fn validation(&self, files: &[FileCheck], out: &mut dyn Write) -> io::Result<()> {
        plain::write_validation(files, out)
    }

    fn scan<'o>(&self, scan: &Scan, out: &'o mut dyn Write) -> io::Result<Box<dyn ScanSink + 'o>> {
        Ok(Box::new(ScanTable {
            lang: scan.lang,
            style: scan.style,
            show_input: scan.inputs.len() > 1,
            rows: Vec::new(),
            streaming: false,
            stories: explain::Stories::new(scan),
            out,
        }))
    }
}

/// The findings a scan's table holds; past them, the table is written and the rest follow one per line.
pub(super) const SCAN_TABLE_ROWS: usize = 1000;

/// A scan's findings: the table needs its rows before it can size its columns, so it keeps a small row
/// per finding (not the text scanned), up to [`SCAN_TABLE_ROWS`]; past that, memory would grow with the
/// log, so the table is written with the rows it has and later findings are written as they come, one
/// per line as `--format plain` writes them, after a note saying so.
struct ScanTable<'o> {
    lang: Lang,
    style: Style,
    /// Prefix locations with the input's name (several inputs).
    show_input: bool,
    rows: Vec<Row>,
    /// The table has been written; findings now go out one per line.
    streaming: bool,
    stories: explain::Stories,
    out: &'o mut dyn Write,
}

struct Row {
    location: String,
    matched: String,
    hit: Hit<'static>,
}

/// The note between a scan's table and the findings that follow it one per line.
fn more_findings_note(lang: Lang) -> String {
    let n = SCAN_TABLE_ROWS;
    match lang {
        Lang::Ko => format!("발견 항목이 {n}개를 넘습니다. 표는 처음 {n}개이고, 나머지는 한 줄에 하나씩 이어집니다 (위치, 일치한 글자, 카탈로그, 코드, 이름, 메시지 언어, 메시지)."),
        Lang::Ja => format!("検出が{n}件を超えました。表は最初の{n}件で、残りは1行に1件ずつ続きます(位置、一致した文字列、カタログ、コード、名前、メッセージの言語、メッセージ)。"),
        _ => format!("More than {n} findings: the table holds the first {n}; the rest follow one per line (location, matched, catalog, code, name, message language, message)."),
    }
}

impl ScanSink for ScanTable<'_> {
    fn push(&mut self, f: &Found) -> io::Result<()> {
        self.stories.push(f.hit);
        if !self.streaming && self.rows.len() == SCAN_TABLE_ROWS {
            self.write_table()?;
            self.rows = Vec::new();
            writeln!(self.out, "{}", more_findings_note(self.lang))?;
            self.streaming = true;
        }
        if self.streaming {
            return plain::write_found(f, self.show_input, self.lang, self.out);
        }
        self.rows.push(Row {
            location: plain::location(f, self.show_input),
            matched: f.matched.to_string(),
            hit: *f.hit,
        });
        Ok(())
    }

    fn finish(mut self: Box<Self>) -> io::Result<()> {
        self.write_table()?;
        self.stories.finish(self.lang, self.style, self.out, true)
    }
}

impl ScanTable<'_> {
    fn write_table(&mut self) -> io::Result<()> {
        if !self.rows.is_empty() {
            let l = labels::get(self.lang);
            let mut code = Column::new(l.code, Fit::Whole);
            code.color = Some(Color::Yellow);
            let cols = [
                Column::new(l.location, Fit::Whole),
                Column::new(l.matched, Fit::Whole),
                Column::new(l.catalog, Fit::Whole),
                code,
                Column::new(l.message, Fit::Message),
            ];
            let rows: Vec<Vec<String>> = self
                .rows
                .iter()
                .map(|r| {
                    let (shown_lang, shown) = message(&r.hit, self.lang);
                    let mut message = one_line(shown);
                    if shown_lang != self.lang {
                        message = format!("[{}] {message}", shown_lang.code());
                    }
                    vec![
                        r.location.clone(),
                        one_line(&r.matched),
                        r.hit.catalog.id().to_string(),
                        one_line(&r.hit.entry.code),
                        message,
                    ]
                })
                .collect();
            columns::write(&cols, &rows, self.style, self.out)?;
        }
        Ok(())
    }
}

fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    if report.hits.is_empty() {
        return Ok(());
    }
    let l = labels::get(report.lang);
    let search = report.command == CommandName::Search;
    // Columns that would be empty on every row are left out, to leave the width to the message.
    let names_shown = report.hits.iter().any(|h| h.entry.name.is_some());
    let http_shown = report.hits.iter().any(|h| h.entry.http_status.is_some());
    let mut code = Column::new(l.code, Fit::Whole);
    code.color = Some(Color::Yellow);
    let mut cols = vec![Column::new(l.catalog, Fit::Whole), code];
    if names_shown {
        cols.push(Column::new(l.name, Fit::Whole));
    }
    if http_shown {
        cols.push(Column::new(l.http, Fit::Whole));
    }
    cols.extend([
        Column::new(l.action, Fit::Whole),
        Column::new(l.message, Fit::Message),
    ]);
    if search {
        cols.push(Column::new("Score", Fit::Whole));
    }
    // Entries from user catalog files are marked, and the files listed under the table.
    let mut files: Vec<&str> = Vec::new();
    let mut rows = Vec::with_capacity(report.hits.len());
    for hit in report.hits {
        let (c, e) = (hit.catalog, hit.entry);
        let (shown_lang, shown) = message(hit, report.lang);
        let mut id = c.id().to_string();
        if let Origin::File(path) = hit.origin() {
            let n = match files.iter().position(|f| *f == path) {
                Some(i) => i + 1,
                None => {
                    files.push(path);
                    files.len()
                }
            };
            id = format!("{id} [{n}]");
        }
        let mut message = one_line(shown);
        if shown_lang != report.lang {
            message = format!("[{}] {message}", shown_lang.code());
        }
        let mut row = vec![id, one_line(&e.code)];
        if names_shown {
            row.push(one_line(e.name.as_deref().unwrap_or("")));
        }
        if http_shown {
            row.push(e.http_status.map_or(String::new(), |s| s.to_string()));
        }
        row.extend([e.action.to_string(), message]);
        if search {
            row.push(hit.score.unwrap_or(0.0).to_string());
        }
        rows.push(row);
    }
    let layout = columns::write(&cols, &rows, report.style, out)?;
    if layout == columns::Layout::Blocks && !files.is_empty() {
        writeln!(out)?;
    }
    for (i, f) in files.iter().enumerate() {
        writeln!(out, "[{}] {}: {}", i + 1, l.user_catalog, one_line(f))?;
    }
    Ok(())
}

fn write_catalogs(
    cats: &[&Catalog],
    lang: Lang,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    let l = labels::get(lang);
    // The origin column is shown when a user catalog is there: `built-in` on every row says nothing
    // the table's 100 columns can spare.
    let origin_shown = cats
        .iter()
        .any(|c| !matches!(c.origin, Origin::BuiltIn) || !c.extended_by.is_empty());
    let mut cols = vec![
        Column::new(l.catalog, Fit::Whole),
        Column::new(l.vendor, Fit::Message),
        Column::new(l.entries, Fit::Whole),
        Column::new(l.official_langs, Fit::Words),
        Column::new(l.source, Fit::Words),
    ];
    if origin_shown {
        cols.push(Column::new(l.origin, Fit::Whole));
    }
    // Source addresses are too long for a column (up to 150 characters): the column names them by
    // number and they are listed whole under the table, one a line, where they can be copied.
    let mut urls: Vec<String> = Vec::new();
    let rows: Vec<Vec<String>> = cats
        .iter()
        .map(|c| {
            let langs: Vec<&str> = c.official_langs.iter().map(|l| l.code()).collect();
            let refs: Vec<String> = c
                .sources
                .iter()
                .filter_map(|s| s.url.as_deref())
                .map(|u| {
                    let u = one_line(u);
                    let n = match urls.iter().position(|known| *known == u) {
                        Some(i) => i + 1,
                        None => {
                            urls.push(u);
                            urls.len()
                        }
                    };
                    format!("[{n}]")
                })
                .collect();
            let mut row = vec![
                c.id.to_string(),
                format!("{}\n{}", one_line(&c.vendor), one_line(&c.product)),
                c.len().to_string(),
                langs.join(", "),
                refs.join(" "),
            ];
            if origin_shown {
                row.push(origins(c).join("\n"));
            }
            row
        })
        .collect();
    columns::write(&cols, &rows, style, out)?;
    if !urls.is_empty() {
        writeln!(out)?;
    }
    for (i, u) in urls.iter().enumerate() {
        writeln!(out, "[{}] {u}", i + 1)?;
    }
    Ok(())
}

/// `built-in` or the defining file, then `+ file` for each file that extends the catalog.
fn origins(c: &Catalog) -> Vec<String> {
    std::iter::once(one_line(c.origin.label()))
        .chain(c.extended_by.iter().map(|p| format!("+ {}", one_line(p))))
        .collect()
}
