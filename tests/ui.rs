//! Frame tests: the reader drawn into a ratatui `TestBackend`, driven with the
//! same `runtime::handle_key` the live loop uses. Every screen is snapshotted at
//! 80x24 and 120x40 (`<screen>_<state>_<w>x<h>`), plus cell-style asserts for
//! what a text snapshot cannot show (reverse video, bold, underline, colour).
//!
//! Fixed data only: the bundled sample stories, hand-built bookmarks and a fixed
//! "now"; no clock, no config directory.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::{Color, Modifier};
use sitrep::action::{Effect, Event};
use sitrep::app::{App, DateKey, Mode, Row, Setup};
use sitrep::keymap::Keymap;
use sitrep::layout::Pane;
use sitrep::runtime;
use sitrep::store::bookmarks::Bookmark;
use sitrep::story::{Library, StoryId};
use sitrep::ui::theme::{Look, Theme};
use sitrep::{loader, ui};

/// The two sizes every screen is snapshotted at.
const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

/// The flu-hospitalisations story's headline starts with this.
const FLU: &str = "NHS monthly statistics publishes and NHS England warns about rising flu";

/// An id no bundled story has.
const MISSING_ID: u64 = 0xab;

fn at(rfc3339: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(rfc3339).unwrap()
}

/// The fixed "today" of every test.
fn now() -> DateTime<FixedOffset> {
    at("2026-02-05T09:30:00+00:00")
}

fn app_with(lib: Library, bookmarks: Vec<Bookmark>, w: u16, h: u16) -> App {
    let mut app = App::new(lib, bookmarks, now());
    app.update(Event::Resize(w, h));
    app
}

fn app(w: u16, h: u16) -> App {
    app_with(loader::load_bundled(), Vec::new(), w, h)
}

fn key_ev(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

/// Presses a key; the searches it asks for run as the reader runs them.
fn press(app: &mut App, code: KeyCode) -> Option<Effect> {
    let effect = runtime::handle_key(app, &Keymap::default(), &key_ev(code));
    runtime::settle(app, effect)
}

/// Presses each character of `keys` as a plain key.
fn keys(app: &mut App, keys: &str) {
    for c in keys.chars() {
        press(app, KeyCode::Char(c));
    }
}

/// Draws `app` with colours and Unicode symbols, or, for an app set to ASCII,
/// with neither (as under `NO_COLOR`).
fn draw(app: &App) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(app.size.0, app.size.1)).unwrap();
    let keymap = Keymap::default();
    let theme = Theme::new(Look {
        color: !app.ascii(),
        unicode: !app.ascii(),
    });
    terminal
        .draw(|f| ui::render(app, &keymap, &theme, f))
        .unwrap();
    terminal
}

fn snap(screen: &str, app: &App) -> Terminal<TestBackend> {
    let terminal = draw(app);
    let (w, h) = app.size;
    insta::assert_snapshot!(format!("{screen}_{w}x{h}"), terminal.backend());
    terminal
}

/// The text of row `y`, one symbol per cell (wide characters' trailing cells are
/// skipped by ratatui, so columns stay aligned for ASCII and box drawing).
fn row_text(buf: &Buffer, y: u16) -> String {
    (0..buf.area.width)
        .map(|x| buf[(x, y)].symbol().to_string())
        .collect()
}

