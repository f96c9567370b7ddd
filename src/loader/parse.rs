//! One document's text → its stories. Pure: cleaned text in, stories out.
//!
//! Shapes, tried in order: dated article (` date YYYY-MM-DD …` first line),
//! bulletin (a title ending in a month and year), digest (date paragraphs with
//! stories under them), and anything else (first line is the headline).
//! See FORMATS.md for the shapes; the judgements on single paragraphs live in `para`.

use crate::loader::date::{self, DateText};
use crate::loader::para::{self, Para};
use crate::story::{Span, StoryDate};

/// A story as parsed, before it gets an id; spans point into [`Parsed::text`].
#[derive(Debug, Clone)]
pub struct ParsedStory {
    /// When.
    pub date: StoryDate,
    /// The headline.
    pub headline: Span,
    /// The byline, if any.
    pub byline: Option<Span>,
    /// The body paragraphs.
    pub paras: Vec<Span>,
    /// True when the headline is the first sentence of the body.
    pub derived_headline: bool,
}

/// A parsed document.
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    /// The document's title, when it has one (else the caller names the source).
    pub source: Option<String>,
    /// The kept text: headlines, bylines and body paragraphs, once each.
    pub text: String,
    /// Its stories, in document order.
    pub stories: Vec<ParsedStory>,
    /// Problems: (line, reason).
    pub warnings: Vec<(Option<usize>, String)>,
}

impl Parsed {
    fn push(&mut self, s: &str) -> Span {
        if !self.text.is_empty() {
            self.text.push_str("\n\n");
        }
        let start = u32::try_from(self.text.len()).unwrap_or(u32::MAX);
        self.text.push_str(s);
        let end = u32::try_from(self.text.len()).unwrap_or(u32::MAX);
        Span { start, end }
    }

    fn warn(&mut self, line: Option<usize>, reason: impl Into<String>) {
        self.warnings.push((line, reason.into()));
    }

    /// Adds a story from its parts; a story with no headline takes the first
    /// sentence of its first paragraph.
    fn add(
        &mut self,
        date: StoryDate,
        headline: Option<&str>,
        byline: Option<&str>,
        body: &[&str],
    ) {
        let headline_span = headline.map(|h| self.push(h));
        let byline = byline.map(|b| self.push(b));
        let paras: Vec<Span> = body.iter().map(|p| self.push(p)).collect();
        let (headline, derived_headline) = match (headline_span, paras.first()) {
            (Some(h), _) => (h, false),
            (None, Some(&first)) => {
                let text = &self.text[first.range()];
                let end = para::first_sentence_end(text).unwrap_or(text.len());
                let sentence = text[..end].trim_end();
                let cut = shorten(sentence.strip_suffix('.').unwrap_or(sentence));
                let len = u32::try_from(cut.len()).unwrap_or(0);
                (
                    Span {
                        start: first.start,
                        end: first.start + len,
                    },
                    true,
                )
            }
            (None, None) => return,
        };
        self.stories.push(ParsedStory {
            date,
            headline,
            byline,
            paras,
            derived_headline,
        });
    }
}

/// The longest headline kept as printed; a derived headline is cut to this.
const LONG_HEADLINE_CHARS: usize = 200;

/// `text` cut to at most [`LONG_HEADLINE_CHARS`] characters, at a space when there
/// is one, so a page-long "first sentence" does not become the headline.
fn shorten(text: &str) -> &str {
    match text.char_indices().nth(LONG_HEADLINE_CHARS) {
        None => text,
        Some((limit, _)) => {
            let head = &text[..limit];
            head.rfind(char::is_whitespace)
                .map_or(head, |space| head[..space].trim_end())
        }
    }
}

/// Parses cleaned document text.
#[must_use]
pub fn parse(text: &str) -> Parsed {
    parse_in(text, String::new())
}

