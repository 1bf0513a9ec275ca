//! Fidelity: every code, name, HTTP status, action and official text of the compiled catalogs is checked
//! against the vendors' source documents in `../shared/seeds`, read by a small parser of their own here
//! (independent of how the catalogs were transcribed). When that folder is absent each test fails under CI
//! and elsewhere prints a SKIPPED line (see `common::shared`).

use crate::common;
use errbook::catalog::{builtin, Catalog, Entry, Lang};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn shared() -> Option<PathBuf> {
    common::shared("seeds")?;
    Some(common::shared_dir())
}

fn seed(dir: &Path, prefix: &str) -> String {
    let entries = std::fs::read_dir(dir.join("seeds")).expect("seeds folder");
    for e in entries {
        let p = e.expect("dir entry").path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        if name.starts_with(prefix) && name.ends_with(".txt") {
            return std::fs::read_to_string(&p).expect("seed file");
        }
    }
    panic!("no seed file {prefix}_*.txt");
}

/// White space normalised: runs of spaces and line breaks become one space.
fn ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn catalog(id: &str) -> &'static Catalog {
    builtin()
        .iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("catalog {id} is not built in"))
}

/// Every entry that claims an official text must come from the seeds; `seeded` holds their codes.
fn assert_no_unsourced_official(c: &Catalog, seeded: &[String]) {
    for e in c.all() {
        if !seeded.iter().any(|s| *s == e.code) {
            assert!(
                e.official().is_empty(),
                "{}:{} is not in the seed but claims official text",
                c.id,
                e.code
            );
        }
    }
    for s in seeded {
        assert!(c.entry(s).is_some(), "{}: seed code {s} is missing", c.id);
    }
}

fn assert_official(e: &Entry, id: &str, lang: Lang, want: &str) {
    assert!(
        e.is_official(lang),
        "{id}:{}: {} should be official",
        e.code,
        lang.code()
    );
    assert_eq!(
        e.message.get(lang),
        Some(want),
        "{id}:{}: official {} text differs from the seed",
        e.code,
        lang.code()
    );
}

// ---------------------------------------------------------------- PallyCon: two markdown tables

fn pallycon_rows(text: &str) -> Vec<(String, String)> {
    let mut rows = Vec::new();
    for line in text.lines() {
        let Some(rest) = line.strip_prefix('|') else {
            continue;
        };
        let Some((code, msg)) = rest.split_once('|') else {
            continue;
        };
        let code = code.trim();
        if code.len() == 4 && code.bytes().all(|b| b.is_ascii_digit()) {
            let msg = msg.trim_end().trim_end_matches('|');
            // The seed README: `â€™` is mojibake for an apostrophe.
            rows.push((code.to_string(), ws(&msg.replace("â€™", "'"))));
        }
    }
    rows
}

#[test]
fn pallycon_matches_seeds() {
    let Some(dir) = shared() else { return };
    let ko = pallycon_rows(&seed(&dir, "000"));
    let en = pallycon_rows(&seed(&dir, "001"));
    assert!(!ko.is_empty());
    let ko_codes: Vec<String> = ko.iter().map(|r| r.0.clone()).collect();
    let en_codes: Vec<String> = en.iter().map(|r| r.0.clone()).collect();
    assert_eq!(
        ko_codes, en_codes,
        "the two PallyCon lists hold the same codes"
    );
    let c = catalog("pallycon");
    assert_no_unsourced_official(c, &ko_codes);
    for ((code, ko_msg), (_, en_msg)) in ko.iter().zip(&en) {
        let e = c.entry(code).unwrap();
        assert_official(e, &c.id, Lang::Ko, ko_msg);
        assert_official(e, &c.id, Lang::En, en_msg);
        assert_eq!(e.official().len(), 2, "pallycon:{code} official languages");
    }
}

// ---------------------------------------------------------------- Adobe: markdown table, Korean

/// Seed spelling -> real code, from the table in ../shared/vendor-facts/README.md.
fn adobe_fixes(dir: &Path) -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(dir.join("vendor-facts/README.md")).unwrap_or_default();
    let mut map = BTreeMap::new();
    for line in text.lines() {
        let cells: Vec<&str> = line
            .trim()
            .trim_matches('|')
            .split('|')
            .map(str::trim)
            .collect();
        if cells.len() == 2
            && cells
                .iter()
                .all(|c| !c.is_empty() && c.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'))
            && cells[0] != "seed"
        {
            map.insert(cells[0].to_string(), cells[1].to_string());
        }
    }
    map
}

