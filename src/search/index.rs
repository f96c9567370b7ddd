//! A word index of story bodies, so that the filter finds a term in the text of
//! every story without reading the text again on each keystroke.
//!
//! A word is a run of alphanumeric characters, ASCII-lowercased (other letters
//! kept as they are). A case-insensitive term made only of such characters can
//! only occur inside one word, so the stories whose body contains the term are the
//! union of the stories of every word that contains it, and where it sits in that
//! word (the whole word, its start, or inside) is how the filter scores a body hit.
//! The index answers exactly what scanning the text would; [`crate::search`]
//! scans for the terms it cannot answer (with uppercase, other cased letters or
//! punctuation).
//!
//! It also keeps every headline and byline, ASCII-lowercased, in one buffer, and
//! each distinct source once, for the same reason.
//!
//! The reader builds it on a worker once loading has finished; it belongs to one
//! state of the [`Library`] (story positions change when files are added).

use std::collections::HashMap;
use std::ops::Range;

use foldhash::fast::FixedState;
use rayon::prelude::*;
use roaring::{MultiOps, RoaringBitmap};

use super::typo::Typo;
use crate::story::Library;

/// Stories per parallel chunk while building.
const CHUNK: usize = 2048;

/// Stories whose body has words containing a term, by where the term sits.
#[derive(Debug, Default)]
pub struct BodyHits {
    /// The term is a whole word.
    pub whole: RoaringBitmap,
    /// The term starts a longer word.
    pub start: RoaringBitmap,
    /// The term is inside a word.
    pub inside: RoaringBitmap,
}

/// Where a term sits in a word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Place {
    /// Inside a word.
    Inside,
    /// At the start of a longer word.
    Start,
    /// The whole word.
    Whole,
}

/// How a substring hit at `start..start + len` of `hay` sits among words.
#[must_use]
pub fn place_at(hay: &str, start: usize, len: usize) -> Place {
    let bytes = hay.as_bytes();
    // ASCII neighbours are the common case; others are decoded.
    let before = match start.checked_sub(1).and_then(|i| bytes.get(i)) {
        None => false,
        Some(b) if b.is_ascii() => b.is_ascii_alphanumeric(),
        Some(_) => hay
            .get(..start)
            .and_then(|s| s.chars().next_back())
            .is_some_and(char::is_alphanumeric),
    };
    let after = match bytes.get(start + len) {
        None => false,
        Some(b) if b.is_ascii() => b.is_ascii_alphanumeric(),
        Some(_) => hay
            .get(start + len..)
            .and_then(|s| s.chars().next())
            .is_some_and(char::is_alphanumeric),
    };
    match (before, after) {
        (false, false) => Place::Whole,
        (false, true) => Place::Start,
        (true, _) => Place::Inside,
    }
}

/// One short field of every story, ASCII-lowercased, one after another in story
/// order, so a term is looked for in all of them with one pass over memory.
#[derive(Debug, Default)]
struct Column {
    /// The texts, each followed by `\n` (never inside a field).
    text: String,
    /// Where each story's text starts, plus the end.
    starts: Vec<u32>,
}

impl Column {
    fn push(&mut self, field: &str) {
        self.starts
            .push(u32::try_from(self.text.len()).unwrap_or(u32::MAX));
        self.text
            .extend(field.chars().map(|c| c.to_ascii_lowercase()));
        self.text.push('\n');
    }

    fn finish(&mut self) {
        self.starts
            .push(u32::try_from(self.text.len()).unwrap_or(u32::MAX));
    }

    /// Story `i`'s text.
    fn get(&self, i: usize) -> &str {
        let (Some(&a), Some(&b)) = (self.starts.get(i), self.starts.get(i + 1)) else {
            return "";
        };
        self.text
            .get(a as usize..(b as usize).saturating_sub(1))
            .unwrap_or("")
    }

