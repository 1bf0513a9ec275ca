//! Issue 19: tables and wrapped text never break what people copy. At 60, 80, 100 and 160 columns, in
//! English, Korean and Japanese, `lookup`, `search`, `list`, `catalogs` and `explain` keep every code,
//! name, action, catalog id, URL and Latin token (also inside Japanese text) whole on one line, stay in the
//! terminal's width (only a value that cannot be broken may run past it, on a line of its own), and give
//! the room to the message. What each cell must hold is read from the same command's JSON output.

use serde_json::Value;
use unicode_width::UnicodeWidthStr;

use crate::common;

const WIDTHS: [usize; 4] = [60, 80, 100, 160];
const LANGS: [&str; 3] = ["en", "ko", "ja"];

fn run(width: usize, lang: &str, args: &[&str]) -> String {
    let r = common::run_with(
        common::errbook()
            .env("COLUMNS", width.to_string())
            .args(["--lang", lang, "--color", "never"])
            .args(args),
    );
    assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
    r.stdout
}

fn json(lang: &str, args: &[&str]) -> Value {
    let out = run(100, lang, &[args, &["--format", "json"]].concat());
    serde_json::from_str(&out).unwrap()
}

/// One row of a table, or one block: each column's (or label's) lines, in order.
type Row = Vec<(String, Vec<String>)>;

/// Reads a table drawn with comfy-table's UTF8_FULL_CONDENSED preset back into rows of cells; a new row
/// starts where the first column is not empty. `None` when the output is not a table (blocks).
fn read_table(text: &str) -> Option<Vec<Row>> {
    if !text.starts_with('┌') {
        return None;
    }
    let cells = |line: &str| -> Vec<String> {
        line.trim_start_matches('│')
            .trim_end_matches('│')
            .split('┆')
            .map(|c| c.trim().to_string())
            .collect()
    };
    let mut header: Vec<String> = Vec::new();
    let mut rows: Vec<Row> = Vec::new();
    let mut in_body = false;
    for line in text.lines() {
        if line.starts_with('╞') {
            in_body = true;
            continue;
        }
        if line.starts_with('└') {
            break;
        }
        if !line.starts_with('│') {
            continue;
        }
        let c = cells(line);
        if !in_body {
            if header.is_empty() {
                header = c;
            } else {
                for (h, part) in header.iter_mut().zip(c) {
                    if !part.is_empty() {
                        h.push(' ');
                        h.push_str(&part);
                    }
                }
            }
            continue;
        }
        if !c[0].is_empty() || rows.is_empty() {
            rows.push(header.iter().map(|h| (h.clone(), Vec::new())).collect());
        }
        let row = rows.last_mut().unwrap();
        for (i, part) in c.into_iter().enumerate() {
            if !part.is_empty() {
                row[i].1.push(part);
            }
        }
    }
    Some(rows)
}

/// Reads blocks of `label  value` lines (continuations indented), separated by blank lines, up to the
/// footnotes (`[1] …`).
fn read_blocks(text: &str) -> Vec<Row> {
    let mut rows: Vec<Row> = vec![Vec::new()];
    for line in text.lines() {
        if line.starts_with('[') {
            break;
        }
        if line.is_empty() {
            rows.push(Vec::new());
        } else if line.starts_with(' ') {
            let row = rows.last_mut().unwrap();
            row.last_mut().unwrap().1.push(line.trim().to_string());
        } else {
            let (label, value) = line.split_once("  ").expect("label  value");
            let row = rows.last_mut().unwrap();
            row.push((label.to_string(), vec![value.trim().to_string()]));
        }
    }
    rows.retain(|r| !r.is_empty());
    rows
}

/// Maximal runs of ASCII characters that are not spaces: the tokens that must never be broken.
fn latin_tokens(s: &str) -> Vec<&str> {
    s.split(|c: char| !c.is_ascii() || c.is_ascii_whitespace())
        .filter(|t| !t.is_empty())
        .collect()
}

/// `lines` hold `text` without a break inside a Latin token, and nothing lost or added but spaces.
fn assert_wrapped(text: &str, lines: &[String], what: &str) {
    let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    assert_eq!(squeeze(&lines.concat()), squeeze(text), "{what}: {lines:?}");
    for t in latin_tokens(text) {
        assert!(
            lines.iter().any(|l| l.contains(t)),
            "{what}: `{t}` is broken across lines: {lines:?}"
        );
    }
}

/// Every line fits in `width`, except one whose overflow is a single unbroken value (no space after the
/// label or indentation): a URL or an identifier longer than the line.
fn assert_fits(out: &str, width: usize, what: &str) {
    for line in out.lines() {
        if line.width() <= width {
            continue;
        }
        let value = line.trim_start();
        let value = value
            .split_once("  ")
            .map_or(value, |(_, v)| v.trim_start());
        let value = value
            .strip_prefix('[')
            .and_then(|v| v.split_once("] "))
            .map_or(value, |(_, v)| v);
        assert!(
            !value.contains(' '),
            "{what}: line wider than {width} columns ({}):\n{line}",
            line.width()
        );
    }
}

