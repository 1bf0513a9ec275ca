//! The one model of a catalog and its entries.
//!
//! The same types are read from `catalog/*.toml` (by `build.rs` and by user catalogs), written to and read
//! from the stored form (`store`: postcard, strings borrowed from the stored bytes), and shown. Strings are
//! `Cow`: borrowed from the text or bytes they were read from where possible.
//!
//! This file is shared with build.rs (`#[path]`); it depends on serde and std only.

use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// Strings read from stored bytes, checked as UTF-8 with simdutf8 (the check std does is most of what
/// decoding an entry costs when the text is Korean or Japanese: `list --format json` spent 5.8 M of its
/// 19 M instructions in it). They are asked for as bytes, which postcard stores exactly as it stores a
/// string; a TOML file gives them as strings, as before.
mod text {
    use super::Str;
    use serde::de::{Deserializer, Error, SeqAccess, Visitor};
    use serde::Deserialize;
    use std::borrow::Cow;

    struct Text;

    impl<'de> Visitor<'de> for Text {
        type Value = Str<'de>;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a string")
        }

        fn visit_borrowed_str<E: Error>(self, v: &'de str) -> Result<Str<'de>, E> {
            Ok(Cow::Borrowed(v))
        }

        fn visit_str<E: Error>(self, v: &str) -> Result<Str<'de>, E> {
            Ok(Cow::Owned(v.to_string()))
        }

        fn visit_string<E: Error>(self, v: String) -> Result<Str<'de>, E> {
            Ok(Cow::Owned(v))
        }

        fn visit_borrowed_bytes<E: Error>(self, v: &'de [u8]) -> Result<Str<'de>, E> {
            simdutf8::basic::from_utf8(v)
                .map(Cow::Borrowed)
                .map_err(|_| E::custom("a string that is not UTF-8"))
        }

        fn visit_bytes<E: Error>(self, v: &[u8]) -> Result<Str<'de>, E> {
            simdutf8::basic::from_utf8(v)
                .map(|s| Cow::Owned(s.to_string()))
                .map_err(|_| E::custom("a string that is not UTF-8"))
        }
    }

    /// One string.
    struct One<'a>(Str<'a>);

    impl<'de: 'a, 'a> Deserialize<'de> for One<'a> {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            d.deserialize_bytes(Text).map(One)
        }
    }

    pub fn one<'de: 'a, 'a, D: Deserializer<'de>>(d: D) -> Result<Str<'a>, D::Error> {
        d.deserialize_bytes(Text)
    }

    pub fn option<'de: 'a, 'a, D: Deserializer<'de>>(d: D) -> Result<Option<Str<'a>>, D::Error> {
        Ok(Option::<One>::deserialize(d)?.map(|o| o.0))
    }

    pub fn list<'de: 'a, 'a, D: Deserializer<'de>>(d: D) -> Result<Vec<Str<'a>>, D::Error> {
        struct List;
        impl<'de> Visitor<'de> for List {
            type Value = Vec<Str<'de>>;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a list of strings")
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
                while let Some(One(s)) = seq.next_element()? {
                    out.push(s);
                }
                Ok(out)
            }
        }
        d.deserialize_seq(List)
    }
}

/// A string of a catalog: borrowed from what it was read from, or owned when it had to be unescaped.
pub type Str<'a> = Cow<'a, str>;

/// A language errbook has text in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    En,
    Ko,
    Ja,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::En, Lang::Ko, Lang::Ja];

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ko => "ko",
            Lang::Ja => "ja",
        }
    }

    pub fn from_code(s: &str) -> Option<Lang> {
        match s {
            "en" => Some(Lang::En),
            "ko" => Some(Lang::Ko),
            "ja" => Some(Lang::Ja),
            _ => None,
        }
    }
}

/// What a code reports: most are errors; a few vendor codes report success or an operation's progress.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    #[default]
    Error,
    Success,
    Status,
}

impl Kind {
    pub fn code(self) -> &'static str {
        match self {
            Kind::Error => "error",
            Kind::Success => "success",
            Kind::Status => "status",
        }
    }
}

