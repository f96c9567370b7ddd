//! End-to-end tests of the live reader: the real binary in a pseudo-terminal
//! (expectrl), its output fed to a `vt100` screen, keys typed as bytes.
//!
//! The binary runs under a small `sh` wrapper that sets the terminal size with
//! `stty` *before* sitrep starts (no resize race), records `stty -g` before and
//! after, and prints `TTY-RESTORED`/`TTY-CHANGED` and `EXIT=<status>` once
//! sitrep has gone: so the exit status and the terminal mode (raw mode off) are
//! checked on the real tty, not guessed from bytes.
//!
//! Every run gets its own temp config directory (`SITREP_CONFIG_DIR`, and
//! `HOME`/`XDG_*` pointed into it), never the real one. Nothing depends on
//! speed: every wait polls the screen until a condition holds, up to 10 s.

#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::process::Command;

use common::{Tty, assert_terminal_restored};
use tempfile::TempDir;

/// The harness shared with the other pseudo-terminal tests.
type Reader = Tty;

/// Starts sitrep (bundled stories) at `cols`x`rows` with its directories in `dir`.
fn reader(dir: &Path, cols: u16, rows: u16) -> Reader {
    Tty::start(dir, cols, rows, &[] as &[&str], &[])
}

/// Index of the first row containing `needle`.
fn row_of(rows: &[String], needle: &str) -> Option<usize> {
    rows.iter().position(|r| r.contains(needle))
}

fn first_story_id() -> String {
    sitrep::loader::load_bundled().stories[0].id.to_string()
}

// ------------------------------------------------------------------- tests

#[test]
fn filter_open_and_quit_restores_the_terminal() {
    let config = TempDir::new().unwrap();
    let mut r = reader(config.path(), 100, 30);
    r.wait_for("the story list", |s| s.contains("23 of 23 stories"));

    r.send("/flu");
    let screen = r.wait_for("the filter to apply", |s| {
        s.lines().last().is_some_and(|l| l.contains("/flu")) && s.contains("7 of 23 stories")
    });
    let rows: Vec<String> = screen.lines().map(str::to_string).collect();
    let status = rows.last().unwrap();
    assert!(
        status.contains("/flu"),
        "status line shows the filter: {status}"
    );
    let title = row_of(&rows, "┌ Stories").expect("the Stories pane");
    assert!(
        rows[title + 1].contains("rising flu"),
        "the flu story is listed first:\n{screen}"
    );

    r.send("\r"); // keep the filter
    r.wait_for("the filter to be kept", |s| {
        s.lines()
            .last()
            .is_some_and(|l| l.contains("/flu") && !l.contains("Esc clear"))
    });
    r.send("\r"); // open the story
    let screen = r.wait_for("the story to open", |s| {
        s.contains("n/p story") && s.contains("The NHS have warned that flu")
    });
    assert!(screen.contains("hospitalisations"), "{screen}");

    r.send("q");
    let (code, restored) = r.finish();
    assert_eq!(code, 0, "q exits with status 0");
    assert!(restored, "the tty mode (raw mode) is as before");
    assert_terminal_restored(&r.bytes());
}

#[test]
fn bookmark_persists_across_runs() {
    let config = TempDir::new().unwrap();
    let id = first_story_id();

    let mut r = reader(config.path(), 100, 30);
    r.wait_for("the story list", |s| s.contains("More strikes"));
    r.send("b");
    r.wait_for("the bookmark message", |s| s.contains("Bookmarked"));
    r.send("q");
    let (code, restored) = r.finish();
    assert_eq!(code, 0);
    assert!(restored);

    let mut r = reader(config.path(), 100, 30);
    let screen = r.wait_for("the marked story", |s| s.contains("More strikes"));
    let rows: Vec<String> = screen.lines().map(str::to_string).collect();
    let title = row_of(&rows, "┌ Stories").unwrap();
    let row = rows
        .iter()
        .skip(title)
        .find(|l| l.contains("More strikes"))
        .unwrap();
    assert!(row.contains("★ More strikes"), "marker on the row: {row}");
    let others = rows.iter().skip(title).filter(|l| l.contains('★')).count();
    assert_eq!(others, 1, "only one story is marked:\n{screen}");
    let dates_row = &rows[row_of(&rows, "★ Bookmarks").unwrap()];
    assert!(
        dates_row.contains(" 1 ") || dates_row.contains(" 1/1 "),
        "Bookmarks count is 1: {dates_row}"
    );
    r.send("q");
    assert_eq!(r.finish().0, 0);

    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("sitrep"));
    common::isolate(&mut cmd, config.path());
    cmd.args(["bookmarks", "--json"]);
    let out = assert_cmd::Command::from_std(cmd).assert().success();
    let json: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let ids: Vec<&str> = json
        .as_array()
        .expect("a JSON array")
        .iter()
        .filter_map(|b| b["id"].as_str())
        .collect();
    assert_eq!(ids, [id.as_str()], "{json}");
}

