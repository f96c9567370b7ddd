//! The reader under stress, end to end in a pseudo-terminal: a crash (through
//! the `SITREP_TEST_PANIC=1` test hook) restores the terminal and points to a
//! crash report instead of printing a backtrace; SIGTERM right after bookmark
//! changes leaves them on disk and never a torn file; every terminal size from
//! 1x1 up draws, and the reader still works at a normal size afterwards (the
//! unpaced resize storm is `#[ignore]`d: it finds a rendering bug). Plus the
//! diagnostics log, which must never reach the terminal.

#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::fs;
use std::path::Path;

use common::{Tty, assert_terminal_restored, foreign_sequences, kill, last};

const NO_ARGS: &[&str] = &[];

/// The saved bookmarks' ids, or `None` when there is no file.
fn saved_ids(config: &Path) -> Option<Vec<String>> {
    let bytes = fs::read(config.join("bookmarks.json")).ok()?;
    let json: serde_json::Value = serde_json::from_slice(&bytes)
        .unwrap_or_else(|e| panic!("bookmarks.json is not JSON ({e}): {bytes:?}"));
    let list = json
        .as_array()
        .or_else(|| json["bookmarks"].as_array())
        .unwrap_or_else(|| panic!("no bookmark list in {json}"));
    Some(
        list.iter()
            .map(|b| b["id"].as_str().unwrap().to_string())
            .collect(),
    )
}

/// Temp files a save left behind in `config`.
fn leftovers(config: &Path) -> Vec<String> {
    fs::read_dir(config)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp-"))
        .collect()
}

#[test]
fn panic_restores_the_terminal_then_points_to_a_crash_report() {
    let dir = tempfile::tempdir().unwrap();
    let env = [
        ("SITREP_TEST_PANIC", "1"),
        // Even when asked for, no backtrace reaches the terminal.
        ("RUST_BACKTRACE", "1"),
        ("SITREP_LOG", "info"),
    ];
    let mut t = Tty::start(dir.path(), 100, 30, NO_ARGS, &env);
    let (code, restored) = t.finish();
    assert_eq!(code, 101, "a crash exits 101");
    assert!(restored, "the tty mode is as before");
    let bytes = t.bytes();
    assert_terminal_restored(&bytes);
    assert!(
        last(&bytes, b"Dates").is_some(),
        "a frame was drawn before the crash"
    );
    let at = last(&bytes, b"sitrep crashed:").expect("the crash message");
    assert!(
        at > last(&bytes, b"\x1b[?1049l").unwrap(),
        "the message comes after the terminal is restored"
    );
    let text = String::from_utf8_lossy(&bytes[at..]).into_owned();
    let lines: Vec<&str> = text
        .lines()
        .take_while(|l| !l.starts_with("TTY-"))
        .collect();
    assert_eq!(lines.len(), 2, "two lines: {lines:?}");
    assert!(lines[0].contains("deliberate crash"), "{lines:?}");
    let path = lines[1]
        .split_once("A crash report is in ")
        .and_then(|(_, rest)| rest.split_once("; please"))
        .map_or_else(
            || panic!("no path in {:?}", lines[1]),
            |(p, _)| Path::new(p).to_path_buf(),
        );
    assert_eq!(path.parent(), Some(dir.path().join("state").as_path()));
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        name.starts_with("crash-") && path.extension().is_some_and(|e| e == "txt"),
        "{name}"
    );
    let report = fs::read_to_string(&path).unwrap();
    for want in [
        "message: SITREP_TEST_PANIC=1: deliberate crash",
        "location: src/crash.rs:",
        concat!("version: ", env!("CARGO_PKG_VERSION")),
        "backtrace:\n",
        "test_panic_point",
    ] {
        assert!(
            report.contains(want),
            "{want:?} not in the report:\n{report}"
        );
    }
    let all = String::from_utf8_lossy(&bytes);
    for unwanted in [
        "panicked at",
        "stack backtrace",
        "RUST_BACKTRACE",
        "test_panic_point",
    ] {
        assert!(!all.contains(unwanted), "{unwanted:?} on the terminal");
    }
    // The log got the start and the crash, the terminal none of it.
    let log = fs::read_to_string(dir.path().join("state/sitrep.log")).unwrap();
    assert!(log.contains("start") && log.contains("crash"), "{log}");
    assert!(!all.contains(" INFO ") && !all.contains(" ERROR "), "{all}");
}

#[test]
fn bookmark_toggled_right_before_sigterm_is_on_disk() {
    let config = tempfile::tempdir().unwrap();
    let id = sitrep::loader::load_bundled().stories[0].id.to_string();
    let mut t = Tty::start(config.path(), 100, 30, NO_ARGS, &[]);
    t.wait_for("the story list", |s| s.contains("23 of 23 stories"));
    let pid = t.sitrep_pid();
    t.send("b");
    // The save is carried out before the next frame: once the marker shows, the
    // toggle has happened, and SIGTERM is handled only after it.
    t.wait_for("the bookmark", |s| s.contains("Bookmarked"));
    kill("TERM", pid);
    let (code, restored) = t.finish();
    assert_eq!(code, 143);
    assert!(restored);
    assert_eq!(saved_ids(config.path()), Some(vec![id]));
    assert_eq!(leftovers(config.path()), Vec::<String>::new());
}

