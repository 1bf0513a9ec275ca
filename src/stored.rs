//! User catalogs read from their stored form (`form`), from the cache or freshly parsed: the front (header,
//! offsets, rows) is decoded when the catalog is opened, an entry when it is asked for. Decoded data lives
//! for the rest of the process (leaked on purpose), so user catalogs use the same `&'static` types as the
//! built-in ones.

use crate::cache::Cache;
use crate::catalog::{
    Catalog, Decoded, Domain, Entries, Entry, EntrySource, ListDef, ListValue, Nearby, Origin, Row,
    Source, Texts,
};
use crate::form::{self, StoredEntry, StoredPart, StoredRow, StoredTexts};
use crate::model::{self, CatalogFile, Lang};
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

pub fn leak_str(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

pub fn leak_bytes(v: Vec<u8>) -> &'static [u8] {
    Box::leak(v.into_boxed_slice())
}

pub fn leak<T>(v: Vec<T>) -> &'static [T] {
    Box::leak(v.into_boxed_slice())
}

/// A list of languages; the usual ones are shared instead of allocated for every entry.
pub fn langs(v: Vec<Lang>) -> &'static [Lang] {
    use Lang::{En, Ja, Ko};
    match v.as_slice() {
        [] => &[],
        [En] => &[En],
        [Ko] => &[Ko],
        [Ja] => &[Ja],
        [En, Ko] => &[En, Ko],
        [En, Ja] => &[En, Ja],
        _ => leak(v),
    }
}

fn row(r: StoredRow<'static>) -> Row {
    Row {
        code: r.code,
        name: r.name,
        aliases: leak(r.aliases),
        domain: r.domain,
    }
}

pub fn texts(t: StoredTexts<'static>) -> Texts {
    Texts {
        en: t.en,
        ko: t.ko,
        ja: t.ja,
    }
}

/// The stored form's front (header, offsets, rows) and the length of the body that follows it.
pub struct Front {
    pub bytes: &'static [u8],
    pub body_len: usize,
}

impl Front {
    /// Splits stored data held in memory into its front and body.
    pub fn of(data: &'static [u8]) -> Option<(Front, &'static [u8])> {
        let (front, body) = form::split(data)?;
        Some((
            Front {
                bytes: front,
                body_len: body.len(),
            },
            body,
        ))
    }
}

/// Where a catalog's stored entries are: in memory, or in its open cache file (read when first needed).
#[derive(Debug)]
pub enum Body {
    Memory(&'static [u8]),
    File {
        file: Mutex<std::fs::File>,
        start: u64,
    },
}

/// A catalog's entries in their stored form, decoded when asked for (see `catalog::EntrySource`).
#[derive(Debug)]
pub struct Lazy {
    /// The catalog file, as it is shown.
    path: &'static str,
    rows: Vec<Row>,
    /// Where each entry starts in the body; it ends where the next starts.
    offsets: Vec<usize>,
    body_len: usize,
    body: Body,
    /// The whole body, once something needed every entry.
    all_bytes: OnceLock<Option<&'static [u8]>>,
    decoded: Decoded,
    /// How to recover when a stored entry turns out damaged (only for data read from a cache file).
    recovery: Option<Recovery>,
    /// The body made again from the catalog file, after damage was found.
    recovered: OnceLock<Option<&'static [u8]>>,
}

/// A damaged cache entry is mended by encoding the catalog file again: when its front comes out as the cached
/// one (the same file), the fresh body replaces the damaged one, for this run and in the cache.
#[derive(Debug)]
pub struct Recovery {
    pub toml: PathBuf,
    pub front: &'static [u8],
    pub cache: Cache,
    pub canonical: String,
    /// The cache file's bytes before the data (magic and key).
    pub prefix: Vec<u8>,
}

impl Lazy {
    fn span(&self, i: usize) -> Option<(usize, usize)> {
        let start = *self.offsets.get(i)?;
        let end = self.offsets.get(i + 1).copied().unwrap_or(self.body_len);
        (start <= end && end <= self.body_len).then_some((start, end))
    }

    fn whole_body(&self) -> Option<&'static [u8]> {
        *self.all_bytes.get_or_init(|| match &self.body {
            Body::Memory(b) => Some(b),
            Body::File { file, start } => {
                let mut buf = vec![0; self.body_len];
                read_at(file, *start, &mut buf).then(|| leak_bytes(buf))
            }
        })
    }

