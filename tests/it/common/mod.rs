//! What the command-line test files share: errbook in a clean environment, and its outcome.
//!
//! Every process a test starts (errbook itself, `sh` around it, the shells of the completion tests, the
//! README examples) gets a cleared environment: nothing of the developer's `~/.config`, `~/.cache`,
//! `ERRBOOK_*`, locale (`LANG`, `LC_*`, `LANGUAGE`), colour (`NO_COLOR`, `CLICOLOR_FORCE`), `COLUMNS` or
//! `COMPLETE` reaches it. Only `PATH` (to find `sh` and the shells) and `LLVM_PROFILE_FILE` (coverage
//! runs) are passed on. HOME, XDG_CONFIG_HOME and XDG_CACHE_HOME name empty folders of the test run's own.
#![allow(dead_code)]

use assert_cmd::Command;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The errbook binary cargo built for these tests.
pub const BIN: &str = env!("CARGO_BIN_EXE_errbook");

/// Variables passed on from the test's own environment; every other one is cleared.
const KEPT: [&str; 2] = ["PATH", "LLVM_PROFILE_FILE"];

/// The folders a clean environment names as HOME, XDG_CONFIG_HOME and XDG_CACHE_HOME. They live under
/// cargo's scratch folder for integration tests (`target/tmp`), not in the user's home, and no test puts
/// a catalog in them; only errbook's cache may write there (for catalogs given on the command line).
pub struct Dirs {
    pub home: PathBuf,
    pub config: PathBuf,
    pub cache: PathBuf,
}

pub fn dirs() -> &'static Dirs {
    static DIRS: OnceLock<Dirs> = OnceLock::new();
    DIRS.get_or_init(|| {
        let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("hermetic");
        let dirs = Dirs {
            home: root.join("home"),
            config: root.join("config"),
            cache: root.join("cache"),
        };
        for d in [&dirs.home, &dirs.config, &dirs.cache] {
            std::fs::create_dir_all(d).unwrap();
        }
        dirs
    })
}

/// `cmd` with nothing of the test's environment but `KEPT`.
fn cleared(mut cmd: std::process::Command) -> std::process::Command {
    cmd.env_clear();
    for k in KEPT {
        if let Some(v) = std::env::var_os(k) {
            cmd.env(k, v);
        }
    }
    cmd
}

/// `cmd` in a clean environment whose HOME, XDG_CONFIG_HOME and XDG_CACHE_HOME are the run's own empty
/// folders (`dirs()`).
pub fn hermetic(cmd: std::process::Command) -> std::process::Command {
    let d = dirs();
    let mut cmd = cleared(cmd);
    cmd.env("HOME", &d.home)
        .env("XDG_CONFIG_HOME", &d.config)
        .env("XDG_CACHE_HOME", &d.cache);
    cmd
}

/// `cmd` in a clean environment whose HOME is `home`, with no XDG variable, so that `~/.config` and
/// `~/.cache` are inside `home`.
pub fn hermetic_home(cmd: std::process::Command, home: &Path) -> std::process::Command {
    let mut cmd = cleared(cmd);
    cmd.env("HOME", home);
    cmd
}

/// errbook in a clean environment, as a plain `std::process::Command` (to spawn it or redirect its streams).
pub fn std_errbook() -> std::process::Command {
    hermetic(std::process::Command::new(BIN))
}

/// errbook with no locale, colour, user-catalog or cache variables, and a HOME of its own: what a test
/// sees does not depend on the machine it runs on.
pub fn errbook() -> Command {
    Command::from_std(std_errbook())
}

/// errbook in a clean environment whose HOME is `home` (see `hermetic_home`).
pub fn errbook_home(home: &Path) -> Command {
    Command::from_std(hermetic_home(std::process::Command::new(BIN), home))
}

/// A script that runs errbook in the same clean environment as `errbook()`, whatever environment it is
/// started in: for runners that start the binary themselves and can add variables but not clear them
/// (trycmd).
#[cfg(unix)]
pub fn errbook_script() -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let d = dirs();
    let quote = |p: &Path| format!("'{}'", p.to_str().unwrap().replace('\'', r"'\''"));
    let kept: Vec<String> = KEPT
        .iter()
        .map(|k| format!("${{{k}+\"{k}=${k}\"}}"))
        .collect();
    let script = format!(
        "#!/bin/sh\nexec env -i {} HOME={} XDG_CONFIG_HOME={} XDG_CACHE_HOME={} {} \"$@\"\n",
        kept.join(" "),
        quote(&d.home),
        quote(&d.config),
        quote(&d.cache),
        quote(Path::new(BIN)),
    );
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("hermetic/bin");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("errbook");
    // Written aside and renamed, so that a test binary running at the same time never sees half of it.
    let tmp = dir.join(format!("errbook.{}", std::process::id()));
    std::fs::write(&tmp, script).unwrap();
    std::fs::set_permissions(&tmp, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::rename(&tmp, &path).unwrap();
    path
}

/// Exit status (-1 when killed by a signal), and both outputs, which must be UTF-8.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn run_with(cmd: &mut Command) -> Run {
    let out = cmd.output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    }
}

/// Whether this is a CI run: `CI` set and not empty (as CI services and `.ci/run` set it).
pub fn under_ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty())
}

/// A test that cannot check what it is for: under CI it fails; elsewhere it says so on the real standard
/// error, where `cargo test` shows it even though the test passes (libtest captures `eprintln!` of a
/// passing test and shows nothing of it), and the caller returns.
#[track_caller]
pub fn skip(why: &str) {
    let thread = std::thread::current();
    let test = thread.name().unwrap_or("a test");
    assert!(
        !under_ci(),
        "{test}: {why}; CI is set, so this fails instead of being skipped"
    );
    let line = format!("\nSKIPPED: {test}: {why}; nothing was checked (with CI set this fails)\n");
    // Straight to file descriptor 2, past libtest's capture of eprintln!.
    let _ = std::io::Write::write_all(&mut std::io::stderr(), line.as_bytes());
}

/// `../shared` beside the project: the vendors' source documents (`seeds/`) and what was learnt from them
/// (`vendor-facts/`). CI runs with it there. `ERRBOOK_SHARED_DIR` names another folder instead, e.g. a
/// missing one to see what the tests do without it.
pub fn shared_dir() -> PathBuf {
    match std::env::var_os("ERRBOOK_SHARED_DIR") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"),
    }
}

/// `relative` inside `shared_dir()`, when it exists; otherwise the test is skipped (`skip`: a failure under
/// CI) and the caller returns.
#[track_caller]
pub fn shared(relative: &str) -> Option<PathBuf> {
    let path = shared_dir().join(relative);
    if path.exists() {
        Some(path)
    } else {
        skip(&format!("{} not found", path.display()));
        None
    }
}
