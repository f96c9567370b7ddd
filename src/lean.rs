//! A ratatui backend that sends fewer bytes over a slow link.
//!
//! ratatui draws only the cells that changed, and crossterm moves the cursor to
//! each run of them (`ESC[row;colH`, 6–8 bytes). When two runs on a row are only a
//! few unchanged cells apart, writing those cells again costs less than the move,
//! as curses does. [`Lean`] keeps a copy of what the terminal shows, so it knows
//! what those cells hold, and fills such gaps when they share the style of the
//! cell before them (so no colour change is needed either). What reaches the
//! screen is the same; a scrolled list costs about a fifth less.
//!
//! The copy is only trusted after a full clear; any other kind of clear, or a
//! size it has not seen, turns the filling off until the next full clear.
//!
//! The size it gives ratatui is the terminal's, at most
//! [`MAX_SIDE`](crate::layout::MAX_SIDE) each way ([`crate::layout::fit`]), so
//! neither ratatui's buffers nor the copy grow with an absurd reported size.

use std::io::{self, Write};

use ratatui::backend::{Backend, ClearType, CrosstermBackend, WindowSize};
use ratatui::buffer::{Buffer, Cell, CellDiffOption};
use ratatui::layout::{Position, Rect, Size};
use unicode_width::UnicodeWidthStr;

/// Unchanged cells between two changed runs that are written rather than jumped:
/// a cursor move costs at least six bytes.
const MAX_GAP: u16 = 5;

/// A crossterm backend that fills short gaps between changed cells.
pub struct Lean<W: Write> {
    inner: CrosstermBackend<W>,
    /// What the terminal shows, when `known`.
    screen: Buffer,
    /// True when `screen` matches the terminal (after a full clear).
    known: bool,
}

impl<W: Write> Lean<W> {
    /// Wraps a crossterm backend writing to `writer`; the screen is taken as
    /// unknown until ratatui clears it.
    pub fn new(writer: W) -> Self {
        Lean {
            inner: CrosstermBackend::new(writer),
            screen: Buffer::empty(Rect::default()),
            known: false,
        }
    }

    /// The size the terminal reports, uncapped (what [`Backend::size`] gives is
    /// at most [`crate::layout::MAX_SIDE`] each way).
    ///
    /// # Errors
    /// When the terminal cannot be asked.
    pub fn reported_size(&self) -> io::Result<Size> {
        self.inner.size()
    }

    /// Takes the screen as blank at the current size (after a full clear).
    fn blank(&mut self) {
        let size = self.size().unwrap_or_default();
        self.screen = Buffer::empty(Rect::new(0, 0, size.width, size.height));
        self.known = true;
    }

    /// The cell the terminal shows at (x, y), when known.
    fn shown(&self, x: u16, y: u16) -> Option<&Cell> {
        self.known
            .then(|| self.screen.cell(Position { x, y }))
            .flatten()
    }

    /// The cells of `gap` on row `y` when they can be written in place of a
    /// cursor move after `before`: plain single-width cells in its style.
    fn fill(&self, y: u16, gap: std::ops::Range<u16>, before: &Cell) -> Option<Vec<Cell>> {
        gap.map(|x| {
            let cell = self.shown(x, y)?;
            let plain = cell.diff_option == CellDiffOption::None
                && cell.symbol().width() == 1
                && (cell.fg, cell.bg, cell.modifier) == (before.fg, before.bg, before.modifier);
            plain.then(|| cell.clone())
        })
        .collect()
    }
}

/// `size`, at most [`crate::layout::MAX_SIDE`] each way.
fn capped(size: Size) -> (u16, u16) {
    crate::layout::fit(size.width, size.height)
}

impl<W: Write> Backend for Lean<W> {
    type Error = io::Error;

    fn draw<'a, I>(&mut self, content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        let changed: Vec<(u16, u16, Cell)> = content.map(|(x, y, c)| (x, y, c.clone())).collect();
        let mut out: Vec<(u16, u16, Cell)> = Vec::with_capacity(changed.len());
        for (x, y, cell) in changed {
            if let Some((px, py, prev)) = out.last()
                && *py == y
                && prev.symbol().width() == 1
                && x > px + 1
                && x - px - 1 <= MAX_GAP
                && let Some(cells) = self.fill(y, px + 1..x, prev)
            {
                let start = px + 1;
                out.extend((start..).zip(cells).map(|(gx, c)| (gx, y, c)));
            }
            out.push((x, y, cell));
        }
        if self.known {
            for (x, y, cell) in &out {
                match self.screen.cell_mut(Position { x: *x, y: *y }) {
                    Some(c) => *c = cell.clone(),
                    // Drawn outside the size it knows: stop trusting it.
                    None => self.known = false,
                }
            }
        }
        self.inner.draw(out.iter().map(|(x, y, c)| (*x, *y, c)))
    }

    fn hide_cursor(&mut self) -> io::Result<()> {
        self.inner.hide_cursor()
    }

    fn show_cursor(&mut self) -> io::Result<()> {
        self.inner.show_cursor()
    }

    fn get_cursor_position(&mut self) -> io::Result<Position> {
        self.inner.get_cursor_position()
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> io::Result<()> {
        self.inner.set_cursor_position(position)
    }

    fn clear(&mut self) -> io::Result<()> {
        self.inner.clear()?;
        self.blank();
        Ok(())
    }

    fn clear_region(&mut self, clear_type: ClearType) -> io::Result<()> {
        self.inner.clear_region(clear_type)?;
        match clear_type {
            ClearType::All => self.blank(),
            _ => self.known = false,
        }
        Ok(())
    }

    fn append_lines(&mut self, n: u16) -> io::Result<()> {
        self.known = false;
        self.inner.append_lines(n)
    }

    fn size(&self) -> io::Result<Size> {
        let (width, height) = capped(self.inner.size()?);
        Ok(Size { width, height })
    }

    fn window_size(&mut self) -> io::Result<WindowSize> {
        let mut size = self.inner.window_size()?;
        (size.columns_rows.width, size.columns_rows.height) = capped(size.columns_rows);
        Ok(size)
    }

    fn flush(&mut self) -> io::Result<()> {
        Backend::flush(&mut self.inner)
    }
}

