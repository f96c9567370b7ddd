//! Containers of documents: how a file is told apart (text, saved page, email,
//! mailbox, Maildir message), and how each is opened into the text the story
//! parser reads, with what the container says about it (sender, site, date).

use std::path::Path;

use super::{DocStories, Loaded, date, decode, html, load_text, mail};
use crate::story::{StoryDate, Warning};
use crate::text;

/// What a file holds, which decides how it is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Plain text (`.txt`).
    Text,
    /// A saved web page (`.html`, `.htm`).
    Html,
    /// One email (`.eml`, or a message in a Maildir).
    Email,
    /// A mailbox of emails (`.mbox`, or any file starting with `From `).
    Mbox,
}

impl Kind {
    /// The kind a file's name (or its place in a Maildir) says; `None` when the
    /// name says nothing sitrep reads.
    #[must_use]
    pub fn by_name(path: &Path) -> Option<Kind> {
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase());
        match ext.as_deref() {
            Some("txt") => return Some(Kind::Text),
            Some("html" | "htm" | "xhtml") => return Some(Kind::Html),
            Some("eml") => return Some(Kind::Email),
            Some("mbox") => return Some(Kind::Mbox),
            _ => {}
        }
        in_maildir(path).then_some(Kind::Email)
    }

    /// The kind bytes look like, for files whose name says nothing.
    #[must_use]
    pub fn sniff(bytes: &[u8]) -> Kind {
        if mail::looks_like_mbox(bytes) {
            Kind::Mbox
        } else if mail::looks_like_email(bytes) {
            Kind::Email
        } else if html::looks_like_html(bytes) {
            Kind::Html
        } else {
            Kind::Text
        }
    }
}

/// Whether `path` is a message in a Maildir: a file in its `cur/` or `new/`
/// folder (never `tmp/`, where mail is still being written), the folder beside
/// `cur/` and `new/`.
fn in_maildir(path: &Path) -> bool {
    let Some(folder) = path.parent() else {
        return false;
    };
    let name = folder.file_name().and_then(|n| n.to_str());
    if !matches!(name, Some("cur" | "new")) {
        return false;
    }
    // The files of one folder come together: the last folder found to be a
    // Maildir's is kept, so a Maildir of 20,000 messages costs two lookups. Only
    // a yes is kept: a folder that becomes a Maildir later is seen then.
    thread_local! {
        static LAST: std::cell::RefCell<Option<std::path::PathBuf>> =
            const { std::cell::RefCell::new(None) };
    }
    if LAST.with_borrow(|last| last.as_deref() == Some(folder)) {
        return true;
    }
    let yes = folder
        .parent()
        .is_some_and(|maildir| maildir.join("cur").is_dir() && maildir.join("new").is_dir());
    if yes {
        LAST.with_borrow_mut(|last| *last = Some(folder.to_path_buf()));
    }
    yes
}

/// Whether `path` is a mail file (an email, a Maildir message or a mailbox),
/// which sitrep opens only to read.
#[must_use]
pub fn is_mail(path: &Path) -> bool {
    match Kind::by_name(path) {
        Some(kind) => matches!(kind, Kind::Email | Kind::Mbox),
        None => path.extension().is_none() && is_document(path),
    }
}

/// Whether `path` is a Maildir++ sub-folder (`.Name` beside `cur/` and `new/`),
/// which is read although its name is hidden.
pub(super) fn is_maildir_folder(path: &Path) -> bool {
    path.is_dir()
        && path.join("cur").is_dir()
        && path
            .parent()
            .is_some_and(|p| p.join("cur").is_dir() && p.join("new").is_dir())
}

/// Whether a file found in a folder is one sitrep reads: by its name, or an
/// mbox without an extension (its first bytes are `From `).
#[must_use]
pub fn is_document(path: &Path) -> bool {
    if Kind::by_name(path).is_some() {
        return true;
    }
    if path.extension().is_some() {
        return false;
    }
    let mut head = [0u8; 5];
    std::fs::File::open(path)
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut head))
        .is_ok_and(|()| mail::looks_like_mbox(&head))
}

/// What a container says about its document, beside the text.
#[derive(Debug, Default)]
pub(super) struct Meta {
    /// The source, before the document's own title (a sender, a site name).
    pub(super) source: Option<String>,
    /// The source when the document has no title (a subject, a page title).
    pub(super) fallback_source: Option<String>,
    /// The date of stories whose text has none (a `Date:` header).
    pub(super) date: Option<StoryDate>,
}

pub(super) fn file_warning(
    origin: &str,
    line: Option<usize>,
    reason: &str,
    fatal: bool,
) -> Warning {
    Warning {
        file: origin.to_string(),
        path: None,
        line,
        reason: text::clean_inline(reason).into_owned(),
        fatal,
    }
}

