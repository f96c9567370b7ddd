//! The commands that read no stories: `config`, `completions` and `man`.

use std::io::Write;
use std::path::Path;

use anyhow::Result;
use clap::CommandFactory;

use crate::{config, paths};

use super::{Cli, ConfigAction};

/// `sitrep config path` / `sitrep config default`.
pub(super) fn config(
    action: &ConfigAction,
    config_dir: Option<&Path>,
    out: &mut dyn Write,
) -> Result<i32> {
    match action {
        ConfigAction::Path => {
            let dir = paths::config_dir(config_dir)?;
            writeln!(out, "{}", config::file_in(&dir).display())?;
        }
        ConfigAction::Default => write!(out, "{}", config::default_file())?,
    }
    Ok(0)
}

/// `sitrep completions SHELL`.
pub(super) fn completions(shell: clap_complete::Shell, out: &mut dyn Write) -> i32 {
    clap_complete::generate(shell, &mut Cli::command(), "sitrep", out);
    0
}

/// `sitrep man`.
pub(super) fn man(out: &mut dyn Write) -> Result<i32> {
    clap_mangen::Man::new(Cli::command()).render(out)?;
    Ok(0)
}