fn screen_text(buf: &Buffer) -> String {
    (0..buf.area.height)
        .map(|y| row_text(buf, y))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Cell column of the first occurrence of `needle` in row `y`.
fn find_in_row(buf: &Buffer, y: u16, needle: &str) -> Option<u16> {
    let cells: Vec<&str> = (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect();
    let n: Vec<String> = needle.chars().map(|c| c.to_string()).collect();
    (0..cells.len().saturating_sub(n.len() - 1))
        .find(|&x| (0..n.len()).all(|i| cells[x + i] == n[i]))
        .map(|x| u16::try_from(x).unwrap())
}

/// (column, row) of the first occurrence of `needle` inside the Stories pane.
fn find_in_list(app: &App, buf: &Buffer, needle: &str) -> Option<(u16, u16)> {
    let r = app
        .panes()
        .inner(Pane::Stories)
        .expect("the Stories pane is shown");
    (r.y..r.bottom()).find_map(|y| {
        find_in_row(buf, y, needle)
            .filter(|&x| x >= r.x && x < r.right())
            .map(|x| (x, y))
    })
}

fn flu_index(lib: &Library) -> usize {
    lib.stories
        .iter()
        .position(|s| lib.headline(s).starts_with(FLU))
        .expect("the flu story is bundled")
}

/// The bookmark fixture: the flu story with a note (added last, so listed
/// first) and one bookmark whose story is not loaded.
fn bookmarks(lib: &Library) -> Vec<Bookmark> {
    let flu = &lib.stories[flu_index(lib)];
    let mut noted = Bookmark::new(
        flu.id,
        lib.headline(flu),
        flu.date.iso(),
        lib.source(flu),
        lib.origin(flu),
    );
    noted.added = at("2026-02-04T18:00:00+00:00");
    noted.note = "Compare with last winter's figures before Friday".into();
    let mut missing = Bookmark::new(
        StoryId(MISSING_ID),
        "Care home fees review delayed until the autumn",
        Some("2025-11-20".into()),
        "The Month",
        "/srv/updates/2025-11.txt",
    );
    missing.added = at("2026-01-15T08:00:00+00:00");
    vec![missing, noted]
}

/// Goes to the Bookmarks entry of the Dates list with the keys a user would press.
fn open_bookmarks(app: &mut App) {
    keys(app, "[");
    assert_eq!(app.lists.dates[app.lists.date_sel].key, DateKey::Bookmarks);
    assert_eq!(app.focus, Pane::Stories);
}

/// A temp folder with two bundled documents and a binary file named `.txt`,
/// loaded; warning paths are rewritten to a fixed folder so snapshots do not
/// depend on the temp name.
fn library_with_warning() -> Library {
    let dir = tempfile::tempdir().unwrap();
    let assets = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets");
    for name in ["002_c9252000ea79d87e.txt", "004_b8399ad4387e3a20.txt"] {
        fs::copy(assets.join(name), dir.path().join(name)).unwrap();
    }
    let mut junk = vec![0u8, 159, 146, 150, 0, 0, 1, 2, 3, 255, 254, 0];
    junk.extend(std::iter::repeat_n(0u8, 64));
    fs::write(dir.path().join("scan.txt"), junk).unwrap();
    let mut lib = loader::load_paths(&[PathBuf::from(dir.path())], &|_, _| {});
    let prefix = dir.path().to_string_lossy().into_owned();
    assert!(!lib.warnings.is_empty(), "a binary .txt gives a warning");
    for w in &mut lib.warnings {
        assert!(w.file.starts_with(&prefix), "{}", w.file);
        w.file = w.file.replace(&prefix, "updates");
    }
    lib
}

// ---------------------------------------------------------------- snapshots

#[test]
fn start_screen() {
    for (w, h) in SIZES {
        let app = app(w, h);
        let t = snap("start_default", &app);
        let text = screen_text(t.backend().buffer());
        let count = if w >= 100 {
            "23 of 23 stories"
        } else {
            "All (23)"
        };
        assert!(text.contains(count), "{text}");
        assert!(text.contains("More strikes unlikely"), "{text}");
    }
}

#[test]
fn story_open_and_scrolled() {
    for (w, h) in SIZES {
        let mut app = app(w, h);
        // The first story too long for one screen at this size.
        let height = usize::from(h) - 3;
        loop {
            press(&mut app, KeyCode::Enter);
            assert_eq!(app.focus, Pane::Reader);
            assert_eq!(
                app.open_id(),
                app.selected_id(),
                "Enter opens the selection"
            );
            if app.page().len() > height {
                break;
            }
            press(&mut app, KeyCode::Char('h'));
            let before = app.lists.story_sel;
            keys(&mut app, "j");
            assert_ne!(
                app.lists.story_sel, before,
                "some story is longer than {height} lines"
            );
        }
        assert_eq!(app.reader.scroll, 0);
        snap("story_open", &app);
        press(&mut app, KeyCode::Char(' '));
        assert!(app.reader.scroll > 0, "Space scrolls the story");
        let t = snap("story_scrolled", &app);
        let text = screen_text(t.backend().buffer());
        assert!(text.contains('%') || text.contains("Bot"), "{text}");
    }
}

#[test]
fn filter_flu_lists_the_flu_story_first() {
    for (w, h) in SIZES {
        let mut app = app(w, h);
        keys(&mut app, "/flu");
        assert_eq!(app.mode, Mode::Filter);
        let first = app.lists.rows.first().copied();
        let flu = u32::try_from(flu_index(&app.lib)).unwrap();
        assert_eq!(first, Some(Row::Story(flu)));
        assert_eq!(app.lists.story_sel, 0);
        let t = snap("filter_flu", &app);
        let buf = t.backend().buffer();
        let text = screen_text(buf);
        let listed = app.lists.listed;
        assert!(
            text.contains(&format!("{listed} of 23 stories")),
            "footer count matches the list: {text}"
        );
        // The stories found only by scattered letters come under a divider.
        let divider = app.lists.rows.iter().position(|r| *r == Row::Divider);
        assert_eq!(divider, Some(1), "{text}");
        assert!(text.contains("by scattered letters"), "{text}");
        assert!(text.contains("/flu"), "the filter is shown: {text}");
        // The flu story is the first story row on screen.
        let (_, first_story_y) = find_in_list(&app, buf, "rising flu").unwrap();
        let first_row = app.panes().inner(Pane::Stories).unwrap().y;
        assert_eq!(
            first_story_y, first_row,
            "the flu story is on the first row"
        );
        for other in ["NHS trust performance", "Wes Streeting"] {
            if let Some((_, y)) = find_in_list(&app, buf, other) {
                assert!(y > first_story_y, "{other} listed above the flu story");
            }
        }
    }
}

#[test]
fn filter_without_matches_says_so() {
    for (w, h) in SIZES {
        let mut app = app(w, h);
        keys(&mut app, "/xyzzy");
        assert!(app.lists.rows.is_empty());
        assert!(app.page().is_empty(), "Story pane is empty");
        let t = snap("filter_nomatch", &app);
        let text = screen_text(t.backend().buffer());
        assert!(text.contains("No story matches"), "{text}");
        assert!(text.contains("0 of 23 stories"), "{text}");
        if let Some(r) = app.panes().inner(Pane::Reader) {
            let buf = t.backend().buffer();
            for y in r.y..r.bottom() {
                for x in r.x..r.right() {
                    assert_eq!(buf[(x, y)].symbol(), " ", "Story pane is blank at {x},{y}");
                }
            }
        }
        // Enter keeps the (empty) filter; Enter again cannot open anything.
        press(&mut app, KeyCode::Enter);
        press(&mut app, KeyCode::Enter);
        assert_ne!(app.focus, Pane::Reader);
        draw(&app);
    }
}

#[test]
fn help_overlay() {
    for (w, h) in SIZES {
        let mut app = app(w, h);
        keys(&mut app, "?");
        assert_eq!(app.mode, Mode::Help);
        let t = snap("help_open", &app);
        let text = screen_text(t.backend().buffer());
        assert!(text.contains("Keys"), "{text}");
        assert!(text.contains("move down"), "{text}");
        keys(&mut app, "?");
        assert_eq!(app.mode, Mode::Normal);
    }
}

#[test]
fn help_overlay_scrolls_to_the_end() {
    for (w, h) in SIZES {
        let mut app = app(w, h);
        keys(&mut app, "?");
        for _ in 0..80 {
            keys(&mut app, "j");
        }
        let t = snap("help_end", &app);
        let text = screen_text(t.backend().buffer());
        assert!(
            text.contains("Mouse: wheel"),
            "last help line reachable: {text}"
        );
    }
}

#[test]
fn bookmarks_view() {
    for (w, h) in SIZES {
        let lib = loader::load_bundled();
        let marks = bookmarks(&lib);
        let mut app = app_with(lib, marks, w, h);
        open_bookmarks(&mut app);
        assert_eq!(app.lists.rows.len(), 2);
        let t = snap("bookmarks_list", &app);
        let text = screen_text(t.backend().buffer());
        assert!(text.contains("not loaded"), "{text}");
        let count = if w >= 100 {
            "2 bookmarks"
        } else {
            "Bookmarks (2)"
        };
        assert!(text.contains(count), "{text}");

        press(&mut app, KeyCode::Enter);
        assert_eq!(app.focus, Pane::Reader);
        let t = snap("bookmarks_note", &app);
        let text = screen_text(t.backend().buffer());
        assert!(text.contains("Compare with last"), "the note shows: {text}");
        press(&mut app, KeyCode::Char('h'));

        keys(&mut app, "j");
        assert!(matches!(
            app.lists.rows[app.lists.story_sel],
            Row::Missing(_)
        ));
        press(&mut app, KeyCode::Enter);
        assert_eq!(app.focus, Pane::Reader);
        let t = snap("bookmarks_missing", &app);
        let text = screen_text(t.backend().buffer());
        assert!(text.contains("not in the loaded files"), "{text}");
    }
}

#[test]
fn warnings_overlay() {
    for (w, h) in SIZES {
        let lib = library_with_warning();
        let mut app = app_with(lib, Vec::new(), w, h);
        let t = snap("warnings_closed", &app);
        let text = screen_text(t.backend().buffer());
        if w >= 100 {
            assert!(
                text.contains("1 warning (w)"),
                "the status line says: {text}"
            );
        }
        keys(&mut app, "w");
        assert_eq!(app.mode, Mode::Warnings);
        let t = snap("warnings_open", &app);
        let text = screen_text(t.backend().buffer());
        assert!(text.contains("scan.txt"), "{text}");
        keys(&mut app, "w");
        assert_eq!(app.mode, Mode::Normal);
    }
}

#[test]
fn warnings_overlay_without_warnings() {
    let mut app = app(80, 24);
    keys(&mut app, "w");
    let text = screen_text(draw(&app).backend().buffer());
    assert!(text.contains("Every file loaded cleanly."), "{text}");
}

#[test]
fn too_small() {
    for (w, h) in [(20, 5), (1, 1)] {
        let app = app(w, h);
        snap("toosmall_default", &app);
    }
    let text = screen_text(draw(&app(20, 5)).backend().buffer());
    assert!(text.contains("too small"), "{text}");
}

#[test]
fn dates_focused() {
    for (w, h) in SIZES {
        let mut app = app(w, h);
        press(&mut app, KeyCode::Char('h'));
        assert_eq!(app.focus, Pane::Dates);
        snap("dates_focused", &app);
    }
}

#[test]
fn note_editing() {
    for (w, h) in SIZES {
        let mut app = app(w, h);
        keys(&mut app, "b");
        assert!(app.bookmark(app.selected_id().unwrap()).is_some());
        keys(&mut app, "N");
        assert_eq!(app.mode, Mode::Note);
        keys(&mut app, "read later");
        snap("note_editing", &app);
        press(&mut app, KeyCode::Enter);
        assert_eq!(app.mode, Mode::Normal);
        let id = app.selected_id().unwrap();
        assert_eq!(app.bookmark(id).unwrap().note, "read later");
    }
}

// ------------------------------------------------------------- no panics

fn states() -> Vec<(&'static str, App)> {
    let mut out = Vec::new();
    out.push(("start", app(100, 30)));
    let mut a = app(100, 30);
    press(&mut a, KeyCode::Enter);
    press(&mut a, KeyCode::Char(' '));
    out.push(("story", a));
    let mut a = app(100, 30);
    keys(&mut a, "/flu");
    out.push(("filter", a));
    let mut a = app(100, 30);
    keys(&mut a, "/xyzzy");
    out.push(("nomatch", a));
    let mut a = app(100, 30);
    keys(&mut a, "?");
    out.push(("help", a));
    let lib = loader::load_bundled();
    let marks = bookmarks(&lib);
    let mut a = app_with(lib, marks, 100, 30);
    open_bookmarks(&mut a);
    keys(&mut a, "j");
    out.push(("bookmarks", a));
    let mut a = app_with(library_with_warning(), Vec::new(), 100, 30);
    keys(&mut a, "w");
    out.push(("warnings", a));
    let mut a = app(100, 30);
    keys(&mut a, "bN");
    keys(&mut a, "a note");
    out.push(("note", a));
    out
}

#[test]
fn every_size_renders_without_panic() {
    for (name, mut app) in states() {
        for w in (1..=130).step_by(3) {
            for h in (1..=45).step_by(4) {
                app.update(Event::Resize(w, h));
                let t = draw(&app);
                // Something is drawn at every size: the reader, or the note
                // that the terminal is too small.
                let drawn = t.backend().buffer().content().iter();
                assert!(
                    drawn.filter(|c| c.symbol() != " ").count() > 0,
                    "{name} {w}x{h}: blank"
                );
            }
        }
    }
}

#[test]
fn keys_at_tiny_sizes_do_not_panic() {
    for (w, h) in [(1, 1), (2, 2), (29, 5), (30, 6), (31, 7), (99, 8), (100, 6)] {
        let mut app = app(w, h);
        for code in [
            KeyCode::Enter,
            KeyCode::Char(' '),
            KeyCode::PageDown,
            KeyCode::Char('G'),
            KeyCode::Char('j'),
            KeyCode::Char('n'),
            KeyCode::Tab,
            KeyCode::Char('?'),
            KeyCode::Char('j'),
            KeyCode::Esc,
            KeyCode::Char('/'),
            KeyCode::Char('f'),
            KeyCode::Down,
            KeyCode::Enter,
            KeyCode::Char('h'),
            KeyCode::Char('['),
            KeyCode::Char(']'),
        ] {
            press(&mut app, code);
            draw(&app);
        }
    }
}

// ------------------------------------------------------------- cell styles

#[test]
fn selected_row_is_reversed_with_a_bar() {
    for (w, h) in SIZES {
        let app = app(w, h);
        let t = draw(&app);
        let buf = t.backend().buffer();
        let (x, y) = find_in_list(&app, buf, "▌• More strikes")
            .expect("selected first (unread) story with the bar");
        let inner = app.panes().inner(Pane::Stories).unwrap();
        assert_eq!(x, inner.x, "the bar is at the left edge of the list");
        for cx in inner.x..inner.right() {
            assert!(
                buf[(cx, y)].modifier.contains(Modifier::REVERSED),
                "cell {cx},{y} of the selected row is reversed"
            );
        }
        // No other row of the list is reversed.
        for cy in inner.y..inner.bottom() {
            if cy != y {
                assert!(
                    !buf[(inner.x + 2, cy)].modifier.contains(Modifier::REVERSED),
                    "row {cy} is not selected"
                );
            }
        }
    }
}

/// Checks every visible story row of the list: matched characters (as
/// `App::highlight` reports them) are bold + underlined, the others are not
/// underlined. Returns how many matched characters were visible.
fn check_highlights(app: &App, buf: &Buffer) -> usize {
    let inner = app.panes().inner(Pane::Stories).unwrap();
    let mut checked = 0;
    for (n, row) in app
        .lists
        .rows
        .iter()
        .enumerate()
        .skip(app.lists.story_offset)
        .take(usize::from(inner.height))
    {
        let Row::Story(i) = *row else { continue };
        let headline = app.lib.headline(&app.lib.stories[i as usize]);
        let hits = app.highlight(headline);
        let y = inner.y + u16::try_from(n - app.lists.story_offset).unwrap();
        let x0 = inner.x + 3; // bar, then the marker column (★ or unread •)
        for (i, c) in headline.chars().enumerate() {
            let x = x0 + u16::try_from(i).unwrap();
            if x >= inner.right() || buf[(x, y)].symbol() != c.to_string() {
                break; // cut with "…"
            }
            let m = buf[(x, y)].modifier;
            if hits.contains(&i) {
                assert!(
                    m.contains(Modifier::BOLD | Modifier::UNDERLINED),
                    "{c:?} at {i} of {headline:?} is matched: {m:?}"
                );
                checked += 1;
            } else {
                assert!(!m.contains(Modifier::UNDERLINED), "{c:?} at {i} is not");
            }
        }
    }
    checked
}

#[test]
fn matched_characters_are_bold_and_underlined() {
    for (w, h) in SIZES {
        for query in ["/flu", "/nhs", "/strike"] {
            let mut app = app(w, h);
            keys(&mut app, query);
            let t = draw(&app);
            let checked = check_highlights(&app, t.backend().buffer());
            assert!(checked > 0, "matches of {query} visible at {w}x{h}");
        }
    }
}

/// The best match for `flu` is listed first but its headline is cut before
/// "flu", so the top result shows no highlighted character at all.
#[test]
fn top_result_shows_its_match() {
    for (w, h) in SIZES {
        let mut app = app(w, h);
        keys(&mut app, "/flu");
        let t = draw(&app);
        let buf = t.backend().buffer();
        let (_, y) = find_in_list(&app, buf, "rising flu").unwrap();
        assert_eq!(app.lists.story_sel, 0, "the flu story is first");
        let inner = app.panes().inner(Pane::Stories).unwrap();
        let underlined = (inner.x..inner.right())
            .filter(|&x| buf[(x, y)].modifier.contains(Modifier::UNDERLINED))
            .count();
        assert!(underlined > 0, "{w}x{h}: {}", row_text(buf, y));
    }
}

#[test]
fn bookmarked_story_has_a_star() {
    for (w, h) in SIZES {
        let mut app = app(w, h);
        keys(&mut app, "jb");
        assert_eq!(app.bookmarks.len(), 1);
        let t = draw(&app);
        let buf = t.backend().buffer();
        let (x, y) = find_in_list(&app, buf, "BMA to appeal").unwrap();
        assert_eq!(buf[(x - 2, y)].symbol(), "★", "{}", row_text(buf, y));
        let (_, other) = find_in_list(&app, buf, "More strikes").unwrap();
        assert!(!row_text(buf, other).contains('★'));
    }
}

#[test]
fn toggle_bookmark_asks_to_save() {
    let mut app = app(80, 24);
    let effect = press(&mut app, KeyCode::Char('b'));
    assert!(
        matches!(effect, Some(Effect::SaveBookmark(_))),
        "{effect:?}"
    );
    let effect = press(&mut app, KeyCode::Char('b'));
    assert!(
        matches!(effect, Some(Effect::SaveBookmark(_))),
        "{effect:?}"
    );
    assert!(app.bookmarks.is_empty());
}

fn assert_plain(app: &App, what: &str) {
    let t = draw(app);
    let buf = t.backend().buffer();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            let cell = &buf[(x, y)];
            assert_eq!(cell.fg, Color::Reset, "{what}: fg at {x},{y}");
            assert_eq!(cell.bg, Color::Reset, "{what}: bg at {x},{y}");
        }
    }
    let text = screen_text(buf);
    for bad in ['★', '▌', '▏'] {
        assert!(!text.contains(bad), "{what}: {bad} drawn under NO_COLOR");
    }
}

