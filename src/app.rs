//! Runs one parsed command line: cli → query → catalog → results → render → stdout.

use crate::body::{self, Body};
use crate::catalog::actions::{action_def, ACTIONS};
use crate::catalog::user::{self, Location};
use crate::catalog::Lang;
use crate::catalog::{Book, Hit, Listing};
use crate::cli::{
    Cli, ColorChoice, Command, CompletionsArgs, ExplainArgs, ListArgs, LookupArgs, ScanArgs,
    SearchArgs, ValidateArgs,
};
use crate::error::{Error, Outcome};
use crate::input::{self, Stdin};
use crate::query::Query;
use crate::render::{self, CommandName, FileCheck, Format, Report, ScanSink, Style};
use crate::scan::Scanner;
use crate::search;
use crate::suggest::suggest;
use std::io::{BufRead, Write};

/// Variables that shape the output (besides the language chain in `lang::ENV_CHAIN`).
pub const OUTPUT_VARS: [&str; 3] = ["NO_COLOR", "CLICOLOR_FORCE", "COLUMNS"];

/// Reads one environment variable.
pub type EnvVar = Box<dyn Fn(&str) -> Option<String>>;

/// What the process knows about where it runs; read once in main, so nothing else looks at the environment.
pub struct Env {
    pub stdout_is_terminal: bool,
    pub terminal_width: Option<usize>,
    pub var: EnvVar,
}

/// Colour on or off: `--color` first, then `NO_COLOR`, then `CLICOLOR_FORCE`, then whether stdout is a terminal.
pub fn use_color(choice: ColorChoice, env: &Env) -> bool {
    let set = |k: &str| (env.var)(k).is_some_and(|v| !v.is_empty());
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            if set("NO_COLOR") {
                false
            } else if (env.var)("CLICOLOR_FORCE").is_some_and(|v| !v.is_empty() && v != "0") {
                true
            } else {
                env.stdout_is_terminal
            }
        }
    }
}

