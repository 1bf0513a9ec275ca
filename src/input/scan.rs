//! Finding known codes in free text (logs, tickets, HAR excerpts), block by block, in bounded memory.
//!
//! Symbolic names (`CHANNEL_NOT_FOUND`, `network_connection_failure`) are found anywhere, as whole words,
//! in any case. A *generic* name, one that a text from any system could hold (`NOT_FOUND`,
//! `REQUEST_FAILED`), counts only with a cue for its catalog on the same line: the catalog's id, vendor or
//! product name (`Live Station`, `livestation.apigw.ntruss.com`), the entry's numeric code, or the name
//! standing as the value of a key the catalog's bodies carry codes under. Which names are generic comes
//! from the catalogs: a name two catalogs share, or a name of at most two words each of which appears in
//! the names of two catalogs or more.
//!
//! Numbers are codes only where the text says so:
//! - after a key or word for a code (`"code": 7011`, `errorCode=250100`, `responseCode: 7011`,
//!   `<errorCode>250100</errorCode>`, `error 7011`, `code #7011`, `err 7011`);
//! - after a phrase (`fails with 7011`, `failed with 7011`, `responded 8003`, `returned 7011`);
//! - after or before a Korean or Japanese word for an error or code (`7011 오류가 발생합니다`,
//!   `에러코드 7012`, `오류 코드: 8002`, `エラーコード 40013`, `エラー40101`, `コード：40003`), with ASCII or
//!   full-width punctuation;
//! - alone in brackets (`[40013]`, but not `sshd[7011]`).
//!
//! Timestamps, sizes, addresses, ports and other quantities are left alone (`10:15:30`, `10.0.70.11:7011`,
//! `7011 bytes`). Codes of three digits or fewer look like HTTP statuses and counts, so they count only
//! after an error-code key (`errorCode`, `error_code`, `errcode`) followed by `:`, `=` or `>`.
//!
//! When the words right before a cue name a catalog (`PallyCon responded 8003`, `Shaka error 7011`), the
//! number counts only as a code of that catalog. A number several catalogs have is narrowed to the
//! catalogs its line names, when it names some.
//!
//! A code and its own name on one line (`errorCode=250100 CHANNEL_NOT_FOUND`) are one event: the first of
//! the two is reported.
//!
//! Names are looked up only around underscores (every symbolic name holds one), and the cue words are
//! one small aho-corasick automaton, so the text is not split into words.
//!
//! The text is read in blocks of whole lines ([`crate::input::blocks`]); a large input is searched on two
//! threads, one block each, and reported in order.

use crate::catalog::{Book, Catalog, Hit};
use crate::error::Error;
use crate::input::blocks::Blocks;
use aho_corasick::{AhoCorasick, MatchKind};
use std::collections::{HashMap, HashSet};
use std::io::BufRead;
use std::sync::{mpsc, OnceLock};

/// Names shorter than this are not looked for in text (none of today's are).
const MIN_NAME_LEN: usize = 6;

/// Word stems that, ending a key or a word (`errorCode`, `responseCode`, `err`, `lastError`), make the
/// number after it a code.
const KEY_STEMS: [&str; 4] = ["code", "error", "err", "errno"];

/// Phrases after which a number is a code (`fails with 7011`, `PallyCon responded 8003`).
const PHRASES: [&str; 8] = [
    "fails with",
    "failed with",
    "fail with",
    "failing with",
    "responded",
    "returned",
    "responds with",
    "returns",
];

/// Korean and Japanese words for an error or its code: a number right after or right before one is a
/// code (`에러코드 7012`, `7011 오류가`, `エラー40101`).
const CJK_WORDS: [&str; 10] = [
    "오류 코드",
    "오류코드",
    "오류",
    "에러 코드",
    "에러코드",
    "에러",
    "코드",
    "エラーコード",
    "エラー",
    "コード",
];

/// Units that make a number a quantity (`7011 bytes`), never a code.
const UNITS: [&str; 21] = [
    "b", "byte", "bytes", "kb", "kib", "mb", "mib", "gb", "gib", "ms", "us", "ns", "s", "sec",
    "secs", "second", "seconds", "min", "mins", "minutes", "%",
];

/// Vendor and product words too common to mark a catalog on their own.
const COMMON_WORDS: [&str; 12] = [
    "and", "api", "the", "project", "platform", "player", "error", "errors", "codes", "code",
    "web", "media",
];

/// One code found in the text.
#[derive(Debug, Clone)]
pub struct Found<'s> {
    /// 1-based line number.
    pub line: u64,
    /// 1-based column, in characters.
    pub column: u64,
    /// The text as it appears in the input.
    pub matched: &'s str,
    /// Every entry the text names (a name two catalogs share gives two).
    pub hits: &'s [Hit<'static>],
    /// A number the text gives as a code of this catalog (`PallyCon responded 8003`), which the catalog
    /// does not have: `hits` is then empty, and the command says so with suggestions.
    pub missed: Option<&'static Catalog>,
}

/// What a scan saw.
#[derive(Debug, Default, Clone, Copy)]
pub struct Stats {
    pub lines: u64,
    /// Whether the input held anything but white space.
    pub non_blank: bool,
    pub findings: u64,
}

/// What a pattern of the searcher is.
#[derive(Debug, Clone, Copy)]
enum Pattern {
    /// A stem that may end a key or word for a code.
    KeyStem,
    /// A phrase that a code follows.
    Phrase,
    /// A Korean or Japanese word for an error or code.
    Cjk,
}

struct Name {
    hits: Vec<Hit<'static>>,
    /// A name any system's text could hold: it needs a cue for its catalog.
    generic: bool,
}

/// What marks one catalog in a line: its words (in `Scanner::cues`) and the keys its bodies carry codes
/// under (lowercase, without `_` and `-`).
struct CatalogCue {
    catalog: &'static Catalog,
    body_keys: Vec<String>,
}

