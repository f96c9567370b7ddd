//! Ranking: how well each story matches a [`Query`], fast enough to run at
//! every keystroke over hundreds of thousands of stories.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::Mutex;

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;
use memchr::memmem::Finder;
use rayon::prelude::*;
use roaring::RoaringBitmap;

use super::index::{BodyHits, Place, SearchIndex, place_at};
use super::query::{Flag, Qualifier, Query, Term, TermKind};
use super::typo::Typo;
use crate::story::{Library, Story};

/// Added to the score of a story where every term is found as typed, so that it
/// ranks above every story where some term matches scattered letters only.
pub const AS_TYPED: i64 = 1 << 32;
/// Added to the score of a story where every term is found as typed or with
/// typos (some with typos), so that it ranks between the two.
pub const WITH_TYPOS: i64 = 1 << 31;
/// Multiplier for a scattered-letters match in the headline.
pub const HEADLINE_WEIGHT: i64 = 4;
/// Multiplier for a scattered-letters match in the byline or source.
const FIELD_WEIGHT: i64 = 1;
/// A term found as typed: in the headline as a whole word, at a word start, inside.
const HEADLINE_WHOLE_WORD: i64 = 320;
const HEADLINE_WORD_START: i64 = 280;
const HEADLINE_MID_WORD: i64 = 200;
/// In the byline or source.
const FIELD_WHOLE_WORD: i64 = 80;
const FIELD_WORD_START: i64 = 70;
const FIELD_MID_WORD: i64 = 50;
/// In the body.
const BODY_WHOLE_WORD: i64 = 40;
const BODY_WORD_START: i64 = 30;
const BODY_MID_WORD: i64 = 15;
/// Below this many candidates, ranking stays on the calling thread.
const PAR_MIN_LEN: usize = 512;

/// A ranked story.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    /// Index into [`Library::stories`].
    pub story: u32,
    /// Higher is better.
    pub score: i64,
}

/// The fuzzy matcher; build once and reuse.
pub struct Matcher {
    /// Case-insensitive skim matcher (ASCII folding; needles are pre-lowercased).
    insensitive: SkimMatcherV2,
    /// Case-sensitive skim matcher.
    sensitive: SkimMatcherV2,
    /// Story-text searchers built so far, by needle and case: building one takes
    /// longer than searching a small file, and a batch search asks per file.
    finders: Mutex<Vec<(String, Mode, Finder<'static>)>>,
    /// Terms with typos built so far, for the same reason.
    typos: Mutex<Vec<(String, Typo)>>,
}

impl Default for Matcher {
    fn default() -> Self {
        Self::new()
    }
}

impl Matcher {
    /// Builds the matcher.
    #[must_use]
    pub fn new() -> Self {
        Matcher {
            insensitive: SkimMatcherV2::default().ignore_case(),
            sensitive: SkimMatcherV2::default().respect_case(),
            finders: Mutex::new(Vec::new()),
            typos: Mutex::new(Vec::new()),
        }
    }

    /// The searcher for a term's needle in story text (see [`finder`]), built once.
    fn finder(&self, term: &Term, mode: Mode) -> Option<Finder<'static>> {
        let mut cache = self.finders.lock().ok()?;
        if let Some((_, _, f)) = cache.iter().find(|(t, m, _)| *t == term.text && *m == mode) {
            return Some(f.clone());
        }
        let f = finder(term, mode)?;
        // A handful of terms per query; forget old queries' searchers.
        if cache.len() >= 16 {
            cache.remove(0);
        }
        cache.push((term.text.clone(), mode, f.clone()));
        Some(f)
    }

    /// The term with typos (see [`Typo::of`]), built once.
    fn typo(&self, term: &Term) -> Option<Typo> {
        if term.typos() == 0 {
            return None;
        }
        let mut cache = self.typos.lock().ok()?;
        if let Some((_, t)) = cache.iter().find(|(t, _)| *t == term.text) {
            return Some(t.clone());
        }
        let typo = Typo::of(term)?;
        if cache.len() >= 16 {
            cache.remove(0);
        }
        cache.push((term.text.clone(), typo.clone()));
        Some(typo)
    }

