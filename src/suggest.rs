//! "Did you mean": the entries closest to a query that found nothing, by edit distance and, for numbers,
//! by numeric closeness; for a name or word that is no code (`token_expired`), also what a search for it
//! finds best.

use crate::catalog::{Book, Catalog, Hit};

pub const MAX_SUGGESTIONS: usize = 5;

/// "did you mean 8002 (pallycon), 8004 (pallycon)?" for the entries closest to `query`; `None` when
/// nothing is close.
pub fn did_you_mean(book: &Book, query: &str) -> Option<String> {
    let close = suggest(book, query);
    let names: Vec<String> = close
        .iter()
        .map(|h| format!("{} ({})", h.entry.code, h.catalog.id()))
        .collect();
    (!names.is_empty()).then(|| format!("did you mean {}?", names.join(", ")))
}

/// Up to five entries close to `query`, the closest first.
pub fn suggest(book: &Book, query: &str) -> Vec<Hit<'static>> {
    // A qualified query suggests within its catalog.
    let (scope, q) = match query.split_once(':') {
        Some((id, rest)) => (book.catalog(id.trim()), rest.trim()),
        None => (None, query.trim()),
    };
    let q = q.to_lowercase();
    if q.is_empty() || q.len() > 256 {
        return Vec::new();
    }
    let digits: String = q.chars().filter(char::is_ascii_digit).collect();
    let qnum: Option<u64> = if digits.len() >= 2 && digits.len() <= 18 {
        digits.parse().ok()
    } else {
        None
    };
    let qlen = q.chars().count();
    let max_edits = (qlen / 3).max(2);
    let mut ranked: Vec<(usize, u64, &'static Catalog, usize)> = Vec::new();
    for &c in &book.catalogs {
        if scope.is_some_and(|s| !std::ptr::eq(s, c)) {
            continue;
        }
        for (i, row) in c.rows() {
            let edits = row
                .keys()
                // The length difference bounds the distance from below: most keys need no computing.
                .filter(|k| k.chars().count().abs_diff(qlen) <= max_edits)
                .map(|k| strsim::levenshtein(&q, &k.to_lowercase()))
                .min()
                .unwrap_or(usize::MAX);
            // Numeric closeness: same number of digits, within 1% or 10 of the value.
            let numeric = match (qnum, row.number()) {
                (Some(a), Some(b)) if b.to_string().len() == digits.len() => {
                    let d = a.abs_diff(b);
                    (d <= 10.max(a / 100)).then_some(d)
                }
                _ => None,
            };
            // An edit for every character is no resemblance (`x` is not close to `0`).
            if (edits <= max_edits && edits < qlen) || numeric.is_some() {
                ranked.push((edits, numeric.unwrap_or(u64::MAX), c, i));
            }
        }
    }
    ranked.sort_by_key(|(edits, diff, _, _)| (*edits.min(&3), *diff, *edits));
    let near = |(edits, _, _, _): &(usize, u64, &Catalog, usize)| *edits <= 2;
    let close = ranked.iter().take_while(|r| near(r)).count();
    let mut out: Vec<Hit<'static>> = Vec::new();
    let mut add = |h: Hit<'static>| {
        if out.len() < MAX_SUGGESTIONS && !out.iter().any(|o| o.same(&h)) {
            out.push(h);
        }
    };
    let hit = |&(_, _, c, i): &(usize, u64, &'static Catalog, usize)| {
        c.entry_at(i).map(|e| Hit::new(c, i, e))
    };
    // Spellings a key or two away first; then, for words, the best search results; then the rest.
    ranked[..close].iter().filter_map(hit).for_each(&mut add);
    if q.chars().any(char::is_alphabetic) && qnum.is_none() {
        let found = crate::search::suggest(book, q.as_str(), MAX_SUGGESTIONS * 2);
        let found = found
            .into_iter()
            .filter(|h| scope.is_none_or(|s| std::ptr::eq(s, h.catalog)));
        found
            .map(|h| Hit::new(h.catalog, h.index, h.entry))
            .for_each(&mut add);
    }
    ranked[close..].iter().filter_map(hit).for_each(&mut add);
    out
}
