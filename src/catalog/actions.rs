//! The recommended-action taxonomy: Adobe's eight actions and the ones errbook adds, each with its one-line
//! definition in every language. Shared with build.rs (`#[path]`), which checks catalogs against it.

use super::model::Lang;

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
        id: "investigate",
        en: "The source documents no cause: read the error's details and logs first; retry or contact the vendor only after that.",
        ko: "원인이 문서화되어 있지 않습니다. 먼저 오류의 상세 내용과 로그를 확인하고, 재시도나 벤더 문의는 그다음에 하십시오.",
        ja: "原因は文書化されていません。まずエラーの詳細とログを確認し、再試行やベンダーへの問い合わせはその後にしてください。",
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
