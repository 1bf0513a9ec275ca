//! User catalogs and their cache under hostile input (issue 20): things planted in the cache folder,
//! damaged cache files, the same file reached twice; and the example catalog's own comments.

use errbook::catalog::cache::Cache;
use errbook::catalog::user::{self, Location, Options};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};
use tempfile::TempDir;

use crate::common;
use common::run_with as run;

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// A new catalog `id` with `n` entries `T-0` … whose English messages are `message <i>`.
fn catalog(id: &str, n: usize) -> String {
    let mut s = format!(
        "[catalog]\nid = \"{id}\"\nvendor = \"V\"\nproduct = \"P\"\nofficial_langs = [\"en\"]\n\
         description.en = \"A catalog written by a test.\"\n\n[[domain]]\nid = \"general\"\n\
         title.en = \"General\"\n"
    );
    for i in 0..n {
        s.push_str(&format!(
            "\n[[entry]]\ncode = \"T-{i}\"\nname = \"NAME_{i}\"\ndomain = \"general\"\n\
             action = \"retry\"\nofficial = [\"en\"]\nmessage.en = \"License token {i} was already used.\"\n"
        ));
    }
    s
}

/// The cache file errbook keeps for `file` under the cache folder `cache` (`$XDG_CACHE_HOME`).
fn cache_file_for(cache: &Path, file: &Path) -> PathBuf {
    let canonical = std::fs::canonicalize(file).unwrap();
    Cache::new(cache.join("errbook")).file_for(&canonical.to_string_lossy())
}

