//! The catalog format: the TOML structures and the rules every catalog obeys.
//!
//! This file is included twice: by `build.rs` (`#[path = "src/model.rs"]`), which validates the built-in
//! catalogs and compiles them into the binary, and by the crate, so that a catalog loaded at run time is held
//! to exactly the same rules. It depends on serde, toml and std only.

use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::ops::Range;
use toml::Spanned;

/// A language errbook has text in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    En,
    Ko,
    Ja,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::En, Lang::Ko, Lang::Ja];

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ko => "ko",
            Lang::Ja => "ja",
        }
    }

    pub fn from_code(s: &str) -> Option<Lang> {
        match s {
            "en" => Some(Lang::En),
            "ko" => Some(Lang::Ko),
            "ja" => Some(Lang::Ja),
            _ => None,
        }
    }
}

/// What a code reports: most are errors; a few vendor codes report success or an operation's progress.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    #[default]
    Error,
    Success,
    Status,
}

impl Kind {
    pub fn code(self) -> &'static str {
        match self {
            Kind::Error => "error",
            Kind::Success => "success",
            Kind::Status => "status",
        }
    }
}

/// A recommended-action category, with its one-line definition in each language.
pub struct ActionDef {
    pub id: &'static str,
    pub en: &'static str,
    pub ko: &'static str,
    pub ja: &'static str,
}

impl ActionDef {
    pub fn text(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.en,
            Lang::Ko => self.ko,
            Lang::Ja => self.ja,
        }
    }
}

/// The documented list of actions: Adobe's eight, then the ones errbook adds.
pub const ACTIONS: &[ActionDef] = &[
    ActionDef {
        id: "none",
        en: "No predefined action fixes this; the outcome stands or the call itself was wrong.",
        ko: "이 문제를 해결하는 정해진 조치가 없습니다. 결과가 그대로 유지되거나 호출 자체가 잘못되었습니다.",
        ja: "定められた対処はありません。結果はそのままであるか、呼び出し自体が誤っています。",
    },
    ActionDef {
        id: "configuration",
        en: "A setting of the account or integration must change, in the vendor's console or through its support.",
        ko: "계정이나 연동 설정을 벤더 콘솔에서 또는 벤더 지원을 통해 변경해야 합니다.",
        ja: "アカウントまたは連携の設定を、ベンダーのコンソールまたはサポート経由で変更する必要があります。",
    },
    ActionDef {
        id: "application-registration",
        en: "The application must register again or renew its client credentials.",
        ko: "애플리케이션이 다시 등록하거나 클라이언트 자격 증명을 갱신해야 합니다.",
        ja: "アプリケーションの再登録、またはクライアント資格情報の更新が必要です。",
    },
    ActionDef {
        id: "authentication",
        en: "The user must authenticate, or authenticate again.",
        ko: "사용자가 인증하거나 다시 인증해야 합니다.",
        ja: "ユーザーの認証、または再認証が必要です。",
    },
    ActionDef {
        id: "authorization",
        en: "The user or account must obtain permission for the resource.",
        ko: "사용자나 계정이 해당 리소스에 대한 권한을 얻어야 합니다.",
        ja: "ユーザーまたはアカウントがリソースへの権限を得る必要があります。",
    },
    ActionDef {
        id: "degradation",
        en: "Some form of degraded service should be applied.",
        ko: "일정 형태의 서비스 저하(degradation)를 적용해야 합니다.",
        ja: "何らかの形のデグラデーション(機能縮退)を適用する必要があります。",
    },
    ActionDef {
        id: "retry",
        en: "Sending the same request again may succeed.",
        ko: "같은 요청을 다시 보내면 성공할 수 있습니다.",
        ja: "同じリクエストを再送すると成功する可能性があります。",
    },
    ActionDef {
        id: "retry-after",
        en: "Send the request again after the period the server indicates.",
        ko: "서버가 알려 준 시간이 지난 뒤 요청을 다시 보내십시오.",
        ja: "サーバーが示す時間が経過してからリクエストを再送してください。",
    },
    ActionDef {
        id: "fix-request",
        en: "The caller must correct the request (parameters, headers, body or token) before sending it again.",
        ko: "호출하는 쪽이 요청(파라미터, 헤더, 본문 또는 토큰)을 고친 뒤 다시 보내야 합니다.",
        ja: "呼び出し側がリクエスト(パラメーター、ヘッダー、本文、トークン)を修正してから再送する必要があります。",
    },
    ActionDef {
        id: "contact-vendor",
        en: "Only the vendor can resolve this: collect the request details and contact its support.",
        ko: "벤더만 해결할 수 있습니다. 요청 정보를 모아 벤더 지원에 문의하십시오.",
        ja: "ベンダーでなければ解決できません。リクエストの詳細をまとめてサポートに問い合わせてください。",
    },
    ActionDef {
        id: "wait",
        en: "An operation is still in progress or a time window has not opened; check again later.",
        ko: "작업이 아직 진행 중이거나 허용 시간이 아직 시작되지 않았습니다. 나중에 다시 확인하십시오.",
        ja: "処理がまだ進行中か、時間枠がまだ始まっていません。後でもう一度確認してください。",
    },
];

