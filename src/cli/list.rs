//! `sitrep list`: every story, as a table or JSON.

use std::io::Write;

use anyhow::Result;

use crate::config;

use super::{Input, StoryJson, load, load_or_library, write_json, write_table};

/// `sitrep list`.
pub(super) fn run(
    json: bool,
    input: &Input,
    settings: &config::Config,
    width: Option<usize>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<i32> {
    let lib = load_or_library(&input.paths, settings)?;
    if json {
        let all: Vec<StoryJson<'_>> = lib
            .stories
            .iter()
            .map(|s| StoryJson::new(&lib, s, None))
            .collect();
        write_json(out, &all)?;
    } else {
        write_table(out, &lib, lib.stories.iter(), width)?;
    }
    load::summarise_warnings(err, &lib)?;
    Ok(0)
}