    /// Ranks the stories whose indices are yielded by `candidates` (caller may pass
    /// all, or a date's subset). Best first; equal scores keep library order (lower
    /// index first). An empty query keeps every candidate with score 0. Indices out of
    /// range and duplicates are dropped.
    pub fn rank(
        &self,
        lib: &Library,
        query: &Query,
        candidates: impl IntoIterator<Item = u32>,
    ) -> Vec<Hit> {
        self.rank_until(lib, query, candidates, &|| false)
            .unwrap_or_default()
    }

    /// [`Matcher::rank`] that gives up (returns `None`) soon after `stop()` turns
    /// true, for searches a newer keystroke has made pointless.
    pub fn rank_until(
        &self,
        lib: &Library,
        query: &Query,
        candidates: impl IntoIterator<Item = u32>,
        stop: &(dyn Fn() -> bool + Sync),
    ) -> Option<Vec<Hit>> {
        self.rank_with(lib, query, candidates, &|_, _| false, stop)
    }

    /// [`Matcher::rank_until`] with `flags(story, flag)` answering `is:` qualifiers.
    pub fn rank_with(
        &self,
        lib: &Library,
        query: &Query,
        candidates: impl IntoIterator<Item = u32>,
        flags: &(dyn Fn(&Story, Flag) -> bool + Sync),
        stop: &(dyn Fn() -> bool + Sync),
    ) -> Option<Vec<Hit>> {
        let ids: Vec<u32> = candidates.into_iter().collect();
        let search = Search {
            lib,
            index: None,
            query,
            typed: Some(&ids),
            all: Some(&ids),
            flags,
            stop,
        };
        self.rank_search(&search, usize::MAX, &mut |_| {})
    }

    /// The plain full scan: every story of `lib` scored in one pass, the bodies
    /// read as text, no index and no steps. Slow; [`Matcher::rank_search`] must
    /// give the same results, and the tests check that it does.
    #[must_use]
    pub fn rank_plain(&self, lib: &Library, query: &Query) -> Vec<Hit> {
        let search = Search {
            lib,
            index: None,
            query,
            typed: None,
            all: None,
            flags: &|_, _| false,
            stop: &|| false,
        };
        let ranker = Ranker::new(self, &search, None, false);
        let count = u32::try_from(lib.stories.len()).unwrap_or(u32::MAX);
        let mut hits: Vec<Hit> = (0..count)
            .filter_map(|story| match ranker.score(story, true) {
                Verdict::Hit(score) => Some(Hit { story, score }),
                Verdict::Scattered | Verdict::Out => None,
            })
            .collect();
        sort_hits(&mut hits);
        hits
    }

    /// Ranks in two steps. First the stories where every term is found as typed
    /// (see [`AS_TYPED`]), among `search.typed`: when there are at least `first`
    /// of them, they are the top of the final list, and `partial` gets them. Then
    /// the stories where some fuzzy term only matches scattered letters, among
    /// `search.all`, ranked below. Returns every hit, or `None` when stopped.
    pub fn rank_search(
        &self,
        search: &Search<'_>,
        first: usize,
        partial: &mut dyn FnMut(&[Hit]),
    ) -> Option<Vec<Hit>> {
        let lib = search.lib;
        let count = u32::try_from(lib.stories.len()).unwrap_or(u32::MAX);
        let everyone: Vec<u32> = if search.typed.is_none() || search.all.is_none() {
            (0..count).collect()
        } else {
            Vec::new()
        };
        let typed = search.typed.unwrap_or(&everyone);
        let all = search.all.unwrap_or(&everyone);
        let index = search.index.filter(|i| i.stories() == lib.stories.len());
        let ranker = Ranker::new(self, search, index, true);
        // Without a fuzzy term there is no second step: look at every candidate.
        let first_ids = if ranker.can_scatter() { typed } else { all };
        let mut hits = ranker.pass(first_ids, false, &|_| false)?;
        sort_hits(&mut hits);
        if !ranker.can_scatter() {
            return Some(hits);
        }
        if hits.len() >= first {
            partial(&hits);
        }
        let found: RoaringBitmap = hits.iter().map(|h| h.story).collect();
        let seen = |story: u32| found.contains(story);
        let ranker = ranker.with_sources(all.len()).with_typos();
        if (search.stop)() {
            return None;
        }
        hits.extend(ranker.pass(all, true, &seen)?);
        sort_hits(&mut hits);
        Some(hits)
    }

