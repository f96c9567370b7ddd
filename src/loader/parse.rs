//! One document's text → its stories. Pure: cleaned text in, stories out.
//!
//! The text is split into paragraphs (`para`), the paragraphs into units and
//! their roles decoded and cut into stories (`segment`, `features`, `model`);
//! this module stores the stories' text and says what went wrong.
//!
//! A plain digest (see [`plain_digest`]) leaves nothing for the segmenter to
//! decide, so it is cut without it: several times faster on the layout that
//! large archives are made of, with the same stories.

use crate::loader::date::{self, DateText};
use crate::loader::model::Model;
use crate::loader::para::{self, Para};
use crate::loader::{features, segment};
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

/// A warning when a document was probably mis-read: a long file with several
/// date lines read as one story.
fn low_confidence(stories: usize, date_lines: usize, units: usize) -> Option<String> {
    (stories == 1 && date_lines >= 3 && units >= 20).then(|| {
        format!(
            "read as one story although it has {date_lines} date lines: its layout may not \
             have been recognised (`sitrep explain` shows how it was read)"
        )
    })
}

/// Parses cleaned document text.
#[must_use]
pub fn parse(text: &str) -> Parsed {
    parse_in(text, String::new())
}

/// [`parse`] writing the document text into `buf` (emptied first), so that a
/// caller can hand back the buffer of a document it does not keep.
#[must_use]
pub fn parse_in(text: &str, buf: String) -> Parsed {
    parse_with(text, buf, Model::shipped())
}

/// [`parse_in`] with the given segmenter weights.
#[must_use]
pub fn parse_with(text: &str, mut buf: String, model: &Model) -> Parsed {
    buf.clear();
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
    if let Some(digest) = plain_digest(&paras) {
        out.text.reserve(text.len());
        out.source = digest.title.map(str::to_string);
        for (date, headline, body) in digest.stories {
            out.add(date, Some(headline), None, &body);
        }
        return out;
    }
    let units = segment::units(&paras);
    let (shapes, scores) = features::scores(&units, model);
    let roles = segment::roles(&units, &shapes, &scores, model);
    drop(scores);
    let cut = segment::assemble(&units, &shapes, &roles);
    let date_lines = shapes
        .iter()
        .filter(|s| features::date_of(s).is_some())
        .count();
    // The story text is copied out next: what only the segmenter needed goes
    // first, so the two are never held at once.
    drop((shapes, roles));
    out.text.reserve(text.len());
    if let Some(w) = low_confidence(cut.stories.len(), date_lines, units.len()) {
        out.warn(None, w);
    }
    out.source = cut.title;
    let mut undated = false;
    for d in cut.stories {
        for (line, date) in &d.impossible {
            let reason = format!("impossible date {date:?}: its stories are undated");
            if !out.warnings.iter().any(|w| w.1 == reason) {
                out.warn(Some(*line), reason);
            }
        }
        undated |= d.date == StoryDate::Undated && d.impossible.is_empty();
        out.add(d.date, d.headline, d.byline.as_deref(), &d.body);
    }
    if undated {
        out.warn(None, "no date found: its story is undated");
    }
    out
}

/// A digest in its plainest form, as [`plain_digest`] reads it.
pub struct PlainDigest<'t> {
    /// The title (the source).
    pub title: Option<&'t str>,
    /// Date, headline and body paragraphs of each story.
    pub stories: Vec<(StoryDate, &'t str, Vec<&'t str>)>,
}

