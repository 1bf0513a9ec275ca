//! The catalog file format (TOML) and the rules every catalog obeys, beyond what its structure enforces.
//!
//! Shared with build.rs (`#[path]`), which validates the built-in catalogs with exactly the rules a user
//! catalog is held to at run time (`errbook validate`). Depends on serde, toml and std only.

use super::actions::{is_action_id, ACTIONS};
pub use super::model::is_id;
use super::model::{BodyShape, Entry, Lang, LineShape, Meta, Source, Str, Texts, Titled};
use serde::Deserialize;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::ops::Range;
use toml::Spanned;

/// One catalog file, checked: its header and its entries (with where each is in the file).
#[derive(Debug)]
pub struct CatalogFile<'a> {
    pub meta: Meta<'a>,
    pub entry: Vec<Spanned<Entry<'a>>>,
}

/// A piece of a catalog file as TOML gives it: the part before the first `[[entry]]` header holds the
/// header tables; each later piece holds one entry (see [`pieces`]).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Piece<'a> {
    #[serde(borrow, default)]
    catalog: Option<Header<'a>>,
    #[serde(borrow, default)]
    domain: Vec<Spanned<Titled<'a>>>,
    #[serde(borrow, default)]
    list: Vec<Spanned<Titled<'a>>>,
    #[serde(borrow, default)]
    entry: Vec<Spanned<Entry<'a>>>,
    /// `[[glossary]]`: words search should treat as one another's translations.
    #[serde(borrow, default)]
    glossary: Vec<GlossaryTerm<'a>>,
}

/// A `[[glossary]]` table: one term's forms, by language (as in `catalog/glossary.toml`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GlossaryTerm<'a> {
    #[serde(borrow, default)]
    pub en: Vec<Str<'a>>,
    #[serde(borrow, default)]
    pub ko: Vec<Str<'a>>,
    #[serde(borrow, default)]
    pub ja: Vec<Str<'a>>,
}

/// The `[catalog]` table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Header<'a> {
    #[serde(borrow)]
    pub id: Spanned<Str<'a>>,
    /// Required, like `product`, `official_langs` and `description`, unless the file extends a catalog that
    /// has them (see [`Base`]).
    #[serde(borrow, default)]
    pub vendor: Option<Str<'a>>,
    #[serde(borrow, default)]
    pub product: Option<Str<'a>>,
    #[serde(default)]
    pub official_langs: Option<Vec<Lang>>,
    #[serde(borrow, default)]
    pub description: Option<Texts<'a>>,
    #[serde(borrow, default)]
    pub source: Vec<Source<'a>>,
    /// `[[catalog.body]]`: the error objects of response bodies that carry the catalog's codes.
    #[serde(borrow, default)]
    pub body: Vec<BodyShape<'a>>,
    /// `[[catalog.line]]`: the lines of logs and error descriptions that carry the catalog's codes.
    #[serde(borrow, default)]
    pub line: Vec<LineShape<'a>>,
}

impl<'a> CatalogFile<'a> {
    pub fn id(&self) -> &str {
        &self.meta.id
    }

    /// The file in the stored form (`store::encode`): its header and its entries.
    pub fn stored(&self) -> Vec<u8> {
        let mut e = super::store::Encoder::default();
        for entry in &self.entry {
            e.push(entry.get_ref());
        }
        e.finish(&self.meta)
    }

    /// The header as stored. What an extension leaves out stays empty: the catalog it extends supplies
    /// it when the two join (`user::join`).
    pub fn meta(&self) -> Meta<'a> {
        self.meta.clone()
    }
}

/// One thing wrong with a catalog, at a 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// What a file that extends an existing catalog (one with the same id) may rely on: the header fields,
/// domains, lists and codes it inherits. The built-in catalogs are validated with no base.
#[derive(Debug, Default, Clone)]
pub struct Base {
    pub official_langs: Vec<Lang>,
    pub domains: HashSet<String>,
    pub lists: HashSet<String>,
    /// Codes, lowercase.
    pub codes: HashSet<String>,
}

/// Parses and validates one catalog. Every problem found is returned, in file order.
pub fn parse_catalog(text: &str) -> Result<CatalogFile<'_>, Vec<Problem>> {
    parse_catalog_with(text, &|_| None)
}

