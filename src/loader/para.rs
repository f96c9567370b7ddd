//! Paragraphs and the small judgements made about them: does this read as a
//! headline, a byline, a caption, a sentence? Pure functions of text.

use std::borrow::Cow;

/// One paragraph of a document: its text (lines joined, or kept as lines for a
/// bullet list) and the line it starts on.
#[derive(Debug, Clone)]
pub struct Para<'a> {
    /// Joined text, trimmed.
    pub text: Cow<'a, str>,
    /// 1-based line number of its first line.
    pub line: usize,
    /// How many lines it spans.
    pub lines: usize,
    /// True for a bullet list (lines kept).
    pub list: bool,
    /// Its first line, trimmed.
    pub first_line: &'a str,
}

const BULLETS: [&str; 5] = ["•", "- ", "* ", "◦", "▪"];

fn is_bullet_line(line: &str) -> bool {
    BULLETS.iter().any(|b| line.starts_with(b))
}

/// The most paragraphs a document is split into: real documents have a few
/// thousand at most, and each costs a few dozen bytes to judge, so a file of
/// millions of one-word paragraphs would need many times its size. The text after
/// the cap is kept, joined into the last paragraph.
pub const MAX_PARAS: usize = 100_000;

/// Splits cleaned text (LF line ends) into paragraphs at blank lines. A line of
/// only whitespace (spaces, non-breaking spaces) counts as blank. At most
/// [`MAX_PARAS`]; the flag says whether the rest was joined into the last one.
#[must_use]
pub fn split(text: &str) -> (Vec<Para<'_>>, bool) {
    let mut out = Vec::new();
    let mut lines: Vec<&str> = Vec::new();
    let mut first = 0;
    let mut start = 0;
    let ends = memchr::memchr_iter(b'\n', text.as_bytes()).chain(std::iter::once(text.len()));
    for (n, end) in ends.enumerate() {
        let line_start = start;
        let line = text[start..end].trim();
        start = end + 1;
        if line.is_empty() {
            if !lines.is_empty() {
                out.push(make(&lines, first));
                lines.clear();
            }
        } else {
            if lines.is_empty() {
                if out.len() + 1 == MAX_PARAS {
                    out.push(rest(&text[line_start..], n + 1));
                    return (out, true);
                }
                first = n + 1;
            }
            lines.push(line);
        }
    }
    if !lines.is_empty() {
        out.push(make(&lines, first));
    }
    (out, false)
}

/// The rest of a document past [`MAX_PARAS`], as one paragraph that keeps its
/// lines as they are (no copy: a huge rest costs nothing more).
fn rest(text: &str, line: usize) -> Para<'_> {
    let text = text.trim();
    Para {
        first_line: text.lines().next().unwrap_or("").trim(),
        lines: text.lines().count(),
        text: Cow::Borrowed(text),
        line,
        list: true,
    }
}

fn make<'a>(lines: &[&'a str], line: usize) -> Para<'a> {
    let list = lines.iter().any(|l| is_bullet_line(l));
    let text = match lines {
        [one] => Cow::Borrowed(*one),
        _ => Cow::Owned(lines.join(if list { "\n" } else { " " })),
    };
    Para {
        text,
        line,
        lines: lines.len(),
        list,
        first_line: lines.first().copied().unwrap_or(""),
    }
}

const CLOSERS: &[char] = &['"', '\'', '”', '’', ')', ']', '»'];
const OPENERS: &[char] = &['"', '\'', '“', '‘', '«', '('];

/// The last character once closing quotes and brackets are set aside.
fn last_significant(text: &str) -> Option<char> {
    text.trim_end_matches(CLOSERS).chars().next_back()
}

/// True when the text ends a sentence or leads into a quote: `.`, `!`, `?`, `:`,
/// `;` or `…`, possibly followed by closing quotes.
#[must_use]
pub fn ends_sentence(text: &str) -> bool {
    matches!(
        last_significant(text),
        Some('.' | '!' | '?' | ':' | ';' | '…')
    )
}

/// True when the text ends with a colon (it leads into what follows).
#[must_use]
pub fn ends_with_colon(text: &str) -> bool {
    last_significant(text) == Some(':')
}

const ABBREVIATIONS: [&str; 10] = [
    "mr", "mrs", "ms", "dr", "st", "prof", "no", "vs", "sir", "rev",
];

