//! The event loop: terminal set-up and restore, one channel for every event
//! (keys, mouse, resize, ticks, signals), carrying out `Effect`s. The only place
//! that touches the terminal, the clock and the bookmark file while the reader runs.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread;
use std::time::{Duration, SystemTime};

use anyhow::{Context, Result};
use ratatui::crossterm::event::{
    self, DisableMouseCapture, EnableMouseCapture, Event as TermEvent, KeyEvent, KeyEventKind,
    MouseButton, MouseEventKind,
};
use ratatui::crossterm::execute;
use signal_hook::consts::{SIGCONT, SIGHUP, SIGINT, SIGTERM, SIGTSTP};

use crate::action::{Action, Effect, Event, Msg, Part};
use crate::app::{App, Mode, Setup};
use crate::bookmarks::{Change, Store};
use crate::keymap::{Keymap, Scope};
use crate::layout::Pane;
use crate::readstate::ReadStore;
use crate::search::Matcher;
use crate::search::{IndexJob, SearchJob};
use crate::story::{Library, StoryId};
use crate::tty::{self, Hold, Holder, OnSignal, Screen};
use crate::ui::{self, Theme, theme::Look};

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
        Mode::Normal if app.focus == Pane::Reader && !app.find.is_empty() => {
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

/// Starts the input, tick and signal threads. Terminal input is read only while
/// the reader has the terminal (`hold`), not while a pager, an editor or the
/// shell has it.
fn spawn_sources(tx: &Sender<Input>, hold: &Arc<Hold>) -> Result<()> {
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
                _ => Input::Signal(s),
            };
            if sig.send(ev).is_err() {
                break;
            }
        }
    });
    Ok(())
}

/// Carries out the effects that hand text to other programs; failures become a
/// status message.
fn hand_off(app: &mut App, terminal: &mut Screen, hold: &Hold, effect: Effect) {
    let outcome = match effect {
        Effect::Copy(text) => crate::handoff::copy(&text)
            .map(|()| {
                format!(
                    "Copied {} characters to the clipboard (OSC 52)",
                    text.chars().count()
                )
            })
            .map_err(anyhow::Error::from),
        Effect::Pipe(text) => crate::handoff::command_from("PAGER", "less")
            .and_then(|argv| hold.lend(terminal, || crate::handoff::pipe(&argv, &text)))
            .map(|()| String::new()),
        Effect::Edit(path) => crate::handoff::command_from("VISUAL", "")
            .or_else(|_| crate::handoff::command_from("EDITOR", "vi"))
            .and_then(|argv| hold.lend(terminal, || crate::handoff::open(&argv, &path)))
            .map(|()| String::new()),
        _ => return,
    };
    match outcome {
        Ok(msg) if !msg.is_empty() => {
            app.update(Event::Notify(msg));
        }
        Ok(_) => {}
        Err(e) => {
            app.update(Event::Notify(
                crate::text::clean_inline(&format!("{e:#}")).into_owned(),
            ));
        }
    }
}

/// Runs the search and index effects `effect` asks for, and those their
/// answers ask for, to the end: the jobs the runtime's workers run, answered as
/// they answer, but on this thread. Returns the first other effect. Tests,
/// benchmarks and tools drive the model through it, so they take the path the
/// reader takes.
pub fn settle(app: &mut App, mut effect: Option<Effect>) -> Option<Effect> {
    let matcher = Matcher::new();
    loop {
        effect = match effect {
            Some(Effect::Search(job)) => {
                let mut answers = Vec::new();
                job.answer(&matcher, &|| false, &mut |e| answers.push(e));
                answers
                    .into_iter()
                    .fold(None, |next, answer| app.update(answer).or(next))
            }
            Some(Effect::BuildIndex(job)) => app.update(Event::IndexReady(job.run(&|| false))),
            // Nothing runs in the background here.
            Some(Effect::CancelIndex) => None,
            other => return other,
        };
    }
}

/// The search worker: one thread ranking the newest job; older jobs are skipped
/// or stopped early.
struct Searcher {
    jobs: Sender<SearchJob>,
    latest: Arc<AtomicU64>,
    events: Sender<Input>,
    /// Set to stop the index build under way.
    index_stop: Arc<AtomicBool>,
}

