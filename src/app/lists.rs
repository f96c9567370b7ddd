//! The Dates and Stories lists: what they hold for the current filter, bookmarks
//! and selected date, and how a selection moves through them.

use roaring::RoaringBitmap;

use super::App;
use crate::search::{Hit, Term, WITH_TYPOS};
use crate::story::{StoryDate, StoryId};

/// An entry of the Dates list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateKey {
    /// Bookmarked stories.
    Bookmarks,
    /// Every story.
    All,
    /// One date.
    Date(StoryDate),
}

/// A row of the Dates list with its story count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateRow {
    /// Which entry.
    pub key: DateKey,
    /// Stories listed under it (matching the filter, when there is one).
    pub count: usize,
    /// How many of them are unread.
    pub unread: usize,
}

/// A row of the Stories list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Row {
    /// A date heading (in `All` without a filter).
    Heading(StoryDate),
    /// A loaded story (index into the library).
    Story(u32),
    /// A bookmark whose story is not loaded (index into `App::bookmarks`).
    Missing(usize),
    /// Above the filter's matches found only by scattered letters (every story
    /// above it has each term as typed).
    Divider,
}

impl Row {
    fn selectable(self) -> bool {
        !matches!(self, Row::Heading(_) | Row::Divider)
    }
}

/// The selectable row `delta` steps from `from` (clamped to the ends); `None`
/// when nothing is selectable.
#[must_use]
pub fn step(rows: &[Row], from: usize, delta: isize) -> Option<usize> {
    // Walks from `from`, so a move costs the rows it passes, not the whole list.
    let last = rows.len().checked_sub(1)?;
    let selectable = |i: &usize| rows[*i].selectable();
    let forward = |i: usize| (i..=last).find(selectable);
    let backward = |i: usize| (0..=i.min(last)).rev().find(selectable);
    if delta.unsigned_abs() > last {
        return if delta > 0 {
            backward(last)
        } else {
            forward(0)
        };
    }
    let mut pos = from.min(last);
    let mut left = delta.unsigned_abs();
    if !rows[pos].selectable() {
        // Landing on the nearest row in the direction of the move is one step.
        pos = if delta < 0 {
            backward(pos).or_else(|| forward(pos))?
        } else {
            forward(pos).or_else(|| backward(pos))?
        };
        left = left.saturating_sub(1);
    }
    for _ in 0..left {
        let next = if delta > 0 {
            forward(pos + 1)
        } else {
            pos.checked_sub(1).and_then(backward)
        };
        match next {
            Some(n) => pos = n,
            None => break,
        }
    }
    Some(pos)
}

/// The first visible row that keeps `sel` in a window of `height` rows.
#[must_use]
pub fn offset_for(sel: usize, offset: usize, height: usize) -> usize {
    let height = height.max(1);
    if sel < offset {
        sel
    } else if sel >= offset + height {
        sel + 1 - height
    } else {
        offset
    }
}

impl App {
    /// The story positions matched by the filter (`None`: no filter).
    fn matched_set(&self) -> Option<RoaringBitmap> {
        self.filter
            .matches
            .as_ref()
            .map(|m| m.iter().map(|h| h.story).collect())
    }

    /// Bookmark rows for the current filter: loaded stories that match, and
    /// missing ones whose saved headline matches.
    fn bookmark_rows(&self) -> Vec<super::Row> {
        if self.bookmarks.is_empty() {
            return Vec::new();
        }
        let matched = self.matched_set();
        let query = &self.filter.parsed;
        self.bookmarks
            .iter()
            .enumerate()
            .filter_map(|(bi, b)| match self.lists.by_id.get(&b.id) {
                Some(&i) => matched
                    .as_ref()
                    .is_none_or(|m| m.contains(i))
                    .then_some(Row::Story(i)),
                None => (query.is_empty()
                    || !self.filter.matcher.highlight(&b.headline, query).is_empty())
                .then_some(Row::Missing(bi)),
            })
            .collect()
    }