pub fn run(
    cli: Cli,
    env: &Env,
    stdin: &mut dyn BufRead,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Outcome, Error> {
    // Commands that print no catalog text do not depend on the language (a bad ERRBOOK_LANG must not stop
    // `errbook man` or `errbook completions`).
    let lang = if cli.command.reads_catalogs() {
        crate::lang::resolve(cli.common.lang, &env.var)?
    } else {
        crate::lang::resolve(cli.common.lang, &env.var).unwrap_or(crate::catalog::Lang::En)
    };
    let format = cli.common.format.unwrap_or(if env.stdout_is_terminal {
        Format::Table
    } else {
        Format::Plain
    });
    let color = use_color(cli.common.color, env);
    colored::control::set_override(color);
    let width = (env.var)("COLUMNS")
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|w| *w >= 20)
        .or(env.terminal_width)
        .unwrap_or(100);
    let style = Style { color, width };
    let write = |e: std::io::Error| Error::Write(e);
    // Commands that do not read the catalogs do not load user catalogs either.
    let book = if cli.command.reads_catalogs() {
        load_book(&cli, env, err)?
    } else {
        Book::builtin()
    };

    // lookup and explain find entries the same way; they differ in how the report is written.
    let lookup_name = match cli.command {
        Command::Explain { .. } => CommandName::Explain,
        _ => CommandName::Lookup,
    };
    match cli.command {
        Command::Lookup(LookupArgs { queries }) | Command::Explain(ExplainArgs { queries }) => {
            let given = queries.join(" ");
            let (args, from_stdin) = split_stdin(queries, stdin, &book)?;
            let mut queries = args;
            let mut body = None;
            match from_stdin {
                None => {}
                Some(Stdin::Queries(q)) => queries.extend(q),
                Some(Stdin::Body(b)) => body = Some(b),
                Some(Stdin::Empty) if queries.is_empty() => {
                    writeln!(err, "errbook: standard input is empty: nothing to look up")
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
                    return scan_inputs(&book, inputs, lookup_name, lang, format, style, out, err);
                }
            }
            let (args_hits, mut outcome) = if queries.is_empty() {
                (Vec::new(), Outcome::Found)
            } else {
                lookup_all(&book, &queries, err)?
            };
            let Some(body) = body else {
                let report = Report {
                    command: lookup_name,
                    query: Some(queries.join(" ")),
                    lang,
                    hits: &args_hits,
                    style,
                };
                render::write_report(format, &report, out).map_err(write)?;
                return Ok(outcome);
            };
            let mut hits = args_hits.clone();
            for f in &body.findings {
                for h in &f.hits {
                    if !hits.iter().any(|o| std::ptr::eq(o.entry, h.entry)) {
                        hits.push(*h);
                    }
                }
            }
            if !body.findings.iter().any(|f| !f.hits.is_empty()) {
                outcome = Outcome::NotFound;
            }
            report_body(&body, lookup_name, format, err).map_err(write)?;
            let report = Report {
                command: lookup_name,
                query: Some(given),
                lang,
                hits: &hits,
                style,
            };
            render::write_body_report(format, &report, &args_hits, &body, out).map_err(write)?;
            Ok(outcome)
        }
        Command::Scan(ScanArgs { files }) => {
            let names: Vec<String> = if files.is_empty() {
                vec!["-".to_string()]
            } else {
                files
                    .iter()
                    .map(|p| p.to_string_lossy().into_owned())
                    .collect()
            };
            // Open every file first, so that a missing one fails before anything is written.
            let mut opened = Vec::with_capacity(files.len());
            for (name, path) in names.iter().zip(&files) {
                if name == "-" {
                    opened.push(None);
                    continue;
                }
                let f = std::fs::File::open(path).map_err(|source| Error::Read {
                    what: name.clone(),
                    source,
                })?;
                opened.push(Some(std::io::BufReader::new(f)));
            }
            if opened.is_empty() {
                opened.push(None);
            }
            let mut stdin = Some(stdin);
            let mut inputs: Vec<(String, &mut dyn BufRead)> = Vec::new();
            for (name, file) in names.into_iter().zip(opened.iter_mut()) {
                match file {
                    Some(f) => inputs.push((name, f)),
                    // Standard input can be read once; a second - finds it at its end.
                    None => {
                        if let Some(s) = stdin.take() {
                            inputs.push((name, s));
                        }
                    }
                }
            }
            scan_inputs(
                &book,
                inputs,
                CommandName::Scan,
                lang,
                format,
                style,
                out,
                err,
            )
        }
        Command::Search(SearchArgs { text, limit }) => {
            let text = text.join(" ");
            if text.trim().is_empty() {
                return Err(Error::usage("empty search text"));
            }
            // Tabs and newlines (pasted text) are white space; other control characters are no search.
            if text.chars().any(|c| c.is_control() && !c.is_whitespace()) {
                return Err(Error::usage(format!(
                    "search text {text:?} contains control characters"
                )));
            }
            if text.len() > crate::query::MAX_QUERY_LEN {
                return Err(Error::usage(format!(
                    "search text is {} bytes long; the limit is {}",
                    text.len(),
                    crate::query::MAX_QUERY_LEN
                )));
            }
            let hits = search::search(&book, &text, limit);
            if hits.is_empty() {
                writeln!(err, "errbook: nothing matches {:?}", text).map_err(write)?;
            }
            let report = Report {
                command: CommandName::Search,
                query: Some(text),
                lang,
                hits: &hits,
                style,
            };
            render::write_report(format, &report, out).map_err(write)?;
            Ok(found(&hits))
        }
        Command::List(ListArgs {
            catalog,
            domain,
            action,
            http,
        }) => {
            let listing = list(
                &book,
                catalog.as_deref(),
                domain.as_deref(),
                action.as_deref(),
                http,
            )?;
            let empty = listing.is_empty();
            if empty {
                writeln!(err, "errbook: no entry matches these filters").map_err(write)?;
            }
            render::write_listing(format, &listing, lang, style, out).map_err(write)?;
            Ok(if empty {
                Outcome::NotFound
            } else {
                Outcome::Found
            })
        }
        Command::Completions(CompletionsArgs { shell }) => {
            let script = crate::complete::registration(shell).map_err(write)?;
            out.write_all(&script).map_err(write)?;
            Ok(Outcome::Found)
        }
        Command::Man => {
            crate::man::render(out).map_err(write)?;
            Ok(Outcome::Found)
        }
        Command::Validate(ValidateArgs { files }) => {
            let checks = validate(&files);
            render::write_validation(format, &checks, out).map_err(write)?;
            let bad = checks.iter().filter(|c| !c.problems.is_empty()).count();
            if bad == 0 {
                return Ok(Outcome::Found);
            }
            let problems: usize = checks.iter().map(|c| c.problems.len()).sum();
            writeln!(
                err,
                "errbook: {problems} problem{} in {bad} of {} file{}",
                if problems == 1 { "" } else { "s" },
                checks.len(),
                if checks.len() == 1 { "" } else { "s" }
            )
            .map_err(write)?;
            Ok(Outcome::Invalid)
        }
        Command::Catalogs => {
            render::write_catalogs(format, &book, lang, style, out).map_err(write)?;
            Ok(Outcome::Found)
        }
    }
}

