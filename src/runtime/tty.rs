//! The terminal while the reader runs: lending it to a pager or editor, handing
//! it to the shell on Ctrl-Z or SIGTSTP, and taking it back afterwards or on
//! SIGCONT. Knows nothing of the `App`; the loop in `runtime` decides when.
//!
//! Who has the terminal is one shared [`Hold`]. The input thread reads keys only
//! while the reader has it; the signal thread asks it whether a SIGTSTP is for
//! the loop (the reader has the terminal: give it back, then stop) or only needs
//! the process stopped (a pager has it and restores it itself), and whether a
//! SIGCONT means the reader must take the terminal back.

use std::io;
use std::sync::atomic::{AtomicU8, Ordering};
use std::thread;
use std::time::Duration;

use anyhow::{Context, Result};
use ratatui::crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use ratatui::crossterm::{cursor, execute, terminal};

use crate::runtime::lean::Lean;

/// The reader's terminal: ratatui on [`Lean`], which sends fewer bytes.
pub type Screen = ratatui::Terminal<Lean<crate::runtime::sgr::Sixteen<io::Stdout>>>;

/// Set once a signal asked sitrep to quit (SIGINT, SIGTERM, SIGHUP), for code
/// that waits on the terminal outside the loop (see
/// [`crate::runtime::handoff::wait_for_key`]).
static QUIT_REQUESTED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Notes that a signal asked sitrep to quit.
pub fn request_quit() {
    QUIT_REQUESTED.store(true, std::sync::atomic::Ordering::Release);
}

/// Whether a signal has asked sitrep to quit.
#[must_use]
pub fn quit_requested() -> bool {
    QUIT_REQUESTED.load(std::sync::atomic::Ordering::Acquire)
}

/// A fresh, cleared [`Screen`]: everything is drawn on the next frame, and the
/// backend knows what the screen holds from then on. (`Terminal::clear` would ask
/// the terminal for the cursor position, racing our input thread.)
///
/// # Errors
/// When the terminal cannot be written to.
pub fn screen() -> io::Result<Screen> {
    use ratatui::backend::Backend as _;
    let mut terminal =
        ratatui::Terminal::new(Lean::new(crate::runtime::sgr::Sixteen::new(io::stdout())))?;
    terminal
        .backend_mut()
        .clear_region(ratatui::backend::ClearType::All)?;
    Ok(terminal)
}

/// Whether a terminal of type `term` (`$TERM`) can show the full-screen reader:
/// not `dumb` (no cursor movement, no alternate screen; Emacs' shell buffer and
/// some editors' terminals say so). An unset `TERM` is given the benefit of the
/// doubt.
#[must_use]
pub fn can_draw(term: Option<&std::ffi::OsStr>) -> bool {
    term.is_none_or(|t| t != "dumb")
}

/// Who has the terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holder {
    /// The reader: raw mode, alternate screen, drawing.
    Reader,
    /// A program the reader runs ($PAGER, $EDITOR) until it exits.
    Program,
    /// The shell: the reader is suspended until SIGCONT.
    Shell,
}

/// Who has the terminal, shared by the loop, the input thread and the signal
/// thread, plus how the reader sets the terminal up.
#[derive(Debug)]
pub struct Hold {
    /// The reader captures the mouse.
    mouse: bool,
    holder: AtomicU8,
}

impl Hold {
    /// The reader has the terminal (it sets it up right after).
    #[must_use]
    pub fn new(mouse: bool) -> Self {
        Hold {
            mouse,
            holder: AtomicU8::new(Holder::Reader as u8),
        }
    }

    /// Who has the terminal now.
    #[must_use]
    pub fn holder(&self) -> Holder {
        match self.holder.load(Ordering::SeqCst) {
            0 => Holder::Reader,
            1 => Holder::Program,
            _ => Holder::Shell,
        }
    }

    fn set(&self, holder: Holder) {
        self.holder.store(holder as u8, Ordering::SeqCst);
    }

    /// Gives the terminal up to `to`: mouse released, cursor shown, main screen,
    /// the mode the shell had (cooked).
    fn release(&self, to: Holder) {
        self.set(to);
        // Let the input thread finish its current poll before anyone else reads.
        thread::sleep(Duration::from_millis(60));
        if self.mouse {
            let _ = execute!(io::stdout(), DisableMouseCapture);
        }
        let _ = execute!(io::stdout(), cursor::Show);
        ratatui::restore();
    }

