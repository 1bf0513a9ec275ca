//! Free-text search over codes, names, aliases and every language's text.
//!
//! Both sides are normalised (Unicode NFKC, lowercase, `_` and `-` read as spaces). Results are ranked in
//! tiers: an exact code or name, then a prefix of one, then every query word found in the entry's text, then
//! a fuzzy match of identifiers and messages above a threshold. Scores run from 0 to 100.

use crate::catalog::{Book, Hit};
pub use crate::normalize::normalize;
use crate::normalize::SEPARATOR;
use fuzzy_matcher::skim::SkimMatcherV2;
use fuzzy_matcher::FuzzyMatcher;

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

/// Searches every entry of `book`; the best first, at most `limit`.
pub fn search(book: &Book, text: &str, limit: usize) -> Vec<Hit> {
    let q = normalize(text);
    if q.is_empty() || limit == 0 {
        return Vec::new();
    }
    let words: Vec<&str> = q.split(' ').collect();
    let mut hits: Vec<Hit> = book
        .hits()
        .filter_map(|hit| {
            exact_or_words(&hit, &q, &words).map(|score| Hit {
                score: Some(score),
                ..hit
            })
        })
        .collect();
    // Fuzzy matching only makes sense for Latin-script queries of some length; for Korean and Japanese,
    // the word tier (substring) is what a reader expects. Fuzzy scores rank below every other tier, so when
    // those already fill the limit, the (costly) fuzzy pass could not change the result and is skipped.
    if hits.len() < limit && !has_cjk(&q) && q.chars().count() >= 3 {
        let matcher = SkimMatcherV2::default();
        let mut fuzzy: Vec<Hit> = book
            .hits()
            .filter_map(|hit| {
                fuzzy_score(&hit, &q, &matcher).map(|score| Hit {
                    score: Some(score),
                    ..hit
                })
            })
            .filter(|h| !hits.iter().any(|o| std::ptr::eq(o.entry, h.entry)))
            .collect();
        hits.append(&mut fuzzy);
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

fn items(folded: &'static str) -> impl Iterator<Item = &'static str> {
    folded.split(SEPARATOR).filter(|s| !s.is_empty())
}

/// The exact, prefix and word tiers.
fn exact_or_words(hit: &Hit, q: &str, words: &[&str]) -> Option<f64> {
    let f = &hit.entry.folded;
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
    let strong = |w: &str| f.keys.contains(w) || f.messages.contains(w);
    if !words.iter().all(|w| strong(w) || f.rest.contains(w)) {
        return None;
    }
    // Words in names and messages count more than words in descriptions and hints.
    let n_strong = words.iter().filter(|w| strong(w)).count() as f64;
    let phrase = strong(q) || f.rest.contains(q);
    let s = WORDS + 10.0 * n_strong / words.len() as f64 + if phrase { 5.0 } else { 0.0 };
    Some(round(s.min(PREFIX - 1.0)))
}

/// The fuzzy tier: identifiers and messages only, so that long hints do not match everything.
fn fuzzy_score(hit: &Hit, q: &str, matcher: &SkimMatcherV2) -> Option<f64> {
    let f = &hit.entry.folded;
    let qlen = q.chars().count() as i64;
    let best = items(f.keys)
        .chain(items(f.messages))
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
