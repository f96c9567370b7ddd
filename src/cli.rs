//! Command-line arguments (clap) and the non-interactive commands: `list`, `show`,
//! `filter`, `check`, `bookmarks`, `config`, `completions` and `man`. Output goes
//! to a writer so tests can read it; nothing here touches the terminal UI.

use std::fmt::Write as _;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::{Args, CommandFactory, Parser, Subcommand};
use serde::Serialize;

use crate::bookmarks::{Bookmark, Change, Opened, Store};
use crate::page::LineKind;
use crate::search::{Hit, Matcher, Query};
use crate::story::{Library, Story, StoryDate, StoryId};
use crate::text::truncate;
use crate::{config, loader, paths, text};

/// A terminal reader for health and care sector updates.
///
/// With no command, opens the reader on PATHs (folders are read recursively for
/// .txt files), or when no PATH is given on the library folders set in
/// config.toml, else on the bundled sample stories.
#[derive(Debug, Parser)]
// Not `args_conflicts_with_subcommands`: that would read `sitrep --config-dir DIR
// bookmarks` as the reader on a path named "bookmarks". A first PATH that is not a
// command name still starts the reader, and later PATHs are never commands.
#[command(version, about)]
pub struct Cli {
    /// Files or folders of updates to read (default: `library` in config.toml, else
    /// the bundled samples).
    pub paths: Vec<PathBuf>,
    /// Where config.toml and bookmarks are kept (default: $SITREP_CONFIG_DIR, else
    /// the user config dir).
    #[arg(long, global = true, value_name = "DIR")]
    pub config_dir: Option<PathBuf>,
    /// Do not capture the mouse in the reader.
    #[arg(long)]
    pub no_mouse: bool,
    /// Do not watch the folders for new or changed documents.
    #[arg(long)]
    pub no_watch: bool,
    /// Write diagnostics to sitrep.log in the state directory (level from
    /// $SITREP_LOG, default info; $SITREP_LOG alone turns it on too).
    #[arg(long, global = true)]
    pub log: bool,
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
        /// Wrap the text at this many columns (20 or more).
        #[arg(long, default_value_t = 80, value_parser = clap::value_parser!(u16).range(20..))]
        width: u16,
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
    /// List, export or remove bookmarks (press b in the reader to add one).
    ///
    /// With no subcommand, lists the bookmarks, most recently added first. They are
    /// kept in bookmarks.json in the config directory (--config-dir, else
    /// $SITREP_CONFIG_DIR, else the user config dir).
    Bookmarks(BookmarksArgs),
    /// Where the config file is, or a default one to start from.
    ///
    /// config.toml in the config directory sets the folders read when no PATH is
    /// given (`library`), key bindings (`[keys]`) and colours (`[colors]`).
    Config {
        /// What to print.
        #[command(subcommand)]
        action: ConfigAction,
    },
    /// Print a shell completion script (e.g. `sitrep completions bash >
    /// ~/.local/share/bash-completion/completions/sitrep`).
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the man page (e.g. `sitrep man > ~/.local/share/man/man1/sitrep.1`).
    Man,
}

/// The `sitrep config` subcommands.
#[derive(Debug, Subcommand)]
pub enum ConfigAction {
    /// Print the path of config.toml (it need not exist).
    Path,
    /// Print a commented config file with every setting at its default.
    Default,
}

/// `sitrep bookmarks`: the list options, or a subcommand.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct BookmarksArgs {
    /// One JSON array of the bookmarks as stored, instead of a table.
    #[arg(long)]
    pub json: bool,
    /// What to do instead of listing.
    #[command(subcommand)]
    pub action: Option<BookmarksAction>,
}