    /// Takes the terminal back from whatever happened meanwhile: raw mode,
    /// alternate screen, mouse capture, and a cleared screen that the next frame
    /// draws in full. Safe to call while the reader has the terminal.
    ///
    /// # Errors
    /// When the terminal cannot be set up again.
    pub fn reclaim(&self, terminal: &mut Screen) -> io::Result<()> {
        let result = (|| {
            // crossterm skips enabling raw mode when it believes it is on, but a
            // shell may have reset the mode while the reader was stopped.
            let _ = terminal::disable_raw_mode();
            terminal::enable_raw_mode()?;
            execute!(io::stdout(), terminal::EnterAlternateScreen)?;
            if self.mouse {
                execute!(io::stdout(), EnableMouseCapture)?;
            }
            *terminal = screen()?;
            Ok(())
        })();
        self.set(Holder::Reader);
        result
    }

    /// Leaves the reader's screen, runs `f` with the terminal as the user's shell
    /// had it, then takes the terminal back.
    ///
    /// # Errors
    /// What `f` returns, or the terminal could not be taken back.
    pub fn lend(&self, terminal: &mut Screen, f: impl FnOnce() -> Result<()>) -> Result<()> {
        self.release(Holder::Program);
        let result = f();
        self.reclaim(terminal)
            .context("cannot take the terminal back")?;
        result
    }

    /// Gives the terminal to the shell and stops the process, as SIGTSTP's
    /// default action would (Ctrl-Z, or `kill -TSTP`). Returns once the process
    /// is continued; the SIGCONT that continued it reaches the loop, which then
    /// calls [`Hold::reclaim`]. Refuses, leaving the screen as it is, when no
    /// job-control shell could continue the process.
    ///
    /// # Errors
    /// When sitrep cannot be suspended here, or stopping failed.
    pub fn suspend(&self, terminal: &mut Screen) -> Result<()> {
        anyhow::ensure!(
            job_control(),
            "Cannot suspend: sitrep was not started by a job-control shell, so nothing could resume it"
        );
        self.release(Holder::Shell);
        // Our SIGTSTP handler replaced the default action; this is that action
        // (the process stops here until SIGCONT).
        if let Err(e) = stop() {
            self.reclaim(terminal)
                .context("cannot take the terminal back")?;
            return Err(e).context("cannot suspend");
        }
        Ok(())
    }
}

/// Stops the whole process until SIGCONT (what SIGTSTP does without a handler).
fn stop() -> io::Result<()> {
    signal_hook::low_level::emulate_default_handler(signal_hook::consts::SIGTSTP)
}

/// What the signal thread does with SIGTSTP and SIGCONT.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnSignal {
    /// Tell the loop (it suspends, or takes the terminal back).
    Loop,
    /// Stop the process now: the program that has the terminal handles its own
    /// screen.
    Stop,
    /// Nothing to do.
    Ignore,
}

/// What to do with `signal` (SIGTSTP or SIGCONT) while `holder` has the terminal.
#[must_use]
pub fn on_signal(signal: i32, holder: Holder) -> OnSignal {
    use signal_hook::consts::{SIGCONT, SIGTSTP};
    match (signal, holder) {
        (SIGTSTP, Holder::Reader) | (SIGCONT, Holder::Reader | Holder::Shell) => OnSignal::Loop,
        // The pager got the terminal's SIGTSTP too, or someone stops sitrep
        // alone: stop as the default action would (if anything can resume us).
        (SIGTSTP, Holder::Program) if job_control() => OnSignal::Stop,
        _ => OnSignal::Ignore,
    }
}

/// Carries out [`OnSignal::Stop`].
pub fn stop_now() {
    let _ = stop();
}

/// Whether a job-control shell can continue sitrep after it stops, which is when
/// the kernel itself would let SIGTSTP stop it: its process group is not
/// orphaned. The group of a session leader (sitrep started directly by a
/// terminal or by `ssh host sitrep`, or by a shell without job control) is; a
/// group whose parent is in another group of the same session (an interactive
/// shell's job) is not. A stopped orphan would wait for ever, so whenever this
/// cannot be told (no `/proc`, or a session led from outside this PID namespace,
/// which the kernel reports as 0) the answer is no.
#[must_use]
pub fn job_control() -> bool {
    let Some(me) = Ids::of("self") else {
        return false;
    };
    let parent = Ids::of(&me.parent.to_string());
    resumable(&me, parent.as_ref())
}

