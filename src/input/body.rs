//! Error bodies: a JSON or XML response body pasted on standard input, decoded into the codes it carries.
//!
//! An object is an error object when it has a code key (`errorCode`, else `code`, else a key a catalog's
//! body shape names; keys compare without case, `_` and `-`) with a text or whole-number value, and a
//! catalog's shape claims it, or a message-like field sits beside it (`message`, `detail`, `status`,
//! `action`, `trace`, `helpUrl`), or it sits under an `error`/`errors` key, or is the document itself.
//! Which vendor's object it is comes from the catalogs, not from this file: each catalog's
//! `[[catalog.body]]` shapes (see `catalog::BodyShape`) say which objects carry its codes. An object no
//! shape claims is `generic`. Decoding finds codes and never looks them up: the command that
//! reads the body does, in the catalogs of the matching shapes first ([`Finding::prefer`]), then in all.
//! The XML form (`<error><code>…</code>…</error>`) is read by a small reader into the same tree.

use crate::catalog::{BodyShape, Book, CodeValue, Hit};
use serde_json::{Map, Value};

/// How the body was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    Json,
    Xml,
}

impl Syntax {
    pub fn as_str(self) -> &'static str {
        match self {
            Syntax::Json => "json",
            Syntax::Xml => "xml",
        }
    }
}

/// The body shapes of the catalogs of a run, in catalog order (the shape and the id of its catalog), and
/// the keys that hold a code: `errorCode`, `code`, then any other a shape names, normalised.
#[derive(Debug, Clone, Default)]
pub struct Shapes {
    shapes: Vec<Shape>,
    code_keys: Vec<String>,
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
}

impl Shapes {
    pub fn of(book: &Book) -> Shapes {
        let keys = |ks: &[crate::catalog::model::Str]| ks.iter().map(|k| norm(k)).collect();
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
                    })
            })
            .collect();
        let mut code_keys = vec!["errorcode".to_string(), "code".to_string()];
        for k in shapes.iter().flat_map(|s| &s.code) {
            if !code_keys.contains(k) {
                code_keys.push(k.clone());
            }
        }
        Shapes { shapes, code_keys }
    }
}

/// What an object that no catalog's shape claims is reported as.
pub const GENERIC: &str = "generic";

/// One error object found in a body.
#[derive(Debug, Clone)]
pub struct Finding {
    /// Where it was: a JSON pointer (`/decisions/1/error`; the empty string is the whole document).
    pub pointer: String,
    /// The shape that matched (`catalog::BodyShape::shape`), or [`GENERIC`].
    pub shape: &'static str,
    /// The catalogs whose shapes matched, the most specific first: the code is looked up there first.
    pub prefer: Vec<&'static str>,
    /// The code as the body gives it (numbers without quotes).
    pub code: String,
    pub status: Option<String>,
    pub message: Option<String>,
    pub detail: Option<String>,
    pub trace: Option<String>,
    pub help_url: Option<String>,
    pub action: Option<String>,
    /// The entries the code names, once the command has looked it up ([`Finding::resolve`]); empty when
    /// no catalog has it.
    pub hits: Vec<Hit<'static>>,
}

/// A decoded body.
#[derive(Debug, Clone)]
pub struct Body {
    pub syntax: Syntax,
    pub findings: Vec<Finding>,
}

/// Longest field value kept from a body (longer ones are cut, with an ellipsis).
const MAX_FIELD: usize = 4000;

/// Deepest XML nesting read; JSON is limited by serde_json's own limit.
const MAX_XML_DEPTH: usize = 64;

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
    if s.len() > MAX_FIELD {
        let mut cut = MAX_FIELD;
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        return Some(format!("{}…", &s[..cut]));
    }
    Some(s)
}

fn field<'v>(o: &'v Map<String, Value>, names: &[&str]) -> Option<&'v Value> {
    names
        .iter()
        .find_map(|n| o.iter().find(|(k, _)| norm(k) == *n).map(|(_, v)| v))
}

fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// Every error object in a JSON document.
pub fn decode_json(doc: &Value, shapes: &Shapes) -> Vec<Finding> {
    let mut out = Vec::new();
    walk(doc, "", None, shapes, &mut out);
    out
}

