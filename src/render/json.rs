//! The JSON contract: field names are defined here and only here, and documented in README.md.
//! Within a schema version fields may be added, never renamed or removed.

use super::{json_writer, view, CommandName, FileCheck, Report};
use crate::body::{self, Body, Finding};
use crate::catalog::{Catalog, Hit, Lang, Listing, Texts};
use serde::ser::{SerializeSeq, SerializeStruct, Serializer};
use serde::{Deserialize, Serialize};
use std::cell::Cell;
use std::collections::BTreeMap;
use std::io::{self, BufWriter, Write};

pub const SCHEMA_VERSION: u32 = 1;

/// Bytes gathered before they go to `out`. serde_json writes a document as many small pieces (a quote, a
/// key, a colon, an indent); each one through `&mut dyn Write` is an indirect call, while a buffer of
/// our own takes them inline. 64 KiB keeps the buffer below malloc's mmap threshold.
const CHUNK: usize = 64 * 1024;

/// Writes `value`, pretty-printed, and a newline, through a buffer of our own.
fn write_json<T: Serialize>(value: &T, out: &mut dyn Write) -> io::Result<()> {
    let mut buf = BufWriter::with_capacity(CHUNK, out);
    json_writer::to_writer(&mut buf, value, true)?;
    buf.write_all(b"\n")?;
    buf.flush()
}

/// `list --format json`: a [`Document`], its entries written as the listing goes through them rather than
/// gathered first; the number of entries.
pub fn write_listing(listing: &Listing, lang: Lang, out: &mut dyn Write) -> io::Result<usize> {
    let results = ListingResults {
        listing,
        lang,
        written: Cell::new(0),
    };
    let doc: Document<EntryView, _> = Document {
        schema_version: SCHEMA_VERSION,
        command: CommandName::List.as_str().to_string(),
        query: None,
        lang: lang.code().to_string(),
        results: &results,
        findings: Vec::new(),
    };
    write_json(&doc, out)?;
    Ok(results.written.get())
}

/// `list --format ndjson`: each entry as it comes; the number of entries.
pub fn write_listing_lines(
    listing: &Listing,
    lang: Lang,
    out: &mut dyn Write,
) -> io::Result<usize> {
    let mut buf = BufWriter::with_capacity(CHUNK, out);
    let mut lines = json_writer::Lines::new(&mut buf);
    let n = listing.try_for_each(|hit| lines.line(&EntryView { hit, lang }))?;
    buf.flush()?;
    Ok(n)
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
            .try_for_each(|hit| seq.serialize_element(&EntryView { hit, lang }))?;
        self.written.set(n);
        seq.end()
    }
}

/// Writes each item as one line, through one buffer of our own.
fn write_json_lines<T: Serialize>(
    items: impl IntoIterator<Item = T>,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut buf = BufWriter::with_capacity(CHUNK, out);
    json_writer::lines_to_writer(&mut buf, items)?;
    buf.flush()
}

/// `--format json`: one document. A reader takes its entries as `EntryJson`; errbook writes them from the
/// catalog as `EntryView`.
#[derive(Debug, Serialize, Deserialize)]
pub struct Document<E = EntryJson, R = Vec<E>> {
    pub schema_version: u32,
    pub command: String,
    pub query: Option<String>,
    pub lang: String,
    /// A list of `E` (`list` writes its entries from an iterator instead of a `Vec`).
    pub results: R,
    // Added within schema version 1.
    /// The error objects of a body read from standard input (`lookup -`, `explain -`); empty otherwise.
    // `Vec::new` rather than `default`, which would ask `E: Default`.
    #[serde(default = "Vec::new")]
    pub findings: Vec<BodyFindingJson<E>>,
}

/// One error object found in a JSON or XML body, with the entry its code names (null when no catalog
/// has the code). A code two catalogs define gives one finding per entry.
#[derive(Debug, Serialize, Deserialize)]
pub struct BodyFindingJson<E = EntryJson> {
    /// "json" or "xml".
    pub syntax: String,
    /// JSON pointer of the error object ("" is the whole document; XML as its JSON equivalent).
    pub pointer: String,
    /// Which form matched: "adobe-pass", "skms", "ncp" or "generic".
    pub shape: String,
    /// The code as the body gives it.
    pub code: String,
    pub status: Option<String>,
    pub message: Option<String>,
    pub detail: Option<String>,
    pub trace: Option<String>,
    pub help_url: Option<String>,
    pub action: Option<String>,
    /// Every HTTP status the catalog gives for the entry.
    pub catalog_http_status: Vec<u16>,
    /// True when the body's status is not one the catalog gives; null when either is unknown.
    pub status_differs: Option<bool>,
    pub entry: Option<E>,
}

/// `errbook scan --format json`.
#[derive(Debug, Serialize, Deserialize)]
pub struct ScanDocument {
    pub schema_version: u32,
    pub command: String,
    pub lang: String,
    /// The inputs, in order: file names, `-` for standard input.
    pub inputs: Vec<String>,
    pub findings: Vec<ScanFindingJson>,
}

