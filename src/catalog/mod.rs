//! The catalogs: the one model of an entry (`model`), the file format and its rules (`schema`), the action
//! taxonomy (`actions`), the stored form every catalog is read from (`store`), the built-in catalogs
//! (`builtin`), user catalogs and their cache (`user`, `cache`), and the catalogs of one run (`book`).
//!
//! Imports point down: `book` → this module's [`Catalog`] → `store` → `model`; nothing here imports the
//! commands or the renderers.

pub mod actions;
pub mod book;
pub mod builtin;
pub mod cache;
pub mod index;
pub mod model;
pub mod schema;
pub mod store;
pub mod user;

pub use book::{Book, Hit, Listing, Matched, UniqueHits};
pub use model::{
    BodyShape, CodeValue, Entry, Kind, Lang, LineShape, ListValue, Meta, Source, Texts, Titled,
};
pub use store::Row;

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::{Mutex, OnceLock};
use store::Store;

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

/// Makes a stored catalog again when its stored bytes turn out damaged (a cache file): `None` when it
/// cannot.
pub type Recover = Box<dyn Fn() -> Option<Store> + Send + Sync>;

/// One catalog of this run: its stored form, read in place, and where it comes from. Its header
/// ([`Meta`]) is reached through `Deref`: `catalog.id`, `catalog.domains`.
pub struct Catalog {
    store: Store,
    pub origin: Origin,
    /// User files that add entries to it or override some, in load order.
    pub extended_by: Vec<&'static str>,
    /// Which file each entry comes from, for a catalog that user files extend: 0 is `origin`, `n` is
    /// `extended_by[n - 1]`.
    entry_origins: Option<Vec<u16>>,
    /// Entries decoded for the callers that keep them, each once.
    decoded: Mutex<BTreeMap<usize, &'static Entry<'static>>>,
    recover: Option<Recover>,
    recovered: OnceLock<Option<Store>>,
}

impl std::fmt::Debug for Catalog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Catalog")
            .field("id", &self.id())
            .field("origin", &self.origin)
            .field("entries", &self.len())
            .finish()
    }
}

impl std::ops::Deref for Catalog {
    type Target = Meta<'static>;

    fn deref(&self) -> &Meta<'static> {
        self.store().meta()
    }
}

impl Catalog {
    pub fn new(store: Store, origin: Origin) -> Catalog {
        Catalog {
            store,
            origin,
            extended_by: Vec::new(),
            entry_origins: None,
            decoded: Mutex::default(),
            recover: None,
            recovered: OnceLock::new(),
        }
    }

    /// With a way to make the stored form again when it turns out damaged.
    pub fn with_recovery(mut self, recover: Recover) -> Catalog {
        self.recover = Some(recover);
        self
    }

    /// A catalog that user files extend: `origins` says which file each entry comes from (see
    /// [`Catalog::entry_origins`]).
    pub fn extended(mut self, by: Vec<&'static str>, origins: Vec<u16>) -> Catalog {
        self.extended_by = by;
        self.entry_origins = Some(origins);
        self
    }

    fn store(&self) -> &Store {
        match self.recovered.get() {
            Some(Some(fresh)) => fresh,
            _ => &self.store,
        }
    }

    /// `read` on the stored form; when it fails on damaged bytes, on the stored form made again.
    fn read<T>(&self, read: impl Fn(&Store) -> Option<T>) -> Option<T> {
        let store = self.store();
        if let Some(v) = read(store) {
            return Some(v);
        }
        if !store.damaged() {
            return None;
        }
        let fresh = self
            .recovered
            .get_or_init(|| self.recover.as_ref().and_then(|r| r()))
            .as_ref()?;
        read(fresh)
    }

    pub fn len(&self) -> usize {
        self.store.len()
    }

    /// The catalog's id, without decoding its header.
    pub fn id(&self) -> &'static str {
        self.store.id
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Entry `i`, decoded once and kept; `None` when its stored form is damaged beyond repair.
    pub fn entry_at(&self, i: usize) -> Option<&'static Entry<'static>> {
        let mut kept = self.decoded.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(e) = kept.get(&i) {
            return Some(e);
        }
        let e: &'static Entry<'static> = Box::leak(Box::new(self.read(|s| s.entry(i))?));
        kept.insert(i, e);
        Some(e)
    }

    /// Every entry, in catalog order, decoded and kept (entries whose stored form is damaged are left out).
    pub fn all(&self) -> Vec<&'static Entry<'static>> {
        (0..self.len()).filter_map(|i| self.entry_at(i)).collect()
    }

