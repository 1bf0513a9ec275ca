//! The catalogs as the program uses them: static data, compiled from `catalog/*.toml` by build.rs.

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
/// catalogs (a search folds a user catalog's text as it goes: storing it would double the cache, which every
/// lookup reads). Each field holds its items separated by `normalize::SEPARATOR`.
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
    pub folded: Option<Folded>,
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

fn code_number(code: &str) -> Option<u64> {
    if code.bytes().all(|b| b.is_ascii_digit()) {
        code.parse().ok()
    } else {
        None
    }
}

/// Entries decoded on demand (implemented by user catalogs, `user.rs`).
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
    /// Entry `i`'s text folded for search (see `Folded`), into the three buffers; false when damaged.
    fn fold(&self, i: usize, keys: &mut String, messages: &mut String, rest: &mut String) -> bool;
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
        let i = if self.use_index() {
            *self.index().codes.get(&code.to_lowercase())?
        } else {
            self.rows()
                .find(|(_, r)| r.code.eq_ignore_ascii_case(code))?
                .0
        };
        self.entry_at(i)
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

// The built-in catalogs: `pub static BUILTIN: [Catalog; N]`, generated by build.rs.
include!(concat!(env!("OUT_DIR"), "/builtin.rs"));

/// How many related entries are shown when the catalog names none.
const RELATED: usize = 5;

/// An entry together with the catalog that holds it.
#[derive(Debug, Clone, Copy)]
pub struct Hit {
    pub catalog: &'static Catalog,
    pub entry: &'static Entry,
    /// Relevance, for search results only.
    pub score: Option<f64>,
}

impl Hit {
    pub fn new(catalog: &'static Catalog, entry: &'static Entry) -> Hit {
        Hit {
            catalog,
            entry,
            score: None,
        }
    }

    /// Related entries: the catalog's explicit links, else the nearest codes of the same domain.
    pub fn related(&self) -> Vec<&'static Entry> {
        let e = self.entry;
        if !e.related.is_empty() {
            return e
                .related
                .iter()
                .filter_map(|c| self.catalog.entry(c))
                .collect();
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

/// The catalogs errbook knows in this run.
pub struct Book {
    pub catalogs: Vec<&'static Catalog>,
}

impl Book {
    pub fn builtin() -> Book {
        Book {
            catalogs: BUILTIN.iter().collect(),
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
    pub fn hits(&self) -> impl Iterator<Item = Hit> + '_ {
        self.catalogs
            .iter()
            .flat_map(|c| c.all().iter().map(move |e| Hit::new(c, e)))
    }

    /// The entries whose row passes `keep`, catalog by catalog; only those are decoded.
    pub fn find<'a>(
        &'a self,
        keep: impl Fn(&Catalog, &Row) -> bool + 'a,
    ) -> impl Iterator<Item = Hit> + 'a {
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

    /// The related entries by the definition: same domain, other code, nearest number first (ties in catalog
    /// order), entries without a number after, in order; at most five.
    fn reference(c: &Catalog, e: &Entry) -> Vec<&'static str> {
        let mut same: Vec<(u64, usize, &'static Entry)> = c
            .all()
            .iter()
            .enumerate()
            .filter(|(_, o)| o.domain == e.domain && o.code != e.code)
            .map(|(i, o)| {
                let d = match (e.number(), o.number()) {
                    (Some(n), Some(m)) => m.abs_diff(n),
                    (Some(_), None) => u64::MAX,
                    (None, _) => 0,
                };
                (d, i, o)
            })
            .collect();
        same.sort_by_key(|(d, i, _)| (*d, *i));
        same.iter().take(RELATED).map(|(_, _, o)| o.code).collect()
    }

    #[test]
    fn related_by_index_matches_the_definition() {
        let mut checked = 0;
        for c in &BUILTIN {
            for e in c.all() {
                if !e.related.is_empty() {
                    continue;
                }
                let got: Vec<&str> = Hit::new(c, e).related().iter().map(|r| r.code).collect();
                assert_eq!(got, reference(c, e), "{}:{}", c.id, e.code);
                checked += 1;
            }
        }
        assert!(checked >= 15, "{checked}");
    }
}
