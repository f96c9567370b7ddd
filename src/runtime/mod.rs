//! The event loop: terminal set-up and restore, one channel for every event
//! (keys, mouse, resize, ticks, signals), carrying out `Effect`s. The only place
//! that touches the terminal, the clock and the bookmark file while the reader runs.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::sync::mpsc::{self, Receiver, Sender};

use anyhow::{Context, Result};
use ratatui::crossterm::event::{
    DisableMouseCapture, EnableMouseCapture, Event as TermEvent, KeyEvent, KeyEventKind,
    MouseButton, MouseEventKind,
};
use ratatui::crossterm::execute;

use crate::action::{Action, Effect, Event, Msg};
use crate::app::{App, Mode, Setup};
use crate::keymap::{Keymap, Scope};
use crate::layout::Pane;
use crate::store::bookmarks::Store;
use crate::store::read::ReadStore;
use crate::story::Library;
use crate::ui::{self, Theme, theme::Look};
use tty::{Hold, Holder, Screen};

mod effects;
pub mod handoff;
pub mod lean;
pub mod sgr;
mod sources;
pub mod tty;
pub mod watch;
mod workers;

use effects::{ReadSaver, Saver, flush_all, hand_off};
use sources::{spawn_loader, spawn_sources};
use workers::Searcher;
pub use workers::settle;

/// Everything the loop waits for.
#[derive(Debug)]
pub enum Input {
    /// Input from the terminal.
    Terminal(TermEvent),
    /// A second passed.
    Tick,
    /// A signal that ends the reader arrived (SIGINT, SIGTERM, SIGHUP).
    Signal(i32),
    /// SIGTSTP from outside (`kill -TSTP`): hand the terminal to the shell and
    /// stop, as Ctrl-Z does.
    Suspend,
    /// SIGCONT: take the terminal back and draw everything.
    Resume,
    /// Reading the terminal failed.
    InputError(String),
    /// An event from a worker (loading, searching, indexing, file changes).
    Event(Event),
}

/// Maps a key to its action in the current mode and applies it; the same path
/// the live loop uses, so tests can drive the reader without a terminal.
pub fn handle_key(app: &mut App, keymap: &Keymap, key: &KeyEvent) -> Option<Effect> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    let scopes: &[Scope] = match app.mode {
        Mode::Normal if app.focus == Pane::Reader && !app.reader.find.is_empty() => {
            &[Scope::Found, Scope::Reader, Scope::Normal]
        }
        Mode::Normal if app.focus == Pane::Reader => &[Scope::Reader, Scope::Normal],
        Mode::Find => &[Scope::Find],
        Mode::Normal => &[Scope::Normal],
        Mode::Filter => &[Scope::Filter],
        Mode::Note => &[Scope::Note],
        Mode::Help | Mode::Warnings => &[Scope::Overlay],
    };
    let action = keymap.lookup(scopes, key)?;
    app.update(action)
}

/// Turns terminal input other than keys into what it means: a resize (an
/// event), or a wheel turn or click (an action).
#[must_use]
pub fn terminal_action(ev: &TermEvent) -> Option<Msg> {
    match ev {
        TermEvent::Resize(w, h) => Some(Event::Resize(*w, *h).into()),
        TermEvent::Mouse(m) => match m.kind {
            MouseEventKind::ScrollDown => Some(Action::ScrollDownAt(m.column, m.row).into()),
            MouseEventKind::ScrollUp => Some(Action::ScrollUpAt(m.column, m.row).into()),
            MouseEventKind::Down(MouseButton::Left) => {
                Some(Action::ClickAt(m.column, m.row).into())
            }
            _ => None,
        },
        _ => None,
    }
}

fn now() -> chrono::DateTime<chrono::FixedOffset> {
    chrono::Local::now().fixed_offset()
}

/// Loads the stories and bookmarks, then runs the reader; returns the exit code.
/// Start-up errors (a missing path, no config directory) print before the
/// terminal is touched.
///
/// # Errors
/// When a path cannot be read or the terminal cannot be set up.
/// How the reader runs.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Capture the mouse.
    pub mouse: bool,
    /// Watch the folders for new and changed documents.
    pub watch: bool,
}

