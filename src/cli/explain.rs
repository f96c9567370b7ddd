//! `sitrep explain FILE`: how a file is read, unit by unit.

use std::io::Write;
use std::path::Path;

use anyhow::Result;

use crate::loader::segment::{self, Explained};
use crate::text;

/// `sitrep explain`: exit code 1 when the file cannot be read.
pub(super) fn run(
    file: &Path,
    width: Option<usize>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<i32> {
    let text = match crate::loader::read_text(file) {
        Ok(text) => text,
        Err(reason) => {
            writeln!(err, "sitrep: {}: {reason}", crate::loader::display(file))?;
            return Ok(1);
        }
    };
    write_explained(out, &segment::explain(&text), width)?;
    Ok(0)
}

/// One block per unit: line, role (and the runner-up), the deciding features,
/// then the text, cut to the terminal's width.
fn write_explained(out: &mut dyn Write, units: &[Explained], width: Option<usize>) -> Result<()> {
    let width = width.unwrap_or(usize::MAX).max(40);
    for u in units {
        let why: Vec<String> = u
            .reasons
            .iter()
            .map(|(name, w)| format!("{name} {w:+.1}"))
            .collect();
        writeln!(
            out,
            "{:>5}  {:<9} (not {}: {})",
            u.line,
            u.role.name(),
            u.runner_up.name(),
            if why.is_empty() {
                "its neighbours".to_string()
            } else {
                why.join(", ")
            }
        )?;
        let text = text::clean_inline(&u.text);
        writeln!(
            out,
            "       {}",
            text::truncate(&text, width.saturating_sub(7))
        )?;
    }
    Ok(())
}
