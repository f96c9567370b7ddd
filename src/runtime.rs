//! The event loop: terminal set-up and restore, one channel for every event
//! (keys, mouse, resize, ticks, signals), carrying out `Effect`s. The only place
//! that touches the terminal, the clock and the bookmark file while the reader runs.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread;
use std::time::{Duration, SystemTime};

use anyhow::{Context, Result};
use ratatui::crossterm::event::{
    self, DisableMouseCapture, EnableMouseCapture, Event as TermEvent, KeyEvent, KeyEventKind,
    MouseButton, MouseEventKind,
};
use ratatui::crossterm::execute;
use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};

use crate::action::{Action, Effect, Part};
use crate::app::{App, Look, Mode, Pane};
use crate::bookmarks::{Change, Store};
use crate::keymap::{Keymap, Scope};
use crate::story::Library;
use crate::ui;

/// Everything the loop waits for.
#[derive(Debug)]
pub enum Event {
    /// Input from the terminal.
    Terminal(TermEvent),
    /// A second passed.
    Tick,
    /// A signal arrived (SIGINT, SIGTERM, SIGHUP).
    Signal(i32),
    /// Reading the terminal failed.
    InputError(String),
    /// An action from a worker (background loading).
    Action(Action),
}

/// Maps a key to its action in the current mode and applies it; the same path
/// the live loop uses, so tests can drive the reader without a terminal.
pub fn handle_key(app: &mut App, keymap: &Keymap, key: &KeyEvent) -> Option<Effect> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    let scopes: &[Scope] = match app.mode {
        Mode::Normal if app.focus == Pane::Reader => &[Scope::Reader, Scope::Normal],
        Mode::Normal => &[Scope::Normal],
        Mode::Filter => &[Scope::Filter],
        Mode::Note => &[Scope::Note],
        Mode::Help | Mode::Warnings => &[Scope::Overlay],
    };
    let action = keymap.lookup(scopes, key)?;
    app.update(action)
}

/// Turns terminal input other than keys into an action.
#[must_use]
pub fn terminal_action(ev: &TermEvent) -> Option<Action> {
    match ev {
        TermEvent::Resize(w, h) => Some(Action::Resize(*w, *h)),
        TermEvent::Mouse(m) => match m.kind {
            MouseEventKind::ScrollDown => Some(Action::ScrollDownAt(m.column, m.row)),
            MouseEventKind::ScrollUp => Some(Action::ScrollUpAt(m.column, m.row)),
            MouseEventKind::Down(MouseButton::Left) => Some(Action::ClickAt(m.column, m.row)),
            _ => None,
        },
        _ => None,
    }
}

fn now() -> chrono::DateTime<chrono::FixedOffset> {
    chrono::Local::now().fixed_offset()
}

fn spawn_sources(tx: &Sender<Event>) -> Result<()> {
    let input = tx.clone();
    thread::spawn(move || {
        loop {
            let ev = match event::read() {
                Ok(ev) => Event::Terminal(ev),
                Err(e) => Event::InputError(e.to_string()),
            };
            let failed = matches!(ev, Event::InputError(_));
            if input.send(ev).is_err() || failed {
                break;
            }
        }
    });
    let tick = tx.clone();
    thread::spawn(move || {
        while tick.send(Event::Tick).is_ok() {
            thread::sleep(Duration::from_secs(1));
        }
    });
    let mut signals = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP])
        .context("cannot listen for signals")?;
    let sig = tx.clone();
    thread::spawn(move || {
        for s in signals.forever() {
            if sig.send(Event::Signal(s)).is_err() {
                break;
            }
        }
    });
    Ok(())
}

/// Holds the bookmark store and keeps the reader in step with the file.
struct Saver {
    store: Store,
    seen: Option<SystemTime>,
}

impl Saver {
    fn save(&mut self, app: &mut App, change: &Change) {
        match self.store.apply(change) {
            Ok(list) => {
                app.update(Action::BookmarksChanged(list));
                app.condition = None;
            }
            Err(e) => {
                let reason = self
                    .store
                    .read_only_reason()
                    .unwrap_or_else(|| e.to_string());
                app.condition = Some(format!("Bookmarks not saved: {reason}"));
                app.notify(format!("Bookmark kept for this session only: {e}"));
            }
        }
        if let Some(n) = self.store.take_notice() {
            app.notify(n);
        }
        self.seen = self.store.modified();
    }

