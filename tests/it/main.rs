//! errbook's integration tests, as one test binary: the files below were one binary each, and linking
//! thirteen binaries against errbook and the test libraries cost more than running them. Run one file's
//! tests with `cargo test --test it <module>::`, e.g. `cargo test --test it completions::`.

mod common;

mod body;
mod catalogs;
mod chains;
mod cli;
mod completions;
mod coverage;
mod explain_snapshots;
mod fidelity;
mod players;
mod props;
mod readme;
mod scan;
mod user_catalogs;