/// Spellings that name an action in a source but are not its id.
pub const ACTION_ALIASES: &[(&str, &str)] = &[("degration", "degradation")];

pub fn action_def(id: &str) -> Option<&'static ActionDef> {
    let id = ACTION_ALIASES
        .iter()
        .find(|(alias, _)| *alias == id)
        .map(|(_, real)| *real)
        .unwrap_or(id);
    ACTIONS.iter().find(|a| a.id == id)
}

/// Whether `id` is the id of a documented action (aliases do not count: catalogs use the real id).
pub fn is_action_id(id: &str) -> bool {
    ACTIONS.iter().any(|a| a.id == id)
}

/// Text in up to three languages.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Texts {
    pub en: Option<String>,
    pub ko: Option<String>,
    pub ja: Option<String>,
}

impl Texts {
    pub fn get(&self, lang: Lang) -> Option<&str> {
        match lang {
            Lang::En => self.en.as_deref(),
            Lang::Ko => self.ko.as_deref(),
            Lang::Ja => self.ja.as_deref(),
        }
    }

    pub fn is_empty(&self) -> bool {
        Lang::ALL.iter().all(|l| self.get(*l).is_none())
    }
}

/// One catalog file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogFile {
    pub catalog: Header,
    #[serde(default)]
    pub domain: Vec<Spanned<Domain>>,
    #[serde(default)]
    pub list: Vec<Spanned<ListDef>>,
    #[serde(default)]
    pub entry: Vec<Spanned<Entry>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Header {
    pub id: Spanned<String>,
    /// Required, like `product`, `official_langs` and `description`, unless the file extends a catalog that
    /// has them (see [`Base`]).
    pub vendor: Option<String>,
    pub product: Option<String>,
    pub official_langs: Option<Vec<Lang>>,
    pub description: Option<Texts>,
    #[serde(default)]
    pub source: Vec<Source>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub title: Option<String>,
    pub url: Option<String>,
    pub lang: Option<Lang>,
    pub date: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Domain {
    pub id: String,
    pub title: Texts,
}

/// A further list in which the vendor publishes some of the catalog's codes (Adobe's per-API lists).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListDef {
    pub id: String,
    pub title: Texts,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub code: String,
    pub name: Option<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub domain: Spanned<String>,
    pub http_status: Option<u16>,
    pub action: Spanned<String>,
    #[serde(default)]
    pub kind: Kind,
    #[serde(default)]
    pub related: Vec<String>,
    /// The languages of `message` that are the vendor's own text; the others are errbook's translations.
    pub official: Option<Vec<Lang>>,
    #[serde(default)]
    pub message: Texts,
    /// A further official text from the source that is not the message (a description column, say).
    #[serde(default)]
    pub official_note: Texts,
    #[serde(default)]
    pub description: Texts,
    #[serde(default)]
    pub hint: Texts,
    #[serde(default)]
    pub list: Vec<ListValue>,
    /// The URL of the document this entry comes from, when it is not the catalog's usual source.
    pub source: Option<String>,
}

