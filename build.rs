//! Validates `catalog/*.toml` with the rules every catalog obeys (`src/catalog/schema.rs`, which
//! `errbook validate` uses too) and writes them in the stored form (`src/catalog/store.rs`), the one user
//! catalogs are cached in, to `$OUT_DIR/builtin.bin`, which the binary embeds. The built-in catalogs are
//! never parsed at run time. A bad catalog fails the build with `file:line:column: what`.

mod catalog {
    #[path = "../src/catalog/actions.rs"]
    #[allow(dead_code)]
    pub mod actions;
    #[path = "../src/catalog/index.rs"]
    #[allow(dead_code)]
    pub mod index;
    #[path = "../src/catalog/model.rs"]
    #[allow(dead_code)]
    pub mod model;
    #[path = "../src/catalog/schema.rs"]
    #[allow(dead_code)]
    pub mod schema;
    #[path = "../src/catalog/store.rs"]
    #[allow(dead_code)]
    pub mod store;
}
#[path = "src/search/glossary.rs"]
#[allow(dead_code)]
mod glossary;
#[path = "src/normalize.rs"]
#[allow(dead_code)]
mod normalize;

use std::path::{Path, PathBuf};

/// The catalogs with these ids come first, in this order; any other file after them, by name.
const ORDER: [&str; 5] = ["pallycon", "adobe-pass", "skms", "livestation", "ncp-apigw"];

/// `catalog/glossary.toml`: search's cross-language glossary (`src/search/glossary.rs`), not a catalog.
const GLOSSARY: &str = "glossary.toml";

