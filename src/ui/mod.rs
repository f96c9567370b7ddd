//! Drawing: `render(&App, &Keymap, &mut Frame)` is a pure function of the state.
//! Each pane draws itself into its rectangle from `layout::panes`.

mod dates;
mod footer;
pub mod palette;
mod reader;
mod stories;
pub mod theme;

use crate::text::width as width_of;
use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Block, BorderType, Borders, Clear, Widget};

pub use theme::Theme;

use crate::app::{App, Mode};
use crate::keymap::Keymap;
use crate::layout::Pane;
use crate::layout::{MIN_HEIGHT, MIN_WIDTH};

/// How a list row is selected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Selection {
    /// Not selected.
    None,
    /// Selected in the focused pane.
    Focused,
    /// Selected in a pane without focus.
    Idle,
}

impl Selection {
    fn of(selected: bool, focused: bool) -> Self {
        match (selected, focused) {
            (false, _) => Selection::None,
            (true, true) => Selection::Focused,
            (true, false) => Selection::Idle,
        }
    }
}

/// Draws one list row: the selection bar and reverse video when selected, then
/// the styled pieces, padded to the full width.
fn row_line(
    buf: &mut Buffer,
    area: Rect,
    y: u16,
    spans: &[(String, Style)],
    right: Option<(&str, Style)>,
    selection: Selection,
    theme: &Theme,
) {
    let width = usize::from(area.width);
    let selected = selection != Selection::None;
    let base = match selection {
        Selection::Focused => theme.selected,
        Selection::Idle => theme.selected_idle,
        Selection::None => Style::new(),
    };
    if selected {
        buf.set_style(Rect::new(area.x, y, area.width, 1), base);
        buf.set_stringn(area.x, y, theme.sym.bar, 1, base);
    }
    let mut x = 1;
    for (s, style) in spans {
        if x >= width {
            break;
        }
        let s = theme.cut(s, width - x);
        buf.set_stringn(
            area.x + u16::try_from(x).unwrap_or(0),
            y,
            &s,
            width - x,
            base.patch(*style),
        );
        x += width_of(&s);
    }
    if let Some((r, style)) = right {
        let rx = width.saturating_sub(width_of(r) + 1);
        if rx > x {
            buf.set_stringn(
                area.x + u16::try_from(rx).unwrap_or(0),
                y,
                r,
                width_of(r),
                base.patch(style),
            );
        }
    }
}

fn block<'a>(title: &str, focused: bool, theme: &Theme) -> Block<'a> {
    let style = if focused {
        theme.border_focus
    } else {
        theme.border
    };
    Block::new()
        .borders(Borders::ALL)
        .border_type(BorderType::Plain)
        .border_style(style)
        .title(Line::styled(format!(" {title} "), style))
}

fn date_title(app: &App, theme: &Theme) -> String {
    app.lists.dates.get(app.lists.date_sel).map_or_else(
        || "Stories".to_string(),
        // What the list shows (with `U` only the unread are listed).
        |d| format!("{} ({})", dates::label(d.key, theme), app.lists.listed),
    )
}

