//! User catalogs: where errbook finds them, how a file becomes catalog data (through the cache), and how it
//! joins the built-in catalogs.
//!
//! A file is parsed and validated by the same code as the built-in catalogs (`schema`), then written in the
//! same stored form as they are (`store`), which is both the cache's content and what the program reads: a
//! parsed file is encoded and read back the same way whether or not the cache is on.

use super::cache::{self, Cache, Key, Stamp};
use super::schema::{self, Base, Problem};
use super::store::{self, Store};
use super::{Book, Catalog, Entry, Meta, Origin, Recover};
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
        official_langs: c.official_langs.clone(),
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
    c.domains.iter().for_each(|d| add(&d.id));
    c.lists.iter().for_each(|d| add(&d.id));
    c.rows().for_each(|(_, r)| add(r.code));
    cache::fnv1a(&bytes).max(1)
}

/// Parses and checks one catalog text as the user catalog it would be in `book`; every problem is returned.
pub fn check<'t>(text: &'t str, book: &Book) -> Result<schema::CatalogFile<'t>, Vec<Problem>> {
    schema::parse_catalog_with(text, |id| book.catalog(id).map(base_of))
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
        let (line, column) = schema::line_col(&text, good);
        Diagnostic {
            path: shown.to_string(),
            at: Some((line, column)),
            message: "the file is not UTF-8 text".into(),
        }
    })
}

/// A user catalog file read into its stored form, before it joins a book.
pub struct Part {
    /// The catalog file, as it is shown.
    pub path: &'static str,
    pub store: Store,
    recover: Option<Recover>,
}

impl Part {
    pub fn id(&self) -> &str {
        self.store.id
    }

    /// The part as a catalog of its own.
    pub fn into_catalog(self) -> Catalog {
        let c = Catalog::new(self.store, Origin::File(self.path));
        match self.recover {
            Some(r) => c.with_recovery(r),
            None => c,
        }
    }
}

/// Loads one user catalog file as part of `book`, from the cache when it is fresh.
pub fn load(path: &Path, book: &Book, cache: Option<&Cache>) -> Result<Part, Vec<Diagnostic>> {
    let shown: &'static str = Box::leak(path.display().to_string().into_boxed_str());
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
    let data = file.stored();
    let id = file.id();
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
    // The data just encoded reads back; if it ever did not, that is a bug worth a clear message.
    stored_part(data, shown).ok_or_else(|| {
        vec![Diagnostic::file(
            shown,
            "internal error: the parsed catalog did not read back",
        )]
    })
}

/// A catalog from its stored form, as `path`; `None` when the bytes are not one. Public for the fuzz target
/// that feeds it arbitrary bytes.
pub fn stored_part(data: Vec<u8>, path: &'static str) -> Option<Part> {
    let store = Store::open(Box::leak(data.into_boxed_slice()))?;
    Some(Part {
        path,
        store,
        recover: None,
    })
}

/// Reads a fresh cache file in place (memory-mapped): its key and head now, its entries when they are
/// asked for. A block found damaged later makes the catalog read its file again and mend the cache.
fn from_cache(
    cache: &Cache,
    canonical: &str,
    stamp: Stamp,
    shown: &'static str,
    book: &Book,
) -> Option<Part> {
    let at = cache.file_for(canonical);
    // Only a regular file: opening a FIFO planted there would wait forever.
    if !std::fs::symlink_metadata(&at).ok()?.is_file() {
        return None;
    }
    let file = std::fs::File::open(&at).ok()?;
    // SAFETY: cache files are never changed in place: a new one is written to a temporary file and renamed
    // over the old, so the mapped file keeps its content while errbook runs.
    let map = unsafe { memmap2::Mmap::map(&file) }.ok()?;
    let bytes: &'static [u8] = &Box::leak(Box::new(map))[..];
    let (key, rest) = cache::split(bytes)?;
    let fresh = key.version == env!("CARGO_PKG_VERSION")
        && key.path == canonical
        && key.size == stamp.size
        && key.mtime_ns == stamp.mtime_ns
        && key.base == fingerprint(book.catalog(key.id));
    if !fresh {
        return None;
    }
    let store = Store::open(rest)?;
    let (toml, cache, canonical) = (
        PathBuf::from(canonical),
        cache.clone(),
        canonical.to_string(),
    );
    let (len, meta) = (store.len(), store.meta().clone());
    let prefix = bytes[..bytes.len() - rest.len()].to_vec();
    let recover: Recover = Box::new(move || {
        // The catalog file again, used only when it is the one the cache was made from (the same header
        // and number of entries); otherwise the cache file goes, and the next run makes it anew.
        let text = std::fs::read_to_string(&toml).ok()?;
        let file: schema::CatalogFile = toml::from_str(&text).ok()?;
        // The cache file's bytes (key, then stored form), made once: the store reads them past the key.
        let mut bytes = prefix.clone();
        bytes.extend(file.stored());
        let bytes: &'static [u8] = Box::leak(bytes.into_boxed_slice());
        let fresh = Store::open(&bytes[prefix.len()..])?;
        if fresh.len() != len || *fresh.meta() != meta {
            let _ = std::fs::remove_file(cache.file_for(&canonical));
            return None;
        }
        cache.write(&canonical, bytes);
        Some(fresh)
    });
    Some(Part {
        path: shown,
        store,
        recover: Some(recover),
    })
}

