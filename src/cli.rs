//! The command line, defined once: help, the man page and the completions come from here.

use crate::catalog::Lang;
use crate::complete::{self, Shell};
use crate::render::Format;
use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand, ValueEnum};
use clap_complete::engine::{ArgValueCandidates, ArgValueCompleter};
use std::ffi::OsString;
use std::path::PathBuf;

const AFTER_HELP: &str = "\
Examples:
  errbook lookup 7011                     a code, in every catalog that defines it
  errbook 7011 7110                       a first word that is no command is a lookup
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
const LONG_ABOUT: &str = "Explains DRM and video-streaming error codes, offline, in English, Korean and Japanese: the \
                          license and key servers and APIs (PallyCon/DoveRunner, Adobe Pass Authentication, SoftCamp \
                          SKMS, NAVER Cloud Live Station and API Gateway) and the player side of the chain (Shaka \
                          Player, Media3/ExoPlayer, Android MediaDrm, hls.js, dash.js, Apple AVFoundation and \
                          FairPlay, PlayReady, the browser's media and EME errors, Google Cast).";

/// The parsed command line: the options every command takes, and the command.
#[derive(Debug, Parser)]
#[command(
    name = "errbook",
    version,
    long_version = include_str!(concat!(env!("OUT_DIR"), "/long-version.txt")),
    about = ABOUT,
    long_about = LONG_ABOUT,
    after_help = AFTER_HELP,
    max_term_width = 100,
    override_usage = "errbook [OPTIONS] <COMMAND>\n       errbook [OPTIONS] <QUERY>...   (short for errbook lookup <QUERY>...)",
    subcommand_required = true,
    arg_required_else_help = true
)]
pub struct Cli {
    #[command(flatten)]
    pub common: Common,
    #[command(subcommand)]
    pub command: Command,
}

impl Cli {
    /// Parses `args` (the program's name first). clap's global options take the values given after the
    /// subcommand's name when both sides give some (clap-rs/clap#1570); `--catalog-file` is repeatable,
    /// so the files named before the name are loaded too, first.
    pub fn parse_args(mut args: Vec<OsString>) -> Result<Cli, clap::Error> {
        let before = catalog_files_before(&args);
        if let Some(at) = implicit_lookup_at(&args) {
            args.insert(at, OsString::from("lookup"));
        }
        // What `Cli::try_parse_from` does, except that the command and the matches are left to the end
        // of the process instead of being dropped here: freeing clap's tree of every subcommand and
        // option was a tenth of what a lookup costs (80,000 instructions).
        let mut command = <Cli as clap::CommandFactory>::command();
        let mut matches = match command.try_get_matches_from_mut(args) {
            Ok(m) => m,
            Err(e) => {
                std::mem::forget(command);
                return Err(e);
            }
        };
        let parsed = <Cli as clap::FromArgMatches>::from_arg_matches_mut(&mut matches);
        std::mem::forget(matches);
        let mut cli = parsed.map_err(|e| e.format(&mut command))?;
        std::mem::forget(command);
        if !before.is_empty() && cli.common.catalog_files != before {
            let after = std::mem::replace(&mut cli.common.catalog_files, before);
            cli.common.catalog_files.extend(after);
        }
        Ok(cli)
    }
}

/// Where `errbook QUERY...` needs `lookup` inserted: the place of the first word after the common
/// options when that word is no subcommand and does not look like a misspelt one (those keep clap's "did
/// you mean"). `errbook 7011`, `errbook -` and `errbook -11800` are lookups; `errbook serch` is an error.
fn implicit_lookup_at(args: &[OsString]) -> Option<usize> {
    let mut at = 1;
    while let Some(w) = args.get(at) {
        let w = w.to_str()?;
        match w {
            "--catalog-file" | "--lang" | "--format" | "--color" => at += 2,
            "-" => return Some(at),
            // A negative number is a code (Apple's -11800), not an option.
            _ if w.starts_with('-') && w[1..].parse::<i64>().is_ok() => return Some(at),
            // Other options, --help and --version included, are clap's to read.
            _ if w.starts_with('-') => at += 1,
            _ => {
                // The derive's own name check: building the whole command is left to the rare word
                // that could be a misspelt command.
                let is_subcommand = w == "help" || <Command as clap::Subcommand>::has_subcommand(w);
                if is_subcommand {
                    return None;
                }
                let looks_misspelt = w.len() >= 3
                    && w.bytes().all(|b| b.is_ascii_lowercase())
                    && <Cli as clap::CommandFactory>::command()
                        .get_subcommands()
                        .any(|s| {
                            let name = s.get_name();
                            strsim::levenshtein(w, name) <= 2
                                || (w.len() >= 3 && name.starts_with(w))
                        });
                return (!looks_misspelt).then_some(at);
            }
        }
    }
    None
}