#[test]
fn sigterm_during_a_burst_of_saves_never_tears_the_file() {
    let config = tempfile::tempdir().unwrap();
    let mut t = Tty::start(config.path(), 100, 30, NO_ARGS, &[]);
    t.wait_for("the story list", |s| s.contains("23 of 23 stories"));
    let pid = t.sitrep_pid();
    // Toggle and move on 40 times, then SIGTERM as soon as the first save is on
    // disk: the signal arrives somewhere in the middle of the saves.
    t.send(&"bj".repeat(40));
    let file = config.path().join("bookmarks.json");
    let deadline = std::time::Instant::now() + common::TIMEOUT;
    while !file.exists() {
        assert!(std::time::Instant::now() < deadline, "no save at all");
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    kill("TERM", pid);
    let (code, restored) = t.finish();
    assert_eq!(code, 143);
    assert!(restored);
    let ids = saved_ids(config.path()).expect("the file exists");
    assert!(!ids.is_empty() && ids.len() <= 23, "{ids:?}");
    assert_eq!(leftovers(config.path()), Vec::<String>::new());
}

/// Sizes from 1x1 up: too small, one row, one column, just big enough, narrow,
/// wide and short.
const SIZES: [(u16, u16); 12] = [
    (1, 1),
    (2, 1),
    (1, 2),
    (3, 3),
    (200, 5),
    (10, 100),
    (1, 60),
    (150, 1),
    (30, 6),
    (99, 8),
    (100, 6),
    (80, 24),
];

/// Resizes through `SIZES` (`rounds` times), then types a filter at 120x40 and
/// checks the frame, the exit and the output stream. With `settle`, each size is
/// drawn before the next one comes.
fn resize_through_sizes(rounds: usize, settle: bool) {
    let config = tempfile::tempdir().unwrap();
    let mut t = Tty::start(config.path(), 100, 30, NO_ARGS, &[]);
    t.wait_for("the story list", |s| s.contains("23 of 23 stories"));
    for _ in 0..rounds {
        for (c, r) in SIZES {
            let before = t.bytes().len();
            t.resize(c, r);
            if settle {
                t.wait_for_bytes("a redraw", |b| b.len() > before);
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
        }
    }
    t.resize(120, 40);
    t.wait_for("a full frame at 120x40", |s| {
        s.contains("┌ Stories") && s.lines().nth(39).is_some_and(|l| l.contains("23 of 23"))
    });
    t.send("/flu");
    t.wait_for("the filter", |s| {
        s.lines().nth(39).is_some_and(|l| l.contains("/flu"))
    });
    t.send("\x1b");
    t.wait_for("the filter to clear", |s| {
        !s.lines().nth(39).is_some_and(|l| l.contains("/flu"))
    });
    t.send("q");
    let (code, restored) = t.finish();
    assert_eq!(code, 0);
    assert!(restored);
    let bytes = t.bytes();
    assert_terminal_restored(&bytes);
    assert_eq!(foreign_sequences(&bytes), Vec::<String>::new());
}

#[test]
fn every_size_from_one_cell_up_renders_in_the_real_terminal() {
    resize_through_sizes(1, true);
}

#[test]
fn resize_storm_down_to_one_cell_ends_in_a_normal_frame() {
    for _ in 0..10 {
        resize_through_sizes(5, false);
    }
}

/// The race behind the storm's crash, without a terminal: the App was told one
/// size (the last `Resize`), the frame ratatui draws into is smaller (the terminal
/// shrank again before the draw).
#[test]
fn frame_smaller_than_the_last_resize_renders() {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use sitrep::action::Event;
    use sitrep::app::App;
    use sitrep::keymap::Keymap;
    for ((aw, ah), (w, h)) in [
        ((120, 40), (80, 24)),
        ((80, 25), (80, 24)),
        ((100, 30), (3, 3)),
    ] {
        let now = chrono::DateTime::parse_from_rfc3339("2026-02-05T09:30:00+00:00").unwrap();
        let mut app = App::new(sitrep::loader::load_bundled(), Vec::new(), now);
        app.update(Event::Resize(aw, ah));
        let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
        let theme = sitrep::ui::Theme::new(sitrep::ui::theme::Look::default());
        terminal
            .draw(|f| sitrep::ui::render(&app, &Keymap::default(), &theme, f))
            .unwrap();
    }
}

#[test]
fn log_is_off_by_default_and_written_with_the_flag() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state");
    let sitrep = || {
        let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("sitrep"));
        common::isolate(&mut cmd, dir.path());
        cmd
    };
    let out = sitrep().args(["check", "tests/hostile"]).output().unwrap();
    assert!(out.status.success());
    assert!(!state.join("sitrep.log").exists(), "no log by default");
    // What check counted (`9 files, N stories, 2 warnings`) is what the log says.
    let counts = String::from_utf8_lossy(&out.stdout);
    let stories = counts
        .lines()
        .last()
        .and_then(|l| l.split(", ").nth(1))
        .and_then(|s| s.split(' ').next())
        .unwrap()
        .to_string();
    let out = sitrep()
        .args(["check", "--log", "tests/hostile"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let log = fs::read_to_string(state.join("sitrep.log")).unwrap();
    assert!(
        log.contains("start") && log.contains("command=\"check\""),
        "{log}"
    );
    assert!(
        log.contains(&format!(
            "load finished files=9 stories={stories} warnings=2"
        )),
        "{log}"
    );
    assert!(!String::from_utf8_lossy(&out.stderr).contains("INFO"));
    // $SITREP_LOG alone turns it on, at its level.
    let out = sitrep()
        .env("SITREP_LOG", "warn")
        .args(["list", "tests/hostile"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let again = fs::read_to_string(state.join("sitrep.log")).unwrap();
    assert_eq!(again, log, "warn level: nothing to log");
}