    /// Char indices (not byte) of `text` (a headline) to highlight for this query:
    /// every place a term occurs as typed, or else a fuzzy term's scattered letters
    /// as skim matched them; sorted. Empty when nothing matches.
    #[must_use]
    pub fn highlight(&self, text: &str, query: &Query) -> Vec<usize> {
        let mut out = Vec::new();
        for term in &query.terms {
            if term.kind == TermKind::Exclude {
                continue;
            }
            let mode = Mode::of(term);
            // `fold` keeps char count, so char indices into `hay` are indices into `text`.
            let hay = mode.prepare(text);
            let len = term.text.chars().count();
            let mut from = 0;
            let mut typed = false;
            while let Some(pos) = mode.find(&hay, &term.text, from) {
                let start = hay.get(..pos).map_or(0, |s| s.chars().count());
                out.extend(start..start + len);
                from = next_char(&hay, pos);
                typed = true;
            }
            if typed {
                continue;
            }
            if let Some(span) = self.typo(term).and_then(|t| typo_span(&t, text)) {
                out.extend(span);
            } else if term.can_scatter()
                && let Some((_, idx)) = self.skim(term).fuzzy_indices(&hay, &term.text)
            {
                out.extend(idx);
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    fn skim(&self, term: &Term) -> &SkimMatcherV2 {
        if term.case_sensitive {
            &self.sensitive
        } else {
            &self.insensitive
        }
    }
}

/// Char indices of `text` where the first word it matches with typos has it.
fn typo_span(typo: &Typo, text: &str) -> Option<std::ops::Range<usize>> {
    let mut word = String::new();
    let mut word_start = 0;
    for (i, c) in text.chars().chain(std::iter::once(' ')).enumerate() {
        if c.is_alphanumeric() {
            if word.is_empty() {
                word_start = i;
            }
            word.push(c.to_ascii_lowercase());
            continue;
        }
        if let Some((a, b)) = typo.span_in(word.as_bytes()) {
            // Byte offsets in the word to char offsets; a match may start or
            // end inside a character that is not ASCII: it is taken whole.
            let chars = word.char_indices();
            let first = chars
                .clone()
                .take_while(|&(i, c)| i + c.len_utf8() <= a)
                .count();
            let end = chars.take_while(|&(i, _)| i < b).count();
            return Some(word_start + first..word_start + end);
        }
        word.clear();
    }
    None
}

/// How a term's needle is looked for in text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Case-sensitive: plain `str::find`.
    Sensitive,
    /// Case-insensitive, needle lowercase with no cased non-ASCII char: byte-wise
    /// ASCII case-insensitive search, no allocation.
    AsciiFold,
    /// Case-insensitive with cased non-ASCII chars in the needle: fold the haystack.
    Fold,
}

impl Mode {
    fn of(term: &Term) -> Mode {
        if term.case_sensitive {
            Mode::Sensitive
        } else if term
            .text
            .chars()
            .all(|c| c.is_ascii() || !(c.is_lowercase() || c.is_uppercase()))
        {
            Mode::AsciiFold
        } else {
            Mode::Fold
        }
    }

    /// The haystack to search: folded for [`Mode::Fold`], else as is.
    fn prepare(self, hay: &str) -> Cow<'_, str> {
        match self {
            Mode::Fold => Cow::Owned(fold(hay)),
            Mode::Sensitive | Mode::AsciiFold => Cow::Borrowed(hay),
        }
    }

    /// Byte offset of the first occurrence of `needle` in a prepared `hay` at or
    /// after `from` (a char boundary).
    fn find(self, hay: &str, needle: &str, from: usize) -> Option<usize> {
        match self {
            Mode::Sensitive | Mode::Fold => hay.get(from..)?.find(needle).map(|pos| pos + from),
            Mode::AsciiFold => {
                // Needle bytes are ASCII-lowercase or exact non-ASCII bytes; a match
                // starts at a lead or ASCII byte, so it lies on char boundaries.
                let needle = needle.as_bytes();
                let hay = hay.as_bytes().get(from..)?;
                let (&first, rest) = needle.split_first()?;
                // Jump (SIMD memchr) to each place the first byte occurs, either case.
                let mut at = 0;
                while let Some(found) = memchr::memchr2(
                    first.to_ascii_lowercase(),
                    first.to_ascii_uppercase(),
                    hay.get(at..)?,
                ) {
                    let start = at + found;
                    let tail = hay.get(start + 1..start + 1 + rest.len())?;
                    if tail.eq_ignore_ascii_case(rest) {
                        return Some(start + from);
                    }
                    at = start + 1;
                }
                None
            }
        }
    }

    /// The best place of `needle` among the words of `hay` (not yet prepared), if
    /// it occurs.
    fn place(self, hay: &str, needle: &str) -> Option<Place> {
        let hay = self.prepare(hay);
        let mut best = None;
        let mut from = 0;
        while let Some(pos) = self.find(&hay, needle, from) {
            let place = place_at(&hay, pos, needle.len());
            if place == Place::Whole {
                return Some(place);
            }
            best = best.max(Some(place));
            from = next_char(&hay, pos);
        }
        best
    }
}

/// One search: what to look in and which stories to look at.
pub struct Search<'a> {
    /// The stories.
    pub lib: &'a Library,
    /// A word index of `lib`'s bodies, used when it covers every story.
    pub index: Option<&'a SearchIndex>,
    /// The parsed query.
    pub query: &'a Query,
    /// Stories that may have every term as typed (all when `None`).
    pub typed: Option<&'a [u32]>,
    /// Stories that may match at all (all when `None`).
    pub all: Option<&'a [u32]>,
    /// Answers `is:` qualifiers.
    pub flags: &'a (dyn Fn(&Story, Flag) -> bool + Sync),
    /// Turns true when the search is no longer wanted.
    pub stop: &'a (dyn Fn() -> bool + Sync),
}