/// The paragraphs as a plain digest, when they are one: up to three short
/// single-line paragraphs (a label, the title, a standfirst), then day-date
/// paragraphs, each followed by stories that are a headline and body paragraphs
/// of prose. Every paragraph must be plainly what its place says: a date is a
/// line that is only a day's date, a headline reads as one, a body paragraph
/// does not, and none looks like page furniture, a caption or a lead-in to a
/// quote. Anything else (`None`) is left to the segmenter.
#[must_use]
pub fn plain_digest<'t>(paras: &'t [Para<'t>]) -> Option<PlainDigest<'t>> {
    let day = |p: &Para<'_>| {
        if p.lines != 1 {
            return None;
        }
        match date::parse(&p.text)? {
            DateText::Date(d @ StoryDate::Day(_)) => Some(d),
            _ => None,
        }
    };
    let first_date = paras.iter().take(4).position(|p| day(p).is_some())?;
    let preamble = paras.get(..first_date)?;
    if preamble
        .iter()
        .any(|p| p.lines != 1 || p.text.chars().count() > 160 || para::is_furniture(&p.text))
    {
        return None;
    }
    let mut stories: Vec<(StoryDate, &str, Vec<&str>)> = Vec::new();
    let mut date = None;
    let mut open = false;
    for p in paras.get(first_date..)? {
        let text: &str = p.text.as_ref();
        if let Some(d) = day(p) {
            // A date under a headline with no body yet is not plain.
            if stories.last().is_some_and(|s| s.2.is_empty()) {
                return None;
            }
            date = Some(d);
            open = false;
            continue;
        }
        let headline = !p.list && para::headline_like(p);
        // Furniture and captions do not end as sentences: only a paragraph
        // that is not body text can be one.
        if headline && (para::is_furniture(text) || para::is_caption(text)) {
            return None;
        }
        let body_ok = stories.last().is_some_and(|s| !s.2.is_empty());
        if headline {
            // A headline follows a date or a story with body; never another
            // headline or a quote's lead-in.
            let after_lead_in = stories
                .last()
                .and_then(|s| s.2.last())
                .is_some_and(|b| para::ends_with_colon(b));
            if (open && !body_ok) || after_lead_in {
                return None;
            }
            stories.push((date?, text, Vec::new()));
            open = true;
        } else if open && (p.list || para::ends_sentence(text)) {
            stories.last_mut()?.2.push(text);
        } else {
            return None;
        }
    }
    if stories.is_empty() || stories.iter().any(|s| s.2.is_empty()) {
        return None;
    }
    Some(PlainDigest {
        // The title is the first that is not a one-word label or a sentence.
        title: preamble
            .iter()
            .find(|p| p.text.split_whitespace().nth(1).is_some() && !para::ends_sentence(&p.text))
            .map(|p| p.text.as_ref()),
        stories,
    })
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
    fn one_story_over_many_date_lines_is_flagged() {
        assert!(low_confidence(1, 5, 40).is_some_and(|w| w.contains("5 date lines")));
        assert_eq!(low_confidence(4, 5, 40), None, "several stories");
        assert_eq!(low_confidence(1, 2, 40), None, "few dates");
        assert_eq!(low_confidence(1, 5, 10), None, "a short file");
    }

    #[test]
    #[allow(clippy::expect_used)]
    fn a_plain_digest_is_cut_by_the_digest_rule() {
        let text = "Article\n\nHealth news latest\n\nWhat changed this week.\n\n\
                    3 March 2026\n\nNurses vote on pay\n\nThe ballot opens today.\n\n\
                    It runs to May.\n\nNew clinic opens\n\nIt serves the town.\n\n\
                    2 March 2026\n\nWaiting lists fall\n\nFewer people wait.\n";
        let (paras, _) = para::split(text);
        let digest = plain_digest(&paras).expect("a plain digest");
        assert_eq!(digest.title, Some("Health news latest"));
        let cut: Vec<(&str, usize)> = digest
            .stories
            .iter()
            .map(|(_, h, body)| (*h, body.len()))
            .collect();
        assert_eq!(
            cut,
            [
                ("Nurses vote on pay", 2),
                ("New clinic opens", 1),
                ("Waiting lists fall", 1)
            ]
        );
        let p = parse(text);
        assert_eq!(
            headlines(&p),
            [
                "Nurses vote on pay",
                "New clinic opens",
                "Waiting lists fall"
            ]
        );
        assert_eq!(p.source.as_deref(), Some("Health news latest"));
        // Anything that is not plainly a date, headline or body leaves the
        // document to the segmenter: a lead-in to a quote, a body paragraph
        // with no sentence end, a caption, a headline with no body.
        for odd in [
            "The nurse said:\n\nWe will vote\n\nThat was all.",
            "Uptake has risen to 48 per cent",
            "Wards reopen\n\nStaff at work. Picture: Jo Bloggs/PA",
            "Wards reopen",
        ] {
            let text =
                format!("3 March 2026\n\nNurses vote on pay\n\nThe ballot opens.\n\n{odd}\n");
            let (paras, _) = para::split(&text);
            assert!(plain_digest(&paras).is_none(), "{odd:?}");
        }
        // A date too far down is not a digest's.
        let (paras, _) = para::split("A\n\nB\n\nC\n\nD\n\n3 March 2026\n\nHead\n\nBody.\n");
        assert!(plain_digest(&paras).is_none());
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
        // A long line over a body is one story, dated, with nothing lost.
        let digest = parse(&format!("3 March 2026\n\n{long}\n\nIts body.\n"));
        assert_eq!(digest.stories.len(), 1);
        assert!(digest.text.contains(long) && digest.text.contains("Its body."));
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
