//! Text helpers shared by the formats: display width, wrapping, and making text safe for one line.

use unicode_width::UnicodeWidthChar;

/// Columns `s` takes on a terminal (East Asian wide characters count two).
pub fn width(s: &str) -> usize {
    s.chars().map(|c| c.width().unwrap_or(0)).sum()
}

/// Replaces control characters (tabs and newlines included) and hidden ones (bidi overrides, zero-width
/// characters: see [`super::safe::is_hidden`]) so that a value stays on one line and can neither drive
/// the terminal nor disguise itself: white space becomes a space, anything else a visible escape such as
/// `\u{1b}`.
pub fn one_line(s: &str) -> String {
    if !super::safe::may_be_unsafe(s) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\t' | '\n' | '\r' => out.push(' '),
            c if super::safe::is_unsafe(c) => out.push_str(&c.escape_unicode().to_string()),
            c => out.push(c),
        }
    }
    out
}

/// Whether a line may break next to `c` inside a run of text without spaces: Chinese characters, kana
/// and full-width forms are set without spaces, and a line may break between any two of them. Hangul is
/// not: Korean separates words with spaces, and a word is kept whole like a Latin one.
fn ideographic(c: char) -> bool {
    let hangul =
        matches!(c, '\u{1100}'..='\u{11ff}' | '\u{3130}'..='\u{318f}' | '\u{ac00}'..='\u{d7af}');
    !hangul && c.width().unwrap_or(0) > 1
}

/// Characters that never begin a line (closing brackets and punctuation, small kana, the prolonged
/// sound mark: the common Japanese line-breaking rules, kinsoku).
fn no_break_before(c: char) -> bool {
    "、。，．,.・：；:;？！?!ー）)」』】〕〉》］｝”’ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮ々ゝゞヽヾ"
        .contains(c)
}

/// Characters that never end a line (opening brackets).
fn no_break_after(c: char) -> bool {
    "（(「『【〔〈《［｛“‘".contains(c)
}

/// Splits a space-free word into the pieces a line may break between. A Latin word, a code, a URL or an
/// identifier is one piece, also when it sits inside Japanese or Chinese text; ideographs are a piece
/// each, with the punctuation that may not be separated from them.
fn pieces(word: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut prev: Option<char> = None;
    for (i, c) in word.char_indices() {
        if let Some(p) = prev {
            if (ideographic(p) || ideographic(c)) && !no_break_before(c) && !no_break_after(p) {
                out.push(&word[start..i]);
                start = i;
            }
        }
        prev = Some(c);
    }
    if start < word.len() {
        out.push(&word[start..]);
    }
    out
}

/// The widest piece of `s` that [`wrap`] never breaks: the narrowest width `s` can be wrapped to
/// without a piece running past the line.
pub fn widest_piece(s: &str) -> usize {
    s.split(' ').flat_map(pieces).map(width).max().unwrap_or(0)
}

/// Wraps `s` to lines of at most `max` columns. Breaks at spaces, and inside runs of Japanese or Chinese
/// text between characters (never before closing punctuation or after an opening bracket). A Latin word,
/// a code, an identifier or a URL is never broken, not even inside Japanese text: one longer than a line
/// stands whole on a line of its own, so that it can still be copied. Only a piece of wide text longer
/// than a whole line (a very long Korean word, say) is broken between characters.
pub fn wrap(s: &str, max: usize) -> Vec<String> {
    let max = max.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut line_w = 0;
    for word in s.split(' ').filter(|w| !w.is_empty()) {
        let w = width(word);
        let mut sep = usize::from(!line.is_empty());
        if line_w + sep + w <= max {
            if sep == 1 {
                line.push(' ');
            }
            line.push_str(word);
            line_w += sep + w;
            continue;
        }
        for piece in pieces(word) {
            let pw = width(piece);
            if line_w + sep + pw > max && !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                line_w = 0;
                sep = 0;
            }
            if sep == 1 {
                line.push(' ');
                line_w += 1;
                sep = 0;
            }
            if pw > max && piece.chars().any(|c| c.width().unwrap_or(0) > 1) {
                // Wide text with no break allowed and longer than a line: between characters.
                for c in piece.chars() {
                    let cw = c.width().unwrap_or(0);
                    if line_w + cw > max && !line.is_empty() {
                        lines.push(std::mem::take(&mut line));
                        line_w = 0;
                    }
                    line.push(c);
                    line_w += cw;
                }
            } else {
                line.push_str(piece);
                line_w += pw;
            }
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_characters_count_two() {
        assert_eq!(width("トークン"), 8);
        assert_eq!(width("ab"), 2);
    }

    #[test]
    fn wrap_never_exceeds_and_keeps_every_character() {
        let s = "トークンの有効期限が切れています。ライセンストークンを新しく発行してください。 and some English words";
        for max in [10, 13, 20, 33] {
            let lines = wrap(s, max);
            assert!(lines.iter().all(|l| width(l) <= max.max(10)), "{lines:?}");
            let joined: String = lines.concat().chars().filter(|c| *c != ' ').collect();
            let orig: String = s.chars().filter(|c| *c != ' ').collect();
            assert_eq!(joined, orig);
        }
    }

    #[test]
    fn long_urls_are_not_broken() {
        let url = "https://example.com/a/very/long/path/that/does/not/fit/on/one/line/at/all";
        let lines = wrap(&format!("see {url} now"), 30);
        assert_eq!(
            lines,
            vec!["see".to_string(), url.to_string(), "now".to_string()]
        );
    }

    #[test]
    fn latin_tokens_inside_japanese_are_never_broken() {
        // Issue 19: explain in Japanese wrapped `HTT` / `P 403` and `` ` `` / `Adobe-Request-Id`.
        let s = "サーバーがHTTP 403を返しました。ヘッダー`Adobe-Request-Id`の値とhttps://example.com/a/b/cを確認してください。";
        let tokens = [
            "HTTP",
            "403",
            "`Adobe-Request-Id`",
            "https://example.com/a/b/c",
        ];
        for max in 6..60 {
            let lines = wrap(s, max);
            let joined: String = lines.concat().chars().filter(|c| *c != ' ').collect();
            let orig: String = s.chars().filter(|c| *c != ' ').collect();
            assert_eq!(joined, orig, "{max}");
            for t in tokens {
                assert!(
                    lines.iter().any(|l| l.contains(t)),
                    "{max}: {t} broken in {lines:?}"
                );
            }
            for l in &lines {
                assert!(width(l) <= max.max(26), "{max}: {l}");
                assert!(!l.starts_with(['。', '、', 'ー']), "{max}: {l}");
            }
        }
    }

    #[test]
    fn korean_words_are_kept_whole() {
        let s = "라이선스 토큰이 이미 사용되었습니다. 새 토큰을 발급하세요.";
        let lines = wrap(s, 16);
        let words: Vec<&str> = s.split(' ').collect();
        for l in &lines {
            for part in l.split(' ') {
                assert!(words.contains(&part), "{part} of {lines:?}");
            }
        }
        assert_eq!(widest_piece(s), width("사용되었습니다."));
    }

    #[test]
    fn one_line_escapes_controls() {
        assert_eq!(one_line("a\tb\nc\u{1b}[31m"), "a b c\\u{1b}[31m");
    }
}
