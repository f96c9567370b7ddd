//! The named parts of the reader's state (see [`App`](super::App)).

use std::collections::HashMap;
use std::sync::Arc;

use super::{DateRow, Row};
use crate::search::{Hit, Matcher, Query};
use crate::store::read::IdSet;
use crate::story::{Library, StoryDate, StoryId};

/// The Dates and Stories lists: rows, selections, scroll offsets and the date groups they are built from.
pub struct Lists {
    /// The Dates list.
    pub dates: Vec<DateRow>,
    /// Selected row of the Dates list.
    pub date_sel: usize,
    /// First visible row of the Dates list.
    pub date_offset: usize,
    /// The Stories list of the selected date.
    pub rows: Vec<Row>,
    /// How many stories (or bookmarks) `rows` lists.
    pub listed: usize,
    /// Selected row of the Stories list (always a story or bookmark row when any).
    pub story_sel: usize,
    /// First visible row of the Stories list.
    pub story_offset: usize,
    /// Show only unread stories.
    pub unread_only: bool,
    /// Story index by id.
    pub(super) by_id: HashMap<StoryId, u32>,
    /// Library stories grouped by date: (date, first index, end index), newest first.
    pub(super) groups: Vec<(StoryDate, usize, usize)>,
    /// Per story (position), its group in `groups`.
    pub(super) group_of: Vec<u32>,
}

/// The filter: what is typed, its parsed form, and the results of the searches asked for.
pub struct Filter {
    /// The filter text.
    pub query: String,
    /// The parsed filter.
    pub(super) parsed: Query,
    /// Ranked matches of the filter; `None` when there is no filter.
    pub matches: Option<Vec<Hit>>,
    /// The filter text the current `matches` were computed for.
    pub(super) matched_query: String,
    /// True when `matches` is the whole result, not only its top.
    pub(super) matches_complete: bool,
    /// Generation of the newest search asked for.
    pub(super) search_gen: u64,
    /// A background search is running.
    pub searching: bool,
    /// The filter changed: open its best match when the results come.
    pub(super) open_top: bool,
    pub(super) matcher: Matcher,
}

/// The Story pane: the story open in it, its scroll, text being found in it, and how long it has shown.
#[derive(Default)]
pub struct Reader {
    /// The story in the Story pane: opened with Enter (or `n`/`p`), not moved by
    /// the list selection, so a move in the list redraws two rows, not the story.
    pub(super) open: Option<StoryId>,
    /// First visible line of the Story pane.
    pub scroll: usize,
    /// Text being found in the story (empty: none).
    pub find: String,
    /// Which place found is current.
    pub find_hit: usize,
    /// The story shown in the Story pane and for how many ticks.
    pub(super) dwell: Option<(StoryId, u8)>,
    /// Follow the list selection a tick after it stops (`preview = "follow"`).
    pub(super) follow: bool,
    /// The selection seen at the last tick, to tell when it has stopped.
    pub(super) followed: Option<StoryId>,
}

/// The help and warnings overlays.
pub struct Overlay {
    /// First visible line of an overlay.
    pub scroll: usize,
    /// Lines of the help overlay (see [`Setup::help_lines`]).
    pub(super) help_lines: usize,
}

/// The status line: a passing message and a lasting condition.
pub struct Status {
    /// A passing message and how many ticks it has left.
    pub message: Option<(String, u8)>,
    /// A lasting condition shown when there is no message (e.g. bookmarks read-only).
    pub condition: Option<String>,
    /// The status line has said that the terminal is larger than what is drawn.
    pub(super) told_capped: bool,
}

/// Read marks and the stories seen in earlier runs.
pub struct Marks {
    /// Stories read (shared with background searches).
    pub read: Arc<IdSet>,
    /// Stories loaded in earlier runs; the others are new.
    pub seen: Arc<IdSet>,
    /// The first run: nothing counts as new.
    pub first_run: bool,
    /// How many loaded stories are new since the last visit.
    pub(super) new_stories: usize,
    /// Per story (position), one bit: read. `read` in a form that many filter
    /// matches can ask cheaply; kept in step by [`App::sync_read_bits`].
    pub(super) read_bits: roaring::RoaringBitmap,
}

