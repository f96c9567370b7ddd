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
    let mut term =
        Terminal::with_options(Lean::new(out.clone()), options).unwrap_or_else(|e| panic!("{e}"));
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
    let mut term =
        Terminal::with_options(Lean::new(out.clone()), options).unwrap_or_else(|e| panic!("{e}"));
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
    let mut term =
        Terminal::with_options(Lean::new(out.clone()), options).unwrap_or_else(|e| panic!("{e}"));
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
