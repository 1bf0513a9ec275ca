//! The catalogs as the program uses them. The built-in ones are compiled from `catalog/*.toml` by build.rs
//! (see [`Span`]) and read by `compiled`; user catalogs are read from their stored form by `stored` and join
//! them (`user`).

pub use crate::model::{Kind, Lang};
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

/// Text in up to three languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Texts {
    pub en: Option<&'static str>,
    pub ko: Option<&'static str>,
    pub ja: Option<&'static str>,
}

impl Texts {
    pub const EMPTY: Texts = Texts {
        en: None,
        ko: None,
        ja: None,
    };

    pub fn get(&self, lang: Lang) -> Option<&'static str> {
        match lang {
            Lang::En => self.en,
            Lang::Ko => self.ko,
            Lang::Ja => self.ja,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.en.is_none() && self.ko.is_none() && self.ja.is_none()
    }

    /// Every language that has a text, in the fixed order en, ko, ja.
    pub fn iter(&self) -> impl Iterator<Item = (Lang, &'static str)> + '_ {
        Lang::ALL
            .into_iter()
            .filter_map(|l| self.get(l).map(|t| (l, t)))
    }

    /// The text in `lang`, else English, else the first of `preferred` that has one, else any.
    pub fn pick(&self, lang: Lang, preferred: &[Lang]) -> Option<(Lang, &'static str)> {
        self.get(lang)
            .map(|t| (lang, t))
            .or_else(|| self.en.map(|t| (Lang::En, t)))
            .or_else(|| preferred.iter().find_map(|l| self.get(*l).map(|t| (*l, t))))
            .or_else(|| self.iter().next())
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Source {
    pub title: Option<&'static str>,
    pub url: Option<&'static str>,
    pub lang: Option<Lang>,
    pub date: Option<&'static str>,
}

#[derive(Debug, Clone, Copy)]
pub struct Domain {
    pub id: &'static str,
    pub title: Texts,
}

#[derive(Debug, Clone, Copy)]
pub struct ListDef {
    pub id: &'static str,
    pub title: Texts,
}

/// An entry's values in one of the catalog's further lists (Adobe's per-API lists).
#[derive(Debug, Clone, Copy)]
pub struct ListValue {
    pub id: &'static str,
    pub action: &'static str,
    pub http_status: &'static [u16],
}

/// Where a catalog or an entry comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    BuiltIn,
    /// A user catalog file, by the path it was loaded from.
    File(&'static str),
}

impl Origin {
    /// `built-in`, or the file's path.
    pub fn label(self) -> &'static str {
        match self {
            Origin::BuiltIn => "built-in",
            Origin::File(path) => path,
        }
    }
}

/// An entry's text folded for search (`normalize::normalize`), computed at build time for the built-in
/// catalogs (`RawEntry::folded`; a search folds a user catalog's text as it goes: storing it would double the
/// cache, which every lookup reads). Each field holds its items separated by `normalize::SEPARATOR`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Folded<S = &'static str> {
    /// Code, name and aliases.
    pub keys: S,
    /// Messages and official notes, in every language.
    pub messages: S,
    /// Descriptions and hints.
    pub rest: S,
}

#[derive(Debug, Clone, Copy)]
pub struct Entry {
    pub code: &'static str,
    pub name: Option<&'static str>,
    pub aliases: &'static [&'static str],
    pub domain: &'static str,
    pub http_status: Option<u16>,
    pub action: &'static str,
    pub kind: Kind,
    pub related: &'static [&'static str],
    /// Languages of `message` that are the vendor's own text.
    pub official: &'static [Lang],
    pub message: Texts,
    pub official_note: Texts,
    pub description: Texts,
    pub hint: Texts,
    pub lists: &'static [ListValue],
    /// The document this entry comes from, when it is not one of the catalog's usual sources.
    pub source: Option<&'static str>,
    pub origin: Origin,
    /// Related entries' codes, worked out when a built-in catalog was compiled (see `form::nearest`).
    pub nearby: Option<&'static [&'static str]>,
}

impl Entry {
    /// The code as a number, when it is one.
    pub fn number(&self) -> Option<u64> {
        code_number(self.code)
    }

    pub fn is_official(&self, lang: Lang) -> bool {
        self.official.contains(&lang)
    }