/// Opens the reader on `paths` (or the configured library): reads the config,
/// the bookmarks and the read state, then runs until the user quits; returns the
/// exit code.
///
/// # Errors
/// When no config directory can be found or the terminal cannot be set up.
pub fn start(paths: &[PathBuf], config_dir: Option<&Path>, options: Options) -> Result<u8> {
    let dir = crate::paths::config_dir(config_dir)?;
    // config.toml: problems print now and show in the status line; defaults apply.
    let settings = crate::config::load(&dir);
    let _ = settings.report(&mut io::stderr());
    crate::loader::segment::set_user_furniture(&settings.config.furniture);
    let from_library = paths.is_empty() && !settings.config.library.is_empty();
    let paths = &settings.config.paths_or_library(paths);
    crate::cli::check_paths(paths).map_err(|e| {
        if from_library {
            e.context("library in config.toml")
        } else {
            e
        }
    })?;
    let lib = if paths.is_empty() {
        crate::loader::load_bundled()
    } else {
        Library::default()
    };
    let opened = Store::open(&dir);
    let mut app = App::new(lib, opened.bookmarks, now());
    let data_dir = crate::paths::data_dir_for(config_dir)?;
    let reads = ReadStore::open(&data_dir);
    app.update(Event::ReadStateOpened(
        reads.read,
        reads.seen,
        reads.first_run,
    ));
    if let Some(n) = reads.notice {
        app.update(Event::Notify(n));
    }
    if !paths.is_empty() {
        app.update(Event::LoadProgress(0, None));
    }
    let look = Look::from_env();
    let theme = Theme::with_palette(look, &settings.config.palette);
    app.setup(Setup {
        ascii: !look.unicode,
        help_lines: ui::help_len(&settings.config.keymap, &theme),
        preview_follow: settings.config.preview_follow,
    });
    // Lasting conditions stay in the status line whenever no message shows.
    app.update(Event::Condition(
        opened
            .store
            .read_only_reason()
            .map(|r| format!("Bookmarks read-only: {r}"))
            .or_else(|| settings.summary()),
    ));
    if let Some(n) = opened.notice {
        app.update(Event::Notify(n));
    }
    run(
        app,
        Stores {
            bookmarks: opened.store,
            reads: reads.store,
        },
        options,
        paths,
        &settings.config.keymap,
        &theme,
    )
}

/// The files the reader keeps: bookmarks, and read state with the seen set.
pub struct Stores {
    /// Bookmarks.
    pub bookmarks: Store,
    /// Read state and the seen set.
    pub reads: ReadStore,
}

/// Runs the reader until the user quits or a signal arrives; returns the exit code.
///
/// # Errors
/// When the terminal cannot be set up.
pub fn run(
    mut app: App,
    stores: Stores,
    options: Options,
    paths: &[PathBuf],
    keymap: &Keymap,
    theme: &Theme,
) -> Result<u8> {
    let mouse = options.mouse;
    // Before try_init (and the loader): ratatui's restoring hook then wraps the
    // crash reporter, so the terminal is restored before its two lines print.
    crate::crash::install();
    let (tx, rx) = mpsc::channel();
    let hold = Arc::new(Hold::new(mouse));
    spawn_sources(&tx, &hold)?;
    if !paths.is_empty() {
        spawn_loader(&tx, paths);
    }
    if options.watch && !paths.is_empty() {
        let events = tx.clone();
        // Watching starts in the background; a failure arrives as a message.
        drop(crate::runtime::watch::spawn(paths, move |a| {
            events.send(Input::Event(a)).is_ok()
        }));
    }
    // Raw mode and ratatui's restoring panic hook, then the alternate screen and
    // our own backend. (The terminal ratatui returns is not used: a one-cell
    // viewport keeps it from allocating screens for whatever size is reported.)
    let unused = ratatui::TerminalOptions {
        viewport: ratatui::Viewport::Fixed(ratatui::layout::Rect::new(0, 0, 1, 1)),
    };
    drop(ratatui::try_init_with_options(unused).context("cannot set up the terminal")?);
    execute!(
        io::stdout(),
        ratatui::crossterm::terminal::EnterAlternateScreen
    )
    .context("cannot set up the terminal")?;
    let mut terminal = tty::screen().context("cannot set up the terminal")?;
    if mouse {
        let _ = execute!(io::stdout(), EnableMouseCapture);
        // ratatui's hook restores the screen; release the mouse too.
        let restore = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let _ = execute!(io::stdout(), DisableMouseCapture);
            restore(info);
        }));
    }
    let view = (keymap, theme);
    let result = event_loop(&mut app, view, &mut terminal, (&tx, &rx), stores, &hold);
    // Clear before leaving the alternate screen: some terminals (tmux after a
    // resize) otherwise show the reader's last rows above the prompt.
    let _ = execute!(
        io::stdout(),
        ratatui::crossterm::terminal::Clear(ratatui::crossterm::terminal::ClearType::All)
    );
    if mouse {
        let _ = execute!(io::stdout(), DisableMouseCapture);
    }
    ratatui::restore();
    let (code, lost) = result?;
    if !lost.is_empty() {
        eprintln!("sitrep: these changes could not be saved and are lost:");
        for line in lost {
            eprintln!("sitrep: {line}");
        }
        return Ok(if code == 0 { 1 } else { code });
    }
    Ok(code)
}

fn event_loop(
    app: &mut App,
    view: (&Keymap, &Theme),
    terminal: &mut Screen,
    (tx, rx): (&Sender<Input>, &Receiver<Input>),
    stores: Stores,
    hold: &Hold,
) -> Result<(u8, Vec<String>)> {
    let mut saver = Saver {
        seen: stores.bookmarks.modified(),
        store: stores.bookmarks,
        failed_at: None,
    };
    let mut reads = ReadSaver {
        store: stores.reads,
        failed_at: None,
    };
    if app.background.loading.is_none() {
        reads.remember(app);
    }
    let result = event_loop_inner(app, view, terminal, (tx, rx), &mut saver, &mut reads, hold);
    reads.remember(app);
    let lost = flush_all(&mut saver, &mut reads);
    for line in &lost {
        tracing::warn!(line, "not saved at exit");
    }
    result.map(|code| (code, lost))
}

