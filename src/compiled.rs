//! The built-in catalogs, read from what build.rs compiled (see `catalog::Span`): an entry becomes an
//! [`Entry`] when a command asks for it, by slicing `POOL`; a code, name or alias is found in `KEYS` by a
//! binary search.

use crate::catalog::{
    Catalog, Decoded, Entries, Entry, EntrySource, Folded, KeyRef, ListValue, Nearby, Origin,
    Prebuilt, RawEntry, Row, Span, Texts, KEYS, LANGS, LIST_VALUES, POOL, SPANS, STATUSES,
};
use std::sync::OnceLock;

fn text(s: Span) -> &'static str {
    POOL.get(s.0 as usize..s.1 as usize).unwrap_or("")
}

fn range<T>(table: &'static [T], s: Span) -> &'static [T] {
    table.get(s.0 as usize..s.1 as usize).unwrap_or(&[])
}

/// The strings of a range of `SPANS` (an entry's aliases, related codes).
fn strs(s: Span) -> &'static [&'static str] {
    let spans = range(&SPANS, s);
    if spans.is_empty() {
        return &[];
    }
    Box::leak(spans.iter().map(|s| text(*s)).collect())
}

fn texts([en, ko, ja]: [Option<Span>; 3]) -> Texts {
    Texts {
        en: en.map(text),
        ko: ko.map(text),
        ja: ja.map(text),
    }
}

fn row(e: &RawEntry) -> Row {
    Row {
        code: text(e.code),
        name: e.name.map(text),
        aliases: strs(e.aliases),
        domain: text(e.domain),
    }
}

fn entry(e: &RawEntry) -> Entry {
    let r = row(e);
    Entry {
        code: r.code,
        name: r.name,
        aliases: r.aliases,
        domain: r.domain,
        http_status: e.http_status,
        action: text(e.action),
        kind: e.kind,
        related: strs(e.related),
        official: range(&LANGS, e.official),
        message: texts(e.message),
        official_note: texts(e.official_note),
        description: texts(e.description),
        hint: texts(e.hint),
        lists: Box::leak(
            range(&LIST_VALUES, e.lists)
                .iter()
                .map(|l| ListValue {
                    id: text(l.id),
                    action: text(l.action),
                    http_status: range(&STATUSES, l.http_status),
                })
                .collect(),
        ),
        source: e.source.map(text),
        origin: Origin::BuiltIn,
        nearby: Some(strs(e.nearby)),
    }
}

/// A built-in catalog's entries (see `catalog::EntrySource`).
#[derive(Debug)]
pub struct Compiled {
    /// The catalog's position among the built-in ones (as `KEYS` names it).
    n: usize,
    raw: &'static [RawEntry],
    rows: OnceLock<Vec<Row>>,
    decoded: Decoded,
}

impl EntrySource for Compiled {
    fn len(&self) -> usize {
        self.raw.len()
    }

    fn row(&self, i: usize) -> Row {
        self.rows.get_or_init(|| self.raw.iter().map(row).collect())[i]
    }

    fn entry(&self, i: usize) -> Option<&'static Entry> {
        self.decoded.entry(i, || self.raw.get(i).map(entry))
    }

    fn all(&self) -> &'static [Entry] {
        self.decoded.all(|| self.raw.iter().map(entry).collect())
    }

    fn fold(&self, i: usize, keys: &mut String, messages: &mut String, rest: &mut String) -> bool {
        let Some(f) = self.folded(i) else {
            return false;
        };
        for (to, from) in [(keys, f.keys), (messages, f.messages), (rest, f.rest)] {
            to.clear();
            to.push_str(from);
        }
        true
    }

    fn folded(&self, i: usize) -> Option<Folded> {
        let [keys, messages, rest] = self.raw.get(i)?.folded.map(text);
        Some(Folded {
            keys,
            messages,
            rest,
        })
    }

    fn keyed(&self, lower: &str, codes_only: bool) -> Option<Vec<usize>> {
        Some(keyed(&KEYS, self.n, lower, codes_only))
    }
}

/// The entries of built-in catalog `catalog` with a key (`codes_only`: a code) equal to `lower`, from the
/// sorted key table; in catalog order.
fn keyed(keys: &[KeyRef], catalog: usize, lower: &str, codes_only: bool) -> Vec<usize> {
    let from = keys.partition_point(|k| text(k.key) < lower);
    let mut found: Vec<usize> = keys[from..]
        .iter()
        .take_while(|k| text(k.key) == lower)
        .filter(|k| k.catalog as usize == catalog && (k.code || !codes_only))
        .map(|k| k.entry as usize)
        .collect();
    found.sort_unstable();
    found.dedup();
    found
}

/// Built-in catalog `n`: its header as compiled, its entries decoded when asked for.
pub fn catalog(n: usize, p: &'static Prebuilt) -> Catalog {
    let entries = Compiled {
        n,
        raw: p.entries,
        rows: OnceLock::new(),
        decoded: Decoded::default(),
    };
    Catalog {
        id: p.id,
        vendor: p.vendor,
        product: p.product,
        official_langs: p.official_langs,
        description: p.description,
        origin: Origin::BuiltIn,
        extended_by: &[],
        sources: p.sources,
        domains: p.domains,
        lists: p.lists,
        entries: Entries::Lazy(Box::leak(Box::new(entries))),
        nearby: Nearby::new(),
    }
}
