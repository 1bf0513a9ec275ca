//! Laying out a table in the terminal's width: how wide each column is, and each cell's text wrapped to
//! it, or, when even the narrowest layout does not fit, one block of `label  value` lines per row.
//!
//! comfy-table draws the table but wraps on its own terms (it cuts words longer than a column, such as
//! identifiers and URLs, and shares the width without regard for which column matters), so the widths are
//! chosen here and comfy-table is handed text that already fits.

use super::text::{widest_piece, width, wrap};
use super::Style;
use colored::Colorize;
use comfy_table::{Cell, Color, ContentArrangement};
use std::io::{self, Write};

/// How a column's text may be laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Fit {
    /// Never broken (codes, identifiers, URLs, paths, numbers): each line of the cell stays whole.
    Whole,
    /// Wrapped at word boundaries (see `text::wrap`).
    Words,
    /// Wrapped at word boundaries, and given the room first: the message.
    Message,
}

pub(super) struct Column<'a> {
    pub header: &'a str,
    pub fit: Fit,
    /// Painted in this colour (when colour is on).
    pub color: Option<Color>,
}

impl<'a> Column<'a> {
    pub fn new(header: &'a str, fit: Fit) -> Column<'a> {
        Column {
            header,
            fit,
            color: None,
        }
    }
}

/// A table's border and padding: `│ a ┆ b │` takes three columns per column and one more.
fn frame(columns: usize) -> usize {
    3 * columns + 1
}

/// The narrowest the message column may be before the table gives way to blocks: three or four words a
/// line.
const MIN_WRAPPED: usize = 20;

/// The narrowest and the widest a cell's text wants to be laid out in.
fn bounds(text: &str, fit: Fit) -> (usize, usize) {
    let widest = text.lines().map(width).max().unwrap_or(0);
    match fit {
        Fit::Whole => (widest, widest),
        Fit::Words | Fit::Message => (text.lines().map(widest_piece).max().unwrap_or(0), widest),
    }
}

/// Each column's width in a table of at most `total` terminal columns, or `None` when the table cannot
/// fit without breaking a value that must stay whole or squeezing the message below `MIN_WRAPPED`.
/// Every column starts at its narrowest; the room left goes first to the message column, then to the
/// other wrapped columns, then to headers that would otherwise wrap.
pub(super) fn widths(columns: &[Column], rows: &[Vec<String>], total: usize) -> Option<Vec<usize>> {
    let n = columns.len();
    let mut min = vec![0; n];
    let mut want = vec![0; n];
    let mut head_want = vec![0; n];
    for (i, c) in columns.iter().enumerate() {
        // A header breaks only at its spaces (`Official languages`); `コード` stays whole.
        min[i] = c.header.split(' ').map(width).max().unwrap_or(0);
        head_want[i] = width(c.header);
        for row in rows {
            let (lo, hi) = bounds(row.get(i).map_or("", String::as_str), c.fit);
            min[i] = min[i].max(lo);
            want[i] = want[i].max(hi);
        }
        if c.fit == Fit::Message {
            // The message, when narrower than its text, gets a useful width or the table gives way.
            min[i] = min[i].max(want[i].min(MIN_WRAPPED));
        }
        want[i] = want[i].max(min[i]);
        head_want[i] = head_want[i].max(want[i]);
    }
    let room = total.checked_sub(frame(n))?;
    let mut left = room.checked_sub(min.iter().sum())?;
    let mut w = min;
    let order = (0..n)
        .filter(|&i| columns[i].fit == Fit::Message)
        .chain((0..n).filter(|&i| columns[i].fit == Fit::Words));
    for i in order {
        let more = (want[i] - w[i]).min(left);
        w[i] += more;
        left -= more;
    }
    for i in 0..n {
        let more = (head_want[i] - w[i]).min(left);
        w[i] += more;
        left -= more;
    }
    Some(w)
}

/// `text` laid out in `w` columns.
fn lay(text: &str, fit: Fit, w: usize) -> String {
    match fit {
        Fit::Whole => text.to_string(),
        Fit::Words | Fit::Message => text
            .lines()
            .flat_map(|l| {
                let lines = wrap(l, w);
                if lines.is_empty() {
                    vec![String::new()]
                } else {
                    lines
                }
            })
            .collect::<Vec<_>>()
            .join("\n"),
    }
}

/// A header in `w` columns, broken only at its spaces.
fn lay_header(header: &str, w: usize) -> String {
    let mut out = String::new();
    let mut line_w = 0;
    for word in header.split(' ').filter(|w| !w.is_empty()) {
        let ww = width(word);
        if line_w > 0 && line_w + 1 + ww > w {
            out.push('\n');
            line_w = 0;
        } else if line_w > 0 {
            out.push(' ');
            line_w += 1;
        }
        out.push_str(word);
        line_w += ww;
    }
    out
}

/// How rows were written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Layout {
    Table,
    Blocks,
}

