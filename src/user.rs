//! User catalogs: where errbook finds them, how a file becomes catalog data (through the cache), and how it
//! joins the built-in catalogs.
//!
//! A file is parsed and validated by the same code as the built-in catalogs (`model`), then stored in a
//! compact form (postcard, strings borrowed) that is both the cache's content and what the program reads: a
//! parsed file is encoded and decoded the same way whether or not the cache is on. The decoded data lives
//! for the rest of the process (it is leaked on purpose), so user catalogs use the same `&'static` types as
//! the built-in ones.

use crate::cache::{self, Cache, Key, Stamp};
use crate::catalog::{
    Book, Catalog, Domain, Entries, Entry, EntrySource, ListDef, ListValue, Nearby, Origin, Row,
    Source, Texts,
};
use crate::model::{self, Base, CatalogFile, Kind, Lang, Problem};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

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
    if let Some(c) = cache::xdg_dir(var, "XDG_CONFIG_HOME", ".config") {
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
        codes: c.rows().map(|(_, r)| r.code.to_lowercase()).collect(),
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
    c.rows().for_each(|(_, r)| add(r.code));
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
    pub entries: &'static Lazy,
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
    let stored = |data: Vec<u8>| {
        stored_part(data, shown).ok_or_else(|| {
            vec![Diagnostic::file(
                shown,
                "internal error: the parsed catalog did not decode",
            )]
        })
    };
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
    stored(data)
}

/// A catalog from its stored form (what the cache holds after the key), as `path`; `None` when the bytes are
/// not one. Public for the fuzz target that feeds it arbitrary bytes.
pub fn stored_part(data: Vec<u8>, path: &'static str) -> Option<Part> {
    let data = leak_bytes(data);
    let (f, _) = front(data)?;
    let body = Body::Memory(&data[data.len() - f.body_len..]);
    decode(f, body, path, None)
}

/// A checked catalog file's stored form (see [`stored_part`]). Public for the fuzz targets.
pub fn store(file: &CatalogFile) -> Vec<u8> {
    encode(file)
}

/// The stored form's front part (header, rows, offsets) and the length of what precedes the body.
struct Front {
    bytes: &'static [u8],
    body_len: usize,
}

/// Splits stored data (`front length`, front, body) into its front and the body's length.
fn front(data: &'static [u8]) -> Option<(Front, usize)> {
    let len = u64::from_le_bytes(data.get(..8)?.try_into().ok()?);
    let len = usize::try_from(len).ok()?;
    let bytes = data.get(8..8usize.checked_add(len)?)?;
    let body_len = data.len() - 8 - len;
    Some((Front { bytes, body_len }, 8 + len))
}

