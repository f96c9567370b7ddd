//! Query text → ranked hits on the bundled library: `Query::parse` then
//! `Matcher::rank` and `Matcher::highlight`. Checks the hits are in range, unique
//! and best first, and highlights fall inside the headline.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use sitrep::search::{Matcher, Query};
use sitrep::story::Library;

fn setup() -> &'static (Library, Matcher) {
    static SETUP: OnceLock<(Library, Matcher)> = OnceLock::new();
    SETUP.get_or_init(|| (sitrep::loader::load_bundled(), Matcher::new()))
}

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    let (lib, matcher) = setup();
    let query = Query::parse(input);
    let all = u32::try_from(lib.stories.len()).unwrap_or(u32::MAX);
    // Out-of-range and repeated candidates too: rank must drop them.
    let hits = matcher.rank(lib, &query, (0..all).chain([all, 0, all + 7]));
    let mut seen = std::collections::HashSet::new();
    for pair in hits.windows(2) {
        assert!(pair[0].score >= pair[1].score);
    }
    for h in &hits {
        assert!((h.story as usize) < lib.stories.len());
        assert!(seen.insert(h.story));
        let headline = lib.headline(&lib.stories[h.story as usize]);
        let n = headline.chars().count();
        assert!(matcher.highlight(headline, &query).iter().all(|&i| i < n));
    }
    if query.is_empty() {
        assert_eq!(hits.len(), lib.stories.len());
    }
});
