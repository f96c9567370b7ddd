//! A terminal that reports an absurd size (10000x10000: a hundred million cells)
//! costs no more than a 1000x1000 one: the reader draws in at most
//! [`MAX_SIDE`] cells each way, so no screen buffer is made for the reported size.
//!
//! The check is a hard cap, as in `memory.rs`: the allocator of this test binary
//! refuses to go past the limit, so a buffer for the reported size aborts this
//! binary and the test run fails. (One test per binary, so no other test shares
//! the cap.)

#![allow(clippy::unwrap_used, clippy::expect_used)]

use cap::Cap;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Cell;
use sitrep::action::Event;
use sitrep::app::App;
use sitrep::keymap::Keymap;
use sitrep::layout::MAX_SIDE;
use sitrep::{loader, ui};

#[global_allocator]
static ALLOCATOR: Cap<std::alloc::System> = Cap::new(std::alloc::System, usize::MAX);

#[test]
fn an_absurd_size_is_drawn_within_four_capped_screens_of_memory() {
    let now = chrono::DateTime::parse_from_rfc3339("2026-02-05T09:30:00+00:00").unwrap();
    let mut app = App::new(loader::load_bundled(), Vec::new(), now);
    let keymap = Keymap::default();
    let theme = ui::Theme::new(ui::theme::Look::default());
    // The terminal's buffer and ratatui's two, with room to spare; a single
    // buffer at the reported size would need 25 times this.
    let cells = usize::from(MAX_SIDE) * usize::from(MAX_SIDE);
    let limit = 4 * cells * std::mem::size_of::<Cell>();

    let before = ALLOCATOR.allocated();
    ALLOCATOR.set_limit(before + limit).unwrap();
    app.update(Event::Resize(10_000, 10_000));
    let (w, h) = app.size;
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal
        .draw(|f| ui::render(&app, &keymap, &theme, f))
        .unwrap();
    let within = ALLOCATOR.allocated() <= before + limit;
    ALLOCATOR.set_limit(usize::MAX).unwrap();

    assert!(within);
    assert_eq!((w, h), (MAX_SIDE, MAX_SIDE));
    let buf = terminal.backend().buffer();
    let status: String = (0..buf.area.width)
        .map(|x| buf[(x, buf.area.height - 1)].symbol().to_string())
        .collect();
    assert!(
        status.contains("The terminal says it is 10000x10000"),
        "{}",
        status.trim()
    );
}
