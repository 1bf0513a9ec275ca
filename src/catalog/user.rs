//! User catalogs: where errbook finds them, how a file becomes catalog data (through the cache), and how it
//! joins the built-in catalogs.
//!
//! A file is parsed and validated by the same code as the built-in catalogs (`schema`), then written in the
//! same stored form as they are (`store`), which is both the cache's content and what the program reads: a
//! parsed file is encoded and read back the same way whether or not the cache is on.

use super::cache::{self, Cache, Key, Stamp};
use super::schema::{self, Base, Problem};
use super::store::{self, Store};
use super::{Book, Catalog, Entry, Meta, Origin, Recover, Texts};
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
    (once_each(files), problems)
}

/// The files without repeats: a file reached twice (from the config folder and `--catalog-file`, say, or
/// by two paths to it) is loaded once, at its last place, so that the command line keeps the last word.
/// Loading it twice would extend its catalog with itself and rewrite its cache on every run.
fn once_each(files: Vec<PathBuf>) -> Vec<PathBuf> {
    let id = |p: &PathBuf| std::fs::canonicalize(p).unwrap_or_else(|_| p.clone());
    let ids: Vec<PathBuf> = files.iter().map(id).collect();
    let mut last: HashMap<&PathBuf, usize> = HashMap::new();
    for (i, c) in ids.iter().enumerate() {
        last.insert(c, i);
    }
    files
        .iter()
        .enumerate()
        .filter(|(i, _)| last[&ids[*i]] == *i)
        .map(|(_, p)| p.clone())
        .collect()
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

/// What each catalog id stands for so far in a run: the built-in catalogs, then each user file loaded in
/// turn. A file is checked against its id's [`Base`], and its cache key holds a fingerprint of it (a file
/// validated against another base is validated again). Both grow with each file instead of being made
/// again from the merged catalog, so that a folder of many files extending one catalog loads in linear
/// time (issue 20 #13).
pub struct Bases {
    builtin: Book,
    ids: HashMap<String, (Base, u64)>,
    /// Files loaded but not yet added to their id's base: most runs never ask for it (a file's codes are
    /// read only when a later file has the same id), and reading them would cost a warm run its speed.
    pending: HashMap<String, Vec<Store>>,
}

impl Bases {
    pub fn new() -> Bases {
        Bases {
            builtin: Book::builtin(),
            ids: HashMap::new(),
            pending: HashMap::new(),
        }
    }

    fn ensure(&mut self, id: &str) {
        for store in self.pending.remove(id).unwrap_or_default() {
            self.settle(&store);
        }
        if !self.ids.contains_key(id) {
            if let Some(c) = self.builtin.catalog(id) {
                let mut fp = Fingerprint::default();
                c.official_langs.iter().for_each(|l| fp.add(l.code()));
                c.domains.iter().for_each(|d| fp.add(&d.id));
                c.lists.iter().for_each(|d| fp.add(&d.id));
                c.rows().for_each(|(_, r)| fp.add(r.code));
                self.ids.insert(id.to_string(), (base_of(c), fp.0));
            }
        }
    }

    /// The base of catalog `id`, if there is one yet.
    pub fn get(&self, id: &str) -> Option<&Base> {
        self.ids.get(id).map(|b| &b.0)
    }

    /// The fingerprint of catalog `id`'s base (0: none).
    fn fingerprint(&mut self, id: &str) -> u64 {
        self.ensure(id);
        self.ids.get(id).map_or(0, |b| b.1)
    }

    /// Catalog `id` is now extended by (or first defined by) `part`.
    pub fn add(&mut self, part: &Part) {
        let id = part.id().to_string();
        if !self.pending.contains_key(&id) && !self.ids.contains_key(&id) {
            // The id's earlier state (a built-in catalog's) comes first.
            self.ensure(&id);
        }
        self.pending
            .entry(id)
            .or_default()
            .push(part.store.reopen());
    }

    fn settle(&mut self, store: &Store) {
        let id = store.id.to_string();
        let (base, fp) = self.ids.entry(id).or_insert_with(|| (Base::default(), 0));
        let mut f = Fingerprint(*fp);
        let part = store;
        let meta = part.meta();
        if !meta.official_langs.is_empty() {
            base.official_langs = meta.official_langs.clone();
        }
        base.official_langs.iter().for_each(|l| f.add(l.code()));
        for d in &meta.domains {
            f.add(&d.id);
            base.domains.insert(d.id.to_string());
        }
        for d in &meta.lists {
            f.add(&d.id);
            base.lists.insert(d.id.to_string());
        }
        for i in 0..part.len() {
            if let Some(r) = part.row(i) {
                f.add(r.code);
                base.codes.insert(r.code.to_lowercase());
            }
        }
        *fp = f.0.max(1);
    }
}

impl Default for Bases {
    fn default() -> Bases {
        Bases::new()
    }
}

/// FNV-1a over strings, each ended by a 0 byte, that can go on from an earlier value.
struct Fingerprint(u64);

impl Default for Fingerprint {
    fn default() -> Fingerprint {
        Fingerprint(0xcbf2_9ce4_8422_2325)
    }
}

impl Fingerprint {
    fn add(&mut self, s: &str) {
        for b in s.bytes().chain([0]) {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
}

/// Parses and checks one catalog text as the user catalog it would be after the files `bases` has seen;
/// every problem is returned.
pub fn check<'t>(
    text: &'t str,
    bases: &mut Bases,
) -> Result<schema::CatalogFile<'t>, Vec<Problem>> {
    if let Some(id) = declared_id(text) {
        bases.ensure(&id);
    }
    schema::parse_catalog_with(text, &|id| bases.get(id))
}

/// The catalog id a file declares, found cheaply (the header is the file's first piece): used to make its
/// base ready before the file is read.
fn declared_id(text: &str) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Id {
        catalog: IdOnly,
    }
    #[derive(serde::Deserialize)]
    struct IdOnly {
        id: String,
    }
    toml::from_str::<Id>(schema::head(text))
        .ok()
        .map(|i| i.catalog.id)
}

