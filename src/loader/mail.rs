//! Email → the bodies the story parser reads. MIME (multipart, quoted-printable,
//! base64, charsets, RFC 2047 words) is done by `mail-parser`; this module picks
//! what to read and what the message says about itself.
//!
//! - An mbox file is cut into messages at its `From ` lines (each at the start
//!   of the file or after a blank line), without copying.
//! - Of a message, the text parts are read, or its HTML parts when it has no
//!   text part; when it has both (`multipart/alternative`), both are offered
//!   and the caller keeps the one that reads into more stories, never both.
//! - Attachments and other non-text parts are never read as text.
//! - The sender's display name (else the `List-Id` name) is the source, the
//!   subject the title, and the `Date:` header's day dates stories whose text
//!   has no date.

use mail_parser::{MessageParser, MimeHeaders, PartType};

use crate::story::StoryDate;

/// One message, as the loader needs it.
#[derive(Debug, Default)]
pub struct Letter {
    /// The text bodies to read (several text parts are joined).
    pub plain: Option<String>,
    /// The HTML bodies, joined.
    pub html: Option<String>,
    /// Who sent it: display name, else the mailing list's name.
    pub source: Option<String>,
    /// The subject.
    pub subject: Option<String>,
    /// The day of the `Date:` header.
    pub date: Option<StoryDate>,
    /// Parts that could not be read well, in words.
    pub problems: Vec<String>,
}

/// Whether bytes look like an email: the first line is a header field that
/// every mail carries (`Received:`, `From:`, `Date:`, `Subject:`, …).
#[must_use]
pub fn looks_like_email(bytes: &[u8]) -> bool {
    let first = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
    let Some(colon) = memchr::memchr(b':', first) else {
        return false;
    };
    let name = first[..colon].to_ascii_lowercase();
    [
        &b"received"[..],
        b"return-path",
        b"from",
        b"date",
        b"subject",
        b"to",
        b"message-id",
        b"mime-version",
        b"delivered-to",
        b"x-mailer",
        b"reply-to",
        b"sender",
        b"list-id",
        b"content-type",
        b"dkim-signature",
        b"arc-seal",
        b"authentication-results",
    ]
    .contains(&name.as_slice())
}

/// Whether bytes are an mbox: they start with a `From ` line.
#[must_use]
pub fn looks_like_mbox(bytes: &[u8]) -> bool {
    bytes.starts_with(b"From ")
}

/// The messages of an mbox, each without its `From ` line.
pub fn mbox_messages(bytes: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut rest = bytes;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        // Skip the `From ` line of this message.
        let body_start = if rest.starts_with(b"From ") {
            memchr::memchr(b'\n', rest).map_or(rest.len(), |i| i + 1)
        } else {
            0
        };
        let body = &rest[body_start..];
        // The next message starts at a `From ` line after a blank line.
        let end = memchr::memmem::find_iter(body, b"\n\nFrom ")
            .map(|i| i + 2)
            .find(|&i| is_from_line(&body[i..]))
            .unwrap_or(body.len());
        let message = &body[..end];
        rest = &body[end..];
        Some(message)
    })
}

/// Whether the line that `bytes` starts with is an mbox `From ` line: `From
/// sender date`, where the date has a time (`Thu Jan  1 10:00:00 2026`). A
/// body line that merely starts with `From ` was escaped as `>From ` by the
/// mail system; one that was not still has no time in it.
fn is_from_line(bytes: &[u8]) -> bool {
    let line = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
    line.starts_with(b"From ")
        && line.split(|&b| b == b' ').filter(|w| !w.is_empty()).count() >= 4
        && line
            .windows(3)
            .any(|w| w[0].is_ascii_digit() && w[1] == b':' && w[2].is_ascii_digit())
}

/// Reads one message.
///
/// # Errors
/// A reason when the bytes are not a message at all.
pub fn read(bytes: &[u8]) -> Result<Letter, String> {
    let message = MessageParser::default()
        .parse(bytes)
        .filter(|m| !m.headers().is_empty() || !m.parts.is_empty())
        .ok_or_else(|| "not a mail message".to_string())?;
    let mut letter = Letter {
        subject: message.subject().map(one_line).filter(|s| !s.is_empty()),
        ..Letter::default()
    };
    letter.source = message
        .from()
        .and_then(|from| from.first())
        .and_then(|a| a.name())
        .map(one_line)
        .filter(|s| !s.is_empty())
        .or_else(|| message.header_raw("List-Id").and_then(list_name));
    letter.date = message.date().and_then(|d| {
        chrono::NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day))
            .map(StoryDate::Day)
    });
    let mut plain = Vec::new();
    let mut html = Vec::new();
    for (i, part) in message.parts.iter().enumerate() {
        let number = i + 1;
        if let Some(charset) = part.content_type().and_then(|c| c.attribute("charset"))
            && encoding_rs::Encoding::for_label(charset.as_bytes()).is_none()
        {
            letter.problems.push(format!(
                "part {number}: unknown charset {charset:?}, read as UTF-8"
            ));
        }
        let attached = part
            .content_disposition()
            .is_some_and(|d| d.ctype().eq_ignore_ascii_case("attachment"));
        if attached {
            continue;
        }
        match &part.body {
            PartType::Text(t)
                if message
                    .text_body
                    .contains(&(u32::try_from(i).unwrap_or(u32::MAX))) =>
            {
                plain.push(t.as_ref());
            }
            PartType::Html(h)
                if message
                    .html_body
                    .contains(&(u32::try_from(i).unwrap_or(u32::MAX))) =>
            {
                html.push(h.as_ref());
            }
            _ => {}
        }
        if part.is_encoding_problem {
            letter.problems.push(format!(
                "part {number}: its encoding is damaged; read as well as possible"
            ));
        }
    }
    letter.plain = (!plain.is_empty()).then(|| plain.join("\n\n"));
    letter.html = (!html.is_empty()).then(|| html.join("\n"));
    if letter.plain.is_none() && letter.html.is_none() {
        letter
            .problems
            .push("no text or HTML part to read".to_string());
    }
    Ok(letter)
}

/// A header value on one line, spaces collapsed.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The name of a mailing list from `List-Id: "Name" <id>` or `Name <id>`, else
/// its id.
fn list_name(raw: &str) -> Option<String> {
    let raw = raw.trim();
    let name = match raw.find('<') {
        Some(0) => raw.trim_start_matches('<').trim_end_matches('>'),
        Some(i) => raw[..i].trim().trim_matches('"'),
        None => raw,
    };
    Some(one_line(name)).filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests;