    /// Picks up changes another sitrep made to the file.
    fn poll(&mut self, app: &mut App) {
        let modified = self.store.modified();
        if modified == self.seen {
            return;
        }
        self.seen = modified;
        if let Ok(list) = self.store.reload() {
            app.update(Action::BookmarksChanged(list));
        }
    }
}

/// Loads the stories and bookmarks, then runs the reader; returns the exit code.
/// Start-up errors (a missing path, no config directory) print before the
/// terminal is touched.
///
/// # Errors
/// When a path cannot be read or the terminal cannot be set up.
pub fn start(paths: &[PathBuf], config_dir: Option<&Path>, mouse: bool) -> Result<u8> {
    let dir = crate::paths::config_dir(config_dir)?;
    crate::cli::check_paths(paths)?;
    let lib = if paths.is_empty() {
        crate::loader::load_bundled()
    } else {
        Library::default()
    };
    let opened = Store::open(&dir);
    let mut app = App::new(lib, opened.bookmarks, now());
    if !paths.is_empty() {
        app.loading = Some((0, None));
    }
    app.look = Look::from_env();
    app.condition = opened
        .store
        .read_only_reason()
        .map(|r| format!("Bookmarks read-only: {r}"));
    if let Some(n) = opened.notice {
        app.notify(n);
    }
    run(app, opened.store, mouse, paths)
}

/// Files per background-loading part: small enough that lists fill steadily.
const PART_FILES: usize = 2000;

fn spawn_loader(tx: &Sender<Event>, paths: &[PathBuf]) {
    let tx = tx.clone();
    let paths = paths.to_vec();
    thread::spawn(move || {
        let stopped = AtomicBool::new(false);
        let send = |a: Action| {
            if tx.send(Event::Action(a)).is_err() {
                stopped.store(true, Ordering::Relaxed);
            }
        };
        crate::loader::load_paths_in_parts(
            &paths,
            PART_FILES,
            &mut |part| send(Action::Loaded(Part(Box::new(part)))),
            &mut |done, total| send(Action::LoadProgress(done, total)),
            &|| stopped.load(Ordering::Relaxed),
        );
        send(Action::LoadDone);
    });
}

/// Runs the reader until the user quits or a signal arrives; returns the exit code.
///
/// # Errors
/// When the terminal cannot be set up.
pub fn run(mut app: App, store: Store, mouse: bool, paths: &[PathBuf]) -> Result<u8> {
    let keymap = Keymap::default();
    let (tx, rx) = mpsc::channel();
    spawn_sources(&tx)?;
    if !paths.is_empty() {
        spawn_loader(&tx, paths);
    }
    let mut terminal = ratatui::try_init().context("cannot set up the terminal")?;
    if mouse {
        let _ = execute!(io::stdout(), EnableMouseCapture);
        // ratatui's hook restores the screen; release the mouse too.
        let restore = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let _ = execute!(io::stdout(), DisableMouseCapture);
            restore(info);
        }));
    }
    let result = event_loop(&mut app, &keymap, &mut terminal, &rx, store);
    if mouse {
        let _ = execute!(io::stdout(), DisableMouseCapture);
    }
    ratatui::restore();
    result
}

fn event_loop(
    app: &mut App,
    keymap: &Keymap,
    terminal: &mut ratatui::DefaultTerminal,
    rx: &Receiver<Event>,
    store: Store,
) -> Result<u8> {
    let mut saver = Saver {
        seen: store.modified(),
        store,
    };
    let size = terminal.size()?;
    app.update(Action::Resize(size.width, size.height));
    app.update(Action::Tick(now()));
    loop {
        terminal.draw(|f| ui::render(app, keymap, f))?;
        // Handle everything already queued before drawing again.
        let mut ev = rx.recv().context("event sources stopped")?;
        loop {
            let effect = match ev {
                Event::Terminal(TermEvent::Key(key)) => handle_key(app, keymap, &key),
                Event::Terminal(other) => terminal_action(&other).and_then(|a| app.update(a)),
                Event::Tick => {
                    saver.poll(app);
                    app.update(Action::Tick(now()))
                }
                Event::Signal(s) => return Ok(u8::try_from(128 + s).unwrap_or(1)),
                Event::InputError(e) => anyhow::bail!("cannot read the terminal: {e}"),
                Event::Action(a) => app.update(a),
            };
            match effect {
                Some(Effect::Quit) => return Ok(0),
                Some(Effect::SaveBookmark(change)) => saver.save(app, &change),
                None => {}
            }
            match rx.try_recv() {
                Ok(next) => ev = next,
                Err(_) => break,
            }
        }
    }
}