    /// Calls `f(story, place)` for every occurrence of `term` (lowercase) in the
    /// texts of `stories`.
    fn hits(&self, term: &str, stories: Range<usize>, mut f: impl FnMut(usize, Place)) {
        let at = |i: usize| self.starts.get(i).map_or(0, |&s| s as usize);
        let (from, to) = (at(stories.start), at(stories.end));
        let Some(text) = self.text.get(from..to) else {
            return;
        };
        let mut story = stories.start;
        let (mut begin, mut end) = (from, at(story + 1).saturating_sub(1));
        for pos in memchr::memmem::find_iter(text.as_bytes(), term.as_bytes()) {
            let pos = pos + from;
            if pos >= end {
                while at(story + 1) <= pos {
                    story += 1;
                }
                (begin, end) = (at(story), at(story + 1).saturating_sub(1));
            }
            let field = self.text.get(begin..end).unwrap_or("");
            f(story, place_at(field, pos - begin, term.len()));
        }
    }
}

impl Column {
    /// Calls `f(story, place)` for every word of the texts of `stories` that the
    /// term matches with typos.
    fn typo_hits(&self, typo: &Typo, stories: Range<usize>, mut f: impl FnMut(usize, Place)) {
        let at = |i: usize| self.starts.get(i).map_or(0, |&s| s as usize);
        let from = at(stories.start);
        let Some(text) = self.text.get(from..at(stories.end)) else {
            return;
        };
        // Words come in order for each piece of the term, not across pieces.
        let ends = self
            .starts
            .get(stories.start + 1..=stories.end)
            .unwrap_or(&[]);
        typo.words_in(text, |pos, place| {
            let story = ends.partition_point(|&end| end as usize <= pos + from);
            f(stories.start + story, place);
        });
    }
}

/// The words of every story body and the stories that have each, and the short
/// fields of every story in one place.
#[derive(Debug, Default)]
pub struct SearchIndex {
    /// Headlines, lowercased.
    heads: Column,
    /// Bylines, lowercased (empty when none).
    bylines: Column,
    /// The distinct sources.
    sources: Vec<String>,
    /// Per document, its source in `sources`.
    doc_source: Vec<u32>,
    /// The distinct words, each followed by `\n` (never part of a word).
    vocab: Vec<u8>,
    /// Where each word starts in `vocab`.
    starts: Vec<u32>,
    /// Per word, the stories (positions in [`Library::stories`]) that have it.
    postings: Vec<RoaringBitmap>,
    /// How many stories the index was built over.
    stories: usize,
}

/// Words of one chunk of stories: word → its stories, in order.
type Partial = HashMap<Box<[u8]>, Vec<u32>, FixedState>;

impl SearchIndex {
    /// Indexes the bodies of all stories of `lib`, on the rayon pool.
    #[must_use]
    pub fn build(lib: &Library) -> SearchIndex {
        Self::build_until(lib, &|| false).unwrap_or_default()
    }

