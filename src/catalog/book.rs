//! The catalogs of one run ([`Book`]), the entries found in them ([`Hit`]), and listings ([`Listing`]).

use super::{builtin, Catalog, Entry, Origin, Row};

/// An entry together with the catalog that holds it. The entry is the catalog's own (`Hit<'static>`) or,
/// while a long listing writes it, one decoded for the moment (see [`Listing::try_for_each`]).
#[derive(Debug, Clone, Copy)]
pub struct Hit<'e> {
    pub catalog: &'static Catalog,
    pub entry: &'e Entry<'static>,
    /// The entry's place in its catalog.
    pub index: usize,
    /// Relevance, for search results only.
    pub score: Option<f64>,
    /// Why a search found it: which fields and terms matched (search results only).
    pub matched: Option<&'static Matched>,
}

/// The fields and terms of a query that an entry matched.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Matched {
    /// `key` (code, name, aliases), `message`, `title` (domain, vendor, product, HTTP status), `text`
    /// (description, hint).
    pub fields: Vec<&'static str>,
    /// The terms as they matched: a typed word, a glossary word it stands for, or the word a typo was
    /// read as.
    pub terms: Vec<String>,
}

impl<'e> Hit<'e> {
    pub fn new(catalog: &'static Catalog, index: usize, entry: &'e Entry<'static>) -> Hit<'e> {
        Hit {
            catalog,
            entry,
            index,
            score: None,
            matched: None,
        }
    }

    /// Whether two hits are the same entry of the same catalog.
    pub fn same(&self, other: &Hit) -> bool {
        std::ptr::eq(self.catalog, other.catalog) && self.index == other.index
    }

    /// What [`Hit::same`] compares, as a key for a hash set.
    pub fn key(&self) -> (usize, usize) {
        (self.catalog as *const Catalog as usize, self.index)
    }

    /// The file the entry comes from.
    pub fn origin(&self) -> Origin {
        self.catalog.origin_of(self.index)
    }

    /// The codes of the related entries, without decoding those entries: this catalog's, then those of
    /// other catalogs as `catalog:code`.
    pub fn related_codes(&self) -> Vec<&'e str> {
        let c = self.catalog;
        let local = c.related(self.index).into_iter();
        let local = local.filter_map(|i| c.row(i).map(|r| r.code));
        let foreign = self.entry.related.iter().map(|r| r.as_ref());
        local.chain(foreign.filter(|r| r.contains(':'))).collect()
    }

    /// Related entries: the catalog's explicit links (those to other built-in catalogs last), else the
    /// nearest codes of the same domain.
    pub fn related(&self) -> Vec<Hit<'static>> {
        let c = self.catalog;
        let local = c.related(self.index).into_iter();
        let local = local.filter_map(|i| c.entry_at(i).map(|e| Hit::new(c, i, e)));
        let foreign = self.entry.foreign_related().filter_map(|(id, code)| {
            let other = builtin::catalogs().iter().find(|o| o.id() == id)?;
            let i = other.index_of(code)?;
            Some(Hit::new(other, i, other.entry_at(i)?))
        });
        local.chain(foreign).collect()
    }

    /// The entry's code as another catalog's entry names it: `catalog:code`, or the code in its own.
    pub fn code_from(&self, from: &Catalog) -> String {
        if std::ptr::eq(self.catalog, from) {
            self.entry.code.to_string()
        } else {
            format!("{}:{}", self.catalog.id, self.entry.code)
        }
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
                    f(&Hit::new(c, i, &e))?;
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
        .flat_map(|&c| (0..c.len()).filter_map(move |i| c.entry_at(i).map(|e| Hit::new(c, i, e))))
}

/// The catalogs errbook knows in this run.
pub struct Book {
    pub catalogs: Vec<&'static Catalog>,
}

impl Book {
    pub fn builtin() -> Book {
        Book {
            catalogs: builtin::catalogs().iter().collect(),
        }
    }

    pub fn catalog(&self, id: &str) -> Option<&'static Catalog> {
        self.catalogs
            .iter()
            .copied()
            .find(|c| c.id().eq_ignore_ascii_case(id))
    }

    pub fn ids(&self) -> Vec<&'static str> {
        self.catalogs.iter().map(|c| c.id()).collect()
    }

    /// Every entry, catalog by catalog, in catalog order (decoding every entry: to find a few, use
    /// [`Book::find`]).
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
                    .filter_map(|i| c.entry_at(i).map(|e| Hit::new(c, i, e))),
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
                .filter_map(move |(i, _)| c.entry_at(i).map(|e| Hit::new(c, i, e)))
        })
    }
}

/// Hits in the order first seen, each entry once. Whether a hit is already there is one hash lookup, so
/// gathering n hits costs O(n), however many repeat (a range over a large catalog, a log naming the same
/// codes many times).
#[derive(Debug, Default)]
pub struct UniqueHits<'e> {
    hits: Vec<Hit<'e>>,
    places: std::collections::HashMap<(usize, usize), usize>,
}

impl<'e> UniqueHits<'e> {
    /// Adds `hit` unless its entry is there; its place either way.
    pub fn push(&mut self, hit: Hit<'e>) -> usize {
        let hits = &mut self.hits;
        *self.places.entry(hit.key()).or_insert_with(|| {
            hits.push(hit);
            hits.len() - 1
        })
    }

    pub fn hits(&self) -> &[Hit<'e>] {
        &self.hits
    }

    pub fn into_hits(self) -> Vec<Hit<'e>> {
        self.hits
    }
}
