//! User catalogs: where errbook finds them, how a file becomes catalog data (through the cache), and how it
//! joins the built-in catalogs.
//!
//! A file is parsed and validated by the same code as the built-in catalogs (`model`), then stored in a
//! compact form (postcard, strings borrowed) that is both the cache's content and what the program reads: a
//! parsed file is encoded and decoded the same way whether or not the cache is on. The decoded data lives
//! for the rest of the process (it is leaked on purpose), so user catalogs use the same `&'static` types as
//! the built-in ones.

use crate::cache::{self, Cache, Key, Stamp};
use crate::catalog::{Book, Catalog, Domain, Entry, ListDef, ListValue, Origin, Source, Texts};
use crate::model::{self, Base, CatalogFile, Kind, Lang, Problem};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// The environment variable with further catalog paths, separated by `:`.
pub const PATH_VAR: &str = "ERRBOOK_CATALOG_PATH";

/// Every variable that decides which user catalogs load and where the cache is (tests clear them).
pub const ENV_VARS: [&str; 4] = [PATH_VAR, "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "HOME"];

/// A place to look for catalogs: a file, or a folder of `*.toml` files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub path: PathBuf,
    /// Named by the user (flag or variable): its absence is a problem. The config folder may be absent.
    pub required: bool,
}

/// Where to look, in load order: the config folder, then `ERRBOOK_CATALOG_PATH`, then `--catalog-file`. A
/// later file overrides an earlier one, so the command line has the last word.
pub fn locations(flags: &[PathBuf], var: &dyn Fn(&str) -> Option<String>) -> Vec<Location> {
    let mut out = Vec::new();
    let config = var("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| {
            var("HOME")
                .map(PathBuf::from)
                .filter(|p| p.is_absolute())
                .map(|h| h.join(".config"))
        });
    if let Some(c) = config {
        out.push(Location {
            path: c.join("errbook").join("catalogs"),
            required: false,
        });
    }
    if let Some(paths) = var(PATH_VAR) {
        out.extend(
            paths
                .split(':')
                .filter(|p| !p.trim().is_empty())
                .map(|p| Location {
                    path: PathBuf::from(p),
                    required: true,
                }),
        );
    }
    out.extend(flags.iter().map(|p| Location {
        path: p.clone(),
        required: true,
    }));
    out
}

/// One problem with one user catalog file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub path: String,
    /// 1-based line and column, when the problem has a place in the file.
    pub at: Option<(usize, usize)>,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.at {
            Some((line, column)) => write!(f, "{}:{line}:{column}: {}", self.path, self.message),
            None => write!(f, "{}: {}", self.path, self.message),
        }
    }
}

impl Diagnostic {
    fn file(path: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            path: path.to_string(),
            at: None,
            message: message.into(),
        }
    }

    fn at(path: &str, p: Problem) -> Diagnostic {
        Diagnostic {
            path: path.to_string(),
            at: Some((p.line, p.column)),
            message: p.message,
        }
    }
}

/// The catalog files at `locations`: a folder gives its `*.toml` files by name (not its subfolders).
/// Locations that cannot be read are reported; a missing config folder is not.
pub fn catalog_files(locations: &[Location]) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for loc in locations {
        let shown = loc.path.display().to_string();
        match std::fs::metadata(&loc.path) {
            Err(e) if !loc.required && e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => problems.push(Diagnostic::file(&shown, io_message(&e))),
            Ok(m) if m.is_dir() => match std::fs::read_dir(&loc.path) {
                Ok(dir) => {
                    let mut found: Vec<PathBuf> = dir
                        .filter_map(|d| d.ok().map(|d| d.path()))
                        .filter(|p| p.extension().is_some_and(|x| x == "toml") && p.is_file())
                        .collect();
                    found.sort();
                    files.extend(found);
                }
                Err(e) => problems.push(Diagnostic::file(&shown, io_message(&e))),
            },
            Ok(_) => files.push(loc.path.clone()),
        }
    }
    (files, problems)
}