/// The `--catalog-file` values before the subcommand's name: the words up to the first that is neither
/// an option nor an option's value.
fn catalog_files_before(args: &[OsString]) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut words = args.iter().skip(1);
    while let Some(w) = words.next() {
        if w == "--catalog-file" {
            files.extend(words.next().map(PathBuf::from));
        } else if let Some(v) = w.to_str().and_then(|w| w.strip_prefix("--catalog-file=")) {
            files.push(PathBuf::from(v));
        } else if w == "--lang" || w == "--format" || w == "--color" {
            words.next();
        } else if !(w
            .to_str()
            .is_some_and(|w| w.starts_with("--") && w.len() > 2))
        {
            break;
        }
    }
    files
}

/// The options every command takes, before or after the subcommand's name (clap's `global`): `errbook
/// --lang ko lookup 7011` and `errbook lookup 7011 --lang ko` mean the same. An option given on both
/// sides takes its value from after the subcommand's name, except `--catalog-file`, whose files add up
/// (see [`Cli::parse_args`]).
///
/// clap copies a global option into each subcommand with its place in the root's list; starting that
/// list at 100 keeps a subcommand's own options (numbered from 0) above these in its help.
#[derive(Debug, Args)]
#[group(skip)]
#[command(next_display_order = 100)]
pub struct Common {
    /// Language of messages and labels [default: from ERRBOOK_LANG, LANGUAGE, LC_ALL, LC_MESSAGES, LANG; else en]
    #[arg(long, global = true, value_name = "LANG", ignore_case = true,
          value_parser = PossibleValuesParser::new(["en", "ko", "ja"])
              .map(|s| Lang::from_code(&s.to_ascii_lowercase()).unwrap_or(Lang::En)))]
    pub lang: Option<Lang>,

    /// Output format [default: table on a terminal, plain when piped]
    #[arg(long, global = true, value_enum, value_name = "FORMAT")]
    pub format: Option<Format>,

    /// When to use colour (NO_COLOR and CLICOLOR_FORCE are honoured with auto)
    #[arg(long, global = true, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Load a user catalog: a TOML file, or a folder of them (repeatable; after ERRBOOK_CATALOG_PATH and
    /// ~/.config/errbook/catalogs, so it overrides them)
    #[arg(long = "catalog-file", global = true, value_name = "PATH", value_hint = clap::ValueHint::AnyPath,
          value_parser = clap::value_parser!(PathBuf))]
    pub catalog_files: Vec<PathBuf>,

    /// Stop with an error when a user catalog is broken, instead of warning and skipping it
    #[arg(long, global = true)]
    pub strict: bool,

    /// Parse user catalogs without reading or writing the cache (~/.cache/errbook)
    #[arg(long, global = true)]
    pub no_cache: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// A subcommand with its arguments, in the order `errbook --help` lists them.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Look codes up exactly: a code, a name or alias, catalog:code, a wildcard or a range
    #[command(after_help = LOOKUP_HELP)]
    Lookup(LookupArgs),
    /// Search codes, names and every language's text, best match first
    #[command(after_help = SEARCH_HELP)]
    Search(SearchArgs),
    /// List entries, optionally filtered by catalog, domain, action or HTTP status
    #[command(after_help = LIST_HELP)]
    List(ListArgs),
    /// The whole story of an entry: message, official texts, meaning, what to do, related codes
    #[command(after_help = EXPLAIN_HELP)]
    Explain(ExplainArgs),
    /// Find every known code in logs, tickets or HAR excerpts, with its line and column
    #[command(after_help = SCAN_HELP)]
    Scan(ScanArgs),
    /// The catalogs errbook knows: id, vendor, entries, official languages, source
    #[command(after_help = CATALOGS_HELP)]
    Catalogs,
    /// Check catalog files: every problem as file:line:column: message
    #[command(after_help = VALIDATE_HELP)]
    Validate(ValidateArgs),
    /// Print the shell completion script for SHELL
    #[command(after_help = COMPLETIONS_HELP)]
    Completions(CompletionsArgs),
    /// Print errbook's manual page (roff)
    #[command(after_help = MAN_HELP)]
    Man,
}

