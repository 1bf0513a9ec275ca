//! A user file that extends a built-in catalog (issue 19): an entry with an existing code adds to it (a
//! team note, more aliases, an extra hint) unless it says `replace = true`; catalog-specific text is shown
//! only where it applies.

use serde_json::Value;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

use crate::common;
use common::run_with as run;

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn entry(home: &Path, file: &Path, args: &[&str]) -> Value {
    let r = run(common::errbook_home(home)
        .arg("--catalog-file")
        .arg(file)
        .args(args)
        .args(["--format", "json"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.is_empty(), "{}", r.stderr);
    let doc: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(doc["results"].as_array().unwrap().len(), 1, "{doc}");
    doc["results"][0].clone()
}

const ADDS: &str = r#"[catalog]
id = "pallycon"

[[entry]]
code = "7011"
aliases = ["team-expired"]
hint.en = "Our proxy renews tokens every 5 minutes; check its clock first."
note.en = "Seen weekly on the lobby TVs; ticket OPS-12."
note.ko = "로비 TV에서 매주 보입니다."
"#;

#[test]
fn an_entry_with_an_existing_code_adds_to_it() {
    let home = TempDir::new().unwrap();
    let dir = TempDir::new().unwrap();
    let file = write(dir.path(), "team.toml", ADDS);
    let base = {
        let r = run(common::errbook_home(home.path()).args(["lookup", "7011", "--format", "json"]));
        let doc: Value = serde_json::from_str(&r.stdout).unwrap();
        doc["results"][0].clone()
    };
    assert_eq!(base["note"], Value::Null);
    let e = entry(home.path(), &file, &["lookup", "pallycon:7011"]);
    // The built-in entry's facts stay.
    for k in [
        "message",
        "domain",
        "action",
        "official_langs",
        "description",
        "related",
    ] {
        assert_eq!(e[k], base[k], "{k}");
    }
    assert_eq!(e["note"], "Seen weekly on the lobby TVs; ticket OPS-12.");
    let hint = e["hint"].as_str().unwrap();
    assert!(
        hint.starts_with(base["hint"].as_str().unwrap())
            && hint.ends_with("check its clock first."),
        "{hint}"
    );
    let aliases = e["aliases"].as_array().unwrap();
    assert!(
        aliases.contains(&Value::from("team-expired")),
        "{aliases:?}"
    );
    // Found by its new alias; the note in Korean with --lang ko.
    let e = entry(
        home.path(),
        &file,
        &["lookup", "team-expired", "--lang", "ko"],
    );
    assert_eq!(e["code"], "7011");
    assert_eq!(e["note"], "로비 TV에서 매주 보입니다.");
    // explain shows the note under its own heading.
    let r = run(common::errbook_home(home.path())
        .arg("--catalog-file")
        .arg(&file)
        .args(["explain", "pallycon:7011", "--format", "plain"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("Team note"), "{}", r.stdout);
    assert!(r.stdout.contains("ticket OPS-12"), "{}", r.stdout);
    assert!(r.stdout.contains("Token is expired."), "{}", r.stdout);
    // validate accepts the partial entry.
    let r = run(common::errbook_home(home.path()).arg("validate").arg(&file));
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
}

#[test]
fn replace_true_replaces_the_entry() {
    let home = TempDir::new().unwrap();
    let dir = TempDir::new().unwrap();
    let text = r#"[catalog]
id = "pallycon"

[[entry]]
code = "7011"
replace = true
domain = "token"
action = "retry"
official = []
message.en = "Our own text."
"#;
    let file = write(dir.path(), "team.toml", text);
    let e = entry(home.path(), &file, &["lookup", "pallycon:7011"]);
    assert_eq!(e["message"], "Our own text.");
    assert_eq!(e["action"], "retry");
    assert_eq!(e["description"], Value::Null);
    assert_eq!(e["related"].as_array().unwrap().len(), 5);
    // A partial entry that says replace is no whole entry: validate says what is missing.
    let partial = write(
        dir.path(),
        "partial.toml",
        "[catalog]\nid = \"pallycon\"\n\n[[entry]]\ncode = \"7011\"\nreplace = true\nnote.en = \"x\"\n",
    );
    let r = run(common::errbook_home(home.path())
        .arg("validate")
        .arg(&partial));
    assert_eq!(r.code, 2);
    for want in [
        "domain is missing",
        "action is missing",
        "no `official` list",
    ] {
        assert!(r.stdout.contains(want), "{want}: {}", r.stdout);
    }
    // So is a partial entry whose code the catalog does not have.
    let new = write(
        dir.path(),
        "new.toml",
        "[catalog]\nid = \"pallycon\"\n\n[[entry]]\ncode = \"9999999\"\nnote.en = \"x\"\n",
    );
    let r = run(common::errbook_home(home.path()).arg("validate").arg(&new));
    assert_eq!(r.code, 2);
    assert!(r.stdout.contains("domain is missing"), "{}", r.stdout);
}

/// Adobe's "listed only on the older page" is said of built-in Adobe entries in no current list, never
/// of an entry a user catalog adds.
#[test]
fn the_older_page_text_is_only_for_adobe_entries() {
    let home = TempDir::new().unwrap();
    let dir = TempDir::new().unwrap();
    let text = r#"[catalog]
id = "adobe-pass"

[[entry]]
code = "team_only_code"
domain = "decision"
action = "retry"
official = []
message.en = "A code our proxy adds."
"#;
    let file = write(dir.path(), "team.toml", text);
    let e = entry(home.path(), &file, &["lookup", "team_only_code"]);
    assert_eq!(e["older_list_only"], false);
    let r = run(common::errbook_home(home.path())
        .arg("--catalog-file")
        .arg(&file)
        .args(["explain", "team_only_code", "--format", "plain"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stdout.contains("2019-2023"), "{}", r.stdout);
    assert!(!r.stdout.contains("Current lists"), "{}", r.stdout);
    // A built-in Adobe entry in no current list still says so.
    let older: Vec<_> = errbook::catalog::builtin()
        .iter()
        .find(|c| c.id() == "adobe-pass")
        .unwrap()
        .all()
        .into_iter()
        .filter(|e| e.lists.is_empty())
        .collect();
    assert!(!older.is_empty());
    let r = run(common::errbook_home(home.path()).args([
        "lookup",
        &format!("adobe-pass:{}", older[0].code),
        "--format",
        "json",
    ]));
    let doc: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(doc["results"][0]["older_list_only"], true, "{doc}");
}
