//! Crash reports. The reader's panic hook writes the panic message, its location,
//! a backtrace and the version to `crash-<time>.txt` in the state directory (see
//! [`crate::paths::state_dir`]) and prints two short lines on stderr — never a
//! backtrace over the user's screen. Owns the hook and the report format only; the
//! terminal is restored by the hooks that run before this one (see [`install`]).

use std::backtrace::Backtrace;
use std::fmt::Write as _;
use std::fs::OpenOptions;
use std::io::{self, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::panic::PanicHookInfo;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::text;

/// Test hook: when this environment variable is `1`, the reader panics right after
/// drawing its first frame, so the crash path can be tested end to end without a
/// real bug. Not a user setting.
pub const TEST_PANIC_ENV: &str = "SITREP_TEST_PANIC";

/// The exit status after a crash (as for an ordinary Rust panic).
pub const EXIT_CODE: i32 = 101;

/// The longest panic message printed on the terminal (the report has all of it).
const MESSAGE_MAX: usize = 200;

/// Replaces the current panic hook (the default one, which prints the message and
/// maybe a backtrace) with the crash reporter, which then ends the process with
/// [`EXIT_CODE`]: a reader with a panicked worker cannot carry on.
///
/// Install it *before* `ratatui::try_init`: ratatui's hook (and the runtime's
/// mouse hook after it) wrap this one, so the terminal is restored first and the
/// two lines land on the normal screen.
pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        report(info);
        std::process::exit(EXIT_CODE);
    }));
}

/// Panics when [`TEST_PANIC_ENV`] is `1` (read once). Called by the runtime after
/// the first frame is drawn; a test hook only.
///
/// # Panics
///
/// When the variable asks for it: that is its purpose.
pub fn test_panic_point() {
    static WANTED: OnceLock<bool> = OnceLock::new();
    assert!(
        !*WANTED.get_or_init(|| std::env::var_os(TEST_PANIC_ENV).is_some_and(|v| v == "1")),
        "{TEST_PANIC_ENV}=1: deliberate crash to test crash reports"
    );
}

/// Writes the report and prints the two lines. Never panics: every failure is
/// swallowed or reported in the second line.
fn report(info: &PanicHookInfo<'_>) {
    let message = payload(info);
    let location = info
        .location()
        .map(|l| format!("{}:{}:{}", l.file(), l.line(), l.column()));
    let thread = std::thread::current()
        .name()
        .unwrap_or("unnamed")
        .to_string();
    tracing::error!(message = %text::clean_inline(&message), location = location.as_deref().unwrap_or("?"), "crash");
    let body = format_report(
        &message,
        location.as_deref(),
        &thread,
        &Backtrace::force_capture().to_string(),
    );
    let written = crate::paths::state_dir(None)
        .map_err(|e| e.to_string())
        .and_then(|dir| write_report(&dir, &body).map_err(|e| e.to_string()));
    let short = text::truncate(&text::clean_inline(&message), MESSAGE_MAX).into_owned();
    let second = match &written {
        Ok(path) => format!(
            "A crash report is in {}; please attach it when you report the problem.",
            text::clean_inline(&path.to_string_lossy())
        ),
        Err(e) => format!(
            "The crash report could not be written: {}",
            text::clean_inline(e)
        ),
    };
    // The hooks before this one left the alternate screen and raw mode; the
    // cursor is shown again here (the terminal is never dropped after a crash).
    let _ = ratatui::crossterm::execute!(io::stdout(), ratatui::crossterm::cursor::Show);
    let mut err = io::stderr().lock();
    let _ = writeln!(err, "sitrep crashed: {short}\n{second}");
    let _ = err.flush();
}

