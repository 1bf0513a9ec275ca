//! The command line, defined once: help, and later the man page and completions, come from here.

use crate::catalog::Lang;
use crate::complete::{self, Shell};
use crate::render::Format;
use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::parser::ValueSource;
use clap::{ArgMatches, Args, CommandFactory, FromArgMatches, Parser, ValueEnum};
use clap_complete::engine::{ArgValueCandidates, ArgValueCompleter};
use std::path::PathBuf;

const AFTER_HELP: &str = "\
Examples:
  errbook lookup 7011                     a code, in every catalog that defines it
  errbook search token expired            words in any language: errbook search 토큰
  errbook list --domain fairplay --lang ko
  errbook explain network_connection_failure
  errbook lookup 7011 --format json | jq '.results[0].action'
  curl -s \"$URL\" | errbook explain -       a JSON or XML error body: the codes it carries
  errbook scan app.log                    every known code in a log, with its line and column

Exit status: 0 found, 1 nothing found, 2 usage or input error.
Environment: ERRBOOK_LANG, LANGUAGE, LC_ALL, LC_MESSAGES, LANG (language); NO_COLOR, CLICOLOR_FORCE (colour);
ERRBOOK_CATALOG_PATH (user catalogs, ':'-separated); XDG_CONFIG_HOME, XDG_CACHE_HOME.";

const ABOUT: &str = "Explains DRM and video-streaming vendor error codes, offline";
const LONG_ABOUT: &str = "Explains DRM and video-streaming vendor error codes, offline: PallyCon (DoveRunner), Adobe Pass \
                          Authentication, SoftCamp SKMS and NAVER Cloud Live Station, in English, Korean and Japanese.";

/// The parsed command line: the options every command takes, and the command.
///
/// clap's derive would build the arguments of all nine subcommands and copy the six global options into
/// each before parsing anything: a fifth of the instructions of `errbook lookup 7011`. So the tree is
/// put together by hand here from derived pieces: each subcommand's arguments are added only when that
/// subcommand is parsed or its help shown ([`clap::Command::defer`]), and the common options
/// ([`Common`]) are part of the root and of each subcommand, instead of being global, so that they too
/// are built only where needed. A command line that starts with a subcommand's name is parsed with a root
/// that has that subcommand alone ([`Cli::parse_args`]). `errbook --lang ko lookup 7011` and `errbook
/// lookup 7011 --lang ko` mean the same; an option given after the subcommand wins over the same option
/// given before it.
#[derive(Debug)]
pub struct Cli {
    pub common: Common,
    pub command: Command,
}

// The options every command takes, before or after the subcommand's name. (A doc comment here would
// become the about text of every command it is added to.)
#[derive(Debug, Args)]
#[group(skip)]
pub struct Common {
    /// Language of messages and labels [default: from ERRBOOK_LANG, LANGUAGE, LC_ALL, LC_MESSAGES, LANG; else en]
    #[arg(long, value_name = "LANG",
          value_parser = PossibleValuesParser::new(["en", "ko", "ja"]).map(|s| Lang::from_code(&s).unwrap_or(Lang::En)))]
    pub lang: Option<Lang>,

    /// Output format [default: table on a terminal, plain when piped]
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<Format>,

    /// When to use colour (NO_COLOR and CLICOLOR_FORCE are honoured with auto)
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Load a user catalog: a TOML file, or a folder of them (repeatable; after ERRBOOK_CATALOG_PATH and
    /// ~/.config/errbook/catalogs, so it overrides them)
    #[arg(long = "catalog-file", value_name = "PATH", value_hint = clap::ValueHint::AnyPath,
          value_parser = clap::value_parser!(PathBuf))]
    pub catalog_files: Vec<PathBuf>,

    /// Stop with an error when a user catalog is broken, instead of warning and skipping it
    #[arg(long)]
    pub strict: bool,

    /// Parse user catalogs without reading or writing the cache (~/.cache/errbook)
    #[arg(long)]
    pub no_cache: bool,
}

impl Common {
    /// No option given.
    fn none() -> Common {
        Common {
            lang: None,
            format: None,
            color: ColorChoice::Auto,
            catalog_files: Vec::new(),
            strict: false,
            no_cache: false,
        }
    }