/// Parses and validates one catalog; `base` gives what an existing catalog with the file's id provides.
pub fn parse_catalog_with<'t, 'b>(
    text: &'t str,
    base: &dyn Fn(&str) -> Option<&'b Base>,
) -> Result<CatalogFile<'t>, Vec<Problem>> {
    let mut entry = Vec::new();
    let (meta, problems) = read(text, base, &mut entry);
    match meta {
        Some(meta) if problems.is_empty() => Ok(CatalogFile { meta, entry }),
        _ => Err(problems),
    }
}

/// What [`read`] gives each entry of a file to, one at a time.
pub trait Keep<'t> {
    /// The next entry, and where it is in the file.
    fn entry(&mut self, at: Range<usize>, e: Entry<'t>);
    /// Forget the entries given so far: the file is read again from its start.
    fn restart(&mut self);
}

impl<'t> Keep<'t> for Vec<Spanned<Entry<'t>>> {
    fn entry(&mut self, at: Range<usize>, e: Entry<'t>) {
        self.push(Spanned::new(at, e));
    }

    fn restart(&mut self) {
        self.clear();
    }
}

/// Reads and checks a catalog file one `[[entry]]` at a time (a file of a million entries is never held
/// as one TOML tree: issue 20 #16), giving each entry that reads to `keep`, checked or not. Returns the
/// header, when the file has a `[catalog]` table that reads, and every problem found, in file order: a
/// TOML error in one entry does not hide the problems of the others.
pub fn read<'t, 'b>(
    text: &'t str,
    base: &dyn Fn(&str) -> Option<&'b Base>,
    keep: &mut dyn Keep<'t>,
) -> (Option<Meta<'t>>, Vec<Problem>) {
    let split = pieces(text);
    let (meta, problems, syntax) = read_pieces(text, &split, base, keep);
    drop(split);
    // A TOML error in a piece that the whole file does not have means the file was split where it
    // should not have been (inside a string that spans lines, say): it is read again in one piece.
    if syntax && toml::from_str::<Piece>(text).is_ok() {
        keep.restart();
        let (meta, problems, _) =
            read_pieces(text, std::slice::from_ref(&(0..text.len())), base, keep);
        return (meta, problems);
    }
    (meta, problems)
}

/// The file split before each `[[entry]]` header that starts a line outside a multi-line string: the
/// first piece holds the header tables, each later one an entry (with its `[[entry.list]]` tables).
fn pieces(text: &str) -> Vec<Range<usize>> {
    let mut starts = vec![0];
    let mut open: Option<u8> = None;
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        if open.is_none() && at > 0 && is_entry_header(line.as_bytes()) {
            starts.push(at);
        }
        open = scan_line(line.as_bytes(), open);
        at += line.len();
    }
    starts.push(text.len());
    starts.windows(2).map(|w| w[0]..w[1]).collect()
}

/// The file before its first `[[entry]]` header (see [`pieces`]): the header tables.
pub fn head(text: &str) -> &str {
    let mut open: Option<u8> = None;
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        if open.is_none() && is_entry_header(line.as_bytes()) {
            return &text[..at];
        }
        open = scan_line(line.as_bytes(), open);
        at += line.len();
    }
    text
}

/// Whether a line is an `[[entry]]` header (spaces inside the brackets and a comment after allowed).
fn is_entry_header(line: &[u8]) -> bool {
    let t = line.trim_ascii_start();
    let Some(inner) = t.strip_prefix(b"[[") else {
        return false;
    };
    let Some(end) = inner.windows(2).position(|w| w == b"]]") else {
        return false;
    };
    let after = inner[end + 2..].trim_ascii();
    inner[..end].trim_ascii() == b"entry" && (after.is_empty() || after[0] == b'#')
}

/// Follows TOML strings through one line: `open` is the quote of the multi-line string the line starts
/// in (`"` or `'`), the result the one it ends in.
fn scan_line(b: &[u8], mut open: Option<u8>) -> Option<u8> {
    let mut i = 0;
    while i < b.len() {
        match open {
            Some(q) => {
                if q == b'"' && b[i] == b'\\' {
                    i += 2;
                } else if b[i..].starts_with(&[q, q, q]) {
                    i += 3;
                    // Up to two more quotes belong to the string.
                    while i < b.len() && b[i] == q {
                        i += 1;
                    }
                    open = None;
                } else {
                    i += 1;
                }
            }
            None => match b[i] {
                b'#' => break,
                q @ (b'"' | b'\'') if b[i..].starts_with(&[q, q, q]) => {
                    open = Some(q);
                    i += 3;
                }
                q @ (b'"' | b'\'') => {
                    i += 1;
                    while i < b.len() && b[i] != q {
                        i += if q == b'"' && b[i] == b'\\' { 2 } else { 1 };
                    }
                    i += 1;
                }
                _ => i += 1,
            },
        }
    }
    open
}

