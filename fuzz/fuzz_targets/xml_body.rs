//! XML error bodies (`<error><code>…</code>…</error>`) as a broken or hostile server may send them:
//! decoding must never panic, and must take time linear in the input (libFuzzer's -timeout reports a
//! slow input as a crash). Every finding's code is text the body really holds.
#![no_main]

use errbook::catalog::Book;
use errbook::input::body::{decode_xml, Shapes};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fuzz_target!(|data: &[u8]| {
    static SHAPES: OnceLock<Shapes> = OnceLock::new();
    let shapes = SHAPES.get_or_init(|| Shapes::of(&Book::builtin()));
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Some(findings) = decode_xml(text, shapes) {
        for f in findings {
            assert!(!f.code.is_empty());
            assert!(f.code.len() <= 200, "codes are bounded");
        }
    }
});