/// The `sitrep bookmarks` subcommands.
#[derive(Debug, Subcommand)]
pub enum BookmarksAction {
    /// Print the bookmarks as a Markdown follow-up list (for an email or a ticket).
    ///
    /// Each bookmark gets its headline, date and source, note, the story's first
    /// paragraph (when the story is among the loaded stories) and where it came from.
    Export {
        /// Markdown output (the default and, for now, the only format).
        #[arg(long)]
        markdown: bool,
        #[command(flatten)]
        input: Input,
    },
    /// Remove one bookmark.
    Remove {
        /// The bookmark id (from `sitrep bookmarks`), or a unique prefix of it.
        id: String,
    },
}

impl Command {
    /// The command's name and how many paths it was given, for the log.
    #[must_use]
    pub fn describe(&self) -> (&'static str, usize) {
        match self {
            Command::List { input, .. } => ("list", input.paths.len()),
            Command::Show { input, .. } => ("show", input.paths.len()),
            Command::Filter { input, .. } => ("filter", input.paths.len()),
            Command::Check { input } => ("check", input.paths.len()),
            Command::Bookmarks(args) => match &args.action {
                Some(BookmarksAction::Export { input, .. }) => ("bookmarks", input.paths.len()),
                _ => ("bookmarks", 0),
            },
            Command::Config { .. } => ("config", 0),
            Command::Completions { .. } => ("completions", 0),
            Command::Man => ("man", 0),
        }
    }
}

/// Where the stories come from.
#[derive(Debug, Args)]
pub struct Input {
    /// Files or folders (default: `library` in config.toml, else the bundled
    /// samples).
    pub paths: Vec<PathBuf>,
}

/// Loads the bundled library when `paths` is empty, else the given paths.
///
/// # Errors
/// When a path does not exist.
pub fn load(paths: &[PathBuf]) -> Result<Library> {
    load_where(paths, None)
}

/// [`load`], keeping of each file only what `keep` names, when given (see
/// [`loader::load_paths_where`]); the bundled samples are kept whole.
///
/// # Errors
/// When a path does not exist.
pub fn load_where(
    paths: &[PathBuf],
    keep: Option<&(dyn Fn(&Library) -> loader::Keep + Sync)>,
) -> Result<Library> {
    if paths.is_empty() {
        return Ok(loader::load_bundled());
    }
    check_paths(paths)?;
    let tty = io::stderr().is_terminal();
    // Reports come from several threads, not always in order: once the line is
    // cleared at the end, a late one must not write it again.
    let cleared = std::sync::Mutex::new(false);
    let progress = |done: usize, total: Option<usize>| {
        // Only on a terminal, and only for loads big enough to notice.
        let big = total.unwrap_or(done) >= 2000;
        if !tty || !big || !(done.is_multiple_of(500) || Some(done) == total) {
            return;
        }
        let Ok(mut cleared) = cleared.lock() else {
            return;
        };
        if *cleared {
            return;
        }
        let mut err = io::stderr().lock();
        let _ = match total {
            Some(total) => write!(err, "\rsitrep: loading {done}/{total} files"),
            None => write!(err, "\rsitrep: loading {done} files"),
        };
        if Some(done) == total {
            let _ = write!(err, "\r\x1b[2K");
            *cleared = true;
        }
    };
    let started = std::time::Instant::now();
    let lib = match keep {
        Some(keep) => loader::load_paths_where(paths, &progress, keep),
        None => loader::load_paths(paths, &progress),
    };
    tracing::info!(
        files = lib.files,
        stories = lib.stories.len(),
        warnings = lib.warnings.len(),
        elapsed_ms = started.elapsed().as_millis(),
        "load finished"
    );
    Ok(lib)
}

/// What `is:` qualifiers ask, from the stores the reader keeps: bookmarks in the
/// config directory, read state and the seen set in the data directory. Damage
/// found in either is reported on `err` (and left as it is).
///
/// # Errors
/// When no config directory can be found.
pub fn stored_flags(
    config_dir: Option<&Path>,
    err: &mut dyn Write,
) -> Result<crate::search::Flags> {
    let dir = paths::config_dir(config_dir)?;
    let (bookmarks, notice) = Store::inspect(&dir);
    print_notice(err, notice.as_deref())?;
    let reads = crate::readstate::ReadStore::inspect(&paths::data_dir_for(config_dir)?);
    print_notice(err, reads.notice.as_deref())?;
    Ok(crate::search::Flags {
        bookmarked: bookmarks.iter().map(|b| b.id).collect(),
        read: std::sync::Arc::new(reads.read),
        seen: std::sync::Arc::new(reads.seen),
        first_run: reads.first_run,
    })
}

