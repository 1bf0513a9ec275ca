//! A query, read for the ranking: its units (as the index splits text), each a group of alternatives: the
//! unit as typed, the glossary's other words for it, the index words a typo may stand for.

use super::glossary::{self, Glossary, UnitRef};
use super::sources::Source;
use crate::catalog::index::{self, Unit, WORD};
use crate::catalog::{Book, Origin};

/// A glossary word found in another language counts this much of the word as typed.
pub const EXPANSION: f32 = 0.7;
/// A typo read as an index word one edit away counts this much; two edits away, `TYPO2`.
const TYPO1: f32 = 0.6;
const TYPO2: f32 = 0.4;
/// A katakana word found only inside a longer katakana word (`キー` in `スキーム`) counts this much. It is
/// found there when every one of its bigrams is: a loanword sharing a pair of characters with another
/// (`トークン` and `ネットワーク` share `ーク`) is another word.
pub const KANA_GRAMS: f32 = 0.5;
/// A query of more units than this is cut (a pasted paragraph is no query).
const MAX_GROUPS: usize = 24;
/// The most characters of one Korean or Japanese run a query reads.
const MAX_RUN: usize = 32;

/// How one unit's text is scored in an entry, by the terms (slots) it is made of.
#[derive(Debug, Clone)]
pub enum Piece {
    /// A Latin word.
    Word(usize),
    /// A run of Korean or Japanese: the mean of its bigrams.
    Grams(Vec<usize>),
    /// A katakana run: the word, or all of its bigrams at [`KANA_GRAMS`].
    Kana { word: usize, grams: Vec<usize> },
}

impl Piece {
    pub fn value(&self, vals: &[f32]) -> f32 {
        let mean = |g: &[usize]| g.iter().map(|&s| vals[s]).sum::<f32>() / g.len().max(1) as f32;
        match self {
            Piece::Word(s) => vals[*s],
            Piece::Grams(g) => mean(g),
            Piece::Kana { word, grams } => {
                let inside = grams.iter().all(|&s| vals[s] > 0.0);
                vals[*word].max(if inside {
                    KANA_GRAMS * mean(grams)
                } else {
                    0.0
                })
            }
        }
    }

    pub fn for_each_slot(&self, mut f: impl FnMut(usize)) {
        match self {
            Piece::Word(s) => f(*s),
            Piece::Grams(g) => g.iter().copied().for_each(f),
            Piece::Kana { word, grams } => {
                f(*word);
                grams.iter().copied().for_each(f);
            }
        }
    }
}

/// One way a group can match: its pieces (their mean), its weight and how `matched` names it.
#[derive(Debug, Clone)]
struct Alt {
    /// Whether some entry has one of its terms (see [`Query::known`]).
    known: bool,
    /// The most it can score (see [`Query::known`]).
    most: f32,
    /// Its terms, a bit per slot (every bit when a slot is past 63; see [`Query::known`]).
    slots: u64,
    weight: f32,
    pieces: Vec<Piece>,
    label: String,
}

/// A unit of the query (or several, for a glossary phrase such as `key vault`) and its alternatives;
/// it scores as its best alternative.
#[derive(Debug, Clone)]
struct Group {
    alts: Vec<Alt>,
    /// The most the group can count (see [`Query::known`]).
    ceiling: f32,
}

#[derive(Debug)]
pub struct Query {
    /// The index terms the query needs, each once.
    pub terms: Vec<String>,
    groups: Vec<Group>,
}

impl Query {
    pub fn new(raw: &str, book: &Book, sources: &[Source]) -> Query {
        let mut terms = Vec::new();
        // The built-in glossary, and the terms user catalogs add.
        let added: Vec<String> = book
            .catalogs
            .iter()
            .filter(|c| c.origin != Origin::BuiltIn || !c.extended_by.is_empty())
            .flat_map(|c| {
                c.glossary
                    .iter()
                    .filter_map(|t| glossary::line(t.iter().map(|f| f.as_ref())))
            })
            .collect();
        let glossary = super::builtin_glossary().with(added);
        let glossary = &glossary;
        // A run of Korean or Japanese longer than `MAX_RUN` characters counts by its first ones: a
        // pasted paragraph gives a bounded query.
        let units: Vec<Unit> = index::units(raw)
            .into_iter()
            .map(|mut u| {
                if u.cjk && u.text.chars().count() > MAX_RUN {
                    u.text = u.text.chars().take(MAX_RUN).collect();
                }
                u
            })
            .collect();
        let units = split_at_glossary(units, glossary);
        let mut groups = Vec::new();
        let mut i = 0;
        while i < units.len() && groups.len() < MAX_GROUPS {
            let typed = |from: usize, to: usize, terms: &mut Vec<String>| Alt {
                known: true,
                most: 0.0,
                slots: 0,
                weight: 1.0,
                pieces: units[from..to].iter().map(|u| piece(u, terms)).collect(),
                label: label(&units[from..to]),
            };
            match glossary_match(&units[i..], glossary) {
                Some((len, forms)) => {
                    let mut alts = vec![typed(i, i + len, &mut terms)];
                    for (f, fu) in forms {
                        if fu.is_empty() || same(&fu, &units[i..i + len]) {
                            continue;
                        }
                        alts.push(Alt {
                            known: true,
                            most: 0.0,
                            slots: 0,
                            weight: EXPANSION,
                            pieces: fu.iter().map(|u| piece(u, &mut terms)).collect(),
                            label: f,
                        });
                    }
                    groups.push(Group { alts, ceiling: 0.0 });
                    i += len;
                }
                None => {
                    groups.push(Group {
                        alts: vec![typed(i, i + 1, &mut terms)],
                        ceiling: 0.0,
                    });
                    i += 1;
                }
            }
        }
        let mut q = Query { terms, groups };
        q.correct_typos(sources);
        q
    }

