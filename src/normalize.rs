//! Text normalisation for search, shared by the crate and by `build.rs` (`#[path = "src/normalize.rs"]`),
//! which folds the built-in glossary once, at build time.
//! It depends on std and unicode-normalization only.

use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};

/// NFKC, lowercase, and `_`/`-` as spaces, with runs of white space folded.
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    normalize_into(s, &mut out);
    out
}

/// [`normalize`], appending to `out` (so that a caller folding many texts can reuse one buffer).
pub fn normalize_into(s: &str, out: &mut String) {
    let start = out.len();
    // Most catalog text is already in NFKC; the quick check avoids rebuilding it. ASCII needs neither.
    if s.is_ascii() {
        // The common case, plain words and single spaces, is only a lowercase copy (a quick byte test
        // tells); anything else goes through the general fold.
        let plain = !s.bytes().any(|b| matches!(b, b'_' | b'-' | b'\t'..=b'\r'))
            && !s.starts_with(' ')
            && !s.ends_with(' ')
            && !s.contains("  ");
        if plain {
            out.push_str(s);
            out[start..].make_ascii_lowercase();
            return;
        }
        fold(s.bytes().map(|b| b.to_ascii_lowercase() as char), out);
    } else if is_nfkc_quick(s.chars()) == IsNormalized::Yes {
        fold(s.chars().flat_map(char::to_lowercase), out);
    } else {
        fold(s.nfkc().flat_map(char::to_lowercase), out);
    }
    if out.len() > start && out.ends_with(' ') {
        out.pop();
    }
}

/// `_`/`-` as spaces, runs of white space as one space, none at the start (the caller trims the end).
fn fold(chars: impl Iterator<Item = char>, out: &mut String) {
    let mut space = true; // at the start, and after a space: drop further white space
    for c in chars {
        let c = if c == '_' || c == '-' { ' ' } else { c };
        if c.is_whitespace() {
            if !space {
                out.push(' ');
                space = true;
            }
        } else {
            out.push(c);
            space = false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_folds_width_case_and_separators() {
        assert_eq!(
            normalize("ＮＥＴＷＯＲＫ_Connection-failure"),
            "network connection failure"
        );
        assert_eq!(normalize("  キーボルト  "), "キーボルト");
        // Half-width katakana become full-width.
        assert_eq!(normalize("ｷｰﾎﾞﾙﾄ"), "キーボルト");
    }

    #[test]
    fn ascii_fast_path_agrees_with_the_general_fold() {
        for s in [
            "Token Is Expired.",
            "a_b-c",
            " lead",
            "trail ",
            "two  spaces",
            "tab\there",
            "v\x0bt",
            "",
        ] {
            let mut general = String::new();
            fold(s.chars().flat_map(char::to_lowercase), &mut general);
            if general.ends_with(' ') {
                general.pop();
            }
            assert_eq!(normalize(s), general, "{s:?}");
        }
    }
}
