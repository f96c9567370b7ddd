//! The Dates pane: Bookmarks, All, then every date with its count.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::{Selection, Theme, row_line};
use crate::app::{App, DateKey};
use crate::layout::Pane;

/// The label of a Dates entry.
#[must_use]
pub fn label(key: DateKey, theme: &Theme) -> String {
    match key {
        DateKey::Bookmarks => format!("{} Bookmarks", theme.sym.mark),
        DateKey::All => "All".to_string(),
        DateKey::Date(d) => d.to_string(),
    }
}

/// Draws the Dates list into `area` (inside the border).
pub fn render(app: &App, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let focused = app.focus == Pane::Dates;
    for (n, row) in app
        .lists
        .dates
        .iter()
        .enumerate()
        .skip(app.lists.date_offset)
        .take(usize::from(area.height))
    {
        let y = area.y + u16::try_from(n - app.lists.date_offset).unwrap_or(0);
        // Unread of total while any are unread (`3/7`), else the total.
        let count = if row.unread > 0 {
            format!("{}/{}", row.unread, row.count)
        } else {
            row.count.to_string()
        };
        let name = label(row.key, theme);
        let room = usize::from(area.width).saturating_sub(crate::text::width(&count) + 3);
        let name = theme.cut(&name, room).into_owned();
        let right = Some((count.as_str(), theme.dim));
        row_line(
            buf,
            area,
            y,
            &[(name, theme.text)],
            right,
            Selection::of(n == app.lists.date_sel, focused),
            theme,
        );
    }
}