/// Best first; equal scores keep library order.
fn sort_hits(hits: &mut Vec<Hit>) {
    let by = |a: &Hit, b: &Hit| b.score.cmp(&a.score).then(a.story.cmp(&b.story));
    if hits.len() >= 1 << 14 {
        hits.par_sort_unstable_by(by);
    } else {
        hits.sort_unstable_by(by);
    }
    // A duplicate candidate has the same score, so it sits next to its twin.
    hits.dedup_by_key(|h| h.story);
}

/// What [`Ranker::score`] found.
enum Verdict {
    /// Matches, with this score.
    Hit(i64),
    /// Some fuzzy term is only found as scattered letters (not asked for).
    Scattered,
    /// Does not match.
    Out,
}

/// Score of a term found as typed, by field and place in a word.
fn typed_score(field: Field, place: Place) -> i64 {
    match (field, place) {
        (Field::Headline, Place::Whole) => HEADLINE_WHOLE_WORD,
        (Field::Headline, Place::Start) => HEADLINE_WORD_START,
        (Field::Headline, Place::Inside) => HEADLINE_MID_WORD,
        (Field::Other, Place::Whole) => FIELD_WHOLE_WORD,
        (Field::Other, Place::Start) => FIELD_WORD_START,
        (Field::Other, Place::Inside) => FIELD_MID_WORD,
        (Field::Body, Place::Whole) => BODY_WHOLE_WORD,
        (Field::Body, Place::Start) => BODY_WORD_START,
        (Field::Body, Place::Inside) => BODY_MID_WORD,
    }
}

/// The best score of a term in a story, where `find(text, is_body)` tells where
/// it sits in one of its texts: the headline over the byline or source over
/// the body, the body read only when nothing else has it.
fn story_score(
    lib: &Library,
    story: &Story,
    mut find: impl FnMut(&str, bool) -> Option<Place>,
) -> Option<i64> {
    let best = find(lib.headline(story), false).map(|p| typed_score(Field::Headline, p));
    if best == Some(HEADLINE_WHOLE_WORD) {
        return best;
    }
    let byline = lib.byline(story).and_then(|b| find(b, false));
    let source = find(lib.source(story), false);
    let best = best.max(byline.max(source).map(|p| typed_score(Field::Other, p)));
    if best.is_some() {
        // Body hits never beat a hit in the other fields.
        return best;
    }
    let mut place = None;
    for para in lib.paragraphs(story) {
        place = place.max(find(para, true));
        if place == Some(Place::Whole) {
            break;
        }
    }
    place.map(|p| typed_score(Field::Body, p))
}

