//! The stored form of a catalog: postcard bytes with strings borrowed from the bytes they are decoded from.
//!
//! A user catalog is stored this way in the cache: its front is decoded when it is opened, an entry when a
//! command asks for it. This file is shared with build.rs, which uses [`nearest`], [`code_number`] and
//! [`json_escaped`].
//!
//! Layout: the front's length (8 bytes, little-endian), the front, the body. The front is the catalog's
//! header, domains and lists ([`StoredPart`]), each entry's offset in the body, and each entry's row
//! ([`StoredRow`]: what a lookup compares); the body is every entry ([`StoredEntry`]), one after the other.

use crate::model::{self, CatalogFile, Kind, Lang};
use serde::{Deserialize, Serialize};

/// Whether JSON writes byte `b` escaped: a control character below U+0020, `"` or `\`. build.rs lays
/// out the built-in text by it, and the JSON writer skips the check for text laid out as needing none.
pub fn json_escaped(b: u8) -> bool {
    (b < 0x20) | (b == b'"') | (b == b'\\')
}

/// How many related entries are shown when the catalog names none.
pub const RELATED: usize = 5;

/// The catalog's header, domains and lists: the first part of the stored front (see `encode` for the
/// whole layout).
#[derive(Serialize, Deserialize)]
pub struct StoredPart<'a> {
    pub id: &'a str,
    #[serde(borrow)]
    pub vendor: Option<&'a str>,
    #[serde(borrow)]
    pub product: Option<&'a str>,
    pub official_langs: Option<Vec<Lang>>,
    #[serde(borrow)]
    pub description: Option<StoredTexts<'a>>,
    #[serde(borrow)]
    pub sources: Vec<StoredSource<'a>>,
    #[serde(borrow)]
    pub domains: Vec<StoredTitled<'a>>,
    #[serde(borrow)]
    pub lists: Vec<StoredTitled<'a>>,
}

#[derive(Serialize, Deserialize, Default)]
pub struct StoredTexts<'a> {
    #[serde(borrow)]
    pub en: Option<&'a str>,
    #[serde(borrow)]
    pub ko: Option<&'a str>,
    #[serde(borrow)]
    pub ja: Option<&'a str>,
}

#[derive(Serialize, Deserialize)]
pub struct StoredSource<'a> {
    #[serde(borrow)]
    pub title: Option<&'a str>,
    #[serde(borrow)]
    pub url: Option<&'a str>,
    pub lang: Option<Lang>,
    #[serde(borrow)]
    pub date: Option<&'a str>,
}

/// A domain or a list: an id and a title.
#[derive(Serialize, Deserialize)]
pub struct StoredTitled<'a> {
    pub id: &'a str,
    #[serde(borrow)]
    pub title: StoredTexts<'a>,
}

/// An entry: its row (postcard writes a nested struct's fields in place, so this is the row's fields
/// followed by the rest), then everything else.
#[derive(Serialize, Deserialize)]
pub struct StoredEntry<'a> {
    #[serde(borrow)]
    pub row: StoredRow<'a>,
    pub http_status: Option<u16>,
    pub action: &'a str,
    pub kind: Kind,
    #[serde(borrow)]
    pub related: Vec<&'a str>,
    pub official: Vec<Lang>,
    #[serde(borrow)]
    pub message: StoredTexts<'a>,
    #[serde(borrow)]
    pub official_note: StoredTexts<'a>,
    #[serde(borrow)]
    pub description: StoredTexts<'a>,
    #[serde(borrow)]
    pub hint: StoredTexts<'a>,
    #[serde(borrow)]
    pub lists: Vec<StoredListValue<'a>>,
    #[serde(borrow)]
    pub source: Option<&'a str>,
}

/// What a lookup reads of every entry (the rest of an entry is decoded when it is found).
#[derive(Serialize, Deserialize)]
pub struct StoredRow<'a> {
    pub code: &'a str,
    #[serde(borrow)]
    pub name: Option<&'a str>,
    #[serde(borrow)]
    pub aliases: Vec<&'a str>,
    pub domain: &'a str,
}

#[derive(Serialize, Deserialize)]
pub struct StoredListValue<'a> {
    pub id: &'a str,
    pub action: &'a str,
    pub http_status: Vec<u16>,
}

pub fn stored_texts(t: &model::Texts) -> StoredTexts<'_> {
    StoredTexts {
        en: t.en.as_deref(),
        ko: t.ko.as_deref(),
        ja: t.ja.as_deref(),
    }
}

pub fn titled<'a>(id: &'a str, title: &'a model::Texts) -> StoredTitled<'a> {
    StoredTitled {
        id,
        title: stored_texts(title),
    }
}