/// The cell of `row` under `header`.
fn cell<'r>(row: &'r Row, header: &str) -> Option<&'r Vec<String>> {
    row.iter().find(|(h, _)| h == header).map(|(_, v)| v)
}

/// Checks the table or blocks of `args` (entries) against the command's JSON results.
fn check_entries(args: &[&str]) {
    for lang in LANGS {
        let doc = json(lang, args);
        let results = doc["results"].as_array().unwrap();
        assert!(!results.is_empty(), "{args:?}");
        let l = labels(lang);
        for width in WIDTHS {
            let what = format!("{args:?} --lang {lang} at {width}");
            let out = run(width, lang, &[args, &["--format", "table"]].concat());
            assert_fits(&out, width, &what);
            let table = read_table(&out);
            if width == 160 {
                assert!(
                    table.is_some(),
                    "{what}: a table fits in 160 columns:\n{out}"
                );
            }
            let rows = table.clone().unwrap_or_else(|| read_blocks(&out));
            assert_eq!(rows.len(), results.len(), "{what}:\n{out}");
            for (row, r) in rows.iter().zip(results) {
                let one = |h: &str| cell(row, h).map(|v| v.join("\n")).unwrap_or_default();
                assert_eq!(one(l.catalog), r["catalog"].as_str().unwrap(), "{what}");
                assert_eq!(one(l.code), r["code"].as_str().unwrap(), "{what}");
                assert_eq!(one(l.action), r["action"].as_str().unwrap(), "{what}");
                if let Some(name) = r["name"].as_str() {
                    assert_eq!(one(l.name), name, "{what}");
                }
                if let Some(s) = r["http_status"].as_u64() {
                    assert_eq!(one(l.http), s.to_string(), "{what}");
                }
                let mut message = r["message"].as_str().unwrap().to_string();
                if r["message_lang"] != lang {
                    message = format!("[{}] {message}", r["message_lang"].as_str().unwrap());
                }
                let lines = cell(row, l.message).unwrap();
                assert_wrapped(&message, lines, &what);
            }
            // The message gets the room: unless every message is on one line, its column is the widest.
            if let Some(rows) = table {
                let col_width = |h: &str| {
                    rows.iter()
                        .filter_map(|r| cell(r, h))
                        .flatten()
                        .map(|l| l.width())
                        .max()
                        .unwrap_or(0)
                };
                let wrapped = rows.iter().any(|r| cell(r, l.message).unwrap().len() > 1);
                if wrapped {
                    let msg = col_width(l.message);
                    for (h, _) in &rows[0] {
                        assert!(
                            msg >= col_width(h),
                            "{what}: {h} is wider than the message:\n{out}"
                        );
                    }
                }
            }
        }
    }
}

/// The column names, as the labels of each language give them.
struct Labels {
    catalog: &'static str,
    code: &'static str,
    name: &'static str,
    http: &'static str,
    action: &'static str,
    message: &'static str,
}

fn labels(lang: &str) -> Labels {
    let l = errbook::render::labels::get(errbook::catalog::Lang::from_code(lang).unwrap());
    Labels {
        catalog: l.catalog,
        code: l.code,
        name: l.name,
        http: l.http,
        action: l.action,
        message: l.message,
    }
}

#[test]
fn lookup_tables_keep_codes_names_and_tokens_whole() {
    // The case: a long identifier (split as `…_by_pare│ntal_controls` at 100 columns), next to
    // short codes, Japanese messages with Latin words, and HTTP statuses.
    check_entries(&[
        "lookup",
        "authorization_denied_by_parental_controls",
        "7011",
        "40013",
        "channel_not_found",
    ]);
}

#[test]
fn search_tables_give_the_message_the_room() {
    // At 80 columns the message column got 14 characters while Code and Action took 16 each.
    check_entries(&["search", "license", "--limit", "8"]);
}

#[test]
fn list_tables_keep_identifiers_whole() {
    check_entries(&["list", "--catalog", "adobe-pass"]);
    check_entries(&["list", "--catalog", "shaka", "--domain", "network"]);
}

