//! The cache of parsed user catalogs: one file per catalog file under `$XDG_CACHE_HOME/errbook/` (else
//! `~/.cache/errbook/`), so that a large catalog is parsed once, not on every run.
//!
//! A cache file is `MAGIC`, then a [`Key`] (postcard), then the catalog's stored form (`store`). The key says which file
//! it was made from (canonical path, size, modification time), by which errbook version, and on what it was
//! validated (the catalog it extends, as a fingerprint). Anything that does not match, or does not decode,
//! is a miss: the catalog file is parsed again and the cache rewritten. The cache is a convenience: when it
//! cannot be read or written, errbook works without it and says nothing.

use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::PathBuf;
use std::time::UNIX_EPOCH;

/// The first bytes of every cache file; bump the digit when the layout changes.
pub const MAGIC: &[u8; 8] = b"errbook3";

/// What a cache file was made from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Key<'a> {
    pub version: &'a str,
    pub path: &'a str,
    pub size: u64,
    pub mtime_ns: u128,
    /// The catalog id the file declares, and a fingerprint of what it extends (0: nothing).
    pub id: &'a str,
    pub base: u64,
}

/// Size and modification time of a catalog file, as the key records them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    pub size: u64,
    pub mtime_ns: u128,
}

impl Stamp {
    pub fn of(meta: &std::fs::Metadata) -> Stamp {
        let mtime_ns = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        Stamp {
            size: meta.len(),
            mtime_ns,
        }
    }
}

/// The cache folder.
#[derive(Debug, Clone)]
pub struct Cache {
    dir: PathBuf,
}

impl Cache {
    pub fn new(dir: PathBuf) -> Cache {
        Cache { dir }
    }

    /// `$XDG_CACHE_HOME/errbook`, else `$HOME/.cache/errbook` (a relative XDG path is ignored, as the XDG
    /// specification asks).
    pub fn locate(var: &dyn Fn(&str) -> Option<String>) -> Option<Cache> {
        xdg_dir(var, "XDG_CACHE_HOME", ".cache").map(|d| Cache::new(d.join("errbook")))
    }

    /// The cache file for the catalog file at `canonical` (named by a hash of its path).
    pub fn file_for(&self, canonical: &str) -> PathBuf {
        self.dir
            .join(format!("{:016x}.bin", fnv1a(canonical.as_bytes())))
    }

    /// Writes the cache file atomically, from `pieces` in order: a new temporary file in the cache folder
    /// (created exclusively, so that nothing planted at its name is followed), then a rename, so that a
    /// reader never sees half a file. Failure is silent (the cache is optional).
    pub fn write(&self, canonical: &str, pieces: &[&[u8]]) {
        let _ = self.try_write(canonical, pieces);
    }

    fn try_write(&self, canonical: &str, pieces: &[&[u8]]) -> std::io::Result<()> {
        std::fs::create_dir_all(&self.dir)?;
        let mut tmp = tempfile::Builder::new()
            .prefix(".tmp")
            .tempfile_in(&self.dir)?;
        for p in pieces {
            tmp.write_all(p)?;
        }
        // No fsync: a cache file cut short or damaged by a crash fails its checksums and is made again, and
        // an fsync per file made a cold run over a folder of 4,000 small catalogs take 17 s instead of 1.
        tmp.persist(self.file_for(canonical))
            .map(|_| ())
            .map_err(|e| e.error)
    }

    /// Holds the cache folder's lock (an advisory lock on the folder itself, which cannot be a FIFO or a
    /// link planted in it) until the result is dropped: one process at a time makes cache files, and the
    /// others wait for it instead of parsing the same large file beside it. `None` when there is no
    /// folder to lock (then nothing is shared and nothing waits).
    pub fn lock(&self) -> Option<std::fs::File> {
        std::fs::create_dir_all(&self.dir).ok()?;
        let dir = std::fs::File::open(&self.dir).ok()?;
        dir.lock().ok()?;
        Some(dir)
    }
}

/// An XDG base folder: `$<variable>` when it is an absolute path (a relative one is ignored, as the XDG
/// specification asks), else `$HOME/<fallback>`.
pub fn xdg_dir(
    var: &dyn Fn(&str) -> Option<String>,
    variable: &str,
    fallback: &str,
) -> Option<PathBuf> {
    let absolute = |v: &str| var(v).map(PathBuf::from).filter(|p| p.is_absolute());
    absolute(variable).or_else(|| absolute("HOME").map(|h| h.join(fallback)))
}

/// Splits a cache file into its key and the rest, or `None` when it is not one.
pub fn split(bytes: &[u8]) -> Option<(Key<'_>, &[u8])> {
    let rest = bytes.strip_prefix(MAGIC.as_slice())?;
    postcard::take_from_bytes::<Key>(rest).ok()
}

/// The bytes a cache file starts with: `MAGIC` and the key; the catalog data follows.
pub fn key_bytes(key: &Key) -> Vec<u8> {
    let mut out = MAGIC.to_vec();
    // Serialising a plain struct into a Vec cannot fail.
    out.extend(postcard::to_stdvec(key).unwrap_or_default());
    out
}

/// Joins a key and the catalog data into a cache file's bytes.
pub fn join(key: &Key, data: &[u8]) -> Vec<u8> {
    let mut out = key_bytes(key);
    out.extend_from_slice(data);
    out
}

/// FNV-1a, 64 bits: small, stable across Rust versions (unlike `DefaultHasher`), and enough to name files
/// and fingerprint what a catalog extends.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_round_trips_and_rejects_other_bytes() {
        let key = Key {
            version: "1.2.3",
            path: "/x/y.toml",
            size: 42,
            mtime_ns: 1_700_000_000_123_456_789,
            id: "acme",
            base: 7,
        };
        let bytes = join(&key, b"rest");
        let (back, rest) = split(&bytes).expect("a cache file");
        assert_eq!(back, key);
        assert_eq!(rest, b"rest");
        assert!(split(b"errbook0whatever").is_none());
        assert!(split(b"").is_none());
        assert!(split(&bytes[..MAGIC.len() + 3]).is_none());
    }

    #[test]
    fn file_names_differ_by_path() {
        let c = Cache::new(PathBuf::from("/tmp/c"));
        assert_ne!(c.file_for("/a.toml"), c.file_for("/b.toml"));
        assert_eq!(c.file_for("/a.toml"), c.file_for("/a.toml"));
    }
}