/// Where a term was found.
#[derive(Clone, Copy)]
enum Field {
    Headline,
    /// Byline or source.
    Other,
    Body,
}

/// A term of the query, ready to look for.
struct Needle<'a> {
    term: &'a Term,
    mode: Mode,
    /// Per story, the as-typed score (0: not found), when the index answers
    /// this term.
    typed: Option<Vec<u16>>,
    /// A vectorised searcher for the term in story text, when the index does not
    /// answer it and the mode allows (case-insensitive ASCII or exact).
    finder: Option<Finder<'static>>,
    /// The term with typos, when it allows them.
    typo: Option<Typo>,
    /// Per story, the score with typos (0: none), from the index.
    typos: Option<Vec<u16>>,
}

thread_local! {
    /// Scratch space for a paragraph lowercased (ASCII) for searching.
    static LOWER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    /// Scratch space for a text lowercased (ASCII) for typos.
    static WORD: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

impl Needle<'_> {
    /// The best place of the term in a paragraph of story text.
    fn body_place(&self, para: &str) -> Option<Place> {
        let Some(finder) = &self.finder else {
            return self.mode.place(para, &self.term.text);
        };
        // Every occurrence, overlapping ones too, as the plain scan steps char by
        // char; positions in a lowercased copy are positions in `para`.
        let search = |hay: &[u8]| {
            let mut best = None;
            let mut from = 0;
            while let Some(pos) = hay.get(from..).and_then(|h| finder.find(h)) {
                let place = place_at(para, from + pos, finder.needle().len());
                if place == Place::Whole {
                    return Some(place);
                }
                best = best.max(Some(place));
                from += pos + 1;
            }
            best
        };
        if self.mode == Mode::AsciiFold {
            LOWER.with_borrow_mut(|buf| {
                buf.clear();
                buf.extend_from_slice(para.as_bytes());
                buf.make_ascii_lowercase();
                search(buf)
            })
        } else {
            search(para.as_bytes())
        }
    }
}

/// The searcher for a term's needle in story text (ASCII-lowercased text for a
/// case-insensitive term).
fn finder(term: &Term, mode: Mode) -> Option<Finder<'static>> {
    match mode {
        Mode::AsciiFold | Mode::Sensitive => Some(Finder::new(term.text.as_bytes()).into_owned()),
        Mode::Fold => None,
    }
}

/// How a term is looked for in the index.
#[derive(Clone, Copy)]
enum Look<'t> {
    /// As typed (ASCII lowercase, see [`SearchIndex::answers`]).
    Typed(&'t str),
    /// With typos.
    Typo(&'t Typo),
}

impl Look<'_> {
    fn body(self, index: &SearchIndex) -> BodyHits {
        match self {
            Look::Typed(term) => index.lookup(term),
            Look::Typo(typo) => index.typo_lookup(typo),
        }
    }

    fn place(self, text: &str) -> Option<Place> {
        match self {
            Look::Typed(term) => Mode::AsciiFold.place(text, term),
            Look::Typo(typo) => typo.place_in_text(text, &mut String::new()),
        }
    }

    fn bylines(self, index: &SearchIndex, stories: Range<usize>, f: impl FnMut(usize, Place)) {
        match self {
            Look::Typed(term) => index.byline_hits(term, stories, f),
            Look::Typo(typo) => index.byline_typos(typo, stories, f),
        }
    }

    fn headlines(self, index: &SearchIndex, stories: Range<usize>, f: impl FnMut(usize, Place)) {
        match self {
            Look::Typed(term) => index.headline_hits(term, stories, f),
            Look::Typo(typo) => index.headline_typos(typo, stories, f),
        }
    }
}

