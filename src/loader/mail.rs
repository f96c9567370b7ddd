//! Email → the bodies the story parser reads. MIME (multipart, quoted-printable,
//! base64, charsets, RFC 2047 words) is done by `mailparse`, which finds the
//! parts first and decodes a part only when asked; this module picks what to
//! read and what the message says about itself.
//!
//! - An mbox file is cut into messages at its `From ` lines (each at the start
//!   of the file or after a blank line), without copying.
//! - Of a message, the text parts are read, or its HTML parts when it has no
//!   text part; with both (`multipart/alternative`) the loader reads the one
//!   that reads into more stories, never both (see `loader::load_message`).
//! - Attachments and other non-text parts are never decoded.
//! - The sender's display name (else the `List-Id` name) is the source, the
//!   subject the title, and the `Date:` header's day (as the sender wrote it)
//!   dates stories whose text has no date.

use mailparse::{DispositionType, MailHeaderMap, ParsedMail};

use crate::story::StoryDate;

/// One message, as the loader needs it; its bodies are decoded on demand.
pub struct Letter<'a> {
    mail: ParsedMail<'a>,
    /// Who sent it: display name, else the mailing list's name.
    pub source: Option<String>,
    /// The subject.
    pub subject: Option<String>,
    /// The day of the `Date:` header.
    pub date: Option<StoryDate>,
    /// Parts that could not be read well, in words (filled as bodies are read).
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

/// Reads one message's structure and headers (no body is decoded yet).
///
/// # Errors
/// A reason when the bytes are not a message at all.
pub fn read(bytes: &[u8]) -> Result<Letter<'_>, String> {
    let mail = mailparse::parse_mail(bytes).map_err(|e| format!("not a mail message: {e}"))?;
    let headers = &mail.headers;
    let subject = headers
        .get_first_value("Subject")
        .map(|s| one_line(&s))
        .filter(|s| !s.is_empty());
    let source = headers
        .get_first_header("From")
        .and_then(|h| mailparse::addrparse_header(h).ok())
        .and_then(mailparse::MailAddrList::extract_single_info)
        .and_then(|info| info.display_name)
        .map(|n| one_line(&n))
        .filter(|s| !s.is_empty())
        .or_else(|| {
            headers
                .get_first_value("List-Id")
                .and_then(|l| list_name(&l))
        });
    let date = headers.get_first_value("Date").and_then(|d| day_of(&d));
    Ok(Letter {
        mail,
        source,
        subject,
        date,
        problems: Vec::new(),
    })
}

/// The day a `Date:` header names, as the sender wrote it (their time zone).
fn day_of(value: &str) -> Option<StoryDate> {
    let value = one_line(value);
    // Comments such as `(UTC)` after the zone are common; chrono refuses them.
    let value = value.split(" (").next().unwrap_or(&value);
    let day = chrono::DateTime::parse_from_rfc2822(value)
        .map(|d| d.date_naive())
        .ok()
        .or_else(|| {
            let stamp = mailparse::dateparse(value).ok()?;
            chrono::DateTime::from_timestamp(stamp, 0).map(|d| d.date_naive())
        })?;
    Some(StoryDate::Day(day))
}

/// Which text parts a body is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Body {
    /// `text/plain`.
    Plain,
    /// `text/html`.
    Html,
}