fn shift<T>(s: Spanned<T>, by: usize) -> Spanned<T> {
    let span = s.span();
    Spanned::new(span.start + by..span.end + by, s.into_inner())
}

/// Reads the pieces; the third value says whether one of them was not TOML.
fn read_pieces<'t, 'b>(
    text: &'t str,
    pieces: &[Range<usize>],
    base_of: &dyn Fn(&str) -> Option<&'b Base>,
    keep: &mut dyn Keep<'t>,
) -> (Option<Meta<'t>>, Vec<Problem>, bool) {
    let mut c = Checker::new(text);
    let mut syntax = false;
    let mut header: Option<Header<'t>> = None;
    let mut header_at = 0..0;
    let mut domains: Vec<Spanned<Titled<'t>>> = Vec::new();
    let mut lists: Vec<Spanned<Titled<'t>>> = Vec::new();
    let mut entries: Option<Entries> = None;
    // The ids of the domains declared so far.
    let mut declared: HashSet<String> = HashSet::new();
    let mut glossary: Vec<Vec<Str<'t>>> = Vec::new();
    for range in pieces {
        let piece = &text[range.clone()];
        let mut p: Piece<'t> = match toml::from_str(piece) {
            Ok(p) => p,
            Err(e) => {
                syntax = true;
                let at = range.start + e.span().map_or(0, |s| s.start);
                c.at(at..at, e.message().trim().to_string());
                continue;
            }
        };
        glossary.extend(
            std::mem::take(&mut p.glossary)
                .into_iter()
                .map(|g| g.en.into_iter().chain(g.ko).chain(g.ja).collect()),
        );
        if let Some(h) = p.catalog {
            if header.is_some() {
                c.at(range.clone(), "a second [catalog] table".into());
            } else {
                header_at = shift(Spanned::new(h.id.span(), ()), range.start).span();
                header = Some(h);
            }
        }
        declared.extend(p.domain.iter().map(|d| d.get_ref().id.to_string()));
        domains.extend(p.domain.into_iter().map(|d| shift(d, range.start)));
        lists.extend(p.list.into_iter().map(|d| shift(d, range.start)));
        let mut fields: Option<Vec<FieldSpans>> = None;
        for (j, se) in p.entry.into_iter().enumerate() {
            let es = entries.get_or_insert_with(|| Entries::new(header.as_ref(), base_of));
            let span = se.span();
            let span = span.start + range.start..span.end + range.start;
            let e = se.into_inner();
            let field = |f: Field| -> Option<Range<usize>> {
                let fs = fields.get_or_insert_with(|| {
                    toml::from_str::<EntrySpans>(piece)
                        .map(|s| s.entry)
                        .unwrap_or_default()
                });
                let e = fs.get(j)?;
                let v = match f {
                    Field::Domain => e.domain.as_ref(),
                    Field::Action => e.action.as_ref(),
                }?;
                let s = v.span();
                Some(s.start + range.start..s.end + range.start)
            };
            es.check(&mut c, &span, &e, field, &declared);
            keep.entry(span, e);
        }
    }
    let Some(h) = header else {
        if !syntax {
            c.at(0..0, "missing field `catalog`".into());
        }
        return (None, c.finish(), syntax);
    };
    let mut es = entries.unwrap_or_else(|| Entries::new(Some(&h), base_of));
    check_header(&mut c, &h, header_at.clone(), es.base);
    let declared_domains = c.titled("domain", &domains);
    let declared_lists = c.titled("list", &lists);
    es.finish(&mut c, &declared_domains, &declared_lists);
    let meta = Meta {
        id: h.id.get_ref().clone(),
        vendor: h.vendor.unwrap_or_default(),
        product: h.product.unwrap_or_default(),
        official_langs: h.official_langs.unwrap_or_default(),
        description: h.description.unwrap_or_default(),
        sources: h.source,
        domains: domains.into_iter().map(Spanned::into_inner).collect(),
        lists: lists.into_iter().map(Spanned::into_inner).collect(),
        bodies: h.body,
        lines: h.line,
        glossary,
    };
    (Some(meta), c.finish(), syntax)
}

