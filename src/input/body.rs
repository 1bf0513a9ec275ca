//! Error bodies: a JSON or XML response body pasted on standard input, decoded into the codes it carries.
//!
//! An object is an error object when a catalog's body shape claims it (see `catalog::BodyShape`: the
//! code under one of the shape's keys, its companions beside it), or, for no shape, when it has an
//! `errorCode` or `code` key (keys compare without case, `_` and `-`) with a text or whole-number value
//! and a message-like field sits beside it (`message`, `detail`, `status`, `action`, `trace`,
//! `helpUrl`), or it sits under an `error`/`errors` key, or is the document itself. Which vendor's
//! object it is comes from the catalogs, not from this file: an object no shape claims is `generic`.
//! Decoding finds codes and never looks them up: the command that reads the body does, in the catalogs
//! of the matching shapes first ([`Finding::prefer`]), then in all.
//!
//! Errors carry errors: an error object inside another (Shaka's `data[0]`), a response body kept as a
//! string inside a player's error (parsed when it is JSON or XML), a code under a shape's `inner` key
//! (`msExtendedCode`). Each finding knows the one that carries it ([`Finding::parent`]), so a body reads
//! as chains, outermost first ([`Body::chains`]). The XML form (`<error><code>…</code>…</error>`) is read
//! by quick-xml into the same tree.

use crate::catalog::{BodyShape, Book, CodeValue, Hit, LineShape};
use serde_json::{Map, Value};

/// How the body was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    Json,
    Xml,
    /// A player's log lines or error descriptions (`catalog::LineShape`), with any JSON inside them.
    Text,
    /// A HAR file's failed requests.
    Har,
    /// `curl -i` or `curl -v` output: a status line, headers and a body.
    Http,
}

impl Syntax {
    pub fn as_str(self) -> &'static str {
        match self {
            Syntax::Json => "json",
            Syntax::Xml => "xml",
            Syntax::Text => "text",
            Syntax::Har => "har",
            Syntax::Http => "http",
        }
    }
}

/// The body and line shapes of the catalogs of a run, in catalog order, with their keys normalised once.
#[derive(Debug, Clone, Default)]
pub struct Shapes {
    shapes: Vec<Shape>,
    /// The line shapes of the catalogs (compiled only when text is decoded, and only when their literal
    /// is in the text).
    pub(crate) lines: Vec<Line>,
}

/// A catalog's line shape: its catalog, shape name, pattern and literal.
#[derive(Debug, Clone)]
pub(crate) struct Line {
    pub catalog: &'static str,
    pub shape: &'static str,
    pub pattern: &'static str,
    pub literal: Option<&'static str>,
}

/// A catalog's body shape ([`BodyShape`]) with its keys normalised once, not for every object of a body.
#[derive(Debug, Clone)]
struct Shape {
    catalog: &'static str,
    name: &'static str,
    code: Vec<String>,
    value: CodeValue,
    with: Vec<String>,
    under: Vec<String>,
    url: Vec<Vec<String>>,
    http_status: Vec<Vec<String>>,
    inner: Vec<String>,
    context: Vec<&'static str>,
    only: bool,
}

impl Shapes {
    pub fn of(book: &Book) -> Shapes {
        let keys = |ks: &[crate::catalog::model::Str]| ks.iter().map(|k| norm(k)).collect();
        let paths = |ks: &[crate::catalog::model::Str]| {
            ks.iter()
                .map(|k| k.split('/').map(norm).collect())
                .collect()
        };
        let shapes: Vec<Shape> = book
            .catalogs
            .iter()
            .flat_map(|&c| {
                c.bodies
                    .iter()
                    .map(move |b: &'static BodyShape<'static>| Shape {
                        catalog: c.id(),
                        name: &b.shape,
                        code: keys(&b.code),
                        value: b.value,
                        with: keys(&b.with),
                        under: keys(&b.under),
                        url: paths(&b.url),
                        http_status: paths(&b.http_status),
                        inner: keys(&b.inner),
                        context: b.context.iter().map(|k| k.as_ref()).collect(),
                        only: b.only,
                    })
            })
            .collect();
        let lines = book
            .catalogs
            .iter()
            .flat_map(|&c| {
                c.lines
                    .iter()
                    .map(move |l: &'static LineShape<'static>| Line {
                        catalog: c.id(),
                        shape: l.shape.as_ref(),
                        pattern: l.pattern.as_ref(),
                        literal: l.literal.as_deref(),
                    })
            })
            .collect();
        Shapes { shapes, lines }
    }
}

