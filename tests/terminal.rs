//! The terminal around the reader, end to end in a pseudo-terminal: suspending
//! (Ctrl-Z, SIGTSTP, SIGSTOP) and coming back with `fg`, Ctrl-L repainting a
//! damaged screen, `TERM=dumb`, and a terminal that reports an absurd size.
//!
//! Suspending needs a job-control shell (otherwise nothing could bring sitrep
//! back, and the kernel itself would not stop it): those tests run sitrep under
//! `common::Tty::start_job`, a small `sh -m` wrapper that reports the tty mode
//! sitrep left when it stops, resets the tty as a shell does for its prompt, and
//! runs `fg` when told. Waits poll for a condition (10 s at most); nothing
//! depends on speed.

#![cfg(target_os = "linux")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Modes, Tty, assert_terminal_restored};
use tempfile::TempDir;

/// The main screen with the cursor shown and no mouse reporting: what a shell
/// prompt needs.
const SHELL: Modes = Modes {
    alternate: false,
    cursor_hidden: false,
    mouse: false,
};

/// The reader's modes: alternate screen, cursor hidden, mouse captured.
const READER: Modes = Modes {
    alternate: true,
    cursor_hidden: true,
    mouse: true,
};

fn list_shown(s: &str) -> bool {
    s.contains("23 of 23 stories") && s.contains("┌ Stories")
}

/// Brings a stopped sitrep back with `fg` and checks it took the terminal back:
/// its modes, a full frame, and a key read at once, without Enter (raw mode).
fn resume_and_check(r: &mut Tty) {
    let before = r.bytes().len();
    r.fg();
    r.wait_for_bytes("the reader to take the terminal back", |b| {
        common::last(b, b"\x1b[?1049h").is_some_and(|at| at >= before)
    });
    r.wait_for("the whole reader drawn again", |s| {
        list_shown(s) && s.contains("┌ Dates") && s.contains("┌ Story")
    });
    assert_eq!(r.modes(), READER);
    r.send("?");
    r.wait_for("the help, from one key without Enter", |s| {
        s.contains("┌ Keys")
    });
    r.send("?");
    r.wait_for("the help to close", |s| !s.contains("┌ Keys"));
    r.send("q");
    let (code, restored) = r.finish();
    assert_eq!(code, 0);
    assert!(restored, "the tty mode is as before");
    assert_terminal_restored(&r.bytes());
}

/// Waits for sitrep to stop after `how`, then checks it handed the terminal back
/// first: stopped, the shell's screen and cursor, the tty cooked again.
fn assert_handed_back(r: &mut Tty, pid: i32, how: &str) {
    let mode = r.wait_stopped(&format!("sitrep to stop on {how}"));
    assert_eq!(common::process_state(pid), Some('T'), "sitrep is stopped");
    assert_eq!(r.modes(), SHELL, "the shell gets its screen and cursor");
    assert!(
        mode.starts_with("as-before icanon"),
        "the tty is cooked again: {mode}"
    );
}

#[test]
fn ctrl_z_shows_the_cursor_at_the_shell_and_fg_comes_back() {
    let config = TempDir::new().unwrap();
    let mut r = Tty::start_job(config.path(), 100, 30, &[] as &[&str], &[]);
    r.wait_for("the story list", list_shown);
    assert_eq!(r.modes(), READER);
    let pid = r.sitrep_pid();

    r.send("\x1a");
    assert_handed_back(&mut r, pid, "Ctrl-Z");

    resume_and_check(&mut r);
}

#[test]
fn sigtstp_from_outside_suspends_like_ctrl_z() {
    let config = TempDir::new().unwrap();
    let mut r = Tty::start_job(config.path(), 100, 30, &[] as &[&str], &[]);
    r.wait_for("the story list", list_shown);
    let pid = r.sitrep_pid();

    common::kill("TSTP", pid);
    assert_handed_back(&mut r, pid, "SIGTSTP");

    resume_and_check(&mut r);
}

#[test]
fn sigstop_then_fg_takes_the_terminal_back() {
    // SIGSTOP cannot be caught: the terminal stays as it was, the shell resets
    // the mode for its prompt, and SIGCONT must undo all of that.
    let config = TempDir::new().unwrap();
    let mut r = Tty::start_job(config.path(), 100, 30, &[] as &[&str], &[]);
    r.wait_for("the story list", list_shown);
    let pid = r.sitrep_pid();

    common::kill("STOP", pid);
    let mode = r.wait_stopped("sitrep to stop on SIGSTOP");
    assert!(
        mode.starts_with("changed -icanon"),
        "SIGSTOP leaves raw mode: {mode}"
    );

    let before = r.bytes().len();
    resume_and_check(&mut r);
    let after = &r.bytes()[before..];
    assert!(
        common::last(after, b"\x1b[2J").is_some(),
        "the screen was cleared before the frame"
    );
}

