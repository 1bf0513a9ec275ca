//! Every `console` example in README.md is run against the built binary and must print what the README
//! shows, so the README cannot drift from the program. The environment is neutralised so that the
//! examples do not depend on the developer's locale or terminal.

#[test]
fn readme_examples() {
    let t = trycmd::TestCases::new();
    t.register_bin("errbook", trycmd::cargo::cargo_bin!("errbook"));
    for var in errbook::lang::ENV_CHAIN
        .iter()
        .chain(&errbook::app::OUTPUT_VARS)
    {
        t.env(*var, "");
    }
    t.case("README.md");
}
