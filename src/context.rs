//! What every command needs to run: the settings decided once in `app` and the streams it reads and writes.

use crate::catalog::{Book, Lang};
use crate::render::{Format, Style};
use std::io::{BufRead, Write};

/// The context of one run, built once in [`crate::app::run`] and handed to the command.
pub struct Ctx<'a> {
    pub lang: Lang,
    pub format: Format,
    pub style: Style,
    /// The catalogs of this run (the built-in ones only for commands that show no catalog text).
    pub book: Book,
    pub stdin: &'a mut dyn BufRead,
    pub out: &'a mut dyn Write,
    pub err: &'a mut dyn Write,
}