/// Reads a fresh cache file: its key and front now, its entries when they are asked for.
fn from_cache(
    cache: &Cache,
    canonical: &str,
    stamp: Stamp,
    shown: &'static str,
    book: &Book,
) -> Option<Part> {
    use std::io::{Read, Seek, SeekFrom};
    let mut file = std::fs::File::open(cache.file_for(canonical)).ok()?;
    let total = file.metadata().ok()?.len();
    // The key holds a path, so it fits in the first 64 KiB (the file may be shorter).
    let mut head = Vec::new();
    (&mut file).take(64 * 1024).read_to_end(&mut head).ok()?;
    let (key, rest) = cache::split(&head)?;
    let fresh = key.version == env!("CARGO_PKG_VERSION")
        && key.path == canonical
        && key.size == stamp.size
        && key.mtime_ns == stamp.mtime_ns
        && key.base == fingerprint(book.catalog(key.id));
    if !fresh {
        return None;
    }
    let data_start = (head.len() - rest.len()) as u64;
    let front_len = u64::from_le_bytes(rest.get(..8)?.try_into().ok()?);
    let body_start = data_start.checked_add(8)?.checked_add(front_len)?;
    if body_start > total {
        return None;
    }
    let mut front = vec![0; usize::try_from(front_len).ok()?];
    file.seek(SeekFrom::Start(data_start + 8)).ok()?;
    file.read_exact(&mut front).ok()?;
    let front = Front {
        bytes: leak_bytes(front),
        body_len: usize::try_from(total - body_start).ok()?,
    };
    let body = Body::File {
        file: Mutex::new(file),
        start: body_start,
    };
    let recovery = Recovery {
        toml: PathBuf::from(canonical),
        front: front.bytes,
        cache: cache.clone(),
        canonical: canonical.to_string(),
        prefix: head[..usize::try_from(data_start).ok()?].to_vec(),
    };
    decode(front, body, shown, Some(recovery))
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

/// The catalog's header, domains and lists: the first part of the stored front (see `encode` for the
/// whole layout).
#[derive(Serialize, Deserialize)]
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

/// An entry: its row (postcard writes a nested struct's fields in place, so this is the row's fields
/// followed by the rest), then everything else.
#[derive(Serialize, Deserialize)]
struct StoredEntry<'a> {
    #[serde(borrow)]
    row: StoredRow<'a>,
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

/// What a lookup reads of every entry (the rest of an entry is decoded when it is found).
#[derive(Serialize, Deserialize)]
struct StoredRow<'a> {
    code: &'a str,
    #[serde(borrow)]
    name: Option<&'a str>,
    #[serde(borrow)]
    aliases: Vec<&'a str>,
    domain: &'a str,
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

fn titled<'a>(id: &'a str, title: &'a model::Texts) -> StoredTitled<'a> {
    StoredTitled {
        id,
        title: stored_texts(title),
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
            .map(|d| titled(&d.get_ref().id, &d.get_ref().title))
            .collect(),
        lists: file
            .list
            .iter()
            .map(|d| titled(&d.get_ref().id, &d.get_ref().title))
            .collect(),
    };
    // Layout: the front's length (8 bytes, little-endian), the front (header, rows, each entry's offset in
    // the body), the body (every entry, one after the other). Serialising into a Vec cannot fail.
    let rows: Vec<StoredRow> = file.entry.iter().map(|e| stored_row(e.get_ref())).collect();
    let mut body = Vec::new();
    let mut offsets: Vec<u64> = Vec::with_capacity(file.entry.len());
    for e in &file.entry {
        offsets.push(body.len() as u64);
        body.extend(postcard::to_stdvec(&stored_entry(e.get_ref())).unwrap_or_default());
    }
    let mut front = postcard::to_stdvec(&part).unwrap_or_default();
    front.extend(postcard::to_stdvec(&rows).unwrap_or_default());
    front.extend(postcard::to_stdvec(&offsets).unwrap_or_default());
    let mut out = Vec::with_capacity(8 + front.len() + body.len());
    out.extend((front.len() as u64).to_le_bytes());
    out.extend(front);
    out.extend(body);
    out
}

fn stored_row(e: &model::Entry) -> StoredRow<'_> {
    StoredRow {
        code: &e.code,
        name: e.name.as_deref(),
        aliases: e.aliases.iter().map(String::as_str).collect(),
        domain: e.domain.get_ref(),
    }
}

fn stored_entry(e: &model::Entry) -> StoredEntry<'_> {
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

fn row(r: StoredRow<'static>) -> Row {
    Row {
        code: r.code,
        name: r.name,
        aliases: leak(r.aliases),
        domain: r.domain,
    }
}

fn texts(t: StoredTexts<'static>) -> Texts {
    Texts {
        en: t.en,
        ko: t.ko,
        ja: t.ja,
    }
}

