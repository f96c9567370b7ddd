//! The Stories pane: headlines of the selected date (grouped under date headings
//! for All), with the source dimmed, bookmark markers and filter highlights.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use unicode_segmentation::UnicodeSegmentation;

use super::{Selection, Theme, row_line};
use crate::app::{App, DateKey, Row};
use crate::layout::Pane;
use crate::text;

/// The Stories pane shows sources from this width on.
const SOURCE_MIN_WIDTH: usize = 60;

/// Splits `headline` into styled pieces, highlighting `hits` (char indices), cut
/// to `width` columns. When the first hit would fall past the cut, the start is
/// cut instead (`…text`), so the best match always shows why it matched. Pieces
/// hold whole grapheme clusters (a cluster with a hit in it is highlighted
/// whole), so each is drawn as wide as it is measured.
fn highlighted(
    headline: &str,
    hits: &[usize],
    width: usize,
    theme: &Theme,
) -> Vec<(String, Style)> {
    // Tabs shown as spaces: one char for one, so `hits` still point right.
    let headline = text::display(headline);
    // Each cluster with the index of its first char.
    let clusters: Vec<(usize, &str)> = headline
        .graphemes(true)
        .scan(0, |chars, g| {
            let at = *chars;
            *chars += g.chars().count();
            Some((at, g))
        })
        .collect();
    let mut start = 0;
    if let Some(&first) = hits.first()
        && text::column(&headline, first) + 2 > width
        && text::width(&headline) > width
    {
        let from = first.saturating_sub(8);
        start = clusters
            .iter()
            .rposition(|&(at, _)| at <= from)
            .unwrap_or(0);
    }
    let lead = if start > 0 { theme.sym.ellipsis } else { "" };
    let tail: String = clusters[start.min(clusters.len())..]
        .iter()
        .map(|&(_, g)| g)
        .collect();
    let cut = theme.cut(&tail, width.saturating_sub(text::width(lead)));
    // How many of the tail's bytes are kept before the ellipsis.
    let kept = if cut.len() == tail.len() {
        usize::MAX
    } else {
        cut.len() - theme.sym.ellipsis.len()
    };
    let mut out: Vec<(String, Style)> = vec![(lead.to_string(), theme.text)];
    let mut at = clusters.get(start).map_or(0, |&(at, _)| at);
    for (b, g) in cut.grapheme_indices(true) {
        let n = g.chars().count();
        // `hits` is sorted: the first at or after `at` tells.
        let first = hits.partition_point(|&h| h < at);
        let hit = b < kept && hits.get(first).is_some_and(|&h| h < at + n);
        at += n;
        let style = if hit { theme.matched } else { theme.text };
        match out.last_mut() {
            Some((s, st)) if *st == style => s.push_str(g),
            _ => out.push((g.to_string(), style)),
        }
    }
    out
}

