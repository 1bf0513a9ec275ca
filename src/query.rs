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

    /// Every entry the query names, catalog by catalog. A number that names nothing as typed is tried in
    /// the other forms players print it in (see [`number_forms`]), the first that names something wins.
    pub fn lookup(&self, book: &Book) -> Vec<Hit<'static>> {
        if let Pattern::Exact(q) = &self.pattern {
            let found = book.find_key(q, self.catalog);
            if !found.is_empty() {
                return found;
            }
            return number_forms(q)
                .iter()
                .map(|alt| book.find_key(alt, self.catalog))
                .find(|hits| !hits.is_empty())
                .unwrap_or_default();
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

/// The other spellings of a number that players, browsers and logs print (lowercase, as keys are
/// compared), in the order they are tried:
/// - a Unicode minus (`−11800`) as `-`;
/// - a 32-bit value in its other forms: a negative number as the unsigned value Safari and older players
///   report, and back (4294955460 is −11836); an HRESULT in hex with `0x` (`0x8004c600`, from
///   `8004C600`, its unsigned decimal 2147796480 or its signed −2147170816);
/// - a four-character code in quotes (`'fmt?'`) as the number it stands for (1718449215), and back.
pub fn number_forms(q: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut add = |s: String| {
        if s != q && !out.contains(&s) {
            out.push(s);
        }
    };
    let q2: String = q
        .chars()
        .map(|c| match c {
            '\u{2212}' | '\u{fe63}' | '\u{ff0d}' => '-',
            c => c,
        })
        .collect();
    add(q2.clone());
    let value: Option<u32> = if let Some(hex) = q2.strip_prefix("0x") {
        u32::from_str_radix(hex, 16)
            .ok()
            .filter(|_| !hex.is_empty() && hex.len() <= 8)
    } else if let Some(n) = q2.strip_prefix('-') {
        n.parse::<u64>()
            .ok()
            .filter(|n| *n > 0 && *n <= 1 << 31)
            .map(|n| ((1u64 << 32) - n) as u32)
    } else if q2.len() == 8
        && q2.bytes().all(|b| b.is_ascii_hexdigit())
        && !q2.bytes().all(|b| b.is_ascii_digit())
    {
        u32::from_str_radix(&q2, 16).ok()
    } else if let Some(four) = fourcc(&q2) {
        Some(four)
    } else {
        q2.parse::<u64>().ok().and_then(|n| u32::try_from(n).ok())
    };
    let Some(v) = value else { return out };
    // A plain decimal is its own decimal form: `0111` is not widened to 111.
    if !q2.bytes().all(|b| b.is_ascii_digit()) {
        add(format!("{v}"));
    }
    if v >= 1 << 31 {
        add(format!("-{}", (1u64 << 32) - u64::from(v)));
    }
    add(format!("0x{v:08x}"));
    let bytes = v.to_be_bytes();
    if bytes.iter().all(|b| b.is_ascii_graphic() || *b == b' ') && bytes[0] != b' ' {
        add(format!(
            "'{}'",
            String::from_utf8_lossy(&bytes).to_lowercase()
        ));
    }
    out
}

/// `'fmt?'` (in straight or typographic quotes): four bytes of ASCII as a big-endian number.
fn fourcc(q: &str) -> Option<u32> {
    let inner = q
        .strip_prefix(['\'', '\u{2018}'])?
        .strip_suffix(['\'', '\u{2019}'])?;
    let bytes: [u8; 4] = inner.as_bytes().try_into().ok()?;
    bytes
        .iter()
        .all(u8::is_ascii)
        .then(|| u32::from_be_bytes(bytes))
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

    #[test]
    fn numbers_in_the_forms_players_print() {
        let forms = |q: &str| number_forms(q);
        // Unsigned 32-bit as Safari reports it, and the signed number it stands for.
        assert!(forms("4294955460").contains(&"-11836".to_string()));
        assert!(forms("-11836").contains(&"4294955460".to_string()));
        assert!(forms("\u{2212}11836").contains(&"-11836".to_string()));
        // An HRESULT, from hex in any case with or without 0x, and from either decimal form.
        for q in ["8004c600", "2147796480", "-2147170816"] {
            assert!(
                forms(q).contains(&"0x8004c600".to_string()),
                "{q}: {:?}",
                forms(q)
            );
        }
        assert!(forms("0x8004c600").contains(&"-2147170816".to_string()));
        // A four-character code and its number.
        assert!(forms("'fmt?'").contains(&"1718449215".to_string()));
        assert!(forms("1718449215").contains(&"'fmt?'".to_string()));
        // Not numbers, or out of range: nothing to add (but the minus).
        assert!(forms("keysystemnokeys").is_empty());
        assert!(forms("99999999999").is_empty());
        assert!(forms("-0").is_empty());
        assert!(forms("0x").is_empty());
        assert!(!forms("0111").contains(&"111".to_string()));
        assert!(forms("0x123456789").is_empty());
    }

    #[test]
    fn a_number_finds_its_entry_in_another_form() {
        let book = Book::builtin();
        // Whatever built-in entry has a numeric code: its unsigned or hex form finds it.
        let found = |q: &str| -> Vec<String> {
            Query::parse(q, &book)
                .unwrap()
                .lookup(&book)
                .iter()
                .map(|h| format!("{}:{}", h.catalog.id, h.entry.code))
                .collect()
        };
        let h = book
            .hits()
            .find(|h| h.entry.code.starts_with('-') && h.entry.code[1..].parse::<u32>().is_ok())
            .expect("a built-in entry with a negative code (Media3's policy codes)");
        {
            let n: u64 = h.entry.code[1..].parse().unwrap();
            let unsigned = ((1u64 << 32) - n).to_string();
            let want = format!("{}:{}", h.catalog.id, h.entry.code);
            assert!(found(&unsigned).contains(&want), "{unsigned}");
            assert!(found(&format!("\u{2212}{n}")).contains(&want));
        }
        // A code that exists as typed is not widened to other forms.
        assert!(found("7011").iter().all(|c| c.ends_with(":7011")));
    }
}