fn io_message(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or folder".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

/// The largest catalog file errbook reads (a catalog of 100,000 entries is about 40 MB).
pub const MAX_FILE_SIZE: u64 = 1 << 30;

/// What the checks of a file may rely on from the catalog it extends, if the book has one with its id.
pub fn base_of(c: &Catalog) -> Base {
    Base {
        official_langs: c.official_langs.to_vec(),
        domains: c.domains.iter().map(|d| d.id.to_string()).collect(),
        lists: c.lists.iter().map(|d| d.id.to_string()).collect(),
        codes: c.entries.iter().map(|e| e.code.to_lowercase()).collect(),
    }
}

/// A fingerprint of what the checks relied on from the extended catalog: a cached file validated against
/// another base is validated again.
fn fingerprint(c: Option<&Catalog>) -> u64 {
    let Some(c) = c else { return 0 };
    let mut bytes = Vec::new();
    let mut add = |s: &str| {
        bytes.extend_from_slice(s.as_bytes());
        bytes.push(0);
    };
    c.official_langs.iter().for_each(|l| add(l.code()));
    c.domains.iter().for_each(|d| add(d.id));
    c.lists.iter().for_each(|d| add(d.id));
    c.entries.iter().for_each(|e| add(e.code));
    cache::fnv1a(&bytes).max(1)
}

/// Parses and checks one catalog text as the user catalog it would be in `book`; every problem is returned.
pub fn check(text: &str, book: &Book) -> Result<CatalogFile, Vec<Problem>> {
    model::parse_catalog_with(text, |id| book.catalog(id).map(base_of))
}

/// Reads the file's text: UTF-8, at most [`MAX_FILE_SIZE`].
pub fn read_text(path: &Path, shown: &str) -> Result<String, Diagnostic> {
    let meta = std::fs::metadata(path).map_err(|e| Diagnostic::file(shown, io_message(&e)))?;
    if !meta.is_file() {
        return Err(Diagnostic::file(shown, "not a file"));
    }
    if meta.len() > MAX_FILE_SIZE {
        return Err(Diagnostic::file(
            shown,
            format!(
                "{} bytes is more than errbook reads ({MAX_FILE_SIZE})",
                meta.len()
            ),
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| Diagnostic::file(shown, io_message(&e)))?;
    String::from_utf8(bytes).map_err(|e| {
        let good = e.utf8_error().valid_up_to();
        let text = String::from_utf8_lossy(&e.as_bytes()[..good]);
        let (line, column) = model::line_col(&text, good);
        Diagnostic {
            path: shown.to_string(),
            at: Some((line, column)),
            message: "the file is not UTF-8 text".into(),
        }
    })
}

/// One user catalog file, decoded, ready to join the book.
#[derive(Debug)]
pub struct Part {
    pub path: &'static str,
    pub id: &'static str,
    pub vendor: Option<&'static str>,
    pub product: Option<&'static str>,
    pub official_langs: Option<&'static [Lang]>,
    pub description: Option<Texts>,
    pub sources: Vec<Source>,
    pub domains: Vec<Domain>,
    pub lists: Vec<ListDef>,
    pub entries: Vec<Entry>,
}

/// Loads one user catalog file as part of `book`, from the cache when it is fresh.
pub fn load(path: &Path, book: &Book, cache: Option<&Cache>) -> Result<Part, Vec<Diagnostic>> {
    let shown: &'static str = leak_str(path.display().to_string());
    let meta =
        std::fs::metadata(path).map_err(|e| vec![Diagnostic::file(shown, io_message(&e))])?;
    let canonical = std::fs::canonicalize(path)
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_else(|_| shown.to_string());
    let stamp = Stamp::of(&meta);
    if let Some(c) = cache {
        if let Some(part) = from_cache(c, &canonical, stamp, shown, book) {
            return Ok(part);
        }
    }
    let text = read_text(path, shown).map_err(|d| vec![d])?;
    let file = check(&text, book).map_err(|problems| {
        problems
            .into_iter()
            .map(|p| Diagnostic::at(shown, p))
            .collect::<Vec<_>>()
    })?;
    let data = encode(&file);
    let id = file.catalog.id.get_ref().as_str();
    let key = Key {
        version: env!("CARGO_PKG_VERSION"),
        path: &canonical,
        size: stamp.size,
        mtime_ns: stamp.mtime_ns,
        id,
        base: fingerprint(book.catalog(id)),
    };
    if let Some(c) = cache {
        c.write(&canonical, &cache::join(&key, &data));
    }
    // The data just encoded decodes; if it ever did not, that is a bug worth a clear message.
    decode(leak_bytes(data), shown).ok_or_else(|| {
        vec![Diagnostic::file(
            shown,
            "internal error: the parsed catalog did not decode",
        )]
    })
}

fn from_cache(
    cache: &Cache,
    canonical: &str,
    stamp: Stamp,
    shown: &'static str,
    book: &Book,
) -> Option<Part> {
    let bytes = cache.read(canonical)?;
    let (key, rest) = cache::split(&bytes)?;
    let fresh = key.version == env!("CARGO_PKG_VERSION")
        && key.path == canonical
        && key.size == stamp.size
        && key.mtime_ns == stamp.mtime_ns
        && key.base == fingerprint(book.catalog(key.id));
    if !fresh {
        return None;
    }
    let start = bytes.len() - rest.len();
    let data: &'static [u8] = leak_bytes(bytes);
    decode(&data[start..], shown)
}

fn leak_str(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

fn leak_bytes(v: Vec<u8>) -> &'static [u8] {
    Box::leak(v.into_boxed_slice())
}

/// A list of languages; the usual ones are shared instead of allocated for every entry.
fn langs(v: Vec<Lang>) -> &'static [Lang] {
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

fn leak<T>(v: Vec<T>) -> &'static [T] {
    Box::leak(v.into_boxed_slice())
}

// The stored form: the catalog file's content with strings borrowed from the bytes they are decoded from.

#[derive(Serialize, Deserialize)]
/// The catalog's header, domains and lists; the entries follow it: a count, then each entry on its own, so
/// that they decode one at a time straight into their final place.
struct StoredPart<'a> {
    id: &'a str,
    #[serde(borrow)]
    vendor: Option<&'a str>,
    #[serde(borrow)]
    product: Option<&'a str>,
    official_langs: Option<Vec<Lang>>,
    #[serde(borrow)]
    description: Option<StoredTexts<'a>>,
    #[serde(borrow)]
    sources: Vec<StoredSource<'a>>,
    #[serde(borrow)]
    domains: Vec<StoredTitled<'a>>,
    #[serde(borrow)]
    lists: Vec<StoredTitled<'a>>,
}

#[derive(Serialize, Deserialize, Default)]
struct StoredTexts<'a> {
    #[serde(borrow)]
    en: Option<&'a str>,
    #[serde(borrow)]
    ko: Option<&'a str>,
    #[serde(borrow)]
    ja: Option<&'a str>,
}

