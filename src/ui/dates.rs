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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::action::Action;
    use crate::ui::widget;

    /// The Dates list alone, drawn `w`x`h` (the reader at 120x40) after `actions`.
    fn dates(w: u16, h: u16, actions: &[Action]) -> Vec<String> {
        let app = widget::app_after(120, 40, actions);
        let area = Rect::new(0, 0, w, h);
        let mut buf = Buffer::empty(area);
        render(&app, &widget::theme(), area, &mut buf);
        widget::rows(&buf, area)
    }

    #[test]
    fn every_date_with_unread_of_total_and_the_selection_bar() {
        assert_eq!(
            dates(30, 6, &[]),
            [
                " ★ Bookmarks                0 ",
                "▌All                    23/23 ",
                " Tue 3 Feb 2026           7/7 ",
                " Thu 11 Dec 2025          5/5 ",
                " December 2025            9/9 ",
                " Wed 30 Jul 2025          2/2 ",
            ]
        );
    }

    #[test]
    fn a_narrow_list_cuts_names_and_keeps_counts() {
        let rows = dates(14, 3, &[Action::FocusLeft, Action::Down]);
        assert_eq!(rows, [" ★ Bookmar… 0 ", " All    23/23 ", "▌Tue 3 F… 7/7 "]);
    }
}
