//! Shared helpers for the pseudo-terminal tests in `hostile.rs` and
//! `resilience.rs`: sitrep (with any arguments and environment) in a pty under
//! the same `sh` wrapper as `tests/pty.rs`, its raw output kept and fed to a
//! `vt100` screen, plus a checker for the escape sequences in that output.
//!
//! Every run gets its own config and state directories; nothing depends on speed:
//! waits poll until a condition holds, up to 10 s.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::ffi::OsStr;
use std::fs;
use std::io::Read;
use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use expectrl::{Session, WaitStatus};

/// How long any one condition may take to show up.
pub const TIMEOUT: Duration = Duration::from_secs(10);

/// `$0` is sitrep, `$1`/`$2` the size, the rest sitrep's arguments. Waits until
/// the tty has that size, then records `stty -g` before and after sitrep and
/// prints `TTY-RESTORED`/`TTY-CHANGED` and `EXIT=<status>`.
const WRAPPER: &str = r#"cols=$1; rows=$2; shift 2
n=0
while [ "$(stty size)" != "$rows $cols" ]; do
  n=$((n + 1)); [ "$n" -gt 1000 ] && exit 90
  sleep 0.01
done
before=$(stty -g)
"$0" "$@"
code=$?
after=$(stty -g)
if [ "$before" = "$after" ]; then tty=RESTORED; else tty=CHANGED; fi
# One write, then a pause before the pty closes, so the reader gets both lines.
printf 'TTY-%s\nEXIT=%s\n' "$tty" "$code"
sleep 0.2"#;

/// [`WRAPPER`] with job control, as an interactive shell runs a command: sitrep
/// in its own process group in the foreground. When sitrep stops, it prints
/// `STOPPED`, whether the tty mode sitrep left is the one it started with
/// (`as-before` or `changed`), and its `icanon`/`echo` settings; then puts the
/// tty back in the mode it had before (as a shell does for its prompt), reads a
/// line (type `fg` and Enter, see [`Tty::fg`]) and brings sitrep back with `fg`.
const JOB_WRAPPER: &str = r#"cols=$1; rows=$2; shift 2
n=0
while [ "$(stty size)" != "$rows $cols" ]; do
  n=$((n + 1)); [ "$n" -gt 1000 ] && exit 90
  sleep 0.01
done
before=$(stty -g)
set -m
"$0" "$@"
code=$?
while [ "$code" -gt 128 ] && case $(kill -l $((code - 128))) in STOP|TSTP) true;; *) false;; esac; do
  mode=$(stty -a | tr ' ;' '\n\n' | grep -x -e '-*icanon' -e '-*echo' | tr '\n' ' ')
  if [ "$(stty -g)" = "$before" ]; then same=as-before; else same=changed; fi
  echo "STOPPED $same $mode"
  stty "$before"
  read line
  fg >/dev/null
  code=$?
done
set +m
after=$(stty -g)
if [ "$before" = "$after" ]; then tty=RESTORED; else tty=CHANGED; fi
# One write, then a pause before the pty closes, so the reader gets both lines.
printf 'TTY-%s\nEXIT=%s\n' "$tty" "$code"
sleep 0.2"#;

/// The terminal modes the screen model is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Modes {
    /// The alternate screen is shown.
    pub alternate: bool,
    /// The cursor is hidden.
    pub cursor_hidden: bool,
    /// Some mouse reporting is on.
    pub mouse: bool,
}

/// What sitrep wrote so far: the raw bytes and the screen they draw.
struct Output {
    bytes: Vec<u8>,
    parser: vt100::Parser,
}

/// One sitrep running in a pseudo-terminal.
pub struct Tty {
    session: Session,
    out: Arc<Mutex<Output>>,
    cols: u16,
}

/// Points every directory sitrep could write to into `dir` (state in `dir/state`).
pub fn isolate(cmd: &mut Command, dir: &Path) {
    cmd.env("SITREP_CONFIG_DIR", dir)
        .env("SITREP_STATE_DIR", dir.join("state"))
        .env("HOME", dir.join("home"))
        .env("XDG_CONFIG_HOME", dir.join("xdg-config"))
        .env("XDG_STATE_HOME", dir.join("xdg-state"))
        .env_remove("NO_COLOR")
        .env_remove("SITREP_ASCII")
        .env_remove("SITREP_LOG")
        .env_remove("SITREP_TEST_PANIC");
}

impl Tty {
    /// Starts sitrep with `args` at `cols`x`rows`, its directories in `dir`, plus
    /// the extra environment `env`.
    pub fn start<S: AsRef<OsStr>>(
        dir: &Path,
        cols: u16,
        rows: u16,
        args: &[S],
        env: &[(&str, &str)],
    ) -> Self {
        Self::spawn(WRAPPER, dir, (cols, rows), (cols, rows), args, env)
    }

