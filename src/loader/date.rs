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