    /// The message in `lang`, or its fallback: English, then an official text.
    pub fn message_in(&self, lang: Lang) -> Option<(Lang, &'static str)> {
        self.message.pick(lang, self.official)
    }

    /// The names a user may type for this entry: code, name and aliases.
    pub fn keys(&self) -> impl Iterator<Item = &'static str> + '_ {
        std::iter::once(self.code)
            .chain(self.name)
            .chain(self.aliases.iter().copied())
    }
}

#[derive(Debug)]
pub struct Catalog {
    pub id: &'static str,
    pub vendor: &'static str,
    pub product: &'static str,
    pub official_langs: &'static [Lang],
    pub description: Texts,
    /// Where the catalog is defined: built in, or the first user file with its id.
    pub origin: Origin,
    /// User files that add entries to it or override some, in load order.
    pub extended_by: &'static [&'static str],
    pub sources: &'static [Source],
    pub domains: &'static [Domain],
    pub lists: &'static [ListDef],
    pub entries: Entries,
    /// Entries by domain and number, built the first time related entries are asked for.
    pub nearby: Nearby,
}

/// For each domain, its entries' indices in catalog order, and those with a numeric code sorted by number:
/// related entries of one entry are found by a binary search, not a scan of the catalog (which, for every
/// entry of a 100,000-entry list, would be quadratic).
#[derive(Debug, Default)]
pub struct Nearby(OnceLock<Index>, AtomicUsize);

#[derive(Debug, Default)]
struct Index {
    domains: HashMap<&'static str, DomainIndex>,
    /// Lowercase code → entry index, for `Catalog::entry`.
    codes: HashMap<String, usize>,
}

#[derive(Debug, Default, Clone)]
struct DomainIndex {
    order: Vec<usize>,
    numbered: Vec<(u64, usize)>,
}

impl Nearby {
    pub const fn new() -> Nearby {
        Nearby(OnceLock::new(), AtomicUsize::new(0))
    }
}

/// A catalog's entries: built in (or merged) as one array, or a user catalog read from its cache file, whose
/// entries are decoded when something asks for them (a lookup in a catalog of 100,000 entries decodes
/// the one it finds).
#[derive(Debug, Clone, Copy)]
pub enum Entries {
    Static(&'static [Entry]),
    Lazy(&'static dyn EntrySource),
}

/// What a lookup needs of an entry without decoding it: its keys and domain.
#[derive(Debug, Clone, Copy)]
pub struct Row {
    pub code: &'static str,
    pub name: Option<&'static str>,
    pub aliases: &'static [&'static str],
    pub domain: &'static str,
}

impl Row {
    pub fn of(e: &Entry) -> Row {
        Row {
            code: e.code,
            name: e.name,
            aliases: e.aliases,
            domain: e.domain,
        }
    }

    /// Code, name and aliases.
    pub fn keys(&self) -> impl Iterator<Item = &'static str> + '_ {
        std::iter::once(self.code)
            .chain(self.name)
            .chain(self.aliases.iter().copied())
    }

    pub fn number(&self) -> Option<u64> {
        code_number(self.code)
    }
}

use crate::form::code_number;

/// Whether `key` (a code, name or alias) is `lower` (a lowercase query), case aside.
pub fn key_is(key: &str, lower: &str) -> bool {
    // Lowercasing allocates; only a key outside ASCII needs more than an ASCII comparison.
    key.eq_ignore_ascii_case(lower) || (!key.is_ascii() && key.to_lowercase() == lower)
}

/// Entries decoded on demand (built-in catalogs: `compiled::Compiled`; user catalogs: `stored::Lazy`).
pub trait EntrySource: std::fmt::Debug + Sync {
    fn len(&self) -> usize;
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    fn row(&self, i: usize) -> Row;
    /// Entry `i`, decoded once and kept; `None` when its stored form is damaged.
    fn entry(&self, i: usize) -> Option<&'static Entry>;
    /// Every entry, decoded once.
    fn all(&self) -> &'static [Entry];
    /// Entry `i` for the moment: the kept one if there is one, else (where the source can) one decoded for
    /// the caller and not kept, so that going through every entry once (`Listing`) holds one at a time.
    fn passing(&self, i: usize) -> Option<Cow<'static, Entry>> {
        self.all().get(i).map(Cow::Borrowed)
    }
    /// Entry `i`'s text folded for search (see `Folded`), into the three buffers; false when damaged.
    fn fold(&self, i: usize, keys: &mut String, messages: &mut String, rest: &mut String) -> bool;
    /// Entry `i`'s folded text, when it was folded in advance (a built-in catalog).
    fn folded(&self, _i: usize) -> Option<Folded> {
        None
    }
    /// The entries with a key (with `codes_only`, a code) equal to `lower` in any case, in catalog order,
    /// when the source has an index of its keys (a built-in catalog); `None` asks the caller to scan rows.
    fn keyed(&self, _lower: &str, _codes_only: bool) -> Option<Vec<usize>> {
        None
    }
}

