//! The search index of a catalog: its terms, where they occur (which entry, which field, how often) and how
//! long each entry's fields are, for a BM25F ranking (`crate::search`). build.rs writes it for the
//! built-in catalogs, the cache holds it for user catalogs: it is one section of the stored form
//! (`store`), so a search reads the posting lists of its own terms and nothing else.
//!
//! Terms ([`terms`]): text is NFKC-normalised and lowercased; Latin letters and digits make words (an
//! identifier such as `keySystemNoKeys` or `DRM_E_DEVCERT_REVOKED` gives its parts and, for camel case, the
//! whole), lightly stemmed (`expired`, `expires`, `expire` → `expir`); Korean and Japanese, which have no
//! spaces between words (or glue particles to them), give overlapping character pairs (bigrams), so
//! `만료된` and `만료되었습니다` share `만료`; a run of katakana is also a word of its own, so that `キー`
//! is told apart from the `キー` inside `スキーム`.
//!
//! Layout (little-endian): a header (entries and terms, u32 each; the length of the terms' text, u64; the
//! total length of each field, u64 each), each entry's field
//! lengths (u16 each) and flags (u16: [`RETIRED`]), one 16-byte record per term (text start, text length, postings start, document
//! frequency) sorted by text, the terms' text, and the postings: per entry that has the term, the gap
//! from the previous entry (LEB128), a byte with a bit per field the term is in, and its count in each
//! of those fields (a byte each, capped at 255).
//!
//! This file is shared with build.rs (`#[path]`): it depends on std, unicode-normalization and the model.

use super::model::{Entry, Meta};
use std::collections::HashMap;
use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};

/// Code, name and aliases.
pub const KEYS: usize = 0;
/// Messages and official notes, in every language.
pub const MESSAGES: usize = 1;
/// The titles of the entry's domain, the catalog's vendor and product, the HTTP status.
pub const TITLES: usize = 2;
/// Descriptions and hints.
pub const REST: usize = 3;
pub const FIELDS: usize = 4;

/// Marks a katakana run kept whole (`~キー`), beside its bigrams (`キー`).
pub const WORD: char = '~';

const HEADER: usize = 16 + 8 * FIELDS;
/// Per entry: its field lengths and its flags, u16 each.
const PER_ENTRY: usize = 2 * (FIELDS + 1);
/// An entry flag: the source no longer defines the code.
pub const RETIRED: u16 = 1;
const TERM: usize = 16;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Script {
    Latin,
    Hangul,
    Katakana,
    /// Kanji and hiragana, which Japanese writes together (`期限切れ`).
    Han,
}

fn script(c: char) -> Option<Script> {
    if c.is_ascii_alphanumeric() {
        return Some(Script::Latin);
    }
    if c.is_ascii() {
        return None;
    }
    match c as u32 {
        // The katakana middle dot and double hyphen separate words.
        0x30FB | 0x30A0 => None,
        0xAC00..=0xD7AF | 0x1100..=0x11FF | 0x3130..=0x318F => Some(Script::Hangul),
        0x30A0..=0x30FF | 0x31F0..=0x31FF => Some(Script::Katakana),
        0x3040..=0x309F | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x3005 => {
            Some(Script::Han)
        }
        _ if c.is_alphanumeric() => Some(Script::Latin),
        _ => None,
    }
}

/// A piece of text of one script: a Latin word, or a run of Korean or Japanese.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    pub text: String,
    pub cjk: bool,
    /// A katakana run, kept whole as a word too.
    pub kana: bool,
}