impl schema::Keep<'_> for store::Encoder {
    fn entry(&mut self, _at: std::ops::Range<usize>, e: Entry<'_>) {
        self.push(&e);
    }

    fn restart(&mut self) {
        *self = store::Encoder::default();
    }
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

/// Loads one user catalog file as it stands after the files `bases` has seen, from the cache when it is
/// fresh, and records it in `bases`.
pub fn load(
    path: &Path,
    bases: &mut Bases,
    cache: Option<&Cache>,
) -> Result<Part, Vec<Diagnostic>> {
    let part = load_part(path, bases, cache)?;
    bases.add(&part);
    Ok(part)
}

/// Loads one user catalog file as [`load`] does, without recording it in `bases`.
pub fn load_part(
    path: &Path,
    bases: &mut Bases,
    cache: Option<&Cache>,
) -> Result<Part, Vec<Diagnostic>> {
    let shown: &'static str = Box::leak(path.display().to_string().into_boxed_str());
    let meta =
        std::fs::metadata(path).map_err(|e| vec![Diagnostic::file(shown, io_message(&e))])?;
    let canonical = std::fs::canonicalize(path)
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_else(|_| shown.to_string());
    let stamp = Stamp::of(&meta);
    if let Some(c) = cache {
        if let Some(part) = from_cache(c, &canonical, stamp, shown, bases) {
            return Ok(part);
        }
    }
    // One process builds a cache file at a time; the others wait, then read what it wrote (50 processes
    // cold-loading a large catalog at once would otherwise each parse it: issue 20 #16).
    let _lock = cache.and_then(Cache::lock);
    if let (Some(c), Some(_)) = (cache, &_lock) {
        if let Some(part) = from_cache(c, &canonical, stamp, shown, bases) {
            return Ok(part);
        }
    }
    let text = read_text(path, shown).map_err(|d| vec![d])?;
    if let Some(id) = declared_id(&text) {
        bases.ensure(&id);
    }
    let mut encoder = store::Encoder::default();
    let (meta, problems) = schema::read(&text, &|id| bases.get(id), &mut encoder);
    let meta = match meta {
        Some(meta) if problems.is_empty() => meta,
        _ => {
            return Err(problems
                .into_iter()
                .map(|p| Diagnostic::at(shown, p))
                .collect())
        }
    };
    let id = meta.id.to_string();
    // The header borrows the file's text; a copy of its own lets the text go before the stored form is
    // put together (at a million entries the text is 400 MB of the peak).
    let header = postcard::to_stdvec(&meta).unwrap_or_default();
    drop(meta);
    drop(text);
    let meta: Meta = postcard::from_bytes(&header).map_err(|_| {
        vec![Diagnostic::file(
            shown,
            "internal error: the catalog's header did not read back",
        )]
    })?;
    let data = encoder.finish(&meta);
    drop(meta);
    let key = Key {
        version: env!("CARGO_PKG_VERSION"),
        path: &canonical,
        size: stamp.size,
        mtime_ns: stamp.mtime_ns,
        id: &id,
        base: bases.fingerprint(&id),
    };
    if let Some(c) = cache {
        c.write(&canonical, &[&cache::key_bytes(&key), &data]);
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
    bases: &mut Bases,
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
        && key.base == bases.fingerprint(key.id);
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
        let mut encoder = store::Encoder::default();
        let (file_meta, _) = schema::read(&text, &|_| None, &mut encoder);
        // The cache file's bytes (key, then stored form), made once: the store reads them past the key.
        let mut bytes = prefix.clone();
        bytes.extend(encoder.finish(&file_meta?));
        let bytes: &'static [u8] = Box::leak(bytes.into_boxed_slice());
        let fresh = Store::open(&bytes[prefix.len()..])?;
        if fresh.len() != len || *fresh.meta() != meta {
            let _ = std::fs::remove_file(cache.file_for(&canonical));
            return None;
        }
        cache.write(&canonical, &[bytes]);
        Some(fresh)
    });
    Some(Part {
        path: shown,
        store,
        recover: Some(recover),
    })
}

