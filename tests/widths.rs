//! Width fidelity: whatever a file holds (invisible characters, line separators,
//! emoji ZWJ and skin-tone sequences, CJK, combining marks, tabs), every row the
//! Stories list and the Story pane draw is exactly as wide as the screen, each
//! wide cell's other half is blank, and the pane borders stay in their columns.
//! Drawn with `ui::render` into a `TestBackend`, as the reader draws.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::DateTime;
use proptest::prelude::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::{Buffer, CellWidth};
use sitrep::action::{Action, Event};
use sitrep::app::App;
use sitrep::keymap::Keymap;
use sitrep::layout::Pane;
use sitrep::story::Library;
use sitrep::ui::theme::{Look, Theme};
use sitrep::{loader, ui};
use unicode_segmentation::UnicodeSegmentation;

const FAMILY: &str = "👨\u{200d}👩\u{200d}👧\u{200d}👦";
const THUMB: &str = "👍🏽";

/// A library of the one dated article `doc` holds (`headline`, then `body`).
fn library(headline: &str, body: &str) -> Library {
    let dir = tempfile::tempdir().unwrap();
    let doc = format!(" date 2026-03-01 {headline}\nBy wide\n\n{body}\n");
    std::fs::write(dir.path().join("doc.txt"), doc).unwrap();
    loader::load_paths(&[dir.path().to_path_buf()], &|_, _| {})
}

fn app(lib: Library, w: u16, h: u16) -> App {
    let now = DateTime::parse_from_rfc3339("2026-03-02T09:00:00+00:00").unwrap();
    let mut app = App::new(lib, Vec::new(), now);
    app.update(Event::Resize(w, h));
    app
}

fn draw(app: &App) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(app.size.0, app.size.1)).unwrap();
    let theme = Theme::new(Look {
        color: true,
        unicode: true,
    });
    terminal
        .draw(|f| ui::render(app, &Keymap::default(), &theme, f))
        .unwrap();
    terminal.backend().buffer().clone()
}

/// Row `y` as text, one symbol a cell (wide cells' other halves left out).
fn row(buf: &Buffer, y: u16) -> String {
    let mut out = String::new();
    let mut x = 0;
    while x < buf.area.width {
        let cell = &buf[(x, y)];
        out.push_str(cell.symbol());
        x += cell.cell_width().max(1);
    }
    out
}

/// Every row's cells add up to the buffer's width: no cell holds nothing (a
/// zero-width symbol would pull the rest of the row left), no wide cell hangs
/// over the edge, and the cells under a wide one are blank.
fn assert_rows_fit(buf: &Buffer) -> Result<(), TestCaseError> {
    for y in 0..buf.area.height {
        let mut x = 0;
        while x < buf.area.width {
            let cell = &buf[(x, y)];
            let w = cell.cell_width();
            prop_assert!(
                w >= 1,
                "row {y} col {x}: {:?} takes no column",
                cell.symbol()
            );
            for dx in 1..w {
                let under = buf.cell((x + dx, y)).map_or("", |c| c.symbol());
                prop_assert_eq!(under, " ", "row {} col {}: under a wide cell", y, x + dx);
            }
            x += w;
        }
        prop_assert_eq!(
            x,
            buf.area.width,
            "row {} is {} wide: {:?}",
            y,
            x,
            row(buf, y)
        );
    }
    Ok(())
}

/// The columns of row 0's box corners are box characters on every row but the
/// status line: no text spilled over a pane's edge.
fn assert_borders_intact(buf: &Buffer) -> Result<(), TestCaseError> {
    let corners: Vec<u16> = (0..buf.area.width)
        .filter(|&x| matches!(buf[(x, 0)].symbol(), "┌" | "┐"))
        .collect();
    for y in 0..buf.area.height - 1 {
        for &x in &corners {
            let s = buf[(x, y)].symbol();
            prop_assert!(
                matches!(s, "│" | "┌" | "┐" | "└" | "┘" | "├" | "┤"),
                "row {y} col {x} holds {s:?}: {:?}",
                row(buf, y)
            );
        }
    }
    Ok(())
}

