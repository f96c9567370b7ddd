//! Typo tolerance: a fuzzy term of five letters or more also matches a word in
//! which it occurs with one edit (nine letters or more: two), where an edit is a
//! letter added, dropped or changed, or two neighbouring letters swapped.
//!
//! It is the as-typed match with room for a slip: the term may sit inside a
//! longer word (`stirke` finds "strikes" as `'strike` does), and where it sits
//! (the whole word, its start or inside) scores as for a match as typed. Only
//! lowercase terms of ASCII letters and digits allow typos, so the word index
//! answers them as it answers the terms themselves; a capital asks for exactly
//! what was typed.

use std::cell::RefCell;
use std::collections::HashMap;

use foldhash::fast::FixedState;
use memchr::memmem::Finder;
use triple_accel::SearchType;
use triple_accel::levenshtein::{RDAMERAU_COSTS, levenshtein_search_naive_with_opts};

use super::index::Place;
use super::query::{Term, TermKind};

/// The shortest term that allows one edit, and two.
const ONE_EDIT: usize = 5;
const TWO_EDITS: usize = 9;
/// Longer terms ask for exactly what was typed (and keep the search cheap).
const LONGEST: usize = 64;

/// How many edits `term` allows: 0, 1 or 2.
#[must_use]
pub fn edits(term: &Term) -> u32 {
    let len = term.text.len();
    let eligible = term.kind == TermKind::Fuzzy
        && !term.case_sensitive
        && len <= LONGEST
        && term.text.bytes().all(|b| b.is_ascii_alphanumeric());
    match len {
        _ if !eligible => 0,
        n if n >= TWO_EDITS => 2,
        n if n >= ONE_EDIT => 1,
        _ => 0,
    }
}

/// A term ready to be looked for with typos.
#[derive(Debug, Clone)]
pub struct Typo {
    term: Box<[u8]>,
    edits: u32,
    /// The letters of the term (see [`letters`]).
    letters: u64,
    /// Pieces of the term of which a match with typos keeps at least one as
    /// typed (see [`pieces`]): only words that have one are compared.
    pieces: Vec<Finder<'static>>,
}

impl Typo {
    /// For a term that allows typos ([`edits`] above 0).
    #[must_use]
    pub fn of(term: &Term) -> Option<Typo> {
        let edits = edits(term);
        if edits == 0 {
            return None;
        }
        let text = term.text.as_bytes();
        Some(Typo {
            term: text.into(),
            edits,
            letters: letters(text),
            pieces: pieces(text, edits as usize)
                .into_iter()
                .map(|p| Finder::new(p).into_owned())
                .collect(),
        })
    }

    /// Where the term occurs in `word` (ASCII-lowercased, as the word index keeps
    /// words) with no more edits than it allows, at the best place; `None` when it
    /// does not.
    #[must_use]
    pub fn place_in(&self, word: &[u8]) -> Option<Place> {
        self.span_in(word)
            .map(|(start, end)| match (start == 0, end == word.len()) {
                (true, true) => Place::Whole,
                (true, false) => Place::Start,
                (false, _) => Place::Inside,
            })
    }

    /// The byte range of `word` the term matches with typos, preferring the one
    /// at the best place.
    #[must_use]
    pub fn span_in(&self, word: &[u8]) -> Option<(usize, usize)> {
        // Cheap tests first: the word must be long enough, and each letter of the
        // term missing from the word costs an edit.
        if word.len() + (self.edits as usize) < self.term.len()
            || (self.letters & !letters(word)).count_ones() > self.edits
        {
            return None;
        }
        levenshtein_search_naive_with_opts(
            &self.term,
            word,
            self.edits,
            SearchType::All,
            RDAMERAU_COSTS,
            false,
        )
        .map(|m| (m.start, m.end))
        .max_by_key(|&(start, end)| (start == 0, end == word.len(), std::cmp::Reverse(start)))
    }