impl Searcher {
    fn spawn(events: &Sender<Input>) -> Self {
        let (jobs, queue) = mpsc::channel::<SearchJob>();
        let latest = Arc::new(AtomicU64::new(0));
        let newest = Arc::clone(&latest);
        let reply = events.clone();
        let events = events.clone();
        thread::spawn(move || {
            let matcher = Matcher::new();
            while let Ok(mut job) = queue.recv() {
                while let Ok(newer) = queue.try_recv() {
                    job = newer;
                }
                let generation = job.generation;
                let stop = || newest.load(Ordering::Relaxed) != generation;
                let mut gone = false;
                job.answer(&matcher, &stop, &mut |answer| {
                    gone |= events.send(Input::Event(answer)).is_err();
                });
                if gone {
                    break;
                }
            }
        });
        Searcher {
            jobs,
            latest,
            events: reply,
            index_stop: Arc::new(AtomicBool::new(false)),
        }
    }

    fn start(&self, job: SearchJob) {
        self.latest.store(job.generation, Ordering::Relaxed);
        let _ = self.jobs.send(job);
    }

    /// Builds a body index on a thread of its own; the reader gets it as
    /// [`Event::IndexReady`].
    fn index(&mut self, job: IndexJob) {
        let events = self.events.clone();
        let stop = Arc::new(AtomicBool::new(false));
        self.index_stop = Arc::clone(&stop);
        thread::spawn(move || {
            let built = job.run(&|| stop.load(Ordering::Relaxed));
            let _ = events.send(Input::Event(Event::IndexReady(built)));
        });
    }
}

/// How long after a failed save the next attempt is made on its own (a later
/// change, or quitting, tries at once).
const RETRY_AFTER: Duration = Duration::from_secs(5);

/// Holds the bookmark store and keeps the reader in step with the file. Changes
/// that could not be written stay in the store and are written by the next save,
/// a retry every few seconds, or at quit.
struct Saver {
    store: Store,
    seen: Option<SystemTime>,
    failed_at: Option<std::time::Instant>,
}

impl Saver {
    fn save(&mut self, app: &mut App, change: &Change) {
        let result = self.store.apply(change);
        self.report(app, result, false);
    }

    /// Tries again to write changes a failed save left, every [`RETRY_AFTER`].
    fn retry(&mut self, app: &mut App) {
        if self.store.unsaved().is_empty()
            || self.failed_at.is_some_and(|t| t.elapsed() < RETRY_AFTER)
        {
            return;
        }
        let result = self.store.flush();
        self.report(app, result, true);
    }

    fn report(
        &mut self,
        app: &mut App,
        result: Result<Vec<crate::bookmarks::Bookmark>, crate::bookmarks::StoreError>,
        quiet: bool,
    ) {
        match result {
            Ok(list) => {
                app.update(Event::BookmarksChanged(list));
                if self.failed_at.take().is_some() {
                    app.update(Event::Condition(None));
                    app.update(Event::Notify(
                        "Bookmarks saved: every change is now on disk".to_owned(),
                    ));
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, "bookmark save failed");
                self.failed_at = Some(std::time::Instant::now());
                let n = self.store.unsaved().len();
                app.update(Event::Condition(Some(format!(
                    "{} not saved yet: {e}",
                    crate::text::counted(n, "bookmark change", "bookmark changes")
                ))));
                if !quiet {
                    app.update(Event::Notify(format!(
                        "Bookmark not saved yet, kept to save later: {e}"
                    )));
                }
            }
        }
        if let Some(n) = self.store.take_notice() {
            app.update(Event::Notify(n));
        }
        self.seen = self.store.modified();
    }

    /// Picks up changes another sitrep made to the file (with this one's unsaved
    /// changes on top), and retries a failed save.
    fn poll(&mut self, app: &mut App) {
        self.retry(app);
        let modified = self.store.modified();
        if modified == self.seen {
            return;
        }
        self.seen = modified;
        if let Ok(list) = self.store.reload() {
            app.update(Event::BookmarksChanged(list));
        }
    }

