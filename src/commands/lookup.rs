//! `errbook lookup` and `errbook explain`: entries named by queries, from the arguments and from standard
//! input (one query a line, an error body, or free text to scan). They find entries the same way and
//! differ in how the report is written.

use crate::catalog::{Book, Hit, Listing, UniqueHits};
use crate::context::Ctx;
use crate::error::{Error, Outcome};
use crate::input::body::{self, Body};
use crate::input::{self, Stdin};
use crate::pasted;
use crate::query::Query;
use crate::render::{self, Asked, CommandName, Format, Output, Report};
use crate::suggest::did_you_mean;
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
    let (args_hits, asked, mut outcome) = if queries.is_empty() {
        (Vec::new(), Vec::new(), Outcome::Found)
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
            asked: &asked,
        };
        render::write(ctx.format, &Output::Entries(report), ctx.out).map_err(write)?;
        return Ok(outcome);
    };
    // The codes the body carries, looked up in the catalogs their shapes prefer first.
    for f in &mut body.findings {
        f.resolve(&ctx.book);
    }
    let mut unique = UniqueHits::default();
    for h in args_hits
        .iter()
        .chain(body.findings.iter().flat_map(|f| &f.hits))
    {
        unique.push(*h);
    }
    let hits = unique.into_hits();
    if !body.findings.iter().any(|f| !f.hits.is_empty()) {
        outcome = Outcome::NotFound;
    }
    report_body(&ctx.book, &body, command, ctx.format, ctx.lang, ctx.err).map_err(write)?;
    let report = Report {
        command,
        query: Some(given),
        lang: ctx.lang,
        hits: &hits,
        style: ctx.style,
        asked: &asked,
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
    book: &Book,
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
            write_suggestions(book, &f.code, err)?;
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

/// Looks every query up: the words given are cut into query tokens as people paste them (see
/// [`pasted`]), and a token that names nothing as typed is read the other ways people write codes. The
/// readings used are reported on one line of `err`; queries that find nothing, with suggestions.
fn lookup_all(
    book: &Book,
    words: &[String],
    err: &mut dyn Write,
) -> Result<(Vec<Hit<'static>>, Vec<Asked>, Outcome), Error> {
    let mut hits = UniqueHits::default();
    let mut outcome = Outcome::Found;
    let tokens = pasted::split(words, book);
    // Every query is parsed before any is looked up, so that a usage error is the only line on stderr;
    // a token that does not parse may still have a reading that does.
    let mut found_all = Vec::with_capacity(tokens.len());
    for raw in &tokens {
        let found = match Query::parse(raw, book) {
            Ok(q) => Ok(q.lookup(book)),
            Err(e) => Err(e),
        };
        let found = match found {
            Ok(f) if !f.is_empty() => (f, None),
            first => match other_reading(raw, book) {
                Some((read_as, f)) => (f, Some(read_as)),
                None => (first?, None),
            },
        };
        found_all.push(found);
    }
    let mut asked = Vec::with_capacity(tokens.len());
    let mut readings = Vec::new();
    for (raw, (found, read_as)) in tokens.into_iter().zip(found_all) {
        if found.is_empty() {
            outcome = Outcome::NotFound;
            report_not_found(book, &raw, err).map_err(Error::Write)?;
        }
        if let Some(r) = &read_as {
            readings.push(format!("{raw} as {r}"));
        }
        // The same entry named twice is shown once; each query still says where it is.
        let results = found.into_iter().map(|h| hits.push(h)).collect();
        asked.push(Asked {
            query: raw,
            read_as,
            results,
        });
    }
    if !readings.is_empty() {
        writeln!(err, "errbook: note: read {}", readings.join(", ")).map_err(Error::Write)?;
    }
    Ok((hits.into_hits(), asked, outcome))
}

/// Another reading of a token that names nothing as typed, and what it finds, when it finds something.
fn other_reading(raw: &str, book: &Book) -> Option<(String, Vec<Hit<'static>>)> {
    let read_as = pasted::understand(raw, book)?;
    let found = Query::parse(&read_as, book).ok()?.lookup(book);
    (!found.is_empty()).then_some((read_as, found))
}

/// "no entry" for a query, with what may help: when it is an HTTP status, how many entries carry it and
/// how to list them; then the entries closest to it.
pub fn report_not_found(book: &Book, raw: &str, err: &mut dyn Write) -> std::io::Result<()> {
    writeln!(err, "no entry for {:?}", raw.trim())?;
    if let Some(status) = http_status(raw) {
        let listing = Listing {
            catalogs: book.catalogs.clone(),
            http_status: Some(status),
            ..Listing::default()
        };
        let n = listing.try_for_each(|_| Ok::<(), ()>(())).unwrap_or(0);
        if n > 0 {
            let entries = if n == 1 {
                "entry carries"
            } else {
                "entries carry"
            };
            writeln!(
                err,
                "{n} {entries} HTTP status {status}: errbook list --http {status}"
            )?;
        }
    }
    write_suggestions(book, raw, err)
}

/// "did you mean" and the entries closest to `raw`, when there are some.
fn write_suggestions(book: &Book, raw: &str, err: &mut dyn Write) -> std::io::Result<()> {
    match did_you_mean(book, raw) {
        Some(line) => writeln!(err, "{line}"),
        None => Ok(()),
    }
}

/// The HTTP status a query names: three digits from 100 to 599.
fn http_status(raw: &str) -> Option<u16> {
    let t = raw.trim();
    (t.len() == 3 && t.bytes().all(|b| b.is_ascii_digit()))
        .then(|| t.parse().ok())
        .flatten()
        .filter(|s| (100..600).contains(s))
}
