//! `--format plain`: one entry per line, tab-separated, no colour; the columns never change order.
//!
//! catalog, code, name, domain, http_status, action, message_lang, message (and, for search, score).
//! An absent value is `-`; tabs and newlines inside values become spaces.

use super::explain;
use super::text::one_line;
use super::{message, CommandName, FileCheck, Found, Render, Report, Scan, ScanSink, Style};
use crate::catalog::{Catalog, Hit, Lang, Listing};
use crate::input::body::Body;
use std::io::{self, Write};

/// `--format plain`; `explain` writes its sections as stable plain text.
pub(super) struct Plain;

impl Render for Plain {
    fn entries(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        match report.command {
            CommandName::Explain => explain::write(report, out, false),
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
            CommandName::Explain => explain::write_body(report, args_hits, body, out, false),
            _ => write(report, out),
        }
    }

    fn listing(
        &self,
        listing: &Listing,
        lang: Lang,
        _style: Style,
        out: &mut dyn Write,
    ) -> io::Result<usize> {
        listing.try_for_each(|hit| write_hit(hit, CommandName::List, lang, out))
    }

    fn catalogs(
        &self,
        catalogs: &[&Catalog],
        _lang: Lang,
        _style: Style,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        write_catalogs(catalogs, out)
    }

    fn validation(&self, files: &[FileCheck], out: &mut dyn Write) -> io::Result<()> {
        write_validation(files, out)
    }

    fn scan<'o>(&self, scan: &Scan, out: &'o mut dyn Write) -> io::Result<Box<dyn ScanSink + 'o>> {
        Ok(Box::new(ScanLines {
            lang: scan.lang,
            style: scan.style,
            show_input: scan.inputs.len() > 1,
            stories: explain::Stories::new(scan),
            out,
        }))
    }
}

/// A scan's findings, one line each as it is found: location, matched text, catalog, code, name,
/// message_lang, message.
struct ScanLines<'o> {
    lang: Lang,
    style: Style,
    /// Prefix locations with the input's name (several inputs).
    show_input: bool,
    stories: explain::Stories,
    out: &'o mut dyn Write,
}

impl ScanSink for ScanLines<'_> {
    fn push(&mut self, f: &Found) -> io::Result<()> {
        write_found(f, self.show_input, self.lang, self.out)?;
        self.stories.push(f.hit);
        Ok(())
    }

    fn finish(self: Box<Self>) -> io::Result<()> {
        self.stories.finish(self.lang, self.style, self.out, false)
    }
}

/// One finding of a scan on its line: location, matched text, catalog, code, name, message language,
/// message (tables too write findings this way past their first rows).
pub(super) fn write_found(
    f: &Found,
    show_input: bool,
    lang: Lang,
    out: &mut dyn Write,
) -> io::Result<()> {
    let (c, e) = (f.hit.catalog, f.hit.entry);
    let (message_lang, message) = message(f.hit, lang);
    writeln!(
        out,
        "{}\t{}\t{}\t{}\t{}\t{}\t{}",
        location(f, show_input),
        one_line(f.matched),
        c.id(),
        one_line(&e.code),
        one_line(e.name.as_deref().unwrap_or("-")),
        message_lang.code(),
        one_line(message)
    )
}

/// Where a scan found a code: `line:column`, after the input's name when there are several.
pub(super) fn location(f: &Found, show_input: bool) -> String {
    if show_input {
        format!("{}:{}:{}", one_line(f.input), f.line, f.column)
    } else {
        format!("{}:{}", f.line, f.column)
    }
}

/// `validate`'s findings (tables have nothing to add): `file:line:column: message` for each problem, one
/// line for a clean file.
pub(super) fn write_validation(files: &[FileCheck], out: &mut dyn Write) -> io::Result<()> {
    for f in files {
        for d in &f.problems {
            writeln!(out, "{}", one_line(&d.to_string()))?;
        }
        if f.problems.is_empty() {
            let how = if f.extends { "extends" } else { "defines" };
            writeln!(
                out,
                "{}: ok: {how} catalog {}, {} entries",
                one_line(&f.path),
                one_line(f.catalog.as_deref().unwrap_or("?")),
                f.entries.unwrap_or(0)
            )?;
        }
    }
    Ok(())
}

fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    for hit in report.hits {
        write_hit(hit, report.command, report.lang, out)?;
    }
    Ok(())
}

/// One entry's line.
fn write_hit(hit: &Hit, command: CommandName, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    let (c, e) = (hit.catalog, hit.entry);
    let (message_lang, message) = message(hit, lang);
    let http = e.http_status.map_or("-".to_string(), |s| s.to_string());
    write!(
        out,
        "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
        c.id(),
        one_line(&e.code),
        one_line(e.name.as_deref().unwrap_or("-")),
        e.domain,
        http,
        e.action,
        message_lang.code(),
        one_line(message)
    )?;
    if command == CommandName::Search {
        write!(out, "\t{}", hit.score.unwrap_or(0.0))?;
    }
    writeln!(out)
}

/// id, vendor, entry count, official languages (comma-separated), first source URL or `-`, origin
/// (`built-in` or the defining file), files that extend the catalog (`|`-separated) or `-`.
fn write_catalogs(cats: &[&Catalog], out: &mut dyn Write) -> io::Result<()> {
    for c in cats {
        let langs: Vec<&str> = c.official_langs.iter().map(|l| l.code()).collect();
        let source = c
            .sources
            .iter()
            .find_map(|s| s.url.as_deref())
            .unwrap_or("-");
        let extended: Vec<&str> = c.extended_by.clone();
        writeln!(
            out,
            "{}\t{}\t{}\t{}\t{}\t{}\t{}",
            c.id,
            one_line(&c.vendor),
            c.len(),
            langs.join(","),
            one_line(source),
            one_line(c.origin.label()),
            if extended.is_empty() {
                "-".to_string()
            } else {
                one_line(&extended.join("|"))
            }
        )?;
    }
    Ok(())
}
