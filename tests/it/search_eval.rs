//! Search quality on the judgement set (`tests/data/search-judgements.tsv`, graded from the catalogs
//! before the ranking was tuned): MRR@10, nDCG@5, P@1 and misses per language, computed in-process over
//! the built-in catalogs. MRR@10: the mean of 1 / the rank of the first relevant result (0 when none is
//! in the top 10); nDCG@5: graded gain (2^grade - 1) of the top 5 over the best order's; P@1: the share
//! of queries whose first result is relevant; a miss: nothing relevant in the top 10. The test fails when a language falls below the floors below (what the ranking
//! reached when they were set); `scripts/search-eval.sh` prints the table.

use errbook::catalog::Book;
use std::collections::HashMap;

struct Judged {
    query: String,
    lang: String,
    grades: HashMap<String, u32>,
}

fn judgements() -> Vec<Judged> {
    let text = include_str!("../data/search-judgements.tsv");
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        assert_eq!(cols.len(), 4, "line {}: {line:?}", n + 1);
        let grades = cols[3]
            .split_whitespace()
            .map(|r| {
                let (id, g) = r.rsplit_once('=').expect("catalog:code=grade");
                (id.to_string(), g.parse().expect("a grade"))
            })
            .collect();
        out.push(Judged {
            query: cols[0].to_string(),
            lang: cols[1].to_string(),
            grades,
        });
    }
    out
}

/// The figures of one language.
#[derive(Default, Debug)]
pub struct Figures {
    pub queries: usize,
    pub mrr10: f64,
    pub ndcg5: f64,
    pub p1: f64,
    pub misses: Vec<String>,
}

fn dcg(grades: impl Iterator<Item = u32>) -> f64 {
    grades
        .enumerate()
        .map(|(i, g)| (2f64.powi(g as i32) - 1.0) / ((i + 2) as f64).log2())
        .sum()
}

/// Runs every query of the set through `errbook::search::search`; the figures by language.
fn evaluate() -> Vec<(String, Figures)> {
    let book = Book::builtin();
    let mut by: Vec<(String, Figures)> = Vec::new();
    for j in judgements() {
        let hits = errbook::search::search(&book, &j.query, 10);
        let got: Vec<u32> = hits
            .iter()
            .map(|h| {
                let id = format!("{}:{}", h.catalog.id, h.entry.code);
                j.grades.get(&id).copied().unwrap_or(0)
            })
            .collect();
        let at = match by.iter().position(|(l, _)| *l == j.lang) {
            Some(at) => at,
            None => {
                by.push((j.lang.clone(), Figures::default()));
                by.len() - 1
            }
        };
        if std::env::var_os("SEARCH_EVAL_VERBOSE").is_some() {
            let top: Vec<String> = hits
                .iter()
                .take(3)
                .map(|h| format!("{}:{}", h.catalog.id, h.entry.code))
                .collect();
            println!("query\t{}\t{}\t{:?}\t{top:?}", j.lang, j.query, got);
        }
        let f = &mut by[at].1;
        f.queries += 1;
        match got.iter().position(|&g| g > 0) {
            Some(rank) => f.mrr10 += 1.0 / (rank + 1) as f64,
            None => f.misses.push(j.query.clone()),
        }
        if got.first().is_some_and(|&g| g > 0) {
            f.p1 += 1.0;
        }
        let mut ideal: Vec<u32> = j.grades.values().copied().collect();
        ideal.sort_unstable_by(|a, b| b.cmp(a));
        let idcg = dcg(ideal.into_iter().take(5));
        f.ndcg5 += dcg(got.iter().copied().take(5)) / idcg;
    }
    for (_, f) in &mut by {
        let n = f.queries as f64;
        f.mrr10 /= n;
        f.ndcg5 /= n;
        f.p1 /= n;
    }
    by
}

/// The floors, per language: MRR@10, nDCG@5, P@1, most misses: what the BM25F ranking reached when
/// they were set (the targets are MRR@10 ≥ 0.95, nDCG@5 ≥ 0.90, at most one miss).
const FLOORS: [(&str, f64, f64, f64, usize); 3] = [
    ("en", 0.981, 0.912, 0.972, 0),
    ("ko", 0.978, 0.901, 0.971, 0),
    ("ja", 0.984, 0.909, 0.969, 0),
];

#[test]
fn search_quality_holds_on_the_judgement_set() {
    let figures = evaluate();
    println!("| lang | queries | MRR@10 | nDCG@5 | P@1 | misses |");
    println!("|------|--------:|-------:|-------:|----:|-------:|");
    for (lang, f) in &figures {
        println!(
            "| {lang} | {} | {:.4} | {:.4} | {:.4} | {} |",
            f.queries,
            f.mrr10,
            f.ndcg5,
            f.p1,
            f.misses.len()
        );
    }
    for (lang, f) in &figures {
        if !f.misses.is_empty() {
            println!("misses ({lang}): {:?}", f.misses);
        }
    }
    assert_eq!(figures.len(), 3, "en, ko and ja");
    for (lang, mrr, ndcg, p1, misses) in FLOORS {
        let f = &figures.iter().find(|(l, _)| l == lang).unwrap().1;
        assert!(f.queries >= 25, "{lang}: {} queries", f.queries);
        assert!(f.mrr10 >= mrr, "{lang}: MRR@10 {:.3} < {mrr}", f.mrr10);
        assert!(f.ndcg5 >= ndcg, "{lang}: nDCG@5 {:.3} < {ndcg}", f.ndcg5);
        assert!(f.p1 >= p1, "{lang}: P@1 {:.3} < {p1}", f.p1);
        assert!(f.misses.len() <= misses, "{lang}: misses {:?}", f.misses);
    }
}

/// Every entry the set names is an entry of the built-in catalogs (a renamed code would silently count
/// as a miss).
#[test]
fn every_judged_entry_exists() {
    let book = Book::builtin();
    for j in judgements() {
        for id in j.grades.keys() {
            let (c, code) = id.split_once(':').unwrap();
            let cat = book.catalog(c).unwrap_or_else(|| panic!("{id}"));
            assert!(cat.index_of(code).is_some(), "{}: {id}", j.query);
        }
    }
}