fn signal_restores_the_terminal(signal: &str, expected: i32) {
    let config = TempDir::new().unwrap();
    let mut r = reader(config.path(), 100, 30);
    r.wait_for("the story list", |s| s.contains("23 of 23 stories"));
    let pid = r.sitrep_pid();
    common::kill(signal, pid);
    let (code, restored) = r.finish();
    assert_eq!(code, expected, "SIG{signal} exit status");
    assert!(restored, "the tty mode is as before after SIG{signal}");
    assert_terminal_restored(&r.bytes());
}

#[test]
fn sigterm_restores_the_terminal() {
    signal_restores_the_terminal("TERM", 143);
}

#[test]
fn sighup_restores_the_terminal() {
    signal_restores_the_terminal("HUP", 129);
}

#[test]
fn narrow_layout_shows_one_pane_at_a_time() {
    let config = TempDir::new().unwrap();
    let mut r = reader(config.path(), 80, 24);
    let screen = r.wait_for("the list", |s| s.contains("BMA to appeal"));
    assert!(
        !screen.contains('┌'),
        "no boxes in the narrow layout:\n{screen}"
    );
    assert!(!screen.contains("A resident doctors’ leader"), "{screen}");

    r.send("\r");
    let screen = r.wait_for("the story", |s| s.contains("A resident doctors’ leader"));
    assert!(
        !screen.contains("BMA to appeal"),
        "the list is gone:\n{screen}"
    );
    let rows: Vec<String> = r.screen().lines().map(str::to_string).collect();
    let widest = rows.iter().map(|l| l.trim_end().chars().count()).max();
    assert!(
        widest > Some(70),
        "the story uses the full width:\n{screen}"
    );

    r.send("q");
    let screen = r.wait_for("the list again", |s| s.contains("BMA to appeal"));
    assert!(!screen.contains("A resident doctors’ leader"), "{screen}");

    r.send("q");
    let (code, restored) = r.finish();
    assert_eq!(code, 0);
    assert!(restored);
    assert_terminal_restored(&r.bytes());
}

#[test]
fn resize_switches_between_wide_and_narrow() {
    let config = TempDir::new().unwrap();
    let mut r = reader(config.path(), 100, 30);
    r.wait_for("the wide layout", |s| s.contains("┌ Stories"));
    r.resize(80, 24);
    let screen = r.wait_for("the narrow layout", |s| {
        !s.contains('┌') && s.contains("sitrep ·") && s.contains("BMA to appeal")
    });
    assert_eq!(screen.lines().count(), 24, "{screen}");
    r.resize(120, 40);
    r.wait_for("the wide layout again", |s| {
        s.contains("┌ Stories") && s.lines().nth(39).is_some_and(|l| l.contains("stories"))
    });
    r.send("q");
    let (code, restored) = r.finish();
    assert_eq!(code, 0);
    assert!(restored);
}

#[test]
fn ctrl_c_quits_while_typing_a_filter() {
    let config = TempDir::new().unwrap();
    let mut r = reader(config.path(), 100, 30);
    r.wait_for("the story list", |s| s.contains("23 of 23 stories"));
    r.send("/fl");
    r.wait_for("the filter line", |s| {
        s.lines().last().is_some_and(|l| l.contains("/fl"))
    });
    r.send("\x03");
    let (code, restored) = r.finish();
    assert_eq!(code, 0, "Ctrl-C is a key in raw mode: a clean quit");
    assert!(restored);
    assert_terminal_restored(&r.bytes());
}

#[test]
fn y_copies_the_story_with_osc52() {
    use base64::Engine;
    let config = TempDir::new().unwrap();
    let mut r = reader(config.path(), 100, 30);
    r.wait_for("the story list", |s| s.contains("23 of 23 stories"));
    r.send("y");
    r.wait_for("the copy message", |s| s.contains("Copied"));
    let bytes = r.bytes();
    let start = find(&bytes, b"\x1b]52;c;").expect("an OSC 52 sequence");
    let rest = &bytes[start + 7..];
    let end = rest.iter().position(|&b| b == 0x07).expect("ended by BEL");
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(&rest[..end])
        .expect("base64");
    let text = String::from_utf8(decoded).unwrap();
    assert!(text.starts_with("More strikes unlikely amid"), "{text}");
    assert!(text.contains("Tue 3 Feb 2026 · Health and care sector latest developments"));
    assert!(text.contains("A resident doctors’ leader has predicted"));
    r.send("q");
    let (code, _) = r.finish();
    assert_eq!(code, 0);
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}
