//! Where the loop's input comes from: the terminal reader, the clock, signals,
//! and the loader that sends the library in parts.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::thread;
use std::time::Duration;

use anyhow::{Context, Result};
use ratatui::crossterm::event::{self};
use signal_hook::consts::{SIGCONT, SIGHUP, SIGINT, SIGTERM, SIGTSTP};

use crate::action::{Event, Part};
use crate::runtime::tty::{self, Hold, Holder, OnSignal};

use super::Input;

/// Starts the input, tick and signal threads. Terminal input is read only while
/// the reader has the terminal (`hold`), not while a pager, an editor or the
/// shell has it.
pub(super) fn spawn_sources(tx: &Sender<Input>, hold: &Arc<Hold>) -> Result<()> {
    let input = tx.clone();
    let pause = Arc::clone(hold);
    thread::spawn(move || {
        loop {
            if pause.holder() != Holder::Reader {
                thread::sleep(Duration::from_millis(20));
                continue;
            }
            let ev = match event::poll(Duration::from_millis(50)) {
                Ok(false) => continue,
                Ok(true) => match event::read() {
                    Ok(ev) => Input::Terminal(ev),
                    Err(e) => Input::InputError(e.to_string()),
                },
                Err(e) => Input::InputError(e.to_string()),
            };
            let failed = matches!(ev, Input::InputError(_));
            if input.send(ev).is_err() || failed {
                break;
            }
        }
    });
    let tick = tx.clone();
    thread::spawn(move || {
        while tick.send(Input::Tick).is_ok() {
            thread::sleep(Duration::from_secs(1));
        }
    });
    // SIGTSTP and SIGCONT too: stopping must give the terminal back first, and
    // continuing take it back (see `tty::on_signal`).
    let mut signals =
        signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP, SIGTSTP, SIGCONT])
            .context("cannot listen for signals")?;
    let sig = tx.clone();
    let hold = Arc::clone(hold);
    thread::spawn(move || {
        for s in signals.forever() {
            let ev = match s {
                SIGTSTP | SIGCONT => match tty::on_signal(s, hold.holder()) {
                    OnSignal::Loop if s == SIGTSTP => Input::Suspend,
                    OnSignal::Loop => Input::Resume,
                    OnSignal::Stop => {
                        tty::stop_now();
                        continue;
                    }
                    OnSignal::Ignore => continue,
                },
                _ => {
                    tty::request_quit();
                    Input::Signal(s)
                }
            };
            if sig.send(ev).is_err() {
                break;
            }
        }
    });
    Ok(())
}

/// Files in the first background-loading part, and between progress reports.
pub(super) const PART_FILES: usize = 2000;

/// The longest the lists wait for more stories while a folder loads (later parts
/// are as big as all before them, see [`crate::loader::load_paths_in_parts`]).
pub(super) const PART_WAIT: Duration = Duration::from_millis(400);

pub(super) fn spawn_loader(tx: &Sender<Input>, paths: &[PathBuf]) {
    let tx = tx.clone();
    let paths = paths.to_vec();
    thread::spawn(move || {
        let stopped = AtomicBool::new(false);
        let started = std::time::Instant::now();
        let (mut files, mut stories, mut warnings) = (0, 0, 0);
        let send = |e: Event| {
            if tx.send(Input::Event(e)).is_err() {
                stopped.store(true, Ordering::Relaxed);
            }
        };
        crate::loader::load_paths_in_parts(
            &paths,
            PART_FILES,
            PART_WAIT,
            &mut |part| {
                (files, stories) = (files + part.files, stories + part.stories.len());
                warnings += part.warnings.len();
                send(Event::Loaded(Part(Box::new(part))));
            },
            &mut |done, total| send(Event::LoadProgress(done, total)),
            &|| stopped.load(Ordering::Relaxed),
        );
        tracing::info!(
            files,
            stories,
            warnings,
            elapsed_ms = started.elapsed().as_millis(),
            "load finished"
        );
        send(Event::LoadDone);
    });
}
