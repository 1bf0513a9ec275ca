//! `search` as users and scripts see it: what `matched` says, glossary terms from user catalogs,
//! suggestions for names that are no code, and large limits.

use errbook::render::Document;
use std::path::Path;
use tempfile::TempDir;

use crate::common;
use common::run_with as run;

fn json(args: &[&str], home: &Path) -> Document {
    let r = run(common::errbook_home(home)
        .args(args)
        .args(["--format", "json"]));
    assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{args:?}: {e}"))
}

/// Every search result says which fields and terms matched; a lookup's entries say null.
#[test]
fn search_results_say_what_matched() {
    let home = TempDir::new().unwrap();
    let doc = json(&["search", "만료된", "토큰", "--limit", "5"], home.path());
    assert_eq!(doc.schema_version, 1);
    assert!(!doc.results.is_empty());
    for e in &doc.results {
        let m = e.matched.as_ref().expect("matched");
        assert!(!m.fields.is_empty() && !m.terms.is_empty(), "{m:?}");
        for f in &m.fields {
            assert!(
                ["key", "message", "title", "text"].contains(&f.as_str()),
                "{f}"
            );
        }
    }
    let p = doc
        .results
        .iter()
        .find(|e| e.catalog == "pallycon" && e.code == "7011")
        .expect("pallycon 7011 in the top 5");
    let m = p.matched.as_ref().unwrap();
    assert!(m.fields.iter().any(|f| f == "message"), "{m:?}");
    // SKMS's Korean text says "Key Vault": found through the glossary, and `matched` says so.
    let doc = json(&["search", "키볼트", "--limit", "3"], home.path());
    let top = &doc.results[0];
    assert_eq!((top.catalog.as_str(), top.code.as_str()), ("skms", "40008"));
    let m = top.matched.as_ref().unwrap();
    assert!(m.terms.iter().any(|t| t == "key vault"), "{m:?}");
    let doc = json(&["lookup", "7011"], home.path());
    assert!(doc.results.iter().all(|e| e.matched.is_none()));
}

/// A user catalog's `[[glossary]]` bridges its own words: a Korean query finds an English-only entry.
#[test]
fn a_user_catalog_adds_glossary_terms() {
    let home = TempDir::new().unwrap();
    let file = home.path().join("shield.toml");
    let text = |glossary: &str| {
        format!(
            r#"[catalog]
id = "shield"
vendor = "Test vendor"
product = "Test product"
official_langs = ["en"]
description.en = "A catalog written by a test."

[[domain]]
id = "edge"
title.en = "Edge"

[[entry]]
code = "S-1"
domain = "edge"
action = "retry"
official = ["en"]
message.en = "Origin shield unreachable."
{glossary}"#
        )
    };
    std::fs::write(&file, text("")).unwrap();
    let f = file.to_str().unwrap();
    let search = |home: &Path| {
        let r = run(common::errbook_home(home).args([
            "--catalog-file",
            f,
            "search",
            "오리진 쉴드",
            "--format",
            "json",
        ]));
        let doc: Option<Document> = serde_json::from_str(&r.stdout).ok();
        doc.is_some_and(|d| {
            d.results
                .iter()
                .any(|e| e.catalog == "shield" && e.code == "S-1")
        })
    };
    assert!(!search(home.path()), "found without a glossary term");
    std::fs::write(
        &file,
        text("\n[[glossary]]\nen = [\"origin shield\"]\nko = [\"오리진 쉴드\"]\n"),
    )
    .unwrap();
    assert!(search(home.path()), "the glossary term was not used");
    let r = run(common::errbook_home(home.path()).args(["validate", f]));
    assert_eq!(r.code, 0, "{}", r.stderr);
}

/// A name or word that is no code suggests what a search finds, not only near spellings.
#[test]
fn lookup_of_a_word_suggests_search_results() {
    for (query, expect) in [
        ("token_expired", "7011 (pallycon)"),
        ("token_expired", "access_token_expired (adobe-pass)"),
        ("DRM_DEVICE_CERTIFICATE_REVOKED", "0x8004C065 (playready)"),
    ] {
        let r = run(common::errbook().args(["lookup", query]));
        assert_eq!(r.code, 1, "{query}");
        let said = r.stderr.lines().nth(1).unwrap_or_default().to_string();
        assert!(said.starts_with("did you mean "), "{query}: {said}");
        assert!(said.contains(expect), "{query}: {said}");
    }
}

/// A limit larger than the catalogs is every match once, in order.
#[test]
fn a_huge_limit_lists_each_match_once() {
    let home = TempDir::new().unwrap();
    let doc = json(&["search", "license", "--limit", "1000000"], home.path());
    let mut seen = std::collections::HashSet::new();
    for e in &doc.results {
        assert!(
            seen.insert((e.catalog.clone(), e.code.clone())),
            "{}",
            e.code
        );
    }
    let scores: Vec<f64> = doc.results.iter().map(|e| e.score.unwrap()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]));
    let limited = json(&["search", "license", "--limit", "10"], home.path());
    assert_eq!(limited.results.len(), 10);
    assert!(doc.results.len() > 100, "{}", doc.results.len());
    for (a, b) in limited.results.iter().zip(&doc.results) {
        assert_eq!((&a.catalog, &a.code), (&b.catalog, &b.code));
    }
}

/// A cache file damaged where only the search index reads (its last bytes: the postings of the last
/// term) is made again, and the search gives what the catalog says.
#[test]
fn a_damaged_index_in_the_cache_is_rebuilt_and_searched_again() {
    let home = TempDir::new().unwrap();
    let cache = TempDir::new().unwrap();
    let mut text = String::from(
        "[catalog]\nid = \"big\"\nvendor = \"V\"\nproduct = \"P\"\nofficial_langs = [\"en\"]\n\
         description.en = \"A catalog written by a test.\"\n\n[[domain]]\nid = \"d\"\ntitle.en = \"D\"\n",
    );
    // Enough text that the index lies in other checksum blocks than the entries.
    for i in 0..1200 {
        let word = if i == 1199 { "zzyzx" } else { "ordinary" };
        text.push_str(&format!(
            "\n[[entry]]\ncode = \"B-{i}\"\ndomain = \"d\"\naction = \"retry\"\nofficial = [\"en\"]\n\
             message.en = \"A {word} failure number {i} with a message long enough to fill the blocks.\"\n"
        ));
    }
    let file = home.path().join("big.toml");
    std::fs::write(&file, text).unwrap();
    let search = || {
        let r = run(common::errbook_home(home.path())
            .env("XDG_CACHE_HOME", cache.path())
            .arg("--catalog-file")
            .arg(&file)
            .args(["search", "zzyzx", "--format", "plain"]));
        r.stdout.lines().any(|l| l.starts_with("big\tB-1199\t"))
    };
    assert!(search(), "before any damage");
    let dir = cache.path().join("errbook");
    let cached: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(cached.len(), 1);
    let mut bytes = std::fs::read(&cached[0]).unwrap();
    assert!(bytes.len() > 3 * 65536, "{}", bytes.len());
    let n = bytes.len();
    bytes[n - 1] ^= 0x55;
    std::fs::write(&cached[0], &bytes).unwrap();
    assert!(search(), "after the index was damaged");
}
