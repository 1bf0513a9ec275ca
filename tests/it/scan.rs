//! Issue 7: `errbook scan` finds known codes in free text with their line and column, leaves timestamps,
//! sizes, addresses and ports alone, works in every format, and streams a large log in bounded memory.

use errbook::render::{ScanDocument, ScanFindingJson};
use std::io::Write;
use std::process::Stdio;

use crate::common;
use common::{errbook, run_with as run};

/// A log with the usual numbers in it, and five real codes (marked in the comments).
const LOG: &str = "\
2026-11-22T10:15:30.123Z INFO  GET /license 200 OK sent 7011 bytes in 7011 ms
2026-11-22T10:15:30.456Z INFO  upstream 10.0.70.11:7011 connected, port=7011, pid 40013
ts=1700000000 size=250100 took=40013us sshd[7011]: session opened; HTTP status code: 200
2026-11-22T10:15:31Z ERROR license denied: {\"errorCode\": \"7011\", \"message\": \"Token is expired.\"}
2026-11-22T10:15:32Z ERROR skms said error 40013 (keyVault)
2026-11-22T10:15:33Z WARN  live station: channel_not_found for channel 250100
2026-11-22T10:15:34Z ERROR [50001] internal, retried 3 times
2026-11-22T10:15:35Z ERROR apigw {\"error\": {\"errorCode\": \"210\", \"message\": \"Permission Denied\"}}
";

fn scan_json(args: &[&str], stdin: &str) -> ScanDocument {
    let r = run(errbook()
        .arg("scan")
        .args(args)
        .args(["--format", "json"])
        .write_stdin(stdin));
    assert_eq!(r.code, 0, "{}", r.stderr);
    serde_json::from_str(&r.stdout)
        .unwrap_or_else(|e| panic!("not a scan document: {e}\n{}", r.stdout))
}

/// The 1-based column of `needle` in line `line` of LOG (the lines are ASCII), `skip` bytes into it.
fn col(line: usize, needle: &str, skip: usize) -> u64 {
    let l = LOG.lines().nth(line - 1).unwrap();
    (l.find(needle).unwrap() + skip + 1) as u64
}

fn where_what(doc: &ScanDocument) -> Vec<(u64, u64, String, String)> {
    doc.findings
        .iter()
        .map(|f| {
            (
                f.line,
                f.column,
                f.matched.clone(),
                format!("{}:{}", f.entry.catalog, f.entry.code),
            )
        })
        .collect()
}

#[test]
fn true_codes_are_found_and_false_positives_are_not() {
    let doc = scan_json(&[], LOG);
    assert_eq!(doc.command, "scan");
    assert_eq!(doc.inputs, ["-"]);
    assert_eq!(
        where_what(&doc),
        [
            (
                4,
                col(4, "\"7011\"", 1),
                "7011".into(),
                "pallycon:7011".into()
            ),
            (5, col(5, "40013", 0), "40013".into(), "skms:40013".into()),
            (
                6,
                col(6, "channel_not_found", 0),
                "channel_not_found".into(),
                "livestation:250100".into()
            ),
            (7, col(7, "50001", 0), "50001".into(), "skms:50001".into()),
            (
                8,
                col(8, "\"210\"", 1),
                "210".into(),
                "ncp-apigw:210".into()
            ),
        ]
    );
    // Lines 1 to 3 hold timestamps, byte counts, durations, an IP and ports, an epoch, a PID and an
    // HTTP status, some of them equal to real codes: none is reported.
    assert!(doc.findings.iter().all(|f| f.line > 3));
}

#[test]
fn columns_count_characters_not_bytes() {
    let doc = scan_json(&[], "채널 오류: CHANNEL_NOT_FOUND\n");
    assert_eq!(
        where_what(&doc),
        [(
            1,
            8,
            "CHANNEL_NOT_FOUND".into(),
            "livestation:250100".into()
        )]
    );
}

#[test]
fn every_format() {
    // plain: location, matched, catalog, code, name, message language, message.
    let r = run(errbook()
        .args(["scan", "--format", "plain"])
        .write_stdin(LOG));
    assert_eq!(r.code, 0);
    let rows: Vec<Vec<&str>> = r.stdout.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(rows.len(), 5);
    assert!(rows.iter().all(|r| r.len() == 7), "{rows:?}");
    let loc = format!("4:{}", col(4, "\"7011\"", 1));
    assert_eq!(
        rows[0],
        [
            loc.as_str(),
            "7011",
            "pallycon",
            "7011",
            "-",
            "en",
            "Token is expired."
        ]
    );
    assert_eq!(rows[2][4], "CHANNEL_NOT_FOUND");
    // ndjson: one finding per line.
    let r = run(errbook()
        .args(["scan", "--format", "ndjson"])
        .write_stdin(LOG));
    let lines: Vec<ScanFindingJson> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 5);
    assert_eq!(
        (lines[4].line, lines[4].column, lines[4].entry.code.as_str()),
        (8, col(8, "\"210\"", 1), "210")
    );
    // table: the rows, with their locations.
    let r = run(errbook()
        .args(["scan", "--format", "table"])
        .write_stdin(LOG));
    assert!(r.stdout.contains('│'));
    for (line, needle, skip) in [(4, "\"7011\"", 1), (5, "40013", 0), (7, "50001", 0)] {
        let loc = format!("{line}:{}", col(line, needle, skip));
        assert!(r.stdout.contains(&loc), "{loc} missing:\n{}", r.stdout);
    }
    // The table's labels follow the language.
    let r = run(errbook()
        .args(["scan", "--format", "table", "--lang", "ja"])
        .write_stdin(LOG));
    assert!(r.stdout.contains("行:列"));
    // An empty JSON result is still a document.
    let r = run(errbook()
        .args(["scan", "--format", "json"])
        .write_stdin("nothing here\n"));
    assert_eq!(r.code, 1);
    let doc: ScanDocument = serde_json::from_str(&r.stdout).unwrap();
    assert!(doc.findings.is_empty());
    assert!(r.stderr.contains("no known code found"));
}

#[test]
fn files_empty_input_and_unreadable_files() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.log");
    let b = dir.path().join("b.log");
    let empty = dir.path().join("empty.log");
    std::fs::write(&a, "ok\nerror 7011\n").unwrap();
    std::fs::write(&b, "\"code\": 40013\n").unwrap();
    std::fs::write(&empty, "\n  \n").unwrap();
    let (a, b, empty) = (
        a.to_str().unwrap(),
        b.to_str().unwrap(),
        empty.to_str().unwrap(),
    );

    let doc = scan_json(&[a, b], "");
    assert_eq!(doc.inputs, [a, b]);
    assert_eq!(
        doc.findings
            .iter()
            .map(|f| (f.input.as_str(), f.line, f.entry.code.as_str()))
            .collect::<Vec<_>>(),
        [(a, 2, "7011"), (b, 1, "40013")]
    );
    // Several inputs: locations name the file.
    let r = run(errbook().args(["scan", a, b, "--format", "plain"]));
    assert!(
        r.stdout.starts_with(&format!("{a}:2:7\t7011\t")),
        "{}",
        r.stdout
    );

    let r = run(errbook().args(["scan", empty]));
    assert_eq!(r.code, 1);
    assert!(r.stdout.is_empty());
    assert!(r.stderr.contains("empty"), "{}", r.stderr);
    let r = run(errbook().arg("scan").write_stdin(""));
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("empty"), "{}", r.stderr);

    let missing = dir.path().join("missing.log");
    let r = run(errbook().args(["scan", a]).arg(&missing));
    assert_eq!(r.code, 2);
    assert!(
        r.stdout.is_empty(),
        "nothing is written before a missing file is noticed"
    );
    assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
    assert!(r.stderr.contains("missing.log"));
}

