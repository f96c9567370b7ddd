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

use std::fs;
use std::io::Read;
use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use expectrl::{Session, WaitStatus};
use tempfile::TempDir;

/// How long any one condition may take to show up.
const TIMEOUT: Duration = Duration::from_secs(10);

/// The wrapper: `$0` is sitrep, `$1`/`$2` the size. The test sets the size
/// from outside once the pty exists (expectrl sets 80x24 after the fork), so
/// the wrapper waits until the tty has that size before it starts sitrep.
const WRAPPER: &str = r#"n=0
while [ "$(stty size)" != "$2 $1" ]; do
  n=$((n + 1)); [ "$n" -gt 1000 ] && exit 90
  sleep 0.01
done
before=$(stty -g)
"$0"
code=$?
after=$(stty -g)
if [ "$before" = "$after" ]; then echo TTY-RESTORED; else echo TTY-CHANGED; fi
echo "EXIT=$code""#;

/// What the reader wrote so far: the raw bytes and the screen they draw.
struct Output {
    bytes: Vec<u8>,
    parser: vt100::Parser,
}

/// One sitrep running in a pseudo-terminal.
struct Reader {
    session: Session,
    out: Arc<Mutex<Output>>,
    cols: u16,
}

impl Reader {
    /// Starts sitrep (bundled stories) at `cols`x`rows` with its config in `config`.
    fn start(config: &Path, cols: u16, rows: u16) -> Self {
        let mut cmd = Command::new("sh");
        cmd.arg("-c")
            .arg(WRAPPER)
            .arg(assert_cmd::cargo::cargo_bin("sitrep"))
            .arg(cols.to_string())
            .arg(rows.to_string());
        isolate(&mut cmd, config);
        cmd.env("TERM", "xterm-256color").env("LC_ALL", "C.UTF-8");
        let mut session = Session::spawn(cmd).expect("spawn sitrep in a pty");
        session
            .get_process_mut()
            .set_window_size(cols, rows)
            .unwrap();
        let out = Arc::new(Mutex::new(Output {
            bytes: Vec::new(),
            parser: vt100::Parser::new(rows, cols, 0),
        }));
        let mut stream = session.get_process().get_pty_stream().unwrap();
        let sink = Arc::clone(&out);
        thread::spawn(move || {
            let mut buf = [0u8; 8192];
            // Ends with EOF/EIO once every process holding the tty has gone.
            while let Ok(n) = stream.read(&mut buf) {
                if n == 0 {
                    break;
                }
                let mut o = sink.lock().unwrap();
                o.bytes.extend_from_slice(&buf[..n]);
                o.parser.process(&buf[..n]);
            }
        });
        let mut r = Reader { session, out, cols };
        r.wait_for("the first frame", |s| {
            s.contains("sitrep") || s.contains("┌")
        });
        r
    }

    /// Resizes the screen model, then the pseudo-terminal (sitrep gets
    /// SIGWINCH and redraws from a cleared screen). In this order no byte of the
    /// new size's frames is parsed at the old size.
    fn resize(&mut self, cols: u16, rows: u16) {
        let mut o = self.out.lock().unwrap();
        o.parser.set_size(rows, cols);
        self.session
            .get_process_mut()
            .set_window_size(cols, rows)
            .unwrap();
        drop(o);
        self.cols = cols;
    }

    fn send(&mut self, keys: &str) {
        self.session.send(keys).unwrap();
    }

    /// The screen's text, one line per row.
    fn screen(&self) -> String {
        let o = self.out.lock().unwrap();
        o.parser
            .screen()
            .rows(0, self.cols)
            .collect::<Vec<_>>()
            .join("\n")
    }

    fn rows(&self) -> Vec<String> {
        self.screen().lines().map(str::to_string).collect()
    }

    fn bytes(&self) -> Vec<u8> {
        self.out.lock().unwrap().bytes.clone()
    }

