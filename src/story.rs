//! The story list: `Story`, `StoryId`, `StoryDate` and the `Library` that holds them.
//!
//! Pure data, no file system and no terminal. Each document's cleaned text is kept
//! once ([`Doc::text`]); stories refer into it with [`Span`]s, so a large library costs
//! little more than its text.

use std::cmp::Ordering;
use std::fmt;
use std::ops::Range;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// A byte range into a document's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    /// First byte.
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
}

impl Span {
    /// The range as `usize` bounds.
    #[must_use]
    pub fn range(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// When a story happened: a day, a month (bulletins), or unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum StoryDate {
    /// A calendar day.
    Day(NaiveDate),
    /// A month of a year (`month` is 1–12).
    Month {
        /// The year.
        year: i32,
        /// The month, 1–12.
        month: u32,
    },
    /// No date found.
    #[default]
    Undated,
}

impl StoryDate {
    /// Key that sorts ascending from oldest to newest; a month sorts below the days of
    /// that month, undated below everything.
    fn key(self) -> (u8, i32, u32, u32) {
        match self {
            StoryDate::Day(d) => (1, d.year(), d.month(), d.day()),
            StoryDate::Month { year, month } => (1, year, month, 0),
            StoryDate::Undated => (0, 0, 0, 0),
        }
    }

    /// Orders newest first (for `sort_by`).
    #[must_use]
    pub fn newest_first(a: &Self, b: &Self) -> Ordering {
        b.key().cmp(&a.key())
    }

    /// The machine form: `YYYY-MM-DD`, `YYYY-MM`, or `None`.
    #[must_use]
    pub fn iso(self) -> Option<String> {
        match self {
            // As chrono's `%Y-%m-%d` writes it, without its format machinery for
            // the common four-digit years (ids are hashed from this).
            StoryDate::Day(d) if (0..=9999).contains(&d.year()) => {
                Some(format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day()))
            }
            StoryDate::Day(d) => Some(d.format("%Y-%m-%d").to_string()),
            StoryDate::Month { year, month } => Some(format!("{year:04}-{month:02}")),
            StoryDate::Undated => None,
        }
    }

    /// Parses the machine form written by [`StoryDate::iso`].
    #[must_use]
    pub fn from_iso(s: Option<&str>) -> Self {
        let Some(s) = s else {
            return StoryDate::Undated;
        };
        if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
            return StoryDate::Day(d);
        }
        let mut parts = s.splitn(2, '-');
        match (
            parts.next().and_then(|y| y.parse().ok()),
            parts.next().and_then(|m| m.parse().ok()),
        ) {
            (Some(year), Some(month)) if (1..=12).contains(&month) => {
                StoryDate::Month { year, month }
            }
            _ => StoryDate::Undated,
        }
    }
}

impl fmt::Display for StoryDate {
    /// `Tue 3 Feb 2026`, `December 2025` or `Undated`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoryDate::Day(d) => write!(f, "{}", d.format("%a %-d %b %Y")),
            StoryDate::Month { year, month } => {
                let name = NaiveDate::from_ymd_opt(*year, *month, 1)
                    .map_or_else(|| format!("{month:02}"), |d| d.format("%B").to_string());
                write!(f, "{name} {year}")
            }
            StoryDate::Undated => f.write_str("Undated"),
        }
    }
}

/// A story's stable identity: xxh3-64 of `date\nheadline\nfirst paragraph`
/// (date in its [`StoryDate::iso`] form, empty when undated), shown as 16 hex digits.
/// The same story gets the same id on every machine, run and release, whatever
/// the file is called.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub struct StoryId(pub u64);

impl StoryId {
    /// Computes the id of a story from its content.
    #[must_use]
    pub fn compute(date: StoryDate, headline: &str, first_paragraph: &str) -> Self {
        Self::compute_in(&mut String::new(), date, headline, first_paragraph)
    }

    /// [`StoryId::compute`] using `buf` as scratch space.
    pub fn compute_in(
        buf: &mut String,
        date: StoryDate,
        headline: &str,
        first_paragraph: &str,
    ) -> Self {
        let date = date.iso().unwrap_or_default();
        buf.clear();
        buf.reserve(date.len() + headline.len() + first_paragraph.len() + 2);
        buf.push_str(&date);
        buf.push('\n');
        buf.push_str(headline);
        buf.push('\n');
        buf.push_str(first_paragraph);
        StoryId(xxhash_rust::xxh3::xxh3_64(buf.as_bytes()))
    }

    /// Parses 16 hex digits (case-insensitive).
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        if s.len() != 16 {
            return None;
        }
        u64::from_str_radix(s, 16).ok().map(StoryId)
    }
}

impl fmt::Display for StoryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:016x}", self.0)
    }
}

impl From<StoryId> for String {
    fn from(id: StoryId) -> Self {
        id.to_string()
    }
}

