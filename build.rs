//! Validates `catalog/*.toml` and compiles them into the binary, so that the built-in catalogs are never
//! parsed at run time. A bad catalog fails the build with `file:line:column: what`.
//!
//! A catalog's header becomes Rust data; its entries become integers that point into one text (see
//! `catalog::Span` for why), with each entry's related codes worked out (`form::nearest`) and its text
//! folded for search; every entry's keys go into one sorted table. `$OUT_DIR/builtin.rs` declares it all,
//! `$OUT_DIR/pool.txt` is the text.

#[path = "src/form.rs"]
#[allow(dead_code)]
mod form;
#[path = "src/model.rs"]
#[allow(dead_code)]
mod model;
#[path = "src/normalize.rs"]
#[allow(dead_code)]
mod normalize;

use model::{CatalogFile, Lang, Texts};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    println!("cargo:rerun-if-changed=catalog");
    println!("cargo:rerun-if-changed=src/model.rs");
    println!("cargo:rerun-if-changed=src/normalize.rs");
    println!("cargo:rerun-if-changed=src/form.rs");
    let dir = Path::new("catalog");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| fail(&format!("catalog/: {e}")))
        .filter_map(|d| d.ok().map(|d| d.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    paths.sort();
    let order = ["pallycon", "adobe-pass", "skms", "livestation", "ncp-apigw"];
    let mut catalogs = Vec::new();
    let mut failed = false;
    for path in &paths {
        println!("cargo:rerun-if-changed={}", path.display());
        let text = std::fs::read_to_string(path)
            .unwrap_or_else(|e| fail(&format!("{}: {e}", path.display())));
        match model::parse_catalog(&text) {
            Ok(c) => catalogs.push((path.clone(), c)),
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
    for (path, c) in &catalogs {
        if !ids.insert(c.catalog.id.get_ref().clone()) {
            fail(&format!(
                "{}:1:1: catalog id {:?} is used by another catalog",
                path.display(),
                c.catalog.id.get_ref()
            ));
        }
    }
    // Known catalogs first, in a fixed order; any other file after them, by name.
    catalogs.sort_by_key(|(path, c)| {
        let id = c.catalog.id.get_ref().as_str();
        (
            order.iter().position(|o| *o == id).unwrap_or(order.len()),
            path.clone(),
        )
    });
    let mut t = Tables::default();
    // The keys first, side by side at the start of the pool: a lookup's binary search reads a few pages.
    for (_, c) in &catalogs {
        for e in &c.entry {
            let e = e.get_ref();
            for k in std::iter::once(&e.code).chain(&e.name).chain(&e.aliases) {
                t.span(&k.to_lowercase());
            }
        }
    }
    // Then each entry's text, and the folded text (search's) after all of it, when `t.entry` below adds it:
    // a listing reads every entry's text but none of the folded, a lookup one entry's text, which is close
    // together. `span` keeps the first place of a string.
    for (_, c) in &catalogs {
        for e in &c.entry {
            let e = e.get_ref();
            for s in [&e.code, e.domain.get_ref(), e.action.get_ref()]
                .into_iter()
                .chain(&e.name)
                .chain(&e.source)
            {
                t.span(s);
            }
            for texts in [&e.message, &e.official_note, &e.description, &e.hint] {
                for s in Lang::ALL.into_iter().filter_map(|l| texts.get(l)) {
                    t.span(s);
                }
            }
        }
    }
    let mut out = format!(
        "/// The catalogs compiled into errbook, in their order.\npub static PREBUILT: [Prebuilt; {}] = [\n",
        catalogs.len()
    );
    // Every key of every entry, lowercase: (key, catalog, entry, is the code).
    let mut keys: Vec<(String, usize, usize, bool)> = Vec::new();
    for (n, (_, c)) in catalogs.iter().enumerate() {
        emit_header(&mut out, c);
        out.push_str("entries: &[\n");
        let rows: Vec<(&str, &str)> = c
            .entry
            .iter()
            .map(|e| {
                (
                    e.get_ref().domain.get_ref().as_str(),
                    e.get_ref().code.as_str(),
                )
            })
            .collect();
        for (i, e) in c.entry.iter().enumerate() {
            let e = e.get_ref();
            let nearby: Vec<&str> = if e.related.is_empty() {
                form::nearest(&rows, i)
                    .into_iter()
                    .map(|j| rows[j].1)
                    .collect()
            } else {
                // The catalog's own links (each names one of its entries: checked when it was parsed).
                e.related.iter().map(String::as_str).collect()
            };
            let _ = writeln!(out, "{},", t.entry(e, &nearby));
            keys.push((e.code.to_lowercase(), n, i, true));
            for k in e.name.iter().chain(&e.aliases) {
                keys.push((k.to_lowercase(), n, i, false));
            }
        }
        out.push_str("] },\n");
    }
    out.push_str("];\n");
    keys.sort();
    // A code that is also its entry's alias is one key, marked as the code.
    keys.dedup_by(|later, kept| {
        let same = later.0 == kept.0 && later.1 == kept.1 && later.2 == kept.2;
        kept.3 |= same && later.3;
        same
    });
    let keys: Vec<String> = keys
        .iter()
        .map(|(key, n, i, code)| {
            format!(
                "KeyRef {{ key: {}, catalog: {n}, entry: {i}, code: {code} }}",
                t.span(key)
            )
        })
        .collect();
    t.emit(
        &mut out,
        "KEYS",
        "KeyRef",
        "Every built-in entry's keys, lowercase, sorted.",
        &keys,
    );
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR"));
    let write = |name: &str, bytes: &[u8]| {
        let path = out_dir.join(name);
        std::fs::write(&path, bytes).unwrap_or_else(|e| fail(&format!("{}: {e}", path.display())));
    };
    let plain_end = t.pool.len();
    if u32::try_from(plain_end + t.escaped.len()).is_err() {
        fail("built-in catalogs too large");
    }
    t.pool.push_str(&t.escaped);
    write("pool.txt", t.pool.as_bytes());
    out.push_str(
        "/// The text of every built-in string.\npub static POOL: &str = include_str!(concat!(env!(\"OUT_DIR\"), \"/pool.txt\"));\n",
    );
    let _ = writeln!(
        out,
        "/// Where the strings that need escaping in JSON start in `POOL`.\npub const PLAIN_END: u32 = {plain_end};"
    );
    write("builtin.rs", out.as_bytes());
}

/// The text and tables the compiled entries point into (see `catalog::Span`).
#[derive(Default)]
struct Tables {
    pool: String,
    /// The strings that need escaping in JSON, after `pool` in the text.
    escaped: String,
    /// Where each string already in the text is: whether in `pool`, start, end (a code, a domain, a URL
    /// recur often).
    at: std::collections::HashMap<String, (bool, usize, usize)>,
    spans: Vec<String>,
    langs: Vec<String>,
    list_values: Vec<String>,
    statuses: Vec<String>,
}

impl Tables {
    /// `Span(start, end)` of `text` in the pool.
    ///
    /// A string JSON writes unescaped goes to `pool`, any other (one with a `"`, a `\\` or a control
    /// character) to `escaped`, which follows it in the text, so that the JSON writer knows a string of
    /// the first part needs no check (`catalog::needs_no_escape`).
    fn span(&mut self, text: &str) -> String {
        let (pool, escaped) = (&mut self.pool, &mut self.escaped);
        let (plain, a, b) = *self.at.entry(text.to_string()).or_insert_with(|| {
            let plain = !text.bytes().any(form::json_escaped);
            let to = if plain { pool } else { escaped };
            let a = to.len();
            to.push_str(text);
            (plain, a, to.len())
        });
        let fits =
            |x: usize| u32::try_from(x).unwrap_or_else(|_| fail("built-in catalogs too large"));
        if plain {
            format!("Span({}, {})", fits(a), fits(b))
        } else {
            let at = |x: usize| match fits(x) {
                0 => "PLAIN_END".to_string(),
                x => format!("PLAIN_END + {x}"),
            };
            format!("Span({}, {})", at(a), at(b))
        }
    }

    fn opt(&mut self, text: Option<&str>) -> String {
        match text {
            Some(t) => format!("Some({})", self.span(t)),
            None => "None".into(),
        }
    }

    /// The span of `items` appended to `table`.
    fn range(table: &mut Vec<String>, items: Vec<String>) -> String {
        let a = table.len();
        table.extend(items);
        format!("Span({a}, {})", table.len())
    }

    fn strs<'a>(&mut self, items: impl IntoIterator<Item = &'a str>) -> String {
        let items: Vec<String> = items.into_iter().map(|s| self.span(s)).collect();
        Self::range(&mut self.spans, items)
    }

    fn texts(&mut self, t: &Texts) -> String {
        format!(
            "[{}, {}, {}]",
            self.opt(t.en.as_deref()),
            self.opt(t.ko.as_deref()),
            self.opt(t.ja.as_deref())
        )
    }

    fn entry(&mut self, e: &model::Entry, nearby: &[&str]) -> String {
        let langs = e
            .official
            .iter()
            .flatten()
            .map(|l| lang(*l).to_string())
            .collect();
        let mut lists = Vec::new();
        for l in &e.list {
            let statuses = l.http_status.iter().map(u16::to_string).collect();
            let statuses = Self::range(&mut self.statuses, statuses);
            lists.push(format!(
                "RawListValue {{ id: {}, action: {}, http_status: {statuses} }}",
                self.span(&l.id),
                self.span(&l.action)
            ));
        }
        let [keys, messages, rest] = e.folded();
        format!(
            "RawEntry {{ code: {}, name: {}, aliases: {}, domain: {}, http_status: {:?}, action: {}, kind: Kind::{:?}, \
             related: {}, official: {}, message: {}, official_note: {}, description: {}, hint: {}, lists: {}, \
             source: {}, nearby: {}, folded: [{}, {}, {}] }}",
            self.span(&e.code),
            self.opt(e.name.as_deref()),
            self.strs(e.aliases.iter().map(String::as_str)),
            self.span(e.domain.get_ref()),
            e.http_status,
            self.span(e.action.get_ref()),
            e.kind,
            self.strs(e.related.iter().map(String::as_str)),
            Self::range(&mut self.langs, langs),
            self.texts(&e.message),
            self.texts(&e.official_note),
            self.texts(&e.description),
            self.texts(&e.hint),
            Self::range(&mut self.list_values, lists),
            self.opt(e.source.as_deref()),
            self.strs(nearby.iter().copied()),
            self.span(&keys),
            self.span(&messages),
            self.span(&rest)
        )
    }

    /// The tables, and `extra` (named `name`, of `ty`), as Rust statics.
    fn emit(&self, out: &mut String, name: &str, ty: &str, doc: &str, extra: &[String]) {
        let tables: [(&str, &str, &str, &[String]); 5] = [
            (
                "SPANS",
                "Span",
                "Strings lists point into (aliases, related codes).",
                &self.spans,
            ),
            ("LANGS", "Lang", "Entries' official languages.", &self.langs),
            (
                "LIST_VALUES",
                "RawListValue",
                "Entries' values in further lists.",
                &self.list_values,
            ),
            (
                "STATUSES",
                "u16",
                "HTTP statuses of list values.",
                &self.statuses,
            ),
            (name, ty, doc, extra),
        ];
        for (name, ty, doc, items) in tables {
            let _ = writeln!(
                out,
                "/// {doc}\npub static {name}: [{ty}; {}] = [",
                items.len()
            );
            for i in items {
                let _ = writeln!(out, "{i},");
            }
            out.push_str("];\n");
        }
    }
}

/// Hands `layout/hot-code.ld` to the linker for the errbook binary. It names the functions that
/// errbook's everyday commands run, and the linker puts them together ahead of the rest of the code, so
/// that starting errbook faults in a few neighbouring pages of code instead of pages spread over all of
/// it (`scripts/hot-code.sh` writes the file and checks that it is up to date).
///
/// The file adds one output section to the linker's default layout (`INSERT BEFORE .text`), which
/// GNU ld and LLD (Rust's default on Linux) understand and gold and mold do not: it is used for Linux
/// targets whose linker is driven through `cc`, unless the flags or the configured linker name gold or
/// mold, or `ERRBOOK_CODE_LAYOUT=off` is set.
fn fail(msg: &str) -> ! {
    eprintln!("error: {msg}");
    std::process::exit(1);
}

fn s(v: &str) -> String {
    format!("{v:?}")
}

fn opt(v: &Option<String>) -> String {
    match v {
        Some(v) => format!("Some({v:?})"),
        None => "None".into(),
    }
}

fn lang(l: Lang) -> &'static str {
    match l {
        Lang::En => "Lang::En",
        Lang::Ko => "Lang::Ko",
        Lang::Ja => "Lang::Ja",
    }
}

fn texts(t: &Texts) -> String {
    format!(
        "Texts {{ en: {}, ko: {}, ja: {} }}",
        opt(&t.en),
        opt(&t.ko),
        opt(&t.ja)
    )
}

fn list<T>(items: &[T], f: impl Fn(&T) -> String) -> String {
    let parts: Vec<String> = items.iter().map(f).collect();
    format!("&[{}]", parts.join(", "))
}

/// The start of a `Prebuilt`: the catalog's header, as Rust data.
fn emit_header(out: &mut String, c: &CatalogFile) {
    let h = &c.catalog;
    // validate() made sure that a built-in catalog (which has no base) has every header field.
    let _ = writeln!(
        out,
        "Prebuilt {{ id: {}, vendor: {}, product: {}, official_langs: {}, description: {},",
        s(h.id.get_ref()),
        s(h.vendor.as_deref().unwrap_or_default()),
        s(h.product.as_deref().unwrap_or_default()),
        list(h.official_langs.as_deref().unwrap_or_default(), |l| lang(
            *l
        )
        .into()),
        texts(&h.description.clone().unwrap_or_default())
    );
    let _ = writeln!(
        out,
        "sources: {},",
        list(&h.source, |x| format!(
            "Source {{ title: {}, url: {}, lang: {}, date: {} }}",
            opt(&x.title),
            opt(&x.url),
            x.lang
                .map_or("None".into(), |l| format!("Some({})", lang(l))),
            opt(&x.date)
        ))
    );
    let titled = |id: &str, title: &Texts| format!("{{ id: {}, title: {} }}", s(id), texts(title));
    let _ = writeln!(
        out,
        "domains: {},",
        list(&c.domain, |d| format!(
            "Domain {}",
            titled(&d.get_ref().id, &d.get_ref().title)
        ))
    );
    let _ = writeln!(
        out,
        "lists: {},",
        list(&c.list, |d| format!(
            "ListDef {}",
            titled(&d.get_ref().id, &d.get_ref().title)
        ))
    );
}
