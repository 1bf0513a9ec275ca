//! Writes errbook's JSON: the bytes serde_json's `to_writer` and `to_writer_pretty` write, for the shapes
//! errbook writes (strings, numbers, booleans, null, sequences, maps keyed by strings, structs), cheaper.
//!
//! serde_json escapes a string by looking up each byte in turn, which was most of the cost of `list
//! --format json`. Catalog text almost never needs escaping, so here one pass, eight bytes at a time,
//! checks a whole string, which is then copied in one piece; only a string that needs escaping is walked
//! byte by byte. Built-in catalog text that needs no escaping is known as such from where it lies
//! (`catalog::needs_no_escape`), and not checked at all. Indentation is one copy from a run of spaces,
//! not one write per level, and in a long document what goes before each struct field (comma,
//! indentation, quoted name) is put together once and copied whole ([`Field`]).
//!
//! Numbers other than integers are left to serde_json, so they come out exactly as it writes them. A test
//! compares the two writers on every built-in entry and on text full of characters that need escaping.

/// Whether JSON writes byte `b` escaped: a control character below U+0020, `"` or `\\`.
fn escaped(b: u8) -> bool {
    (b < 0x20) | (b == b'"') | (b == b'\\')
}
use serde::ser::{self, Impossible, Serialize};
use serde_json::Error;
use std::io::{self, Write};

/// A newline and then the indentation of up to 31 levels (deeper levels write it in pieces).
const NEWLINE_INDENT: &[u8; 63] =
    b"\n                                                              ";

/// Writes `value` to `out` as JSON: pretty (two-space indent, as `serde_json::to_writer_pretty`) or on
/// one line (as `serde_json::to_writer`).
pub fn to_writer<W: Write, T: Serialize + ?Sized>(
    out: W,
    value: &T,
    pretty: bool,
) -> Result<(), Error> {
    value.serialize(&mut JsonWriter::new(out, pretty))
}

/// Writes each of `items` to `out` as JSON on one line (as `serde_json::to_writer`), followed by a
/// newline: JSON Lines.
pub fn lines_to_writer<W: Write, T: Serialize>(
    out: W,
    items: impl IntoIterator<Item = T>,
) -> Result<(), Error> {
    let mut lines = Lines::new(out);
    for item in items {
        lines.line(&item)?;
    }
    Ok(())
}

/// JSON Lines written as the items come (see [`lines_to_writer`]).
pub struct Lines<W>(JsonWriter<W>);

impl<W: Write> Lines<W> {
    pub fn new(out: W) -> Self {
        Lines(JsonWriter::new(out, false))
    }

    pub fn line<T: Serialize + ?Sized>(&mut self, item: &T) -> Result<(), Error> {
        item.serialize(&mut self.0)?;
        self.0.raw(b"\n")
    }
}

struct JsonWriter<W> {
    out: W,
    pretty: bool,
    /// How many arrays and objects are open.
    depth: usize,
    /// What was written before struct fields (see [`Field`]), by depth and position; empty until the
    /// first field.
    fields: Vec<Option<Box<Field>>>,
    /// How many struct fields were written: fields are kept only after [`FIELDS_BEFORE_KEEPING`].
    fields_written: usize,
}

/// What goes before a struct field's value, put together once and then copied whole: a comma, in pretty
/// form the new line and indentation, and `"name": `. Objects of one kind repeat the same fields in the
/// same order at the same depth (every entry of `list` has the same 25), and these pieces were most of
/// what was written. A field is kept by its depth and its position in its object, with its name to tell
/// whether the next field there is the same.
struct Field {
    /// The name's address and length.
    name: (usize, usize),
    len: usize,
    bytes: [u8; 64],
}

/// A short document (`lookup`, `explain`) writes its fields directly: keeping them would cost more than
/// it saves. Fields are kept once this many were written.
const FIELDS_BEFORE_KEEPING: usize = 100;

/// Fields are kept for objects this deep and positions this far into an object.
const FIELD_DEPTHS: usize = 8;
const FIELD_POSITIONS: usize = 32;

