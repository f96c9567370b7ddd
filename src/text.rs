//! Text clean-up: everything read from a file (or a file name) passes through here
//! before it is stored or shown, so file content can never drive the terminal.
//!
//! Removed: a leading BOM, C0 controls except newline and tab, DEL, C1 controls
//! (U+0080–U+009F), whole escape sequences (7-bit `ESC …` and their 8-bit C1 forms:
//! CSI, OSC, DCS, SOS, PM, APC with their strings), bidirectional embeddings,
//! overrides, isolates and marks, and zero-width spaces (the joiners ZWJ/ZWNJ are
//! kept). CRLF and lone CR become LF.
//!
//! A string sequence (OSC, DCS, …) ends at BEL, ST or the end of its line, so an
//! unterminated one cannot swallow the rest of a document.

use std::borrow::Cow;

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

const ESC: char = '\u{1b}';
const BEL: char = '\u{7}';
const ST: char = '\u{9c}';

/// True for characters that are invisible formatting which could reorder or hide text.
fn is_invisible_format(c: char) -> bool {
    matches!(c,
        // Zero-width space, LRM, RLM. The joiners U+200C/U+200D stay: emoji
        // sequences (👩‍⚕️) and several scripts need them, and they reorder nothing.
        '\u{200b}' | '\u{200e}' | '\u{200f}'
        | '\u{202a}'..='\u{202e}' // embeddings and overrides
        | '\u{2060}'..='\u{2064}' // word joiner, invisible operators
        | '\u{2066}'..='\u{2069}' // isolates
        | '\u{feff}'              // BOM / zero-width no-break space
    )
}

/// Whether `c` may be kept as is in stored text (newline and tab allowed).
fn is_plain(c: char) -> bool {
    if c == '\n' || c == '\t' {
        return true;
    }
    !(c.is_control() || is_invisible_format(c))
}

/// Cleans document text as described in the module header.
///
/// Returns the input unchanged (borrowed) when there is nothing to remove.
#[must_use]
pub fn clean(input: &str) -> Cow<'_, str> {
    if is_clean(input.as_bytes()) {
        Cow::Borrowed(input)
    } else {
        Cow::Owned(strip(input))
    }
}

/// Cleans a single-line value (a file name, a query echoed back): like [`clean`],
/// and newlines and tabs become spaces.
#[must_use]
pub fn clean_inline(input: &str) -> Cow<'_, str> {
    let cleaned = clean(input);
    if cleaned.contains(['\n', '\t']) {
        Cow::Owned(cleaned.replace(['\n', '\t'], " "))
    } else {
        cleaned
    }
}

/// `n` with the noun that fits it: `1 story`, `2 stories`.
#[must_use]
pub fn counted(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Cuts `s` to at most `width` columns, ending with `…` when cut.
#[must_use]
pub fn truncate(s: &str, width: usize) -> Cow<'_, str> {
    truncate_with(s, width, "…")
}

/// Cuts `s` to at most `width` columns, ending with `ellipsis` when cut.
#[must_use]
pub fn truncate_with<'a>(s: &'a str, width: usize, ellipsis: &str) -> Cow<'a, str> {
    if s.width() <= width {
        return Cow::Borrowed(s);
    }
    let room = width.saturating_sub(ellipsis.width());
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > room {
            break;
        }
        used += w;
        out.push(c);
    }
    if width >= ellipsis.width() {
        out.push_str(ellipsis);
    }
    Cow::Owned(out)
}

