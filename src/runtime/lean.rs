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
//!
//! Widths: ratatui gives a grapheme cluster the cells `unicode-width` gives the
//! whole cluster; terminals that draw one character at a time (xterm, VTE, tmux,
//! the `vt100` crate) advance by the sum of its characters instead. For most
//! clusters the two agree. For the rest, *uncertain* clusters (emoji ZWJ and
//! skin-tone sequences, VS16 emoji such as `❤️`), `Lean` makes both kinds of
//! terminal end up with the frame ratatui drew: it blanks the cells a narrower
//! drawing would leave, moves the cursor after the cluster, and writes again the
//! cells a wider drawing runs over (from its copy). Where a wider drawing would
//! run past the right edge (and wrap), or the copy is not trusted, it writes the
//! cluster's first character instead, padded to the cluster's cells.

use std::io::{self, Write};

use ratatui::backend::{Backend, ClearType, CrosstermBackend, WindowSize};
use ratatui::buffer::{Buffer, Cell, CellDiffOption, CellWidth};
use ratatui::layout::{Position, Rect, Size};
use unicode_width::UnicodeWidthChar;

/// Unchanged cells between two changed runs that are written rather than jumped:
/// a cursor move costs at least six bytes.
const MAX_GAP: u16 = 5;

/// How wide a cell's cluster is drawn, when terminals disagree: ratatui's cells
/// and the columns a terminal drawing character by character advances. `None`
/// when they agree (a single character, or a cluster whose sum is its width).
fn uncertain(cell: &Cell) -> Option<(u16, u16)> {
    let symbol = cell.symbol();
    let mut chars = symbol.chars();
    chars.next()?;
    chars.next()?;
    let cells = cell.cell_width();
    let sum: usize = symbol.chars().map(|c| c.width().unwrap_or(0)).sum();
    let sum = u16::try_from(sum).unwrap_or(u16::MAX);
    (sum != cells).then_some((cells, sum))
}

/// A cluster that a terminal drawing character by character spreads over
/// several cells (two or more characters of non-zero width, as a flag's letters).
fn split(cell: &Cell) -> bool {
    cell.symbol()
        .chars()
        .filter(|c| c.width().unwrap_or(0) > 0)
        .nth(1)
        .is_some()
}

/// A cell every terminal draws one column wide.
fn narrow(cell: &Cell) -> bool {
    cell.cell_width() == 1 && uncertain(cell).is_none()
}

