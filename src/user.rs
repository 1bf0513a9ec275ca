//! User catalogs: where errbook finds them, how a file becomes catalog data (through the cache), and how it
//! joins the built-in catalogs.
//!
//! A file is parsed and validated by the same code as the built-in catalogs (`model`), then stored in the
//! same compact form as they are (`form`: postcard, strings borrowed), which is both the cache's content and
//! what the program reads (`stored`): a parsed file is encoded and decoded the same way whether or not the
//! cache is on.

use crate::cache::{self, Cache, Key, Stamp};
use crate::catalog::{Book, Catalog, Entries, Entry, EntrySource, Nearby};
use crate::form::encode;
use crate::model::{self, Base, CatalogFile, Problem};
pub use crate::stored::Part;
use crate::stored::{decode, leak, leak_bytes, leak_str, Body, Front, Recovery};
use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

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
    let (front, body) = Front::of(leak_bytes(data))?;
    decode(front, Body::Memory(body), path, None)
}

/// A checked catalog file's stored form (see [`stored_part`]). Public for the fuzz targets.
pub fn store(file: &CatalogFile) -> Vec<u8> {
    encode(file)
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

/// Adds a user catalog file to the book: a new catalog, or an extension of the one with its id (new entries
/// are added after the others; an entry with an existing code replaces it in place).
pub fn join(book: &mut Book, part: Part) {
    let position = book
        .catalogs
        .iter()
        .position(|c| c.id.eq_ignore_ascii_case(part.id));
    let Some(i) = position else {
        book.catalogs.push(Box::leak(Box::new(part.into_catalog())));
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
    // Related entries worked out when the base was compiled may not be the nearest any more.
    for e in &mut entries {
        e.nearby = None;
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
