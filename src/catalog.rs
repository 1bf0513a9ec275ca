//! The catalogs as the program uses them: static data, compiled from `catalog/*.toml` by build.rs.

pub use crate::model::{Kind, Lang};

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
        if self.code.bytes().all(|b| b.is_ascii_digit()) {
            self.code.parse().ok()
        } else {
            None
        }
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
    pub entries: &'static [Entry],
}

impl Catalog {
    pub fn domain(&self, id: &str) -> Option<&Domain> {
        self.domains.iter().find(|d| d.id == id)
    }

    pub fn list(&self, id: &str) -> Option<&ListDef> {
        self.lists.iter().find(|d| d.id == id)
    }

    pub fn entry(&self, code: &str) -> Option<&'static Entry> {
        self.entries
            .iter()
            .find(|e| e.code.eq_ignore_ascii_case(code))
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

/// The catalogs compiled into errbook.
pub static BUILTIN: &[Catalog] = include!(concat!(env!("OUT_DIR"), "/builtin.rs"));

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
        let same = self
            .catalog
            .entries
            .iter()
            .filter(|o| o.domain == e.domain && o.code != e.code);
        let Some(n) = e.number() else {
            return same.take(RELATED).collect();
        };
        // The nearest codes: one pass keeping the best few, not a sort of the whole domain (a user catalog
        // may put 100,000 entries in one).
        let mut best: Vec<(u64, usize, &'static Entry)> = Vec::with_capacity(RELATED + 1);
        for (i, o) in same.enumerate() {
            let d = o.number().map_or(u64::MAX, |m| m.abs_diff(n));
            if best.len() == RELATED && best.last().is_some_and(|b| (b.0, b.1) <= (d, i)) {
                continue;
            }
            let at = best.partition_point(|b| (b.0, b.1) <= (d, i));
            best.insert(at, (d, i, o));
            best.truncate(RELATED);
        }
        best.into_iter().map(|b| b.2).collect()
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

    /// Every entry, catalog by catalog, in catalog order.
    pub fn hits(&self) -> impl Iterator<Item = Hit> + '_ {
        self.catalogs
            .iter()
            .flat_map(|c| c.entries.iter().map(move |e| Hit::new(c, e)))
    }
}