/// Fast check on UTF-8 bytes that [`clean`] would change nothing: looks only at
/// the few lead bytes that can start something to remove.
fn is_clean(bytes: &[u8]) -> bool {
    /// Bytes skipped a block at a time: printable ASCII, newline and tab.
    const BLOCK: usize = 32;
    let plain = |b: u8| (b.wrapping_sub(0x20) < 0x5f) | (b == b'\n') | (b == b'\t');
    let mut i = 0;
    while i < bytes.len() {
        if let Some(block) = bytes
            .get(i..i + BLOCK)
            .and_then(|b| <&[u8; BLOCK]>::try_from(b).ok())
        {
            // Branch-free over a fixed block, so it runs on vector lanes.
            if block.iter().fold(true, |all, &b| all & plain(b)) {
                i += BLOCK;
                continue;
            }
            i += block.iter().position(|&b| !plain(b)).unwrap_or(0);
        }
        let b = bytes[i];
        match b {
            b'\n' | b'\t' | 0x20..=0x7e | 0x80..=0xc1 | 0xc3..=0xe1 | 0xe3..=0xee | 0xf0..=0xff => {
            }
            // C1 controls are U+0080–U+009F: C2 80–C2 9F.
            0xc2 if bytes.get(i + 1).is_some_and(|n| *n < 0xa0) => return false,
            0xc2 => {}
            // U+2000–U+2FFF: check for the invisible formatting characters.
            0xe2 => {
                if let (Some(&b1), Some(&b2)) = (bytes.get(i + 1), bytes.get(i + 2)) {
                    let c = 0x2000 | (u32::from(b1 & 0x3f) << 6) | u32::from(b2 & 0x3f);
                    if b1 & 0xf0 == 0x80 && char::from_u32(c).is_some_and(is_invisible_format) {
                        return false;
                    }
                }
            }
            // U+F000–U+FFFF: only the BOM (EF BB BF) matters here.
            0xef if bytes.get(i + 1) == Some(&0xbb) && bytes.get(i + 2) == Some(&0xbf) => {
                return false;
            }
            0xef => {}
            _ => return false,
        }
        i += 1;
    }
    true
}

#[derive(Clone, Copy, PartialEq)]
enum State {
    Text,
    /// After ESC.
    Escape,
    /// Inside ESC with intermediate bytes (0x20–0x2F), waiting for the final byte.
    EscapeIntermediate,
    /// Inside a control sequence (CSI), waiting for its final byte.
    Csi,
    /// Inside a string (OSC, DCS, SOS, PM, APC), waiting for BEL or ST.
    Str,
    /// ESC seen inside a string: `\` ends it.
    StrEscape,
}

