//! The JSON contract: each document and record is one struct here, so its field names and their order
//! are defined once, and documented in README.md. Within a schema version fields may be added, never
//! renamed or removed.
//!
//! A record is generic over what its fields are made of ([`Repr`]). errbook writes it [`Borrowed`]: the
//! strings are the catalog's and the input's own, so writing hundreds of entries copies next to nothing. A
//! reader reads it back [`Owned`], the default (`EntryJson` is `EntryJson<Owned>`). serde_json writes
//! both.

use super::{view, CommandName, FileCheck, Found, Render, Report, Scan, ScanSink, Style};
use crate::catalog::{Catalog, Hit, Lang, ListValue, Listing, Texts};
use crate::input::body::{self, Body, Finding};
use serde::ser::{SerializeSeq, Serializer};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::cell::Cell;
use std::collections::BTreeMap;
use std::fmt::Debug;
use std::io::{self, BufWriter, Write};
use std::marker::PhantomData;

pub const SCHEMA_VERSION: u32 = 1;

/// What a record's fields are made of: [`Owned`] to read it back, [`Borrowed`] to write it.
pub trait Repr {
    /// A string.
    type Str: Serialize + Debug;
    /// A list of strings: aliases, related codes, scanned inputs.
    type Strs: Serialize + Debug;
    /// A list of language codes.
    type Langs: Serialize + Debug;
    /// Texts as an object from language code to text, keys in sorted order.
    type Texts: Serialize + Debug;
    /// An entry's values in the vendor's further lists, as a list of [`ListJson`].
    type Lists: Serialize + Debug;
    /// HTTP statuses.
    type Statuses: Serialize + Debug;
}

/// Records as a reader gets them back.
#[derive(Debug)]
pub struct Owned;

impl Repr for Owned {
    type Str = String;
    type Strs = Vec<String>;
    type Langs = Vec<String>;
    type Texts = BTreeMap<String, String>;
    type Lists = Vec<ListJson>;
    type Statuses = Vec<u16>;
}

/// Only owned records are read back: serde's `deserialize` bound of every record.
pub trait ReadBack:
    Repr<
    Str = String,
    Strs = Vec<String>,
    Langs = Vec<String>,
    Texts = BTreeMap<String, String>,
    Lists = Vec<ListJson>,
    Statuses = Vec<u16>,
>
{
}

impl ReadBack for Owned {}

/// Records as errbook writes them, borrowing from the catalog and the input.
#[derive(Debug)]
pub struct Borrowed<'a>(PhantomData<&'a ()>);

impl<'a> Repr for Borrowed<'a> {
    type Str = &'a str;
    type Strs = Cow<'a, [&'a str]>;
    type Langs = Cow<'a, [Lang]>;
    type Texts = ByCode<'a>;
    type Lists = Lists<'a>;
    type Statuses = Cow<'a, [u16]>;
}

/// `--format json`: one document.
#[derive(Debug, Serialize, Deserialize)]
#[serde(bound(
    serialize = "Results: Serialize",
    deserialize = "R: ReadBack, Results: Deserialize<'de>"
))]
pub struct Document<R: Repr = Owned, Results = Vec<EntryJson<R>>> {
    pub schema_version: u32,
    pub command: R::Str,
    pub query: Option<R::Str>,
    pub lang: R::Str,
    /// The entries (`list` writes them as it goes through them rather than gathering them first).
    pub results: Results,
    // Added within schema version 1.
    /// The error objects of a body read from standard input (`lookup -`, `explain -`); empty otherwise.
    // `Vec::new` rather than `default`, which would ask `R: Default`.
    #[serde(default = "Vec::new")]
    pub findings: Vec<BodyFindingJson<R>>,
    /// `lookup` and `explain`: each query as given, in order, with the places in `results` of what it
    /// found (a query given twice is listed twice; an entry two queries name is one result).
    #[serde(default = "Vec::new")]
    pub queries: Vec<AskedJson<R>>,
    /// The queries that found nothing, as given.
    #[serde(default = "Vec::new")]
    pub unmatched: Vec<R::Str>,
    /// The body's chains of errors carried by errors, outermost first (empty otherwise).
    #[serde(default)]
    pub chains: Vec<ChainJson>,
}

/// One query of a lookup: as given, as read when errbook read it otherwise, and what it found.
#[derive(Debug, Serialize, Deserialize)]
#[serde(bound(serialize = "", deserialize = "R: ReadBack"))]
pub struct AskedJson<R: Repr = Owned> {
    pub query: R::Str,
    pub read_as: Option<R::Str>,
    /// Places in the document's `results`.
    pub results: Vec<usize>,
}