/// The panic message (a `&str` or `String` payload; others have none).
fn payload(info: &PanicHookInfo<'_>) -> String {
    let p = info.payload();
    p.downcast_ref::<&str>()
        .map(|s| (*s).to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(no message)".to_string())
}

/// The report's text.
#[must_use]
pub fn format_report(
    message: &str,
    location: Option<&str>,
    thread: &str,
    backtrace: &str,
) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "sitrep crash report");
    let _ = writeln!(out, "version: {}", env!("CARGO_PKG_VERSION"));
    let _ = writeln!(out, "time: {}", chrono::Local::now().to_rfc3339());
    let _ = writeln!(
        out,
        "os: {} {}",
        std::env::consts::OS,
        std::env::consts::ARCH
    );
    let _ = writeln!(out, "thread: {thread}");
    let _ = writeln!(out, "location: {}", location.unwrap_or("unknown"));
    let _ = writeln!(out, "message: {}", text::clean(message));
    let _ = writeln!(out, "\nbacktrace:\n{backtrace}");
    out
}

/// Writes `body` to a new `crash-<time>.txt` in `dir` (created if missing; a
/// `-N` suffix when that name is taken, never overwriting); returns its path.
///
/// # Errors
/// When the directory or the file cannot be created or written; the error's
/// text names the path.
pub fn write_report(dir: &Path, body: &str) -> io::Result<PathBuf> {
    let at = |path: &Path, e: io::Error| {
        io::Error::new(e.kind(), format!("cannot write {}: {e}", path.display()))
    };
    crate::store::file::make_private_dir(dir).map_err(|e| at(dir, e))?;
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
    let mut n = 0;
    loop {
        let name = if n == 0 {
            format!("crash-{stamp}.txt")
        } else {
            format!("crash-{stamp}-{n}.txt")
        };
        let path = dir.join(name);
        match OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&path)
        {
            Ok(mut f) => {
                f.write_all(body.as_bytes())
                    .and_then(|()| f.sync_all())
                    .map_err(|e| at(&path, e))?;
                return Ok(path);
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && n < 100 => n += 1,
            Err(e) => return Err(at(&path, e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn report_has_message_location_version_and_backtrace() {
        let body = format_report("boom\x1b]0;t\x07", Some("src/x.rs:1:2"), "main", "0: f");
        assert!(body.contains("message: boom\n"), "{body}");
        assert!(body.contains("location: src/x.rs:1:2"));
        assert!(body.contains(&format!("version: {}", env!("CARGO_PKG_VERSION"))));
        assert!(body.contains("backtrace:\n0: f"));
        assert!(!body.contains('\x1b'));
    }

    #[test]
    fn reports_never_overwrite_each_other() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let state = dir.path().join("state");
        let a = write_report(&state, "one").unwrap_or_else(|e| panic!("{e}"));
        let b = write_report(&state, "two").unwrap_or_else(|e| panic!("{e}"));
        assert_ne!(a, b);
        assert_eq!(fs::read_to_string(&a).ok().as_deref(), Some("one"));
        assert_eq!(fs::read_to_string(&b).ok().as_deref(), Some("two"));
        let name = a.file_name().map(|n| n.to_string_lossy().into_owned());
        assert!(name.is_some_and(|n| n.starts_with("crash-")));
        assert!(a.extension().is_some_and(|e| e == "txt"));
    }

    #[cfg(unix)]
    #[test]
    fn reports_and_their_folder_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let state = dir.path().join("state").join("sitrep");
        let report = write_report(&state, "one").unwrap_or_else(|e| panic!("{e}"));
        let mode = |p: &Path| fs::metadata(p).map(|m| m.permissions().mode() & 0o777).ok();
        assert_eq!(mode(&report), Some(0o600));
        assert_eq!(mode(&state), Some(0o700));
        assert_eq!(mode(&dir.path().join("state")), Some(0o700));
    }

    #[test]
    fn a_report_that_cannot_be_written_names_the_path() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let blocker = dir.path().join("not-a-folder");
        fs::write(&blocker, "x").unwrap_or_else(|e| panic!("{e}"));
        let state = blocker.join("state");
        let Err(e) = write_report(&state, "body") else {
            panic!("a folder under a file cannot be made");
        };
        let text = e.to_string();
        assert!(text.contains(&state.display().to_string()), "{text}");
    }
}