/// The names and numeric codes of every catalog, indexed once so that scanning is linear in the input.
pub struct Scanner {
    /// Key stems, phrases and CJK words, each ASCII one as written, capitalised and in capitals (so
    /// that the automaton stays small enough for its SIMD prefilter; `eRRor` is not looked for).
    words: AhoCorasick,
    patterns: Vec<Pattern>,
    /// Every symbolic name (lowercase), with its index in `names`. Every one holds an underscore, so
    /// only the words around an underscore are looked up.
    name_index: HashMap<String, u32>,
    names: Vec<Name>,
    /// The longest name, in bytes.
    max_name: usize,
    /// Numeric codes, with their sign when they have one (`-11800`).
    numbers: HashMap<String, Vec<Hit<'static>>>,
    /// The words that mark a catalog (its id, vendor and product names), for generic names; built when
    /// first needed.
    cue_texts: Vec<String>,
    cues: OnceLock<AhoCorasick>,
    /// For each pattern of `cues`, the catalogs (index into `catalogs`) it marks.
    cue_catalogs: Vec<Vec<usize>>,
    catalogs: Vec<CatalogCue>,
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

fn is_key_char(b: u8) -> bool {
    is_word(b) || b == b'-'
}

/// Lowercase, without `_` and `-`: `error_code`, `errorCode` and `error-code` compare equal.
fn fold_key(key: &[u8]) -> String {
    key.iter()
        .filter(|b| !matches!(b, b'_' | b'-'))
        .map(|b| b.to_ascii_lowercase() as char)
        .collect()
}

/// Whether `key` folded ([`fold_key`]) is `folded`.
fn folds_to(key: &[u8], folded: &str) -> bool {
    key.iter()
        .filter(|b| !matches!(b, b'_' | b'-'))
        .map(u8::to_ascii_lowercase)
        .eq(folded.bytes())
}

/// Whether a symbolic name is generic: two catalogs share it, or it has at most two words and each of
/// them appears in the names of at least two catalogs.
fn generic_names(names: &HashMap<String, Vec<Hit<'static>>>) -> HashSet<String> {
    // For each word: the first catalog seen using it, and whether a second one does.
    let mut word_catalogs: HashMap<&str, (&str, bool)> = HashMap::new();
    for (name, hits) in names {
        for w in name.split('_').filter(|w| !w.is_empty()) {
            for h in hits {
                let id = h.catalog.id();
                let seen = word_catalogs.entry(w).or_insert((id, false));
                seen.1 |= seen.0 != id;
            }
        }
    }
    let in_two = |w: &str| word_catalogs.get(w).is_some_and(|seen| seen.1);
    names
        .iter()
        .filter(|(name, hits)| {
            let shared = hits.iter().any(|h| h.catalog.id() != hits[0].catalog.id());
            let mut words = name.split('_').filter(|w| !w.is_empty());
            let short = name.split('_').filter(|w| !w.is_empty()).count() <= 2;
            shared || (short && words.all(in_two))
        })
        .map(|(name, _)| name.clone())
        .collect()
}

/// The words that mark a catalog: its id (`adobe-pass`, `adobepass`, `adobe pass`), its vendor's name
/// (`NAVER Cloud`, `DoveRunner`), the parts of its vendor and product names set off by commas, brackets
/// and slashes that are at most three words long (`hls.js`, `ExoPlayer`), and each pair of capitalised
/// words of its product name that no other catalog's product has (`Live Station`).
fn cue_words(catalogs: &[&'static Catalog]) -> Vec<Vec<String>> {
    let words = |s: &str| -> Vec<String> {
        s.split(|c: char| !(c.is_alphanumeric() || c == '.' || c == '-'))
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect()
    };
    let capital_pairs = |s: &str| -> Vec<String> {
        let ws = words(s);
        ws.windows(2)
            .filter(|p| p.iter().all(|w| w.starts_with(|c: char| c.is_uppercase())))
            .map(|p| format!("{} {}", p[0], p[1]))
            .collect()
    };
    let mut pair_count: HashMap<String, usize> = HashMap::new();
    for c in catalogs {
        let pairs: HashSet<String> = capital_pairs(&c.product).into_iter().collect();
        for p in pairs {
            *pair_count.entry(p.to_lowercase()).or_default() += 1;
        }
    }
    catalogs
        .iter()
        .map(|c| {
            let id = c.id();
            let mut cues = vec![id.to_string(), id.replace('-', ""), id.replace('-', " ")];
            for part in c
                .vendor
                .split([',', '(', ')', '/'])
                .chain(c.product.split([',', '(', ')', '/']))
            {
                let part = part.trim();
                let part = part.strip_prefix("formerly ").unwrap_or(part);
                let n = words(part).len();
                if (1..=3).contains(&n) {
                    cues.push(part.to_string());
                }
            }
            for p in capital_pairs(&c.product) {
                if pair_count.get(&p.to_lowercase()) == Some(&1) {
                    cues.push(p);
                }
            }
            cues.retain(|w| w.len() >= 3 && !COMMON_WORDS.contains(&w.to_lowercase().as_str()));
            cues.sort();
            cues.dedup();
            cues
        })
        .collect()
}

impl Scanner {
    pub fn new(book: &Book) -> Scanner {
        let mut by_name: HashMap<String, Vec<Hit<'static>>> = HashMap::new();
        let mut numbers: HashMap<String, Vec<Hit<'static>>> = HashMap::new();
        for hit in book.hits() {
            let e = hit.entry;
            let digits = e.code.strip_prefix('-').unwrap_or(&e.code);
            if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
                numbers.entry(e.code.to_string()).or_default().push(hit);
            }
            for key in e.keys() {
                let symbolic = key.len() >= MIN_NAME_LEN
                    && key.contains('_')
                    && key.bytes().all(is_word)
                    && key.bytes().any(|b| b.is_ascii_alphabetic());
                if symbolic {
                    let list = by_name.entry(key.to_ascii_lowercase()).or_default();
                    if !list.iter().any(|h| h.same(&hit)) {
                        list.push(hit);
                    }
                }
            }
        }
        let generic = generic_names(&by_name);
        let mut names = Vec::new();
        let mut name_index = HashMap::new();
        let max_name = by_name.keys().map(String::len).max().unwrap_or(0);
        for (name, hits) in by_name {
            name_index.insert(name.clone(), names.len() as u32);
            names.push(Name {
                hits,
                generic: generic.contains(&name),
            });
        }
        let mut texts: Vec<String> = Vec::new();
        let mut patterns = Vec::new();
        for (list, kind) in [
            (&KEY_STEMS[..], Pattern::KeyStem),
            (&PHRASES[..], Pattern::Phrase),
            (&CJK_WORDS[..], Pattern::Cjk),
        ] {
            for w in list {
                let mut forms = vec![w.to_string()];
                if w.is_ascii() {
                    let mut capitalised = w.to_string();
                    capitalised[..1].make_ascii_uppercase();
                    forms.extend([capitalised, w.to_ascii_uppercase()]);
                }
                for f in forms {
                    if !texts.contains(&f) {
                        texts.push(f);
                        patterns.push(kind);
                    }
                }
            }
        }
        let words = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&texts)
            .expect("cue words build a searcher");

        let mut cue_texts: Vec<String> = Vec::new();
        let mut cue_catalogs: Vec<Vec<usize>> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        for (i, words) in cue_words(&book.catalogs).into_iter().enumerate() {
            for w in words {
                let lower = w.to_lowercase();
                let at = *index.entry(lower.clone()).or_insert_with(|| {
                    cue_texts.push(lower);
                    cue_catalogs.push(Vec::new());
                    cue_texts.len() - 1
                });
                if !cue_catalogs[at].contains(&i) {
                    cue_catalogs[at].push(i);
                }
            }
        }
        let catalogs = book
            .catalogs
            .iter()
            .map(|&c| CatalogCue {
                catalog: c,
                body_keys: c
                    .bodies
                    .iter()
                    .flat_map(|b| b.code.iter().map(|k| fold_key(k.as_bytes())))
                    .collect(),
            })
            .collect();
        Scanner {
            words,
            patterns,
            name_index,
            names,
            max_name,
            numbers,
            cue_texts,
            cues: OnceLock::new(),
            cue_catalogs,
            catalogs,
        }
    }

