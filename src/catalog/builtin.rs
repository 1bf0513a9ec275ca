//! The built-in catalogs: `catalog/*.toml`, validated and written in the stored form by build.rs, embedded
//! in the binary, and read in place like any stored catalog.

use super::store::Store;
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
