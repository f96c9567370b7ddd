//! Command-line arguments (clap) and the non-interactive commands: `list`, `show`,
//! `filter`, `check`, `bookmarks`, `config`, `completions` and `man`. Output goes
//! to a writer so tests can read it; nothing here touches the terminal UI.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Result;
use clap::{Args, Parser, Subcommand};

use crate::config;

mod bookmarks;
mod check;
mod explain;
mod filter;
mod list;
mod load;
mod output;
mod show;
#[cfg(test)]
mod tests;
mod tools;

pub use bookmarks::{write_bookmark_table, write_csv, write_markdown};
pub use load::{
    check_paths, load, load_or_library, load_or_library_where, load_where, settings, stored_flags,
};
pub use output::{StoryJson, write_json, write_table};
pub use show::{find, story_count, write_story};

/// A terminal reader for health and care sector updates.
///
/// With no command, opens the reader on PATHs (folders are read recursively for
/// .txt files, saved .html pages, .eml and mbox files and Maildir messages), or
/// when no PATH is given on the library folders set in config.toml, else on the
/// bundled sample stories.
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
    /// Show how a file is read: each paragraph with its role (headline, date,
    /// byline, body, furniture…) and the features that decided it.
    Explain {
        /// The file.
        file: PathBuf,
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

/// What `sitrep bookmarks export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    /// A Markdown follow-up list.
    Markdown,
    /// Comma-separated values with a header row.
    Csv,
}

/// The `sitrep bookmarks` subcommands.
#[derive(Debug, Subcommand)]
pub enum BookmarksAction {
    /// Print the bookmarks as a follow-up list: Markdown (for an email or a
    /// ticket) or CSV (for a spreadsheet).
    ///
    /// Each bookmark gets its headline, date and source, note, the story's first
    /// paragraph (when the story is among the loaded stories) and where it came from.
    Export {
        /// The format: `markdown` (the default) or `csv` (a header row, then one
        /// row per bookmark).
        #[arg(long, value_enum, default_value_t = ExportFormat::Markdown)]
        format: ExportFormat,
        /// The same as `--format markdown`.
        #[arg(long, hide = true, conflicts_with = "format")]
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
            Command::Explain { .. } => ("explain", 1),
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

/// Runs a non-interactive command, writing to `out`; returns the exit code.
/// `config_dir` is the `--config-dir` override (see [`crate::paths::config_dir`]).
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
    match command {
        Command::List { json, input } => list::run(*json, input, &settings, width, out, err),
        Command::Show { id, width, input } => {
            show::run(id, usize::from(*width), input, &settings, out, err)
        }
        Command::Filter {
            query,
            json,
            limit,
            input,
        } => {
            let how = filter::How {
                json: *json,
                limit: *limit,
                width,
            };
            filter::run(query, &how, input, config_dir, &settings, out, err)
        }
        Command::Check { input } => check::run(input, &settings, out),
        Command::Explain { file } => explain::run(file, width, out, err),
        Command::Bookmarks(args) => bookmarks::run(args, config_dir, &settings, width, out, err),
        Command::Config { action } => tools::config(action, config_dir, out),
        Command::Completions { shell } => Ok(tools::completions(*shell, out)),
        Command::Man => tools::man(out),
    }
}
