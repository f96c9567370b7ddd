//! The story segmenter: paragraphs → units → roles → stories.
//!
//! 1. **Units.** Each paragraph is a unit, except that a date glued to it is
//!    split off: the ` date YYYY-MM-DD ` prefix of a saved page, or a date line at
//!    the end of a short paragraph (`Helen Marsh17 December 2025 11:20`).
//! 2. **Roles.** Every unit gets one [`Role`], decoded over the whole document at
//!    once (Viterbi) from its features and its neighbours' (see `features`),
//!    with weights learned from a labelled corpus (see `model`).
//! 3. **Stories** are cut from the role sequence: a headline (or a lead
//!    paragraph, whose first sentence becomes the headline) opens a story; a
//!    byline names its author; a date line dates the stories below it, or the
//!    story it heads or ends; body units are its text; furniture is dropped.

use std::borrow::Cow;

use crate::loader::date::{self, DateText};
use crate::loader::features::{self, Shape};
use crate::loader::para::{self, Para};
use crate::story::StoryDate;

/// What a unit is to the reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// Page furniture: menus, banners, titles, sign-up boxes; not part of a story.
    Furniture,
    /// A date line dating the stories below it, or the story it heads.
    Date,
    /// A headline: opens a story.
    Headline,
    /// A lead paragraph with no headline above it: opens a story whose headline
    /// is its first sentence.
    Lead,
    /// A byline (or one line of a name card).
    Byline,
    /// A date line closing the story above it (a live page's time stamp).
    Trailer,
    /// Body text of the open story.
    Body,
}

impl Role {
    /// Every role, in index order.
    pub const ALL: [Role; 7] = [
        Role::Furniture,
        Role::Date,
        Role::Headline,
        Role::Lead,
        Role::Byline,
        Role::Trailer,
        Role::Body,
    ];

    /// The role's index in [`Role::ALL`].
    #[must_use]
    pub fn index(self) -> usize {
        self as usize
    }

    /// A short name, as `sitrep explain` prints it.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Role::Furniture => "furniture",
            Role::Date => "date",
            Role::Headline => "headline",
            Role::Lead => "lead",
            Role::Byline => "byline",
            Role::Trailer => "trailer",
            Role::Body => "body",
        }
    }

    /// Whether the role needs a story open before it.
    #[must_use]
    pub fn needs_story(self) -> bool {
        matches!(self, Role::Body | Role::Trailer)
    }

    /// Whether the role opens a story.
    #[must_use]
    pub fn opens_story(self) -> bool {
        matches!(self, Role::Headline | Role::Lead)
    }
}

/// One unit of a document: a paragraph, or a date split off one.
#[derive(Debug, Clone)]
pub struct Unit<'a> {
    /// The text, trimmed.
    pub text: Cow<'a, str>,
    /// 1-based line it starts on.
    pub line: usize,
    /// Lines it spans.
    pub lines: usize,
    /// A bullet list (lines kept).
    pub list: bool,
    /// Position in the document.
    pub index: usize,
    /// The last unit.
    pub last: bool,
    /// Its text occurs more than once in the document.
    pub repeated: bool,
    /// A date split off the unit before it (or a leading date prefix).
    pub split_date: bool,
    /// A date was split off its end.
    pub before_date: bool,
    /// It followed a leading ` date YYYY-MM-DD ` prefix.
    pub after_prefix: bool,
    /// The first line of a paragraph, split from the rest of it as a heading.
    pub heading: bool,
    /// For a unit whose date was split off its end: the paragraph it was, date
    /// included (a headline naming its date keeps it: `Blog – April 2024`).
    pub whole: Option<Cow<'a, str>>,
}

impl<'a> Unit<'a> {
    fn from_para(p: &Para<'a>, text: Cow<'a, str>) -> Self {
        Unit {
            text,
            line: p.line,
            lines: p.lines,
            list: p.list,
            index: 0,
            last: false,
            repeated: false,
            split_date: false,
            before_date: false,
            after_prefix: false,
            heading: false,
            whole: None,
        }
    }
}