impl Entry {
    /// The entry's text folded for search (see `normalize`): its identifiers (code, name, aliases), its
    /// messages (message and official note, every language), and the rest (description and hint).
    pub fn folded(&self) -> [String; 3] {
        use crate::normalize::fold_all;
        let all = |texts: &[&Texts]| -> Vec<String> {
            texts
                .iter()
                .flat_map(|t| Lang::ALL.into_iter().filter_map(|l| t.get(l)))
                .map(str::to_string)
                .collect()
        };
        let keys = std::iter::once(self.code.as_str())
            .chain(self.name.as_deref())
            .chain(self.aliases.iter().map(String::as_str));
        [
            fold_all(keys),
            fold_all(
                all(&[&self.message, &self.official_note])
                    .iter()
                    .map(String::as_str),
            ),
            fold_all(
                all(&[&self.description, &self.hint])
                    .iter()
                    .map(String::as_str),
            ),
        ]
    }
}

/// An entry's values in one of the catalog's further lists.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListValue {
    pub id: String,
    pub action: String,
    pub http_status: Vec<u16>,
}

/// One thing wrong with a catalog, at a 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// What a file that extends an existing catalog (one with the same id) may rely on: the header fields,
/// domains, lists and codes it inherits. The built-in catalogs are validated with no base.
#[derive(Debug, Default, Clone)]
pub struct Base {
    pub official_langs: Vec<Lang>,
    pub domains: Vec<String>,
    pub lists: Vec<String>,
    /// Codes, lowercase.
    pub codes: HashSet<String>,
}

/// Parses and validates one catalog. Every problem found is returned, in file order.
pub fn parse_catalog(text: &str) -> Result<CatalogFile, Vec<Problem>> {
    parse_catalog_with(text, |_| None)
}

/// Parses and validates one catalog; `base` gives what an existing catalog with the file's id provides.
pub fn parse_catalog_with(
    text: &str,
    base: impl FnOnce(&str) -> Option<Base>,
) -> Result<CatalogFile, Vec<Problem>> {
    let file: CatalogFile = toml::from_str(text).map_err(|e| {
        let (line, column) = e.span().map_or((1, 1), |s| line_col(text, s.start));
        vec![Problem {
            line,
            column,
            message: e.message().trim().to_string(),
        }]
    })?;
    let base = base(file.catalog.id.get_ref());
    let problems = validate(&file, text, base.as_ref());
    if problems.is_empty() {
        Ok(file)
    } else {
        Err(problems)
    }
}

/// Whether `s` is a valid catalog, domain or list id: lowercase ASCII letters, digits and `-`.
pub fn is_id(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
}

fn blank(s: &str) -> bool {
    s.trim().is_empty()
}

struct Checker<'a> {
    text: &'a str,
    problems: Vec<Problem>,
}

impl Checker<'_> {
    fn at(&mut self, span: Range<usize>, message: String) {
        let (line, column) = line_col(self.text, span.start);
        self.problems.push(Problem {
            line,
            column,
            message,
        });
    }

    fn texts(&mut self, span: &Range<usize>, what: &str, texts: &Texts) {
        for lang in Lang::ALL {
            if texts.get(lang).is_some_and(blank) {
                self.at(span.clone(), format!("{what}.{} is empty", lang.code()));
            }
        }
    }
}

