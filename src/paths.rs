//! Where sitrep keeps its own files: the config directory (bookmarks), the state
//! directory (crash reports and other state) and the data directory (read state).
//!
//! This module is the only caller of [`directories::ProjectDirs`]. Each lookup is a
//! thin wrapper around a pure function that takes the environment value as a
//! parameter, so the order of precedence is tested without touching the process
//! environment.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use directories::ProjectDirs;

/// Environment variable that overrides the config directory.
pub const CONFIG_DIR_ENV: &str = "SITREP_CONFIG_DIR";

/// Environment variable that overrides the state directory.
pub const STATE_DIR_ENV: &str = "SITREP_STATE_DIR";

/// Environment variable that overrides the data directory.
pub const DATA_DIR_ENV: &str = "SITREP_DATA_DIR";

/// Why a directory could not be determined.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PathError {
    /// No override, no environment variable, and no home directory to put it under.
    #[error("cannot find a {kind} directory for sitrep (no home directory found); set {env}")]
    NoHome {
        /// `"config"`, `"state"` or `"data"`.
        kind: &'static str,
        /// The environment variable that would fix it.
        env: &'static str,
    },
}

/// The sitrep config directory (it may not exist yet).
///
/// Order: `override_dir` (from `--config-dir`), else `$SITREP_CONFIG_DIR` when
/// non-empty, else the platform default (on Linux `$XDG_CONFIG_HOME/sitrep` or
/// `~/.config/sitrep`).
///
/// # Errors
///
/// [`PathError::NoHome`] when none of these can be determined.
pub fn config_dir(override_dir: Option<&Path>) -> Result<PathBuf, PathError> {
    choose(override_dir, std::env::var_os(CONFIG_DIR_ENV), || {
        project_dirs().map(|p| p.config_dir().to_path_buf())
    })
    .ok_or(PathError::NoHome {
        kind: "config",
        env: CONFIG_DIR_ENV,
    })
}

/// The sitrep state directory, for crash reports and other state (it may not exist
/// yet).
///
/// Order: `override_dir`, else `$SITREP_STATE_DIR` when non-empty, else the
/// platform state directory (on Linux `$XDG_STATE_HOME/sitrep` or
/// `~/.local/state/sitrep`), falling back to the local data directory on platforms
/// that have no state directory.
///
/// # Errors
///
/// [`PathError::NoHome`] when none of these can be determined.
pub fn state_dir(override_dir: Option<&Path>) -> Result<PathBuf, PathError> {
    choose(override_dir, std::env::var_os(STATE_DIR_ENV), || {
        project_dirs().map(|p| p.state_dir().unwrap_or(p.data_local_dir()).to_path_buf())
    })
    .ok_or(PathError::NoHome {
        kind: "state",
        env: STATE_DIR_ENV,
    })
}

/// The sitrep data directory, for read state and other user data (it may not
/// exist yet).
///
/// Order: `override_dir`, else `$SITREP_DATA_DIR` when non-empty, else the platform
/// data directory (on Linux `$XDG_DATA_HOME/sitrep` or `~/.local/share/sitrep`).
///
/// # Errors
///
/// [`PathError::NoHome`] when none of these can be determined.
pub fn data_dir(override_dir: Option<&Path>) -> Result<PathBuf, PathError> {
    choose(override_dir, std::env::var_os(DATA_DIR_ENV), || {
        project_dirs().map(|p| p.data_dir().to_path_buf())
    })
    .ok_or(PathError::NoHome {
        kind: "data",
        env: DATA_DIR_ENV,
    })
}

/// Where read state lives: `$SITREP_DATA_DIR`; else, when the config directory
/// was pointed elsewhere (`--config-dir`, `$SITREP_CONFIG_DIR`: tests, portable
/// installs), its `data/` folder; else the user data directory.
///
/// # Errors
/// When no directory can be determined.
pub fn data_dir_for(config_override: Option<&Path>) -> Result<PathBuf, PathError> {
    let config_moved = config_override.is_some()
        || std::env::var_os(CONFIG_DIR_ENV).is_some_and(|v| !v.is_empty());
    if std::env::var_os(DATA_DIR_ENV).is_none_or(|v| v.is_empty()) && config_moved {
        return Ok(config_dir(config_override)?.join("data"));
    }
    data_dir(None)
}

fn project_dirs() -> Option<ProjectDirs> {
    ProjectDirs::from("", "", "sitrep")
}

/// The precedence rule, free of the process environment: an explicit override, else
/// a non-empty environment value, else the platform default. Empty values count as
/// absent.
fn choose(
    override_dir: Option<&Path>,
    env: Option<OsString>,
    default: impl FnOnce() -> Option<PathBuf>,
) -> Option<PathBuf> {
    if let Some(dir) = override_dir.filter(|d| !d.as_os_str().is_empty()) {
        return Some(dir.to_path_buf());
    }
    if let Some(value) = env.filter(|v| !v.is_empty()) {
        return Some(PathBuf::from(value));
    }
    default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[allow(clippy::unnecessary_wraps)] // Stands in for the platform lookup.
    fn default_dir() -> Option<PathBuf> {
        Some(PathBuf::from("/home/someone/.config/sitrep"))
    }

    #[test]
    fn default_used_when_nothing_else() {
        assert_eq!(choose(None, None, default_dir), default_dir());
    }

    #[test]
    fn override_wins_over_env() {
        let got = choose(
            Some(Path::new("/flag")),
            Some(OsString::from("/env")),
            default_dir,
        );
        assert_eq!(got, Some(PathBuf::from("/flag")));
    }

    #[test]
    fn env_wins_over_default() {
        let got = choose(None, Some(OsString::from("/env")), default_dir);
        assert_eq!(got, Some(PathBuf::from("/env")));
    }

    #[test]
    fn empty_values_fall_through_to_default() {
        let got = choose(Some(Path::new("")), Some(OsString::new()), default_dir);
        assert_eq!(got, default_dir());
    }

    #[test]
    fn nothing_at_all_is_none() {
        assert_eq!(choose(None, None, || None), None);
    }

    #[test]
    fn error_names_the_variable() {
        let err = PathError::NoHome {
            kind: "config",
            env: CONFIG_DIR_ENV,
        };
        assert!(err.to_string().contains("SITREP_CONFIG_DIR"));
    }
}