#[test]
fn adobe_matches_seed() {
    let Some(dir) = shared() else { return };
    let text = seed(&dir, "002");
    let fixes = adobe_fixes(&dir);
    assert!(fixes.len() >= 5, "the correction table was read");
    let section = &text[text.find("## 오류 코드").expect("error code section")..];
    let actions = [
        ("구성", "configuration"),
        ("애플리케이션 등록", "application-registration"),
        ("인증", "authentication"),
        ("권한", "authorization"),
        ("다시 시도", "retry"),
        ("다시 시도 후", "retry-after"),
    ];
    let c = catalog("adobe-pass");
    let mut current_action: Option<&str> = None;
    let mut seeded = Vec::new();
    for line in section.lines() {
        let cells: Vec<&str> = line
            .trim()
            .trim_matches('|')
            .split('|')
            .map(str::trim)
            .collect();
        if cells.len() != 4 {
            continue;
        }
        let code_cell = cells[1].trim_matches('*');
        if code_cell.is_empty()
            || !code_cell
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b == b'_')
        {
            continue;
        }
        if !cells[0].is_empty() {
            current_action = actions
                .iter()
                .find(|(k, _)| *k == cells[0])
                .map(|(_, v)| *v);
            assert!(
                current_action.is_some(),
                "unknown action heading {:?}",
                cells[0]
            );
        }
        let real = fixes.get(code_cell).map_or(code_cell, String::as_str);
        let e = c
            .entry(real)
            .unwrap_or_else(|| panic!("adobe-pass: {real} missing"));
        seeded.push(real.to_string());
        if real != code_cell {
            assert!(
                e.aliases.iter().any(|a| a == code_cell),
                "adobe-pass:{real} keeps the seed spelling {code_cell} as an alias"
            );
        }
        // The seed is the older page: its values are the entry's own, or, where Adobe's current lists
        // (the entry's lists) give others, kept as the older ones.
        let older_status = e.older_http_status.or(e.http_status);
        assert_eq!(
            older_status,
            cells[2].parse().ok(),
            "adobe-pass:{real} status of the older page"
        );
        let older_action = e.older_action.as_deref().unwrap_or(e.action.as_ref());
        assert_eq!(
            Some(older_action),
            current_action,
            "adobe-pass:{real} action of the older page"
        );
        if e.older_action.is_some() || e.older_http_status.is_some() {
            assert!(
                !e.lists.is_empty(),
                "adobe-pass:{real}: an older value only beside current lists"
            );
            assert!(
                e.lists.iter().all(|l| l.action == e.action),
                "adobe-pass:{real}: the action is the current lists'"
            );
        }
        let message = ws(&cells[3].replace("&quot;", "\""));
        assert_official(e, &c.id, Lang::Ko, &message);
        assert_eq!(
            e.official(),
            &[Lang::Ko],
            "adobe-pass:{real}: only Korean is official"
        );
    }
    assert!(!seeded.is_empty());
    assert_no_unsourced_official(c, &seeded);
}

// ---------------------------------------------------------------- SKMS: columns run together

fn is_japanese(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30FF | 0x4E00..=0x9FFF | 0xFF66..=0xFF9F)
}