    /// Polls the screen until `cond` holds; panics with the screen after `TIMEOUT`.
    fn wait_for(&mut self, what: &str, cond: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if cond(&screen) {
                return screen;
            }
            assert!(
                start.elapsed() < TIMEOUT,
                "timed out waiting for {what}; screen:\n{screen}"
            );
            thread::sleep(Duration::from_millis(20));
        }
    }

    /// Polls the raw output until `cond` holds.
    fn wait_for_bytes(&mut self, what: &str, cond: impl Fn(&[u8]) -> bool) -> Vec<u8> {
        let start = Instant::now();
        loop {
            let bytes = self.bytes();
            if cond(&bytes) {
                return bytes;
            }
            assert!(
                start.elapsed() < TIMEOUT,
                "timed out waiting for {what}; output tail: {:?}",
                String::from_utf8_lossy(&bytes[bytes.len().saturating_sub(400)..])
            );
            thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits for sitrep to exit; returns its exit status and whether the tty
    /// mode after it equals the mode before it (as the wrapper reports them).
    fn finish(&mut self) -> (i32, bool) {
        let bytes = self.wait_for_bytes("sitrep to exit", |b| {
            let s = String::from_utf8_lossy(b);
            s.contains("EXIT=") && s[s.rfind("EXIT=").unwrap()..].contains('\n')
        });
        let text = String::from_utf8_lossy(&bytes);
        let at = text.rfind("EXIT=").unwrap() + "EXIT=".len();
        let code: i32 = text[at..].lines().next().unwrap().trim().parse().unwrap();
        let restored = text.contains("TTY-RESTORED");
        assert!(restored || text.contains("TTY-CHANGED"), "{text}");
        // The wrapper itself ends too.
        let start = Instant::now();
        loop {
            match self.session.get_process().status() {
                Ok(WaitStatus::StillAlive) if start.elapsed() < TIMEOUT => {
                    thread::sleep(Duration::from_millis(20));
                }
                Ok(WaitStatus::Exited(_, 0)) => break,
                other => panic!("wrapper did not exit cleanly: {other:?}"),
            }
        }
        (code, restored)
    }

    /// The pid of sitrep (the wrapper's child), from /proc.
    fn sitrep_pid(&mut self) -> i32 {
        let parent = self.session.get_process().pid().as_raw();
        let start = Instant::now();
        loop {
            if let Some(pid) = child_of(parent) {
                return pid;
            }
            assert!(start.elapsed() < TIMEOUT, "no child of {parent}");
            thread::sleep(Duration::from_millis(20));
        }
    }
}

/// Points every directory sitrep (or a mistake in it) could write to into `dir`.
fn isolate(cmd: &mut Command, dir: &Path) {
    cmd.env("SITREP_CONFIG_DIR", dir)
        .env("SITREP_STATE_DIR", dir.join("state"))
        .env("HOME", dir.join("home"))
        .env("XDG_CONFIG_HOME", dir.join("xdg-config"))
        .env("XDG_STATE_HOME", dir.join("xdg-state"))
        .env_remove("NO_COLOR")
        .env_remove("SITREP_ASCII");
}

/// A child process of `parent`, by scanning /proc/*/stat.
fn child_of(parent: i32) -> Option<i32> {
    for entry in fs::read_dir("/proc").ok()?.flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<i32>() else {
            continue;
        };
        let Ok(stat) = fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        // "pid (comm) state ppid ...": comm may hold spaces, so split after ')'.
        let Some(rest) = stat.rfind(')').map(|i| &stat[i + 1..]) else {
            continue;
        };
        let ppid = rest.split_whitespace().nth(1).and_then(|p| p.parse().ok());
        if ppid == Some(parent) {
            return Some(pid);
        }
    }
    None
}

fn last(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

/// The terminal was handed back: after the last time sitrep entered the
/// alternate screen / hid the cursor / enabled the mouse, it left / showed /
/// disabled them again.
fn assert_terminal_restored(bytes: &[u8]) {
    let tail = || String::from_utf8_lossy(&bytes[bytes.len().saturating_sub(300)..]).into_owned();
    let enter = last(bytes, b"\x1b[?1049h").expect("entered the alternate screen");
    let leave = last(bytes, b"\x1b[?1049l").unwrap_or_else(|| panic!("no ?1049l: {}", tail()));
    assert!(leave > enter, "left the alternate screen last: {}", tail());
    if let Some(hide) = last(bytes, b"\x1b[?25l") {
        let show = last(bytes, b"\x1b[?25h").unwrap_or_else(|| panic!("no ?25h: {}", tail()));
        assert!(show > hide, "cursor shown last: {}", tail());
    }
    if let Some(on) = last(bytes, b"\x1b[?1000h") {
        let off =
            last(bytes, b"\x1b[?1000l").unwrap_or_else(|| panic!("mouse left on: {}", tail()));
        assert!(off > on, "mouse released last: {}", tail());
    }
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
    let mut r = Reader::start(config.path(), 100, 30);
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

    let mut r = Reader::start(config.path(), 100, 30);
    r.wait_for("the story list", |s| s.contains("More strikes"));
    r.send("b");
    r.wait_for("the bookmark message", |s| s.contains("Bookmarked"));
    r.send("q");
    let (code, restored) = r.finish();
    assert_eq!(code, 0);
    assert!(restored);

    let mut r = Reader::start(config.path(), 100, 30);
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
    isolate(&mut cmd, config.path());
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
    let mut r = Reader::start(config.path(), 100, 30);
    r.wait_for("the story list", |s| s.contains("23 of 23 stories"));
    let pid = r.sitrep_pid();
    let status = Command::new("kill")
        .arg(format!("-{signal}"))
        .arg(pid.to_string())
        .status()
        .unwrap();
    assert!(status.success());
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
    let mut r = Reader::start(config.path(), 80, 24);
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
    let rows = r.rows();
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
    let mut r = Reader::start(config.path(), 100, 30);
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
    let mut r = Reader::start(config.path(), 100, 30);
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
    let mut r = Reader::start(config.path(), 100, 30);
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