    /// A Latin word of four letters or more that no catalog has is read as the index words nearest to
    /// it (Damerau-Levenshtein: one edit for words up to five letters, two beyond), with a penalty.
    fn correct_typos(&mut self, sources: &[Source]) {
        let indexes: Vec<_> = sources.iter().map(|s| &s.index).collect();
        for g in 0..self.groups.len() {
            let Some(Alt { pieces, .. }) = self.groups[g].alts.first() else {
                continue;
            };
            let [Piece::Word(s)] = pieces.as_slice() else {
                continue;
            };
            let word = self.terms[*s].clone();
            let n = word.chars().count();
            if n < 4 || !word.bytes().all(|b| b.is_ascii_lowercase()) {
                continue;
            }
            if indexes.iter().any(|ix| ix.find(&word).is_some()) {
                continue;
            }
            let most = if n <= 5 { 1 } else { 2 };
            // By distance, then a word of the same length (a transposition) before one a letter
            // longer or shorter.
            let mut near: Vec<(usize, usize, String)> = Vec::new();
            // A typo rarely changes the first letter, but may swap it with the second: only the index
            // words beginning with either are compared (the term table is sorted).
            let mut starts: Vec<&str> = vec![&word[..1], &word[1..2]];
            starts.dedup();
            for ix in &indexes {
                let ranges = starts.iter().map(|s| ix.starting_with(s));
                for t in ranges.flatten() {
                    let Some(v) = ix.term(t) else { continue };
                    if v.len().abs_diff(word.len()) > most
                        || !v.bytes().all(|b| b.is_ascii_lowercase())
                    {
                        continue;
                    }
                    let d = strsim::osa_distance(&word, v);
                    if d <= most && !near.iter().any(|(_, _, w)| w == v) {
                        near.push((d, v.len().abs_diff(word.len()), v.to_string()));
                    }
                }
            }
            near.sort();
            for (n, (d, _, v)) in near.into_iter().take(3).enumerate() {
                let slot = slot(&v, &mut self.terms);
                let weight = if d <= 1 { TYPO1 } else { TYPO2 };
                self.groups[g].alts.push(Alt {
                    known: true,
                    most: 0.0,
                    slots: 0,
                    // The nearest reading counts most.
                    weight: if n == 0 { weight } else { weight / 2.0 },
                    pieces: vec![Piece::Word(slot)],
                    label: v,
                });
            }
        }
    }

    /// Marks the alternatives none of whose terms any entry has (`df`: by slot, how many entries have
    /// it), and works out what each alternative and group can score at most (`term_ceiling`, by slot).
    pub fn known(&mut self, df: &[usize], term_ceiling: &[f32]) {
        for g in &mut self.groups {
            for a in &mut g.alts {
                let mut known = false;
                let mut slots = 0u64;
                for p in &a.pieces {
                    p.for_each_slot(|s| {
                        known |= df[s] > 0;
                        slots |= bit(s);
                    });
                }
                a.known = known;
                a.slots = slots;
                a.most = a.value(term_ceiling);
            }
            g.ceiling = g
                .alts
                .iter()
                .filter(|a| a.known)
                .map(|a| a.most)
                .fold(0.0, f32::max);
        }
    }

    /// The most the query can score, given the most each term can (`term_ceiling`, by slot): for each
    /// group, the most its best alternative can.
    pub fn ceiling(&self) -> f32 {
        self.groups.iter().map(|g| g.ceiling).sum()
    }

