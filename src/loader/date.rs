//! Recognising dates written in documents: `11 December 2025`, `3 Feb 2026`,
//! `Tuesday 3 February 2026`, `2025-07-30` (days) and `December 2025` (months).

use chrono::NaiveDate;

use crate::story::StoryDate;

/// What a piece of text is, date-wise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateText {
    /// A real date.
    Date(StoryDate),
    /// Shaped like a date but no such day exists (`31 February 2026`).
    Impossible,
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

const WEEKDAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// Month number for `January`, `Jan`, `Sept` …, any case.
fn month_number(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.').to_ascii_lowercase();
    if w.len() < 3 {
        return None;
    }
    let found = MONTHS.iter().position(|m| {
        *m == w || (w.len() == 3 && m.starts_with(&w)) || (w == "sept" && *m == "september")
    })?;
    u32::try_from(found + 1).ok()
}

fn is_weekday(word: &str) -> bool {
    let w = word.trim_end_matches([',', '.']).to_ascii_lowercase();
    w.len() >= 3
        && WEEKDAYS
            .iter()
            .any(|d| *d == w || (w.len() == 3 && d.starts_with(&w)))
}

fn year(word: &str) -> Option<i32> {
    if word.len() != 4 || !word.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    word.parse().ok().filter(|y| (1900..=2200).contains(y))
}

fn day(word: &str) -> Option<u32> {
    let digits = word.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &word[digits.len()..];
    if digits.is_empty() || digits.len() > 2 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if !matches!(suffix, "" | "st" | "nd" | "rd" | "th") {
        return None;
    }
    digits.parse().ok().filter(|d| (1..=31).contains(d))
}

fn day_date(y: i32, m: u32, d: u32) -> DateText {
    NaiveDate::from_ymd_opt(y, m, d).map_or(DateText::Impossible, |date| {
        DateText::Date(StoryDate::Day(date))
    })
}

fn iso_day(word: &str) -> Option<DateText> {
    let mut parts = word.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || m.len() != 2 || d.len() != 2 {
        return None;
    }
    let y = year(y)?;
    let m: u32 = m.parse().ok()?;
    let d: u32 = d.parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return Some(DateText::Impossible);
    }
    Some(day_date(y, m, d))
}

/// Reads `text` as a date when it is nothing but a date. `None` when it is not one.
#[must_use]
pub fn parse(text: &str) -> Option<DateText> {
    // The longest form, `Wednesday, 30th September 2025`, is well under 40 bytes.
    if text.len() > 40 || !text.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    let cleaned = text.replace(',', " ");
    let mut words: Vec<&str> = cleaned.split_whitespace().collect();
    if words.len() > 1 && is_weekday(words[0]) {
        words.remove(0);
    }
    match words.as_slice() {
        [one] => iso_day(one),
        [d, m, y] => {
            let y = year(y)?;
            if let (Some(d), Some(m)) = (day(d), month_number(m)) {
                return Some(day_date(y, m, d));
            }
            let (m, d) = (month_number(d)?, day(m)?);
            Some(day_date(y, m, d))
        }
        [m, y] => Some(DateText::Date(StoryDate::Month {
            year: year(y)?,
            month: month_number(m)?,
        })),
        _ => None,
    }
}

/// The month and year a bulletin title ends with (`The Month – December 2025`).
#[must_use]
pub fn title_month(title: &str) -> Option<StoryDate> {
    let words: Vec<&str> = title
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | ':' | '(' | ')'))
        .filter(|w| !w.is_empty())
        .collect();
    let [.., m, y] = words.as_slice() else {
        return None;
    };
    Some(StoryDate::Month {
        year: year(y)?,
        month: month_number(m)?,
    })
}

/// A date found inside a longer text: what it is and where (byte range).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    /// The date (or an impossible one).
    pub date: DateText,
    /// Byte offset where the date's words start.
    pub start: usize,
    /// Byte offset just past them.
    pub end: usize,
}

/// One run of letters or of digits (an ordinal suffix stays with its digits), with
/// the byte range it covers and the character just before it.
#[derive(Debug, Clone, Copy)]
struct Token<'a> {
    text: &'a str,
    start: usize,
    end: usize,
}

