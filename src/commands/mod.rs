//! One module per command. Each `run` takes the [`Ctx`](crate::context::Ctx) and the command's arguments,
//! builds its [`Output`](crate::render::Output) and hands it to [`render::write`](crate::render::write)
//! (a scan pushes its findings to a [`ScanSink`](crate::render::ScanSink)), writes its diagnostics on
//! stderr, and returns how the run went.

pub mod catalogs;
pub mod generate;
pub mod list;
pub mod lookup;
pub mod scan;
pub mod search;
pub mod validate;

use crate::catalog::Hit;
use crate::error::Outcome;

/// Found when there is at least one hit.
pub fn found(hits: &[Hit]) -> Outcome {
    if hits.is_empty() {
        Outcome::NotFound
    } else {
        Outcome::Found
    }
}
