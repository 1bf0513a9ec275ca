//! Whatever arrives on standard input for `explain -`, `lookup -` and `scan`: a JSON or XML error body, a
//! log, binary junk. errbook must never panic, and must end with status 0, 1 or a usage error.
#![no_main]

use clap::Parser;
use errbook::app::{run, Env};
use errbook::cli::Cli;
use errbook::error::{Error, Outcome};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for args in [
        &["errbook", "explain", "-", "--format", "json"][..],
        &["errbook", "lookup", "-", "--format", "table"],
        &["errbook", "scan", "--format", "plain"],
    ] {
        let cli = Cli::try_parse_from(args).expect("fixed arguments parse");
        let env = Env {
            stdout_is_terminal: false,
            terminal_width: None,
            var: Box::new(|_| None),
        };
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let mut stdin = data;
        match run(cli, &env, &mut stdin, &mut out, &mut err) {
            Ok(Outcome::Found | Outcome::NotFound) | Err(Error::Usage { .. }) => {}
            other => panic!("{args:?}: {other:?}"),
        }
        if args.contains(&"json") && !out.is_empty() {
            let _: serde_json::Value = serde_json::from_slice(&out).expect("JSON output parses");
        }
    }
});
