//! The work the reader hands to its workers: a search of the library, and a
//! build of its body index. Data plus the code that runs them, the same for the
//! runtime's threads and for [`crate::runtime::settle`].

use std::collections::HashSet;
use std::sync::Arc;

use crate::store::read::IdSet;
use crate::story::{Library, Story, StoryId};

use super::{Flag, Hit, Matcher, Query, Search, SearchIndex};

/// What a search job sends back, tagged with its generation.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// The top of the results: final rows, more to come.
    Top(u64, Vec<Hit>),
    /// All the results.
    All(u64, Vec<Hit>),
}

/// A body index built for one state of the library.
#[derive(Debug, Clone)]
pub struct Built {
    /// The library state it was built for ([`IndexJob::version`]).
    pub version: u64,
    /// The index; `None` when the build was stopped.
    pub index: Option<Arc<SearchIndex>>,
}

impl PartialEq for Built {
    /// Indexes are compared by identity.
    fn eq(&self, other: &Self) -> bool {
        self.version == other.version
            && match (&self.index, &other.index) {
                (Some(a), Some(b)) => Arc::ptr_eq(a, b),
                (a, b) => a.is_none() && b.is_none(),
            }
    }
}

/// Build a body index of this library state on a worker.
#[derive(Debug, Clone)]
pub struct IndexJob {
    /// Counts the library's changes; a result for an older state is dropped.
    pub version: u64,
    /// The library (the worker drops it before replying).
    pub lib: Arc<Library>,
}

impl PartialEq for IndexJob {
    /// Jobs are identified by version.
    fn eq(&self, other: &Self) -> bool {
        self.version == other.version
    }
}

impl IndexJob {
    /// Builds the index, letting go of the library before returning; gives up
    /// (no index) once `stop` says so.
    #[must_use]
    pub fn run(self, stop: &dyn Fn() -> bool) -> Built {
        let index = SearchIndex::build_until(&self.lib, stop).map(Arc::new);
        Built {
            version: self.version,
            index,
        }
    }
}

/// A search for the worker: newer generations supersede older ones.
#[derive(Debug, Clone)]
pub struct SearchJob {
    /// Generation: only the newest one's results are used.
    pub generation: u64,
    /// The library to search (shared; the worker drops it before replying).
    pub lib: Arc<Library>,
    /// The body index of `lib`, when built.
    pub index: Option<Arc<SearchIndex>>,
    /// The parsed filter.
    pub query: Query,
    /// Only these stories may have every term as typed (a narrowing of the
    /// previous results), or all.
    pub typed: Option<Vec<u32>>,
    /// Only these stories may match at all, or all.
    pub all: Option<Vec<u32>>,
    /// Send the stories found as typed first when there are at least this many.
    pub first: usize,
    /// Answers `is:` qualifiers.
    pub flags: Arc<Flags>,
}

/// What `is:` qualifiers ask about a story: bookmarked, read, new.
#[derive(Debug, Clone, Default)]
pub struct Flags {
    /// Bookmarked story ids.
    pub bookmarked: HashSet<StoryId>,
    /// Read story ids.
    pub read: Arc<IdSet>,
    /// Ids loaded in earlier runs; stories not in it are new.
    pub seen: Arc<IdSet>,
    /// No earlier run to compare with: nothing is new.
    pub first_run: bool,
}

impl Flags {
    /// Whether `story` has `flag`.
    #[must_use]
    pub fn has(&self, story: &Story, flag: Flag) -> bool {
        match flag {
            Flag::Bookmarked => self.bookmarked.contains(&story.id),
            Flag::Read => self.read.contains(story.id),
            Flag::Unread => !self.read.contains(story.id),
            Flag::New => self.is_new(story.id),
        }
    }

    /// Whether the story with `id` is new since the last visit.
    #[must_use]
    pub fn is_new(&self, id: StoryId) -> bool {
        !self.first_run && !self.seen.contains(id)
    }
}

impl SearchJob {
    /// Ranks: `partial` may get the top of the results first (see
    /// [`Matcher::rank_search`]); `None` when `stop` turned true.
    pub fn run(
        &self,
        matcher: &Matcher,
        stop: &(dyn Fn() -> bool + Sync),
        partial: &mut dyn FnMut(&[Hit]),
    ) -> Option<Vec<Hit>> {
        let flags = Arc::clone(&self.flags);
        let has = |s: &Story, f| flags.has(s, f);
        let search = Search {
            lib: &self.lib,
            index: self.index.as_deref(),
            query: &self.query,
            typed: self.typed.as_deref(),
            all: self.all.as_deref(),
            flags: &has,
            stop,
        };
        matcher.rank_search(&search, self.first, partial)
    }
}

impl SearchJob {
    /// Answers the job as the reader's worker does: the top of the results
    /// first ([`Answer::Top`], when they fill the screen), then all of them
    /// ([`Answer::All`]; nothing once `stop` turned true). The library is let go
    /// of before the last answer, so the reader can merge into it.
    pub fn answer(
        self,
        matcher: &Matcher,
        stop: &(dyn Fn() -> bool + Sync),
        send: &mut dyn FnMut(Answer),
    ) {
        let generation = self.generation;
        let hits = self.run(matcher, stop, &mut |top| {
            send(Answer::Top(generation, top.to_vec()));
        });
        drop(self);
        if let Some(hits) = hits {
            send(Answer::All(generation, hits));
        }
    }
}

impl PartialEq for SearchJob {
    /// Jobs are identified by generation.
    fn eq(&self, other: &Self) -> bool {
        self.generation == other.generation
    }
}
