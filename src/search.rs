//! Free-text search over codes, names, aliases and every language's text.
//!
//! Both sides are normalised (Unicode NFKC, lowercase, `_` and `-` read as spaces). Results are ranked in
//! tiers: an exact code or name, then a prefix of one, then every query word found in the entry's text, then
//! a fuzzy match of identifiers and messages above a threshold. Scores run from 0 to 100.

use crate::catalog::{Book, Catalog, Hit};
pub use crate::normalize::normalize;
use crate::normalize::SEPARATOR;
use fuzzy_matcher::skim::SkimMatcherV2;
use fuzzy_matcher::FuzzyMatcher;
use memchr::memmem::Finder;

pub const EXACT: f64 = 100.0;
pub const PREFIX: f64 = 90.0;
pub const WORDS: f64 = 70.0;
pub const FUZZY: f64 = 50.0;

fn has_cjk(s: &str) -> bool {
    s.chars().any(|c| {
        matches!(c as u32,
            0x1100..=0x11FF | 0x3040..=0x30FF | 0x3130..=0x318F | 0x3400..=0x4DBF
            | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0xFF66..=0xFF9F)
    })
}

/// Searches every entry of `book`; the best first, at most `limit`. Entries are scored on their folded text
/// and only the results are decoded (a user catalog's entries stay in their stored form).
pub fn search(book: &Book, text: &str, limit: usize) -> Vec<Hit<'static>> {
    let q = normalize(text);
    if q.is_empty() || limit == 0 {
        return Vec::new();
    }
    let needles = Needles::new(&q);
    let mut scored: Vec<(f64, &'static Catalog, usize)> = Vec::new();
    for &c in &book.catalogs {
        for i in 0..c.len() {
            if let Some(score) = folded(c, i).and_then(|f| exact_or_words(f, &q, &needles)) {
                scored.push((score, c, i));
            }
        }
    }
    // Fuzzy matching only makes sense for Latin-script queries of some length; for Korean and Japanese,
    // the word tier (substring) is what a reader expects. Fuzzy scores rank below every other tier, so when
    // those already fill the limit, the (costly) fuzzy pass could not change the result and is skipped.
    if scored.len() < limit && !has_cjk(&q) && q.chars().count() >= 3 {
        let matcher = SkimMatcherV2::default();
        let words = scored.len();
        for &c in &book.catalogs {
            for i in 0..c.len() {
                let seen = scored[..words]
                    .iter()
                    .any(|s| std::ptr::eq(s.1, c) && s.2 == i);
                if seen {
                    continue;
                }
                if let Some(score) = folded(c, i).and_then(|f| fuzzy_score(f, &q, &matcher)) {
                    scored.push((score, c, i));
                }
            }
        }
    }
    // Stable: equal scores keep catalog order.
    scored.sort_by(|a, b| b.0.partial_cmp(&a.0).unwrap_or(std::cmp::Ordering::Equal));
    scored
        .into_iter()
        .filter_map(|(score, c, i)| {
            c.entry_at(i).map(|e| Hit {
                score: Some(score),
                ..Hit::new(c, i, e)
            })
        })
        .take(limit)
        .collect()
}

fn round(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

fn items(folded: &str) -> impl Iterator<Item = &str> {
    folded.split(SEPARATOR).filter(|s| !s.is_empty())
}

/// An entry's text folded for search (`catalog::store::folded`), as its stored form holds it.
#[derive(Clone, Copy)]
struct Folded<'a> {
    /// Code, name and aliases.
    keys: &'a str,
    /// Messages and official notes, in every language.
    messages: &'a str,
    /// Descriptions and hints.
    rest: &'a str,
}

/// Entry `i` of `c`, folded; `None` when its stored form is damaged.
fn folded(c: &Catalog, i: usize) -> Option<Folded<'static>> {
    let [keys, messages, rest] = c.folded(i)?;
    Some(Folded {
        keys,
        messages,
        rest,
    })
}

/// The query's words and the whole query, each ready to be found in many texts (memchr's substring search,
/// built once per search).
struct Needles<'q> {
    words: Vec<Finder<'q>>,
    phrase: Finder<'q>,
}

impl<'q> Needles<'q> {
    fn new(q: &'q str) -> Needles<'q> {
        Needles {
            words: q.split(' ').map(Finder::new).collect(),
            phrase: Finder::new(q),
        }
    }
}

fn has(text: &str, needle: &Finder) -> bool {
    needle.find(text.as_bytes()).is_some()
}

/// The exact, prefix and word tiers.
fn exact_or_words(f: Folded, q: &str, needles: &Needles) -> Option<f64> {
    if items(f.keys).any(|k| k == q) {
        return Some(EXACT);
    }
    if let Some(k) = items(f.keys)
        .filter(|k| k.starts_with(q))
        .min_by_key(|k| k.len())
    {
        // Shorter completions rank higher: 7011 before 70110.
        let extra = (k.chars().count() - q.chars().count()) as f64;
        return Some(round(PREFIX - (extra / (extra + 4.0)) * 9.0));
    }
    // Every word somewhere in the entry's identifiers or texts. A query word never holds the separator, so a
    // substring test on the joined field is a test on each item.
    let strong = |n: &Finder| has(f.keys, n) || has(f.messages, n);
    let mut n_strong = 0;
    for w in &needles.words {
        if strong(w) {
            n_strong += 1;
        } else if !has(f.rest, w) {
            return None;
        }
    }
    // Words in names and messages count more than words in descriptions and hints.
    let phrase = strong(&needles.phrase) || has(f.rest, &needles.phrase);
    let s = WORDS
        + 10.0 * n_strong as f64 / needles.words.len() as f64
        + if phrase { 5.0 } else { 0.0 };
    Some(round(s.min(PREFIX - 1.0)))
}

/// Whether `q`'s characters (other than spaces) appear in `t` in the same order.
fn is_subsequence(q: &str, t: &str) -> bool {
    if q.is_ascii() && t.is_ascii() {
        let mut t = t.bytes();
        return q.bytes().filter(|b| *b != b' ').all(|c| t.any(|x| x == c));
    }
    let mut t = t.chars();
    q.chars().filter(|c| *c != ' ').all(|c| t.any(|x| x == c))
}

/// The fuzzy tier: identifiers and messages only, so that long hints do not match everything.
fn fuzzy_score(f: Folded, q: &str, matcher: &SkimMatcherV2) -> Option<f64> {
    let qlen = q.chars().count() as i64;
    let best = items(f.keys)
        .chain(items(f.messages))
        // A fuzzy match needs the query's characters in order; most texts fail that cheap test.
        .filter(|t| is_subsequence(q, t))
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
    /// What the stored form holds is the entry's text folded as the definition says.
    #[test]
    fn stored_folded_text_is_the_entry_folded() {
        let mut checked = 0;
        for c in crate::catalog::builtin() {
            for i in 0..c.len() {
                let e = c.entry_at(i).unwrap();
                let want = crate::catalog::store::folded(e);
                let got = c.folded(i).unwrap();
                assert_eq!(got.map(str::to_string), want, "{}", e.code);
                checked += 1;
            }
        }
        assert!(checked > 400);
    }
}
