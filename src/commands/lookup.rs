//! `errbook lookup` and `errbook explain`: entries named by queries, from the arguments and from standard
//! input (one query a line, an error body, or free text to scan). They find entries the same way and
//! differ in how the report is written.

use super::push_unique;
use crate::catalog::{Book, Hit};
use crate::context::Ctx;
use crate::error::{Error, Outcome};
use crate::input::body::{self, Body};
use crate::input::{self, Stdin};
use crate::query::Query;
use crate::render::{self, CommandName, Format, Output, Report};
use crate::suggest::suggest;
use std::io::{BufRead, Write};

/// Runs `lookup` (`command` is [`CommandName::Lookup`]) or `explain` for the given queries.
pub fn run(ctx: &mut Ctx, command: CommandName, queries: Vec<String>) -> Result<Outcome, Error> {
    let write = Error::Write;
    let given = queries.join(" ");
    let (args, from_stdin) = split_stdin(queries, &mut *ctx.stdin, &ctx.book)?;
    let mut queries = args;
    let mut body = None;
    match from_stdin {
        None => {}
        Some(Stdin::Queries(q)) => queries.extend(q),
        Some(Stdin::Body(b)) => body = Some(b),
        Some(Stdin::Empty) if queries.is_empty() => {
            writeln!(
                ctx.err,
                "errbook: standard input is empty: nothing to look up"
            )
            .map_err(write)?;
            return Ok(Outcome::NotFound);
        }
        Some(Stdin::Empty) => {}
        Some(Stdin::Text(mut text)) => {
            if !queries.is_empty() {
                return Err(Error::usage(
                    "standard input is free text, not queries: scan it on its own \
                     (errbook scan), or give one query per line",
                ));
            }
            let inputs = [("-".to_string(), &mut *text as &mut dyn BufRead)];
            return super::scan::scan_inputs(
                &ctx.book, inputs, command, ctx.lang, ctx.format, ctx.style, ctx.out, ctx.err,
            );
        }
    }
    let (args_hits, mut outcome) = if queries.is_empty() {
        (Vec::new(), Outcome::Found)
    } else {
        lookup_all(&ctx.book, &queries, ctx.err)?
    };
    let Some(mut body) = body else {
        let report = Report {
            command,
            query: Some(queries.join(" ")),
            lang: ctx.lang,
            hits: &args_hits,
            style: ctx.style,
        };
        render::write(ctx.format, &Output::Entries(report), ctx.out).map_err(write)?;
        return Ok(outcome);
    };
    // The codes the body carries, looked up in the catalogs their shapes prefer first.
    for f in &mut body.findings {
        f.resolve(&ctx.book);
    }
    let mut hits = args_hits.clone();
    for f in &body.findings {
        for h in &f.hits {
            push_unique(&mut hits, *h);
        }
    }
    if !body.findings.iter().any(|f| !f.hits.is_empty()) {
        outcome = Outcome::NotFound;
    }
    report_body(&body, command, ctx.format, ctx.lang, ctx.err).map_err(write)?;
    let report = Report {
        command,
        query: Some(given),
        lang: ctx.lang,
        hits: &hits,
        style: ctx.style,
    };
    let output = Output::Body {
        report,
        args_hits: &args_hits,
        body: &body,
    };
    render::write(ctx.format, &output, ctx.out).map_err(write)?;
    Ok(outcome)
}

/// Separates the `-` arguments from the others and reads standard input once when there is one.
fn split_stdin<'r>(
    queries: Vec<String>,
    stdin: &'r mut dyn BufRead,
    book: &Book,
) -> Result<(Vec<String>, Option<Stdin<'r>>), Error> {
    let wants_stdin = queries.iter().any(|q| q == "-");
    let args: Vec<String> = queries.into_iter().filter(|q| q != "-").collect();
    let from_stdin = if wants_stdin {
        Some(input::read(stdin, &crate::input::body::Shapes::of(book))?)
    } else {
        None
    };
    Ok((args, from_stdin))
}

/// Codes of a body that no catalog has, the input's notes (a HAR's failed requests without an error
/// body), and (for lookup, whose rows have no room for them) chains and statuses and actions that differ
/// from the catalog's: one line each on stderr.
fn report_body(
    body: &Body,
    command: CommandName,
    format: Format,
    lang: crate::catalog::Lang,
    err: &mut dyn Write,
) -> std::io::Result<()> {
    use crate::render::text::one_line;
    for n in &body.notes {
        writeln!(err, "errbook: note: {}", one_line(n))?;
    }
    if command == CommandName::Lookup && matches!(format, Format::Table | Format::Plain) {
        for c in body.chains() {
            writeln!(
                err,
                "errbook: chain: {}",
                render::chain_text(body, &c, lang)
            )?;
        }
    }
    let place = |p: &str| {
        if p.is_empty() {
            "/".to_string()
        } else {
            p.to_string()
        }
    };
    for f in &body.findings {
        if f.hits.is_empty() {
            writeln!(
                err,
                "errbook: {}: no entry for code {:?} ({} error object)",
                place(&f.pointer),
                f.code,
                f.shape
            )?;
        }
        let text_lookup =
            command == CommandName::Lookup && matches!(format, Format::Table | Format::Plain);
        if !text_lookup {
            continue;
        }
        for h in &f.hits {
            if body::status_agrees(f, h) == Some(false) {
                let known: Vec<String> = body::catalog_statuses(h)
                    .iter()
                    .map(|s| s.to_string())
                    .collect();
                writeln!(
                    err,
                    "errbook: note: {}: the body's status {} differs from the catalog's HTTP {} for {} {}",
                    place(&f.pointer),
                    f.status_text(),
                    known.join("/"),
                    h.catalog.id,
                    h.entry.code
                )?;
            }
            if body::action_agrees(f, h) == Some(false) {
                writeln!(
                    err,
                    "errbook: note: {}: the body's action {} differs from the catalog's {} for {} {}",
                    place(&f.pointer),
                    one_line(f.action.as_deref().unwrap_or("")),
                    body::catalog_actions(h).join("/"),
                    h.catalog.id,
                    h.entry.code
                )?;
            }
        }
    }
    Ok(())
}

/// Looks every query up. Queries that find nothing are reported on `err` with suggestions.
fn lookup_all(
    book: &Book,
    queries: &[String],
    err: &mut dyn Write,
) -> Result<(Vec<Hit<'static>>, Outcome), Error> {
    let mut hits: Vec<Hit<'static>> = Vec::new();
    let mut outcome = Outcome::Found;
    // Every query is parsed before any is looked up, so that a usage error is the only line on stderr.
    let parsed: Vec<Query> = queries
        .iter()
        .map(|raw| Query::parse(raw, book))
        .collect::<Result<_, _>>()?;
    for (raw, q) in queries.iter().zip(parsed) {
        let found = q.lookup(book);
        if found.is_empty() {
            outcome = Outcome::NotFound;
            report_not_found(book, raw, err).map_err(Error::Write)?;
        }
        for h in found {
            // The same entry named twice is shown once.
            push_unique(&mut hits, h);
        }
    }
    Ok((hits, outcome))
}

fn report_not_found(book: &Book, raw: &str, err: &mut dyn Write) -> std::io::Result<()> {
    writeln!(err, "no entry for {:?}", raw.trim())?;
    let s = suggest(book, raw);
    if !s.is_empty() {
        let names: Vec<String> = s
            .iter()
            .map(|h| format!("{} ({})", h.entry.code, h.catalog.id))
            .collect();
        writeln!(err, "did you mean {}?", names.join(", "))?;
    }
    Ok(())
}
