//! Handing text to the world outside the reader: the clipboard through OSC 52
//! (which travels over SSH and through tmux), a pager or command on stdin, and
//! the user's editor on a file. Story text only ever goes on stdin; commands
//! come from `$PAGER`/`$EDITOR` split into words, never through a shell.

use std::io::{self, Write};
use std::path::Path;
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};
use base64::Engine;

/// The OSC 52 sequence that puts `text` on the clipboard. Inside tmux (`in_tmux`)
/// a second, passthrough-wrapped copy follows for tmux set-ups that forward
/// passthrough but do not handle OSC 52 themselves (`set-clipboard on` handles the
/// plain one).
#[must_use]
pub fn osc52(text: &str, in_tmux: bool) -> Vec<u8> {
    let payload = base64::engine::general_purpose::STANDARD.encode(text);
    let plain = format!("\x1b]52;c;{payload}\x07");
    let mut out = plain.clone().into_bytes();
    if in_tmux {
        out.extend(format!("\x1bPtmux;{}\x1b\\", plain.replace('\x1b', "\x1b\x1b")).bytes());
    }
    out
}

/// Writes the OSC 52 sequence for `text` to the terminal.
///
/// # Errors
/// When the terminal cannot be written.
pub fn copy(text: &str) -> io::Result<()> {
    let mut out = io::stdout().lock();
    out.write_all(&osc52(text, std::env::var_os("TMUX").is_some()))?;
    out.flush()
}

/// The command line in `var` (or `fallback`), split into words like a shell would
/// split them, without running a shell.
///
/// # Errors
/// When the variable cannot be split (unbalanced quotes) or is empty.
pub fn command_from(var: &str, fallback: &str) -> Result<Vec<String>> {
    let line = std::env::var(var)
        .ok()
        .filter(|v| !v.trim().is_empty())
        .unwrap_or_else(|| fallback.to_string());
    let words =
        shell_words::split(&line).with_context(|| format!("cannot read ${var}: {line:?}"))?;
    if words.is_empty() {
        bail!("${var} is empty");
    }
    Ok(words)
}

/// Runs `argv` with `input` on its stdin and waits for it. Returns how long it
/// ran after its input ended (a pager that did not wait for the reader returns
/// at once: see [`RETURNED_AT_ONCE`]).
///
/// # Errors
/// When it cannot start or exits with a failure.
pub fn pipe(argv: &[String], input: &str) -> Result<std::time::Duration> {
    let (program, args) = argv.split_first().context("no command")?;
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .spawn()
        .with_context(|| format!("cannot run {program}"))?;
    if let Some(mut stdin) = child.stdin.take() {
        // A pager that quits early closes the pipe: that is not an error.
        match stdin.write_all(input.as_bytes()) {
            Err(e) if e.kind() != io::ErrorKind::BrokenPipe => return Err(e.into()),
            _ => {}
        }
    }
    let written = std::time::Instant::now();
    let status = child.wait()?;
    if !status.success() {
        bail!("{program} exited with {status}");
    }
    Ok(written.elapsed())
}

/// A pager that exits sooner than this after its input ends did not wait for
/// the reader (`cat`): its output would flash and go, so [`wait_for_key`]
/// holds it on screen.
pub const RETURNED_AT_ONCE: std::time::Duration = std::time::Duration::from_millis(300);

/// Says so and waits for a key, as mutt does after a command, so what a
/// program wrote stays on screen until it is read. Reads the key in raw mode
/// (the reader takes the terminal back after).
///
/// # Errors
/// When the terminal cannot be read.
pub fn wait_for_key() -> Result<()> {
    use ratatui::crossterm::event::{self, Event, KeyEventKind};
    let mut out = io::stdout();
    write!(out, "\r\n-- Press any key to return to sitrep --")?;
    out.flush()?;
    ratatui::crossterm::terminal::enable_raw_mode()?;
    // A key ends the wait; so does a signal to quit (the loop that would act on
    // it is waiting here) or a terminal that has gone (a dropped connection
    // answers every read at once without a key: never spin on it).
    let mut empty = 0u32;
    let result = loop {
        if crate::runtime::tty::quit_requested() {
            break Ok(());
        }
        match event::poll(std::time::Duration::from_millis(100)) {
            Ok(false) => empty = 0,
            Ok(true) => match event::read() {
                Ok(Event::Key(k)) if k.kind != KeyEventKind::Release => break Ok(()),
                Ok(_) => {
                    empty += 1;
                    if empty > 1000 {
                        break Err(anyhow::anyhow!("the terminal sends no keys"));
                    }
                }
                Err(e) => break Err(e.into()),
            },
            Err(e) => break Err(e.into()),
        }
    };
    let _ = ratatui::crossterm::terminal::disable_raw_mode();
    result
}

/// Runs `argv` with `path` as its last argument and waits for it. A relative
/// path starting with `-` is written `./-…` so it cannot pass as an option.
///
/// # Errors
/// When it cannot start or exits with a failure.
pub fn open(argv: &[String], path: &Path) -> Result<()> {
    let (program, args) = argv.split_first().context("no command")?;
    let path = if path.as_os_str().as_encoded_bytes().starts_with(b"-") {
        Path::new(".").join(path)
    } else {
        path.to_path_buf()
    };
    let status = Command::new(program)
        .args(args)
        .arg(path)
        .status()
        .with_context(|| format!("cannot run {program}"))?;
    if !status.success() {
        bail!("{program} exited with {status}");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn osc52_encodes_and_wraps_for_tmux() {
        let plain = osc52("hi £", false);
        assert_eq!(plain, b"\x1b]52;c;aGkgwqM=\x07");
        let wrapped = String::from_utf8(osc52("hi", true)).unwrap_or_default();
        assert!(wrapped.starts_with("\x1b]52;c;aGk=\x07\x1bPtmux;\x1b\x1b]52;c;aGk=\x07\x1b\\"));
    }

    #[test]
    fn pipe_passes_text_on_stdin_not_the_command_line() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let out = dir.path().join("out.txt");
        let argv = vec![
            "sh".to_string(),
            "-c".to_string(),
            format!("cat > '{}'", out.display()),
        ];
        let text = "$(touch pwned) `id` ; rm -rf /\n";
        pipe(&argv, text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(std::fs::read_to_string(&out).unwrap_or_default(), text);
        assert!(!std::path::Path::new("pwned").exists());
    }

    #[test]
    fn failing_commands_are_errors() {
        assert!(pipe(&["false".to_string()], "x").is_err());
        assert!(open(&["/nonexistent/editor".to_string()], Path::new("/tmp/x")).is_err());
    }

    #[test]
    fn a_path_like_an_option_is_passed_as_a_path() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let out = dir.path().join("args.txt");
        let argv = vec![
            "sh".to_string(),
            "-c".to_string(),
            format!("printf '%s' \"$1\" > '{}'", out.display()),
            "sh".to_string(),
        ];
        open(&argv, Path::new("-rf")).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(std::fs::read_to_string(&out).unwrap_or_default(), "./-rf");
    }
}
