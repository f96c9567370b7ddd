//! Filtering and background loading on the `App`: asking the runtime for a
//! search, narrowing the previous results when the query only grew, and merging
//! loaded parts without copying the library.

use std::sync::Arc;

use super::App;
use crate::action::Effect;
use crate::layout::Pane;
use crate::search::{Built, IndexJob, SearchJob};
use crate::search::{Hit, Query, Term, TermKind};
use crate::story::{Library, StoryId};

impl App {
    /// The filter text changed: rank again (inline) or ask for a background search.
    pub(super) fn apply_filter(&mut self) -> Option<Effect> {
        self.filter.parsed = Query::parse(&self.filter.query);
        // Only words already finished: `is:u` on its way to `is:unread` is fine.
        let finished = self
            .filter
            .query
            .rsplit_once(' ')
            .map_or("", |(done, _)| done)
            .to_string();
        self.warn_unknown_qualifiers(&finished);
        self.filter.search_gen += 1;
        self.filter.open_top = true;
        if self.filter.parsed.is_empty() {
            self.filter.matches = None;
            self.filter.matched_query.clear();
            self.filter.searching = false;
            self.refresh(None);
            return None;
        }
        let candidates = self.narrowing();
        Some(self.start_search(candidates))
    }

    /// Says so when `text` has a misspelled qualifier (it is searched as text).
    pub(super) fn warn_unknown_qualifiers(&mut self, text: &str) {
        if let Some(word) = Query::unknown_qualifiers(text).first() {
            self.notify(format!(
                "Unknown qualifier {}: try {}",
                crate::text::clean_inline(word),
                Query::QUALIFIER_HINT
            ));
        }
    }

    /// The previous results, when the new query can only match fewer stories:
    /// it extends the text the results were computed for, the term being
    /// extended is not an exclusion (a longer `!term` excludes less) or a
    /// qualifier, and no term has just grown long enough to match scattered
    /// letters.
    /// With them, whether they were complete (else only their top: the stories
    /// found as typed).
    fn narrowing(&self) -> Option<(Vec<u32>, bool)> {
        let previous = Query::parse(&self.filter.matched_query);
        // A qualifier being typed (`is:b` → `is:bookmarked`, or `is` → `is:read`
        // before the results for `is` came back) is not a narrowing.
        let typing_qualifier = [&self.filter.matched_query, &self.filter.query]
            .iter()
            .any(|q| q.split_whitespace().last().is_some_and(|w| w.contains(':')))
            || previous.qualifiers() != self.filter.parsed.qualifiers();
        let extends = !self.filter.matched_query.is_empty()
            && !typing_qualifier
            && self.filter.query.starts_with(&self.filter.matched_query)
            && (self.filter.query[self.filter.matched_query.len()..].starts_with(' ')
                || previous
                    .terms()
                    .last()
                    .is_none_or(|t| t.kind != TermKind::Exclude));
        // A term that grows to three letters starts matching scattered letters
        // too, and one that grows to five or nine letters allows more typos:
        // more stories than before, not fewer.
        let scattering = |q: &Query| q.terms().iter().filter(|t| t.can_scatter()).count();
        let typos = |q: &Query| q.terms().iter().map(Term::typos).sum::<u32>();
        if !extends
            || scattering(&self.filter.parsed) > scattering(&previous)
            || typos(&self.filter.parsed) > typos(&previous)
        {
            return None;
        }
        let mut ids: Vec<u32> = self
            .filter
            .matches
            .as_ref()?
            .iter()
            .map(|h| h.story)
            .collect();
        ids.sort_unstable();
        Some((ids, self.filter.matches_complete))
    }

    fn start_search(&mut self, narrowed: Option<(Vec<u32>, bool)>) -> Effect {
        let (typed, all) = match narrowed {
            Some((ids, true)) => (Some(ids.clone()), Some(ids)),
            Some((ids, false)) => (Some(ids), None),
            None => (None, None),
        };
        let job = SearchJob {
            generation: self.filter.search_gen,
            lib: Arc::clone(&self.lib),
            index: self.background.index.clone(),
            query: self.filter.parsed.clone(),
            typed,
            all,
            first: self.page_height(Pane::Stories).max(1),
            flags: self.flags(),
        };
        self.filter.searching = true;
        Effect::Search(job)
    }

    /// The top of the results of search `generation` (the rest follows).
    pub(super) fn search_partial(&mut self, generation: u64, hits: Vec<Hit>) {
        if generation != self.filter.search_gen {
            return;
        }
        self.filter.matches = Some(hits);
        self.filter.matches_complete = false;
        self.filter.matched_query.clone_from(&self.filter.query);
        self.refresh(None);
        self.open_top_match();
    }

    /// Typing the filter opens its best match in the Story pane, or empties it
    /// when nothing matches (once per keystroke: results that come back after a
    /// reload leave the story alone).
    fn open_top_match(&mut self) {
        // Results that land after the filter was left (Enter) do not take over a
        // story the user may have opened meanwhile.
        if std::mem::take(&mut self.filter.open_top) && self.mode == super::Mode::Filter {
            self.open_selected();
            if self.reader.open.is_none() && self.focus == Pane::Reader {
                self.focus = Pane::Stories;
            }
        }
    }