/// Work that goes on behind the screen: loading, merging parts, the body index.
pub struct Background {
    /// Counts changes to `lib`; an index built for an older state is dropped.
    pub(super) lib_version: u64,
    /// The body index of `lib`, once built (see [`crate::search::index`]).
    pub(super) index: Option<Arc<crate::search::index::SearchIndex>>,
    /// An index is being built.
    pub(super) indexing: bool,
    /// Changes that arrived while a search held the library, applied when it is
    /// free: origins to drop (changed or deleted files), then a part to add.
    pub(super) pending: Vec<(Vec<std::path::PathBuf>, Library)>,
    /// Background loading: (files done, total if known); `None` when finished.
    pub loading: Option<(usize, Option<usize>)>,
}

/// How many ticks (seconds) a status message stays.
const MESSAGE_TICKS: u8 = 5;

impl Status {
    /// Shows `text` for a few ticks.
    pub(super) fn notify(&mut self, text: impl Into<String>) {
        self.message = Some((text.into(), MESSAGE_TICKS));
    }

    /// A second passed: the message has one tick less, and goes at none.
    pub(super) fn tick(&mut self) {
        if let Some((_, left)) = &mut self.message {
            *left = left.saturating_sub(1);
            if *left == 0 {
                self.message = None;
            }
        }
    }

    /// What the status line says: the message, else the lasting condition.
    #[must_use]
    pub fn text(&self) -> Option<&str> {
        self.message
            .as_ref()
            .map(|(m, _)| m.as_str())
            .or(self.condition.as_deref())
    }
}

impl Lists {
    /// Moves the Dates selection by `delta` rows, clamped; true when it moved.
    pub(super) fn move_date(&mut self, delta: isize) -> bool {
        let Some(last) = self.dates.len().checked_sub(1) else {
            return false;
        };
        let to = self.date_sel.saturating_add_signed(delta).min(last);
        let moved = to != self.date_sel;
        self.date_sel = to;
        moved
    }

    /// Moves the Stories selection by `delta` selectable rows, clamped, over headings.
    pub(super) fn move_story(&mut self, delta: isize) {
        if let Some(to) = super::lists::step(&self.rows, self.story_sel, delta) {
            self.story_sel = to;
        }
    }

    /// Scrolls both lists so their selections show in panes `dates_h` and
    /// `stories_h` rows tall, leaving no rows hidden above while there is room
    /// below, and the date heading above a group's first story in sight.
    pub(super) fn keep_in_view(&mut self, dates_h: usize, stories_h: usize) {
        use super::lists::offset_for;
        self.date_offset = offset_for(self.date_sel, self.date_offset, dates_h)
            .min(self.dates.len().saturating_sub(dates_h));
        let mut off = offset_for(self.story_sel, self.story_offset, stories_h)
            .min(self.rows.len().saturating_sub(stories_h));
        if off == self.story_sel
            && off > 0
            && matches!(self.rows.get(off - 1), Some(Row::Heading(_)))
        {
            off -= 1;
        }
        self.story_offset = off;
    }
}

impl Reader {
    /// Shows story `id` from its top (nothing changes when it already shows).
    pub(super) fn show(&mut self, id: Option<StoryId>) {
        if id != self.open {
            self.open = id;
            self.scroll = 0;
        }
    }

    /// Scrolls by `delta` lines, no further than `max` (the page's last screenful).
    pub(super) fn scroll_by(&mut self, delta: isize, max: usize) {
        self.scroll = self.scroll.saturating_add_signed(delta).min(max);
    }
}

