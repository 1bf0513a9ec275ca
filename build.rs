//! Validates `catalog/*.toml` and compiles them into static Rust data (`$OUT_DIR/builtin.rs`), so that the
//! built-in catalogs are never parsed at run time. A bad catalog fails the build with `file:line:column: what`.

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
    let mut out = format!(
        "/// The catalogs compiled into errbook.\npub static BUILTIN: [Catalog; {}] = [\n",
        catalogs.len()
    );
    for (_, c) in &catalogs {
        emit_catalog(&mut out, c);
    }
    out.push_str("];\n");
    let dest = PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR")).join("builtin.rs");
    std::fs::write(&dest, out).unwrap_or_else(|e| fail(&format!("{}: {e}", dest.display())));
}

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

fn emit_catalog(out: &mut String, c: &CatalogFile) {
    let h = &c.catalog;
    // validate() made sure that a built-in catalog (which has no base) has every header field.
    let _ = writeln!(
        out,
        "Catalog {{ id: {}, vendor: {}, product: {}, official_langs: {}, description: {}, origin: Origin::BuiltIn, extended_by: &[],",
        s(h.id.get_ref()),
        s(h.vendor.as_deref().unwrap_or_default()),
        s(h.product.as_deref().unwrap_or_default()),
        list(h.official_langs.as_deref().unwrap_or_default(), |l| lang(*l).into()),
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
    let _ = writeln!(
        out,
        "domains: {},",
        list(&c.domain, |d| format!(
            "Domain {{ id: {}, title: {} }}",
            s(&d.get_ref().id),
            texts(&d.get_ref().title)
        ))
    );
    let _ = writeln!(
        out,
        "lists: {},",
        list(&c.list, |d| format!(
            "ListDef {{ id: {}, title: {} }}",
            s(&d.get_ref().id),
            texts(&d.get_ref().title)
        ))
    );
    out.push_str("entries: Entries::Static(&[\n");
    for e in &c.entry {
        let e = e.get_ref();
        let [keys, messages, rest] = e.folded();
        let _ = writeln!(
            out,
            "Entry {{ code: {}, name: {}, aliases: {}, domain: {}, http_status: {}, action: {}, kind: Kind::{:?}, related: {}, official: {}, message: {}, official_note: {}, description: {}, hint: {}, lists: {}, source: {}, origin: Origin::BuiltIn, folded: Some(Folded {{ keys: {}, messages: {}, rest: {} }}) }},",
            s(&e.code),
            opt(&e.name),
            list(&e.aliases, |a| s(a)),
            s(e.domain.get_ref()),
            e.http_status.map_or("None".into(), |v| format!("Some({v})")),
            s(e.action.get_ref()),
            e.kind,
            list(&e.related, |a| s(a)),
            list(e.official.as_deref().unwrap_or(&[]), |l| lang(*l).into()),
            texts(&e.message),
            texts(&e.official_note),
            texts(&e.description),
            texts(&e.hint),
            list(&e.list, |l| format!(
                "ListValue {{ id: {}, action: {}, http_status: &{:?} }}",
                s(&l.id),
                s(&l.action),
                l.http_status
            )),
            opt(&e.source),
            s(&keys),
            s(&messages),
            s(&rest)
        );
    }
    out.push_str("]), nearby: Nearby::new() },\n");
}