impl TryFrom<String> for StoryId {
    type Error = String;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        StoryId::parse(&s).ok_or_else(|| format!("not a story id: {s:?}"))
    }
}

/// One loaded document: its cleaned text (the kept paragraphs only), where it came
/// from, and its source name.
#[derive(Debug, Clone)]
pub struct Doc {
    /// The file path (cleaned for display), or `bundled:<name>`.
    pub origin: String,
    /// The file itself, for handing to an editor (`None` when bundled).
    pub path: Option<std::path::PathBuf>,
    /// The publication or title the stories came from.
    pub source: String,
    /// Kept text; stories point into it.
    pub text: String,
}

/// One story. Text fields are spans into its document's text.
#[derive(Debug, Clone)]
pub struct Story {
    /// Stable content hash.
    pub id: StoryId,
    /// When.
    pub date: StoryDate,
    /// Index of the document in [`Library::docs`].
    pub doc: u32,
    /// The headline (for a derived headline, the first sentence of the first paragraph).
    pub headline: Span,
    /// The byline, when there is one.
    pub byline: Option<Span>,
    /// Indices into [`Library::paras`].
    pub paras: Range<u32>,
    /// True when the headline was taken from the first sentence.
    pub derived_headline: bool,
}

/// A problem met while loading one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// The file (cleaned for display), or `bundled:<name>`.
    pub file: String,
    /// The file itself (its real name, bytes and all), when the warning is about one.
    pub path: Option<std::path::PathBuf>,
    /// 1-based line, when the problem has one.
    pub line: Option<usize>,
    /// What went wrong, in plain words.
    pub reason: String,
    /// True when the file could not be read at all (nothing loaded from it).
    pub fatal: bool,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.file, line, self.reason),
            None => write!(f, "{}: {}", self.file, self.reason),
        }
    }
}

/// Every loaded story, newest first, plus what went wrong while loading.
#[derive(Debug, Clone, Default)]
pub struct Library {
    /// The documents, in load order.
    pub docs: Vec<Doc>,
    /// Paragraph spans of all stories; a story owns a contiguous run.
    pub paras: Vec<Span>,
    /// The stories, newest first; same-date stories keep file and document order.
    pub stories: Vec<Story>,
    /// Per-file warnings.
    pub warnings: Vec<Warning>,
    /// How many files were looked at.
    pub files: usize,
}

impl Library {
    fn slice(&self, doc: u32, span: Span) -> &str {
        self.docs
            .get(doc as usize)
            .and_then(|d| d.text.get(span.range()))
            .unwrap_or("")
    }

    /// The headline of `story`.
    #[must_use]
    pub fn headline(&self, story: &Story) -> &str {
        self.slice(story.doc, story.headline)
    }

    /// The byline of `story`, if any.
    #[must_use]
    pub fn byline(&self, story: &Story) -> Option<&str> {
        story.byline.map(|b| self.slice(story.doc, b))
    }

    /// The source (publication or title) of `story`.
    #[must_use]
    pub fn source(&self, story: &Story) -> &str {
        self.docs.get(story.doc as usize).map_or("", |d| &d.source)
    }

    /// Whether `story`'s source names a publication or title, not only the file
    /// it came from (a document without a title is named after its file).
    #[must_use]
    pub fn has_named_source(&self, story: &Story) -> bool {
        let Some(d) = self.docs.get(story.doc as usize) else {
            return false;
        };
        let origin = d.origin.strip_prefix("bundled:").unwrap_or(&d.origin);
        let origin = origin.split(", message ").next().unwrap_or(origin);
        let stem = std::path::Path::new(origin)
            .file_stem()
            .map(|s| s.to_string_lossy());
        !d.source.trim().is_empty() && stem.as_deref() != Some(d.source.as_str())
    }

    /// The file `story` was loaded from, if it came from one.
    #[must_use]
    pub fn path(&self, story: &Story) -> Option<&std::path::Path> {
        self.docs.get(story.doc as usize)?.path.as_deref()
    }

    /// Where `story` was loaded from.
    #[must_use]
    pub fn origin(&self, story: &Story) -> &str {
        self.docs.get(story.doc as usize).map_or("", |d| &d.origin)
    }