/// Splits `text` into units: Latin words (camel case split, the whole kept too), and runs of one East
/// Asian script. Text is NFKC-normalised first; Latin words are lowercased.
pub fn units(text: &str) -> Vec<Unit> {
    let mut out = Vec::new();
    let mut run = String::new();
    let mut kind: Option<Script> = None;
    let flush = |run: &mut String, kind: Option<Script>, out: &mut Vec<Unit>| {
        if run.is_empty() {
            return;
        }
        match kind {
            Some(Script::Latin) => latin(run, out),
            Some(s) => out.push(Unit {
                text: std::mem::take(run),
                cjk: true,
                kana: s == Script::Katakana,
            }),
            None => {}
        }
        run.clear();
    };
    // Most text is already in NFKC (a quick check tells), and rebuilding it is most of what this costs.
    let chars: Box<dyn Iterator<Item = char>> =
        if text.is_ascii() || is_nfkc_quick(text.chars()) == IsNormalized::Yes {
            Box::new(text.chars())
        } else {
            Box::new(text.nfkc())
        };
    for c in chars {
        let s = script(c);
        if s != kind {
            flush(&mut run, kind, &mut out);
            kind = s;
        }
        if s.is_some() {
            run.push(c);
        }
    }
    flush(&mut run, kind, &mut out);
    out
}

/// A Latin word: its camel-case parts, and the whole when it has several.
fn latin(word: &str, out: &mut Vec<Unit>) {
    // Most words are ASCII and in one piece: lowercased and stemmed in one string.
    if word.is_ascii() {
        let b = word.as_bytes();
        let camel = (1..b.len()).any(|i| {
            let (x, y) = (b[i - 1], b[i]);
            let next_lower = b.get(i + 1).is_some_and(u8::is_ascii_lowercase);
            (x.is_ascii_lowercase() && y.is_ascii_uppercase())
                || (x.is_ascii_uppercase() && y.is_ascii_uppercase() && next_lower)
        });
        if !camel {
            let mut text = word.to_ascii_lowercase();
            text.truncate(stem_len(&text));
            out.push(Unit {
                text,
                cjk: false,
                kana: false,
            });
            return;
        }
    }
    let chars: Vec<char> = word.chars().collect();
    let mut parts: Vec<String> = Vec::new();
    let mut start = 0;
    for i in 1..chars.len() {
        let (a, b) = (chars[i - 1], chars[i]);
        let next_lower = chars.get(i + 1).is_some_and(|c| c.is_lowercase());
        // `keySystem` → key|System; `AVError` → AV|Error.
        if (a.is_lowercase() && b.is_uppercase())
            || (a.is_uppercase() && b.is_uppercase() && next_lower)
        {
            parts.push(chars[start..i].iter().collect());
            start = i;
        }
    }
    parts.push(chars[start..].iter().collect());
    let lower = |s: &str| s.chars().flat_map(char::to_lowercase).collect::<String>();
    for p in &parts {
        out.push(Unit {
            text: stem(&lower(p)),
            cjk: false,
            kana: false,
        });
    }
    if parts.len() > 1 {
        out.push(Unit {
            text: stem(&lower(word)),
            cjk: false,
            kana: false,
        });
    }
}

/// A light English stemmer, the same for the index and the query: `-ing`, `-ed`, `-es`, `-s` and `-e`
/// come off a word that keeps at least three letters (`expired`, `expires`, `expire` → `expir`;
/// `throttled`, `throttle` → `throttl`). Digits and hex codes are left alone.
pub fn stem(w: &str) -> String {
    w[..stem_len(w)].to_string()
}

/// How much of `w` its stem keeps (see [`stem`]).
fn stem_len(w: &str) -> usize {
    if !w.bytes().all(|b| b.is_ascii_lowercase()) {
        return w.len();
    }
    let keep = |suffix: &str| w.len() >= suffix.len() + 3 && w.ends_with(suffix);
    for suffix in ["ing", "ed", "es"] {
        if keep(suffix) {
            return w.len() - suffix.len();
        }
    }
    if keep("s") && !w.ends_with("ss") && !w.ends_with("us") && !w.ends_with("is") {
        return w.len() - 1;
    }
    if keep("e") {
        return w.len() - 1;
    }
    w.len()
}

/// The bigrams of a run (the run itself when it is one character).
pub fn grams(run: &str) -> Vec<String> {
    let chars: Vec<char> = run.chars().collect();
    if chars.len() < 2 {
        return vec![run.to_string()];
    }
    chars.windows(2).map(|w| w.iter().collect()).collect()
}