/// Per story, the best score of a term looked for as `look` says, from the
/// index: every field of every story at once. The body and the two halves of
/// the headlines and bylines are read in parallel.
fn index_scores(lib: &Library, index: &SearchIndex, look: Look<'_>) -> Vec<u16> {
    let n = index.stories();
    let raise = |best: &mut [u16], story: usize, score: i64| {
        if let Some(b) = best.get_mut(story) {
            *b = (*b).max(u16::try_from(score).unwrap_or(u16::MAX));
        }
    };
    let body = || {
        let mut best = vec![0u16; n];
        let BodyHits {
            whole,
            start,
            inside,
        } = look.body(index);
        for (stories, place) in [
            (inside, Place::Inside),
            (start, Place::Start),
            (whole, Place::Whole),
        ] {
            let score = typed_score(Field::Body, place);
            for story in &stories {
                raise(&mut best, story as usize, score);
            }
        }
        let sources: Vec<Option<i64>> = index
            .sources()
            .iter()
            .map(|s| look.place(s).map(|p| typed_score(Field::Other, p)))
            .collect();
        if sources.iter().any(Option::is_some) {
            for (i, story) in lib.stories.iter().enumerate().take(n) {
                let score = index.source_of(story.doc).and_then(|s| *sources.get(s)?);
                if let Some(score) = score {
                    raise(&mut best, i, score);
                }
            }
        }
        best
    };
    let fields = |best: &mut [u16], from: usize| {
        let stories = from..from + best.len();
        look.bylines(index, stories.clone(), |story, place| {
            raise(best, story - from, typed_score(Field::Other, place));
        });
        look.headlines(index, stories, |story, place| {
            raise(best, story - from, typed_score(Field::Headline, place));
        });
    };
    let mut best = vec![0u16; n];
    let (low, high) = best.split_at_mut(n / 2);
    let (in_body, ()) = rayon::join(body, || {
        rayon::join(|| fields(low, 0), || fields(high, n / 2));
    });
    for (b, body) in best.iter_mut().zip(in_body) {
        *b = (*b).max(body);
    }
    best
}

/// Per-call state: the query's terms with their search mode, and the source scores
/// per document when that saves work.
struct Ranker<'a> {
    matcher: &'a Matcher,
    search: &'a Search<'a>,
    lib: &'a Library,
    /// The index, when it fits `lib`.
    index: Option<&'a SearchIndex>,
    needles: Vec<Needle<'a>>,
    /// True when some term is fuzzy.
    fuzzy: bool,
    /// `[term][doc]` → scattered skim score of the source, when there are at least
    /// as many candidates as documents.
    sources: Option<Vec<Vec<Option<i64>>>>,
}

impl<'a> Ranker<'a> {
    /// With `fast` false, story text is searched the plain way (the reference).
    fn new(
        matcher: &'a Matcher,
        search: &'a Search<'a>,
        index: Option<&'a SearchIndex>,
        fast: bool,
    ) -> Self {
        let query = search.query;
        Ranker {
            matcher,
            search,
            lib: search.lib,
            index,
            // Non-exclude terms first keeps the cheap rejections ahead of full scans.
            needles: query
                .terms
                .iter()
                .filter(|t| t.kind != TermKind::Exclude)
                .chain(query.terms.iter().filter(|t| t.kind == TermKind::Exclude))
                .map(|term| {
                    let mode = Mode::of(term);
                    // A stopped search returns before scoring anything.
                    let typed = index
                        .filter(|_| mode == Mode::AsciiFold && SearchIndex::answers(&term.text))
                        .filter(|_| !(search.stop)())
                        .map(|i| index_scores(search.lib, i, Look::Typed(&term.text)));
                    let finder = if typed.is_none() && fast {
                        matcher.finder(term, mode)
                    } else {
                        None
                    };
                    Needle {
                        term,
                        mode,
                        typed,
                        finder,
                        typo: matcher.typo(term),
                        typos: None,
                    }
                })
                .collect(),
            fuzzy: query.terms.iter().any(Term::can_scatter),
            sources: None,
        }
    }