    /// Entry `i`'s stored bytes: from the body when it is in memory, else read from the file.
    fn bytes(&self, i: usize) -> Option<&'static [u8]> {
        let (a, b) = self.span(i)?;
        if let Some(Some(all)) = self.all_bytes.get() {
            return all.get(a..b);
        }
        match &self.body {
            Body::Memory(all) => all.get(a..b),
            Body::File { file, start } => {
                let mut buf = vec![0; b - a];
                read_at(file, start + a as u64, &mut buf).then(|| leak_bytes(buf))
            }
        }
    }

    /// Entry `i` in its stored form, from `bytes` (its stored bytes, when the caller has them), else
    /// from the body; a damaged entry is mended (see [`Recovery`]) or, failing that, `None`.
    fn stored(&self, i: usize, bytes: Option<&'static [u8]>) -> Option<StoredEntry<'static>> {
        let decode = |b: &'static [u8]| {
            postcard::from_bytes::<StoredEntry>(b).ok().filter(|e| {
                model::is_id(e.row.domain)
                    && model::is_action_id(e.action)
                    && e.lists
                        .iter()
                        .all(|l| model::is_id(l.id) && model::is_action_id(l.action))
            })
        };
        if let Some(Some(fresh)) = self.recovered.get() {
            let (a, b) = self.span(i)?;
            return fresh.get(a..b).and_then(decode);
        }
        if let Some(e) = bytes.or_else(|| self.bytes(i)).and_then(decode) {
            return Some(e);
        }
        let fresh = self.recover()?;
        let (a, b) = self.span(i)?;
        fresh.get(a..b).and_then(decode)
    }

    fn recover(&self) -> Option<&'static [u8]> {
        *self.recovered.get_or_init(|| {
            let r = self.recovery.as_ref()?;
            let text = std::fs::read_to_string(&r.toml).ok()?;
            let file: CatalogFile = toml::from_str(&text).ok()?;
            let data = leak_bytes(form::encode(&file));
            let (f, body) = Front::of(data)?;
            if f.bytes != r.front {
                // The catalog file is not the one the cache was made from: let the next run rebuild it.
                let _ = std::fs::remove_file(r.cache.file_for(&r.canonical));
                return None;
            }
            let mut bytes = r.prefix.clone();
            bytes.extend_from_slice(data);
            r.cache.write(&r.canonical, &bytes);
            Some(body)
        })
    }

    fn materialize(&self, e: StoredEntry<'static>) -> Entry {
        let r = row(e.row);
        Entry {
            code: r.code,
            name: r.name,
            aliases: r.aliases,
            domain: r.domain,
            http_status: e.http_status,
            action: e.action,
            kind: e.kind,
            related: leak(e.related),
            official: langs(e.official),
            message: texts(e.message),
            official_note: texts(e.official_note),
            description: texts(e.description),
            hint: texts(e.hint),
            lists: leak(
                e.lists
                    .into_iter()
                    .map(|l| ListValue {
                        id: l.id,
                        action: l.action,
                        http_status: leak(l.http_status),
                    })
                    .collect(),
            ),
            source: e.source,
            origin: Origin::File(self.path),
            nearby: None,
        }
    }
}

fn read_at(file: &Mutex<std::fs::File>, at: u64, buf: &mut [u8]) -> bool {
    use std::io::{Read, Seek, SeekFrom};
    let mut f = file.lock().unwrap_or_else(|e| e.into_inner());
    f.seek(SeekFrom::Start(at)).is_ok() && f.read_exact(buf).is_ok()
}

impl EntrySource for Lazy {
    fn len(&self) -> usize {
        self.rows.len()
    }

    fn row(&self, i: usize) -> Row {
        self.rows[i]
    }

