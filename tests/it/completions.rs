//! Shell completion and the man page: the committed files in `completions/` are what errbook generates,
//! and real bash, zsh and fish, given the committed scripts, complete what a user expects. Expected
//! candidates come from the compiled catalogs.
//!
//! A shell that is not installed is skipped with a SKIPPED line, except under CI (`CI` set), where `.ci/run`
//! installs bash, zsh and fish and a missing shell is a failure.

use clap::ValueEnum;
use errbook::catalog::builtin;
use errbook::complete::Shell;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common;

fn bin() -> PathBuf {
    common::BIN.into()
}

fn completions_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("completions")
}

fn errbook_output(args: &[&str]) -> Vec<u8> {
    let out = common::std_errbook().args(args).output().unwrap();
    assert!(out.status.success(), "errbook {args:?} failed");
    out.stdout
}

#[test]
fn committed_scripts_and_man_page_are_up_to_date() {
    let mut stale = Vec::new();
    for shell in Shell::value_variants().iter().copied() {
        let path = completions_dir().join(shell.file_name());
        let committed = std::fs::read(&path).unwrap_or_default();
        if committed != errbook_output(&["completions", shell.name()]) {
            stale.push(path.display().to_string());
        }
    }
    let man = completions_dir().join("errbook.1");
    if std::fs::read(&man).unwrap_or_default() != errbook_output(&["man"]) {
        stale.push(man.display().to_string());
    }
    assert!(
        stale.is_empty(),
        "regenerate with `errbook completions <shell>` / `errbook man`: {stale:?}"
    );
}

#[test]
fn man_page_documents_exit_status_environment_and_json() {
    let man = String::from_utf8(errbook_output(&["man"])).unwrap();
    for needle in [
        "EXIT STATUS",
        "ENVIRONMENT",
        "ERRBOOK_LANG",
        "NO_COLOR",
        "JSON contract",
        "README.md",
    ] {
        assert!(man.contains(needle), "man page lacks {needle}");
    }
    let cmd = <errbook::cli::Cli as clap::CommandFactory>::command();
    for sub in cmd.get_subcommands() {
        assert!(
            man.contains(sub.get_name()),
            "man page lacks {}",
            sub.get_name()
        );
    }
}

/// Runs `script` in `shell` with the built errbook first on PATH; None when the shell is missing.
fn in_shell(shell: &str, args: &[&str], script: &str) -> Option<String> {
    let found = Command::new("sh")
        .args(["-c", &format!("command -v {shell}")])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !found {
        common::skip(&format!("{shell} is not installed"));
        return None;
    }
    let dir = bin().parent().unwrap().to_path_buf();
    let path = format!(
        "{}:{}",
        dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    // A clean environment with an empty HOME of its own: no rc file, no user catalog, no COMPLETE.
    let home = tempfile::tempdir().unwrap();
    let out = common::hermetic_home(Command::new(shell), home.path())
        .args(args)
        .arg(script)
        .env("PATH", path)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{shell} failed: {}\n{stdout}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(stdout)
}

/// The candidate values a shell printed (for fish and zsh, the part before the tab or colon).
fn values(output: &str, sep: char) -> BTreeSet<String> {
    output
        .lines()
        .map(|l| l.split(sep).next().unwrap_or("").replace("\\:", ":"))
        .filter(|v| !v.is_empty())
        .collect()
}

fn all_domains() -> BTreeSet<String> {
    builtin()
        .iter()
        .flat_map(|c| c.domains.iter().map(|d| d.id.to_string()))
        .collect()
}

fn keys_starting(prefix: &str) -> BTreeSet<String> {
    builtin()
        .iter()
        .flat_map(|c| c.all())
        .flat_map(|e| std::iter::once(e.code.as_ref()).chain(e.name.as_deref()))
        .filter(|k| k.to_lowercase().starts_with(&prefix.to_lowercase()))
        .map(|k| k.to_lowercase())
        .collect()
}

/// The three cases every shell must get right.
fn cases() -> Vec<(Vec<&'static str>, BTreeSet<String>)> {
    let domains = all_domains();
    for d in ["fairplay", "widevine", "playready"] {
        assert!(domains.contains(d));
    }
    let network = keys_starting("network_");
    assert!(network.contains("network_connection_failure"));
    let seventy = keys_starting("70");
    assert!(seventy.contains("7001") && seventy.contains("7011"));
    vec![
        (vec!["errbook", "list", "--domain", ""], domains),
        (vec!["errbook", "explain", "network_"], network),
        (vec!["errbook", "lookup", "70"], seventy),
    ]
}

#[test]
fn bash_completes_domains_names_and_codes() {
    for (words, expected) in cases() {
        let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
        let line = words.join(" ");
        let script = format!(
            r#"source completions/errbook.bash
COMP_WORDS=({words})
COMP_CWORD={cword}
COMP_LINE='{line}'
COMP_POINT=${{#COMP_LINE}}
COMP_TYPE=9
_clap_complete_errbook errbook '{current}' '{previous}'
printf '%s\n' "${{COMPREPLY[@]}}""#,
            words = quoted.join(" "),
            cword = words.len() - 1,
            current = words[words.len() - 1],
            previous = words[words.len() - 2],
        );
        let Some(out) = in_shell("bash", &["--norc", "--noprofile", "-c"], &script) else {
            return;
        };
        let got: BTreeSet<String> = values(&out, '\t')
            .into_iter()
            .map(|v| v.trim().to_lowercase())
            .collect();
        assert_eq!(got, expected, "bash: {line}");
    }
}

#[test]
fn fish_completes_domains_names_and_codes() {
    for (words, expected) in cases() {
        let line = words.join(" ");
        let script = format!("source completions/errbook.fish; complete -C '{line}'");
        let Some(out) = in_shell("fish", &["--no-config", "-c"], &script) else {
            return;
        };
        let got: BTreeSet<String> = values(&out, '\t')
            .into_iter()
            .map(|v| v.to_lowercase())
            .collect();
        assert_eq!(got, expected, "fish: {line}");
    }
}

#[test]
fn zsh_completes_domains_names_and_codes() {
    // zsh's completion widgets only run inside the line editor; the committed script's function is
    // called with `words` and `CURRENT` set as the editor sets them, and `_describe` (which hands the
    // candidates to compadd) is captured to print what would be offered.
    for (words, expected) in cases() {
        let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
        let script = format!(
            r#"compdef() {{ : }}
source completions/_errbook
_describe() {{ local name=${{@[-1]}}; print -rl -- "${{(@P)name}}" }}
words=({words})
CURRENT={current}
_clap_dynamic_completer_errbook"#,
            words = quoted.join(" "),
            current = words.len(),
        );
        let Some(out) = in_shell("zsh", &["-f", "-c"], &script) else {
            return;
        };
        // zsh lines are value:description, with colons inside the value escaped as \:.
        let got: BTreeSet<String> = out
            .lines()
            .map(|l| {
                let mut value = String::new();
                let mut chars = l.chars();
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => value.extend(chars.next()),
                        ':' => break,
                        c => value.push(c),
                    }
                }
                value.to_lowercase()
            })
            .filter(|v| !v.is_empty())
            .collect();
        assert_eq!(got, expected, "zsh: {}", words.join(" "));
    }
}
