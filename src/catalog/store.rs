//! The stored form of a catalog: one layout for the built-in catalogs (written by build.rs, embedded in the
//! binary) and for user catalogs (written to the cache, or made in memory), read in place by one reader.
//!
//! Layout, little-endian:
//!
//! ```text
//! MAGIC | head length (u32) | CRC-32 of the head (u32) | head | data
//! ```
//!
//! The head ([`Head`], postcard) holds the catalog's header ([`Meta`]), the number of entries and keys,
//! where each section of the data starts, and a CRC-32 of every 64 KiB block of the data. The sections:
//!
//! | section  | what it holds |
//! |----------|---------------|
//! | KEYS     | one 12-byte record per key (code, name or alias, lowercase): text start, text length, entry (top bit: the key is the code); sorted by key, then entry |
//! | KEYTEXT  | the keys' text |
//! | ENTRIES  | one 8-byte record per entry: where it starts in BODY, its length |
//! | RELATED  | one 8-byte record per entry: where its related entries start in RELIDX, how many |
//! | RELIDX   | related entries, as entry numbers |
//! | INDEX    | the search index: the entries' field lengths, terms, their postings (`index`) |
//! | BODY     | every entry ([`Entry`], postcard) |
//!
//! So a lookup reads a few keys (a binary search) and the one entry it shows; a listing decodes one entry
//! at a time; a search reads the posting lists of its terms in INDEX and decodes only its results. The bytes a command reads are
//! checked against their block's CRC the first time (a cache file can be damaged; a bad block makes the
//! reader answer `None`, never wrong text), and nothing is validated again row by row: what was stored was
//! validated when it was written.
//!
//! This file is shared with build.rs (`#[path]`).

use super::model::{code_number, Entry, Meta};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::OnceLock;

/// The first bytes of a stored catalog; the digit changes with the layout.
pub const MAGIC: &[u8; 8] = b"errbook6";

/// How many related entries are kept for an entry whose catalog names none.
pub const RELATED: usize = 5;

const BLOCK: usize = 64 * 1024;

// The sections, in the order they are laid out: the tables a command reads a little of first, beside
// the head, and the entries last, so that the first pages of a catalog serve most of a lookup or a search.
const KEYS: usize = 0;
const KEYTEXT: usize = 1;
const ENTRIES: usize = 2;
const RELATED_AT: usize = 3;
const RELIDX: usize = 4;
const INDEX: usize = 5;
const BODY: usize = 6;
const SECTIONS: usize = 7;

/// The top bit of a key record's entry number: the key is the entry's code.
const IS_CODE: u32 = 1 << 31;

#[derive(Serialize, Deserialize)]
struct Head<'a> {
    /// The model's layout when this was written (see [`layout`]).
    layout: u32,
    /// The catalog's id, and its header ([`Meta`], postcard), decoded when something asks for it: a
    /// command shows the header of a catalog or two, and a run opens every catalog.
    #[serde(borrow)]
    id: &'a str,
    #[serde(borrow)]
    meta: &'a [u8],
    entries: u32,
    keys: u32,
    /// Start and length of each section in the data.
    sections: [(u64, u64); SECTIONS],
    /// CRC-32 of each block of the data.
    blocks: Vec<u32>,
}

/// A catalog's entries as the program reads them: a lookup needs an entry's keys and domain, not the rest.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Row<'a> {
    pub code: &'a str,
    pub name: Option<&'a str>,
    pub aliases: Vec<&'a str>,
    pub domain: &'a str,
}

impl<'a> Row<'a> {
    /// Code, name and aliases.
    pub fn keys(&self) -> impl Iterator<Item = &'a str> + '_ {
        std::iter::once(self.code)
            .chain(self.name)
            .chain(self.aliases.iter().copied())
    }

    pub fn number(&self) -> Option<u64> {
        code_number(self.code)
    }
}