/// [`parse`] writing the document text into `buf` (emptied first), so that a
/// caller can hand back the buffer of a document it does not keep.
#[must_use]
pub fn parse_in(text: &str, mut buf: String) -> Parsed {
    buf.clear();
    buf.reserve(text.len());
    let mut out = Parsed {
        text: buf,
        ..Parsed::default()
    };
    let (paras, capped) = para::split(text);
    if paras.is_empty() {
        out.warn(None, "empty file: no text");
        return out;
    }
    if capped {
        out.warn(
            paras.last().map(|p| p.line),
            format!(
                "more than {} paragraphs: the rest of the file is kept as one paragraph",
                para::MAX_PARAS
            ),
        );
    }
    if let Some(rest) = article_date(&paras[0]) {
        article(&mut out, &paras, rest);
        return out;
    }
    let start = usize::from(paras[0].text == "Article");
    if let Some(title) = paras.get(start)
        && title.lines == 1
        && title.text.chars().count() <= 100
        && date::parse(&title.text).is_none()
        && let Some(month) = date::title_month(&title.text)
    {
        bulletin(&mut out, &paras[start + 1..], title, month);
        return out;
    }
    // A digest has a day-date paragraph with a headline under it; a letter that
    // merely starts with a date ("Dear colleague,") is "anything else".
    if paras.windows(2).any(|w| {
        w[0].lines == 1
            && date::parse(&w[0].text).is_some_and(|d| {
                matches!(d, DateText::Impossible | DateText::Date(StoryDate::Day(_)))
            })
            && opens_story(&w[1])
    }) {
        digest(&mut out, &paras[start..]);
        return out;
    }
    fallback(&mut out, &paras);
    out
}

/// Whether a paragraph after a date can be a digest story's headline: it reads as
/// one, or is at least not prose or a salutation (a long headline still counts).
fn opens_story(p: &Para<'_>) -> bool {
    let prose = p.list || para::ends_sentence(&p.text) || p.text.ends_with(',');
    para::headline_like(p) || !prose
}

/// For an article's first paragraph, the date text and what follows it.
fn article_date<'p>(first: &'p Para<'_>) -> Option<(&'p str, &'p str)> {
    let rest = first.text.trim_start().strip_prefix("date ")?;
    let rest = rest.trim_start();
    let (day, after) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    (day.len() == 10 && day.as_bytes()[4] == b'-').then_some((day, after.trim()))
}

fn article(out: &mut Parsed, paras: &[Para<'_>], (day, headline): (&str, &str)) {
    let date = if let Some(DateText::Date(d)) = date::parse(day) {
        d
    } else {
        out.warn(
            Some(paras[0].line),
            format!("impossible date {day:?}: story left undated"),
        );
        StoryDate::Undated
    };
    let headline_ok = !headline.is_empty()
        && !para::is_furniture(headline)
        && headline.chars().count() <= LONG_HEADLINE_CHARS
        && para::first_sentence_end(headline).is_none();
    let mut rest = &paras[1..];
    let byline = rest.first().and_then(|p| para::by_line(&p.text));
    if byline.is_some() {
        rest = &rest[1..];
    }
    let body: Vec<&str> = rest
        .iter()
        .map(|p| p.text.as_ref())
        .filter(|t| !para::is_caption(t) && !para::is_furniture(t))
        .collect();
    if !headline_ok && body.is_empty() {
        out.warn(Some(paras[0].line), "no story text after the date line");
        return;
    }
    out.add(date, headline_ok.then_some(headline), byline, &body);
}

fn bulletin(out: &mut Parsed, paras: &[Para<'_>], title: &Para<'_>, month: StoryDate) {
    let name = title
        .text
        .rsplitn(3, char::is_whitespace)
        .nth(2)
        .unwrap_or("")
        .trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '–' | '—' | '-' | ':' | ','));
    out.source = Some(if name.is_empty() {
        title.text.to_string()
    } else {
        name.to_string()
    });
    // The footer, and a short heading over it ("Your feedback matters").
    let mut end = paras.len();
    while let Some(p) = end.checked_sub(1).map(|i| &paras[i]) {
        let heading = end < paras.len()
            && para::headline_like(p)
            && p.text.to_lowercase().contains("feedback");
        if !heading && !para::is_feedback_footer(&p.text) {
            break;
        }
        end -= 1;
    }
    stories(out, &paras[..end], month, true);
}