fn sub<'a>(text: &Cow<'a, str>, range: std::ops::Range<usize>) -> Cow<'a, str> {
    match text {
        Cow::Borrowed(s) => Cow::Borrowed(s[range].trim()),
        Cow::Owned(s) => Cow::Owned(s[range].trim().to_string()),
    }
}

/// The ` date YYYY-MM-DD ` (or ` date YYYY-MM `) prefix of a saved page: the
/// byte length of the prefix.
fn date_prefix(text: &str) -> Option<usize> {
    let rest = text.strip_prefix("date ")?;
    let len = rest.find(char::is_whitespace).unwrap_or(rest.len());
    let date = &rest[..len];
    let ok = matches!(len, 7 | 10) && date.as_bytes().get(4) == Some(&b'-');
    (ok && date::date_line(date).is_some()).then_some(5 + len)
}

/// In a paragraph of several lines, where its last line starts: a numbered,
/// time-stamped entry line (`3. Hospital stands down incidentpublished at 13:11`).
fn entry_line(p: &Para<'_>) -> Option<usize> {
    if p.list || p.lines < 2 || p.text.len() > 2000 {
        return None;
    }
    let text = p.text.as_ref();
    let bytes = text.as_bytes();
    let at = (1..text.len()).rev().find(|&i| {
        bytes[i - 1] == b' '
            && bytes[i].is_ascii_digit()
            && text[i..].split_once(". ").is_some_and(|(n, rest)| {
                n.len() <= 3
                    && n.bytes().all(|b| b.is_ascii_digit())
                    && rest.starts_with(char::is_uppercase)
            })
    })?;
    let tail = &text[at..];
    let stamped = date::trailing_date(tail).is_some() || date::trailing_stamp(tail).is_some();
    let heading =
        tail.split_whitespace().count() <= 15 && !para::ends_sentence(tail.trim_end_matches('?'));
    ((stamped && tail.split_whitespace().count() <= 30) || heading).then_some(at)
}

/// A breadcrumb trail in front of a title (`Home / News / Title of the page`):
/// two or more short steps joined by `/`, `>` or `›`; the byte offset of the
/// last step, when it is a title (four words or more).
fn breadcrumb(text: &str) -> Option<usize> {
    // `›` and `»` end in 0xBA and 0xBB.
    let b = text.as_bytes();
    if text.len() > 400
        || (memchr::memchr2(b'/', b'>', b).is_none() && memchr::memchr2(0xBA, 0xBB, b).is_none())
    {
        return None;
    }
    for sep in [" / ", " > ", " › ", " » "] {
        let steps: Vec<(usize, &str)> = text.match_indices(sep).collect();
        if steps.len() < 2 {
            continue;
        }
        let (at, s) = *steps.last()?;
        let last = text[at + s.len()..].trim();
        let before = &text[..at];
        let short = before
            .split(sep)
            .all(|step| step.split_whitespace().count() <= 4);
        if short && last.split_whitespace().count() >= 4 {
            return Some(at + s.len());
        }
    }
    None
}

/// A heading on the first line of a paragraph, with no blank line under it
/// (`Notes from the committee` / `Held in public at County Hall`): short, not
/// ended like a sentence, and the next line starts afresh. Hard-wrapped prose
/// does not split: its lines are long. The byte offset where the rest starts.
fn heading_line(p: &Para<'_>, first_para: bool) -> Option<usize> {
    if p.list || p.lines < 2 {
        return None;
    }
    let first = p.first_line;
    let rest = p.text.get(first.len()..)?.trim_start();
    let next = rest.chars().next()?;
    let ended = matches!(
        first.chars().next_back(),
        Some('.' | ',' | ':' | ';' | '-' | '–')
    );
    // At the top of a file a heading may run straight into lower-case text; a
    // wrapped sentence's first line ends on a small word (`…met on Tuesday to`).
    let small = [
        "a", "an", "the", "to", "of", "and", "or", "in", "on", "for", "with", "by", "at",
    ];
    let last = first.rsplit(' ').next().unwrap_or("").to_lowercase();
    let fresh = next.is_uppercase()
        || next.is_ascii_digit()
        || matches!(next, '“' | '"' | '‘')
        || (first_para && !small.contains(&last.as_str()));
    // A name over a role is a name card, kept whole.
    if features::is_name_text(first) {
        return None;
    }
    (first.chars().count() <= 60 && first.split_whitespace().count() <= 10 && !ended && fresh)
        .then_some(first.len())
}