/// The entries a source has decoded, each once: one by one as they are asked for, or all at once.
#[derive(Debug, Default)]
pub struct Decoded {
    // A BTreeMap: a command decodes a handful of entries one by one, and a HashMap's random seed costs a
    // system call at start-up.
    one: std::sync::Mutex<std::collections::BTreeMap<usize, &'static Entry>>,
    all: OnceLock<&'static [Entry]>,
}

impl Decoded {
    /// Entry `i`, from what was decoded before or else from `decode` (`None`: it does not decode).
    pub fn entry(
        &self,
        i: usize,
        decode: impl FnOnce() -> Option<Entry>,
    ) -> Option<&'static Entry> {
        if let Some(e) = self.kept(i) {
            return Some(e);
        }
        let e: &'static Entry = Box::leak(Box::new(decode()?));
        let mut one = self.one.lock().unwrap_or_else(|e| e.into_inner());
        Some(*one.entry(i).or_insert(e))
    }

    /// Entry `i` if it was decoded before.
    pub fn kept(&self, i: usize) -> Option<&'static Entry> {
        if let Some(all) = self.all.get() {
            return all.get(i);
        }
        let one = self.one.lock().unwrap_or_else(|e| e.into_inner());
        one.get(&i).copied()
    }

    /// Every entry, from `decode` the first time.
    pub fn all(&self, decode: impl FnOnce() -> Vec<Entry>) -> &'static [Entry] {
        self.all
            .get_or_init(|| Box::leak(decode().into_boxed_slice()))
    }
}

/// A string of a built-in catalog: `POOL[start..end]`. build.rs compiles the built-in catalogs into integers
/// and one text (`POOL`) rather than into Rust structs of `&str`: a tree of pointers would need thousands of
/// relocations, and page writes, each time the program starts, whatever the command; and a text in the
/// binary is checked UTF-8 once, when it is compiled, not each time an entry is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span(pub u32, pub u32);

/// A built-in entry, compiled (see [`Span`]). The fields marked "range" are `start..end` ranges of the
/// tables named.
#[derive(Debug)]
pub struct RawEntry {
    pub code: Span,
    pub name: Option<Span>,
    /// Range of `SPANS`.
    pub aliases: Span,
    pub domain: Span,
    pub http_status: Option<u16>,
    pub action: Span,
    pub kind: Kind,
    /// Range of `SPANS`.
    pub related: Span,
    /// Range of `LANGS`.
    pub official: Span,
    /// In the order en, ko, ja.
    pub message: [Option<Span>; 3],
    pub official_note: [Option<Span>; 3],
    pub description: [Option<Span>; 3],
    pub hint: [Option<Span>; 3],
    /// Range of `LIST_VALUES`.
    pub lists: Span,
    pub source: Option<Span>,
    /// Range of `SPANS`: the related codes, worked out at build time (`form::nearest`).
    pub nearby: Span,
    /// The entry's keys, messages and rest, folded for search (`Folded`).
    pub folded: [Span; 3],
}

#[derive(Debug)]
pub struct RawListValue {
    pub id: Span,
    pub action: Span,
    /// Range of `STATUSES`.
    pub http_status: Span,
}