pub(super) fn load_bytes(
    origin: &str,
    stem: &str,
    bytes: &[u8],
    kind: Option<Kind>,
    spare: String,
) -> Loaded {
    let kind = kind.unwrap_or_else(|| Kind::sniff(bytes));
    match kind {
        Kind::Email => load_message(origin, stem, bytes, spare),
        Kind::Mbox => {
            let mut loaded = Loaded {
                docs: Vec::new(),
                warnings: Vec::new(),
            };
            let mut spare = Some(spare);
            for (n, message) in mail::mbox_messages(bytes).enumerate() {
                let one = load_message(
                    &format!("{origin}, message {}", n + 1),
                    stem,
                    message,
                    spare.take().unwrap_or_default(),
                );
                loaded.docs.extend(one.docs);
                // One message lost is not the file lost.
                loaded.warnings.extend(
                    one.warnings
                        .into_iter()
                        .map(|w| Warning { fatal: false, ..w }),
                );
            }
            if loaded.docs.is_empty() {
                loaded.warnings.push(file_warning(
                    origin,
                    None,
                    "no message in this mailbox could be read",
                    true,
                ));
            }
            loaded
        }
        Kind::Text | Kind::Html => {
            // A page in a legacy charset says which.
            let declared = (kind == Kind::Html)
                .then(|| html::declared_charset(bytes))
                .flatten()
                .filter(|enc| *enc != encoding_rs::UTF_8 && std::str::from_utf8(bytes).is_err());
            let decoded = match declared {
                Some(enc) => Ok((enc.decode_without_bom_handling(bytes).0, None)),
                None => decode(bytes),
            };
            let (decoded, note) = match decoded {
                Ok(d) => d,
                Err(reason) => {
                    return Loaded {
                        docs: Vec::new(),
                        warnings: vec![file_warning(origin, None, reason, true)],
                    };
                }
            };
            let mut warnings: Vec<Warning> = note
                .map(|n| file_warning(origin, None, n, false))
                .into_iter()
                .collect();
            let (doc, more) = if kind == Kind::Html {
                let page = html::read(&decoded);
                let meta = Meta {
                    date: page.published.as_deref().and_then(published_day),
                    source: page.site.clone(),
                    fallback_source: page.title.clone(),
                };
                load_text(origin, stem, &page_text(&page), &meta, spare)
            } else {
                load_text(origin, stem, &decoded, &Meta::default(), spare)
            };
            warnings.extend(more);
            Loaded {
                docs: doc.into_iter().collect(),
                warnings,
            }
        }
    }
}

/// One email: its text part or its HTML part, never both. The text part is
/// read first; when it reads into stories with printed headlines it is kept.
/// Otherwise (a stub such as "view this email in your browser", or text whose
/// stories had to take their first sentence as headline) the HTML part is read
/// too and the one with more printed headlines kept (the text part when even).
fn load_message(origin: &str, stem: &str, bytes: &[u8], spare: String) -> Loaded {
    let mut letter = match mail::read(bytes) {
        Ok(letter) => letter,
        Err(reason) => {
            return Loaded {
                docs: Vec::new(),
                warnings: vec![file_warning(origin, None, &reason, true)],
            };
        }
    };
    let meta = Meta {
        source: letter.source.clone(),
        fallback_source: letter.subject.clone(),
        date: letter.date,
    };
    let printed = |d: &(Option<DocStories>, Vec<Warning>)| {
        d.0.as_ref().map_or(0, |(_, s, _)| {
            s.iter().filter(|s| !s.derived_headline).count()
        })
    };
    let plain = letter
        .body(mail::Body::Plain)
        .map(|t| load_text(origin, stem, &t, &meta, spare));
    let html = if plain.as_ref().is_some_and(|p| printed(p) > 0) {
        None
    } else {
        letter.body(mail::Body::Html).map(|h| {
            let page = html::read(&h);
            load_text(origin, stem, &page_text(&page), &meta, String::new())
        })
    };
    let chosen = match (plain, html) {
        (Some(p), Some(h)) => Some(if printed(&h) > printed(&p) { h } else { p }),
        (p, h) => p.or(h),
    };
    let mut warnings: Vec<Warning> = letter
        .problems
        .iter()
        .map(|p| file_warning(origin, None, p, false))
        .collect();
    let docs = if let Some((doc, more)) = chosen {
        warnings.extend(more);
        doc.into_iter().collect()
    } else {
        warnings.push(file_warning(
            origin,
            None,
            "no text or HTML part to read",
            false,
        ));
        Vec::new()
    };
    Loaded { docs, warnings }
}

/// A page's text for the story parser. An article page (a headline and a day
/// of publication, and no date paragraphs of its own) is written in the dated
/// article form, `␠date YYYY-MM-DD Headline`, with its author as a `By` line
/// when the text does not name them near the top; what stood above the
/// headline (labels, breadcrumbs) is dropped. Other pages are their paragraphs.
fn page_text(page: &html::Page) -> String {
    let mut paras: Vec<&str> = page.paras.iter().map(String::as_str).collect();
    let day = page.published.as_deref().and_then(published_day);
    let dated = paras.iter().any(|p| date::parse(p).is_some());
    let mut out = String::new();
    if let (Some(StoryDate::Day(day)), Some(headline), false) = (day, &page.headline, dated)
        && let Some(at) = paras.iter().position(|p| p == headline)
    {
        paras.drain(..=at);
        out.push_str(&format!(" date {} {headline}", day.format("%Y-%m-%d")));
        if let Some(author) = &page.author {
            let named = paras.iter().take(3).any(|p| p.contains(author.as_str()));
            if !named {
                out.push_str(&format!("\n\nBy {author}"));
            }
        }
    }
    for p in paras {
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        out.push_str(p);
    }
    out
}

/// The day of a publication time (`2025-07-30T09:00:00+01:00`, `2025-07-30`,
/// or a date as printed).
fn published_day(when: &str) -> Option<StoryDate> {
    let when = when.trim();
    if let Some(day) = when
        .get(..10)
        .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
    {
        return Some(StoryDate::Day(day));
    }
    match date::parse(when)? {
        date::DateText::Date(d) => Some(d),
        date::DateText::Impossible => None,
    }
}