    /// Asks for a body index when loading has finished and the current one is
    /// missing or out of date (live reader only).
    pub(super) fn want_index(&mut self) -> Option<Effect> {
        let fresh = self
            .background
            .index
            .as_ref()
            .is_some_and(|i| i.stories() == self.lib.stories.len());
        if self.background.indexing
            || fresh
            || self.background.loading.is_some()
            || !self.background.pending.is_empty()
        {
            return None;
        }
        self.background.indexing = true;
        Some(Effect::BuildIndex(IndexJob {
            version: self.background.lib_version,
            lib: Arc::clone(&self.lib),
        }))
    }

    /// A body index arrived: kept when the library has not changed since.
    pub(super) fn index_ready(&mut self, built: Built) -> Option<Effect> {
        self.background.indexing = false;
        if built.version == self.background.lib_version {
            self.background.index = built.index.or(self.background.index.take());
        }
        self.flush_pending().or_else(|| self.want_index())
    }

    /// Results of search `generation`; stale ones are dropped.
    pub(super) fn search_done(&mut self, generation: u64, hits: Vec<Hit>) -> Option<Effect> {
        if generation != self.filter.search_gen {
            return None;
        }
        self.filter.searching = false;
        self.filter.matches = Some(hits);
        self.filter.matches_complete = true;
        self.filter.matched_query.clone_from(&self.filter.query);
        self.refresh(None);
        self.open_top_match();
        self.flush_pending()
    }

    /// Clears the filter, keeping the selected story.
    pub(super) fn clear_filter(&mut self) {
        let keep = self.selected_id();
        self.filter.query.clear();
        self.filter.parsed = Query::default();
        self.filter.search_gen += 1;
        self.filter.searching = false;
        self.filter.matches = None;
        self.filter.matched_query.clear();
        self.refresh(keep);
        let _ = self.flush_pending();
    }

    /// Stories loaded in the background (or files changed while running, whose
    /// old stories go first) arrived: merge them now if no search holds the
    /// library, else once it is free.
    pub(super) fn add_part(
        &mut self,
        removed: Vec<std::path::PathBuf>,
        part: Library,
    ) -> Option<Effect> {
        self.background.pending.push((removed, part));
        // An index being built holds the library and would be out of date: it
        // is stopped, and the part merges when it comes back.
        match self.flush_pending() {
            None if self.background.indexing => Some(Effect::CancelIndex),
            effect => effect,
        }
    }

    /// Merges queued parts when the library is not shared, keeping the selected
    /// story on the same screen row; re-searches when a filter is active.
    pub(super) fn flush_pending(&mut self) -> Option<Effect> {
        if self.background.pending.is_empty() {
            return None;
        }
        // Positions change in the merge: remember the selection by id first.
        let keep = self.selected_id();
        let screen_row = self.lists.story_sel.saturating_sub(self.lists.story_offset);
        let was_empty = self.lists.rows.is_empty();
        let lib = Arc::get_mut(&mut self.lib)?;
        let matched: Option<Vec<(StoryId, i64)>> = self.filter.matches.as_ref().map(|m| {
            m.iter()
                .filter_map(|h| lib.stories.get(h.story as usize).map(|s| (s.id, h.score)))
                .collect()
        });
        let (mut fresh, mut gone) = (0, 0);
        for (removed, part) in self.background.pending.drain(..) {
            // Only a reload removes anything; plain loading skips the scan.
            if !removed.is_empty() {
                let incoming: std::collections::HashSet<StoryId> =
                    part.stories.iter().map(|s| s.id).collect();
                gone += lib
                    .stories
                    .iter()
                    .filter(|s| {
                        lib.docs[s.doc as usize]
                            .path
                            .as_ref()
                            .is_some_and(|p| removed.contains(p))
                            && !incoming.contains(&s.id)
                    })
                    .count();
            }
            fresh += part
                .stories
                .iter()
                .filter(|s| !self.lists.by_id.contains_key(&s.id))
                .count();
            lib.remove_paths(&removed);
            lib.merge(part);
        }
        // Story positions moved: the index no longer fits.
        self.background.lib_version += 1;
        self.background.index = None;
        self.index();
        // Old results point at old positions: move them by id until the new search
        // lands. They lack the new stories, so nothing narrows from them.
        self.filter.matched_query.clear();
        if let Some(matched) = matched {
            self.filter.matches = Some(
                matched
                    .into_iter()
                    .filter_map(|(id, score)| {
                        self.lists.by_id.get(&id).map(|&story| Hit { story, score })
                    })
                    .collect(),
            );
        }
        self.refresh(if was_empty { None } else { keep });
        if self.background.loading.is_none() && (fresh > 0 || gone > 0) {
            let count = |n: usize| crate::text::counted(n, "story", "stories");
            self.notify(match (fresh, gone) {
                (_, 0) => format!("{} added", count(fresh)),
                (0, _) => format!("{} removed", count(gone)),
                _ => format!("{} added, {} removed", count(fresh), count(gone)),
            });
        }
        if keep.is_some() && keep == self.selected_id() {
            self.lists.story_offset = self.lists.story_sel.saturating_sub(screen_row);
            self.keep_in_view();
        }
        if self.filter.matches.is_some() {
            self.filter.search_gen += 1;
            return Some(self.start_search(None));
        }
        None
    }
}