/// What [`related`] needs of an entry: its domain (a number per distinct domain), its code as a number,
/// and the codes of this catalog it names (lowercase). Kept for every entry while a catalog is encoded,
/// instead of the entries themselves.
pub struct Link {
    domain: u32,
    number: Option<u64>,
    named: Vec<Box<str>>,
}

/// The related entries of each entry in its catalog: the codes of the catalog it names, else the nearest
/// codes of its domain (the
/// nearest number first, ties in catalog order, then the entries without a number in order; an entry
/// without a number takes the first of its domain); at most [`RELATED`] of the latter. Sorting each domain
/// once keeps this O(n log n), for a catalog of a million entries. `code` finds an entry by its lowercase
/// code.
pub fn related(links: &[Link], code: impl Fn(&str) -> Option<usize>) -> Vec<Vec<u32>> {
    #[derive(Default)]
    struct Domain {
        order: Vec<usize>,
        numbered: Vec<(u64, usize)>,
    }
    let mut domains: HashMap<u32, Domain> = HashMap::new();
    for (i, e) in links.iter().enumerate() {
        let d = domains.entry(e.domain).or_default();
        d.order.push(i);
        if let Some(n) = e.number {
            d.numbered.push((n, i));
        }
    }
    for d in domains.values_mut() {
        d.numbered.sort_unstable();
    }
    let mut out = Vec::with_capacity(links.len());
    for (i, e) in links.iter().enumerate() {
        if !e.named.is_empty() {
            out.push(
                e.named
                    .iter()
                    .filter_map(|c| code(c).map(|j| j as u32))
                    .collect(),
            );
            continue;
        }
        let d = &domains[&e.domain];
        let Some(n) = e.number else {
            out.push(
                d.order
                    .iter()
                    .filter(|&&j| j != i)
                    .take(RELATED)
                    .map(|&j| j as u32)
                    .collect(),
            );
            continue;
        };
        // A few from each side of `n`, with every entry that ties the last one taken, hold the answer.
        let at = d.numbered.partition_point(|&(m, _)| m < n);
        let mut near: Vec<(u64, usize)> = Vec::new();
        let mut take = |side: &mut dyn Iterator<Item = &(u64, usize)>| {
            let mut last = None;
            for (taken, &(m, j)) in side.enumerate() {
                if taken > RELATED && last != Some(m) {
                    break;
                }
                near.push((m.abs_diff(n), j));
                last = Some(m);
            }
        };
        take(&mut d.numbered[..at].iter().rev());
        take(&mut d.numbered[at..].iter());
        near.sort_unstable();
        let numbered = near.into_iter().map(|(_, j)| j);
        let unnumbered = d
            .order
            .iter()
            .copied()
            .filter(|&j| links[j].number.is_none());
        out.push(
            numbered
                .chain(unnumbered)
                .filter(|&j| j != i)
                .take(RELATED)
                .map(|j| j as u32)
                .collect(),
        );
    }
    out
}

/// The stored form of a catalog (see the module's documentation). Serialising plain data into a `Vec`
/// cannot fail, so neither can this.
pub fn encode(meta: &Meta, entries: &[Entry]) -> Vec<u8> {
    let mut e = Encoder::default();
    for entry in entries {
        e.push(entry);
    }
    e.finish(meta)
}

/// Writes a catalog in the stored form one entry at a time, so that a large catalog file is never held
/// as a whole (issue 20 #16): what is kept per entry is its encoded bytes, its keys and a [`Link`].
#[derive(Default)]
pub struct Encoder {
    sections: [Vec<u8>; SECTIONS],
    keys: Vec<(Box<str>, u32)>,
    links: Vec<Link>,
    domains: HashMap<String, u32>,
}

impl Encoder {
    pub fn len(&self) -> usize {
        self.links.len()
    }

    pub fn is_empty(&self) -> bool {
        self.links.is_empty()
    }