fn blank(s: &str) -> bool {
    s.trim().is_empty()
}

/// The problems found so far, by byte offset; their lines and columns are counted once, at the end.
struct Checker<'a> {
    text: &'a str,
    problems: Vec<(usize, String)>,
}

/// A field whose value a problem can point at.
#[derive(Clone, Copy)]
enum Field {
    Domain,
    Action,
}

/// The places of an entry's `domain` and `action` values (a second, lenient reading of the entry's piece:
/// the model holds values, not places, and most entries have no problem to place).
#[derive(Deserialize, Default)]
struct FieldSpans {
    domain: Option<Spanned<toml::Value>>,
    action: Option<Spanned<toml::Value>>,
}

#[derive(Deserialize)]
struct EntrySpans {
    #[serde(default)]
    entry: Vec<FieldSpans>,
}

/// At most this many ids are named in a message about an unknown one (a file may declare thousands).
const NAMED: usize = 12;

impl<'t> Checker<'t> {
    fn new(text: &'t str) -> Checker<'t> {
        Checker {
            text,
            problems: Vec::new(),
        }
    }

    /// Checks the domains or the lists (`what`) of a file; their ids.
    fn titled<'f>(&mut self, what: &str, items: &'f [Spanned<Titled>]) -> HashSet<&'f str> {
        let mut ids = HashSet::new();
        for t in items {
            let span = t.span();
            let t = t.get_ref();
            if !is_id(&t.id) {
                let message = format!(
                    "{what} id {:?} must be lowercase letters, digits and '-'",
                    t.id
                );
                self.at(span.clone(), message);
            }
            if !ids.insert(t.id.as_ref()) {
                self.at(span.clone(), format!("duplicate {what} {:?}", t.id));
            }
            if t.title.en.is_none() {
                self.at(
                    span.clone(),
                    format!("{what} {:?} has no English title", t.id),
                );
            }
            self.texts(&span, &format!("{what} {:?} title", t.id), &t.title);
        }
        ids
    }

    fn at(&mut self, span: Range<usize>, message: String) {
        self.problems.push((span.start, message));
    }

    fn texts(&mut self, span: &Range<usize>, what: &str, texts: &Texts) {
        for lang in Lang::ALL {
            if texts.get(lang).is_some_and(blank) {
                self.at(span.clone(), format!("{what}.{} is empty", lang.code()));
            }
        }
    }

    /// The problems in file order, with lines and columns counted in one pass over the text.
    fn finish(mut self) -> Vec<Problem> {
        self.problems.sort_by_key(|p| p.0);
        let (mut line, mut line_start, mut at) = (1, 0, 0);
        let bytes = self.text.as_bytes();
        self.problems
            .into_iter()
            .map(|(offset, message)| {
                let mut offset = offset.min(self.text.len());
                while !self.text.is_char_boundary(offset) {
                    offset -= 1;
                }
                for (i, b) in bytes[at..offset].iter().enumerate() {
                    if *b == b'\n' {
                        line += 1;
                        line_start = at + i + 1;
                    }
                }
                at = offset;
                let column = self.text[line_start..offset].chars().count() + 1;
                Problem {
                    line,
                    column,
                    message,
                }
            })
            .collect()
    }
}

/// `ids` sorted, at most [`NAMED`] of them, and how many more there are.
fn some_of(mut ids: Vec<&str>) -> String {
    ids.sort_unstable();
    ids.dedup();
    let more = ids.len().saturating_sub(NAMED);
    ids.truncate(NAMED);
    let mut s = ids.join(", ");
    if more > 0 {
        s.push_str(&format!(", and {more} more"));
    }
    s
}

