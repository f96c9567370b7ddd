//! The Story pane: the open story's page, scrolled, with a position indicator.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;

use super::Theme;
use crate::app::App;
use crate::page::LineKind;
use crate::text;

/// Draws the page into `area` (inside the border); returns the position label
/// (`Top`, `42%`, `All`) for the border.
pub fn render(app: &App, theme: &Theme, area: Rect, buf: &mut Buffer) -> String {
    let page = app.page();
    let height = usize::from(area.height);
    let x = area.x + 1;
    let width = usize::from(area.width.saturating_sub(1));
    let found = app.found();
    let current = found.get(app.reader.find_hit).copied();
    for (n, line) in page.iter().skip(app.reader.scroll).take(height).enumerate() {
        let y = area.y + u16::try_from(n).unwrap_or(0);
        let style = match line.kind {
            LineKind::Headline => theme.headline,
            LineKind::Meta | LineKind::Missing => theme.dim,
            LineKind::Note => theme.mark,
            LineKind::Body | LineKind::Blank => theme.text,
        };
        buf.set_stringn(x, y, &line.text, width, style);
        // Places found: highlighted like filter matches, the current one reversed.
        let number = app.reader.scroll + n;
        for f in found.iter().filter(|f| f.line == number) {
            // Whole clusters, where the page drew them (a match can start
            // inside an emoji sequence).
            let (col, text) = text::clusters_at(&line.text, f.start, f.len);
            let hit = if Some(*f) == current {
                theme.matched.add_modifier(Modifier::REVERSED)
            } else {
                theme.matched
            };
            if col < width {
                let cx = x + u16::try_from(col).unwrap_or(0);
                buf.set_stringn(cx, y, text, width - col, style.patch(hit));
            }
        }
    }
    if page.len() <= height {
        if page.is_empty() {
            String::new()
        } else {
            "All".to_string()
        }
    } else if app.reader.scroll == 0 {
        "Top".to_string()
    } else {
        let shown = (app.reader.scroll + height).min(page.len());
        format!("{}%", shown * 100 / page.len())
    }
}
