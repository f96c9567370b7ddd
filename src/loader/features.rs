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
];

/// Facts copied from the neighbours (`prev:` and `next:` + the name).
const NEIGHBOUR: &[&str] = &[
    "none", "short", "long", "ends:.", "ends::", "date-line", "by-name", "name", "headline-ish",
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

/// English function words: prose is full of them, headlines and labels have few.
const COMMON: [&str; 40] = [
    "the", "a", "an", "of", "to", "in", "and", "is", "are", "was", "were", "for", "on", "that",
    "with", "as", "by", "at", "it", "this", "be", "has", "have", "had", "from", "or", "which",
    "will", "would", "their", "they", "he", "she", "we", "our", "its", "but", "not", "been",
    "who",
];

/// Words of web page furniture (menus, sharing, sign-up boxes, cookie notices).
const WEB: [&str; 36] = [
    "cookie", "cookies", "subscribe", "newsletter", "newsletters", "sign", "login", "log",
    "share", "tweet", "facebook", "twitter", "linkedin", "whatsapp", "email", "print",
    "menu", "search", "skip", "advertisement", "ad", "sponsored", "homepage", "home",
    "browser", "javascript", "privacy", "terms", "copyright", "reserved", "follow", "related",
    "comments", "notifications", "accept", "register",
];

/// Words of job titles, as in bylines and name cards.
const ROLES: [&str; 24] = [
    "chief", "director", "editor", "correspondent", "reporter", "officer", "secretary",
    "minister", "professor", "manager", "head", "president", "chair", "executive", "fellow",
    "analyst", "writer", "lead", "nurse", "consultant", "policy", "adviser", "advisor",
    "researcher",
];

/// Words that open a question headline.
const QUESTION: [&str; 14] = [
    "who", "what", "why", "how", "when", "where", "should", "can", "could", "is", "are", "will",
    "do", "does",
];

/// Marks of a picture credit.
const CAPTION: [&str; 9] = [
    "picture:", "photo:", "photograph:", "image:", "credit:", "pic:", "(image", "getty images",
    "/pa",
];

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
    own: Vec<u16>,
}

/// The words of `text` (letters, digits, apostrophes).
fn words(text: &str) -> impl Iterator<Item = &str> + '_ {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .filter(|w| !w.is_empty())
}

/// A person's name: two to four capitalised words of letters.
#[must_use]
pub fn is_name_text(text: &str) -> bool {
    is_name(text)
}

fn is_name(text: &str) -> bool {
    let ws: Vec<&str> = text.split_whitespace().collect();
    (2..=4).contains(&ws.len())
        && ws.iter().all(|w| {
            let w = w.trim_end_matches(',');
            w.chars().next().is_some_and(char::is_uppercase)
                && w
                    .chars()
                    .all(|c| c.is_alphabetic() || matches!(c, '’' | '\'' | '-' | '.'))
        })
        && !ws
            .iter()
            .any(|w| COMMON.contains(&w.to_lowercase().as_str()))
}