#[test]
fn no_color_uses_no_colours_and_ascii_markers() {
    for (w, h) in SIZES {
        let lib = loader::load_bundled();
        let marks = bookmarks(&lib);
        let mut app = app_with(lib, marks, w, h);
        app.setup(Setup {
            ascii: true,
            ..Setup::default()
        });
        let text = screen_text(draw(&app).backend().buffer());
        assert!(!text.contains('★') && !text.contains('▌'), "{text}");
        keys(&mut app, "/flu");
        let t = draw(&app);
        let buf = t.backend().buffer();
        let (x, y) = find_in_list(&app, buf, "rising flu").unwrap();
        let inner = app.panes().inner(Pane::Stories).unwrap();
        assert_eq!(buf[(inner.x, y)].symbol(), ">", "ASCII selection bar");
        assert_eq!(buf[(inner.x + 1, y)].symbol(), "*", "{}", row_text(buf, y));
        assert!(buf[(x, y)].modifier.contains(Modifier::REVERSED));
        press(&mut app, KeyCode::Esc);
        open_bookmarks(&mut app);
        let text = screen_text(draw(&app).backend().buffer());
        assert!(
            text.contains("* Bookmarks") || text.contains("* Care home"),
            "{text}"
        );
    }
}

#[test]
fn no_color_screens_have_no_colour() {
    for (name, mut app) in states() {
        app.setup(Setup {
            ascii: true,
            ..Setup::default()
        });
        for (w, h) in SIZES {
            app.update(Event::Resize(w, h));
            assert_plain(&app, name);
        }
    }
}

