//! `--format plain`: one entry per line, tab-separated, no colour; the columns never change order.
//!
//! catalog, code, name, domain, http_status, action, message_lang, message (and, for search, score).
//! An absent value is `-`; tabs and newlines inside values become spaces.

use super::text::one_line;
use super::{view, CommandName, Report};
use crate::catalog::{Catalog, Hit, Lang};
use std::io::{self, Write};

pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    for hit in report.hits {
        write_hit(hit, report.command, report.lang, out)?;
    }
    Ok(())
}

/// One entry's line.
pub fn write_hit(
    hit: &Hit,
    command: CommandName,
    lang: Lang,
    out: &mut dyn Write,
) -> io::Result<()> {
    let (c, e) = (hit.catalog, hit.entry);
    let v = view(hit, lang);
    let http = e.http_status.map_or("-".to_string(), |s| s.to_string());
    write!(
        out,
        "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
        c.id,
        one_line(&e.code),
        one_line(e.name.as_deref().unwrap_or("-")),
        e.domain,
        http,
        e.action,
        v.message_lang.code(),
        one_line(v.message)
    )?;
    if command == CommandName::Search {
        write!(out, "\t{}", hit.score.unwrap_or(0.0))?;
    }
    writeln!(out)
}

/// id, vendor, entry count, official languages (comma-separated), first source URL or `-`, origin
/// (`built-in` or the defining file), files that extend the catalog (`|`-separated) or `-`.
pub fn write_catalogs(cats: &[&Catalog], out: &mut dyn Write) -> io::Result<()> {
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
