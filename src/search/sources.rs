//! The search indexes a search reads, and which catalog each of their entries belongs to.
//!
//! build.rs indexes the built-in catalogs twice: each in its stored form, and all of them together
//! (`catalog::builtin::index`). When the book holds every built-in catalog as it was built, a search
//! reads the combined index: one table of terms to look its words up in instead of fourteen, and the
//! same statistics (entries, field lengths, document frequencies are sums either way), so the same
//! scores. Any other catalog (a user catalog, or a built-in one a user catalog extends) is read in its
//! own index; when a built-in catalog is not there as built, every catalog is.

use crate::catalog::store::SearchIndex;
use crate::catalog::{self, Book};

/// A search index and the catalogs whose entries it holds.
pub struct Source {
    pub index: SearchIndex<'static>,
    /// For each catalog of the index, in order: the number of its first entry in the index, and its
    /// place in the book.
    spans: Vec<(usize, usize)>,
}

impl Source {
    /// The catalog (its place in the book) and the entry (its number in that catalog) of the index's
    /// entry `e`.
    pub fn locate(&self, e: usize) -> Option<(usize, usize)> {
        let k = self.spans.partition_point(|s| s.0 <= e).checked_sub(1)?;
        let (first, place) = self.spans[k];
        Some((place, e - first))
    }
}

/// The indexes to read for every catalog of `book`; a catalog whose index cannot be read is left out.
pub fn sources(book: &Book) -> Vec<Source> {
    let builtin = catalog::builtin();
    let places: Vec<Option<usize>> = builtin
        .iter()
        .map(|b| book.catalogs.iter().position(|c| std::ptr::eq(*c, b)))
        .collect();
    let combined = match places.iter().all(Option::is_some) {
        true => catalog::builtin::index(),
        false => None,
    };
    let mut out = Vec::new();
    let mut covered = vec![false; book.catalogs.len()];
    if let Some((index, first)) = combined {
        let spans = first
            .into_iter()
            .zip(places.into_iter().flatten())
            .inspect(|&(_, place)| covered[place] = true)
            .collect();
        out.push(Source { index, spans });
    }
    out.extend(each(book, &covered));
    out
}

/// The own index of each catalog of `book` that `covered` (by place) leaves out.
pub(super) fn each(book: &Book, covered: &[bool]) -> Vec<Source> {
    let mut out = Vec::new();
    for (place, c) in book.catalogs.iter().enumerate() {
        if covered.get(place) == Some(&true) {
            continue;
        }
        if let Some(index) = c.search_index() {
            out.push(Source {
                index,
                spans: vec![(0, place)],
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The built-in catalogs are read in one index, which gives every entry back to its own catalog.
    #[test]
    fn the_builtin_catalogs_are_read_together_and_located() {
        let book = Book::builtin();
        let sources = sources(&book);
        assert_eq!(sources.len(), 1);
        let s = &sources[0];
        let total: usize = book.catalogs.iter().map(|c| c.len()).sum();
        assert_eq!(s.index.entries, total);
        let mut e = 0;
        for (place, c) in book.catalogs.iter().enumerate() {
            assert_eq!(s.locate(e), Some((place, 0)), "{}", c.id());
            assert_eq!(s.locate(e + c.len() - 1), Some((place, c.len() - 1)));
            // Each catalog's own index has the same field lengths for its entries.
            let own = c.search_index().unwrap();
            for i in (0..c.len()).step_by(7) {
                assert_eq!(own.lens(i), s.index.lens(e + i), "{}:{i}", c.id());
            }
            e += c.len();
        }
    }

    /// A book without one of the built-in catalogs as built reads every catalog's own index.
    #[test]
    fn a_book_that_differs_reads_each_catalog() {
        let mut book = Book::builtin();
        book.catalogs.remove(3);
        let sources = sources(&book);
        assert_eq!(sources.len(), book.catalogs.len());
        for (place, s) in sources.iter().enumerate() {
            assert_eq!(s.locate(0), Some((place, 0)));
        }
    }
}