#[derive(Serialize, Deserialize)]
struct StoredSource<'a> {
    #[serde(borrow)]
    title: Option<&'a str>,
    #[serde(borrow)]
    url: Option<&'a str>,
    lang: Option<Lang>,
    #[serde(borrow)]
    date: Option<&'a str>,
}

/// A domain or a list: an id and a title.
#[derive(Serialize, Deserialize)]
struct StoredTitled<'a> {
    id: &'a str,
    #[serde(borrow)]
    title: StoredTexts<'a>,
}

#[derive(Serialize, Deserialize)]
struct StoredEntry<'a> {
    code: &'a str,
    #[serde(borrow)]
    name: Option<&'a str>,
    #[serde(borrow)]
    aliases: Vec<&'a str>,
    domain: &'a str,
    http_status: Option<u16>,
    action: &'a str,
    kind: Kind,
    #[serde(borrow)]
    related: Vec<&'a str>,
    official: Vec<Lang>,
    #[serde(borrow)]
    message: StoredTexts<'a>,
    #[serde(borrow)]
    official_note: StoredTexts<'a>,
    #[serde(borrow)]
    description: StoredTexts<'a>,
    #[serde(borrow)]
    hint: StoredTexts<'a>,
    #[serde(borrow)]
    lists: Vec<StoredListValue<'a>>,
    #[serde(borrow)]
    source: Option<&'a str>,
}

#[derive(Serialize, Deserialize)]
struct StoredListValue<'a> {
    id: &'a str,
    action: &'a str,
    http_status: Vec<u16>,
}

fn stored_texts(t: &model::Texts) -> StoredTexts<'_> {
    StoredTexts {
        en: t.en.as_deref(),
        ko: t.ko.as_deref(),
        ja: t.ja.as_deref(),
    }
}

/// The checked file in its stored form (postcard bytes).
fn encode(file: &CatalogFile) -> Vec<u8> {
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
            .map(|d| StoredTitled {
                id: &d.get_ref().id,
                title: stored_texts(&d.get_ref().title),
            })
            .collect(),
        lists: file
            .list
            .iter()
            .map(|d| StoredTitled {
                id: &d.get_ref().id,
                title: stored_texts(&d.get_ref().title),
            })
            .collect(),
    };
    // Serialising plain structs into a Vec cannot fail.
    let mut out = postcard::to_stdvec(&part).unwrap_or_default();
    out.extend(postcard::to_stdvec(&(file.entry.len() as u64)).unwrap_or_default());
    for e in &file.entry {
        out.extend(postcard::to_stdvec(&stored_entry(e.get_ref())).unwrap_or_default());
    }
    out
}