/// One chain of a body: its error objects, outermost first.
#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct ChainJson {
    pub links: Vec<LinkJson>,
    /// The likely cause: the innermost link whose code names an entry.
    pub cause: Option<LinkJson>,
    /// The chain in one line, as `explain` shows it.
    pub text: String,
}

/// One error object of a chain: its number (`object` of its FINDINGs), and the catalog and code of the
/// first entry it names (the code as the body gives it, and no catalog, when none).
#[derive(Debug, Serialize, Deserialize, PartialEq, Eq, Clone)]
pub struct LinkJson {
    pub object: usize,
    pub catalog: Option<String>,
    pub code: String,
    pub likely_cause: bool,
}

/// The request an error answered.
#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct RequestJson {
    pub method: Option<String>,
    pub url: Option<String>,
    pub status: Option<u16>,
}

/// One error object found in a JSON or XML body, with the entry its code names (null when no catalog
/// has the code). A code two catalogs define gives one finding per entry.
#[derive(Debug, Serialize, Deserialize)]
#[serde(bound(serialize = "", deserialize = "R: ReadBack"))]
pub struct BodyFindingJson<R: Repr = Owned> {
    /// "json" or "xml".
    pub syntax: R::Str,
    /// JSON pointer of the error object ("" is the whole document; XML as its JSON equivalent).
    pub pointer: R::Str,
    /// Which form matched: "adobe-pass", "skms", "ncp" or "generic".
    pub shape: R::Str,
    /// The code as the body gives it.
    pub code: R::Str,
    pub status: Option<R::Str>,
    pub message: Option<R::Str>,
    pub detail: Option<R::Str>,
    pub trace: Option<R::Str>,
    pub help_url: Option<R::Str>,
    pub action: Option<R::Str>,
    /// Every HTTP status the catalog gives for the entry.
    pub catalog_http_status: R::Statuses,
    /// True when the body's status is not one the catalog gives; null when either is unknown.
    pub status_differs: Option<bool>,
    pub entry: Option<EntryJson<R>>,
    // Added within schema version 1.
    /// The error object's number in the body, counted from 0 (a code two catalogs define gives two
    /// FINDINGs with one number).
    #[serde(default)]
    pub object: usize,
    /// The number of the error object that carries this one (a player error around a server's), or null.
    #[serde(default)]
    pub carried_by: Option<usize>,
    /// True for the innermost error of a chain that names an entry.
    #[serde(default)]
    pub likely_cause: bool,
    /// The request the error answered, as far as the input says (a HAR entry, curl output, a player's
    /// error data).
    #[serde(default)]
    pub request: Option<RequestJson>,
    /// Fields of the body shown beside the code (an Adobe decisions item's `resource` and `mvpd`).
    #[serde(default)]
    pub context: BTreeMap<String, String>,
    /// True when the body's `action` is none of those the catalog gives; null when the body has none.
    #[serde(default)]
    pub action_differs: Option<bool>,
}

/// `errbook scan --format json`. errbook writes it as it scans: see `ScanJson`.
#[derive(Debug, Serialize, Deserialize)]
#[serde(bound(serialize = "", deserialize = "R: ReadBack"))]
pub struct ScanDocument<R: Repr = Owned> {
    pub schema_version: u32,
    pub command: R::Str,
    pub lang: R::Str,
    /// The inputs, in order: file names, `-` for standard input.
    pub inputs: R::Strs,
    /// Kept last: the findings are written as they are found, between the brackets (see `ScanJson`).
    pub findings: Vec<ScanFindingJson<R>>,
}

/// One code found in text. A name two catalogs share gives one finding per entry.
#[derive(Debug, Serialize, Deserialize)]
#[serde(bound(serialize = "", deserialize = "R: ReadBack"))]
pub struct ScanFindingJson<R: Repr = Owned> {
    /// The input it was found in (`-` for standard input).
    pub input: R::Str,
    /// 1-based line number.
    pub line: u64,
    /// 1-based column, in characters.
    pub column: u64,
    /// The text as it appears in the input.
    pub matched: R::Str,
    pub entry: EntryJson<R>,
}