/// A built-in catalog as build.rs compiles it: its header as ordinary data (a few strings, which every
/// command reads), its entries as [`RawEntry`].
#[derive(Debug)]
pub struct Prebuilt {
    pub id: &'static str,
    pub vendor: &'static str,
    pub product: &'static str,
    pub official_langs: &'static [Lang],
    pub description: Texts,
    pub sources: &'static [Source],
    pub domains: &'static [Domain],
    pub lists: &'static [ListDef],
    pub entries: &'static [RawEntry],
}

/// One key (code, name or alias, lowercase) of a built-in entry, in the table of all of them sorted by key
/// (`KEYS`): a lookup by key is a binary search, not a scan.
#[derive(Debug, Clone, Copy)]
pub struct KeyRef {
    pub key: Span,
    pub catalog: u16,
    pub entry: u32,
    /// The entry's code, rather than a name or alias.
    pub code: bool,
}

impl Catalog {
    pub fn len(&self) -> usize {
        match self.entries {
            Entries::Static(e) => e.len(),
            Entries::Lazy(l) => l.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every entry, in catalog order (for a user catalog read from its cache, this decodes them all).
    pub fn all(&self) -> &'static [Entry] {
        match self.entries {
            Entries::Static(e) => e,
            Entries::Lazy(l) => l.all(),
        }
    }

    /// Every entry's keys and domain, with its index, without decoding entries.
    pub fn rows(&self) -> impl Iterator<Item = (usize, Row)> + '_ {
        (0..self.len()).map(move |i| match self.entries {
            Entries::Static(e) => (i, Row::of(&e[i])),
            Entries::Lazy(l) => (i, l.row(i)),
        })
    }

    pub fn row(&self, i: usize) -> Option<Row> {
        match self.entries {
            Entries::Static(e) => e.get(i).map(Row::of),
            Entries::Lazy(l) => (i < l.len()).then(|| l.row(i)),
        }
    }

    /// Whether to use (and if need be build) the index: always for a small catalog; for a large one once a
    /// few questions have been asked (one `explain` scans, which is cheaper than indexing 100,000 entries;
    /// a `list` of them all builds the index).
    fn use_index(&self) -> bool {
        self.len() <= 4096
            || self.nearby.0.get().is_some()
            || self.nearby.1.fetch_add(1, Ordering::Relaxed) >= 16
    }

    /// One domain's entries, from the index or by a scan.
    fn domain_index(&self, domain: &str) -> Option<Cow<'_, DomainIndex>> {
        if self.use_index() {
            return self.index().domains.get(domain).map(Cow::Borrowed);
        }
        let mut d = DomainIndex::default();
        for (i, r) in self.rows().filter(|(_, r)| r.domain == domain) {
            d.order.push(i);
            if let Some(n) = r.number() {
                d.numbered.push((n, i));
            }
        }
        d.numbered.sort_unstable();
        (!d.order.is_empty()).then_some(Cow::Owned(d))
    }

    fn index(&self) -> &Index {
        self.nearby.0.get_or_init(|| {
            let mut map: HashMap<&'static str, DomainIndex> = HashMap::new();
            let mut codes = HashMap::with_capacity(self.len());
            for (i, r) in self.rows() {
                codes.entry(r.code.to_lowercase()).or_insert(i);
                let d = map.entry(r.domain).or_default();
                d.order.push(i);
                if let Some(n) = r.number() {
                    d.numbered.push((n, i));
                }
            }
            for d in map.values_mut() {
                d.numbered.sort_unstable();
            }
            Index {
                domains: map,
                codes,
            }
        })
    }

    /// Entry `i` for the moment (see [`EntrySource::passing`]).
    pub fn passing(&self, i: usize) -> Option<Cow<'static, Entry>> {
        match self.entries {
            Entries::Static(e) => e.get(i).map(Cow::Borrowed),
            Entries::Lazy(l) => l.passing(i),
        }
    }

    pub fn entry_at(&self, i: usize) -> Option<&'static Entry> {
        match self.entries {
            Entries::Static(e) => e.get(i),
            Entries::Lazy(l) => l.entry(i),
        }
    }
    pub fn domain(&self, id: &str) -> Option<&Domain> {
        self.domains.iter().find(|d| d.id == id)
    }

    pub fn list(&self, id: &str) -> Option<&ListDef> {
        self.lists.iter().find(|d| d.id == id)
    }

    /// The entry with this code, in any case.
    pub fn entry(&self, code: &str) -> Option<&'static Entry> {
        if let Entries::Lazy(l) = self.entries {
            if let Some(found) = l.keyed(&code.to_lowercase(), true) {
                return self.entry_at(*found.first()?);
            }
        }
        let i = if self.use_index() {
            *self.index().codes.get(&code.to_lowercase())?
        } else {
            self.rows()
                .find(|(_, r)| r.code.eq_ignore_ascii_case(code))?
                .0
        };
        self.entry_at(i)
    }

    /// The indices of the entries with a code, name or alias equal to `lower` (lowercase) in any case, in
    /// catalog order.
    pub fn find_key(&self, lower: &str) -> Vec<usize> {
        if let Entries::Lazy(l) = self.entries {
            if let Some(found) = l.keyed(lower, false) {
                return found;
            }
        }
        self.rows()
            .filter(|(_, r)| r.keys().any(|k| key_is(k, lower)))
            .map(|(i, _)| i)
            .collect()
    }

    /// The source document to cite for `entry`: its own, else the catalog's source in one of the entry's
    /// official languages (where its official text was published), else one in `lang`, else any.
    pub fn source_url(&self, entry: &Entry, lang: Lang) -> Option<&'static str> {
        if entry.source.is_some() {
            return entry.source;
        }
        let with_url = || self.sources.iter().filter(|s| s.url.is_some());
        entry
            .official
            .iter()
            .find_map(|l| with_url().find(|s| s.lang == Some(*l)))
            .or_else(|| with_url().find(|s| s.lang == Some(lang)))
            .or_else(|| with_url().next())
            .and_then(|s| s.url)
    }
}