/// Writes `rows` under `columns`: a table in the terminal's width, or one block per row when no table fits.
pub(super) fn write(
    columns: &[Column],
    rows: &[Vec<String>],
    style: Style,
    out: &mut dyn Write,
) -> io::Result<Layout> {
    match widths(columns, rows, style.width) {
        Some(w) => write_table(columns, rows, &w, style, out).map(|_| Layout::Table),
        None => write_blocks(columns, rows, style, out).map(|_| Layout::Blocks),
    }
}

fn write_table(
    columns: &[Column],
    rows: &[Vec<String>],
    w: &[usize],
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut t = comfy_table::Table::new();
    t.load_style(comfy_table::presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled);
    if style.color {
        t.enforce_styling();
    } else {
        t.force_no_tty();
    }
    let paint = |cell: Cell, color: Option<Color>| match color {
        Some(c) if style.color => cell.fg(c),
        _ => cell,
    };
    t.set_header(
        columns
            .iter()
            .zip(w)
            .map(|(c, &w)| paint(Cell::new(lay_header(c.header, w)), Some(Color::Cyan))),
    );
    for row in rows {
        t.add_row(columns.iter().zip(w).enumerate().map(|(i, (c, &w))| {
            let text = row.get(i).map_or("", String::as_str);
            paint(Cell::new(lay(text, c.fit, w)), c.color)
        }));
    }
    writeln!(out, "{t}")
}

/// One block per row: `label  value` lines, values wrapped after the labels, empty values left out,
/// a blank line between blocks. Values that must stay whole stay whole, even past the line's end.
fn write_blocks(
    columns: &[Column],
    rows: &[Vec<String>],
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    let label_w = columns.iter().map(|c| width(c.header)).max().unwrap_or(0);
    let value_w = style.width.saturating_sub(label_w + 2).max(MIN_WRAPPED);
    let indent = " ".repeat(label_w + 2);
    for (r, row) in rows.iter().enumerate() {
        if r > 0 {
            writeln!(out)?;
        }
        for (i, c) in columns.iter().enumerate() {
            let text = row.get(i).map_or("", String::as_str);
            if text.trim().is_empty() {
                continue;
            }
            let pad = " ".repeat(label_w - width(c.header));
            let label = if style.color {
                c.header.cyan().to_string()
            } else {
                c.header.to_string()
            };
            for (j, line) in lay(text, c.fit, value_w).lines().enumerate() {
                let line = match c.color {
                    Some(Color::Yellow) if style.color => line.yellow().to_string(),
                    _ => line.to_string(),
                };
                if j == 0 {
                    writeln!(out, "{label}{pad}  {line}")?;
                } else {
                    writeln!(out, "{indent}{line}")?;
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cols() -> Vec<Column<'static>> {
        vec![
            Column::new("Code", Fit::Whole),
            Column::new("Action", Fit::Whole),
            Column::new("Message", Fit::Message),
        ]
    }

    fn rows() -> Vec<Vec<String>> {
        vec![vec![
            "authorization_denied_by_parental_controls".into(),
            "contact-vendor".into(),
            "The user is not allowed to watch this content because of parental controls.".into(),
        ]]
    }

    #[test]
    fn the_message_gets_the_room_and_whole_values_stay_whole() {
        let w = widths(&cols(), &rows(), 100).unwrap();
        assert_eq!(w[0], 41);
        assert_eq!(w[1], 14);
        assert_eq!(w.iter().sum::<usize>() + frame(3), 100);
    }

    #[test]
    fn too_narrow_gives_no_table() {
        assert!(widths(&cols(), &rows(), 60).is_none());
        let mut out = Vec::new();
        write(
            &cols(),
            &rows(),
            Style {
                color: false,
                width: 60,
            },
            &mut out,
        )
        .unwrap();
        let s = String::from_utf8(out).unwrap();
        assert!(
            s.starts_with("Code     authorization_denied_by_parental_controls\n"),
            "{s}"
        );
        assert!(s.lines().all(|l| width(l) <= 60), "{s}");
    }
}
