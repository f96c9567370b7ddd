//! Pure geometry: where each pane sits for a terminal size. Shared by `App`
//! (page sizes, mouse hits) and `ui` (drawing), so both always agree.

use ratatui::layout::Rect;

/// The three panes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    /// The date list.
    Dates,
    /// The stories of the chosen date.
    Stories,
    /// The story text.
    Reader,
}

/// At this width and wider the panes sit side by side; below it, one at a time.
pub const WIDE: u16 = 100;
/// Smaller than this, the reader only says the terminal is too small.
pub const MIN_WIDTH: u16 = 30;
/// Smaller than this, the reader only says the terminal is too small.
pub const MIN_HEIGHT: u16 = 6;

/// The most cells the reader draws across and down. A terminal that reports
/// more (a broken or hostile one saying 10000x10000) gets its top-left corner,
/// so no screen buffer grows past a million cells.
pub const MAX_SIDE: u16 = 1000;

/// The area the reader draws in on a terminal of `width` x `height` cells.
#[must_use]
pub const fn fit(width: u16, height: u16) -> (u16, u16) {
    let w = if width > MAX_SIDE { MAX_SIDE } else { width };
    let h = if height > MAX_SIDE { MAX_SIDE } else { height };
    (w, h)
}

/// The height of an overlay box (help, warnings) holding `lines` on a screen
/// `height` rows tall, border included: as tall as its lines, at most the
/// height less two, at least three rows. It shows its height less two lines.
#[must_use]
pub fn overlay_height(lines: usize, height: u16) -> u16 {
    u16::try_from(lines.saturating_add(2))
        .unwrap_or(u16::MAX)
        .min(height.saturating_sub(2))
        .max(3.min(height))
}

/// Where everything goes. A pane that is not shown has no rectangle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Panes {
    /// The Dates pane.
    pub dates: Option<Rect>,
    /// The Stories pane.
    pub stories: Option<Rect>,
    /// The Story pane.
    pub reader: Option<Rect>,
    /// The one-line header of the narrow layout.
    pub header: Option<Rect>,
    /// The status line (and filter line) at the bottom.
    pub footer: Rect,
    /// Whether panes have borders (wide layout).
    pub bordered: bool,
    /// Too small to draw anything useful.
    pub too_small: bool,
}

impl Panes {
    /// The rectangle of `pane`, if shown.
    #[must_use]
    pub fn rect(&self, pane: Pane) -> Option<Rect> {
        match pane {
            Pane::Dates => self.dates,
            Pane::Stories => self.stories,
            Pane::Reader => self.reader,
        }
    }

    /// The inside of `pane` (without its border), if shown.
    #[must_use]
    pub fn inner(&self, pane: Pane) -> Option<Rect> {
        let r = self.rect(pane)?;
        Some(if self.bordered {
            Rect::new(
                r.x + 1,
                r.y + 1,
                r.width.saturating_sub(2),
                r.height.saturating_sub(2),
            )
        } else {
            r
        })
    }

    /// The pane under a cell.
    #[must_use]
    pub fn hit(&self, column: u16, row: u16) -> Option<Pane> {
        [Pane::Dates, Pane::Stories, Pane::Reader]
            .into_iter()
            .find(|&p| {
                self.rect(p).is_some_and(|r| {
                    column >= r.x && column < r.right() && row >= r.y && row < r.bottom()
                })
            })
    }
}

/// Lays out a `width`×`height` screen with `focus` focused and `date_rows` rows in
/// the Dates list.
#[must_use]
pub fn panes(width: u16, height: u16, focus: Pane, date_rows: usize) -> Panes {
    let area = Rect::new(0, 0, width, height);
    if width < MIN_WIDTH || height < MIN_HEIGHT {
        return Panes {
            footer: area,
            too_small: true,
            ..Panes::default()
        };
    }
    let footer = Rect::new(0, height - 1, width, 1);
    if width >= WIDE {
        let body_h = height - 1;
        // In u32: a percentage of a side over 2047 cells overflows u16.
        let percent =
            |side: u16, p: u32| u16::try_from(u32::from(side) * p / 100).unwrap_or(u16::MAX);
        let left_w = percent(width, 32).clamp(28, 48);
        let wanted = u16::try_from(date_rows)
            .unwrap_or(u16::MAX)
            .saturating_add(2);
        let dates_h = wanted.min(percent(body_h, 45)).max(3);
        Panes {
            dates: Some(Rect::new(0, 0, left_w, dates_h)),
            stories: Some(Rect::new(0, dates_h, left_w, body_h - dates_h)),
            reader: Some(Rect::new(left_w, 0, width - left_w, body_h)),
            header: None,
            footer,
            bordered: true,
            too_small: false,
        }
    } else {
        let body = Rect::new(0, 1, width, height - 2);
        let mut p = Panes {
            header: Some(Rect::new(0, 0, width, 1)),
            footer,
            ..Panes::default()
        };
        match focus {
            Pane::Dates => p.dates = Some(body),
            Pane::Stories => p.stories = Some(body),
            Pane::Reader => p.reader = Some(body),
        }
        p
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_shows_every_pane_with_borders() {
        let p = panes(120, 40, Pane::Stories, 6);
        assert!(p.bordered && !p.too_small);
        let (d, s, r) = (
            p.dates.unwrap_or_default(),
            p.stories.unwrap_or_default(),
            p.reader.unwrap_or_default(),
        );
        assert_eq!(d.height, 8);
        assert_eq!(d.bottom(), s.y);
        assert_eq!(s.bottom(), 39);
        assert_eq!(r.x, s.right());
        assert_eq!(r.right(), 120);
        assert_eq!(p.hit(r.x + 1, 3), Some(Pane::Reader));
    }

    #[test]
    fn narrow_shows_only_the_focused_pane() {
        let p = panes(80, 24, Pane::Reader, 6);
        assert!(p.dates.is_none() && p.stories.is_none());
        assert_eq!(p.reader, Some(Rect::new(0, 1, 80, 22)));
        assert_eq!(p.inner(Pane::Reader), p.reader);
    }

    #[test]
    fn fit_caps_each_side_at_max_side() {
        assert_eq!(fit(10_000, 10_000), (MAX_SIDE, MAX_SIDE));
        assert_eq!(fit(u16::MAX, 24), (MAX_SIDE, 24));
        assert_eq!(fit(80, 5000), (80, MAX_SIDE));
        assert_eq!(fit(MAX_SIDE, MAX_SIDE), (MAX_SIDE, MAX_SIDE));
        assert_eq!(fit(120, 40), (120, 40));
        assert_eq!(fit(0, 0), (0, 0));
        // The biggest area drawn is a million cells.
        let (w, h) = fit(u16::MAX, u16::MAX);
        assert_eq!(usize::from(w) * usize::from(h), 1_000_000);
    }

    #[test]
    fn any_size_up_to_u16_max_lays_out_without_overflow() {
        for (w, h) in [(u16::MAX, u16::MAX), (2048, 1457), (MAX_SIDE, MAX_SIDE)] {
            let p = panes(w, h, Pane::Stories, 6);
            assert!(p.bordered);
            assert_eq!(p.footer, Rect::new(0, h - 1, w, 1));
            assert_eq!(p.reader.map(ratatui::prelude::Rect::right), Some(w));
        }
    }

    #[test]
    fn tiny_is_too_small_and_never_underflows() {
        for w in 0..MIN_WIDTH {
            for h in 0..12 {
                assert!(panes(w, h, Pane::Stories, 3).too_small);
            }
        }
    }
}
