//! User catalogs: every source, extending and overriding a built-in catalog, `validate`, broken files, the
//! cache, and text that tries to drive the terminal.

use assert_cmd::Command;
use errbook::render::{Document, FileCheckJson};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};
use tempfile::TempDir;

use crate::common;
use common::run_with as run;

/// errbook in a neutral environment (see common), with HOME in an empty folder of the test's own.
fn errbook(home: &Path) -> Command {
    common::errbook_home(home)
}

fn json(cmd: &mut Command) -> Document {
    let r = run(cmd.args(["--format", "json"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    serde_json::from_str(&r.stdout)
        .unwrap_or_else(|e| panic!("not the JSON contract: {e}\n{}", r.stdout))
}

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/acme-platform.toml")
}

/// A small new catalog with one entry, `code`, whose English message is `message`.
fn catalog(id: &str, code: &str, message: &str) -> String {
    format!(
        r#"[catalog]
id = "{id}"
vendor = "Test vendor"
product = "Test product"
official_langs = ["en"]
description.en = "A catalog written by a test."

[[domain]]
id = "general"
title.en = "General"

[[entry]]
code = "{code}"
domain = "general"
action = "retry"
official = ["en"]
message.en = "{message}"
"#
    )
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn messages(doc: &Document) -> Vec<(String, String, String, String)> {
    doc.results
        .iter()
        .map(|e| {
            (
                e.catalog.clone(),
                e.code.clone(),
                e.message.clone(),
                e.origin.clone(),
            )
        })
        .collect()
}

#[test]
fn the_example_catalog_is_valid_and_complete() {
    let home = TempDir::new().unwrap();
    let text = std::fs::read_to_string(example()).unwrap();
    let r = run(errbook(home.path()).arg("validate").arg(example()));
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    // Every top-level table and every entry field the format has appears in the example.
    for key in [
        "[catalog]",
        "[[catalog.source]]",
        "[[domain]]",
        "[[list]]",
        "[[entry]]",
        "[[entry.list]]",
        "\nname =",
        "\naliases =",
        "\nhttp_status =",
        "\naction =",
        "\nkind =",
        "\nrelated =",
        "\nofficial =",
        "\nmessage.ko",
        "\nofficial_note.",
        "\ndescription.",
        "\nhint.",
        "\nsource =",
    ] {
        assert!(text.contains(key), "the example does not show {key:?}");
    }
    // Its entries are found by code, name and alias, and say where they come from.
    let doc = json(
        errbook(home.path())
            .arg("--catalog-file")
            .arg(example())
            .args(["lookup", "ACME-2001", "token_missing", "NO_TOKEN"]),
    );
    let codes: Vec<&str> = doc.results.iter().map(|e| e.code.as_str()).collect();
    assert_eq!(codes, ["ACME-2001", "ACME-1001"]);
    assert!(doc
        .results
        .iter()
        .all(|e| e.origin == example().display().to_string()));
}

#[test]
fn every_source_is_read() {
    let home = TempDir::new().unwrap();
    let files = TempDir::new().unwrap();
    let a = write(
        files.path(),
        "a.toml",
        &catalog("src-flag", "F-1", "from the flag"),
    );
    let folder = files.path().join("folder");
    write(
        &folder,
        "b.toml",
        &catalog("src-folder", "D-1", "from a folder"),
    );
    write(&folder, "notes.txt", "not a catalog, not read");
    let e1 = write(
        files.path(),
        "e1.toml",
        &catalog("src-env-one", "E-1", "from the variable"),
    );
    let e2 = write(
        files.path(),
        "e2.toml",
        &catalog("src-env-two", "E-2", "from the variable too"),
    );
    let xdg = files.path().join("xdg");
    write(
        &xdg.join("errbook/catalogs"),
        "c.toml",
        &catalog("src-xdg", "X-1", "from XDG_CONFIG_HOME"),
    );
    write(
        &home.path().join(".config/errbook/catalogs"),
        "h.toml",
        &catalog("src-home", "H-1", "from ~/.config"),
    );

    let found = |cmd: &mut Command, code: &str| -> Vec<String> {
        let doc = json(cmd.args(["lookup", code]));
        doc.results.iter().map(|e| e.message.clone()).collect()
    };
    let flag = |p: &Path| {
        let mut c = errbook(home.path());
        c.arg("--catalog-file").arg(p);
        c
    };
    assert_eq!(found(&mut flag(&a), "F-1"), ["from the flag"]);
    assert_eq!(found(&mut flag(&folder), "D-1"), ["from a folder"]);
    let both = format!("{}:{}", e1.display(), e2.display());
    for code in ["E-1", "E-2"] {
        let got = found(
            errbook(home.path()).env("ERRBOOK_CATALOG_PATH", &both),
            code,
        );
        assert_eq!(got.len(), 1, "{code} from ERRBOOK_CATALOG_PATH");
    }
    // XDG_CONFIG_HOME wins over ~/.config; without it, ~/.config is read.
    assert_eq!(
        found(errbook(home.path()).env("XDG_CONFIG_HOME", &xdg), "X-1"),
        ["from XDG_CONFIG_HOME"]
    );
    let r = run(errbook(home.path())
        .env("XDG_CONFIG_HOME", &xdg)
        .args(["lookup", "H-1"]));
    assert_eq!(
        r.code, 1,
        "~/.config must not be read when XDG_CONFIG_HOME is set"
    );
    assert_eq!(found(&mut errbook(home.path()), "H-1"), ["from ~/.config"]);
    // The catalogs list names each catalog's origin.
    let r = run(errbook(home.path())
        .arg("--catalog-file")
        .arg(&a)
        .args(["catalogs", "--format", "json"]));
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let origin = |id: &str| {
        v["catalogs"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == id)
            .map(|c| c["origin"].clone())
    };
    assert_eq!(
        origin("src-flag"),
        Some(Value::from(a.display().to_string()))
    );
    assert_eq!(
        origin("src-home").and_then(|o| o.as_str().map(|s| s.ends_with("h.toml"))),
        Some(true)
    );
    assert_eq!(origin("pallycon"), Some(Value::from("built-in")));
}

/// Extends pallycon: replaces 7011 (an entry with an existing code adds to it unless it says
/// `replace = true`), adds 9-LOCAL.
const EXTENSION: &str = r#"[catalog]
id = "pallycon"

[[domain]]
id = "team"
title.en = "Our team's codes"

[[entry]]
code = "7011"
replace = true
domain = "token"
action = "fix-request"
official = []
message.en = "Token is expired (our wording)."
hint.en = "See our runbook."

[[entry]]
code = "9-LOCAL"
domain = "team"
action = "contact-vendor"
official = []
message.en = "A code of our own, in the pallycon catalog."
related = ["7011", "7012"]
"#;

#[test]
fn a_user_file_extends_and_overrides_a_built_in_catalog() {
    let home = TempDir::new().unwrap();
    let dir = TempDir::new().unwrap();
    let ext = write(dir.path(), "ext.toml", EXTENSION);
    let shown = ext.display().to_string();
    let before = json(errbook(home.path()).args(["list", "--catalog", "pallycon"]));
    let after = json(errbook(home.path()).arg("--catalog-file").arg(&ext).args([
        "list",
        "--catalog",
        "pallycon",
    ]));
    assert_eq!(after.results.len(), before.results.len() + 1);
    // 7011 keeps its place, with the user's text and origin; the new code comes last; the rest is untouched.
    for (b, a) in before.results.iter().zip(&after.results) {
        assert_eq!(a.code, b.code);
        if a.code == "7011" {
            assert_eq!(a.message, "Token is expired (our wording).");
            assert_eq!(a.origin, shown);
            assert!(a.official_langs.is_empty());
        } else {
            assert_eq!((&a.message, a.origin.as_str()), (&b.message, "built-in"));
        }
    }
    let last = after.results.last().unwrap();
    assert_eq!(
        (last.code.as_str(), last.origin.as_str()),
        ("9-LOCAL", shown.as_str())
    );
    assert_eq!(last.related, ["7011", "7012"]);
    // explain says where the entry comes from; the catalogs list says the catalog is extended.
    let r = run(errbook(home.path())
        .arg("--catalog-file")
        .arg(&ext)
        .args(["explain", "7011", "--format", "plain"]));
    assert!(
        r.stdout.contains("User catalog") && r.stdout.contains(&shown),
        "{}",
        r.stdout
    );
    let r = run(errbook(home.path())
        .arg("--catalog-file")
        .arg(&ext)
        .args(["catalogs", "--format", "json"]));
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let p = v["catalogs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "pallycon")
        .unwrap();
    assert_eq!(p["origin"], "built-in");
    assert_eq!(p["extended_by"], serde_json::json!([shown]));
    assert_eq!(p["domains"].as_array().unwrap().last().unwrap(), "team");
    // The table marks the entry and names the file under it.
    let r = run(errbook(home.path())
        .arg("--catalog-file")
        .arg(&ext)
        .args(["lookup", "9-local", "--format", "table"]));
    assert!(
        r.stdout.contains("pallycon [1]")
            && r.stdout.contains(&format!("[1] User catalog: {shown}")),
        "{}",
        r.stdout
    );
}

#[test]
fn later_sources_override_earlier_ones() {
    let home = TempDir::new().unwrap();
    let dir = TempDir::new().unwrap();
    let env_file = write(
        dir.path(),
        "env.toml",
        &catalog("team", "T-1", "from the variable"),
    );
    let flag_file = write(
        dir.path(),
        "flag.toml",
        &catalog("team", "T-1", "from the flag"),
    );
    let doc = json(
        errbook(home.path())
            .env("ERRBOOK_CATALOG_PATH", &env_file)
            .arg("--catalog-file")
            .arg(&flag_file)
            .args(["lookup", "T-1"]),
    );
    assert_eq!(
        messages(&doc),
        [(
            "team".into(),
            "T-1".into(),
            "from the flag".into(),
            flag_file.display().to_string()
        )]
    );
}

#[test]
fn catalog_files_before_and_after_the_command_are_all_loaded_in_order() {
    let home = TempDir::new().unwrap();
    let dir = TempDir::new().unwrap();
    let before = write(
        dir.path(),
        "before.toml",
        &catalog("team", "T-1", "given before"),
    );
    let after = write(
        dir.path(),
        "after.toml",
        &catalog("team", "T-1", "given after"),
    );
    let other = write(
        dir.path(),
        "other.toml",
        &catalog("ops", "O-1", "only before"),
    );
    let doc = json(
        errbook(home.path())
            .arg("--catalog-file")
            .arg(&before)
            .arg("--catalog-file")
            .arg(&other)
            .args(["lookup", "T-1", "O-1", "--catalog-file"])
            .arg(&after),
    );
    // The file named after the command comes later, so it overrides; the other file still counts.
    assert_eq!(
        messages(&doc),
        [
            (
                "team".into(),
                "T-1".into(),
                "given after".into(),
                after.display().to_string()
            ),
            (
                "ops".into(),
                "O-1".into(),
                "only before".into(),
                other.display().to_string()
            )
        ]
    );
}

/// The 1-based line and column of the first `needle` in `text`.
fn position(text: &str, needle: &str) -> (usize, usize) {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in the text"));
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let col = before[before.rfind('\n').map_or(0, |i| i + 1)..]
        .chars()
        .count()
        + 1;
    (line, col)
}

#[test]
fn validate_reports_line_and_column() {
    let home = TempDir::new().unwrap();
    let dir = TempDir::new().unwrap();
    // A TOML syntax error: a value with no closing quote.
    let syntax = catalog("broken", "B-1", "fine").replace("action = \"retry\"", "action = \"retry");
    let syntax_file = write(dir.path(), "syntax.toml", &syntax);
    // A duplicate code and an unknown domain.
    let mut semantic = catalog("dupes", "D-1", "first");
    semantic.push_str("\n[[entry]]\ncode = \"D-1\"\ndomain = \"general\"\naction = \"retry\"\nofficial = [\"en\"]\nmessage.en = \"again\"\n");
    semantic.push_str("\n[[entry]]\ncode = \"D-2\"\ndomain = \"nowhere\"\naction = \"retry\"\nofficial = [\"en\"]\nmessage.en = \"lost\"\n");
    let semantic_file = write(dir.path(), "semantic.toml", &semantic);
    let clean = write(dir.path(), "clean.toml", &catalog("clean", "C-1", "fine"));

    let r = run(errbook(home.path())
        .arg("validate")
        .arg(&syntax_file)
        .arg(&semantic_file)
        .arg(&clean));
    assert_eq!(r.code, 2, "{}", r.stderr);
    let lines: Vec<&str> = r.stdout.lines().collect();
    let (l, c) = position(&syntax, "\"retry\n");
    let first = lines[0];
    assert!(
        first.starts_with(&format!("{}:{l}:", syntax_file.display())),
        "{first}"
    );
    let col: usize = first.split(':').nth(2).unwrap().parse().unwrap();
    assert!(
        col >= c,
        "the column {col} is before the broken string at {c}: {first}"
    );
    // The duplicate is reported at the second entry's table, the domain at its value.
    let second_entry = semantic.match_indices("[[entry]]").nth(1).unwrap().0;
    let (dl, dc) = position(&semantic[second_entry..], "[[entry]]");
    let dl = dl + semantic[..second_entry].matches('\n').count();
    let (nl, nc) = position(&semantic, "\"nowhere\"");
    let sem = semantic_file.display();
    assert!(
        lines.contains(&format!("{sem}:{dl}:{dc}: duplicate code \"D-1\"").as_str()),
        "{}",
        r.stdout
    );
    assert!(
        lines.iter().any(|x| x.starts_with(&format!(
            "{sem}:{nl}:{nc}: entry \"D-2\": unknown domain \"nowhere\""
        ))),
        "{}",
        r.stdout
    );
    assert!(lines
        .contains(&format!("{}: ok: defines catalog clean, 1 entries", clean.display()).as_str()));
    assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);

    // JSON: one object per file, problems with line and column.
    let r = run(errbook(home.path())
        .args(["validate", "--format", "json"])
        .arg(&semantic_file)
        .arg(&clean));
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let files: Vec<FileCheckJson> = serde_json::from_value(v["files"].clone()).unwrap();
    assert_eq!(files.len(), 2);
    assert!(!files[0].ok && files[0].problems.len() == 2);
    assert_eq!(
        (files[0].problems[1].line, files[0].problems[1].column),
        (Some(nl), Some(nc))
    );
    assert!(files[1].ok && files[1].entries == Some(1));

    // Clean files: exit 0. An extension of a built-in catalog is clean too.
    let ext = write(dir.path(), "ext.toml", EXTENSION);
    let r = run(errbook(home.path()).arg("validate").arg(&clean).arg(&ext));
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains("ok: extends catalog pallycon, 2 entries"),
        "{}",
        r.stdout
    );
    // A missing file is a problem of its own.
    let r = run(errbook(home.path()).args(["validate", "/no/such/file.toml"]));
    assert_eq!(r.code, 2);
    assert_eq!(
        r.stdout.trim(),
        "/no/such/file.toml: no such file or folder"
    );
}

#[test]
fn a_broken_file_is_skipped_with_one_warning_and_strict_refuses_it() {
    let home = TempDir::new().unwrap();
    let dir = TempDir::new().unwrap();
    let good = write(
        dir.path(),
        "good.toml",
        &catalog("good", "G-1", "still here"),
    );
    let bad = write(
        dir.path(),
        "bad.toml",
        "[catalog]\nid = \"bad\"\n[[entry]]\ncode = 1\n",
    );
    let not_utf8 = dir.path().join("latin1.toml");
    std::fs::write(&not_utf8, b"[catalog]\nid = \"caf\xe9\"\n").unwrap();
    let mut cmd = errbook(home.path());
    cmd.arg("--catalog-file")
        .arg(dir.path())
        .args(["lookup", "G-1", "7011"]);
    let r = run(&mut cmd);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("still here") && r.stdout.contains("Token is expired."));
    let warnings: Vec<&str> = r.stderr.lines().collect();
    assert_eq!(warnings.len(), 2, "{}", r.stderr);
    assert!(
        warnings[0].starts_with(&format!("errbook: warning: {}:", bad.display())),
        "{}",
        warnings[0]
    );
    assert!(
        warnings[1].starts_with(&format!("errbook: warning: {}:2:", not_utf8.display())),
        "{}",
        warnings[1]
    );
    assert!(warnings.iter().all(|w| w.ends_with("; file skipped")));

    let r = run(errbook(home.path())
        .arg("--strict")
        .arg("--catalog-file")
        .arg(&bad)
        .arg("--catalog-file")
        .arg(&good)
        .args(["lookup", "G-1"]));
    assert_eq!(r.code, 2);
    assert!(r.stdout.is_empty());
    assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
    assert!(
        r.stderr
            .starts_with(&format!("errbook: error: {}:", bad.display())),
        "{}",
        r.stderr
    );
    // A missing --catalog-file is a warning too, and an error with --strict.
    let r = run(errbook(home.path()).args(["--catalog-file", "/no/such.toml", "lookup", "7011"]));
    assert_eq!(
        (r.code, r.stderr.trim()),
        (
            0,
            "errbook: warning: /no/such.toml: no such file or folder; file skipped"
        )
    );
    let r = run(errbook(home.path()).args([
        "--strict",
        "--catalog-file",
        "/no/such.toml",
        "lookup",
        "7011",
    ]));
    assert_eq!(r.code, 2);
}

fn cache_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(rd) = std::fs::read_dir(dir.join("errbook")) else {
        return Vec::new();
    };
    rd.filter_map(|d| d.ok().map(|d| d.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "bin"))
        .collect()
}