/// One entry. Every key is always present (null when there is no value).
#[derive(Debug, Serialize, Deserialize)]
#[serde(bound(serialize = "", deserialize = "R: ReadBack"))]
pub struct EntryJson<R: Repr = Owned> {
    pub catalog: R::Str,
    pub vendor: R::Str,
    pub code: R::Str,
    pub name: Option<R::Str>,
    pub aliases: R::Strs,
    pub domain: R::Str,
    pub http_status: Option<u16>,
    pub action: R::Str,
    pub message: R::Str,
    pub message_lang: R::Str,
    pub messages: R::Texts,
    pub official_langs: R::Langs,
    pub description: Option<R::Str>,
    pub hint: Option<R::Str>,
    pub source: Option<R::Str>,
    pub score: Option<f64>,
    // Added within schema version 1.
    /// "error", "success" or "status".
    pub kind: R::Str,
    /// Languages of `messages` that are errbook's translations, not the vendor's text.
    pub translated_langs: R::Langs,
    pub description_lang: Option<R::Str>,
    pub hint_lang: Option<R::Str>,
    /// Codes of related entries in the same catalog.
    pub related: R::Strs,
    /// The entry's values in the vendor's further lists (Adobe's current per-API lists).
    pub lists: R::Lists,
    /// True when the catalog has further lists and the entry is in none of them.
    pub older_list_only: bool,
    /// A further official text from the source (language to text), or null.
    pub official_note: Option<R::Texts>,
    /// Where the entry comes from: "built-in", or the path of the user catalog file that defines it.
    pub origin: R::Str,
    /// The source no longer defines the code (an earlier version did).
    #[serde(default)]
    pub retired: bool,
    /// Known only from what users have reported, not from the vendor's definition.
    #[serde(default)]
    pub observed: bool,
    /// Whether the source usually reports the error as fatal, where it says; else null.
    #[serde(default)]
    pub fatal: Option<bool>,
    /// The versions of the source the code applies to, where known; else null.
    #[serde(default)]
    pub versions: Option<R::Str>,
    /// `lookup` and `explain`: the query (as given) that found this entry first; else null.
    #[serde(default)]
    pub query: Option<R::Str>,
    /// Search results: which fields and terms of the query matched; else null.
    #[serde(default)]
    pub matched: Option<MatchedJson>,
    /// The team's note from a user catalog, in the chosen language where it has one; else null.
    #[serde(default)]
    pub note: Option<R::Str>,
    /// The action of the vendor's older list, where `action` comes from its current lists and differs.
    #[serde(default)]
    pub older_action: Option<R::Str>,
    /// The HTTP status of the vendor's older list, where `http_status` comes from the current lists and
    /// differs.
    #[serde(default)]
    pub older_http_status: Option<u16>,
}

/// Why a search found an entry: the fields the query matched in (`key`: code, name, aliases; `message`;
/// `title`: domain, vendor, product, HTTP status; `text`: description, hint) and the terms that matched
/// (as typed, the glossary word they stand for, or the word a typo was read as).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct MatchedJson {
    pub fields: Vec<String>,
    pub terms: Vec<String>,
}

/// One of the vendor's further lists an entry is in.
#[derive(Debug, Serialize, Deserialize)]
#[serde(bound(serialize = "", deserialize = "R: ReadBack"))]
pub struct ListJson<R: Repr = Owned> {
    pub list: R::Str,
    pub title: Option<R::Str>,
    pub action: R::Str,
    pub http_status: R::Statuses,
}

impl<'a> EntryJson<Borrowed<'a>> {
    /// The entry of `hit` as errbook writes it, its text in `lang`.
    pub fn new(hit: &'a Hit<'a>, lang: Lang) -> Self {
        let (c, e) = (hit.catalog, hit.entry);
        let v = view(hit, lang);
        // Languages with a message, in `Texts::iter`'s order, that are not the vendor's.
        let translated = e.message.iter().map(|(l, _)| l);
        let translated = translated.filter(|l| !e.is_official(*l)).collect();
        EntryJson {
            catalog: &c.id,
            vendor: &c.vendor,
            code: &e.code,
            name: e.name.as_deref(),
            aliases: Cow::Owned(e.aliases.iter().map(|a| a.as_ref()).collect()),
            domain: &e.domain,
            http_status: e.http_status,
            action: &e.action,
            message: v.message,
            message_lang: v.message_lang.code(),
            messages: ByCode(&e.message),
            official_langs: Cow::Borrowed(e.official()),
            description: v.description.map(|d| d.1),
            hint: v.hint.map(|d| d.1),
            source: v.source,
            score: hit.score,
            kind: e.kind.code(),
            translated_langs: Cow::Owned(translated),
            description_lang: v.description.map(|d| d.0.code()),
            hint_lang: v.hint.map(|d| d.0.code()),
            related: Cow::Owned(hit.related_codes()),
            lists: Lists {
                catalog: c,
                values: &e.lists,
                lang,
            },
            older_list_only: v.older_list_only,
            official_note: (!e.official_note.is_empty()).then_some(ByCode(&e.official_note)),
            origin: hit.origin().label(),
            retired: e.retired,
            observed: e.observed,
            fatal: e.fatal,
            versions: e.versions.as_deref(),
            query: None,
            matched: hit.matched.map(|m| MatchedJson {
                fields: m.fields.iter().map(|f| f.to_string()).collect(),
                terms: m.terms.clone(),
            }),
            note: v.note.map(|n| n.1),
            older_action: e.older_action.as_deref(),
            older_http_status: e.older_http_status,
        }
    }

