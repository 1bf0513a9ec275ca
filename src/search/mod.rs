//! Free-text search: a BM25F ranking over each catalog's search index (`catalog::index`), in English,
//! Korean and Japanese.
//!
//! How a query is read ([`query`]): it is split into units as the index splits text (Latin words, lightly
//! stemmed; runs of Korean or Japanese, matched by their character bigrams; katakana runs also as whole
//! words). A unit that is a word of the cross-language glossary ([`glossary`]) also finds the glossary's
//! other words for it (`토큰` finds `token` and `トークン`), weighted below the word as typed. A Latin word
//! that is in no entry is read as the nearest words of the index (edit distance, with a penalty).
//!
//! How entries are scored: each unit is scored with BM25F: its rarity (IDF over every catalog searched),
//! how often it occurs in each field, the field's weight (code, name and aliases 3; messages 2; domain
//! title, vendor, product and HTTP status 1; description and hint 0.25) and the field's length against
//! the average (length normalisation). Not every unit has to match; an entry's relevance is the sum over
//! the units; a match in a retired entry counts 0.9. The score shown is that sum as a share of the most
//! the query could score (each unit at BM25's saturation, idf × (k1 + 1)), times 89. A query equal to an
//! entry's code, name or alias scores 100; one that begins a code, name or alias 81-90 (shorter
//! completions higher). Ties are broken by the best field matched (a name before a message before a
//! description), then catalog order.

pub mod glossary;
mod query;
mod sources;

use crate::catalog::index::{self, FIELDS};
use crate::catalog::{Book, Hit, Matched};
pub use crate::normalize::normalize;
use glossary::Glossary;
use query::Query;
use sources::Source;
use std::collections::HashMap;

pub const EXACT: f64 = 100.0;
pub const PREFIX: f64 = 90.0;
/// The most a text match scores.
pub const TEXT: f64 = 89.0;

/// BM25F: each field's weight and length normalisation, and the saturation of term counts.
const WEIGHT: [f32; FIELDS] = [3.0, 2.0, 1.0, 0.25];
const B: [f32; FIELDS] = [0.5, 0.75, 0.3, 0.75];
const K1: f32 = 1.2;
/// What a match in a retired entry (one its source no longer defines) counts.
const RETIRED: f32 = 0.9;
/// The names of the fields in `matched`.
const FIELD_NAMES: [&str; FIELDS] = ["key", "message", "title", "text"];

/// The built-in glossary (`catalog/glossary.toml`, stored by build.rs in the form `glossary` reads).
pub fn builtin_glossary() -> Glossary<'static> {
    static STORED: &str = include_str!(concat!(env!("OUT_DIR"), "/glossary.tsv"));
    Glossary::new(STORED)
}

/// Searches every entry of `book`; the best first, at most `limit`. Only the results are decoded.
pub fn search(book: &Book, text: &str, limit: usize) -> Vec<Hit<'static>> {
    if limit == 0 {
        return Vec::new();
    }
    let q = normalize(text);
    if q.is_empty() {
        return Vec::new();
    }
    let mut ranking = rank(book, text, &q);
    // A cache file found damaged on the way is made again, and the search run on the fresh one.
    if book.catalogs.iter().any(|c| c.recover_if_damaged()) {
        ranking = rank(book, text, &q);
    }
    let Ranking {
        mut found,
        picks,
        query,
    } = ranking;
    let order = |a: &Ranked, b: &Ranked| {
        b.score
            .total_cmp(&a.score)
            .then(b.raw.total_cmp(&a.raw))
            .then(a.best_field.cmp(&b.best_field))
            .then(a.catalog.cmp(&b.catalog))
            .then(a.index.cmp(&b.index))
    };
    // Only the results shown are put in order.
    if found.len() > limit {
        found.select_nth_unstable_by(limit, order);
        found.truncate(limit);
    }
    found.sort_unstable_by(order);
    // How each result matched is written out for the results only; those that matched the same way
    // share one description of it.
    let typed = text.trim();
    let mut described: HashMap<Matched, &'static Matched> = HashMap::new();
    found
        .into_iter()
        .filter_map(|r| {
            let c = book.catalogs[r.catalog];
            let e = c.entry_at(r.index)?;
            let mut terms = Vec::new();
            if r.key {
                terms.push(typed.to_string());
            }
            if let Some(at) = r.picks {
                let at = at as usize;
                for l in query.labels(picks.get(at..at + query.groups()).unwrap_or_default()) {
                    if !terms.contains(&l) {
                        terms.push(l);
                    }
                }
            }
            let fields = u8::from(r.key) | r.fields;
            let m = Matched {
                fields: (0..FIELDS)
                    .filter(|f| fields & (1 << f) != 0)
                    .map(|f| FIELD_NAMES[f])
                    .collect(),
                terms,
            };
            let matched = *described
                .entry(m)
                .or_insert_with_key(|m| Box::leak(Box::new(m.clone())));
            Some(Hit {
                score: Some(r.score),
                matched: Some(matched),
                ..Hit::new(c, r.index, e)
            })
        })
        .collect()
}

