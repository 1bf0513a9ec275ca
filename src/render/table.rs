//! `--format table`: an aligned table that fits the terminal, coloured when colour is on.

use super::labels;
use super::text::one_line;
use super::{view, CommandName, Report, Style};
use crate::catalog::{Catalog, Lang, Origin};
use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Cell, Color, ContentArrangement, Table};
use std::io::{self, Write};

pub(super) fn new_table(style: Style) -> Table {
    let mut t = Table::new();
    t.load_style(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(style.width.min(u16::MAX as usize) as u16);
    if style.color {
        t.enforce_styling();
    } else {
        t.force_no_tty();
    }
    t
}

pub(super) fn header(style: Style, names: &[&str]) -> Vec<Cell> {
    names
        .iter()
        .map(|n| {
            let c = Cell::new(n);
            if style.color {
                c.fg(Color::Cyan)
            } else {
                c
            }
        })
        .collect()
}

pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    if report.hits.is_empty() {
        return Ok(());
    }
    let l = labels::get(report.lang);
    let style = report.style;
    let mut t = new_table(style);
    let search = report.command == CommandName::Search;
    // Columns that would be empty on every row are left out, to leave the width to the message.
    let names_shown = report.hits.iter().any(|h| h.entry.name.is_some());
    let http_shown = report.hits.iter().any(|h| h.entry.http_status.is_some());
    let mut names = vec![l.catalog, l.code];
    if names_shown {
        names.push(l.name);
    }
    if http_shown {
        names.push(l.http);
    }
    names.extend([l.action, l.message]);
    if search {
        names.push("Score");
    }
    t.set_header(header(style, &names));
    // Entries from user catalog files are marked, and the files listed under the table.
    let mut files: Vec<&str> = Vec::new();
    for hit in report.hits {
        let (c, e) = (hit.catalog, hit.entry);
        let v = view(hit, report.lang);
        let mut id = c.id.to_string();
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
        let mut message = one_line(v.message);
        if v.message_lang != report.lang {
            message = format!("[{}] {message}", v.message_lang.code());
        }
        let code = Cell::new(one_line(&e.code));
        let mut row = vec![
            Cell::new(id),
            if style.color {
                code.fg(Color::Yellow)
            } else {
                code
            },
        ];
        if names_shown {
            row.push(Cell::new(one_line(e.name.as_deref().unwrap_or(""))));
        }
        if http_shown {
            row.push(Cell::new(
                e.http_status.map_or(String::new(), |s| s.to_string()),
            ));
        }
        row.extend([Cell::new(&e.action), Cell::new(message)]);
        if search {
            row.push(Cell::new(hit.score.unwrap_or(0.0)));
        }
        t.add_row(row);
    }
    writeln!(out, "{t}")?;
    for (i, f) in files.iter().enumerate() {
        writeln!(out, "[{}] {}: {}", i + 1, l.user_catalog, one_line(f))?;
    }
    Ok(())
}

pub fn write_catalogs(
    cats: &[&Catalog],
    lang: Lang,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    let l = labels::get(lang);
    let mut t = new_table(style);
    t.set_header(header(
        style,
        &[
            l.catalog,
            l.vendor,
            l.entries,
            l.official_langs,
            l.source,
            l.origin,
        ],
    ));
    for c in cats {
        let langs: Vec<&str> = c.official_langs.iter().map(|l| l.code()).collect();
        let sources: Vec<String> = c
            .sources
            .iter()
            .filter_map(|s| s.url.as_deref())
            .map(one_line)
            .collect();
        t.add_row(vec![
            Cell::new(&c.id),
            Cell::new(format!("{}\n{}", one_line(&c.vendor), one_line(&c.product))),
            Cell::new(c.len()),
            Cell::new(langs.join(", ")),
            Cell::new(sources.join("\n")),
            Cell::new(origins(c).join("\n")),
        ]);
    }
    writeln!(out, "{t}")
}

/// `built-in` or the defining file, then `+ file` for each file that extends the catalog.
fn origins(c: &Catalog) -> Vec<String> {
    std::iter::once(one_line(c.origin.label()))
        .chain(c.extended_by.iter().map(|p| format!("+ {}", one_line(p))))
        .collect()
}