/// The document's units (see the module header).
#[must_use]
pub fn units<'a>(paras: &[Para<'a>]) -> Vec<Unit<'a>> {
    let mut out: Vec<Unit<'a>> = Vec::with_capacity(paras.len() + 2);
    // A stamped entry line run into the paragraph above it (no blank line
    // between) starts a paragraph of its own.
    let split: Vec<(usize, usize)> = paras
        .iter()
        .enumerate()
        .filter_map(|(i, p)| entry_line(p).map(|at| (i, at)))
        .collect();
    let pieces: std::borrow::Cow<'_, [Para<'a>]> = if split.is_empty() {
        std::borrow::Cow::Borrowed(paras)
    } else {
        let mut pieces: Vec<Para<'a>> = Vec::with_capacity(paras.len() + split.len());
        let mut next = split.iter().peekable();
        for (i, p) in paras.iter().enumerate() {
            match next.next_if(|&&(j, _)| j == i) {
                Some(&(_, at)) => {
                    let mut head = p.clone();
                    head.text = sub(&p.text, 0..at);
                    head.lines -= 1;
                    let mut tail = p.clone();
                    tail.text = sub(&p.text, at..p.text.len());
                    tail.first_line = "";
                    tail.lines = 1;
                    tail.line += p.lines - 1;
                    pieces.push(head);
                    pieces.push(tail);
                }
                None => pieces.push(p.clone()),
            }
        }
        std::borrow::Cow::Owned(pieces)
    };
    for p in pieces.iter() {
        let text = &p.text;
        if out.is_empty()
            && let Some(end) = date_prefix(text)
        {
            let mut d = Unit::from_para(p, sub(text, 5..end));
            d.split_date = true;
            out.push(d);
            let rest = sub(text, end..text.len());
            if !rest.is_empty() {
                let mut u = Unit::from_para(p, rest);
                u.after_prefix = true;
                out.push(u);
            }
            continue;
        }
        if !p.list
            && let Some(at) = date::leading_time(text)
        {
            let mut d = Unit::from_para(p, sub(text, 0..at));
            d.split_date = true;
            out.push(d);
            out.push(Unit::from_para(p, sub(text, at..text.len())));
            continue;
        }
        let short = !p.list && text.len() <= 300 && features::count_words(text, 30) <= 30;
        let stamp = || {
            date::trailing_date(text)
                .map(|(at, _)| at)
                .or_else(|| date::trailing_stamp(text))
        };
        if short && let Some(at) = stamp() {
            let mut head = Unit::from_para(p, sub(text, 0..at));
            head.before_date = true;
            head.whole = Some(text.clone());
            let mut d = Unit::from_para(p, sub(text, at..text.len()));
            d.split_date = true;
            out.push(head);
            out.push(d);
            continue;
        }
        if p.list && p.lines == 1 {
            // One bulleted line is a line, not a list.
            let bare = text.trim_start_matches(|c: char| {
                matches!(c, '•' | '-' | '*' | '◦' | '▪') || c.is_whitespace()
            });
            let start = text.len() - bare.len();
            let mut u = Unit::from_para(p, sub(text, start..text.len()));
            u.list = false;
            out.push(u);
            continue;
        }
        if let Some(at) = breadcrumb(text) {
            out.push(Unit::from_para(p, sub(text, 0..at)));
            out.push(Unit::from_para(p, sub(text, at..text.len())));
            continue;
        }
        if let Some(at) = heading_line(p, out.is_empty()) {
            let mut first = Unit::from_para(p, sub(text, 0..at));
            first.lines = 1;
            first.heading = true;
            let mut rest = Unit::from_para(p, sub(text, at..text.len()));
            rest.line += 1;
            rest.lines -= 1;
            out.push(first);
            out.push(rest);
            continue;
        }
        out.push(Unit::from_para(p, text.clone()));
    }
    // Repeated lines (`Back to top`, a menu printed twice) are short: longer
    // units are not compared. A few are compared pairwise, many by hashing.
    let short: Vec<usize> = (0..out.len())
        .filter(|&i| out[i].text.len() <= 120)
        .collect();
    let mut repeated = vec![false; out.len()];
    if short.len() <= 64 {
        for (k, &i) in short.iter().enumerate() {
            for &j in &short[k + 1..] {
                if out[i].text == out[j].text {
                    repeated[i] = true;
                    repeated[j] = true;
                }
            }
        }
    } else {
        let mut seen: foldhash::HashMap<&str, usize> = foldhash::HashMap::default();
        for &i in &short {
            *seen.entry(out[i].text.as_ref()).or_default() += 1;
        }
        for &i in &short {
            repeated[i] = seen.get(out[i].text.as_ref()).is_some_and(|&c| c > 1);
        }
    }
    let n = out.len();
    for (i, u) in out.iter_mut().enumerate() {
        u.index = i;
        u.last = i + 1 == n;
        u.repeated = repeated[i];
    }
    out
}

