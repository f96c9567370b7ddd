//! What the commands print: tables cut to the terminal, and JSON that cannot
//! drive a terminal.

use std::fmt::Write as _;
use std::io::{self, Write};

use serde::Serialize;

use crate::story::{Library, Story, StoryId};
use crate::text;
use crate::text::truncate;

/// A story as printed by `list --json` (and `filter --json`, with `match` and
/// `score`).
#[derive(Debug, Serialize)]
pub struct StoryJson<'a> {
    id: StoryId,
    date: Option<String>,
    headline: &'a str,
    byline: Option<&'a str>,
    source: &'a str,
    origin: &'a str,
    paragraphs: Vec<&'a str>,
    derived_headline: bool,
    /// How it matched (`filter --json` only).
    #[serde(rename = "match", skip_serializing_if = "Option::is_none")]
    matched: Option<crate::search::MatchKind>,
    /// Its score between 0 and 1 (`filter --json` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    score: Option<f64>,
}

impl<'a> StoryJson<'a> {
    /// Builds the JSON view of `story`.
    #[must_use]
    pub fn new(
        lib: &'a Library,
        story: &Story,
        graded: Option<(crate::search::MatchKind, f64)>,
    ) -> Self {
        StoryJson {
            id: story.id,
            date: story.date.iso(),
            headline: lib.headline(story),
            byline: lib.byline(story),
            source: lib.source(story),
            origin: lib.origin(story),
            paragraphs: lib.paragraphs(story).collect(),
            derived_headline: story.derived_headline,
            matched: graded.map(|g| g.0),
            score: graded.map(|g| g.1),
        }
    }
}

/// Writes `value` as pretty JSON plus a newline.
///
/// # Errors
/// When writing fails.
pub fn write_json<T: Serialize>(out: &mut dyn Write, value: &T) -> io::Result<()> {
    let json = serde_json::to_string_pretty(value)?;
    writeln!(out, "{}", escape_invisible(&json))
}

/// `json` with every character that [`text::clean`] would remove or change when
/// alone (DEL, C1 controls, format and default-ignorable characters, joiners,
/// line and paragraph separators; serde already escapes C0) written as a `\uXXXX`
/// escape. Such characters only occur inside JSON strings, where the escape means
/// the same, so the value is unchanged but nothing can drive the terminal.
pub(super) fn escape_invisible(json: &str) -> std::borrow::Cow<'_, str> {
    if json.bytes().all(|b| b.is_ascii() && b != 0x7f) {
        return json.into();
    }
    let mut out = String::with_capacity(json.len());
    let mut buf = [0; 4];
    for c in json.chars() {
        let one = c.encode_utf8(&mut buf);
        if !c.is_ascii_graphic() && text::clean(one) != *one {
            for unit in c.encode_utf16(&mut [0; 2]) {
                let _ = write!(out, "\\u{unit:04x}");
            }
        } else {
            out.push(c);
        }
    }
    out.into()
}

pub(super) fn pad(s: &str, width: usize) -> String {
    let mut out = s.to_string();
    out.extend(std::iter::repeat_n(
        ' ',
        width.saturating_sub(text::width(s)),
    ));
    out
}

/// Writes the `ID  DATE  HEADLINE  SOURCE` table. With a `width`, every line
/// fits in it: the headline column gives way first, keeping room for the start of
/// the source, then the source is cut.
///
/// # Errors
/// When writing fails.
pub fn write_table<'a>(
    out: &mut dyn Write,
    lib: &Library,
    stories: impl Iterator<Item = &'a Story> + Clone,
    width: Option<usize>,
) -> io::Result<()> {
    // ID, date and the gaps after them, and before the source.
    let fixed = 16 + 2 + 10 + 2 + 2;
    let (col, room) = fit_headlines(fixed, stories.clone().map(|s| lib.headline(s)), width);
    writeln!(
        out,
        "{:<16}  {:<10}  {}  {}",
        "ID",
        "DATE",
        pad("HEADLINE", col),
        cut("SOURCE", room)
    )?;
    for s in stories {
        writeln!(
            out,
            "{}  {:<10}  {}  {}",
            s.id,
            s.date.iso().unwrap_or_else(|| "-".into()),
            cell(lib.headline(s), col),
            cut(lib.source(s), room)
        )?;
    }
    Ok(())
}

/// For a table of `fixed` columns (gaps included), a headline column and a last
/// column: the headline column's width, and with a `width` to fit in, the room
/// left for the last column. The headline column narrows first, down to what
/// leaves the last one 12 columns. Without a width (output to a pipe or file),
/// nothing is cut: every headline is whole.
pub(super) fn fit_headlines<'a>(
    fixed: usize,
    headlines: impl Iterator<Item = &'a str>,
    width: Option<usize>,
) -> (usize, Option<usize>) {
    const LAST_MIN: usize = 12;
    let max = width.map_or(usize::MAX, |w| w.saturating_sub(fixed + LAST_MIN));
    let col = column_width("HEADLINE", headlines, max);
    (col, width.map(|w| w.saturating_sub(fixed + col)))
}

/// `s` cut to `room` columns when given.
pub(super) fn cut(s: &str, room: Option<usize>) -> std::borrow::Cow<'_, str> {
    room.map_or(std::borrow::Cow::Borrowed(s), |room| truncate(s, room))
}

/// The width of a column holding `cells` under `header`: the widest cell, capped at
/// `max`, and at least the header's width.
pub(super) fn column_width<'a>(
    header: &str,
    cells: impl Iterator<Item = &'a str>,
    max: usize,
) -> usize {
    cells
        .map(|c| text::width(c).min(max))
        .max()
        .unwrap_or(0)
        .max(text::width(header))
}

/// One table cell: tabs as spaces, cut to `width` columns and padded to it.
pub(super) fn cell(s: &str, width: usize) -> String {
    pad(&truncate(s, width), width)
}