    /// The best place of the term with typos among the words of `text`; `buf`
    /// is scratch space.
    #[must_use]
    pub fn place_in_text(&self, text: &str, buf: &mut String) -> Option<Place> {
        buf.clear();
        buf.push_str(text);
        buf.make_ascii_lowercase();
        let mut best = None;
        self.words_in(buf, |_, place| best = best.max(Some(place)));
        best
    }

    /// Calls `f(word_start, place)` for words of `lower` (ASCII-lowercased
    /// text) that the term matches with typos: each such word at least once, in
    /// no particular order. Words are runs of alphanumeric characters, as the
    /// word index has them.
    pub fn words_in(&self, lower: &str, mut f: impl FnMut(usize, Place)) {
        let bytes = lower.as_bytes();
        for piece in &self.pieces {
            let mut done = 0;
            for at in piece.find_iter(bytes) {
                // A word is compared once per piece it has.
                if at < done {
                    continue;
                }
                let (start, end) = word_around(lower, at, at + piece.needle().len());
                done = end;
                if let Some(place) = bytes.get(start..end).and_then(|w| self.remembered(w)) {
                    f(start, place);
                }
            }
        }
    }
}

impl Typo {
    /// [`Typo::place_in`], remembered on this thread for the last few terms:
    /// the words that share a piece with a term are few and come again and again.
    fn remembered(&self, word: &[u8]) -> Option<Place> {
        MEMO.with_borrow_mut(|memo| {
            let at = if let Some(at) = memo.iter().position(|(term, _)| **term == *self.term) {
                at
            } else {
                if memo.len() >= MEMO_TERMS {
                    memo.remove(0);
                }
                memo.push((self.term.clone(), Memo::default()));
                memo.len() - 1
            };
            let (_, words) = memo.get_mut(at)?;
            if let Some(&place) = words.get(word) {
                return place;
            }
            let place = self.place_in(word);
            if words.len() < MEMO_WORDS {
                words.insert(word.into(), place);
            }
            place
        })
    }
}

/// Words compared with one term, and where it matched them.
type Memo = HashMap<Box<[u8]>, Option<Place>, FixedState>;

/// How many terms, and words per term, a thread remembers.
const MEMO_TERMS: usize = 8;
const MEMO_WORDS: usize = 1 << 14;

thread_local! {
    static MEMO: RefCell<Vec<(Box<[u8]>, Memo)>> = const { RefCell::new(Vec::new()) };
}

/// The term cut into `edits + 1` pieces of near-equal length, each but the last
/// without its final letter: an edit changes at most one of them (a swap across
/// two pieces moves the dropped letter and the next piece's first), so a match
/// with `edits` edits has one of them as typed.
fn pieces(term: &[u8], edits: usize) -> Vec<&[u8]> {
    let count = edits + 1;
    let kept = term.len().saturating_sub(edits);
    let mut out = Vec::with_capacity(count);
    let mut at = 0;
    for i in 0..count {
        let len = kept / count + usize::from(i < kept % count);
        out.push(term.get(at..at + len).unwrap_or(&[]));
        at += len + 1;
    }
    out
}

/// The word (run of alphanumeric characters) of `text` around `start..end`.
fn word_around(text: &str, start: usize, end: usize) -> (usize, usize) {
    let word_char = |c: char| c.is_alphanumeric();
    let before = text.get(..start).unwrap_or("");
    let from = before
        .char_indices()
        .rev()
        .find(|&(_, c)| !word_char(c))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let after = text.get(end..).unwrap_or("");
    let to = after
        .char_indices()
        .find(|&(_, c)| !word_char(c))
        .map_or(text.len(), |(i, _)| end + i);
    (from, to)
}

