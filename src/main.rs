use clap::CommandFactory;
use errbook::app::{run, Env};
use errbook::cli::Cli;
use errbook::error::Error;
use errbook::render::safe::SafeWriter;
use errbook::render::text::one_line;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    // `COMPLETE=<shell> errbook -- <words>`: answer the shell's completion request and exit. Checked here
    // first so that an ordinary run does not pay for what completion needs (the argument list, the
    // current directory).
    if std::env::var_os(errbook::complete::VAR).is_some() {
        clap_complete::CompleteEnv::with_factory(Cli::command)
            .var(errbook::complete::VAR)
            .completer("errbook")
            .complete();
    }
    let cli = match Cli::parse_args(std::env::args_os().collect()) {
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
    // Diagnostics quote what they were given (file names, codes, a body's fields): no control or hidden
    // character of those reaches the terminal raw.
    let mut err = SafeWriter::new(io::stderr().lock());
    let mut stdin = LazyStdin(None);
    let result = run(cli, &env, &mut stdin, &mut out, &mut err);
    let result = result.and_then(|outcome| out.flush().map(|_| outcome).map_err(Error::Write));
    match result {
        Ok(outcome) => outcome.exit_code(),
        // `errbook list | head -1`: the reader left; that is not an error.
        Err(Error::Write(e)) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            // One line, whatever a file name or value in it holds.
            let _ = writeln!(err, "errbook: error: {}", one_line(&e.to_string()));
            e.exit_code()
        }
    }
}

/// Standard input, locked when it is first read: most commands never read it, and taking it sets up its
/// buffer.
struct LazyStdin(Option<io::StdinLock<'static>>);

impl LazyStdin {
    fn get(&mut self) -> &mut io::StdinLock<'static> {
        self.0.get_or_insert_with(|| io::stdin().lock())
    }
}

impl io::Read for LazyStdin {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.get().read(buf)
    }
}

impl io::BufRead for LazyStdin {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.get().fill_buf()
    }

    fn consume(&mut self, amount: usize) {
        self.get().consume(amount)
    }
}

/// Help and version go to stdout with status 0; a usage error is one line on stderr with status 2.
fn clap_exit(e: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
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
            let _ = write!(SafeWriter::new(io::stderr()), "{e}");
            ExitCode::from(2)
        }
        _ => {
            let _ = writeln!(
                SafeWriter::new(io::stderr()),
                "errbook: error: {}",
                usage_error_line(&e)
            );
            ExitCode::from(2)
        }
    }
}

/// A usage error as one line: clap's first line, with what clap puts on the lines below it (the missing
/// arguments, the accepted values) and the help to read, that of the subcommand when there is one.
fn usage_error_line(e: &clap::Error) -> String {
    use clap::error::{ContextKind, ContextValue};
    let text = e.render().to_string();
    let mut first = text
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("invalid arguments")
        .trim_start_matches("error: ")
        .to_string();
    // "the following required arguments were not provided:" and the arguments below it.
    if first.ends_with(':') {
        if let Some(ContextValue::Strings(v)) = e.get(ContextKind::InvalidArg) {
            first = format!("{first} {}", v.join(", "));
        }
    }
    let values = match e.get(ContextKind::ValidValue) {
        Some(ContextValue::Strings(v)) if !v.is_empty() => {
            format!("possible values: {}; ", v.join(", "))
        }
        _ => String::new(),
    };
    // "Usage: errbook lookup [OPTIONS] <QUERY>...": the command is the words before the first [, < or -.
    let command = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("Usage: "))
        .map(|usage| {
            usage
                .split_whitespace()
                .take_while(|w| !w.starts_with(['[', '<', '-']))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|c| c.starts_with("errbook"))
        // clap gives no usage with a bad value; the first subcommand name on the line is the command.
        .or_else(|| {
            let cli = Cli::command();
            std::env::args_os().skip(1).find_map(|a| {
                cli.find_subcommand(a)
                    .map(|s| format!("errbook {}", s.get_name()))
            })
        })
        .unwrap_or_else(|| "errbook".to_string());
    // "unrecognized subcommand 'serch'": clap's suggestion is on a line of its own.
    if let Some(ContextValue::Strings(v)) = e.get(ContextKind::SuggestedSubcommand) {
        if let Some(s) = v.first() {
            first = format!("{first}; did you mean '{s}'?");
        }
    }
    format!("{first} ({values}see '{command} --help')")
}

/// The terminal's width; a terminal that reports 0 columns (a pseudo-terminal nobody sized) counts as unknown.
fn terminal_width() -> Option<usize> {
    comfy_table::Table::new()
        .width()
        .map(usize::from)
        .filter(|w| *w > 0)
}