/// Adds a user catalog file to the book (see [`join_all`]).
pub fn join(book: &mut Book, part: Part) {
    join_all(book, vec![part]);
}

/// Adds user catalog files to the book, in order: a file whose id is new makes a new catalog, and a file
/// with the id of a catalog before it extends that catalog (new entries are added after the others; an
/// entry with an existing code replaces it in place). Each extended catalog is written in the stored form
/// again once, with all the files that extend it, so that it is read like any other (once per catalog,
/// not once per file: a folder of many files stays linear, issue 20 #13).
pub fn join_all(book: &mut Book, parts: Vec<Part>) {
    // The parts of each id, in order of first appearance.
    let mut groups: Vec<(String, Vec<Part>)> = Vec::new();
    let mut at: HashMap<String, usize> = HashMap::new();
    for p in parts {
        let id = p.id().to_ascii_lowercase();
        match at.get(&id) {
            Some(&g) => groups[g].1.push(p),
            None => {
                at.insert(id.clone(), groups.len());
                groups.push((id, vec![p]));
            }
        }
    }
    for (id, mut parts) in groups {
        let position = book
            .catalogs
            .iter()
            .position(|c| c.id().eq_ignore_ascii_case(&id));
        let (base, slot): (&'static Catalog, Option<usize>) = match position {
            Some(i) => (book.catalogs[i], Some(i)),
            None => {
                let first = parts.remove(0);
                let c: &'static Catalog = Box::leak(Box::new(first.into_catalog()));
                (c, None)
            }
        };
        let catalog: &'static Catalog = if parts.is_empty() {
            base
        } else {
            match extend(base, parts) {
                Some(c) => Box::leak(Box::new(c)),
                None => base,
            }
        };
        match slot {
            Some(i) => book.catalogs[i] = catalog,
            None => book.catalogs.push(catalog),
        }
    }
}

/// `base` extended by `parts`, in order, stored again.
fn extend(base: &'static Catalog, parts: Vec<Part>) -> Option<Catalog> {
    // Which file each entry comes from: 0 the base, n its n-th extension.
    let first = base.extended_by.len() + 1;
    let mut entries: Vec<Entry<'static>> = Vec::with_capacity(base.len());
    let mut origins: Vec<u16> = Vec::with_capacity(base.len());
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
    let mut meta: Meta<'static> = Meta::clone(base);
    let mut by = base.extended_by.clone();
    for (n, part) in parts.iter().enumerate() {
        let file = u16::try_from(first + n).unwrap_or(u16::MAX);
        let store = &part.store;
        for i in 0..store.len() {
            let Some(e) = store.entry(i) else { continue };
            match index.get(&e.code.to_lowercase()) {
                Some(&at) if e.replace => {
                    entries[at] = e;
                    origins[at] = file;
                }
                Some(&at) => {
                    let old = std::mem::replace(&mut entries[at], placeholder());
                    entries[at] = add_to(old, e);
                    origins[at] = file;
                }
                None => {
                    index.insert(e.code.to_lowercase(), entries.len());
                    entries.push(e);
                    origins.push(file);
                }
            }
        }
        meta = merge(&meta, store.meta());
        by.push(part.path);
    }
    drop(index);
    let data: &'static [u8] = Box::leak(store::encode(&meta, &entries).into_boxed_slice());
    let merged = Store::open(data)?;
    Some(Catalog::new(merged, base.origin).extended(by, origins))
}

/// An entry with nothing in it, for the moment an entry is taken out to be added to.
fn placeholder() -> Entry<'static> {
    Entry {
        code: "".into(),
        name: None,
        aliases: Vec::new(),
        domain: "".into(),
        http_status: None,
        action: "".into(),
        kind: super::Kind::Error,
        related: Vec::new(),
        official: None,
        message: Texts::default(),
        official_note: Texts::default(),
        description: Texts::default(),
        hint: Texts::default(),
        lists: Vec::new(),
        source: None,
        retired: false,
        observed: false,
        fatal: None,
        versions: None,
        note: Texts::default(),
        replace: false,
        older_action: None,
        older_http_status: None,
    }
}