impl Overlay {
    /// Scrolls by `delta` lines an overlay of `lines` lines on a screen
    /// `height` rows tall, no further than its box needs (the layout's rule).
    pub(super) fn scroll_by(&mut self, delta: isize, lines: usize, height: u16) {
        let shown = crate::layout::overlay_height(lines, height).saturating_sub(2);
        let max = lines.saturating_sub(usize::from(shown));
        self.scroll = self.scroll.saturating_add_signed(delta).min(max);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_shows_for_five_ticks_then_the_condition_again() {
        let mut status = Status {
            message: None,
            condition: Some("Bookmarks read-only".into()),
            told_capped: false,
        };
        status.notify("Saved");
        for _ in 0..4 {
            status.tick();
            assert_eq!(status.text(), Some("Saved"));
        }
        status.tick();
        assert_eq!(status.text(), Some("Bookmarks read-only"));
        status.condition = None;
        assert_eq!(status.text(), None);
    }

    fn lists(dates: usize, rows: Vec<Row>) -> Lists {
        Lists {
            dates: (0..dates)
                .map(|_| DateRow {
                    key: super::super::DateKey::All,
                    count: 1,
                    unread: 0,
                })
                .collect(),
            date_sel: 0,
            date_offset: 0,
            listed: rows.len(),
            rows,
            story_sel: 1,
            story_offset: 0,
            unread_only: false,
            by_id: HashMap::new(),
            groups: Vec::new(),
            group_of: Vec::new(),
        }
    }

    #[test]
    fn lists_move_clamped_and_keep_the_heading_of_the_first_story_in_view() {
        let heading = || Row::Heading(StoryDate::Undated);
        let rows = vec![
            heading(),
            Row::Story(0),
            Row::Story(1),
            heading(),
            Row::Story(2),
            Row::Story(3),
        ];
        let mut lists = lists(3, rows);
        assert!(lists.move_date(5));
        assert_eq!(lists.date_sel, 2);
        assert!(!lists.move_date(1), "already at the last date");
        lists.move_story(2);
        assert_eq!(lists.story_sel, 4, "two stories on, over the heading");
        lists.keep_in_view(2, 2);
        assert_eq!(
            (lists.date_offset, lists.story_offset),
            (1, 3),
            "the heading above row 4 shows"
        );
        lists.move_story(-10);
        lists.keep_in_view(2, 2);
        assert_eq!((lists.story_sel, lists.story_offset), (1, 0));
        // Room below: nothing stays hidden above.
        lists.story_offset = 5;
        lists.keep_in_view(3, 10);
        assert_eq!((lists.date_offset, lists.story_offset), (0, 0));
    }

    #[test]
    fn the_reader_opens_a_story_at_its_top_and_scrolls_within_its_page() {
        let mut reader = Reader::default();
        reader.show(Some(StoryId(7)));
        reader.scroll_by(50, 30);
        assert_eq!(reader.scroll, 30);
        reader.show(Some(StoryId(7)));
        assert_eq!(reader.scroll, 30, "the same story keeps its place");
        reader.scroll_by(-100, 30);
        assert_eq!(reader.scroll, 0);
        reader.scroll_by(5, 30);
        reader.show(Some(StoryId(8)));
        assert_eq!((reader.open, reader.scroll), (Some(StoryId(8)), 0));
    }

    #[test]
    fn an_overlay_scrolls_as_far_as_its_box_needs() {
        let mut overlay = Overlay {
            scroll: 0,
            help_lines: 50,
        };
        // A box of 22 rows on 24 shows 20 of 50 lines.
        overlay.scroll_by(100, 50, 24);
        assert_eq!(overlay.scroll, 30);
        overlay.scroll_by(-5, 50, 24);
        assert_eq!(overlay.scroll, 25);
        // Taller, it needs less: 36 lines show on 40 rows.
        overlay.scroll_by(1, 50, 40);
        assert_eq!(overlay.scroll, 14);
        overlay.scroll_by(-100, 50, 40);
        assert_eq!(overlay.scroll, 0);
        // What fits needs no scrolling.
        overlay.scroll_by(3, 5, 40);
        assert_eq!(overlay.scroll, 0);
    }
}