/// Byte offset just past the end of the first sentence, when one ends before the
/// end of the text: `.`, `!` or `?` (plus closing quotes), then a space and a
/// capital letter or opening quote. Abbreviations and initials do not end sentences.
#[must_use]
pub fn first_sentence_end(text: &str) -> Option<usize> {
    // All three marks are ASCII: find them by byte.
    for i in memchr::memchr3_iter(b'.', b'!', b'?', text.as_bytes()) {
        let c = char::from(text.as_bytes()[i]);
        let closed = text[i + 1..].trim_start_matches(CLOSERS);
        let end = text.len() - closed.len();
        let rest = &text[end..];
        let after = rest.trim_start();
        if after.len() == rest.len() || after.is_empty() {
            continue;
        }
        let starts_new = after
            .chars()
            .next()
            .is_some_and(|n| n.is_uppercase() || n.is_numeric() || OPENERS.contains(&n));
        if !starts_new {
            continue;
        }
        if c == '.' {
            let word = text[..i]
                .rsplit(|ch: char| ch.is_whitespace())
                .next()
                .unwrap_or("")
                .trim_start_matches(OPENERS);
            // Initials and initialisms: `J.`, `U.S.`, `p.m.`.
            let initials = word.split('.').all(|part| part.chars().count() == 1);
            if initials || ABBREVIATIONS.iter().any(|a| a.eq_ignore_ascii_case(word)) {
                continue;
            }
        }
        return Some(end);
    }
    None
}

/// The longest a headline may be, in characters and in words.
const HEADLINE_MAX_CHARS: usize = 110;
const HEADLINE_MAX_WORDS: usize = 18;

/// Whether a paragraph can be a headline on its own terms: short, one sentence,
/// not closed by a full stop, colon, semicolon or comma, not starting in lower case.
/// A question or exclamation may be a headline when it is shorter still.
/// Whether it *is* one also depends on its neighbours (see `story::split`).
#[must_use]
pub fn headline_like(p: &Para<'_>) -> bool {
    let text = p.text.as_ref();
    // The cheap tests of `headline_like_known` first: most paragraphs are
    // prose, too long or ending with a full stop, and need no counting.
    if p.list
        || text.len() > HEADLINE_MAX_CHARS * 4
        || matches!(
            last_significant(text),
            Some('.' | ':' | ';' | ',' | '…') | None
        )
    {
        return false;
    }
    let words = text.split_whitespace().count();
    headline_like_known(p, words, first_sentence_end(text).is_none())
}

/// [`headline_like`] for a caller that has counted the paragraph's words and
/// knows whether it is one sentence.
#[must_use]
pub fn headline_like_known(p: &Para<'_>, words: usize, one_sentence: bool) -> bool {
    let text = p.text.as_ref();
    // A character is at most four bytes: longer text cannot be short enough.
    if p.list || p.lines > 2 || text.is_empty() || text.len() > HEADLINE_MAX_CHARS * 4 {
        return false;
    }
    // The cheap tests first: most paragraphs are prose and end with a full stop.
    let last = last_significant(text);
    if matches!(last, Some('.' | ':' | ';' | ',' | '…') | None) {
        return false;
    }
    let first = text.chars().next().unwrap_or(' ');
    // A lower-case start reads as a continuation ("and then…"), unless the first
    // word is a mixed-case name such as `mRNA` or `eGFR`.
    if first.is_lowercase() {
        let first_word = text.split_whitespace().next().unwrap_or("");
        if !first_word.chars().any(char::is_uppercase) {
            return false;
        }
    }
    if words > HEADLINE_MAX_WORDS {
        return false;
    }
    let chars = if text.len() <= 90 {
        text.len()
    } else {
        text.chars().count()
    };
    if chars > HEADLINE_MAX_CHARS {
        return false;
    }
    if matches!(last, Some('?' | '!')) && (chars > 90 || OPENERS.contains(&first)) {
        return false;
    }
    // Captions and furniture look like headlines too; the segmenter weighs its
    // own furniture facts beside this one.
    one_sentence
}