/// The index terms of `text`, in order, with repeats.
pub fn terms(text: &str, out: &mut Vec<String>) {
    for_each_term(text, &mut String::new(), &mut |t| out.push(t.to_string()));
}

/// Calls `f` with each index term of `text`, in order (`buf` is scratch space, so that a catalog of a
/// million entries is indexed without a string allocated per term).
pub fn for_each_term(text: &str, buf: &mut String, f: &mut impl FnMut(&str)) {
    for u in units(text) {
        if !u.cjk {
            f(&u.text);
            continue;
        }
        if u.kana {
            buf.clear();
            buf.push(WORD);
            buf.push_str(&u.text);
            f(buf);
        }
        let mut chars = u.text.char_indices().peekable();
        if u.text.chars().nth(1).is_none() {
            f(&u.text);
            continue;
        }
        while let Some((at, _)) = chars.next() {
            let Some(&(next, c)) = chars.peek() else {
                break;
            };
            f(&u.text[at..next + c.len_utf8()]);
        }
    }
}

/// The texts of each field of `e`, in catalog `meta`.
fn field_texts<'a>(meta: &'a Meta, e: &'a Entry) -> [Vec<std::borrow::Cow<'a, str>>; FIELDS] {
    use std::borrow::Cow;
    let texts = |ts: &[&'a super::model::Texts<'a>]| -> Vec<Cow<'a, str>> {
        ts.iter()
            .flat_map(|t| t.iter().map(|(_, s)| Cow::Borrowed(s)))
            .collect()
    };
    let mut keys: Vec<Cow<str>> = e.keys().map(Cow::Borrowed).collect();
    // An identifier written together (`keysystemnokeys`, `accesstokenexpired`) finds its key too.
    for k in e.keys() {
        let joined: String = k
            .chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect();
        if joined.len() != k.len() && joined.is_ascii() && !joined.is_empty() {
            keys.push(Cow::Owned(joined));
        }
    }
    let mut titles: Vec<Cow<str>> = vec![Cow::Borrowed(&meta.vendor), Cow::Borrowed(&meta.product)];
    if let Some(d) = meta.domains.iter().find(|d| d.id == e.domain) {
        titles.extend(d.title.iter().map(|(_, s)| Cow::Borrowed(s)));
    }
    titles.push(Cow::Borrowed(&e.domain));
    if let Some(s) = e.http_status {
        titles.push(Cow::Owned(s.to_string()));
    }
    [
        keys,
        texts(&[&e.message, &e.official_note]),
        titles,
        texts(&[&e.description, &e.hint]),
    ]
}

/// The index of `entries` (see the module's documentation).
pub fn build<'e>(meta: &Meta, entries: impl IntoIterator<Item = Option<Entry<'e>>>) -> Vec<u8> {
    build_many(entries.into_iter().map(|e| (meta, e)))
}

