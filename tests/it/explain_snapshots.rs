//! Snapshots of `explain` in each language for a handful of codes across catalogs (plain format: the same
//! content as on a terminal, without colour or wrapping). Review a changed snapshot with `cargo insta review`.

use crate::common;

fn explain(query: &str, lang: &str) -> String {
    let out = common::errbook()
        .args(["explain", query, "--lang", lang, "--format", "plain"])
        .output()
        .unwrap();
    assert!(out.status.success(), "explain {query} --lang {lang} failed");
    String::from_utf8(out.stdout).unwrap()
}

macro_rules! snap {
    ($name:ident, $query:expr) => {
        #[test]
        fn $name() {
            for lang in ["en", "ko", "ja"] {
                insta::assert_snapshot!(
                    format!("{}_{lang}", stringify!($name)),
                    explain($query, lang)
                );
            }
        }
    };
}

snap!(pallycon_7011, "7011");
snap!(pallycon_7115, "7115");
snap!(
    adobe_network_connection_failure,
    "network_connection_failure"
);
snap!(adobe_invalid_parameter_mvpd, "invalid_parameter_mvpd");
snap!(skms_40013, "40013");
snap!(livestation_channel_not_found, "CHANNEL_NOT_FOUND");
snap!(livestation_ok_success_code, "250013");
snap!(apigw_210, "210");