// What build.rs compiled: `PREBUILT: [Prebuilt; N]` (the built-in catalogs, in their order), the tables
// `SPANS`, `LANGS`, `LIST_VALUES`, `STATUSES` and `KEYS`, and their text, `POOL`, whose strings that need
// escaping in JSON come after `PLAIN_END`.
include!(concat!(env!("OUT_DIR"), "/builtin.rs"));

/// Whether `s` is text of the built-in catalogs that JSON writes as it is (no `"`, `\` or control
/// character): build.rs puts such strings, and only those, before `PLAIN_END` in `POOL`. A string from
/// anywhere else gives false, and is checked by the JSON writer as usual.
pub fn needs_no_escape(s: &str) -> bool {
    let start = POOL.as_ptr() as usize;
    let at = s.as_ptr() as usize;
    at >= start && at.saturating_add(s.len()) <= start + PLAIN_END as usize
}

/// The built-in catalogs, opened on first use.
pub fn builtin() -> &'static [Catalog] {
    static CATALOGS: OnceLock<Vec<Catalog>> = OnceLock::new();
    CATALOGS.get_or_init(|| {
        PREBUILT
            .iter()
            .enumerate()
            .map(|(n, p)| crate::compiled::catalog(n, p))
            .collect()
    })
}

use crate::form::RELATED;

/// An entry together with the catalog that holds it. The entry is the catalog's own (`Hit<'static>`) or,
/// while a long listing writes it, one decoded for the moment (see [`Listing::try_for_each`]).
#[derive(Debug, Clone, Copy)]
pub struct Hit<'e> {
    pub catalog: &'static Catalog,
    pub entry: &'e Entry,
    /// Relevance, for search results only.
    pub score: Option<f64>,
}