    /// An entry's score from its terms' scores (`vals`, by slot) and the fields they matched in
    /// (`masks`): the total and the fields of the alternatives that counted; which alternative of each
    /// group counted is pushed onto `picks` (one per group, [`NO_PICK`] for none; see [`Query::labels`]).
    /// Within a group, alternatives compare by how fully they matched (their score over the most they
    /// could score) times their weight, so that a rare glossary word does not outweigh a common word as
    /// typed; the group then counts that share of its ceiling.
    pub fn score(&self, vals: &[f32], masks: &[u8], picks: &mut Vec<u16>) -> (f32, u8) {
        // The slots the entry has: an alternative with none of them scores nothing.
        let mut present = 0u64;
        for (s, &v) in vals.iter().enumerate() {
            if v > 0.0 {
                present |= bit(s);
            }
        }
        let mut total = 0.0;
        let mut fields = 0u8;
        for g in &self.groups {
            let mut best: Option<(f32, usize)> = None;
            for (n, a) in g.alts.iter().enumerate() {
                if !a.known || a.most <= 0.0 || a.slots & present == 0 {
                    continue;
                }
                let v = a.weight * (a.value(vals) / a.most).min(1.0);
                if v > 0.0 && best.is_none_or(|(b, _)| v > b) {
                    best = Some((v, n));
                }
            }
            match best {
                Some((v, n)) => {
                    total += v * g.ceiling;
                    for p in &g.alts[n].pieces {
                        p.for_each_slot(|s| {
                            if vals[s] > 0.0 {
                                fields |= masks[s];
                            }
                        });
                    }
                    picks.push(u16::try_from(n).unwrap_or(NO_PICK));
                }
                None => picks.push(NO_PICK),
            }
        }
        (total, fields)
    }

    /// Which entries can score, by the terms (slots) they have: `leads[s]` tells whether having term `s`
    /// can make an entry score (a word, a Korean or Japanese pair, a katakana word); the sets of the
    /// katakana pairs that count only all together (see [`KANA_GRAMS`]) come second. An entry with none
    /// of the first and no whole set of the second scores nothing.
    pub fn leads(&self) -> (Vec<bool>, Vec<Vec<usize>>) {
        let mut leads = vec![false; self.terms.len()];
        let mut together: Vec<Vec<usize>> = Vec::new();
        for p in self
            .groups
            .iter()
            .flat_map(|g| &g.alts)
            .flat_map(|a| &a.pieces)
        {
            match p {
                Piece::Word(s) => leads[*s] = true,
                Piece::Grams(g) => g.iter().for_each(|&s| leads[s] = true),
                Piece::Kana { word, grams } => {
                    leads[*word] = true;
                    if !together.contains(grams) {
                        together.push(grams.clone());
                    }
                }
            }
        }
        (leads, together)
    }

    /// How many picks [`Query::score`] pushes: one per group.
    pub fn groups(&self) -> usize {
        self.groups.len()
    }

    /// The labels of the alternatives `picks` (as [`Query::score`] pushed them) name, each once, in the
    /// order of the query.
    pub fn labels(&self, picks: &[u16]) -> Vec<String> {
        let mut labels: Vec<String> = Vec::new();
        for (g, &n) in self.groups.iter().zip(picks) {
            if let Some(a) = g.alts.get(usize::from(n)) {
                if !labels.contains(&a.label) {
                    labels.push(a.label.clone());
                }
            }
        }
        labels
    }
}

/// Slot `s` as a bit of a set of slots; past 63, every bit (such a set tells nothing apart).
fn bit(s: usize) -> u64 {
    if s < 64 {
        1 << s
    } else {
        u64::MAX
    }
}

/// No alternative of a group counted (see [`Query::score`]).
pub const NO_PICK: u16 = u16::MAX;

impl Alt {
    fn value(&self, vals: &[f32]) -> f32 {
        mean(self.pieces.iter().map(|p| p.value(vals)))
    }
}

fn mean(vals: impl Iterator<Item = f32>) -> f32 {
    let (sum, n) = vals.fold((0.0, 0), |(s, n), v| (s + v, n + 1));
    if n == 0 {
        0.0
    } else {
        sum / n as f32
    }
}

fn slot(term: &str, terms: &mut Vec<String>) -> usize {
    match terms.iter().position(|t| t == term) {
        Some(s) => s,
        None => {
            terms.push(term.to_string());
            terms.len() - 1
        }
    }
}

fn piece(u: &Unit, terms: &mut Vec<String>) -> Piece {
    if !u.cjk {
        return Piece::Word(slot(&u.text, terms));
    }
    let grams = index::grams(&u.text)
        .iter()
        .map(|g| slot(g, terms))
        .collect();
    if u.kana {
        Piece::Kana {
            word: slot(&format!("{WORD}{}", u.text), terms),
            grams,
        }
    } else {
        Piece::Grams(grams)
    }
}