    fn cues(&self) -> &AhoCorasick {
        self.cues.get_or_init(|| {
            AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .build(&self.cue_texts)
                .expect("catalog words build a searcher")
        })
    }

    /// Whether `name` is generic (for tests and the README's account).
    #[cfg(test)]
    fn is_generic(&self, name: &str) -> bool {
        self.name_index
            .get(name)
            .is_some_and(|&i| self.names[i as usize].generic)
    }

    /// The codes in one block of whole lines, in order, with their places in the block.
    pub fn scan_block<'s>(&'s self, bytes: &[u8], events: &mut Vec<Event>) {
        events.clear();
        let mut cands: Vec<Cand<'s>> = Vec::new();
        self.names_in(bytes, &mut cands);
        for m in self.words.find_iter(bytes) {
            let (s, e) = (m.start(), m.end());
            match self.patterns[m.pattern().as_usize()] {
                Pattern::KeyStem => self.after_key(bytes, s, e, &mut cands),
                Pattern::Phrase => {
                    let before_ok = s == 0 || !bytes[s - 1].is_ascii_alphanumeric();
                    let after_ok = bytes.get(e).is_none_or(|b| !b.is_ascii_alphanumeric());
                    if before_ok && after_ok {
                        let mut i = skip_spaces(bytes, e);
                        if i > e
                            && bytes.len() >= i + 4
                            && bytes[i..i + 4].eq_ignore_ascii_case(b"with")
                        {
                            i = skip_spaces(bytes, i + 4);
                        }
                        if i > e {
                            self.number_at(bytes, i, false, subject(bytes, s), &mut cands);
                        }
                    }
                }
                Pattern::Cjk => {
                    let i = skip_cjk_separators(bytes, e);
                    self.number_at(bytes, i, false, (0, 0), &mut cands);
                    self.number_before(bytes, s, &mut cands);
                }
            }
        }
        // [40013]: a number alone in brackets, not a process id (sshd[7011]).
        for s in memchr::memchr_iter(b'[', bytes) {
            if s > 0 && is_word(bytes[s - 1]) {
                continue;
            }
            let d = s + 1;
            let mut e = d;
            while e < bytes.len() && bytes[e].is_ascii_digit() {
                e += 1;
            }
            if e - d >= 4 && bytes.get(e) == Some(&b']') {
                if let Some(hits) = self.number(&bytes[d..e]) {
                    cands.push(Cand {
                        start: d,
                        end: e,
                        what: What::Number(hits),
                        subject: (0, 0),
                    });
                }
            }
        }
        if cands.is_empty() {
            return;
        }
        cands.sort_by_key(|c| c.start);
        cands.dedup_by_key(|c| c.start);
        self.resolve(bytes, &cands, events);
    }

    /// The names in `bytes`: each word holding an underscore, looked up in any case.
    fn names_in<'s>(&'s self, bytes: &[u8], cands: &mut Vec<Cand<'s>>) {
        let mut lower = [0u8; 128];
        let mut done_to = 0;
        for u in memchr::memchr_iter(b'_', bytes) {
            if u < done_to {
                continue; // another underscore of a word already looked at
            }
            let mut s = u;
            while s > 0 && is_word(bytes[s - 1]) {
                s -= 1;
            }
            let mut e = u + 1;
            while e < bytes.len() && is_word(bytes[e]) {
                e += 1;
            }
            done_to = e;
            let n = e - s;
            if n < MIN_NAME_LEN || n > self.max_name || n > lower.len() {
                continue;
            }
            for (l, b) in lower.iter_mut().zip(&bytes[s..e]) {
                *l = b.to_ascii_lowercase();
            }
            // Word bytes are ASCII.
            let Ok(word) = std::str::from_utf8(&lower[..n]) else {
                continue;
            };
            if let Some(&i) = self.name_index.get(word) {
                cands.push(Cand {
                    start: s,
                    end: e,
                    what: What::Name(i),
                    subject: (0, 0),
                });
            }
        }
    }

    /// The code after a key or word ending at `e` (`errorCode=250100`, `error 7011`), if any.
    fn after_key<'s>(&'s self, bytes: &[u8], s: usize, e: usize, cands: &mut Vec<Cand<'s>>) {
        // The stem must end the word, and the word decides: `errorCode`, `statusCode`, not `stderr`.
        if bytes.get(e).is_some_and(|b| is_key_char(*b)) {
            return;
        }
        let mut ws = s;
        while ws > 0 && is_key_char(bytes[ws - 1]) {
            ws -= 1;
        }
        // Compared without allocating: a log may have `ERROR` on every line.
        let word = &bytes[ws..e];
        if folds_to(word, "stderr") {
            return;
        }
        let error_code_key = folds_to(word, "errorcode") || folds_to(word, "errcode");
        // Key syntax: `key=`, `key: `, `"key": "`, `\"key\":`, `<key>`.
        let mut i = e;
        while i < bytes.len() && matches!(bytes[i], b'"' | b'\'' | b'\\') {
            i += 1;
        }
        let j = skip_spaces(bytes, i);
        let keyed = if matches!(bytes.get(j), Some(b':' | b'=')) {
            i = j + 1;
            true
        } else if bytes[j..].starts_with(FULL_COLON) {
            i = j + FULL_COLON.len();
            true
        } else if bytes.get(j) == Some(&b'>') && ws > 0 && bytes[ws - 1] == b'<' {
            i = j + 1;
            true
        } else {
            false
        };
        if keyed {
            i = skip_spaces(bytes, i);
            while i < bytes.len() && matches!(bytes[i], b'"' | b'\'' | b'\\') {
                i += 1;
            }
            i = skip_spaces(bytes, i);
        } else {
            // Prose: `error 7011`, `code #7011`, `code (7011)`.
            i = skip_spaces(bytes, e);
            if i == e {
                return;
            }
            if matches!(bytes.get(i), Some(b'#' | b'(')) {
                i += 1;
            }
        }
        let subject = if keyed { (0, 0) } else { subject(bytes, ws) };
        self.number_at(bytes, i, keyed && error_code_key, subject, cands);
    }

    /// The number starting at `i` (with its sign), if it is a known code standing alone.
    fn number_at<'s>(
        &'s self,
        bytes: &[u8],
        i: usize,
        short_ok: bool,
        subject: (usize, usize),
        cands: &mut Vec<Cand<'s>>,
    ) {
        let sign = bytes.get(i) == Some(&b'-');
        let d = i + usize::from(sign);
        let mut e = d;
        while e < bytes.len() && bytes[e].is_ascii_digit() {
            e += 1;
        }
        let n = e - d;
        if n == 0 || (n <= 3 && !short_ok) || !stands_alone(bytes, d, e) {
            return;
        }
        let s = if sign { i } else { d };
        if let Some(hits) = self.number(&bytes[s..e]) {
            cands.push(Cand {
                start: s,
                end: e,
                what: What::Number(hits),
                subject,
            });
        }
    }

    /// The number right before a word starting at `w` (`7011 오류`, `40013エラー`), if it is a known code.
    fn number_before<'s>(&'s self, bytes: &[u8], w: usize, cands: &mut Vec<Cand<'s>>) {
        let mut e = w;
        loop {
            if e > 0 && matches!(bytes[e - 1], b' ' | b'\t' | b')' | b']') {
                e -= 1;
            } else if bytes[..e].ends_with(IDEO_SPACE) {
                e -= IDEO_SPACE.len();
            } else if bytes[..e].ends_with(FULL_CLOSE) {
                e -= FULL_CLOSE.len();
            } else {
                break;
            }
        }
        let mut d = e;
        while d > 0 && bytes[d - 1].is_ascii_digit() {
            d -= 1;
        }
        if e - d < 4 || (d > 0 && is_word(bytes[d - 1])) || !stands_alone(bytes, d, e) {
            return;
        }
        if let Some(hits) = self.number(&bytes[d..e]) {
            cands.push(Cand {
                start: d,
                end: e,
                what: What::Number(hits),
                subject: (0, 0),
            });
        }
    }

    fn number(&self, text: &[u8]) -> Option<&[Hit<'static>]> {
        let text = std::str::from_utf8(text).ok()?;
        self.numbers.get(text).map(Vec::as_slice)
    }

    /// Turns the candidates of a block into events: generic names without a cue are dropped, a code and
    /// its own name on one line become one event, and each gets its line and column.
    fn resolve<'s>(&'s self, bytes: &[u8], cands: &[Cand<'s>], events: &mut Vec<Event>) {
        let mut line = 0u64;
        let mut counted_to = 0usize;
        let mut i = 0;
        while i < cands.len() {
            let start = cands[i].start;
            line += memchr::memchr_iter(b'\n', &bytes[counted_to..start]).count() as u64;
            counted_to = start;
            let line_start = memchr::memrchr(b'\n', &bytes[..start]).map_or(0, |p| p + 1);
            let line_end =
                memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |p| start + p);
            let mut j = i;
            while j < cands.len() && cands[j].start < line_end {
                j += 1;
            }
            let text = &bytes[line_start..line_end];
            let mut cued: Option<Vec<bool>> = None;
            // Entries seen on this line, as (catalog, index, found by name).
            // (A set: a long line may hold many findings.)
            let mut seen: HashSet<(*const Catalog, usize, bool)> = HashSet::new();
            // Whether each generic entry's numeric code is on this line, looked for once per entry.
            let mut code_on_line: HashMap<(*const Catalog, usize), bool> = HashMap::new();
            let mut column = 0u64;
            let mut column_at = line_start;
            for c in &cands[i..j] {
                let mut missed = None;
                let hits: Vec<Hit<'static>> = match c.what {
                    What::Number(hits) => {
                        let named = (c.subject.0 < c.subject.1)
                            .then(|| self.cued_catalogs(&bytes[c.subject.0..c.subject.1]))
                            .filter(|named| named.contains(&true));
                        if let Some(named) = named {
                            // `PallyCon responded 8003`: a code of PallyCon's, or none (said, with
                            // the codes of PallyCon's that come close).
                            let own: Vec<Hit<'static>> = hits
                                .iter()
                                .filter(|h| self.catalog_is_cued(h, &named))
                                .copied()
                                .collect();
                            if own.is_empty() {
                                let mut named_catalogs = named.iter().enumerate().filter(|n| *n.1);
                                missed = match (named_catalogs.next(), named_catalogs.next()) {
                                    (Some((k, _)), None) => Some(self.catalogs[k].catalog),
                                    _ => None,
                                };
                            }
                            own
                        } else if hits
                            .iter()
                            .any(|h| !std::ptr::eq(h.catalog, hits[0].catalog))
                        {
                            // A number of several catalogs: those the line names, when it names some.
                            let cued = cued.get_or_insert_with(|| self.cued_catalogs(text));
                            let narrowed: Vec<Hit<'static>> = hits
                                .iter()
                                .filter(|h| self.catalog_is_cued(h, cued))
                                .copied()
                                .collect();
                            if narrowed.is_empty() {
                                hits.to_vec()
                            } else {
                                narrowed
                            }
                        } else {
                            hits.to_vec()
                        }
                    }
                    What::Name(n) => {
                        let name = &self.names[n as usize];
                        if name.generic {
                            let cued = cued.get_or_insert_with(|| self.cued_catalogs(text));
                            name.hits
                                .iter()
                                .filter(|h| {
                                    self.cued(
                                        h,
                                        cued,
                                        text,
                                        c.start - line_start,
                                        &mut code_on_line,
                                    )
                                })
                                .copied()
                                .collect()
                        } else {
                            name.hits.clone()
                        }
                    }
                };
                if hits.is_empty() && missed.is_none() {
                    continue;
                }
                let by_name = matches!(c.what, What::Name(_));
                let key = |h: &Hit| (h.catalog as *const Catalog, h.index);
                let same_event = missed.is_none()
                    && hits.iter().all(|h| {
                        let (cat, idx) = key(h);
                        seen.contains(&(cat, idx, !by_name))
                    });
                if same_event {
                    continue;
                }
                for h in &hits {
                    let (cat, idx) = key(h);
                    seen.insert((cat, idx, by_name));
                }
                column += bytes[column_at..c.start]
                    .iter()
                    .filter(|b| (**b & 0xC0) != 0x80)
                    .count() as u64;
                column_at = c.start;
                events.push(Event {
                    start: c.start,
                    end: c.end,
                    line,
                    column,
                    hits,
                    missed,
                });
            }
            i = j;
        }
    }

    /// For each catalog, whether one of its words is in `text`.
    fn cued_catalogs(&self, text: &[u8]) -> Vec<bool> {
        let mut cued = vec![false; self.catalogs.len()];
        for m in self.cues().find_overlapping_iter(text) {
            let (s, e) = (m.start(), m.end());
            let before_ok = s == 0 || !text[s - 1].is_ascii_alphanumeric();
            let after_ok = text.get(e).is_none_or(|b| !b.is_ascii_alphanumeric());
            if before_ok && after_ok {
                for &c in &self.cue_catalogs[m.pattern().as_usize()] {
                    cued[c] = true;
                }
            }
        }
        cued
    }

    fn catalog_index(&self, hit: &Hit) -> Option<usize> {
        self.catalogs
            .iter()
            .position(|c| std::ptr::eq(c.catalog, hit.catalog))
    }

    fn catalog_is_cued(&self, hit: &Hit, cued: &[bool]) -> bool {
        self.catalog_index(hit).is_some_and(|c| cued[c])
    }

    /// Whether a generic name at `at` in `text` has a cue for `hit`'s catalog on its line.
    fn cued(
        &self,
        hit: &Hit,
        cued: &[bool],
        text: &[u8],
        at: usize,
        code_on_line: &mut HashMap<(*const Catalog, usize), bool>,
    ) -> bool {
        let Some(c) = self.catalog_index(hit) else {
            return false;
        };
        if cued[c] {
            return true;
        }
        // The entry's numeric code on the line, as a number of its own.
        let code = hit.entry.code.as_bytes();
        let on_line = *code_on_line
            .entry((hit.catalog as *const Catalog, hit.index))
            .or_insert_with(|| {
                if code.is_empty() || !code.iter().all(u8::is_ascii_digit) {
                    return false;
                }
                let finder = memchr::memmem::Finder::new(code);
                finder.find_iter(text).any(|s| {
                    let e = s + code.len();
                    (s == 0 || !is_word(text[s - 1])) && text.get(e).is_none_or(|b| !is_word(*b))
                })
            });
        if on_line {
            return true;
        }
        // The value of a key the catalog's bodies carry codes under (`"code": "bad_request"`).
        key_before(text, at).is_some_and(|k| self.catalogs[c].body_keys.contains(&k))
    }

    /// Scans `input`; `f` receives each finding, in order. `what` names the input in error messages.
    pub fn scan(
        &self,
        input: &mut dyn BufRead,
        what: &str,
        f: impl FnMut(&Found) -> Result<(), Error>,
    ) -> Result<Stats, Error> {
        self.scan_blocks(Blocks::new(input), what, f)
    }

    fn scan_blocks(
        &self,
        mut blocks: Blocks,
        what: &str,
        mut f: impl FnMut(&Found) -> Result<(), Error>,
    ) -> Result<Stats, Error> {
        let read_error = |source| Error::Read {
            what: what.to_string(),
            source,
        };
        let mut order = Order::default();
        let mut a = Vec::new();
        let mut events = Vec::new();
        let Some(mut a_block) = blocks.next_into(&mut a).map_err(read_error)? else {
            return Ok(order.stats);
        };
        // A second thread pays only for a long input that comes in large blocks (a file; a pipe's reads
        // are short).
        let two = !blocks.done()
            && a_block.len >= blocks.max() / 2
            && std::thread::available_parallelism().is_ok_and(|n| n.get() > 1);
        if !two {
            loop {
                self.scan_block(&a[..a_block.len], &mut events);
                order.report(&a[..a_block.len], &events, &mut f)?;
                match blocks.next_into(&mut a).map_err(read_error)? {
                    Some(block) => a_block = block,
                    None => return Ok(order.stats),
                }
            }
        }
        // Two blocks in flight: the helper thread searches one while this one reads and searches the
        // next; findings are reported in input order.
        std::thread::scope(|scope| {
            let (to_helper, jobs) = mpsc::sync_channel::<(Vec<u8>, usize)>(1);
            let (to_main, results) = mpsc::channel::<(Vec<u8>, Vec<Event>)>();
            scope.spawn(move || {
                let mut events = Vec::new();
                while let Ok((buf, len)) = jobs.recv() {
                    self.scan_block(&buf[..len], &mut events);
                    if to_main.send((buf, std::mem::take(&mut events))).is_err() {
                        break;
                    }
                }
            });
            let mut b = Vec::new();
            loop {
                if to_helper
                    .send((std::mem::take(&mut a), a_block.len))
                    .is_err()
                {
                    unreachable!("the helper ends only when this side stops sending");
                }
                let next = blocks.next_into(&mut b).map_err(read_error)?;
                if let Some(b_block) = next {
                    self.scan_block(&b[..b_block.len], &mut events);
                }
                let (buf, helper_events) = results
                    .recv()
                    .expect("the helper answers every block it is sent");
                a = buf;
                order.report(&a[..a_block.len], &helper_events, &mut f)?;
                let Some(b_block) = next else { break };
                order.report(&b[..b_block.len], &events, &mut f)?;
                match blocks.next_into(&mut a).map_err(read_error)? {
                    Some(block) => a_block = block,
                    None => break,
                }
            }
            Ok(order.stats)
        })
    }
}