impl<'e> Hit<'e> {
    pub fn new(catalog: &'static Catalog, entry: &'e Entry) -> Hit<'e> {
        Hit {
            catalog,
            entry,
            score: None,
        }
    }

    /// The codes of the related entries (see [`Hit::related`]), without decoding those entries when they
    /// were worked out in advance.
    pub fn related_codes(&self) -> Vec<&'static str> {
        match self.entry.nearby {
            Some(codes) => codes.to_vec(),
            None => self.related().iter().map(|r| r.code).collect(),
        }
    }

    /// Related entries: the catalog's explicit links, else the nearest codes of the same domain.
    pub fn related(&self) -> Vec<&'static Entry> {
        let e = self.entry;
        // Worked out at build time, else the catalog's own links, else found below.
        if let Some(codes) = e.nearby.or((!e.related.is_empty()).then_some(e.related)) {
            return codes.iter().filter_map(|c| self.catalog.entry(c)).collect();
        }
        let c = self.catalog;
        let Some(d) = c.domain_index(e.domain) else {
            return Vec::new();
        };
        let other = |i: &usize| c.row(*i).is_some_and(|r| r.code != e.code);
        let Some(n) = e.number() else {
            return d
                .order
                .iter()
                .copied()
                .filter(other)
                .take(RELATED)
                .filter_map(|i| c.entry_at(i))
                .collect();
        };
        // The nearest codes by (distance, catalog order); entries without a number come after, in order.
        // A few from each side of `n`, with every entry that ties the last one taken, hold the answer.
        let at = d.numbered.partition_point(|(m, _)| *m < n);
        let mut near: Vec<(u64, usize)> = Vec::new();
        let mut take = |side: &mut dyn Iterator<Item = &(u64, usize)>| {
            let mut last = None;
            for (taken, &(m, i)) in side.enumerate() {
                if taken > RELATED && last != Some(m) {
                    break;
                }
                near.push((m.abs_diff(n), i));
                last = Some(m);
            }
        };
        take(&mut d.numbered[..at].iter().rev());
        take(&mut d.numbered[at..].iter());
        near.sort_unstable();
        let numbered: Vec<usize> = near.into_iter().map(|(_, i)| i).filter(other).collect();
        let unnumbered = d
            .order
            .iter()
            .copied()
            .filter(|i| c.row(*i).is_some_and(|r| r.number().is_none()))
            .filter(other);
        numbered
            .into_iter()
            .chain(unnumbered)
            .take(RELATED)
            .filter_map(|i| c.entry_at(i))
            .collect()
    }
}

/// The entries of some catalogs that pass some filters, in catalog order (`list`). Going through them
/// with [`Listing::try_for_each`] decodes one entry at a time and keeps none, so that listing every
/// entry costs the memory of one.
#[derive(Debug, Default)]
pub struct Listing {
    pub catalogs: Vec<&'static Catalog>,
    pub domain: Option<String>,
    pub action: Option<&'static str>,
    pub http_status: Option<u16>,
}

impl Listing {
    fn admits(&self, e: &Entry) -> bool {
        self.domain.as_deref().is_none_or(|d| e.domain == d)
            && self.action.is_none_or(|a| e.action == a)
            && self.http_status.is_none_or(|s| e.http_status == Some(s))
    }

    /// Calls `f` with each entry that passes, until `f` fails; the number of entries passed to `f`.
    pub fn try_for_each<E>(
        &self,
        mut f: impl FnMut(&Hit<'_>) -> Result<(), E>,
    ) -> Result<usize, E> {
        let mut n = 0;
        for c in &self.catalogs {
            for i in 0..c.len() {
                let Some(e) = c.passing(i) else { continue };
                if self.admits(&e) {
                    f(&Hit::new(c, &e))?;
                    n += 1;
                }
            }
        }
        Ok(n)
    }

    /// Whether no entry passes: `try_for_each` stops at the first that does.
    pub fn is_empty(&self) -> bool {
        self.try_for_each(|_| Err(())).is_ok()
    }

    /// The entries that pass, kept.
    pub fn hits(&self) -> Vec<Hit<'static>> {
        every_entry(&self.catalogs)
            .filter(|h| self.admits(h.entry))
            .collect()
    }
}

/// Every entry of `catalogs`, catalog by catalog, decoded and kept.
fn every_entry<'a>(catalogs: &'a [&'static Catalog]) -> impl Iterator<Item = Hit<'static>> + 'a {
    catalogs
        .iter()
        .flat_map(|c| c.all().iter().map(move |e| Hit::new(c, e)))
}

/// The catalogs errbook knows in this run.
pub struct Book {
    pub catalogs: Vec<&'static Catalog>,
}

impl Book {
    pub fn builtin() -> Book {
        Book {
            catalogs: builtin().iter().collect(),
        }
    }

