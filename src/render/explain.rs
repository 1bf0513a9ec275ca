//! `explain` for people: a header line, the message, the official texts, then what it means, what to do,
//! related codes and the source. `painted` adds colour (when on) and wraps to the terminal's width; without
//! it, the same content is written as stable plain text, one value per line.

use super::labels::{self, Labels};
use super::text::{one_line, width, wrap};
use super::{kind_label, view, CommandName, Report, Scan, Style};
use crate::catalog::{Hit, Lang, Origin, UniqueHits};
use crate::input::body::{self, Body};
use colored::Colorize;
use std::io::{self, Write};

const INDENT: &str = "  ";

struct Painter {
    color: bool,
    wrap_at: Option<usize>,
}

impl Painter {
    fn heading(&self, s: &str) -> String {
        if self.color {
            s.bold().cyan().to_string()
        } else {
            s.to_string()
        }
    }

    fn dim(&self, s: &str) -> String {
        if self.color {
            s.dimmed().to_string()
        } else {
            s.to_string()
        }
    }

    /// `parts` joined by ` · ` on as few lines as the width allows (a part breaks only when it is longer
    /// than a line), each line painted with `paint`.
    fn parts(
        &self,
        out: &mut dyn Write,
        parts: &[String],
        paint: impl Fn(&str) -> String,
    ) -> io::Result<()> {
        const SEP: &str = " · ";
        let Some(max) = self.wrap_at else {
            return writeln!(out, "{}", paint(&parts.join(SEP)));
        };
        let mut lines: Vec<String> = Vec::new();
        let mut line = String::new();
        for part in parts {
            if line.is_empty() {
                line = part.clone();
            } else if width(&line) + width(SEP) + width(part) <= max {
                line.push_str(SEP);
                line.push_str(part);
            } else {
                lines.push(std::mem::replace(&mut line, part.clone()));
            }
            if width(&line) > max {
                let mut wrapped = wrap(&line, max);
                line = wrapped.pop().unwrap_or_default();
                lines.extend(wrapped);
            }
        }
        lines.push(line);
        for l in lines {
            writeln!(out, "{}", paint(&l))?;
        }
        Ok(())
    }

    /// An indented paragraph, wrapped when painting.
    fn para(&self, out: &mut dyn Write, text: &str) -> io::Result<()> {
        let text = one_line(text);
        match self.wrap_at {
            Some(w) => {
                for line in wrap(&text, w.saturating_sub(INDENT.len())) {
                    writeln!(out, "{INDENT}{line}")?;
                }
                Ok(())
            }
            None => writeln!(out, "{INDENT}{text}"),
        }
    }
}

/// After the findings of `explain` given free text: the story of every entry found, once each.
pub(super) struct Stories {
    /// The entries found so far (`None` for a scan that tells no stories).
    hits: Option<UniqueHits<'static>>,
}

impl Stories {
    pub(super) fn new(scan: &Scan) -> Stories {
        Stories {
            hits: (scan.command == CommandName::Explain).then(UniqueHits::default),
        }
    }

    pub(super) fn push(&mut self, hit: &Hit<'static>) {
        if let Some(hits) = &mut self.hits {
            hits.push(*hit);
        }
    }

    /// A blank line, then the stories (nothing when nothing was found).
    pub(super) fn finish(
        self,
        lang: Lang,
        style: Style,
        out: &mut dyn Write,
        painted: bool,
    ) -> io::Result<()> {
        let Some(hits) = self
            .hits
            .map(UniqueHits::into_hits)
            .filter(|h| !h.is_empty())
        else {
            return Ok(());
        };
        writeln!(out)?;
        let report = Report {
            command: CommandName::Explain,
            query: None,
            lang,
            hits: &hits,
            style,
            asked: &[],
        };
        write(&report, out, painted)
    }
}

pub fn write(report: &Report, out: &mut dyn Write, painted: bool) -> io::Result<()> {
    let p = Painter {
        color: painted && report.style.color,
        wrap_at: painted.then_some(report.style.width),
    };
    for (i, hit) in report.hits.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        write_one(hit, report, &p, out)?;
    }
    Ok(())
}