    /// The entry of `hit`, with the query that found it.
    fn answering(hit: &'a Hit<'a>, lang: Lang, query: Option<&'a str>) -> Self {
        EntryJson {
            query,
            ..EntryJson::new(hit, lang)
        }
    }
}

/// For each hit of `report`, the first query that found it.
fn query_of<'a>(report: &'a Report) -> Vec<Option<&'a str>> {
    let mut of = vec![None; report.hits.len()];
    for a in report.asked {
        for &i in &a.results {
            if let Some(slot @ None) = of.get_mut(i) {
                *slot = Some(a.query.as_str());
            }
        }
    }
    of
}

/// Texts as an object from language code to text, keys in sorted order (as a `BTreeMap` writes them).
#[derive(Debug)]
pub struct ByCode<'a>(&'a Texts<'a>);

impl Serialize for ByCode<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut langs = Lang::ALL;
        langs.sort_unstable_by_key(|l| l.code());
        let texts = langs.into_iter();
        serializer.collect_map(texts.filter_map(|l| self.0.get(l).map(|t| (l.code(), t))))
    }
}

/// An entry's values in the vendor's further lists, written as [`ListJson`]s straight from the catalog.
#[derive(Debug)]
pub struct Lists<'a> {
    catalog: &'a Catalog,
    values: &'a [ListValue<'a>],
    lang: Lang,
}

impl Serialize for Lists<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let lists = self.values.iter().map(|l| ListJson::<Borrowed> {
            list: &l.id,
            title: self
                .catalog
                .list(&l.id)
                .and_then(|d| d.title.pick(self.lang, &[]).map(|t| t.1)),
            action: &l.action,
            http_status: Cow::Borrowed(&l.http_status),
        });
        serializer.collect_seq(lists)
    }
}

/// Bytes gathered before they go to `out`. serde_json writes a document as many small pieces (a quote, a
/// key, a colon, an indent); each one through `&mut dyn Write` is an indirect call, while a buffer of
/// our own takes them inline. 64 KiB keeps the buffer below malloc's mmap threshold.
const CHUNK: usize = 64 * 1024;

/// Writes `value`, pretty-printed, and a newline, through a buffer of our own.
fn write_json<T: Serialize>(value: &T, out: &mut dyn Write) -> io::Result<()> {
    let mut buf = BufWriter::with_capacity(CHUNK, out);
    super::safe::write_json(&mut buf, value, true)?;
    buf.write_all(b"\n")?;
    buf.flush()
}

/// Writes `item` on one line (JSON Lines).
fn write_line<T: Serialize>(item: &T, out: &mut (impl Write + ?Sized)) -> io::Result<()> {
    super::safe::write_json(&mut *out, item, false)?;
    out.write_all(b"\n")
}

/// Writes each item on its line, through one buffer of our own.
fn write_json_lines<T: Serialize>(
    items: impl IntoIterator<Item = T>,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut buf = BufWriter::with_capacity(CHUNK, out);
    for item in items {
        write_line(&item, &mut buf)?;
    }
    buf.flush()
}

/// `--format json` (one document) and `--format ndjson` (`lines`: one record per line).
pub(super) struct Json {
    pub(super) lines: bool,
}

impl Render for Json {
    fn entries(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        if self.lines {
            write_lines(report, out)
        } else {
            write_document_with(report, Vec::new(), Vec::new(), out)
        }
    }

    /// The document holds every entry found and the body's findings; the lines hold the command line's
    /// entries, then the body's findings.
    fn body(
        &self,
        report: &Report,
        args_hits: &[Hit],
        body: &Body,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        if !self.lines {
            return write_document_with(
                report,
                body_findings(body, report.lang),
                body_chains(body, report.lang),
                out,
            );
        }
        let args_only = Report {
            hits: args_hits,
            query: None,
            ..report.clone()
        };
        write_lines(&args_only, out)?;
        write_json_lines(body_findings(body, report.lang), out)
    }

    fn listing(
        &self,
        listing: &Listing,
        lang: Lang,
        _style: Style,
        out: &mut dyn Write,
    ) -> io::Result<usize> {
        if self.lines {
            write_listing_lines(listing, lang, out)
        } else {
            write_listing(listing, lang, out)
        }
    }

