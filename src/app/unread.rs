//! Reading what is new: the next and previous unread story, across dates, and
//! marking every listed story read with one undo right after.

use std::sync::Arc;

use super::{App, DateKey, Row};
use crate::action::Effect;
use crate::story::StoryId;

impl App {
    /// Whether row `r` of the Stories list is an unread loaded story.
    fn unread_row(&self, r: usize) -> bool {
        matches!(self.lists.rows.get(r), Some(Row::Story(i)) if !self.read_at(*i as usize))
    }

    /// Opens the next (`forward`) or previous unread story: in the Stories
    /// list from the story read (or selected), then in the dates after (or
    /// before) the selected one. Says "No more unread stories" when there is
    /// none; returns whether one was opened.
    pub(super) fn step_unread(&mut self, forward: bool) -> bool {
        let from = self
            .reader
            .open
            .and_then(|id| self.row_of(id))
            .unwrap_or(self.lists.story_sel);
        let rows = self.lists.rows.len();
        let here = if forward {
            (from + 1..rows).find(|&r| self.unread_row(r))
        } else {
            (0..from.min(rows)).rev().find(|&r| self.unread_row(r))
        };
        let found = here.or_else(|| self.unread_in_other_dates(forward));
        let Some(r) = found else {
            self.notify("No more unread stories");
            return false;
        };
        self.lists.story_sel = r;
        self.open_selected();
        if !self.panes().bordered {
            self.focus = crate::layout::Pane::Reader;
        }
        self.keep_in_view();
        true
    }

    /// With one date selected, selects the nearest date after (or before) it
    /// with unread stories and returns the row of its first (or last) one.
    fn unread_in_other_dates(&mut self, forward: bool) -> Option<usize> {
        let at = self.lists.date_sel;
        if !matches!(self.lists.dates.get(at)?.key, DateKey::Date(_)) {
            return None;
        }
        let has_unread = |d: &super::DateRow| matches!(d.key, DateKey::Date(_)) && d.unread > 0;
        let next = if forward {
            (at + 1..self.lists.dates.len()).find(|&d| has_unread(&self.lists.dates[d]))
        } else {
            (0..at).rev().find(|&d| has_unread(&self.lists.dates[d]))
        }?;
        self.lists.date_sel = next;
        self.rebuild_rows(None);
        let rows = self.lists.rows.len();
        if forward {
            (0..rows).find(|&r| self.unread_row(r))
        } else {
            (0..rows).rev().find(|&r| self.unread_row(r))
        }
    }

    /// Marks every story now listed read (the date's, the filter's, or all),
    /// keeping which were unread for one undo (`u` right after).
    pub(super) fn mark_all_read(&mut self) -> Option<Effect> {
        let mut ids: Vec<StoryId> = self
            .lists
            .rows
            .iter()
            .filter_map(|r| match r {
                Row::Story(i) if !self.read_at(*i as usize) => {
                    self.lib.stories.get(*i as usize).map(|s| s.id)
                }
                _ => None,
            })
            .collect();
        ids.sort_unstable();
        ids.dedup();
        if ids.is_empty() {
            self.notify("Every story listed is read already");
            return None;
        }
        self.set_many_read(&ids, true);
        self.notify(format!(
            "Marked {} read (u undoes)",
            crate::text::counted(ids.len(), "story", "stories")
        ));
        self.undo_read = Some(ids.clone());
        Some(Effect::SaveRead(ids, Vec::new()))
    }

    /// `u` right after marking all read: those stories are unread again.
    pub(super) fn undo_mark_all(&mut self, ids: Vec<StoryId>) -> Effect {
        self.set_many_read(&ids, false);
        self.notify(format!(
            "Marked {} unread again",
            crate::text::counted(ids.len(), "story", "stories")
        ));
        Effect::SaveRead(Vec::new(), ids)
    }

    /// Sets stories `ids` read (or unread) in the read set and the per-position
    /// bits, then updates the counts, keeping the selection.
    pub(super) fn set_many_read(&mut self, ids: &[StoryId], read: bool) {
        let set = Arc::make_mut(&mut self.marks.read);
        for &id in ids {
            if read {
                set.insert(id);
            } else {
                set.remove(id);
            }
        }
        let wanted: std::collections::HashSet<StoryId> = ids.iter().copied().collect();
        // Every position: the same story can stand in two files.
        for (i, s) in (0u32..).zip(&self.lib.stories) {
            if wanted.contains(&s.id) {
                if read {
                    self.marks.read_bits.insert(i);
                } else {
                    self.marks.read_bits.remove(i);
                }
            }
        }
        let keep = self.selected_id();
        self.rebuild_dates(self.lists.dates.get(self.lists.date_sel).map(|d| d.key));
        self.select(keep);
    }
}

#[cfg(test)]
mod tests;
