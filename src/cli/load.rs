//! Loading for the commands: the paths given or the configured library, the
//! settings, the stores' flags, and the warnings summary.

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::store::bookmarks::Store;
use crate::story::Library;
use crate::{config, loader, paths, text};

use clap::CommandFactory;

use super::Cli;

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
    let reads = crate::store::read::ReadStore::inspect(&paths::data_dir_for(config_dir)?);
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
pub(super) fn command_like(path: &Path) -> Option<String> {
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
    crate::loader::segment::set_user_furniture(&loaded.config.furniture);
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

pub(super) fn summarise_warnings(err: &mut dyn Write, lib: &Library) -> io::Result<()> {
    if !lib.warnings.is_empty() {
        writeln!(
            err,
            "sitrep: {} while loading; `sitrep check` lists them",
            text::counted(lib.warnings.len(), "warning", "warnings")
        )?;
    }
    Ok(())
}

/// Writes `sitrep: <notice>` on `err` when there is a notice.
pub(super) fn print_notice(err: &mut dyn Write, notice: Option<&str>) -> io::Result<()> {
    match notice {
        Some(n) => writeln!(err, "sitrep: {}", text::clean_inline(n)),
        None => Ok(()),
    }
}
