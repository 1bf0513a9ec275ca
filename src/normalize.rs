//! Text normalisation for search, shared by the crate and by `build.rs` (`#[path = "src/normalize.rs"]`),
//! which folds the built-in catalogs' text once, at build time, so that a search does not redo it on every run.
//! It depends on std and unicode-normalization only.

use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};

/// Separates the items of a folded field. Folded text never holds a newline (white space folds to one
/// space), so a query word can never match across two items.
pub const SEPARATOR: char = '\n';

/// NFKC, lowercase, and `_`/`-` as spaces, with runs of white space folded.
pub fn normalize(s: &str) -> String {
    // Most catalog text is already in NFKC; the quick check avoids rebuilding it.
    if is_nfkc_quick(s.chars()) == IsNormalized::Yes {
        fold(s.chars(), s.len())
    } else {
        fold(s.nfkc(), s.len())
    }
}

/// Lowercase, `_`/`-` as spaces, runs of white space as one space, none at either end.
fn fold(chars: impl Iterator<Item = char>, capacity: usize) -> String {
    let mut out = String::with_capacity(capacity);
    let mut space = true; // at the start, and after a space: drop further white space
    for c in chars.flat_map(char::to_lowercase) {
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
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// Normalises each item and joins them with [`SEPARATOR`]; empty items are left out.
pub fn fold_all<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for item in items {
        let n = normalize(item);
        if n.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(SEPARATOR);
        }
        out.push_str(&n);
    }
    out
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
    fn fold_all_keeps_items_apart() {
        assert_eq!(fold_all(["A_b", "", " \t", "C\nd"]), "a b\nc d");
    }
}