fn main() {
    println!("cargo:rerun-if-changed=catalog");
    for f in ["actions", "index", "model", "schema", "store"] {
        println!("cargo:rerun-if-changed=src/catalog/{f}.rs");
    }
    println!("cargo:rerun-if-changed=src/normalize.rs");
    println!("cargo:rerun-if-changed=src/search/glossary.rs");
    let mut paths: Vec<PathBuf> = std::fs::read_dir("catalog")
        .unwrap_or_else(|e| fail(&format!("catalog/: {e}")))
        .filter_map(|d| d.ok().map(|d| d.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        // The cross-language glossary of search is no vendor catalog; the binary embeds it as it is.
        .filter(|p| p.file_name().is_none_or(|n| n != GLOSSARY))
        .collect();
    paths.sort();
    let texts: Vec<(PathBuf, String)> = paths
        .into_iter()
        .map(|p| {
            println!("cargo:rerun-if-changed={}", p.display());
            let text = std::fs::read_to_string(&p)
                .unwrap_or_else(|e| fail(&format!("{}: {e}", p.display())));
            (p, text)
        })
        .collect();
    let mut files = Vec::new();
    let mut failed = false;
    for (path, text) in &texts {
        match catalog::schema::parse_catalog(text) {
            Ok(file) => files.push((path, file)),
            Err(problems) => {
                failed = true;
                for p in problems {
                    eprintln!("error: {}:{p}", path.display());
                }
            }
        }
    }
    if failed {
        fail("invalid built-in catalog (see the errors above)");
    }
    let mut ids = std::collections::HashSet::new();
    for (path, f) in &files {
        if !ids.insert(f.id().to_string()) {
            fail(&format!(
                "{}:1:1: catalog id {:?} is used by another catalog",
                path.display(),
                f.id()
            ));
        }
    }
    // A related code of another catalog must be one of the built-in catalogs' codes.
    let codes: std::collections::HashSet<(String, String)> = files
        .iter()
        .flat_map(|(_, f)| {
            f.entry
                .iter()
                .map(|e| (f.id().to_string(), e.get_ref().code.to_lowercase()))
        })
        .collect();
    for ((path, f), (_, text)) in files.iter().zip(&texts) {
        for e in &f.entry {
            for (id, code) in e.get_ref().foreign_related() {
                if !codes.contains(&(id.to_string(), code.to_lowercase())) {
                    let (line, column) = catalog::schema::line_col(text, e.span().start);
                    eprintln!(
                        "error: {}:{line}:{column}: entry {:?}: related code \"{id}:{code}\" is in no built-in catalog",
                        path.display(),
                        e.get_ref().code
                    );
                    failed = true;
                }
            }
        }
    }
    if failed {
        fail("invalid built-in catalog (see the errors above)");
    }
    files.sort_by_key(|(path, f)| {
        let at = ORDER.iter().position(|o| *o == f.id());
        (at.unwrap_or(ORDER.len()), path.to_path_buf())
    });
    let mut blob = Vec::new();
    let mut stores = Vec::new();
    for (path, f) in &files {
        let stored: &'static [u8] = Box::leak(f.stored().into_boxed_slice());
        let read_back = catalog::store::Store::open(stored);
        let Some(store) = read_back.filter(|s| s.len() == f.entry.len() && s.meta().id == f.id())
        else {
            fail(&format!(
                "{}: the stored form does not read back",
                path.display()
            ));
        };
        blob.extend((stored.len() as u64).to_le_bytes());
        blob.extend_from_slice(stored);
        stores.push(store);
    }
    let out_dir = std::env::var("OUT_DIR").unwrap_or_else(|_| fail("OUT_DIR is not set"));
    let out = Path::new(&out_dir).join("builtin.bin");
    std::fs::write(&out, blob).unwrap_or_else(|e| fail(&format!("{}: {e}", out.display())));
    // One search index of every built-in catalog, each catalog's entries after the previous one's, as
    // they read back: a search of the built-in catalogs reads one index instead of one per catalog.
    // Its head: the number of catalogs and each one's number of entries (u32, little-endian).
    let mut index = Vec::new();
    index.extend((stores.len() as u32).to_le_bytes());
    for s in &stores {
        index.extend((s.len() as u32).to_le_bytes());
    }
    let entries = stores
        .iter()
        .flat_map(|s| (0..s.len()).map(move |i| (s.meta(), s.entry(i))));
    index.extend(catalog::index::build_many(entries));
    let out = Path::new(&out_dir).join("builtin-index.bin");
    std::fs::write(&out, index).unwrap_or_else(|e| fail(&format!("{}: {e}", out.display())));
    glossary(Path::new(&out_dir));
    long_version(&files, Path::new(&out_dir));
}

/// `errbook --version` names the data that answers: each catalog with its newest source date.
fn long_version(files: &[(&PathBuf, catalog::schema::CatalogFile)], out_dir: &Path) {
    let width = files.iter().map(|(_, f)| f.id().len()).max().unwrap_or(0);
    let mut versions = format!(
        "{}\nbuilt-in catalogs, with the date of their newest dated source:",
        env!("CARGO_PKG_VERSION")
    );
    for (_, f) in files {
        let meta = f.meta();
        let newest = meta.sources.iter().filter_map(|s| s.date.as_deref()).max();
        versions.push_str(&format!(
            "\n  {:width$}  {}",
            f.id(),
            newest.unwrap_or("undated (the source gives no date)")
        ));
    }
    let out = out_dir.join("long-version.txt");
    std::fs::write(&out, versions).unwrap_or_else(|e| fail(&format!("{}: {e}", out.display())));
}

/// One `[[term]]` of the glossary.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Term {
    #[serde(default)]
    en: Vec<String>,
    #[serde(default)]
    ko: Vec<String>,
    #[serde(default)]
    ja: Vec<String>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Glossary {
    term: Vec<Term>,
}

/// Checks `catalog/glossary.toml` and writes it folded, one term a line, its forms separated by tabs
/// (`$OUT_DIR/glossary.tsv`), so that a search neither parses TOML nor splits the forms.
fn glossary(out_dir: &Path) {
    let path = Path::new("catalog").join(GLOSSARY);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| fail(&format!("{}: {e}", path.display())));
    let g: Glossary =
        toml::from_str(&text).unwrap_or_else(|e| fail(&format!("{}: {e}", path.display())));
    let mut tsv = String::new();
    for (n, t) in g.term.iter().enumerate() {
        let forms = t.en.iter().chain(&t.ko).chain(&t.ja);
        if forms.clone().any(|f| normalize::normalize(f).is_empty()) {
            fail(&format!(
                "{}: term {}: an empty form",
                path.display(),
                n + 1
            ));
        }
        // Each form is stored with its units as a query is split, so that a search does not split them
        // again.
        let Some(line) = glossary::line(forms.map(String::as_str)) else {
            fail(&format!(
                "{}: term {}: fewer than two forms, or a form with a tab or a control character",
                path.display(),
                n + 1
            ));
        };
        tsv.push_str(&line);
        tsv.push('\n');
    }
    let out = out_dir.join("glossary.tsv");
    std::fs::write(&out, tsv).unwrap_or_else(|e| fail(&format!("{}: {e}", out.display())));
}

fn fail(msg: &str) -> ! {
    eprintln!("error: {msg}");
    std::process::exit(1);
}