/// Draws the whole reader.
pub fn render(app: &App, keymap: &Keymap, theme: &Theme, frame: &mut Frame<'_>) {
    let area = frame.area();
    // The layout comes from the size the app last heard of; if the terminal has
    // changed since (a resize racing the draw), draw nothing this once rather than
    // outside the buffer: the Resize event that follows redraws.
    if (area.width, area.height) != app.size {
        return;
    }
    let buf = frame.buffer_mut();
    let panes = app.panes();
    if panes.too_small {
        let msg = format!("Terminal too small: need {MIN_WIDTH}x{MIN_HEIGHT}");
        let lines = crate::text::wrap(&msg, usize::from(area.width).max(1), "");
        for (n, l) in lines.iter().take(usize::from(area.height)).enumerate() {
            let y = area.y + u16::try_from(n).unwrap_or(0);
            buf.set_stringn(area.x, y, l, usize::from(area.width), theme.text);
        }
        return;
    }
    if let Some(r) = panes.header {
        let title = match app.focus {
            Pane::Dates => "Dates".to_string(),
            Pane::Stories => date_title(app, theme),
            Pane::Reader => app
                .open_story()
                .map_or_else(|| date_title(app, theme), |s| s.date.to_string()),
        };
        footer::render_header(keymap, theme, &title, r, buf);
    }
    let bordered = panes.bordered;
    let inner = |pane: Pane, title: String, buf: &mut Buffer| -> Option<Rect> {
        let r = panes.rect(pane)?;
        if bordered {
            block(&title, app.focus == pane, theme).render(r, buf);
        }
        panes.inner(pane)
    };
    if let Some(r) = inner(Pane::Dates, "Dates".into(), buf) {
        dates::render(app, theme, r, buf);
    }
    let stories_title = format!("Stories {} {}", theme.sym.dot, date_title(app, theme));
    if let Some(r) = inner(Pane::Stories, stories_title, buf) {
        stories::render(app, theme, r, buf);
    }
    if let Some(r) = inner(Pane::Reader, "Story".into(), buf) {
        let pos = reader::render(app, theme, r, buf);
        if !pos.is_empty() {
            let pos = format!(" {pos} ");
            let w = u16::try_from(width_of(&pos)).unwrap_or(0);
            // On the bottom border, or at the left of the header's navigation hint.
            let (x, y) = match (bordered, panes.reader, panes.header) {
                (true, Some(outer), _) => (outer.right().saturating_sub(w + 2), outer.bottom() - 1),
                (_, _, Some(h)) => {
                    let nav = footer::header_nav(keymap, theme, usize::from(h.width));
                    let nav = u16::try_from(width_of(&nav)).unwrap_or(0);
                    (h.right().saturating_sub(w + nav + 1), h.y)
                }
                _ => (r.right().saturating_sub(w), r.y),
            };
            buf.set_string(x, y, pos, theme.dim);
        }
    }
    footer::render(app, keymap, theme, panes.footer, buf);
    match app.mode {
        Mode::Help => overlay(
            buf,
            area,
            "Keys",
            &help_lines(keymap, theme),
            app.overlay.scroll,
            theme,
        ),
        Mode::Warnings => {
            let lines: Vec<String> = if app.lib.warnings.is_empty() {
                vec!["Every file loaded cleanly.".into()]
            } else {
                app.lib.warnings.iter().map(ToString::to_string).collect()
            };
            overlay(
                buf,
                area,
                "Load warnings",
                &lines,
                app.overlay.scroll,
                theme,
            );
        }
        _ => {}
    }
}

/// How many lines the help overlay has with `keymap` (the model bounds its
/// scrolling with it).
#[must_use]
pub fn help_len(keymap: &Keymap, theme: &Theme) -> usize {
    help_lines(keymap, theme).len()
}

fn help_lines(keymap: &Keymap, theme: &Theme) -> Vec<String> {
    let mut out = Vec::new();
    for (title, rows) in keymap.help(theme.sym.unicode) {
        if !out.is_empty() {
            out.push(String::new());
        }
        out.push(title.clone());
        let col = rows.iter().map(|(k, _)| width_of(k)).max().unwrap_or(0);
        for (keys, what) in rows {
            out.push(format!(
                "  {keys}{}  {what}",
                " ".repeat(col - width_of(&keys))
            ));
        }
    }
    out.push(String::new());
    out.push("Filter syntax".into());
    for (typed, what) in crate::search::SYNTAX {
        out.push(format!("  {typed:<13}  {what}"));
    }
    out.push(String::new());
    out.push("Mouse: wheel scrolls the pane under the pointer, click selects.".into());
    out
}