fn write_one(hit: &Hit, report: &Report, p: &Painter, out: &mut dyn Write) -> io::Result<()> {
    let lang = report.lang;
    let l: &Labels = labels::get(lang);
    let (c, e) = (hit.catalog, hit.entry);
    let v = view(hit, lang);

    // Header: catalog · code · name · domain · HTTP status.
    let mut head = vec![c.id.to_string(), one_line(&e.code)];
    if let Some(n) = &e.name {
        head.push(one_line(n));
    }
    head.push(match v.domain_title {
        Some(t) => format!("{} ({})", e.domain, one_line(t)),
        None => e.domain.to_string(),
    });
    head.push(match e.http_status {
        Some(s) => format!("HTTP {s}"),
        None => format!("HTTP {}", l.none),
    });
    if let Some(k) = kind_label(e.kind, lang) {
        head.push(k.to_string());
    }
    p.parts(out, &head, |s| {
        if p.color {
            s.bold().yellow().to_string()
        } else {
            s.to_string()
        }
    })?;
    p.parts(out, &[one_line(&c.vendor), one_line(&c.product)], |s| {
        p.dim(s)
    })?;
    // What the source says of the code itself: retired, observed only, usually fatal, versions.
    let mut status = Vec::new();
    if e.retired {
        status.push(l.retired.to_string());
    }
    if e.observed {
        status.push(l.observed.to_string());
    }
    match e.fatal {
        Some(true) => status.push(l.fatal.to_string()),
        Some(false) => status.push(l.not_fatal.to_string()),
        None => {}
    }
    if let Some(v) = &e.versions {
        status.push(format!("{}: {}", l.versions, one_line(v)));
    }
    if !status.is_empty() {
        p.parts(out, &status, |s| p.dim(s))?;
    }
    writeln!(out)?;

    // The message in the chosen language, marked when it is errbook's translation or another language.
    let mut marks = Vec::new();
    if !v.message_official {
        marks.push(l.translation.to_string());
    }
    if v.message_lang != lang {
        marks.push(format!("{}: {}", l.shown_in, v.message_lang.code()));
    }
    p.para(out, v.message)?;
    if !marks.is_empty() {
        writeln!(out, "{INDENT}{}", p.dim(&format!("({})", marks.join("; "))))?;
    }

    // The vendor's own texts.
    let official: Vec<_> = e
        .message
        .iter()
        .filter(|(l, _)| e.is_official(*l))
        .collect();
    if !official.is_empty() || !e.official_note.is_empty() {
        writeln!(out)?;
        writeln!(out, "{}", p.heading(l.official_text))?;
        for (ol, t) in official {
            p.para(out, &format!("[{}] {}", ol.code(), t))?;
        }
        for (ol, t) in e.official_note.iter() {
            p.para(out, &format!("[{}] {}: {}", ol.code(), l.vendor_note, t))?;
        }
    }

    if let Some((_, d)) = v.description {
        writeln!(out)?;
        writeln!(out, "{}", p.heading(l.what_it_means))?;
        p.para(out, d)?;
    }

    writeln!(out)?;
    writeln!(out, "{}", p.heading(l.what_to_do))?;
    p.para(out, &format!("{}: {}", l.action, e.action))?;
    p.para(out, v.action_text)?;
    if let Some((_, h)) = v.hint {
        p.para(out, h)?;
    }

    if let Some((_, n)) = v.note {
        writeln!(out)?;
        writeln!(out, "{}", p.heading(l.note))?;
        p.para(out, n)?;
    }

    if !e.lists.is_empty() || v.older_list_only {
        writeln!(out)?;
        writeln!(out, "{}", p.heading(l.lists))?;
        for lv in &e.lists {
            let title = c
                .list(&lv.id)
                .and_then(|d| d.title.pick(lang, &[]))
                .map_or(lv.id.as_ref(), |t| t.1);
            let statuses: Vec<String> = lv.http_status.iter().map(|s| s.to_string()).collect();
            p.para(
                out,
                &format!(
                    "{title}: {} {}, HTTP {}",
                    l.action,
                    lv.action,
                    statuses.join("/")
                ),
            )?;
        }
        if v.older_list_only {
            p.para(out, l.older_list_only)?;
        }
        let mut older = Vec::new();
        if let Some(a) = &e.older_action {
            older.push(format!("{} {a}", l.action));
        }
        if let Some(s) = e.older_http_status {
            older.push(format!("HTTP {s}"));
        }
        if !older.is_empty() {
            p.para(out, &l.older_values.replace("{values}", &older.join(", ")))?;
        }
    }

    let related = hit.related();
    if !related.is_empty() {
        writeln!(out)?;
        writeln!(out, "{}", p.heading(l.related))?;
        for r in &related {
            let msg = r.entry.message_in(lang).map_or("", |m| m.1);
            p.para(out, &format!("{} — {}", one_line(&r.code_from(c)), msg))?;
        }
    }

    if let Some(s) = v.source {
        writeln!(out)?;
        writeln!(out, "{}", p.heading(l.source))?;
        p.para(out, s)?;
    }

    if let Origin::File(path) = hit.origin() {
        writeln!(out)?;
        writeln!(out, "{}", p.heading(l.user_catalog))?;
        p.para(out, path)?;
    }
    Ok(())
}