    /// Adds the next entry.
    pub fn push(&mut self, e: &Entry) {
        let i = self.links.len() as u32;
        let s = &mut self.sections;
        self.keys.push((e.code.to_lowercase().into(), i | IS_CODE));
        for k in e.name.iter().chain(&e.aliases) {
            self.keys.push((k.to_lowercase().into(), i));
        }
        let at = s[BODY].len() as u32;
        postcard::to_io(e, &mut s[BODY]).ok();
        let len = s[BODY].len() as u32 - at;
        s[ENTRIES].extend(at.to_le_bytes());
        s[ENTRIES].extend(len.to_le_bytes());

        let next = self.domains.len() as u32;
        let domain = match self.domains.get(e.domain.as_ref()) {
            Some(&d) => d,
            None => *self.domains.entry(e.domain.to_string()).or_insert(next),
        };
        self.links.push(Link {
            domain,
            number: e.number(),
            named: e.local_related().map(|c| c.to_lowercase().into()).collect(),
        });
    }

    /// The stored form, with `meta` as the header.
    pub fn finish(mut self, meta: &Meta) -> Vec<u8> {
        // The search index, from the entries as written: each is decoded again, one at a time.
        let index = {
            let (body, at) = (&self.sections[BODY], &self.sections[ENTRIES]);
            let entry = |c: &[u8]| {
                let word = |i: usize| u32::from_le_bytes([c[i], c[i + 1], c[i + 2], c[i + 3]]);
                let (start, len) = (word(0) as usize, word(4) as usize);
                let bytes = body.get(start..start.checked_add(len)?)?;
                postcard::from_bytes::<Entry>(bytes).ok()
            };
            super::index::build(meta, at.chunks_exact(8).map(entry))
        };
        self.sections[INDEX] = index;
        let sections = &mut self.sections;
        // Keys, sorted; a key that is both an entry's code and its name (say) is kept once, as the code.
        let keys = &mut self.keys;
        keys.sort_unstable_by(|a, b| {
            (&a.0, a.1 & !IS_CODE, b.1 & IS_CODE).cmp(&(&b.0, b.1 & !IS_CODE, a.1 & IS_CODE))
        });
        keys.dedup_by(|b, a| a.0 == b.0 && (a.1 & !IS_CODE) == (b.1 & !IS_CODE));
        // The first entry with each code, for the codes entries name as related.
        let code = |lower: &str| {
            let at = keys.partition_point(|k| &*k.0 < lower);
            keys[at..]
                .iter()
                .take_while(|k| &*k.0 == lower)
                .filter(|k| k.1 & IS_CODE != 0)
                .map(|k| (k.1 & !IS_CODE) as usize)
                .min()
        };
        for related in related(&self.links, code) {
            let at = (sections[RELIDX].len() / 4) as u32;
            for j in &related {
                sections[RELIDX].extend(j.to_le_bytes());
            }
            sections[RELATED_AT].extend(at.to_le_bytes());
            sections[RELATED_AT].extend((related.len() as u32).to_le_bytes());
        }
        let entries = self.links.len() as u32;
        drop(std::mem::take(&mut self.links));
        for (k, e) in keys.iter() {
            let at = sections[KEYTEXT].len() as u32;
            sections[KEYTEXT].extend_from_slice(k.as_bytes());
            for v in [at, k.len() as u32, *e] {
                sections[KEYS].extend(v.to_le_bytes());
            }
        }
        let key_count = keys.len() as u32;
        drop(std::mem::take(keys));
        // Where each section starts, and the CRC of each block of their concatenation, before the bytes
        // are copied once into the result (so that at most one section is held twice).
        let mut places = [(0u64, 0u64); SECTIONS];
        let mut total = 0u64;
        for (n, s) in sections.iter().enumerate() {
            places[n] = (total, s.len() as u64);
            total += s.len() as u64;
        }
        let mut blocks = Vec::new();
        let mut crc = crc32fast::Hasher::new();
        let mut filled = 0;
        for s in sections.iter() {
            let mut rest = &s[..];
            while !rest.is_empty() {
                let take = rest.len().min(BLOCK - filled);
                crc.update(&rest[..take]);
                filled += take;
                rest = &rest[take..];
                if filled == BLOCK {
                    blocks.push(std::mem::take(&mut crc).finalize());
                    filled = 0;
                }
            }
        }
        if filled > 0 {
            blocks.push(crc.finalize());
        }
        let meta_bytes = postcard::to_stdvec(meta).unwrap_or_default();
        let head = Head {
            layout: layout(),
            id: &meta.id,
            meta: &meta_bytes,
            entries,
            keys: key_count,
            sections: places,
            blocks,
        };
        let head = postcard::to_stdvec(&head).unwrap_or_default();
        let mut out = Vec::with_capacity(MAGIC.len() + 8 + head.len() + total as usize);
        out.extend_from_slice(MAGIC);
        out.extend((head.len() as u32).to_le_bytes());
        out.extend(crc32fast::hash(&head).to_le_bytes());
        out.extend(head);
        for s in sections.iter_mut() {
            out.extend_from_slice(s);
            drop(std::mem::take(s));
        }
        out
    }
}