/// What an object that no catalog's shape claims is reported as.
pub const GENERIC: &str = "generic";

/// The request an error answered, as far as the input says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Request {
    pub method: Option<String>,
    pub url: Option<String>,
    pub status: Option<u16>,
}

impl Request {
    fn is_empty(&self) -> bool {
        self.method.is_none() && self.url.is_none() && self.status.is_none()
    }

    /// `HTTP 403 from POST https://…`, or as much of it as is known.
    pub fn describe(&self) -> String {
        let mut s = String::new();
        if let Some(st) = self.status {
            s.push_str(&format!("HTTP {st}"));
        }
        if self.url.is_some() || self.method.is_some() {
            if !s.is_empty() {
                s.push_str(" from ");
            }
            let parts: Vec<&str> = self
                .method
                .iter()
                .chain(self.url.iter())
                .map(String::as_str)
                .collect();
            s.push_str(&parts.join(" "));
        }
        s
    }
}

/// One error object found in a body.
#[derive(Debug, Clone)]
pub struct Finding {
    /// Where it was: a JSON pointer (`/decisions/1/error`; the empty string is the whole document; a
    /// body inside a string continues the pointer of the string). For text, `line N`.
    pub pointer: String,
    /// The shape that matched (`catalog::BodyShape::shape`), or [`GENERIC`].
    pub shape: &'static str,
    /// The catalogs whose shapes matched, the most specific first: the code is looked up there first.
    pub prefer: Vec<&'static str>,
    /// The code is looked up only in `prefer` (a shape that says `only`).
    pub only: bool,
    /// The code as the body gives it (numbers without quotes).
    pub code: String,
    pub status: Option<String>,
    pub message: Option<String>,
    pub detail: Option<String>,
    pub trace: Option<String>,
    pub help_url: Option<String>,
    pub action: Option<String>,
    /// The finding (an index into [`Body::findings`]) whose error carries this one.
    pub parent: Option<usize>,
    /// The request the error answered (from a shape's `url`/`http_status`, a HAR entry, curl output).
    pub request: Option<Request>,
    /// Fields shown beside the code (a shape's `context`), as (key, value).
    pub context: Vec<(String, String)>,
    /// The entries the code names, once the command has looked it up ([`Finding::resolve`]); empty when
    /// no catalog has it.
    pub hits: Vec<Hit<'static>>,
}

impl Finding {
    /// A finding of `code` with nothing else known yet.
    pub fn new(pointer: String, shape: &'static str, code: String) -> Finding {
        Finding {
            pointer,
            shape,
            prefer: Vec::new(),
            only: false,
            code,
            status: None,
            message: None,
            detail: None,
            trace: None,
            help_url: None,
            action: None,
            parent: None,
            request: None,
            context: Vec::new(),
            hits: Vec::new(),
        }
    }
}

/// A decoded body.
#[derive(Debug, Clone)]
pub struct Body {
    pub syntax: Syntax,
    pub findings: Vec<Finding>,
    /// Lines for standard error about what the input held besides its findings (a HAR's failed
    /// requests whose body holds no error object).
    pub notes: Vec<String>,
}

impl Body {
    /// Every chain of error objects, outermost first: from each finding that carries another down to a
    /// finding that carries none (indices into `findings`). A finding alone is no chain.
    pub fn chains(&self) -> Vec<Vec<usize>> {
        let n = self.findings.len();
        let mut carries = vec![false; n];
        for f in &self.findings {
            if let Some(p) = f.parent.filter(|p| *p < n) {
                carries[p] = true;
            }
        }
        let mut chains = Vec::new();
        for leaf in (0..n).filter(|i| !carries[*i]) {
            let mut chain = vec![leaf];
            let mut at = leaf;
            while let Some(p) = self.findings[at].parent.filter(|p| *p < at) {
                chain.push(p);
                at = p;
            }
            if chain.len() > 1 {
                chain.reverse();
                chains.push(chain);
            }
        }
        chains
    }

    /// The likely cause of a chain: its innermost finding that names an entry.
    pub fn likely_cause(&self, chain: &[usize]) -> Option<usize> {
        chain
            .iter()
            .rev()
            .copied()
            .find(|i| !self.findings[*i].hits.is_empty())
    }

    /// Appends `more`, their carriers shifted to their new places; those that had none get `parent`.
    pub fn extend(&mut self, more: Vec<Finding>, parent: Option<usize>) {
        let base = self.findings.len();
        for mut f in more {
            f.parent = match f.parent {
                Some(p) => Some(p + base),
                None => parent,
            };
            self.findings.push(f);
        }
    }
}