    pub fn catalog(&self, id: &str) -> Option<&'static Catalog> {
        self.catalogs
            .iter()
            .copied()
            .find(|c| c.id.eq_ignore_ascii_case(id))
    }

    pub fn ids(&self) -> Vec<&'static str> {
        self.catalogs.iter().map(|c| c.id).collect()
    }

    /// Every entry, catalog by catalog, in catalog order (decoding every user catalog entry: to find a few,
    /// use [`Book::find`]).
    pub fn hits(&self) -> impl Iterator<Item = Hit<'static>> + '_ {
        every_entry(&self.catalogs)
    }

    /// The entries with a code, name or alias equal to `lower` (lowercase) in any case, in `only` or in every
    /// catalog; only those are decoded.
    pub fn find_key(&self, lower: &str, only: Option<&Catalog>) -> Vec<Hit<'static>> {
        let mut hits = Vec::new();
        for &c in &self.catalogs {
            if only.is_some_and(|o| !std::ptr::eq(o, c)) {
                continue;
            }
            hits.extend(
                c.find_key(lower)
                    .into_iter()
                    .filter_map(|i| c.entry_at(i).map(|e| Hit::new(c, e))),
            );
        }
        hits
    }

    /// The entries whose row passes `keep`, catalog by catalog; only those are decoded.
    pub fn find<'a>(
        &'a self,
        keep: impl Fn(&Catalog, &Row) -> bool + 'a,
    ) -> impl Iterator<Item = Hit<'static>> + 'a {
        let keep = std::rc::Rc::new(keep);
        self.catalogs.iter().flat_map(move |&c| {
            let keep = keep.clone();
            c.rows()
                .filter(move |(_, r)| keep(c, r))
                .filter_map(move |(i, _)| c.entry_at(i).map(|e| Hit::new(c, e)))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The catalog with its entries in memory and nothing worked out in advance, as a user catalog that
    /// extends it would make it: its related entries come from the index.
    fn at_run_time(c: &Catalog) -> Catalog {
        let entries: Vec<Entry> = c
            .all()
            .iter()
            .map(|e| Entry { nearby: None, ..*e })
            .collect();
        Catalog {
            entries: Entries::Static(Box::leak(entries.into_boxed_slice())),
            nearby: Nearby::new(),
            ..*c
        }
    }

    /// Related entries, compiled in and found by the index, both agree with the definition
    /// (`form::nearest`) or, for an entry with links of its own, with those links.
    #[test]
    fn related_entries_match_the_definition() {
        let mut checked = 0;
        for c in builtin() {
            let copy: &'static Catalog = Box::leak(Box::new(at_run_time(c)));
            let rows: Vec<(&str, &str)> = c.rows().map(|(_, r)| (r.domain, r.code)).collect();
            for (i, e) in c.all().iter().enumerate() {
                let want: Vec<&str> = if e.related.is_empty() {
                    crate::form::nearest(&rows, i)
                        .into_iter()
                        .map(|j| rows[j].1)
                        .collect()
                } else {
                    e.related.to_vec()
                };
                let codes = |h: Hit| -> Vec<&str> { h.related().iter().map(|r| r.code).collect() };
                assert!(
                    e.nearby.is_some(),
                    "{}:{} has no compiled related entries",
                    c.id,
                    e.code
                );
                assert_eq!(codes(Hit::new(c, e)), want, "compiled, {}:{}", c.id, e.code);
                assert_eq!(Hit::new(c, e).related_codes(), want, "{}:{}", c.id, e.code);
                let same = copy.entry_at(i).unwrap();
                assert_eq!(
                    codes(Hit::new(copy, same)),
                    want,
                    "indexed, {}:{}",
                    c.id,
                    e.code
                );
                checked += 1;
            }
        }
        assert!(checked >= 400, "{checked}");
    }

    /// The key table finds exactly what a scan of every entry's keys finds.
    #[test]
    fn key_table_agrees_with_a_scan() {
        for c in builtin() {
            let copy = at_run_time(c);
            for (_, r) in c.rows() {
                for k in r.keys() {
                    let lower = k.to_lowercase();
                    assert_eq!(c.find_key(&lower), copy.find_key(&lower), "{}:{k}", c.id);
                    assert_eq!(
                        c.entry(k).map(|e| e.code),
                        copy.entry(k).map(|e| e.code),
                        "{}:{k}",
                        c.id
                    );
                }
            }
            assert!(c.find_key("no such key").is_empty());
        }
    }
}