    fn catalogs(
        &self,
        catalogs: &[&Catalog],
        lang: Lang,
        _style: Style,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        write_catalogs(catalogs, lang, out, self.lines)
    }

    fn validation(&self, files: &[FileCheck], out: &mut dyn Write) -> io::Result<()> {
        write_validation(files, out, self.lines)
    }

    fn scan<'o>(&self, scan: &Scan, out: &'o mut dyn Write) -> io::Result<Box<dyn ScanSink + 'o>> {
        let doc = if self.lines {
            None
        } else {
            Some(ScanJson::start(scan.lang, scan.inputs, out)?)
        };
        Ok(Box::new(ScanRecords {
            lang: scan.lang,
            doc,
            out,
        }))
    }
}

/// A scan's findings, each written as it is found: into the [`ScanDocument`] being written, or on its
/// line.
struct ScanRecords<'o> {
    lang: Lang,
    /// The document being written (`json` only).
    doc: Option<ScanJson>,
    out: &'o mut dyn Write,
}

impl ScanSink for ScanRecords<'_> {
    fn push(&mut self, f: &Found) -> io::Result<()> {
        let record = scan_finding(f.input, f.line, f.column, f.matched, f.hit, self.lang);
        match &mut self.doc {
            Some(doc) => doc.finding(&record, self.out),
            None => write_line(&record, self.out),
        }
    }

    fn finish(self: Box<Self>) -> io::Result<()> {
        match self.doc {
            Some(doc) => doc.finish(self.out),
            None => Ok(()),
        }
    }
}

/// A report's entries as a JSON array, each written from the catalog as it comes.
struct Entries<'a> {
    hits: &'a [Hit<'a>],
    lang: Lang,
    /// The query that found each hit.
    query_of: Vec<Option<&'a str>>,
}

impl Serialize for Entries<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let lang = self.lang;
        let query = |i: usize| self.query_of.get(i).copied().flatten();
        let entries = self.hits.iter().enumerate();
        serializer.collect_seq(entries.map(|(i, hit)| EntryJson::answering(hit, lang, query(i))))
    }
}

/// A listing's entries as a JSON array, written as they are decoded.
struct ListingResults<'a> {
    listing: &'a Listing,
    lang: Lang,
    /// How many entries were written.
    written: Cell<usize>,
}

impl Serialize for ListingResults<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let lang = self.lang;
        let mut seq = serializer.serialize_seq(None)?;
        let n = self
            .listing
            .try_for_each(|hit| seq.serialize_element(&EntryJson::new(hit, lang)))?;
        self.written.set(n);
        seq.end()
    }
}

/// `list --format json`: a [`Document`], its entries written as the listing goes through them rather than
/// gathered first; the number of entries.
fn write_listing(listing: &Listing, lang: Lang, out: &mut dyn Write) -> io::Result<usize> {
    let results = ListingResults {
        listing,
        lang,
        written: Cell::new(0),
    };
    let doc = Document::<Borrowed, _> {
        schema_version: SCHEMA_VERSION,
        command: CommandName::List.as_str(),
        query: None,
        lang: lang.code(),
        results: &results,
        findings: Vec::new(),
        queries: Vec::new(),
        unmatched: Vec::new(),
        chains: Vec::new(),
    };
    write_json(&doc, out)?;
    Ok(results.written.get())
}

/// `list --format ndjson`: each entry as it comes; the number of entries.
fn write_listing_lines(listing: &Listing, lang: Lang, out: &mut dyn Write) -> io::Result<usize> {
    let mut buf = BufWriter::with_capacity(CHUNK, out);
    let n = listing.try_for_each(|hit| write_line(&EntryJson::new(hit, lang), &mut buf))?;
    buf.flush()?;
    Ok(n)
}

/// The findings of a body, one per (error object, entry).
fn body_findings(b: &Body, lang: Lang) -> Vec<BodyFindingJson<Borrowed<'_>>> {
    let mut all = Vec::new();
    let causes: Vec<usize> = b
        .chains()
        .iter()
        .filter_map(|c| b.likely_cause(c))
        .collect();
    for (i, f) in b.findings.iter().enumerate() {
        let mut add = |hit| {
            let mut j = body_finding(b, f, hit, lang);
            j.object = i;
            j.likely_cause = causes.contains(&i);
            all.push(j);
        };
        if f.hits.is_empty() {
            add(None);
        }
        for h in &f.hits {
            add(Some(h));
        }
    }
    all
}

