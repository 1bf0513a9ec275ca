//! The built-in catalogs, read from what build.rs compiled (see `catalog::Span`): an entry becomes an
//! [`Entry`] when a command asks for it, by slicing `POOL`; a code, name or alias is found in `KEYS` by a
//! binary search.

use crate::catalog::{
    Catalog, Decoded, Entries, Entry, EntrySource, Folded, KeyRef, ListValue, Nearby, Origin,
    Prebuilt, RawEntry, RawListValue, Row, Span, Texts, KEYS, LANGS, LIST_VALUES, POOL, SPANS,
    STATUSES,
};
use std::borrow::Cow;
use std::sync::OnceLock;

fn text(s: Span) -> &'static str {
    POOL.get(s.0 as usize..s.1 as usize).unwrap_or("")
}

fn range<T>(table: &'static [T], s: Span) -> &'static [T] {
    table.get(s.0 as usize..s.1 as usize).unwrap_or(&[])
}

/// `SPANS` and `LIST_VALUES` as strings and values, made once for a command that decodes many entries
/// (`list`): each entry's lists are then cut from them, where a command that decodes a few entries
/// allocates each list on its own rather than make the whole tables.
struct Tables {
    strs: Box<[&'static str]>,
    lists: Box<[ListValue]>,
}

fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(|| Tables {
        strs: SPANS.iter().map(|s| text(*s)).collect(),
        lists: LIST_VALUES.iter().map(list_value).collect(),
    })
}

fn list_value(l: &RawListValue) -> ListValue {
    ListValue {
        id: text(l.id),
        action: text(l.action),
        http_status: range(&STATUSES, l.http_status),
    }
}

/// Where an entry's lists (aliases, related codes, list values) are cut from: `None`, allocated for it.
type Shared = Option<&'static Tables>;

/// The strings of a range of `SPANS` (an entry's aliases, related codes).
fn strs(s: Span, from: Shared) -> &'static [&'static str] {
    if let Some(t) = from {
        return range(&t.strs, s);
    }
    let spans = range(&SPANS, s);
    if spans.is_empty() {
        return &[];
    }
    Box::leak(spans.iter().map(|s| text(*s)).collect())
}

/// The values of a range of `LIST_VALUES`.
fn list_values(s: Span, from: Shared) -> &'static [ListValue] {
    if let Some(t) = from {
        return range(&t.lists, s);
    }
    let values = range(&LIST_VALUES, s);
    if values.is_empty() {
        return &[];
    }
    Box::leak(values.iter().map(list_value).collect())
}

fn texts([en, ko, ja]: [Option<Span>; 3]) -> Texts {
    Texts {
        en: en.map(text),
        ko: ko.map(text),
        ja: ja.map(text),
    }
}

fn row(e: &RawEntry, from: Shared) -> Row {
    Row {
        code: text(e.code),
        name: e.name.map(text),
        aliases: strs(e.aliases, from),
        domain: text(e.domain),
    }
}

fn entry(e: &RawEntry, from: Shared) -> Entry {
    let r = row(e, from);
    Entry {
        code: r.code,
        name: r.name,
        aliases: r.aliases,
        domain: r.domain,
        http_status: e.http_status,
        action: text(e.action),
        kind: e.kind,
        related: strs(e.related, from),
        official: range(&LANGS, e.official),
        message: texts(e.message),
        official_note: texts(e.official_note),
        description: texts(e.description),
        hint: texts(e.hint),
        lists: list_values(e.lists, from),
        source: e.source.map(text),
        origin: Origin::BuiltIn,
        nearby: Some(strs(e.nearby, from)),
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
        self.rows.get_or_init(|| {
            let from = Some(tables());
            self.raw.iter().map(|e| row(e, from)).collect()
        })[i]
    }

    fn entry(&self, i: usize) -> Option<&'static Entry> {
        self.decoded
            .entry(i, || self.raw.get(i).map(|e| entry(e, None)))
    }

    fn all(&self) -> &'static [Entry] {
        self.decoded.all(|| {
            let from = Some(tables());
            self.raw.iter().map(|e| entry(e, from)).collect()
        })
    }

    fn passing(&self, i: usize) -> Option<Cow<'static, Entry>> {
        if let Some(e) = self.decoded.kept(i) {
            return Some(Cow::Borrowed(e));
        }
        let e = self.raw.get(i)?;
        Some(Cow::Owned(entry(e, Some(tables()))))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::PREBUILT;

    /// An entry decoded with its lists cut from the shared tables is the entry decoded on its own, field
    /// for field, and an entry passed for the moment is the one kept.
    #[test]
    fn entries_decode_alike_either_way() {
        let mut lists = 0;
        for (n, p) in PREBUILT.iter().enumerate() {
            let c = catalog(n, p);
            for (i, raw) in p.entries.iter().enumerate() {
                let alone = entry(raw, None);
                let shared = entry(raw, Some(tables()));
                lists += alone.aliases.len() + alone.related.len() + alone.lists.len();
                assert_eq!(format!("{alone:?}"), format!("{shared:?}"), "{}:{i}", p.id);
                let passing = c.passing(i).unwrap();
                assert_eq!(format!("{passing:?}"), format!("{alone:?}"), "{}:{i}", p.id);
            }
        }
        assert!(lists > 0);
    }
}
