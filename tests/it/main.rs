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
mod first_hour;
mod hostile_catalogs;
mod players;
mod props;
mod readme;
mod scan;
mod search;
mod search_eval;
mod tables;
mod terminal_safety;
mod tickets;
mod user_catalogs;
mod user_extensions;
