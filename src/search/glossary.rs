//! The cross-language glossary (`catalog/glossary.toml`, embedded as it is, and the `[[glossary]]` tables
//! of user catalogs): sets of words that mean the same thing in English, Korean and Japanese, so that a
//! query in one language also finds text written in another (`토큰` ↔ `token` ↔ `トークン`).

use crate::normalize::normalize;
use serde::Deserialize;
use std::sync::OnceLock;

static BUILTIN: &str = include_str!("../../catalog/glossary.toml");

/// One term: its forms in every language, folded like a query.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Term {
    pub forms: Vec<String>,
}

/// A `[[term]]` (or a user catalog's `[[glossary]]`) as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Written {
    #[serde(default)]
    pub en: Vec<String>,
    #[serde(default)]
    pub ko: Vec<String>,
    #[serde(default)]
    pub ja: Vec<String>,
}

impl Written {
    pub fn term(&self) -> Term {
        let mut forms: Vec<String> = Vec::new();
        for f in self.en.iter().chain(&self.ko).chain(&self.ja) {
            let f = normalize(f);
            if !f.is_empty() && !forms.contains(&f) {
                forms.push(f);
            }
        }
        Term { forms }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    term: Vec<Written>,
}

/// Parses a glossary file's text.
pub fn parse(text: &str) -> Result<Vec<Term>, toml::de::Error> {
    let f: File = toml::from_str(text)?;
    Ok(f.term.iter().map(Written::term).collect())
}

/// The built-in glossary, parsed on first use (it is part of the program, and a test checks that it
/// parses).
pub fn builtin() -> &'static [Term] {
    static TERMS: OnceLock<Vec<Term>> = OnceLock::new();
    TERMS.get_or_init(|| parse(BUILTIN).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_glossary_parses_and_bridges_the_issue_s_examples() {
        let terms = parse(BUILTIN).unwrap();
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
    }
}