#[test]
fn a_line_longer_than_the_cap_is_read_in_pieces() {
    // 3 MiB on one line, codes at the start, in the middle and at the end.
    let filler = "lorem ipsum ".repeat(90_000);
    let text = format!("error 7011 {filler}CHANNEL_NOT_FOUND {filler}[40013]\nnext error 7012\n");
    let doc = scan_json(&[], &text);
    let got: Vec<(u64, String)> = doc
        .findings
        .iter()
        .map(|f| (f.line, f.entry.code.clone()))
        .collect();
    assert_eq!(
        got,
        [
            (1, "7011".into()),
            (1, "250100".into()),
            (1, "40013".into()),
            (2, "7012".into())
        ]
    );
    let mid = &doc.findings[1];
    assert_eq!(mid.column as usize, "error 7011 ".len() + filler.len() + 1);
    let last = &doc.findings[2];
    assert_eq!(last.column as usize, text.find("[40013]").unwrap() + 2);
}

/// Peak resident memory of a running process, in KiB (None where /proc is not there).
fn peak_rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

#[test]
fn a_large_log_is_scanned_in_bounded_memory() {
    if peak_rss_kib(std::process::id()).is_none() {
        eprintln!("skipped: /proc/<pid>/status (VmHWM) is not available to measure memory");
        return;
    }
    const TOTAL: usize = 200 << 20;
    const EVERY: usize = 50_000;
    let noise =
        "2026-11-22T10:15:30.123Z INFO drm-proxy GET /license?site=ABCD 200 sent 7011 bytes \
                 from 10.0.70.11:7011 in 12ms\n";
    let signal =
        "2026-11-22T10:15:31.000Z ERROR license failed: errorCode=7011 CHANNEL_NOT_FOUND\n";

    let mut child = common::std_errbook()
        .args(["scan", "--format", "plain"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let mut block = String::new();
        let mut signals = 0usize;
        let mut written = 0usize;
        let mut line_no = 0usize;
        while written < TOTAL {
            block.clear();
            while block.len() < 1 << 20 {
                line_no += 1;
                if line_no.is_multiple_of(EVERY) {
                    block.push_str(signal);
                    signals += 1;
                } else {
                    block.push_str(noise);
                }
            }
            stdin.write_all(block.as_bytes()).unwrap();
            written += block.len();
        }
        (signals, written)
    });
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut stdout, &mut s).unwrap();
        s
    });
    let mut peak = 0;
    while child.try_wait().unwrap().is_none() {
        if let Some(kib) = peak_rss_kib(pid) {
            peak = peak.max(kib);
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let (signals, written) = writer.join().unwrap();
    let out = reader.join().unwrap();
    let status = child.wait().unwrap();
    assert!(status.success());
    assert!(written >= TOTAL);
    // Two findings per signal line (the code and the name), none from the noise.
    assert_eq!(
        out.lines().count(),
        2 * signals,
        "{}",
        &out[..out.len().min(500)]
    );
    let first = out.lines().next().unwrap();
    let column = signal.find("7011").unwrap() + 1;
    assert!(
        first.starts_with(&format!("{EVERY}:{column}\t7011\tpallycon")),
        "{first}"
    );
    assert!(peak > 0, "memory was never measured");
    let limit_kib = 64 * 1024;
    assert!(
        peak < limit_kib,
        "peak RSS {peak} KiB for {} MiB of input; expected under {limit_kib} KiB",
        written >> 20
    );
}

/// Issue 20 #5: a folder among the inputs fails before anything is written, in every format (no
/// findings of the files before it, no cut-off JSON document).
#[test]
fn a_folder_among_the_inputs_fails_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.log");
    std::fs::write(&good, "error 7011\n").unwrap();
    let folder = dir.path().join("some-dir");
    std::fs::create_dir(&folder).unwrap();
    for format in ["json", "ndjson", "plain", "table"] {
        let r = run(errbook()
            .arg("scan")
            .arg(&good)
            .arg(&folder)
            .args(["--format", format]));
        assert_eq!(r.code, 2, "{format}: {}", r.stderr);
        assert!(r.stdout.is_empty(), "{format}: {}", r.stdout);
        assert_eq!(r.stderr.lines().count(), 1, "{format}: {}", r.stderr);
        assert!(r.stderr.contains("some-dir"), "{}", r.stderr);
    }
    // The good file alone is scanned as before.
    let r = run(errbook().arg("scan").arg(&good).args(["--format", "plain"]));
    assert_eq!(r.code, 0);
    assert!(r.stdout.starts_with("1:7\t7011\tpallycon"), "{}", r.stdout);
}