impl Field {
    /// The bytes before field `name` at `depth`, with the comma; `None` when they do not fit.
    fn new(name: &str, depth: usize, pretty: bool) -> Option<Box<Field>> {
        let indent: &[u8] = if pretty {
            NEWLINE_INDENT.get(..=2 * depth)?
        } else {
            b""
        };
        let parts = [&b","[..], indent, b"\"", name.as_bytes(), name_end(pretty)];
        let mut field = Box::new(Field {
            name: (name.as_ptr() as usize, name.len()),
            len: 0,
            bytes: [0; 64],
        });
        for part in parts {
            let end = field.len + part.len();
            field.bytes.get_mut(field.len..end)?.copy_from_slice(part);
            field.len = end;
        }
        Some(field)
    }
}

impl<W: Write> JsonWriter<W> {
    fn new(out: W, pretty: bool) -> Self {
        JsonWriter {
            out,
            pretty,
            depth: 0,
            fields: Vec::new(),
            fields_written: 0,
        }
    }

    fn raw(&mut self, bytes: &[u8]) -> Result<(), Error> {
        self.out.write_all(bytes).map_err(Error::io)
    }

    /// Before an element or a key: a comma unless it is the first, and in pretty form a new line.
    fn next_item(&mut self, first: bool) -> Result<(), Error> {
        if !first {
            self.raw(b",")?;
        }
        if self.pretty {
            self.newline()?;
        }
        Ok(())
    }

    fn newline(&mut self) -> Result<(), Error> {
        if let Some(line) = NEWLINE_INDENT.get(..=2 * self.depth) {
            return self.raw(line);
        }
        self.raw(b"\n")?;
        for _ in 0..self.depth {
            self.raw(b"  ")?;
        }
        Ok(())
    }

    fn open(&mut self, bracket: &[u8]) -> Result<Compound<'_, W>, Error> {
        self.raw(bracket)?;
        self.depth += 1;
        Ok(Compound {
            w: self,
            first: true,
            position: 0,
        })
    }

    fn string(&mut self, s: &str) -> Result<(), Error> {
        write_string(&mut self.out, s).map_err(Error::io)
    }

    fn display(&mut self, v: impl std::fmt::Display) -> Result<(), Error> {
        write!(self.out, "{v}").map_err(Error::io)
    }
}

/// What follows a field name: its closing quote and the colon, with a space in pretty form.
fn name_end(pretty: bool) -> &'static [u8] {
    if pretty {
        b"\": "
    } else {
        b"\":"
    }
}

/// Whether a byte of `bytes` needs escaping: one below U+0020, `"` or `\\`.
///
/// Eight bytes at a time in a `u64`, without branches or an early exit: most strings are short (keys,
/// codes, language tags), and a byte-by-byte loop or the setup of vector registers would cost more than
/// the check. For a byte `b` of word `x`, `b - k` borrows into bit 7 only when `b < k`, so
/// `(x - k·0x01…01) & !x & 0x80…80` is non-zero exactly when some byte of `x` is below `k` (a borrow can
/// mark a byte above a real match, never create a match where there is none); `"` and `\\` are found as
/// bytes below 1 of `x` XOR a word of them.
fn needs_escape(bytes: &[u8]) -> bool {
    const ONES: u64 = u64::from_le_bytes([1; 8]);
    const HIGH: u64 = u64::from_le_bytes([0x80; 8]);
    let below = |x: u64, k: u8| x.wrapping_sub(ONES * k as u64) & !x;
    let word = |x: u64| {
        below(x, 0x20) | below(x ^ (ONES * b'"' as u64), 1) | below(x ^ (ONES * b'\\' as u64), 1)
    };
    let load = |c: &[u8]| u64::from_le_bytes(c.try_into().unwrap_or([0; 8]));
    if bytes.len() < 8 {
        return bytes.iter().any(|&b| escaped(b));
    }
    let mut found = 0;
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        found |= word(load(c));
    }
    // The last 1 to 7 bytes, as the last eight (some looked at twice).
    if !chunks.remainder().is_empty() {
        found |= word(load(&bytes[bytes.len() - 8..]));
    }
    found & HIGH != 0
}