const FULL_COLON: &[u8] = "：".as_bytes();
const IDEO_SPACE: &[u8] = "\u{3000}".as_bytes();
const FULL_OPEN: &[u8] = "（".as_bytes();
const FULL_CLOSE: &[u8] = "）".as_bytes();
/// Particles that may follow a word for an error code before its number (`오류 코드는 7011`).
const PARTICLES: [&str; 6] = ["는", "은", "가", "이", "は", "が"];

/// The two words before `w` on its line (`Live Station` in `Live Station returned`).
fn subject(bytes: &[u8], w: usize) -> (usize, usize) {
    let mut i = w;
    let mut end = w;
    for word in 0..2 {
        while i > 0 && matches!(bytes[i - 1], b' ' | b'\t') {
            i -= 1;
        }
        if word == 0 {
            end = i;
        }
        while i > 0 && !bytes[i - 1].is_ascii_whitespace() {
            i -= 1;
        }
    }
    (i, end)
}

fn skip_spaces(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && matches!(bytes[i], b' ' | b'\t') {
        i += 1;
    }
    i
}

/// After a Korean or Japanese word: spaces (ASCII or ideographic), one particle, `:`, `：`, `=`, `#`,
/// `(`, `（`, `[`.
fn skip_cjk_separators(bytes: &[u8], mut i: usize) -> usize {
    let mut particle = false;
    loop {
        let rest = &bytes[i..];
        if matches!(
            rest.first(),
            Some(b' ' | b'\t' | b':' | b'=' | b'#' | b'(' | b'[')
        ) {
            i += 1;
        } else if let Some(p) = [IDEO_SPACE, FULL_COLON, FULL_OPEN]
            .iter()
            .find(|p| rest.starts_with(p))
        {
            i += p.len();
        } else if let Some(p) = PARTICLES
            .iter()
            .find(|p| !particle && rest.starts_with(p.as_bytes()))
        {
            particle = true;
            i += p.len();
        } else {
            return i;
        }
    }
}