/// `Name, Role[, Organisation]`: a bulletin section's byline. The name is two to
/// five capitalised words; the role starts with a capital and may hold figures
/// (`Director, 10 Year Health Plan Delivery`).
#[must_use]
pub fn is_role_byline(p: &Para<'_>) -> bool {
    let text = p.text.as_ref();
    if p.list || p.lines > 1 || text.len() > 480 {
        return false;
    }
    let Some((name, role)) = text.split_once(',') else {
        return false;
    };
    if text.chars().count() > 120 || ends_sentence(text) {
        return false;
    }
    if !role.trim_start().starts_with(char::is_uppercase) {
        return false;
    }
    let words: Vec<&str> = name.split_whitespace().collect();
    let particle = |w: &str| {
        matches!(
            w,
            "de" | "van" | "von" | "der" | "da" | "di" | "le" | "la" | "bin" | "al"
        )
    };
    (2..=5).contains(&words.len())
        && words.iter().all(|w| {
            (w.chars().next().is_some_and(char::is_uppercase) || particle(w))
                && w.chars()
                    .all(|c| c.is_alphabetic() || matches!(c, '’' | '\'' | '-' | '.'))
        })
}

/// `By Name`: an article's byline; returns the name.
#[must_use]
pub fn by_line(text: &str) -> Option<&str> {
    let rest = text
        .strip_prefix("By ")
        .or_else(|| text.strip_prefix("by "))?;
    let rest = rest.trim();
    let ok = !rest.is_empty()
        && rest.chars().count() <= 80
        && rest.split_whitespace().count() <= 10
        && !ends_sentence(rest)
        && rest.chars().next().is_some_and(char::is_uppercase);
    ok.then_some(rest)
}

/// A photo caption: ends with a credit such as `Picture: Name/Agency`.
#[must_use]
pub fn is_caption(text: &str) -> bool {
    const MARKS: [&str; 6] = [
        "Picture:",
        "Photo:",
        "Photograph:",
        "Image:",
        "Credit:",
        "(Image credit",
    ];
    // Every mark has a colon or `(Image`: most paragraphs have neither.
    let bytes = text.as_bytes();
    if memchr::memchr(b':', bytes).is_none() && memchr::memmem::find(bytes, b"(Image").is_none() {
        return false;
    }
    MARKS.iter().any(|m| {
        memchr::memmem::rfind(bytes, m.as_bytes()).is_some_and(|at| {
            let credit = &text[at + m.len()..];
            credit.split_whitespace().count() <= 10 && !ends_sentence(credit)
        })
    })
}

/// Whether `text` holds a picture credit's mark (`Photo:`, `(Image`, `/PA`…),
/// ASCII case ignored.
#[must_use]
pub fn is_caption_mark(text: &str) -> bool {
    const MARKS: [&str; 9] = [
        "picture:",
        "photo:",
        "photograph:",
        "image:",
        "credit:",
        "pic:",
        "(image",
        "getty images",
        "/pa",
    ];
    MARKS.iter().any(|m| has_ascii_ci(text, m))
}

/// A publisher's appeal for support, or a stray page element.
#[must_use]
pub fn is_furniture(text: &str) -> bool {
    if matches!(
        text,
        "Advertisement" | "Read more" | "Share" | "Support Now"
    ) {
        return true;
    }
    // Cheap first: neither phrase can be there without these letters (no `i` or
    // `k`, whose capitals outside ASCII lowercase into them).
    if !(has_ascii_ci(text, "read more") || has_ascii_ci(text, "your support")) {
        return false;
    }
    let lower = text.to_lowercase();
    lower.starts_with("your support helps us")
        || (lower.contains("read more")
            && (lower.contains("support") || lower.contains("donat") || lower.contains("subscri")))
}

/// True when `needle` (ASCII lowercase) occurs in `text`, ASCII case ignored.
#[must_use]
pub fn has_ascii_ci(text: &str, needle: &str) -> bool {
    let (hay, needle) = (text.as_bytes(), needle.as_bytes());
    let Some(&first) = needle.first() else {
        return true;
    };
    let mut at = 0;
    while let Some(found) = hay
        .get(at..)
        .and_then(|h| memchr::memchr2(first, first.to_ascii_uppercase(), h))
    {
        let start = at + found;
        if hay
            .get(start..start + needle.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(needle))
        {
            return true;
        }
        at = start + 1;
    }
    false
}

