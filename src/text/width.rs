//! How many columns text takes on screen. Text is measured one grapheme cluster
//! at a time (`unicode-segmentation`), each with ratatui's own `CellWidth`, so a
//! width computed here is the number of cells `Buffer::set_stringn` fills: an
//! emoji ZWJ sequence (`👨‍👩‍👧‍👦`) or a skin-tone emoji (`👍🏽`) is one cluster of two
//! columns, not the sum of its characters. Tabs and newlines are shown as one
//! space each ([`display`]); anything else a cluster cannot show counts zero, as
//! ratatui skips it.

use std::borrow::Cow;

use ratatui::buffer::CellWidth;
use unicode_segmentation::UnicodeSegmentation;

/// Columns one grapheme cluster takes.
fn cluster_width(g: &str) -> usize {
    match g {
        "\t" | "\n" | "\r\n" => 1,
        _ if g.contains(char::is_control) => 0,
        _ => usize::from(g.cell_width()),
    }
}

/// `s` as it is drawn: tabs and newlines become spaces (ratatui would drop them,
/// the Story pane and the command line show a space).
#[must_use]
pub fn display(s: &str) -> Cow<'_, str> {
    if s.contains(['\t', '\n']) {
        Cow::Owned(s.replace(['\t', '\n'], " "))
    } else {
        Cow::Borrowed(s)
    }
}

/// Columns `s` takes when drawn.
#[must_use]
pub fn width(s: &str) -> usize {
    // Printable ASCII is one column a character and one cluster each.
    if s.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return s.len();
    }
    s.graphemes(true).map(cluster_width).sum()
}

/// Cuts `s` to at most `width` columns, ending with `…` when cut.
#[must_use]
pub fn truncate(s: &str, width: usize) -> Cow<'_, str> {
    truncate_with(s, width, "…")
}

/// Cuts `s` to at most `width` columns, ending with `ellipsis` when cut. The
/// result is [`display`]ed (no tab or newline) and never splits a grapheme cluster.
#[must_use]
pub fn truncate_with<'a>(s: &'a str, width: usize, ellipsis: &str) -> Cow<'a, str> {
    let s = display(s);
    if self::width(&s) <= width {
        return s;
    }
    let mark = self::width(ellipsis);
    let room = width.saturating_sub(mark);
    let mut out = String::new();
    let mut used = 0;
    for g in s.graphemes(true) {
        let w = cluster_width(g);
        if used + w > room {
            break;
        }
        used += w;
        out.push_str(g);
    }
    if width >= mark {
        out.push_str(ellipsis);
    }
    Cow::Owned(out)
}

/// The longest end of `s` (whole clusters) that fits in `width` columns.
#[must_use]
pub fn tail(s: &str, width: usize) -> &str {
    let mut used = 0;
    let mut from = s.len();
    for (at, g) in s.grapheme_indices(true).rev() {
        used += cluster_width(g);
        if used > width {
            break;
        }
        from = at;
    }
    s.get(from..).unwrap_or("")
}

/// The column where char `index` of `s` is drawn: the start of its cluster.
#[must_use]
pub fn column(s: &str, index: usize) -> usize {
    let mut chars = 0;
    let mut col = 0;
    for g in s.graphemes(true) {
        chars += g.chars().count();
        if chars > index {
            break;
        }
        col += cluster_width(g);
    }
    col
}

/// The clusters of `s` that hold chars `start..start + len`, with the column
/// they start at.
#[must_use]
pub fn clusters_at(s: &str, start: usize, len: usize) -> (usize, &str) {
    let end = start + len.max(1);
    let (mut chars, mut col) = (0, 0);
    let (mut from, mut to) = (None, s.len());
    for (at, g) in s.grapheme_indices(true) {
        let n = g.chars().count();
        if from.is_none() {
            if chars + n > start {
                from = Some(at);
            } else {
                col += cluster_width(g);
            }
        }
        chars += n;
        if chars >= end {
            to = at + g.len();
            break;
        }
    }
    let from = from.unwrap_or(s.len());
    (col, s.get(from..to).unwrap_or(""))
}

/// One piece of a line to wrap: a word (or part of one) and the spaces after it.
#[derive(Debug)]
struct Piece<'a> {
    word: &'a str,
    space: &'a str,
    width: usize,
}

impl textwrap::core::Fragment for Piece<'_> {
    #[allow(clippy::cast_precision_loss)] // widths are far below 2^52
    fn width(&self) -> f64 {
        self.width as f64
    }
    #[allow(clippy::cast_precision_loss)]
    fn whitespace_width(&self) -> f64 {
        self.space.len() as f64
    }
    fn penalty_width(&self) -> f64 {
        0.0
    }
}

