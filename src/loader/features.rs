//! What the segmenter knows about one unit of a document (a paragraph, or a
//! date split off one): its shape (length, first and last character, case), how
//! much of it is common words, whether it holds a date or a name, where it
//! stands, and the same few facts about its neighbours. Each fact is a small id
//! with a name, so `sitrep explain` can say which facts decided a role.
//!
//! No feature names a phrase of one publisher: the word lists are the general
//! vocabulary of English prose, of dates and of web pages.

use crate::loader::date::{self, DateText};
use crate::loader::para;
use crate::loader::segment::Unit;
use crate::story::StoryDate;

/// Feature names, indexed by id. Own facts first, then the neighbours' copies.
pub const OWN: &[&str] = &[
    "bias",
    "words:1",
    "words:2-3",
    "words:4-8",
    "words:9-15",
    "words:16-25",
    "words:26-40",
    "words:41+",
    "ends:.",
    "ends:?",
    "ends:!",
    "ends::",
    "ends:,",
    "ends:;",
    "ends:letter",
    "ends:digit",
    "ends:other",
    "starts:upper",
    "starts:lower",
    "starts:digit",
    "starts:quote",
    "starts:other",
    "list",
    "lines:2+",
    "all-caps",
    "title-case",
    "common-words:none",
    "common-words:few",
    "common-words:some",
    "common-words:many",
    "two-sentences",
    "date-line",
    "date-line:updated",
    "date-line:month",
    "has-date",
    "has-month-date",
    "split:date",
    "split:before-date",
    "after-date-prefix",
    "by-name",
    "name",
    "name-role",
    "role-word",
    "ends-comma-short",
    "caption",
    "web-words:1",
    "web-words:2+",
    "link",
    "separators",
    "numbered",
    "question-word",
    "colon-label",
    "first",
    "early",
    "last",
    "repeated",
    "long-words",
    "headline-like",
    "furniture-like",
    "headline-ish",
    "headline-ish&next:headline-ish",
    "headline-ish&next:long",
    "headline-ish&next:none",
    "headline-ish&prev:headline-ish",
    "headline-ish&prev:body-without-stop",
    "name&near-end",
    "no-letters",
    "first-prose",
    "before-first-prose",
    "title-over-first-prose",
    "headline-ish&next:longer",
    "headline-ish&next:shorter",
    "before-first-date-line",
    "before-a-date-line-over-a-headline",
    "headline-ish&next:short-then-end",
    "echoed-by-next",
];

/// Facts copied from the neighbours (`prev:` and `next:` + the name).
const NEIGHBOUR: &[&str] = &[
    "none",
    "short",
    "long",
    "ends:.",
    "ends::",
    "date-line",
    "by-name",
    "name",
    "headline-ish",
    "list",
];

/// How many features there are: own, then previous, then next neighbour.
#[must_use]
pub fn count() -> usize {
    OWN.len() + 2 * NEIGHBOUR.len() + CONTEXTS.len() * OWN.len()
}

/// Where a unit stands, for copies of its own facts that weigh differently
/// there: after a date line, after prose, before prose, elsewhere.
const CONTEXTS: [&str; 4] = ["after-date", "after-prose", "before-prose", "between-short"];

/// The name of feature `id`.
#[must_use]
pub fn name(id: u16) -> String {
    let id = usize::from(id);
    if let Some(n) = OWN.get(id) {
        return (*n).to_string();
    }
    let k = id - OWN.len();
    if k < 2 * NEIGHBOUR.len() {
        let side = if k < NEIGHBOUR.len() { "prev" } else { "next" };
        return format!("{side}:{}", NEIGHBOUR[k % NEIGHBOUR.len()]);
    }
    let c = k - 2 * NEIGHBOUR.len();
    format!("{}@{}", OWN[c % OWN.len()], CONTEXTS[c / OWN.len()])
}

/// Index of `name` in `list`, at compile time (a misspelt name fails the build).
const fn index(list: &[&str], name: &str) -> usize {
    let mut i = 0;
    while i < list.len() {
        let (a, b) = (list[i].as_bytes(), name.as_bytes());
        if a.len() == b.len() {
            let mut k = 0;
            while k < a.len() && a[k] == b[k] {
                k += 1;
            }
            if k == a.len() {
                return i;
            }
        }
        i += 1;
    }
    panic!("no such feature")
}

/// The id of an own feature, resolved when compiling.
macro_rules! own {
    ($name:literal) => {{
        #[allow(clippy::cast_possible_truncation)] // fewer than 2^16 features
        const ID: u16 = index(OWN, $name) as u16;
        ID
    }};
}

/// The id of a neighbour's feature (`next` false: the previous unit's).
fn neighbour(next: bool, k: usize) -> u16 {
    let id = OWN.len() + usize::from(next) * NEIGHBOUR.len() + k;
    u16::try_from(id).unwrap_or(0)
}