/// Whether the digits at `bytes[s..e]` are a number of their own: not part of a word, a decimal, an
/// address, a time or a date, and not a quantity (`7011 bytes`).
fn stands_alone(bytes: &[u8], s: usize, e: usize) -> bool {
    let digit_at = |i: usize| bytes.get(i).is_some_and(u8::is_ascii_digit);
    if let Some(&next) = bytes.get(e) {
        if is_word(next) {
            return false;
        }
        // 10.0.70.11, 10:15:30, 2026-11-22, 1/2, 7,011.
        if matches!(next, b'.' | b':' | b'-' | b'/' | b',') && digit_at(e + 1) {
            return false;
        }
    }
    if s >= 2 && matches!(bytes[s - 1], b'.' | b':' | b'-' | b'/' | b',') && digit_at(s - 2) {
        return false;
    }
    !followed_by_unit(bytes, e)
}

/// `key=7011`, `key: 7011`, `"key": "7011"`, `\"key\":7011`: the key, folded ([`fold_key`]).
fn key_before(bytes: &[u8], s: usize) -> Option<String> {
    let mut i = s;
    let skip_quotes = |i: &mut usize| {
        while *i > 0 && matches!(bytes[*i - 1], b'"' | b'\'' | b'\\') {
            *i -= 1;
        }
    };
    let skip_spaces = |i: &mut usize| {
        while *i > 0 && matches!(bytes[*i - 1], b' ' | b'\t') {
            *i -= 1;
        }
    };
    skip_quotes(&mut i);
    skip_spaces(&mut i);
    if i == 0 || !matches!(bytes[i - 1], b':' | b'=') {
        return None;
    }
    i -= 1;
    skip_spaces(&mut i);
    skip_quotes(&mut i);
    let end = i;
    while i > 0 && is_key_char(bytes[i - 1]) {
        i -= 1;
    }
    (i < end).then(|| fold_key(&bytes[i..end]))
}