    /// [`SearchIndex::build`] that gives up (`None`) soon after `stop()` turns true.
    #[must_use]
    pub fn build_until(lib: &Library, stop: &dyn Fn() -> bool) -> Option<SearchIndex> {
        let mut ids: HashMap<Box<[u8]>, u32, FixedState> =
            HashMap::with_hasher(FixedState::default());
        let mut index = SearchIndex {
            stories: lib.stories.len(),
            ..SearchIndex::default()
        };
        for story in &lib.stories {
            index.heads.push(lib.headline(story));
            index.bylines.push(lib.byline(story).unwrap_or(""));
        }
        index.heads.finish();
        index.bylines.finish();
        let mut interned: HashMap<&str, u32, FixedState> =
            HashMap::with_hasher(FixedState::default());
        for doc in &lib.docs {
            let next = u32::try_from(interned.len()).unwrap_or(u32::MAX);
            let id = *interned.entry(doc.source.as_str()).or_insert_with(|| {
                index.sources.push(doc.source.clone());
                next
            });
            index.doc_source.push(id);
        }
        // A batch of chunks at a time bounds the memory held by partial results;
        // batches and chunks are merged in order, so story ids only grow.
        let batch = CHUNK * 16 * rayon::current_num_threads().max(1);
        for (b, stories) in lib.stories.chunks(batch).enumerate() {
            if stop() {
                return None;
            }
            let partials: Vec<Partial> = stories
                .par_chunks(CHUNK)
                .enumerate()
                .map(|(chunk, stories)| {
                    let base = b * batch + chunk * CHUNK;
                    let mut words = Partial::with_hasher(FixedState::default());
                    let mut word = Vec::new();
                    for (i, story) in stories.iter().enumerate() {
                        let id = u32::try_from(base + i).unwrap_or(u32::MAX);
                        for para in lib.paragraphs(story) {
                            for_each_word(para, &mut word, |w| {
                                if let Some(stories) = words.get_mut(w) {
                                    if stories.last() != Some(&id) {
                                        stories.push(id);
                                    }
                                } else {
                                    words.insert(w.into(), vec![id]);
                                }
                            });
                        }
                    }
                    words
                })
                .collect();
            for partial in partials {
                for (word, stories) in partial {
                    let at = *ids.entry(word).or_insert_with_key(|w| {
                        index
                            .starts
                            .push(u32::try_from(index.vocab.len()).unwrap_or(u32::MAX));
                        index.vocab.extend_from_slice(w);
                        index.vocab.push(b'\n');
                        index.postings.push(RoaringBitmap::new());
                        u32::try_from(index.postings.len() - 1).unwrap_or(u32::MAX)
                    });
                    if let Some(bitmap) = index.postings.get_mut(at as usize) {
                        bitmap.append(stories).ok();
                    }
                }
            }
        }
        Some(index)
    }

    /// How many stories it covers: it is only valid for a library of that many
    /// stories, in the same order.
    #[must_use]
    pub fn stories(&self) -> usize {
        self.stories
    }

    /// Story `i`'s headline, ASCII-lowercased.
    #[must_use]
    pub fn headline(&self, i: u32) -> &str {
        self.heads.get(i as usize)
    }

    /// Calls `f(story, place)` for every occurrence of `term` (ASCII lowercase) in
    /// a headline of `stories`.
    pub fn headline_hits(&self, term: &str, stories: Range<usize>, f: impl FnMut(usize, Place)) {
        self.heads.hits(term, stories, f);
    }

    /// Calls `f(story, place)` for every occurrence of `term` (ASCII lowercase) in
    /// a byline of `stories`.
    pub fn byline_hits(&self, term: &str, stories: Range<usize>, f: impl FnMut(usize, Place)) {
        self.bylines.hits(term, stories, f);
    }

    /// [`SearchIndex::headline_hits`] for a term with typos.
    pub fn headline_typos(&self, typo: &Typo, stories: Range<usize>, f: impl FnMut(usize, Place)) {
        self.heads.typo_hits(typo, stories, f);
    }

    /// [`SearchIndex::byline_hits`] for a term with typos.
    pub fn byline_typos(&self, typo: &Typo, stories: Range<usize>, f: impl FnMut(usize, Place)) {
        self.bylines.typo_hits(typo, stories, f);
    }

    /// The distinct sources of the documents.
    #[must_use]
    pub fn sources(&self) -> &[String] {
        &self.sources
    }

    /// Which of [`SearchIndex::sources`] document `doc` has.
    #[must_use]
    pub fn source_of(&self, doc: u32) -> Option<usize> {
        self.doc_source.get(doc as usize).map(|&s| s as usize)
    }

    /// How many distinct words.
    #[must_use]
    pub fn words(&self) -> usize {
        self.starts.len()
    }