fn digest(out: &mut Parsed, paras: &[Para<'_>]) {
    let first_date = paras
        .iter()
        .position(|p| p.lines == 1 && date::parse(&p.text).is_some())
        .unwrap_or(0);
    // Before the first date: the title (the source) and a standfirst.
    if let Some(title) = paras[..first_date].first() {
        out.source = Some(title.text.to_string());
    }
    let mut i = first_date;
    while i < paras.len() {
        let date = if let Some(DateText::Date(d)) = date::parse(&paras[i].text) {
            d
        } else {
            out.warn(
                Some(paras[i].line),
                format!(
                    "impossible date {:?}: its stories are undated",
                    paras[i].text
                ),
            );
            StoryDate::Undated
        };
        let next = paras[i + 1..]
            .iter()
            .position(|p| p.lines == 1 && date::parse(&p.text).is_some())
            .map_or(paras.len(), |n| i + 1 + n);
        stories(out, &paras[i + 1..next], date, false);
        i = next;
    }
}

fn fallback(out: &mut Parsed, paras: &[Para<'_>]) {
    let mut rest = paras;
    let mut date = StoryDate::Undated;
    match date::parse(&rest[0].text) {
        Some(DateText::Date(d)) => {
            date = d;
            rest = &rest[1..];
        }
        Some(DateText::Impossible) => {
            out.warn(
                Some(rest[0].line),
                format!("impossible date {:?}", rest[0].text),
            );
            rest = &rest[1..];
        }
        None => {}
    }
    if date == StoryDate::Undated {
        out.warn(None, "no date found: its story is undated");
    }
    let Some(first) = rest.first() else {
        return;
    };
    // The first line is the headline; the rest of its paragraph joins the body.
    let line = first.first_line;
    let more = first.text.get(line.len() + 1..).filter(|m| !m.is_empty());
    let mut body: Vec<&str> = more.into_iter().collect();
    body.extend(rest[1..].iter().map(|p| p.text.as_ref()));
    if line.chars().count() > LONG_HEADLINE_CHARS {
        body.insert(0, first.text.as_ref());
        out.add(date, None, None, &body);
    } else {
        out.add(date, Some(line), None, &body);
    }
}

/// Splits a run of paragraphs into stories. A paragraph starts a new story when it
/// reads as a headline, the story before it already has body text that does not
/// lead into it (no closing colon), and what follows is body text. In a
/// bulletin, a `Name, Role` line straight after a headline is its byline.
///
/// What follows is body text when it does not read as a headline, or when it does
/// but cannot start a story itself (nothing body-like after it: the end of the run or
/// another headline) and is longer than the paragraph before it. So a short body
/// paragraph without a full stop (`Uptake has risen to 48 per cent`) does not take
/// its story's headline away, while `Read more` before the next headline stays body.
fn stories(out: &mut Parsed, paras: &[Para<'_>], date: StoryDate, bulletin: bool) {
    struct Draft<'t> {
        headline: Option<&'t str>,
        byline: Option<&'t str>,
        body: Vec<&'t str>,
    }
    let heads: Vec<bool> = paras.iter().map(para::headline_like).collect();
    let is_body = |i: usize| {
        let p = &paras[i];
        p.list || !heads[i] || (bulletin && para::is_role_byline(p))
    };
    let chars = |p: &Para<'_>| p.text.chars().count();
    // starts[i]: paragraph i is a headline with body after it (decided from the end).
    let mut starts = vec![false; paras.len()];
    for i in (0..paras.len()).rev() {
        starts[i] = heads[i]
            && paras.get(i + 1).is_some_and(|next| {
                is_body(i + 1) || (!starts[i + 1] && chars(next) > chars(&paras[i]))
            });
    }
    let mut drafts: Vec<Draft<'_>> = Vec::new();
    let mut i = 0;
    while i < paras.len() {
        let p = &paras[i];
        let may_start = drafts
            .last()
            .is_none_or(|d| d.body.last().is_some_and(|b| !para::ends_with_colon(b)));
        if may_start && starts[i] {
            let mut draft = Draft {
                headline: Some(p.text.as_ref()),
                byline: None,
                body: Vec::new(),
            };
            i += 1;
            if bulletin && paras.get(i + 1).is_some() && para::is_role_byline(&paras[i]) {
                draft.byline = Some(paras[i].text.as_ref());
                i += 1;
            }
            drafts.push(draft);
            continue;
        }
        match drafts.last_mut() {
            Some(d) => d.body.push(p.text.as_ref()),
            None => drafts.push(Draft {
                headline: None,
                byline: None,
                body: vec![p.text.as_ref()],
            }),
        }
        i += 1;
    }
    for d in drafts {
        out.add(date, d.headline, d.byline, &d.body);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headlines(p: &Parsed) -> Vec<&str> {
        p.stories
            .iter()
            .map(|s| &p.text[s.headline.range()])
            .collect()
    }

    #[test]
    fn empty_and_blank_text_warn() {
        assert!(parse("").stories.is_empty());
        assert_eq!(parse(" \n\u{a0}\n\t\n").warnings.len(), 1);
    }

    #[test]
    fn fallback_takes_first_line_as_headline() {
        let p = parse("A plain note\nwith more text.\n\nSecond paragraph.");
        assert_eq!(headlines(&p), ["A plain note"]);
        assert_eq!(p.stories[0].paras.len(), 2);
        assert_eq!(p.stories[0].date, StoryDate::Undated);
        assert_eq!(p.warnings.len(), 1);
        let p = parse("March 2026\n\nA plain note\n\nBody.");
        assert_eq!(headlines(&p), ["A plain note"]);
        assert_eq!(
            p.stories[0].date,
            StoryDate::Month {
                year: 2026,
                month: 3
            }
        );
        assert!(p.warnings.is_empty());
    }

    #[test]
    fn article_with_appeal_derives_headline() {
        let p = parse(
            " date 2025-07-30 Your support helps us to tell the story Read more\n\nDoctors will strike again, the union said. More follows.\n\nBody.",
        );
        assert_eq!(headlines(&p), ["Doctors will strike again, the union said"]);
        assert!(p.stories[0].derived_headline);
        assert!(!p.text.contains("support"));
    }

    #[test]
    fn a_date_over_a_letter_is_not_a_digest() {
        let letter = parse("3 March 2026\n\nDear colleague,\n\nThank you.\n");
        assert_eq!(headlines(&letter), ["Dear colleague,"]);
        assert!(!letter.stories[0].derived_headline);
        let long = "A very long headline that goes on and on for rather more than the \
                    eighteen words a headline is normally allowed to have here";
        let digest = parse(&format!("3 March 2026\n\n{long}\n\nIts body.\n"));
        assert_eq!(digest.stories[0].paras.len(), 2);
        assert!(digest.stories[0].derived_headline);
        assert!(digest.warnings.is_empty());
    }

    #[test]
    fn a_derived_headline_is_cut_at_a_word() {
        let long = "word ".repeat(100);
        let p = parse(&long);
        let h = headlines(&p)[0];
        assert!(h.chars().count() <= LONG_HEADLINE_CHARS && h.ends_with("word"));
        assert!(p.stories[0].derived_headline);
        assert_eq!(shorten(&"x".repeat(300)).len(), LONG_HEADLINE_CHARS);
    }
}