/// `7011 bytes`, `7011 MB` (`7011ms` is one word anyway).
fn followed_by_unit(bytes: &[u8], e: usize) -> bool {
    let mut i = e;
    while i < bytes.len() && bytes[i] == b' ' {
        i += 1;
    }
    let start = i;
    while i < bytes.len() && (bytes[i].is_ascii_alphabetic() || bytes[i] == b'%') {
        i += 1;
    }
    if start == i || i - start > 7 {
        return false;
    }
    let unit = String::from_utf8_lossy(&bytes[start..i]).to_ascii_lowercase();
    UNITS.contains(&unit.as_str())
}

/// A place in a block that may hold a code.
struct Cand<'s> {
    start: usize,
    end: usize,
    what: What<'s>,
    /// The words right before the cue (`PallyCon` in `PallyCon responded 8003`): when they name
    /// catalogs, the number is a code of one of them or of none.
    subject: (usize, usize),
}

enum What<'s> {
    Number(&'s [Hit<'static>]),
    Name(u32),
}

/// A code found in a block.
#[derive(Debug)]
pub struct Event {
    pub start: usize,
    pub end: usize,
    /// Newlines in the block before it.
    pub line: u64,
    /// Characters before it on its line, within the block.
    pub column: u64,
    pub hits: Vec<Hit<'static>>,
    /// See [`Found::missed`].
    pub missed: Option<&'static Catalog>,
}