/// A bulletin's closing "tell us what you think" footer.
#[must_use]
pub fn is_feedback_footer(text: &str) -> bool {
    // Cheap first, as in `is_furniture` (`feedbac`: no `k`).
    if !has_ascii_ci(text, "feedbac") {
        return false;
    }
    let lower = text.to_lowercase();
    lower.contains("feedback") && (lower.contains('@') || lower.contains("email"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn para(text: &str) -> Para<'_> {
        split(text).0.into_iter().next().unwrap_or(Para {
            text: Cow::Borrowed(""),
            line: 0,
            lines: 0,
            list: false,
            first_line: "",
        })
    }

    #[test]
    fn split_joins_lines_keeps_bullets_and_treats_space_lines_as_blank() {
        let (ps, capped) = split("One\ntwo\n \u{a0}\n\n  • a\n  • b\nThree\n");
        assert!(!capped);
        assert_eq!(ps.len(), 2);
        assert_eq!(ps[0].text, "One two");
        assert_eq!(ps[0].line, 1);
        assert!(ps[1].list);
        assert_eq!(ps[1].text, "• a\n• b\nThree");
        assert_eq!(ps[1].line, 5);
    }

    #[test]
    fn split_stops_at_the_cap_and_keeps_the_rest() {
        let text = "Para.\n\n".repeat(MAX_PARAS + 10);
        let (ps, capped) = split(&text);
        assert!(capped);
        assert_eq!(ps.len(), MAX_PARAS);
        let last = ps.last().map(|p| p.text.as_ref()).unwrap_or_default();
        assert_eq!(last, ["Para."; 11].join("\n\n"), "nothing is dropped");
        assert_eq!(ps.last().map(|p| p.line), Some(2 * MAX_PARAS - 1));
        let text = "Para.\n\n".repeat(MAX_PARAS - 1);
        let (exact, capped) = split(&text);
        assert!(!capped);
        assert_eq!(exact.len(), MAX_PARAS - 1);
    }

    #[test]
    fn headlines_and_non_headlines() {
        for h in [
            "BMA to appeal court decision on PAs",
            "ICB declares ‘very serious’ £200 million deficit",
            "Is the NHS ready for winter?",
            "Minister says talks are “constructive”",
            "Advanced Foundation Trusts: driving system excellence",
            "mRNA cancer vaccine trial opens to more patients",
        ] {
            assert!(headline_like(&para(h)), "{h}");
        }
        for b in [
            "The consultation is open until 11 January 2026.",
            "Nearly 20 per cent (38 trusts) of the total 205 providers changed segments (see table below) from the first quarter",
            "Responding to the figures, she said:",
            "and then it went on",
            "“Will it work?”",
            "It rained. Then it stopped",
        ] {
            assert!(!headline_like(&para(b)), "{b}");
        }
    }

    #[test]
    fn sentence_ends_skip_abbreviations_and_initials() {
        assert_eq!(first_sentence_end("Dr. Smith met J. Bloggs today"), None);
        assert_eq!(first_sentence_end("It rained. Then"), Some(10));
        assert_eq!(first_sentence_end("He said “yes.” Then left"), Some(18));
        assert_eq!(first_sentence_end("Cost £1.5m in 2025."), None);
        assert_eq!(
            first_sentence_end("The U.S. Food and Drug Administration agreed. Then"),
            Some(45)
        );
    }

    #[test]
    fn bylines() {
        assert!(is_role_byline(&para(
            "Jim Mackey, Chief Executive, NHS England"
        )));
        assert!(is_role_byline(&para(
            "Elizabeth O’Mahony, Interim Director General, Finance"
        )));
        assert!(!is_role_byline(&para("Local leadership in action")));
        assert!(!is_role_byline(&para("In 2025, we did well")));
        assert!(is_role_byline(&para(
            "Tom Reed, Director, 10 Year Health Plan Delivery"
        )));
        assert!(!is_role_byline(&para("Jane Smith, 45, from Leeds")));
        assert_eq!(by_line("By Rebecca Henrys"), Some("Rebecca Henrys"));
        assert_eq!(by_line("By the way, this is a sentence."), None);
    }

    #[test]
    fn captions_and_furniture() {
        assert!(is_caption(
            "Doctors on a picket line. Picture: Jane Doe/PA Wire"
        ));
        assert!(!is_caption(
            "The Picture: a framework for change is set out below and discussed."
        ));
        assert!(is_furniture(
            "Your support helps us to tell the story Read more"
        ));
        assert!(is_feedback_footer(
            "Your feedback matters. Email us at a@b.example"
        ));
    }
}
