//! Every `console` example in README.md is run against the built binary and must print what the README
//! shows, so the README cannot drift from the program. errbook runs in the tests' clean environment (see
//! common), so that the examples do not depend on the developer's locale, terminal or catalogs.

#[cfg(unix)]
#[test]
fn readme_examples() {
    let t = trycmd::TestCases::new();
    t.register_bin("errbook", crate::common::errbook_script());
    t.case("README.md");
}

/// The README's examples that read standard input (`$ errbook ARGS < FILE`, in blocks marked
/// `console,ignore` because trycmd cannot redirect input) are run here: stdout, then stderr, must be what
/// the README shows, and there must be some.
#[test]
fn readme_examples_with_standard_input() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let mut ran = 0;
    let mut rest = readme.as_str();
    while let Some(start) = rest.find("```console,ignore\n") {
        let block = &rest[start + "```console,ignore\n".len()..];
        let end = block.find("\n```").expect("a closed block");
        let block = &block[..end + 1];
        rest = &rest[start + 1..];
        let (first, shown) = block.split_once('\n').unwrap();
        let command = first
            .strip_prefix("$ errbook ")
            .expect("an errbook command");
        let (args, file) = command.split_once(" < ").expect("input from a file");
        let args: Vec<&str> = args.split_whitespace().collect();
        let r = crate::common::run_with(
            crate::common::errbook()
                .args(&args)
                .write_stdin(std::fs::read(root.join(file.trim())).unwrap()),
        );
        let (status, shown) = match shown.strip_prefix("? ") {
            Some(s) => {
                let (code, out) = s.split_once('\n').unwrap();
                (code.parse::<i32>().unwrap(), out)
            }
            None => (0, shown),
        };
        assert_eq!(r.code, status, "{first}: {}", r.stderr);
        assert_eq!(
            format!("{}{}\n", r.stdout, r.stderr),
            shown,
            "{first} prints what the README shows"
        );
        ran += 1;
    }
    assert!(
        ran >= 1,
        "the README shows no example reading standard input"
    );
}