    /// These options given before the subcommand's name, then `after` given after it: a value given
    /// after wins, catalog files add up, a flag is set when either sets it. `--color` has a default, so
    /// `color_after` tells whether it was given after.
    fn then(self, after: Common, color_after: bool) -> Common {
        let mut catalog_files = self.catalog_files;
        catalog_files.extend(after.catalog_files);
        Common {
            lang: after.lang.or(self.lang),
            format: after.format.or(self.format),
            color: if color_after { after.color } else { self.color },
            catalog_files,
            strict: self.strict || after.strict,
            no_cache: self.no_cache || after.no_cache,
        }
    }
}

impl CommandFactory for Cli {
    fn command() -> clap::Command {
        root(&SUBCOMMANDS, true)
    }

    fn command_for_update() -> clap::Command {
        Self::command()
    }
}

impl Cli {
    /// Parses `args` (the program's name first).
    ///
    /// When the first argument names a subcommand, clap reads the rest as that subcommand's arguments and
    /// never looks at the other subcommands, nor at the root's options, which could only have come before
    /// it: so the root is built with that subcommand alone and without the common options (the
    /// subcommand has its own copy). The rest of the interface, even as bare names and help lines, was
    /// most of what a lookup spent in clap. Any other command line gets the whole interface, for the
    /// root's help, suggestions and errors.
    ///
    /// clap's tree of the interface is needed only while parsing; freeing it, piece by piece, would cost
    /// more than the lookup, just before the process exits and the system takes the memory back anyway.
    /// So it is left allocated.
    pub fn parse_args(args: Vec<std::ffi::OsString>) -> Result<Cli, clap::Error> {
        use std::mem::ManuallyDrop;
        let first = args.get(1).and_then(|a| a.to_str());
        let only = SUBCOMMANDS.iter().find(|s| Some(s.name) == first);
        let common = only.is_none();
        let subcommands = only.map_or(&SUBCOMMANDS[..], std::slice::from_ref);
        let mut command = ManuallyDrop::new(root(subcommands, common));
        let mut matches = ManuallyDrop::new(command.try_get_matches_from_mut(args)?);
        Cli::from_matches(&mut matches, common)
    }

    /// The command line from clap's `matches`, of a root with the common options or (`common` false)
    /// without them.
    fn from_matches(matches: &mut ArgMatches, common: bool) -> Result<Self, clap::Error> {
        let before = if common {
            Common::from_arg_matches_mut(matches)?
        } else {
            Common::none()
        };
        let Some((name, mut sub)) = matches.remove_subcommand() else {
            return Err(clap::Error::raw(
                clap::error::ErrorKind::MissingSubcommand,
                "a command is required",
            ));
        };
        // Read before `Common` takes the value out of the matches.
        let color_given = sub.value_source("color") == Some(ValueSource::CommandLine);
        let after = Common::from_arg_matches_mut(&mut sub)?;
        let command = Command::from_matches(&name, &mut sub)?;
        Ok(Cli {
            common: before.then(after, color_given),
            command,
        })
    }
}

/// The root command with `subcommands`, each with its arguments added only if it is parsed or its help
/// shown, and with the common options when `common`.
fn root(subcommands: &[Subcommand], common: bool) -> clap::Command {
    let cmd = clap::Command::new("errbook")
        .version(env!("CARGO_PKG_VERSION"))
        .about(ABOUT)
        .long_about(LONG_ABOUT)
        .after_help(AFTER_HELP)
        .max_term_width(100)
        .subcommand_required(true)
        .arg_required_else_help(true);
    let cmd = if common {
        Common::augment_args(cmd)
    } else {
        cmd
    };
    cmd.subcommands(subcommands.iter().map(|sub| {
        clap::Command::new(sub.name)
            .about(sub.about)
            .defer(sub.build)
    }))
}

impl FromArgMatches for Cli {
    fn from_arg_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
        Self::from_arg_matches_mut(&mut matches.clone())
    }

    fn from_arg_matches_mut(matches: &mut ArgMatches) -> Result<Self, clap::Error> {
        Cli::from_matches(matches, true)
    }

    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(matches)?;
        Ok(())
    }
}

impl Parser for Cli {}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// A subcommand as the root knows it before it is parsed: its name, its one-line help, how to add its
/// arguments and long help, and how to read them back.
struct Subcommand {
    name: &'static str,
    about: &'static str,
    build: fn(clap::Command) -> clap::Command,
    parse: fn(&mut ArgMatches) -> Result<Command, clap::Error>,
}