/// Text in up to three languages.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Texts<'a> {
    #[serde(borrow, default, deserialize_with = "text::option")]
    pub en: Option<Str<'a>>,
    #[serde(borrow, default, deserialize_with = "text::option")]
    pub ko: Option<Str<'a>>,
    #[serde(borrow, default, deserialize_with = "text::option")]
    pub ja: Option<Str<'a>>,
}

impl<'a> Texts<'a> {
    pub fn get(&self, lang: Lang) -> Option<&str> {
        match lang {
            Lang::En => self.en.as_deref(),
            Lang::Ko => self.ko.as_deref(),
            Lang::Ja => self.ja.as_deref(),
        }
    }

    pub fn is_empty(&self) -> bool {
        Lang::ALL.iter().all(|l| self.get(*l).is_none())
    }

    /// Every language that has a text, in the fixed order en, ko, ja.
    pub fn iter(&self) -> impl Iterator<Item = (Lang, &str)> + '_ {
        Lang::ALL
            .into_iter()
            .filter_map(|l| self.get(l).map(|t| (l, t)))
    }

    /// The text in `lang`, else English, else the first of `preferred` that has one, else any.
    pub fn pick(&self, lang: Lang, preferred: &[Lang]) -> Option<(Lang, &str)> {
        self.get(lang)
            .map(|t| (lang, t))
            .or_else(|| self.en.as_deref().map(|t| (Lang::En, t)))
            .or_else(|| preferred.iter().find_map(|l| self.get(*l).map(|t| (*l, t))))
            .or_else(|| self.iter().next())
    }

    /// The same texts, owned.
    pub fn into_owned(self) -> Texts<'static> {
        Texts {
            en: self.en.map(|s| Cow::Owned(s.into_owned())),
            ko: self.ko.map(|s| Cow::Owned(s.into_owned())),
            ja: self.ja.map(|s| Cow::Owned(s.into_owned())),
        }
    }
}

/// A document a catalog's codes are taken from.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Source<'a> {
    #[serde(borrow)]
    pub title: Option<Str<'a>>,
    #[serde(borrow)]
    pub url: Option<Str<'a>>,
    pub lang: Option<Lang>,
    #[serde(borrow)]
    pub date: Option<Str<'a>>,
}

/// A domain (a group of a catalog's codes), or a further list in which the vendor publishes some of the
/// catalog's codes (Adobe's per-API lists): an id and a title.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Titled<'a> {
    #[serde(borrow)]
    pub id: Str<'a>,
    #[serde(borrow)]
    pub title: Texts<'a>,
}

/// An entry's values in one of the catalog's further lists.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ListValue<'a> {
    #[serde(borrow, deserialize_with = "text::one")]
    pub id: Str<'a>,
    #[serde(borrow, deserialize_with = "text::one")]
    pub action: Str<'a>,
    pub http_status: Vec<u16>,
}