/// One bit per letter or digit a word has (other characters share a bit).
fn letters(word: &[u8]) -> u64 {
    word.iter().fold(0, |bits, &b| {
        let bit = match b {
            b'a'..=b'z' => b - b'a',
            b'0'..=b'9' => 26 + b - b'0',
            _ => 36,
        };
        bits | 1 << bit
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::search::Query;

    fn typo(term: &str) -> Option<Typo> {
        Typo::of(Query::parse(term).terms().first()?)
    }

    fn place(term: &str, word: &str) -> Option<Place> {
        typo(term)?.place_in(word.as_bytes())
    }

    #[test]
    fn five_letters_allow_one_edit_nine_allow_two() {
        let allowed = |t: &str| Query::parse(t).terms().first().map_or(0, edits);
        assert_eq!(allowed("nhs"), 0);
        assert_eq!(allowed("wage"), 0);
        assert_eq!(allowed("nurse"), 1);
        assert_eq!(allowed("resident"), 1);
        assert_eq!(allowed("residents"), 2);
        // Only lowercase ASCII letters and digits, only fuzzy terms.
        assert_eq!(allowed("Nurse"), 0);
        assert_eq!(allowed("'nurse"), 0);
        assert_eq!(allowed("!nurse"), 0);
        assert_eq!(allowed("covid-19"), 0);
        assert_eq!(allowed("naïve1"), 0);
        assert_eq!(allowed(&"a".repeat(65)), 0);
    }

    #[test]
    fn one_edit_of_each_kind_matches_and_a_swap_counts_as_one() {
        assert_eq!(place("stirke", "strike"), Some(Place::Whole)); // swap
        assert_eq!(place("strke", "strike"), Some(Place::Whole)); // dropped
        assert_eq!(place("strikke", "strike"), Some(Place::Whole)); // added
        assert_eq!(place("strika", "strike"), Some(Place::Whole)); // changed
        assert_eq!(place("stirke", "strikes"), Some(Place::Start));
        assert_eq!(place("stirke", "airstrike"), Some(Place::Inside));
        // Two edits are too many for a short term.
        assert_eq!(place("sitrke", "strike"), None);
        assert_eq!(place("stirk", "stuck"), None);
        // …and enough for a long one.
        assert_eq!(place("reisdnets", "residents"), Some(Place::Whole));
        assert_eq!(place("reisdnets", "presidents"), Some(Place::Inside));
        assert_eq!(place("reisdnetss", "xyzzyxyzzy"), None);
    }

    #[test]
    fn pieces_leave_one_whole_after_any_edits() {
        assert_eq!(pieces(b"xyzzy", 1), [&b"xy"[..], b"zy"]);
        assert_eq!(pieces(b"residents", 2), [&b"res"[..], b"de", b"ts"]);
        assert_eq!(pieces(b"hospital", 1), [&b"hosp"[..], b"tal"]);
    }

    #[test]
    fn words_of_text_are_read_as_the_index_reads_them() {
        let t = typo("stirke").unwrap();
        let mut buf = String::new();
        assert_eq!(
            t.place_in_text("Union: the STRIKES go on.", &mut buf),
            Some(Place::Start)
        );
        assert_eq!(
            t.place_in_text("strike-breakers", &mut buf),
            Some(Place::Whole)
        );
        assert_eq!(t.place_in_text("nothing of the sort", &mut buf), None);
    }

    proptest::proptest! {
        /// The pieces never hide a word the term matches: every word that
        /// matches with typos is found, each at its place.
        #[test]
        fn pieces_find_every_matching_word(
            term in "[abcd]{5,11}",
            words in proptest::collection::vec("[abcde]{1,13}", 1..40),
        ) {
            let t = typo(&term).unwrap();
            let text = words.join(" ");
            let mut found = std::collections::BTreeMap::new();
            t.words_in(&text, |start, place| {
                found.insert(start, place);
            });
            let mut want = std::collections::BTreeMap::new();
            let mut at = 0;
            for w in &words {
                if let Some(place) = t.place_in(w.as_bytes()) {
                    want.insert(at, place);
                }
                at += w.len() + 1;
            }
            proptest::prop_assert_eq!(found, want);
        }
    }
}
