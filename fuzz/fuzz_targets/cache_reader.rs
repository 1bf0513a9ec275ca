//! The cache reader: a cache file's bytes, random or a valid cache file with random damage, read the way
//! errbook reads a cache file (the key, then the stored catalog, entry by entry, key by key). Nothing may
//! panic, and whatever reads must be exactly what the catalog file says: a damaged cache answers `None`
//! (and errbook reads the file again), never other text (issue 20 #3).
//!
//! An input that starts with `M` is a list of edits to a valid cache file (4 bytes each: where, as a
//! fraction of the file; what to do; a byte), so that the damage lands everywhere in a file far larger
//! than the inputs libFuzzer grows; any other input is read as a cache file as it is.
#![no_main]

use errbook::catalog::cache::{self, Key};
use errbook::catalog::schema;
use errbook::catalog::store::Store;
use errbook::catalog::Entry;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

struct Truth {
    entries: Vec<Entry<'static>>,
    related: Vec<Vec<usize>>,
    meta: errbook::catalog::Meta<'static>,
    file: Vec<u8>,
}

fn truth() -> &'static Truth {
    static TRUTH: OnceLock<Truth> = OnceLock::new();
    TRUTH.get_or_init(|| {
        let mut text = String::from(
            "[catalog]\nid = \"fuzz\"\nvendor = \"V\"\nproduct = \"P\"\nofficial_langs = [\"en\", \"ko\"]\n\
             description.en = \"D\"\n\n[[domain]]\nid = \"a\"\ntitle.en = \"A\"\n\n[[domain]]\nid = \"b\"\n\
             title.en = \"B\"\n",
        );
        for i in 0..400 {
            let d = if i % 3 == 0 { "a" } else { "b" };
            text.push_str(&format!(
                "\n[[entry]]\ncode = \"{}\"\nname = \"NAME_{i}\"\naliases = [\"alias-{i}\"]\ndomain = \"{d}\"\n\
                 action = \"retry\"\nofficial = [\"en\"]\nmessage.en = \"License token {i} was already used.\"\n\
                 message.ko = \"라이선스 토큰 {i}\"\nhint.en = \"Hint {i}\"\n",
                if i % 5 == 0 { format!("E-{i}") } else { format!("{}", 7000 + i) }
            ));
        }
        let text: &'static str = Box::leak(text.into_boxed_str());
        let file = schema::parse_catalog(text).expect("the fuzz catalog is valid");
        let data = file.stored();
        let bytes: &'static [u8] = Box::leak(data.clone().into_boxed_slice());
        let store = Store::open(bytes).expect("it reads back");
        let key = Key {
            version: env!("CARGO_PKG_VERSION"),
            path: "/fuzz.toml",
            size: text.len() as u64,
            mtime_ns: 1,
            id: "fuzz",
            base: 0,
        };
        Truth {
            entries: file.entry.into_iter().map(|e| e.into_inner()).collect(),
            related: (0..store.len()).map(|i| store.related(i).unwrap()).collect(),
            meta: file.meta,
            file: cache::join(&key, &data),
        }
    })
}

/// The valid cache file with `edits` applied.
fn damaged(edits: &[u8]) -> Vec<u8> {
    let mut bytes = truth().file.clone();
    for e in edits.chunks_exact(4) {
        if bytes.is_empty() {
            break;
        }
        let at = (usize::from(u16::from_le_bytes([e[0], e[1]])) * bytes.len()) >> 16;
        match e[2] % 5 {
            0 => bytes[at] ^= 1 << (e[3] % 8),
            1 => bytes[at] = e[3],
            2 => bytes.truncate(at),
            3 => bytes.insert(at, e[3]),
            _ => {
                bytes.remove(at);
            }
        }
    }
    bytes
}

fn check(file: &[u8]) {
    let t = truth();
    let Some((key, rest)) = cache::split(file) else {
        return;
    };
    let _ = key;
    // SAFETY: the store and everything read from it are dropped at the end of this function, before
    // `rest`'s buffer; errbook leaks a cache file's mapping for the whole run instead, which a fuzzer
    // running millions of inputs cannot.
    let rest: &'static [u8] = unsafe { std::mem::transmute::<&[u8], &'static [u8]>(rest) };
    let Some(s) = Store::open(rest) else {
        return;
    };
    // Random bytes can make a stored catalog of their own; only a store that says it is the fuzz
    // catalog (its head checked, so its header is the one written) is held to the truth.
    let ours = s.id == "fuzz" && s.len() == t.entries.len() && *s.meta() == t.meta;
    for i in 0..s.len().min(5000) + 1 {
        let (entry, row, related) = (s.entry(i), s.row(i), s.related(i));
        if !ours {
            continue;
        }
        if let Some(e) = entry {
            assert_eq!(Some(&e), t.entries.get(i), "entry {i}");
        }
        if let Some(r) = row {
            let e = &t.entries[i];
            assert_eq!((r.code, r.domain), (e.code.as_ref(), e.domain.as_ref()), "row {i}");
        }
        if let Some(r) = related {
            assert_eq!(r, t.related[i], "related {i}");
        }
    }
    if ours {
        for (i, e) in t.entries.iter().enumerate().step_by(37) {
            if let Some(found) = s.keyed(&e.code.to_lowercase(), true) {
                assert_eq!(found, vec![i], "code {}", e.code);
            }
            if let Some(found) = s.keyed(&format!("alias-{i}"), false) {
                assert_eq!(found, vec![i], "alias {i}");
            }
        }
        if let Some(found) = s.keyed("no such key", false) {
            assert!(found.is_empty());
        }
    }
}

fuzz_target!(|data: &[u8]| {
    match data.split_first() {
        Some((b'M', edits)) => check(&damaged(edits)),
        _ => check(data),
    }
});
