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

/// One catalog file, as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogFile<'a> {
    #[serde(borrow)]
    pub catalog: Header<'a>,
    #[serde(borrow, default)]
    pub domain: Vec<Spanned<Titled<'a>>>,
    #[serde(borrow, default)]
    pub list: Vec<Spanned<Titled<'a>>>,
    #[serde(borrow, default)]
    pub entry: Vec<Spanned<Entry<'a>>>,
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
        self.catalog.id.get_ref()
    }

    /// The file in the stored form (`store::encode`): its header and its entries.
    pub fn stored(&self) -> Vec<u8> {
        let entries: Vec<Entry> = self.entry.iter().map(|e| e.get_ref().clone()).collect();
        super::store::encode(&self.meta(), &entries)
    }

    /// The header as stored. What an extension leaves out stays empty: the catalog it extends supplies
    /// it when the two join (`user::join`).
    pub fn meta(&self) -> Meta<'a> {
        let h = &self.catalog;
        let titled = |t: &[Spanned<Titled<'a>>]| t.iter().map(|t| t.get_ref().clone()).collect();
        Meta {
            id: h.id.get_ref().clone(),
            vendor: h.vendor.clone().unwrap_or_default(),
            product: h.product.clone().unwrap_or_default(),
            official_langs: h.official_langs.clone().unwrap_or_default(),
            description: h.description.clone().unwrap_or_default(),
            sources: h.source.clone(),
            domains: titled(&self.domain),
            lists: titled(&self.list),
            bodies: h.body.clone(),
            lines: h.line.clone(),
        }
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
    pub domains: Vec<String>,
    pub lists: Vec<String>,
    /// Codes, lowercase.
    pub codes: HashSet<String>,
}

/// Parses and validates one catalog. Every problem found is returned, in file order.
pub fn parse_catalog(text: &str) -> Result<CatalogFile<'_>, Vec<Problem>> {
    parse_catalog_with(text, |_| None)
}

/// Parses and validates one catalog; `base` gives what an existing catalog with the file's id provides.
pub fn parse_catalog_with(
    text: &str,
    base: impl FnOnce(&str) -> Option<Base>,
) -> Result<CatalogFile<'_>, Vec<Problem>> {
    let file: CatalogFile = toml::from_str(text).map_err(|e| {
        let (line, column) = e.span().map_or((1, 1), |s| line_col(text, s.start));
        vec![Problem {
            line,
            column,
            message: e.message().trim().to_string(),
        }]
    })?;
    let base = base(file.catalog.id.get_ref());
    let problems = validate(&file, text, base.as_ref());
    if problems.is_empty() {
        Ok(file)
    } else {
        Err(problems)
    }
}

fn blank(s: &str) -> bool {
    s.trim().is_empty()
}

struct Checker<'a> {
    text: &'a str,
    problems: Vec<Problem>,
    /// Where each entry's `domain` and `action` values are, read when a problem needs them.
    fields: Option<Vec<FieldSpans>>,
}

/// A field whose value a problem can point at.
#[derive(Clone, Copy)]
enum Field {
    Domain,
    Action,
}

/// The places of an entry's `domain` and `action` values (a second, lenient reading of the file: the
/// model holds values, not places, and most files have no problem to place).
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

impl<'t> Checker<'t> {
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

    /// Where field `f` of entry `i` is, when the file says.
    fn field(&mut self, i: usize, f: Field) -> Option<Range<usize>> {
        let text = self.text;
        let fields = self.fields.get_or_insert_with(|| {
            toml::from_str::<EntrySpans>(text)
                .map(|s| s.entry)
                .unwrap_or_default()
        });
        let e = fields.get(i)?;
        match f {
            Field::Domain => e.domain.as_ref(),
            Field::Action => e.action.as_ref(),
        }
        .map(|v| v.span())
    }

    fn at(&mut self, span: Range<usize>, message: String) {
        let (line, column) = line_col(self.text, span.start);
        self.problems.push(Problem {
            line,
            column,
            message,
        });
    }

    fn texts(&mut self, span: &Range<usize>, what: &str, texts: &Texts) {
        for lang in Lang::ALL {
            if texts.get(lang).is_some_and(blank) {
                self.at(span.clone(), format!("{what}.{} is empty", lang.code()));
            }
        }
    }
}