#[test]
fn skms_matches_seed() {
    let Some(dir) = shared() else { return };
    let text = seed(&dir, "003");
    let start = text
        .find("error codemessageDescriptionStatus Code")
        .expect("code table");
    let end = text.find("Examples").expect("examples");
    // Records start with a five-digit code followed by a letter; continuation lines belong to the record.
    let mut records: Vec<String> = Vec::new();
    for line in text[start..end].lines().skip(1) {
        let starts_record = line.len() > 5
            && line.as_bytes()[..5].iter().all(u8::is_ascii_digit)
            && line.as_bytes()[5].is_ascii_alphabetic();
        if starts_record {
            records.push(line.to_string());
        } else if let Some(last) = records.last_mut() {
            last.push('\n');
            last.push_str(line);
        }
    }
    let c = catalog("skms");
    let mut seeded = Vec::new();
    for r in &records {
        let r = r.trim_end();
        let (code, rest) = r.split_at(5);
        let (middle, status) = rest.split_at(rest.len() - 3);
        let e = c
            .entry(code)
            .unwrap_or_else(|| panic!("skms:{code} missing"));
        seeded.push(code.to_string());
        assert_eq!(e.http_status, status.parse().ok(), "skms:{code} status");
        let en = e.message.en.as_deref().expect("english");
        let ja = e.message.ja.as_deref().expect("japanese");
        assert!(
            e.is_official(Lang::En) && e.is_official(Lang::Ja),
            "skms:{code} official"
        );
        // The catalog's split of the run-together columns must give back the source exactly ...
        let squash = |s: &str| s.split_whitespace().collect::<String>();
        assert_eq!(
            squash(&format!("{en}{ja}")),
            squash(middle),
            "skms:{code} text"
        );
        assert_eq!(ws(en), en, "skms:{code} en normalised");
        // ... with the English column free of Japanese, and the Japanese column holding Japanese.
        assert!(
            !en.chars().any(is_japanese),
            "skms:{code} en holds Japanese"
        );
        assert!(
            ja.chars().any(is_japanese),
            "skms:{code} ja holds no Japanese"
        );
    }
    assert!(!seeded.is_empty());
    assert_no_unsourced_official(c, &seeded);
}

// ---------------------------------------------------------------- Live Station: a flattened table

fn is_hangul(c: char) -> bool {
    matches!(c as u32, 0xAC00..=0xD7A3 | 0x1100..=0x11FF | 0x3130..=0x318F)
}

#[test]
fn livestation_matches_seed() {
    let Some(dir) = shared() else { return };
    let text = seed(&dir, "004");
    let header = "오류 코드 오류명 응답 메시지 설명";
    let body = &text[text.find(header).expect("table header") + header.len()..];
    let mut records: Vec<String> = Vec::new();
    for line in body.lines() {
        let b = line.as_bytes();
        let starts = b.len() > 7
            && b.starts_with(b"250")
            && b[..6].iter().all(u8::is_ascii_digit)
            && b[6] == b' ';
        if starts {
            records.push(line.to_string());
        } else if let Some(last) = records.last_mut() {
            last.push('\n');
            last.push_str(line);
        }
    }
    let c = catalog("livestation");
    let mut seeded = Vec::new();
    for r in &records {
        let (code, rest) = r.split_at(6);
        let rest = ws(rest);
        let e = c
            .entry(code)
            .unwrap_or_else(|| panic!("livestation:{code} missing"));
        seeded.push(code.to_string());
        // The name, when there is one, is the row's first word.
        let first = rest.split(' ').next().unwrap_or("");
        let looks_like_name = first.len() > 1
            && first
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
            && first.bytes().any(|b| b == b'_' || b.is_ascii_uppercase());
        match e.name.as_deref() {
            Some(n) => assert_eq!(n, first, "livestation:{code} name"),
            None => assert!(!looks_like_name, "livestation:{code} lost its name {first}"),
        }
        // Name, English message, then the Korean description (or the vendor's note) give back the row.
        let en = e.message.en.as_deref().expect("english");
        assert!(e.is_official(Lang::En), "livestation:{code} en official");
        let mut parts: Vec<&str> = e.name.as_deref().into_iter().collect();
        parts.push(en);
        if e.is_official(Lang::Ko) {
            let ko = e.message.ko.as_deref().expect("korean");
            assert!(
                ko.chars().any(is_hangul),
                "livestation:{code} ko holds no Hangul"
            );
            parts.push(ko);
        }
        parts.extend(e.official_note.iter().map(|(_, t)| t));
        assert_eq!(ws(&parts.join(" ")), rest, "livestation:{code} row text");
        assert!(
            !en.chars().any(is_hangul),
            "livestation:{code} en holds Hangul"
        );
        if !rest.chars().any(is_hangul) {
            assert!(
                !e.is_official(Lang::Ko),
                "livestation:{code} has no Korean in the source"
            );
        }
    }
    assert!(!seeded.is_empty());
    assert_no_unsourced_official(c, &seeded);
}