/// Runs errbook with `args` and `env`, failing the test if it takes longer than 60 s (a hang).
fn run_guarded(home: &Path, env: &[(&str, &Path)], args: &[&str]) -> (i32, String, String) {
    let mut cmd = common::hermetic_home(std::process::Command::new(common::BIN), home);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if start.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("errbook {args:?} hung for 60 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Issue 20 #1: a symlink planted at the cache's temporary name (`<hash>.tmp<PID>`, the PID being
/// errbook's own: `sh` plants it and `exec`s errbook in its place) is not followed; the file it points at
/// is untouched and the cache file is a regular file.
#[test]
fn a_symlink_at_the_temporary_name_is_not_followed() {
    let home = TempDir::new().unwrap();
    let dir = TempDir::new().unwrap();
    let cache = TempDir::new().unwrap();
    let file = write(dir.path(), "team.toml", &catalog("team", 3));
    let victim = write(dir.path(), "victim.txt", "precious\n");
    let target = cache_file_for(cache.path(), &file);
    std::fs::create_dir_all(target.parent().unwrap()).unwrap();
    let stem = target.with_extension("");
    let script = format!(
        "for n in '{s}.tmp' '{s}.bin.tmp' '{d}/.tmp'; do ln -s '{v}' \"$n$$\"; done; exec '{bin}' \
         --catalog-file '{f}' lookup T-1 --format plain",
        s = stem.display(),
        d = target.parent().unwrap().display(),
        v = victim.display(),
        bin = common::BIN,
        f = file.display(),
    );
    let out = common::hermetic_home(std::process::Command::new("sh"), home.path())
        .env("XDG_CACHE_HOME", cache.path())
        .args(["-c", &script])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("License token 1 was already used."),
        "{stdout}"
    );
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious\n");
    let meta = std::fs::symlink_metadata(&target).expect("the cache was written");
    assert!(
        meta.file_type().is_file(),
        "the cache file is a regular file"
    );
    assert!(std::fs::read(&target)
        .unwrap()
        .starts_with(errbook::catalog::cache::MAGIC));
}

/// Issue 20 #2: a FIFO at the cache file's path does not block `lookup` or TAB completion.
#[test]
fn a_fifo_at_the_cache_path_does_not_block() {
    let home = TempDir::new().unwrap();
    let dir = TempDir::new().unwrap();
    let cache = TempDir::new().unwrap();
    let file = write(dir.path(), "team.toml", &catalog("team", 3));
    let target = cache_file_for(cache.path(), &file);
    std::fs::create_dir_all(target.parent().unwrap()).unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(&target)
        .status()
        .unwrap();
    assert!(made.success());
    let env = [("XDG_CACHE_HOME", cache.path())];
    let f = file.to_str().unwrap();
    let (code, out, err) = run_guarded(
        home.path(),
        &env,
        &["--catalog-file", f, "lookup", "T-2", "--format", "plain"],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("License token 2 was already used."), "{out}");
    // TAB completion reads the same catalogs (through ERRBOOK_CATALOG_PATH).
    let path_env = [
        ("XDG_CACHE_HOME", cache.path()),
        ("ERRBOOK_CATALOG_PATH", &*file),
    ];
    let mut cmd = common::hermetic_home(std::process::Command::new(common::BIN), home.path());
    for (k, v) in path_env {
        cmd.env(k, v);
    }
    let mut child = cmd
        .env("COMPLETE", "fish")
        .args(["--", "errbook", "lookup", "T-"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("completion hung on a FIFO");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    let out = String::from_utf8_lossy(&out.stdout);
    assert!(out.lines().any(|l| l.starts_with("T-2")), "{out}");
}

/// A tiny xorshift generator: random enough for mutations, the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Issue 20 #3: random mutations of a valid cache file (flipped bits, overwritten bytes, cuts, inserted
/// and repeated bytes) never make errbook answer differently from the TOML: a damaged cache is noticed
/// and the file is read again.
#[test]
fn random_mutations_of_a_cache_file_never_change_an_answer() {
    let dir = TempDir::new().unwrap();
    let cache_dir = TempDir::new().unwrap();
    // Enough entries for several 64 KiB blocks.
    let n = 1200;
    let file = write(dir.path(), "team.toml", &catalog("team", n));
    let opts = |cache: bool| Options {
        locations: vec![Location {
            path: file.clone(),
            required: true,
        }],
        cache: cache.then(|| Cache::new(cache_dir.path().join("errbook"))),
    };
    // The truth: the TOML parsed, no cache.
    let (truth, failed) = user::load_book(&opts(false));
    assert!(failed.is_empty(), "{failed:?}");
    let truth = truth.catalog("team").unwrap().all();
    assert_eq!(truth.len(), n);
    let (_, failed) = user::load_book(&opts(true));
    assert!(failed.is_empty());
    let target = cache_file_for(cache_dir.path(), &file);
    let good = std::fs::read(&target).unwrap();
    assert!(good.len() > 3 * 64 * 1024, "{}", good.len());

    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for round in 0..200 {
        let mut bad = good.clone();
        let at = rng.below(bad.len());
        match round % 5 {
            0 => bad[at] ^= 1 << rng.below(8),
            1 => bad[at] = rng.next() as u8,
            2 => bad.truncate(at),
            3 => bad.insert(at, rng.next() as u8),
            _ => {
                let len = (1 + rng.below(64)).min(bad.len() - at);
                let piece = bad[at..at + len].to_vec();
                bad.splice(at..at, piece);
            }
        }
        std::fs::write(&target, &bad).unwrap();
        let (book, failed) = user::load_book(&opts(true));
        assert!(failed.is_empty(), "round {round}: {failed:?}");
        let c = book.catalog("team").expect("the catalog loads");
        assert_eq!(c.len(), n, "round {round}");
        for (i, want) in truth.iter().enumerate().step_by(13) {
            let got = c.entry_at(i);
            assert_eq!(got, Some(*want), "round {round}, entry {i}");
            let code = format!("t-{i}");
            assert_eq!(c.index_of(&code), Some(i), "round {round}");
            assert_eq!(c.find_key(&format!("name_{i}")), vec![i], "round {round}");
        }
    }
}

/// Issue 19: the example catalog's comment names only actions that `validate` accepts, and all of them.
#[test]
fn the_example_names_the_actions_validate_accepts() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/acme-platform.toml");
    let text = std::fs::read_to_string(path).unwrap();
    let start = text
        .find("# One of: ")
        .expect("the comment listing the actions")
        + 10;
    let mut listed = String::new();
    for line in text[start..].lines() {
        let line = line.trim_start_matches('#').trim();
        let (words, last) = match line.split_once(" (see") {
            Some((w, _)) => (w, true),
            None => (line, false),
        };
        listed.push_str(words);
        listed.push(' ');
        if last {
            break;
        }
    }
    let listed: Vec<&str> = listed.split([',', ' ']).filter(|w| !w.is_empty()).collect();
    let known: Vec<&str> = errbook::catalog::actions::ACTIONS
        .iter()
        .map(|a| a.id)
        .collect();
    for a in &listed {
        assert!(
            known.contains(a),
            "the example lists {a:?}, which is no action"
        );
    }
    for a in &known {
        assert!(listed.contains(a), "the example leaves out {a:?}");
    }
}

/// Issue 20 #17: the same file reached twice (config folder and `--catalog-file`) is loaded once, and
/// its cache file is not rewritten on every run.
#[test]
fn the_same_file_reached_twice_is_loaded_once() {
    let home = TempDir::new().unwrap();
    let config = home.path().join(".config/errbook/catalogs");
    let file = write(&config, "team.toml", &catalog("team", 5));
    let cache = home.path().join(".cache");
    let target = cache_file_for(&cache, &file);
    let f = file.to_str().unwrap();
    let lookup = || {
        let r = run(common::errbook_home(home.path()).args([
            "--catalog-file",
            f,
            "catalogs",
            "--format",
            "json",
        ]));
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(r.stderr.is_empty(), "{}", r.stderr);
        let doc: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
        let text = doc.to_string();
        assert_eq!(text.matches("team.toml").count(), 1, "{text}");
    };
    lookup();
    let first = std::fs::metadata(&target).expect("a cache file");
    for _ in 0..3 {
        lookup();
        let again = std::fs::metadata(&target).unwrap();
        assert_eq!(
            (again.ino(), again.mtime_nsec(), again.mtime()),
            (first.ino(), first.mtime_nsec(), first.mtime()),
            "the cache file was rewritten"
        );
    }
}

/// Issue 19: `validate` reports every problem it can in one run: TOML errors in two entries and a rule
/// broken in a third, each at its line.
#[test]
fn validate_reports_every_problem_in_one_run() {
    let home = TempDir::new().unwrap();
    let dir = TempDir::new().unwrap();
    let text = catalog("team", 4)
        .replace(
            "message.en = \"License token 0 was already used.\"",
            "message.en = \"License token 0 was already used.",
        )
        .replace("code = \"T-1\"\n", "code = \"T-1\"\ncode = \"again\"\n")
        .replace(
            "NAME_2\"\ndomain = \"general\"",
            "NAME_2\"\ndomain = \"nowhere\"",
        );
    let file = write(dir.path(), "team.toml", &text);
    let r = run(common::errbook_home(home.path())
        .args(["validate", "--format", "plain"])
        .arg(&file));
    assert_eq!(r.code, 2, "{}", r.stderr);
    let line_of = |needle: &str| text[..text.find(needle).unwrap()].matches('\n').count() + 1;
    let shown = file.display().to_string();
    let lines: Vec<&str> = r.stdout.lines().filter(|l| l.starts_with(&shown)).collect();
    assert_eq!(lines.len(), 3, "{}", r.stdout);
    let at = |l: &str| -> usize {
        l[shown.len() + 1..]
            .split(':')
            .next()
            .unwrap()
            .parse()
            .unwrap()
    };
    assert_eq!(at(lines[0]), line_of("already used.\n"), "{}", lines[0]);
    assert_eq!(at(lines[1]), line_of("code = \"again\""), "{}", lines[1]);
    assert_eq!(at(lines[2]), line_of("\"nowhere\""), "{}", lines[2]);
    assert!(
        lines[2].contains("unknown domain \"nowhere\""),
        "{}",
        lines[2]
    );
}

/// Issue 20 #8 and #14: with thousands of declared domains and every entry's domain undeclared, each
/// message names a bounded number of domains (it named all of them, one line of 189 KB), and every
/// entry's problem is still reported, at its line.
#[test]
fn unknown_domain_messages_are_bounded() {
    let mut text = catalog("team", 0);
    for d in 0..3000 {
        text.push_str(&format!("\n[[domain]]\nid = \"d{d}\"\ntitle.en = \"D\"\n"));
    }
    for i in 0..400 {
        text.push_str(&format!(
            "\n[[entry]]\ncode = \"U-{i}\"\ndomain = \"nope-{i}\"\naction = \"retry\"\nofficial = []\n\
             message.en = \"m\"\n"
        ));
    }
    let problems = match errbook::catalog::schema::parse_catalog(&text) {
        Ok(_) => panic!("the file has problems"),
        Err(p) => p,
    };
    assert_eq!(problems.len(), 400);
    for (i, p) in problems.iter().enumerate() {
        assert!(
            p.message
                .starts_with(&format!("entry \"U-{i}\": unknown domain \"nope-{i}\"")),
            "{}",
            p.message
        );
        assert!(
            p.message.len() < 300,
            "{} bytes: {}",
            p.message.len(),
            p.message
        );
        assert!(p.message.contains("and 2989 more"), "{}", p.message);
        let want = text[..text.find(&format!("\"nope-{i}\"")).unwrap()]
            .matches('\n')
            .count()
            + 1;
        assert_eq!(p.line, want);
    }
}

/// Issue 20 #12: 10,000 codes on standard input against a user catalog of 20,000 entries are each found
/// through the catalog's key table (a scan of every row per code took 27 s), each with its own entry.
#[test]
fn ten_thousand_codes_on_stdin_against_a_large_user_catalog() {
    let home = TempDir::new().unwrap();
    let dir = TempDir::new().unwrap();
    let file = write(dir.path(), "big.toml", &catalog("big", 20_000));
    let codes: Vec<String> = (0..10_000).map(|i| format!("T-{}", i * 2 + 1)).collect();
    let r = run(common::errbook_home(home.path())
        .arg("--catalog-file")
        .arg(&file)
        .args(["lookup", "-", "--format", "plain"])
        .write_stdin(codes.join("\n")));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(
        lines.len(),
        10_000,
        "{}",
        &r.stdout[..r.stdout.len().min(500)]
    );
    for (i, l) in lines.iter().enumerate() {
        let n = i * 2 + 1;
        assert!(l.contains(&format!("\tT-{n}\t")), "{l}");
        assert!(
            l.ends_with(&format!("License token {n} was already used.")),
            "{l}"
        );
    }
}

/// Issue 20 #13: a folder of many small files extending a built-in catalog is merged once (its time and
/// memory at scale are in scripts/bench-hostile-catalogs.sh); every file's entry is there, in file order,
/// each file can rely on the codes of the files before it, and a warm run reads the same.
#[test]
fn a_folder_of_small_files_extending_one_catalog() {
    let home = TempDir::new().unwrap();
    let dir = home.path().join(".config/errbook/catalogs");
    for i in 0..60 {
        let related = if i > 0 {
            format!("related = [\"F-{}\"]\n", i - 1)
        } else {
            String::new()
        };
        write(
            &dir,
            &format!("f{i:03}.toml"),
            &format!(
                "[catalog]\nid = \"pallycon\"\n\n[[entry]]\ncode = \"F-{i}\"\ndomain = \"token\"\n\
                 action = \"retry\"\nofficial = []\nmessage.en = \"File {i}.\"\n{related}"
            ),
        );
    }
    for _ in 0..2 {
        let r = run(common::errbook_home(home.path()).args([
            "list",
            "--catalog",
            "pallycon",
            "--format",
            "json",
        ]));
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(r.stderr.is_empty(), "{}", r.stderr);
        let doc: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
        let results = doc["results"].as_array().unwrap();
        let ours: Vec<&serde_json::Value> = results
            .iter()
            .filter(|e| e["code"].as_str().unwrap().starts_with("F-"))
            .collect();
        assert_eq!(ours.len(), 60);
        for (i, e) in ours.iter().enumerate() {
            assert_eq!(e["code"], format!("F-{i}"));
            assert_eq!(e["message"], format!("File {i}."));
            assert!(e["origin"]
                .as_str()
                .unwrap()
                .ends_with(&format!("f{i:03}.toml")));
        }
        assert_eq!(ours[59]["related"], serde_json::json!(["F-58"]));
    }
}

/// Issue 20 #16: processes that cold-load the same catalog at once (the cache folder's lock makes all but
/// one wait, then read the cache that one wrote) each answer correctly, and one cache file and no
/// temporary file is left. That only one parses shows in memory, not in output: four cold runs at once
/// are in scripts/bench-user-catalog.sh.
#[test]
fn concurrent_cold_loads_share_one_cache_file() {
    let home = TempDir::new().unwrap();
    let dir = TempDir::new().unwrap();
    let cache = TempDir::new().unwrap();
    let file = write(dir.path(), "team.toml", &catalog("team", 3000));
    let children: Vec<std::process::Child> = (0..6)
        .map(|i| {
            common::hermetic_home(std::process::Command::new(common::BIN), home.path())
                .env("XDG_CACHE_HOME", cache.path())
                .arg("--catalog-file")
                .arg(&file)
                .args(["lookup", &format!("T-{}", i * 500), "--format", "plain"])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for (i, c) in children.into_iter().enumerate() {
        let out = c.wait_with_output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{stdout}");
        assert!(
            out.stderr.is_empty(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            stdout.contains(&format!("License token {} was already used.", i * 500)),
            "{stdout}"
        );
    }
    let left: Vec<_> = std::fs::read_dir(cache.path().join("errbook"))
        .unwrap()
        .map(|d| d.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left.len(), 1, "{left:?}");
    assert!(left[0].ends_with(".bin"), "{left:?}");
}

/// The one-entry-at-a-time reading (issue 20 #16) splits a file at `[[entry]]` headers, but not at a line
/// inside a multi-line string that looks like one, and it reads the same entries as one TOML document.
#[test]
fn reading_entry_by_entry_gives_what_the_whole_document_gives() {
    let mut text = catalog("team", 3);
    text.push_str(
        "\n[[ entry ]]   # spaced, with a comment\ncode = \"S-1\"\ndomain = \"general\"\naction = \"retry\"\n\
         official = []\nmessage.en = \"spaced\"\ndescription.en = \"\"\"\n[[entry]]\ncode = \"not-an-entry\"\n\"\"\"\n\
         hint.en = '''\n[[entry]]\n'''\n\n[[entry]]\ncode = \"S-2\"\ndomain = \"general\"\naction = \"retry\"\n\
         official = []\nmessage.en = \"quotes \\\"\\\"\\\" inside\"\n\n[[entry.list]]\nid = \"l\"\naction = \"none\"\n\
         http_status = [400]\n\n[[list]]\nid = \"l\"\ntitle.en = \"A list declared after the entries\"\n",
    );
    let file = errbook::catalog::schema::parse_catalog(&text).unwrap_or_else(|p| panic!("{p:?}"));
    let codes: Vec<&str> = file
        .entry
        .iter()
        .map(|e| e.get_ref().code.as_ref())
        .collect();
    assert_eq!(codes, ["T-0", "T-1", "T-2", "S-1", "S-2"]);
    let s1 = file.entry[3].get_ref();
    assert_eq!(
        s1.description.en.as_deref(),
        Some("[[entry]]\ncode = \"not-an-entry\"\n")
    );
    assert_eq!(s1.hint.en.as_deref(), Some("[[entry]]\n"));
    assert_eq!(file.entry[4].get_ref().lists.len(), 1);
    assert_eq!(file.meta.lists.len(), 1);
    // The whole document, read by toml at once, agrees.
    let whole: toml::Table = toml::from_str(&text).unwrap();
    assert_eq!(whole["entry"].as_array().unwrap().len(), 5);
    // A TOML error in one entry leaves the others' problems reported.
    let broken = text.replace("message.en = \"spaced\"", "message.en = spaced");
    let problems = errbook::catalog::schema::parse_catalog(&broken).unwrap_err();
    assert_eq!(problems.len(), 1, "{problems:?}");
    let line = broken[..broken.find("spaced\n").unwrap()]
        .matches('\n')
        .count()
        + 1;
    assert_eq!(problems[0].line, line, "{problems:?}");
}
