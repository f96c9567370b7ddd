//! Saved web pages → paragraphs for the story parser.
//!
//! The page is read with html5ever's tokenizer, as a stream of tags and text:
//! no tree is built, so a page nested 100,000 levels deep costs what a flat one
//! does, and entities are decoded as a browser decodes them. What a reader does
//! not see as the page's content is dropped: `<script>`, `<style>` and other
//! non-text elements, navigation, the page's header and footer, asides, forms,
//! and blocks marked by their role, `hidden`, or a class or id naming common page
//! furniture (cookie notices, share boxes, sign-up boxes, breadcrumbs, menus).
//! When the page marks its main content (`<main>`, `<article>`, `role="main"`),
//! only that is kept. Block elements end paragraphs, list items become `•`
//! lines, and runs of spaces collapse as a browser shows them.
//!
//! The page's own facts are kept beside the text: `<title>`, `og:site_name`,
//! the author and the publication time from `<meta>`, the first `<time
//! datetime>` and the first `<h1>`.

use std::cell::RefCell;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

/// What was read from a page.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Page {
    /// The paragraphs of its content, in order; the lines of a list are joined
    /// by `\n`.
    pub paras: Vec<String>,
    /// `<title>`.
    pub title: Option<String>,
    /// `og:site_name` (or `application-name`).
    pub site: Option<String>,
    /// The publication time as printed in the page's data (`2025-07-30T09:00Z`).
    pub published: Option<String>,
    /// The author named in the page's data.
    pub author: Option<String>,
    /// The first top-level heading of the content.
    pub headline: Option<String>,
}

/// Elements whose content is never shown as text.
const SKIP: &[&str] = &[
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "math",
    "nav",
    "aside",
    "form",
    "button",
    "select",
    "textarea",
    "iframe",
    "object",
    "canvas",
    "video",
    "audio",
    "dialog",
    "menu",
    "figcaption",
];

/// Roles that mark page furniture.
const SKIP_ROLES: &[&str] = &[
    "navigation",
    "banner",
    "contentinfo",
    "complementary",
    "search",
    "dialog",
    "alertdialog",
    "menu",
    "menubar",
    "toolbar",
];

/// Words in a class or id that mark furniture on pages of every kind.
const SKIP_CLASS_WORDS: &[&str] = &[
    "cookie",
    "consent",
    "gdpr",
    "share",
    "social",
    "newsletter",
    "subscribe",
    "signup",
    "sign-up",
    "promo",
    "advert",
    "breadcrumb",
    "skip-link",
    "sidebar",
    "related",
    "popup",
    "modal",
    "navbar",
    "site-header",
    "site-footer",
];

/// Elements that start and end a paragraph.
const BLOCK: &[&str] = &[
    "address",
    "article",
    "blockquote",
    "body",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "main",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tr",
    "ul",
    "caption",
];

/// Elements that have no end tag.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

#[derive(Default)]
struct State {
    /// The element being skipped and how many of its kind are open inside it.
    skip: Option<(String, usize)>,
    /// Open main-content elements: name and how many of its kind are open.
    main: Vec<(String, usize)>,
    /// Whether the page marks main content at all.
    has_main: bool,
    /// The paragraph being built, and whether it is in the main content.
    cur: String,
    cur_main: bool,
    /// `cur` has text.
    started: bool,
    /// A space is owed before the next text.
    space: bool,
    /// Inside `<pre>`: spaces kept.
    pre: usize,
    /// Inside `<title>`.
    in_title: bool,
    /// The level of the heading being read (0: none).
    heading: u8,
    /// The paragraphs so far, each with whether it is in the main content.
    paras: Vec<(String, bool)>,
    page: Page,
    /// The first `<time datetime>` (in the main content when there is one).
    time: Option<(String, bool)>,
}

impl State {
    fn flush(&mut self) {
        let text = std::mem::take(&mut self.cur);
        let text = text.trim();
        if !text.is_empty() {
            let lines: Vec<&str> = text
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect();
            self.paras.push((lines.join("\n"), self.cur_main));
        }
        self.started = false;
        self.space = false;
    }