/// One code found in text. A name two catalogs share gives one finding per entry.
#[derive(Debug, Serialize, Deserialize)]
pub struct ScanFindingJson<E = EntryJson> {
    /// The input it was found in (`-` for standard input).
    pub input: String,
    /// 1-based line number.
    pub line: u64,
    /// 1-based column, in characters.
    pub column: u64,
    /// The text as it appears in the input.
    pub matched: String,
    pub entry: E,
}

/// One entry, as a reader gets it back. Every key is always present (null when there is no value).
///
/// errbook itself never builds one: it writes `EntryView`, which takes the same keys, in the same order,
/// straight from the catalog. A change here needs the same change there (a test compares the two).
#[derive(Debug, Serialize, Deserialize)]
pub struct EntryJson {
    pub catalog: String,
    pub vendor: String,
    pub code: String,
    pub name: Option<String>,
    pub aliases: Vec<String>,
    pub domain: String,
    pub http_status: Option<u16>,
    pub action: String,
    pub message: String,
    pub message_lang: String,
    pub messages: BTreeMap<String, String>,
    pub official_langs: Vec<String>,
    pub description: Option<String>,
    pub hint: Option<String>,
    pub source: Option<String>,
    pub score: Option<f64>,
    // Added within schema version 1.
    /// "error", "success" or "status".
    pub kind: String,
    /// Languages of `messages` that are errbook's translations, not the vendor's text.
    pub translated_langs: Vec<String>,
    pub description_lang: Option<String>,
    pub hint_lang: Option<String>,
    /// Codes of related entries in the same catalog.
    pub related: Vec<String>,
    /// The entry's values in the vendor's further lists (Adobe's current per-API lists).
    pub lists: Vec<ListJson>,
    /// True when the catalog has further lists and the entry is in none of them.
    pub older_list_only: bool,
    /// A further official text from the source (language to text), or null.
    pub official_note: Option<BTreeMap<String, String>>,
    /// Where the entry comes from: "built-in", or the path of the user catalog file that defines it.
    pub origin: String,
}

/// One of the vendor's further lists an entry is in: owned when read back, borrowed from the catalog when
/// written.
#[derive(Debug, Serialize, Deserialize)]
pub struct ListJson<S = String, N = Vec<u16>> {
    pub list: S,
    pub title: Option<S>,
    pub action: S,
    pub http_status: N,
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

/// One entry as errbook writes it: `EntryJson`'s keys, in its order, serialized straight from the catalog
/// so that writing hundreds of entries copies and allocates next to nothing per entry.
#[derive(Debug, Clone, Copy)]
pub struct EntryView<'a> {
    pub hit: &'a Hit<'a>,
    pub lang: Lang,
}

impl Serialize for EntryView<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (hit, lang) = (self.hit, self.lang);
        let (c, e) = (hit.catalog, hit.entry);
        let v = view(hit, lang);
        let related = hit.related_codes();
        let lists = e.lists.iter().map(|l| ListJson {
            list: l.id.as_ref(),
            title: c
                .list(&l.id)
                .and_then(|d| d.title.pick(lang, &[]).map(|t| t.1)),
            action: l.action.as_ref(),
            http_status: &l.http_status,
        });
        // Languages with a message, in `Texts::iter`'s order, that are not the vendor's.
        let translated = Lang::ALL
            .into_iter()
            .filter(|l| e.message.get(*l).is_some());
        let translated = translated.filter(|l| !e.is_official(*l)).map(Lang::code);
        let note = (!e.official_note.is_empty()).then_some(ByCode(&e.official_note));

        let mut m = serializer.serialize_struct("EntryJson", 25)?;
        m.serialize_field("catalog", &c.id)?;
        m.serialize_field("vendor", &c.vendor)?;
        m.serialize_field("code", &e.code)?;
        m.serialize_field("name", &e.name)?;
        m.serialize_field("aliases", &e.aliases)?;
        m.serialize_field("domain", &e.domain)?;
        m.serialize_field("http_status", &e.http_status)?;
        m.serialize_field("action", &e.action)?;
        m.serialize_field("message", v.message)?;
        m.serialize_field("message_lang", v.message_lang.code())?;
        m.serialize_field("messages", &ByCode(&e.message))?;
        m.serialize_field(
            "official_langs",
            &Seq(e.official().iter().map(|l| l.code())),
        )?;
        m.serialize_field("description", &v.description.map(|d| d.1))?;
        m.serialize_field("hint", &v.hint.map(|d| d.1))?;
        m.serialize_field("source", &v.source)?;
        m.serialize_field("score", &hit.score)?;
        m.serialize_field("kind", e.kind.code())?;
        m.serialize_field("translated_langs", &Seq(translated))?;
        m.serialize_field("description_lang", &v.description.map(|d| d.0.code()))?;
        m.serialize_field("hint_lang", &v.hint.map(|d| d.0.code()))?;
        m.serialize_field("related", &Seq(related.iter()))?;
        m.serialize_field("lists", &Seq(lists))?;
        m.serialize_field("older_list_only", &v.older_list_only)?;
        m.serialize_field("official_note", &note)?;
        m.serialize_field("origin", hit.origin().label())?;
        m.end()
    }
}