    /// Scores `ids` on the rayon pool, except those `skip` names; `None` when the
    /// search was stopped meanwhile. With `scatter` false, see [`Ranker::score`].
    fn pass(
        &self,
        ids: &[u32],
        scatter: bool,
        skip: &(dyn Fn(u32) -> bool + Sync),
    ) -> Option<Vec<Hit>> {
        let stop = self.search.stop;
        let hits = ids
            .par_iter()
            .with_min_len(PAR_MIN_LEN)
            .filter_map(|&story| {
                if stop() || skip(story) {
                    return None;
                }
                match self.score(story, scatter) {
                    Verdict::Hit(score) => Some(Hit { story, score }),
                    Verdict::Scattered | Verdict::Out => None,
                }
            })
            .collect();
        (!stop()).then_some(hits)
    }

    /// True when some story could match with scattered letters only.
    fn can_scatter(&self) -> bool {
        self.fuzzy
    }

    /// Caches the sources' skim scores when there are enough candidates for it to pay.
    fn with_sources(mut self, candidates: usize) -> Self {
        let docs = &self.lib.docs;
        if let Some(index) = self.index {
            // Each distinct source once.
            let cache = self
                .needles
                .iter()
                .map(|n| {
                    let scores: Vec<Option<i64>> = index
                        .sources()
                        .iter()
                        .map(|s| self.skim(n, s, FIELD_WEIGHT))
                        .collect();
                    (0..u32::try_from(docs.len()).unwrap_or(u32::MAX))
                        .map(|d| index.source_of(d).and_then(|s| *scores.get(s)?))
                        .collect()
                })
                .collect();
            self.sources = Some(cache);
        } else if candidates >= docs.len() {
            let cache = self
                .needles
                .iter()
                .map(|n| {
                    docs.par_iter()
                        .map(|d| self.skim(n, &d.source, FIELD_WEIGHT))
                        .collect()
                })
                .collect();
            self.sources = Some(cache);
        }
        self
    }

    /// Looks up the terms with typos in the index, when there is one.
    fn with_typos(mut self) -> Self {
        if let Some(index) = self.index {
            let lib = self.lib;
            for needle in &mut self.needles {
                if let Some(typo) = &needle.typo {
                    needle.typos = Some(index_scores(lib, index, Look::Typo(typo)));
                }
            }
        }
        self
    }

    /// The best score of a term found with typos anywhere in the story.
    fn with_typo(&self, id: u32, story: &Story, needle: &Needle<'_>) -> Option<i64> {
        let typo = needle.typo.as_ref()?;
        if let Some(scores) = &needle.typos {
            return scores
                .get(id as usize)
                .filter(|&&s| s > 0)
                .map(|&s| i64::from(s));
        }
        WORD.with_borrow_mut(|buf| {
            story_score(self.lib, story, |text, _| typo.place_in_text(text, buf))
        })
    }

    /// Weighted skim score of a fuzzy term in a short field, at least 1 when it matches.
    fn skim(&self, needle: &Needle<'_>, field: &str, weight: i64) -> Option<i64> {
        let term = needle.term;
        // Cheap first: the term must be a subsequence of the field at all.
        if needle.mode == Mode::AsciiFold && !is_subsequence_ascii_fold(&term.text, field) {
            return None;
        }
        let hay = needle.mode.prepare(field);
        let score = self.matcher.skim(term).fuzzy_match(&hay, &term.text)?;
        Some((score * weight).max(1))
    }

    /// Whether the story meets every qualifier; a matched `source:` adds its score.
    fn qualifies(&self, story: &Story) -> Option<i64> {
        let mut total = 0;
        for q in &self.search.query.quals {
            match q {
                Qualifier::Date(prefix) => {
                    if !story
                        .date
                        .iso()
                        .is_some_and(|d| d.starts_with(prefix.as_str()))
                    {
                        return None;
                    }
                }
                Qualifier::Source(text) => {
                    let source = self.lib.source(story);
                    if !is_subsequence_ascii_fold(text, &fold(source)) {
                        return None;
                    }
                    total += self.matcher.insensitive.fuzzy_match(source, text)?;
                }
                Qualifier::Is(flag, wanted) => {
                    if (self.search.flags)(story, *flag) != *wanted {
                        return None;
                    }
                }
            }
        }
        Some(total)
    }

