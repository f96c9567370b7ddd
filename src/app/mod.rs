//! The reader's model (`App`) and `App::update`, the only place its state changes.
//!
//! No I/O, no clock, no terminal: the time arrives with `Event::Tick`, the size
//! with `Event::Resize`, and side effects leave as an `Effect` for the runtime.

mod filter;
mod find;
mod lists;
mod marks;
mod state;
#[cfg(test)]
mod tests;
mod unread;
mod update;

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset};

use crate::action::{Action, Effect};
use crate::layout::{self, Pane, Panes};
use crate::page;
use crate::search::{Matcher, Query};
use crate::store::bookmarks::{self, Bookmark, Change};
use crate::store::read::IdSet;
use crate::story::{Library, Story, StoryId};

pub use lists::{DateKey, DateRow, Row};
pub use state::{Background, Filter, Lists, Marks, Overlay, Reader, Status};

/// What the keyboard is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Browsing.
    Normal,
    /// Typing a filter.
    Filter,
    /// Editing a bookmark note.
    Note,
    /// The help overlay is open.
    Help,
    /// The warnings overlay is open.
    Warnings,
    /// Typing text to find in the story.
    Find,
}

/// A note being edited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteEdit {
    /// The bookmark.
    pub id: StoryId,
    /// The text so far.
    pub text: String,
    /// Cursor position, in characters.
    pub cursor: usize,
}

/// What a tick can change on screen; see [`App::tick_state`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TickState(
    Option<String>,
    usize,
    usize,
    usize,
    bool,
    usize,
    Option<(usize, Option<usize>)>,
);

/// How the runtime shows and runs the model, given once with [`App::setup`].
#[derive(Debug, Clone, Copy)]
pub struct Setup {
    /// ASCII symbols instead of Unicode ones (see [`App::ascii`]).
    pub ascii: bool,
    /// Lines of the help overlay with the keymap in use, which bound its
    /// scrolling (`usize::MAX`: not bounded).
    pub help_lines: usize,
    /// The Story pane follows the list selection (see
    /// [`crate::config::Config::preview_follow`]).
    pub preview_follow: bool,
}

impl Default for Setup {
    fn default() -> Self {
        Setup {
            ascii: false,
            help_lines: usize::MAX,
            preview_follow: false,
        }
    }
}

/// The reader's whole state, in named parts.
pub struct App {
    /// All loaded stories.
    pub lib: Arc<Library>,
    /// The focused pane.
    pub focus: Pane,
    /// What the keyboard is doing.
    pub mode: Mode,
    /// The area drawn (columns, rows): the terminal's size, at most
    /// [`crate::layout::MAX_SIDE`] each way.
    pub size: (u16, u16),
    /// Bookmarks, most recently added first.
    pub bookmarks: Vec<Bookmark>,
    /// A note being edited.
    pub note: Option<NoteEdit>,
    /// The time, as of the last tick.
    pub now: DateTime<FixedOffset>,
    /// ASCII symbols instead of Unicode ones in the text the model makes (the
    /// Story pane's `date - source` line); the view's own symbols are the theme's.
    ascii: bool,
    /// A bookmark with a note that `b` was pressed on once (a second `b` removes it).
    confirm_remove: Option<StoryId>,
    /// The stories the last "mark all read" changed, for one undo right after.
    undo_read: Option<Vec<StoryId>>,
    /// The Dates and Stories lists: rows, selections, scroll offsets and the date groups they are built from.
    pub lists: Lists,
    /// The filter: what is typed, its parsed form, and the results of the searches asked for.
    pub filter: Filter,
    /// The Story pane: the story open in it, its scroll, text being found in it, and how long it has shown.
    pub reader: Reader,
    /// The help and warnings overlays.
    pub overlay: Overlay,
    /// The status line: a passing message and a lasting condition.
    pub status: Status,
    /// Read marks and the stories seen in earlier runs.
    pub marks: Marks,
    /// Work that goes on behind the screen: loading, merging parts, the body index.
    pub background: Background,
}

