//! `sitrep bookmarks`: list, export, remove and note, without the reader.

use std::io::{self, Write};
use std::path::Path;

use anyhow::Result;

use crate::store::bookmarks::{Bookmark, Change, Opened, Store};
use crate::story::{Library, StoryDate};
use crate::{config, paths, text};

use super::load::{print_notice, summarise_warnings};
use super::output::{cell, cut, fit_headlines, pad};
use super::show::find_by_id;
use super::{BookmarksAction, BookmarksArgs, ExportFormat, load_or_library, write_json};

/// `sitrep bookmarks …`. Store notices go to `err` as `sitrep: <notice>`; problems
/// with a bookmark or the store are one line on `err` and exit code 1.
pub(super) fn run(
    args: &BookmarksArgs,
    config_dir: Option<&Path>,
    settings: &config::Config,
    width: Option<usize>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<i32> {
    let dir = paths::config_dir(config_dir)?;
    let input = match &args.action {
        Some(BookmarksAction::Remove { id }) => {
            return remove_bookmark(Store::open(&dir), id, out, err);
        }
        Some(BookmarksAction::Export { input, format, .. }) => Some((input, *format)),
        None => None,
    };
    // Listing only reads: a damaged file is reported, not moved.
    let (list, notice) = Store::inspect(&dir);
    print_notice(err, notice.as_deref())?;
    if args.json {
        write_json(out, &list)?;
    } else if list.is_empty() {
        if notice.is_none() {
            writeln!(err, "sitrep: no bookmarks yet — press b in the reader")?;
        }
    } else if let Some((input, format)) = input {
        let lib = load_or_library(&input.paths, settings)?;
        match format {
            ExportFormat::Markdown => write_markdown(out, &lib, &list)?,
            ExportFormat::Csv => write_csv(out, &lib, &list)?,
        }
        summarise_warnings(err, &lib)?;
    } else {
        write_bookmark_table(out, &list, width)?;
    }
    Ok(0)
}

/// `sitrep bookmarks remove ID`, through [`Store::apply`] so that other running
/// sitreps' changes are kept.
pub(super) fn remove_bookmark(
    opened: Opened,
    id: &str,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<i32> {
    let Opened {
        mut store,
        bookmarks,
        notice,
    } = opened;
    let bookmark = match find_by_id(&bookmarks, |b| b.id, id, "bookmark", "sitrep bookmarks") {
        Ok(b) => b,
        Err(e) => {
            print_notice(err, notice.as_deref())?;
            writeln!(err, "sitrep: {e}")?;
            return Ok(1);
        }
    };
    match store.apply(&Change::Remove(bookmark.id)) {
        Ok(_) => {
            print_notice(err, notice.as_deref())?;
            print_notice(err, store.take_notice().as_deref())?;
            writeln!(
                out,
                "removed {}  {}",
                bookmark.id,
                text::clean_inline(&bookmark.headline)
            )?;
            Ok(0)
        }
        Err(e) => {
            tracing::warn!(error = %e, "bookmark save failed");
            // A read-only store already gave this reason as the notice: say it once.
            let reason = e.to_string();
            if notice.as_deref() != Some(reason.as_str()) {
                print_notice(err, notice.as_deref())?;
            }
            print_notice(err, Some(&reason))?;
            Ok(1)
        }
    }
}

/// Writes the `ID  ADDED  DATE  HEADLINE  NOTE` table. Every field is cleaned: the
/// bookmarks file is not trusted to be free of control characters.
///
/// # Errors
/// When writing fails.
pub fn write_bookmark_table(
    out: &mut dyn Write,
    list: &[Bookmark],
    width: Option<usize>,
) -> io::Result<()> {
    const NOTE_MAX: usize = 60;
    let headlines: Vec<_> = list
        .iter()
        .map(|b| text::clean_inline(&b.headline))
        .collect();
    // ID, added, date and the gaps after them, and before the note.
    let fixed = 16 + 2 + 10 + 2 + 10 + 2 + 2;
    let (col, room) = fit_headlines(fixed, headlines.iter().map(AsRef::as_ref), width);
    let room = Some(room.unwrap_or(NOTE_MAX).min(NOTE_MAX));
    writeln!(
        out,
        "{:<16}  {:<10}  {:<10}  {}  NOTE",
        "ID",
        "ADDED",
        "DATE",
        pad("HEADLINE", col)
    )?;
    for (b, headline) in list.iter().zip(&headlines) {
        let date = b.date.as_deref().map_or("-".into(), text::clean_inline);
        let line = format!(
            "{}  {}  {}  {}  {}",
            b.id,
            b.added.format("%Y-%m-%d"),
            cell(&date, 10),
            cell(headline, col),
            cut(&text::clean_inline(&b.note), room)
        );
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

/// A bookmark as exported: from its story when that is loaded, else as saved.
struct Exported<'a> {
    story: Option<&'a crate::story::Story>,
    headline: &'a str,
    source: &'a str,
    origin: &'a str,
    date: StoryDate,
}

impl<'a> Exported<'a> {
    fn of(lib: &'a Library, b: &'a Bookmark) -> Self {
        let story = lib.find(b.id);
        Exported {
            story,
            headline: story.map_or(b.headline.as_str(), |s| lib.headline(s)),
            source: story.map_or(b.source.as_str(), |s| lib.source(s)),
            origin: story.map_or(b.origin.as_str(), |s| lib.origin(s)),
            date: story.map_or_else(|| StoryDate::from_iso(b.date.as_deref()), |s| s.date),
        }
    }
}

/// Writes the bookmarks as a Markdown follow-up list: per bookmark a `##` heading,
/// date · source, the note, the story's first paragraph when `lib` has the story
/// (else "(story not loaded)"), and the origin and id.
///
/// # Errors
/// When writing fails.
pub fn write_markdown(out: &mut dyn Write, lib: &Library, list: &[Bookmark]) -> io::Result<()> {
    writeln!(out, "# Bookmarked updates")?;
    for b in list {
        let Exported {
            story,
            headline,
            source,
            origin,
            date,
        } = Exported::of(lib, b);
        let heading = md_line(headline);
        let heading = if heading.is_empty() {
            "(no headline)".into()
        } else {
            heading
        };
        writeln!(out, "\n## {heading}\n")?;
        if source.trim().is_empty() {
            writeln!(out, "{date}")?;
        } else {
            writeln!(out, "{date} · {}", md_line(source))?;
        }
        if !b.note.trim().is_empty() {
            writeln!(out, "\n**Note:** {}", md_line(&b.note))?;
        }
        writeln!(out)?;
        match story.and_then(|s| lib.paragraphs(s).next()) {
            Some(para) => {
                for line in text::clean(para)
                    .split('\n')
                    .filter(|l| !l.trim().is_empty())
                {
                    match line.trim_start().strip_prefix('•') {
                        Some(item) => writeln!(out, "- {}", md_line(item))?,
                        None => writeln!(out, "{}", md_line(line))?,
                    }
                }
            }
            None if story.is_some() => writeln!(out, "(no text)")?,
            None => writeln!(out, "(story not loaded)")?,
        }
        writeln!(out, "\nFrom {} · id {}", md_line(origin), b.id)?;
    }
    Ok(())
}

/// Writes the bookmarks as CSV: a header row, then per bookmark its id, date
/// (`YYYY-MM-DD`, `YYYY-MM` or empty), headline, source, note, the story's first
/// paragraph (empty when the story is not loaded) and origin. Text is cleaned of
/// control characters; a cell that a spreadsheet would run as a formula
/// (starting with `=`, `+`, `-`, `@`) gets a leading `'`.
///
/// # Errors
/// When writing fails.
pub fn write_csv(out: &mut dyn Write, lib: &Library, list: &[Bookmark]) -> io::Result<()> {
    let mut csv = csv::Writer::from_writer(out);
    let cell = |s: &str| {
        let clean = text::clean(s).trim().to_string();
        if clean.starts_with(['=', '+', '-', '@']) {
            format!("'{clean}")
        } else {
            clean
        }
    };
    csv.write_record([
        "id",
        "date",
        "headline",
        "source",
        "note",
        "first_paragraph",
        "origin",
    ])?;
    for b in list {
        let Exported {
            story,
            headline,
            source,
            origin,
            date,
        } = Exported::of(lib, b);
        let first = story.and_then(|s| lib.paragraphs(s).next()).unwrap_or("");
        csv.write_record([
            b.id.to_string(),
            date.iso().unwrap_or_default(),
            cell(headline),
            cell(source),
            cell(&b.note),
            cell(first),
            cell(origin),
        ])?;
    }
    csv.flush()
}

/// `s` as one line of Markdown text that reads as itself: cleaned (no control
/// characters, newlines and tabs as spaces), trimmed, inline markup characters
/// escaped, and a line start that would begin a heading, quote, list, table or
/// setext underline escaped.
pub(super) fn md_line(s: &str) -> String {
    let cleaned = text::clean_inline(s);
    let line = cleaned.trim();
    let mut out = String::with_capacity(line.len() + 8);
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    for (i, c) in line.char_indices() {
        let starts_block = i == 0 && matches!(c, '#' | '>' | '-' | '+' | '=' | '|');
        let ends_number = i == digits && i > 0 && matches!(c, '.' | ')');
        if starts_block
            || ends_number
            || matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '~')
        {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