/// The index of entries of several catalogs, each with its catalog's header (build.rs indexes the
/// built-in catalogs together, one after another): as if one catalog held them all.
pub fn build_many<'m, 'e>(
    entries: impl IntoIterator<Item = (&'m Meta<'m>, Option<Entry<'e>>)>,
) -> Vec<u8> {
    // Terms by number (as first met), and each term's postings (entry, counts per field), entries in order.
    let mut ids: HashMap<String, u32> = HashMap::new();
    let mut lists_of: Vec<Vec<(u32, [u8; FIELDS])>> = Vec::new();
    let mut lens: Vec<u8> = Vec::new();
    // Entries come one at a time (the encoder decodes them again from what it wrote, so that a large
    // catalog is never held whole); one that cannot be read has no terms.
    let mut count = 0usize;
    let mut totals = [0u64; FIELDS];
    let mut buf = String::new();
    let mut seen: Vec<(u32, u8)> = Vec::new();
    // The titles field is the same for every entry of a catalog's domain with the same HTTP status: its
    // terms are worked out once.
    let mut titles: HashMap<(String, String, Option<u16>), Vec<u32>> = HashMap::new();
    let mut term_ids: Vec<u32> = Vec::new();
    for (i, (meta, e)) in entries.into_iter().enumerate() {
        count += 1;
        seen.clear();
        let Some(e) = e else {
            lens.extend(std::iter::repeat_n(0u8, PER_ENTRY));
            continue;
        };
        let e = &e;
        for (f, texts) in field_texts(meta, e).iter().enumerate() {
            let cached = (f == TITLES)
                .then(|| titles.get(&(meta.id.to_string(), e.domain.to_string(), e.http_status)))
                .flatten();
            term_ids.clear();
            match cached {
                Some(t) => term_ids.extend_from_slice(t),
                None => {
                    for t in texts {
                        for_each_term(t, &mut buf, &mut |w| {
                            let id = match ids.get(w) {
                                Some(&id) => id,
                                None => {
                                    let id = lists_of.len() as u32;
                                    ids.insert(w.to_string(), id);
                                    lists_of.push(Vec::new());
                                    id
                                }
                            };
                            term_ids.push(id);
                        });
                    }
                    if f == TITLES {
                        let key = (meta.id.to_string(), e.domain.to_string(), e.http_status);
                        titles.insert(key, term_ids.clone());
                    }
                }
            }
            seen.extend(term_ids.iter().map(|&id| (id, f as u8)));
            let n = term_ids.len().min(u16::MAX as usize);
            totals[f] += n as u64;
            lens.extend((n as u16).to_le_bytes());
        }
        let flags = if e.retired { RETIRED } else { 0 };
        lens.extend(flags.to_le_bytes());
        seen.sort_unstable();
        let mut k = 0;
        while k < seen.len() {
            let id = seen[k].0;
            let mut counts = [0u8; FIELDS];
            while k < seen.len() && seen[k].0 == id {
                let c = &mut counts[seen[k].1 as usize];
                *c = c.saturating_add(1);
                k += 1;
            }
            lists_of[id as usize].push((i as u32, counts));
        }
    }
    // The term table is sorted by text.
    let mut by_text: Vec<(&str, u32)> = ids.iter().map(|(w, &id)| (w.as_str(), id)).collect();
    by_text.sort_unstable();
    let postings = by_text.iter().map(|&(w, id)| (w, &lists_of[id as usize]));
    let mut records = Vec::with_capacity(by_text.len() * TERM);
    let mut text = Vec::new();
    let mut lists = Vec::new();
    for (w, p) in postings {
        for v in [
            text.len() as u32,
            w.len() as u32,
            lists.len() as u32,
            p.len() as u32,
        ] {
            records.extend(v.to_le_bytes());
        }
        text.extend_from_slice(w.as_bytes());
        let mut last = 0u32;
        for (n, (e, counts)) in p.iter().enumerate() {
            let gap = if n == 0 { *e } else { e - last };
            last = *e;
            leb128(gap, &mut lists);
            let mask = counts
                .iter()
                .enumerate()
                .filter(|(_, c)| **c > 0)
                .fold(0u8, |m, (f, _)| m | 1 << f);
            lists.push(mask);
            lists.extend(counts.iter().filter(|c| **c > 0));
        }
    }
    let mut out =
        Vec::with_capacity(HEADER + lens.len() + records.len() + text.len() + lists.len());
    out.extend((count as u32).to_le_bytes());
    out.extend((by_text.len() as u32).to_le_bytes());
    out.extend((text.len() as u64).to_le_bytes());
    for t in totals {
        out.extend(t.to_le_bytes());
    }
    out.extend(lens);
    out.extend(records);
    out.extend(text);
    out.extend(lists);
    out
}

fn leb128(mut v: u32, out: &mut Vec<u8>) {
    loop {
        let b = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
}

/// Reads an index in place, through `read(at, len)`, which answers the bytes of the index section
/// (checked against their checksums) or `None` when they are damaged or out of range.
pub struct Index<R: Fn(usize, usize) -> Option<&'static [u8]>> {
    read: R,
    pub entries: usize,
    pub terms: usize,
    pub totals: [u64; FIELDS],
    records_at: usize,
    text_at: usize,
    lists_at: usize,
    size: usize,
}

/// One term's postings: per entry, its counts in each field.
#[derive(Default)]
pub struct Postings {
    pub entries: Vec<u32>,
    pub counts: Vec<[u8; FIELDS]>,
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

impl<R: Fn(usize, usize) -> Option<&'static [u8]>> Index<R> {
    /// `None` when the section is empty or its header is damaged.
    pub fn open(read: R, size: usize) -> Option<Self> {
        let head = read(0, HEADER)?;
        let entries = u32_at(head, 0)? as usize;
        let terms = u32_at(head, 4)? as usize;
        let text_len =
            usize::try_from(u64::from_le_bytes(head.get(8..16)?.try_into().ok()?)).ok()?;
        let mut totals = [0u64; FIELDS];
        for (f, t) in totals.iter_mut().enumerate() {
            *t = u64::from_le_bytes(head.get(16 + 8 * f..24 + 8 * f)?.try_into().ok()?);
        }
        let records_at = HEADER.checked_add(entries.checked_mul(PER_ENTRY)?)?;
        let text_at = records_at.checked_add(terms.checked_mul(TERM)?)?;
        let lists_at = text_at.checked_add(text_len)?;
        if lists_at > size {
            return None;
        }
        Some(Index {
            read,
            entries,
            terms,
            totals,
            records_at,
            text_at,
            lists_at,
            size,
        })
    }

    /// Entry `i`'s field lengths, and its flags last.
    pub fn lens(&self, i: usize) -> Option<[u16; FIELDS + 1]> {
        let b = (self.read)(HEADER + i * PER_ENTRY, PER_ENTRY)?;
        let mut out = [0u16; FIELDS + 1];
        for (f, l) in out.iter_mut().enumerate() {
            *l = u16::from_le_bytes([b[2 * f], b[2 * f + 1]]);
        }
        Some(out)
    }

    fn record(&self, t: usize) -> Option<[u32; 4]> {
        let b = (self.read)(self.records_at + t * TERM, TERM)?;
        Some([u32_at(b, 0)?, u32_at(b, 4)?, u32_at(b, 8)?, u32_at(b, 12)?])
    }

    /// Term number `t`'s text.
    pub fn term(&self, t: usize) -> Option<&'static str> {
        std::str::from_utf8(self.term_bytes(t)?).ok()
    }

    /// Term number `t`'s text, as bytes: the table is sorted by them (as by the text), and a search
    /// compares them without checking that each is UTF-8.
    fn term_bytes(&self, t: usize) -> Option<&'static [u8]> {
        let [at, len, _, _] = self.record(t)?;
        (self.read)(self.text_at + at as usize, len as usize)
    }

    /// The number of term `w`, by a binary search.
    pub fn find(&self, w: &str) -> Option<usize> {
        let w = w.as_bytes();
        let (mut lo, mut hi) = (0, self.terms);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            match self.term_bytes(mid)?.cmp(w) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Some(mid),
            }
        }
        None
    }

    /// The numbers of the terms that begin with `prefix` (a range of the sorted table).
    pub fn starting_with(&self, prefix: &str) -> std::ops::Range<usize> {
        let prefix = prefix.as_bytes();
        let first = |pred: &dyn Fn(&[u8]) -> bool| {
            let (mut lo, mut hi) = (0, self.terms);
            while lo < hi {
                let mid = lo + (hi - lo) / 2;
                // A damaged record ends the range early rather than widening it.
                if self.term_bytes(mid).is_some_and(pred) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            lo
        };
        let start = first(&|t| t < prefix);
        let end = first(&|t| t < prefix || t.starts_with(prefix));
        start..end.max(start)
    }

    /// How many entries have term `t`.
    pub fn df(&self, t: usize) -> Option<usize> {
        self.record(t).map(|r| r[3] as usize)
    }

    /// Term `t`'s postings.
    pub fn postings(&self, t: usize) -> Option<Postings> {
        let mut out = Postings::default();
        self.postings_into(t, &mut out)?;
        Some(out)
    }

    /// Term `t`'s postings, in `out` (cleared first, so that one buffer serves many terms).
    pub fn postings_into(&self, t: usize, out: &mut Postings) -> Option<()> {
        let [_, _, at, df] = self.record(t)?;
        let df = df as usize;
        let end = match t + 1 < self.terms {
            true => self.record(t + 1)?[2] as usize,
            false => self.size.checked_sub(self.lists_at)?,
        };
        let b = (self.read)(self.lists_at + at as usize, end.checked_sub(at as usize)?)?;
        decode(b, df, self.entries, out)
    }
}