/// The rules, beyond what the TOML structure already enforces. With a `base`, the header fields may be left
/// out, and entries may use the base's domains, lists and codes.
pub fn validate(file: &CatalogFile, text: &str, base: Option<&Base>) -> Vec<Problem> {
    let mut c = Checker {
        text,
        problems: Vec::new(),
        fields: None,
    };
    let h = &file.catalog;
    let hspan = h.id.span();
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
    let official_langs: &[Lang] = match (&h.official_langs, base) {
        (Some(l), _) => l,
        (None, Some(b)) => &b.official_langs,
        (None, None) => &[],
    };
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
        match regex::Regex::new(&l.pattern) {
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

    let mut inherited_domains: HashSet<&str> = HashSet::new();
    let mut inherited_lists: HashSet<&str> = HashSet::new();
    if let Some(b) = base {
        inherited_domains.extend(b.domains.iter().map(String::as_str));
        inherited_lists.extend(b.lists.iter().map(String::as_str));
    }
    let domains = c.titled("domain", &file.domain);
    let lists = c.titled("list", &file.list);

    // Codes and names, case-insensitively, for the duplicate and alias checks.
    let mut codes: HashMap<String, usize> = HashMap::new();
    let mut names: HashMap<String, usize> = HashMap::new();
    for (i, e) in file.entry.iter().enumerate() {
        let e = e.get_ref();
        codes.entry(e.code.to_lowercase()).or_insert(i);
        if let Some(n) = &e.name {
            names.entry(n.to_lowercase()).or_insert(i);
        }
    }
    let mut seen_codes = HashSet::new();
    for (i, se) in file.entry.iter().enumerate() {
        let span = se.span();
        let e = se.get_ref();
        let code = e.code.as_ref();
        let who = format!("entry {code:?}");
        if blank(code) {
            c.at(span.clone(), "entry has an empty code".into());
        } else if code.chars().any(|ch| ch.is_whitespace() || ch == ':') {
            c.at(
                span.clone(),
                format!("{who}: a code may not contain white space or ':'"),
            );
        }
        if !seen_codes.insert(code.to_lowercase()) {
            c.at(span.clone(), format!("duplicate code {code:?}"));
        }
        if e.name.as_deref().is_some_and(blank) {
            c.at(span.clone(), format!("{who}: name is empty"));
        }
        for a in &e.aliases {
            if blank(a) {
                c.at(span.clone(), format!("{who}: an alias is empty"));
                continue;
            }
            let key = a.to_lowercase();
            let clash = codes
                .get(&key)
                .or_else(|| names.get(&key))
                .filter(|&&j| j != i);
            if let Some(&j) = clash {
                c.at(
                    span.clone(),
                    format!(
                        "{who}: alias {a:?} is the code or name of entry {:?}",
                        file.entry[j].get_ref().code
                    ),
                );
            }
        }
        let domain = e.domain.as_ref();
        if !domains.contains(domain) && !inherited_domains.contains(domain) {
            let mut known: Vec<_> = domains.union(&inherited_domains).copied().collect();
            known.sort_unstable();
            let at = c.field(i, Field::Domain).unwrap_or(span.clone());
            c.at(
                at,
                format!(
                    "{who}: unknown domain {:?} (declared: {})",
                    e.domain,
                    known.join(", ")
                ),
            );
        }
        if !is_action_id(&e.action) {
            let at = c.field(i, Field::Action).unwrap_or(span.clone());
            c.at(
                at,
                format!(
                    "{who}: unknown action {:?} (known: {})",
                    e.action,
                    ACTIONS.iter().map(|a| a.id).collect::<Vec<_>>().join(", ")
                ),
            );
        }
        if let Some(s) = e.http_status {
            if !(100..=599).contains(&s) {
                c.at(
                    span.clone(),
                    format!("{who}: http_status {s} is not an HTTP status"),
                );
            }
        }
        match &e.official {
            None => c.at(
                span.clone(),
                format!(
                    "{who}: no `official` list (write official = [] when no text is the vendor's)"
                ),
            ),
            Some(official) => {
                for lang in official {
                    if e.message.get(*lang).is_none() {
                        c.at(
                            span.clone(),
                            format!("{who}: official language {} has no message", lang.code()),
                        );
                    }
                    if !official_langs.contains(lang) {
                        c.at(
                            span.clone(),
                            format!(
                                "{who}: official language {} is not one of the catalog's official_langs",
                                lang.code()
                            ),
                        );
                    }
                }
                if e.message.en.is_none() && official.is_empty() {
                    c.at(
                        span.clone(),
                        format!("{who}: no English and no official message"),
                    );
                }
            }
        }
        c.texts(&span, &format!("{who}: message"), &e.message);
        c.texts(&span, &format!("{who}: official_note"), &e.official_note);
        c.texts(&span, &format!("{who}: description"), &e.description);
        c.texts(&span, &format!("{who}: hint"), &e.hint);
        if e.versions.as_deref().is_some_and(blank) {
            c.at(span.clone(), format!("{who}: versions is empty"));
        }
        if e.source.as_deref().is_some_and(blank) {
            c.at(span.clone(), format!("{who}: source is empty"));
        }
        for r in &e.related {
            if let Some((catalog, other)) = r.split_once(':') {
                // Another catalog's code: build.rs checks that the built-in catalogs have it.
                if !is_id(catalog) || blank(other) || other.contains(':') {
                    c.at(
                        span.clone(),
                        format!("{who}: related code {r:?} is not \"catalog:code\""),
                    );
                }
            } else if r.eq_ignore_ascii_case(code) {
                c.at(span.clone(), format!("{who}: related to itself"));
            } else if !codes.contains_key(&r.to_lowercase())
                && !base.is_some_and(|b| b.codes.contains(&r.to_lowercase()))
            {
                c.at(
                    span.clone(),
                    format!("{who}: related code {r:?} is not in this catalog"),
                );
            }
        }
        if let Some(a) = e.older_action.as_deref().filter(|a| !is_action_id(a)) {
            c.at(span.clone(), format!("{who}: unknown older_action {a:?}"));
        }
        if e.older_action.is_some() || e.older_http_status.is_some() {
            if e.lists.is_empty() {
                c.at(
                    span.clone(),
                    format!("{who}: older_action and older_http_status need the current lists ([[entry.list]])"),
                );
            }
            if e.older_http_status
                .is_some_and(|s| !(100..=599).contains(&s))
            {
                c.at(
                    span.clone(),
                    format!("{who}: older_http_status must be an HTTP status"),
                );
            }
        }
        for l in &e.lists {
            if !lists.contains(l.id.as_ref()) && !inherited_lists.contains(l.id.as_ref()) {
                c.at(span.clone(), format!("{who}: unknown list {:?}", l.id));
            }
            if !is_action_id(&l.action) {
                c.at(
                    span.clone(),
                    format!("{who}: list {:?}: unknown action {:?}", l.id, l.action),
                );
            }
            if l.http_status.is_empty() || l.http_status.iter().any(|s| !(100..=599).contains(s)) {
                c.at(
                    span.clone(),
                    format!(
                        "{who}: list {:?}: http_status must hold HTTP statuses",
                        l.id
                    ),
                );
            }
        }
    }
    c.problems
}