/// The chains of a body.
fn body_chains(b: &Body, lang: Lang) -> Vec<ChainJson> {
    b.chains()
        .iter()
        .map(|c| {
            let cause = b.likely_cause(c);
            let links: Vec<LinkJson> = c
                .iter()
                .map(|&i| {
                    let f = &b.findings[i];
                    let hit = f.hits.first();
                    LinkJson {
                        object: i,
                        catalog: hit.map(|h| h.catalog.id.to_string()),
                        code: hit.map_or(f.code.clone(), |h| h.entry.code.to_string()),
                        likely_cause: cause == Some(i),
                    }
                })
                .collect();
            ChainJson {
                cause: links.iter().find(|l| l.likely_cause).cloned(),
                links,
                text: super::chain_text(b, c, lang),
            }
        })
        .collect()
}

fn body_finding<'a>(
    b: &Body,
    f: &'a Finding,
    hit: Option<&'a Hit>,
    lang: Lang,
) -> BodyFindingJson<Borrowed<'a>> {
    BodyFindingJson {
        syntax: b.syntax.as_str(),
        pointer: &f.pointer,
        shape: f.shape,
        code: &f.code,
        status: f.status.as_deref(),
        message: f.message.as_deref(),
        detail: f.detail.as_deref(),
        trace: f.trace.as_deref(),
        help_url: f.help_url.as_deref(),
        action: f.action.as_deref(),
        catalog_http_status: Cow::Owned(hit.map(body::catalog_statuses).unwrap_or_default()),
        status_differs: hit.and_then(|h| body::status_agrees(f, h)).map(|a| !a),
        entry: hit.map(|hit| EntryJson::new(hit, lang)),
        object: 0,
        carried_by: f.parent,
        likely_cause: false,
        request: f.request.as_ref().map(|r| RequestJson {
            method: r.method.clone(),
            url: r.url.clone(),
            status: r.status,
        }),
        context: f.context.iter().cloned().collect(),
        action_differs: hit.and_then(|h| body::action_agrees(f, h)).map(|a| !a),
    }
}

fn write_document_with<'a>(
    report: &'a Report,
    findings: Vec<BodyFindingJson<Borrowed<'a>>>,
    chains: Vec<ChainJson>,
    out: &mut dyn Write,
) -> io::Result<()> {
    let doc = Document::<Borrowed, _> {
        schema_version: SCHEMA_VERSION,
        command: report.command.as_str(),
        query: report.query.as_deref(),
        lang: report.lang.code(),
        results: Entries {
            hits: report.hits,
            lang: report.lang,
            query_of: query_of(report),
        },
        findings,
        queries: report
            .asked
            .iter()
            .map(|a| AskedJson {
                query: a.query.as_str(),
                read_as: a.read_as.as_deref(),
                results: a.results.clone(),
            })
            .collect(),
        unmatched: report
            .asked
            .iter()
            .filter(|a| a.results.is_empty())
            .map(|a| a.query.as_str())
            .collect(),
        chains,
    };
    write_json(&doc, out)
}

fn write_lines(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let lang = report.lang;
    let of = query_of(report);
    let entries = report.hits.iter().enumerate();
    write_json_lines(
        entries.map(|(i, hit)| EntryJson::answering(hit, lang, of.get(i).copied().flatten())),
        out,
    )
}

/// `errbook catalogs --format json`.
#[derive(Debug, Serialize, Deserialize)]
pub struct CatalogJson {
    pub id: String,
    pub vendor: String,
    pub product: String,
    pub description: Option<String>,
    pub entries: usize,
    pub official_langs: Vec<String>,
    pub sources: Vec<String>,
    pub domains: Vec<String>,
    /// Where the catalog is defined: "built-in", or the path of the first user file with its id.
    pub origin: String,
    /// User catalog files that extend it (add or override entries), in load order.
    pub extended_by: Vec<String>,
}

#[derive(Serialize)]
struct CatalogsDocument {
    schema_version: u32,
    command: &'static str,
    lang: String,
    catalogs: Vec<CatalogJson>,
}

fn langs(ls: impl IntoIterator<Item = Lang>) -> Vec<String> {
    ls.into_iter().map(|l| l.code().to_string()).collect()
}

fn catalog_json(c: &Catalog, lang: Lang) -> CatalogJson {
    CatalogJson {
        id: c.id.to_string(),
        vendor: c.vendor.to_string(),
        product: c.product.to_string(),
        description: c.description.pick(lang, &[]).map(|t| t.1.to_string()),
        entries: c.len(),
        official_langs: langs(c.official_langs.iter().copied()),
        sources: c
            .sources
            .iter()
            .filter_map(|s| s.url.as_deref().map(str::to_string))
            .collect(),
        domains: c.domains.iter().map(|d| d.id.to_string()).collect(),
        origin: c.origin.label().to_string(),
        extended_by: c.extended_by.iter().map(|p| p.to_string()).collect(),
    }
}