    /// The best score of a term found as typed anywhere in the story.
    fn as_typed(&self, id: u32, story: &Story, needle: &Needle<'_>) -> Option<i64> {
        if let Some(typed) = &needle.typed {
            return typed
                .get(id as usize)
                .filter(|&&s| s > 0)
                .map(|&s| i64::from(s));
        }
        let (text, mode) = (&needle.term.text, needle.mode);
        story_score(self.lib, story, |hay, body| {
            if body {
                needle.body_place(hay)
            } else {
                mode.place(hay, text)
            }
        })
    }

    /// The scattered-letters score of a fuzzy term: headline, byline or source.
    fn scattered(&self, t: usize, id: u32, story: &Story, needle: &Needle<'_>) -> Option<i64> {
        let source = match &self.sources {
            Some(cache) => cache.get(t)?.get(story.doc as usize).copied().flatten(),
            None => self.skim(needle, self.lib.source(story), FIELD_WEIGHT),
        };
        // The index's lowercased headlines lie together in memory: a cheaper first look.
        let headline = match self.index {
            Some(index)
                if needle.mode == Mode::AsciiFold
                    && !is_subsequence_ascii_fold(&needle.term.text, index.headline(id)) =>
            {
                None
            }
            _ => self.skim(needle, self.lib.headline(story), HEADLINE_WEIGHT),
        };
        headline
            .max(
                self.lib
                    .byline(story)
                    .and_then(|b| self.skim(needle, b, FIELD_WEIGHT)),
            )
            .max(source)
    }

    /// The story's score. With `scatter` false, a fuzzy term not found as typed
    /// gives [`Verdict::Scattered`] instead of being scored.
    fn score(&self, id: u32, scatter: bool) -> Verdict {
        let Some(story) = self.lib.stories.get(id as usize) else {
            return Verdict::Out;
        };
        let Some(mut total) = self.qualifies(story) else {
            return Verdict::Out;
        };
        // The lowest tier any term was found in.
        let mut tier = AS_TYPED;
        for (t, needle) in self.needles.iter().enumerate() {
            let found = self.as_typed(id, story, needle);
            match (needle.term.kind, found) {
                (TermKind::Fuzzy | TermKind::Exact, Some(score)) => total += score,
                (TermKind::Fuzzy, None) if !needle.term.can_scatter() => return Verdict::Out,
                (TermKind::Fuzzy, None) if !scatter => return Verdict::Scattered,
                (TermKind::Fuzzy, None) => {
                    if let Some(score) = self.with_typo(id, story, needle) {
                        total += score;
                        tier = tier.min(WITH_TYPOS);
                    } else if let Some(score) = self.scattered(t, id, story, needle) {
                        total += score;
                        tier = 0;
                    } else {
                        return Verdict::Out;
                    }
                }
                (TermKind::Exact, None) | (TermKind::Exclude, Some(_)) => return Verdict::Out,
                (TermKind::Exclude, None) => {}
            }
        }
        // Only a fuzzy term can match scattered letters: no other tier to rank above.
        Verdict::Hit(if self.fuzzy { total + tier } else { total })
    }
}

/// True when the bytes of `needle` (ASCII lowercase or non-ASCII) occur in order in
/// `hay`, ASCII case ignored: the condition for any fuzzy match, checked without
/// allocating.
fn is_subsequence_ascii_fold(needle: &str, hay: &str) -> bool {
    let mut want = needle.bytes().peekable();
    for b in hay.bytes() {
        match want.peek() {
            Some(&w) if w == b.to_ascii_lowercase() => {
                want.next();
            }
            Some(_) => {}
            None => return true,
        }
    }
    want.peek().is_none()
}

/// The byte offset of the char after the one at `pos`.
fn next_char(s: &str, pos: usize) -> usize {
    pos + s
        .get(pos..)
        .and_then(|rest| rest.chars().next())
        .map_or(1, char::len_utf8)
}

/// Lowercases char by char, keeping the char count (so indices still line up).
pub(super) fn fold(s: &str) -> String {
    s.chars()
        .map(|c| c.to_lowercase().next().unwrap_or(c))
        .collect()
}

#[cfg(test)]
mod qualifier_tests;

#[cfg(test)]
mod tests;