#[test]
fn ctrl_z_in_the_pager_stops_both_and_fg_brings_both_back() {
    // The pager (here a stand-in that waits for a line) gets the terminal's
    // SIGTSTP and stops; sitrep, waiting for it, must stop too, or the shell
    // would never see the job stop.
    let pager = "sh -c 'cat >/dev/null; echo PAGER-UP; read line </dev/tty; echo PAGER-DONE'";
    let config = TempDir::new().unwrap();
    let mut r = Tty::start_job(config.path(), 100, 30, &[] as &[&str], &[("PAGER", pager)]);
    r.wait_for("the story list", list_shown);
    let pid = r.sitrep_pid();
    r.send("|");
    r.wait_for_bytes("the pager", |b| common::last(b, b"PAGER-UP").is_some());

    r.send("\x1a");
    r.wait_stopped("sitrep and its pager to stop");
    assert_eq!(common::process_state(pid), Some('T'), "sitrep is stopped");
    r.fg();
    // The pager's line; then the reader takes the terminal back.
    let before = r.bytes().len();
    r.send("\n");
    r.wait_for_bytes("the pager to finish", |b| {
        common::last(b, b"PAGER-DONE").is_some()
    });
    // Had the pager returned at once, the reader would wait for a key; a space
    // is harmless either way.
    std::thread::sleep(std::time::Duration::from_millis(100));
    r.send(" ");
    r.wait_for_bytes("the reader to take the terminal back", |b| {
        common::last(b, b"\x1b[?1049h").is_some_and(|at| at >= before)
    });
    r.wait_for("the reader drawn again", list_shown);
    r.send("q");
    let (code, restored) = r.finish();
    assert_eq!(code, 0);
    assert!(restored);
    assert_terminal_restored(&r.bytes());
}

#[test]
fn ctrl_z_without_job_control_says_so_and_keeps_reading() {
    // Under a plain `sh -c` (no job control) nothing could resume sitrep.
    let config = TempDir::new().unwrap();
    let mut r = Tty::start(config.path(), 100, 30, &[] as &[&str], &[]);
    r.wait_for("the story list", list_shown);
    let pid = r.sitrep_pid();
    let before = r.bytes().len();

    r.send("\x1a");
    r.wait_for("the reason in the status line", |s| {
        s.lines()
            .last()
            .is_some_and(|l| l.contains("Cannot suspend"))
    });
    assert_eq!(common::process_state(pid).map(|c| c == 'T'), Some(false));
    assert!(
        common::last(&r.bytes()[before..], b"\x1b[?1049l").is_none(),
        "the reader never left its screen"
    );
    assert_eq!(r.modes(), READER);
    r.send("j");
    r.wait_for("the next story selected", |s| {
        s.contains("▌• BMA to appeal")
    });
    r.send("q");
    let (code, restored) = r.finish();
    assert_eq!(code, 0);
    assert!(restored);
}

#[test]
fn ctrl_l_repaints_a_damaged_screen_from_scratch() {
    let config = TempDir::new().unwrap();
    let mut r = Tty::start(config.path(), 100, 30, &[] as &[&str], &[]);
    // Once the open story counts as read (its counts change), the frame stays.
    let frame = r.wait_for("the first story counted read", |s| {
        list_shown(s) && s.contains("22/23")
    });
    let rows = |s: &str| -> Vec<String> {
        // Everything but the status line, whose message may come and go.
        let all: Vec<String> = s.lines().map(str::to_string).collect();
        all[..all.len() - 1].to_vec()
    };

    // Something else writes over the reader: a line of garbage, a row erased,
    // colours changed. sitrep cannot know.
    r.scribble(b"\x1b[5;10H\x1b[41mGARBAGE FROM ELSEWHERE\x1b[0m\x1b[12;1H\x1b[2K");
    let damaged = r.screen();
    assert!(damaged.contains("GARBAGE"), "{damaged}");
    assert_ne!(rows(&damaged), rows(&frame));

    let before = r.bytes().len();
    r.send("\x0c");
    let repaired = r.wait_for("the screen repainted", |s| rows(s) == rows(&frame));
    assert!(!repaired.contains("GARBAGE"));
    let sent = &r.bytes()[before..];
    let clear = common::last(sent, b"\x1b[2J").expect("a full clear");
    let text = String::from_utf8_lossy(&sent[clear..]);
    for part in ["┌ Dates", "┌ Stories", "┌ Story", "More strikes unlikely"] {
        assert!(text.contains(part), "{part} drawn again after the clear");
    }
    r.send("q");
    let (code, restored) = r.finish();
    assert_eq!(code, 0);
    assert!(restored);
    assert_terminal_restored(&r.bytes());
}

#[test]
fn term_dumb_prints_the_list_and_says_why() {
    let config = TempDir::new().unwrap();
    let mut r = Tty::start(config.path(), 100, 30, &[] as &[&str], &[("TERM", "dumb")]);
    let (code, restored) = r.finish();
    assert_eq!(code, 0);
    assert!(restored);
    let bytes = r.bytes();
    let text = String::from_utf8_lossy(&bytes);
    assert!(
        text.contains("sitrep: this terminal (TERM=dumb) cannot show the reader"),
        "{text}"
    );
    assert!(text.contains("More strikes unlikely"), "the list: {text}");
    for mode in [&b"\x1b[?1049h"[..], b"\x1b[?1000h", b"\x1b[?25l"] {
        assert!(
            common::last(&bytes, mode).is_none(),
            "no full-screen or mouse mode: {text}"
        );
    }
}

