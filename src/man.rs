//! The manual page, generated from the same clap definition as `--help` and the completions.

use crate::cli::Cli;
use clap::CommandFactory;
use std::io::{self, Write};

/// Sections clap does not know: exit status, environment, and where the JSON contract lives.
const EXTRA: &str = r#".SH "EXIT STATUS"
.TP
\fB0\fR
Found: every query of \fBlookup\fR and \fBexplain\fR found an entry; \fBsearch\fR and \fBlist\fR found something.
.TP
\fB1\fR
Nothing found. \fBno entry for "\fIQUERY\fB"\fR and up to five suggestions are written to standard error.
.TP
\fB2\fR
Usage or input error, or the output could not be written; one line on standard error.
A closed pipe (\fBerrbook list | head -1\fR) is not an error.
.SH ENVIRONMENT
.TP
\fBERRBOOK_LANG\fR, \fBLANGUAGE\fR, \fBLC_ALL\fR, \fBLC_MESSAGES\fR, \fBLANG\fR
The language when \fB\-\-lang\fR is not given, read in this order; an empty variable counts as unset.
\fBko_KR.UTF\-8\fR means Korean, \fBC\fR and \fBPOSIX\fR mean English; default English.
.TP
\fBNO_COLOR\fR
When set and not empty, no colour with \fB\-\-color auto\fR.
.TP
\fBCLICOLOR_FORCE\fR
When set and not \fB0\fR, colour even when not writing to a terminal (with \fB\-\-color auto\fR).
.TP
\fBCOLUMNS\fR
Width for tables and wrapping, overriding the terminal's.
.TP
\fBCOMPLETE\fR
Set by the completion scripts: errbook then answers a completion request instead of running a command.
.SH "JSON OUTPUT"
\fB\-\-format json\fR and \fB\-\-format ndjson\fR follow a versioned contract (\fBschema_version\fR 1):
every key of every entry is always present. The contract is documented in the section
"JSON contract" of README.md in errbook's source.
"#;

pub fn render(out: &mut dyn Write) -> io::Result<()> {
    let man = clap_mangen::Man::new(Cli::command()).date("");
    let mut buf = Vec::new();
    man.render_title(&mut buf)?;
    man.render_name_section(&mut buf)?;
    man.render_synopsis_section(&mut buf)?;
    man.render_description_section(&mut buf)?;
    man.render_options_section(&mut buf)?;
    man.render_subcommands_section(&mut buf)?;
    man.render_extra_section(&mut buf)?;
    buf.extend_from_slice(EXTRA.as_bytes());
    man.render_version_section(&mut buf)?;
    out.write_all(&buf)
}