/// Checks the paths given (on the command line or as the configured library):
/// when none of them exists there is nothing to read, an error; a missing path
/// among others is reported as a load warning and the rest load.
///
/// # Errors
/// Names the first path when no path exists.
pub fn check_paths(paths: &[PathBuf]) -> Result<()> {
    let exists = |p: &PathBuf| std::fs::symlink_metadata(p).is_ok();
    match paths.first() {
        Some(first) if !paths.iter().any(exists) => {
            std::fs::symlink_metadata(first).map(drop).with_context(|| {
                let hint = command_like(first)
                    .map(|c| format!(" (did you mean `sitrep {c}`?)"))
                    .unwrap_or_default();
                format!(
                    "cannot read {}{hint}",
                    text::clean_inline(&first.to_string_lossy())
                )
            })
        }
        _ => Ok(()),
    }
}

/// The subcommand a missing path was probably meant to be (`chek` → `check`):
/// a bare word close to a command name, judged as clap judges its own
/// suggestions.
fn command_like(path: &Path) -> Option<String> {
    let word = path.to_str()?;
    if word.is_empty() || word.contains(['/', '.']) {
        return None;
    }
    Cli::command()
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .map(|name| (strsim::jaro(word, &name), name))
        .filter(|(likeness, _)| *likeness > 0.7)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, name)| name)
}

/// The settings of config.toml in the config directory, its problems written to
/// `err` (the defaults are then used). No config directory: the defaults.
///
/// # Errors
/// When writing to `err` fails.
pub fn settings(config_dir: Option<&Path>, err: &mut dyn Write) -> io::Result<config::Config> {
    let Ok(dir) = paths::config_dir(config_dir) else {
        return Ok(config::Config::default());
    };
    let loaded = config::load(&dir);
    loaded.report(err)?;
    Ok(loaded.config)
}

/// Loads `paths`, or when there are none the config's library (else the bundled
/// samples), as [`load`] does.
///
/// # Errors
/// When a path does not exist (a library folder is named as coming from the config).
pub fn load_or_library(paths: &[PathBuf], config: &config::Config) -> Result<Library> {
    load_or_library_where(paths, config, None)
}

/// [`load_or_library`], keeping of each file only what `keep` names, when given
/// (see [`load_where`]).
///
/// # Errors
/// As [`load_or_library`].
pub fn load_or_library_where(
    paths: &[PathBuf],
    config: &config::Config,
    keep: Option<&(dyn Fn(&Library) -> loader::Keep + Sync)>,
) -> Result<Library> {
    if paths.is_empty() && !config.library.is_empty() {
        return load_where(&config.library, keep).context("library in config.toml");
    }
    load_where(paths, keep)
}