/// The entries `search` would show for a name or word that is no code (`lookup token_expired`): the
/// best `n` whose text matched, however weakly.
pub fn suggest(book: &Book, text: &str, n: usize) -> Vec<Hit<'static>> {
    search(book, text, n)
}

/// One entry found, before it is decoded.
struct Ranked {
    score: f64,
    /// The score before rounding, which orders results that round alike.
    raw: f64,
    /// The best field that matched (0: a key).
    best_field: usize,
    catalog: usize,
    index: usize,
    /// Whether the query is (or begins) one of its codes, names or aliases.
    key: bool,
    /// The fields its text matched in, a bit each.
    fields: u8,
    /// Where the alternatives its text matched by begin in [`Ranking::picks`].
    picks: Option<u32>,
}

/// Every entry that matched, and what is needed to say how.
struct Ranking {
    found: Vec<Ranked>,
    /// For each entry whose text matched, the alternative of each query group that counted
    /// (`Query::score`).
    picks: Vec<u16>,
    query: Query,
}

fn round(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// Every entry that matches, scored.
fn rank(book: &Book, raw: &str, q: &str) -> Ranking {
    let mut found: Vec<Ranked> = Vec::new();

    // Exact and prefix matches of a code, name or alias.
    let lower = raw.trim().to_lowercase();
    let joined = q.replace(' ', "_");
    let keyed = |catalog: usize, index: usize, score: f64| Ranked {
        score,
        raw: score,
        best_field: 0,
        catalog,
        index,
        key: true,
        fields: 0,
        picks: None,
    };
    for (ci, c) in book.catalogs.iter().enumerate() {
        let mut exact = c.find_key(&lower);
        if joined != lower {
            exact.extend(c.find_key(&joined));
        }
        found.extend(exact.into_iter().map(|i| keyed(ci, i, EXACT)));
        if lower.is_empty() || lower.contains(char::is_whitespace) {
            continue;
        }
        for (i, len) in c.find_key_prefix(&lower) {
            // Shorter completions rank higher: 7011 before 70110.
            let extra = len.saturating_sub(lower.len()).max(1) as f64;
            found.push(keyed(ci, i, round(PREFIX - (extra / (extra + 4.0)) * 9.0)));
        }
    }
    // An entry matched by several keys counts its best; the entries stay in (catalog, entry) order, for
    // the text tier to find them by a binary search.
    found.sort_by(|a, b| {
        (a.catalog, a.index)
            .cmp(&(b.catalog, b.index))
            .then(b.score.total_cmp(&a.score))
    });
    found.dedup_by_key(|r| (r.catalog, r.index));
    let keyed = found.len();

    // The text tier.
    let sources = sources::sources(book);
    let mut query = Query::new(raw, book, &sources);
    let mut picks = Vec::new();
    for r in text_matches(&sources, &mut query, &mut picks) {
        match found[..keyed].binary_search_by_key(&(r.catalog, r.index), |f| (f.catalog, f.index)) {
            Ok(k) => {
                let f = &mut found[k];
                if r.score > f.score {
                    f.score = r.score;
                    f.raw = r.raw;
                }
                f.fields |= r.fields;
                f.picks = r.picks;
            }
            Err(_) => found.push(r),
        }
    }
    Ranking {
        found,
        picks,
        query,
    }
}

/// The BM25F score of every entry of every catalog for the query's units.
fn text_matches(sources: &[Source], query: &mut Query, picks: &mut Vec<u16>) -> Vec<Ranked> {
    let slots = query.terms.len();
    if slots == 0 {
        return Vec::new();
    }
    // Statistics over every catalog searched, so that scores compare across catalogs.
    let n: usize = sources.iter().map(|s| s.index.entries).sum();
    if n == 0 {
        return Vec::new();
    }
    let mut totals = [0f64; FIELDS];
    for s in sources {
        for (f, t) in totals.iter_mut().enumerate() {
            *t += s.index.totals[f] as f64;
        }
    }
    let avg: Vec<f32> = totals
        .iter()
        .map(|t| ((t / n as f64) as f32).max(1.0))
        .collect();
    // Each term's number in each index, and its document frequency over all.
    let found: Vec<Vec<Option<usize>>> = sources
        .iter()
        .map(|s| query.terms.iter().map(|t| s.index.find(t)).collect())
        .collect();
    let mut df = vec![0usize; slots];
    for (source, f) in sources.iter().zip(&found) {
        for (s, t) in f.iter().enumerate() {
            if let Some(t) = t {
                df[s] += source.index.df(*t).unwrap_or(0);
            }
        }
    }
    let idf: Vec<f32> = df
        .iter()
        .map(|&d| {
            let d = d as f32;
            libm::logf(1.0 + (n as f32 - d + 0.5) / (d + 0.5))
        })
        .collect();
    // The most a term can score: BM25's saturation, idf × (k1 + 1). A term no entry has counts as a
    // miss of the rarest kind; a group with no term any entry has is left out of the query.
    let ceiling: Vec<f32> = idf.iter().map(|i| i * (K1 + 1.0)).collect();
    query.known(&df, &ceiling);
    let best = query.ceiling();
    if best <= 0.0 {
        return Vec::new();
    }

    let mut out = Vec::new();
    // Which terms lead to an entry that can score (the others count only beside them, or all together).
    let (leads, together) = query.leads();
    // Buffers for every index: each term's postings, how far each has been read, and the entries that
    // have every pair of a katakana word.
    let mut postings: Vec<index::Postings> = (0..slots).map(|_| Default::default()).collect();
    let mut cursor = vec![0usize; slots];
    let mut has: Vec<Option<usize>> = vec![None; slots];
    let mut vals = vec![0f32; slots];
    let mut masks = vec![0u8; slots];
    let mut inside: Vec<u32> = Vec::new();
    for (source, found) in sources.iter().zip(&found) {
        let ix = &source.index;
        for (s, t) in found.iter().enumerate() {
            let p = &mut postings[s];
            if t.and_then(|t| ix.postings_into(t, p)).is_none() {
                p.entries.clear();
                p.counts.clear();
            }
        }
        inside.clear();
        for set in &together {
            let Some((first, rest)) = set.split_first() else {
                continue;
            };
            inside.extend(postings[*first].entries.iter().copied().filter(|e| {
                rest.iter()
                    .all(|&s| postings[s].entries.binary_search(e).is_ok())
            }));
        }
        inside.sort_unstable();
        inside.dedup();
        // The entries that can score, in order: the smallest entry not yet passed in the posting list
        // of a leading term or in `inside`. An entry with only some pairs of a katakana word (ネットワーク
        // has ーク of トークン) is not read at all.
        cursor.fill(0);
        let mut next_inside = 0;
        loop {
            let next = postings
                .iter()
                .zip(&cursor)
                .zip(&leads)
                .filter(|(_, &lead)| lead)
                .filter_map(|((p, &c), _)| p.entries.get(c))
                .chain(inside.get(next_inside))
                .min();
            let Some(&e) = next else {
                break;
            };
            if inside.get(next_inside) == Some(&e) {
                next_inside += 1;
            }
            // Where each term has the entry; every list moves past it.
            for (s, p) in postings.iter().enumerate() {
                has[s] = None;
                let c = &mut cursor[s];
                while p.entries.get(*c).is_some_and(|&x| x < e) {
                    *c += 1;
                }
                if p.entries.get(*c) == Some(&e) {
                    has[s] = Some(*c);
                    *c += 1;
                }
            }
            let Some((catalog, index)) = source.locate(e as usize) else {
                continue;
            };
            // The entry's field lengths are read once, for the terms it has.
            let Some(lens) = ix.lens(e as usize) else {
                continue;
            };
            // A code the source no longer defines is less likely what the reader sees today.
            let factor = if lens[FIELDS] & index::RETIRED != 0 {
                RETIRED
            } else {
                1.0
            };
            for s in 0..slots {
                vals[s] = 0.0;
                masks[s] = 0;
                let Some(c) = has[s] else {
                    continue;
                };
                let counts = &postings[s].counts[c];
                let mut tf = 0f32;
                for f in 0..FIELDS {
                    if counts[f] == 0 {
                        continue;
                    }
                    masks[s] |= 1 << f;
                    let norm = 1.0 - B[f] + B[f] * f32::from(lens[f]) / avg[f];
                    tf += WEIGHT[f] * f32::from(counts[f]) / norm;
                }
                vals[s] = factor * idf[s] * tf * (K1 + 1.0) / (K1 + tf);
            }
            let at = picks.len();
            let (total, fields) = query.score(&vals, &masks, picks);
            if total <= 0.0 {
                picks.truncate(at);
                continue;
            }
            let share = f64::from((total / best).min(1.0));
            out.push(Ranked {
                score: round(TEXT * share).max(0.1),
                raw: share,
                best_field: (fields.trailing_zeros() as usize).min(FIELDS),
                catalog,
                index,
                key: false,
                fields,
                picks: u32::try_from(at).ok(),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The built-in catalogs' combined index ranks exactly as their own indexes do: the same entries,
    /// scores and fields for words, Korean and Japanese pairs, glossary words and typos.
    #[test]
    fn the_combined_index_ranks_as_each_catalogs_own() {
        let book = Book::builtin();
        let together = sources::sources(&book);
        let apart = sources::each(&book, &[]);
        assert_eq!((together.len(), apart.len()), (1, book.catalogs.len()));
        for q in [
            "token",
            "license server says device revoked",
            "만료된 토큰",
            "期限切れ",
            "キー",
            "tokne expird",
            "http 403",
        ] {
            let ranked = |sources: &[sources::Source]| {
                let mut query = Query::new(q, &book, sources);
                let mut picks = Vec::new();
                let mut out: Vec<_> = text_matches(sources, &mut query, &mut picks)
                    .into_iter()
                    .map(|r| (r.catalog, r.index, r.raw.to_bits(), r.fields))
                    .collect();
                out.sort_unstable();
                out
            };
            let (a, b) = (ranked(&together), ranked(&apart));
            assert!(!a.is_empty(), "{q}");
            assert_eq!(a, b, "{q}");
        }
    }

    #[test]
    fn the_builtin_glossary_bridges_the_issue_s_examples() {
        let g = builtin_glossary();
        assert!(g.terms().count() >= 20, "{}", g.terms().count());
        let same = |a: &str, b: &str| {
            g.terms()
                .any(|t| t.forms().any(|f| f.text() == a) && t.forms().any(|f| f.text() == b))
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
        // The units stored are the units a query's words are split into.
        for t in g.terms() {
            for f in t.forms() {
                let stored: Vec<index::Unit> = f.units().map(glossary::UnitRef::to_unit).collect();
                assert_eq!(stored, index::units(f.text()), "{}", f.text());
            }
        }
    }

    fn top(q: &str, n: usize) -> Vec<String> {
        search(&Book::builtin(), q, n)
            .iter()
            .map(|h| format!("{}:{}", h.catalog.id, h.entry.code))
            .collect()
    }

    /// The issue's examples: Korean with particles finds PallyCon's token expiry, though its Korean
    /// text writes "Token".
    #[test]
    fn korean_with_particles_finds_the_token_expiry() {
        for q in ["만료된 토큰", "토큰이 만료됨"] {
            let t = top(q, 3);
            assert!(t.contains(&"pallycon:7011".to_string()), "{q}: {t:?}");
        }
    }

    /// A query of more than 64 terms still finds what its last word finds: past the 64th term,
    /// alternatives are no longer told apart by the terms an entry has, and none is skipped.
    #[test]
    fn a_term_past_the_sixty_fourth_still_counts() {
        // Three runs of 25 different Hangul syllables: 72 pairs before the English words.
        let syllables: Vec<char> = ('가'..).step_by(37).take(75).collect();
        let runs: Vec<String> = syllables.chunks(25).map(|c| c.iter().collect()).collect();
        let q = format!("{} token expired", runs.join(" "));
        let book = Book::builtin();
        let sources = sources::sources(&book);
        let query = Query::new(&q, &book, &sources);
        assert!(query.terms.len() > 64, "{}", query.terms.len());
        let last = query.terms.iter().position(|t| t == "token").unwrap();
        assert!(last >= 64, "{last}");
        let hits = search(&book, &q, 20);
        assert!(
            hits.iter().any(|h| h.entry.code == "7011"),
            "{:?}",
            hits.iter().map(|h| &h.entry.code).collect::<Vec<_>>()
        );
    }

    /// `キー` as a word ranks above a `キー` inside `スキーム`.
    #[test]
    fn a_katakana_word_is_not_matched_inside_another_at_word_weight() {
        let hits = search(&Book::builtin(), "キー", 1000);
        let rank = |code: &str| hits.iter().position(|h| h.entry.code == code);
        // Still found inside the longer word, through all of its pairs (here the one, キー).
        let scheme = rank("invalid_custom_scheme").expect("スキーム holds キー");
        let word = rank("40013").expect("skms 40013 has キー");
        assert!(word < scheme, "{word} {scheme}");
    }

    /// A katakana word is found inside a longer one only with all of its pairs of characters: `token`
    /// (through トークン) finds no entry whose text has only `ーク` (ネットワーク) or `トー` (トーン).
    #[test]
    fn a_katakana_word_is_not_found_by_a_part_of_it() {
        let all = search(&Book::builtin(), "token", 100_000);
        assert!(all.len() >= 50, "{}", all.len());
        for h in &all {
            let texts = serde_json::to_string(h.entry).unwrap();
            let folded = normalize(&texts);
            assert!(
                ["token", "토큰", "トークン"]
                    .iter()
                    .any(|w| folded.contains(w)),
                "{}:{} matched token without any of its forms",
                h.catalog.id,
                h.entry.code
            );
        }
    }

    /// Scores stay within 0-100, exact keys score 100, and results are in order.
    #[test]
    fn scores_are_ordered_and_bounded() {
        for q in [
            "7011",
            "token",
            "license expired",
            "만료",
            "期限切れ",
            "zzzz qqqq",
            "a",
        ] {
            let hits = search(&Book::builtin(), q, 50);
            let s: Vec<f64> = hits.iter().map(|h| h.score.unwrap()).collect();
            assert!(s.windows(2).all(|w| w[0] >= w[1]), "{q}: {s:?}");
            assert!(s.iter().all(|s| (0.0..=100.0).contains(s)), "{q}: {s:?}");
            assert!(hits.iter().all(|h| h.matched.is_some()), "{q}");
        }
        assert_eq!(search(&Book::builtin(), "7011", 1)[0].score, Some(100.0));
    }

    /// A typo is read as the nearest word of the index.
    #[test]
    fn typos_find_the_word_meant() {
        let hits = search(&Book::builtin(), "tokne expird", 3);
        assert!(
            hits.iter().any(|h| h.entry.code == "7011"),
            "{:?}",
            top("tokne expird", 3)
        );
        let m = hits[0].matched.unwrap();
        assert!(m.terms.iter().any(|t| t.contains("token")), "{m:?}");
    }
}
