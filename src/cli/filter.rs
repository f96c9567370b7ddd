//! `sitrep filter QUERY`: the stories that match, best first.

use std::path::Path;

use std::io::Write;

use anyhow::Result;

use crate::search::{Hit, Matcher, Query};
use crate::story::{Library, Story};
use crate::{config, loader, text};

use super::{
    Input, StoryJson, load, load_or_library_where, stored_flags, story_count, write_json,
    write_table,
};

/// How the matches are printed.
pub(super) struct How {
    /// As JSON (with their text), not a table.
    pub(super) json: bool,
    /// At most this many.
    pub(super) limit: Option<usize>,
    /// The table is cut to this width.
    pub(super) width: Option<usize>,
}

/// `sitrep filter`: exit code 1 when nothing matches.
pub(super) fn run(
    query: &str,
    how: &How,
    input: &Input,
    config_dir: Option<&Path>,
    settings: &config::Config,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<i32> {
    let json = how.json;
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
        if json && hits.len() == one.stories.len() {
            return loader::Keep::All;
        }
        let mut keep: Vec<u32> = hits.iter().map(|h| h.story).collect();
        keep.sort_unstable();
        // The table shows no story text: only JSON needs the paragraphs.
        if json {
            loader::Keep::Stories(keep)
        } else {
            loader::Keep::Headlines(keep)
        }
    };
    let lib = load_or_library_where(&input.paths, settings, Some(&matches))?;
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
    hits.truncate(how.limit.unwrap_or(usize::MAX));
    let story = |h: &Hit| &lib.stories[h.story as usize];
    if json {
        let graded = crate::search::grade(&hits, &query);
        let all: Vec<StoryJson<'_>> = hits
            .iter()
            .zip(graded)
            .map(|(h, g)| StoryJson::new(&lib, story(h), Some(g)))
            .collect();
        write_json(out, &all)?;
    } else if !hits.is_empty() {
        write_table(out, &lib, hits.iter().map(story), how.width)?;
    }
    load::summarise_warnings(err, &lib)?;
    Ok(i32::from(hits.is_empty()))
}