/// One code of a catalog. (No field may be skipped when serialised: the stored form has no field names.)
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Entry<'a> {
    #[serde(borrow, deserialize_with = "text::one")]
    pub code: Str<'a>,
    #[serde(borrow, default, deserialize_with = "text::option")]
    pub name: Option<Str<'a>>,
    #[serde(borrow, default, deserialize_with = "text::list")]
    pub aliases: Vec<Str<'a>>,
    /// Required, like `action`, except in an entry that adds to an entry of the catalog it extends.
    #[serde(borrow, default, deserialize_with = "text::one")]
    pub domain: Str<'a>,
    #[serde(default)]
    pub http_status: Option<u16>,
    #[serde(borrow, default, deserialize_with = "text::one")]
    pub action: Str<'a>,
    #[serde(default)]
    pub kind: Kind,
    /// Codes the entry names as related: of this catalog, or `catalog:code` for another built-in one.
    #[serde(borrow, default, deserialize_with = "text::list")]
    pub related: Vec<Str<'a>>,
    /// The languages of `message` that are the vendor's own text; the others are errbook's translations.
    /// Required in a catalog file (`official = []` when no text is the vendor's).
    #[serde(default)]
    pub official: Option<Vec<Lang>>,
    #[serde(borrow, default)]
    pub message: Texts<'a>,
    /// A further official text from the source that is not the message (a description column, say).
    #[serde(borrow, default)]
    pub official_note: Texts<'a>,
    #[serde(borrow, default)]
    pub description: Texts<'a>,
    #[serde(borrow, default)]
    pub hint: Texts<'a>,
    /// The entry's values in the catalog's further lists (`[[entry.list]]` in a catalog file).
    #[serde(borrow, default, rename = "list")]
    pub lists: Vec<ListValue<'a>>,
    /// The URL of the document this entry comes from, when it is not the catalog's usual source.
    #[serde(borrow, default, deserialize_with = "text::option")]
    pub source: Option<Str<'a>>,
    /// The source no longer defines the code (an earlier version did); old players still report it.
    #[serde(default)]
    pub retired: bool,
    /// Known only from what users have reported, not from the vendor's own definition.
    #[serde(default)]
    pub observed: bool,
    /// Whether the source usually reports the error as fatal, where it says (hls.js).
    #[serde(default)]
    pub fatal: Option<bool>,
    /// The versions of the source the code applies to, as the source gives them ("≤ 4.11", "5.0+").
    #[serde(borrow, default, deserialize_with = "text::option")]
    pub versions: Option<Str<'a>>,
    /// A note a team keeps with the entry (a user catalog's own words, never the vendor's).
    #[serde(borrow, default)]
    pub note: Texts<'a>,
    /// In a user file that extends a catalog: this entry replaces the entry with its code. Without it, an
    /// entry with an existing code adds to that entry (see `user::add_to`).
    #[serde(default)]
    pub replace: bool,
    /// The action an older list of the vendor gives, where the catalog's `action` comes from the vendor's
    /// current lists and differs from it (Adobe's 2019–2023 page).
    #[serde(borrow, default, deserialize_with = "text::option")]
    pub older_action: Option<Str<'a>>,
    /// The HTTP status an older list gives, where `http_status` comes from the current lists and differs.
    #[serde(default)]
    pub older_http_status: Option<u16>,
}

impl<'a> Entry<'a> {
    /// The code as a number, when it is one.
    pub fn number(&self) -> Option<u64> {
        code_number(&self.code)
    }

    /// The languages of the message that are the vendor's own text.
    pub fn official(&self) -> &[Lang] {
        self.official.as_deref().unwrap_or(&[])
    }

    pub fn is_official(&self, lang: Lang) -> bool {
        self.official().contains(&lang)
    }

    /// The message in `lang`, or its fallback: English, then an official text.
    pub fn message_in(&self, lang: Lang) -> Option<(Lang, &str)> {
        self.message.pick(lang, self.official())
    }

    /// The related codes of this catalog (`related` without those that name another catalog).
    pub fn local_related(&self) -> impl Iterator<Item = &str> + '_ {
        self.related
            .iter()
            .map(|r| r.as_ref())
            .filter(|r| !r.contains(':'))
    }

    /// The related entries of other catalogs, as (catalog, code).
    pub fn foreign_related(&self) -> impl Iterator<Item = (&str, &str)> + '_ {
        self.related.iter().filter_map(|r| r.split_once(':'))
    }

    /// The names a user may type for this entry: code, name and aliases.
    pub fn keys(&self) -> impl Iterator<Item = &str> + '_ {
        std::iter::once(self.code.as_ref())
            .chain(self.name.as_deref())
            .chain(self.aliases.iter().map(|a| a.as_ref()))
    }
}

/// What a code's value looks like, for a body shape.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CodeValue {
    /// Anything.
    #[default]
    Any,
    /// Digits only (a JSON number, or a string of digits).
    Number,
    /// Not digits only.
    Text,
}

