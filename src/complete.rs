//! Shell completion, computed by errbook itself at TAB time (clap_complete's dynamic completion), so that
//! it always offers the codes, names, catalogs, domains and actions of the catalogs errbook has.
//!
//! The registration scripts in `completions/` are small: each calls `COMPLETE=<shell> errbook -- <words>`
//! and shows what comes back.

use crate::catalog::actions::ACTIONS;
use crate::catalog::{Book, Lang};
use clap_complete::engine::CompletionCandidate;
use clap_complete::env::Shells;
use std::ffi::OsStr;

/// The environment variable that switches errbook into completion mode.
pub const VAR: &str = "COMPLETE";

/// Shells errbook writes a registration script for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    Powershell,
    Elvish,
}

impl Shell {
    pub fn name(self) -> &'static str {
        match self {
            Shell::Bash => "bash",
            Shell::Zsh => "zsh",
            Shell::Fish => "fish",
            Shell::Powershell => "powershell",
            Shell::Elvish => "elvish",
        }
    }

    /// The file name the script is committed under in `completions/`.
    pub fn file_name(self) -> &'static str {
        match self {
            Shell::Bash => "errbook.bash",
            Shell::Zsh => "_errbook",
            Shell::Fish => "errbook.fish",
            Shell::Powershell => "_errbook.ps1",
            Shell::Elvish => "errbook.elv",
        }
    }
}

/// The registration script for `shell`: what `errbook completions <shell>` prints.
pub fn registration(shell: Shell) -> std::io::Result<Vec<u8>> {
    let shells = Shells::builtins();
    let completer = shells
        .completer(shell.name())
        .ok_or_else(|| std::io::Error::other(format!("no completer for {}", shell.name())))?;
    let mut buf = Vec::new();
    completer.write_registration(VAR, "errbook", "errbook", "errbook", &mut buf)?;
    if shell == Shell::Zsh {
        buf = zsh_autoloadable(buf)?;
    }
    Ok(buf)
}

/// The line clap_complete ends its zsh script with.
const ZSH_COMPDEF: &str = "compdef _clap_dynamic_completer_errbook errbook\n";

/// Makes clap_complete's zsh script work when `compinit` autoloads it from `fpath` (the README's way).
///
/// Autoloaded, the file's text becomes the body of the function `_errbook`, which compsys calls on the
/// first TAB. The script as clap_complete writes it only defines the real completer and registers it
/// with `compdef`, so the first TAB of every shell offers nothing and only the second (now routed to
/// the completer) works. Here, run as `_errbook` (first TAB and every later one that still reaches
/// `_errbook`), the script completes at once; sourced, it registers itself as before.
fn zsh_autoloadable(script: Vec<u8>) -> std::io::Result<Vec<u8>> {
    let text = String::from_utf8(script).map_err(std::io::Error::other)?;
    let Some(head) = text.strip_suffix(ZSH_COMPDEF) else {
        return Err(std::io::Error::other(
            "clap_complete's zsh script no longer ends with its compdef line",
        ));
    };
    Ok(format!(
        "{head}if [[ $funcstack[1] == _errbook ]]; then\n    \
         # Autoloaded by compinit from fpath and called at TAB: complete now.\n    \
         _clap_dynamic_completer_errbook \"$@\"\nelse\n    \
         # Sourced: register the completer for the TABs to come.\n    \
         {ZSH_COMPDEF}fi\n"
    )
    .into_bytes())
}

/// The language of candidate descriptions, from the environment (no flag is parsed at TAB time).
fn lang() -> Lang {
    crate::lang::resolve(None, |k| std::env::var(k).ok()).unwrap_or(Lang::En)
}

/// Characters that must not reach a shell's line editor or completion menu from catalog text: control
/// characters (C0, DEL, C1: escape sequences, line breaks) and the invisible format characters that
/// reorder or hide text (bidi embeddings, overrides and isolates; zero-width spaces and joiners).
fn hidden(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{61c}'
                | '\u{200b}'..='\u{200f}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2060}'..='\u{2069}'
                | '\u{feff}'
        )
}

/// A one-line description, cut to a length a completion menu can show, with hidden characters shown
/// as escapes.
fn short(text: &str) -> String {
    let mut line = String::new();
    for c in crate::render::text::one_line(text).chars() {
        if hidden(c) {
            line.extend(c.escape_unicode());
        } else {
            line.push(c);
        }
    }
    if line.chars().count() <= 60 {
        line
    } else {
        let cut: String = line.chars().take(59).collect();
        format!("{cut}…")
    }
}