fn write_catalogs(
    cats: &[&Catalog],
    lang: Lang,
    out: &mut dyn Write,
    lines: bool,
) -> io::Result<()> {
    let list: Vec<CatalogJson> = cats.iter().map(|c| catalog_json(c, lang)).collect();
    if lines {
        return write_json_lines(&list, out);
    }
    let doc = CatalogsDocument {
        schema_version: SCHEMA_VERSION,
        command: "catalogs",
        lang: lang.code().to_string(),
        catalogs: list,
    };
    write_json(&doc, out)
}

/// `errbook validate --format json`: one object per file checked.
#[derive(Debug, Serialize, Deserialize)]
pub struct FileCheckJson {
    pub path: String,
    pub ok: bool,
    /// The catalog id the file declares (null when it could not be read or parsed).
    pub catalog: Option<String>,
    /// True when the file extends a catalog loaded before it (a built-in one, or an earlier file's).
    pub extends: bool,
    pub entries: Option<usize>,
    pub problems: Vec<ProblemJson>,
}

/// One problem; `line` and `column` (1-based) are null for a problem with the file as a whole.
#[derive(Debug, Serialize, Deserialize)]
pub struct ProblemJson {
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
}

#[derive(Serialize)]
struct ValidationDocument {
    schema_version: u32,
    command: &'static str,
    files: Vec<FileCheckJson>,
}

fn file_check_json(f: &FileCheck) -> FileCheckJson {
    FileCheckJson {
        path: f.path.clone(),
        ok: f.problems.is_empty(),
        catalog: f.catalog.clone(),
        extends: f.extends,
        entries: f.entries,
        problems: f
            .problems
            .iter()
            .map(|d| ProblemJson {
                line: d.at.map(|a| a.0),
                column: d.at.map(|a| a.1),
                message: d.message.clone(),
            })
            .collect(),
    }
}

fn write_validation(files: &[FileCheck], out: &mut dyn Write, lines: bool) -> io::Result<()> {
    let list: Vec<FileCheckJson> = files.iter().map(file_check_json).collect();
    if lines {
        return write_json_lines(&list, out);
    }
    let doc = ValidationDocument {
        schema_version: SCHEMA_VERSION,
        command: "validate",
        files: list,
    };
    write_json(&doc, out)
}

fn scan_finding<'a>(
    input: &'a str,
    line: u64,
    column: u64,
    matched: &'a str,
    hit: &'a Hit,
    lang: Lang,
) -> ScanFindingJson<Borrowed<'a>> {
    ScanFindingJson {
        input,
        line,
        column,
        matched,
        entry: EntryJson::new(hit, lang),
    }
}

/// `scan --format json`, written as the scan goes: a [`ScanDocument`] laid out one field per line, each
/// value on its line in compact form, except its findings, which follow one per line as they are found.
struct ScanJson {
    /// What follows the last finding: the findings' closing bracket and the rest of the document.
    close: Vec<u8>,
    /// Whether a finding was written.
    written: bool,
}

impl ScanJson {
    /// Writes the document up to its first finding.
    pub fn start(lang: Lang, inputs: &[String], out: &mut dyn Write) -> io::Result<ScanJson> {
        let doc = ScanDocument::<Borrowed> {
            schema_version: SCHEMA_VERSION,
            command: CommandName::Scan.as_str(),
            lang: lang.code(),
            inputs: inputs.iter().map(String::as_str).collect(),
            findings: Vec::new(),
        };
        let mut bytes = Vec::new();
        doc.serialize(&mut serde_json::Serializer::with_formatter(
            &mut bytes,
            super::safe::Escaping(FieldPerLine::default()),
        ))?;
        // The findings come last and, none yet, end the document as `[]`: it opens between the brackets.
        let close = bytes.len() - b"]\n}".len();
        debug_assert!(
            bytes.ends_with(b"[]\n}"),
            "{}",
            String::from_utf8_lossy(&bytes)
        );
        out.write_all(&bytes[..close])?;
        Ok(ScanJson {
            close: bytes.split_off(close),
            written: false,
        })
    }

    pub fn finding(
        &mut self,
        finding: &ScanFindingJson<Borrowed>,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        let comma = std::mem::replace(&mut self.written, true);
        out.write_all(if comma { b",\n    " } else { b"\n    " })?;
        super::safe::write_json(&mut *out, finding, false)?;
        Ok(())
    }