/// Line numbers and columns across blocks: the running count that turns a block's events into findings.
#[derive(Default)]
struct Order {
    stats: Stats,
    /// Lines before the current block (complete ones).
    lines_before: u64,
    /// Characters of the current line in earlier blocks (when a long line was cut).
    carried_chars: u64,
}

impl Order {
    fn report(
        &mut self,
        bytes: &[u8],
        events: &[Event],
        f: &mut impl FnMut(&Found) -> Result<(), Error>,
    ) -> Result<(), Error> {
        if !self.stats.non_blank && bytes.iter().any(|b| !b.is_ascii_whitespace()) {
            self.stats.non_blank = true;
        }
        for ev in events {
            let column = ev.column + if ev.line == 0 { self.carried_chars } else { 0 };
            // Names and numbers are ASCII.
            let matched = std::str::from_utf8(&bytes[ev.start..ev.end]).unwrap_or("");
            self.stats.findings += ev.hits.len() as u64;
            f(&Found {
                line: self.lines_before + ev.line + 1,
                column: column + 1,
                matched,
                hits: &ev.hits,
                missed: ev.missed,
            })?;
        }
        let newlines = memchr::memchr_iter(b'\n', bytes).count() as u64;
        let tail = memchr::memrchr(b'\n', bytes).map_or(0, |p| p + 1);
        let tail_chars = bytes[tail..]
            .iter()
            .filter(|b| (**b & 0xC0) != 0x80)
            .count() as u64;
        self.carried_chars = if newlines > 0 {
            tail_chars
        } else {
            self.carried_chars + tail_chars
        };
        self.lines_before += newlines;
        self.stats.lines = self.lines_before + u64::from(!bytes.ends_with(b"\n"));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scanner() -> &'static Scanner {
        static S: std::sync::OnceLock<Scanner> = std::sync::OnceLock::new();
        S.get_or_init(|| Scanner::new(&Book::builtin()))
    }

    /// Every finding of `text` as (line, column, matched, catalog:code).
    fn scan(text: &str) -> Vec<(u64, u64, String, String)> {
        let mut out = Vec::new();
        let mut input = text.as_bytes();
        scanner()
            .scan(&mut input, "test", |f| {
                for h in f.hits {
                    out.push((
                        f.line,
                        f.column,
                        f.matched.to_string(),
                        format!("{}:{}", h.catalog.id(), h.entry.code),
                    ));
                }
                Ok(())
            })
            .unwrap();
        out
    }

    fn found(line: &str) -> Vec<String> {
        scan(line).into_iter().map(|c| c.3).collect()
    }

