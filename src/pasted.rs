//! Queries as people paste them: several codes in one argument or one line (`7011,7110`, `7011 7110
//! 40013`), a vendor before the code (`PallyCon-7011`, `pallycon 7011`), an `E` or `#` before it and
//! punctuation after it (`E7011`, `#7011`, `7011,`). [`split`] cuts the words into query tokens;
//! [`understand`] reads a token that names nothing as typed, and is used only when that reading names
//! something, so a token that is a real key always means what it says.

use crate::catalog::Book;

/// The query tokens of the given words: each word cut at white space and commas (unless the whole word
/// is a key of some entry), and a vendor word followed by a code joined into `catalog:code`.
pub fn split(words: &[String], book: &Book) -> Vec<String> {
    let mut tokens: Vec<String> = Vec::new();
    for w in words {
        let w = w.trim();
        if w.contains([',', ' ', '\t', '\n', '\r']) && book.find_key(w, None).is_empty() {
            tokens.extend(
                w.split(|c: char| c == ',' || c.is_whitespace())
                    .filter(|t| !t.is_empty())
                    .map(str::to_string),
            );
        } else {
            tokens.push(w.to_string());
        }
    }
    // `pallycon 7011`: a vendor word on its own names nothing; with the token after it, it scopes it.
    let mut joined = Vec::with_capacity(tokens.len());
    let mut i = 0;
    while i < tokens.len() {
        // Only a word without digits, followed by another token, can be a vendor (most runs have
        // neither, and reading the catalogs' vendor names is then skipped).
        let next = tokens.get(i + 1).filter(|n| !n.contains(':'));
        let vendor = next
            .filter(|_| !tokens[i].bytes().any(|b| b.is_ascii_digit()))
            .and_then(|_| vendor_catalog(&tokens[i], book));
        match (vendor, next) {
            (Some(id), Some(next)) if book.find_key(&tokens[i], None).is_empty() => {
                joined.push(format!("{id}:{next}"));
                i += 2;
            }
            _ => {
                joined.push(std::mem::take(&mut tokens[i]));
                i += 1;
            }
        }
    }
    joined
}

/// A token without the punctuation pasted codes carry around them: `#7011`, `(7011)`, `"7011",`,
/// `7011.`. Standard input and arguments are read alike with it (`input::stdin` decides with it whether
/// a line is a list of queries).
pub fn unwrapped(token: &str) -> &str {
    token
        .trim()
        .trim_start_matches(['#', '(', '[', '<', '"', '\''])
        .trim_end_matches([',', ';', '.', ')', ']', '>', '"', '\'', '!', '?'])
}

/// Another reading of a token that names nothing as typed: without the punctuation around it, without
/// an `E` before its digits, or with a vendor prefix read as its catalog. `None` when no other reading
/// exists; the caller keeps a reading only when it names something.
pub fn understand(token: &str, book: &Book) -> Option<String> {
    let t = unwrapped(token);
    let t = match t.strip_prefix(['E', 'e']) {
        Some(digits) if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) => digits,
        _ => t,
    };
    // `PallyCon-7011`, `pallycon_7011`, `PallyCon/7011`, `skms 40013`.
    let scoped = t
        .split_once(['-', '_', '/', ' '])
        .and_then(|(vendor, rest)| Some((vendor_catalog(vendor, book)?, rest.trim())))
        .filter(|(_, rest)| !rest.is_empty() && !rest.contains(':'))
        .map(|(id, rest)| format!("{id}:{rest}"));
    let reading = scoped.unwrap_or_else(|| t.to_string());
    (reading != token && !reading.is_empty()).then_some(reading)
}

/// The catalog a vendor word names: a catalog's id, or a word of one catalog's vendor name that no other
/// catalog's vendor shares (`pallycon`, `doverunner`, `softcamp`; not `google` or `naver`, which name
/// several).
fn vendor_catalog(word: &str, book: &Book) -> Option<&'static str> {
    if word.len() < 3 || word.len() > 40 {
        return None;
    }
    if let Some(c) = book.catalog(word) {
        return Some(c.id());
    }
    let word = word.to_lowercase();
    let mut found = None;
    for c in &book.catalogs {
        let names = c
            .vendor
            .split(|ch: char| !ch.is_alphanumeric())
            .filter(|w| {
                w.len() >= 4
                    && !matches!(
                        w.to_lowercase().as_str(),
                        "formerly" | "project" | "platform"
                    )
            });
        if names.into_iter().any(|w| w.to_lowercase() == word) {
            if found.is_some() {
                return None;
            }
            found = Some(c.id());
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(ws: &[&str]) -> Vec<String> {
        ws.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn lists_are_cut_and_vendors_join_their_code() {
        let book = Book::builtin();
        assert_eq!(split(&words(&["7011,7110"]), &book), ["7011", "7110"]);
        assert_eq!(
            split(&words(&["7011 7110, 40013"]), &book),
            ["7011", "7110", "40013"]
        );
        assert_eq!(
            split(&words(&["pallycon", "7011"]), &book),
            ["pallycon:7011"]
        );
        assert_eq!(
            split(&words(&["DoveRunner", "7011"]), &book),
            ["pallycon:7011"]
        );
        // A word several vendors share scopes nothing.
        assert_eq!(
            split(&words(&["google", "7011"]), &book),
            ["google", "7011"]
        );
        assert_eq!(split(&words(&["7011", "7012"]), &book), ["7011", "7012"]);
    }

    #[test]
    fn other_readings() {
        let book = Book::builtin();
        let read = |t: &str| understand(t, &book);
        assert_eq!(read("PallyCon-7011").as_deref(), Some("pallycon:7011"));
        assert_eq!(read("E7011").as_deref(), Some("7011"));
        assert_eq!(read("#7011").as_deref(), Some("7011"));
        assert_eq!(read("7011,").as_deref(), Some("7011"));
        assert_eq!(read("(7011)").as_deref(), Some("7011"));
        assert_eq!(read("skms_40013").as_deref(), Some("skms:40013"));
        assert_eq!(read("7011"), None);
        assert_eq!(read("#"), None);
        assert_eq!(read("E"), None);
    }
}