    /// Approximate heap bytes held.
    #[must_use]
    pub fn heap_bytes(&self) -> usize {
        self.vocab.capacity()
            + self.starts.capacity() * 4
            + self.heads.text.capacity()
            + self.heads.starts.capacity() * 4
            + self.bylines.text.capacity()
            + self.bylines.starts.capacity() * 4
            + self.sources.iter().map(String::capacity).sum::<usize>()
            + self.doc_source.capacity() * 4
            + self
                .postings
                .iter()
                .map(|b| b.serialized_size() + std::mem::size_of::<RoaringBitmap>())
                .sum::<usize>()
    }

    /// True when the index can answer `term` (lowercase): every character is
    /// alphanumeric and none has case outside ASCII.
    #[must_use]
    pub fn answers(term: &str) -> bool {
        !term.is_empty()
            && term.chars().all(|c| {
                c.is_alphanumeric() && (c.is_ascii() || !(c.is_lowercase() || c.is_uppercase()))
            })
            && !term.bytes().any(|b| b.is_ascii_uppercase())
    }

    /// The stories whose body contains `term` (see [`SearchIndex::answers`]), by
    /// the best place it has in a word.
    #[must_use]
    pub fn lookup(&self, term: &str) -> BodyHits {
        let (mut whole, mut start, mut inside) = (Vec::new(), Vec::new(), Vec::new());
        let mut last = None;
        for pos in memchr::memmem::find_iter(&self.vocab, term.as_bytes()) {
            let word = self
                .starts
                .partition_point(|&s| s as usize <= pos)
                .saturating_sub(1);
            // The first hit in a word is its best place.
            if last == Some(word) {
                continue;
            }
            last = Some(word);
            let (Some(&begin), Some(bitmap)) = (self.starts.get(word), self.postings.get(word))
            else {
                continue;
            };
            let end = self
                .starts
                .get(word + 1)
                .map_or(self.vocab.len(), |&s| s as usize)
                - 1;
            if pos == begin as usize && end - pos == term.len() {
                whole.push(bitmap);
            } else if pos == begin as usize {
                start.push(bitmap);
            } else {
                inside.push(bitmap);
            }
        }
        BodyHits {
            whole: whole.union(),
            start: start.union(),
            inside: inside.union(),
        }
    }
}

impl SearchIndex {
    /// The stories whose body has a word the term matches with typos, by the best
    /// place it has in such a word.
    #[must_use]
    pub fn typo_lookup(&self, typo: &Typo) -> BodyHits {
        let (mut whole, mut start, mut inside) = (Vec::new(), Vec::new(), Vec::new());
        for (word, bitmap) in
            self.starts
                .iter()
                .zip(&self.postings)
                .enumerate()
                .map(|(i, (&begin, bitmap))| {
                    let end = self
                        .starts
                        .get(i + 1)
                        .map_or(self.vocab.len(), |&s| s as usize)
                        - 1;
                    (self.vocab.get(begin as usize..end).unwrap_or(&[]), bitmap)
                })
        {
            match typo.place_in(word) {
                Some(Place::Whole) => whole.push(bitmap),
                Some(Place::Start) => start.push(bitmap),
                Some(Place::Inside) => inside.push(bitmap),
                None => {}
            }
        }
        BodyHits {
            whole: whole.union(),
            start: start.union(),
            inside: inside.union(),
        }
    }
}

/// Calls `f` with each word of `text`, ASCII-lowercased into `buf`.
fn for_each_word(text: &str, buf: &mut Vec<u8>, mut f: impl FnMut(&[u8])) {
    buf.clear();
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let (alnum, len) = if b.is_ascii() {
            (b.is_ascii_alphanumeric(), 1)
        } else {
            text.get(i..)
                .and_then(|rest| rest.chars().next())
                .map_or((false, 1), |c| (c.is_alphanumeric(), c.len_utf8()))
        };
        if alnum {
            buf.extend(
                bytes
                    .get(i..i + len)
                    .unwrap_or(&[])
                    .iter()
                    .map(u8::to_ascii_lowercase),
            );
        } else if !buf.is_empty() {
            f(buf);
            buf.clear();
        }
        i += len;
    }
    if !buf.is_empty() {
        f(buf);
        buf.clear();
    }
}
