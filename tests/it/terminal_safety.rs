//! Text that tries to drive the terminal or disguise itself (issue 20, item 4): control characters in
//! what errbook writes on stderr (a body's keys and fields, file names, codes), and bidi overrides,
//! zero-width characters and C1 controls from catalogs on stdout and in JSON.

use crate::common::{errbook, errbook_home, run_with, Run};
use errbook::render::safe::is_unsafe;
use tempfile::TempDir;

/// The characters of `s`, other than line feeds and tabs, that would reach the terminal raw.
fn raw(s: &str) -> Vec<char> {
    s.chars()
        .filter(|&c| c != '\n' && c != '\t' && is_unsafe(c))
        .collect()
}

fn assert_clean(what: &str, r: &Run) {
    assert!(raw(&r.stdout).is_empty(), "{what}: stdout {:?}", r.stdout);
    assert!(raw(&r.stderr).is_empty(), "{what}: stderr {:?}", r.stderr);
}

/// OSC 52 (writes the clipboard), a screen clear, a carriage return that overwrites the line, C1 CSI.
const HOSTILE: &str = "\u{1b}]52;c;aGVsbG8=\u{7}\u{1b}[2J\rX\u{9b}31m";

#[test]
fn stderr_never_carries_raw_control_characters() {
    let json_text = |s: &str| serde_json::to_string(s).unwrap();
    // A body: an unknown code, a key and a status carrying escapes.
    let bodies = [
        format!(r#"{{"code": {}, "message": "m"}}"#, json_text(HOSTILE)),
        format!(
            r#"{{{}: {{"code": "x", "message": "m"}}}}"#,
            json_text(HOSTILE)
        ),
        format!(
            r#"{{"code": 40013, "status": {}, "message": "m"}}"#,
            json_text(HOSTILE)
        ),
        format!("<error><code>{}</code></error>", "x\u{9b}2J"),
    ];
    for (i, body) in bodies.iter().enumerate() {
        for command in ["lookup", "explain"] {
            let r = run_with(errbook().args([command, "-"]).write_stdin(body.as_str()));
            assert_clean(&format!("{command} - < {body:?}"), &r);
            // The third is a known code: its status is shown by explain, on stdout; lookup's row has no
            // room for it.
            if i == 2 && command == "lookup" {
                continue;
            }
            let shown = if i == 2 { &r.stdout } else { &r.stderr };
            assert!(
                shown.contains("\\u{1b}") || shown.contains("\\u{9b}") || shown.contains("\\u001b"),
                "{command} {body:?}: the escape is shown: {shown}"
            );
        }
    }
    // A file name given to scan, a query, an unknown subcommand-like word, a catalog id.
    let dir = TempDir::new().unwrap();
    let name = dir.path().join(format!("log{HOSTILE}"));
    for args in [
        vec!["scan".to_string(), name.display().to_string()],
        vec!["lookup".into(), format!("7011{HOSTILE}")],
        vec![format!("serch{HOSTILE}")],
        vec!["lookup".into(), format!("nosuch{HOSTILE}:7011")],
        vec!["list".into(), "--domain".into(), HOSTILE.into()],
    ] {
        let r = run_with(errbook().args(&args));
        assert_clean(&format!("{args:?}"), &r);
        assert_eq!(
            r.stderr.lines().count(),
            1,
            "{args:?}: one line: {:?}",
            r.stderr
        );
        assert!(
            r.stderr.contains("\\u{1b}"),
            "{args:?}: the escape is shown: {}",
            r.stderr
        );
    }
}

/// A user catalog whose texts and codes carry bidi overrides, zero-width characters and C1 controls:
/// every format shows them escaped, and JSON still gives the exact text back.
#[test]
fn catalog_text_is_shown_escaped_and_kept_exact_in_json() {
    let home = TempDir::new().unwrap();
    let dir = home.path().join(".config/errbook/catalogs");
    std::fs::create_dir_all(&dir).unwrap();
    let message = "Pay \u{202e}gnp.exe\u{202c} now\u{200b}\u{9d}0;title\u{9c}";
    let toml = format!(
        r#"[catalog]
id = "spoof"
vendor = "Spoof vendor"
product = "Spoof product"
official_langs = ["en"]
description.en = "A catalog that tries to spoof."

[[domain]]
id = "general"
title.en = "General"

[[entry]]
code = "9{zw}1"
domain = "general"
action = "retry"
official = ["en"]
message.en = {message}
"#,
        zw = "\u{200b}",
        message = toml_string(message),
    );
    std::fs::write(dir.join("spoof.toml"), toml).unwrap();
    let cmd = |args: &[&str]| {
        let mut c = errbook_home(home.path());
        c.args(args);
        c
    };
    for format in ["plain", "table", "json", "ndjson"] {
        for args in [
            vec!["lookup", "spoof:*", "--format", format],
            vec!["list", "--catalog", "spoof", "--format", format],
            vec!["explain", "spoof:*", "--format", format],
        ] {
            let r = run_with(&mut cmd(&args));
            assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
            assert_clean(&format!("{args:?}"), &r);
        }
    }
    let r = run_with(&mut cmd(&["lookup", "spoof:*", "--format", "json"]));
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(doc["results"][0]["message"], message);
    assert_eq!(doc["results"][0]["code"], "9\u{200b}1");
    // The suggestion for a near miss names the code escaped too.
    let r = run_with(&mut cmd(&["lookup", "spoof:91"]));
    assert_clean("spoof:91", &r);
}

fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        if c.is_control() {
            out.push_str(&format!("\\u{:04X}", c as u32));
        } else {
            out.push(c);
        }
    }
    out.push('"');
    out
}