    fn text(&mut self, s: &str) {
        if self.in_title {
            let title = self.page.title.get_or_insert_with(String::new);
            title.push_str(s);
            return;
        }
        if self.skip.is_some() {
            return;
        }
        if self.pre > 0 {
            self.push(s);
            return;
        }
        // Most text has single spaces only: it goes in whole.
        let b = s.as_bytes();
        let breaks = b.iter().fold(false, |any, &c| {
            any | matches!(c, b'\t' | b'\n' | b'\r' | 0x0c)
        });
        if !breaks && memchr::memmem::find(b, b"  ").is_none() {
            let core = s.trim_matches(' ');
            if core.len() != s.len() && s.starts_with(' ') {
                self.space = true;
            }
            if !core.is_empty() {
                self.push(core);
                if s.ends_with(' ') {
                    self.space = true;
                }
            }
            return;
        }
        // Word by word: runs of ASCII spaces (as HTML counts them) become one.
        let space = |c: char| matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c');
        let mut rest = s;
        loop {
            let word = rest.trim_start_matches(space);
            if word.len() != rest.len() {
                self.space = true;
            }
            if word.is_empty() {
                break;
            }
            let end = word.find(space).unwrap_or(word.len());
            self.push(&word[..end]);
            rest = &word[end..];
        }
    }

    /// Adds text to the paragraph, after the space owed if any.
    fn push(&mut self, text: &str) {
        if !self.started {
            self.started = true;
            self.cur_main = !self.main.is_empty();
        } else if self.space && !self.cur.ends_with('\n') {
            self.cur.push(' ');
        }
        self.space = false;
        self.cur.push_str(text);
    }

    fn line_break(&mut self) {
        if self.skip.is_none() && self.started {
            self.cur.push('\n');
            self.space = false;
        }
    }

    fn start(&mut self, tag: &Tag) -> TokenSinkResult<()> {
        let name: &str = &tag.name;
        let raw = match name {
            "script" => Some(RawKind::ScriptData),
            "style" | "xmp" | "iframe" | "noembed" | "noframes" => Some(RawKind::Rawtext),
            "title" | "textarea" => Some(RawKind::Rcdata),
            _ => None,
        };
        if let Some((skipped, open)) = &mut self.skip {
            if skipped == name && !VOID.contains(&name) && !tag.self_closing {
                *open += 1;
            }
            return raw.map_or(TokenSinkResult::Continue, TokenSinkResult::RawData);
        }
        let attr = |key: &str| {
            tag.attrs
                .iter()
                .find(|a| &*a.name.local == key)
                .map(|a| a.value.to_string())
        };
        if name == "title" {
            self.in_title = self.page.title.is_none();
        } else if name == "meta" {
            self.meta(
                attr("property")
                    .or_else(|| attr("name"))
                    .or_else(|| attr("itemprop")),
                attr("content"),
            );
        } else if name == "time"
            && let Some(when) = attr("datetime")
            && self
                .time
                .as_ref()
                .is_none_or(|(_, main)| !main && !self.main.is_empty())
        {
            self.time = Some((when, !self.main.is_empty()));
        }
        if name != "title" && !VOID.contains(&name) && !tag.self_closing && self.skips(tag) {
            self.flush();
            self.skip = Some((name.to_string(), 1));
            return raw.map_or(TokenSinkResult::Continue, TokenSinkResult::RawData);
        }
        let main = matches!(name, "main" | "article") || attr("role").as_deref() == Some("main");
        if main {
            self.flush();
            self.has_main = true;
            self.main.push((name.to_string(), 1));
        } else if let Some((open, n)) = self.main.last_mut()
            && open == name
        {
            *n += 1;
        }
        match name {
            "br" => self.line_break(),
            "li" => {
                self.line_break();
                self.space = false;
                self.text("• ");
            }
            "pre" => {
                self.flush();
                self.pre += 1;
            }
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                self.flush();
                self.heading = name.as_bytes()[1] - b'0';
            }
            "td" | "th" => self.space = true,
            _ if BLOCK.contains(&name) => self.flush(),
            _ => {}
        }
        raw.map_or(TokenSinkResult::Continue, TokenSinkResult::RawData)
    }

    fn end(&mut self, tag: &Tag) {
        let name: &str = &tag.name;
        if let Some((skipped, open)) = &mut self.skip {
            if skipped == name {
                *open -= 1;
                if *open == 0 {
                    self.skip = None;
                }
            }
            return;
        }
        match name {
            "title" => self.in_title = false,
            "pre" => {
                self.flush();
                self.pre = self.pre.saturating_sub(1);
            }
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                if self.heading == 1
                    && self.page.headline.is_none()
                    && (!self.has_main || !self.main.is_empty())
                {
                    let h = self.cur.split_whitespace().collect::<Vec<_>>().join(" ");
                    if !h.is_empty() {
                        self.page.headline = Some(h);
                    }
                }
                self.flush();
                self.heading = 0;
            }
            _ if BLOCK.contains(&name) => self.flush(),
            _ => {}
        }
        if let Some((open, n)) = self.main.last_mut()
            && open == name
        {
            *n -= 1;
            if *n == 0 {
                self.flush();
                self.main.pop();
            }
        }
    }

    /// Whether an element is furniture: by its name, role, `hidden`, or a class
    /// or id naming furniture. The page's own header and footer are; an
    /// article's are not (they hold its headline, date and byline).
    fn skips(&self, tag: &Tag) -> bool {
        let name: &str = &tag.name;
        if SKIP.contains(&name) || (matches!(name, "header" | "footer") && self.main.is_empty()) {
            return true;
        }
        tag.attrs.iter().any(|a| {
            let value = a.value.to_ascii_lowercase();
            match &*a.name.local {
                "role" => SKIP_ROLES.contains(&value.trim()),
                "hidden" => true,
                "aria-hidden" => value == "true",
                "class" | "id" => SKIP_CLASS_WORDS.iter().any(|w| value.contains(w)),
                _ => false,
            }
        })
    }

    fn meta(&mut self, key: Option<String>, content: Option<String>) {
        let (Some(key), Some(content)) = (key, content) else {
            return;
        };
        let content = content.split_whitespace().collect::<Vec<_>>().join(" ");
        if content.is_empty() {
            return;
        }
        let slot = match key.to_ascii_lowercase().as_str() {
            "og:site_name" | "application-name" => &mut self.page.site,
            "article:published_time" | "datepublished" | "date" | "dc.date" | "dcterms.date" => {
                &mut self.page.published
            }
            "author" | "article:author" | "dc.creator" if !content.contains("://") => {
                &mut self.page.author
            }
            _ => return,
        };
        if slot.is_none() {
            *slot = Some(content);
        }
    }
}