/// Longest field value kept from a body (longer ones are cut, with an ellipsis).
const MAX_FIELD: usize = 4000;

/// Deepest XML nesting read; JSON is limited by serde_json's own limit.
const MAX_XML_DEPTH: usize = 64;

/// How many bodies inside strings inside bodies are opened, one in another.
const MAX_EMBEDDED: usize = 4;

/// Normalised key: lowercase, without `_` and `-`.
fn norm(key: &str) -> String {
    key.chars()
        .filter(|c| *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

fn escape_pointer(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// A field's value as text: strings as they are, numbers and booleans written out, objects and arrays as
/// compact JSON; empty strings and nulls count as absent.
fn text(v: &Value) -> Option<String> {
    let s = match v {
        Value::Null => return None,
        Value::String(s) => s.clone(),
        Value::Number(_) | Value::Bool(_) => v.to_string(),
        Value::Array(_) | Value::Object(_) => v.to_string(),
    };
    if s.trim().is_empty() {
        return None;
    }
    Some(cut(s))
}

/// `s`, cut to [`MAX_FIELD`] bytes with an ellipsis when longer.
pub(crate) fn cut(s: String) -> String {
    if s.len() > MAX_FIELD {
        let mut at = MAX_FIELD;
        while !s.is_char_boundary(at) {
            at -= 1;
        }
        return format!("{}…", &s[..at]);
    }
    s
}

fn field<'v>(o: &'v Map<String, Value>, names: &[&str]) -> Option<&'v Value> {
    names
        .iter()
        .find_map(|n| o.iter().find(|(k, _)| norm(k) == *n).map(|(_, v)| v))
}

/// The value at `path` (normalised keys and array indices) below the object `o`.
fn at_path<'v>(o: &'v Map<String, Value>, path: &[String]) -> Option<&'v Value> {
    let (first, rest) = path.split_first()?;
    rest.iter().try_fold(field(o, &[first])?, |v, seg| match v {
        Value::Object(o) => field(o, &[seg]),
        Value::Array(a) => a.get(seg.parse::<usize>().ok()?),
        _ => None,
    })
}

fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// A code as an object holds it: text, or a whole number (negative ones too: Apple's, Media3's).
fn code_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.trim().is_empty() && s.len() <= 200 => Some(s.trim().to_string()),
        Value::Number(n) if n.is_u64() || n.is_i64() => Some(n.to_string()),
        _ => None,
    }
}

/// Every error object in a JSON document.
pub fn decode_json(doc: &Value, shapes: &Shapes) -> Vec<Finding> {
    let mut w = Walk {
        shapes,
        out: Vec::new(),
        embedded: 0,
    };
    w.walk(doc, "", None, None, None, true);
    w.out
}

struct Walk<'s> {
    shapes: &'s Shapes,
    out: Vec<Finding>,
    embedded: usize,
}

impl Walk<'_> {
    /// Walks `v` at `pointer`; `key` is the key it sits under, `holder` the object that holds it,
    /// `carrier` the finding it is inside, `root` whether it is a document of its own.
    fn walk(
        &mut self,
        v: &Value,
        pointer: &str,
        key: Option<&str>,
        holder: Option<&Map<String, Value>>,
        carrier: Option<usize>,
        root: bool,
    ) {
        match v {
            Value::Object(o) => {
                let mut carrier = carrier;
                if let Some((mut f, inner)) = recognise(o, pointer, key, holder, root, self.shapes)
                {
                    f.parent = carrier;
                    let at = self.out.len();
                    self.out.push(f);
                    carrier = Some(at);
                    for (k, code) in inner {
                        let mut g = Finding::new(
                            format!("{pointer}/{}", escape_pointer(&k)),
                            GENERIC,
                            code,
                        );
                        g.parent = Some(at);
                        self.out.push(g);
                    }
                }
                for (k, child) in o {
                    let p = format!("{pointer}/{}", escape_pointer(k));
                    self.walk(child, &p, Some(k), Some(o), carrier, false);
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    // Items of `errors: [...]` sit under the array's key.
                    self.walk(
                        child,
                        &format!("{pointer}/{i}"),
                        key,
                        holder,
                        carrier,
                        false,
                    );
                }
            }
            Value::String(s) if self.embedded < MAX_EMBEDDED => {
                // A response body kept as text inside an error (Shaka's data[2], hls.js's
                // response.text, a HAR's content): opened when it is JSON or XML.
                let t = s.trim_start();
                let doc = if t.starts_with(['{', '[']) {
                    serde_json::from_str::<Value>(t).ok()
                } else if t.starts_with('<') {
                    xml_value(t)
                } else {
                    None
                };
                if let Some(doc) = doc {
                    self.embedded += 1;
                    self.walk(&doc, pointer, None, None, carrier, true);
                    self.embedded -= 1;
                }
            }
            _ => {}
        }
    }
}