fn strip(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    let mut state = State::Text;
    let mut chars = input.chars().peekable();
    while let Some(c) = chars.next() {
        // Line endings end every sequence, so nothing can eat past a line.
        if c == '\r' || c == '\n' {
            if c == '\r' && chars.peek() == Some(&'\n') {
                chars.next();
            }
            state = State::Text;
            out.push('\n');
            continue;
        }
        state = match state {
            State::Text => match c {
                ESC => State::Escape,
                '\u{9b}' => State::Csi,
                '\u{90}' | '\u{98}' | '\u{9d}' | '\u{9e}' | '\u{9f}' => State::Str,
                _ => {
                    if is_plain(c) {
                        out.push(c);
                    }
                    State::Text
                }
            },
            State::Escape => match c {
                '[' => State::Csi,
                ']' | 'P' | 'X' | '^' | '_' => State::Str,
                '\u{20}'..='\u{2f}' => State::EscapeIntermediate,
                ESC => State::Escape,
                // Any other character is the final byte of a two-character sequence.
                _ => State::Text,
            },
            State::EscapeIntermediate => match c {
                '\u{20}'..='\u{2f}' => State::EscapeIntermediate,
                _ => State::Text,
            },
            State::Csi => match c {
                '\u{20}'..='\u{3f}' => State::Csi,
                ESC => State::Escape,
                _ => State::Text,
            },
            State::Str => match c {
                BEL | ST => State::Text,
                ESC => State::StrEscape,
                _ => State::Str,
            },
            State::StrEscape => match c {
                '\\' => State::Text,
                ESC => State::StrEscape,
                _ => State::Str,
            },
        };
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn has_control(s: &str) -> bool {
        s.chars()
            .any(|c| (c.is_control() && c != '\n' && c != '\t') || is_invisible_format(c))
    }

    #[test]
    fn fast_check_agrees_with_the_slow_one() {
        for s in [
            "a\u{2066}b",
            "\u{200b}",
            "x\u{85}",
            "\u{feff}",
            "a\u{2019}b\u{2013}",
            "\u{200d}",
            "£ é 日本",
            "\u{7f}",
        ] {
            assert_eq!(is_clean(s.as_bytes()), s.chars().all(is_plain), "{s:?}");
        }
    }

    #[test]
    fn plain_text_is_borrowed() {
        assert!(matches!(clean("Hello, world\n\tok"), Cow::Borrowed(_)));
        assert!(matches!(clean("“curly” – dash £5"), Cow::Borrowed(_)));
    }

    #[test]
    fn csi_and_osc_sequences_are_removed_whole() {
        assert_eq!(clean("a\x1b[2J\x1b[1;31mred\x1b[0m b"), "ared b");
        assert_eq!(clean("x\x1b]0;evil title\x07y"), "xy");
        assert_eq!(clean("x\x1b]52;c;aGVsbG8=\x1b\\y"), "xy");
        assert_eq!(
            clean("\x1b]8;;http://e.example\x1b\\link\x1b]8;;\x1b\\"),
            "link"
        );
        assert_eq!(clean("a\x1bPq#0;2;0;0;0\x1b\\b"), "ab");
        assert_eq!(clean("a\x1b_apc\x1b\\b\x1b^pm\x07c"), "abc");
        assert_eq!(clean("a\x1b(Bb\x1b7c\x1bMd"), "abcd");
    }

    #[test]
    fn c1_controls_and_their_sequences_are_removed() {
        assert_eq!(clean("a\u{9b}31mb"), "ab");
        assert_eq!(clean("a\u{9d}0;title\u{9c}b"), "ab");
        assert_eq!(clean("a\u{85}b\u{8d}c"), "abc");
    }

    #[test]
    fn c0_controls_go_newline_and_tab_stay() {
        assert_eq!(clean("a\x07b\x08c\x00d\x7fe\tf\ng"), "abcde\tf\ng");
    }

    #[test]
    fn line_endings_become_lf() {
        assert_eq!(clean("a\r\nb\rc\n"), "a\nb\nc\n");
    }

    #[test]
    fn unterminated_string_stops_at_line_end() {
        assert_eq!(clean("a\x1b]0;never ends\nnext line"), "a\nnext line");
    }

    #[test]
    fn bidi_and_zero_width_are_removed() {
        assert_eq!(clean("\u{feff}a\u{202e}b\u{2066}c\u{200b}d"), "abcd");
    }

    #[test]
    fn joiners_in_emoji_and_scripts_are_kept() {
        for s in ["👩\u{200d}⚕\u{fe0f}", "می\u{200c}خواهم"] {
            assert!(matches!(clean(s), Cow::Borrowed(_)), "{s}");
        }
    }

    #[test]
    fn truncate_counts_columns() {
        assert_eq!(truncate("hello", 5), "hello");
        assert_eq!(truncate("hello world", 6), "hello…");
        assert_eq!(truncate("日本語テキスト", 5), "日本…");
        assert_eq!(truncate("abc", 0), "");
    }

    #[test]
    fn inline_has_no_newline_or_tab() {
        assert_eq!(clean_inline("a\nb\tc\x1b[1m"), "a b c");
    }

    proptest::proptest! {
        #[test]
        fn nothing_unsafe_survives(s in "\\PC*|[\\x00-\\x20\\x1b\\x7f-\\u{a0}\\u{202a}-\\u{202e}a\\[\\]]*") {
            proptest::prop_assert_eq!(is_clean(s.as_bytes()), s.chars().all(is_plain));
            let out = clean(&s);
            proptest::prop_assert!(!has_control(&out));
            proptest::prop_assert!(!out.contains('\r'));
        }
    }
}