/// The rules, beyond what the TOML structure already enforces. With a `base`, the header fields may be left
/// out, and entries may use the base's domains, lists and codes.
pub fn validate(file: &CatalogFile, text: &str, base: Option<&Base>) -> Vec<Problem> {
    let mut c = Checker {
        text,
        problems: Vec::new(),
    };
    let h = &file.catalog;
    let hspan = h.id.span();
    if !is_id(h.id.get_ref()) {
        c.at(
            hspan.clone(),
            format!(
                "catalog id {:?} must be lowercase letters, digits and '-'",
                h.id.get_ref()
            ),
        );
    }
    for (what, v) in [("vendor", &h.vendor), ("product", &h.product)] {
        match v {
            Some(v) if blank(v) => c.at(hspan.clone(), format!("catalog.{what} is empty")),
            None if base.is_none() => c.at(hspan.clone(), format!("catalog.{what} is missing")),
            _ => {}
        }
    }
    match &h.official_langs {
        Some(l) if l.is_empty() => c.at(hspan.clone(), "catalog.official_langs is empty".into()),
        None if base.is_none() => c.at(hspan.clone(), "catalog.official_langs is missing".into()),
        _ => {}
    }
    match &h.description {
        Some(d) => {
            if d.en.is_none() {
                c.at(
                    hspan.clone(),
                    "catalog.description has no English text".into(),
                );
            }
            c.texts(&hspan, "catalog.description", d);
        }
        None if base.is_none() => c.at(hspan.clone(), "catalog.description is missing".into()),
        None => {}
    }
    let official_langs: &[Lang] = match (&h.official_langs, base) {
        (Some(l), _) => l,
        (None, Some(b)) => &b.official_langs,
        (None, None) => &[],
    };
    for s in &h.source {
        for (what, v) in [("title", &s.title), ("url", &s.url), ("date", &s.date)] {
            if v.as_deref().is_some_and(blank) {
                c.at(hspan.clone(), format!("catalog.source.{what} is empty"));
            }
        }
    }

    let mut domains: HashSet<&str> = HashSet::new();
    let mut inherited_domains: HashSet<&str> = HashSet::new();
    let mut inherited_lists: HashSet<&str> = HashSet::new();
    if let Some(b) = base {
        inherited_domains.extend(b.domains.iter().map(String::as_str));
        inherited_lists.extend(b.lists.iter().map(String::as_str));
    }
    for d in &file.domain {
        let span = d.span();
        let d = d.get_ref();
        if !is_id(&d.id) {
            c.at(
                span.clone(),
                format!(
                    "domain id {:?} must be lowercase letters, digits and '-'",
                    d.id
                ),
            );
        }
        if !domains.insert(d.id.as_str()) {
            c.at(span.clone(), format!("duplicate domain {:?}", d.id));
        }
        if d.title.en.is_none() {
            c.at(
                span.clone(),
                format!("domain {:?} has no English title", d.id),
            );
        }
        c.texts(&span, &format!("domain {:?} title", d.id), &d.title);
    }
    let mut lists: HashSet<&str> = HashSet::new();
    for l in &file.list {
        let span = l.span();
        let l = l.get_ref();
        if !is_id(&l.id) {
            c.at(
                span.clone(),
                format!(
                    "list id {:?} must be lowercase letters, digits and '-'",
                    l.id
                ),
            );
        }
        if !lists.insert(l.id.as_str()) {
            c.at(span.clone(), format!("duplicate list {:?}", l.id));
        }
        if l.title.en.is_none() {
            c.at(
                span.clone(),
                format!("list {:?} has no English title", l.id),
            );
        }
        c.texts(&span, &format!("list {:?} title", l.id), &l.title);
    }

    // Codes and names, case-insensitively, for the duplicate and alias checks.
    let mut codes: HashMap<String, usize> = HashMap::new();
    let mut names: HashMap<String, usize> = HashMap::new();
    for (i, e) in file.entry.iter().enumerate() {
        let e = e.get_ref();
        codes.entry(e.code.to_lowercase()).or_insert(i);
        if let Some(n) = &e.name {
            names.entry(n.to_lowercase()).or_insert(i);
        }
    }
    let mut seen_codes = HashSet::new();
    for (i, se) in file.entry.iter().enumerate() {
        let span = se.span();
        let e = se.get_ref();
        let code = e.code.as_str();
        let who = format!("entry {code:?}");
        if blank(code) {
            c.at(span.clone(), "entry has an empty code".into());
        } else if code.chars().any(|ch| ch.is_whitespace() || ch == ':') {
            c.at(
                span.clone(),
                format!("{who}: a code may not contain white space or ':'"),
            );
        }
        if !seen_codes.insert(code.to_lowercase()) {
            c.at(span.clone(), format!("duplicate code {code:?}"));
        }
        if e.name.as_deref().is_some_and(blank) {
            c.at(span.clone(), format!("{who}: name is empty"));
        }
        for a in &e.aliases {
            if blank(a) {
                c.at(span.clone(), format!("{who}: an alias is empty"));
                continue;
            }
            let key = a.to_lowercase();
            let clash = codes
                .get(&key)
                .or_else(|| names.get(&key))
                .filter(|&&j| j != i);
            if let Some(&j) = clash {
                c.at(
                    span.clone(),
                    format!(
                        "{who}: alias {a:?} is the code or name of entry {:?}",
                        file.entry[j].get_ref().code
                    ),
                );
            }
        }
        let domain = e.domain.get_ref().as_str();
        if !domains.contains(domain) && !inherited_domains.contains(domain) {
            let mut known: Vec<_> = domains.union(&inherited_domains).copied().collect();
            known.sort_unstable();
            c.at(
                e.domain.span(),
                format!(
                    "{who}: unknown domain {:?} (declared: {})",
                    e.domain.get_ref(),
                    known.join(", ")
                ),
            );
        }
        if !is_action_id(e.action.get_ref()) {
            c.at(
                e.action.span(),
                format!(
                    "{who}: unknown action {:?} (known: {})",
                    e.action.get_ref(),
                    ACTIONS.iter().map(|a| a.id).collect::<Vec<_>>().join(", ")
                ),
            );
        }
        if let Some(s) = e.http_status {
            if !(100..=599).contains(&s) {
                c.at(
                    span.clone(),
                    format!("{who}: http_status {s} is not an HTTP status"),
                );
            }
        }
        match &e.official {
            None => c.at(
                span.clone(),
                format!(
                    "{who}: no `official` list (write official = [] when no text is the vendor's)"
                ),
            ),
            Some(official) => {
                for lang in official {
                    if e.message.get(*lang).is_none() {
                        c.at(
                            span.clone(),
                            format!("{who}: official language {} has no message", lang.code()),
                        );
                    }
                    if !official_langs.contains(lang) {
                        c.at(
                            span.clone(),
                            format!(
                                "{who}: official language {} is not one of the catalog's official_langs",
                                lang.code()
                            ),
                        );
                    }
                }
                if e.message.en.is_none() && official.is_empty() {
                    c.at(
                        span.clone(),
                        format!("{who}: no English and no official message"),
                    );
                }
            }
        }
        c.texts(&span, &format!("{who}: message"), &e.message);
        c.texts(&span, &format!("{who}: official_note"), &e.official_note);
        c.texts(&span, &format!("{who}: description"), &e.description);
        c.texts(&span, &format!("{who}: hint"), &e.hint);
        if e.source.as_deref().is_some_and(blank) {
            c.at(span.clone(), format!("{who}: source is empty"));
        }
        for r in &e.related {
            if r.eq_ignore_ascii_case(code) {
                c.at(span.clone(), format!("{who}: related to itself"));
            } else if !codes.contains_key(&r.to_lowercase())
                && !base.is_some_and(|b| b.codes.contains(&r.to_lowercase()))
            {
                c.at(
                    span.clone(),
                    format!("{who}: related code {r:?} is not in this catalog"),
                );
            }
        }
        for l in &e.list {
            if !lists.contains(l.id.as_str()) && !inherited_lists.contains(l.id.as_str()) {
                c.at(span.clone(), format!("{who}: unknown list {:?}", l.id));
            }
            if !is_action_id(&l.action) {
                c.at(
                    span.clone(),
                    format!("{who}: list {:?}: unknown action {:?}", l.id, l.action),
                );
            }
            if l.http_status.is_empty() || l.http_status.iter().any(|s| !(100..=599).contains(s)) {
                c.at(
                    span.clone(),
                    format!(
                        "{who}: list {:?}: http_status must hold HTTP statuses",
                        l.id
                    ),
                );
            }
        }
    }
    c.problems
}