fn decode(b: &[u8], df: usize, entries: usize, out: &mut Postings) -> Option<()> {
    out.entries.clear();
    out.counts.clear();
    // A damaged count cannot ask for more room than the bytes could hold.
    out.entries.reserve(df.min(b.len()));
    out.counts.reserve(df.min(b.len()));
    let mut at = 0;
    let mut last = 0u32;
    for n in 0..df {
        let mut gap = 0u32;
        let mut shift = 0;
        loop {
            let byte = *b.get(at)?;
            at += 1;
            gap |= u32::from(byte & 0x7f).checked_shl(shift)?;
            if byte & 0x80 == 0 {
                break;
            }
            shift += 7;
            if shift > 28 {
                return None;
            }
        }
        let e = if n == 0 { gap } else { last.checked_add(gap)? };
        if (e as usize) >= entries || (n > 0 && gap == 0) {
            return None;
        }
        last = e;
        let mask = *b.get(at)?;
        at += 1;
        let mut counts = [0u8; FIELDS];
        for (f, c) in counts.iter_mut().enumerate() {
            if mask & (1 << f) != 0 {
                *c = *b.get(at)?;
                at += 1;
            }
        }
        out.entries.push(e);
        out.counts.push(counts);
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_splits_into_words_and_bigrams() {
        let mut t = Vec::new();
        terms(
            "Token 기간이 만료된 キー・スキーム keySystemNoKeys DRM_E_x 期限切れ 鍵",
            &mut t,
        );
        let want = [
            "token",
            "기간",
            "간이",
            "만료",
            "료된",
            "~キー",
            "キー",
            "~スキーム",
            "スキ",
            "キー",
            "ーム",
            "key",
            "system",
            "no",
            "key",
            "keysystemnokey",
            "drm",
            "e",
            "x",
            "期限",
            "限切",
            "切れ",
            "鍵",
        ];
        assert_eq!(t, want);
    }

    /// The index reads back what it was built from: every term's postings and every entry's lengths.
    #[test]
    fn the_index_reads_back() {
        for c in crate::catalog::builtin() {
            let ix = c.search_index().expect("an index");
            assert_eq!(ix.entries, c.len());
            let mut postings = 0;
            for t in 0..ix.terms {
                let w = ix.term(t).unwrap();
                assert_eq!(ix.find(w), Some(t));
                let p = ix.postings(t).unwrap();
                assert_eq!(p.entries.len(), ix.df(t).unwrap());
                assert!(p.entries.windows(2).all(|w| w[0] < w[1]));
                postings += p.entries.len();
            }
            assert!(postings > c.len(), "{}", c.id());
            // Each entry's counted terms add up to its field lengths (no field holds a term twice
            // without counting it twice).
            let mut sums = vec![[0u32; FIELDS]; c.len()];
            for t in 0..ix.terms {
                let p = ix.postings(t).unwrap();
                for (e, counts) in p.entries.iter().zip(&p.counts) {
                    for f in 0..FIELDS {
                        sums[*e as usize][f] += u32::from(counts[f]);
                    }
                }
            }
            for (i, s) in sums.iter().enumerate() {
                let lens = ix.lens(i).unwrap();
                for f in 0..FIELDS {
                    assert_eq!(s[f], u32::from(lens[f]), "{}: entry {i}, field {f}", c.id());
                }
            }
        }
    }
}