fn label(units: &[Unit]) -> String {
    let mut out = String::new();
    for u in units {
        let joined = u.cjk && out.ends_with(|c: char| !c.is_ascii());
        if !out.is_empty() && !joined {
            out.push(' ');
        }
        out.push_str(&u.text);
    }
    out
}

fn same(a: &[Unit], b: &[Unit]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.text == y.text)
}

/// Splits each Korean or Japanese run at the glossary words it holds (`토큰이` → `토큰`, `이`;
/// `接続失敗` → `接続`, `失敗`), so that each is a unit; a single character left over (a particle such
/// as `이` or `の`) is dropped.
fn split_at_glossary(units: Vec<Unit>, glossary: &Glossary) -> Vec<Unit> {
    let mut out = Vec::new();
    for u in units {
        if !u.cjk || u.kana {
            out.push(u);
            continue;
        }
        let chars: Vec<char> = u.text.chars().collect();
        // Where each character starts in the text.
        let starts: Vec<usize> = u.text.char_indices().map(|(b, _)| b).collect();
        let mut pieces: Vec<(usize, usize)> = Vec::new();
        let mut i = 0;
        let mut plain = 0;
        while i < chars.len() {
            // The longest glossary word (of one unit, two characters or more) starting here: only the
            // terms whose line holds this character can have one.
            let rest = &u.text[starts[i]..];
            let here = &rest[..chars[i].len_utf8()];
            let long = glossary
                .terms_with(here)
                .flat_map(|t| t.forms())
                .map(|f| f.text())
                .filter(|f| rest.starts_with(f) && !f.contains(' '))
                .map(|f| f.chars().count())
                .filter(|&n| n >= 2)
                .max();
            match long {
                Some(len) if len < chars.len() => {
                    if plain < i {
                        pieces.push((plain, i));
                    }
                    pieces.push((i, i + len));
                    i += len;
                    plain = i;
                }
                _ => i += 1,
            }
        }
        if pieces.is_empty() {
            out.push(u);
            continue;
        }
        if plain < chars.len() {
            pieces.push((plain, chars.len()));
        }
        for (a, b) in pieces {
            if b - a >= 2 {
                out.push(Unit {
                    text: chars[a..b].iter().collect(),
                    cjk: true,
                    kana: false,
                });
            }
        }
    }
    out
}

/// A glossary form: its text and its units.
type Form = (String, Vec<Unit>);

/// The glossary phrase that starts `units`, if any: how many units it covers, and every form of every
/// term it is a form of. A Korean or Japanese unit matches a form it begins with (`만료된` ↔ `만료`).
fn glossary_match(units: &[Unit], glossary: &Glossary) -> Option<(usize, Vec<Form>)> {
    // The longest phrase wins: most units, then most characters (`키볼트` is "key vault", not the `키`
    // it begins with); terms whose forms tie on both are all taken.
    let mut best: Option<((usize, usize), Vec<Form>)> = None;
    // A form's first unit is the first unit as typed or, for Korean or Japanese, begins it.
    let first = units.first()?;
    let needle = match first.cjk {
        true => first
            .text
            .chars()
            .next()
            .map_or("", |c| &first.text[..c.len_utf8()]),
        false => first.text.as_str(),
    };
    for t in glossary.terms_with(needle) {
        for f in t.forms() {
            // Compared unit by unit, so that most forms are left at their first unit.
            let mut fu = f.units().peekable();
            let mut k = 0;
            let fits = loop {
                let Some(a) = fu.next() else { break k > 0 };
                let Some(b) = units.get(k) else { break false };
                let last = fu.peek().is_none();
                if a.text != b.text && !(last && a.cjk && b.cjk && b.text.starts_with(a.text)) {
                    break false;
                }
                k += 1;
            };
            if !fits {
                continue;
            }
            let size = (k, f.text().chars().count());
            if best.as_ref().is_some_and(|(b, _)| *b > size) {
                continue;
            }
            let others = t.forms().filter(|x| x.text() != f.text()).map(|x| {
                (
                    x.text().to_string(),
                    x.units().map(UnitRef::to_unit).collect(),
                )
            });
            match &mut best {
                Some((b, forms)) if *b == size => forms.extend(others),
                _ => best = Some((size, others.collect())),
            }
        }
    }
    best.map(|((k, _), mut forms)| {
        forms.sort_by(|a, b| a.0.cmp(&b.0));
        forms.dedup_by(|a, b| a.0 == b.0);
        (k, forms)
    })
}
