//! Runs one parsed command line: decides the language, format, colour and width once, loads the catalogs,
//! and hands the command to its module in `commands`.

use crate::catalog::user;
use crate::catalog::Book;
use crate::cli::{Cli, ColorChoice, Command, ExplainArgs, LookupArgs};
use crate::commands::{self, generate::Target};
use crate::context::Ctx;
use crate::error::{Error, Outcome};
use crate::render::{self, CommandName, Format, Style};
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
    // Decided here, once, and carried in `Style`; `colored` (which explain paints with) has no switch
    // but this process-wide one, so it is set from the same decision.
    colored::control::set_override(color);
    let width = (env.var)("COLUMNS")
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|w| *w >= 20)
        .or(env.terminal_width)
        .unwrap_or(100);
    let style = Style { color, width };
    // Commands that do not read the catalogs do not load user catalogs either.
    let book = if cli.command.reads_catalogs() {
        load_book(&cli, env, err)?
    } else {
        Book::builtin()
    };

    let mut ctx = Ctx {
        lang,
        format,
        style,
        book,
        stdin,
        out,
        err,
    };
    let ctx = &mut ctx;
    match cli.command {
        Command::Lookup(LookupArgs { queries }) => {
            commands::lookup::run(ctx, CommandName::Lookup, queries)
        }
        Command::Explain(ExplainArgs { queries }) => {
            commands::lookup::run(ctx, CommandName::Explain, queries)
        }
        Command::Search(args) => commands::search::run(ctx, args),
        Command::List(args) => commands::list::run(ctx, args),
        Command::Scan(args) => commands::scan::run(ctx, args),
        Command::Validate(args) => commands::validate::run(ctx, args),
        Command::Catalogs => commands::catalogs::run(ctx),
        Command::Completions(args) => commands::generate::run(ctx, Target::Completions(args)),
        Command::Man => commands::generate::run(ctx, Target::Man),
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