/// Letters and digits split apart (`Marsh17` → `Marsh`, `17`), but `31st` whole.
fn tokens(text: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < text.len() {
        let Some(c) = text[i..].chars().next() else {
            break;
        };
        if !c.is_alphanumeric() {
            i += c.len_utf8();
            continue;
        }
        let start = i;
        let digits = c.is_ascii_digit();
        while let Some(c) = text[i..].chars().next() {
            if !c.is_alphanumeric() || c.is_ascii_digit() != digits {
                break;
            }
            i += c.len_utf8();
        }
        if digits {
            // An ordinal suffix: `31st`, `2nd`, followed by a non-letter.
            let rest = &bytes[i..];
            let suffix = rest.get(..2).is_some_and(|s| {
                matches!(
                    s,
                    b"st" | b"nd" | b"rd" | b"th" | b"ST" | b"ND" | b"RD" | b"TH"
                )
            });
            let ends = rest.get(2).is_none_or(|b| !b.is_ascii_alphabetic());
            if suffix && ends {
                i += 2;
            }
        }
        out.push(Token {
            text: &text[start..i],
            start,
            end: i,
        });
    }
    out
}

/// The separator text between two tokens is short punctuation or space.
fn joined(text: &str, a: &Token<'_>, b: &Token<'_>) -> bool {
    let gap = &text[a.end..b.start];
    gap.len() <= 3
        && gap
            .chars()
            .all(|c| c.is_whitespace() || matches!(c, ',' | '-' | '.' | '/'))
}

fn numeric_month(word: &str) -> Option<u32> {
    (word.len() <= 2 && word.bytes().all(|b| b.is_ascii_digit()))
        .then(|| word.parse().ok())
        .flatten()
        .filter(|m| (1..=12).contains(m))
}

/// Whether `text` holds an ASCII digit: every date does. One pass without
/// branches, 64 bytes at a time, so that it runs on vectors.
#[must_use]
pub fn has_digit(text: &str) -> bool {
    text.as_bytes()
        .chunks(64)
        .any(|c| c.iter().fold(0u8, |k, &b| k | u8::from(b.is_ascii_digit())) != 0)
}

/// Every date written in `text`, in order: `7 Jun 2024`, `Monday 3 February
/// 2026`, `31st July 2025`, `December 11, 2025`, `19-Dec-2025`, `03/02/2026` (day
/// first, as in the UK), `2025-07-30`, and month dates (`December 2025`).
#[must_use]
pub fn find_all(text: &str) -> Vec<Found> {
    let mut out = Vec::new();
    if !has_digit(text) {
        return out;
    }
    let t = tokens(text);
    let mut i = 0;
    while i < t.len() {
        let at = |k: usize| t.get(i + k);
        let link = |k: usize| {
            at(k)
                .zip(at(k + 1))
                .is_some_and(|(a, b)| joined(text, a, b))
        };
        let mut found = None;
        if let (Some(a), Some(b), Some(c)) = (at(0), at(1), at(2))
            && link(0)
            && link(1)
            && let Some(y) = year(c.text)
        {
            let sep = &text[a.end..b.start];
            if let (Some(d), Some(m)) = (day(a.text), month_number(b.text)) {
                found = Some((day_date(y, m, d), 3));
            } else if let (Some(m), Some(d)) = (month_number(a.text), day(b.text)) {
                found = Some((day_date(y, m, d), 3));
            } else if let (Some(d), Some(m)) = (day(a.text), numeric_month(b.text))
                && matches!(sep, "/" | "." | "-")
                && a.text.bytes().all(|x| x.is_ascii_digit())
            {
                found = Some((day_date(y, m, d), 3));
            }
        }
        if found.is_none()
            && let (Some(a), Some(b), Some(c)) = (at(0), at(1), at(2))
            && year(a.text).is_some()
            && &text[a.end..b.start] == "-"
            && &text[b.end..c.start] == "-"
            && b.text.len() == 2
            && c.text.len() == 2
        {
            found = iso_day(&text[a.start..c.end]).map(|d| (d, 3));
        }
        if found.is_none()
            && let (Some(a), Some(b)) = (at(0), at(1))
            && link(0)
            && let (Some(m), Some(y)) = (month_number(a.text), year(b.text))
            && a.text.len() >= 3
            && !(i > 0 && day(t[i - 1].text).is_some() && joined(text, &t[i - 1], a))
        {
            found = Some((DateText::Date(StoryDate::Month { year: y, month: m }), 2));
        }
        // `2023-09`: a month written as ISO 8601 does, with no day after it.
        if found.is_none()
            && let (Some(a), Some(b)) = (at(0), at(1))
            && let Some(y) = year(a.text)
            && &text[a.end..b.start] == "-"
            && b.text.len() == 2
            && let Some(m) = numeric_month(b.text)
            && !text[b.end..].starts_with('-')
        {
            found = Some((DateText::Date(StoryDate::Month { year: y, month: m }), 2));
        }
        match found {
            Some((date, n)) => {
                out.push(Found {
                    date,
                    start: t[i].start,
                    end: t[i + n - 1].end,
                });
                i += n;
            }
            None => i += 1,
        }
    }
    out
}