/// The ASCII look is meant for terminals without Unicode: it should not draw
/// any non-ASCII character of its own (box-drawing borders are allowed; story
/// text itself may contain curly quotes, so only chrome is checked here).
#[test]
fn ascii_look_draws_no_unicode_chrome() {
    for (w, h) in SIZES {
        let mut app = app(w, h);
        app.setup(Setup {
            ascii: true,
            ..Setup::default()
        });
        let mut found = Vec::new();
        for k in ["", "?"] {
            keys(&mut app, k);
            let t = draw(&app);
            let mut buf = t.backend().buffer().clone();
            // Story text is content (it may hold "…"); only the chrome is checked.
            if let (Some(r), Mode::Normal) = (app.panes().inner(Pane::Reader), app.mode) {
                for y in r.y..r.bottom() {
                    for x in r.x..r.right() {
                        buf[(x, y)].set_symbol(" ");
                    }
                }
            }
            let text = screen_text(&buf);
            for bad in ['⏎', '↓', '↑', '←', '→', '◂', '▸', '·', '▏', '…'] {
                if text.contains(bad) {
                    found.push((k, bad));
                }
            }
        }
        assert!(found.is_empty(), "{w}x{h}: {found:?}");
    }
}

/// The help scrolls as far as its last line and no further: the model's limit
/// and the drawn box agree.
#[test]
fn help_scrolls_to_its_last_line_and_stops() {
    let mut app = app(80, 24);
    let theme = Theme::new(Look {
        color: true,
        unicode: true,
    });
    let len = ui::help_len(&Keymap::default(), &theme);
    app.setup(Setup {
        help_lines: len,
        ..Setup::default()
    });
    press(&mut app, KeyCode::Char('?'));
    for _ in 0..len {
        press(&mut app, KeyCode::Char('j'));
    }
    let at_end = app.overlay.scroll;
    let text = screen_text(draw(&app).backend().buffer());
    let lines: Vec<&str> = text.lines().collect();
    let last = lines
        .iter()
        .rposition(|l| l.contains("Mouse: wheel scrolls"))
        .expect("the last help line shows");
    let under = lines.get(last + 1).copied().unwrap_or_default();
    assert!(under.contains('─'), "the box ends under it: {text}");
    press(&mut app, KeyCode::Char('k'));
    assert_eq!(app.overlay.scroll, at_end - 1, "one step back from the end");
}

