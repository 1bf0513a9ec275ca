//! What errbook reads besides the command line: standard input classified (`stdin`), error bodies
//! decoded into the codes they carry (`body`), and codes found in free text (`scan`). Nothing here looks
//! a code up: it finds codes, and the commands look them up.

pub mod blocks;
pub mod body;
pub mod har;
pub mod http;
pub mod lines;
pub mod scan;
pub mod stdin;

pub use stdin::{read, Stdin, MAX_BODY};
