//! `sitrep show ID`: one story as wrapped text, and finding stories by id.

use std::io::{self, Write};

use anyhow::{Result, bail};

use crate::page::LineKind;
use crate::story::{Library, Story, StoryId};
use crate::{config, text};

use super::{Input, load_or_library};

/// `sitrep show`: the story `id` names, or why none.
pub(super) fn run(
    id: &str,
    width: usize,
    input: &Input,
    settings: &config::Config,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<i32> {
    let lib = load_or_library(&input.paths, settings)?;
    match find(&lib, id) {
        Ok(story) => {
            write_story(out, &lib, story, width)?;
            Ok(0)
        }
        Err(e) => {
            writeln!(err, "sitrep: {e}")?;
            Ok(1)
        }
    }
}

/// Number of stories, as the `u32` indices the matcher uses.
#[must_use]
pub fn story_count(lib: &Library) -> u32 {
    u32::try_from(lib.stories.len()).unwrap_or(u32::MAX)
}

/// Finds a story by full id or unique prefix.
///
/// # Errors
/// When no story, or more than one, has that id.
pub fn find<'a>(lib: &'a Library, id: &str) -> Result<&'a Story> {
    find_by_id(&lib.stories, |s| s.id, id, "story", "sitrep list")
}

/// Finds the one item of `items` whose id is `id` or starts with it. `noun` names
/// the items and `lister` the command that prints their ids, for the error text.
///
/// # Errors
/// When `id` is not hex, or no item, or more than one, has that id.
pub(super) fn find_by_id<'a, T>(
    items: &'a [T],
    id_of: impl Fn(&T) -> StoryId,
    id: &str,
    noun: &str,
    lister: &str,
) -> Result<&'a T> {
    let wanted = id.trim().to_ascii_lowercase();
    let shown = text::clean_inline(id);
    if wanted.is_empty() || !wanted.bytes().all(|b| b.is_ascii_hexdigit()) {
        bail!("not a {noun} id: {shown:?} (ids are hex, as printed by `{lister}`)");
    }
    let mut hits = items
        .iter()
        .filter(|item| id_of(item).to_string().starts_with(&wanted));
    match (hits.next(), hits.next()) {
        (Some(item), None) => Ok(item),
        (None, _) => bail!("no {noun} with id {shown}"),
        (Some(_), Some(_)) => {
            bail!("more than one {noun} id starts with {shown}; give more digits")
        }
    }
}

/// Writes one story as wrapped plain text.
///
/// # Errors
/// When writing fails.
pub fn write_story(
    out: &mut dyn Write,
    lib: &Library,
    story: &Story,
    width: usize,
) -> io::Result<()> {
    // The same page the reader shows, whole, plus a line with the id and
    // origin under the head; written as it is wrapped.
    let id_line = |out: &mut dyn Write| writeln!(out, "{} · {}", story.id, lib.origin(story));
    let mut head = true;
    let mut failed = None;
    crate::page::each_line(lib, Some(story), None, width, "·", &mut |line| {
        let mut write = || {
            if head && !matches!(line.kind, LineKind::Headline | LineKind::Meta) {
                head = false;
                id_line(out)?;
            }
            writeln!(out, "{}", line.text)
        };
        failed = write().err();
        failed.is_none()
    });
    if let Some(e) = failed {
        return Err(e);
    }
    if head {
        id_line(out)?;
    }
    Ok(())
}