/// Draws the Stories list into `area` (inside the border).
pub fn render(app: &App, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let width = usize::from(area.width);
    if app.lists.rows.is_empty() {
        let why = if app.filter.query.is_empty() {
            if app
                .lists
                .dates
                .get(app.lists.date_sel)
                .is_some_and(|d| d.key == DateKey::Bookmarks)
            {
                "No bookmarks yet: b bookmarks the selected story".to_string()
            } else {
                "No stories".to_string()
            }
        } else {
            format!(
                "No story matches “{}” — Esc clears the filter",
                text::clean_inline(&app.filter.query)
            )
        };
        // Drawn one column in, so wrapped one column narrower.
        let lines = text::wrap(&why, width.saturating_sub(1).max(1), "");
        for (n, l) in lines.iter().take(usize::from(area.height)).enumerate() {
            let y = area.y + u16::try_from(n).unwrap_or(0);
            buf.set_stringn(area.x + 1, y, l, width.saturating_sub(1), theme.dim);
        }
        return;
    }
    let focused = app.focus == Pane::Stories;
    let in_bookmarks = app
        .lists
        .dates
        .get(app.lists.date_sel)
        .is_some_and(|d| d.key == DateKey::Bookmarks);
    let flat_all = app.filter.matches.is_some()
        && app
            .lists
            .dates
            .get(app.lists.date_sel)
            .is_some_and(|d| d.key == DateKey::All);
    for (n, row) in app
        .lists
        .rows
        .iter()
        .enumerate()
        .skip(app.lists.story_offset)
        .take(usize::from(area.height))
    {
        let y = area.y + u16::try_from(n - app.lists.story_offset).unwrap_or(0);
        let mut right = String::new();
        let spans = match *row {
            Row::Heading(date) => vec![(date.to_string(), theme.heading)],
            Row::Divider => {
                let rule = if theme.sym.unicode { "──" } else { "--" };
                vec![(format!("{rule} by scattered letters {rule}"), theme.dim)]
            }
            Row::Story(i) => {
                let Some(story) = app.lib.stories.get(i as usize) else {
                    continue;
                };
                let mark = app.bookmark(story.id);
                let unread = !app.is_read(story.id);
                right = if in_bookmarks {
                    // The story's date, after the note when there is room.
                    let date = match story.date {
                        crate::story::StoryDate::Day(d) => d.format("%-d %b %Y").to_string(),
                        other => other.to_string(),
                    };
                    let room = (width / 3).saturating_sub(text::width(&date) + 3);
                    match mark.map(|b| text::clean_inline(&b.note)) {
                        Some(note) if !note.trim().is_empty() && room >= 6 => {
                            format!("{} {} {date}", theme.cut(note.trim(), room), theme.sym.dot)
                        }
                        _ => date,
                    }
                } else if app.is_new(story.id) {
                    "new".to_string()
                } else if width < SOURCE_MIN_WIDTH {
                    String::new()
                } else if flat_all {
                    story.date.to_string()
                } else {
                    // The source only where it differs from its date's (and is
                    // more than a file name); else the byline where it fits.
                    let source = app.lib.source(story);
                    let byline = app.lib.byline(story).map(text::clean_inline);
                    let headline_w = text::width(app.lib.headline(story));
                    if app.lib.has_named_source(story)
                        && app.group_source(i as usize) != Some(source)
                    {
                        theme.cut(source, width / 4).into_owned()
                    } else if let Some(by) = byline.filter(|b| {
                        headline_w + text::width(b) + 6 <= width && text::width(b) <= width / 3
                    }) {
                        by.into_owned()
                    } else {
                        String::new()
                    }
                };
                // One marker column: bookmarked (filled while unread), else
                // unread, else blank.
                let prefix = match (mark.is_some(), unread) {
                    (true, true) => format!("{} ", theme.sym.mark),
                    (true, false) => format!("{} ", theme.sym.mark_read),
                    (false, true) => format!("{} ", theme.sym.unread),
                    (false, false) => "  ".to_string(),
                };
                let headline = app.lib.headline(story);
                let hits = app.highlight(headline);
                let prefix_w = text::width(&prefix);
                let room = |right: &str| {
                    let gap = if right.is_empty() {
                        0
                    } else {
                        text::width(right) + 2
                    };
                    width.saturating_sub(2 + prefix_w + gap)
                };
                // Give the headline the source's room when its match would be cut.
                let first_col = hits
                    .first()
                    .map(|&i| text::column(headline, i + 1).max(text::column(headline, i) + 1));
                if first_col.is_some_and(|c| c + 1 > room(&right)) {
                    right.clear();
                }
                let mut spans = vec![(prefix, theme.mark)];
                spans.extend(
                    highlighted(headline, &hits, room(&right), theme)
                        .into_iter()
                        .map(|(t, st)| {
                            (
                                t,
                                if unread {
                                    st.add_modifier(Modifier::BOLD)
                                } else {
                                    st
                                },
                            )
                        }),
                );
                spans
            }
            Row::Missing(b) => {
                let Some(b) = app.bookmarks.get(b) else {
                    continue;
                };
                right = "not loaded".to_string();
                let headline = text::clean_inline(&b.headline);
                let room = width.saturating_sub(15);
                vec![
                    (format!("{} ", theme.sym.mark), theme.mark),
                    (theme.cut(&headline, room).into_owned(), theme.text),
                ]
            }
        };
        let selected = n == app.lists.story_sel && !matches!(row, Row::Heading(_) | Row::Divider);
        row_line(
            buf,
            area,
            y,
            &spans,
            Some((
                &right,
                if right == "new" {
                    theme.heading
                } else {
                    theme.dim
                },
            )),
            Selection::of(selected, focused),
            theme,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::action::Action;
    use crate::ui::widget;

    /// The Stories list alone, drawn `w`x`h` (the reader at 120x40) after `actions`.
    fn stories(w: u16, h: u16, actions: &[Action]) -> Vec<String> {
        let app = widget::app_after(120, 40, actions);
        let area = Rect::new(0, 0, w, h);
        let mut buf = Buffer::empty(area);
        render(&app, &widget::theme(), area, &mut buf);
        widget::rows(&buf, area)
    }

    #[test]
    fn date_headings_then_stories_with_the_selection_bar() {
        assert_eq!(
            stories(48, 4, &[]),
            [
                " Tue 3 Feb 2026                                 ",
                "▌• More strikes unlikely amid “increasingly po… ",
                " • BMA to appeal court decision on PAs          ",
                " • Women's health strategy to be published in … ",
            ]
        );
    }

    #[test]
    fn a_bookmark_shows_whether_it_is_read_and_the_bookmarks_its_note_and_date() {
        let unread = stories(48, 2, &[Action::ToggleBookmark]);
        assert!(unread[1].starts_with("▌★ More strikes"), "{unread:?}");
        let read = stories(48, 2, &[Action::ToggleBookmark, Action::MarkRead]);
        assert!(read[1].starts_with("▌☆ More strikes"), "{read:?}");
        let mut keys = vec![Action::ToggleBookmark, Action::EditNote];
        keys.extend("ask ICB".chars().map(Action::NoteInput));
        keys.extend([Action::NoteSave, Action::FocusLeft, Action::Top]);
        let listed = stories(90, 1, &keys);
        assert!(listed[0].ends_with("  ask ICB · 3 Feb 2026 "), "{listed:?}");
        assert!(listed[0].contains("★ More strikes"), "{listed:?}");
    }

    #[test]
    fn sources_show_only_where_they_differ_and_are_more_than_a_file_name() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let digest = |title: &str, headline: &str| {
            format!(
                "Article\n\n{title}\n\nAbout the page.\n\n3 February 2026\n\n{headline}\n\nIts text here.\n"
            )
        };
        let write = |name: &str, text: &str| {
            std::fs::write(dir.path().join(name), text).unwrap_or_else(|e| panic!("{e}"));
        };
        write(
            "a.txt",
            &digest("Alpha sector news", "First headline of the day"),
        );
        write(
            "b.txt",
            &digest("Beta bulletin", "Second headline of the day"),
        );
        write(
            "c.txt",
            "3 February 2026\n\nA note with no title at all\n\nBody.\n",
        );
        let lib = crate::loader::load_paths(&[dir.path().to_path_buf()], &|_, _| {});
        let mut app = App::new(lib, Vec::new(), chrono::DateTime::default());
        app.update(crate::action::Event::Resize(120, 40));
        let area = Rect::new(0, 0, 80, 4);
        let mut buf = Buffer::empty(area);
        render(&app, &widget::theme(), area, &mut buf);
        let rows = widget::rows(&buf, area);
        assert!(
            rows[1].contains("First headline") && !rows[1].contains("Alpha"),
            "{rows:?}"
        );
        assert!(
            rows[2].contains("Second headline") && rows[2].ends_with("Beta bulletin "),
            "{rows:?}"
        );
        assert!(
            rows[3].contains("A note with no title") && !rows[3].contains(" c "),
            "{rows:?}"
        );
        assert!(
            rows[3].trim_end().ends_with("at all"),
            "a file name is never shown: {rows:?}"
        );
        // A byline goes where the source would, when the headline leaves room.
        let rows = stories(110, 30, &[Action::Bottom, Action::Up]);
        let row = rows
            .iter()
            .find(|r| r.contains("Wes Streeting offers"))
            .unwrap_or_else(|| panic!("{rows:?}"));
        assert!(row.contains("Rebecca Henrys"), "{row:?}");
    }

    #[test]
    fn no_match_says_so_in_full_however_narrow() {
        let mut keys = vec![Action::StartFilter];
        keys.extend("xyzzy".chars().map(Action::FilterInput));
        assert_eq!(
            stories(48, 2, &keys),
            [
                " No story matches “xyzzy” — Esc clears the      ",
                " filter                                         ",
            ]
        );
    }
}
