//! What the command-line test files share: errbook in a neutral environment, and its outcome.
#![allow(dead_code)]

use assert_cmd::Command;

/// errbook with no locale, colour, user-catalog or cache variables (HOME included): what a test sees does
/// not depend on the machine it runs on.
pub fn errbook() -> Command {
    let mut c = Command::cargo_bin("errbook").unwrap();
    for v in errbook::lang::ENV_CHAIN
        .iter()
        .chain(&errbook::app::OUTPUT_VARS)
        .chain(&errbook::user::ENV_VARS)
    {
        c.env_remove(v);
    }
    c
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
