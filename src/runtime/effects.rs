//! Carrying out effects: handing the terminal to other programs, and saving
//! bookmarks and read state, keeping what could not be written for the next try.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use anyhow::Result;

use crate::action::{Effect, Event};
use crate::app::App;
use crate::runtime::tty::{Hold, Screen};
use crate::store::bookmarks::{Change, Store};
use crate::store::read::ReadStore;
use crate::story::StoryId;

/// Carries out the effects that hand text to other programs; failures become a
/// status message.
pub(super) fn hand_off(app: &mut App, terminal: &mut Screen, hold: &Hold, effect: Effect) {
    let outcome = match effect {
        Effect::Copy(text) => crate::runtime::handoff::copy(&text)
            .map(|()| {
                format!(
                    "Copied {} characters to the clipboard (OSC 52)",
                    text.chars().count()
                )
            })
            .map_err(anyhow::Error::from),
        Effect::Pipe(text) => crate::runtime::handoff::command_from("PAGER", "less")
            .and_then(|argv| {
                hold.lend(terminal, || {
                    let ran = crate::runtime::handoff::pipe(&argv, &text)?;
                    // A pager that did not wait for the reader (`cat`, `less -F`
                    // on a short story) would leave its output to flash by.
                    if ran < crate::runtime::handoff::RETURNED_AT_ONCE {
                        crate::runtime::handoff::wait_for_key()?;
                    }
                    Ok(())
                })
            })
            .map(|()| String::new()),
        // Mail is never written to: it opens in the pager, not an editor.
        Effect::Edit(path) if crate::loader::is_mail(&path) => {
            crate::runtime::handoff::command_from("PAGER", "less")
                .and_then(|argv| {
                    hold.lend(terminal, || crate::runtime::handoff::open(&argv, &path))
                })
                .map(|()| String::new())
        }
        Effect::Edit(path) => crate::runtime::handoff::command_from("VISUAL", "")
            .or_else(|_| crate::runtime::handoff::command_from("EDITOR", "vi"))
            .and_then(|argv| hold.lend(terminal, || crate::runtime::handoff::open(&argv, &path)))
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

/// How long after a failed save the next attempt is made on its own (a later
/// change, or quitting, tries at once).
pub(super) const RETRY_AFTER: Duration = Duration::from_secs(5);

/// Holds the bookmark store and keeps the reader in step with the file. Changes
/// that could not be written stay in the store and are written by the next save,
/// a retry every few seconds, or at quit.
pub(super) struct Saver {
    pub(super) store: Store,
    pub(super) seen: Option<SystemTime>,
    pub(super) failed_at: Option<std::time::Instant>,
}

impl Saver {
    pub(super) fn save(&mut self, app: &mut App, change: &Change) {
        let result = self.store.apply(change);
        self.report(app, result, false);
    }

    /// Tries again to write changes a failed save left, every [`RETRY_AFTER`].
    pub(super) fn retry(&mut self, app: &mut App) {
        if self.store.unsaved().is_empty()
            || self.failed_at.is_some_and(|t| t.elapsed() < RETRY_AFTER)
        {
            return;
        }
        let result = self.store.flush();
        self.report(app, result, true);
    }

    pub(super) fn report(
        &mut self,
        app: &mut App,
        result: Result<Vec<crate::store::bookmarks::Bookmark>, crate::store::bookmarks::StoreError>,
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
    pub(super) fn poll(&mut self, app: &mut App) {
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
    pub(super) fn unsaved_lines(&self) -> Vec<String> {
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

/// Saves read-state changes and the seen set; failures become status messages.
/// Marks that could not be written stay in the store for the next save.
pub(super) struct ReadSaver {
    pub(super) store: ReadStore,
    pub(super) failed_at: Option<std::time::Instant>,
}

impl ReadSaver {
    pub(super) fn save(&mut self, app: &mut App, read: &[StoryId], unread: &[StoryId]) {
        let result = self.store.save_read(read, unread).map(Some);
        self.report(app, result);
    }

    /// Tries again to write marks a failed save left, every [`RETRY_AFTER`].
    pub(super) fn retry(&mut self, app: &mut App) {
        if self.store.unsaved() == 0 || self.failed_at.is_some_and(|t| t.elapsed() < RETRY_AFTER) {
            return;
        }
        let result = self.store.flush();
        self.report(app, result);
    }

    pub(super) fn report(
        &mut self,
        app: &mut App,
        result: Result<Option<crate::store::read::IdSet>, crate::store::read::ReadStoreError>,
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
    pub(super) fn remember(&mut self, app: &App) {
        let ids: Vec<StoryId> = app.lib.stories.iter().map(|s| s.id).collect();
        if let Err(e) = self.store.save_seen(&ids) {
            tracing::warn!(error = %e, "seen set not saved");
        }
    }
}

/// Writes what has not been saved yet; returns what still could not be, with the
/// reason, as lines for the user (empty when everything is on disk).
pub(super) fn flush_all(saver: &mut Saver, reads: &mut ReadSaver) -> Vec<String> {
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
