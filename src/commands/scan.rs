//! `errbook scan`: finds known codes in logs and other free text.

use crate::catalog::{Book, Lang};
use crate::cli::ScanArgs;
use crate::context::Ctx;
use crate::error::{Error, Outcome};
use crate::input::scan::Scanner;
use crate::render::{self, CommandName, Format, Found, Scan, Style};
use std::io::{BufRead, Write};

pub fn run(ctx: &mut Ctx, ScanArgs { files }: ScanArgs) -> Result<Outcome, Error> {
    let names: Vec<String> = if files.is_empty() {
        vec!["-".to_string()]
    } else {
        files
            .iter()
            .map(|p| p.to_string_lossy().into_owned())
            .collect()
    };
    // Open every file first, so that a missing one or a folder fails before anything is written.
    let mut opened = Vec::with_capacity(files.len());
    for (name, path) in names.iter().zip(&files) {
        if name == "-" {
            opened.push(None);
            continue;
        }
        let read_error = |source| Error::Read {
            what: name.clone(),
            source,
        };
        let f = std::fs::File::open(path).map_err(read_error)?;
        // A folder opens, and fails only when read: after the files before it have been reported.
        if f.metadata().map_err(read_error)?.is_dir() {
            return Err(read_error(std::io::Error::new(
                std::io::ErrorKind::IsADirectory,
                "is a folder, not a file",
            )));
        }
        opened.push(Some(std::io::BufReader::new(f)));
    }
    if opened.is_empty() {
        opened.push(None);
    }
    let mut stdin = Some(&mut *ctx.stdin);
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
        &ctx.book,
        inputs,
        CommandName::Scan,
        ctx.lang,
        ctx.format,
        ctx.style,
        ctx.out,
        ctx.err,
    )
}

/// Scans each input in turn and writes what it finds; `explain` adds the story of every entry found.
#[allow(clippy::too_many_arguments)]
pub(crate) fn scan_inputs<'i>(
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
    let scan = Scan {
        command,
        lang,
        style,
        inputs: &names,
    };
    let mut sink = render::scan(format, &scan, &mut *out).map_err(Error::Write)?;
    let mut non_blank = false;
    let mut found = 0u64;
    // Numbers the text gives as codes of a catalog that has no such code: said after the findings.
    let mut missed: Vec<String> = Vec::new();
    for (name, reader) in inputs {
        let what = if name == "-" {
            "standard input".to_string()
        } else {
            name.clone()
        };
        // A HAR file is read entry by entry (input::har), not as text.
        let mut reader = match crate::input::har::read_if_har(Box::new(reader), book) {
            Ok(Ok(located)) => {
                non_blank = true;
                for (l, h) in located
                    .iter()
                    .flat_map(|l| l.hits.iter().map(move |h| (l, h)))
                {
                    let (input, line, column, matched) = (&name, l.line, l.column, &l.code);
                    let f = Found {
                        input,
                        line,
                        column,
                        matched,
                        hit: h,
                    };
                    sink.push(&f).map_err(Error::Write)?;
                    found += 1;
                }
                continue;
            }
            Ok(Err(text)) => text,
            Err(source) => return Err(Error::Read { what, source }),
        };
        let stats = scanner.scan(&mut *reader, &what, |f| {
            if let Some(c) = f.missed.filter(|_| missed.len() < MAX_MISSED) {
                missed.push(missed_note(book, c, &name, f.line, f.column, f.matched));
            }
            for h in f.hits {
                let found = Found {
                    input: &name,
                    line: f.line,
                    column: f.column,
                    matched: f.matched,
                    hit: h,
                };
                sink.push(&found).map_err(Error::Write)?;
            }
            Ok(())
        })?;
        non_blank |= stats.non_blank;
        found += stats.findings;
    }
    sink.finish().map_err(Error::Write)?;
    for note in &missed {
        writeln!(err, "errbook: note: {note}").map_err(Error::Write)?;
    }
    if !non_blank {
        writeln!(err, "errbook: the input is empty: nothing to scan").map_err(Error::Write)?;
        return Ok(Outcome::NotFound);
    }
    if found == 0 {
        writeln!(err, "errbook: no known code found").map_err(Error::Write)?;
        return Ok(Outcome::NotFound);
    }
    Ok(Outcome::Found)
}

/// At most this many "no such code" notes per run: a log can repeat the same one many times.
const MAX_MISSED: usize = 20;

/// `7:20: 8003 is no pallycon code (the text names pallycon before it); did you mean 8002 (pallycon), …?`
fn missed_note(
    book: &Book,
    catalog: &crate::catalog::Catalog,
    input: &str,
    line: u64,
    column: u64,
    number: &str,
) -> String {
    let place = if input == "-" {
        format!("{line}:{column}")
    } else {
        format!("{input}:{line}:{column}")
    };
    let id = catalog.id();
    let mut note = format!("{place}: {number} is no {id} code (the text names {id} before it)");
    if let Some(close) = crate::suggest::did_you_mean(book, &format!("{id}:{number}")) {
        note.push_str(&format!("; {close}"));
    }
    crate::render::text::one_line(&note)
}