/// A neighbour fact's index, resolved when compiling.
macro_rules! nb {
    ($name:literal) => {{
        const K: usize = index(NEIGHBOUR, $name);
        K
    }};
}

/// What a word is, as one lookup: bits for the lists below.
const COMMON: u8 = 1;
const WEB: u8 = 2;
const ROLE: u8 = 4;
const QUESTION: u8 = 8;

/// The lists a word (letters only, any case) is in: English function words
/// (prose is full of them, headlines and labels have few), words of web page
/// furniture (menus, sharing, sign-up boxes, cookie notices), words of job
/// titles (bylines and name cards) and words that open a question.
#[must_use]
pub fn word_class(word: &str) -> u8 {
    const LISTS: [(u8, &[&str]); 4] = [
        (
            COMMON,
            &[
                "is", "are", "will", "who", "the", "a", "an", "of", "to", "in", "and", "was",
                "were", "for", "on", "that", "with", "as", "by", "at", "it", "this", "be", "has",
                "have", "had", "from", "or", "which", "would", "their", "they", "he", "she", "we",
                "our", "its", "but", "not", "been",
            ],
        ),
        (
            WEB,
            &[
                "cookie",
                "cookies",
                "subscribe",
                "newsletter",
                "newsletters",
                "sign",
                "login",
                "log",
                "share",
                "tweet",
                "facebook",
                "twitter",
                "linkedin",
                "whatsapp",
                "email",
                "print",
                "menu",
                "search",
                "skip",
                "advertisement",
                "ad",
                "sponsored",
                "homepage",
                "home",
                "browser",
                "javascript",
                "privacy",
                "terms",
                "copyright",
                "reserved",
                "follow",
                "related",
                "comments",
                "notifications",
                "accept",
                "register",
            ],
        ),
        (
            ROLE,
            &[
                "chief",
                "director",
                "editor",
                "correspondent",
                "reporter",
                "officer",
                "secretary",
                "minister",
                "professor",
                "manager",
                "head",
                "president",
                "chair",
                "executive",
                "fellow",
                "analyst",
                "writer",
                "lead",
                "nurse",
                "consultant",
                "policy",
                "adviser",
                "advisor",
                "researcher",
            ],
        ),
        (
            QUESTION,
            &[
                "is", "are", "will", "who", "what", "why", "how", "when", "where", "should", "can",
                "could", "do", "does",
            ],
        ),
    ];
    /// The word lists by key: a word's bytes in lower case, packed into a
    /// number (no listed word is longer than 13 bytes).
    static CLASSES: std::sync::OnceLock<foldhash::HashMap<u128, u8>> = std::sync::OnceLock::new();
    let classes = CLASSES.get_or_init(|| {
        let mut map = foldhash::HashMap::default();
        for (class, words) in LISTS {
            for w in words {
                *map.entry(word_key(w.as_bytes())).or_insert(0) |= class;
            }
        }
        map
    });
    match word.len() {
        1..=13 => classes
            .get(&word_key(word.as_bytes()))
            .copied()
            .unwrap_or(0),
        _ => 0,
    }
}

/// A word of at most 16 bytes as one number, ASCII letters in lower case (as
/// are digits and `'`; other bytes differ from every ASCII letter either way).
fn word_key(word: &[u8]) -> u128 {
    let mut buf = [0u8; 16];
    let n = word.len().min(16);
    buf[..n].copy_from_slice(&word[..n]);
    let case = u128::MAX.checked_shr(8 * (16 - n) as u32).unwrap_or(0)
        & 0x2020_2020_2020_2020_2020_2020_2020_2020;
    u128::from_le_bytes(buf) | case
}

/// Marks looked for in every unit, ASCII case ignored, in one pass: those of a
/// picture credit first, then those the furniture judgements need, then links.
const MARKS: [&str; 13] = [
    "picture:",
    "photo",
    "image:",
    "credit:",
    "pic:",
    "(image",
    "getty images",
    "/pa", // the caption marks end here
    "read more",
    "your support",
    "feedbac", // furniture
    "http",
    "www.",
];
const CAPTION_MARKS: u32 = (1 << 8) - 1;
const FURNITURE_MARKS: u32 = CAPTION_MARKS | (((1 << 3) - 1) << 8);
const LINK_MARKS: u32 = ((1 << 2) - 1) << 11;