/// `s` as a JSON string, escaped as serde_json escapes it: `"`, `\` and the control characters below
/// U+0020 (the common ones as `\n`, `\t` and so on, the rest as `\u00XX` in lower-case hex); nothing else.
fn write_string(out: &mut impl Write, s: &str) -> io::Result<()> {
    let bytes = s.as_bytes();
    out.write_all(b"\"")?;
    if !needs_escape(bytes) {
        out.write_all(bytes)?;
        return out.write_all(b"\"");
    }
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if !escaped(b) {
            continue;
        }
        out.write_all(&bytes[start..i])?;
        start = i + 1;
        let short = match b {
            b'"' => b'"',
            b'\\' => b'\\',
            b'\n' => b'n',
            b'\t' => b't',
            b'\r' => b'r',
            0x08 => b'b',
            0x0c => b'f',
            _ => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                let code = [
                    b'\\',
                    b'u',
                    b'0',
                    b'0',
                    HEX[(b >> 4) as usize],
                    HEX[(b & 15) as usize],
                ];
                out.write_all(&code)?;
                continue;
            }
        };
        out.write_all(&[b'\\', short])?;
    }
    out.write_all(&bytes[start..])?;
    out.write_all(b"\"")
}

/// An open array or object.
struct Compound<'a, W> {
    w: &'a mut JsonWriter<W>,
    first: bool,
    /// How many struct fields were written.
    position: usize,
}

impl<W: Write> Compound<'_, W> {
    fn item(&mut self) -> Result<(), Error> {
        let first = std::mem::replace(&mut self.first, false);
        self.w.next_item(first)
    }

    /// A struct's field name: a Rust identifier (or a `serde(rename)` of errbook's own), which never
    /// needs escaping, so it is copied without the check.
    fn field_name(&mut self, name: &'static str) -> Result<(), Error> {
        debug_assert!(!needs_escape(name.as_bytes()), "{name:?}");
        let first = std::mem::replace(&mut self.first, false);
        let position = self.position;
        self.position += 1;
        let w = &mut *self.w;
        w.fields_written += 1;
        if w.fields_written > FIELDS_BEFORE_KEEPING
            && w.depth < FIELD_DEPTHS
            && position < FIELD_POSITIONS
        {
            if w.fields.is_empty() {
                w.fields
                    .resize_with(FIELD_DEPTHS * FIELD_POSITIONS, || None);
            }
            let kept = &mut w.fields[w.depth * FIELD_POSITIONS + position];
            let same = |f: &Field| f.name == (name.as_ptr() as usize, name.len());
            if !kept.as_deref().is_some_and(same) {
                *kept = Field::new(name, w.depth, w.pretty);
            }
            if let Some(field) = kept {
                // The first field has no comma before it.
                let bytes = field
                    .bytes
                    .get(usize::from(first)..field.len)
                    .unwrap_or(&[]);
                return w.out.write_all(bytes).map_err(Error::io);
            }
        }
        w.next_item(first)?;
        w.raw(b"\"")?;
        w.raw(name.as_bytes())?;
        w.raw(name_end(w.pretty))
    }

    fn close(self, bracket: &[u8]) -> Result<(), Error> {
        self.w.depth -= 1;
        // An empty array or object stays on one line: `[]`, `{}`.
        if self.w.pretty && !self.first {
            self.w.newline()?;
        }
        self.w.raw(bracket)
    }
}

fn unsupported<T>(what: &str) -> Result<T, Error> {
    Err(ser::Error::custom(format!(
        "errbook's JSON writer does not write {what}"
    )))
}

