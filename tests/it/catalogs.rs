//! The built-in catalogs' own invariants, and the validation rules that guard every catalog.

use errbook::catalog::schema::{parse_catalog, Problem};
use errbook::catalog::{builtin, Lang};

#[test]
fn every_declared_domain_is_used() {
    for c in builtin() {
        for d in &c.domains {
            assert!(
                c.all().iter().any(|e| e.domain == d.id),
                "{}: domain {} is declared but unused",
                c.id,
                d.id
            );
        }
    }
}

#[test]
fn no_empty_text_anywhere() {
    for c in builtin() {
        for e in c.all() {
            for t in [&e.message, &e.official_note, &e.description, &e.hint] {
                for (l, s) in t.iter() {
                    assert!(
                        !s.trim().is_empty(),
                        "{}:{} empty {} text",
                        c.id,
                        e.code,
                        l.code()
                    );
                }
            }
            for k in e.keys() {
                assert!(!k.trim().is_empty(), "{}:{} empty key", c.id, e.code);
            }
        }
    }
}

#[test]
fn pallycon_drm_domains_follow_code_ranges() {
    let c = builtin().iter().find(|c| c.id == "pallycon").unwrap();
    for e in c.all() {
        let expected = match &e.code[..2] {
            "71" => Some("widevine"),
            "72" => Some("playready"),
            "73" => Some("fairplay"),
            _ => None,
        };
        if let Some(d) = expected {
            assert_eq!(e.domain, d, "pallycon:{}", e.code);
        }
    }
}

#[test]
fn every_entry_has_a_message_to_show() {
    for c in builtin() {
        for e in c.all() {
            for l in Lang::ALL {
                assert!(e.message_in(l).is_some(), "{}:{}", c.id, e.code);
            }
        }
    }
}

const GOOD: &str = r#"
[catalog]
id = "mine"
vendor = "Me"
product = "My service"
official_langs = ["en"]
description.en = "My codes."

[[domain]]
id = "auth"
title.en = "Authentication"

[[entry]]
code = "E1"
name = "FIRST"
domain = "auth"
action = "retry"
official = ["en"]
message.en = "First."

[[entry]]
code = "E2"
domain = "auth"
action = "fix-request"
official = ["en"]
message.en = "Second."
"#;

fn problems(text: &str) -> Vec<Problem> {
    match parse_catalog(text) {
        Ok(_) => Vec::new(),
        Err(p) => p,
    }
}

/// The line of the first occurrence of `needle` after `after` (1-based).
fn line_of(text: &str, needle: &str, nth: usize) -> usize {
    let mut from = 0;
    let mut at = 0;
    for _ in 0..=nth {
        at = from + text[from..].find(needle).expect("needle");
        from = at + 1;
    }
    text[..at].matches('\n').count() + 1
}

#[test]
fn a_good_catalog_passes() {
    assert_eq!(problems(GOOD), Vec::new());
}

#[test]
fn duplicate_code_is_reported_at_its_entry() {
    let bad = GOOD.replace("code = \"E2\"", "code = \"e1\"");
    let p = problems(&bad);
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(p[0].message.contains("duplicate code"), "{}", p[0]);
    assert_eq!(p[0].line, line_of(&bad, "[[entry]]", 1));
}

#[test]
fn unknown_domain_and_action_point_at_the_field() {
    let bad = GOOD.replace(
        "domain = \"auth\"\naction = \"retry\"",
        "domain = \"nope\"\naction = \"reboot\"",
    );
    let p = problems(&bad);
    assert_eq!(p.len(), 2, "{p:?}");
    assert!(p[0].message.contains("unknown domain \"nope\""), "{}", p[0]);
    assert_eq!(p[0].line, line_of(&bad, "domain = \"nope\"", 0));
    assert_eq!(p[0].column, 10);
    assert!(
        p[1].message.contains("unknown action \"reboot\""),
        "{}",
        p[1]
    );
    assert_eq!(p[1].line, line_of(&bad, "action = \"reboot\"", 0));
}

#[test]
fn missing_official_or_english_message_is_reported() {
    let bad = GOOD.replace(
        "official = [\"en\"]\nmessage.en = \"Second.\"",
        "official = []",
    );
    let p = problems(&bad);
    assert!(
        p.iter()
            .any(|p| p.message.contains("no English and no official message")),
        "{p:?}"
    );
    let bad = GOOD.replace(
        "official = [\"en\"]\nmessage.en = \"First.\"",
        "message.en = \"First.\"",
    );
    let p = problems(&bad);
    assert!(
        p.iter().any(|p| p.message.contains("no `official` list")),
        "{p:?}"
    );
    let bad = GOOD.replace("message.en = \"First.\"", "message.ko = \"첫째.\"");
    let p = problems(&bad);
    assert!(
        p.iter()
            .any(|p| p.message.contains("official language en has no message")),
        "{p:?}"
    );
}

#[test]
fn alias_equal_to_another_entry_is_reported() {
    let bad = GOOD.replace("code = \"E2\"", "code = \"E2\"\naliases = [\"first\"]");
    let p = problems(&bad);
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(
        p[0].message
            .contains("alias \"first\" is the code or name of entry \"E1\""),
        "{}",
        p[0]
    );
}

#[test]
fn empty_field_is_reported() {
    let bad = GOOD.replace("message.en = \"Second.\"", "message.en = \"  \"");
    let p = problems(&bad);
    assert!(
        p.iter().any(|p| p.message.contains("message.en is empty")),
        "{p:?}"
    );
}

#[test]
fn toml_syntax_error_has_line_and_column() {
    let bad = GOOD.replace("vendor = \"Me\"", "vendor = \"Me");
    let p = problems(&bad);
    assert_eq!(p.len(), 1, "{p:?}");
    assert_eq!(p[0].line, line_of(&bad, "vendor = \"Me", 0));
}