/// Which of [`MARKS`] occur in `text`, as bits. Most text has none: a few SIMD
/// scans for the bytes and word tails every mark holds rule that out first.
#[must_use]
pub fn marks(text: &str) -> u32 {
    use memchr::memmem::Finder;
    static FINDER: std::sync::OnceLock<Option<aho_corasick::AhoCorasick>> =
        std::sync::OnceLock::new();
    static WORDS: std::sync::OnceLock<[Finder<'static>; 5]> = std::sync::OnceLock::new();
    // Searched in lower case, a copy on the stack.
    let mut buf = [0u8; 2 * WINDOWED];
    let mut found = 0;
    for chunk in text.as_bytes().chunks(buf.len()) {
        let lower = &mut buf[..chunk.len()];
        for (d, s) in lower.iter_mut().zip(chunk) {
            *d = s.to_ascii_lowercase();
        }
        let lower = &*lower;
        // Most text has none of the marks. Those without `:`, `(` or `/` are
        // five words, found by SIMD search; the rest need that punctuation.
        if memchr::memchr3(b':', b'(', b'/', lower).is_none() {
            let words = WORDS.get_or_init(|| {
                [
                    "read more",
                    "your support",
                    "feedbac",
                    "www.",
                    "getty images",
                ]
                .map(|w| Finder::new(w.as_bytes()).into_owned())
            });
            if !words.iter().any(|f| f.find(lower).is_some()) {
                continue;
            }
        }
        let Some(finder) = FINDER
            .get_or_init(|| aho_corasick::AhoCorasick::new(MARKS).ok())
            .as_ref()
        else {
            return u32::MAX;
        };
        found |= finder
            .find_iter(lower)
            .fold(0, |bits, m| bits | 1 << m.pattern().as_u32());
    }
    found
}

/// The own features of one unit, a bit per id (fewer than 128 of them).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Own(u128);

const _: () = assert!(OWN.len() <= 128);

impl Own {
    fn add(&mut self, id: u16) {
        self.0 |= 1u128.checked_shl(u32::from(id)).unwrap_or(0);
    }

    /// The ids, in order.
    fn ids(self) -> impl Iterator<Item = u16> {
        let mut bits = self.0;
        std::iter::from_fn(move || {
            let k = bits.trailing_zeros();
            (k < 128).then(|| {
                bits &= bits - 1;
                u16::try_from(k).unwrap_or(0)
            })
        })
    }
}

/// The shape of one unit, computed once and shared with its neighbours.
#[derive(Debug, Clone, Default)]
pub struct Shape {
    words: usize,
    list: bool,
    last: Option<char>,
    date_line: Option<(DateText, bool)>,
    by_name: bool,
    name: bool,
    headline_ish: bool,
    /// Furniture by its own look: a picture credit, an appeal, a feedback footer.
    pub furniture: bool,
    own: Own,
}

/// A person's name: two to four capitalised words of letters.
#[must_use]
pub fn is_name_text(text: &str) -> bool {
    let mut n = 0;
    for w in text.split_whitespace() {
        n += 1;
        let w = w.trim_end_matches(',');
        let ok = n <= 4
            && w.chars().next().is_some_and(char::is_uppercase)
            && w.chars()
                .all(|c| c.is_alphabetic() || matches!(c, '’' | '\'' | '-' | '.'))
            && word_class(w) & COMMON == 0;
        if !ok {
            return false;
        }
    }
    n >= 2
}

/// The number of words (runs of non-space bytes) in `text`, counting at most
/// `limit` (and one more, when there are more).
#[must_use]
pub fn count_words(text: &str, limit: usize) -> usize {
    // A word starts where a byte above the space follows one at or below it
    // (or at the start). Counted 64 bytes at a time, a loop that runs on
    // vectors, stopping once past the limit.
    let b = text.as_bytes();
    let mut n = usize::from(b.first().is_some_and(|&x| x > b' '));
    let mut at = 0;
    while at + 1 < b.len() && n <= limit {
        let end = (at + 64).min(b.len() - 1);
        // At most 64 starts in a chunk: a byte holds the count.
        let starts = b[at..end]
            .iter()
            .zip(&b[at + 1..=end])
            .fold(0u8, |k, (&p, &c)| {
                k.wrapping_add(u8::from(p <= b' ') & u8::from(c > b' '))
            });
        n += usize::from(starts);
        at = end;
    }
    n.min(limit + 1)
}

/// What the first words of a unit are.
#[derive(Debug, Default, Clone, Copy)]
struct Words {
    /// Words looked at (tokens with a letter or digit).
    n: usize,
    common: usize,
    web: usize,
    roles: usize,
    /// Space-separated tokens of four letters or more, and how many of them
    /// start with a capital.
    big: usize,
    big_upper: usize,
    /// The first word opens a question.
    question: bool,
    /// Letters, and lower-case ASCII letters, in the tokens looked at.
    letters: usize,
    lower: usize,
}

/// [`Words`] of the first `limit` space-separated tokens of `text`, each
/// trimmed of the punctuation around it, in one pass over the bytes. Letters
/// outside ASCII count as letters of no list.
fn scan_words(text: &str, limit: usize) -> Words {
    let mut w = Words::default();
    let b = text.as_bytes();
    let mut i = 0;
    for _ in 0..limit {
        while i < b.len() && b[i] <= b' ' {
            i += 1;
        }
        let Some(&first) = b.get(i) else { break };
        // The token: its letters, and where its word (letters, digits,
        // apostrophes and anything outside ASCII) starts and ends.
        let (mut letters, mut start, mut end) = (0, usize::MAX, 0);
        while let Some(&c) = b.get(i).filter(|&&c| c > b' ') {
            let alpha = c.is_ascii_alphabetic();
            let letter = alpha || (0xc3..0xe0).contains(&c);
            letters += usize::from(letter);
            w.lower += usize::from(c.is_ascii_lowercase());
            if alpha || c.is_ascii_digit() || c == b'\'' || c >= 0x80 {
                start = start.min(i);
                end = i + 1;
            }
            i += 1;
        }
        w.letters += letters;
        if letters >= 4 {
            w.big += 1;
            w.big_upper += usize::from(first.is_ascii_uppercase());
        }
        if start < end {
            let class = text.get(start..end).map_or(0, word_class);
            if w.n == 0 && class & QUESTION != 0 {
                w.question = true;
            }
            w.n += 1;
            w.common += usize::from(class & COMMON != 0);
            w.web += usize::from(class & WEB != 0);
            w.roles += usize::from(class & ROLE != 0);
        }
    }
    w
}

/// Text longer than this (in bytes) is looked at in windows at its start and
/// end for marks, and its first words stand for all of them: what a unit is
/// shows there, and the work per unit stays bounded however long it is.
const WINDOWED: usize = 160;

/// The last `n` bytes of `text` or fewer, starting on a character.
fn tail(text: &str, n: usize) -> &str {
    let mut at = text.len().saturating_sub(n);
    while !text.is_char_boundary(at) {
        at += 1;
    }
    &text[at..]
}

/// The first `n` bytes of `text` or fewer, ending on a character.
fn head(text: &str, n: usize) -> &str {
    let mut at = n.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    &text[..at]
}

/// Furniture by its own look (the single-paragraph judgements of the first
/// parser). In a long paragraph the marks are looked for only where they
/// stand: an appeal at its start or end, a credit or footer at its end.
fn furniture_look(text: &str, windows: bool, marks: u32) -> bool {
    if matches!(
        text,
        "Advertisement" | "Read more" | "Share" | "Support Now"
    ) {
        return true;
    }
    if marks & FURNITURE_MARKS == 0 {
        return false;
    }
    let look =
        |t: &str| para::is_furniture(t) || para::is_caption(t) || para::is_feedback_footer(t);
    if windows {
        look(tail(text, 64)) || para::is_furniture(head(text, 48))
    } else {
        look(text)
    }
}

/// Whether `text` (a unit's) is furniture by its own look.
#[must_use]
pub fn is_furniture_text(text: &str) -> bool {
    let windows = text.len() > WINDOWED;
    let found = if windows {
        marks(head(text, 48)) | marks(tail(text, 64))
    } else {
        marks(text)
    };
    furniture_look(text, windows, found)
}

/// The unit's own facts.
#[must_use]
#[allow(clippy::too_many_lines)] // one pass, in the order the facts are found
pub fn shape(unit: &Unit<'_>) -> Shape {
    let text = unit.text.as_ref();
    let mut f = Own::default();
    let mut add = |id: u16| f.add(id);
    add(own!("bias"));
    // Words up to 41: more is prose whatever the count.
    let n_words = count_words(text, 41);
    let long = text.len() > 400 || n_words > 40;
    add(match n_words {
        0 | 1 => own!("words:1"),
        2..=3 => own!("words:2-3"),
        4..=8 => own!("words:4-8"),
        9..=15 => own!("words:9-15"),
        16..=25 => own!("words:16-25"),
        26..=40 => own!("words:26-40"),
        _ => own!("words:41+"),
    });
    let stripped = text.trim_end_matches(['"', '\'', '”', '’', ')', ']', '»']);
    let last = stripped.chars().next_back();
    add(match last {
        Some('.' | '…') => own!("ends:."),
        Some('?') => own!("ends:?"),
        Some('!') => own!("ends:!"),
        Some(':') => own!("ends::"),
        Some(',') => own!("ends:,"),
        Some(';') => own!("ends:;"),
        Some(c) if c.is_alphabetic() => own!("ends:letter"),
        Some(c) if c.is_numeric() => own!("ends:digit"),
        _ => own!("ends:other"),
    });
    let first = text.chars().next();
    add(match first {
        Some(c) if c.is_uppercase() => own!("starts:upper"),
        Some(c) if c.is_lowercase() => own!("starts:lower"),
        Some(c) if c.is_numeric() => own!("starts:digit"),
        Some('"' | '“' | '‘' | '\'' | '«') => own!("starts:quote"),
        _ => own!("starts:other"),
    });
    for (on, id) in [
        (unit.list, own!("list")),
        (unit.lines > 1, own!("lines:2+")),
        (unit.split_date, own!("split:date")),
        (unit.before_date, own!("split:before-date")),
        (unit.after_prefix, own!("after-date-prefix")),
        (unit.index == 0, own!("first")),
        (unit.index > 0 && unit.index < 4, own!("early")),
        (unit.last, own!("last")),
        (unit.repeated, own!("repeated")),
    ] {
        if on {
            add(id);
        }
    }
    if !text.chars().any(char::is_alphabetic) {
        add(own!("no-letters"));
    }
    // Prose (long, or a sentence of 16 words or more) is told by its length,
    // ending and first sentence; of its marks only those at its end count (a
    // picture credit, an appeal's `Read more`). Other text is looked at whole,
    // or in windows at its start and end when long.
    let prose = long || (n_words >= 16 && matches!(last, Some('.' | '…')));
    let windows = prose || text.len() > WINDOWED;
    let found = if prose {
        marks(tail(text, 64))
    } else if windows {
        marks(head(text, 48)) | marks(tail(text, 64))
    } else {
        marks(text)
    };
    let furniture = furniture_look(text, windows, found);
    if furniture {
        add(own!("furniture-like"));
    }
    let two_sentences = || para::first_sentence_end(text).is_some();
    let mut shape = Shape {
        words: n_words,
        list: unit.list,
        last,
        furniture,
        ..Shape::default()
    };
    if prose {
        if long {
            add(own!("long-words"));
        }
        if two_sentences() {
            add(own!("two-sentences"));
        }
        shape.own = f;
        return shape;
    }
    let Words {
        n,
        common,
        web,
        roles,
        big,
        big_upper,
        question,
        letters,
        lower,
    } = scan_words(head(text, 96), 16);
    add(match (common, n) {
        (0, _) => own!("common-words:none"),
        (c, n) if c * 100 < n * 15 => own!("common-words:few"),
        (c, n) if c * 100 < n * 35 => own!("common-words:some"),
        _ => own!("common-words:many"),
    });
    let one_sentence = !two_sentences();
    if !one_sentence {
        add(own!("two-sentences"));
    }
    let digits = date::has_digit(text);
    if letters >= 3 && lower == 0 {
        add(own!("all-caps"));
    }
    if big >= 2 && big_upper * 10 >= big * 7 {
        add(own!("title-case"));
    }
    shape.date_line = if digits { date::date_line(text) } else { None };
    if let Some((d, updated)) = shape.date_line {
        add(own!("date-line"));
        if updated {
            add(own!("date-line:updated"));
        }
        if matches!(d, DateText::Date(StoryDate::Month { .. })) {
            add(own!("date-line:month"));
        }
    } else if digits {
        let found = date::find_all(text);
        if found
            .iter()
            .any(|d| matches!(d.date, DateText::Date(StoryDate::Day(_))))
        {
            add(own!("has-date"));
        } else if !found.is_empty() {
            add(own!("has-month-date"));
        }
    }
    let by = text
        .strip_prefix("By ")
        .or_else(|| text.strip_prefix("by "))
        .or_else(|| text.strip_prefix("BY "));
    if by.is_some_and(|rest| {
        rest.chars().next().is_some_and(char::is_uppercase) && rest.split_whitespace().count() <= 12
    }) {
        shape.by_name = true;
        add(own!("by-name"));
    }
    // More words than four by spaces are more by any whitespace.
    if n_words <= 4 && is_name_text(text) {
        shape.name = true;
        add(own!("name"));
    }
    let as_para = para_of(unit);
    if para::is_role_byline(&as_para) {
        add(own!("name-role"));
    }
    if para::headline_like_known(&as_para, n_words, one_sentence) {
        add(own!("headline-like"));
    }
    if roles > 0 {
        add(own!("role-word"));
    }
    if last == Some(',') && n_words <= 6 {
        add(own!("ends-comma-short"));
    }
    if found & CAPTION_MARKS != 0 && para::is_caption_mark(text) {
        add(own!("caption"));
    }
    match web {
        0 => {}
        1 => add(own!("web-words:1")),
        _ => add(own!("web-words:2+")),
    }
    if found & LINK_MARKS != 0 || memchr::memchr(b'@', text.as_bytes()).is_some() {
        add(own!("link"));
    }
    let b = text.as_bytes();
    let maybe =
        memchr::memchr2(b'|', b'>', b).is_some() || memchr::memchr2(0xBA, 0xBB, b).is_some();
    if maybe && text.contains(['|', '›', '»', '>']) {
        add(own!("separators"));
    }
    let lead_digits = text.bytes().take_while(u8::is_ascii_digit).count();
    if lead_digits > 0 && text[lead_digits..].starts_with(". ") {
        add(own!("numbered"));
    }
    if last == Some('?') && question {
        add(own!("question-word"));
    }
    if n_words <= 6 && text.contains(':') && last != Some(':') {
        add(own!("colon-label"));
    }
    shape.headline_ish = !unit.list
        && (2..=20).contains(&n_words)
        && !matches!(last, Some('.' | ':' | ',' | ';'))
        && first.is_some_and(|c| !c.is_lowercase());
    shape.own = f;
    shape
}

/// The unit as a [`para::Para`], for the judgements kept from the old parser.
fn para_of<'a>(unit: &'a Unit<'_>) -> para::Para<'a> {
    para::Para {
        text: std::borrow::Cow::Borrowed(unit.text.as_ref()),
        line: unit.line,
        lines: unit.lines,
        list: unit.list,
        first_line: unit.text.lines().next().unwrap_or(""),
    }
}

fn neighbour_facts(out: &mut Pusher<'_>, next: bool, shape: Option<&Shape>) {
    let Some(s) = shape else {
        out.push(neighbour(next, nb!("none")));
        return;
    };
    out.push(neighbour(
        next,
        if s.words <= 15 {
            nb!("short")
        } else {
            nb!("long")
        },
    ));
    match s.last {
        Some('.' | '…') => out.push(neighbour(next, nb!("ends:."))),
        Some(':') => out.push(neighbour(next, nb!("ends::"))),
        _ => {}
    }
    if s.date_line.is_some() {
        out.push(neighbour(next, nb!("date-line")));
    }
    if s.by_name {
        out.push(neighbour(next, nb!("by-name")));
    }
    if s.name {
        out.push(neighbour(next, nb!("name")));
    }
    if s.headline_ish {
        out.push(neighbour(next, nb!("headline-ish")));
    }
    if s.list {
        out.push(neighbour(next, nb!("list")));
    }
}

/// Every unit's features: its own facts and its neighbours'.
#[must_use]
pub fn all(units: &[Unit<'_>]) -> (Vec<Shape>, Vec<Vec<u16>>) {
    let shapes: Vec<Shape> = units.iter().map(shape).collect();
    let mut feats = Vec::with_capacity(shapes.len());
    each(units, &shapes, |f| feats.push(f.to_vec()));
    (shapes, feats)
}

/// Every unit's shape, and its role scores under `model`: [`all`] without
/// keeping the features.
#[must_use]
pub fn scores(
    units: &[Unit<'_>],
    model: &crate::loader::model::Model,
) -> (Vec<Shape>, Vec<crate::loader::model::Scores>) {
    let shapes: Vec<Shape> = units.iter().map(shape).collect();
    let mut out = Vec::with_capacity(shapes.len());
    let mut i = 0;
    each(units, &shapes, |f| {
        out.push(model.scores_allowed(f, allowed_own(shapes[i].own)));
        i += 1;
    });
    (shapes, out)
}

/// Hands every unit's features, in order, to `sink`.
fn each(units: &[Unit<'_>], shapes: &[Shape], mut sink: impl FnMut(&[u16])) {
    let n = shapes.len();
    // The first paragraph of prose, and the title-like unit nearest above it
    // (skipping date lines, bylines and short labels).
    let first_prose = shapes
        .iter()
        .position(|s| s.words >= 15 && matches!(s.last, Some('.' | '?' | '!' | '”' | '"')));
    let title = first_prose.and_then(|fp| {
        (0..fp)
            .rev()
            .find(|&j| {
                let s = &shapes[j];
                let skip = s.date_line.is_some()
                    || s.by_name
                    || s.name
                    || s.words <= 3
                    || units[j].split_date;
                !skip && s.headline_ish
            })
            .filter(|&j| {
                (j + 1..first_prose.unwrap_or(0)).all(|k| {
                    let s = &shapes[k];
                    s.date_line.is_some()
                        || s.by_name
                        || s.name
                        || s.words <= 3
                        || units[k].split_date
                        || !s.headline_ish
                })
            })
    });
    let first_date_line = shapes.iter().position(|s| s.date_line.is_some());
    let mut f: arrayvec::ArrayVec<u16, 256> = arrayvec::ArrayVec::new();
    for i in 0..n {
        f.clear();
        f.extend(shapes[i].own.ids());
        let mut f = Pusher(&mut f);
        let (prev, next) = (
            i.checked_sub(1).and_then(|p| shapes.get(p)),
            shapes.get(i + 1),
        );
        let s = &shapes[i];
        if s.headline_ish {
            f.push(own!("headline-ish"));
            match next {
                None => f.push(own!("headline-ish&next:none")),
                Some(x) if x.headline_ish => f.push(own!("headline-ish&next:headline-ish")),
                Some(x) if x.words > 15 => f.push(own!("headline-ish&next:long")),
                _ => {}
            }
            let after = shapes.get(i + 2);
            if next.is_some_and(|x| x.words <= 6)
                && after.is_none_or(|a| a.date_line.is_some() || a.headline_ish)
            {
                f.push(own!("headline-ish&next:short-then-end"));
            }
            if let Some(x) = next {
                if x.words > s.words {
                    f.push(own!("headline-ish&next:longer"));
                } else {
                    f.push(own!("headline-ish&next:shorter"));
                }
            }
            if let Some(p) = prev {
                if p.headline_ish {
                    f.push(own!("headline-ish&prev:headline-ish"));
                } else if p.words > 15 && !matches!(p.last, Some('.' | '?' | '!' | ':')) {
                    f.push(own!("headline-ish&prev:body-without-stop"));
                }
            }
        }
        if s.name && i + 3 >= n {
            f.push(own!("name&near-end"));
        }
        match first_prose {
            Some(fp) if fp == i => f.push(own!("first-prose")),
            Some(fp) if i < fp => f.push(own!("before-first-prose")),
            _ => {}
        }
        if let Some(d) = first_date_line.filter(|&d| i < d) {
            f.push(own!("before-first-date-line"));
            if shapes.get(d + 1).is_some_and(|x| x.headline_ish) {
                f.push(own!("before-a-date-line-over-a-headline"));
            }
        }
        if title == Some(i) {
            f.push(own!("title-over-first-prose"));
        }
        if s.headline_ish
            && units
                .get(i + 1)
                .is_some_and(|n| echoed(&units[i].text, &n.text))
        {
            f.push(own!("echoed-by-next"));
        }
        neighbour_facts(&mut f, false, prev);
        neighbour_facts(&mut f, true, next);
        // Own facts again, conjoined with where the unit stands.
        let context = match (prev, next) {
            (Some(p), _) if p.date_line.is_some() => 0,
            (Some(p), _) if p.words > 15 => 1,
            (_, Some(x)) if x.words > 15 => 2,
            _ => 3,
        };
        let base = OWN.len() + 2 * NEIGHBOUR.len() + context * OWN.len();
        for k in shapes[i].own.ids() {
            if let Ok(id) = u16::try_from(base + usize::from(k)) {
                f.push(id);
            }
        }
        sink(f.0);
    }
}

/// Whether the words of `text` (a short unit) come back in `next`: a
/// headline's words do in the paragraph under it, a label's seldom. Words of
/// four letters or more are compared by their first six letters (a rough stem:
/// `vaccination`, `vaccine`), ignoring case, with the words that start in the
/// first 128 bytes of `next`: two of them found, or the only one there is.
fn echoed(text: &str, next: &str) -> bool {
    let mut later = [0u64; 32];
    let mut n = 0;
    for_each_stem(head(next, 128).as_bytes(), |key, _| {
        if let Some(slot) = later.get_mut(n) {
            *slot = key;
            n += 1;
        }
    });
    let later = &later[..n];
    let (mut total, mut hits) = (0, 0);
    for_each_stem(head(text, 128).as_bytes(), |key, mask| {
        total += 1;
        hits += usize::from(later.iter().any(|&k| k & mask == key));
    });
    hits >= 2 || (hits == 1 && total == 1)
}

/// Calls `f` with the stem of every word of `bytes` (at most 128 of them):
/// the first six ASCII letters and digits of a space-separated token, in lower
/// case and packed in a number, when it starts with four of them; and the mask
/// that keeps the stem's bytes. Tokens are found from a bit per byte, eight
/// bytes at a time.
fn for_each_stem(bytes: &[u8], mut f: impl FnMut(u64, u64)) {
    let bytes = &bytes[..bytes.len().min(128)];
    // A bit per byte that is not a space or control (above 0x20).
    let solid_bits = |x: u64| {
        const LOW: u64 = 0x7f7f_7f7f_7f7f_7f7f;
        const HIGH: u64 = 0x8080_8080_8080_8080;
        // High bit of each byte: at least 0x21 in its low seven bits, or 0x80 and up.
        let above = (((x & LOW) + 0x5f5f_5f5f_5f5f_5f5f) | x) & HIGH;
        // The high bits gathered into the low byte, in byte order.
        u128::from((above >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56)
    };
    let mut solid = 0u128;
    let chunks = bytes.chunks_exact(8);
    let tail = chunks.remainder();
    let mut k = 0;
    for chunk in chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        solid |= solid_bits(u64::from_le_bytes(word)) << (8 * k);
        k += 1;
    }
    if !tail.is_empty() {
        let mut word = [0u8; 8];
        word[..tail.len()].copy_from_slice(tail);
        let bits = solid_bits(u64::from_le_bytes(word)) & ((1 << tail.len()) - 1);
        solid |= bits << (8 * k);
    }
    let starts = solid & !(solid << 1);
    let mut rest = starts;
    while rest != 0 {
        let at = rest.trailing_zeros() as usize;
        rest &= rest - 1;
        let (mut key, mut len) = (0u64, 0);
        for &c in bytes[at..].iter().take(6) {
            if !c.is_ascii_alphanumeric() {
                break;
            }
            key |= u64::from(c | 0x20) << (8 * len);
            len += 1;
        }
        if len >= 4 {
            f(key, u64::MAX >> (8 * (8 - len)));
        }
    }
}

/// Pushes onto a full-size feature list, dropping what does not fit.
struct Pusher<'a>(&'a mut arrayvec::ArrayVec<u16, 256>);

impl Pusher<'_> {
    fn push(&mut self, id: u16) {
        let _ = self.0.try_push(id);
    }
}

/// The roles a unit with features `f` may take at all, as a bit per role
/// index: a headline or a byline is never a long paragraph or a list, a date
/// line holds a date, and page furniture by its look opens no story. One pass
/// over the features.
#[must_use]
pub fn allowed(f: &[u16]) -> u8 {
    let mut own = Own::default();
    for &id in f.iter().filter(|&&id| usize::from(id) < OWN.len()) {
        own.add(id);
    }
    allowed_own(own)
}

/// [`allowed`] from a unit's own facts, which are all it looks at.
#[must_use]
pub fn allowed_own(own: Own) -> u8 {
    use crate::loader::segment::Role;
    let has = |id: u16| own.0 >> id & 1 == 1;
    let huge = has(own!("words:41+"));
    let list = has(own!("list"));
    let long = has(own!("words:26-40")) || huge || list;
    let one = has(own!("words:1"));
    let tiny = one || has(own!("words:2-3"));
    let no_letters = has(own!("no-letters"));
    let furniture = has(own!("furniture-like"));
    let dated = has(own!("date-line"))
        || has(own!("split:date"))
        || has(own!("has-date"))
        || has(own!("has-month-date"));
    let mut mask = 0u8;
    for role in Role::ALL {
        let ok = match role {
            Role::Headline => !(furniture || one || huge || list || no_letters),
            Role::Lead => !(furniture || tiny || list || no_letters),
            Role::Byline => !(furniture || long),
            Role::Date | Role::Trailer => dated,
            Role::Furniture | Role::Body => true,
        };
        if ok {
            mask |= 1 << role.index();
        }
    }
    mask
}

/// Whether the unit is prose: 16 words or more, ended like a sentence.
#[must_use]
pub fn is_prose(shape: &Shape) -> bool {
    shape.words >= 16 && matches!(shape.last, Some('.' | '…' | '?' | '!'))
}

/// Whether the unit is a date line (a date and nothing much else).
#[must_use]
pub fn is_date_line(shape: &Shape) -> bool {
    shape.date_line.is_some()
}

/// Whether the unit is a `By Name` line.
#[must_use]
pub fn is_by_line(shape: &Shape) -> bool {
    shape.by_name
}

/// The date a unit's date line holds.
#[must_use]
pub fn date_of(shape: &Shape) -> Option<(DateText, bool)> {
    shape.date_line
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stems(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        for_each_stem(text.as_bytes(), |key, mask| {
            assert_eq!(key & !mask, 0);
            let bytes: Vec<u8> = key.to_le_bytes().into_iter().filter(|&b| b != 0).collect();
            out.push(String::from_utf8_lossy(&bytes).into_owned());
        });
        out
    }

    #[test]
    fn stems_are_the_first_six_letters_of_words_of_four_or_more() {
        assert_eq!(
            stems("NHS Vaccination  plan, (care) of 2025\tboosters\nend."),
            ["vaccin", "plan", "2025", "booste"]
        );
        // Words across the eight-byte steps of the scan, and at the very end.
        let long = "abcd ".repeat(30);
        // 26 words start in the first 128 bytes; the last has three letters there.
        assert_eq!(stems(&long).len(), 25);
        assert_eq!(stems("x abcdefg"), ["abcdef"]);
        assert!(stems("").is_empty());
    }

    #[test]
    fn a_headline_is_echoed_by_the_text_under_it() {
        assert!(echoed(
            "Vaccination plan for winter",
            "The vaccine programme sets out a plan for the coming winter."
        ));
        assert!(echoed("Strikes", "Strike action by doctors continues."));
        assert!(!echoed(
            "Read more",
            "The board met on Tuesday to agree the budget."
        ));
    }
}
