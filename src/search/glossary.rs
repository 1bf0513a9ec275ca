//! The cross-language glossary: sets of words that mean the same thing in English, Korean and Japanese,
//! so that a query in one language also finds text written in another (`토큰` ↔ `token` ↔ `トークン`).
//! The built-in one is `catalog/glossary.toml`, checked and folded by build.rs (`$OUT_DIR/glossary.tsv`:
//! a term a line, its forms separated by tabs); user catalogs add terms with `[[glossary]]` tables.

use crate::catalog::index::{self, Unit};
use crate::normalize::normalize;
use std::sync::OnceLock;

static BUILTIN: &str = include_str!(concat!(env!("OUT_DIR"), "/glossary.tsv"));

/// One term: its forms in every language, folded like a query, and split into units as a query is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Term {
    pub forms: Vec<String>,
    pub units: Vec<Vec<Unit>>,
}

impl Term {
    /// A term of `forms` (as written: they are folded here); `None` with fewer than two distinct forms.
    pub fn new<'a>(forms: impl IntoIterator<Item = &'a str>) -> Option<Term> {
        let mut folded: Vec<String> = Vec::new();
        for f in forms {
            let f = normalize(f);
            if !f.is_empty() && !folded.contains(&f) {
                folded.push(f);
            }
        }
        (folded.len() >= 2).then(|| Term {
            units: folded.iter().map(|f| index::units(f)).collect(),
            forms: folded,
        })
    }
}

/// The built-in glossary.
pub fn builtin() -> &'static [Term] {
    static TERMS: OnceLock<Vec<Term>> = OnceLock::new();
    TERMS.get_or_init(|| {
        // build.rs folded the forms and split them into units already (see build.rs, `glossary`).
        let mut terms = Vec::new();
        for line in BUILTIN.lines() {
            let mut t = Term::default();
            for form in line.split('\t') {
                let mut parts = form.split('\u{1f}');
                t.forms.push(parts.next().unwrap_or_default().to_string());
                t.units.push(
                    parts
                        .filter_map(|p| {
                            let mut c = p.chars();
                            let kind = c.next()?;
                            Some(Unit {
                                text: c.as_str().to_string(),
                                cjk: kind != 'L',
                                kana: kind == 'K',
                            })
                        })
                        .collect(),
                );
            }
            terms.push(t);
        }
        terms
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_glossary_bridges_the_issue_s_examples() {
        let terms = builtin();
        assert!(terms.len() >= 20, "{}", terms.len());
        let same = |a: &str, b: &str| {
            terms
                .iter()
                .any(|t| t.forms.iter().any(|f| f == a) && t.forms.iter().any(|f| f == b))
        };
        for (a, b) in [
            ("토큰", "token"),
            ("トークン", "token"),
            ("만료", "expired"),
            ("期限切れ", "expired"),
            ("와이드바인", "widevine"),
            ("페어플레이", "fairplay"),
            ("키 볼트", "key vault"),
            ("키볼트", "key vault"),
            ("キーボルト", "key vault"),
            ("인증서", "certificate"),
            ("証明書", "certificate"),
            ("채널", "channel"),
            ("レート制限", "rate limit"),
            ("속도 제한", "rate limit"),
        ] {
            assert!(same(a, b), "{a} ↔ {b}");
        }
        assert!(!same("토큰", "channel"));
        // The units build.rs wrote are the units a query's words are split into.
        for t in terms {
            for (f, u) in t.forms.iter().zip(&t.units) {
                assert_eq!(*u, index::units(f), "{f}");
            }
        }
    }
}
