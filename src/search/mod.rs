//! Search: fuzzy ranking of stories for a query, in the manner of `fzf --filter`,
//! the body index that keeps it fast, and the jobs the reader runs it in.
//!
//! One matcher serves both the TUI reader and the CLI `sitrep filter`. It only reads a
//! [`Library`](crate::story::Library): no terminal, no ratatui, no application state.
//!
//! Query syntax: whitespace-separated terms that must all match.
//! - `word`: fuzzy. Matches as a substring anywhere, or with a typo (see
//!   [`typo`]: five letters or more), or as scattered letters of the headline,
//!   byline or source (a short term's letters scattered over a long body do not
//!   count). A term of one or two characters matches only as typed.
//! - `"two words"`: the phrase must occur as typed (`!"two words"` leaves out
//!   stories that have it); an unclosed quote runs to the end.
//! - `'word`: the substring must occur in the headline, byline, source or body.
//! - `!word`: stories containing the substring anywhere are left out.
//! - A bare `'` or `!` is ignored.
//! - Smart case: a term with an uppercase letter is case-sensitive, otherwise not.
//! - Qualifiers: `date:2025-12` (the date starts with a year, month or day),
//!   `source:month` (fuzzy on the source), `is:bookmarked`, `is:unread`, `is:read`,
//!   `is:new`; `!is:…` negates. Flags come from the caller (bookmarks, read state).
//!
//! Scoring: a term found as typed (a substring, in the term's case mode) scores by
//! where: the headline over the byline or source over the body, and in each a whole
//! word over a word start over the inside of a word. Stories where every term is
//! found as typed rank first ([`AS_TYPED`]), then those where some term is only
//! found with a typo ([`WITH_TYPOS`], scored as if typed). Below them come
//! stories where some fuzzy term only matches scattered letters of the headline,
//! byline or source,
//! scored by skim (the headline's weighing [`HEADLINE_WEIGHT`] times the others').
//! Scattered letters in the body do not count. A story's score is the sum over its
//! terms; ties keep library order (newest first).
//!
//! With a [`SearchIndex`] the body is not read again on each keystroke, and a search
//! can stop at the stories found as typed when they fill the screen: the rest
//! always ranks below them.

mod grade;
pub mod index;
mod job;
mod query;
mod rank;
pub mod typo;

pub use grade::{MatchKind, grade};
pub use index::SearchIndex;
pub use job::{Answer, Built, Flags, IndexJob, SearchJob};
pub use query::{Flag, Qualifier, Query, SYNTAX, Term, TermKind};
pub use rank::{AS_TYPED, HEADLINE_WEIGHT, Hit, Matcher, Search, WITH_TYPOS};