/// Whether `o` is an error object; if so its finding and the codes of the errors it carries under a
/// shape's `inner` keys (key, code).
fn recognise(
    o: &Map<String, Value>,
    pointer: &str,
    key: Option<&str>,
    holder: Option<&Map<String, Value>>,
    root: bool,
    shapes: &Shapes,
) -> Option<(Finding, Vec<(String, String)>)> {
    let parent = key.map(norm);
    // The catalogs' shapes that claim the object, each with the code under its own key: those that ask
    // for a parent key first (they say more), then in catalog order.
    let mut claims: Vec<(&Shape, &str, String)> = shapes
        .shapes
        .iter()
        .filter_map(|s| {
            let (k, v) = s
                .code
                .iter()
                .find_map(|k| field(o, &[k]).map(|v| (k.as_str(), v)))?;
            let code = code_text(v)?;
            claims(s, o, &code, parent.as_deref()).then_some((s, k, code))
        })
        .collect();
    claims.sort_by_key(|(s, _, _)| s.under.is_empty());
    let message = field(o, &["message", "errormessage", "msg"]);
    let detail = field(o, &["details", "detail"]);
    let status = field(o, &["status"]);
    let action = field(o, &["action"]);
    let trace = field(o, &["trace"]);
    let help_url = field(o, &["helpurl"]);
    let (code_key, code) = match claims.first() {
        Some((_, k, c)) => (k.to_string(), c.clone()),
        None => {
            let (k, v) = ["errorcode", "code"]
                .iter()
                .find_map(|k| field(o, &[k]).map(|v| (*k, v)))?;
            let code = code_text(v)?;
            let companions = [message, detail, status, action, trace, help_url]
                .iter()
                .any(Option::is_some);
            let under_error = parent
                .as_deref()
                .is_some_and(|k| matches!(k, "error" | "errors"));
            if !(companions || under_error || root) {
                return None;
            }
            (k.to_string(), code)
        }
    };
    let mut prefer: Vec<&'static str> = Vec::new();
    for (s, _, c) in &claims {
        if *c == code && !prefer.contains(&s.catalog) {
            prefer.push(s.catalog);
        }
    }
    let chosen: Vec<&Shape> = claims
        .iter()
        .filter(|(_, _, c)| *c == code)
        .map(|(s, _, _)| *s)
        .collect();
    let mut request = Request::default();
    for s in &chosen {
        if request.url.is_none() {
            request.url = s.url.iter().find_map(|p| {
                at_path(o, p)
                    .and_then(Value::as_str)
                    .filter(|u| u.contains("://") && u.len() <= 2000)
                    .map(str::to_string)
            });
        }
        if request.status.is_none() {
            request.status = s.http_status.iter().find_map(|p| {
                at_path(o, p)
                    .and_then(|v| match v {
                        Value::Number(n) => n.as_u64(),
                        Value::String(s) => s.trim().parse().ok(),
                        _ => None,
                    })
                    .filter(|n| (100..=599).contains(n))
                    .map(|n| n as u16)
            });
        }
    }
    let mut context = Vec::new();
    for s in &chosen {
        for k in &s.context {
            let nk = norm(k);
            let v = field(o, &[&nk]).or_else(|| holder.and_then(|h| field(h, &[&nk])));
            if let Some(v) = v.and_then(text) {
                if !context.iter().any(|(c, _): &(String, String)| c == k) {
                    context.push((k.to_string(), v));
                }
            }
        }
    }
    let mut inner = Vec::new();
    for s in &chosen {
        for k in &s.inner {
            if let Some(c) = field(o, &[k]).and_then(code_text) {
                if c != "0"
                    && !inner
                        .iter()
                        .any(|(ik, _): &(String, String)| norm(ik) == *k)
                {
                    let key = o
                        .keys()
                        .find(|ok| norm(ok) == *k)
                        .cloned()
                        .unwrap_or_default();
                    inner.push((key, c));
                }
            }
        }
    }
    let mut f = Finding::new(
        pointer.to_string(),
        chosen.first().map_or(GENERIC, |s| s.name),
        code,
    );
    f.prefer = prefer;
    f.only = !chosen.is_empty() && chosen.iter().all(|s| s.only);
    f.status = status.and_then(text);
    f.message = message.and_then(text);
    f.detail = detail
        .filter(|_| !code_key.starts_with("detail"))
        .and_then(text);
    f.trace = trace.and_then(text);
    f.help_url = help_url.and_then(text);
    f.action = action.and_then(text);
    f.request = (!request.is_empty()).then_some(request);
    f.context = context;
    Some((f, inner))
}

