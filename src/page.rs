//! The Story pane's text, wrapped to a width: a pure function shared by `App`
//! (scroll limits) and `ui::reader` (drawing).

use crate::bookmarks::Bookmark;
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

fn wrap_into(out: &mut Vec<PageLine>, kind: LineKind, text: &str, width: usize) {
    for line in text.split('\n') {
        let line = text::clean_inline(line);
        let indent = if line.starts_with('•') { "  " } else { "" };
        for l in text::wrap(&line, width, indent) {
            debug_assert!(text::width(&l) <= width || width < 2);
            out.push(PageLine { kind, text: l });
        }
    }
}

fn blank(out: &mut Vec<PageLine>) {
    out.push(PageLine {
        kind: LineKind::Blank,
        text: String::new(),
    });
}

/// The page for a story (or a bookmark whose story is not loaded) at `width`.
#[must_use]
pub fn lines(
    lib: &Library,
    story: Option<&Story>,
    bookmark: Option<&Bookmark>,
    width: usize,
    dot: &str,
) -> Vec<PageLine> {
    let mut out = Vec::new();
    let width = width.max(1);
    match (story, bookmark) {
        (Some(s), _) => {
            wrap_into(&mut out, LineKind::Headline, lib.headline(s), width);
            let mut meta = vec![s.date.to_string(), lib.source(s).to_string()];
            meta.extend(lib.byline(s).map(str::to_string));
            wrap_into(
                &mut out,
                LineKind::Meta,
                &meta.join(&format!(" {dot} ")),
                width,
            );
        }
        (None, Some(b)) => {
            wrap_into(&mut out, LineKind::Headline, &b.headline, width);
            let date = StoryDate::from_iso(b.date.as_deref());
            wrap_into(
                &mut out,
                LineKind::Meta,
                &format!("{date} {dot} {}", b.source),
                width,
            );
        }
        (None, None) => return out,
    }
    if let Some(b) = bookmark {
        let day = b.added.format("%-d %b %Y");
        let note = if b.note.is_empty() {
            format!("Bookmarked {day}")
        } else {
            format!("Bookmarked {day}: {}", b.note)
        };
        wrap_into(&mut out, LineKind::Note, &note, width);
    }
    match story {
        Some(s) => {
            for p in lib.paragraphs(s) {
                blank(&mut out);
                wrap_into(&mut out, LineKind::Body, p, width);
            }
        }
        None => {
            blank(&mut out);
            if let Some(b) = bookmark {
                let text = format!(
                    "This story is not in the loaded files. It was loaded from {}.",
                    b.origin
                );
                wrap_into(&mut out, LineKind::Missing, &text, width);
            }
        }
    }
    out
}