/// `explain -` with a body: the entries named on the command line, then, for each error object of the
/// body, what the body says (its fields, as it states them; a note when its status is not the catalog's)
/// followed by the entry's whole story. Codes no catalog has are left to the caller's diagnostics.
pub fn write_body(
    report: &Report,
    args_hits: &[Hit],
    body: &Body,
    out: &mut dyn Write,
    painted: bool,
) -> io::Result<()> {
    let p = Painter {
        color: painted && report.style.color,
        wrap_at: painted.then_some(report.style.width),
    };
    let l = labels::get(report.lang);
    let mut first = true;
    for hit in args_hits {
        if !first {
            writeln!(out)?;
        }
        first = false;
        write_one(hit, report, &p, out)?;
    }
    for chain in body.chains() {
        if !first {
            writeln!(out)?;
        }
        first = false;
        writeln!(out, "{}", p.heading(l.chain))?;
        p.para(out, &super::chain_text(body, &chain, report.lang))?;
        if let Some(c) = body.likely_cause(&chain) {
            let f = &body.findings[c];
            if let Some(h) = f.hits.first() {
                p.para(
                    out,
                    &format!("{}: {} {}", l.likely_cause, h.catalog.id, h.entry.code),
                )?;
            }
        }
    }
    for f in &body.findings {
        for hit in &f.hits {
            if !first {
                writeln!(out)?;
            }
            first = false;
            let place = if f.pointer.is_empty() {
                l.whole_body.to_string()
            } else {
                one_line(&f.pointer)
            };
            writeln!(out, "{}", p.heading(&format!("{}: {place}", l.in_body)))?;
            let fields = [
                ("code", Some(&f.code)),
                ("status", f.status.as_ref()),
                ("message", f.message.as_ref()),
                ("detail", f.detail.as_ref()),
                ("trace", f.trace.as_ref()),
                ("helpUrl", f.help_url.as_ref()),
                ("action", f.action.as_ref()),
            ];
            for (name, value) in fields {
                if let Some(v) = value {
                    p.para(out, &one_line(&format!("{name}: {v}")))?;
                }
            }
            for (name, v) in &f.context {
                p.para(out, &one_line(&format!("{name}: {v}")))?;
            }
            if let Some(r) = &f.request {
                p.para(out, &one_line(&format!("{}: {}", l.request, r.describe())))?;
            }
            if body::action_agrees(f, hit) == Some(false) {
                let note = l
                    .action_differs
                    .replace("{body}", f.action.as_deref().unwrap_or(""))
                    .replace("{catalog}", &body::catalog_actions(hit).join("/"));
                p.para(out, &one_line(&format!("! {note}")))?;
            }
            if body::status_agrees(f, hit) == Some(false) {
                let catalog: Vec<String> = body::catalog_statuses(hit)
                    .iter()
                    .map(|s| s.to_string())
                    .collect();
                let note = l
                    .status_differs
                    .replace("{body}", &f.status_text())
                    .replace("{catalog}", &catalog.join("/"));
                p.para(out, &format!("! {note}"))?;
            }
            writeln!(out)?;
            write_one(hit, report, &p, out)?;
        }
    }
    Ok(())
}