/// What is drawn at (x, y) where the cluster of `cell` cannot be drawn safely:
/// its first character (when that alone fits), then blanks to fill its cells.
fn first_char(x: u16, y: u16, cell: &Cell) -> Vec<(u16, u16, Cell)> {
    let cells = cell.cell_width().max(1);
    let first = cell.symbol().chars().next().filter(|c| {
        let w = c.width().unwrap_or(0);
        w > 0 && w <= usize::from(cells)
    });
    let mut head = cell.clone();
    head.set_char(first.unwrap_or(' '));
    let drawn = head.cell_width().max(1);
    let mut out = vec![(x, y, head)];
    for dx in drawn..cells {
        let mut blank = cell.clone();
        blank.set_char(' ');
        out.push((x + dx, y, blank));
    }
    out
}

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

    /// Notes that the terminal now shows `cell` at (x, y), and blank cells under
    /// the rest of a wide one (as ratatui's buffer holds).
    fn remember(&mut self, x: u16, y: u16, cell: &Cell) {
        let width = cell.cell_width().max(1);
        for (n, dx) in (0..width).enumerate() {
            match self.screen.cell_mut(Position { x: x + dx, y }) {
                Some(c) if n == 0 => *c = cell.clone(),
                Some(c) => c.reset(),
                // Drawn outside the size it knows: stop trusting it.
                None if n == 0 => self.known = false,
                None => {}
            }
        }
    }

    /// What to write for the uncertain cluster `cell` at (x, y), `cells` wide for
    /// ratatui and `sum` columns for a terminal drawing character by character,
    /// with the frame's cells that a wider drawing runs over written again.
    fn uncertain_run(
        &self,
        x: u16,
        y: u16,
        cell: &Cell,
        cells: u16,
        sum: u16,
    ) -> Vec<(u16, u16, Cell)> {
        let (mut run, over) = self.uncertain_cluster(x, y, cell, cells, sum);
        if let Some(end) = over {
            run.extend(self.frame_cells(y, x + cells, end));
        }
        run
    }

    /// The uncertain cluster alone (see [`Lean::uncertain_run`]), and how far a
    /// wider drawing of it reaches when it is sent whole: the column up to which
    /// what follows must be written again.
    fn uncertain_cluster(
        &self,
        x: u16,
        y: u16,
        cell: &Cell,
        cells: u16,
        sum: u16,
    ) -> (Vec<(u16, u16, Cell)>, Option<u16>) {
        if sum < cells {
            // Blank first what a narrower drawing leaves showing.
            let mut run = Vec::new();
            for dx in sum..cells {
                let mut blank = cell.clone();
                blank.set_char(' ');
                run.push((x + dx, y, blank));
            }
            run.push((x, y, cell.clone()));
            return (run, None);
        }
        let fits = x.saturating_add(sum) <= self.screen.area.width;
        if !self.known || !fits {
            return (first_char(x, y, cell), None);
        }
        (vec![(x, y, cell.clone())], Some(x + sum))
    }

    /// The frame's cells on row `y` from column `from` up to `to` (the last may
    /// reach past it), from the copy, already updated with this frame's changes.
    /// An uncertain cluster among them is sent as [`Lean::uncertain_run`] would,
    /// so one next to another keeps its joiners and modifiers; what it runs over
    /// is written again in turn.
    fn frame_cells(&self, y: u16, from: u16, to: u16) -> Vec<(u16, u16, Cell)> {
        let mut cells = Vec::new();
        let (mut gx, mut to) = (from, to);
        while gx < to {
            let Some(next) = self.shown(gx, y) else { break };
            let w = next.cell_width().max(1);
            match uncertain(next) {
                Some((width, sum)) => {
                    let (run, over) = self.uncertain_cluster(gx, y, next, width, sum);
                    cells.extend(run);
                    to = to.max(over.unwrap_or(0));
                }
                None => cells.push((gx, y, next.clone())),
            }
            gx += w;
        }
        cells
    }

    /// The cells of `gap` on row `y` when they can be written in place of a
    /// cursor move after `before`: plain single-width cells in its style.
    fn fill(&self, y: u16, gap: std::ops::Range<u16>, before: &Cell) -> Option<Vec<Cell>> {
        gap.map(|x| {
            let cell = self.shown(x, y)?;
            let plain = cell.diff_option == CellDiffOption::None
                && narrow(cell)
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
                && narrow(prev)
                && x > px + 1
                && x - px - 1 <= MAX_GAP
                && let Some(cells) = self.fill(y, px + 1..x, prev)
            {
                let start = px + 1;
                out.extend((start..).zip(cells).map(|(gx, c)| (gx, y, c)));
            }
            out.push((x, y, cell));
        }
        // Where a cluster a terminal drew as several cells (a flag: two letters)
        // is drawn over in part, its other cells are written again: such a
        // terminal does not clear them.
        let mut ends: Vec<Option<u16>> = vec![None; out.len()];
        if self.known {
            for (end, (x, y, cell)) in ends.iter_mut().zip(&out) {
                let covered = x + cell.cell_width().max(1);
                let old_end = (*x..covered)
                    .filter_map(|ox| {
                        let old = self.shown(ox, *y).filter(|old| split(old))?;
                        Some(ox + old.cell_width())
                    })
                    .max();
                *end = old_end.filter(|&e| e > covered);
            }
            for (x, y, cell) in &out {
                self.remember(*x, *y, cell);
            }
        }
        // Runs drawn one `draw` call each, so each starts with a cursor move.
        let mut runs: Vec<Vec<(u16, u16, Cell)>> = vec![Vec::new()];
        // Cells already written again: (row, end column).
        let mut rewritten: Option<(u16, u16)> = None;
        for ((x, y, cell), end) in out.into_iter().zip(ends) {
            if let Some((ry, done)) = rewritten
                && ry == y
                && x < done
            {
                // Written already; what it drew over may reach further.
                if let (Some(end), Some(run)) = (end.filter(|&e| e > done), runs.last_mut()) {
                    let again = self.frame_cells(y, done, end);
                    rewritten = again
                        .last()
                        .map(|(lx, _, c)| (y, lx + c.cell_width().max(1)));
                    run.extend(again);
                }
                continue;
            }
            let Some((cells, sum)) = uncertain(&cell) else {
                let from = x + cell.cell_width().max(1);
                let run = runs.last_mut();
                if let Some(run) = run {
                    run.push((x, y, cell));
                    if let Some(end) = end {
                        let again = self.frame_cells(y, from, end);
                        rewritten = again
                            .last()
                            .map(|(lx, _, c)| (y, lx + c.cell_width().max(1)));
                        run.extend(again);
                    }
                }
                continue;
            };
            let mut run = self.uncertain_run(x, y, &cell, cells, sum);
            let done = run
                .last()
                .map_or(x, |(lx, _, c)| lx + c.cell_width().max(1));
            if let Some(end) = end.filter(|&e| e > done) {
                run.extend(self.frame_cells(y, done, end));
            }
            rewritten = run.last().map(|(lx, _, c)| (y, lx + c.cell_width().max(1)));
            runs.push(run);
            runs.push(Vec::new());
        }
        // A cell after an uncertain cluster starts a new `draw`, so a cursor move
        // puts it where the frame has it, however wide the cluster was drawn.
        for run in runs.iter().filter(|r| !r.is_empty()) {
            for piece in run.split_inclusive(|(_, _, c)| uncertain(c).is_some()) {
                self.inner.draw(piece.iter().map(|(x, y, c)| (*x, *y, c)))?;
            }
        }
        Ok(())
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
    /// `count` frames of `height` rows, each row up to `spans - 1` spans of up to
    /// `len - 1` pieces, some bold.
    fn random_frames(
        rng: &mut rand_chacha::ChaCha8Rng,
        count: usize,
        height: u16,
        pieces: &[&str],
        spans: usize,
        len: usize,
    ) -> Vec<Vec<Line<'static>>> {
        use rand::RngExt;
        let bold = Style::default().bold();
        (0..count)
            .map(|_| {
                (0..height)
                    .map(|_| {
                        let row: Vec<Span<'static>> = (0..rng.random_range(0..spans))
                            .map(|_| {
                                let text: String = (0..rng.random_range(1..len))
                                    .map(|_| pieces[rng.random_range(0..pieces.len())])
                                    .collect();
                                if rng.random_bool(0.3) {
                                    Span::styled(text, bold)
                                } else {
                                    Span::raw(text)
                                }
                            })
                            .collect();
                        Line::from(row)
                    })
                    .collect()
            })
            .collect()
    }

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
        use rand::SeedableRng;
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
        let frames = random_frames(&mut rng, 200, AREA.height, &["a", "b", " ", "é"], 8, 6);
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

    /// Draws `frames` (lines from the top) through `Lean` at `area`; returns the
    /// bytes of the last frame, the vt100 terminal they were fed to, and the
    /// last frame's buffer.
    fn draw_frames(area: Rect, frames: &[Vec<Line<'static>>]) -> (Vec<u8>, vt100::Parser, Buffer) {
        let options = TerminalOptions {
            viewport: Viewport::Fixed(area),
        };
        let out = Shared::default();
        let mut term = Terminal::with_options(Lean::new(out.clone()), options)
            .unwrap_or_else(|e| panic!("{e}"));
        term.backend_mut().screen = Buffer::empty(area);
        term.backend_mut().known = true;
        let mut last = 0;
        let mut buffer = Buffer::empty(area);
        for lines in frames {
            last = out.0.borrow().len();
            let frame = term
                .draw(|f| {
                    for (y, line) in (0..).zip(lines) {
                        f.render_widget(line.clone(), Rect::new(0, y, area.width, 1));
                    }
                })
                .unwrap_or_else(|e| panic!("{e}"));
            buffer = frame.buffer.clone();
        }
        let bytes = out.0.borrow().clone();
        let mut parser = vt100::Parser::new(area.height, area.width, 0);
        parser.process(&bytes);
        (bytes[last..].to_vec(), parser, buffer)
    }

    /// The vt100 terminal (which draws character by character) shows `buffer`
    /// cell for cell: the same text in the same columns, nothing left over. An
    /// uncertain cluster shows at least its first character where it starts.
    fn assert_shows(parser: &vt100::Parser, buffer: &Buffer) {
        let screen = parser.screen();
        // What the terminal shows in a cell; blank as "".
        let contents = |x: u16, y: u16| {
            let c = screen
                .cell(y, x)
                .map(vt100::Cell::contents)
                .unwrap_or_default();
            if c == " " { String::new() } else { c }
        };
        for y in 0..buffer.area.height {
            let mut x = 0;
            while x < buffer.area.width {
                let cell = &buffer[(x, y)];
                let shown = contents(x, y);
                let want = cell.symbol();
                let row = || {
                    let mut shown_row = String::new();
                    for col in 0..buffer.area.width {
                        let c = contents(col, y);
                        shown_row.push_str(if c.is_empty() { "_" } else { &c });
                    }
                    shown_row
                };
                let w = cell.cell_width().max(1);
                if uncertain(cell).is_some() {
                    let first = want.chars().next().map(String::from).unwrap_or_default();
                    assert!(
                        shown.starts_with(&first),
                        "row {y} col {x}: {shown:?} for {want:?}: {}",
                        row()
                    );
                    for dx in 1..w {
                        // The rest of its cells: covered, or blank.
                        let rest = contents(x + dx, y);
                        assert!(
                            rest.is_empty(),
                            "row {y} col {}: {rest:?} under {want:?}: {}",
                            x + dx,
                            row()
                        );
                    }
                } else {
                    // Its characters, in its cells (a flag is two letters).
                    let shown: String = (x..x + w).map(|c| contents(c, y)).collect();
                    let want = if want == " " { "" } else { want };
                    assert_eq!(shown, want, "row {y} col {x}: {}", row());
                }
                x += w;
            }
        }
    }

    const FAMILY: &str = "👨\u{200d}👩\u{200d}👧\u{200d}👦";
    const THUMB: &str = "👍🏽";

    #[test]
    fn emoji_sequences_leave_nothing_behind() {
        let area = Rect::new(0, 0, 24, 3);
        let first = vec![
            Line::raw("plain text, one · wides"),
            Line::raw("0123456789abcdefghijklmn"),
            Line::raw("zzzzzzzzzzzzzzzzzzzzzzzz"),
        ];
        let second = vec![
            Line::raw(format!("{FAMILY} one · wide")),
            Line::raw(format!("ab{THUMB}cd ❤\u{fe0f} x {FAMILY}")),
            Line::raw(format!("zzzzzzzzzzzzzzzzzzzzz{THUMB}")),
        ];
        let third = vec![
            Line::raw(format!("{THUMB}{FAMILY} · wide")),
            Line::raw("ab"),
            Line::raw(format!("zzzzzzzzzzzzzzzzzzzzz{FAMILY}")),
        ];
        for n in 1..=3 {
            let frames = [first.clone(), second.clone(), third.clone()];
            let (bytes, parser, buffer) = draw_frames(area, &frames[..n]);
            assert_shows(&parser, &buffer);
            let text = String::from_utf8_lossy(&bytes);
            if n == 2 {
                // With room, the whole sequence goes out for terminals that
                // join it; the `s` of the first frame is gone.
                assert!(text.contains(FAMILY), "{text:?}");
                assert!(text.contains(THUMB), "{text:?}");
                assert!(parser.screen().contents().starts_with("👨"));
                assert!(!parser.screen().contents().contains("wides"));
            }
        }
        // At the right edge (row 3), where a wider drawing would wrap, the
        // first character is sent instead; the family with room (row 1) whole.
        let (bytes, _, _) = draw_frames(area, &[first, third]);
        let text = String::from_utf8_lossy(&bytes);
        assert_eq!(text.matches(FAMILY).count(), 1, "{text:?}");
        assert!(text.contains("\u{1b}[3;22H👨\u{1b}"), "{text:?}");
    }

    #[test]
    fn clusters_next_to_clusters_are_sent_whole() {
        let area = Rect::new(0, 0, 30, 2);
        let first = vec![
            Line::raw(format!("Short {FAMILY}{THUMB} end")),
            Line::raw("plain"),
        ];
        let second = vec![
            Line::raw(format!("Family {FAMILY} and {THUMB}{THUMB} up")),
            Line::raw(format!("x {FAMILY}❤\u{fe0f} after")),
        ];
        let (bytes, parser, buffer) = draw_frames(area, &[first, second]);
        assert_shows(&parser, &buffer);
        let text = String::from_utf8_lossy(&bytes);
        // Each cluster goes out whole: one drawn over an old family, one after
        // another cluster, each with its skin tone, joiners and VS16.
        assert_eq!(text.matches(FAMILY).count(), 2, "{text:?}");
        assert_eq!(text.matches(THUMB).count(), 2, "{text:?}");
        assert!(text.contains("❤\u{fe0f}"), "{text:?}");
    }

    #[test]
    fn random_frames_with_wide_and_joined_clusters_show_what_was_drawn() {
        use rand::SeedableRng;
        let pieces = [
            "a",
            "b",
            " ",
            "é",
            "e\u{301}",
            "日",
            "👍",
            THUMB,
            FAMILY,
            "❤\u{fe0f}",
            "🇬🇧",
            "👩\u{200d}⚕\u{fe0f}",
            "1\u{fe0f}\u{20e3}",
        ];
        let area = Rect::new(0, 0, 30, 4);
        // Seed 2 once left a flag's second letter behind at the right edge.
        for seed in [2, 7, 11] {
            let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
            let frames = random_frames(&mut rng, 80, area.height, &pieces, 10, 4);
            // After every frame, the terminal shows exactly that frame.
            for n in 1..=frames.len() {
                let (_, parser, buffer) = draw_frames(area, &frames[..n]);
                assert_shows(&parser, &buffer);
            }
        }
    }

    #[test]
    fn the_reader_with_emoji_shows_what_it_drew() {
        use crate::action::{Action, Event};
        use crate::app::App;
        use crate::ui::theme::{Look, Theme};
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let doc = format!(
            "1 March 2026\n\nFamily news {THUMB} {FAMILY} as the new ward opens\n\n\
             And more text {FAMILY}{THUMB}❤\u{fe0f} from the families at the opening.\n\n\
             Plain headline about the next story\n\nA plain body sentence about it.\n"
        );
        std::fs::write(dir.path().join("doc.txt"), doc).unwrap_or_else(|e| panic!("{e}"));
        let lib = crate::loader::load_paths(&[dir.path().to_path_buf()], &|_, _| {});
        let now = chrono::DateTime::parse_from_rfc3339("2026-03-02T09:00:00+00:00")
            .unwrap_or_else(|e| panic!("{e}"));
        let mut app = App::new(lib, Vec::new(), now);
        let theme = Theme::new(Look {
            color: true,
            unicode: true,
        });
        let area = Rect::new(0, 0, 100, 16);
        app.update(Event::Resize(area.width, area.height));
        let out = Shared::default();
        let options = TerminalOptions {
            viewport: Viewport::Fixed(area),
        };
        let mut term = Terminal::with_options(Lean::new(out.clone()), options)
            .unwrap_or_else(|e| panic!("{e}"));
        term.backend_mut().screen = Buffer::empty(area);
        term.backend_mut().known = true;
        let keymap = crate::keymap::Keymap::default();
        let mut parser = vt100::Parser::new(area.height, area.width, 0);
        // Down and up the list, open each story: every frame shows as drawn.
        for action in [
            None,
            Some(Action::Down),
            Some(Action::Up),
            Some(Action::Open),
            Some(Action::NextStory),
            Some(Action::PrevStory),
        ] {
            if let Some(a) = action {
                app.update(a);
            }
            let before = out.0.borrow().len();
            let frame = term
                .draw(|f| crate::ui::render(&app, &keymap, &theme, f))
                .unwrap_or_else(|e| panic!("{e}"));
            let buffer = frame.buffer.clone();
            parser.process(&out.0.borrow()[before..]);
            assert_shows(&parser, &buffer);
        }
        assert!(String::from_utf8_lossy(&out.0.borrow()).contains(FAMILY));
    }
}
