//! Command-line arguments (clap) and the non-interactive commands: `list`, `show`,
//! `check`. Output goes to a writer so tests can read it; nothing here touches the
//! terminal UI.

use std::io::{self, Write};
use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use clap::{Args, Parser, Subcommand};
use serde::Serialize;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::filter::{Hit, Matcher, Query};
use crate::loader;
use crate::story::{Library, Story, StoryId};
use crate::text;

/// A terminal reader for health and care sector updates.
///
/// With no command, opens the reader on PATHs (folders are read recursively for
/// .txt files), or on the bundled sample stories when no PATH is given.
#[derive(Debug, Parser)]
#[command(version, about, args_conflicts_with_subcommands = true)]
pub struct Cli {
    /// Files or folders of updates to read (default: the bundled samples).
    pub paths: Vec<PathBuf>,
    /// Where bookmarks are kept (default: $SITREP_CONFIG_DIR, else the user config dir).
    #[arg(long, global = true, value_name = "DIR")]
    pub config_dir: Option<PathBuf>,
    /// Do not capture the mouse in the reader.
    #[arg(long)]
    pub no_mouse: bool,
    /// A non-interactive command instead of the reader.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The non-interactive commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print every story, newest first.
    List {
        /// One JSON array instead of a table.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        input: Input,
    },
    /// Print one story as plain text (pipe it to `less`).
    Show {
        /// The story id (from `list`), or a unique prefix of it.
        id: String,
        /// Wrap the text at this many columns.
        #[arg(long, default_value_t = 80)]
        width: usize,
        #[command(flatten)]
        input: Input,
    },
    /// Print the stories matching QUERY, best first (like `fzf --filter`).
    ///
    /// Terms must all match; 'term matches exactly, !term excludes; a term with
    /// capitals is case-sensitive.
    Filter {
        /// The filter query.
        query: String,
        /// One JSON array (the `list --json` objects plus `score`).
        #[arg(long)]
        json: bool,
        /// Print at most N matches.
        #[arg(long, value_name = "N")]
        limit: Option<usize>,
        #[command(flatten)]
        input: Input,
    },
    /// Report every file that did not load cleanly.
    Check {
        #[command(flatten)]
        input: Input,
    },
}

/// Where the stories come from.
#[derive(Debug, Args)]
pub struct Input {
    /// Files or folders (default: the bundled samples).
    pub paths: Vec<PathBuf>,
}

/// Loads the bundled library when `paths` is empty, else the given paths.
///
/// # Errors
/// When a path does not exist.
pub fn load(paths: &[PathBuf]) -> Result<Library> {
    if paths.is_empty() {
        return Ok(loader::load_bundled());
    }
    for p in paths {
        std::fs::symlink_metadata(p)
            .with_context(|| format!("cannot read {}", text::clean_inline(&p.to_string_lossy())))?;
    }
    Ok(loader::load_paths(paths, &|_, _| {}))
}