/// A sequence serialized from an iterator, without collecting it first.
struct Seq<I>(I);

impl<I: Iterator + Clone> Serialize for Seq<I>
where
    I::Item: Serialize,
{
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.clone())
    }
}

/// Texts as an object from language code to text, keys in sorted order (as a `BTreeMap` writes them).
struct ByCode<'t>(&'t Texts<'t>);

impl Serialize for ByCode<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut langs = Lang::ALL;
        langs.sort_unstable_by_key(|l| l.code());
        let texts = langs.into_iter();
        serializer.collect_map(texts.filter_map(|l| self.0.get(l).map(|t| (l.code(), t))))
    }
}

pub fn write_document(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    write_document_with(report, Vec::new(), out)
}

/// The findings of a body, one per (error object, entry).
pub fn body_findings(b: &Body, lang: Lang) -> Vec<BodyFindingJson<EntryView<'_>>> {
    let mut all = Vec::new();
    for f in &b.findings {
        if f.hits.is_empty() {
            all.push(body_finding(b, f, None, lang));
        }
        for h in &f.hits {
            all.push(body_finding(b, f, Some(h), lang));
        }
    }
    all
}

fn body_finding<'a>(
    b: &Body,
    f: &Finding,
    hit: Option<&'a Hit>,
    lang: Lang,
) -> BodyFindingJson<EntryView<'a>> {
    BodyFindingJson {
        syntax: b.syntax.as_str().to_string(),
        pointer: f.pointer.clone(),
        shape: f.shape.as_str().to_string(),
        code: f.code.clone(),
        status: f.status.clone(),
        message: f.message.clone(),
        detail: f.detail.clone(),
        trace: f.trace.clone(),
        help_url: f.help_url.clone(),
        action: f.action.clone(),
        catalog_http_status: hit.map(body::catalog_statuses).unwrap_or_default(),
        status_differs: hit.and_then(|h| body::status_agrees(f, h)).map(|a| !a),
        entry: hit.map(|hit| EntryView { hit, lang }),
    }
}

pub fn write_body_lines(b: &Body, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    write_json_lines(body_findings(b, lang), out)
}

pub fn write_document_with(
    report: &Report,
    findings: Vec<BodyFindingJson<EntryView>>,
    out: &mut dyn Write,
) -> io::Result<()> {
    let doc = Document {
        findings,
        schema_version: SCHEMA_VERSION,
        command: report.command.as_str().to_string(),
        query: report.query.clone(),
        lang: report.lang.code().to_string(),
        results: entries(report).collect::<Vec<_>>(),
    };
    write_json(&doc, out)
}

pub fn write_lines(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    write_json_lines(entries(report), out)
}

fn entries<'a>(report: &'a Report) -> impl Iterator<Item = EntryView<'a>> {
    let lang = report.lang;
    report.hits.iter().map(move |hit| EntryView { hit, lang })
}

pub fn catalog_json(c: &Catalog, lang: Lang) -> CatalogJson {
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

pub fn write_catalogs(
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

pub fn write_validation(files: &[FileCheck], out: &mut dyn Write, lines: bool) -> io::Result<()> {
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
pub fn scan_finding<'a>(
    input: &str,
    line: u64,
    column: u64,
    matched: &str,
    hit: &'a Hit,
    lang: Lang,
) -> ScanFindingJson<EntryView<'a>> {
    ScanFindingJson {
        input: input.to_string(),
        line,
        column,
        matched: matched.to_string(),
        entry: EntryView { hit, lang },
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

    /// `EntryView` writes exactly `EntryJson`'s schema: every built-in entry, in every language, read
    /// back as an `EntryJson` and written again gives the same bytes, compact and pretty. A key missing,
    /// added, renamed or out of order on either side makes them differ.
    #[test]
    fn entry_view_writes_what_entry_json_reads() {
        let book = Book::builtin();
        let mut hits: Vec<Hit> = book.hits().collect();
        // A search result carries a score.
        hits[0].score = Some(0.8125);
        let (mut notes, mut lists) = (0, 0);
        for lang in Lang::ALL {
            for hit in &hits {
                for pretty in [false, true] {
                    let written = to_json(&EntryView { hit, lang }, pretty);
                    let back: EntryJson = serde_json::from_str(&written).unwrap();
                    notes += usize::from(back.official_note.is_some());
                    lists += usize::from(!back.lists.is_empty());
                    let context = format!("{}:{} {}", hit.catalog.id, hit.entry.code, lang.code());
                    assert_eq!(to_json(&back, pretty), written, "{context}");
                }
            }
        }
        // The built-in catalogs exercise the nested parts too.
        assert!(notes > 0 && lists > 0);
    }
}
