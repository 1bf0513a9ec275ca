//! The manual page, generated from the same clap definition as `--help` and the completions: one page,
//! `errbook(1)`, with every command, its options and its examples, so that nothing refers to a page
//! that is not installed.
//!
//! clap_mangen writes the title, name, description and the option lists; the synopsis, the commands'
//! sections and the examples are written here, since clap_mangen would refer to one page per command
//! (`errbook-lookup(1)`) and fills example lines into one paragraph.

use crate::cli::Cli;
use clap::CommandFactory;
use clap_mangen::Man;
use std::io::{self, Write};

/// Sections clap does not know: exit status, environment, files, and where the JSON contract lives.
const EXTRA: &str = r#".SH "EXIT STATUS"
.TP
\fB0\fR
Found: every query of \fBlookup\fR and \fBexplain\fR found an entry; \fBsearch\fR, \fBlist\fR and
\fBscan\fR found something; \fBvalidate\fR found no problem.
.TP
\fB1\fR
Nothing found. \fBno entry for "\fIQUERY\fB"\fR and up to five suggestions are written to standard error.
.TP
\fB2\fR
Bad input: a usage error, a file that cannot be read, a catalog with a problem (\fBvalidate\fR,
\fB\-\-strict\fR), or output that could not be written; one line on standard error.
A closed pipe (\fBerrbook list | head \-1\fR) is not an error.
.SH ENVIRONMENT
.TP
\fBERRBOOK_LANG\fR, \fBLANGUAGE\fR, \fBLC_ALL\fR, \fBLC_MESSAGES\fR, \fBLANG\fR
The language when \fB\-\-lang\fR is not given, read in this order; an empty variable counts as unset.
\fBko_KR.UTF\-8\fR means Korean, \fBC\fR and \fBPOSIX\fR mean English; default English.
\fBLANGUAGE\fR may list several languages (\fBfr:ja:en\fR): the first that errbook has is used.
.TP
\fBERRBOOK_CATALOG_PATH\fR
User catalogs to load after those of the configuration folder: files or folders of \fB*.toml\fR files,
separated by \fB:\fR. Each must exist.
.TP
\fBXDG_CONFIG_HOME\fR
The configuration folder; user catalogs are read from \fB$XDG_CONFIG_HOME/errbook/catalogs/\fR
(default \fB~/.config\fR).
.TP
\fBXDG_CACHE_HOME\fR
The cache folder; user catalogs are kept ready to use in \fB$XDG_CACHE_HOME/errbook/\fR
(default \fB~/.cache\fR).
.TP
\fBHOME\fR
Where \fB~/.config\fR and \fB~/.cache\fR are, when the XDG variables are not set.
.TP
\fBNO_COLOR\fR
When set and not empty, no colour with \fB\-\-color auto\fR.
.TP
\fBCLICOLOR_FORCE\fR
When set and not \fB0\fR, colour even when not writing to a terminal (with \fB\-\-color auto\fR).
.TP
\fBCOLUMNS\fR
Width for tables and wrapping (at least 20), overriding the terminal's; 100 when neither is known.
.TP
\fBCOMPLETE\fR
Set by the completion scripts: errbook then answers a completion request instead of running a command.
.SH FILES
.TP
\fB~/.config/errbook/catalogs/*.toml\fR
User catalogs, loaded by every command that reads catalogs. A file whose catalog id is that of a
built-in catalog extends it. The format is described in README.md; \fBerrbook validate\fR checks a file.
.TP
\fB~/.cache/errbook/\fR
User catalogs in their stored form, rebuilt when a file changes; safe to delete
(\fB\-\-no\-cache\fR leaves it alone).
.SH "JSON OUTPUT"
\fB\-\-format json\fR and \fB\-\-format ndjson\fR follow a versioned contract (\fBschema_version\fR 1):
every key of every entry is always present. The contract is documented in the section
"JSON contract" of README.md in errbook's source.
"#;

/// Text for roff: backslashes and hyphens escaped, a line never starting with a control character, and
/// characters outside ASCII written as `\[uXXXX]`, which every roff reads whatever its input encoding.
fn escape(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    if line.starts_with(['.', '\'']) {
        out.push_str("\\&");
    }
    for c in line.chars() {
        match c {
            '\\' => out.push_str("\\e"),
            '-' => out.push_str("\\-"),
            // Typewriter quotes, so that examples copied from the page still work.
            '\'' => out.push_str("\\(aq"),
            '`' => out.push_str("\\(ga"),
            c if c.is_ascii() => out.push(c),
            c => out.push_str(&format!("\\[u{:04X}]", c as u32)),
        }
    }
    out
}

/// Characters outside ASCII in roff that clap_mangen wrote (as `\[uXXXX]`).
fn escape_non_ascii(roff: &str) -> String {
    let mut out = String::with_capacity(roff.len());
    for c in roff.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            out.push_str(&format!("\\[u{:04X}]", c as u32));
        }
    }
    out
}

/// A help text (`after_help`) as roff: paragraphs at blank lines, a line ending in `:` introduces the
/// indented lines after it, which keep their lines and spacing (examples, lists).
fn help_text(text: &str, out: &mut String) {
    let mut lines = text.lines().peekable();
    let mut in_para = false;
    let mut prev_ends_sentence = false;
    while let Some(line) = lines.next() {
        if line.trim().is_empty() {
            in_para = false;
            continue;
        }
        if line.starts_with(' ') {
            out.push_str(".RS 4\n.nf\n");
            out.push_str(&escape(line.strip_prefix("  ").unwrap_or(line)));
            out.push('\n');
            while let Some(next) = lines.next_if(|l| l.starts_with(' ')) {
                out.push_str(&escape(next.strip_prefix("  ").unwrap_or(next)));
                out.push('\n');
            }
            out.push_str(".fi\n.RE\n");
            in_para = false;
            continue;
        }
        if !in_para {
            out.push_str(".PP\n");
            in_para = true;
        } else if prev_ends_sentence && line.starts_with(|c: char| c.is_uppercase()) {
            // A new sentence on a line of its own in --help (`Exit status: …`) keeps its line.
            out.push_str(".br\n");
        }
        prev_ends_sentence = line.ends_with('.');
        out.push_str(&escape(line));
        out.push('\n');
    }
}

/// The paragraph of a help text that starts with `Examples:`, without that line.
fn examples(text: &str) -> Option<String> {
    let start = text.find("Examples:")?;
    let rest = &text[start + "Examples:".len()..];
    let end = rest.find("\n\n").unwrap_or(rest.len());
    Some(rest[..end].trim_start_matches('\n').to_string())
}

/// `errbook NAME [OPTIONS] ARG...` for a command, from its positional arguments.
fn usage(cmd: &clap::Command, prefix: &str) -> String {
    let mut s = format!("\\fB{}\\fR [\\fIOPTIONS\\fR]", escape(prefix));
    for arg in cmd.get_positionals().filter(|a| !a.is_hide_set()) {
        let name = arg
            .get_value_names()
            .map(|v| v.join(" "))
            .unwrap_or_else(|| arg.get_id().to_string().to_uppercase());
        let many = arg.get_num_args().is_some_and(|n| n.max_values() > 1);
        let dots = if many { "..." } else { "" };
        if arg.is_required_set() {
            s.push_str(&format!(" \\fI{}\\fR{dots}", escape(&name)));
        } else {
            s.push_str(&format!(" [\\fI{}\\fR]{dots}", escape(&name)));
        }
    }
    s
}

/// Roff that clap_mangen wrote for a section, without its `.SH` line and the string definition it repeats
/// before each section.
fn body_of(roff: &[u8]) -> String {
    String::from_utf8_lossy(roff)
        .lines()
        .filter(|l| {
            !l.starts_with(".SH ") && !l.starts_with(".ie \\n(.g") && !l.starts_with(".el .ds Aq")
        })
        .map(|l| format!("{l}\n"))
        .collect()
}

pub fn render(out: &mut dyn Write) -> io::Result<()> {
    let mut root = Cli::command().disable_help_subcommand(true);
    root.build();
    let man = Man::new(root.clone()).date("");
    let commands: Vec<&clap::Command> = root
        .get_subcommands()
        .filter(|c| !c.is_hide_set())
        .collect();
    let globals: Vec<clap::Id> = root
        .get_arguments()
        .filter(|a| a.is_global_set())
        .map(|a| a.get_id().clone())
        .collect();

    let mut head = Vec::new();
    man.render_title(&mut head)?;
    man.render_name_section(&mut head)?;
    let mut s = String::from_utf8_lossy(&head).into_owned();
    // No hyphenation: a reader copies codes, options and paths from the page.
    s = s.replacen("\n.SH NAME", "\n.nh\n.SH NAME", 1);

    s.push_str(".SH SYNOPSIS\n");
    s.push_str(&format!(
        "{} \\fICOMMAND\\fR ...\n",
        usage(&root, "errbook")
    ));
    // A first word that is no command is a lookup (see `Cli::parse_args`).
    s.push_str(
        ".br
",
    );
    s.push_str(&format!(
        "{} \\fIQUERY\\fR...  (short for \\fBerrbook lookup\\fR)\n",
        usage(&root, "errbook")
    ));
    for c in &commands {
        s.push_str(".br\n");
        s.push_str(&usage(c, &format!("errbook {}", c.get_name())));
        s.push('\n');
    }

    let mut description = Vec::new();
    man.render_description_section(&mut description)?;
    s.push_str(&String::from_utf8_lossy(&description));

    s.push_str(
        ".SH OPTIONS\n.PP\nThese options are taken by every command, before or after its name.\n",
    );
    let mut options = Vec::new();
    man.render_options_section(&mut options)?;
    s.push_str(&body_of(&options));

    s.push_str(".SH COMMANDS\n");
    for c in &commands {
        s.push_str(&format!(".SS \"errbook {}\"\n", c.get_name()));
        s.push_str(&usage(c, &format!("errbook {}", c.get_name())));
        s.push_str("\n.PP\n");
        if let Some(about) = c.get_long_about().or_else(|| c.get_about()) {
            s.push_str(&escape(&about.to_string()));
            s.push('\n');
        }
        // Its own options and arguments: the common ones are under OPTIONS, and -h is everywhere.
        let mut own = (*c).clone();
        for id in globals.iter().chain([&clap::Id::from("help")]) {
            if own.get_arguments().any(|a| a.get_id() == id) {
                own = own.mut_arg(id.clone(), |a| a.hide(true));
            }
        }
        if own.get_arguments().any(|a| !a.is_hide_set()) {
            let mut opts = Vec::new();
            Man::new(own).render_options_section(&mut opts)?;
            s.push_str(&body_of(&opts));
        }
        if let Some(after) = c.get_after_long_help().or_else(|| c.get_after_help()) {
            help_text(&after.to_string(), &mut s);
        }
    }

    let root_after = root
        .get_after_long_help()
        .or_else(|| root.get_after_help())
        .map(|h| h.to_string())
        .unwrap_or_default();
    if let Some(ex) = examples(&root_after) {
        s.push_str(".SH EXAMPLES\n.RS 4\n.nf\n");
        for line in ex.lines() {
            s.push_str(&escape(line.strip_prefix("  ").unwrap_or(line)));
            s.push('\n');
        }
        s.push_str(".fi\n.RE\n");
    }
    s.push_str(EXTRA);
    let mut version = Vec::new();
    man.render_version_section(&mut version)?;
    s.push_str(".SH VERSION\n");
    s.push_str(&body_of(&version));
    out.write_all(escape_non_ascii(&s).as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_roff_would_read_as_requests_or_escapes() {
        assert_eq!(escape(".x"), "\\&.x");
        assert_eq!(escape("a\\n-b"), "a\\en\\-b");
        assert_eq!(escape("토"), "\\[uD1A0]");
    }

    #[test]
    fn example_lines_stay_lines() {
        let mut s = String::new();
        help_text(
            "Examples:\n  a 1\n  b  2\n\nText one\nmore.\nExit status: 0.",
            &mut s,
        );
        assert_eq!(
            s,
            ".PP\nExamples:\n.RS 4\n.nf\na 1\nb  2\n.fi\n.RE\n.PP\nText one\nmore.\n.br\nExit status: 0.\n"
        );
    }
}