/// At 80 columns (the usual SSH terminal) the status line keeps the key hints
/// and drops the counts, so the only sign that files failed to load vanishes.
#[test]
fn warnings_notice_visible_at_80x24() {
    let app = app_with(library_with_warning(), Vec::new(), 80, 24);
    let text = screen_text(draw(&app).backend().buffer());
    assert!(text.contains("warning"), "{text}");
}

#[test]
fn one_warning_is_singular() {
    let app = app_with(library_with_warning(), Vec::new(), 120, 40);
    let text = screen_text(draw(&app).backend().buffer());
    assert!(text.contains("1 warning (w)"), "{text}");
}

// ------------------------------------------------------------- the terminal

#[test]
fn ctrl_l_asks_for_a_redraw_in_every_mode() {
    let ctrl_l = KeyEvent::new(KeyCode::Char('l'), KeyModifiers::CONTROL);
    let keymap = Keymap::default();
    let mut a = app(120, 40);
    for (setup, mode) in [
        ("", Mode::Normal),
        ("/fl", Mode::Filter),
        ("?", Mode::Help),
        ("bN", Mode::Note),
    ] {
        let mut a2 = app(120, 40);
        keys(&mut a2, setup);
        assert_eq!(a2.mode, mode, "{setup:?}");
        let before = screen_text(draw(&a2).backend().buffer());
        assert_eq!(
            runtime::handle_key(&mut a2, &keymap, &ctrl_l),
            Some(Effect::Redraw),
            "{setup:?}"
        );
        // Nothing else changes: the same frame is drawn again.
        assert_eq!(
            screen_text(draw(&a2).backend().buffer()),
            before,
            "{setup:?}"
        );
    }
    // Finding text in the story, too.
    press(&mut a, KeyCode::Enter);
    runtime::handle_key(
        &mut a,
        &keymap,
        &KeyEvent::new(KeyCode::Char('f'), KeyModifiers::CONTROL),
    );
    assert_eq!(a.mode, Mode::Find);
    assert_eq!(
        runtime::handle_key(&mut a, &keymap, &ctrl_l),
        Some(Effect::Redraw)
    );
    assert!(
        a.reader.find.is_empty(),
        "Ctrl-L is not typed: {:?}",
        a.reader.find
    );
}

