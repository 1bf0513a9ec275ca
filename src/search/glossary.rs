//! The cross-language glossary: sets of words that mean the same thing in English, Korean and Japanese,
//! so that a query in one language also finds text written in another (`토큰` ↔ `token` ↔ `トークン`).
//! The built-in one is `catalog/glossary.toml`, checked and folded by build.rs; user catalogs add terms
//! with `[[glossary]]` tables.
//!
//! Both are kept in one stored form, read where it lies: a term a line, its forms separated by tabs, each
//! form its folded text followed by its units as a query is split (`index::units`), each unit after a
//! U+001F as its kind (L Latin, C Korean or Japanese, K katakana) and its text. A search reads the few
//! terms its words match and copies nothing else. build.rs writes the built-in glossary with [`line`]
//! (this file is shared with it through `#[path]`), and the binary embeds it (`search::builtin_glossary`).

use crate::catalog::index::{self, Unit};
use crate::normalize::normalize;
use std::borrow::Cow;

const FORMS: char = '\t';
const UNITS: char = '\u{1f}';

/// The stored line of a term with `forms` (as written: they are folded here); `None` with fewer than
/// two distinct forms, or with a form that holds a character of the stored form.
pub fn line<'a>(forms: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let mut folded: Vec<String> = Vec::new();
    for f in forms {
        let f = normalize(f);
        if f.contains([FORMS, UNITS, '\n']) {
            return None;
        }
        if !f.is_empty() && !folded.contains(&f) {
            folded.push(f);
        }
    }
    if folded.len() < 2 {
        return None;
    }
    let mut out = String::new();
    for (n, f) in folded.iter().enumerate() {
        if n > 0 {
            out.push(FORMS);
        }
        out.push_str(f);
        for u in index::units(f) {
            out.push(UNITS);
            out.push(match (u.cjk, u.kana) {
                (false, _) => 'L',
                (true, false) => 'C',
                (true, true) => 'K',
            });
            out.push_str(&u.text);
        }
    }
    Some(out)
}

/// A glossary in its stored form.
#[derive(Debug, Clone)]
pub struct Glossary<'a>(Cow<'a, str>);

impl<'a> Glossary<'a> {
    /// The glossary stored in `text` (lines made by [`line`]).
    pub fn new(text: impl Into<Cow<'a, str>>) -> Glossary<'a> {
        Glossary(text.into())
    }

    /// This glossary and the terms of `lines` (each made by [`line`]).
    pub fn with(self, lines: impl IntoIterator<Item = String>) -> Glossary<'a> {
        let mut text = self.0;
        for l in lines {
            let t = text.to_mut();
            if !t.is_empty() && !t.ends_with('\n') {
                t.push('\n');
            }
            t.push_str(&l);
            t.push('\n');
        }
        Glossary(text)
    }

    pub fn terms(&self) -> impl Iterator<Item = TermRef<'_>> + '_ {
        self.0.split('\n').filter(|l| !l.is_empty()).map(TermRef)
    }

    /// The terms whose line holds `needle`, each once, in order: the only ones with a form that a word
    /// beginning with `needle` can match. A search looks for its words this way instead of reading
    /// every form.
    pub fn terms_with<'s>(&'s self, needle: &'s str) -> impl Iterator<Item = TermRef<'s>> + 's {
        let text: &str = &self.0;
        let mut done = 0;
        memchr::memmem::find_iter(text.as_bytes(), needle.as_bytes()).filter_map(move |at| {
            if at < done {
                return None;
            }
            let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
            let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
            done = end.max(at + 1);
            Some(TermRef(&text[start..end])).filter(|t| !t.0.is_empty())
        })
    }
}

/// One term: its forms in every language.
#[derive(Debug, Clone, Copy)]
pub struct TermRef<'a>(&'a str);

impl<'a> TermRef<'a> {
    pub fn forms(self) -> impl Iterator<Item = FormRef<'a>> + Clone {
        self.0.split(FORMS).map(FormRef)
    }
}

/// One form of a term: its folded text and its units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FormRef<'a>(&'a str);

impl<'a> FormRef<'a> {
    pub fn text(self) -> &'a str {
        self.0.split(UNITS).next().unwrap_or_default()
    }

    pub fn units(self) -> impl Iterator<Item = UnitRef<'a>> + Clone {
        self.0.split(UNITS).skip(1).filter_map(|p| {
            let mut c = p.chars();
            let kind = c.next()?;
            Some(UnitRef {
                text: c.as_str(),
                cjk: kind != 'L',
                kana: kind == 'K',
            })
        })
    }
}

/// A unit of a form, read in place (`index::Unit` once copied).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnitRef<'a> {
    pub text: &'a str,
    pub cjk: bool,
    pub kana: bool,
}

impl UnitRef<'_> {
    pub fn to_unit(self) -> Unit {
        Unit {
            text: self.text.to_string(),
            cjk: self.cjk,
            kana: self.kana,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_terms_are_folded_and_read_like_the_builtin_ones() {
        let l = line(["Ｋｅｙ Ｖａｕｌｔ", "키볼트", "키볼트", "キーボルト"]).unwrap();
        let g = Glossary::new("").with([l]);
        let t = g.terms().next().unwrap();
        let texts: Vec<&str> = t.forms().map(|f| f.text()).collect();
        assert_eq!(texts, ["key vault", "키볼트", "キーボルト"]);
        let first: Vec<Unit> = t
            .forms()
            .next()
            .unwrap()
            .units()
            .map(UnitRef::to_unit)
            .collect();
        assert_eq!(first, index::units("key vault"));
        // Found by any part of any form, once however often it holds it.
        let g = g.with([line(["token", "トークン"]).unwrap()]);
        let with = |n: &str| -> Vec<String> {
            g.terms_with(n)
                .map(|t| t.forms().next().unwrap().text().to_string())
                .collect()
        };
        assert_eq!(with("ボルト"), ["key vault"]);
        assert_eq!(with("k"), ["key vault", "token"]);
        assert_eq!(with("ー"), ["key vault", "token"]);
        assert!(with("expired").is_empty());
        // One form, or one and a blank one, makes no term; nor does a form holding a separator that
        // folding keeps (a tab folds to a space).
        assert_eq!(line(["token", "TOKEN"]), None);
        assert_eq!(line(["token", " "]), None);
        assert_eq!(line(["token", "to\u{1f}ken"]), None);
        let tab = line(["token", "to\tken"]).unwrap();
        let g = Glossary::new(tab.as_str());
        let texts: Vec<&str> = g
            .terms()
            .flat_map(|t| t.forms())
            .map(|f| f.text())
            .collect();
        assert_eq!(texts, ["token", "to ken"]);
    }
}