    pub fn finish(self, out: &mut dyn Write) -> io::Result<()> {
        if self.written {
            out.write_all(b"\n  ")?;
        }
        out.write_all(&self.close)?;
        out.write_all(b"\n")
    }
}

/// serde_json's layout for [`ScanJson`]: the top-level object one field per line (as pretty-printed), the
/// values inside it compact.
#[derive(Default)]
struct FieldPerLine {
    /// How many objects are open.
    depth: usize,
}

impl serde_json::ser::Formatter for FieldPerLine {
    fn begin_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.depth += 1;
        writer.write_all(b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.depth -= 1;
        writer.write_all(if self.depth == 0 { b"\n}" } else { b"}" })
    }

    fn begin_object_key<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        if !first {
            writer.write_all(b",")?;
        }
        if self.depth == 1 {
            writer.write_all(b"\n  ")?;
        }
        Ok(())
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        writer.write_all(if self.depth == 1 { b": " } else { b":" })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Book;

    fn to_json<T: Serialize>(value: &T, pretty: bool) -> String {
        if pretty {
            serde_json::to_string_pretty(value).unwrap()
        } else {
            serde_json::to_string(value).unwrap()
        }
    }

    /// Both forms of an entry write the same bytes: every built-in entry, in every language, written from
    /// the catalog, read back and written again, compact and pretty. (The field names are shared; this
    /// checks the values' forms, such as the order of `messages` and the language codes.)
    #[test]
    fn an_entry_reads_back_as_written() {
        let book = Book::builtin();
        let mut hits: Vec<Hit> = book.hits().collect();
        // A search result carries a score.
        hits[0].score = Some(0.1 + 0.2);
        let (mut notes, mut lists, mut translated) = (0, 0, 0);
        for lang in Lang::ALL {
            for hit in &hits {
                for pretty in [false, true] {
                    let written = to_json(&EntryJson::new(hit, lang), pretty);
                    let back: EntryJson = serde_json::from_str(&written).unwrap();
                    notes += usize::from(back.official_note.is_some());
                    lists += usize::from(!back.lists.is_empty());
                    translated += usize::from(!back.translated_langs.is_empty());
                    let context = format!("{}:{} {}", hit.catalog.id, hit.entry.code, lang.code());
                    assert_eq!(to_json(&back, pretty), written, "{context}");
                }
            }
        }
        // The built-in catalogs exercise the nested parts too.
        assert!(notes > 0 && lists > 0 && translated > 0);
    }

    /// The scan document written as it goes: its layout, and what a reader gets back, with no finding,
    /// one, and several (with names that need escaping).
    #[test]
    fn a_scan_document_streams_whole() {
        let book = Book::builtin();
        let hits: Vec<Hit> = book.hits().take(3).collect();
        let inputs = ["-".to_string(), "a \"b\"\\c.log".to_string()];
        for n in 0..=hits.len() {
            let mut out = Vec::new();
            let mut doc = ScanJson::start(Lang::Ko, &inputs, &mut out).unwrap();
            for (i, hit) in hits[..n].iter().enumerate() {
                let f = scan_finding(&inputs[i % 2], i as u64 + 1, 2, "x\ty", hit, Lang::Ko);
                doc.finding(&f, &mut out).unwrap();
            }
            doc.finish(&mut out).unwrap();
            let text = String::from_utf8(out).unwrap();
            let head = concat!(
                "{\n",
                "  \"schema_version\": 1,\n",
                "  \"command\": \"scan\",\n",
                "  \"lang\": \"ko\",\n",
                "  \"inputs\": [\"-\",\"a \\\"b\\\"\\\\c.log\"],\n",
                "  \"findings\": ["
            );
            assert!(text.starts_with(head), "{text}");
            let lines: Vec<&str> = text[head.len()..].lines().collect();
            if n == 0 {
                assert_eq!(lines, ["]", "}"]);
            } else {
                assert_eq!(lines.len(), n + 3, "{text}");
                assert_eq!(lines[0], "");
                for (i, line) in lines[1..=n].iter().enumerate() {
                    let line = line.strip_prefix("    {\"input\":").unwrap();
                    assert_eq!(line.ends_with(','), i + 1 < n, "{line}");
                }
                assert_eq!(lines[n + 1..], ["  ]", "}"]);
            }
            let back: ScanDocument = serde_json::from_str(&text).unwrap();
            assert_eq!(back.inputs, inputs);
            assert_eq!(back.findings.len(), n);
            for (f, hit) in back.findings.iter().zip(&hits) {
                assert_eq!(
                    (f.entry.code.as_str(), f.matched.as_str()),
                    (hit.entry.code.as_ref(), "x\ty")
                );
            }
        }
    }
}