#[test]
fn an_absurd_terminal_size_is_drawn_in_a_capped_corner() {
    // 4000x4000 cells: 16 million, about 0.6 GB per screen buffer, and ratatui
    // plus our backend keep three of them. Capped at 1000x1000, sitrep's peak is
    // about 170 MB (debug build), as on a 1000x1000 terminal.
    let config = TempDir::new().unwrap();
    let model = (1000, 1000);
    let mut r = Tty::start_modelled(config.path(), (4000, 4000), model, &[] as &[&str], &[]);
    let screen = r.wait_for("the capped frame and the notice", |s| {
        s.contains("┌ Stories")
            && s.lines().nth(999).is_some_and(|l| {
                l.contains(
                    "The terminal says it is 4000x4000: sitrep draws in the top-left 1000x1000",
                )
            })
    });
    let rows: Vec<&str> = screen.lines().collect();
    // The frame's bottom border is the row above the status line.
    assert!(rows[998].starts_with('└'), "{:?}", &rows[998][..20]);
    let pid = r.sitrep_pid();
    let peak = common::peak_memory_kb(pid).unwrap();
    assert!(
        peak < 400 * 1024,
        "sitrep's peak memory is {} MB",
        peak / 1024
    );
    r.send("q");
    let (code, restored) = r.finish();
    assert_eq!(code, 0);
    assert!(restored);
}

#[test]
fn a_pager_that_returns_at_once_leaves_its_output_until_a_key() {
    // `PAGER=cat` writes the story and exits: the reader waits for a key, as
    // mutt does, instead of drawing over it at once.
    let config = TempDir::new().unwrap();
    let mut r = Tty::start(config.path(), 100, 30, &[] as &[&str], &[("PAGER", "cat")]);
    r.wait_for("the story list", list_shown);
    r.send("|");
    r.wait_for("the prompt", |s| {
        s.contains("Press any key to return to sitrep")
    });
    let screen = r.screen();
    assert!(!list_shown(&screen), "the reader waits: {screen}");
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert!(r.screen().contains("Press any key"), "still waiting");
    r.send(" ");
    r.wait_for("the reader drawn again", list_shown);
    r.send("q");
    let (code, restored) = r.finish();
    assert_eq!(code, 0);
    assert!(restored);
    assert_terminal_restored(&r.bytes());
}

#[test]
fn colours_are_sent_in_the_sixteen_colour_form_every_colour_terminal_reads() {
    let config = TempDir::new().unwrap();
    let mut r = Tty::start(config.path(), 100, 30, &[] as &[&str], &[("TERM", "xterm")]);
    r.wait_for("the story list", list_shown);
    r.send("j");
    r.send("/flu");
    r.wait_for("the filter", |s| s.contains("/flu"));
    // Enter keeps the filter (Esc right before `q` would read as Alt-q).
    r.send("\r");
    r.wait_for("the filter kept", |s| s.contains("q quit"));
    r.send("q");
    let (code, restored) = r.finish();
    assert_eq!(code, 0);
    assert!(restored);
    let bytes = r.bytes();
    assert!(
        common::last(&bytes, b"38;5;").is_none(),
        "a 256-colour foreground was sent"
    );
    assert!(
        common::last(&bytes, b"48;5;").is_none(),
        "a 256-colour background was sent"
    );
    let text = String::from_utf8_lossy(&bytes);
    let sgr: std::collections::BTreeSet<&str> = text
        .split('\x1b')
        .filter(|s| {
            s.starts_with('[')
                && s.find('m')
                    .is_some_and(|m| s[1..m].bytes().all(|b| b.is_ascii_digit() || b == b';'))
        })
        .map(|s| &s[..=s.find('m').unwrap_or(0)])
        .collect();
    assert!(
        sgr.iter()
            .any(|s| s.split([';', '[', 'm']).any(|p| p == "36")),
        "the accent colour (cyan) is sent as 36: {sgr:?}"
    );
}

#[test]
fn a_signal_while_waiting_for_a_key_after_the_pager_still_quits() {
    let config = TempDir::new().unwrap();
    let mut r = Tty::start(config.path(), 100, 30, &[] as &[&str], &[("PAGER", "cat")]);
    r.wait_for("the story list", list_shown);
    let pid = r.sitrep_pid();
    r.send("|");
    r.wait_for("the prompt", |s| {
        s.contains("Press any key to return to sitrep")
    });
    common::kill("TERM", pid);
    let (code, restored) = r.finish();
    assert_eq!(code, 143, "quit as on SIGTERM anywhere else");
    assert!(restored);
    assert_terminal_restored(&r.bytes());
}