fn walk(
    v: &Value,
    pointer: &str,
    parent_key: Option<&str>,
    shapes: &Shapes,
    out: &mut Vec<Finding>,
) {
    match v {
        Value::Object(o) => {
            if let Some(f) = recognise(o, pointer, parent_key, shapes) {
                out.push(f);
            }
            for (k, child) in o {
                let p = format!("{pointer}/{}", escape_pointer(k));
                walk(child, &p, Some(k), shapes, out);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                // Items of `errors: [...]` sit under the array's key.
                walk(child, &format!("{pointer}/{i}"), parent_key, shapes, out);
            }
        }
        _ => {}
    }
}

fn recognise(
    o: &Map<String, Value>,
    pointer: &str,
    parent_key: Option<&str>,
    shapes: &Shapes,
) -> Option<Finding> {
    let (code_key, code_value) = shapes
        .code_keys
        .iter()
        .find_map(|k| field(o, &[k]).map(|v| (k.as_str(), v)))?;
    let code = match code_value {
        Value::String(s) if !s.trim().is_empty() && s.len() <= 200 => s.trim().to_string(),
        Value::Number(n) if n.is_u64() => n.to_string(),
        _ => return None,
    };
    let message = field(o, &["message", "errormessage", "msg"]);
    let detail = field(o, &["details", "detail"]);
    let status = field(o, &["status"]);
    let action = field(o, &["action"]);
    let trace = field(o, &["trace"]);
    let help_url = field(o, &["helpurl"]);
    let companions = [message, detail, status, action, trace, help_url]
        .iter()
        .any(Option::is_some);
    let under_error = parent_key.is_some_and(|k| matches!(norm(k).as_str(), "error" | "errors"));
    // The catalogs' shapes that claim the object: those that ask for a parent key first (they say more),
    // then in catalog order.
    let parent = parent_key.map(norm);
    let mut claims: Vec<&Shape> = shapes
        .shapes
        .iter()
        .filter(|s| claims(s, o, code_key, &code, parent.as_deref()))
        .collect();
    if claims.is_empty() && !(companions || under_error || pointer.is_empty()) {
        return None;
    }
    claims.sort_by_key(|s| s.under.is_empty());
    let mut prefer: Vec<&'static str> = Vec::new();
    for s in &claims {
        if !prefer.contains(&s.catalog) {
            prefer.push(s.catalog);
        }
    }
    Some(Finding {
        pointer: pointer.to_string(),
        shape: claims.first().map_or(GENERIC, |s| s.name),
        prefer,
        hits: Vec::new(),
        code,
        status: status.and_then(text),
        message: message.and_then(text),
        detail: detail.and_then(text),
        trace: trace.and_then(text),
        help_url: help_url.and_then(text),
        action: action.and_then(text),
    })
}

/// Whether `shape` claims the object `o`, whose code `code` is under the key `code_key`, and which is the
/// value of `parent` (keys normalised).
fn claims(
    shape: &Shape,
    o: &Map<String, Value>,
    code_key: &str,
    code: &str,
    parent: Option<&str>,
) -> bool {
    let keyed = shape.code.iter().any(|k| k == code_key);
    let value = match shape.value {
        CodeValue::Any => true,
        CodeValue::Number => is_digits(code),
        CodeValue::Text => !is_digits(code),
    };
    let with = shape.with.is_empty() || shape.with.iter().any(|w| field(o, &[w]).is_some());
    let under =
        shape.under.is_empty() || parent.is_some_and(|p| shape.under.iter().any(|u| u == p));
    keyed && value && with && under
}

/// The entries whose code, name or alias is `code`: those of the preferred catalogs (in that order) when
/// any has it, else every catalog's.
pub fn resolve(book: &Book, code: &str, prefer: &[&str]) -> Vec<Hit<'static>> {
    let all = book.find_key(&code.to_lowercase(), None);
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
    }

    /// The body's status as an HTTP status number, when it is one.
    pub fn status_number(&self) -> Option<u16> {
        self.status
            .as_deref()?
            .trim()
            .parse()
            .ok()
            .filter(|s| (100..=599).contains(s))
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
    let root = parse_xml(text)?;
    let mut doc = Map::new();
    doc.insert(root.name.clone(), element_value(&root));
    Some(decode_json(&Value::Object(doc), shapes))
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
                under: Vec::new(),
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
        // Without its companion, or with a number where the shape wants text, it is not Acme's.
        let doc = json!({"faultCode": "E_LICENSE", "message": "m"});
        assert_eq!(decode_json(&doc, &shapes)[0].shape, GENERIC);
        let doc = json!({"faultCode": 42, "faultString": "m"});
        assert_eq!(decode_json(&doc, &shapes)[0].shape, GENERIC);
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
