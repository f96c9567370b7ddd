//! The diagnostics log: off by default, turned on by `--log` or `$SITREP_LOG`, and
//! written to `sitrep.log` in the state directory (see [`crate::paths::state_dir`]),
//! never to the terminal the reader draws on. Owns the `tracing` subscriber set-up
//! only; the events themselves are logged where they happen.

use std::ffi::OsStr;
use std::fs::{self, OpenOptions};
use std::io;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use tracing_subscriber::filter::LevelFilter;

/// Environment variable that turns the log on and sets its level (`error`, `warn`,
/// `info`, `debug`, `trace` or `off`).
pub const LOG_ENV: &str = "SITREP_LOG";

/// The log file's name in the state directory.
pub const FILE_NAME: &str = "sitrep.log";

/// Why the log could not be started.
#[derive(Debug, thiserror::Error)]
pub enum LogError {
    /// No state directory could be found.
    #[error(transparent)]
    NoDir(#[from] crate::paths::PathError),
    /// The directory or file could not be created or opened.
    #[error("cannot open the log file {path}: {error}")]
    Open {
        /// The log file.
        path: String,
        /// What went wrong.
        error: io::Error,
    },
}

/// The level to log at, or `None` for no log: the level named by `env`
/// (`$SITREP_LOG`) when it names one; else `info` when `flag` (`--log`) is given or
/// `env` holds some other non-empty value. `off` (or `0`) turns the log off unless
/// `--log` is given.
#[must_use]
pub fn level(flag: bool, env: Option<&OsStr>) -> Option<LevelFilter> {
    let value = env
        .map(|v| v.to_string_lossy().trim().to_ascii_lowercase())
        .unwrap_or_default();
    let parsed = match value.as_str() {
        "" => None,
        "0" | "off" | "none" | "false" => Some(LevelFilter::OFF),
        other => Some(other.parse().unwrap_or(LevelFilter::INFO)),
    };
    match parsed {
        Some(LevelFilter::OFF) | None if flag => Some(LevelFilter::INFO),
        Some(LevelFilter::OFF) | None => None,
        Some(level) => Some(level),
    }
}

/// Starts the log when `--log` (`flag`) or `$SITREP_LOG` asks for it; returns the
/// log file's path, or `None` when logging is off. Lines are appended, without
/// colour codes.
///
/// # Errors
/// When the state directory cannot be found or the file cannot be opened; the
/// caller reports it and carries on without a log.
pub fn init(flag: bool) -> Result<Option<PathBuf>, LogError> {
    let Some(level) = level(flag, std::env::var_os(LOG_ENV).as_deref()) else {
        return Ok(None);
    };
    let dir = crate::paths::state_dir(None)?;
    let path = dir.join(FILE_NAME);
    let file = open(&dir, &path).map_err(|error| LogError::Open {
        path: crate::text::clean_inline(&path.to_string_lossy()).into_owned(),
        error,
    })?;
    // Fails only when a subscriber is already set (a second call): keep that one.
    let _ = tracing_subscriber::fmt()
        .with_writer(Mutex::new(file))
        .with_ansi(false)
        .with_max_level(level)
        .try_init();
    Ok(Some(path))
}

fn open(dir: &Path, path: &Path) -> io::Result<fs::File> {
    crate::store::file::make_private_dir(dir)?;
    OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o600)
        .open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[allow(clippy::unnecessary_wraps)] // stands for a variable that is set
    fn env(s: &str) -> Option<&OsStr> {
        Some(OsStr::new(s))
    }

    #[cfg(unix)]
    #[test]
    fn the_log_and_its_folder_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let dir = tmp.path().join("state").join("sitrep");
        let path = dir.join("sitrep.log");
        assert!(open(&dir, &path).is_ok());
        let mode = |p: &Path| fs::metadata(p).map(|m| m.permissions().mode() & 0o777).ok();
        assert_eq!(mode(&path), Some(0o600));
        assert_eq!(mode(&dir), Some(0o700));
    }

    #[test]
    fn off_by_default() {
        assert_eq!(level(false, None), None);
        assert_eq!(level(false, env("")), None);
        assert_eq!(level(false, env("off")), None);
    }

    #[test]
    fn flag_turns_it_on_at_info() {
        assert_eq!(level(true, None), Some(LevelFilter::INFO));
        assert_eq!(level(true, env("off")), Some(LevelFilter::INFO));
    }

    #[test]
    fn env_sets_the_level() {
        assert_eq!(level(false, env("debug")), Some(LevelFilter::DEBUG));
        assert_eq!(level(true, env("TRACE")), Some(LevelFilter::TRACE));
        assert_eq!(level(false, env(" warn ")), Some(LevelFilter::WARN));
        // Any other value turns the log on at the default level.
        assert_eq!(level(false, env("yes")), Some(LevelFilter::INFO));
    }
}