/// The checked file in its stored form (postcard bytes).
pub fn encode(file: &CatalogFile) -> Vec<u8> {
    let h = &file.catalog;
    let part = StoredPart {
        id: h.id.get_ref(),
        vendor: h.vendor.as_deref(),
        product: h.product.as_deref(),
        official_langs: h.official_langs.clone(),
        description: h.description.as_ref().map(stored_texts),
        sources: h
            .source
            .iter()
            .map(|s| StoredSource {
                title: s.title.as_deref(),
                url: s.url.as_deref(),
                lang: s.lang,
                date: s.date.as_deref(),
            })
            .collect(),
        domains: file
            .domain
            .iter()
            .map(|d| titled(&d.get_ref().id, &d.get_ref().title))
            .collect(),
        lists: file
            .list
            .iter()
            .map(|d| titled(&d.get_ref().id, &d.get_ref().title))
            .collect(),
    };
    // See the module's comment for the layout. Serialising into a Vec cannot fail.
    let rows: Vec<StoredRow> = file.entry.iter().map(|e| stored_row(e.get_ref())).collect();
    let mut body = Vec::new();
    let mut offsets: Vec<u64> = Vec::with_capacity(file.entry.len());
    for e in &file.entry {
        offsets.push(body.len() as u64);
        body.extend(postcard::to_stdvec(&stored_entry(e.get_ref())).unwrap_or_default());
    }
    let mut front = postcard::to_stdvec(&part).unwrap_or_default();
    front.extend(postcard::to_stdvec(&offsets).unwrap_or_default());
    front.extend(postcard::to_stdvec(&rows).unwrap_or_default());
    let mut out = Vec::with_capacity(8 + front.len() + body.len());
    out.extend((front.len() as u64).to_le_bytes());
    out.extend(front);
    out.extend(body);
    out
}

pub fn stored_row(e: &model::Entry) -> StoredRow<'_> {
    StoredRow {
        code: &e.code,
        name: e.name.as_deref(),
        aliases: e.aliases.iter().map(String::as_str).collect(),
        domain: e.domain.get_ref(),
    }
}

pub fn stored_entry(e: &model::Entry) -> StoredEntry<'_> {
    StoredEntry {
        row: stored_row(e),
        http_status: e.http_status,
        action: e.action.get_ref(),
        kind: e.kind,
        related: e.related.iter().map(String::as_str).collect(),
        official: e.official.clone().unwrap_or_default(),
        message: stored_texts(&e.message),
        official_note: stored_texts(&e.official_note),
        description: stored_texts(&e.description),
        hint: stored_texts(&e.hint),
        lists: e
            .list
            .iter()
            .map(|l| StoredListValue {
                id: &l.id,
                action: &l.action,
                http_status: l.http_status.clone(),
            })
            .collect(),
        source: e.source.as_deref(),
    }
}

/// The code as a number, when it is all digits.
pub fn code_number(code: &str) -> Option<u64> {
    if code.bytes().all(|b| b.is_ascii_digit()) {
        code.parse().ok()
    } else {
        None
    }
}

/// The related entries of entry `i` when its catalog names none, by definition: the entries of its domain
/// (`rows` holds each entry's domain and code) with another code, the nearest number first (ties in catalog
/// order), then those without a number, in order; at most [`RELATED`]. An entry without a number takes the
/// first of its domain. build.rs compiles this into the built-in catalogs; `catalog::Hit::related` finds the
/// same entries with an index, for catalogs known only at run time.
pub fn nearest(rows: &[(&str, &str)], i: usize) -> Vec<usize> {
    let (domain, code) = rows[i];
    let n = code_number(code);
    let mut same: Vec<(u64, usize)> = rows
        .iter()
        .enumerate()
        .filter(|(_, (d, c))| *d == domain && *c != code)
        .map(|(j, (_, c))| {
            let distance = match (n, code_number(c)) {
                (Some(n), Some(m)) => m.abs_diff(n),
                (Some(_), None) => u64::MAX,
                (None, _) => 0,
            };
            (distance, j)
        })
        .collect();
    same.sort_unstable();
    same.into_iter().take(RELATED).map(|(_, j)| j).collect()
}

/// Splits stored data (the front's length, the front, the body) into the front and the body.
pub fn split(data: &[u8]) -> Option<(&[u8], &[u8])> {
    let len = u64::from_le_bytes(data.get(..8)?.try_into().ok()?);
    let len = usize::try_from(len).ok()?;
    let front = data.get(8..8usize.checked_add(len)?)?;
    Some((front, &data[8 + len..]))
}