/// Runs a non-interactive command, writing to `out`; returns the exit code.
/// `config_dir` is the `--config-dir` override (see [`paths::config_dir`]).
/// Commands that read stories use `library` from config.toml when given no PATH.
/// Tables are cut to `width` columns when given (`out` is a terminal that wide).
///
/// # Errors
/// On unreadable input paths, when no config directory can be found (bookmarks), or
/// when writing fails.
pub fn run(
    command: &Command,
    config_dir: Option<&Path>,
    width: Option<usize>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<i32> {
    let reads_stories = !matches!(
        command,
        Command::Config { .. } | Command::Completions { .. } | Command::Man
    );
    let settings = if reads_stories {
        settings(config_dir, err)?
    } else {
        config::Config::default()
    };
    let load = |paths: &[PathBuf]| load_or_library(paths, &settings);
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
                write_table(out, &lib, lib.stories.iter(), width)?;
            }
            summarise_warnings(err, &lib)?;
            Ok(0)
        }
        Command::Show { id, width, input } => {
            let lib = load(&input.paths)?;
            match find(&lib, id) {
                Ok(story) => {
                    write_story(out, &lib, story, usize::from(*width))?;
                    Ok(0)
                }
                Err(e) => {
                    writeln!(err, "sitrep: {e}")?;
                    Ok(1)
                }
            }
        }
        Command::Filter {
            query,
            json,
            limit,
            input,
        } => {
            for word in Query::unknown_qualifiers(query) {
                writeln!(
                    err,
                    "sitrep: unknown qualifier {} (searched as text); qualifiers are {}",
                    text::clean_inline(&word),
                    Query::QUALIFIER_HINT
                )?;
            }
            let query = Query::parse(query);
            // Only `is:` qualifiers need the stores (reading them takes their locks).
            let asks_flags = query
                .qualifiers()
                .iter()
                .any(|q| matches!(q, crate::search::Qualifier::Is(..)));
            let flags = if asks_flags {
                stored_flags(config_dir, err)?
            } else {
                crate::search::Flags::default()
            };
            let has = |s: &Story, f| flags.has(s, f);
            let matcher = Matcher::new();
            // Only the matching stories of each file are kept, as it is read, and
            // their scores: a story's score depends on the story alone.
            let scores = std::sync::Mutex::new(std::collections::HashMap::new());
            let matches = |one: &Library| {
                let hits = matcher
                    .rank_with(one, &query, 0..story_count(one), &has, &|| false)
                    .unwrap_or_default();
                if let Ok(mut scores) = scores.lock() {
                    scores.extend(
                        hits.iter()
                            .map(|h| (one.stories[h.story as usize].id, h.score)),
                    );
                }
                if *json && hits.len() == one.stories.len() {
                    return loader::Keep::All;
                }
                let mut keep: Vec<u32> = hits.iter().map(|h| h.story).collect();
                keep.sort_unstable();
                // The table shows no story text: only JSON needs the paragraphs.
                if *json {
                    loader::Keep::Stories(keep)
                } else {
                    loader::Keep::Headlines(keep)
                }
            };
            let lib = load_or_library_where(&input.paths, &settings, Some(&matches))?;
            let scores = scores.into_inner().unwrap_or_default();
            let scored: Option<Vec<Hit>> = (0..story_count(&lib))
                .map(|story| {
                    let id = lib.stories[story as usize].id;
                    scores.get(&id).map(|&score| Hit { story, score })
                })
                .collect();
            let mut hits = match scored {
                // Every story kept was scored on the way: order them as ranking does.
                Some(mut hits) => {
                    hits.sort_unstable_by(|a, b| b.score.cmp(&a.score).then(a.story.cmp(&b.story)));
                    hits
                }
                // The bundled samples are loaded whole: rank them here.
                None => matcher
                    .rank_with(&lib, &query, 0..story_count(&lib), &has, &|| false)
                    .unwrap_or_default(),
            };
            hits.truncate(limit.unwrap_or(usize::MAX));
            let story = |h: &Hit| &lib.stories[h.story as usize];
            if *json {
                let all: Vec<StoryJson<'_>> = hits
                    .iter()
                    .map(|h| StoryJson::new(&lib, story(h), Some(h.score)))
                    .collect();
                write_json(out, &all)?;
            } else if !hits.is_empty() {
                write_table(out, &lib, hits.iter().map(story), width)?;
            }
            summarise_warnings(err, &lib)?;
            Ok(i32::from(hits.is_empty()))
        }
        Command::Check { input } => {
            let lib = load(&input.paths)?;
            for w in &lib.warnings {
                writeln!(out, "{w}")?;
            }
            // Files that could not be read are counted apart from those read.
            let not_read = lib.fatal_count();
            let files = if not_read == 0 {
                text::counted(lib.files, "file", "files")
            } else {
                format!(
                    "{} read, {not_read} not read",
                    text::counted(lib.docs.len(), "file", "files")
                )
            };
            writeln!(
                out,
                "{files}, {}, {}",
                text::counted(lib.stories.len(), "story", "stories"),
                text::counted(lib.warnings.len(), "warning", "warnings")
            )?;
            Ok(i32::from(lib.fatal_count() > 0))
        }
        Command::Bookmarks(args) => run_bookmarks(args, config_dir, &settings, width, out, err),
        Command::Config { action } => {
            match action {
                ConfigAction::Path => {
                    let dir = paths::config_dir(config_dir)?;
                    writeln!(out, "{}", config::file_in(&dir).display())?;
                }
                ConfigAction::Default => write!(out, "{}", config::default_file())?,
            }
            Ok(0)
        }
        Command::Completions { shell } => {
            clap_complete::generate(*shell, &mut Cli::command(), "sitrep", out);
            Ok(0)
        }
        Command::Man => {
            clap_mangen::Man::new(Cli::command()).render(out)?;
            Ok(0)
        }
    }
}