/// Issue 20 #15: `scan --format table` holds at most its first rows; past them the table is written and
/// the rest follow one per line after a note, so memory does not grow with the number of findings.
#[test]
fn a_table_of_many_findings_is_bounded() {
    // 3,000 findings: a table of the first 1,000, the note, then 2,000 lines.
    let text = "x error 7011\n".repeat(3000);
    let r = run(errbook()
        .args(["scan", "--format", "table"])
        .write_stdin(text));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let note = r
        .stdout
        .lines()
        .position(|l| l.starts_with("More than 1000 findings"))
        .unwrap_or_else(|| panic!("no note:\n{}", &r.stdout[..2000]));
    let all: Vec<&str> = r.stdout.lines().collect();
    let (table, rest) = all.split_at(note);
    let rows = table.iter().filter(|l| l.contains("pallycon")).count();
    assert_eq!(rows, 1000);
    assert!(
        table[table.len() - 1].starts_with('└'),
        "{}",
        table[table.len() - 1]
    );
    let lines: Vec<&str> = rest[1..].to_vec();
    assert_eq!(lines.len(), 2000);
    assert!(
        lines[0].starts_with("1001:9\t7011\tpallycon\t7011\t"),
        "{}",
        lines[0]
    );
    assert!(lines[1999].starts_with("3000:9\t7011\t"), "{}", lines[1999]);

    // 300,000 findings (a table of them held about 1.8 KB each: over 500 MB) stay under 64 MiB.
    if peak_rss_kib(std::process::id()).is_none() {
        eprintln!("skipped the memory half: /proc/<pid>/status (VmHWM) is not available");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("many.log");
    std::fs::write(&log, "x error 7011\n".repeat(300_000)).unwrap();
    let mut child = common::std_errbook()
        .args(["scan", "--format", "table"])
        .arg(&log)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let pid = child.id();
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut n = 0usize;
        let mut buf = [0u8; 1 << 16];
        loop {
            match std::io::Read::read(&mut stdout, &mut buf).unwrap() {
                0 => return n,
                k => n += buf[..k].iter().filter(|b| **b == b'\n').count(),
            }
        }
    });
    let mut peak = 0;
    while child.try_wait().unwrap().is_none() {
        if let Some(kib) = peak_rss_kib(pid) {
            peak = peak.max(kib);
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let lines = reader.join().unwrap();
    assert!(child.wait().unwrap().success());
    assert!(lines >= 300_000 - 1000, "{lines} lines written");
    assert!(peak > 0, "memory was never measured");
    assert!(peak < 64 * 1024, "peak RSS {peak} KiB for 300,000 findings");
}

/// `PallyCon responded 8003`: PallyCon has no 8003 (Shaka's 8003 is no answer to it), so nothing is
/// found, but the reader is told which code was read and which of PallyCon's come close; a log that
/// repeats it gets a bounded number of such notes.
#[test]
fn a_code_the_named_vendor_lacks_is_said_with_its_neighbours() {
    let r = common::run_with(
        common::errbook()
            .args(["scan", "-"])
            .write_stdin("license request: PallyCon responded 8003\n"),
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    assert!(
        r.stderr.contains("1:37: 8003 is no pallycon code")
            && r.stderr.contains("did you mean 8002 (pallycon)"),
        "{}",
        r.stderr
    );
    let log = "PallyCon responded 8003\n".repeat(100);
    let r = common::run_with(common::errbook().args(["scan", "-"]).write_stdin(log));
    let notes = r
        .stderr
        .lines()
        .filter(|l| l.contains("is no pallycon code"))
        .count();
    assert_eq!(notes, 20, "{}", r.stderr);
}