    /// The changes that could not be written, one line each, for the user to redo.
    fn unsaved_lines(&self) -> Vec<String> {
        self.store
            .unsaved()
            .iter()
            .map(|change| match change {
                Change::Add(b) => format!(
                    "bookmark {}  {}",
                    b.id,
                    crate::text::clean_inline(&b.headline)
                ),
                Change::Remove(id) => format!("removal of bookmark {id}"),
                Change::SetNote(id, note) => {
                    format!("note on bookmark {id}: {}", crate::text::clean_inline(note))
                }
            })
            .collect()
    }
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

pub fn start(paths: &[PathBuf], config_dir: Option<&Path>, options: Options) -> Result<u8> {
    let dir = crate::paths::config_dir(config_dir)?;
    // config.toml: problems print now and show in the status line; defaults apply.
    let settings = crate::config::load(&dir);
    let _ = settings.report(&mut io::stderr());
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
    app.set_read_state(reads.read, reads.seen, reads.first_run);
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
        settings.config.keymap,
        theme,
    )
}

/// The files the reader keeps: bookmarks, and read state with the seen set.
pub struct Stores {
    /// Bookmarks.
    pub bookmarks: Store,
    /// Read state and the seen set.
    pub reads: ReadStore,
}

/// Saves read-state changes and the seen set; failures become status messages.
/// Marks that could not be written stay in the store for the next save.
struct ReadSaver {
    store: ReadStore,
    failed_at: Option<std::time::Instant>,
}

impl ReadSaver {
    fn save(&mut self, app: &mut App, read: &[StoryId], unread: &[StoryId]) {
        let result = self.store.save_read(read, unread).map(Some);
        self.report(app, result);
    }

    /// Tries again to write marks a failed save left, every [`RETRY_AFTER`].
    fn retry(&mut self, app: &mut App) {
        if self.store.unsaved() == 0 || self.failed_at.is_some_and(|t| t.elapsed() < RETRY_AFTER) {
            return;
        }
        let result = self.store.flush();
        self.report(app, result);
    }

    fn report(
        &mut self,
        app: &mut App,
        result: Result<Option<crate::readstate::IdSet>, crate::readstate::ReadStoreError>,
    ) {
        match result {
            Ok(set) => {
                if let Some(set) = set {
                    app.update(Event::ReadChanged(Arc::new(set)));
                }
                if self.failed_at.take().is_some() {
                    app.update(Event::Notify(
                        "Read state saved: every change is now on disk".to_owned(),
                    ));
                }
            }
            Err(e) => {
                if self.failed_at.is_none() {
                    app.update(Event::Notify(format!(
                        "Read state not saved yet, kept to save later: {e}"
                    )));
                }
                self.failed_at = Some(std::time::Instant::now());
            }
        }
        if let Some(n) = self.store.take_notice() {
            app.update(Event::Notify(n));
        }
    }

    /// Remembers every loaded story, so the next run can tell what is new.
    fn remember(&mut self, app: &App) {
        let ids: Vec<StoryId> = app.lib.stories.iter().map(|s| s.id).collect();
        if let Err(e) = self.store.save_seen(&ids) {
            tracing::warn!(error = %e, "seen set not saved");
        }
    }
}

/// Writes what has not been saved yet; returns what still could not be, with the
/// reason, as lines for the user (empty when everything is on disk).
fn flush_all(saver: &mut Saver, reads: &mut ReadSaver) -> Vec<String> {
    let mut lost = Vec::new();
    if !saver.store.unsaved().is_empty()
        && let Err(e) = saver.store.flush()
    {
        let n = saver.store.unsaved().len();
        lost.push(format!(
            "{} ({e})",
            crate::text::counted(n, "bookmark change", "bookmark changes")
        ));
        lost.extend(saver.unsaved_lines().into_iter().map(|l| format!("  {l}")));
    }
    if let Err(e) = reads.store.flush() {
        let n = reads.store.unsaved();
        lost.push(format!(
            "{} ({e})",
            crate::text::counted(n, "read mark", "read marks")
        ));
    }
    lost
}

/// Files in the first background-loading part, and between progress reports.
const PART_FILES: usize = 2000;

/// The longest the lists wait for more stories while a folder loads (later parts
/// are as big as all before them, see [`crate::loader::load_paths_in_parts`]).
const PART_WAIT: Duration = Duration::from_millis(400);

fn spawn_loader(tx: &Sender<Input>, paths: &[PathBuf]) {
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

/// Runs the reader until the user quits or a signal arrives; returns the exit code.
///
/// # Errors
/// When the terminal cannot be set up.
pub fn run(
    mut app: App,
    stores: Stores,
    options: Options,
    paths: &[PathBuf],
    keymap: Keymap,
    theme: Theme,
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
        drop(crate::watch::spawn(paths, move |a| {
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
    let view = (&keymap, &theme);
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
    if app.loading.is_none() {
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
