//! "Did you mean": the entries closest to a query that found nothing, by edit distance and, for numbers,
//! by numeric closeness.

use crate::catalog::{Book, Catalog, Hit};

pub const MAX_SUGGESTIONS: usize = 5;

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
    ranked
        .into_iter()
        .filter_map(|(_, _, c, i)| c.entry_at(i).map(|e| Hit::new(c, i, e)))
        .take(MAX_SUGGESTIONS)
        .collect()
}