/// Whether `shape` claims the object `o`, whose code under the shape's key is `code`, and which is the
/// value of `parent` (keys normalised).
fn claims(shape: &Shape, o: &Map<String, Value>, code: &str, parent: Option<&str>) -> bool {
    let value = match shape.value {
        CodeValue::Any => true,
        CodeValue::Number => is_digits(code.strip_prefix('-').unwrap_or(code)),
        CodeValue::Text => !is_digits(code.strip_prefix('-').unwrap_or(code)),
    };
    let with = shape.with.is_empty() || shape.with.iter().any(|w| field(o, &[w]).is_some());
    let under =
        shape.under.is_empty() || parent.is_some_and(|p| shape.under.iter().any(|u| u == p));
    value && with && under
}

/// The entries whose code, name or alias is `code` (or, when none is, one of its other number forms:
/// `-2147205120` as `0x8004c600`): those of the preferred catalogs (in that order) when any has it,
/// else every catalog's.
pub fn resolve(book: &Book, code: &str, prefer: &[&str]) -> Vec<Hit<'static>> {
    let lower = code.to_lowercase();
    let mut all = book.find_key(&lower, None);
    if all.is_empty() {
        for form in crate::query::number_forms(&lower) {
            all = book.find_key(&form, None);
            if !all.is_empty() {
                break;
            }
        }
    }
    let mut preferred = Vec::new();
    for id in prefer {
        preferred.extend(all.iter().filter(|h| h.catalog.id == *id).copied());
    }
    if preferred.is_empty() {
        all
    } else {
        preferred
    }
}

impl Finding {
    /// Looks the code up (see [`resolve`]) and keeps what it names.
    pub fn resolve(&mut self, book: &Book) {
        self.hits = resolve(book, &self.code, &self.prefer);
        if self.only {
            self.hits
                .retain(|h| self.prefer.contains(&h.catalog.id.as_ref()));
        }
    }

    /// The body's status as an HTTP status number, when it is one; else the status of the response
    /// that carried the body (a HAR entry's, curl's), when known.
    pub fn status_number(&self) -> Option<u16> {
        match self.status.as_deref() {
            Some(s) => s.trim().parse().ok().filter(|s| (100..=599).contains(s)),
            None => self.request.as_ref().and_then(|r| r.status),
        }
    }

    /// The status [`Finding::status_number`] compares, as written.
    pub fn status_text(&self) -> String {
        match &self.status {
            Some(s) => s.clone(),
            None => self
                .status_number()
                .map_or(String::new(), |n| n.to_string()),
        }
    }
}

/// Every HTTP status the catalog gives for the entry (its own, then those of the vendor's further lists).
pub fn catalog_statuses(hit: &Hit) -> Vec<u16> {
    let mut all: Vec<u16> = hit.entry.http_status.into_iter().collect();
    for l in &hit.entry.lists {
        for &s in &l.http_status {
            if !all.contains(&s) {
                all.push(s);
            }
        }
    }
    all
}

/// Every action the catalog gives for the entry (its own, then those of the vendor's further lists).
pub fn catalog_actions<'h>(hit: &Hit<'h>) -> Vec<&'h str> {
    let mut all: Vec<&str> = vec![hit.entry.action.as_ref()];
    for l in &hit.entry.lists {
        if !all.contains(&l.action.as_ref()) {
            all.push(l.action.as_ref());
        }
    }
    all
}

/// Whether the body's `action` is one the catalog gives for the entry (case and `-`/`_` aside); None
/// when the body states none.
pub fn action_agrees(f: &Finding, hit: &Hit) -> Option<bool> {
    let body = norm(f.action.as_deref()?.trim());
    Some(catalog_actions(hit).iter().any(|a| norm(a) == body))
}

/// Whether the body's status is one the catalog gives for the entry; None when either is unknown.
pub fn status_agrees(f: &Finding, hit: &Hit) -> Option<bool> {
    let body = f.status_number()?;
    let known = catalog_statuses(hit);
    (!known.is_empty()).then(|| known.contains(&body))
}

// ---------------------------------------------------------------- XML