    fn entry(&self, i: usize) -> Option<&'static Entry> {
        self.decoded
            .entry(i, || self.stored(i, None).map(|e| self.materialize(e)))
    }

    fn all(&self) -> &'static [Entry] {
        self.decoded.all(|| {
            let body = self.whole_body();
            let mut out = Vec::with_capacity(self.len());
            for i in 0..self.len() {
                let bytes = body.and_then(|b| self.span(i).and_then(|(x, y)| b.get(x..y)));
                if let Some(e) = self.stored(i, bytes) {
                    out.push(self.materialize(e));
                }
            }
            out
        })
    }

    fn fold(&self, i: usize, keys: &mut String, messages: &mut String, rest: &mut String) -> bool {
        let body = self.whole_body();
        let bytes = body.and_then(|b| self.span(i).and_then(|(x, y)| b.get(x..y)));
        let Some(e) = self.stored(i, bytes) else {
            return false;
        };
        let r = &e.row;
        let texts = [e.message, e.official_note, e.description, e.hint].map(texts);
        crate::search::fold_parts(
            std::iter::once(r.code)
                .chain(r.name)
                .chain(r.aliases.iter().copied()),
            texts,
            [keys, messages, rest],
        );
        true
    }
}

fn decode_rows(bytes: &'static [u8]) -> Option<Vec<Row>> {
    let (rows, rest): (Vec<StoredRow<'static>>, _) = postcard::take_from_bytes(bytes).ok()?;
    rest.is_empty().then(|| rows.into_iter().map(row).collect())
}

/// A user catalog file decoded from its stored form, before it joins a book.
#[derive(Debug)]
pub struct Part {
    /// The catalog file, as it is shown.
    pub path: &'static str,
    pub id: &'static str,
    pub vendor: Option<&'static str>,
    pub product: Option<&'static str>,
    pub official_langs: Option<&'static [Lang]>,
    pub description: Option<Texts>,
    pub sources: Vec<Source>,
    pub domains: Vec<Domain>,
    pub lists: Vec<ListDef>,
    pub entries: &'static Lazy,
}

impl Part {
    /// The part as a catalog of its own.
    pub fn into_catalog(self) -> Catalog {
        Catalog {
            id: self.id,
            vendor: self.vendor.unwrap_or(""),
            product: self.product.unwrap_or(""),
            official_langs: self.official_langs.unwrap_or(&[]),
            description: self.description.unwrap_or(Texts::EMPTY),
            origin: Origin::File(self.path),
            extended_by: &[],
            sources: leak(self.sources),
            domains: leak(self.domains),
            lists: leak(self.lists),
            entries: Entries::Lazy(self.entries),
            nearby: Nearby::new(),
        }
    }
}

/// Decodes a user catalog's stored front, rows included (they are checked: a cache file could have been
/// altered); `None` when it is not a stored catalog.
pub fn decode(
    front: Front,
    body: Body,
    path: &'static str,
    recovery: Option<Recovery>,
) -> Option<Part> {
    let (p, rest): (StoredPart<'static>, _) = postcard::take_from_bytes(front.bytes).ok()?;
    let (offsets, row_bytes): (Vec<u64>, _) = postcard::take_from_bytes(rest).ok()?;
    // Ids are checked when the file is parsed; checked again because a cache file could have been altered,
    // and ids are printed without escaping.
    let ok = offsets.windows(2).all(|w| w[0] <= w[1])
        && offsets.last().is_none_or(|l| *l <= front.body_len as u64)
        && model::is_id(p.id)
        && p.domains.iter().all(|d| model::is_id(d.id))
        && p.lists.iter().all(|d| model::is_id(d.id));
    if !ok {
        return None;
    }
    let decoded = decode_rows(row_bytes)?;
    if decoded.len() != offsets.len() || !decoded.iter().all(|r| model::is_id(r.domain)) {
        return None;
    }
    let lazy = Lazy {
        path,
        rows: decoded,
        offsets: offsets.into_iter().map(|o| o as usize).collect(),
        body_len: front.body_len,
        body,
        all_bytes: OnceLock::new(),
        decoded: Decoded::default(),
        recovery,
        recovered: OnceLock::new(),
    };
    Some(Part {
        path,
        id: p.id,
        vendor: p.vendor,
        product: p.product,
        official_langs: p.official_langs.map(langs),
        description: p.description.map(texts),
        sources: p
            .sources
            .into_iter()
            .map(|s| Source {
                title: s.title,
                url: s.url,
                lang: s.lang,
                date: s.date,
            })
            .collect(),
        domains: p
            .domains
            .into_iter()
            .map(|d| Domain {
                id: d.id,
                title: texts(d.title),
            })
            .collect(),
        lists: p
            .lists
            .into_iter()
            .map(|d| ListDef {
                id: d.id,
                title: texts(d.title),
            })
            .collect(),
        entries: Box::leak(Box::new(lazy)),
    })
}