/// Paragraph beginnings the user marked as furniture (config.toml), lower case.
static USER_FURNITURE: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();

/// Sets the user's furniture patterns (once, at start-up, before loading).
pub fn set_user_furniture(patterns: &[String]) {
    let _ = USER_FURNITURE.set(patterns.iter().map(|p| p.to_lowercase()).collect());
}

/// Marks the units the user's patterns name as furniture.
fn apply_user_furniture(units: &[Unit<'_>], roles: &mut [Role]) {
    let Some(patterns) = USER_FURNITURE.get().filter(|p| !p.is_empty()) else {
        return;
    };
    for (u, r) in units.iter().zip(roles.iter_mut()) {
        let start: String = u.text.chars().take(200).collect::<String>().to_lowercase();
        if patterns.iter().any(|p| start.starts_with(p.as_str())) {
            *r = Role::Furniture;
        }
    }
}

/// The roles of a document's units: decoded with `model`, then the user's
/// furniture patterns and the rules below applied.
#[must_use]
pub fn roles(
    units: &[Unit<'_>],
    shapes: &[Shape],
    scores: &[crate::loader::model::Scores],
    model: &crate::loader::model::Model,
) -> Vec<Role> {
    let mut roles = model.decode_scores(scores);
    settle_headings(units, &mut roles);
    settle_bylines(shapes, &mut roles);
    settle_date_lines(units, shapes, &mut roles);
    apply_user_furniture(units, &mut roles);
    keep_prose(shapes, &mut roles);
    at_least_one_story(units, shapes, &mut roles);
    roles
}

/// A heading line split from its paragraph heads that paragraph: when the rest
/// of the paragraph was read as the headline, the heading line is it instead.
fn settle_headings(units: &[Unit<'_>], roles: &mut [Role]) {
    for i in 0..roles.len().saturating_sub(1) {
        if units[i].heading && roles[i + 1] == Role::Headline && roles[i] != Role::Headline {
            roles[i] = Role::Headline;
            roles[i + 1] = Role::Body;
        }
    }
}

/// A paragraph that is nothing but a date is never story text: read as body, it
/// dates the stories after it, or, when none follows, the story it ends.
fn settle_date_lines(units: &[Unit<'_>], shapes: &[Shape], roles: &mut [Role]) {
    for i in 0..roles.len() {
        let lone = features::is_date_line(&shapes[i]) || units[i].split_date;
        if roles[i] == Role::Body && lone {
            let story_follows = roles[i + 1..].iter().any(|r| r.opens_story());
            roles[i] = if story_follows {
                Role::Date
            } else {
                Role::Trailer
            };
        }
    }
}

/// A `By Name` line in a story's head (after its headline, before its body) is
/// its byline whatever the weights say: the one rule that needs no learning.
fn settle_bylines(shapes: &[Shape], roles: &mut [Role]) {
    let mut in_head = false;
    for (shape, role) in shapes.iter().zip(roles.iter_mut()) {
        if in_head && features::is_by_line(shape) {
            *role = Role::Byline;
        }
        match *role {
            Role::Headline | Role::Lead => in_head = true,
            Role::Body => in_head = false,
            _ => {}
        }
    }
}

/// Prose under a story or a date line is never dropped as furniture: a
/// paragraph of 16 words or more that ends like a sentence, and is not
/// furniture by its own look (an appeal, a credit), is body text of the open
/// story, or opens one as its lead. (Above both, prose may be page furniture:
/// a cookie notice, a standfirst.)
fn keep_prose(shapes: &[Shape], roles: &mut [Role]) {
    let (mut open, mut dated) = (false, false);
    for (shape, role) in shapes.iter().zip(roles.iter_mut()) {
        if (open || dated)
            && *role == Role::Furniture
            && features::is_prose(shape)
            && !shape.furniture
        {
            *role = if open { Role::Body } else { Role::Lead };
        }
        open |= role.opens_story();
        dated |= *role == Role::Date;
    }
}

/// A file with text is at least one story: when the roles open none, the first
/// unit that is not a date line (nor furniture by its look, when there is more)
/// opens one, as its headline when it is short enough to be one, and what
/// follows is its body.
fn at_least_one_story(units: &[Unit<'_>], shapes: &[Shape], roles: &mut [Role]) {
    if roles.iter().any(|r| r.opens_story()) {
        return;
    }
    // Skipping date lines, and furniture by its own look (an appeal) when
    // anything else is there.
    let Some(first) = (0..roles.len())
        .find(|&i| roles[i] != Role::Date && !shapes[i].furniture)
        .or_else(|| roles.iter().position(|&r| r != Role::Date))
    else {
        return;
    };
    let headline = units[first].text.split_whitespace().count() <= 20
        && !para::ends_sentence(&units[first].text)
        && !units[first].list;
    roles[first] = if headline { Role::Headline } else { Role::Lead };
    for (r, shape) in roles[first + 1..].iter_mut().zip(&shapes[first + 1..]) {
        if *r == Role::Furniture && !shape.furniture {
            *r = Role::Body;
        }
    }
}

/// A story cut from the roles, before its text is stored.
#[derive(Debug, Clone, Default)]
pub struct Draft<'t> {
    /// The printed headline; `None` for a lead story (derived from its first sentence).
    pub headline: Option<&'t str>,
    /// The byline, joined from its lines.
    pub byline: Option<String>,
    /// Body paragraphs.
    pub body: Vec<&'t str>,
    /// Its date.
    pub date: StoryDate,
    /// Impossible dates met on its date lines: (line, text).
    pub impossible: Vec<(usize, String)>,
}

/// A headline's text: the unit's, or the whole paragraph when the date split
/// off it was set apart by a dash or colon (`President’s blog – April 2024`
/// names its date; `Helen Marsh17 December 2025` was only glued to it).
fn headline_text<'t>(unit: &'t Unit<'t>, next: Option<&Unit<'_>>) -> &'t str {
    let titled =
        next.is_some_and(|n| n.split_date && n.text.starts_with(['–', '—', '-', ':', '|']));
    match &unit.whole {
        Some(whole) if titled => whole,
        _ => &unit.text,
    }
}

/// Removes a `By ` in front of a name.
fn strip_by(text: &str) -> &str {
    for p in ["By ", "by ", "BY "] {
        if let Some(rest) = text.strip_prefix(p) {
            return rest.trim();
        }
    }
    text
}

/// Removes an entry's number (`1. `) in front of its headline.
pub fn strip_number(text: &str) -> &str {
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    match text[digits..].strip_prefix(". ") {
        Some(rest) if digits > 0 && digits <= 3 => rest,
        _ => text,
    }
}

/// What the stories of one document are, plus its title when one was seen.
#[derive(Debug, Default)]
pub struct Cut<'t> {
    /// The stories, in document order.
    pub stories: Vec<Draft<'t>>,
    /// The document's title (the source of its stories), when one was found.
    pub title: Option<String>,
}

/// The date a date unit holds: its date line, or the first date in a short one
/// (`Provider bulletin: 6 March 2019`, `06/08/2024 Press Release`); the flag says
/// it is an update.
#[must_use]
pub fn unit_date(unit: &Unit<'_>, shape: &Shape) -> Option<(DateText, bool)> {
    features::date_of(shape).or_else(|| {
        let short = unit.split_date || unit.text.split_whitespace().count() <= 8;
        short
            .then(|| date::find_all(&unit.text).first().map(|f| (f.date, false)))
            .flatten()
    })
}

/// Cuts the stories out of the role sequence.
#[must_use]
pub fn assemble<'t>(units: &'t [Unit<'t>], shapes: &[Shape], roles: &[Role]) -> Cut<'t> {
    let mut cut = Cut::default();
    let mut section = StoryDate::Undated;
    let mut section_impossible: Option<(usize, String)> = None;
    let mut cur: Option<Draft<'t>> = None;
    let mut cur_updated = false;
    let mut byline: Vec<&'t str> = Vec::new();
    let mut pending_byline: Vec<&'t str> = Vec::new();
    let close = |cut: &mut Cut<'t>, cur: &mut Option<Draft<'t>>, byline: &mut Vec<&'t str>| {
        if let Some(mut d) = cur.take() {
            if !byline.is_empty() {
                let joined = byline
                    .iter()
                    .map(|b| b.trim_end_matches([',', ' ']))
                    .collect::<Vec<_>>()
                    .join(", ");
                d.byline = Some(joined);
            }
            cut.stories.push(d);
        }
        byline.clear();
    };
    for (i, ((unit, shape), &role)) in units.iter().zip(shapes).zip(roles).enumerate() {
        let text = unit.text.as_ref();
        match role {
            Role::Furniture => {
                if cut.title.is_none() && cur.is_none() && cut.stories.is_empty() {
                    let text = text.trim_end_matches([':', ' ', '–', '—', '-', '|', '(', '[']);
                    let words = text.split_whitespace().count();
                    let titled = (2..=20).contains(&words)
                        && !para::ends_sentence(text)
                        && !text.contains(['|', '›', '@'])
                        && !shape.furniture;
                    if titled {
                        cut.title = Some(text.to_string());
                    }
                }
            }
            Role::Date | Role::Trailer => {
                let Some((date, updated)) = unit_date(unit, shape) else {
                    continue;
                };
                if role == Role::Date && !unit.split_date && cut.title.is_none() && cur.is_none() {
                    // A dated title (`The Month – December 2025`): its words name the source.
                    if let Some(f) = date::find_all(text).first() {
                        let name = text[..f.start]
                            .trim_end_matches(|c: char| {
                                c.is_whitespace()
                                    || matches!(c, '–' | '—' | '-' | ':' | ',' | '|' | '(' | '[')
                            })
                            .trim();
                        if !date::only_date_words(name) {
                            cut.title = Some(name.to_string());
                        }
                    }
                }
                let story_date = match date {
                    DateText::Date(d) => Some(d),
                    DateText::Impossible => None,
                };
                // A date right under a headline (or ending a story) is that story's own.
                let own = match (&cur, role) {
                    (Some(d), Role::Date) => d.body.is_empty(),
                    (Some(_), Role::Trailer) => true,
                    _ => false,
                };
                if own && let Some(d) = cur.as_mut() {
                    match story_date {
                        Some(sd) if d.date == StoryDate::Undated || (cur_updated && !updated) => {
                            d.date = sd;
                            cur_updated = updated;
                        }
                        Some(_) => {}
                        None => d.impossible.push((unit.line, text.to_string())),
                    }
                } else {
                    section = story_date.unwrap_or(StoryDate::Undated);
                    section_impossible =
                        story_date.is_none().then(|| (unit.line, text.to_string()));
                }
            }
            Role::Headline | Role::Lead => {
                close(&mut cut, &mut cur, &mut byline);
                byline.append(&mut pending_byline);
                let mut d = Draft {
                    date: section,
                    impossible: section_impossible.iter().cloned().collect(),
                    ..Draft::default()
                };
                cur_updated = false;
                if role == Role::Headline {
                    d.headline = Some(strip_number(headline_text(unit, units.get(i + 1))));
                } else {
                    d.body.push(text);
                }
                cur = Some(d);
            }
            Role::Byline => {
                let name = strip_by(text);
                if cur.is_some() {
                    byline.push(name);
                } else {
                    pending_byline.push(name);
                }
            }
            Role::Body => match cur.as_mut() {
                Some(d) => {
                    if !shape.furniture {
                        d.body.push(text);
                    } else if d.body.len() > 1
                        && d.body.last().is_some_and(|h| {
                            h.split_whitespace().count() <= 6 && !para::ends_sentence(h)
                        })
                    {
                        // A heading whose only text is furniture (`Your feedback
                        // matters` over a footer) goes with it.
                        d.body.pop();
                    }
                }
                None => {
                    if !shape.furniture {
                        cur = Some(Draft {
                            date: section,
                            body: vec![text],
                            ..Draft::default()
                        });
                    }
                }
            },
        }
    }
    close(&mut cut, &mut cur, &mut byline);
    cut
}

/// One unit as `sitrep explain` shows it: where it starts, its role, the
/// features that weighed most for that role against the runner-up, and its text.
#[derive(Debug, Clone)]
pub struct Explained {
    /// 1-based line.
    pub line: usize,
    /// The decoded role.
    pub role: Role,
    /// The role that scored next best on this unit alone.
    pub runner_up: Role,
    /// The features that favoured the role most, with how much.
    pub reasons: Vec<(String, f32)>,
    /// The unit's text.
    pub text: String,
}

/// Explains how `text` (cleaned) is read: every unit with its role and why.
#[must_use]
pub fn explain(text: &str) -> Vec<Explained> {
    let model = crate::loader::model::Model::shipped();
    let (paras, _) = para::split(text);
    let units = units(&paras);
    let (shapes, feats) = features::all(&units);
    let scores: Vec<_> = feats.iter().map(|f| model.scores(f)).collect();
    let roles = roles(&units, &shapes, &scores, model);
    units
        .iter()
        .zip(&feats)
        .zip(&roles)
        .map(|((u, f), &role)| {
            let runner_up = Role::ALL
                .iter()
                .copied()
                .filter(|&r| r != role)
                .max_by(|&a, &b| model.emit_score(f, a).total_cmp(&model.emit_score(f, b)))
                .unwrap_or(Role::Body);
            let mut reasons: Vec<(String, f32)> = f
                .iter()
                .filter_map(|&id| {
                    let w = model.emit.get(usize::from(id))?;
                    Some((features::name(id), w[role.index()] - w[runner_up.index()]))
                })
                .filter(|(_, d)| *d > 0.0)
                .collect();
            reasons.sort_by(|a, b| b.1.total_cmp(&a.1));
            reasons.truncate(4);
            Explained {
                line: u.line,
                role,
                runner_up,
                reasons,
                text: u.text.to_string(),
            }
        })
        .collect()
}