impl Command {
    /// Whether the command shows catalog text: the others load no user catalog and need no language.
    pub fn reads_catalogs(&self) -> bool {
        !matches!(
            self,
            Command::Completions(_) | Command::Man | Command::Validate(_)
        )
    }
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
  errbook search token expired
  errbook search 만료된 토큰               Korean particles and endings need not match
  errbook search 期限切れ
  errbook search license server says device revoked
  errbook search widevin                  a typo is read as the nearest word
  errbook search --limit 5 --format json rate limit

How it matches: a query equal to a code, name or alias scores 100; one that begins one, 81-90. Otherwise
every entry is ranked with BM25F over its code, name and aliases (weight 3), its messages in every
language (weight 2), its domain's title, vendor, product and HTTP status (weight 1), and its description
and hint (weight 0.25): rare words count more, short fields more than long ones, and not every word has to match.
Words are folded (Unicode NFKC, case, `_` and `-` as spaces) and lightly stemmed (expired = expire);
Korean and Japanese are matched by character pairs, so 만료된 finds 만료되었습니다, and a katakana
word (キー) counts less inside a longer one (スキーム). A word of the glossary (catalog/glossary.toml,
and the [[glossary]] tables of user catalogs) also finds its translations and transliterations
(토큰 = token = トークン), weighted below the word as typed. A Latin word no entry has is read as the
nearest words of the index, with a penalty. The score (0-100) is 89 × the share of the query's weight
the entry matched; ties go to the entry that matched in a better field, then to catalog order. With
--format json, each result's `matched` names the fields and terms that matched.";

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

/// The arguments of `errbook lookup`.
#[derive(Debug, Args)]
#[group(skip)]
pub struct LookupArgs {
    /// Codes, names, aliases, catalog:code, wildcards (73xx) or ranges (7300-7317); - reads standard input
    #[arg(required = true, value_name = "QUERY", allow_negative_numbers = true,
          add = ArgValueCompleter::new(complete::queries))]
    pub queries: Vec<String>,
}

/// The arguments of `errbook search`.
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

/// The arguments of `errbook list`.
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

/// The arguments of `errbook explain`.
#[derive(Debug, Args)]
#[group(skip)]
pub struct ExplainArgs {
    /// Code or name (same forms as lookup); - reads standard input
    #[arg(required = true, value_name = "CODE|NAME", allow_negative_numbers = true,
          add = ArgValueCompleter::new(complete::queries))]
    pub queries: Vec<String>,
}

/// The arguments of `errbook scan`.
#[derive(Debug, Args)]
#[group(skip)]
pub struct ScanArgs {
    /// Files to read; - or none reads standard input
    #[arg(value_name = "FILE", value_hint = clap::ValueHint::FilePath)]
    pub files: Vec<std::path::PathBuf>,
}

/// The arguments of `errbook validate`.
#[derive(Debug, Args)]
#[group(skip)]
pub struct ValidateArgs {
    /// Catalog files, or folders of *.toml files
    #[arg(required = true, value_name = "FILE", value_hint = clap::ValueHint::AnyPath,
          value_parser = clap::value_parser!(PathBuf))]
    pub files: Vec<PathBuf>,
}

/// The arguments of `errbook completions`.
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
    }

    fn parse(args: &[&str]) -> Cli {
        Cli::try_parse_from(std::iter::once("errbook").chain(args.iter().copied()))
            .unwrap_or_else(|e| panic!("{args:?}: {e}"))
    }

    /// Where the common options are given does not matter; given on both sides, the later side wins,
    /// and flags count from either side.
    #[test]
    fn common_options_before_and_after_the_subcommand() {
        let before = parse(&[
            "--lang", "ko", "--color", "never", "--strict", "lookup", "7011",
        ]);
        let after = parse(&[
            "lookup", "7011", "--lang", "ko", "--color", "never", "--strict",
        ]);
        for cli in [&before, &after] {
            assert_eq!(cli.common.lang, Some(Lang::Ko));
            assert_eq!(cli.common.color, ColorChoice::Never);
            assert!(cli.common.strict && !cli.common.no_cache);
        }
        let both = parse(&[
            "--lang", "ko", "--color", "never", "lookup", "--lang", "ja", "7011",
        ]);
        assert_eq!(both.common.lang, Some(Lang::Ja));
        // --color has a default; the one given before is not overridden by the default after.
        assert_eq!(both.common.color, ColorChoice::Never);
    }

    /// Catalog files named before and after the subcommand's name all load, those before first, though
    /// clap alone keeps only those after (clap-rs/clap#1570).
    #[test]
    fn catalog_files_before_and_after_the_subcommand_add_up() {
        let files = |args: &[&str]| {
            let argv = std::iter::once("errbook").chain(args.iter().copied());
            Cli::parse_args(argv.map(OsString::from).collect())
                .unwrap()
                .common
                .catalog_files
        };
        let paths = |names: &[&str]| names.iter().map(PathBuf::from).collect::<Vec<_>>();
        let given = ["--catalog-file", "a", "--catalog-file=b", "catalogs"];
        assert_eq!(files(&given), paths(&["a", "b"]));
        assert_eq!(files(&["catalogs", "--catalog-file", "c"]), paths(&["c"]));
        let given = [
            "--catalog-file",
            "a",
            "--lang",
            "ko",
            "catalogs",
            "--catalog-file",
            "c",
        ];
        assert_eq!(files(&given), paths(&["a", "c"]));
        let given = [
            "--strict",
            "--catalog-file=a",
            "lookup",
            "--catalog-file",
            "c",
            "--",
            "--catalog-file",
        ];
        assert_eq!(files(&given), paths(&["a", "c"]));
        // A value that looks like the option is a value.
        let given = ["--lang", "ko", "lookup", "7011"];
        assert!(files(&given).is_empty());
    }
}
