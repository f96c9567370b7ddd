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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::action::Action;
    use crate::layout::Pane;
    use crate::ui::widget;

    /// The Story pane alone, drawn where the layout puts it at 120x`h`, after
    /// `actions`: the position label, the buffer and the pane's area.
    fn reader_at(h: u16, actions: &[Action]) -> (String, Buffer, Rect) {
        let app = widget::app_after(120, h, actions);
        let area = app
            .panes()
            .inner(Pane::Reader)
            .unwrap_or_else(|| panic!("a Story pane at 120x{h}"));
        let mut buf = Buffer::empty(Rect::new(0, 0, 120, h));
        let label = render(&app, &widget::theme(), area, &mut buf);
        (label, buf, area)
    }

    fn reader(actions: &[Action]) -> (String, Buffer, Rect) {
        reader_at(40, actions)
    }

    fn row(buf: &Buffer, area: Rect, n: u16) -> String {
        (area.x..area.right())
            .map(|x| buf[(x, area.y + n)].symbol())
            .collect::<String>()
            .trim_end()
            .to_string()
    }

    #[test]
    fn headline_then_date_and_source_from_the_top() {
        let (label, buf, area) = reader(&[Action::Open]);
        assert_eq!(label, "All", "the whole story fits");
        assert!(row(&buf, area, 0).starts_with(" More strikes unlikely amid"));
        assert_eq!(
            row(&buf, area, 2),
            " Tue 3 Feb 2026 · Health and care sector latest developments"
        );
        assert_eq!(row(&buf, area, 3), "");
        // Shorter, the label says where the page is.
        let (label, ..) = reader_at(12, &[Action::Open]);
        assert_eq!(label, "Top");
        let (label, ..) = reader_at(12, &[Action::Open, Action::FocusRight, Action::Bottom]);
        assert_eq!(label, "100%");
    }

    #[test]
    fn the_current_place_found_is_reversed_the_others_not() {
        let mut keys = vec![Action::Open, Action::FocusRight, Action::StartFind];
        keys.extend("strike".chars().map(Action::FindInput));
        keys.push(Action::ConfirmFind);
        let (_, buf, _) = reader(&keys);
        let reversed = |on: bool| {
            buf.content()
                .iter()
                .filter(|c| c.modifier.contains(Modifier::REVERSED) == on)
                .filter(|c| c.modifier.contains(Modifier::UNDERLINED))
                .count()
        };
        assert_eq!(reversed(true), "strike".len(), "one place, whole");
        assert!(reversed(false) >= "strike".len(), "other places marked too");
    }
}