/// Each cell holds one whole grapheme cluster: no two neighbours would join
/// into one (as a cell ending in a ZWJ and an emoji after it would, on a
/// terminal that joins them), and no cell holds a character the cleaner
/// removes. ZWJ and VS16 appear only inside emoji sequences.
fn assert_whole_clusters(buf: &Buffer) -> Result<(), TestCaseError> {
    let emoji = |c: Option<char>| c.is_some_and(|c| "👨👩👧👦👍❤⚕🏽".contains(c));
    for y in 0..buf.area.height {
        let mut x = 0;
        let mut prev: Option<&str> = None;
        while x < buf.area.width {
            let cell = &buf[(x, y)];
            let sym = cell.symbol();
            let chars: Vec<char> = sym.chars().collect();
            for (i, &c) in chars.iter().enumerate() {
                prop_assert!(
                    !INVISIBLE.contains(&c),
                    "row {y} col {x}: U+{:04X} in {sym:?}",
                    u32::from(c)
                );
                let before = i.checked_sub(1).map(|p| chars[p]);
                let after = chars.get(i + 1).copied();
                if c == '\u{200d}' {
                    prop_assert!(
                        emoji(before) || before == Some('\u{fe0f}'),
                        "row {y} col {x}: {sym:?}"
                    );
                    prop_assert!(emoji(after), "row {y} col {x}: {sym:?}");
                }
                if c == '\u{fe0f}' {
                    prop_assert!(
                        emoji(before) || before == Some('1'),
                        "row {y} col {x}: {sym:?}"
                    );
                }
            }
            if let Some(p) = prev {
                let both = format!("{p}{sym}");
                prop_assert_eq!(
                    both.graphemes(true).count(),
                    2,
                    "row {} col {}: {:?} joins the cell before",
                    y,
                    x,
                    both
                );
            }
            prev = Some(sym);
            x += cell.cell_width().max(1);
        }
    }
    Ok(())
}

/// The list (filtered by `query` when given), then the open story (with
/// `query` found in it), at a wide (bordered) and a narrow size.
fn screens(headline: &str, body: &str, query: &str) -> Vec<Buffer> {
    let lib = library(headline, body);
    let mut out = Vec::new();
    for (w, h) in [(120, 30), (70, 20)] {
        let mut app = app(lib.clone(), w, h);
        assert_eq!(app.focus, Pane::Stories);
        out.push(draw(&app));
        if !query.is_empty() {
            app.update(Action::StartFilter);
            for c in query.chars() {
                let effect = app.update(Action::FilterInput(c));
                sitrep::runtime::settle(&mut app, effect);
            }
            out.push(draw(&app));
            app.update(Action::CancelFilter);
        }
        app.update(Action::Open);
        out.push(draw(&app));
        if !query.is_empty() {
            app.update(Action::StartFind);
            for c in query.chars() {
                app.update(Action::FindInput(c));
            }
            app.update(Action::ConfirmFind);
            out.push(draw(&app));
        }
    }
    out
}

#[test]
fn a_tab_in_a_headline_shows_as_a_space_in_the_list() {
    let mut app = app(library("Tab\theadline here", "Body."), 120, 30);
    assert_eq!(app.focus, Pane::Stories);
    let buf = draw(&app);
    // The list's own cells (the Story pane beside it shows the story too).
    let list = app.panes().inner(Pane::Stories).unwrap();
    let rows: Vec<String> = (list.y..list.bottom())
        .map(|y| {
            (list.x..list.right())
                .map(|x| buf[(x, y)].symbol())
                .collect()
        })
        .collect();
    assert!(
        rows.iter().any(|r| r.contains("Tab headline here")),
        "{rows:#?}"
    );
    // As the Story pane shows it.
    app.update(Action::Open);
    let buf = draw(&app);
    let rows: Vec<String> = (0..buf.area.height).map(|y| row(&buf, y)).collect();
    assert!(
        rows.iter().any(|r| r.contains("Tab headline here")),
        "{rows:#?}"
    );
}