fn check_header(c: &mut Checker, h: &Header, hspan: Range<usize>, base: Option<&Base>) {
    if !is_id(h.id.get_ref()) {
        c.at(
            hspan.clone(),
            format!(
                "catalog id {:?} must be lowercase letters, digits and '-'",
                h.id.get_ref()
            ),
        );
    }
    for (what, v) in [("vendor", &h.vendor), ("product", &h.product)] {
        match v {
            Some(v) if blank(v) => c.at(hspan.clone(), format!("catalog.{what} is empty")),
            None if base.is_none() => c.at(hspan.clone(), format!("catalog.{what} is missing")),
            _ => {}
        }
    }
    match &h.official_langs {
        Some(l) if l.is_empty() => c.at(hspan.clone(), "catalog.official_langs is empty".into()),
        None if base.is_none() => c.at(hspan.clone(), "catalog.official_langs is missing".into()),
        _ => {}
    }
    match &h.description {
        Some(d) => {
            if d.en.is_none() {
                c.at(
                    hspan.clone(),
                    "catalog.description has no English text".into(),
                );
            }
            c.texts(&hspan, "catalog.description", d);
        }
        None if base.is_none() => c.at(hspan.clone(), "catalog.description is missing".into()),
        None => {}
    }
    for b in &h.body {
        if !is_id(&b.shape) {
            c.at(
                hspan.clone(),
                format!(
                    "catalog.body shape {:?} must be lowercase letters, digits and '-'",
                    b.shape
                ),
            );
        }
        if b.code.is_empty()
            || b.code
                .iter()
                .chain(&b.with)
                .chain(&b.under)
                .chain(&b.url)
                .chain(&b.http_status)
                .chain(&b.inner)
                .chain(&b.context)
                .any(|k| blank(k))
        {
            c.at(
                hspan.clone(),
                format!(
                    "catalog.body {:?}: code must name keys, and no key may be empty",
                    b.shape
                ),
            );
        }
    }
    for l in &h.line {
        if !is_id(&l.shape) {
            c.at(
                hspan.clone(),
                format!(
                    "catalog.line shape {:?} must be lowercase letters, digits and '-'",
                    l.shape
                ),
            );
        }
        if l.literal.as_deref().is_some_and(blank) {
            c.at(
                hspan.clone(),
                format!("catalog.line {:?}: literal is empty", l.shape),
            );
        }
        match regex_lite::Regex::new(&l.pattern) {
            Ok(re) if re.capture_names().flatten().any(|n| n == "code") => {}
            Ok(_) => c.at(
                hspan.clone(),
                format!(
                    "catalog.line {:?}: the pattern has no group named code",
                    l.shape
                ),
            ),
            Err(e) => c.at(
                hspan.clone(),
                format!(
                    "catalog.line {:?}: the pattern is not a regular expression: {e}",
                    l.shape
                ),
            ),
        }
    }
    for s in &h.source {
        for (what, v) in [("title", &s.title), ("url", &s.url), ("date", &s.date)] {
            if v.as_deref().is_some_and(blank) {
                c.at(hspan.clone(), format!("catalog.source.{what} is empty"));
            }
        }
    }
}

/// The checks of entries, one at a time, and what they need to remember: the codes and names seen (for
/// duplicates and aliases), and what can only be decided once the whole file is read (an alias that is a
/// later entry's code, a related code further down, a domain declared after the entry).
struct Entries<'b> {
    base: Option<&'b Base>,
    /// The catalog's official languages; `None` when the header did not read.
    official_langs: Option<Vec<Lang>>,
    /// Lowercase code: the entry's number.
    codes: HashMap<Box<str>, u32>,
    /// Each entry's code as written.
    written: Vec<Box<str>>,
    names: HashMap<Box<str>, u32>,
    aliases: Vec<(usize, u32, Box<str>)>,
    related: Vec<(usize, Box<str>, Box<str>)>,
    domains: Vec<(usize, Box<str>, Box<str>)>,
    lists: Vec<(usize, Box<str>, Box<str>)>,
    count: u32,
}