impl Letter<'_> {
    /// The leaf parts of this kind that are not attachments, in order, with
    /// their numbers (1-based, in the message's order).
    fn parts(&self, body: Body) -> impl Iterator<Item = (usize, &ParsedMail<'_>)> {
        let want = match body {
            Body::Plain => "text/plain",
            Body::Html => "text/html",
        };
        self.mail
            .parts()
            .enumerate()
            .filter(move |(_, p)| {
                p.subparts.is_empty()
                    && p.ctype.mimetype.eq_ignore_ascii_case(want)
                    && p.get_content_disposition().disposition != DispositionType::Attachment
            })
            .map(|(i, p)| (i + 1, p))
    }

    /// The decoded text of every part of this kind, joined; `None` when there
    /// is none. Lines end in LF. A part that cannot be decoded, or whose
    /// charset is unknown, is noted in [`Letter::problems`].
    pub fn body(&mut self, body: Body) -> Option<String> {
        let mut out: Vec<String> = Vec::new();
        let mut problems = Vec::new();
        for (number, part) in self.parts(body) {
            let label = &part.ctype.charset;
            if encoding_rs::Encoding::for_label(label.as_bytes()).is_none() {
                problems.push(format!(
                    "part {number}: unknown charset {label:?}, read as UTF-8"
                ));
            }
            match part.get_body_raw() {
                Ok(mut raw) => {
                    // Mail lines end in CRLF: read as LF, so the clean-up's fast
                    // path holds. In the bytes, before the one UTF-8 check, where
                    // the charset keeps ASCII as ASCII.
                    if encoding_rs::Encoding::for_label(label.as_bytes())
                        .is_none_or(encoding_rs::Encoding::is_ascii_compatible)
                    {
                        drop_cr_before_lf(&mut raw);
                    }
                    let (text, problem) = decode(raw, label);
                    out.push(text);
                    problems.extend(problem.map(|p| format!("part {number}: {p}")));
                }
                Err(e) => problems.push(format!("part {number}: cannot be decoded ({e})")),
            }
        }
        // A multipart message whose boundary never comes has no parts: its
        // body is read as text, so nothing in it is lost.
        let lost_boundary =
            self.mail.ctype.mimetype.starts_with("multipart/") && self.mail.subparts.is_empty();
        if body == Body::Plain && out.is_empty() && lost_boundary {
            let all = self.mail.raw_bytes;
            let start = mailparse::parse_headers(all).map_or(all.len(), |(_, at)| at);
            let raw = &all[start.min(all.len())..];
            if !raw.iter().all(u8::is_ascii_whitespace) {
                // Without the stray boundary and part header lines.
                let text = String::from_utf8_lossy(raw);
                let kept: Vec<&str> = text
                    .lines()
                    .filter(|l| {
                        let l = l.trim_end();
                        let boundary = l.starts_with("--") && !l.contains(' ') && l.len() > 2;
                        let header = l.len() > 8
                            && l[..8].eq_ignore_ascii_case("content-")
                            && l.contains(':');
                        !boundary && !header
                    })
                    .collect();
                out.push(kept.join("\n"));
                problems.push("its MIME boundary was not found; read as plain text".to_string());
            }
        }
        self.problems.extend(problems);
        if out.is_empty() {
            return None;
        }
        let joined = if out.len() == 1 {
            out.pop().unwrap_or_default()
        } else {
            out.join("\n\n")
        };
        // A charset that is not ASCII-based had its CRs kept until now.
        if memchr::memchr(b'\r', joined.as_bytes()).is_none() {
            return Some(joined);
        }
        let mut bytes = joined.into_bytes();
        drop_cr_before_lf(&mut bytes);
        // Only ASCII CRs were taken out of valid UTF-8.
        Some(String::from_utf8(bytes).unwrap_or_default())
    }
}

/// A part's bytes as text in its charset. UTF-8 is taken as UTF-8 whatever the
/// label says (a missing label reads as `us-ascii`); an unknown label is read
/// as UTF-8. The bytes become the text without a copy when they are UTF-8.
fn decode(raw: Vec<u8>, label: &str) -> (String, Option<String>) {
    let known = encoding_rs::Encoding::for_label(label.as_bytes());
    let raw = match String::from_utf8(raw) {
        Ok(text) => {
            // Pure ASCII and UTF-8 read the same in every ASCII-based charset.
            return match known {
                Some(enc)
                    if enc != encoding_rs::UTF_8
                        && enc != encoding_rs::WINDOWS_1252
                        && !text.is_ascii() =>
                {
                    (
                        enc.decode_without_bom_handling(text.as_bytes())
                            .0
                            .into_owned(),
                        None,
                    )
                }
                _ => (text, None),
            };
        }
        Err(e) => e.into_bytes(),
    };
    match known {
        Some(enc) if enc != encoding_rs::UTF_8 => {
            (enc.decode_without_bom_handling(&raw).0.into_owned(), None)
        }
        Some(_) => (
            String::from_utf8_lossy(&raw).into_owned(),
            Some("invalid UTF-8 replaced with \u{fffd}".to_string()),
        ),
        None => (String::from_utf8_lossy(&raw).into_owned(), None),
    }
}

/// Removes every CR that ends a line (CRLF → LF), in place.
fn drop_cr_before_lf(bytes: &mut Vec<u8>) {
    if memchr::memchr(b'\r', bytes).is_none() {
        return;
    }
    let crs: Vec<usize> = memchr::memmem::find_iter(bytes, b"\r\n").collect();
    let mut write = 0;
    let mut read = 0;
    for cr in crs {
        bytes.copy_within(read..cr, write);
        write += cr - read;
        read = cr + 1;
    }
    let end = bytes.len();
    bytes.copy_within(read..end, write);
    bytes.truncate(write + end - read);
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