impl App {
    /// A reader on `lib` with `bookmarks`, at time `now`; starts on the Stories pane,
    /// all dates, newest story selected.
    #[must_use]
    pub fn new(lib: Library, bookmarks: Vec<Bookmark>, now: DateTime<FixedOffset>) -> Self {
        let mut app = App {
            lib: Arc::new(lib),
            focus: Pane::Stories,
            mode: Mode::Normal,
            size: (80, 24),
            bookmarks: Vec::new(),
            note: None,
            now,
            ascii: false,
            confirm_remove: None,
            undo_read: None,
            lists: Lists {
                dates: Vec::new(),
                date_sel: 1,
                date_offset: 0,
                rows: Vec::new(),
                listed: 0,
                story_sel: 0,
                story_offset: 0,
                unread_only: false,
                by_id: HashMap::new(),
                groups: Vec::new(),
                group_of: Vec::new(),
            },
            filter: Filter {
                query: String::new(),
                parsed: Query::default(),
                matches: None,
                matched_query: String::new(),
                matches_complete: true,
                search_gen: 0,
                searching: false,
                open_top: false,
                matcher: Matcher::new(),
            },
            reader: Reader::default(),
            overlay: Overlay {
                scroll: 0,
                help_lines: usize::MAX,
            },
            status: Status {
                message: None,
                condition: None,
                told_capped: false,
            },
            marks: Marks {
                read: Arc::new(IdSet::default()),
                seen: Arc::new(IdSet::default()),
                first_run: true,
                new_stories: 0,
                read_bits: roaring::RoaringBitmap::new(),
            },
            background: Background {
                lib_version: 0,
                index: None,
                indexing: false,
                pending: Vec::new(),
                loading: None,
            },
        };
        app.index();
        app.set_bookmarks(bookmarks);
        app.rebuild_dates(None);
        app.rebuild_rows(None);
        app
    }

