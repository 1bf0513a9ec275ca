//! The report of a scan: where each code was found, and which entry it names.
//!
//! `plain` and `ndjson` write each finding as it is found, and `json` streams its one document, so a long
//! log never piles up in memory; `table` needs every row before it can size its columns, so it keeps a
//! small row per finding (not the text scanned).

use super::json::{self, scan_finding, ScanJson};
use super::labels;
use super::text::one_line;
use super::{view, Format, Style};
use crate::catalog::{Hit, Lang};
use comfy_table::{Cell, Color};
use std::io::{self, Write};

struct Row {
    location: String,
    matched: String,
    hit: Hit<'static>,
}

/// Receives findings one by one and writes them in the chosen format.
pub struct ScanSink<'o> {
    format: Format,
    lang: Lang,
    style: Style,
    out: &'o mut dyn Write,
    /// Prefix locations with the input's name (several inputs).
    show_input: bool,
    rows: Vec<Row>,
    /// The JSON document being written (`json` only).
    json: Option<ScanJson>,
}

impl<'o> ScanSink<'o> {
    pub fn start(
        format: Format,
        lang: Lang,
        style: Style,
        inputs: &[String],
        out: &'o mut dyn Write,
    ) -> io::Result<ScanSink<'o>> {
        let json = match format {
            Format::Json => Some(ScanJson::start(lang, inputs, out)?),
            _ => None,
        };
        Ok(ScanSink {
            format,
            lang,
            style,
            out,
            show_input: inputs.len() > 1,
            rows: Vec::new(),
            json,
        })
    }

    pub fn push(
        &mut self,
        input: &str,
        line: u64,
        column: u64,
        matched: &str,
        hit: &Hit<'static>,
    ) -> io::Result<()> {
        let location = if self.show_input {
            format!("{}:{line}:{column}", one_line(input))
        } else {
            format!("{line}:{column}")
        };
        match self.format {
            Format::Json | Format::Ndjson => {
                let f = scan_finding(input, line, column, matched, hit, self.lang);
                match &mut self.json {
                    Some(doc) => doc.finding(&f, self.out)?,
                    None => json::write_line(&f, self.out)?,
                }
            }
            Format::Plain => {
                let (c, e) = (hit.catalog, hit.entry);
                let v = view(hit, self.lang);
                writeln!(
                    self.out,
                    "{location}\t{}\t{}\t{}\t{}\t{}\t{}",
                    one_line(matched),
                    c.id,
                    one_line(&e.code),
                    one_line(e.name.as_deref().unwrap_or("-")),
                    v.message_lang.code(),
                    one_line(v.message)
                )?;
            }
            Format::Table => self.rows.push(Row {
                location,
                matched: matched.to_string(),
                hit: *hit,
            }),
        }
        Ok(())
    }

    pub fn finish(self) -> io::Result<()> {
        if let Some(doc) = self.json {
            return doc.finish(self.out);
        }
        match self.format {
            Format::Table if !self.rows.is_empty() => {
                let l = labels::get(self.lang);
                let mut t = super::table::new_table(self.style);
                t.set_header(super::table::header(
                    self.style,
                    &[l.location, l.matched, l.catalog, l.code, l.message],
                ));
                for r in &self.rows {
                    let v = view(&r.hit, self.lang);
                    let mut message = one_line(v.message);
                    if v.message_lang != self.lang {
                        message = format!("[{}] {message}", v.message_lang.code());
                    }
                    let code = Cell::new(one_line(&r.hit.entry.code));
                    t.add_row(vec![
                        Cell::new(&r.location),
                        Cell::new(one_line(&r.matched)),
                        Cell::new(&r.hit.catalog.id),
                        if self.style.color {
                            code.fg(Color::Yellow)
                        } else {
                            code
                        },
                        Cell::new(message),
                    ]);
                }
                writeln!(self.out, "{t}")
            }
            _ => Ok(()),
        }
    }
}
