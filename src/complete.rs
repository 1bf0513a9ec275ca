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
    Ok(buf)
}

/// The language of candidate descriptions, from the environment (no flag is parsed at TAB time).
fn lang() -> Lang {
    crate::lang::resolve(None, |k| std::env::var(k).ok()).unwrap_or(Lang::En)
}

/// A one-line description, cut to a length a completion menu can show.
fn short(text: &str) -> String {
    let line = crate::render::text::one_line(text);
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

fn candidate(value: &str, help: &str) -> CompletionCandidate {
    CompletionCandidate::new(value.to_string()).help(Some(short(help).into()))
}

pub fn catalogs() -> Vec<CompletionCandidate> {
    book()
        .catalogs
        .iter()
        .map(|c| candidate(&c.id, &c.product))
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
            out.push(candidate(&d.id, &format!("{title} ({})", c.id)));
        }
    }
    out
}

pub fn actions() -> Vec<CompletionCandidate> {
    let lang = lang();
    ACTIONS
        .iter()
        .map(|a| candidate(a.id, a.text(lang)))
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
                out.push(candidate(&value, &format!("{} · {help}", hit.catalog.id)));
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