#[allow(clippy::too_many_arguments)] // the loop's whole world, passed once
fn event_loop_inner(
    app: &mut App,
    (keymap, theme): (&Keymap, &Theme),
    terminal: &mut Screen,
    (tx, rx): (&Sender<Input>, &Receiver<Input>),
    saver: &mut Saver,
    reads: &mut ReadSaver,
    hold: &Hold,
) -> Result<u8> {
    let mut searcher = Searcher::spawn(tx);
    // The size the terminal reports: the app draws in at most MAX_SIDE of it
    // each way (and says so), as the backend gives ratatui.
    let size = terminal.backend().reported_size()?;
    app.update(Event::Resize(size.width, size.height));
    app.update(Event::Tick(now()));
    let mut redraw = true;
    // Set when a quit was refused because changes could not be saved: the next
    // quit goes through.
    let mut quit_armed = false;
    loop {
        // Catch a resize whose event is still on its way, so the frame fits.
        let size = terminal.backend().reported_size()?;
        if crate::layout::fit(size.width, size.height) != app.size {
            app.update(Event::Resize(size.width, size.height));
            redraw = true;
        }
        // Suspended (stopped, or continued and waiting for its SIGCONT to be
        // handled): the shell has the terminal.
        if redraw && hold.holder() == Holder::Reader {
            terminal.draw(|f| ui::render(app, keymap, theme, f))?;
        }
        crate::crash::test_panic_point(); // Test hook: SITREP_TEST_PANIC=1.
        // Handle everything already queued before drawing again. A tick that
        // changed nothing on screen does not redraw (nothing to send over SSH).
        let before = app.tick_state();
        redraw = false;
        let mut ev = rx.recv().context("event sources stopped")?;
        loop {
            // A tick or a finished index changes nothing on screen by itself; what
            // they lead to (merged stories, expired messages) shows in tick_state.
            redraw |= !matches!(ev, Input::Tick | Input::Event(Event::IndexReady(_)));
            let effect = match ev {
                Input::Terminal(TermEvent::Key(key)) => {
                    let effect = handle_key(app, keymap, &key);
                    if effect != Some(Effect::Quit) && key.kind != KeyEventKind::Release {
                        quit_armed = false;
                    }
                    effect
                }
                Input::Terminal(other) => terminal_action(&other).and_then(|a| app.update(a)),
                Input::Tick => {
                    saver.poll(app);
                    reads.retry(app);
                    app.update(Event::Tick(now()))
                }
                Input::Signal(s) => return Ok(u8::try_from(128 + s).unwrap_or(1)),
                // A second SIGTSTP sent before the first one stopped sitrep
                // does not stop it again after `fg`.
                Input::Suspend if hold.holder() == Holder::Reader => Some(Effect::Suspend),
                Input::Suspend => None,
                Input::Resume => {
                    hold.reclaim(terminal)
                        .context("cannot take the terminal back")?;
                    None
                }
                Input::InputError(e) => anyhow::bail!("cannot read the terminal: {e}"),
                Input::Event(Event::LoadDone) => {
                    let effect = app.update(Event::LoadDone);
                    reads.remember(app);
                    effect
                }
                Input::Event(a) => app.update(a),
            };
            match effect {
                Some(Effect::Quit) => {
                    let lost = flush_all(saver, reads);
                    if lost.is_empty() || quit_armed {
                        return Ok(0);
                    }
                    quit_armed = true;
                    app.update(Event::Notify(format!(
                        "Press q again to quit without saving: {}",
                        lost.first().map_or("", String::as_str)
                    )));
                }
                Some(Effect::SaveBookmark(change)) => saver.save(app, &change),
                Some(Effect::Search(job)) => searcher.start(job),
                Some(Effect::BuildIndex(job)) => searcher.index(job),
                Some(Effect::CancelIndex) => searcher.index_stop.store(true, Ordering::Relaxed),
                Some(Effect::SaveRead(read, unread)) => reads.save(app, &read, &unread),
                Some(Effect::Suspend) => {
                    // Returns once continued; the SIGCONT brings `Input::Resume`.
                    if let Err(e) = hold.suspend(terminal) {
                        app.update(Event::Notify(
                            crate::text::clean_inline(&format!("{e:#}")).into_owned(),
                        ));
                    }
                    redraw = true;
                }
                Some(Effect::Redraw) => {
                    // A fresh screen: cleared, and drawn in full, whatever the
                    // backend believed the terminal showed.
                    *terminal = tty::screen().context("cannot redraw")?;
                    redraw = true;
                }
                Some(other @ (Effect::Copy(_) | Effect::Pipe(_) | Effect::Edit(_))) => {
                    hand_off(app, terminal, hold, other);
                }
                None => {}
            }
            match rx.try_recv() {
                Ok(next) => ev = next,
                Err(_) => break,
            }
        }
        redraw |= app.tick_state() != before;
    }
}
