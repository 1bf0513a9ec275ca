//! The player- and platform-side catalogs against copies of the lists they were written from
//! (`tests/data/players/<catalog>.tsv`: the codes, names and categories as the source defines them, with
//! the source and the version that was read in its header).
//!
//! A list file starts with `# catalog: <id>`, `# source: <where>` and `# version: <version>` lines, then a
//! header row `code  name  category  status` (tab-separated; a further `related` column may name a code
//! each entry must list as related). `status` is `active`, `retired` or `observed`; a name of `-` means
//! the source gives none.

use errbook::catalog::{builtin, Catalog};
use std::collections::HashMap;
use std::path::Path;

/// The catalogs made from the server-side vendors' documents (`../shared/seeds`), which
/// `tests/fidelity.rs` checks instead.
const SEEDED: [&str; 5] = ["pallycon", "adobe-pass", "skms", "livestation", "ncp-apigw"];

struct List {
    catalog: String,
    version: String,
    rows: Vec<HashMap<String, String>>,
}

fn read(path: &Path) -> List {
    let text = std::fs::read_to_string(path).unwrap();
    let mut meta = HashMap::new();
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let mut header: Vec<String> = Vec::new();
    for line in lines.by_ref() {
        if let Some(m) = line.strip_prefix("# ") {
            if let Some((k, v)) = m.split_once(": ") {
                meta.insert(k.to_string(), v.trim().to_string());
            }
            continue;
        }
        header = line.split('\t').map(str::to_string).collect();
        break;
    }
    assert_eq!(
        header[..4],
        ["code", "name", "category", "status"],
        "{}: header",
        path.display()
    );
    let rows = lines
        .map(|l| {
            let cells: Vec<&str> = l.split('\t').collect();
            assert_eq!(cells.len(), header.len(), "{}: {l:?}", path.display());
            header
                .iter()
                .cloned()
                .zip(cells.iter().map(|c| c.to_string()))
                .collect()
        })
        .collect();
    let get = |k: &str| {
        meta.get(k)
            .unwrap_or_else(|| panic!("{}: no '# {k}:' line", path.display()))
            .clone()
    };
    get("source");
    List {
        catalog: get("catalog"),
        version: get("version"),
        rows,
    }
}

fn lists() -> Vec<List> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/players");
    let mut paths: Vec<_> = match std::fs::read_dir(&dir) {
        Ok(d) => d.filter_map(|e| e.ok().map(|e| e.path())).collect(),
        Err(_) => Vec::new(),
    };
    paths.retain(|p| p.extension().is_some_and(|x| x == "tsv"));
    paths.sort();
    paths.iter().map(|p| read(p)).collect()
}

fn catalog(id: &str) -> &'static Catalog {
    builtin()
        .iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("no built-in catalog {id}"))
}

/// Every built-in catalog not made from the seeds has a list it was written from, and only one.
#[test]
fn every_player_catalog_has_its_source_list() {
    let lists = lists();
    for c in builtin() {
        if SEEDED.contains(&c.id.as_ref()) {
            continue;
        }
        let n = lists.iter().filter(|l| l.catalog == c.id).count();
        assert_eq!(n, 1, "{}: {n} lists in tests/data/players", c.id);
    }
    for l in &lists {
        catalog(&l.catalog);
    }
}

/// Each list's codes are the catalog's codes, with the source's names, one domain per category, and the
/// retired and observed codes marked as such; the catalog cites the version that was read.
#[test]
fn player_catalogs_match_their_source_lists() {
    for l in lists() {
        let c = catalog(&l.catalog);
        let id = &l.catalog;
        assert!(!l.rows.is_empty(), "{id}: empty list");
        let cited = c.sources.iter().any(|s| {
            [&s.title, &s.url, &s.date]
                .iter()
                .any(|f| f.as_deref().is_some_and(|f| f.contains(&l.version)))
        });
        assert!(
            cited,
            "{id}: no source of the catalog names version {}",
            l.version
        );
        let mut domains: HashMap<&str, String> = HashMap::new();
        for r in &l.rows {
            let code = &r["code"];
            let e = c
                .entry(code)
                .unwrap_or_else(|| panic!("{id}: {code} is in the list, not in the catalog"));
            assert_eq!(&e.code, code, "{id}: code spelled as the source spells it");
            let name = &r["name"];
            if name != "-" {
                assert_eq!(e.name.as_deref(), Some(name.as_str()), "{id}:{code} name");
            }
            let domain = domains
                .entry(&r["category"])
                .or_insert(e.domain.to_string());
            assert_eq!(*domain, e.domain, "{id}:{code}: one domain per category");
            let status = r["status"].as_str();
            assert!(
                matches!(status, "active" | "retired" | "observed"),
                "{id}:{code} status {status:?}"
            );
            assert_eq!(e.retired, status == "retired", "{id}:{code} retired");
            assert_eq!(e.observed, status == "observed", "{id}:{code} observed");
            if let Some(related) = r.get("related").filter(|r| !r.is_empty() && *r != "-") {
                assert!(
                    e.related.iter().any(|x| x == related),
                    "{id}:{code} is not related to {related}"
                );
            }
        }
        let mut seen: Vec<&String> = domains.values().collect();
        let n = seen.len();
        seen.sort();
        seen.dedup();
        assert_eq!(seen.len(), n, "{id}: two categories share a domain");
        for e in c.all() {
            assert!(
                l.rows.iter().any(|r| r["code"] == e.code),
                "{id}:{} is in the catalog, not in the list",
                e.code
            );
        }
    }
}
