//! Free-text search over codes, names, aliases and every language's text.
//!
//! Both sides are normalised (Unicode NFKC, lowercase, `_` and `-` read as spaces). Results are ranked in
//! tiers: an exact code or name, then a prefix of one, then every query word found in the entry's text, then
//! a fuzzy match of identifiers and messages above a threshold. Scores run from 0 to 100.

use crate::catalog::{Book, Hit};
use fuzzy_matcher::skim::SkimMatcherV2;
use fuzzy_matcher::FuzzyMatcher;
use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};

pub const EXACT: f64 = 100.0;
pub const PREFIX: f64 = 90.0;
pub const WORDS: f64 = 70.0;
pub const FUZZY: f64 = 50.0;

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

fn has_cjk(s: &str) -> bool {
    s.chars().any(|c| {
        matches!(c as u32,
            0x1100..=0x11FF | 0x3040..=0x30FF | 0x3130..=0x318F | 0x3400..=0x4DBF
            | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0xFF66..=0xFF9F)
    })
}

/// Searches every entry of `book`; the best first, at most `limit`.
pub fn search(book: &Book, text: &str, limit: usize) -> Vec<Hit> {
    let q = normalize(text);
    if q.is_empty() {
        return Vec::new();
    }
    let words: Vec<&str> = q.split(' ').collect();
    let matcher = SkimMatcherV2::default();
    // Fuzzy matching only makes sense for Latin-script queries of some length; for Korean and Japanese,
    // the word tier (substring) is what a reader expects.
    let fuzzy = !has_cjk(&q) && q.chars().count() >= 3;
    let mut hits: Vec<Hit> = Vec::new();
    for hit in book.hits() {
        if let Some(score) = score(&hit, &q, &words, fuzzy.then_some(&matcher)) {
            hits.push(Hit {
                score: Some(score),
                ..hit
            });
        }
    }
    // Stable: equal scores keep catalog order.
    hits.sort_by(|a, b| {
        b.score
            .partial_cmp(&a.score)
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    hits.truncate(limit);
    hits
}

fn round(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

fn score(hit: &Hit, q: &str, words: &[&str], matcher: Option<&SkimMatcherV2>) -> Option<f64> {
    let e = hit.entry;
    let keys: Vec<String> = e.keys().map(normalize).collect();
    if keys.iter().any(|k| k == q) {
        return Some(EXACT);
    }
    if let Some(k) = keys
        .iter()
        .filter(|k| k.starts_with(q))
        .min_by_key(|k| k.len())
    {
        // Shorter completions rank higher: 7011 before 70110.
        let extra = (k.chars().count() - q.chars().count()) as f64;
        return Some(round(PREFIX - (extra / (extra + 4.0)) * 9.0));
    }
    // Every word somewhere in the entry's identifiers or texts.
    let texts: Vec<String> = e
        .message
        .iter()
        .chain(e.official_note.iter())
        .map(|(_, t)| t)
        .chain(e.description.iter().map(|(_, t)| t))
        .chain(e.hint.iter().map(|(_, t)| t))
        .map(normalize)
        .collect();
    // The texts start with the messages and official notes; descriptions and hints follow.
    let messages = &texts[..e.message.iter().count() + e.official_note.iter().count()];
    let in_keys = |w: &str| keys.iter().any(|k| k.contains(w));
    let in_messages = |w: &str| messages.iter().any(|t| t.contains(w));
    let in_any = |w: &str| in_keys(w) || texts.iter().any(|t| t.contains(w));
    if words.iter().all(|w| in_any(w)) {
        // Words in names and messages count more than words in descriptions and hints.
        let strong = words
            .iter()
            .filter(|w| in_keys(w) || in_messages(w))
            .count() as f64;
        let phrase = texts.iter().any(|t| t.contains(q)) || keys.iter().any(|k| k.contains(q));
        let s = WORDS + 10.0 * strong / words.len() as f64 + if phrase { 5.0 } else { 0.0 };
        return Some(round(s.min(PREFIX - 1.0)));
    }
    let matcher = matcher?;
    // Fuzzy: identifiers and messages only, so that long hints do not match everything.
    let qlen = q.chars().count() as i64;
    let best = keys
        .iter()
        .map(String::as_str)
        .chain(messages.iter().map(String::as_str))
        .filter_map(|t| matcher.fuzzy_match(t, q))
        .max()?;
    // SkimMatcherV2 gives about 16-20 points a matched character for tight matches; scattered letters far less.
    let threshold = 14 * qlen;
    if best < threshold {
        return None;
    }
    let ratio = (best as f64 / (22.0 * qlen as f64)).min(1.0);
    Some(round(FUZZY * ratio).max(1.0))
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
}