fn set_mtime(path: &Path, t: SystemTime) {
    std::fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(t)
        .unwrap();
}

#[test]
fn the_cache_is_used_refreshed_and_rebuilt() {
    let home = TempDir::new().unwrap();
    let dir = TempDir::new().unwrap();
    let cache = TempDir::new().unwrap();
    let file = write(
        dir.path(),
        "team.toml",
        &catalog("team", "T-1", "version one"),
    );
    let t0 = SystemTime::now() - Duration::from_secs(3600);
    set_mtime(&file, t0);
    let message = || {
        let mut c = errbook(home.path());
        c.env("XDG_CACHE_HOME", cache.path())
            .arg("--catalog-file")
            .arg(&file)
            .args(["lookup", "T-1"]);
        let r = run(c.args(["--format", "plain"]));
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(r.stderr.is_empty(), "{}", r.stderr);
        r.stdout.trim_end().rsplit('\t').next().unwrap().to_string()
    };
    assert_eq!(message(), "version one");
    let files = cache_files(cache.path());
    assert_eq!(files.len(), 1, "one cache file per catalog file");
    let cached = std::fs::read(&files[0]).unwrap();
    assert!(cached.starts_with(errbook::catalog::cache::MAGIC));

    // Hit: same size and modification time, different text (the cache is trusted, so the old text shows).
    let two = catalog("team", "T-1", "version two");
    assert_eq!(two.len(), catalog("team", "T-1", "version one").len());
    std::fs::write(&file, &two).unwrap();
    set_mtime(&file, t0);
    assert_eq!(message(), "version one", "a fresh cache entry is used");

    // Stale: the file changes (new modification time), so it is parsed again and the cache rewritten.
    set_mtime(&file, t0 + Duration::from_secs(60));
    assert_eq!(message(), "version two");
    assert_ne!(std::fs::read(&files[0]).unwrap(), cached);

    // Corrupt: garbage, a truncated file, or a valid header over broken data are rebuilt.
    let good = std::fs::read(&files[0]).unwrap();
    for broken in [b"garbage".to_vec(), good[..good.len() / 2].to_vec(), {
        let mut b = good.clone();
        let n = b.len();
        b[n - 40..].fill(0xff);
        b
    }] {
        std::fs::write(&files[0], &broken).unwrap();
        assert_eq!(message(), "version two");
        assert_eq!(
            std::fs::read(&files[0]).unwrap(),
            good,
            "the broken cache was rewritten"
        );
    }

    // --no-cache neither reads nor writes it.
    std::fs::remove_file(&files[0]).unwrap();
    let r = run(errbook(home.path())
        .env("XDG_CACHE_HOME", cache.path())
        .arg("--no-cache")
        .arg("--catalog-file")
        .arg(&file)
        .args(["lookup", "T-1"]));
    assert_eq!(r.code, 0);
    assert!(cache_files(cache.path()).is_empty());
    // No temporary files are left behind.
    assert_eq!(
        std::fs::read_dir(cache.path().join("errbook"))
            .unwrap()
            .count(),
        0
    );
}

