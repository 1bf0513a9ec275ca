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

/// Wraps `s` to lines of at most `max` columns. Breaks at spaces; a run of East Asian text without spaces
/// (Japanese, say) is broken between characters, never inside one. A Latin word or URL longer than a line
/// is kept whole on a line of its own, so that it can still be copied.
pub fn wrap(s: &str, max: usize) -> Vec<String> {
    let max = max.max(10);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut line_w = 0;
    for word in s.split(' ').filter(|w| !w.is_empty()) {
        let w = width(word);
        let sep = usize::from(!line.is_empty());
        if line_w + sep + w <= max {
            if sep == 1 {
                line.push(' ');
            }
            line.push_str(word);
            line_w += sep + w;
            continue;
        }
        let wide = word.chars().any(|c| c.width().unwrap_or(0) > 1);
        if w <= max || !wide {
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            line.push_str(word);
            line_w = w;
            continue;
        }
        // Too long for a line of its own: fill the current line, then break between characters.
        if sep == 1 {
            line.push(' ');
            line_w += 1;
        }
        for c in word.chars() {
            let cw = c.width().unwrap_or(0);
            if line_w + cw > max {
                lines.push(std::mem::take(&mut line));
                line_w = 0;
            }
            line.push(c);
            line_w += cw;
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines.retain(|l| !l.is_empty());
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
    fn one_line_escapes_controls() {
        assert_eq!(one_line("a\tb\nc\u{1b}[31m"), "a b c\\u{1b}[31m");
    }
}
