use errbook::app::{run, Env};
use errbook::cli::Cli;
use errbook::error::Error;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    // `COMPLETE=<shell> errbook -- <words>`: answer the shell's completion request and exit. Checked here
    // first so that an ordinary run does not pay for what completion needs (the argument list, the
    // current directory).
    if std::env::var_os(errbook::complete::VAR).is_some() {
        clap_complete::CompleteEnv::with_factory(<Cli as clap::CommandFactory>::command)
            .var(errbook::complete::VAR)
            .completer("errbook")
            .complete();
    }
    let cli = match parse() {
        Ok(cli) => cli,
        Err(e) => return clap_exit(e),
    };
    let stdout = io::stdout();
    let stdout_is_terminal = stdout.is_terminal();
    let env = Env {
        stdout_is_terminal,
        // Only a terminal has a width; scripts and pipes skip the query.
        terminal_width: if stdout_is_terminal {
            terminal_width()
        } else {
            None
        },
        var: Box::new(|k| std::env::var_os(k).map(|v| v.to_string_lossy().into_owned())),
    };
    let mut out = BufWriter::new(stdout.lock());
    let mut err = io::stderr().lock();
    let mut stdin = io::stdin().lock();
    let result = run(cli, &env, &mut stdin, &mut out, &mut err);
    let result = result.and_then(|outcome| out.flush().map(|_| outcome).map_err(Error::Write));
    match result {
        Ok(outcome) => outcome.exit_code(),
        // `errbook list | head -1`: the reader left; that is not an error.
        Err(Error::Write(e)) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            let _ = writeln!(err, "errbook: error: {e}");
            e.exit_code()
        }
    }
}

/// The command line, parsed. clap's tree of the whole interface (every subcommand and argument) is needed
/// only while parsing; freeing it, piece by piece, would cost as much as a lookup, just before the process
/// exits and the system takes the memory back anyway. So it is left allocated.
fn parse() -> Result<Cli, clap::Error> {
    use clap::{CommandFactory, FromArgMatches};
    let mut command = std::mem::ManuallyDrop::new(Cli::command());
    let mut matches =
        std::mem::ManuallyDrop::new(command.try_get_matches_from_mut(std::env::args_os())?);
    Cli::from_arg_matches_mut(&mut matches)
}

/// Help and version go to stdout with status 0; a usage error is one line on stderr with status 2.
fn clap_exit(e: clap::Error) -> ExitCode {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let mut out = io::stdout().lock();
            match write!(out, "{e}").and_then(|_| out.flush()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(w) if w.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
                Err(w) => {
                    let _ = writeln!(io::stderr(), "errbook: error: cannot write output: {w}");
                    ExitCode::from(2)
                }
            }
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = write!(io::stderr(), "{e}");
            ExitCode::from(2)
        }
        _ => {
            let text = e.render().to_string();
            let first = text
                .lines()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("invalid arguments")
                .trim_start_matches("error: ");
            // clap lists the accepted values on later lines; keep them, on the one line.
            let values = match e.get(ContextKind::ValidValue) {
                Some(ContextValue::Strings(v)) if !v.is_empty() => {
                    format!("possible values: {}; ", v.join(", "))
                }
                _ => String::new(),
            };
            let _ = writeln!(
                io::stderr(),
                "errbook: error: {first} ({values}see 'errbook --help')"
            );
            ExitCode::from(2)
        }
    }
}

/// The terminal's width; a terminal that reports 0 columns (a pseudo-terminal nobody sized) counts as unknown.
fn terminal_width() -> Option<usize> {
    comfy_table::Table::new()
        .width()
        .map(usize::from)
        .filter(|w| *w > 0)
}
