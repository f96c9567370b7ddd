//! Read marks on the `App`: a story shown in the Story pane for a moment counts
//! as read; `r`/`u` mark it; `U` shows unread stories only; new stories (not
//! loaded in an earlier run) are told apart.

use std::sync::Arc;

use super::{App, Row};
use crate::action::Effect;
use crate::layout::Pane;
use crate::search::Flags;
use crate::store::read::IdSet;
use crate::story::StoryId;

/// Ticks (seconds) a story must stay in the Story pane to count as read.
const READ_AFTER_TICKS: u8 = 2;

impl App {
    /// Sets the read state loaded at start-up: stories read, stories loaded in
    /// earlier runs, and whether this is the first run.
    pub(super) fn set_read_state(&mut self, read: IdSet, seen: IdSet, first_run: bool) {
        self.marks.read = Arc::new(read);
        self.marks.seen = Arc::new(seen);
        self.marks.first_run = first_run;
        self.sync_read_bits();
        self.count_new();
        let keep = self.selected_id();
        self.refresh(keep);
    }

    /// Whether the story with `id` has been read.
    #[must_use]
    pub fn is_read(&self, id: StoryId) -> bool {
        self.marks.read.contains(id)
    }

    /// Whether the story with `id` is new since the last visit.
    #[must_use]
    pub fn is_new(&self, id: StoryId) -> bool {
        !self.marks.first_run && !self.marks.seen.contains(id)
    }

    /// How many loaded stories are new since the last visit.
    #[must_use]
    pub fn new_count(&self) -> usize {
        self.marks.new_stories
    }

    /// Counts the new stories (after the library changed).
    pub(super) fn count_new(&mut self) {
        self.marks.new_stories = if self.marks.first_run {
            0
        } else {
            self.lib
                .stories
                .iter()
                .filter(|s| !self.marks.seen.contains(s.id))
                .count()
        };
    }

    /// The flags `is:` qualifiers ask about, for a search.
    #[must_use]
    pub fn flags(&self) -> Arc<Flags> {
        Arc::new(Flags {
            bookmarked: self.bookmarks.iter().map(|b| b.id).collect(),
            read: Arc::clone(&self.marks.read),
            seen: Arc::clone(&self.marks.seen),
            first_run: self.marks.first_run,
        })
    }

    /// The story the Story pane shows now, if the pane is on screen.
    fn shown_story(&self) -> Option<StoryId> {
        let panes = self.panes();
        let visible = panes.bordered || self.focus == Pane::Reader;
        visible.then(|| self.open_story().map(|s| s.id)).flatten()
    }

    /// With `preview = "follow"` in the wide layout: shows the selected story
    /// once the selection has stayed on it from one tick to the next (so
    /// moving through the list sends no story text over a slow link).
    pub(super) fn follow_selection(&mut self) {
        if !self.reader.follow || !self.panes().bordered {
            return;
        }
        let selected = self.selected_id();
        if selected.is_some() && selected == self.reader.followed && selected != self.reader.open {
            self.open_selected();
        }
        self.reader.followed = selected;
    }

    /// Counts how long the shown story has been on screen; marks it read after a moment.
    pub(super) fn dwell_tick(&mut self) -> Option<Effect> {
        let shown = self.shown_story();
        let ticks = match (self.reader.dwell, shown) {
            (Some((id, n)), Some(now)) if id == now => n.saturating_add(1),
            _ => 0,
        };
        self.reader.dwell = shown.map(|id| (id, ticks));
        match shown {
            Some(id) if ticks == READ_AFTER_TICKS && !self.is_read(id) => self.set_read(id, true),
            _ => None,
        }
    }

    /// `r` / `u` on the selected story.
    pub(super) fn mark(&mut self, read: bool) -> Option<Effect> {
        let id = self.current_story().map(|s| s.id)?;
        // Marked unread by hand: do not mark it read again while it stays shown.
        self.reader.dwell = Some((id, READ_AFTER_TICKS.saturating_add(1)));
        self.notify(if read { "Marked read" } else { "Marked unread" });
        self.set_read(id, read)
    }

    fn set_read(&mut self, id: StoryId, read: bool) -> Option<Effect> {
        if self.marks.read.contains(id) == read {
            return None;
        }
        // Counts change; the rows stay until the selection moves (with `U` on, a
        // story just read does not vanish under the reader).
        self.set_many_read(&[id], read);
        Some(if read {
            Effect::SaveRead(vec![id], Vec::new())
        } else {
            Effect::SaveRead(Vec::new(), vec![id])
        })
    }

    /// With `U` on, drops read stories from `rows` (and headings left empty),
    /// keeping `keep` listed.
    pub(super) fn drop_read(&mut self, keep: Option<StoryId>) {
        if !self.lists.unread_only {
            return;
        }
        let mut rows = std::mem::take(&mut self.lists.rows);
        rows.retain(|r| match r {
            Row::Story(i) => {
                !self.read_at(*i as usize)
                    || self.lib.stories.get(*i as usize).map(|s| s.id) == keep
            }
            _ => true,
        });
        let mut out: Vec<Row> = Vec::with_capacity(rows.len());
        for r in rows {
            if let (Some(Row::Heading(_)), Row::Heading(_)) = (out.last(), r) {
                out.pop();
            }
            out.push(r);
        }
        if matches!(out.last(), Some(Row::Heading(_) | Row::Divider)) {
            out.pop();
        }
        self.lists.rows = out;
    }
}