/// A centred box over everything with `lines`, scrolled by `scroll`.
fn overlay(
    buf: &mut Buffer,
    area: Rect,
    title: &str,
    lines: &[String],
    scroll: usize,
    theme: &Theme,
) {
    let h = crate::layout::overlay_height(lines.len(), area.height);
    let more = lines.len() > usize::from(h.saturating_sub(2));
    let hint = if more {
        format!(" j/k scroll {} Esc close ", theme.sym.dot)
    } else {
        " Esc close ".to_string()
    };
    // Wide enough for its lines, its title and the hint under it, as room allows.
    let want_w = lines
        .iter()
        .map(|l| width_of(l) + 4)
        .chain([width_of(title) + 4, width_of(&hint) + 2])
        .max()
        .unwrap_or(0);
    let w = u16::try_from(want_w)
        .unwrap_or(u16::MAX)
        .min(area.width.saturating_sub(2))
        .max(10.min(area.width));
    let r = Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    );
    Clear.render(r, buf);
    Block::new()
        .borders(Borders::ALL)
        .border_style(theme.border_focus)
        .title(Line::styled(format!(" {title} "), theme.border_focus))
        .title_bottom(Line::styled(hint, theme.dim).alignment(Alignment::Right))
        .render(r, buf);
    let inner_w = usize::from(w.saturating_sub(4));
    let max_scroll = lines.len().saturating_sub(usize::from(h.saturating_sub(2)));
    for (n, l) in lines
        .iter()
        .skip(scroll.min(max_scroll))
        .take(usize::from(h.saturating_sub(2)))
        .enumerate()
    {
        let y = r.y + 1 + u16::try_from(n).unwrap_or(0);
        let style = if l.starts_with("  ") || l.is_empty() {
            theme.text
        } else {
            theme.heading
        };
        buf.set_stringn(r.x + 2, y, theme.cut(l, inner_w), inner_w, style);
    }
}

/// What the per-widget tests share: the reader on the bundled samples after
/// some actions (searches answered as the runtime answers them), a theme, and a
/// drawn area as text.
#[cfg(test)]
mod widget {
    use ratatui::buffer::Buffer;
    use ratatui::layout::Rect;

    use crate::action::{Action, Event};
    use crate::app::App;
    use crate::ui::theme::{Look, Theme};

    /// The reader on the samples, `w`x`h`, at a fixed time, after `actions`.
    pub(super) fn app_after(w: u16, h: u16, actions: &[Action]) -> App {
        let now = chrono::DateTime::parse_from_rfc3339("2026-02-05T09:30:00+00:00")
            .unwrap_or_else(|e| panic!("{e}"));
        let mut app = App::new(crate::loader::load_bundled(), Vec::new(), now);
        app.update(Event::Resize(w, h));
        for a in actions {
            let effect = app.update(a.clone());
            crate::runtime::settle(&mut app, effect);
        }
        app
    }

    /// Colours and Unicode symbols.
    pub(super) fn theme() -> Theme {
        Theme::new(Look::default())
    }

    /// The rows of `area` in `buf`, one symbol a cell.
    pub(super) fn rows(buf: &Buffer, area: Rect) -> Vec<String> {
        (area.y..area.bottom())
            .map(|y| {
                (area.x..area.right())
                    .map(|x| buf[(x, y)].symbol())
                    .collect()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An overlay of `n` numbered lines alone on a `w`x`h` screen, scrolled.
    fn drawn(n: usize, w: u16, h: u16, scroll: usize) -> Vec<String> {
        let lines: Vec<String> = (1..=n).map(|i| format!("  line {i}")).collect();
        let area = Rect::new(0, 0, w, h);
        let mut buf = Buffer::empty(area);
        overlay(&mut buf, area, "Keys", &lines, scroll, &widget::theme());
        widget::rows(&buf, area)
    }

    #[test]
    fn an_overlay_that_fits_says_only_how_to_close_it() {
        let rows = drawn(3, 30, 10, 0);
        let text = rows.join("\n");
        assert!(text.contains(" Keys "), "{text}");
        assert!(
            text.contains("line 3") && text.contains(" Esc close "),
            "{text}"
        );
        assert!(!text.contains("scroll"), "{text}");
    }

    #[test]
    fn a_long_overlay_scrolls_to_its_last_line_and_says_so() {
        // 10 rows: a box of 8 shows 6 of 20 lines; 14 is as far as it goes.
        let top = drawn(20, 30, 10, 0).join("\n");
        assert!(top.contains("line 1 ") && !top.contains("line 7"), "{top}");
        assert!(top.contains("j/k scroll"), "{top}");
        let end = drawn(20, 30, 10, 14).join("\n");
        assert!(end.contains("line 15") && end.contains("line 20"), "{end}");
        // Scrolled past the end, it stays at the end.
        assert_eq!(drawn(20, 30, 10, 99), drawn(20, 30, 10, 14));
    }
}
