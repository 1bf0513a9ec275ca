//! What a user may type to name entries, and exact lookup.
//!
//! A query is a code (`7011`), a name or alias in any case (`channel_not_found`), optionally qualified by a
//! catalog (`pallycon:7011`), a wildcard (`73xx`, `2501xx`, `network_*`) or a numeric range (`7300-7317`).

use crate::catalog::{key_is, Book, Catalog, Hit, Row};
use crate::error::Error;

/// The longest query accepted; anything longer is certainly not a code.
pub const MAX_QUERY_LEN: usize = 4096;

const QUERY: &str = "query";
const SEARCH_TEXT: &str = "search text";

/// Checks the text of `errbook search` by the rules of a query, with the same messages: not blank, no
/// control characters, at most [`MAX_QUERY_LEN`] bytes. Tabs and newlines (pasted text) are white space,
/// not control characters, and the length counts the text as given.
pub fn check_search_text(text: &str) -> Result<(), Error> {
    if text.trim().is_empty() {
        return Err(empty(SEARCH_TEXT));
    }
    if text.chars().any(|c| c.is_control() && !c.is_whitespace()) {
        return Err(control_characters(SEARCH_TEXT, text));
    }
    if text.len() > MAX_QUERY_LEN {
        return Err(too_long(SEARCH_TEXT, text));
    }
    Ok(())
}

/// `what` (a query, search text) is blank.
fn empty(what: &str) -> Error {
    Error::usage(format!("empty {what}"))
}

/// `what` is longer than [`MAX_QUERY_LEN`].
fn too_long(what: &str, text: &str) -> Error {
    Error::usage(format!(
        "{what} is {} bytes long; the limit is {MAX_QUERY_LEN}",
        text.len()
    ))
}

/// `what` holds characters no one types.
fn control_characters(what: &str, text: &str) -> Error {
    Error::usage(format!("{what} {text:?} contains control characters"))
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pattern {
    /// A code, name or alias, compared without regard to case.
    Exact(String),
    /// `x` stands for one digit (in an otherwise numeric pattern), `?` for one character, `*` for any run.
    Wildcard(String),
    /// Numeric codes from `lo` to `hi`, inclusive.
    Range(u64, u64),
}

#[derive(Debug, Clone)]
pub struct Query {
    pub catalog: Option<&'static Catalog>,
    pub pattern: Pattern,
}

impl Query {
    pub fn parse(raw: &str, book: &Book) -> Result<Query, Error> {
        let text = raw.trim();
        if text.is_empty() {
            return Err(empty(QUERY));
        }
        if text.len() > MAX_QUERY_LEN {
            return Err(too_long(QUERY, text));
        }
        if text.chars().any(char::is_control) {
            return Err(control_characters(QUERY, text));
        }
        let (catalog, rest) = match text.split_once(':') {
            Some((id, rest)) => {
                let c = book.catalog(id.trim()).ok_or_else(|| {
                    Error::usage(format!(
                        "unknown catalog {:?} in {text:?} (catalogs: {})",
                        id.trim(),
                        book.ids().join(", ")
                    ))
                })?;
                (Some(c), rest.trim())
            }
            None => (None, text),
        };
        if rest.is_empty() {
            return Err(Error::usage(format!(
                "no code after the catalog in {text:?}"
            )));
        }
        Ok(Query {
            catalog,
            pattern: Pattern::parse(rest)?,
        })
    }

    /// Every entry the query names, catalog by catalog.
    pub fn lookup(&self, book: &Book) -> Vec<Hit<'static>> {
        if let Pattern::Exact(q) = &self.pattern {
            return book.find_key(q, self.catalog);
        }
        book.find(|c, row| {
            self.catalog.is_none_or(|s| std::ptr::eq(s, c)) && self.pattern.matches(row)
        })
        .collect()
    }
}

impl Pattern {
    fn parse(s: &str) -> Result<Pattern, Error> {
        if let Some((a, b)) = s.split_once('-') {
            let (a, b) = (a.trim(), b.trim());
            let numeric = |t: &str| !t.is_empty() && t.bytes().all(|c| c.is_ascii_digit());
            if numeric(a) && numeric(b) {
                let parse = |t: &str| {
                    t.parse::<u64>()
                        .map_err(|_| Error::usage(format!("range bound {t:?} is too large")))
                };
                let (lo, hi) = (parse(a)?, parse(b)?);
                if lo > hi {
                    return Err(Error::usage(format!(
                        "range {s:?} runs backwards; write {hi}-{lo}"
                    )));
                }
                return Ok(Pattern::Range(lo, hi));
            }
        }
        if s.contains(['*', '?']) || is_digit_template(s) {
            return Ok(Pattern::Wildcard(s.to_lowercase()));
        }
        Ok(Pattern::Exact(s.to_lowercase()))
    }

    pub fn matches(&self, e: &Row) -> bool {
        match self {
            Pattern::Exact(q) => e.keys().any(|k| key_is(k, q)),
            Pattern::Range(lo, hi) => e.number().is_some_and(|n| (*lo..=*hi).contains(&n)),
            Pattern::Wildcard(p) => e.keys().any(|k| glob(p, &k.to_lowercase())),
        }
    }
}

/// `73xx`, `2501XX`: digits with at least one `x` standing for a digit.
fn is_digit_template(s: &str) -> bool {
    s.bytes().any(|b| b == b'x' || b == b'X')
        && s.bytes().any(|b| b.is_ascii_digit())
        && s.bytes()
            .all(|b| b.is_ascii_digit() || b == b'x' || b == b'X')
}

/// Glob match over characters: `*` any run, `?` one character, `x` one digit when the pattern is a digit
/// template. Both sides are lowercase. Iterative, so no input can make it recurse deeply.
fn glob(pattern: &str, text: &str) -> bool {
    let digit_x = is_digit_template(pattern);
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        let ok = pi < p.len()
            && match p[pi] {
                '?' => true,
                'x' if digit_x => t[ti].is_ascii_digit(),
                '*' => false,
                c => c == t[ti],
            };
        if ok {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob_matches() {
        assert!(glob("73xx", "7301"));
        assert!(!glob("73xx", "730"));
        assert!(!glob("73xx", "73011"));
        assert!(glob("network_*", "network_connection_failure"));
        assert!(glob("*_failure", "network_connection_failure"));
        assert!(!glob("network_*", "internal_error"));
        assert!(glob("7?11", "7011"));
        assert!(glob("*", ""));
    }

    #[test]
    fn parse_forms() {
        let book = Book::builtin();
        assert_eq!(
            Query::parse("7300-7317", &book).unwrap().pattern,
            Pattern::Range(7300, 7317)
        );
        assert_eq!(
            Query::parse("73XX", &book).unwrap().pattern,
            Pattern::Wildcard("73xx".into())
        );
        assert_eq!(
            Query::parse("Channel_Not_Found", &book).unwrap().pattern,
            Pattern::Exact("channel_not_found".into())
        );
        let q = Query::parse("pallycon:7011", &book).unwrap();
        assert_eq!(q.catalog.map(|c| c.id.as_ref()), Some("pallycon"));
        assert!(Query::parse("nosuch:7011", &book).is_err());
        assert!(Query::parse("7317-7300", &book).is_err());
        assert!(Query::parse("   ", &book).is_err());
        assert!(Query::parse("pallycon:", &book).is_err());
    }
}