    /// Rebuilds the Dates list, keeping `keep` selected when it is still there.
    /// Each date counts the stories listed under it (the filter's matches, when
    /// there is a filter) and how many of them are unread.
    pub(super) fn rebuild_dates(&mut self, keep: Option<DateKey>) {
        let bookmark_rows = self.bookmark_rows();
        let is_unread = |i: usize| i < self.lib.stories.len() && !self.read_at(i);
        let bookmarks = DateRow {
            key: DateKey::Bookmarks,
            count: bookmark_rows.len(),
            unread: bookmark_rows
                .iter()
                .filter(|r| matches!(r, Row::Story(i) if is_unread(*i as usize)))
                .count(),
        };
        // (count, unread) per date, in the library's date order.
        let per: Vec<(StoryDate, usize, usize)> = match &self.filter.matches {
            None => self
                .lists
                .groups
                .iter()
                .map(|&(date, a, b)| (date, b - a, (a..b).filter(|&i| is_unread(i)).count()))
                .collect(),
            Some(hits) => {
                // (count, unread) per group.
                let mut per = vec![(0usize, 0usize); self.lists.groups.len()];
                for h in hits {
                    let i = h.story as usize;
                    if let Some(e) = self
                        .lists
                        .group_of
                        .get(i)
                        .and_then(|&g| per.get_mut(g as usize))
                    {
                        e.0 += 1;
                        e.1 += usize::from(!self.read_at(i));
                    }
                }
                self.lists
                    .groups
                    .iter()
                    .zip(per)
                    .filter(|(_, (c, _))| *c > 0)
                    .map(|(&(date, _, _), (c, u))| (date, c, u))
                    .collect()
            }
        };
        let mut dates = Vec::with_capacity(per.len() + 2);
        if self.filter.matches.is_none() || bookmarks.count > 0 {
            dates.push(bookmarks);
        }
        dates.push(DateRow {
            key: DateKey::All,
            count: per.iter().map(|p| p.1).sum(),
            unread: per.iter().map(|p| p.2).sum(),
        });
        dates.extend(per.into_iter().map(|(date, count, unread)| DateRow {
            key: DateKey::Date(date),
            count,
            unread,
        }));
        self.lists.dates = dates;
        let all = self
            .lists
            .dates
            .iter()
            .position(|d| d.key == DateKey::All)
            .unwrap_or(0);
        self.lists.date_sel = keep
            .and_then(|k| self.lists.dates.iter().position(|d| d.key == k))
            .unwrap_or(all);
    }

    /// Rows for ranked `hits`, with a [`Row::Divider`] before the first one
    /// found only by scattered letters.
    fn with_divider<'h>(&self, hits: impl Iterator<Item = &'h Hit>) -> Vec<Row> {
        let scatters = self.filter.parsed.terms().iter().any(Term::can_scatter);
        let mut rows = Vec::new();
        let mut divided = false;
        for h in hits {
            if scatters && !divided && h.score < WITH_TYPOS {
                rows.push(Row::Divider);
                divided = true;
            }
            rows.push(Row::Story(h.story));
        }
        rows
    }

    /// Rebuilds the Stories list for the selected date and selects `keep` (or the first story).
    pub(super) fn rebuild_rows(&mut self, keep: Option<StoryId>) {
        let key = self
            .lists
            .dates
            .get(self.lists.date_sel)
            .map_or(DateKey::All, |d| d.key);
        let to_row = |i: usize| Row::Story(u32::try_from(i).unwrap_or(u32::MAX));
        self.lists.rows = match (key, &self.filter.matches) {
            (DateKey::Bookmarks, _) => self.bookmark_rows(),
            (DateKey::All, None) => {
                let mut rows = Vec::with_capacity(self.lib.stories.len() + self.lists.groups.len());
                for &(date, a, b) in &self.lists.groups {
                    rows.push(Row::Heading(date));
                    rows.extend((a..b).map(to_row));
                }
                rows
            }
            (DateKey::All, Some(hits)) => self.with_divider(hits.iter()),
            (DateKey::Date(d), None) => self
                .lists
                .groups
                .iter()
                .find(|g| g.0 == d)
                .map(|&(_, a, b)| (a..b).map(to_row).collect())
                .unwrap_or_default(),
            (DateKey::Date(d), Some(hits)) => {
                let group = self.lists.groups.iter().position(|g| g.0 == d);
                let group = group.and_then(|g| u32::try_from(g).ok());
                self.with_divider(
                    hits.iter()
                        .filter(|h| self.lists.group_of.get(h.story as usize).copied() == group),
                )
            }
        };
        self.drop_read(keep);
        self.lists.listed = self.lists.rows.iter().filter(|r| r.selectable()).count();
        self.select(keep);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn step_skips_headings_and_clamps() {
        let d = StoryDate::Undated;
        let rows = [
            Row::Heading(d),
            Row::Story(0),
            Row::Story(1),
            Row::Heading(d),
            Row::Story(2),
        ];
        assert_eq!(step(&rows, 0, 0), Some(1));
        assert_eq!(step(&rows, 1, 1), Some(2));
        assert_eq!(step(&rows, 2, 1), Some(4));
        assert_eq!(step(&rows, 4, 5), Some(4));
        assert_eq!(step(&rows, 4, -1), Some(2));
        assert_eq!(step(&rows, 1, -9), Some(1));
        assert_eq!(step(&[Row::Heading(d)], 0, 1), None);
    }

    #[test]
    fn offset_keeps_selection_visible() {
        assert_eq!(offset_for(0, 0, 10), 0);
        assert_eq!(offset_for(12, 0, 10), 3);
        assert_eq!(offset_for(2, 5, 10), 2);
        assert_eq!(offset_for(7, 5, 0), 7);
    }
}