/// Words that may stand around a date in a date line: weekdays, times and zones,
/// and the few words sites put before a date. Compared in lower case.
fn is_date_word(word: &str) -> bool {
    const WORDS: [&str; 27] = [
        "published",
        "updated",
        "posted",
        "last",
        "first",
        "on",
        "at",
        "am",
        "pm",
        "gmt",
        "bst",
        "utc",
        "cet",
        "greenwich",
        "mean",
        "british",
        "summer",
        "time",
        "date",
        "w",
        "c",
        "wc",
        "week",
        "commencing",
        "beginning",
        "starting",
        "of",
    ];
    let w = word.to_ascii_lowercase();
    is_weekday(&w) || WORDS.contains(&w.as_str()) || w.bytes().all(|b| b.is_ascii_digit())
}

/// For a text that opens with a clock time (`3.59pm Trusts were told…`,
/// `4pm: The minister…`, `14:05 BST Pickets…`): the byte offset where the rest
/// starts.
#[must_use]
pub fn leading_time(text: &str) -> Option<usize> {
    let b = text.as_bytes();
    let mut i = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if i == 0 || i > 2 {
        return None;
    }
    let mut clock = false;
    if matches!(b.get(i), Some(b':' | b'.'))
        && b.get(i + 1..i + 3)
            .is_some_and(|m| m.iter().all(u8::is_ascii_digit))
    {
        i += 3;
        clock = true;
    }
    let rest = &text[i..];
    let lower = rest.to_ascii_lowercase();
    let mut j = 0;
    for suffix in ["am", "pm", " am", " pm"] {
        if lower.starts_with(suffix)
            && !lower[suffix.len()..].starts_with(|c: char| c.is_ascii_alphabetic())
        {
            j = suffix.len();
            clock = true;
            break;
        }
    }
    let after = &lower[j..];
    for zone in [" bst", " gmt"] {
        if after.starts_with(zone) {
            j += zone.len();
        }
    }
    if !clock {
        return None;
    }
    let tail = &rest[j..];
    let body =
        tail.trim_start_matches(|c: char| c == ':' || c == '-' || c == '–' || c.is_whitespace());
    let starts_text = body
        .chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || matches!(c, '“' | '"' | '‘'));
    (starts_text && body.split_whitespace().count() >= 3).then(|| text.len() - body.len())
}

/// For a short text ending in a time stamp with no date (`Trumpets and
/// cakespublished at 13:27`, `… updated at 9:05 GMT`): the byte offset where the
/// stamp starts. The stamp's first word may be glued to the text before it.
#[must_use]
pub fn trailing_stamp(text: &str) -> Option<usize> {
    if text.len() > 400 || memchr::memchr(b':', text.as_bytes()).is_none() {
        return None;
    }
    let lower = text.to_ascii_lowercase();
    let at = ["published at", "updated at", "posted at"]
        .iter()
        .filter_map(|w| lower.rfind(w))
        .max()?;
    let rest = &text[at..];
    let has_time = rest.bytes().any(|b| b == b':');
    let only_stamp = tokens(rest).iter().all(|t| is_date_word(t.text));
    (at > 0 && has_time && only_stamp && !text[..at].trim().is_empty()).then_some(at)
}

/// Whether every word of `text` is one that stands around dates (weekdays,
/// times, `Published` …): such text names nothing.
#[must_use]
pub fn only_date_words(text: &str) -> bool {
    tokens(text).iter().all(|t| is_date_word(t.text))
}

/// A text that is a date line: one date (day or month) and nothing else but
/// weekdays, times, zones and words such as `Published`, `Updated`, `w/c`. Gives
/// the date and whether the line says it is an update.
#[must_use]
pub fn date_line(text: &str) -> Option<(DateText, bool)> {
    if text.len() > 90 {
        return None;
    }
    let found = find_all(text);
    let [one] = found.as_slice() else {
        return None;
    };
    let outside = tokens(&text[..one.start])
        .into_iter()
        .chain(tokens(&text[one.end..]))
        .collect::<Vec<_>>();
    if outside.iter().all(|t| is_date_word(t.text)) {
        let updated = outside
            .iter()
            .any(|t| t.text.eq_ignore_ascii_case("updated"));
        return Some((one.date, updated));
    }
    None
}