/// One XML element: its name, its text and its child elements.
#[derive(Debug, Default)]
struct Element {
    name: String,
    text: String,
    children: Vec<Element>,
}

/// Decodes the XML error form. None when the text is not well-formed XML (as far as this reader checks).
pub fn decode_xml(text: &str, shapes: &Shapes) -> Option<Vec<Finding>> {
    Some(decode_json(&xml_value(text)?, shapes))
}

/// An XML document as the JSON value errbook decodes (its root element under its name).
fn xml_value(text: &str) -> Option<Value> {
    let root = parse_xml(text)?;
    let mut doc = Map::new();
    doc.insert(root.name.clone(), element_value(&root));
    Some(Value::Object(doc))
}

/// An element as JSON: text when it has no children, else an object of its children (repeated names
/// become arrays).
fn element_value(e: &Element) -> Value {
    if e.children.is_empty() {
        return Value::String(e.text.trim().to_string());
    }
    let mut m = Map::new();
    for c in &e.children {
        let v = element_value(c);
        match m.get_mut(&c.name) {
            Some(Value::Array(a)) => a.push(v),
            Some(prev) => {
                let first = prev.take();
                *prev = Value::Array(vec![first, v]);
            }
            None => {
                m.insert(c.name.clone(), v);
            }
        }
    }
    Value::Object(m)
}