    /// `program` with `args` under the same wrapper as [`Tty::start`] (so the
    /// tty's modes are compared before and after), e.g. `ssh` into sitrep.
    pub fn start_program<S: AsRef<OsStr>>(
        program: &Path,
        dir: &Path,
        cols: u16,
        rows: u16,
        args: &[S],
        env: &[(&str, &str)],
    ) -> Self {
        Self::spawn_program(WRAPPER, program, dir, (cols, rows), (cols, rows), args, env)
    }

    /// [`Tty::start`] under a job-control shell ([`JOB_WRAPPER`]), so sitrep can
    /// be suspended and brought back with [`Tty::fg`].
    pub fn start_job<S: AsRef<OsStr>>(
        dir: &Path,
        cols: u16,
        rows: u16,
        args: &[S],
        env: &[(&str, &str)],
    ) -> Self {
        Self::spawn(JOB_WRAPPER, dir, (cols, rows), (cols, rows), args, env)
    }

    /// [`Tty::start`] on a terminal of `size` (columns, rows) whose screen is
    /// modelled only up to `model` (a huge screen would need gigabytes here too).
    pub fn start_modelled<S: AsRef<OsStr>>(
        dir: &Path,
        size: (u16, u16),
        model: (u16, u16),
        args: &[S],
        env: &[(&str, &str)],
    ) -> Self {
        Self::spawn(WRAPPER, dir, size, model, args, env)
    }

    fn spawn<S: AsRef<OsStr>>(
        wrapper: &str,
        dir: &Path,
        size: (u16, u16),
        model: (u16, u16),
        args: &[S],
        env: &[(&str, &str)],
    ) -> Self {
        let sitrep = assert_cmd::cargo::cargo_bin("sitrep");
        Self::spawn_program(wrapper, &sitrep, dir, size, model, args, env)
    }