/// For a short text that ends with a date line glued to other words (`Helen
/// Marsh17 December 2025 11:20`, `Ambulance times quickerpublished at 10:04 GMT
/// 8 December 2022`, `Jane Smith 7 Jun 2024`): the byte offset where the date
/// line starts, and the date. `None` when the text is only a date, or has none
/// at its end.
#[must_use]
pub fn trailing_date(text: &str) -> Option<(usize, DateText)> {
    /// Words that tie a date at the end of a sentence to it.
    const LINKS: [&str; 14] = [
        "until", "on", "by", "from", "in", "since", "before", "after", "of", "to", "and", "or",
        "between", "for",
    ];
    // A date ends with its day or year, and only date words (a time, a zone)
    // may follow it: a digit stands near the end.
    let mut near_end = text.len().saturating_sub(64);
    while !text.is_char_boundary(near_end) {
        near_end += 1;
    }
    if text.len() > 400 || !has_digit(&text[near_end..]) {
        return None;
    }
    let found = find_all(text);
    let last = found.last()?;
    let after = tokens(&text[last.end..]);
    if !after.iter().all(|t| is_date_word(t.text)) {
        return None;
    }
    // Walk back over date words before the date (`published at 10:04 …`); a date
    // word glued to the end of a longer word (`quickerpublished`) is split off.
    let mut start = last.start;
    let before = tokens(&text[..last.start]);
    for t in before.iter().rev() {
        let lower = t.text.to_ascii_lowercase();
        let digits = t.text.bytes().all(|b| b.is_ascii_digit());
        // A time's hours or minutes (`10:04`), never any other number.
        let time = digits
            && t.text.len() <= 2
            && (text[t.end..].starts_with(':') || text[..t.start].ends_with(':'));
        if (is_date_word(t.text) && !digits) || time {
            start = t.start;
            continue;
        }
        if let Some(w) = ["published", "updated", "posted"]
            .iter()
            .find(|w| lower.ends_with(*w) && lower.len() > w.len())
        {
            start = t.end - w.len();
        }
        break;
    }
    let head = text[..start].trim_end_matches(|c: char| {
        c.is_whitespace() || matches!(c, ',' | '|' | '-' | '–' | '·' | '(' | '[')
    });
    // A sentence that ends with a date (`… open until 11 January 2026.`) keeps it.
    let glued = head.len() == start;
    let last_word = head.rsplit(char::is_whitespace).next().unwrap_or("");
    if text.trim_end().ends_with('.') || (!glued && LINKS.contains(&last_word)) {
        return None;
    }
    (!head.trim().is_empty()).then_some((head.len(), last.date))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, dd: u32) -> Option<DateText> {
        NaiveDate::from_ymd_opt(y, m, dd).map(|x| DateText::Date(StoryDate::Day(x)))
    }

    #[test]
    fn day_dates_in_every_written_form() {
        assert_eq!(parse("11 December 2025"), d(2025, 12, 11));
        assert_eq!(parse("3 Feb 2026"), d(2026, 2, 3));
        assert_eq!(parse(" Tuesday 3 February 2026 "), d(2026, 2, 3));
        assert_eq!(parse("Tue, 3rd Feb 2026"), d(2026, 2, 3));
        assert_eq!(parse("February 3, 2026"), d(2026, 2, 3));
        assert_eq!(parse("2025-07-30"), d(2025, 7, 30));
        assert_eq!(parse("4 Sept 2025"), d(2025, 9, 4));
    }

    #[test]
    fn an_iso_month_is_a_month_and_a_financial_year_is_not() {
        let month = |s: &str| find_all(s).first().map(|f| f.date);
        assert_eq!(
            month("date 2023-09 Headline"),
            Some(DateText::Date(StoryDate::Month {
                year: 2023,
                month: 9
            }))
        );
        assert_eq!(month("the 2023-24 budget"), None);
        assert_eq!(month("2023-09-14"), d(2023, 9, 14));
    }

    #[test]
    fn month_dates() {
        assert_eq!(
            parse("December 2025"),
            Some(DateText::Date(StoryDate::Month {
                year: 2025,
                month: 12
            }))
        );
        assert_eq!(
            title_month("The Month – December 2025"),
            Some(StoryDate::Month {
                year: 2025,
                month: 12
            })
        );
        assert_eq!(
            title_month("Health and care sector latest developments"),
            None
        );
    }

    #[test]
    fn impossible_dates_are_reported_not_dates() {
        assert_eq!(parse("31 February 2026"), Some(DateText::Impossible));
        assert_eq!(parse("2025-02-30"), Some(DateText::Impossible));
        assert_eq!(parse("2025-13-01"), Some(DateText::Impossible));
    }

    #[test]
    fn dates_found_in_text() {
        let days = |text: &str| -> Vec<Option<DateText>> {
            find_all(text).into_iter().map(|f| Some(f.date)).collect()
        };
        assert_eq!(days("7 Jun 2024"), [d(2024, 6, 7)]);
        assert_eq!(days("Thursday 31st July 2025 12:00 BST"), [d(2025, 7, 31)]);
        assert_eq!(days("December 11, 2025 09:34 AM"), [d(2025, 12, 11)]);
        assert_eq!(days("Published: 19-Dec-2025"), [d(2025, 12, 19)]);
        assert_eq!(days("03/02/2026"), [d(2026, 2, 3)]);
        assert_eq!(days("Updated 14:32, 3 Feb 2026"), [d(2026, 2, 3)]);
        assert_eq!(days("from 2025-07-30 on"), [d(2025, 7, 30)]);
        assert_eq!(days("Helen Marsh17 December 2025 11:20"), [d(2025, 12, 17)]);
        assert_eq!(
            days("Provider bulletin: 6 March 2019"),
            [d(2019, 3, 6)],
            "a day in a title is a day"
        );
        assert_eq!(
            days("The Month – December 2025"),
            [Some(DateText::Date(StoryDate::Month {
                year: 2025,
                month: 12
            }))]
        );
        assert_eq!(days("It rose 12 per cent in 2025"), []);
    }

    #[test]
    fn date_lines_and_trailing_dates() {
        let line = |t: &str| date_line(t).map(|(d, u)| (Some(d), u));
        assert_eq!(line("Monday 3 February 2026"), Some((d(2026, 2, 3), false)));
        assert_eq!(
            line("Published: 19-Dec-2025"),
            Some((d(2025, 12, 19), false))
        );
        assert_eq!(
            line("Updated 14:32, 3 Feb 2026"),
            Some((d(2026, 2, 3), true))
        );
        assert_eq!(line("w/c 28th July 2025"), Some((d(2025, 7, 28), false)));
        assert_eq!(line("Provider bulletin: 6 March 2019"), None);
        assert_eq!(line("Open until 11 January 2026."), None);

        let glued = "Ambulance times quickerpublished at 10:04 Greenwich Mean Time 8 December 2022";
        let (at, date) = trailing_date(glued).unwrap_or((0, DateText::Impossible));
        assert_eq!(&glued[..at], "Ambulance times quicker");
        assert_eq!(Some(date), d(2022, 12, 8));
        let poster = "Helen Marsh17 December 2025 11:20";
        assert_eq!(
            trailing_date(poster).map(|(at, _)| &poster[..at]),
            Some("Helen Marsh")
        );
        assert_eq!(
            trailing_date("Jane Smith 7 Jun 2024").map(|(at, _)| at),
            Some(10)
        );
        assert_eq!(trailing_date("7 Jun 2024"), None);
        assert_eq!(leading_time("3.59pm Trusts were told to act now"), Some(7));
        assert_eq!(leading_time("4pm: The minister said it again"), Some(5));
        assert_eq!(
            leading_time("14:05 BST Pickets formed early today"),
            Some(10)
        );
        assert_eq!(leading_time("12 trusts were told to act now"), None);
        assert_eq!(leading_time("2025 was a hard year for all"), None);
        let stamp = "2. Trumpets and cakespublished at 13:27";
        assert_eq!(
            trailing_stamp(stamp).map(|at| &stamp[..at]),
            Some("2. Trumpets and cakes")
        );
        assert_eq!(trailing_stamp("Published at 13:27"), None);
        assert_eq!(trailing_stamp("It was published at length"), None);
        assert_eq!(trailing_date("Open until 11 January 2026 for views"), None);
        assert_eq!(
            trailing_date("The consultation is open until 11 January 2026."),
            None
        );
        assert_eq!(trailing_date("Responses are due by 11 January 2026"), None);
    }

    #[test]
    fn sentences_are_not_dates() {
        assert_eq!(
            parse("The consultation is open until 11 January 2026."),
            None
        );
        assert_eq!(parse("May the best win"), None);
        assert_eq!(parse("12 angry men"), None);
        assert_eq!(parse("3 May 10000"), None);
        assert_eq!(parse(""), None);
    }
}
