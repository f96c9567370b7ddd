//! The Story pane's text, wrapped to a width: a pure function shared by `App`
//! (scroll limits) and `ui::reader` (drawing).

use crate::store::bookmarks::Bookmark;
use crate::story::{Library, Story, StoryDate};
use crate::text;

/// What a line of the page is, for styling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    /// The headline.
    Headline,
    /// Date, source and byline.
    Meta,
    /// The bookmark note.
    Note,
    /// Body text.
    Body,
    /// A gap between paragraphs.
    Blank,
    /// Explanation for a bookmark whose story is not loaded.
    Missing,
}

/// One wrapped line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageLine {
    /// Its role.
    pub kind: LineKind,
    /// Its text (no control characters, fits the width).
    pub text: String,
}

/// The reading width for a pane this wide: capped near 80 columns, with a margin.
#[must_use]
pub fn text_width(pane_width: u16) -> usize {
    usize::from(pane_width).saturating_sub(2).clamp(1, 80)
}

/// The most lines the Story pane holds. A story longer than this (a log or a
/// data dump loaded by mistake) shows its start and a line saying so, so the
/// pane's memory and drawing time stay small whatever the file holds;
/// `sitrep show` prints it whole.
pub const MAX_PAGE_LINES: usize = 10_000;

/// The longest piece of one line wrapped at a time (cut at a space), so a
/// line of many megabytes never needs all its wrapped lines at once.
const WRAP_CHUNK: usize = 1 << 16;

/// Where to send each wrapped line; `false` stops the page there.
type Sink<'a> = &'a mut dyn FnMut(PageLine) -> bool;

/// Wraps `text` to `width` and sends its lines to `sink`; `false` when the
/// sink stopped.
fn wrap_into(sink: Sink<'_>, kind: LineKind, text: &str, width: usize) -> bool {
    for line in text.split('\n') {
        let indent = if line.starts_with('•') { "  " } else { "" };
        let mut rest = line;
        loop {
            let (piece, more) = chunk(rest);
            let piece = text::clean_inline(piece);
            for l in text::wrap(&piece, width, indent) {
                debug_assert!(text::width(&l) <= width || width < 2);
                if !sink(PageLine { kind, text: l }) {
                    return false;
                }
            }
            if more.is_empty() {
                break;
            }
            rest = more;
        }
    }
    true
}

/// The first [`WRAP_CHUNK`] bytes or so of `line`, cut after a space where
/// there is one, and the rest.
fn chunk(line: &str) -> (&str, &str) {
    if line.len() <= WRAP_CHUNK {
        return (line, "");
    }
    let mut at = WRAP_CHUNK;
    while !line.is_char_boundary(at) {
        at -= 1;
    }
    let at = line[..at].rfind(' ').map_or(at, |space| space + 1);
    line.split_at(at)
}

fn blank(sink: Sink<'_>) -> bool {
    sink(PageLine {
        kind: LineKind::Blank,
        text: String::new(),
    })
}

/// The page for a story (or a bookmark whose story is not loaded) at `width`,
/// at most [`MAX_PAGE_LINES`] lines and then one saying the rest is not shown.
#[must_use]
pub fn lines(
    lib: &Library,
    story: Option<&Story>,
    bookmark: Option<&Bookmark>,
    width: usize,
    dot: &str,
) -> Vec<PageLine> {
    let mut out = Vec::new();
    let mut cut = false;
    each_line(lib, story, bookmark, width, dot, &mut |line| {
        cut = out.len() == MAX_PAGE_LINES;
        if !cut {
            out.push(line);
        }
        !cut
    });
    if cut {
        let how = story.map_or_else(String::new, |s| {
            format!(": `sitrep show {}` prints it whole", s.id)
        });
        let note = format!(
            "The rest of this story is not shown here, as it is longer than {MAX_PAGE_LINES} lines{how}."
        );
        let mut push = |l| {
            out.push(l);
            true
        };
        blank(&mut push);
        wrap_into(&mut push, LineKind::Missing, &note, width.max(1));
    }
    out
}

/// Sends the page for a story (or a bookmark whose story is not loaded) at
/// `width` to `sink`, line by line, until the sink says stop.
pub fn each_line(
    lib: &Library,
    story: Option<&Story>,
    bookmark: Option<&Bookmark>,
    width: usize,
    dot: &str,
    sink: Sink<'_>,
) {
    let width = width.max(1);
    match (story, bookmark) {
        (Some(s), _) => {
            let mut meta = vec![s.date.to_string(), lib.source(s).to_string()];
            meta.extend(lib.byline(s).map(str::to_string));
            let meta = meta.join(&format!(" {dot} "));
            if !(wrap_into(sink, LineKind::Headline, lib.headline(s), width)
                && wrap_into(sink, LineKind::Meta, &meta, width))
            {
                return;
            }
        }
        (None, Some(b)) => {
            let date = StoryDate::from_iso(b.date.as_deref());
            let meta = format!("{date} {dot} {}", b.source);
            if !(wrap_into(sink, LineKind::Headline, &b.headline, width)
                && wrap_into(sink, LineKind::Meta, &meta, width))
            {
                return;
            }
        }
        (None, None) => return,
    }
    if let Some(b) = bookmark {
        let day = b.added.format("%-d %b %Y");
        let note = if b.note.is_empty() {
            format!("Bookmarked {day}")
        } else {
            format!("Bookmarked {day}: {}", b.note)
        };
        if !wrap_into(sink, LineKind::Note, &note, width) {
            return;
        }
    }
    match story {
        Some(s) => {
            for p in lib.paragraphs(s) {
                if !(blank(sink) && wrap_into(sink, LineKind::Body, p, width)) {
                    return;
                }
            }
        }
        None => {
            if blank(sink)
                && let Some(b) = bookmark
            {
                let text = format!(
                    "This story is not in the loaded files. It was loaded from {}.",
                    b.origin
                );
                wrap_into(sink, LineKind::Missing, &text, width);
            }
        }
    }
}