#[test]
fn an_absurd_terminal_size_is_drawn_capped_and_said_once() {
    use sitrep::layout::MAX_SIDE;
    let mut a = app(120, 40);
    a.update(Event::Resize(10_000, 10_000));
    assert_eq!(a.size, (MAX_SIDE, MAX_SIDE));
    let notice = "The terminal says it is 10000x10000: sitrep draws in the top-left 1000x1000";
    assert_eq!(
        a.status.message.as_ref().map(|(m, _)| m.as_str()),
        Some(notice)
    );

    // The frame is the capped size, status line at its bottom.
    let t = draw(&a);
    let buf = t.backend().buffer();
    assert_eq!((buf.area.width, buf.area.height), (MAX_SIDE, MAX_SIDE));
    let text = screen_text(buf);
    let last = text.lines().last().unwrap();
    assert!(last.contains(notice), "{last}");
    assert!(text.contains("┌ Stories"));

    // Said once: after it expires, another absurd size says nothing more.
    for _ in 0..20 {
        a.update(Event::Tick(now()));
    }
    assert_eq!(a.status.message, None);
    a.update(Event::Resize(5000, 3000));
    assert_eq!(a.size, (MAX_SIDE, MAX_SIDE));
    assert_eq!(a.status.message, None);
    // One side only is capped alone.
    a.update(Event::Resize(120, 4000));
    assert_eq!(a.size, (120, MAX_SIDE));
    a.update(Event::Resize(120, 40));
    assert_eq!(a.size, (120, 40));
}