fn stored_entry(e: &model::Entry) -> StoredEntry<'_> {
    StoredEntry {
        code: &e.code,
        name: e.name.as_deref(),
        aliases: e.aliases.iter().map(String::as_str).collect(),
        domain: e.domain.get_ref(),
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

fn texts(t: StoredTexts<'static>) -> Texts {
    Texts {
        en: t.en,
        ko: t.ko,
        ja: t.ja,
    }
}

/// Decodes the stored form; `None` when the bytes are not a stored catalog.
fn decode(bytes: &'static [u8], path: &'static str) -> Option<Part> {
    let (p, rest): (StoredPart<'static>, _) = postcard::take_from_bytes(bytes).ok()?;
    let (count, mut rest): (u64, _) = postcard::take_from_bytes(rest).ok()?;
    // Ids are checked when the file is parsed; checked again because a cache file could have been altered,
    // and ids are printed without escaping.
    let ids_ok = model::is_id(p.id)
        && p.domains.iter().all(|d| model::is_id(d.id))
        && p.lists.iter().all(|d| model::is_id(d.id));
    if !ids_ok {
        return None;
    }
    let origin = Origin::File(path);
    // Every entry takes more than 8 bytes, so a count beyond that is a damaged file, not a reason to allocate.
    let mut entries = Vec::with_capacity((count as usize).min(rest.len() / 8));
    for _ in 0..count {
        let (e, more): (StoredEntry<'static>, _) = postcard::take_from_bytes(rest).ok()?;
        rest = more;
        let ok = model::is_id(e.domain)
            && model::is_action_id(e.action)
            && e.lists
                .iter()
                .all(|l| model::is_id(l.id) && model::is_action_id(l.action));
        if !ok {
            return None;
        }
        entries.push(Entry {
            code: e.code,
            name: e.name,
            aliases: leak(e.aliases),
            domain: e.domain,
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
            origin,
            folded: None,
        });
    }
    if !rest.is_empty() {
        return None;
    }
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
        entries,
    })
}

/// Adds a user catalog file to the book: a new catalog, or an extension of the one with its id (new entries
/// are added after the others; an entry with an existing code replaces it in place).
pub fn join(book: &mut Book, part: Part) {
    let position = book
        .catalogs
        .iter()
        .position(|c| c.id.eq_ignore_ascii_case(part.id));
    let Some(i) = position else {
        let catalog = Catalog {
            id: part.id,
            vendor: part.vendor.unwrap_or(""),
            product: part.product.unwrap_or(""),
            official_langs: part.official_langs.unwrap_or(&[]),
            description: part.description.unwrap_or(Texts::EMPTY),
            origin: Origin::File(part.path),
            extended_by: &[],
            sources: leak(part.sources),
            domains: leak(part.domains),
            lists: leak(part.lists),
            entries: leak(part.entries),
        };
        book.catalogs.push(Box::leak(Box::new(catalog)));
        return;
    };
    let base = book.catalogs[i];
    let mut entries: Vec<Entry> = base.entries.to_vec();
    let mut index: HashMap<String, usize> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| (e.code.to_lowercase(), i))
        .collect();
    for e in part.entries {
        match index.get(&e.code.to_lowercase()) {
            Some(&at) => entries[at] = e,
            None => {
                index.insert(e.code.to_lowercase(), entries.len());
                entries.push(e);
            }
        }
    }
    let catalog = Catalog {
        id: base.id,
        vendor: part.vendor.unwrap_or(base.vendor),
        product: part.product.unwrap_or(base.product),
        official_langs: part.official_langs.unwrap_or(base.official_langs),
        description: part.description.unwrap_or(base.description),
        origin: base.origin,
        extended_by: leak(
            base.extended_by
                .iter()
                .copied()
                .chain(std::iter::once(part.path))
                .collect(),
        ),
        sources: leak(base.sources.iter().copied().chain(part.sources).collect()),
        domains: leak(merge_by_id(base.domains, part.domains, |d| d.id)),
        lists: leak(merge_by_id(base.lists, part.lists, |d| d.id)),
        entries: leak(entries),
    };
    book.catalogs[i] = Box::leak(Box::new(catalog));
}

/// The base's items with those of `more` replacing the ones with the same id, and the new ones after.
fn merge_by_id<T: Copy>(base: &[T], more: Vec<T>, id: impl Fn(&T) -> &str) -> Vec<T> {
    let mut out = base.to_vec();
    for m in more {
        match out.iter().position(|o| id(o) == id(&m)) {
            Some(i) => out[i] = m,
            None => out.push(m),
        }
    }
    out
}

/// How to load user catalogs for one run.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub locations: Vec<Location>,
    pub cache: Option<Cache>,
}

/// The built-in catalogs and every user catalog that loads. Files that do not are returned with their
/// problems, for the caller to warn about (or refuse, with `--strict`).
pub fn load_book(opts: &Options) -> (Book, Vec<Vec<Diagnostic>>) {
    let mut book = Book::builtin();
    let (files, problems) = catalog_files(&opts.locations);
    let mut failed: Vec<Vec<Diagnostic>> = problems.into_iter().map(|d| vec![d]).collect();
    for f in files {
        match load(&f, &book, opts.cache.as_ref()) {
            Ok(part) => join(&mut book, part),
            Err(d) => failed.push(d),
        }
    }
    (book, failed)
}