/// The built-in catalogs and the user's. A broken user catalog is one warning line and is skipped, or,
/// with `--strict`, the end of the run.
fn load_book(cli: &Cli, env: &Env, err: &mut dyn Write) -> Result<Book, Error> {
    let opts = user::Options::new(&cli.common.catalog_files, &*env.var, cli.common.no_cache);
    let (book, failed) = user::load_book(&opts);
    for problems in failed {
        let Some(first) = problems.first() else {
            continue;
        };
        let more = match problems.len() - 1 {
            0 => String::new(),
            1 => " (and 1 more problem)".to_string(),
            n => format!(" (and {n} more problems)"),
        };
        let line = render::text::one_line(&format!("{first}{more}"));
        if cli.common.strict {
            return Err(Error::Catalog(line));
        }
        writeln!(err, "errbook: warning: {line}; file skipped").map_err(Error::Write)?;
    }
    Ok(book)
}

/// Checks the files in order, each in the light of the built-in catalogs and the files before it.
fn validate(paths: &[std::path::PathBuf]) -> Vec<FileCheck> {
    let mut book = Book::builtin();
    let mut checks = Vec::new();
    for path in paths {
        let loc = [Location {
            path: path.clone(),
            required: true,
        }];
        let (files, problems) = user::catalog_files(&loc);
        for d in problems {
            checks.push(FileCheck::failed(d.path.clone(), vec![d]));
        }
        for f in files {
            match user::load(&f, &book, None) {
                Ok(part) => {
                    checks.push(FileCheck {
                        path: part.path.to_string(),
                        catalog: Some(part.id().to_string()),
                        extends: book.catalog(part.id()).is_some(),
                        entries: Some(part.store.len()),
                        problems: Vec::new(),
                    });
                    user::join(&mut book, part);
                }
                Err(problems) => checks.push(FileCheck::failed(f.display().to_string(), problems)),
            }
        }
    }
    checks
}

fn found(hits: &[Hit]) -> Outcome {
    if hits.is_empty() {
        Outcome::NotFound
    } else {
        Outcome::Found
    }
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
        Some(input::read(stdin, book)?)
    } else {
        None
    };
    Ok((args, from_stdin))
}

/// Codes of a body that no catalog has, and (for lookup, whose rows have no room for it) statuses that
/// differ from the catalog's: one line each on stderr.
fn report_body(
    body: &Body,
    command: CommandName,
    format: Format,
    err: &mut dyn Write,
) -> std::io::Result<()> {
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
                f.shape.as_str()
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
                    f.status.as_deref().unwrap_or(""),
                    known.join("/"),
                    h.catalog.id,
                    h.entry.code
                )?;
            }
        }
    }
    Ok(())
}