    fn spawn_program<S: AsRef<OsStr>>(
        wrapper: &str,
        program: &Path,
        dir: &Path,
        (cols, rows): (u16, u16),
        (model_cols, model_rows): (u16, u16),
        args: &[S],
        env: &[(&str, &str)],
    ) -> Self {
        let mut cmd = Command::new("sh");
        cmd.arg("-c")
            .arg(wrapper)
            .arg(program)
            .arg(cols.to_string())
            .arg(rows.to_string())
            .args(args);
        isolate(&mut cmd, dir);
        cmd.env("TERM", "xterm-256color").env("LC_ALL", "C.UTF-8");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut session = Session::spawn(cmd).expect("spawn sitrep in a pty");
        session
            .get_process_mut()
            .set_window_size(cols, rows)
            .unwrap();
        let out = Arc::new(Mutex::new(Output {
            bytes: Vec::new(),
            parser: vt100::Parser::new(model_rows, model_cols, 0),
        }));
        let mut stream = session.get_process().get_pty_stream().unwrap();
        let sink = Arc::clone(&out);
        thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = stream.read(&mut buf) {
                if n == 0 {
                    break;
                }
                let mut o = sink.lock().unwrap();
                o.bytes.extend_from_slice(&buf[..n]);
                // vt100 0.15 can panic on a wide character in a one-column screen
                // (an overflow in its wrapping); a real terminal copes. Start a
                // fresh screen model then: the reader's next frames redraw it.
                let (rows, cols) = o.parser.screen().size();
                let chunk = &buf[..n];
                let parser = &mut o.parser;
                let ok = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    parser.process(chunk);
                }))
                .is_ok();
                if !ok {
                    o.parser = vt100::Parser::new(rows, cols, 0);
                }
            }
        });
        Tty {
            session,
            out,
            cols: model_cols,
        }
    }

    /// Writes `bytes` into the screen model only, as if something other than
    /// sitrep had written to the terminal.
    pub fn scribble(&self, bytes: &[u8]) {
        self.out.lock().unwrap().parser.process(bytes);
    }

    /// The modes the screen model is in now.
    pub fn modes(&self) -> Modes {
        let o = self.out.lock().unwrap();
        let screen = o.parser.screen();
        Modes {
            alternate: screen.alternate_screen(),
            cursor_hidden: screen.hide_cursor(),
            mouse: screen.mouse_protocol_mode() != vt100::MouseProtocolMode::None,
        }
    }

    /// Under [`Tty::start_job`]: waits for sitrep to stop, and returns how it
    /// left the tty (e.g. `"as-before icanon -echo"`, see [`JOB_WRAPPER`]).
    pub fn wait_stopped(&mut self, what: &str) -> String {
        let seen = count(&self.bytes(), b"STOPPED ");
        let bytes = self.wait_for_bytes(what, |b| {
            count(b, b"STOPPED ") > seen && {
                let at = last(b, b"STOPPED ").unwrap();
                b[at..].contains(&b'\n')
            }
        });
        let at = last(&bytes, b"STOPPED ").unwrap() + b"STOPPED ".len();
        let line = String::from_utf8_lossy(&bytes[at..]);
        line.lines().next().unwrap_or("").trim().to_string()
    }

    /// Under [`Tty::start_job`], once sitrep has stopped: types `fg` at the
    /// wrapper's prompt, which continues sitrep in the foreground.
    pub fn fg(&mut self) {
        self.send("fg\n");
    }

    /// Resizes the screen model, then the pseudo-terminal (sitrep gets SIGWINCH).
    pub fn resize(&mut self, cols: u16, rows: u16) {
        let mut o = self.out.lock().unwrap();
        o.parser.set_size(rows.max(1), cols.max(1));
        self.session
            .get_process_mut()
            .set_window_size(cols, rows)
            .unwrap();
        drop(o);
        self.cols = cols;
    }

    /// Types `keys`.
    pub fn send(&mut self, keys: &str) {
        self.session.send(keys).unwrap();
    }

    /// The screen's text, one line per row.
    pub fn screen(&self) -> String {
        let o = self.out.lock().unwrap();
        o.parser
            .screen()
            .rows(0, self.cols)
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The symbol in one cell of the screen (empty for a wide character's tail).
    pub fn cell(&self, row: u16, col: u16) -> String {
        let o = self.out.lock().unwrap();
        o.parser
            .screen()
            .cell(row, col)
            .map(|c| c.contents().clone())
            .unwrap_or_default()
    }

    /// Everything written to the terminal so far.
    pub fn bytes(&self) -> Vec<u8> {
        self.out.lock().unwrap().bytes.clone()
    }

    /// Polls the screen until `cond` holds; panics with the screen after `TIMEOUT`.
    pub fn wait_for(&mut self, what: &str, cond: impl Fn(&str) -> bool) -> String {
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
    pub fn wait_for_bytes(&mut self, what: &str, cond: impl Fn(&[u8]) -> bool) -> Vec<u8> {
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

    /// Waits for sitrep to exit; returns its exit status and whether the tty mode
    /// after it equals the mode before it.
    pub fn finish(&mut self) -> (i32, bool) {
        let bytes = self.wait_for_bytes("sitrep to exit", |b| {
            let s = String::from_utf8_lossy(b);
            s.contains("EXIT=") && s[s.rfind("EXIT=").unwrap()..].contains('\n')
        });
        let text = String::from_utf8_lossy(&bytes);
        let at = text.rfind("EXIT=").unwrap() + "EXIT=".len();
        let code: i32 = text[at..].lines().next().unwrap().trim().parse().unwrap();
        let restored = text.contains("TTY-RESTORED");
        assert!(restored || text.contains("TTY-CHANGED"), "{text}");
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
    pub fn sitrep_pid(&mut self) -> i32 {
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

/// A child process of `parent`, by scanning /proc/*/stat.
fn child_of(parent: i32) -> Option<i32> {
    for entry in fs::read_dir("/proc").ok()?.flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<i32>() else {
            continue;
        };
        let Ok(stat) = fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
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

/// Sends `signal` (e.g. "TERM") to `pid` with kill(1).
pub fn kill(signal: &str, pid: i32) {
    let status = Command::new("kill")
        .arg(format!("-{signal}"))
        .arg(pid.to_string())
        .status()
        .unwrap();
    assert!(status.success());
}

/// How many times `needle` occurs in `hay`.
pub fn count(hay: &[u8], needle: &[u8]) -> usize {
    hay.windows(needle.len()).filter(|w| *w == needle).count()
}

/// The state letter of process `pid` (`T` when stopped), from /proc.
pub fn process_state(pid: i32) -> Option<char> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = &stat[stat.rfind(')')? + 1..];
    rest.split_whitespace().next()?.chars().next()
}

/// The peak resident memory of process `pid` in kB (`VmHWM`), from /proc.
pub fn peak_memory_kb(pid: i32) -> Option<u64> {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Position of the last occurrence of `needle` in `hay`.
pub fn last(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

/// The terminal was handed back: after the last time sitrep entered the alternate
/// screen / hid the cursor / enabled the mouse, it left / showed / disabled them.
pub fn assert_terminal_restored(bytes: &[u8]) {
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

/// The private modes sitrep (crossterm) sets and resets: alternate screen, cursor,
/// mouse reporting (normal, button, any-event, urxvt, SGR), focus, bracketed paste.
const PRIVATE_MODES: [&str; 9] = [
    "1049", "25", "1000", "1002", "1003", "1015", "1006", "1004", "2004",
];

/// Whether `params`/`intermediates`/`fin` make a control sequence that sitrep
/// itself emits: cursor movement, SGR, erase, and its own private modes.
fn own_csi(params: &str, intermediates: &str, fin: u8) -> bool {
    if !intermediates.is_empty() {
        return false;
    }
    let numeric = params.bytes().all(|b| b.is_ascii_digit() || b == b';');
    match fin {
        b'm' => params
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b';' || b == b':'),
        b'H' | b'f' | b'A' | b'B' | b'C' | b'D' | b'E' | b'F' | b'G' | b'd' | b'J' | b'K' => {
            numeric
        }
        b'h' | b'l' => params
            .strip_prefix('?')
            .is_some_and(|modes| modes.split(';').all(|m| PRIVATE_MODES.contains(&m))),
        _ => false,
    }
}

/// Every piece of `bytes` that sitrep itself never emits, described: escape
/// sequences other than its own CSI sequences (any OSC, DCS, APC, PM, SOS, or
/// two-character escape), C1 controls, C0 controls other than CR, LF, TAB and
/// BS, and bidi or zero-width characters. Empty means the output is clean.
#[must_use]
pub fn foreign_sequences(bytes: &[u8]) -> Vec<String> {
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b != 0x1b {
            if b < 0x20 && !matches!(b, b'\r' | b'\n' | b'\t' | 0x08) || b == 0x7f {
                found.push(format!("C0 control {b:#04x} at {i}"));
            }
            i += 1;
            continue;
        }
        let start = i;
        match bytes.get(i + 1) {
            Some(b'[') => {
                let mut j = i + 2;
                let params_at = j;
                while j < bytes.len() && (0x30..=0x3f).contains(&bytes[j]) {
                    j += 1;
                }
                let inter_at = j;
                while j < bytes.len() && (0x20..=0x2f).contains(&bytes[j]) {
                    j += 1;
                }
                let params = String::from_utf8_lossy(&bytes[params_at..inter_at]);
                let inter = String::from_utf8_lossy(&bytes[inter_at..j]);
                match bytes.get(j) {
                    Some(&fin) if (0x40..=0x7e).contains(&fin) => {
                        if !own_csi(&params, &inter, fin) {
                            found.push(format!(
                                "CSI {:?} at {start}",
                                String::from_utf8_lossy(&bytes[start..=j])
                            ));
                        }
                        i = j + 1;
                    }
                    _ => {
                        found.push(format!("broken CSI at {start}"));
                        i = j;
                    }
                }
            }
            Some(&next) => {
                let kind = match next {
                    b']' => "OSC",
                    b'P' => "DCS",
                    b'_' => "APC",
                    b'^' => "PM",
                    b'X' => "SOS",
                    _ => "ESC",
                };
                let end = (i + 24).min(bytes.len());
                found.push(format!(
                    "{kind} {:?} at {start}",
                    String::from_utf8_lossy(&bytes[start..end])
                ));
                i += 2;
            }
            None => {
                found.push(format!("lone ESC at {start}"));
                i += 1;
            }
        }
    }
    for (n, c) in String::from_utf8_lossy(bytes).chars().enumerate() {
        if ('\u{80}'..='\u{9f}').contains(&c) || is_invisible(c) {
            found.push(format!("character U+{:04X} (char {n})", u32::from(c)));
        }
    }
    found
}

/// Invisible and layout-breaking characters that `sitrep::text::clean` removes
/// wherever they are: bidi controls, zero-width and other format characters,
/// line and paragraph separators, Hangul fillers, the combining grapheme joiner.
/// (The joiners, variation selectors and tag characters stay where a cluster
/// needs them, so they are checked in the unit tests, not here.)
pub fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{ad}' | '\u{34f}' | '\u{61c}' | '\u{115f}' | '\u{1160}' | '\u{180e}'
        | '\u{200b}' | '\u{200e}' | '\u{200f}' | '\u{2028}'..='\u{202e}'
        | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{206f}' | '\u{3164}' | '\u{feff}'
        | '\u{ffa0}' | '\u{fff9}'..='\u{fffb}')
}

/// For command-line output: every ESC, C0 (other than LF and TAB), DEL, C1, bidi
/// or zero-width character in `bytes`, described. Empty means clean.
#[must_use]
pub fn unsafe_chars(bytes: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(bytes)
        .chars()
        .enumerate()
        .filter(|&(_, c)| (c.is_control() && c != '\n' && c != '\t') || is_invisible(c))
        .map(|(n, c)| format!("U+{:04X} at char {n}", u32::from(c)))
        .collect()
}