    #[test]
    fn numbers_in_code_context() {
        assert_eq!(found(r#"{"code": 40013, "message": "x"}"#), ["skms:40013"]);
        assert_eq!(found("errorCode=250100"), ["livestation:250100"]);
        assert_eq!(found("license failed: error 7011"), ["pallycon:7011"]);
        assert_eq!(found("[7011] token"), ["pallycon:7011"]);
        assert_eq!(found(r#"body={\"code\":\"40013\"}"#), ["skms:40013"]);
        assert_eq!(found("code #7011"), ["pallycon:7011"]);
        assert_eq!(found(r#""errorCode": "210""#), ["ncp-apigw:210"]);
        assert_eq!(found("errcode 7011"), ["pallycon:7011"]);
        assert_eq!(found("responseCode: 7011"), ["pallycon:7011"]);
        assert_eq!(found("statusCode=7011"), ["pallycon:7011"]);
        assert_eq!(
            found("INFO x <errorCode>250100</errorCode> y"),
            ["livestation:250100"]
        );
        assert_eq!(found("license request fails with 7011"), ["pallycon:7011"]);
        assert_eq!(found("the server failed with 7012"), ["pallycon:7012"]);
        assert_eq!(found("AVPlayerItem error Code=-11800"), ["apple:-11800"]);
    }

    #[test]
    fn korean_and_japanese_cues_before_and_after() {
        assert_eq!(found("7011 오류가 발생합니다"), ["pallycon:7011"]);
        assert_eq!(found("에러코드 7012"), ["pallycon:7012"]);
        assert_eq!(found("PallyCon 오류 코드: 8002"), ["pallycon:8002"]);
        assert_eq!(found("エラーコード 40013"), ["skms:40013"]);
        assert_eq!(found("エラー40101"), ["skms:40101"]);
        assert_eq!(found("コード：40003"), ["skms:40003"]);
        assert_eq!(
            found("라이선스 발급 시 7012 에러가 납니다"),
            ["pallycon:7012"]
        );
        assert_eq!(
            found("오류 없음 2026년 11월 22일 10:15:30 エラーなし"),
            Vec::<String>::new()
        );
    }

    #[test]
    fn numbers_without_context_or_with_guards_are_ignored() {
        for line in [
            "7011",
            "2026-11-22T10:15:30Z took 7011 ms",
            "sent 7011 bytes",
            "connect 10.0.70.11:7011 refused",
            "ts=1700000000 size=7011",
            "sshd[7011]: accepted",
            "code=7011.5",
            "error 7011 bytes",
            "HTTP status code: 200",
            "statusCode: 403",
            "code=200",
            "[200]",
            "error7011",
            "stderr 7011",
            "returned in 7011 ms with 7011 MB",
            "코드 2026-11-22 오류 10:15:30",
            "エラー 192.168.70.11:7011",
            "responded in 7011ms",
        ] {
            assert!(found(line).is_empty(), "{line}: {:?}", found(line));
        }
    }

    #[test]
    fn a_vendor_named_before_the_cue_must_own_the_code() {
        // PallyCon has no 8003; Shaka's 8003 (a Cast error) is not what the sentence says.
        assert!(found("PallyCon responded 8003").is_empty());
        assert!(found("Shaka error 7011").is_empty());
        assert_eq!(
            found("shaka-player: license server error 7011"),
            ["pallycon:7011"]
        );
        // A number two catalogs have, on a line that names one of them.
        assert_eq!(found("오류 코드: 8002").len(), 2);
    }

    #[test]
    fn generic_names_come_from_the_data_and_need_a_cue() {
        let s = scanner();
        for name in [
            "not_found",
            "request_failed",
            "invalid_format",
            "connection_failed",
        ] {
            assert!(s.is_generic(name), "{name}");
        }
        assert!(s.is_generic("not_available"));
        for name in ["channel_not_found", "network_connection_failure"] {
            assert!(!s.is_generic(name), "{name}");
        }
        for line in [
            "rpc error: code = NOT_FOUND desc = no such user",
            "Shaka REQUEST_FAILED while fetching segment",
            "java.lang.IllegalArgumentException: INVALID_FORMAT",
            "upstream CONNECTION_FAILED",
            "Reason=NOT_AVAILABLE",
        ] {
            assert!(found(line).is_empty(), "{line}: {:?}", found(line));
        }
        assert_eq!(found("Live Station API: NOT_FOUND"), ["livestation:250004"]);
        assert_eq!(
            found("GET https://livestation.apigw.ntruss.com/api/v2/channels -> NOT_FOUND"),
            ["livestation:250004"]
        );
        assert_eq!(
            found(r#"{"code": "internal_error", "status": 500}"#),
            ["adobe-pass:internal_error"]
        );
    }

    #[test]
    fn a_code_and_its_own_name_on_one_line_are_one_finding() {
        assert_eq!(
            scan("errorCode=250100 CHANNEL_NOT_FOUND"),
            [(1, 11, "250100".into(), "livestation:250100".into())]
        );
        assert_eq!(
            scan("CHANNEL_NOT_FOUND (errorCode=250100)"),
            [(
                1,
                1,
                "CHANNEL_NOT_FOUND".into(),
                "livestation:250100".into()
            )]
        );
        // A code with another entry's name: two.
        assert_eq!(found("errorCode=7011 CHANNEL_NOT_FOUND").len(), 2);
        // The same code twice: two events.
        assert_eq!(found("error 7011, then error 7011").len(), 2);
    }

    #[test]
    fn names_are_whole_words_in_any_case() {
        assert_eq!(
            scan("x Channel_Not_Found."),
            [(
                1,
                3,
                "Channel_Not_Found".into(),
                "livestation:250100".into()
            )]
        );
        assert!(found("ERR_CHANNEL_NOT_FOUND").is_empty());
        assert!(found("channel_not_found_2").is_empty());
        assert_eq!(
            found("\"code\": \"network_connection_failure\""),
            ["adobe-pass:network_connection_failure"]
        );
    }

    #[test]
    fn lines_and_character_columns_across_blocks() {
        let found = scan("ok\r\n\n채널 CHANNEL_NOT_FOUND and [7011]\n");
        let got: Vec<(u64, u64)> = found.iter().map(|f| (f.0, f.1)).collect();
        assert_eq!(got, [(3, 4), (3, 27)]);
        // Enough lines for several blocks and both threads: every finding on its own line, in order.
        let line = "2026-11-22T10:15:30Z INFO padding padding padding padding padding\n";
        let mut text = String::new();
        let mut expected = Vec::new();
        let mut n = 0u64;
        while text.len() < 3 * crate::input::blocks::MAX_BLOCK + 1000 {
            n += 1;
            if n.is_multiple_of(997) {
                text.push_str("é error 7011\n");
                expected.push((n, 9));
            } else {
                text.push_str(line);
            }
        }
        let got: Vec<(u64, u64)> = scan(&text).iter().map(|f| (f.0, f.1)).collect();
        assert_eq!(got, expected);
    }

    /// Findings as (line, column, matched, catalog:code), with blocks of at most `max` bytes.
    fn scan_in_blocks(text: &str, max: usize) -> Vec<(u64, u64, String, String)> {
        let mut out = Vec::new();
        let mut input = text.as_bytes();
        scanner()
            .scan_blocks(Blocks::with_max(&mut input, max), "test", |f| {
                for h in f.hits {
                    out.push((
                        f.line,
                        f.column,
                        f.matched.to_string(),
                        format!("{}:{}", h.catalog.id(), h.entry.code),
                    ));
                }
                Ok(())
            })
            .unwrap();
        out
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]

        /// Any text made of code-like pieces: every finding's text is at its line and column, and small
        /// blocks (many of them, on two threads) find what one block finds, in the same order.
        #[test]
        fn findings_are_where_they_say_whatever_the_blocks(
            lines in proptest::collection::vec(
                proptest::collection::vec(
                    proptest::sample::select(vec![
                        "error ", "code=", "errorCode: ", "7011", "250100", "40013", "8002", " ",
                        "CHANNEL_NOT_FOUND", "NOT_FOUND", "Live Station ", "PallyCon ", "오류 ",
                        "에러코드", "エラー", "コード：", "[", "]", "\"", "10.0.70.11:", "é", "_", "-",
                        "ms", "responded ",
                    ]),
                    0..10,
                ),
                0..80,
            )
        ) {
            let text: String = lines.iter().map(|l| l.concat() + "\n").collect();
            let whole = scan_in_blocks(&text, 1 << 20);
            // A line is at most 10 pieces of at most 18 bytes: blocks of 256 bytes never cut one, and a
            // text of several blocks is searched on two threads.
            let small = scan_in_blocks(&text, 256);
            proptest::prop_assert_eq!(&whole, &small);
            let lines: Vec<&str> = text.split('\n').collect();
            for (line, column, matched, _) in &whole {
                let l = lines[*line as usize - 1];
                let at: String = l.chars().skip(*column as usize - 1).take(matched.chars().count()).collect();
                proptest::prop_assert_eq!(&at, matched);
            }
        }
    }
}