#[test]
fn catalogs_tables_keep_urls_and_identifiers_whole() {
    for lang in LANGS {
        let doc = json(lang, &["catalogs"]);
        let cats = doc["catalogs"].as_array().unwrap();
        let l = errbook::render::labels::get(errbook::catalog::Lang::from_code(lang).unwrap());
        for width in WIDTHS {
            let what = format!("catalogs --lang {lang} at {width}");
            let out = run(width, lang, &["catalogs", "--format", "table"]);
            assert_fits(&out, width, &what);
            let table = read_table(&out);
            if width == 160 {
                assert!(
                    table.is_some(),
                    "{what}: a table fits in 160 columns:\n{out}"
                );
            }
            let rows = table.unwrap_or_else(|| read_blocks(&out));
            assert_eq!(rows.len(), cats.len(), "{what}:\n{out}");
            // Footnotes: `[n] URL`, each URL whole on its own line.
            let notes: Vec<(String, String)> = out
                .lines()
                .filter_map(|line| {
                    let (n, url) = line.strip_prefix('[')?.split_once("] ")?;
                    Some((format!("[{n}]"), url.to_string()))
                })
                .collect();
            for (row, c) in rows.iter().zip(cats) {
                let one = |h: &str| cell(row, h).map(|v| v.join(" ")).unwrap_or_default();
                assert_eq!(one(l.catalog), c["id"].as_str().unwrap(), "{what}");
                let vendor = format!(
                    "{} {}",
                    c["vendor"].as_str().unwrap(),
                    c["product"].as_str().unwrap()
                );
                assert_wrapped(&vendor, cell(row, l.vendor).unwrap(), &what);
                let urls: Vec<&str> = one(l.source)
                    .split(' ')
                    .filter(|r| !r.is_empty())
                    .map(|r| {
                        notes
                            .iter()
                            .find(|(n, _)| n == r)
                            .map(|(_, u)| u.as_str())
                            .unwrap_or_else(|| panic!("{what}: no footnote {r}"))
                    })
                    .collect();
                let want: Vec<&str> = c["sources"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|u| u.as_str().unwrap())
                    .collect();
                assert_eq!(urls, want, "{what}: sources of {}", c["id"]);
            }
        }
    }
}

#[test]
fn explain_wraps_without_breaking_latin_tokens() {
    // The cases: Japanese explain wrapped `HTT` / `P 403` and `` ` `` / `Adobe-Request-Id`.
    for code in ["authorization_denied_by_mvpd", "40013", "7011"] {
        for lang in LANGS {
            let doc = json(lang, &["explain", code]);
            let r = &doc["results"][0];
            for width in WIDTHS {
                let what = format!("explain {code} --lang {lang} at {width}");
                let out = run(width, lang, &["explain", code, "--format", "table"]);
                assert_fits(&out, width, &what);
                let lines: Vec<String> = out.lines().map(|l| l.trim().to_string()).collect();
                for field in ["description", "hint"] {
                    if let Some(text) = r[field].as_str() {
                        for t in latin_tokens(text) {
                            assert!(
                                lines.iter().any(|l| l.contains(t)),
                                "{what}: `{t}` of the {field} is broken:\n{out}"
                            );
                        }
                    }
                }
            }
        }
    }
}

#[test]
fn scan_tables_keep_matches_and_codes_whole() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("app.log");
    std::fs::write(
        &log,
        "GET /x 403 authorization_denied_by_parental_controls\nlicense error 7011 at 12:00\n\
         {\"code\": 40013, \"message\": \"x\"}\nchannel_not_found\n",
    )
    .unwrap();
    let log = log.to_str().unwrap();
    for lang in LANGS {
        let doc = json(lang, &["scan", log]);
        let findings = doc["findings"].as_array().unwrap();
        assert_eq!(findings.len(), 4);
        let l = errbook::render::labels::get(errbook::catalog::Lang::from_code(lang).unwrap());
        for width in WIDTHS {
            let what = format!("scan --lang {lang} at {width}");
            let out = run(width, lang, &["scan", log, "--format", "table"]);
            assert_fits(&out, width, &what);
            let table = read_table(&out);
            if width == 160 {
                assert!(
                    table.is_some(),
                    "{what}: a table fits in 160 columns:\n{out}"
                );
            }
            let rows = table.unwrap_or_else(|| read_blocks(&out));
            assert_eq!(rows.len(), findings.len(), "{what}:\n{out}");
            for (row, f) in rows.iter().zip(findings) {
                let one = |h: &str| cell(row, h).map(|v| v.join("\n")).unwrap_or_default();
                let e = &f["entry"];
                assert_eq!(one(l.matched), f["matched"].as_str().unwrap(), "{what}");
                assert_eq!(one(l.code), e["code"].as_str().unwrap(), "{what}");
                assert_eq!(one(l.catalog), e["catalog"].as_str().unwrap(), "{what}");
                let mut message = e["message"].as_str().unwrap().to_string();
                if e["message_lang"] != lang {
                    message = format!("[{}] {message}", e["message_lang"].as_str().unwrap());
                }
                assert_wrapped(&message, cell(row, l.message).unwrap(), &what);
            }
        }
    }
}