/// `Common` comes after the subcommand's own arguments, so its help lists them first.
fn with<A: Args>(cmd: clap::Command, after_help: &'static str) -> clap::Command {
    Common::augment_args(A::augment_args(cmd.after_help(after_help)))
}

const LOOKUP_HELP: &str = "\
Examples:
  errbook lookup 7011
  errbook lookup CHANNEL_NOT_FOUND network_connection_failure
  errbook lookup pallycon:7011 livestation:channel_not_found
  errbook lookup 73xx                     x stands for one digit
  errbook lookup 'network_*'              * for any run, ? for one character
  errbook lookup 7300-7317                a numeric range, inclusive
  printf '7011\\n7012\\n' | errbook lookup -
  echo '{\"code\": 40013, \"message\": \"Key not found\"}' | errbook lookup -

A code defined by several catalogs shows every match, catalog by catalog.

What - reads from standard input, decided once for the whole input:
  a JSON document ({ or [) or XML (<) holding an error object: the codes it carries (SKMS
    {\"code\": 40013, ...}, Adobe Pass error objects at the top level or per item, <error>...</error>,
    NCP errorCode bodies, any object with code or errorCode beside a message);
  else, when every non-blank line is one query token: one query per line;
  else free text, scanned as by errbook scan.

Exit status: 0 when every query found something, 1 when one found nothing (with suggestions on
stderr) or standard input was empty.";

const SEARCH_HELP: &str = "\
Examples:
  errbook search token
  errbook search token expired            every word must match
  errbook search 토큰
  errbook search 재생 기간
  errbook search キーボルト
  errbook search --limit 5 widevine

Ranking: exact code or name, then prefix, then all words found in the text, then fuzzy matches.";

const LIST_HELP: &str = "\
Examples:
  errbook list
  errbook list --catalog skms
  errbook list --domain fairplay --lang ko
  errbook list --action retry --format json
  errbook list --http 429";

const EXPLAIN_HELP: &str = "\
Examples:
  errbook explain 7011
  errbook explain 7011 --lang ja
  errbook explain network_connection_failure
  errbook explain livestation:CHANNEL_NOT_FOUND --format json
  curl -s \"$URL\" | errbook explain -       explain the codes of an error body
  errbook explain - < ticket.txt          free text is scanned for codes

A query that matches several entries (a code two catalogs define, a wildcard) explains each.
With a body, the body's own fields (status, message, detail, trace, helpUrl, action) are shown above
each explanation, with a note when its status is not the one the catalog gives.

What - reads from standard input, decided once for the whole input:
  a JSON document ({ or [) or XML (<) holding an error object: the codes it carries (SKMS
    {\"code\": 40013, ...}, Adobe Pass error objects at the top level or per item, <error>...</error>,
    NCP errorCode bodies, any object with code or errorCode beside a message);
  else, when every non-blank line is one query token: one query per line;
  else free text, scanned as by errbook scan.";

const SCAN_HELP: &str = "\
Examples:
  errbook scan app.log
  errbook scan app.log license.log --format json
  kubectl logs drm-proxy | errbook scan
  errbook scan - < ticket.txt --format ndjson | jq -r '.entry.code'

Names (CHANNEL_NOT_FOUND, network_connection_failure) are found anywhere as whole words, in any
case. Numbers count only where the text marks them as codes: \"code\": 7011, errorCode=250100,
error 7011, [40013]. Timestamps, sizes, addresses and ports are left alone; three-digit codes (API
Gateway's, which look like HTTP statuses) only after errorCode or error_code.
The input is read line by line in bounded memory (lines over 1 MiB are read in pieces).
Exit status: 0 when a code was found, 1 when none was (or the input was empty), 2 when a file cannot
be read.";

const CATALOGS_HELP: &str = "\
Examples:
  errbook catalogs
  errbook catalogs --format json | jq -r '.catalogs[].id'";

const VALIDATE_HELP: &str = "\
Examples:
  errbook validate my-platform.toml
  errbook validate ~/.config/errbook/catalogs/
  errbook validate --format json acme.toml | jq '.files[].problems'

Files are checked with the rules of the built-in catalogs. A file whose catalog id is that of a built-in
catalog extends it, and may use its domains, lists and codes. Files are checked in the order given, and
each may extend the ones before it.
Exit status: 0 when every file is clean, 2 when one has a problem.";

const COMPLETIONS_HELP: &str = "\
Examples:
  bash:       errbook completions bash > ~/.local/share/bash-completion/completions/errbook
  zsh:        errbook completions zsh > ~/.zfunc/_errbook   (with fpath+=(~/.zfunc) before compinit)
  fish:       errbook completions fish > ~/.config/fish/completions/errbook.fish
  PowerShell: errbook completions powershell >> $PROFILE
  elvish:     errbook completions elvish >> ~/.config/elvish/rc.elv

The script asks errbook for candidates at each TAB, so codes, names, catalogs, domains and actions
are always those of the catalogs errbook has. Open a new shell after installing.";

const MAN_HELP: &str = "\
Examples:
  errbook man | man -l -
  errbook man > ~/.local/share/man/man1/errbook.1";

/// `name` when it is the name of a subcommand.
pub fn subcommand_named(name: &str) -> Option<&'static str> {
    SUBCOMMANDS.iter().map(|s| s.name).find(|n| *n == name)
}

/// The subcommands, in the order `errbook --help` lists them.
const SUBCOMMANDS: [Subcommand; 9] = [
    Subcommand {
        name: "lookup",
        about: "Look codes up exactly: a code, a name or alias, catalog:code, a wildcard or a range",
        build: |c| with::<LookupArgs>(c, LOOKUP_HELP),
        parse: |m| Ok(Command::Lookup(LookupArgs::from_arg_matches_mut(m)?)),
    },
    Subcommand {
        name: "search",
        about: "Search codes, names and every language's text, best match first",
        build: |c| with::<SearchArgs>(c, SEARCH_HELP),
        parse: |m| Ok(Command::Search(SearchArgs::from_arg_matches_mut(m)?)),
    },
    Subcommand {
        name: "list",
        about: "List entries, optionally filtered by catalog, domain, action or HTTP status",
        build: |c| with::<ListArgs>(c, LIST_HELP),
        parse: |m| Ok(Command::List(ListArgs::from_arg_matches_mut(m)?)),
    },
    Subcommand {
        name: "explain",
        about: "The whole story of an entry: message, official texts, meaning, what to do, related codes",
        build: |c| with::<ExplainArgs>(c, EXPLAIN_HELP),
        parse: |m| Ok(Command::Explain(ExplainArgs::from_arg_matches_mut(m)?)),
    },
    Subcommand {
        name: "scan",
        about: "Find every known code in logs, tickets or HAR excerpts, with its line and column",
        build: |c| with::<ScanArgs>(c, SCAN_HELP),
        parse: |m| Ok(Command::Scan(ScanArgs::from_arg_matches_mut(m)?)),
    },
    Subcommand {
        name: "catalogs",
        about: "The catalogs errbook knows: id, vendor, entries, official languages, source",
        build: |c| with::<NoArgs>(c, CATALOGS_HELP),
        parse: |_| Ok(Command::Catalogs),
    },
    Subcommand {
        name: "validate",
        about: "Check catalog files: every problem as file:line:column: message",
        build: |c| with::<ValidateArgs>(c, VALIDATE_HELP),
        parse: |m| Ok(Command::Validate(ValidateArgs::from_arg_matches_mut(m)?)),
    },
    Subcommand {
        name: "completions",
        about: "Print the shell completion script for SHELL",
        build: |c| with::<CompletionsArgs>(c, COMPLETIONS_HELP),
        parse: |m| Ok(Command::Completions(CompletionsArgs::from_arg_matches_mut(m)?)),
    },
    Subcommand {
        name: "man",
        about: "Print errbook's manual page (roff)",
        build: |c| with::<NoArgs>(c, MAN_HELP),
        parse: |_| Ok(Command::Man),
    },
];

/// A subcommand with its arguments (what each does: `SUBCOMMANDS`).
#[derive(Debug)]
pub enum Command {
    Lookup(LookupArgs),
    Search(SearchArgs),
    List(ListArgs),
    Explain(ExplainArgs),
    Scan(ScanArgs),
    Catalogs,
    Validate(ValidateArgs),
    Completions(CompletionsArgs),
    Man,
}

impl Command {
    /// The command named `name`, from its matches.
    fn from_matches(name: &str, m: &mut ArgMatches) -> Result<Command, clap::Error> {
        match SUBCOMMANDS.iter().find(|s| s.name == name) {
            Some(sub) => (sub.parse)(m),
            None => Err(clap::Error::raw(
                clap::error::ErrorKind::InvalidSubcommand,
                format!("unrecognized subcommand '{name}'"),
            )),
        }
    }

    /// Whether the command shows catalog text: the others load no user catalog and need no language.
    pub fn reads_catalogs(&self) -> bool {
        !matches!(
            self,
            Command::Completions(_) | Command::Man | Command::Validate(_)
        )
    }
}

// The arguments of a subcommand that takes none but the common options.
#[derive(Debug, Args)]
#[group(skip)]
struct NoArgs {}

// The arguments of `errbook lookup`.
#[derive(Debug, Args)]
#[group(skip)]
pub struct LookupArgs {
    /// Codes, names, aliases, catalog:code, wildcards (73xx) or ranges (7300-7317); - reads standard input
    #[arg(required = true, value_name = "QUERY", add = ArgValueCompleter::new(complete::queries))]
    pub queries: Vec<String>,
}

// The arguments of `errbook search`.
#[derive(Debug, Args)]
#[group(skip)]
pub struct SearchArgs {
    /// Words to look for (in any language)
    #[arg(required = true, value_name = "TEXT")]
    pub text: Vec<String>,
    /// At most this many results
    #[arg(long, default_value_t = 20, value_name = "N")]
    pub limit: usize,
}

// The arguments of `errbook list`.
#[derive(Debug, Args)]
#[group(skip)]
pub struct ListArgs {
    /// Only this catalog (see `errbook catalogs`)
    #[arg(long, value_name = "ID", add = ArgValueCandidates::new(complete::catalogs))]
    pub catalog: Option<String>,
    /// Only this domain (for example fairplay, widevine, playready, channel)
    #[arg(long, value_name = "ID", add = ArgValueCandidates::new(complete::domains))]
    pub domain: Option<String>,
    /// Only this recommended action (for example retry, configuration, fix-request)
    #[arg(long, value_name = "ACTION", add = ArgValueCandidates::new(complete::actions))]
    pub action: Option<String>,
    /// Only this HTTP status
    #[arg(long, value_name = "STATUS")]
    pub http: Option<u16>,
}

// The arguments of `errbook explain`.
#[derive(Debug, Args)]
#[group(skip)]
pub struct ExplainArgs {
    /// Code or name (same forms as lookup); - reads standard input
    #[arg(required = true, value_name = "CODE|NAME", add = ArgValueCompleter::new(complete::queries))]
    pub queries: Vec<String>,
}

// The arguments of `errbook scan`.
#[derive(Debug, Args)]
#[group(skip)]
pub struct ScanArgs {
    /// Files to read; - or none reads standard input
    #[arg(value_name = "FILE", value_hint = clap::ValueHint::FilePath)]
    pub files: Vec<std::path::PathBuf>,
}

// The arguments of `errbook validate`.
#[derive(Debug, Args)]
#[group(skip)]
pub struct ValidateArgs {
    /// Catalog files, or folders of *.toml files
    #[arg(required = true, value_name = "FILE", value_hint = clap::ValueHint::AnyPath,
          value_parser = clap::value_parser!(PathBuf))]
    pub files: Vec<PathBuf>,
}

// The arguments of `errbook completions`.
#[derive(Debug, Args)]
#[group(skip)]
pub struct CompletionsArgs {
    /// The shell to write the script for
    #[arg(value_enum)]
    pub shell: Shell,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn clap_definition_is_consistent() {
        Cli::command().debug_assert();
        for sub in SUBCOMMANDS {
            root(std::slice::from_ref(&sub), false).debug_assert();
        }
    }

    /// What comes of a command line: the parsed `Cli`, or the error with its kind and its text as
    /// printed (help and version included), styles and all.
    fn outcome(parsed: Result<Cli, clap::Error>) -> String {
        match parsed {
            Ok(cli) => format!("{cli:?}"),
            Err(e) => format!("{:?}\n{}", e.kind(), e.render().ansi()),
        }
    }

    /// The whole interface's reading of `args`.
    fn whole(args: &[&str]) -> Result<Cli, clap::Error> {
        let mut m = Cli::command().try_get_matches_from(args)?;
        Cli::from_arg_matches_mut(&mut m)
    }

    /// A command line that starts with a subcommand is parsed by the root built with that subcommand
    /// alone exactly as by the whole interface: same values, same errors, same help, word for word.
    #[test]
    fn one_subcommand_parses_as_the_whole_interface() {
        let tails: &[&[&str]] = &[
            &[],
            &["--help"],
            &["-h"],
            &["--version"],
            &["help"],
            &["7011"],
            &[
                "7011",
                "CHANNEL_NOT_FOUND",
                "--lang",
                "ko",
                "--format",
                "json",
            ],
            &["--bogus"],
            &["--lan", "ko", "x"],
            &["--lang"],
            &["--format", "xml", "x"],
            &["--color", "always", "x", "--color=never"],
            &["x", "--catalog-file", "a.toml", "--strict", "--no-cache"],
            &["--", "--not-an-option"],
            &[
                "--catalog",
                "nope",
                "--domain",
                "fairplay",
                "--action",
                "retry",
            ],
            &["--http", "403", "--limit", "3"],
            &["--http", "not-a-number"],
            &["bash"],
            &["tcsh"],
            &["lookup", "7011"],
        ];
        let (mut parsed, mut failed) = (0, 0);
        for sub in SUBCOMMANDS {
            for tail in tails {
                let args: Vec<&str> = ["errbook", sub.name].iter().chain(*tail).copied().collect();
                let os: Vec<std::ffi::OsString> = args.iter().map(Into::into).collect();
                let whole = whole(&args);
                let ok = whole.is_ok();
                assert_eq!(outcome(Cli::parse_args(os)), outcome(whole), "{args:?}");
                if ok {
                    parsed += 1;
                } else {
                    failed += 1;
                }
            }
        }
        // Both occur: command lines that parse, and ones that fail.
        assert!(
            parsed > 10 && failed > 10,
            "{parsed} parsed, {failed} failed"
        );
        // A command line that does not start with a subcommand is read by the whole interface.
        for args in [
            &["errbook", "--lang", "ko", "lookup", "7011", "--lang", "ja"][..],
            &[
                "errbook",
                "--color",
                "never",
                "--catalog-file",
                "a",
                "list",
                "--catalog-file",
                "b",
            ],
            &["errbook", "--help"],
            &["errbook", "lookp"],
            &["errbook"],
        ] {
            let os: Vec<std::ffi::OsString> = args.iter().map(Into::into).collect();
            assert_eq!(
                outcome(Cli::parse_args(os)),
                outcome(whole(args)),
                "{args:?}"
            );
        }
    }

    /// Command lines put together from the interface's own words (and a few others), some of them
    /// nonsense: parsed one way or the other, they come out the same.
    mod any_command_line {
        use super::*;
        use proptest::prelude::*;

        const WORDS: &[&str] = &[
            "lookup",
            "search",
            "list",
            "explain",
            "scan",
            "catalogs",
            "validate",
            "completions",
            "man",
            "help",
            "--lang",
            "--lang=ja",
            "ko",
            "xx",
            "--format",
            "--format=json",
            "json",
            "ndjson",
            "table",
            "xml",
            "--color",
            "always",
            "never",
            "--catalog-file",
            "a.toml",
            "--strict",
            "--no-cache",
            "--domain",
            "fairplay",
            "--catalog",
            "skms",
            "--action",
            "retry",
            "--http",
            "403",
            "--limit",
            "3",
            "-",
            "--",
            "-h",
            "--help",
            "-V",
            "--version",
            "7011",
            "bash",
            "--bogus",
            "-x",
            "",
        ];

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(512))]
            #[test]
            fn parses_as_the_whole_interface(
                words in proptest::collection::vec(
                    prop_oneof![
                        4 => proptest::sample::select(WORDS).prop_map(str::to_string),
                        1 => "\\PC{0,6}",
                    ],
                    0..7,
                ),
            ) {
                let args: Vec<&str> = std::iter::once("errbook").chain(words.iter().map(String::as_str)).collect();
                let os: Vec<std::ffi::OsString> = args.iter().map(Into::into).collect();
                prop_assert_eq!(outcome(Cli::parse_args(os)), outcome(whole(&args)), "{:?}", args);
            }
        }
    }
}