/// Where a catalog's stored entries are: in memory, or in its open cache file (read when first needed).
#[derive(Debug)]
enum Body {
    Memory(&'static [u8]),
    File {
        file: Mutex<std::fs::File>,
        start: u64,
    },
}

/// A user catalog's entries in their stored form, decoded when asked for (see `catalog::EntrySource`).
#[derive(Debug)]
pub struct Lazy {
    path: &'static str,
    rows: Vec<Row>,
    /// Where each entry starts in the body; it ends where the next starts.
    offsets: Vec<usize>,
    body_len: usize,
    body: Body,
    /// The whole body, once something needed every entry.
    all_bytes: OnceLock<Option<&'static [u8]>>,
    one: Mutex<HashMap<usize, &'static Entry>>,
    all: OnceLock<&'static [Entry]>,
    /// How to recover when a stored entry turns out damaged (only for data read from a cache file).
    recovery: Option<Recovery>,
    /// The body made again from the catalog file, after damage was found.
    recovered: OnceLock<Option<&'static [u8]>>,
}

/// A damaged cache entry is mended by encoding the catalog file again: when its front comes out as the cached
/// one (the same file), the fresh body replaces the damaged one, for this run and in the cache.
#[derive(Debug)]
struct Recovery {
    toml: PathBuf,
    front: &'static [u8],
    cache: Cache,
    canonical: String,
    /// The cache file's bytes before the data (magic and key).
    prefix: Vec<u8>,
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
            let data = leak_bytes(encode(&file));
            let (f, _) = front(data)?;
            if f.bytes != r.front {
                // The catalog file is not the one the cache was made from: let the next run rebuild it.
                let _ = std::fs::remove_file(r.cache.file_for(&r.canonical));
                return None;
            }
            let mut bytes = r.prefix.clone();
            bytes.extend_from_slice(data);
            r.cache.write(&r.canonical, &bytes);
            Some(&data[data.len() - f.body_len..])
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
            folded: None,
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
        if let Some(all) = self.all.get() {
            return all.get(i);
        }
        let mut one = self.one.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(e) = one.get(&i) {
            return Some(e);
        }
        let e: &'static Entry = Box::leak(Box::new(self.materialize(self.stored(i, None)?)));
        one.insert(i, e);
        Some(e)
    }

    fn all(&self) -> &'static [Entry] {
        self.all.get_or_init(|| {
            let body = self.whole_body();
            let mut out = Vec::with_capacity(self.rows.len());
            for i in 0..self.rows.len() {
                let bytes = body.and_then(|b| self.span(i).and_then(|(x, y)| b.get(x..y)));
                if let Some(e) = self.stored(i, bytes) {
                    out.push(self.materialize(e));
                }
            }
            leak(out)
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

/// Decodes the stored front; `None` when it is not a stored catalog.
fn decode(
    front: Front,
    body: Body,
    path: &'static str,
    recovery: Option<Recovery>,
) -> Option<Part> {
    let (p, rest): (StoredPart<'static>, _) = postcard::take_from_bytes(front.bytes).ok()?;
    let (rows, rest): (Vec<StoredRow<'static>>, _) = postcard::take_from_bytes(rest).ok()?;
    let (offsets, rest): (Vec<u64>, _) = postcard::take_from_bytes(rest).ok()?;
    // Ids are checked when the file is parsed; checked again because a cache file could have been altered,
    // and ids are printed without escaping.
    let ok = rest.is_empty()
        && rows.len() == offsets.len()
        && offsets.windows(2).all(|w| w[0] <= w[1])
        && offsets.last().is_none_or(|l| *l <= front.body_len as u64)
        && model::is_id(p.id)
        && p.domains.iter().all(|d| model::is_id(d.id))
        && p.lists.iter().all(|d| model::is_id(d.id))
        && rows.iter().all(|r| model::is_id(r.domain));
    if !ok {
        return None;
    }
    let lazy = Lazy {
        path,
        rows: rows.into_iter().map(row).collect(),
        offsets: offsets.into_iter().map(|o| o as usize).collect(),
        body_len: front.body_len,
        body,
        all_bytes: OnceLock::new(),
        one: Mutex::new(HashMap::new()),
        all: OnceLock::new(),
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
            entries: Entries::Lazy(part.entries),
            nearby: Nearby::new(),
        };
        book.catalogs.push(Box::leak(Box::new(catalog)));
        return;
    };
    // Merging needs every entry of both (an extension is usually small; the built-in side always is).
    let base = book.catalogs[i];
    let mut entries: Vec<Entry> = base.all().to_vec();
    let mut index: HashMap<String, usize> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| (e.code.to_lowercase(), i))
        .collect();
    for e in part.entries.all().iter().copied() {
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
        entries: Entries::Static(leak(entries)),
        nearby: Nearby::new(),
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

impl Options {
    /// The usual sources (see [`locations`]) with `flags`, and the cache unless `no_cache`.
    pub fn new(flags: &[PathBuf], var: &dyn Fn(&str) -> Option<String>, no_cache: bool) -> Options {
        Options {
            locations: locations(flags, var),
            cache: if no_cache { None } else { Cache::locate(var) },
        }
    }
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