impl<'a, W: Write> ser::Serializer for &'a mut JsonWriter<W> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'a, W>;
    type SerializeTuple = Compound<'a, W>;
    type SerializeTupleStruct = Impossible<(), Error>;
    type SerializeTupleVariant = Impossible<(), Error>;
    type SerializeMap = Compound<'a, W>;
    type SerializeStruct = Compound<'a, W>;
    type SerializeStructVariant = Impossible<(), Error>;

    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.raw(if v { b"true" } else { b"false" })
    }
    fn serialize_i8(self, v: i8) -> Result<(), Error> {
        self.display(v)
    }
    fn serialize_i16(self, v: i16) -> Result<(), Error> {
        self.display(v)
    }
    fn serialize_i32(self, v: i32) -> Result<(), Error> {
        self.display(v)
    }
    fn serialize_i64(self, v: i64) -> Result<(), Error> {
        self.display(v)
    }
    fn serialize_u8(self, v: u8) -> Result<(), Error> {
        self.display(v)
    }
    fn serialize_u16(self, v: u16) -> Result<(), Error> {
        self.display(v)
    }
    fn serialize_u32(self, v: u32) -> Result<(), Error> {
        self.display(v)
    }
    fn serialize_u64(self, v: u64) -> Result<(), Error> {
        self.display(v)
    }
    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        serde_json::to_writer(&mut self.out, &v)
    }
    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        serde_json::to_writer(&mut self.out, &v)
    }
    fn serialize_char(self, v: char) -> Result<(), Error> {
        self.string(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Result<(), Error> {
        self.string(v)
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<(), Error> {
        unsupported("bytes")
    }
    fn serialize_none(self) -> Result<(), Error> {
        self.raw(b"null")
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Error> {
        self.raw(b"null")
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Error> {
        self.raw(b"null")
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        self.string(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), Error> {
        unsupported("enum variants with data")
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Compound<'a, W>, Error> {
        self.open(b"[")
    }
    /// Tuples and fixed-size arrays: arrays.
    fn serialize_tuple(self, _: usize) -> Result<Compound<'a, W>, Error> {
        self.open(b"[")
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Error> {
        unsupported("tuple structs")
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        unsupported("enum variants with data")
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Compound<'a, W>, Error> {
        self.open(b"{")
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Compound<'a, W>, Error> {
        self.open(b"{")
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        unsupported("enum variants with data")
    }
}

impl<W: Write> ser::SerializeSeq for Compound<'_, W> {
    type Ok = ();
    type Error = Error;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.item()?;
        value.serialize(&mut *self.w)
    }
    fn end(self) -> Result<(), Error> {
        self.close(b"]")
    }
}

impl<W: Write> ser::SerializeTuple for Compound<'_, W> {
    type Ok = ();
    type Error = Error;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<(), Error> {
        ser::SerializeSeq::end(self)
    }
}

impl<W: Write> ser::SerializeStruct for Compound<'_, W> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.field_name(key)?;
        value.serialize(&mut *self.w)
    }
    fn end(self) -> Result<(), Error> {
        self.close(b"}")
    }
}

impl<W: Write> ser::SerializeMap for Compound<'_, W> {
    type Ok = ();
    type Error = Error;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        self.item()?;
        // errbook's maps are keyed by strings, which this writes as serde_json does (it would quote a
        // number used as a key; this would not).
        key.serialize(&mut *self.w)?;
        self.w.raw(if self.w.pretty { b": " } else { b":" })
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        value.serialize(&mut *self.w)
    }
    fn end(self) -> Result<(), Error> {
        self.close(b"}")
    }
}

#[cfg(test)]
mod tests {
    use super::{escaped, needs_escape, to_writer};
    use crate::catalog::{Book, Lang};
    use crate::render::json::EntryView;
    use serde::Serialize;
    use serde_json::json;

    /// The word-at-a-time check against the byte-by-byte one: every byte value at every position of
    /// strings up to 17 bytes long (so in a full word, in the overlapping last word and in a short string),
    /// in a string otherwise plain, then beside each of the bytes around the limits.
    #[test]
    fn word_check_finds_exactly_the_bytes_to_escape() {
        for len in 1..=17 {
            for at in 0..len {
                for b in 0..=255u8 {
                    for filler in [b'a', b' ', 0x21, 0x5d, 0x7f, 0x80, 0xff] {
                        let mut s = vec![filler; len];
                        s[at] = b;
                        let expected = s.iter().any(|&c| escaped(c));
                        assert_eq!(needs_escape(&s), expected, "{s:?}");
                    }
                }
            }
        }
        assert!(!needs_escape(b""));
    }

