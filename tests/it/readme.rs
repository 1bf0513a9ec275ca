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
