//! Which language to show: `--lang`, else the environment (`ERRBOOK_LANG`, `LANGUAGE`, `LC_ALL`,
//! `LC_MESSAGES`, `LANG`), else English.

use crate::catalog::Lang;
use crate::error::Error;

/// The variables consulted, in order. An unset or empty variable is skipped.
pub const ENV_CHAIN: [&str; 5] = ["ERRBOOK_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"];

/// Maps a locale name (`ko`, `ko_KR.UTF-8`, `ja-JP`, `C`, `POSIX`) to a language errbook has.
/// `Some(None)` means the locale is valid but not one errbook has text in.
fn locale_lang(locale: &str) -> Option<Lang> {
    let base = locale
        .split(['.', '@'])
        .next()
        .unwrap_or("")
        .split(['_', '-'])
        .next()
        .unwrap_or("");
    Lang::from_code(&base.to_ascii_lowercase())
}

/// Resolves the language; `get` reads an environment variable.
pub fn resolve(cli: Option<Lang>, get: impl Fn(&str) -> Option<String>) -> Result<Lang, Error> {
    if let Some(l) = cli {
        return Ok(l);
    }
    for var in ENV_CHAIN {
        let Some(value) = get(var).filter(|v| !v.trim().is_empty()) else {
            continue;
        };
        let value = value.trim();
        if var == "ERRBOOK_LANG" {
            return locale_lang(value).ok_or_else(|| Error::Usage {
                message: format!(
                    "ERRBOOK_LANG={value:?} is not a language errbook has (en, ko, ja)"
                ),
            });
        }
        if var == "LANGUAGE" {
            // A priority list such as "ko:en"; the first language errbook has wins.
            if let Some(l) = value.split(':').find_map(locale_lang) {
                return Ok(l);
            }
            continue;
        }
        // LC_ALL, LC_MESSAGES, LANG: the first one set decides; C, POSIX and others mean English.
        return Ok(locale_lang(value).unwrap_or(Lang::En));
    }
    Ok(Lang::En)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| map.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone())
    }

    #[test]
    fn flag_beats_environment() {
        let l = resolve(Some(Lang::Ja), env(&[("ERRBOOK_LANG", "ko")])).unwrap();
        assert_eq!(l, Lang::Ja);
    }

    #[test]
    fn flag_reads_no_environment() {
        // Issue 8: with --lang given, no locale variable is even looked at.
        let l = resolve(Some(Lang::Ko), |var: &str| -> Option<String> {
            panic!("read {var} although --lang was given")
        })
        .unwrap();
        assert_eq!(l, Lang::Ko);
    }

    #[test]
    fn chain_order_and_empty_means_unset() {
        assert_eq!(
            resolve(
                None,
                env(&[
                    ("ERRBOOK_LANG", ""),
                    ("LC_ALL", "ko_KR.UTF-8"),
                    ("LANG", "ja_JP.UTF-8")
                ])
            )
            .unwrap(),
            Lang::Ko
        );
        assert_eq!(
            resolve(None, env(&[("LANG", "ja_JP.UTF-8")])).unwrap(),
            Lang::Ja
        );
        assert_eq!(
            resolve(None, env(&[("LC_MESSAGES", "C"), ("LANG", "ko_KR")])).unwrap(),
            Lang::En
        );
        assert_eq!(resolve(None, env(&[("LANG", "POSIX")])).unwrap(), Lang::En);
        assert_eq!(resolve(None, env(&[])).unwrap(), Lang::En);
    }

    #[test]
    fn language_list_takes_first_known() {
        assert_eq!(
            resolve(None, env(&[("LANGUAGE", "fr:ja:en"), ("LANG", "ko_KR")])).unwrap(),
            Lang::Ja
        );
        // A list with nothing errbook has falls through to the next variable.
        assert_eq!(
            resolve(None, env(&[("LANGUAGE", "fr:de"), ("LANG", "ko_KR")])).unwrap(),
            Lang::Ko
        );
    }

    #[test]
    fn bad_errbook_lang_is_an_error() {
        assert!(resolve(None, env(&[("ERRBOOK_LANG", "xx")])).is_err());
        assert_eq!(
            resolve(None, env(&[("ERRBOOK_LANG", "ja_JP")])).unwrap(),
            Lang::Ja
        );
    }
}