#[test]
fn emoji_sequences_take_two_cells_in_the_list_and_the_story() {
    let headline = format!("Family {FAMILY} and thumbs {THUMB} · wide");
    let body = format!("{FAMILY}{THUMB}❤\u{fe0f} ends here. {}", "word ".repeat(40));
    for buf in screens(&headline, &body, "👩") {
        assert_rows_fit(&buf).unwrap();
        assert_borders_intact(&buf).unwrap();
        assert_whole_clusters(&buf).unwrap();
        let rows: Vec<String> = (0..buf.area.height).map(|y| row(&buf, y)).collect();
        // One cell each, followed by the rest of the text: nothing cut early.
        assert!(
            rows.iter()
                .any(|r| r.contains(&format!("{FAMILY} and thumbs {THUMB} · wide"))),
            "{rows:#?}"
        );
    }
}

#[test]
fn found_text_is_highlighted_where_it_is_drawn() {
    let lib = library(&format!("{FAMILY}{FAMILY} needle"), "Body.");
    let mut app = app(lib, 120, 30);
    app.update(Action::Open);
    app.update(Action::StartFind);
    for c in "needle".chars() {
        app.update(Action::FindInput(c));
    }
    app.update(Action::ConfirmFind);
    let buf = draw(&app);
    let (x, y) = (0..buf.area.height)
        .find_map(|y| {
            let r = row(&buf, y);
            r.find(FAMILY).map(|_| {
                let x = (0..buf.area.width)
                    .find(|&x| buf[(x, y)].symbol() == FAMILY)
                    .unwrap();
                (x, y)
            })
        })
        .expect("the headline is shown");
    // Two 2-cell clusters and a space, then the found word.
    assert_eq!(buf[(x + 5, y)].symbol(), "n");
    assert_eq!(buf[(x + 5, y)].style(), buf[(x + 10, y)].style());
    assert_ne!(buf[(x + 5, y)].style(), buf[(x + 4, y)].style());
    assert_rows_fit(&buf).unwrap();
}

/// The characters that clean text never holds (ZWJ and VS16 are checked apart).
const INVISIBLE: &[char] = &[
    '\u{200b}',
    '\u{200c}',
    '\u{2028}',
    '\u{2029}',
    '\u{061c}',
    '\u{180e}',
    '\u{ad}',
    '\u{3164}',
    '\u{115f}',
    '\u{1160}',
    '\u{34f}',
    '\u{206a}',
    '\u{206f}',
    '\u{fff9}',
    '\u{fffb}',
    '\u{e0001}',
    '\u{e0041}',
    '\u{202e}',
    '\u{feff}',
    '\t',
];

/// Pieces of text the property mixes: invisible and layout-breaking characters,
/// emoji (ZWJ and skin-tone sequences, VS16, flags, keycaps), CJK, combining
/// marks, tabs and ASCII words.
const PIECES: &[&str] = &[
    "a",
    "word",
    " ",
    " ",
    "\t",
    "日本",
    "漢",
    "é",
    "e\u{301}",
    "\u{301}",
    "👍",
    THUMB,
    FAMILY,
    "❤\u{fe0f}",
    "🇬🇧",
    "1\u{fe0f}\u{20e3}",
    "👩\u{200d}⚕\u{fe0f}",
    "\u{200b}",
    "\u{200c}",
    "\u{200d}",
    "\u{2028}",
    "\u{2029}",
    "\u{061c}",
    "\u{180e}",
    "\u{ad}",
    "\u{3164}",
    "\u{115f}",
    "\u{34f}",
    "\u{206a}",
    "\u{206f}",
    "\u{fff9}",
    "\u{fffb}",
    "\u{e0001}",
    "\u{e0041}",
    "\u{fe0f}",
    "\u{202e}",
    "\u{feff}",
    "ｶﾞ",
    "\u{1160}",
];

fn mixed(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 1..max).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 64,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn every_row_is_as_wide_as_the_screen(
        headline in mixed(30),
        body in mixed(120),
        query in prop::sample::select(&["", "👩", "a", "e", "日", "👍"][..]),
    ) {
        // A headline needs a letter to be one.
        let headline = format!("Story {headline}");
        for buf in screens(&headline, &body, query) {
            assert_rows_fit(&buf)?;
            assert_borders_intact(&buf)?;
            assert_whole_clusters(&buf)?;
        }
    }
}