/// Reads one XML document into an element tree with quick-xml: elements, their text (entity and
/// character references resolved; an unknown entity is kept as written) and CDATA; declarations,
/// comments, processing instructions and attributes are skipped. None when the text is not
/// well-formed, has more than one root or text outside it, or nests deeper than [`MAX_XML_DEPTH`].
fn parse_xml(s: &str) -> Option<Element> {
    use quick_xml::events::Event;
    let s = s.strip_prefix('\u{feff}').unwrap_or(s);
    let mut reader = quick_xml::Reader::from_str(s);
    let mut open: Vec<Element> = Vec::new();
    let mut root = None;
    let name = |e: &quick_xml::events::BytesStart| {
        std::str::from_utf8(e.name().as_ref())
            .ok()
            .map(str::to_string)
    };
    loop {
        let event = reader.read_event().ok()?;
        match event {
            Event::Start(e) => {
                if root.is_some() || open.len() > MAX_XML_DEPTH {
                    return None;
                }
                open.push(Element {
                    name: name(&e)?,
                    ..Element::default()
                });
            }
            Event::Empty(e) => {
                let el = Element {
                    name: name(&e)?,
                    ..Element::default()
                };
                if root.is_some() || open.len() > MAX_XML_DEPTH {
                    return None;
                }
                match open.last_mut() {
                    Some(parent) => parent.children.push(el),
                    None => root = Some(el),
                }
            }
            Event::End(_) => {
                let el = open.pop()?;
                match open.last_mut() {
                    Some(parent) => parent.children.push(el),
                    None => root = Some(el),
                }
            }
            Event::Text(t) => {
                let t = t.decode().ok()?;
                match open.last_mut() {
                    Some(el) => el.text.push_str(&t),
                    None if t.trim().is_empty() => {}
                    None => return None,
                }
            }
            Event::CData(t) => {
                let t = t.decode().ok()?;
                open.last_mut()?.text.push_str(&t);
            }
            Event::GeneralRef(r) => {
                let el = open.last_mut()?;
                if let Some(c) = r.resolve_char_ref().ok()? {
                    el.text.push(c);
                } else {
                    let entity = r.decode().ok()?;
                    match quick_xml::escape::resolve_predefined_entity(&entity) {
                        Some(v) => el.text.push_str(v),
                        None => {
                            el.text.push('&');
                            el.text.push_str(&entity);
                            el.text.push(';');
                        }
                    }
                }
            }
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) | Event::DocType(_) => {}
            Event::Eof => break,
        }
    }
    if open.is_empty() {
        root
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn book() -> Book {
        Book::builtin()
    }

    /// The findings of a document, each looked up as the lookup command does.
    fn decoded(doc: &Value) -> Vec<Finding> {
        let book = book();
        let mut f = decode_json(doc, &Shapes::of(&book));
        f.iter_mut().for_each(|f| f.resolve(&book));
        f
    }

    fn summary(fs: &[Finding]) -> Vec<(String, String, Vec<String>)> {
        fs.iter()
            .map(|f| {
                (
                    f.pointer.clone(),
                    f.code.clone(),
                    f.hits.iter().map(|h| h.catalog.id.to_string()).collect(),
                )
            })
            .collect()
    }

    #[test]
    fn resolve_finds_every_key_in_any_case() {
        let book = book();
        for c in crate::catalog::builtin() {
            for e in c.all() {
                for key in e.keys() {
                    for asked in [key.to_ascii_uppercase(), key.to_ascii_lowercase()] {
                        let hits = resolve(&book, &asked, &[]);
                        assert!(
                            hits.iter()
                                .any(|h| h.catalog.id == c.id && h.entry.code == e.code),
                            "{asked} does not find {}:{}",
                            c.id,
                            e.code
                        );
                        // Every hit really has the key (case aside).
                        for h in &hits {
                            assert!(h.entry.keys().any(|k| k.eq_ignore_ascii_case(&asked)));
                        }
                    }
                }
            }
        }
        // The preferred catalogs narrow the hits only when one of them has the code.
        let all = resolve(&book, "7011", &[]);
        assert!(all.iter().any(|h| h.catalog.id == "pallycon"));
        let preferred = resolve(&book, "7011", &["pallycon"]);
        assert!(!preferred.is_empty() && preferred.iter().all(|h| h.catalog.id == "pallycon"));
        assert_eq!(
            resolve(&book, "7011", &["no-such-catalog"]).len(),
            all.len()
        );
    }

    #[test]
    fn adobe_top_level_and_item_level() {
        let top = json!({"action": "retry", "status": 403, "code": "network_connection_failure",
                         "message": "m", "details": "", "helpUrl": "", "trace": "t-1"});
        let f = decoded(&top);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].shape, "adobe-pass");
        assert_eq!(f[0].pointer, "");
        assert_eq!(f[0].trace.as_deref(), Some("t-1"));
        assert_eq!(f[0].detail, None, "an empty string is absent");
        let items = json!({"decisions": [
            {"resource": "a", "authorized": true},
            {"resource": "b", "authorized": false, "error": {"status": 403, "code": "network_connection_timeout", "action": "retry"}},
            {"resource": "c", "authorized": false, "error": {"status": 500, "code": "internal_server_error", "action": "retry"}}
        ]});
        let s = summary(&decoded(&items));
        assert_eq!(
            s,
            [
                (
                    "/decisions/1/error".into(),
                    "network_connection_timeout".into(),
                    vec!["adobe-pass".into()]
                ),
                // Live Station has a name like it; the Adobe shape keeps Adobe's.
                (
                    "/decisions/2/error".into(),
                    "internal_server_error".into(),
                    vec!["adobe-pass".into()]
                ),
            ]
        );
    }

    #[test]
    fn skms_ncp_and_generic() {
        let f = decoded(
            &json!({"code": 40013, "message": "Key not found in the keyVault", "detail": "keyId : 0000009"}),
        );
        assert_eq!(
            summary(&f),
            [("".into(), "40013".into(), vec!["skms".into()])]
        );
        assert_eq!(f[0].shape, "skms");
        let f = decoded(&json!({"error": {"errorCode": "210", "message": "Permission Denied"}}));
        assert_eq!(
            summary(&f),
            [("/error".into(), "210".into(), vec!["ncp-apigw".into()])]
        );
        let f = decoded(&json!({"errorCode": 250100, "message": "Channel is not found"}));
        assert_eq!(
            summary(&f),
            [("".into(), "250100".into(), vec!["livestation".into()])]
        );
        // A preferred catalog without the code does not hide another catalog's.
        let f = decoded(&json!({"code": 7011, "message": "Token is expired."}));
        assert_eq!(
            summary(&f),
            [("".into(), "7011".into(), vec!["pallycon".into()])]
        );
    }

    #[test]
    fn objects_that_merely_have_a_code_are_not_errors() {
        let doc = json!({"items": [{"code": "7011", "name": "x"}], "country": {"code": "KR"}});
        assert!(decoded(&doc).is_empty());
        let doc = json!({"errors": [{"code": "nope"}]});
        let f = decoded(&doc);
        assert_eq!(f.len(), 1);
        assert!(
            f[0].hits.is_empty(),
            "an unknown code is kept, with no entry"
        );
    }

    #[test]
    fn xml_error_form() {
        let xml = "<?xml version=\"1.0\"?>\n<error>\n <status>403</status>\n <code>network_connection_failure</code>\n <message>Unable &amp; &#x41;</message><helpUrl/>\n <trace><![CDATA[12f6]]></trace>\n <action>retry</action>\n</error>\n";
        let book = book();
        let mut f = decode_xml(xml, &Shapes::of(&book)).unwrap();
        f.iter_mut().for_each(|f| f.resolve(&book));
        assert_eq!(
            summary(&f),
            [(
                "/error".into(),
                "network_connection_failure".into(),
                vec!["adobe-pass".into()]
            )]
        );
        assert_eq!(f[0].message.as_deref(), Some("Unable & A"));
        assert_eq!(f[0].trace.as_deref(), Some("12f6"));
        assert_eq!(f[0].status_number(), Some(403));
        for bad in [
            "<error><code>x</error>",
            "<error>",
            "<error></error> trailing",
            "<",
            "<a><b></a></b>",
        ] {
            assert!(parse_xml(bad).is_none(), "{bad}");
        }
        // Issue 20 #7: a megabyte of `&` was quadratic in the hand-written reader (28 s); quick-xml reads
        // it in one pass. Bare `&` is not well-formed; a megabyte of `&amp;` decodes whole.
        let amps = format!(
            "<error><code>x</code><message>{}</message></error>",
            "&".repeat(1 << 20)
        );
        assert!(parse_xml(&amps).is_none());
        let amps = format!(
            "<error><code>x</code><message>{}</message></error>",
            "&amp;".repeat(1 << 18)
        );
        let root = parse_xml(&amps).unwrap();
        assert_eq!(root.children[1].text, "&".repeat(1 << 18));
        let unknown = parse_xml("<e><code>&nbsp;&#65;&lt;</code></e>").unwrap();
        assert_eq!(unknown.children[0].text, "&nbsp;A<");
        let deep = "<a>".repeat(200) + &"</a>".repeat(200);
        assert!(parse_xml(&deep).is_none());
    }

    #[test]
    fn status_agreement() {
        let f = &decoded(
            &json!({"status": 500, "code": "network_connection_failure", "action": "retry"}),
        )[0];
        assert_eq!(status_agrees(f, &f.hits[0]), Some(false));
        let f = &decoded(
            &json!({"status": "403", "code": "network_connection_failure", "action": "retry"}),
        )[0];
        assert_eq!(status_agrees(f, &f.hits[0]), Some(true));
    }

    /// A vendor's body shape is catalog data: a catalog that names its code key and companions claims
    /// the objects of its shape, and decoding looks nothing up.
    #[test]
    fn a_catalogs_body_shape_claims_its_objects() {
        use crate::catalog::store::{self, Store};
        use crate::catalog::{BodyShape, Catalog, Meta, Origin};
        let meta = Meta {
            id: "acme".into(),
            vendor: "Acme".into(),
            product: "Acme DRM".into(),
            bodies: vec![BodyShape {
                shape: "acme".into(),
                code: vec!["fault_code".into()],
                value: CodeValue::Text,
                with: vec!["faultString".into()],
                ..BodyShape::default()
            }],
            ..Meta::default()
        };
        let bytes = Box::leak(store::encode(&meta, &[]).into_boxed_slice());
        let acme: &'static Catalog = Box::leak(Box::new(Catalog::new(
            Store::open(bytes).unwrap(),
            Origin::BuiltIn,
        )));
        let mut book = book();
        book.catalogs.push(acme);
        let shapes = Shapes::of(&book);
        let doc = json!({"fault": {"faultCode": "E_LICENSE", "faultString": "no license"}});
        let f = decode_json(&doc, &shapes);
        assert_eq!(f.len(), 1);
        assert_eq!((f[0].shape, f[0].code.as_str()), ("acme", "E_LICENSE"));
        assert_eq!(f[0].prefer, ["acme"]);
        assert!(f[0].hits.is_empty(), "decoding looks nothing up");
        // Without its companion, or with a number where the shape wants text, it is not Acme's; and a
        // key only Acme's shape names is no code key for other objects (hls.js's `details` is a
        // companion elsewhere).
        let doc = json!({"faultCode": "E_LICENSE", "message": "m"});
        assert!(decode_json(&doc, &shapes).is_empty());
        let doc = json!({"faultCode": 42, "faultString": "m"});
        assert!(decode_json(&doc, &shapes).is_empty());
        // The built-in shapes: under `error`, the API Gateway's shape comes before Live Station's.
        let doc = json!({"error": {"errorCode": "210", "message": "x"}});
        assert_eq!(
            decode_json(&doc, &shapes)[0].prefer,
            ["ncp-apigw", "livestation"]
        );
        let doc = json!({"errorCode": "210", "message": "x"});
        assert_eq!(
            decode_json(&doc, &shapes)[0].prefer,
            ["livestation", "ncp-apigw"]
        );
    }
}