/// An error object in a response body that carries this catalog's codes: the object has the code under
/// one of `code` (keys compare without case, `_` and `-`), its value is `value`, one of `with` sits
/// beside it (when `with` is given), and the object is the value of one of `under` (when given). Bodies
/// are matched against every catalog's shapes; a code found in a shape is looked up in that shape's
/// catalog first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct BodyShape<'a> {
    /// The name findings report (`skms`; two catalogs of one vendor may share one).
    #[serde(borrow)]
    pub shape: Str<'a>,
    #[serde(borrow)]
    pub code: Vec<Str<'a>>,
    #[serde(default)]
    pub value: CodeValue,
    #[serde(borrow, default)]
    pub with: Vec<Str<'a>>,
    #[serde(borrow, default)]
    pub under: Vec<Str<'a>>,
    /// Where the object says which URL failed: paths relative to the object, keys and array indices
    /// separated by `/` (`data/0`, `response/url`); the first that holds text with `://` counts.
    #[serde(borrow, default)]
    pub url: Vec<Str<'a>>,
    /// Where the object gives the HTTP status of that request (`data/1`, `response/code`); the first that
    /// holds a number from 100 to 599 counts.
    #[serde(borrow, default)]
    pub http_status: Vec<Str<'a>>,
    /// Keys whose value is the code of another error the object carries (`msExtendedCode`,
    /// `systemCode`): each is followed as the next link of the chain.
    #[serde(borrow, default)]
    pub inner: Vec<Str<'a>>,
    /// Fields shown beside the code, looked up in the object and then in the object that holds it
    /// (`resource` and `mvpd` of an Adobe decisions item).
    #[serde(borrow, default)]
    pub context: Vec<Str<'a>>,
    /// The code is looked up only in this catalog: a code it lacks is unknown, not looked for in
    /// others (a Shaka error object's 6 is no other system's 6).
    #[serde(default)]
    pub only: bool,
}

/// A line of a player's log or of an error's description that carries this catalog's codes, as a regular
/// expression (the `regex-lite` crate's syntax: `(?i)`, `\w`, `\s` and `\b` are ASCII, `\p{…}` is
/// refused) with a named group `code` and optionally `status` (an HTTP status) and `url`. Every match in a
/// pasted text is one link of a chain, outermost (leftmost) first: Apple prints an `NSError` with its
/// `NSUnderlyingError` inside it, Shaka a wrapped error after the outer one.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LineShape<'a> {
    /// The name findings report (like [`BodyShape::shape`]).
    #[serde(borrow)]
    pub shape: Str<'a>,
    #[serde(borrow)]
    pub pattern: Str<'a>,
    /// Text every match contains (`Error Domain=`): a pattern whose literal is not in the input is not
    /// compiled, which is most of what reading free text would cost otherwise.
    #[serde(borrow, default)]
    pub literal: Option<Str<'a>>,
}

/// A catalog's header: everything but its entries.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
pub struct Meta<'a> {
    #[serde(borrow)]
    pub id: Str<'a>,
    #[serde(borrow)]
    pub vendor: Str<'a>,
    #[serde(borrow)]
    pub product: Str<'a>,
    pub official_langs: Vec<Lang>,
    #[serde(borrow)]
    pub description: Texts<'a>,
    #[serde(borrow)]
    pub sources: Vec<Source<'a>>,
    #[serde(borrow)]
    pub domains: Vec<Titled<'a>>,
    #[serde(borrow)]
    pub lists: Vec<Titled<'a>>,
    /// The error objects of response bodies that carry this catalog's codes.
    #[serde(borrow)]
    pub bodies: Vec<BodyShape<'a>>,
    /// `[[glossary]]`: terms a user catalog adds to search's glossary, each its forms in every language.
    #[serde(borrow)]
    pub glossary: Vec<Vec<Str<'a>>>,
    /// The lines of logs and error descriptions that carry this catalog's codes.
    #[serde(borrow)]
    pub lines: Vec<LineShape<'a>>,
}

/// The code as a number, when it is all digits.
pub fn code_number(code: &str) -> Option<u64> {
    if !code.is_empty() && code.bytes().all(|b| b.is_ascii_digit()) {
        code.parse().ok()
    } else {
        None
    }
}

/// Whether `s` is a valid catalog, domain or list id: lowercase ASCII letters, digits and `-`.
pub fn is_id(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
}
