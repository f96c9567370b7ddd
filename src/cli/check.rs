//! `sitrep check`: every warning, then what was read.

use std::io::Write;

use anyhow::Result;

use crate::{config, text};

use super::{Input, load_or_library};

/// `sitrep check`: exit code 1 when a file could not be read at all.
pub(super) fn run(input: &Input, settings: &config::Config, out: &mut dyn Write) -> Result<i32> {
    let lib = load_or_library(&input.paths, settings)?;
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