/// The catalogs a command would see: built-in, plus the user's from the config folder and
/// ERRBOOK_CATALOG_PATH (flags on the line being completed are not parsed at TAB time). Broken files are
/// skipped without a word: a completion has no place for warnings.
fn book() -> Book {
    let var = |k: &str| std::env::var(k).ok();
    crate::catalog::user::load_book(&crate::catalog::user::Options::new(&[], &var, false)).0
}

/// A candidate, or none when `value` holds a hidden character: such a value cannot be typed, and
/// offering it would hand the shell raw escapes to insert into the command line.
fn candidate(value: &str, help: &str) -> Option<CompletionCandidate> {
    if value.chars().any(hidden) {
        return None;
    }
    Some(CompletionCandidate::new(value.to_string()).help(Some(short(help).into())))
}

pub fn catalogs() -> Vec<CompletionCandidate> {
    book()
        .catalogs
        .iter()
        .filter_map(|c| candidate(&c.id, &c.product))
        .collect()
}

pub fn domains() -> Vec<CompletionCandidate> {
    let lang = lang();
    let mut out: Vec<CompletionCandidate> = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for c in book().catalogs {
        for d in &c.domains {
            if seen.contains(&d.id.as_ref()) {
                continue;
            }
            seen.push(&d.id);
            let title = d.title.pick(lang, &[]).map_or("", |t| t.1);
            out.extend(candidate(&d.id, &format!("{title} ({})", c.id)));
        }
    }
    out
}

pub fn actions() -> Vec<CompletionCandidate> {
    let lang = lang();
    ACTIONS
        .iter()
        .filter_map(|a| candidate(a.id, a.text(lang)))
        .collect()
}

/// Codes and names that start with what was typed, in any case. The candidate takes the case the user
/// typed (`channel_<TAB>` offers `channel_not_found`), since lookups ignore case and shells filter on it.
pub fn queries(current: &OsStr) -> Vec<CompletionCandidate> {
    queries_in(&book(), lang(), current)
}

/// [`queries`] in `book`, described in `lang`.
fn queries_in(book: &Book, lang: Lang, current: &OsStr) -> Vec<CompletionCandidate> {
    let Some(typed) = current.to_str() else {
        return Vec::new();
    };
    let (scope, prefix, qualifier) = match typed.split_once(':') {
        Some((id, rest)) => match book.catalog(id) {
            Some(c) => (Some(c), rest, format!("{id}:")),
            None => return Vec::new(),
        },
        None => (None, typed, String::new()),
    };
    let lower = prefix.to_lowercase();
    let typed_lower = prefix == lower && prefix.chars().any(|c| c.is_alphabetic());
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let starts = |k: &str| k.to_lowercase().starts_with(&lower);
    let found = book.find(|c, row| {
        scope.is_none_or(|s| std::ptr::eq(s, c))
            && std::iter::once(row.code).chain(row.name).any(starts)
    });
    for hit in found {
        let e = hit.entry;
        let help = e.message_in(lang).map_or("", |m| m.1);
        for key in std::iter::once(e.code.as_ref()).chain(e.name.as_deref()) {
            if !starts(key) {
                continue;
            }
            let shown = if typed_lower {
                key.to_lowercase()
            } else {
                key.to_string()
            };
            let value = format!("{qualifier}{shown}");
            if seen.insert(value.clone()) {
                out.extend(candidate(&value, &format!("{} · {help}", hit.catalog.id)));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(c: Vec<CompletionCandidate>) -> Vec<String> {
        c.iter()
            .map(|c| c.get_value().to_string_lossy().into_owned())
            .collect()
    }

    #[test]
    fn query_prefixes_keep_the_typed_case() {
        // The built-in catalogs only: the real environment's user catalogs are not this test's.
        let book = Book::builtin();
        let queries = |typed: &str| values(queries_in(&book, Lang::En, OsStr::new(typed)));
        let v = queries("channel_not");
        assert!(v.contains(&"channel_not_found".to_string()), "{v:?}");
        let v = queries("CHANNEL_NOT");
        assert!(v.contains(&"CHANNEL_NOT_FOUND".to_string()), "{v:?}");
        let v = queries("pallycon:701");
        assert!(v.contains(&"pallycon:7011".to_string()), "{v:?}");
        assert!(queries("nosuch:7").is_empty());
    }

    #[test]
    fn registration_scripts_exist_for_every_shell() {
        for s in <Shell as clap::ValueEnum>::value_variants().iter().copied() {
            let script = String::from_utf8(registration(s).unwrap()).unwrap();
            assert!(script.contains("errbook"), "{}", s.name());
            assert!(script.contains(VAR), "{}", s.name());
        }
    }
}