struct Sink(RefCell<State>);

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let mut state = self.0.borrow_mut();
        match token {
            Token::TagToken(tag) => match tag.kind {
                TagKind::StartTag => return state.start(&tag),
                TagKind::EndTag => state.end(&tag),
            },
            Token::CharacterTokens(text) => state.text(&text),
            Token::EOFToken => state.flush(),
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

/// Whether bytes look like an HTML page: after any byte-order mark and
/// spaces, a doctype or `<html` or `<head`, or a comment with `<html` after it.
#[must_use]
pub fn looks_like_html(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(1024)];
    let head = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    let start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(head.len());
    let lower = head[start..].to_ascii_lowercase();
    let opens = |p: &[u8]| lower.starts_with(p);
    opens(b"<!doctype html")
        || opens(b"<html")
        || opens(b"<head")
        || (opens(b"<!--") && memchr::memmem::find(&lower, b"<html").is_some())
}

/// The character set a page declares in its first 1,024 bytes (`<meta
/// charset="…">` or `content="text/html; charset=…"`), when encoding_rs knows it.
#[must_use]
pub fn declared_charset(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let head = bytes[..bytes.len().min(1024)].to_ascii_lowercase();
    let at = memchr::memmem::find(&head, b"charset=")? + b"charset=".len();
    let label: Vec<u8> = head[at..]
        .iter()
        .skip_while(|&&b| b == b'"' || b == b'\'')
        .take_while(|&&b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'.'))
        .copied()
        .collect();
    encoding_rs::Encoding::for_label(&label)
}

/// Reads a page.
#[must_use]
pub fn read(html: &str) -> Page {
    let tokenizer = Tokenizer::new(
        Sink(RefCell::new(State::default())),
        TokenizerOpts::default(),
    );
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    let mut state = tokenizer.sink.0.into_inner();
    state.flush();
    let keep_main = state.paras.iter().any(|(_, main)| *main);
    let mut page = state.page;
    page.paras = state
        .paras
        .into_iter()
        .filter(|(_, main)| !keep_main || *main)
        .map(|(text, _)| text)
        .collect();
    if let Some(title) = &mut page.title {
        *title = title.split_whitespace().collect::<Vec<_>>().join(" ");
    }
    page.title = page.title.filter(|t| !t.is_empty());
    if page.published.is_none() {
        page.published = state.time.map(|(t, _)| t);
    }
    page
}

#[cfg(test)]
mod tests;
