//! Coverage (issue 4): every entry of every built-in catalog can be read in English, Korean and Japanese,
//! with a message, a description and a hint in each, and errbook's translations are never passed off as
//! the vendor's text.

use errbook::catalog::{builtin, Catalog, Entry, Lang, Texts};

fn has_hangul(s: &str) -> bool {
    s.chars().any(|c| matches!(c as u32, 0xAC00..=0xD7A3))
}

fn has_japanese(s: &str) -> bool {
    s.chars()
        .any(|c| matches!(c as u32, 0x3040..=0x30FF | 0x4E00..=0x9FFF))
}

fn check_three(c: &Catalog, e: &Entry, what: &str, t: &Texts, problems: &mut Vec<String>) {
    let id = format!("{}:{} {what}", c.id, e.code);
    let (Some(en), Some(ko), Some(ja)) = (t.get(Lang::En), t.get(Lang::Ko), t.get(Lang::Ja)) else {
        problems.push(format!("{id}: missing a language ({:?})", t));
        return;
    };
    for (l, s) in [("en", en), ("ko", ko), ("ja", ja)] {
        if s.trim().is_empty() {
            problems.push(format!("{id}.{l} is empty"));
        }
    }
    if ko == en || ja == en || ko == ja {
        problems.push(format!("{id}: two languages carry the same text"));
    }
    if !has_hangul(ko) {
        problems.push(format!("{id}.ko is not Korean: {ko:?}"));
    }
    if !has_japanese(ja) {
        problems.push(format!("{id}.ja is not Japanese: {ja:?}"));
    }
}

/// `{0}`, `{1}`, ... in a text.
fn placeholders(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let b = s.as_bytes();
    for i in 0..b.len() {
        if b[i] == b'{' && i + 2 < b.len() && b[i + 1].is_ascii_digit() && b[i + 2] == b'}' {
            out.push(s[i..i + 3].to_string());
        }
    }
    out.sort();
    out.dedup();
    out
}

#[test]
fn every_entry_speaks_three_languages() {
    let mut problems = Vec::new();
    let mut entries = 0;
    for c in builtin() {
        for e in c.all() {
            entries += 1;
            check_three(c, e, "message", &e.message, &mut problems);
            check_three(c, e, "description", &e.description, &mut problems);
            check_three(c, e, "hint", &e.hint, &mut problems);
        }
    }
    assert!(entries > 0);
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn translations_are_never_marked_official() {
    for c in builtin() {
        for e in c.all() {
            for l in e.official() {
                assert!(
                    c.official_langs.contains(l),
                    "{}:{}: {} marked official, but the vendor does not publish it",
                    c.id,
                    e.code,
                    l.code()
                );
            }
        }
    }
    // Where the vendor publishes one language only, every other language is a translation.
    let adobe = builtin().iter().find(|c| c.id == "adobe-pass").unwrap();
    assert!(adobe
        .all()
        .iter()
        .all(|e| !e.is_official(Lang::En) && !e.is_official(Lang::Ja)));
    let skms = builtin().iter().find(|c| c.id == "skms").unwrap();
    assert!(skms.all().iter().all(|e| !e.is_official(Lang::Ko)));
}

#[test]
fn translations_keep_placeholders() {
    for c in builtin() {
        for e in c.all() {
            // The placeholders of the vendor's own message(s) ...
            let mut wanted: Vec<String> = e
                .message
                .iter()
                .filter(|(l, _)| e.is_official(*l))
                .flat_map(|(_, t)| placeholders(t))
                .collect();
            wanted.sort();
            wanted.dedup();
            // ... appear in every translation.
            for (l, t) in e.message.iter().filter(|(l, _)| !e.is_official(*l)) {
                for p in &wanted {
                    assert!(
                        t.contains(p.as_str()),
                        "{}:{} {}: translation lost {p}",
                        c.id,
                        e.code,
                        l.code()
                    );
                }
            }
        }
    }
}

#[test]
fn documented_relations_exist() {
    let find = |cat: &str, code: &str| {
        builtin()
            .iter()
            .find(|c| c.id == cat)
            .and_then(|c| c.entry(code))
            .unwrap_or_else(|| panic!("{cat}:{code} missing"))
    };
    assert!(find("pallycon", "7110").related.iter().any(|r| r == "7115"));
    assert!(find("pallycon", "7115").related.iter().any(|r| r == "7110"));
    let around = &find("pallycon", "7011").related;
    for c in ["7009", "7010", "7012", "7013"] {
        assert!(around.iter().any(|r| r == c), "7011 related to {c}");
    }
    let apigw = find("ncp-apigw", "210");
    assert_eq!(apigw.http_status, Some(401));
    assert_eq!(apigw.message.en.as_deref(), Some("Permission Denied"));
}

#[test]
fn adobe_per_list_values_follow_the_vendor_table() {
    // The current page's table, read from vendor-facts: every (list, action, statuses) is on the entry.
    let Some(path) =
        crate::common::shared("vendor-facts/adobe-pass-enhanced-error-codes-current.tsv")
    else {
        return;
    };
    let tsv = std::fs::read_to_string(&path).unwrap();
    let adobe = builtin().iter().find(|c| c.id == "adobe-pass").unwrap();
    let mut rows = 0;
    for line in tsv.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        let [list, action, code, statuses] = cols[..] else {
            continue;
        };
        rows += 1;
        let statuses: Vec<u16> = statuses.split(',').map(|s| s.parse().unwrap()).collect();
        let e = adobe
            .entry(code)
            .unwrap_or_else(|| panic!("adobe-pass:{code} missing"));
        assert!(
            e.lists.iter().any(|l| l.id == list
                && l.action == action
                && l.http_status == statuses.as_slice()),
            "adobe-pass:{code} lacks {list} {action} {statuses:?}"
        );
        // Adobe's current lists are the default: the entry's own action and status are theirs.
        assert_eq!(
            e.action, action,
            "adobe-pass:{code}: action of the current lists"
        );
        assert!(
            e.http_status.is_some_and(|s| statuses.contains(&s)),
            "adobe-pass:{code}: status {:?} is not one of the current lists' {statuses:?}",
            e.http_status
        );
        // An older value is kept only where it differs.
        assert_ne!(e.older_action.as_deref(), Some(action), "adobe-pass:{code}");
        assert_ne!(e.older_http_status, e.http_status, "adobe-pass:{code}");
    }
    assert!(rows > 0);
    // The older page's value, where the current lists differ, is kept as older (issue 21).
    let e = adobe.entry("authorization_denied_by_mvpd").unwrap();
    assert_eq!(e.action, "none");
    assert_eq!(e.older_action.as_deref(), Some("configuration"));
    for only_old in [
        "network_connection_failure",
        "too_many_requests",
        "user_rate_limit_exceeded",
        "invalid_client_time",
    ] {
        assert!(
            adobe.entry(only_old).unwrap().lists.is_empty(),
            "{only_old} is only in the older list"
        );
    }
}