/// `base` with what `more` (an entry of a later file with the same code, without `replace = true`) adds:
/// its aliases, related codes, hints and notes come after the base's; a value it gives (name, domain,
/// action, HTTP status, a message or a description in a language, list values, source, versions, and
/// kind, retired, observed or fatal when set) takes the base's place; what it leaves out stays.
pub fn add_to(base: Entry<'static>, more: Entry<'static>) -> Entry<'static> {
    fn over<'a>(base: Texts<'a>, more: Texts<'a>) -> Texts<'a> {
        Texts {
            en: more.en.or(base.en),
            ko: more.ko.or(base.ko),
            ja: more.ja.or(base.ja),
        }
    }
    fn after<'a>(base: Texts<'a>, more: Texts<'a>) -> Texts<'a> {
        let join = |b: Option<super::model::Str<'a>>, m: Option<super::model::Str<'a>>| match (b, m)
        {
            (Some(b), Some(m)) if b != m => Some(format!("{b} {m}").into()),
            (b, m) => b.or(m),
        };
        Texts {
            en: join(base.en, more.en),
            ko: join(base.ko, more.ko),
            ja: join(base.ja, more.ja),
        }
    }
    fn union<'a>(
        mut base: Vec<super::model::Str<'a>>,
        more: Vec<super::model::Str<'a>>,
    ) -> Vec<super::model::Str<'a>> {
        for m in more {
            if !base.iter().any(|b| b.eq_ignore_ascii_case(&m)) {
                base.push(m);
            }
        }
        base
    }
    let non_empty = |m: super::model::Str<'static>, b| if m.trim().is_empty() { b } else { m };
    // Official languages describe the message: the file's when it gives messages, else the base's.
    let official = if more.message.is_empty() {
        base.official
    } else {
        let mut langs = base.official.unwrap_or_default();
        // A language whose message the file gives is official only if the file says so.
        langs.retain(|l| more.message.get(*l).is_none());
        langs.extend(more.official.unwrap_or_default());
        langs.sort_unstable();
        langs.dedup();
        Some(langs)
    };
    let mut lists = base.lists;
    for l in more.lists {
        match lists.iter_mut().find(|b| b.id == l.id) {
            Some(b) => *b = l,
            None => lists.push(l),
        }
    }
    Entry {
        code: base.code,
        name: more.name.or(base.name),
        aliases: union(base.aliases, more.aliases),
        domain: non_empty(more.domain, base.domain),
        http_status: more.http_status.or(base.http_status),
        action: non_empty(more.action, base.action),
        kind: if more.kind == super::Kind::Error {
            base.kind
        } else {
            more.kind
        },
        related: union(base.related, more.related),
        official,
        message: over(base.message, more.message),
        official_note: over(base.official_note, more.official_note),
        description: over(base.description, more.description),
        hint: after(base.hint, more.hint),
        lists,
        source: more.source.or(base.source),
        retired: base.retired || more.retired,
        observed: base.observed || more.observed,
        fatal: more.fatal.or(base.fatal),
        versions: more.versions.or(base.versions),
        note: after(base.note, more.note),
        replace: false,
        older_action: more.older_action.or(base.older_action),
        older_http_status: more.older_http_status.or(base.older_http_status),
    }
}

/// The header of `base` extended by `more`: what `more` gives replaces (domains and lists by id), its
/// sources come after.
fn merge(base: &Meta<'static>, more: &Meta<'static>) -> Meta<'static> {
    let or = |m: &super::model::Str<'static>, b: &super::model::Str<'static>| {
        if m.is_empty() { b } else { m }.clone()
    };
    let by_id = |b: &[super::Titled<'static>], m: &[super::Titled<'static>]| {
        let mut out = b.to_vec();
        let mut at: HashMap<String, usize> = out
            .iter()
            .enumerate()
            .map(|(i, t)| (t.id.to_string(), i))
            .collect();
        for t in m {
            match at.get(t.id.as_ref()) {
                Some(&i) => out[i] = t.clone(),
                None => {
                    at.insert(t.id.to_string(), out.len());
                    out.push(t.clone());
                }
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
        glossary: base
            .glossary
            .iter()
            .chain(&more.glossary)
            .cloned()
            .collect(),
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
    let mut bases = Bases::new();
    let (files, problems) = catalog_files(&opts.locations);
    let mut failed: Vec<Vec<Diagnostic>> = problems.into_iter().map(|d| vec![d]).collect();
    let mut parts = Vec::new();
    for f in files {
        match load(&f, &mut bases, opts.cache.as_ref()) {
            Ok(part) => parts.push(part),
            Err(d) => failed.push(d),
        }
    }
    join_all(&mut book, parts);
    (book, failed)
}
