//! The built-in catalogs: `catalog/*.toml`, validated and written in the stored form by build.rs, embedded
//! in the binary, and read in place like any stored catalog.

use super::store::{self, SearchIndex, Store};
use super::{Catalog, Origin};
use std::sync::OnceLock;

/// What build.rs wrote: for each catalog, in order, its length (u64, little-endian) and its stored form.
static BLOB: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/builtin.bin"));

/// The built-in catalogs, opened on first use.
pub fn catalogs() -> &'static [Catalog] {
    static CATALOGS: OnceLock<Vec<Catalog>> = OnceLock::new();
    CATALOGS.get_or_init(|| {
        let mut out = Vec::new();
        let mut rest = BLOB;
        while let Some((len, tail)) = rest.split_first_chunk::<8>() {
            let len = u64::from_le_bytes(*len) as usize;
            let Some((stored, tail)) = tail.split_at_checked(len) else {
                break;
            };
            // build.rs wrote these bytes and checked that they open.
            if let Some(store) = Store::open_trusted(stored) {
                out.push(Catalog::new(store, Origin::BuiltIn));
            }
            rest = tail;
        }
        out
    })
}

/// What build.rs wrote: the search index of every built-in catalog together, after a head giving the
/// number of catalogs and each one's number of entries (u32 each, little-endian).
static INDEX: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/builtin-index.bin"));

/// The search index of every built-in catalog together, each catalog's entries after the previous
/// one's in the order of [`catalogs`], with the number of the first entry of each catalog; `None` if it
/// does not agree with the catalogs.
pub fn index() -> Option<(SearchIndex<'static>, Vec<usize>)> {
    let (head, rest) = INDEX.split_first_chunk::<4>()?;
    let n = u32::from_le_bytes(*head) as usize;
    let catalogs = catalogs();
    if n != catalogs.len() {
        return None;
    }
    let (counts, index) = rest.split_at_checked(4 * n)?;
    let mut first = Vec::with_capacity(n);
    let mut at = 0;
    for (c, count) in catalogs.iter().zip(counts.chunks_exact(4)) {
        let count = u32::from_le_bytes(count.try_into().ok()?) as usize;
        if count != c.len() {
            return None;
        }
        first.push(at);
        at += count;
    }
    let ix = store::index_in(index)?;
    (ix.entries == at).then_some((ix, first))
}