/// `sitrep bookmarks …`. Store notices go to `err` as `sitrep: <notice>`; problems
/// with a bookmark or the store are one line on `err` and exit code 1.
fn run_bookmarks(
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
        Some(BookmarksAction::Export { input, .. }) => Some(input),
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
    } else if let Some(input) = input {
        let lib = load_or_library(&input.paths, settings)?;
        write_markdown(out, &lib, &list)?;
        summarise_warnings(err, &lib)?;
    } else {
        write_bookmark_table(out, &list, width)?;
    }
    Ok(0)
}

/// `sitrep bookmarks remove ID`, through [`Store::apply`] so that other running
/// sitreps' changes are kept.
fn remove_bookmark(
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

/// Writes `sitrep: <notice>` on `err` when there is a notice.
fn print_notice(err: &mut dyn Write, notice: Option<&str>) -> io::Result<()> {
    match notice {
        Some(n) => writeln!(err, "sitrep: {}", text::clean_inline(n)),
        None => Ok(()),
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

/// Writes the bookmarks as a Markdown follow-up list: per bookmark a `##` heading,
/// date · source, the note, the story's first paragraph when `lib` has the story
/// (else "(story not loaded)"), and the origin and id.
///
/// # Errors
/// When writing fails.
pub fn write_markdown(out: &mut dyn Write, lib: &Library, list: &[Bookmark]) -> io::Result<()> {
    writeln!(out, "# Bookmarked updates")?;
    for b in list {
        let story = lib.find(b.id);
        let headline = story.map_or(b.headline.as_str(), |s| lib.headline(s));
        let source = story.map_or(b.source.as_str(), |s| lib.source(s));
        let origin = story.map_or(b.origin.as_str(), |s| lib.origin(s));
        let date = story.map_or_else(|| StoryDate::from_iso(b.date.as_deref()), |s| s.date);
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

/// `s` as one line of Markdown text that reads as itself: cleaned (no control
/// characters, newlines and tabs as spaces), trimmed, inline markup characters
/// escaped, and a line start that would begin a heading, quote, list, table or
/// setext underline escaped.
fn md_line(s: &str) -> String {
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
fn find_by_id<'a, T>(
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

fn summarise_warnings(err: &mut dyn Write, lib: &Library) -> io::Result<()> {
    if !lib.warnings.is_empty() {
        writeln!(
            err,
            "sitrep: {} while loading; `sitrep check` lists them",
            text::counted(lib.warnings.len(), "warning", "warnings")
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
    let json = serde_json::to_string_pretty(value)?;
    writeln!(out, "{}", escape_invisible(&json))
}

/// `json` with every character that [`text::clean`] would remove or change when
/// alone (DEL, C1 controls, format and default-ignorable characters, joiners,
/// line and paragraph separators; serde already escapes C0) written as a `\uXXXX`
/// escape. Such characters only occur inside JSON strings, where the escape means
/// the same, so the value is unchanged but nothing can drive the terminal.
fn escape_invisible(json: &str) -> std::borrow::Cow<'_, str> {
    if json.bytes().all(|b| b.is_ascii() && b != 0x7f) {
        return json.into();
    }
    let mut out = String::with_capacity(json.len());
    let mut buf = [0; 4];
    for c in json.chars() {
        let one = c.encode_utf8(&mut buf);
        if !c.is_ascii_graphic() && text::clean(one) != *one {
            for unit in c.encode_utf16(&mut [0; 2]) {
                let _ = write!(out, "\\u{unit:04x}");
            }
        } else {
            out.push(c);
        }
    }
    out.into()
}

fn pad(s: &str, width: usize) -> String {
    let mut out = s.to_string();
    out.extend(std::iter::repeat_n(
        ' ',
        width.saturating_sub(text::width(s)),
    ));
    out
}

/// Writes the `ID  DATE  HEADLINE  SOURCE` table. With a `width`, every line
/// fits in it: the headline column gives way first, keeping room for the start of
/// the source, then the source is cut.
///
/// # Errors
/// When writing fails.
pub fn write_table<'a>(
    out: &mut dyn Write,
    lib: &Library,
    stories: impl Iterator<Item = &'a Story> + Clone,
    width: Option<usize>,
) -> io::Result<()> {
    // ID, date and the gaps after them, and before the source.
    let fixed = 16 + 2 + 10 + 2 + 2;
    let (col, room) = fit_headlines(fixed, stories.clone().map(|s| lib.headline(s)), width);
    writeln!(
        out,
        "{:<16}  {:<10}  {}  {}",
        "ID",
        "DATE",
        pad("HEADLINE", col),
        cut("SOURCE", room)
    )?;
    for s in stories {
        writeln!(
            out,
            "{}  {:<10}  {}  {}",
            s.id,
            s.date.iso().unwrap_or_else(|| "-".into()),
            cell(lib.headline(s), col),
            cut(lib.source(s), room)
        )?;
    }
    Ok(())
}

/// The widest a table's headline column gets.
const HEADLINE_MAX: usize = 72;

/// For a table of `fixed` columns (gaps included), a headline column and a last
/// column: the headline column's width, and with a `width` to fit in, the room
/// left for the last column. The headline column narrows first, down to what
/// leaves the last one 12 columns.
fn fit_headlines<'a>(
    fixed: usize,
    headlines: impl Iterator<Item = &'a str>,
    width: Option<usize>,
) -> (usize, Option<usize>) {
    const LAST_MIN: usize = 12;
    let max = width.map_or(HEADLINE_MAX, |w| {
        HEADLINE_MAX.min(w.saturating_sub(fixed + LAST_MIN))
    });
    let col = column_width("HEADLINE", headlines, max);
    (col, width.map(|w| w.saturating_sub(fixed + col)))
}

/// `s` cut to `room` columns when given.
fn cut(s: &str, room: Option<usize>) -> std::borrow::Cow<'_, str> {
    room.map_or(std::borrow::Cow::Borrowed(s), |room| truncate(s, room))
}

/// The width of a column holding `cells` under `header`: the widest cell, capped at
/// `max`, and at least the header's width.
fn column_width<'a>(header: &str, cells: impl Iterator<Item = &'a str>, max: usize) -> usize {
    cells
        .map(|c| text::width(c).min(max))
        .max()
        .unwrap_or(0)
        .max(text::width(header))
}

/// One table cell: tabs as spaces, cut to `width` columns and padded to it.
fn cell(s: &str, width: usize) -> String {
    pad(&truncate(s, width), width)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn written(f: impl FnOnce(&mut Vec<u8>) -> io::Result<()>) -> String {
        let mut out = Vec::new();
        assert!(f(&mut out).is_ok());
        String::from_utf8(out).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn markdown_lines_read_as_themselves() {
        assert_eq!(md_line("# Not a heading"), "\\# Not a heading");
        assert_eq!(md_line("1. not a list"), "1\\. not a list");
        assert_eq!(md_line("a *b* [c](d) <e>"), "a \\*b\\* \\[c\\](d) \\<e\\>");
        assert_eq!(md_line("  two\nlines\tand a tab "), "two lines and a tab");
        assert_eq!(md_line("plain"), "plain");
    }

    #[test]
    fn json_escapes_what_could_drive_the_terminal() {
        assert_eq!(escape_invisible("{\"a\": \"plain\"}"), "{\"a\": \"plain\"}");
        assert_eq!(escape_invisible("\"a\u{202e}b\""), "\"a\\u202eb\"");
        assert_eq!(escape_invisible("\"\u{9b}\""), "\"\\u009b\"");
        // Kept: text a reader sees.
        assert_eq!(escape_invisible("\"café – 日本\""), "\"café – 日本\"");
    }

    #[test]
    fn ids_are_found_by_unique_prefix_with_clear_errors() {
        let lib = crate::loader::load_bundled();
        let id = lib.stories[0].id.to_string();
        assert!(find(&lib, &id).is_ok_and(|s| s.id == lib.stories[0].id));
        assert!(find(&lib, &id[..10].to_uppercase()).is_ok());
        let err = |q: &str| {
            find(&lib, q)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default()
        };
        assert!(
            err("xyz").starts_with("not a story id: \"xyz\""),
            "{}",
            err("xyz")
        );
        assert_eq!(err("0000000000000000"), "no story with id 0000000000000000");
        assert!(err("").starts_with("not a story id"));
        // Every id starts with some hex digit: one digit matches many.
        let many = (0..16).map(|d| format!("{d:x}")).find(|d| {
            lib.stories
                .iter()
                .filter(|s| s.id.to_string().starts_with(d))
                .count()
                > 1
        });
        if let Some(d) = many {
            assert!(err(&d).starts_with("more than one story id starts with"));
        }
    }

    #[test]
    fn the_table_cuts_headlines_then_sources_to_fit() {
        let lib = crate::loader::load_bundled();
        let whole = written(|out| write_table(out, &lib, lib.stories.iter(), None));
        let lines: Vec<&str> = whole.lines().collect();
        assert_eq!(lines.len(), lib.stories.len() + 1);
        assert!(
            lines[0].starts_with("ID                DATE        HEADLINE"),
            "{}",
            lines[0]
        );
        for (line, story) in lines[1..].iter().zip(&lib.stories) {
            assert!(line.starts_with(&story.id.to_string()), "{line}");
        }
        for width in [60, 80, 120] {
            let fitted = written(|out| write_table(out, &lib, lib.stories.iter(), Some(width)));
            for line in fitted.lines() {
                assert!(text::width(line) <= width, "{width}: {line}");
            }
        }
    }

    #[test]
    fn a_story_prints_head_id_line_then_wrapped_text() {
        let lib = crate::loader::load_bundled();
        let story = &lib.stories[0];
        let text = written(|out| write_story(out, &lib, story, 40));
        let lines: Vec<&str> = text.lines().collect();
        let id_line = format!("{} · {}", story.id, lib.origin(story));
        let at = lines.iter().position(|l| *l == id_line);
        assert!(at.is_some_and(|n| n >= 2), "{text}");
        let wrapped = lines.iter().filter(|l| **l != id_line);
        assert!(wrapped.clone().all(|l| text::width(l) <= 40), "{text}");
        assert!(text.contains(&lib.headline(story)[..10]));
    }

    #[test]
    fn a_mistyped_command_is_suggested() {
        assert_eq!(command_like(Path::new("chek")).as_deref(), Some("check"));
        assert_eq!(command_like(Path::new("./chek")), None);
        assert_eq!(command_like(Path::new("news.txt")), None);
    }
}