/// Adds a user catalog file to the book: a new catalog, or an extension of the one with its id (new entries
/// are added after the others; an entry with an existing code replaces it in place). An extended catalog
/// is written in the stored form again, in memory, so that it is read like any other.
pub fn join(book: &mut Book, part: Part) {
    let position = book
        .catalogs
        .iter()
        .position(|c| c.id().eq_ignore_ascii_case(part.id()));
    let Some(at) = position else {
        book.catalogs.push(Box::leak(Box::new(part.into_catalog())));
        return;
    };
    let base: &'static Catalog = book.catalogs[at];
    // Which file each entry comes from: 0 the base, n its n-th extension.
    let files = base.extended_by.len() + 1;
    let mut entries: Vec<Entry<'static>> = Vec::with_capacity(base.len() + part.store.len());
    let mut origins: Vec<u16> = Vec::with_capacity(entries.capacity());
    for i in 0..base.len() {
        // Decoded for the merge, not kept: the base's own copy would only be leaked beside it.
        if let Some(e) = base.passing(i) {
            entries.push(e.into_owned());
            origins.push(base.file_of(i));
        }
    }
    let mut index: HashMap<String, usize> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| (e.code.to_lowercase(), i))
        .collect();
    let store = &part.store;
    for i in 0..store.len() {
        let Some(e) = store.entry(i) else { continue };
        match index.get(&e.code.to_lowercase()) {
            Some(&at) => {
                entries[at] = e;
                origins[at] = files as u16;
            }
            None => {
                index.insert(e.code.to_lowercase(), entries.len());
                entries.push(e);
                origins.push(files as u16);
            }
        }
    }
    let meta = merge(base, store.meta());
    let data: &'static [u8] = Box::leak(store::encode(&meta, &entries).into_boxed_slice());
    let Some(merged) = Store::open(data) else {
        return;
    };
    let mut by = base.extended_by.clone();
    by.push(part.path);
    let catalog = Catalog::new(merged, base.origin).extended(by, origins);
    book.catalogs[at] = Box::leak(Box::new(catalog));
}

/// The header of `base` extended by `more`: what `more` gives replaces (domains and lists by id), its
/// sources come after.
fn merge(base: &Meta<'static>, more: &Meta<'static>) -> Meta<'static> {
    let or = |m: &super::model::Str<'static>, b: &super::model::Str<'static>| {
        if m.is_empty() { b } else { m }.clone()
    };
    let by_id = |b: &[super::Titled<'static>], m: &[super::Titled<'static>]| {
        let mut out = b.to_vec();
        for t in m {
            match out.iter_mut().find(|o| o.id == t.id) {
                Some(o) => *o = t.clone(),
                None => out.push(t.clone()),
            }
        }
        out
    };
    Meta {
        id: base.id.clone(),
        vendor: or(&more.vendor, &base.vendor),
        product: or(&more.product, &base.product),
        official_langs: if more.official_langs.is_empty() {
            base.official_langs.clone()
        } else {
            more.official_langs.clone()
        },
        description: if more.description.is_empty() {
            base.description.clone()
        } else {
            more.description.clone()
        },
        sources: base.sources.iter().chain(&more.sources).cloned().collect(),
        domains: by_id(&base.domains, &more.domains),
        lists: by_id(&base.lists, &more.lists),
        bodies: base.bodies.iter().chain(&more.bodies).cloned().collect(),
        lines: base.lines.iter().chain(&more.lines).cloned().collect(),
    }
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