/// A fingerprint of the model's stored layout: the stored form of an entry and a header with every
/// field set. A field added to the model (which a new catalog needs) changes it, so stored catalogs
/// written before, such as cache files, are not read with the wrong layout; they are made again.
fn layout() -> u32 {
    static LAYOUT: OnceLock<u32> = OnceLock::new();
    *LAYOUT.get_or_init(layout_of_model)
}

fn layout_of_model() -> u32 {
    use super::model::{Kind, Lang, ListValue, Source, Texts, Titled};
    let t = |s: &'static str| Texts {
        en: Some(s.into()),
        ko: Some(s.into()),
        ja: None,
    };
    let entry = Entry {
        code: "c".into(),
        name: Some("n".into()),
        aliases: vec!["a".into()],
        domain: "d".into(),
        http_status: Some(400),
        action: "retry".into(),
        kind: Kind::Status,
        related: vec!["r".into()],
        official: Some(vec![Lang::Ko]),
        message: t("m"),
        official_note: t("o"),
        description: t("e"),
        hint: t("h"),
        lists: vec![ListValue {
            id: "l".into(),
            action: "none".into(),
            http_status: vec![401],
        }],
        source: Some("s".into()),
        retired: true,
        observed: true,
        fatal: Some(true),
        versions: Some("v".into()),
        note: t("n"),
        replace: true,
        older_action: None,
        older_http_status: None,
    };
    let meta = Meta {
        id: "i".into(),
        vendor: "v".into(),
        product: "p".into(),
        official_langs: vec![Lang::Ja],
        description: t("d"),
        sources: vec![Source {
            title: Some("t".into()),
            url: Some("u".into()),
            lang: Some(Lang::En),
            date: Some("d".into()),
        }],
        domains: vec![Titled {
            id: "x".into(),
            title: t("y"),
        }],
        lists: Vec::new(),
        bodies: vec![super::model::BodyShape {
            shape: "s".into(),
            code: vec!["c".into()],
            value: super::model::CodeValue::Text,
            with: vec!["w".into()],
            under: vec!["u".into()],
            ..Default::default()
        }],
        lines: vec![super::model::LineShape {
            shape: "s".into(),
            pattern: "(?P<code>x)".into(),
            literal: Some("x".into()),
        }],
        glossary: vec![vec!["g".into()]],
    };
    let mut bytes = postcard::to_stdvec(&entry).unwrap_or_default();
    bytes.extend(postcard::to_stdvec(&meta).unwrap_or_default());
    crc32fast::hash(&bytes)
}

/// A catalog's search index, read from its stored form.
pub type SearchIndex<'s> =
    super::index::Index<Box<dyn Fn(usize, usize) -> Option<&'static [u8]> + 's>>;