    /// Entry `i` for the moment: the kept one if there is one, else one decoded for the caller and not
    /// kept, so that going through every entry once (`Listing`) holds one at a time.
    pub fn passing(&self, i: usize) -> Option<Cow<'static, Entry<'static>>> {
        let kept = self.decoded.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(e) = kept.get(&i) {
            return Some(Cow::Borrowed(*e));
        }
        drop(kept);
        self.read(|s| s.entry(i)).map(Cow::Owned)
    }

    /// Entry `i`'s keys and domain.
    pub fn row(&self, i: usize) -> Option<Row<'static>> {
        self.read(|s| s.row(i))
    }

    /// Every entry's keys and domain, with its index (entries whose row is damaged are left out).
    pub fn rows(&self) -> impl Iterator<Item = (usize, Row<'static>)> + '_ {
        (0..self.len()).filter_map(move |i| self.row(i).map(|r| (i, r)))
    }

    /// The entries with a key starting with `lower` (lowercase), with the length of that key.
    pub fn find_key_prefix(&self, lower: &str) -> Vec<(usize, usize)> {
        self.read(|s| s.keyed_prefix(lower)).unwrap_or_default()
    }

    /// The catalog's search index; `None` when its stored form is damaged (see
    /// [`Catalog::recover_if_damaged`]).
    pub fn search_index(&self) -> Option<store::SearchIndex<'_>> {
        let store = self.store();
        match store.index() {
            Some(ix) => Some(ix),
            None if self.recover_if_damaged() => self.store().index(),
            None => None,
        }
    }

    /// When a read found the stored form damaged, makes it again (once), so that what is read next
    /// comes from the fresh one; whether it did. A search, which reads many parts of the index before
    /// it knows the answer, asks this after it and searches again.
    pub fn recover_if_damaged(&self) -> bool {
        if self.recovered.get().is_some() || !self.store.damaged() {
            return false;
        }
        self.recovered
            .get_or_init(|| self.recover.as_ref().and_then(|r| r()))
            .is_some()
    }

    /// The indices of the entries with a code, name or alias equal to `lower` (lowercase), in catalog
    /// order.
    pub fn find_key(&self, lower: &str) -> Vec<usize> {
        self.read(|s| s.keyed(lower, false)).unwrap_or_default()
    }

    /// The entry with this code, in any case.
    pub fn entry(&self, code: &str) -> Option<&'static Entry<'static>> {
        self.entry_at(self.index_of(code)?)
    }

    /// The index of the entry with this code, in any case.
    pub fn index_of(&self, code: &str) -> Option<usize> {
        let found = self.read(|s| s.keyed(&code.to_lowercase(), true))?;
        found.first().copied()
    }

    /// The indices of entry `i`'s related entries: the codes it names, else the nearest of its domain.
    pub fn related(&self, i: usize) -> Vec<usize> {
        self.read(|s| s.related(i)).unwrap_or_default()
    }

    /// Which file entry `i` comes from: 0 is `origin`, `n` is `extended_by[n - 1]`.
    pub fn file_of(&self, i: usize) -> u16 {
        self.entry_origins
            .as_ref()
            .and_then(|o| o.get(i).copied())
            .unwrap_or(0)
    }

    /// Which file entry `i` comes from.
    pub fn origin_of(&self, i: usize) -> Origin {
        match self.file_of(i) {
            0 => self.origin,
            n => self
                .extended_by
                .get(usize::from(n) - 1)
                .map_or(self.origin, |p| Origin::File(p)),
        }
    }

    pub fn domain(&self, id: &str) -> Option<&Titled<'static>> {
        self.domains.iter().find(|d| d.id == id)
    }

    pub fn list(&self, id: &str) -> Option<&Titled<'static>> {
        self.lists.iter().find(|d| d.id == id)
    }

    /// The source document to cite for `entry`: its own, else the catalog's source in one of the entry's
    /// official languages (where its official text was published), else one in `lang`, else any.
    pub fn source_url<'a>(&'a self, entry: &'a Entry, lang: Lang) -> Option<&'a str> {
        if let Some(s) = entry.source.as_deref() {
            return Some(s);
        }
        let with_url = || self.sources.iter().filter(|s| s.url.is_some());
        entry
            .official()
            .iter()
            .find_map(|l| with_url().find(|s| s.lang == Some(*l)))
            .or_else(|| with_url().find(|s| s.lang == Some(lang)))
            .or_else(|| with_url().next())
            .and_then(|s| s.url.as_deref())
    }
}

/// The built-in catalogs (see [`builtin`](mod@builtin)).
pub fn builtin() -> &'static [Catalog] {
    builtin::catalogs()
}

/// Whether `key` (a code, name or alias) is `lower` (a lowercase query), case aside.
pub fn key_is(key: &str, lower: &str) -> bool {
    // Lowercasing allocates; only a key outside ASCII needs more than an ASCII comparison.
    key.eq_ignore_ascii_case(lower) || (!key.is_ascii() && key.to_lowercase() == lower)
}