/// Scans each input in turn and writes what it finds; `explain` adds the story of every entry found.
#[allow(clippy::too_many_arguments)]
fn scan_inputs<'i>(
    book: &Book,
    inputs: impl IntoIterator<Item = (String, &'i mut dyn BufRead)>,
    command: CommandName,
    lang: Lang,
    format: Format,
    style: Style,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Outcome, Error> {
    let inputs: Vec<(String, &mut dyn BufRead)> = inputs.into_iter().collect();
    let names: Vec<String> = inputs.iter().map(|(n, _)| n.clone()).collect();
    let scanner = Scanner::new(book);
    let mut sink = ScanSink::start(format, lang, style, &names, out).map_err(Error::Write)?;
    let mut non_blank = false;
    let mut found = 0u64;
    let mut distinct: Vec<Hit<'static>> = Vec::new();
    for (name, reader) in inputs {
        let what = if name == "-" {
            "standard input".to_string()
        } else {
            name.clone()
        };
        let stats = scanner.scan(reader, &what, |f| {
            for h in f.hits {
                sink.push(&name, f.line, f.column, f.matched, h)
                    .map_err(Error::Write)?;
                if !distinct.iter().any(|o| std::ptr::eq(o.entry, h.entry)) {
                    distinct.push(*h);
                }
            }
            Ok(())
        })?;
        non_blank |= stats.non_blank;
        found += stats.findings;
    }
    sink.finish().map_err(Error::Write)?;
    if !non_blank {
        writeln!(err, "errbook: the input is empty: nothing to scan").map_err(Error::Write)?;
        return Ok(Outcome::NotFound);
    }
    if found == 0 {
        writeln!(err, "errbook: no known code found").map_err(Error::Write)?;
        return Ok(Outcome::NotFound);
    }
    if command == CommandName::Explain && matches!(format, Format::Table | Format::Plain) {
        writeln!(out).map_err(Error::Write)?;
        let report = Report {
            command,
            query: None,
            lang,
            hits: &distinct,
            style,
        };
        render::write_report(format, &report, out).map_err(Error::Write)?;
    }
    Ok(Outcome::Found)
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
            if !hits.iter().any(|o| std::ptr::eq(o.entry, h.entry)) {
                hits.push(h);
            }
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

fn list(
    book: &Book,
    catalog: Option<&str>,
    domain: Option<&str>,
    action: Option<&str>,
    http: Option<u16>,
) -> Result<Listing, Error> {
    let scope: Vec<_> = match catalog {
        Some(id) => vec![book.catalog(id).ok_or_else(|| {
            Error::usage(format!(
                "unknown catalog {id:?} (catalogs: {})",
                book.ids().join(", ")
            ))
        })?],
        None => book.catalogs.clone(),
    };
    if let Some(d) = domain {
        if !scope.iter().any(|c| c.domain(d).is_some()) {
            let mut known: Vec<&str> = scope
                .iter()
                .flat_map(|c| c.domains.iter().map(|d| d.id.as_ref()))
                .collect();
            known.sort_unstable();
            known.dedup();
            return Err(Error::usage(format!(
                "unknown domain {d:?} (domains: {})",
                known.join(", ")
            )));
        }
    }
    let action = match action {
        Some(a) => Some(action_def(a).map(|d| d.id).ok_or_else(|| {
            Error::usage(format!(
                "unknown action {a:?} (actions: {})",
                ACTIONS.iter().map(|a| a.id).collect::<Vec<_>>().join(", ")
            ))
        })?),
        None => None,
    };
    Ok(Listing {
        catalogs: scope,
        domain: domain.map(str::to_string),
        action,
        http_status: http,
    })
}
