//! A word index of story bodies, so that the filter finds a term in the text of
//! every story without reading the text again on each keystroke.
//!
//! A word is a run of alphanumeric characters, ASCII-lowercased (other letters
//! kept as they are). A case-insensitive term made only of such characters can
//! only occur inside one word, so the stories whose body contains the term are the
//! union of the stories of every word that contains it, and where it sits in that
//! word (the whole word, its start, or inside) is how the filter scores a body hit.
//! The index answers exactly what scanning the text would; [`crate::filter`]
//! scans for the terms it cannot answer (with uppercase, other cased letters or
//! punctuation).
//!
//! The reader builds it on a worker once loading has finished; it belongs to one
//! state of the [`Library`] (story positions change when files are added).

use std::collections::HashMap;

use foldhash::fast::FixedState;
use rayon::prelude::*;
use roaring::{MultiOps, RoaringBitmap};

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

impl BodyHits {
    /// The best place of the term in `story`'s body, if it is there.
    #[must_use]
    pub fn place(&self, story: u32) -> Option<Place> {
        if self.whole.contains(story) {
            Some(Place::Whole)
        } else if self.start.contains(story) {
            Some(Place::Start)
        } else if self.inside.contains(story) {
            Some(Place::Inside)
        } else {
            None
        }
    }
}

/// The words of every story body and the stories that have each.
#[derive(Debug, Default)]
pub struct BodyIndex {
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

impl BodyIndex {
    /// Indexes the bodies of all stories of `lib`, on the rayon pool.
    #[must_use]
    pub fn build(lib: &Library) -> BodyIndex {
        let mut ids: HashMap<Box<[u8]>, u32, FixedState> =
            HashMap::with_hasher(FixedState::default());
        let mut index = BodyIndex {
            stories: lib.stories.len(),
            ..BodyIndex::default()
        };
        // A batch of chunks at a time bounds the memory held by partial results;
        // batches and chunks are merged in order, so story ids only grow.
        let batch = CHUNK * 16 * rayon::current_num_threads().max(1);
        for (b, stories) in lib.stories.chunks(batch).enumerate() {
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
        index
    }

    /// How many stories it covers: it is only valid for a library of that many
    /// stories, in the same order.
    #[must_use]
    pub fn stories(&self) -> usize {
        self.stories
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

    /// The stories whose body contains `term` (see [`BodyIndex::answers`]), by
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