impl<'b> Entries<'b> {
    fn new(header: Option<&Header>, base_of: &dyn Fn(&str) -> Option<&'b Base>) -> Entries<'b> {
        let base = header.and_then(|h| base_of(h.id.get_ref()));
        let official_langs = header.map(|h| match (&h.official_langs, base) {
            (Some(l), _) => l.clone(),
            (None, Some(b)) => b.official_langs.clone(),
            (None, None) => Vec::new(),
        });
        Entries {
            base,
            official_langs,
            codes: HashMap::new(),
            written: Vec::new(),
            names: HashMap::new(),
            aliases: Vec::new(),
            related: Vec::new(),
            domains: Vec::new(),
            lists: Vec::new(),
            count: 0,
        }
    }

    fn check(
        &mut self,
        c: &mut Checker,
        span: &Range<usize>,
        e: &Entry,
        mut field: impl FnMut(Field) -> Option<Range<usize>>,
        declared: &HashSet<String>,
    ) {
        let i = self.count;
        self.count += 1;
        let code = e.code.as_ref();
        let who = || format!("entry {code:?}");
        if blank(code) {
            c.at(span.clone(), "entry has an empty code".into());
        } else if code.chars().any(|ch| ch.is_whitespace() || ch == ':') {
            c.at(
                span.clone(),
                format!("{}: a code may not contain white space or ':'", who()),
            );
        }
        let lower: Box<str> = code.to_lowercase().into();
        // An entry with the code of an entry of the catalog it extends adds to it, unless it replaces it:
        // then it gives only what it adds.
        let in_base = self.base.is_some_and(|b| b.codes.contains(&*lower));
        let adds = in_base && !e.replace;
        if e.replace && !in_base {
            c.at(
                span.clone(),
                format!(
                    "{}: replace = true, but the catalog it extends has no entry {code:?}",
                    who()
                ),
            );
        }
        match self.codes.entry(lower) {
            std::collections::hash_map::Entry::Occupied(_) => {
                c.at(span.clone(), format!("duplicate code {code:?}"));
            }
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(i);
            }
        }
        self.written.push(code.into());
        if let Some(n) = &e.name {
            if blank(n) {
                c.at(span.clone(), format!("{}: name is empty", who()));
            }
            self.names.entry(n.to_lowercase().into()).or_insert(i);
        }
        for a in &e.aliases {
            if blank(a) {
                c.at(span.clone(), format!("{}: an alias is empty", who()));
            } else {
                self.aliases.push((span.start, i, a.as_ref().into()));
            }
        }
        let domain = e.domain.as_ref();
        if blank(domain) {
            if !adds {
                c.at(span.clone(), format!("{}: domain is missing", who()));
            }
        } else if !declared.contains(domain)
            && !self.base.is_some_and(|b| b.domains.contains(domain))
        {
            let at = field(Field::Domain).unwrap_or(span.clone());
            self.domains.push((at.start, code.into(), domain.into()));
        }
        if blank(&e.action) {
            if !adds {
                c.at(span.clone(), format!("{}: action is missing", who()));
            }
        } else if !is_action_id(&e.action) {
            let at = field(Field::Action).unwrap_or(span.clone());
            c.at(
                at,
                format!(
                    "{}: unknown action {:?} (known: {})",
                    who(),
                    e.action,
                    ACTIONS.iter().map(|a| a.id).collect::<Vec<_>>().join(", ")
                ),
            );
        }
        if let Some(s) = e.http_status {
            if !(100..=599).contains(&s) {
                c.at(
                    span.clone(),
                    format!("{}: http_status {s} is not an HTTP status", who()),
                );
            }
        }
        match &e.official {
            None if adds => {}
            None => c.at(
                span.clone(),
                format!(
                    "{}: no `official` list (write official = [] when no text is the vendor's)",
                    who()
                ),
            ),
            Some(official) => {
                for lang in official {
                    if e.message.get(*lang).is_none() {
                        c.at(
                            span.clone(),
                            format!(
                                "{}: official language {} has no message",
                                who(),
                                lang.code()
                            ),
                        );
                    }
                    if self
                        .official_langs
                        .as_ref()
                        .is_some_and(|l| !l.contains(lang))
                    {
                        c.at(
                            span.clone(),
                            format!(
                                "{}: official language {} is not one of the catalog's official_langs",
                                who(),
                                lang.code()
                            ),
                        );
                    }
                }
                if e.message.en.is_none() && official.is_empty() && !adds {
                    c.at(
                        span.clone(),
                        format!("{}: no English and no official message", who()),
                    );
                }
            }
        }
        for (what, t) in [
            ("message", &e.message),
            ("official_note", &e.official_note),
            ("description", &e.description),
            ("hint", &e.hint),
            ("note", &e.note),
        ] {
            if t.iter().any(|(_, s)| blank(s)) {
                c.texts(span, &format!("{}: {what}", who()), t);
            }
        }
        if e.versions.as_deref().is_some_and(blank) {
            c.at(span.clone(), format!("{}: versions is empty", who()));
        }
        if e.source.as_deref().is_some_and(blank) {
            c.at(span.clone(), format!("{}: source is empty", who()));
        }
        for r in &e.related {
            if let Some((catalog, other)) = r.split_once(':') {
                // Another catalog's code: build.rs checks that the built-in catalogs have it.
                if !is_id(catalog) || blank(other) || other.contains(':') {
                    c.at(
                        span.clone(),
                        format!("{}: related code {r:?} is not \"catalog:code\"", who()),
                    );
                }
            } else if r.eq_ignore_ascii_case(code) {
                c.at(span.clone(), format!("{}: related to itself", who()));
            } else {
                self.related
                    .push((span.start, code.into(), r.as_ref().into()));
            }
        }
        if let Some(a) = e.older_action.as_deref().filter(|a| !is_action_id(a)) {
            c.at(
                span.clone(),
                format!("{}: unknown older_action {a:?}", who()),
            );
        }
        if e.older_action.is_some() || e.older_http_status.is_some() {
            if e.lists.is_empty() {
                c.at(
                    span.clone(),
                    format!(
                        "{}: older_action and older_http_status need the current lists ([[entry.list]])",
                        who()
                    ),
                );
            }
            if e.older_http_status
                .is_some_and(|s| !(100..=599).contains(&s))
            {
                c.at(
                    span.clone(),
                    format!("{}: older_http_status must be an HTTP status", who()),
                );
            }
        }
        for l in &e.lists {
            self.lists
                .push((span.start, code.into(), l.id.as_ref().into()));
            if !is_action_id(&l.action) {
                c.at(
                    span.clone(),
                    format!("{}: list {:?}: unknown action {:?}", who(), l.id, l.action),
                );
            }
            if l.http_status.is_empty() || l.http_status.iter().any(|s| !(100..=599).contains(s)) {
                c.at(
                    span.clone(),
                    format!(
                        "{}: list {:?}: http_status must hold HTTP statuses",
                        who(),
                        l.id
                    ),
                );
            }
        }
    }