/// The ids `/proc/<pid>/stat` gives a process: parent, group and session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Ids {
    parent: i64,
    group: i64,
    session: i64,
}

impl Ids {
    fn of(pid: &str) -> Option<Ids> {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
        Ids::parse(&stat)
    }

    /// `pid (comm) state ppid pgrp session …`; `comm` may hold spaces and
    /// parentheses, so the fields start after the last `)`.
    fn parse(stat: &str) -> Option<Ids> {
        let rest = &stat[stat.rfind(')')? + 1..];
        let mut fields = rest.split_ascii_whitespace().skip(1);
        let mut next = || fields.next()?.parse::<i64>().ok();
        Some(Ids {
            parent: next()?,
            group: next()?,
            session: next()?,
        })
    }
}

/// [`job_control`] on the ids read: not a session leader's group, and the
/// parent is in this group (a script run as one job) or in another group of the
/// same session (the shell).
fn resumable(me: &Ids, parent: Option<&Ids>) -> bool {
    if me.session <= 0 || me.group <= 0 || me.group == me.session {
        return false;
    }
    parent.is_some_and(|p| p.group == me.group || (p.group > 0 && p.session == me.session))
}

#[cfg(test)]
mod tests {
    use super::*;
    use signal_hook::consts::{SIGCONT, SIGTSTP};

    #[test]
    fn only_a_dumb_terminal_cannot_draw() {
        use std::ffi::OsStr;
        assert!(!can_draw(Some(OsStr::new("dumb"))));
        assert!(can_draw(Some(OsStr::new("xterm-256color"))));
        assert!(can_draw(Some(OsStr::new("dumb-ish"))));
        assert!(can_draw(None));
    }

    /// Ids as `/proc/<pid>/stat` gives them: parent, group, session.
    fn ids(parent: i64, group: i64, session: i64) -> Ids {
        Ids {
            parent,
            group,
            session,
        }
    }

    #[test]
    fn proc_stat_fields_are_found_after_the_command_name() {
        let found = Ids::parse("4242 (odd ) name) S 17 4242 99 34817 4242 4194304");
        assert_eq!(found, Some(ids(17, 4242, 99)));
        assert_eq!(Ids::parse("4242 (cut"), None);
        assert_eq!(Ids::parse("1 (init) S x 1 1"), None);
    }

    #[test]
    fn only_a_job_of_a_shell_can_be_resumed() {
        let shell = ids(1, 10, 10);
        let job = ids(10, 20, 10);
        assert!(resumable(&job, Some(&shell)));
        // A script run as one job: the parent shares our group.
        assert!(resumable(&ids(21, 20, 10), Some(&job)));
        // A session leader's group is orphaned: `ssh host sitrep`.
        assert!(!resumable(&ids(5, 10, 10), Some(&shell)));
        // The parent is in another session, or unknown.
        assert!(!resumable(&job, Some(&ids(1, 30, 30))));
        assert!(!resumable(&job, None));
        // A session led from outside this PID namespace reads as 0.
        assert!(!resumable(&ids(7, 8, 0), Some(&ids(0, 0, 0))));
    }

    #[test]
    fn holder_round_trips() {
        let hold = Hold::new(false);
        assert_eq!(hold.holder(), Holder::Reader);
        for h in [Holder::Program, Holder::Shell, Holder::Reader] {
            hold.set(h);
            assert_eq!(hold.holder(), h);
        }
    }

    #[test]
    fn signals_go_to_the_loop_only_while_the_reader_has_the_terminal() {
        assert_eq!(on_signal(SIGTSTP, Holder::Reader), OnSignal::Loop);
        // Already handing over to the shell.
        assert_eq!(on_signal(SIGTSTP, Holder::Shell), OnSignal::Ignore);
        // Continued after a suspend, or after an outside SIGSTOP: take it back.
        assert_eq!(on_signal(SIGCONT, Holder::Shell), OnSignal::Loop);
        assert_eq!(on_signal(SIGCONT, Holder::Reader), OnSignal::Loop);
        // A pager has the terminal and redraws itself.
        assert_eq!(on_signal(SIGCONT, Holder::Program), OnSignal::Ignore);
        let expected = if job_control() {
            OnSignal::Stop
        } else {
            OnSignal::Ignore
        };
        assert_eq!(on_signal(SIGTSTP, Holder::Program), expected);
    }
}