/// A search index that is part of the program, read as the slice it is: no block is checked (a search
/// reads it a few thousand times).
pub fn index_in(bytes: &'static [u8]) -> Option<SearchIndex<'static>> {
    super::index::Index::open(
        Box::new(move |at, len| bytes.get(at..at.checked_add(len)?)),
        bytes.len(),
    )
}

/// A stored catalog, read in place.
#[derive(Debug)]
pub struct Store {
    /// The catalog's id.
    pub id: &'static str,
    meta_bytes: &'static [u8],
    meta: OnceLock<Meta<'static>>,
    data: &'static [u8],
    entries: usize,
    keys: usize,
    sections: [(usize, usize); SECTIONS],
    blocks: Vec<u32>,
    /// Each block: 0 not checked yet, 1 sound, 2 damaged.
    checked: Box<[AtomicU8]>,
    /// Part of the program: no block is checked (see [`Store::open_trusted`]).
    trusted: bool,
}

impl Store {
    /// Opens stored bytes: the head is checked now, the data block by block as it is read. `None` when
    /// the bytes are not a stored catalog or the head is damaged.
    pub fn open(bytes: &'static [u8]) -> Option<Store> {
        Store::open_with(bytes, false)
    }

    /// Opens stored bytes that are part of the program (the built-in catalogs, which build.rs wrote and
    /// read back): their blocks are not checked again, as the code beside them is not.
    pub fn open_trusted(bytes: &'static [u8]) -> Option<Store> {
        Store::open_with(bytes, true)
    }

    fn open_with(bytes: &'static [u8], trusted: bool) -> Option<Store> {
        let rest = bytes.strip_prefix(MAGIC.as_slice())?;
        let len = u32::from_le_bytes(rest.get(..4)?.try_into().ok()?) as usize;
        let crc = u32::from_le_bytes(rest.get(4..8)?.try_into().ok()?);
        let head_bytes = rest.get(8..8usize.checked_add(len)?)?;
        if crc32fast::hash(head_bytes) != crc {
            return None;
        }
        let data = &rest[8 + len..];
        let head: Head<'static> = postcard::from_bytes(head_bytes).ok()?;
        if head.layout != layout() || head.blocks.len() != data.len().div_ceil(BLOCK) {
            return None;
        }
        let mut sections = [(0, 0); SECTIONS];
        for (n, &(start, len)) in head.sections.iter().enumerate() {
            let start = usize::try_from(start).ok()?;
            let len = usize::try_from(len).ok()?;
            if start.checked_add(len)? > data.len() {
                return None;
            }
            sections[n] = (start, len);
        }
        let entries = head.entries as usize;
        let keys = head.keys as usize;
        let fits = |s: usize, record: usize, n: usize| Some(sections[s].1) == record.checked_mul(n);
        if !(fits(KEYS, 12, keys) && fits(ENTRIES, 8, entries) && fits(RELATED_AT, 8, entries)) {
            return None;
        }
        Some(Store {
            id: head.id,
            meta_bytes: head.meta,
            meta: OnceLock::new(),
            data,
            entries,
            keys,
            sections,
            checked: (0..head.blocks.len())
                .map(|_| AtomicU8::new(u8::from(trusted)))
                .collect(),
            blocks: head.blocks,
            trusted,
        })
    }

    pub fn len(&self) -> usize {
        self.entries
    }

    /// A second reader of the same stored bytes (its blocks checked again as they are read).
    pub fn reopen(&self) -> Store {
        Store {
            id: self.id,
            meta_bytes: self.meta_bytes,
            meta: OnceLock::new(),
            data: self.data,
            entries: self.entries,
            keys: self.keys,
            sections: self.sections,
            blocks: self.blocks.clone(),
            checked: (0..self.blocks.len())
                .map(|b| AtomicU8::new(self.checked[b].load(Ordering::Relaxed)))
                .collect(),
            trusted: self.trusted,
        }
    }

    /// The catalog's header. The head it comes from was checked when the store was opened; should it
    /// still not decode, the header is the id alone.
    pub fn meta(&self) -> &Meta<'static> {
        self.meta.get_or_init(|| {
            postcard::from_bytes(self.meta_bytes).unwrap_or_else(|_| Meta {
                id: self.id.into(),
                ..Meta::default()
            })
        })
    }

    pub fn is_empty(&self) -> bool {
        self.entries == 0
    }

    /// `len` bytes at `at` in section `s`, once their blocks are found sound.
    fn bytes(&self, s: usize, at: usize, len: usize) -> Option<&'static [u8]> {
        let (start, size) = self.sections[s];
        if at.checked_add(len)? > size {
            return None;
        }
        let (from, to) = (start + at, start + at + len);
        if len > 0 && !self.trusted {
            for b in from / BLOCK..=(to - 1) / BLOCK {
                if !self.sound(b) {
                    return None;
                }
            }
        }
        self.data.get(from..to)
    }

    fn sound(&self, b: usize) -> bool {
        match self.checked[b].load(Ordering::Relaxed) {
            1 => true,
            2 => false,
            _ => {
                let block = &self.data[b * BLOCK..((b + 1) * BLOCK).min(self.data.len())];
                let ok = crc32fast::hash(block) == self.blocks[b];
                self.checked[b].store(if ok { 1 } else { 2 }, Ordering::Relaxed);
                ok
            }
        }
    }

    /// Whether a block read so far was damaged.
    pub fn damaged(&self) -> bool {
        self.checked.iter().any(|c| c.load(Ordering::Relaxed) == 2)
    }

    fn record<const N: usize>(&self, s: usize, i: usize) -> Option<[u32; N]> {
        let b = self.bytes(s, i.checked_mul(4 * N)?, 4 * N)?;
        let mut out = [0u32; N];
        for (n, v) in out.iter_mut().enumerate() {
            *v = u32::from_le_bytes(b[4 * n..4 * n + 4].try_into().ok()?);
        }
        Some(out)
    }

    fn entry_bytes(&self, i: usize) -> Option<&'static [u8]> {
        if i >= self.entries {
            return None;
        }
        let [at, len] = self.record::<2>(ENTRIES, i)?;
        self.bytes(BODY, at as usize, len as usize)
    }

    /// Entry `i`; `None` when it is past the end or its bytes are damaged.
    pub fn entry(&self, i: usize) -> Option<Entry<'static>> {
        postcard::from_bytes(self.entry_bytes(i)?).ok()
    }

    /// Entry `i`'s keys and domain, without the rest of it.
    pub fn row(&self, i: usize) -> Option<Row<'static>> {
        postcard::take_from_bytes(self.entry_bytes(i)?)
            .ok()
            .map(|(r, _)| r)
    }

    /// The entries related to entry `i` (see [`related`]).
    pub fn related(&self, i: usize) -> Option<Vec<usize>> {
        if i >= self.entries {
            return None;
        }
        let [at, n] = self.record::<2>(RELATED_AT, i)?;
        let b = self.bytes(
            RELIDX,
            (at as usize).checked_mul(4)?,
            (n as usize).checked_mul(4)?,
        )?;
        Some(
            b.chunks_exact(4)
                .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]) as usize)
                .filter(|&j| j < self.entries)
                .collect(),
        )
    }

    /// The search index (`index`), read in place: the bytes a search reads are checked like any other.
    pub fn index(&self) -> Option<SearchIndex<'_>> {
        let (start, size) = self.sections[INDEX];
        if self.trusted {
            return index_in(self.data.get(start..start + size)?);
        }
        super::index::Index::open(Box::new(move |at, len| self.bytes(INDEX, at, len)), size)
    }

    fn key(&self, k: usize) -> Option<(&'static [u8], u32)> {
        let [at, len, entry] = self.record::<3>(KEYS, k)?;
        Some((self.bytes(KEYTEXT, at as usize, len as usize)?, entry))
    }

    /// The place of the first key not below `want`, by a binary search over the sorted records; `None`
    /// when the key table is damaged.
    fn first_key_from(&self, want: &[u8]) -> Option<usize> {
        let (mut lo, mut hi) = (0, self.keys);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if self.key(mid)?.0 < want {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        Some(lo)
    }

    /// The entries with a key that starts with `lower` (lowercase), each with the length of that key,
    /// in key order (an entry with several such keys comes once for each).
    pub fn keyed_prefix(&self, lower: &str) -> Option<Vec<(usize, usize)>> {
        let want = lower.as_bytes();
        let lo = self.first_key_from(want)?;
        let mut found = Vec::new();
        for k in lo..self.keys {
            let (key, entry) = self.key(k)?;
            if !key.starts_with(want) {
                break;
            }
            let i = (entry & !IS_CODE) as usize;
            if i < self.entries {
                found.push((i, key.len()));
            }
        }
        Some(found)
    }

    /// The entries with a key (with `codes_only`, a code) equal to `lower` (lowercase), in catalog order;
    /// `None` when the key table is damaged.
    pub fn keyed(&self, lower: &str, codes_only: bool) -> Option<Vec<usize>> {
        let want = lower.as_bytes();
        let lo = self.first_key_from(want)?;
        let mut found = Vec::new();
        for k in lo..self.keys {
            let (key, entry) = self.key(k)?;
            if key != want {
                break;
            }
            if !codes_only || entry & IS_CODE != 0 {
                found.push((entry & !IS_CODE) as usize);
            }
        }
        found.sort_unstable();
        found.dedup();
        found.retain(|&i| i < self.entries);
        Some(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{builtin, key_is};

    /// The related entries of entry `i` by definition, the slow way: the other entries of its domain by
    /// (distance to its number, catalog order), those without a number last; an entry without a number
    /// takes the first of its domain.
    fn nearest(entries: &[&Entry], i: usize) -> Vec<usize> {
        let e = entries[i];
        let n = e.number();
        let mut same: Vec<(u64, usize)> = (0..entries.len())
            .filter(|&j| j != i && entries[j].domain == e.domain)
            .map(|j| {
                let d = match (n, entries[j].number()) {
                    (Some(n), Some(m)) => m.abs_diff(n),
                    (Some(_), None) => u64::MAX,
                    (None, _) => 0,
                };
                (d, j)
            })
            .collect();
        same.sort_unstable();
        same.into_iter().take(RELATED).map(|(_, j)| j).collect()
    }

    #[test]
    fn related_entries_follow_the_definition() {
        let mut checked = 0;
        for c in builtin() {
            let all = c.all();
            for (i, e) in all.iter().enumerate() {
                let named: Vec<String> = e.local_related().map(str::to_string).collect();
                let want: Vec<String> = if named.is_empty() {
                    nearest(&all, i)
                        .into_iter()
                        .map(|j| all[j].code.to_string())
                        .collect()
                } else {
                    named
                };
                let got: Vec<String> = c
                    .related(i)
                    .into_iter()
                    .map(|j| all[j].code.to_string())
                    .collect();
                assert_eq!(got, want, "{}:{}", c.id, e.code);
                checked += 1;
            }
        }
        assert!(checked >= 400, "{checked}");
    }

    /// The key table finds exactly what a scan of every entry's keys finds.
    #[test]
    fn key_table_agrees_with_a_scan() {
        for c in builtin() {
            let all = c.all();
            for e in &all {
                for k in e.keys() {
                    let lower = k.to_lowercase();
                    let scan: Vec<usize> = (0..all.len())
                        .filter(|&j| all[j].keys().any(|x| key_is(x, &lower)))
                        .collect();
                    assert_eq!(c.find_key(&lower), scan, "{}:{k}", c.id);
                    let code = c.entry(k).map(|x| x.code.to_string());
                    let by_scan = all.iter().find(|x| x.code.eq_ignore_ascii_case(k));
                    assert_eq!(code, by_scan.map(|x| x.code.to_string()), "{}:{k}", c.id);
                }
            }
            assert!(c.find_key("no such key").is_empty());
        }
    }

    fn stored(entries: usize) -> Vec<u8> {
        let meta = Meta {
            id: "t".into(),
            vendor: "v".into(),
            product: "p".into(),
            ..Meta::default()
        };
        let entries: Vec<Entry> = (0..entries)
            .map(|i| Entry {
                code: format!("{i}").into(),
                name: Some(format!("NAME_{i}").into()),
                aliases: Vec::new(),
                domain: "d".into(),
                http_status: None,
                action: "retry".into(),
                kind: Default::default(),
                related: Vec::new(),
                official: Some(Vec::new()),
                message: super::super::model::Texts {
                    en: Some(format!("message number {i} with some text to fill a block").into()),
                    ..Default::default()
                },
                official_note: Default::default(),
                description: Default::default(),
                hint: Default::default(),
                lists: Vec::new(),
                source: None,
                retired: false,
                observed: false,
                fatal: None,
                versions: None,
                note: Default::default(),
                replace: false,
                older_action: None,
                older_http_status: None,
            })
            .collect();
        encode(&meta, &entries)
    }

    fn open(bytes: Vec<u8>) -> Option<Store> {
        Store::open(Box::leak(bytes.into_boxed_slice()))
    }

    /// Every entry reads back as written, and every byte of the data is under a checksum: a flipped
    /// byte anywhere past the head makes what reads it answer `None`, never other text.
    #[test]
    fn a_flipped_byte_is_never_read_as_data() {
        let good = stored(3000);
        let store = open(good.clone()).unwrap();
        assert_eq!(store.len(), 3000);
        assert_eq!(
            store.entry(2999).unwrap().message.en.as_deref(),
            Some("message number 2999 with some text to fill a block")
        );
        assert_eq!(store.keyed("name_17", false), Some(vec![17]));
        assert_eq!(store.keyed("name_17", true), Some(vec![]));
        assert!(!store.damaged());
        let data_start = good.len() - store.data.len();
        // Bytes spread over the data, each flipped on its own copy.
        for at in (data_start..good.len()).step_by(good.len() / 41) {
            let mut bad = good.clone();
            bad[at] ^= 0x20;
            let s = open(bad).unwrap();
            let mut differs = false;
            for i in 0..s.len() {
                match (s.entry(i), store.entry(i)) {
                    (Some(a), Some(b)) => assert_eq!(a, b, "byte {at}, entry {i}"),
                    (None, _) => differs = true,
                    (Some(_), None) => unreachable!(),
                }
                match s.related(i) {
                    Some(r) => assert_eq!(Some(r), store.related(i), "byte {at}"),
                    None => differs = true,
                }
            }
            differs |= s.keyed("name_5", false).is_none_or(|k| k != vec![5]);
            // The search index: every term and its postings, every entry's field lengths.
            let good_ix = store.index().unwrap();
            match s.index() {
                None => differs = true,
                Some(ix) => {
                    for t in 0..good_ix.terms {
                        match (ix.term(t), ix.postings(t)) {
                            (Some(w), Some(p)) => {
                                let q = good_ix.postings(t).unwrap();
                                assert_eq!(Some(w), good_ix.term(t), "byte {at}");
                                assert_eq!((p.entries, p.counts), (q.entries, q.counts));
                            }
                            _ => differs = true,
                        }
                    }
                    for i in 0..s.len() {
                        match ix.lens(i) {
                            Some(l) => assert_eq!(Some(l), good_ix.lens(i), "byte {at}"),
                            None => differs = true,
                        }
                    }
                }
            }
            assert!(differs && s.damaged(), "a flip at {at} went unnoticed");
        }
        // A damaged head, or a cut, is no stored catalog at all.
        for at in [0, 9, 14, data_start - 1] {
            let mut bad = good.clone();
            bad[at] ^= 0x01;
            assert!(open(bad).is_none(), "byte {at}");
        }
        assert!(open(good[..good.len() - 1].to_vec()).is_none());
        assert!(open(good[..data_start].to_vec()).is_none());
        assert!(open(Vec::new()).is_none());
    }
}
