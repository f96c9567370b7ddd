//! The query: terms (fuzzy, exact, excluded) and qualifiers (`date:`,
//! `source:`, `is:`), parsed once per keystroke. See the module above for the
//! syntax.

/// The filter syntax in brief, for the help window and the man page: (what is
/// typed, what it does).
pub const SYNTAX: &[(&str, &str)] = &[
    ("flu nhs", "all terms must match (fuzzy; body text by word)"),
    ("stirke", "one typo allowed from 5 letters, two from 9"),
    (
        "'strike !pay",
        "'exact text, !leave out; a capital makes a term case-sensitive",
    ),
    (
        "\"pay offer\"",
        "a phrase, as typed (so are terms of 1–2 letters)",
    ),
    ("date:2025-12", "by date (a year, month or day)"),
    ("source:month", "by source (fuzzy)"),
    (
        "is:unread",
        "also is:read, is:new, is:bookmarked; !is:… negates",
    ),
];

use super::rank::fold;

/// What a term asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TermKind {
    /// `word`: fuzzy match.
    Fuzzy,
    /// `'word`: substring must occur.
    Exact,
    /// `!word`: substring must not occur.
    Exclude,
}

/// One term of a [`Query`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// Fuzzy, exact or exclude.
    pub kind: TermKind,
    /// The needle without its prefix; lowercased unless `case_sensitive`.
    pub text: String,
    /// True when the term has an uppercase letter (smart case).
    pub case_sensitive: bool,
}

impl Term {
    /// Whether the term may match scattered letters: a fuzzy term of three
    /// characters or more (one or two letters scattered over a headline would
    /// match nearly every story).
    #[must_use]
    pub fn can_scatter(&self) -> bool {
        self.kind == TermKind::Fuzzy && self.text.chars().nth(2).is_some()
    }

    /// How many edits a match with typos may have: a lowercase fuzzy term of
    /// ASCII letters and digits allows one from five characters, two from nine.
    #[must_use]
    pub fn typos(&self) -> u32 {
        super::typo::edits(self)
    }
}

/// `input` cut into words at whitespace, except that a double-quoted run
/// (`"two words"`, `!"two words"`, with straight or curly quotes) is one word
/// with its quotes; an unclosed quote runs to the end (the phrase being typed).
fn words(input: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = input.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let mut word = String::new();
        let mut quoted = false;
        while let Some(&c) = chars.peek() {
            let quote = matches!(c, '"' | '“' | '”');
            if quote && (word.is_empty() || word == "!") && !quoted {
                quoted = true;
                word.push('"');
                chars.next();
                continue;
            }
            if quoted && quote {
                chars.next();
                break;
            }
            if !quoted && c.is_whitespace() {
                break;
            }
            word.push(c);
            chars.next();
        }
        out.push(word);
    }
    out
}

/// A per-story flag the caller knows about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flag {
    /// `is:bookmarked`.
    Bookmarked,
    /// `is:read`.
    Read,
    /// `is:unread`.
    Unread,
    /// `is:new` (new since the last visit).
    New,
}

/// A qualifier: a condition on a story's fields or flags.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Qualifier {
    /// `date:PREFIX`: the story's `YYYY-MM-DD` / `YYYY-MM` date starts with it.
    Date(String),
    /// `source:TEXT`: fuzzy match on the source.
    Source(String),
    /// `is:FLAG` (or `!is:FLAG` when the bool is false).
    Is(Flag, bool),
}

impl Qualifier {
    /// Reads `date:…`, `source:…`, `is:…` and `!is:…`; `None` for anything else.
    fn parse(word: &str) -> Option<Qualifier> {
        let (negated, word) = word.strip_prefix('!').map_or((false, word), |w| (true, w));
        let (key, value) = word.split_once(':')?;
        if value.is_empty() {
            return None;
        }
        match (key.to_ascii_lowercase().as_str(), negated) {
            ("date", false) if value.bytes().all(|b| b.is_ascii_digit() || b == b'-') => {
                Some(Qualifier::Date(value.to_string()))
            }
            ("source", false) => Some(Qualifier::Source(fold(value))),
            ("is", _) => {
                let flag = match value.to_ascii_lowercase().as_str() {
                    "bookmarked" | "bookmark" => Flag::Bookmarked,
                    "read" => Flag::Read,
                    "unread" => Flag::Unread,
                    "new" => Flag::New,
                    _ => return None,
                };
                Some(Qualifier::Is(flag, !negated))
            }
            _ => None,
        }
    }
}

/// A parsed query: terms and qualifiers that must all match.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    pub(super) terms: Vec<Term>,
    pub(super) quals: Vec<Qualifier>,
}

impl Query {
    /// Parses the query syntax described in the module docs. Never fails.
    #[must_use]
    pub fn parse(input: &str) -> Query {
        let words = words(input);
        let quals: Vec<Qualifier> = words.iter().filter_map(|w| Qualifier::parse(w)).collect();
        let terms = words
            .iter()
            .filter(|word| Qualifier::parse(word).is_none())
            .filter_map(|word| {
                let (kind, text) = if let Some(rest) = word.strip_prefix("!\"") {
                    (
                        TermKind::Exclude,
                        rest.split_whitespace().collect::<Vec<_>>().join(" "),
                    )
                } else if let Some(rest) = word.strip_prefix('"') {
                    // A phrase: its words as typed, in order.
                    (
                        TermKind::Exact,
                        rest.split_whitespace().collect::<Vec<_>>().join(" "),
                    )
                } else if let Some(rest) = word.strip_prefix('\'') {
                    (TermKind::Exact, rest.to_string())
                } else if let Some(rest) = word.strip_prefix('!') {
                    (TermKind::Exclude, rest.to_string())
                } else {
                    (TermKind::Fuzzy, word.clone())
                };
                if text.is_empty() {
                    return None;
                }
                let case_sensitive = text.chars().any(char::is_uppercase);
                let text = if case_sensitive { text } else { fold(&text) };
                Some(Term {
                    kind,
                    text,
                    case_sensitive,
                })
            })
            .collect();
        Query { terms, quals }
    }

    /// True when there are no terms or qualifiers (every story matches).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty() && self.quals.is_empty()
    }

    /// The qualifiers.
    #[must_use]
    pub fn qualifiers(&self) -> &[Qualifier] {
        &self.quals
    }

    /// What the qualifiers are, for messages about a misspelled one.
    pub const QUALIFIER_HINT: &'static str =
        "date:2025-12, source:NAME, is:unread|read|new|bookmarked";

    /// Words of `input` that look like a qualifier (`date:`, `source:`, `is:`) but
    /// are not one (`is:unred`, `date:banana`): they were taken as plain terms.
    #[must_use]
    pub fn unknown_qualifiers(input: &str) -> Vec<String> {
        input
            .split_whitespace()
            .filter(|w| {
                let key = w
                    .trim_start_matches('!')
                    .split_once(':')
                    .map(|(k, _)| k.to_ascii_lowercase());
                matches!(key.as_deref(), Some("date" | "source" | "is"))
                    && Qualifier::parse(w).is_none()
            })
            .map(str::to_string)
            .collect()
    }

    /// The terms, in the order typed.
    #[must_use]
    pub fn terms(&self) -> &[Term] {
        &self.terms
    }
}