/// Runs a non-interactive command, writing to `out`; returns the exit code.
///
/// # Errors
/// On unreadable input paths or when writing fails.
pub fn run(command: &Command, out: &mut dyn Write, err: &mut dyn Write) -> Result<i32> {
    match command {
        Command::List { json, input } => {
            let lib = load(&input.paths)?;
            if *json {
                let all: Vec<StoryJson<'_>> = lib
                    .stories
                    .iter()
                    .map(|s| StoryJson::new(&lib, s, None))
                    .collect();
                write_json(out, &all)?;
            } else {
                write_table(out, &lib, lib.stories.iter())?;
            }
            summarise_warnings(err, &lib)?;
            Ok(0)
        }
        Command::Show { id, width, input } => {
            let lib = load(&input.paths)?;
            let story = find(&lib, id)?;
            write_story(out, &lib, story, (*width).max(20))?;
            Ok(0)
        }
        Command::Filter {
            query,
            json,
            limit,
            input,
        } => {
            let lib = load(&input.paths)?;
            let query = Query::parse(query);
            let mut hits = Matcher::new().rank(&lib, &query, 0..story_count(&lib));
            hits.truncate(limit.unwrap_or(usize::MAX));
            let story = |h: &Hit| &lib.stories[h.story as usize];
            if *json {
                let all: Vec<StoryJson<'_>> = hits
                    .iter()
                    .map(|h| StoryJson::new(&lib, story(h), Some(h.score)))
                    .collect();
                write_json(out, &all)?;
            } else if !hits.is_empty() {
                write_table(out, &lib, hits.iter().map(story))?;
            }
            summarise_warnings(err, &lib)?;
            Ok(i32::from(hits.is_empty()))
        }
        Command::Check { input } => {
            let lib = load(&input.paths)?;
            for w in &lib.warnings {
                writeln!(out, "{w}")?;
            }
            writeln!(
                out,
                "{} files, {} stories, {} warnings",
                lib.files,
                lib.stories.len(),
                lib.warnings.len()
            )?;
            Ok(i32::from(lib.fatal_count() > 0))
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
    let wanted = id.trim().to_ascii_lowercase();
    let shown = text::clean_inline(id);
    if wanted.is_empty() || !wanted.bytes().all(|b| b.is_ascii_hexdigit()) {
        bail!("not a story id: {shown:?} (ids are hex, as printed by `sitrep list`)");
    }
    let mut hits = lib
        .stories
        .iter()
        .filter(|s| s.id.to_string().starts_with(&wanted));
    match (hits.next(), hits.next()) {
        (Some(s), None) => Ok(s),
        (None, _) => bail!("no story with id {shown}"),
        (Some(_), Some(_)) => bail!("more than one story id starts with {shown}; give more digits"),
    }
}

fn summarise_warnings(err: &mut dyn Write, lib: &Library) -> io::Result<()> {
    if !lib.warnings.is_empty() {
        writeln!(
            err,
            "sitrep: {} warnings while loading; `sitrep check` lists them",
            lib.warnings.len()
        )?;
    }
    Ok(())
}

/// A story as printed by `list --json` (and `filter --json`, with `score`).
#[derive(Debug, Serialize)]
pub struct StoryJson<'a> {
    id: StoryId,
    date: Option<String>,
    headline: &'a str,
    byline: Option<&'a str>,
    source: &'a str,
    origin: &'a str,
    paragraphs: Vec<&'a str>,
    derived_headline: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    score: Option<i64>,
}

impl<'a> StoryJson<'a> {
    /// Builds the JSON view of `story`.
    #[must_use]
    pub fn new(lib: &'a Library, story: &Story, score: Option<i64>) -> Self {
        StoryJson {
            id: story.id,
            date: story.date.iso(),
            headline: lib.headline(story),
            byline: lib.byline(story),
            source: lib.source(story),
            origin: lib.origin(story),
            paragraphs: lib.paragraphs(story).collect(),
            derived_headline: story.derived_headline,
            score,
        }
    }
}

/// Writes `value` as pretty JSON plus a newline.
///
/// # Errors
/// When writing fails.
pub fn write_json<T: Serialize>(out: &mut dyn Write, value: &T) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    writeln!(out)
}

/// Cuts `s` to at most `width` columns, ending with `…` when cut.
#[must_use]
pub fn truncate(s: &str, width: usize) -> String {
    if s.width() <= width {
        return s.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    out
}

fn pad(s: &str, width: usize) -> String {
    let mut out = s.to_string();
    out.extend(std::iter::repeat_n(' ', width.saturating_sub(s.width())));
    out
}

/// Writes the `ID  DATE  HEADLINE  SOURCE` table.
///
/// # Errors
/// When writing fails.
pub fn write_table<'a>(
    out: &mut dyn Write,
    lib: &Library,
    stories: impl Iterator<Item = &'a Story> + Clone,
) -> io::Result<()> {
    const MAX: usize = 72;
    let col = stories
        .clone()
        .map(|s| lib.headline(s).width().min(MAX))
        .max()
        .unwrap_or(8)
        .max(8);
    writeln!(
        out,
        "{:<16}  {:<10}  {}  SOURCE",
        "ID",
        "DATE",
        pad("HEADLINE", col)
    )?;
    for s in stories {
        let headline = truncate(&lib.headline(s).replace('\t', " "), col);
        writeln!(
            out,
            "{}  {:<10}  {}  {}",
            s.id,
            s.date.iso().unwrap_or_else(|| "-".into()),
            pad(&headline, col),
            lib.source(s)
        )?;
    }
    Ok(())
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
    for line in textwrap::wrap(lib.headline(story), width) {
        writeln!(out, "{line}")?;
    }
    let mut meta = vec![story.date.to_string(), lib.source(story).to_string()];
    meta.extend(lib.byline(story).map(str::to_string));
    writeln!(out, "{}", meta.join(" · "))?;
    writeln!(out, "{} · {}", story.id, lib.origin(story))?;
    for p in lib.paragraphs(story) {
        writeln!(out)?;
        for line in p.split('\n') {
            let indent = if line.starts_with('•') { "  " } else { "" };
            let opts = textwrap::Options::new(width).subsequent_indent(indent);
            for l in textwrap::wrap(line, opts) {
                writeln!(out, "{l}")?;
            }
        }
    }
    Ok(())
}