    proptest::proptest! {
        #[test]
        fn word_check_agrees_with_bytes(s in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..80)) {
            proptest::prop_assert_eq!(needs_escape(&s), s.iter().any(|&c| escaped(c)));
        }
    }

    /// This writer and serde_json give the same bytes for `value`, pretty and on one line.
    fn same_as_serde_json<T: Serialize>(value: &T, context: &str) {
        for pretty in [false, true] {
            let mut ours = Vec::new();
            to_writer(&mut ours, value, pretty).unwrap();
            let theirs = if pretty {
                serde_json::to_vec_pretty(value)
            } else {
                serde_json::to_vec(value)
            };
            assert_eq!(
                String::from_utf8(ours).unwrap(),
                String::from_utf8(theirs.unwrap()).unwrap(),
                "{context}, pretty {pretty}"
            );
        }
    }

    #[test]
    fn every_built_in_entry_as_serde_json_writes_it() {
        let book = Book::builtin();
        let mut hits: Vec<_> = book.hits().collect();
        hits[0].score = Some(0.1 + 0.2);
        for lang in Lang::ALL {
            for hit in &hits {
                let context = format!("{}:{} {}", hit.catalog.id, hit.entry.code, lang.code());
                same_as_serde_json(&EntryView { hit, lang }, &context);
            }
            // All of them in one array, as `list` writes them: the kept fields are used.
            let all: Vec<EntryView> = hits.iter().map(|hit| EntryView { hit, lang }).collect();
            same_as_serde_json(&all, lang.code());
        }
    }

    #[test]
    fn escapes_as_serde_json_does() {
        let mut text: String = (0u8..0x80).map(char::from).collect();
        text.push_str("\"\\/ é 한국어 日本語 🦀 \u{2028}\u{2029}\u{feff}");
        let cases = [
            text.clone(),
            format!("\"{text}\\"),
            String::new(),
            "plain".into(),
            "\\".into(),
            "\u{1f}".into(),
        ];
        for s in &cases {
            same_as_serde_json(s, &format!("{s:?}"));
            // As a map key, too.
            same_as_serde_json(&std::collections::BTreeMap::from([(s, 1)]), s);
        }
    }

    #[test]
    fn lays_out_as_serde_json_does() {
        // Empty and nested arrays and objects, numbers, null, booleans, and nesting deeper than the
        // indentation kept ready.
        let mut deep = json!([]);
        for i in 0..40 {
            deep = json!({ "level": i, "inner": [deep, [], {}] });
        }
        let v = json!({
            "empty": [], "none": {}, "null": null, "yes": true, "no": false,
            "numbers": [0, -1, 65535, u64::MAX, i64::MIN, 0.5, -0.0, 1e300, 2.5e-8, 0.1],
            "nested": [[[]], [{}], [{"a": [1, {"b": []}]}]],
            "deep": deep,
        });
        same_as_serde_json(&v, "value");
        for x in [f64::NAN, f64::INFINITY, 1.0, 123456789.125] {
            same_as_serde_json(&x, &x.to_string());
            same_as_serde_json(&Some(x as f32), &x.to_string());
        }
        same_as_serde_json(&Lang::Ko, "unit variant");
        same_as_serde_json(&[None, Some('é')], "chars");
        same_as_serde_json(&(1u8, [(); 0], ("a", -2i8)), "tuples");
    }

    #[derive(Serialize)]
    struct Inner {
        a: u8,
        this_field_name_is_long_enough_that_with_its_indentation_it_never_fits: bool,
        b: Option<&'static str>,
    }

    #[derive(Serialize)]
    struct Outer {
        a: Vec<Inner>,
        b: Inner,
        #[serde(rename = "c")]
        nested: Option<Box<Outer>>,
        empty: Vec<u8>,
    }

    /// Struct fields, whose leading bytes are kept and reused: the same names in several structs and at
    /// many depths (deeper than the kept indentation), first and later fields, names too long to keep,
    /// and the same objects as JSON Lines through one writer (enough fields to be kept in both).
    #[test]
    fn struct_fields_as_serde_json_writes_them() {
        let inner = |a| Inner {
            a,
            this_field_name_is_long_enough_that_with_its_indentation_it_never_fits: a % 2 == 0,
            b: (a % 3 == 0).then_some("x\"y"),
        };
        let mut outer = None;
        for depth in 0..40 {
            outer = Some(Box::new(Outer {
                a: (0..depth % 4).map(inner).collect(),
                b: inner(depth),
                nested: outer,
                empty: Vec::new(),
            }));
        }
        same_as_serde_json(&outer, "nested structs");
        let items: Vec<Outer> = (0..40)
            .map(|i| Outer {
                a: vec![inner(i), inner(i + 1)],
                b: inner(i + 2),
                nested: None,
                empty: vec![i],
            })
            .collect();
        let mut ours = Vec::new();
        super::lines_to_writer(&mut ours, &items).unwrap();
        let mut theirs = Vec::new();
        for item in &items {
            serde_json::to_writer(&mut theirs, item).unwrap();
            theirs.push(b'\n');
        }
        assert_eq!(
            String::from_utf8(ours).unwrap(),
            String::from_utf8(theirs).unwrap()
        );
    }
}
