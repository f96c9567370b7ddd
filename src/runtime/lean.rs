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
mod tests;