    /// The checks that needed the whole file.
    fn finish(&mut self, c: &mut Checker, domains: &HashSet<&str>, lists: &HashSet<&str>) {
        for (at, i, a) in std::mem::take(&mut self.aliases) {
            let key = a.to_lowercase();
            let clash = self
                .codes
                .get(key.as_str())
                .or_else(|| self.names.get(key.as_str()))
                .filter(|&&j| j != i);
            if let Some(&j) = clash {
                let (code, other) = (&self.written[i as usize], &self.written[j as usize]);
                c.at(
                    at..at,
                    format!("entry {code:?}: alias {a:?} is the code or name of entry {other:?}"),
                );
            }
        }
        let base_codes = self.base.map(|b| &b.codes);
        for (at, code, r) in std::mem::take(&mut self.related) {
            let lower = r.to_lowercase();
            if !self.codes.contains_key(lower.as_str())
                && !base_codes.is_some_and(|b| b.contains(&lower))
            {
                c.at(
                    at..at,
                    format!("entry {code:?}: related code {r:?} is not in this catalog"),
                );
            }
        }
        let none = HashSet::new();
        let inherited_domains = self.base.map_or(&none, |b| &b.domains);
        let mut known_domains: Option<String> = None;
        for (at, code, d) in std::mem::take(&mut self.domains) {
            if domains.contains(&*d) || inherited_domains.contains(&*d) {
                continue;
            }
            let known = known_domains.get_or_insert_with(|| {
                some_of(
                    domains
                        .iter()
                        .copied()
                        .chain(inherited_domains.iter().map(String::as_str))
                        .collect(),
                )
            });
            c.at(
                at..at,
                format!("entry {code:?}: unknown domain {d:?} (declared: {known})"),
            );
        }
        let inherited_lists = self.base.map_or(&none, |b| &b.lists);
        for (at, code, l) in std::mem::take(&mut self.lists) {
            if !lists.contains(&*l) && !inherited_lists.contains(&*l) {
                c.at(at..at, format!("entry {code:?}: unknown list {l:?}"));
            }
        }
    }
}