#[cfg(test)]
mod tests {
    use ratatui::style::Style;
    use ratatui::text::{Line, Span};
    use ratatui::{Terminal, TerminalOptions, Viewport};

    use super::*;

    const AREA: Rect = Rect::new(0, 0, 40, 4);

    /// A writer the test can read back while the backend owns it.
    #[derive(Clone, Default)]
    struct Shared(std::rc::Rc<std::cell::RefCell<Vec<u8>>>);

    impl Write for Shared {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.borrow_mut().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    /// Draws each frame (lines from the top) through `Lean`; returns the bytes of
    /// the last frame and what a vt100 terminal shows after all of them.
    fn draw(frames: &[Vec<Line<'static>>]) -> (Vec<u8>, String) {
        let options = TerminalOptions {
            viewport: Viewport::Fixed(AREA),
        };
        let out = Shared::default();
        let mut term = Terminal::with_options(Lean::new(out.clone()), options)
            .unwrap_or_else(|e| panic!("{e}"));
        // A blank screen of a known size (the real one comes from a full clear).
        term.backend_mut().screen = Buffer::empty(AREA);
        term.backend_mut().known = true;
        let mut last = 0;
        for lines in frames {
            last = out.0.borrow().len();
            let _ = term.draw(|f| {
                for (y, line) in (0..).zip(lines) {
                    f.render_widget(line.clone(), Rect::new(0, y, 40, 1));
                }
            });
        }
        let bytes = out.0.borrow().clone();
        let mut parser = vt100::Parser::new(AREA.height, AREA.width, 0);
        parser.process(&bytes);
        (bytes[last..].to_vec(), parser.screen().contents())
    }

    fn moves(bytes: &[u8]) -> usize {
        String::from_utf8_lossy(bytes).matches('H').count()
    }

    #[test]
    fn short_gaps_are_written_and_the_screen_is_the_same() {
        let a = vec![Line::raw("the quick brown fox"), Line::raw("x")];
        let b = vec![Line::raw("the quack brawn fix"), Line::raw("y")];
        let (bytes, screen) = draw(&[a, b]);
        // One move for row 0 (its changes are 4–5 cells apart), one for row 1.
        assert_eq!(moves(&bytes), 2, "{:?}", String::from_utf8_lossy(&bytes));
        assert!(String::from_utf8_lossy(&bytes).contains("ack brawn fi"));
        assert!(screen.starts_with("the quack brawn fix\ny"), "{screen:?}");
    }

    #[test]
    fn long_or_styled_gaps_are_jumped() {
        let a = vec![Line::raw("aaaaaaaaaaaaaaaaaaaa")];
        // Changes ten cells apart.
        let b = vec![Line::raw("baaaaaaaaaabaaaaaaaa")];
        let (bytes, screen) = draw(&[a, b]);
        assert_eq!(moves(&bytes), 2);
        assert!(screen.starts_with("baaaaaaaaaabaaaaaaaa"));
        // The unchanged cells between are bold, the changed ones are not.
        let bold = Style::default().bold();
        let styled = |first: &'static str, last: &'static str| {
            vec![Line::from(vec![
                Span::raw(first),
                Span::styled("bc", bold),
                Span::raw(last),
            ])]
        };
        let (bytes, screen) = draw(&[styled("a", "d"), styled("x", "y")]);
        assert_eq!(moves(&bytes), 2);
        assert!(screen.starts_with("xbcy"), "{screen:?}");
    }

    #[test]
    fn random_frames_show_what_was_drawn() {
        use rand::{RngExt, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
        let bold = Style::default().bold();
        let mut frames = Vec::new();
        for _ in 0..200 {
            let lines: Vec<Line<'static>> = (0..AREA.height)
                .map(|_| {
                    let spans: Vec<Span<'static>> = (0..rng.random_range(0..8))
                        .map(|_| {
                            let text: String = (0..rng.random_range(1..6))
                                .map(|_| ['a', 'b', ' ', 'é'][rng.random_range(0..4)])
                                .collect();
                            if rng.random_bool(0.3) {
                                Span::styled(text, bold)
                            } else {
                                Span::raw(text)
                            }
                        })
                        .collect();
                    Line::from(spans)
                })
                .collect();
            frames.push(lines);
        }
        // After every frame, the terminal shows exactly that frame's text.
        for n in 1..=frames.len() {
            let (_, screen) = draw(&frames[..n]);
            let want: Vec<String> = frames[n - 1]
                .iter()
                .map(|l| {
                    let t: String = l.spans.iter().map(|s| s.content.as_ref()).collect();
                    t.chars()
                        .take(40)
                        .collect::<String>()
                        .trim_end()
                        .to_string()
                })
                .collect();
            let got: Vec<String> = screen.lines().map(|l| l.trim_end().to_string()).collect();
            let got: Vec<String> = got
                .into_iter()
                .chain(std::iter::repeat(String::new()))
                .take(want.len())
                .collect();
            assert_eq!(got, want, "after frame {n}");
        }
    }
}