    /// The body paragraphs of `story`; a bullet list is one paragraph of lines.
    pub fn paragraphs<'a>(&'a self, story: &Story) -> impl Iterator<Item = &'a str> + 'a {
        let range = story.paras.start as usize..story.paras.end as usize;
        let doc = story.doc;
        self.paras
            .get(range)
            .unwrap_or(&[])
            .iter()
            .map(move |&span| self.slice(doc, span))
    }

    /// Finds a story by id.
    #[must_use]
    pub fn find(&self, id: StoryId) -> Option<&Story> {
        self.stories.iter().find(|s| s.id == id)
    }

    /// A library of only the stories at positions `keep` (in that order), with
    /// just their text copied: headline, byline and paragraphs read the same, so
    /// they match and rank the same. Without `bodies`, only headlines and bylines
    /// are copied (the stories have no paragraphs): enough for a listing.
    /// Documents without a kept story are left out; warnings and the file count
    /// stay.
    #[must_use]
    pub fn extract(&self, keep: &[u32], bodies: bool) -> Library {
        let mut out = Library {
            warnings: self.warnings.clone(),
            files: self.files,
            ..Library::default()
        };
        let kept = || keep.iter().filter_map(|&i| self.stories.get(i as usize));
        let body = |story: &Story| {
            let range = story.paras.start as usize..story.paras.end as usize;
            self.paras
                .get(range)
                .filter(|_| bodies)
                .unwrap_or(&[])
                .iter()
        };
        // Each new text is sized once: the bytes copied into it.
        let mut sizes = vec![0; self.docs.len()];
        for story in kept() {
            if let Some(size) = sizes.get_mut(story.doc as usize) {
                *size += story.headline.range().len()
                    + story.byline.map_or(0, |b| b.range().len())
                    + body(story).map(|p| p.range().len()).sum::<usize>();
            }
        }
        out.stories.reserve_exact(keep.len());
        out.paras
            .reserve_exact(kept().map(|story| body(story).len()).sum());
        // Old document index → new one.
        let mut docs: Vec<Option<u32>> = vec![None; self.docs.len()];
        for story in kept() {
            let Some(old) = self.docs.get(story.doc as usize) else {
                continue;
            };
            let doc = *docs[story.doc as usize].get_or_insert_with(|| {
                out.docs.push(Doc {
                    origin: old.origin.clone(),
                    path: old.path.clone(),
                    source: old.source.clone(),
                    text: String::with_capacity(sizes[story.doc as usize]),
                });
                u32::try_from(out.docs.len() - 1).unwrap_or(u32::MAX)
            });
            let Some(new) = out.docs.get_mut(doc as usize) else {
                continue;
            };
            let mut copy = |span: Span| {
                let start = u32::try_from(new.text.len()).unwrap_or(u32::MAX);
                new.text.push_str(old.text.get(span.range()).unwrap_or(""));
                let end = u32::try_from(new.text.len()).unwrap_or(u32::MAX);
                Span { start, end }
            };
            let headline = copy(story.headline);
            let byline = story.byline.map(&mut copy);
            let first = u32::try_from(out.paras.len()).unwrap_or(u32::MAX);
            for &para in body(story) {
                out.paras.push(copy(para));
            }
            let last = u32::try_from(out.paras.len()).unwrap_or(u32::MAX);
            out.stories.push(Story {
                doc,
                headline,
                byline,
                paras: first..last,
                ..story.clone()
            });
        }
        out
    }

    /// Adds the stories of `part` (loaded after this library's files), keeping
    /// everything newest first; same-date stories of `self` stay before `part`'s.
    pub fn merge(&mut self, part: Library) {
        let doc_base = u32::try_from(self.docs.len()).unwrap_or(u32::MAX);
        let para_base = u32::try_from(self.paras.len()).unwrap_or(u32::MAX);
        self.docs.extend(part.docs);
        self.paras.extend(part.paras);
        self.warnings.extend(part.warnings);
        self.files += part.files;
        let mut new: Vec<Story> = part
            .stories
            .into_iter()
            .map(|mut s| {
                s.doc += doc_base;
                s.paras = s.paras.start + para_base..s.paras.end + para_base;
                s
            })
            .collect();
        if new.is_empty() {
            return;
        }
        let old = std::mem::take(&mut self.stories);
        let mut merged = Vec::with_capacity(old.len() + new.len());
        let mut new_iter = new.drain(..).peekable();
        for s in old {
            while let Some(n) =
                new_iter.next_if(|n| StoryDate::newest_first(&n.date, &s.date).is_lt())
            {
                merged.push(n);
            }
            merged.push(s);
        }
        merged.extend(new_iter);
        self.stories = merged;
    }

    /// Drops every story and warning of the documents loaded from `paths` (files
    /// changed or deleted since), matched by their real path, so two files whose
    /// names look alike once cleaned for display are told apart. Their text is
    /// freed; positions of other stories keep their order. Returns how many
    /// stories went.
    pub fn remove_paths(&mut self, paths: &[std::path::PathBuf]) -> usize {
        if paths.is_empty() {
            return 0;
        }
        let listed = |p: &Option<std::path::PathBuf>| p.as_ref().is_some_and(|p| paths.contains(p));
        let gone: std::collections::HashSet<u32> = self
            .docs
            .iter()
            .enumerate()
            .filter(|(_, d)| listed(&d.path))
            .filter_map(|(i, _)| u32::try_from(i).ok())
            .collect();
        for &d in &gone {
            if let Some(doc) = self.docs.get_mut(d as usize) {
                doc.text = String::new();
                doc.origin.clear();
                doc.path = None;
            }
        }
        let before = self.stories.len();
        self.stories.retain(|s| !gone.contains(&s.doc));
        self.warnings.retain(|w| !listed(&w.path));
        before - self.stories.len()
    }

    /// Number of files that could not be read at all.
    #[must_use]
    pub fn fatal_count(&self) -> usize {
        self.warnings.iter().filter(|w| w.fatal).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> StoryDate {
        StoryDate::Day(NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default())
    }

    #[test]
    fn month_sorts_below_its_days_and_undated_last() {
        let mut dates = vec![
            StoryDate::Undated,
            StoryDate::Month {
                year: 2025,
                month: 12,
            },
            day(2025, 11, 30),
            day(2025, 12, 1),
            day(2026, 2, 3),
        ];
        dates.sort_by(StoryDate::newest_first);
        assert_eq!(
            dates,
            vec![
                day(2026, 2, 3),
                day(2025, 12, 1),
                StoryDate::Month {
                    year: 2025,
                    month: 12
                },
                day(2025, 11, 30),
                StoryDate::Undated,
            ]
        );
    }

    #[test]
    fn dates_display_and_round_trip() {
        assert_eq!(day(2026, 2, 3).to_string(), "Tue 3 Feb 2026");
        let m = StoryDate::Month {
            year: 2025,
            month: 12,
        };
        assert_eq!(m.to_string(), "December 2025");
        assert_eq!(StoryDate::Undated.to_string(), "Undated");
        for d in [day(2026, 2, 3), m, StoryDate::Undated] {
            assert_eq!(StoryDate::from_iso(d.iso().as_deref()), d);
        }
    }

    fn lib_with(dates: &[StoryDate], tag: &str) -> Library {
        let mut lib = Library::default();
        for (i, d) in dates.iter().enumerate() {
            let text = format!("{tag}{i}");
            let end = u32::try_from(text.len()).unwrap_or(0);
            let doc = u32::try_from(lib.docs.len()).unwrap_or(0);
            lib.docs.push(Doc {
                origin: tag.into(),
                path: Some(tag.into()),
                source: tag.into(),
                text,
            });
            lib.paras.push(Span { start: 0, end });
            lib.stories.push(Story {
                id: StoryId(u64::from(doc)),
                date: *d,
                doc,
                headline: Span { start: 0, end },
                byline: None,
                paras: doc..doc + 1,
                derived_headline: false,
            });
        }
        lib.files = dates.len();
        lib
    }

    #[test]
    fn merge_keeps_newest_first_and_earlier_files_first() {
        let mut lib = lib_with(&[day(2026, 2, 3), day(2025, 1, 1), StoryDate::Undated], "a");
        lib.merge(lib_with(
            &[day(2026, 3, 1), day(2025, 1, 1), day(2024, 1, 1)],
            "b",
        ));
        let got: Vec<String> = lib
            .stories
            .iter()
            .map(|s| {
                format!(
                    "{}:{}",
                    lib.headline(s),
                    lib.paragraphs(s).next().unwrap_or("")
                )
            })
            .collect();
        assert_eq!(got, ["b0:b0", "a0:a0", "a1:a1", "b1:b1", "b2:b2", "a2:a2"]);
        assert_eq!(lib.files, 6);
    }

    #[test]
    fn removing_a_path_drops_its_stories_only() {
        let mut lib = lib_with(&[day(2026, 2, 3), day(2025, 1, 1)], "a");
        lib.merge(lib_with(&[day(2026, 3, 1)], "b"));
        assert_eq!(lib.remove_paths(&["a".into()]), 2);
        assert_eq!(lib.stories.len(), 1);
        assert_eq!(lib.headline(&lib.stories[0]), "b0");
        assert_eq!(lib.remove_paths(&["nothing".into()]), 0);
    }

    #[test]
    fn story_id_is_fixed_and_round_trips() {
        let id = StoryId::compute(day(2026, 2, 3), "Headline", "First paragraph.");
        assert_eq!(
            id,
            StoryId::compute(day(2026, 2, 3), "Headline", "First paragraph.")
        );
        assert_ne!(
            id,
            StoryId::compute(day(2026, 2, 4), "Headline", "First paragraph.")
        );
        assert_eq!(StoryId::parse(&id.to_string()), Some(id));
        // xxh3-64 is a published, frozen algorithm: pin one value.
        assert_eq!(
            StoryId::compute(StoryDate::Undated, "", "").to_string(),
            format!("{:016x}", xxhash_rust::xxh3::xxh3_64(b"\n\n"))
        );
        assert_eq!(StoryId::parse("xyz"), None);
    }
}