/// Wraps one line (no newline in it) to `width` columns, at spaces, as
/// `textwrap` does with its first-fit algorithm, but measuring clusters as the
/// screen draws them. Lines after the first start with `indent`. A word longer
/// than a line is broken between clusters; only a cluster wider than the whole
/// width (a wide character at width 1) can overflow.
#[must_use]
pub fn wrap(line: &str, width: usize, indent: &str) -> Vec<String> {
    let line = display(line);
    let indent_w = self::width(indent);
    let rest = width.saturating_sub(indent_w).max(1);
    let mut pieces = Vec::new();
    for word in textwrap::WordSeparator::AsciiSpace.find_words(&line) {
        let w = self::width(word.word);
        if w <= rest {
            pieces.push(Piece {
                word: word.word,
                space: word.whitespace,
                width: w,
            });
            continue;
        }
        // Too long for any line: cut it into line-sized runs of clusters.
        let (mut start, mut used) = (0, 0);
        for (at, g) in word.word.grapheme_indices(true) {
            let gw = cluster_width(g);
            if used + gw > rest && at > start {
                pieces.push(Piece {
                    word: &word.word[start..at],
                    space: "",
                    width: used,
                });
                (start, used) = (at, 0);
            }
            used += gw;
        }
        pieces.push(Piece {
            word: &word.word[start..],
            space: word.whitespace,
            width: used,
        });
    }
    #[allow(clippy::cast_precision_loss)]
    let widths = [width as f64, rest as f64];
    let mut out = Vec::new();
    for run in textwrap::wrap_algorithms::wrap_first_fit(&pieces, &widths) {
        let mut l = if out.is_empty() {
            String::new()
        } else {
            indent.to_string()
        };
        for (n, p) in run.iter().enumerate() {
            l.push_str(p.word);
            if n + 1 < run.len() {
                l.push_str(p.space);
            }
        }
        out.push(l);
    }
    if out.is_empty() {
        out.push(String::new());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const FAMILY: &str = "👨\u{200d}👩\u{200d}👧\u{200d}👦";
    const THUMB: &str = "👍🏽";

    #[test]
    fn emoji_sequences_are_one_cluster_of_two_columns() {
        assert_eq!(width(FAMILY), 2);
        assert_eq!(width(THUMB), 2);
        assert_eq!(width("❤\u{fe0f}"), 2);
        assert_eq!(width("e\u{301}"), 1);
        assert_eq!(width("日本"), 4);
        assert_eq!(width("a\tb"), 3);
    }

    #[test]
    fn truncate_counts_clusters() {
        assert_eq!(truncate("hello", 5), "hello");
        assert_eq!(truncate("hello world", 6), "hello…");
        assert_eq!(truncate("日本語テキスト", 5), "日本…");
        assert_eq!(truncate("abc", 0), "");
        // Char by char the family is 8 columns and the thumb 4: all of it fits.
        let s = format!("{FAMILY}{THUMB} · wide");
        assert_eq!(truncate(&s, 11), s);
        assert_eq!(truncate(&s, 6), format!("{FAMILY}{THUMB} …"));
        // Never half a cluster.
        assert_eq!(truncate(&format!("{FAMILY}x"), 2), "…");
    }

    #[test]
    fn tabs_are_shown_as_spaces() {
        assert_eq!(truncate("Tab\theadline", 20), "Tab headline");
        assert_eq!(truncate("Tab\theadline", 6), "Tab h…");
    }

    #[test]
    fn columns_and_clusters_of_char_ranges() {
        let s = format!("a{FAMILY}b");
        // The family is chars 1..=7; `b` is char 8, drawn at column 3.
        assert_eq!(column(&s, 8), 3);
        assert_eq!(column(&s, 4), 1);
        assert_eq!(clusters_at(&s, 8, 1), (3, "b"));
        assert_eq!(clusters_at(&s, 3, 1), (1, FAMILY));
        assert_eq!(clusters_at("abc", 5, 1), (3, ""));
        assert_eq!(tail(&s, 3), format!("{FAMILY}b"));
        assert_eq!(tail(&s, 2), "b");
    }

    #[test]
    fn wrap_measures_clusters() {
        let line = format!("{FAMILY} {THUMB} ❤\u{fe0f} x");
        // 2 + 1 + 2 + 1 + 2 + 1 + 1 columns: one line of 10.
        assert_eq!(wrap(&line, 10, ""), vec![line.clone()]);
        // At 5: the VS16 heart is two columns, so it does not fit after the thumb.
        assert_eq!(
            wrap(&line, 5, ""),
            vec![format!("{FAMILY} {THUMB}"), "❤\u{fe0f} x".to_string()]
        );
        assert_eq!(
            wrap("• one two three", 9, "  "),
            vec!["• one two", "  three"]
        );
        assert_eq!(wrap("abcdefgh", 3, ""), vec!["abc", "def", "gh"]);
        assert_eq!(
            wrap(&FAMILY.repeat(3), 4, ""),
            vec![FAMILY.repeat(2), FAMILY.to_string()]
        );
        assert_eq!(wrap("", 5, ""), vec![String::new()]);
    }
}