/// The unit's own facts.
#[must_use]
pub fn shape(unit: &Unit<'_>) -> Shape {
    let text = unit.text.as_ref();
    let mut f = vec![own!("bias")];
    let mut add = |id: u16| f.push(id);
    // Long units are prose: only the cheap facts.
    let long = text.len() > 400 || text.split_whitespace().nth(40).is_some();
    let n_words = text.split_whitespace().count();
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
    if unit.list {
        add(own!("list"));
    }
    if unit.lines > 1 {
        add(own!("lines:2+"));
    }
    if unit.split_date {
        add(own!("split:date"));
    }
    if unit.before_date {
        add(own!("split:before-date"));
    }
    if unit.after_prefix {
        add(own!("after-date-prefix"));
    }
    if unit.index == 0 {
        add(own!("first"));
    } else if unit.index < 4 {
        add(own!("early"));
    }
    if unit.last {
        add(own!("last"));
    }
    if unit.repeated {
        add(own!("repeated"));
    }
    if !text.chars().any(char::is_alphabetic) {
        add(own!("no-letters"));
    }
    // The single-paragraph judgements of the first parser, kept as evidence.
    if para::is_furniture(text) || para::is_caption(text) || para::is_feedback_footer(text) {
        add(own!("furniture-like"));
    }
    let mut shape = Shape {
        words: n_words,
        list: unit.list,
        last,
        ..Shape::default()
    };
    if long {
        add(own!("long-words"));
        if para::first_sentence_end(text).is_some() {
            add(own!("two-sentences"));
        }
        shape.own = f;
        return shape;
    }
    // A sentence of prose (most body text): its length, ending and share of
    // common words say enough; names, captions and menus are short.
    if n_words >= 16 && matches!(last, Some('.' | '…')) {
        let common = words(text)
            .filter(|w| w.len() <= 5 && COMMON.iter().any(|x| x.eq_ignore_ascii_case(w)))
            .count();
        add(match (common, n_words) {
            (0, _) => own!("common-words:none"),
            (c, n) if c * 100 < n * 15 => own!("common-words:few"),
            (c, n) if c * 100 < n * 35 => own!("common-words:some"),
            _ => own!("common-words:many"),
        });
        if para::first_sentence_end(text).is_some() {
            add(own!("two-sentences"));
        }
        if text.bytes().any(|b| b.is_ascii_digit()) {
            shape.date_line = date::date_line(text);
            if !date::find_all(text).is_empty() {
                add(own!("has-date"));
            }
        }
        shape.own = f;
        return shape;
    }
    // Words as written; the lists are lower-case ASCII, compared ignoring case
    // (a word longer than any listed one is in none of them).
    let lower: Vec<&str> = words(text).collect();
    let among = |list: &[&str], w: &str| {
        w.len() <= 13 && list.iter().any(|x| x.len() == w.len() && x.eq_ignore_ascii_case(w))
    };
    let letters = text.chars().filter(|c| c.is_alphabetic());
    if letters.clone().nth(2).is_some() && letters.clone().all(|c| !c.is_lowercase()) {
        add(own!("all-caps"));
    }
    let big: Vec<&str> = text
        .split_whitespace()
        .filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 4)
        .collect();
    if big.len() >= 2
        && big
            .iter()
            .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
            .count()
            * 10
            >= big.len() * 7
    {
        add(own!("title-case"));
    }
    let common = lower.iter().filter(|w| among(&COMMON, w)).count();
    add(match (common, lower.len()) {
        (0, _) => own!("common-words:none"),
        (c, n) if c * 100 < n * 15 => own!("common-words:few"),
        (c, n) if c * 100 < n * 35 => own!("common-words:some"),
        _ => own!("common-words:many"),
    });
    if para::first_sentence_end(text).is_some() {
        add(own!("two-sentences"));
    }
    shape.date_line = date::date_line(text);
    if let Some((d, updated)) = shape.date_line {
        add(own!("date-line"));
        if updated {
            add(own!("date-line:updated"));
        }
        if matches!(d, DateText::Date(StoryDate::Month { .. })) {
            add(own!("date-line:month"));
        }
    } else {
        let found = date::find_all(text);
        if found.iter().any(|d| matches!(d.date, DateText::Date(StoryDate::Day(_)))) {
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
    if is_name(text) {
        shape.name = true;
        add(own!("name"));
    }
    let as_para = para_of(unit);
    if para::is_role_byline(&as_para) {
        add(own!("name-role"));
    }
    if para::headline_like(&as_para) {
        add(own!("headline-like"));
    }
    if lower.iter().any(|w| among(&ROLES, w)) {
        add(own!("role-word"));
    }
    if last == Some(',') && n_words <= 6 {
        add(own!("ends-comma-short"));
    }
    if CAPTION.iter().any(|m| para::has_ascii_ci(text, m)) {
        add(own!("caption"));
    }
    match lower.iter().filter(|w| among(&WEB, w)).count() {
        0 => {}
        1 => add(own!("web-words:1")),
        _ => add(own!("web-words:2+")),
    }
    if para::has_ascii_ci(text, "http") || para::has_ascii_ci(text, "www.") || text.contains('@') {
        add(own!("link"));
    }
    if text.contains(['|', '›', '»', '>']) {
        add(own!("separators"));
    }
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 && text[digits..].starts_with(". ") {
        add(own!("numbered"));
    }
    if last == Some('?') && lower.first().is_some_and(|w| among(&QUESTION, w)) {
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

fn neighbour_facts(out: &mut Vec<u16>, next: bool, shape: Option<&Shape>) {
    let Some(s) = shape else {
        out.push(neighbour(next, nb!("none")));
        return;
    };
    out.push(neighbour(next, if s.words <= 15 { nb!("short") } else { nb!("long") }));
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
    let n = shapes.len();
    // The first paragraph of prose, and the title-like unit nearest above it
    // (skipping date lines, bylines and short labels).
    let first_prose = shapes
        .iter()
        .position(|s| s.words >= 15 && matches!(s.last, Some('.' | '?' | '!' | '”' | '"')));
    let title = first_prose.and_then(|fp| {
        (0..fp).rev().find(|&j| {
            let s = &shapes[j];
            let skip = s.date_line.is_some() || s.by_name || s.name || s.words <= 3 || units[j].split_date;
            !skip && s.headline_ish
        }).filter(|&j| {
            (j + 1..first_prose.unwrap_or(0)).all(|k| {
                let s = &shapes[k];
                s.date_line.is_some() || s.by_name || s.name || s.words <= 3 || units[k].split_date || !s.headline_ish
            })
        })
    });
    let first_date_line = shapes.iter().position(|s| s.date_line.is_some());
    let feats = (0..n)
        .map(|i| {
            let mut f = shapes[i].own.clone();
            let (prev, next) = (i.checked_sub(1).and_then(|p| shapes.get(p)), shapes.get(i + 1));
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
            let own_count = shapes[i].own.len();
            for k in 0..own_count {
                if let Ok(id) = u16::try_from(base + usize::from(f[k])) {
                    f.push(id);
                }
            }
            f
        })
        .collect();
    (shapes, feats)
}

/// The roles a unit with features `f` may take at all, as a bit per role
/// index: a headline or a byline is never a long paragraph or a list, a date
/// line holds a date, and page furniture by its look opens no story. One pass
/// over the features.
#[must_use]
pub fn allowed(f: &[u16]) -> u8 {
    use crate::loader::segment::Role;
    let (mut long, mut tiny, mut one, mut huge, mut list) = (false, false, false, false, false);
    let (mut no_letters, mut furniture, mut dated) = (false, false, false);
    for &id in f {
        match id {
            x if x == own!("words:26-40") => long = true,
            x if x == own!("words:41+") => (long, huge) = (true, true),
            x if x == own!("words:1") => (tiny, one) = (true, true),
            x if x == own!("words:2-3") => tiny = true,
            x if x == own!("list") => (long, list) = (true, true),
            x if x == own!("no-letters") => no_letters = true,
            x if x == own!("furniture-like") => furniture = true,
            x if x == own!("date-line")
                || x == own!("split:date")
                || x == own!("has-date")
                || x == own!("has-month-date") =>
            {
                dated = true;
            }
            _ => {}
        }
    }
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