    /// Rebuilds the id map and date groups after the library changed.
    pub(super) fn index(&mut self) {
        self.count_new();
        self.lists.by_id = self
            .lib
            .stories
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id, u32::try_from(i).unwrap_or(u32::MAX)))
            .collect();
        self.lists.groups.clear();
        self.lists.group_of.clear();
        for (i, s) in self.lib.stories.iter().enumerate() {
            match self.lists.groups.last_mut() {
                Some(g) if g.0 == s.date => g.2 = i + 1,
                _ => self.lists.groups.push((s.date, i, i + 1)),
            }
            self.lists
                .group_of
                .push(u32::try_from(self.lists.groups.len() - 1).unwrap_or(u32::MAX));
        }
        self.sync_read_bits();
    }

    /// Rebuilds `read_bits` from `read` (after loading or a change on disk).
    pub(super) fn sync_read_bits(&mut self) {
        self.marks.read_bits = if self.marks.read.is_empty() {
            roaring::RoaringBitmap::new()
        } else {
            (0u32..)
                .zip(&self.lib.stories)
                .filter(|(_, s)| self.marks.read.contains(s.id))
                .map(|(i, _)| i)
                .collect()
        };
    }

    /// Whether the story at position `i` has been read.
    pub(super) fn read_at(&self, i: usize) -> bool {
        u32::try_from(i).is_ok_and(|i| self.marks.read_bits.contains(i))
    }

    /// What a tick can change on screen (messages, read marks, loaded stories,
    /// searching, bookmarks), to skip drawing when a tick changed nothing.
    #[must_use]
    pub fn tick_state(&self) -> TickState {
        TickState(
            self.status().map(str::to_string),
            self.marks.read.len(),
            self.lib.stories.len(),
            self.lists.listed,
            self.filter.searching,
            self.bookmarks.len(),
            self.background.loading,
        )
    }

    /// Current geometry.
    #[must_use]
    pub fn panes(&self) -> Panes {
        layout::panes(self.size.0, self.size.1, self.focus, self.lists.dates.len())
    }

    fn page_height(&self, pane: Pane) -> usize {
        let panes = layout::panes(self.size.0, self.size.1, pane, self.lists.dates.len());
        panes
            .inner(pane)
            .map_or(1, |r| usize::from(r.height).max(1))
    }

    /// The story at the Stories selection, if it is a loaded story.
    #[must_use]
    pub fn selected_story(&self) -> Option<&Story> {
        match self.lists.rows.get(self.lists.story_sel) {
            Some(Row::Story(i)) => self.lib.stories.get(*i as usize),
            _ => None,
        }
    }

    /// The story in the Story pane, if it is loaded.
    #[must_use]
    pub fn open_story(&self) -> Option<&Story> {
        let i = *self.lists.by_id.get(&self.reader.open?)?;
        self.lib.stories.get(i as usize)
    }

    /// The id of the story in the Story pane (a loaded story or a missing bookmark).
    #[must_use]
    pub fn open_id(&self) -> Option<StoryId> {
        self.reader.open
    }

    /// The story keys act on: the one in the Story pane while it has the focus,
    /// else the one selected in the list.
    #[must_use]
    pub fn current_story(&self) -> Option<&Story> {
        if self.focus == Pane::Reader {
            self.open_story()
        } else {
            self.selected_story()
        }
    }

    /// The id keys act on (see [`App::current_story`]).
    #[must_use]
    pub fn current_id(&self) -> Option<StoryId> {
        if self.focus == Pane::Reader {
            self.reader.open
        } else {
            self.selected_id()
        }
    }

    /// The source of the first story of the date group that story `i` (a
    /// position in the library) is in: what a list grouped by date takes as
    /// read, so that only other sources are shown.
    #[must_use]
    pub fn group_source(&self, i: usize) -> Option<&str> {
        let g = *self.lists.group_of.get(i)? as usize;
        let first = self.lists.groups.get(g)?.1;
        self.lib.stories.get(first).map(|s| self.lib.source(s))
    }

    /// Shows the selected story in the Story pane.
    pub(super) fn open_selected(&mut self) {
        let id = self.selected_id();
        self.reader.show(id);
    }

    /// The id at the Stories selection (a loaded story or a missing bookmark).
    #[must_use]
    pub fn selected_id(&self) -> Option<StoryId> {
        match self.lists.rows.get(self.lists.story_sel)? {
            Row::Story(i) => self.lib.stories.get(*i as usize).map(|s| s.id),
            Row::Missing(b) => self.bookmarks.get(*b).map(|b| b.id),
            Row::Heading(_) | Row::Divider => None,
        }
    }

    /// The bookmark of `id`, if bookmarked.
    #[must_use]
    pub fn bookmark(&self, id: StoryId) -> Option<&Bookmark> {
        self.bookmarks.iter().find(|b| b.id == id)
    }

    /// The Story pane's lines at the current size.
    #[must_use]
    pub fn page(&self) -> Vec<page::PageLine> {
        self.page_of(self.reader.open)
    }

    /// The lines of story `id` at the Story pane's current width.
    fn page_of(&self, id: Option<StoryId>) -> Vec<page::PageLine> {
        let width = self
            .panes()
            .inner(Pane::Reader)
            .or_else(|| {
                layout::panes(self.size.0, self.size.1, Pane::Reader, 0).inner(Pane::Reader)
            })
            .map_or(80, |r| page::text_width(r.width));
        let story = id
            .and_then(|id| self.lists.by_id.get(&id))
            .and_then(|&i| self.lib.stories.get(i as usize));
        page::lines(
            &self.lib,
            story,
            id.and_then(|id| self.bookmark(id)),
            width,
            if self.ascii { "-" } else { "·" },
        )
    }

    /// Character positions of `text` matched by the filter.
    #[must_use]
    pub fn highlight(&self, text: &str) -> Vec<usize> {
        if self.filter.parsed.is_empty() {
            Vec::new()
        } else {
            self.filter.matcher.highlight(text, &self.filter.parsed)
        }
    }

    /// The current story (see [`App::current_story`]) as plain text: headline,
    /// date · source · byline, then the paragraphs (what `y` copies).
    #[must_use]
    pub fn story_text(&self) -> Option<String> {
        let story = self.current_story()?;
        let mut meta = vec![story.date.to_string(), self.lib.source(story).to_string()];
        meta.extend(self.lib.byline(story).map(str::to_string));
        let mut text = format!("{}\n{}\n", self.lib.headline(story), meta.join(" · "));
        for p in self.lib.paragraphs(story) {
            text.push('\n');
            text.push_str(p);
            text.push('\n');
        }
        Some(text)
    }

    /// The status message to show now, if any.
    #[must_use]
    pub fn status(&self) -> Option<&str> {
        self.status.text()
    }

    /// Whether the model writes ASCII symbols (see [`Setup::ascii`]).
    #[must_use]
    pub fn ascii(&self) -> bool {
        self.ascii
    }

    /// Takes how the runtime shows and runs the model; call once, before the
    /// first update.
    pub fn setup(&mut self, setup: Setup) {
        self.ascii = setup.ascii;
        self.overlay.help_lines = setup.help_lines;
        self.reader.follow = setup.preview_follow;
    }

    /// Lines of the open overlay.
    fn overlay_lines(&self) -> usize {
        match self.mode {
            Mode::Help => self.overlay.help_lines,
            Mode::Warnings => self.lib.warnings.len().max(1),
            _ => 0,
        }
    }

    /// Shows `text` in the status line for a few seconds.
    fn notify(&mut self, text: impl Into<String>) {
        self.status.notify(text);
    }

    fn set_bookmarks(&mut self, mut list: Vec<Bookmark>) {
        list.sort_by_key(|b| std::cmp::Reverse(b.added));
        self.bookmarks = list;
    }

    fn page_for_focus(&self) -> isize {
        let pane = if self.mode == Mode::Filter {
            Pane::Stories
        } else {
            self.focus
        };
        isize::try_from(self.page_height(pane)).unwrap_or(1).max(1)
    }

    pub(super) fn set_focus(&mut self, pane: Pane) {
        if pane == Pane::Reader {
            // Going into the Story pane from the list reads the selected story.
            if self.focus == Pane::Stories && self.selected_id().is_some() {
                self.open_selected();
            }
            if self.reader.open.is_none() {
                return;
            }
        }
        self.focus = pane;
        self.keep_in_view();
    }

    fn toggle_overlay(&mut self, mode: Mode) {
        self.overlay.scroll = 0;
        self.mode = if self.mode == mode {
            Mode::Normal
        } else {
            mode
        };
    }

    fn back(&mut self) {
        match self.mode {
            Mode::Help | Mode::Warnings => self.mode = Mode::Normal,
            _ if !self.filter.query.is_empty() => self.clear_filter(),
            _ if self.focus == Pane::Reader && !self.panes().bordered => self.focus = Pane::Stories,
            _ => {}
        }
    }

    fn move_by(&mut self, delta: isize) {
        if matches!(self.mode, Mode::Help | Mode::Warnings) {
            let lines = self.overlay_lines();
            self.overlay.scroll_by(delta, lines, self.size.1);
            return;
        }
        let pane = if self.mode == Mode::Filter {
            Pane::Stories
        } else {
            self.focus
        };
        match pane {
            Pane::Dates => self.move_date(delta),
            Pane::Stories => self.move_story(delta),
            Pane::Reader => {
                let max = self
                    .page()
                    .len()
                    .saturating_sub(self.page_height(Pane::Reader));
                // Paging on at the end of a story goes to the next unread one,
                // like mutt and newsboat.
                if self.reader.scroll == max && delta > 1 && delta != isize::MAX / 2 {
                    self.step_unread(true);
                    return;
                }
                self.reader.scroll_by(delta, max);
            }
        }
    }

    fn move_date(&mut self, delta: isize) {
        if self.lists.move_date(delta) {
            self.rebuild_rows(None);
        }
        self.keep_in_view();
    }

    fn move_story(&mut self, delta: isize) {
        self.lists.move_story(delta);
        self.keep_in_view();
    }

    /// `n`/`p`: opens the next (previous) story of the list, from the one read.
    fn read_next(&mut self, delta: isize) {
        if let Some(at) = self.reader.open.and_then(|id| self.row_of(id)) {
            self.lists.story_sel = at;
        }
        let before = self.lists.story_sel;
        self.move_story(delta);
        if self.lists.story_sel == before && self.selected_id().is_some() {
            self.notify(if delta > 0 {
                "Last story"
            } else {
                "First story"
            });
        }
        self.open_selected();
    }

    /// The row of story `id` in the Stories list.
    fn row_of(&self, id: StoryId) -> Option<usize> {
        self.lists.rows.iter().position(|r| match r {
            Row::Story(i) => self
                .lib
                .stories
                .get(*i as usize)
                .is_some_and(|s| s.id == id),
            Row::Missing(b) => self.bookmarks.get(*b).is_some_and(|b| b.id == id),
            Row::Heading(_) | Row::Divider => false,
        })
    }

    fn scroll_at(&mut self, x: u16, y: u16, delta: isize) {
        let Some(pane) = self.panes().hit(x, y) else {
            return;
        };
        match pane {
            Pane::Dates => self.move_date(delta.signum()),
            Pane::Stories => self.move_story(delta),
            Pane::Reader => {
                let max = self
                    .page()
                    .len()
                    .saturating_sub(self.page_height(Pane::Reader));
                self.reader.scroll_by(delta, max);
            }
        }
    }

    fn click_at(&mut self, x: u16, y: u16) {
        let panes = self.panes();
        let Some(pane) = panes.hit(x, y) else {
            return;
        };
        let row = panes
            .inner(pane)
            .filter(|r| y >= r.y && y < r.bottom())
            .map(|r| usize::from(y - r.y));
        match (pane, row) {
            (Pane::Dates, Some(r)) if self.lists.date_offset + r < self.lists.dates.len() => {
                self.focus = Pane::Dates;
                let to = self.lists.date_offset + r;
                if to != self.lists.date_sel {
                    self.lists.date_sel = to;
                    self.rebuild_rows(None);
                }
            }
            (Pane::Stories, Some(r)) => {
                self.focus = Pane::Stories;
                let at = self.lists.story_offset + r;
                // A click selects and opens: it is not a key held down over SSH.
                if matches!(
                    self.lists.rows.get(at),
                    Some(Row::Story(_) | Row::Missing(_))
                ) {
                    self.lists.story_sel = at;
                    self.open_selected();
                }
            }
            // A click into the story scrolls it next; it does not swap it.
            (Pane::Reader, _) => {
                if self.reader.open.is_some() {
                    self.focus = Pane::Reader;
                }
            }
            (pane, _) => self.set_focus(pane),
        }
        self.keep_in_view();
    }

    /// Keeps the selections inside their panes' visible rows.
    fn keep_in_view(&mut self) {
        // No rows hidden above while the pane has room below (after a reload
        // added rows above the selection, or a resize).
        let (dates_h, stories_h) = (
            self.page_height(Pane::Dates),
            self.page_height(Pane::Stories),
        );
        self.lists.keep_in_view(dates_h, stories_h);
        let max = self
            .page()
            .len()
            .saturating_sub(self.page_height(Pane::Reader));
        self.reader.scroll_by(0, max);
    }

    /// Rebuilds dates and rows after the filter or bookmarks changed, keeping the
    /// selected date and story `keep` when they are still listed.
    fn refresh(&mut self, keep: Option<StoryId>) {
        let date = self.lists.dates.get(self.lists.date_sel).map(|d| d.key);
        self.rebuild_dates(date);
        self.rebuild_rows(keep);
    }

    /// Moves the selection to story `id` if it is listed, else the first story.
    fn select(&mut self, keep: Option<StoryId>) {
        let found = keep.and_then(|id| self.row_of(id));
        self.lists.story_sel = found
            .or_else(|| lists::step(&self.lists.rows, 0, 0))
            .unwrap_or(0);
        if found.is_none() {
            self.lists.story_offset = 0;
        }
        // Nothing read yet, or the story read is gone (its file changed): show the
        // selected one.
        let gone = self
            .reader
            .open
            .is_some_and(|id| !self.lists.by_id.contains_key(&id) && self.bookmark(id).is_none());
        if self.reader.open.is_none() || gone {
            self.open_selected();
        }
        if self.focus == Pane::Reader && self.reader.open.is_none() {
            self.focus = Pane::Stories;
        }
        self.keep_in_view();
    }

    fn toggle_bookmark(&mut self) -> Option<Effect> {
        let id = self.current_id()?;
        if let Some(b) = self.bookmark(id) {
            // A note is work the user did: ask once before it goes.
            if !b.note.is_empty() && self.confirm_remove != Some(id) {
                self.confirm_remove = Some(id);
                self.notify("This bookmark has a note: press b again to remove it");
                return None;
            }
            self.confirm_remove = None;
            let change = Change::Remove(id);
            let mut list = std::mem::take(&mut self.bookmarks);
            bookmarks::apply_change(&mut list, &change);
            self.set_bookmarks(list);
            self.notify("Bookmark removed");
            self.refresh(Some(id));
            return Some(Effect::SaveBookmark(change));
        }
        let story = self.current_story()?;
        let mut b = Bookmark::new(
            id,
            self.lib.headline(story),
            story.date.iso(),
            self.lib.source(story),
            self.lib.origin(story),
        );
        b.added = self.now;
        let change = Change::Add(b);
        let mut list = std::mem::take(&mut self.bookmarks);
        bookmarks::apply_change(&mut list, &change);
        self.set_bookmarks(list);
        self.notify("Bookmarked (N adds a note)");
        self.refresh(Some(id));
        Some(Effect::SaveBookmark(change))
    }

    fn start_note(&mut self) {
        let Some(id) = self.current_id() else {
            return;
        };
        match self.bookmark(id) {
            Some(b) => {
                let text = crate::text::clean_inline(&b.note).into_owned();
                self.note = Some(NoteEdit {
                    id,
                    cursor: text.chars().count(),
                    text,
                });
                self.mode = Mode::Note;
                self.status.message = None;
            }
            None => self.notify("Bookmark the story first (b), then add a note (N)"),
        }
    }

    fn edit_note(&mut self, action: &Action) {
        let Some(n) = &mut self.note else {
            return;
        };
        let at = |text: &str, c: usize| text.char_indices().nth(c).map_or(text.len(), |(i, _)| i);
        match action {
            Action::NoteInput(c) => {
                let i = at(&n.text, n.cursor);
                n.text.insert(i, *c);
                n.cursor += 1;
            }
            Action::NoteBackspace if n.cursor > 0 => {
                let i = at(&n.text, n.cursor - 1);
                n.text.remove(i);
                n.cursor -= 1;
            }
            Action::NoteLeft => n.cursor = n.cursor.saturating_sub(1),
            Action::NoteRight => n.cursor = (n.cursor + 1).min(n.text.chars().count()),
            Action::NoteHome => n.cursor = 0,
            Action::NoteEnd => n.cursor = n.text.chars().count(),
            Action::NoteClear => {
                let i = at(&n.text, n.cursor);
                n.text.replace_range(..i, "");
                n.cursor = 0;
            }
            _ => {}
        }
    }

    fn save_note(&mut self) -> Option<Effect> {
        self.mode = Mode::Normal;
        let n = self.note.take()?;
        let text = n.text.trim().to_string();
        let change = Change::SetNote(n.id, text);
        let mut list = std::mem::take(&mut self.bookmarks);
        bookmarks::apply_change(&mut list, &change);
        self.set_bookmarks(list);
        self.notify("Note saved");
        Some(Effect::SaveBookmark(change))
    }
}