#[test]
fn an_unwritable_cache_folder_does_not_matter() {
    let home = TempDir::new().unwrap();
    let dir = TempDir::new().unwrap();
    let file = write(
        dir.path(),
        "team.toml",
        &catalog("team", "T-1", "works anyway"),
    );
    // The cache "folder" is a file, so nothing can be created under it (this holds even for root).
    let blocker = write(dir.path(), "not-a-folder", "x");
    let r = run(errbook(home.path())
        .env("XDG_CACHE_HOME", &blocker)
        .arg("--catalog-file")
        .arg(&file)
        .args(["lookup", "T-1"]));
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("works anyway"));
    assert!(r.stderr.is_empty(), "{}", r.stderr);
}

#[test]
fn escape_sequences_from_a_catalog_never_reach_the_terminal() {
    let home = TempDir::new().unwrap();
    let dir = TempDir::new().unwrap();
    let text = r#"[catalog]
id = "evil"
vendor = "Evil \u001b]0;pwned\u0007 Corp"
product = "Clear \u001b[2J screen"
official_langs = ["en"]
description.en = "Bell \u0007 and \u009b CSI"

[[catalog.source]]
url = "https://example.com/\u001b[31m"

[[domain]]
id = "general"
title.en = "Title \u001b[1m"

[[entry]]
code = "E-1"
name = "NAME_\u001b[5m"
aliases = ["alias\u001b"]
domain = "general"
action = "retry"
official = ["en"]
message.en = "Red \u001b[31m text \r\n and a \u0008 backspace"
official_note.en = "Note \u001b[0m"
description.en = "Move \u001b[10A up"
hint.en = "Hint \u001b]8;;https://x\u001b\\ link"
"#;
    let file = write(dir.path(), "evil.toml", text);
    for args in [
        vec!["lookup", "E-1"],
        vec!["explain", "E-1"],
        vec!["search", "backspace"],
        vec!["list", "--catalog", "evil"],
        vec!["catalogs"],
    ] {
        for format in ["table", "plain"] {
            let out = errbook(home.path())
                .arg("--catalog-file")
                .arg(&file)
                .args(&args)
                .args(["--format", format, "--color", "never"])
                .output()
                .unwrap();
            assert_eq!(out.status.code(), Some(0), "{args:?} {format}");
            let bad: Vec<u8> = out
                .stdout
                .iter()
                .copied()
                .filter(|b| b.is_ascii_control() && !matches!(b, b'\n' | b'\t'))
                .collect();
            assert!(bad.is_empty(), "{args:?} {format}: control bytes {bad:?}");
            let s = String::from_utf8(out.stdout).unwrap();
            assert!(!s.contains('\u{9b}'), "{args:?} {format}: a C1 control");
            if args[0] != "catalogs" {
                assert!(
                    s.contains("\\u{1b}"),
                    "{args:?} {format}: the escape is shown escaped:\n{s}"
                );
            }
        }
    }
    // JSON keeps the text, escaped the JSON way.
    let out = errbook(home.path())
        .arg("--catalog-file")
        .arg(&file)
        .args(["lookup", "E-1", "--format", "json"])
        .output()
        .unwrap();
    let raw = String::from_utf8(out.stdout).unwrap();
    assert!(!raw.contains('\u{1b}') && raw.contains("\\u001b[31m"));
    let doc: Document = serde_json::from_str(&raw).unwrap();
    assert_eq!(
        doc.results[0].message,
        "Red \u{1b}[31m text \r\n and a \u{8} backspace"
    );
}

#[test]
fn completion_offers_user_catalog_codes_and_ids() {
    let home = TempDir::new().unwrap();
    let complete = |words: &[&str]| -> Vec<String> {
        let r = run(errbook(home.path())
            .env("ERRBOOK_CATALOG_PATH", example())
            .env("COMPLETE", "fish")
            .arg("--")
            .arg("errbook")
            .args(words));
        assert_eq!(r.code, 0, "{}", r.stderr);
        r.stdout
            .lines()
            .map(|l| l.split('\t').next().unwrap_or("").to_string())
            .collect()
    };
    assert_eq!(complete(&["lookup", "ACME-10"]), ["ACME-1001", "ACME-1002"]);
    assert!(complete(&["list", "--catalog", "a"]).contains(&"acme".to_string()));
    // Without the variable, the user catalog is not there.
    let r = run(errbook(home.path())
        .env("COMPLETE", "fish")
        .args(["--", "errbook", "lookup", "ACME-10"]));
    assert!(r.stdout.trim().is_empty(), "{}", r.stdout);
}
