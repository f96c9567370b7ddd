//! The filter's fast paths give exactly what the plain full scan gives: the word
//! index of story text, the headline and byline columns, the two-step search
//! (stories found as typed first) and the narrowing of the previous results while
//! a query is typed, for many queries on a generated corpus plus the samples.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../benches/support/corpus.rs"]
#[allow(dead_code)]
mod corpus;

use std::path::PathBuf;

use chrono::DateTime;
use sitrep::action::{Action, Effect, Event};
use sitrep::app::App;
use sitrep::loader::{self, Keep};
use sitrep::search::index::SearchIndex;
use sitrep::search::{AS_TYPED, Hit, Matcher, Query, Search};
use sitrep::search::{Answer, SearchJob};
use sitrep::story::Library;

/// 300 generated digests (about 1,500 stories) and the bundled samples (bylines,
/// sources, curly quotes, non-ASCII letters).
fn library() -> Library {
    let dir = tempfile::tempdir().unwrap();
    corpus::write(dir.path(), 300, 11).unwrap();
    let mut lib = loader::load_paths(&[PathBuf::from(dir.path())], &|_, _| {});
    lib.merge(loader::load_bundled());
    lib
}

/// Single letters, pieces of words, whole words, several terms, exact and
/// excluded terms, smart case, punctuation, non-ASCII, qualifiers, no match,
/// typos of one and two edits.
const QUERIES: &[&str] = &[
    "n",
    "e",
    "x",
    "q",
    "z",
    "1",
    "nh",
    "th",
    "re",
    "nhs",
    "NHS",
    "Nhs",
    "flu",
    "flu ",
    "bma",
    "pay",
    "bma pay",
    "nhs flu",
    "resident doctors strike",
    "strike",
    "'strike",
    "!strike",
    "strike !pay",
    "doctors !nhs",
    "'nhs !flu",
    "xyzzy",
    "rsdnt",
    "stk",
    "hospital",
    "hosp",
    "ital",
    "a&e",
    "covid-19",
    "£",
    "‘",
    "café",
    "é",
    "wes streeting",
    "streeting",
    "date:2020",
    "date:2025-12 nhs",
    "source:health",
    "ward s",
    "s s",
    "care care",
    "'",
    "!",
    "e !e",
    "the",
    "and",
    "of",
    "2025",
    "20",
    "nurses pay",
    "stirke",
    "resdient doctrs",
    "hosptial",
    "goverment",
    "vaccinaton",
    "strik",
    "stirk",
    "ninedigit",
];

fn plain(lib: &Library, query: &str) -> Vec<Hit> {
    Matcher::new().rank_plain(lib, &Query::parse(query))
}

/// Compares two rankings, naming the first difference rather than printing
/// thousands of hits.
#[track_caller]
fn same(got: &[Hit], want: &[Hit], what: &str) {
    if let Some(i) = (0..got.len().max(want.len())).find(|&i| got.get(i) != want.get(i)) {
        panic!(
            "{what}: {} hits, expected {}; first difference at {i}: {:?} vs {:?}",
            got.len(),
            want.len(),
            got.get(i),
            want.get(i)
        );
    }
}

#[test]
fn index_and_two_steps_match_the_plain_scan() {
    let lib = library();
    let index = SearchIndex::build(&lib);
    assert_eq!(index.stories(), lib.stories.len());
    let matcher = Matcher::new();
    let mut checked = 0;
    for query in QUERIES {
        let q = Query::parse(query);
        let expected = plain(&lib, query);
        for index in [None, Some(&index)] {
            let search = Search {
                lib: &lib,
                index,
                query: &q,
                typed: None,
                all: None,
                flags: &|_, _| false,
                stop: &|| false,
            };
            let mut top = None;
            let hits = matcher
                .rank_search(&search, 5, &mut |hits| top = Some(hits.to_vec()))
                .unwrap();
            same(
                &hits,
                &expected,
                &format!("{query:?} (index: {})", index.is_some()),
            );
            if let Some(top) = top {
                assert!(
                    top.len() >= 5,
                    "{query:?}: the top is sent when it fills 5 rows"
                );
                same(
                    &top,
                    &hits[..top.len()],
                    &format!("{query:?}: the top stays on top"),
                );
                assert!(top.iter().all(|h| h.score >= AS_TYPED));
                checked += 1;
            }
        }
        // The CLI's path (no index) agrees too.
        let n = u32::try_from(lib.stories.len()).unwrap();
        same(&matcher.rank(&lib, &q, 0..n), &expected, query);
    }
    assert!(
        checked > 20,
        "the top was sent first for many queries ({checked})"
    );
}

#[test]
fn a_typo_finds_every_story_the_word_as_typed_finds() {
    let lib = library();
    let index = SearchIndex::build(&lib);
    let matcher = Matcher::new();
    for (typo, word) in [("stirke", "'strike"), ("hosptial", "'hospital")] {
        let wanted = plain(&lib, word);
        assert!(wanted.len() > 10, "{word} is in the corpus");
        let q = Query::parse(typo);
        let search = Search {
            lib: &lib,
            index: Some(&index),
            query: &q,
            typed: None,
            all: None,
            flags: &|_, _| false,
            stop: &|| false,
        };
        let hits = matcher.rank_search(&search, 5, &mut |_| {}).unwrap();
        let graded = sitrep::search::grade(&hits, &q);
        for w in &wanted {
            let at = hits.iter().position(|h| h.story == w.story);
            let kind = at.map(|i| graded[i].0);
            assert_eq!(
                kind,
                Some(sitrep::search::MatchKind::Typo),
                "{typo}: story {} found by {word}",
                w.story
            );
        }
    }
}

/// Runs a search job as the reader's worker does, letting go of the library:
/// its generation, all hits, and the top sent first (if it was).
fn run(job: SearchJob, matcher: &Matcher) -> (u64, Vec<Hit>, Option<Vec<Hit>>) {
    let generation = job.generation;
    let (mut top, mut all) = (None, None);
    job.answer(matcher, &|| false, &mut |answer| match answer {
        Answer::Top(_, hits) => top = Some(hits),
        Answer::All(_, hits) => all = Some(hits),
    });
    (generation, all.unwrap(), top)
}

/// The reader at 120x40 on [`library`], searching in the background, with the
/// word index built as it is once loading has finished.
fn indexed_app() -> App {
    let now = DateTime::parse_from_rfc3339("2026-02-05T09:30:00+00:00").unwrap();
    let mut app = App::new(library(), Vec::new(), now);
    app.update(Event::Resize(120, 40));
    let Some(Effect::BuildIndex(job)) = app.update(Event::LoadDone) else {
        panic!("the index is asked for when loading is done");
    };
    let built = job.run(&|| false);
    assert!(app.update(Event::IndexReady(built)).is_none());
    app
}

#[test]
fn typing_with_the_index_gives_the_plain_results_at_every_keystroke() {
    let mut app = indexed_app();
    let matcher = Matcher::new();
    let mut partials = 0;
    for query in [
        "nhs flu",
        "bma pay",
        "resident doctors strike",
        "xyzzy",
        "strike !pay",
        "!strike ward",
        "Strike",
        "a&e",
    ] {
        app.update(Action::CancelFilter);
        app.update(Action::StartFilter);
        let mut typed = String::new();
        for c in query.chars() {
            typed.push(c);
            let mut effect = app.update(Action::FilterInput(c));
            while let Some(Effect::Search(job)) = effect {
                let (generation, hits, top) = run(job, &matcher);
                if let Some(top) = top {
                    app.update(Event::SearchPartial(generation, top.clone()));
                    assert_eq!(app.filter.matches.as_ref().map(Vec::len), Some(top.len()));
                    assert!(app.filter.searching, "{typed:?}: the rest is still coming");
                    same(&top, &hits[..top.len()], &typed);
                    partials += 1;
                }
                effect = app.update(Event::SearchDone(generation, hits));
            }
            if Query::parse(&typed).is_empty() {
                assert!(app.filter.matches.is_none(), "{typed:?} is no filter");
                continue;
            }
            let got = app.filter.matches.as_deref().unwrap_or_default();
            same(
                got,
                &plain(&app.lib, &typed),
                &format!("after typing {typed:?}"),
            );
        }
    }
    assert!(
        partials > 10,
        "the top came first for many keystrokes ({partials})"
    );
}

#[test]
fn a_partial_result_still_narrows_correctly() {
    // Keystrokes that arrive while the scattered matches are still being ranked:
    // the next search narrows from the top only, and still finds everything.
    let mut app = indexed_app();
    let matcher = Matcher::new();
    app.update(Action::StartFilter);
    let mut typed = String::new();
    for c in "hospital".chars() {
        typed.push(c);
        let Some(Effect::Search(job)) = app.update(Action::FilterInput(c)) else {
            panic!("search");
        };
        let (generation, hits, top) = run(job, &matcher);
        // Only the top arrives before the next key.
        app.update(Event::SearchPartial(
            generation,
            top.unwrap_or_else(|| hits.clone()),
        ));
    }
    let mut effect = app.update(Action::FilterInput(' '));
    while let Some(Effect::Search(job)) = effect {
        let (generation, hits, _) = run(job, &matcher);
        effect = app.update(Event::SearchDone(generation, hits));
    }
    let got = app.filter.matches.as_deref().unwrap_or_default();
    same(
        got,
        &plain(&app.lib, "hospital "),
        "hospital, after partial results",
    );
}

#[test]
fn loading_only_matching_files_keeps_their_stories_in_order() {
    let dir = tempfile::tempdir().unwrap();
    corpus::write(dir.path(), 200, 5).unwrap();
    // A file the loader warns about, among the others.
    std::fs::write(dir.path().join("00").join("empty.txt"), "").unwrap();
    let paths = [PathBuf::from(dir.path())];
    let all = loader::load_paths(&paths, &|_, _| {});
    let ids = |lib: &Library| lib.stories.iter().map(|s| s.id).collect::<Vec<_>>();
    let kept_all = loader::load_paths_where(&paths, &|_, _| {}, &|_| Keep::All);
    assert_eq!(ids(&kept_all), ids(&all));
    assert_eq!(kept_all.warnings, all.warnings);
    assert_eq!(kept_all.files, all.files);
    for s in &kept_all.stories {
        let twin = all.find(s.id).unwrap();
        assert_eq!(kept_all.headline(s), all.headline(twin));
        assert!(kept_all.paragraphs(s).eq(all.paragraphs(twin)));
    }
    // Keeping only the matching stories gives the full library's ranking.
    let matcher = Matcher::new();
    for query in ["flu", "bma pay", "xyzzy", "strike !pay", "nhs", "Strike"] {
        let q = Query::parse(query);
        let matching = |one: &Library| {
            let mut keep: Vec<u32> = plain(one, query).iter().map(|h| h.story).collect();
            keep.sort_unstable();
            Keep::Stories(keep)
        };
        let some = loader::load_paths_where(&paths, &|_, _| {}, &matching);
        assert_eq!(some.files, all.files);
        assert_eq!(some.warnings, all.warnings);
        let n = u32::try_from(some.stories.len()).unwrap();
        let got: Vec<_> = matcher
            .rank(&some, &q, 0..n)
            .iter()
            .map(|h| (some.stories[h.story as usize].id, h.score))
            .collect();
        let want: Vec<_> = plain(&all, query)
            .iter()
            .map(|h| (all.stories[h.story as usize].id, h.score))
            .collect();
        assert_eq!(got, want, "{query:?}");
        assert_eq!(some.stories.len(), want.len(), "only the matches are kept");
        let text = |lib: &Library| lib.docs.iter().map(|d| d.text.len()).sum::<usize>();
        assert!(text(&some) <= text(&all));
        // Headlines only: the same stories in the same order, listed the same,
        // with no paragraphs, and only headline and byline text held.
        let listed = |one: &Library| match matching(one) {
            Keep::Stories(keep) => Keep::Headlines(keep),
            other => other,
        };
        let heads = loader::load_paths_where(&paths, &|_, _| {}, &listed);
        assert_eq!(ids(&heads), ids(&some), "{query:?}");
        assert_eq!(heads.warnings, all.warnings);
        let mut held = 0;
        for (h, s) in heads.stories.iter().zip(&some.stories) {
            assert_eq!(heads.headline(h), some.headline(s));
            assert_eq!(heads.byline(h), some.byline(s));
            assert_eq!(heads.source(h), some.source(s));
            assert_eq!(heads.origin(h), some.origin(s));
            assert_eq!(heads.paragraphs(h).count(), 0);
            held += h.headline.range().len() + h.byline.map_or(0, |b| b.range().len());
        }
        assert_eq!(
            text(&heads),
            held,
            "{query:?}: nothing but headlines and bylines"
        );
    }
}

#[test]
fn reading_while_walking_keeps_file_order_and_reports_every_file() {
    let dir = tempfile::tempdir().unwrap();
    // 300 files, 3 in each of 100 folders: several chunks of 64 across folders.
    corpus::write(dir.path(), 300, 4).unwrap();
    let reports = std::sync::Mutex::new(Vec::new());
    let lib = loader::load_paths(&[PathBuf::from(dir.path())], &|done, total| {
        reports.lock().unwrap().push((done, total));
    });
    // Folders and the files in them in name order (the names are zero-padded).
    let mut want: Vec<PathBuf> = (0..300)
        .map(|f| {
            dir.path()
                .join(format!("{:02}", f % 100))
                .join(format!("digest-{f:06}.txt"))
        })
        .collect();
    want.sort();
    let origins: Vec<String> = lib.docs.iter().map(|d| d.origin.clone()).collect();
    let want: Vec<String> = want.iter().map(|p| loader::display(p)).collect();
    assert_eq!(origins, want);
    let reports = reports.into_inner().unwrap();
    // One report per file read, and one when the walk ends.
    assert_eq!(reports.len(), 301);
    assert!(
        reports
            .iter()
            .all(|&(_, total)| total.is_none() || total == Some(300))
    );
    let mut done: Vec<usize> = reports.iter().map(|&(done, _)| done).collect();
    done.sort_unstable();
    done.dedup();
    assert_eq!(done.last(), Some(&300));
    assert!(done.len() >= 300, "every count from 1 to 300 is reported");
    assert!(
        reports.contains(&(300, Some(300))),
        "the last file knows the total"
    );
}

#[test]
fn loading_in_growing_parts_gives_one_load() {
    let dir = tempfile::tempdir().unwrap();
    corpus::write(dir.path(), 90, 3).unwrap();
    let paths = [PathBuf::from(dir.path())];
    let all = loader::load_paths(&paths, &|_, _| {});
    let (mut sizes, mut progress) = (Vec::new(), Vec::new());
    let mut merged = Library::default();
    loader::load_paths_in_parts(
        &paths,
        4,
        std::time::Duration::MAX,
        &mut |part| {
            sizes.push(part.files);
            merged.merge(part);
        },
        &mut |done, total| progress.push((done, total)),
        &|| false,
    );
    // Each part is at least as big as all before it; the last takes the rest.
    assert_eq!(sizes, [4, 4, 8, 16, 32, 26]);
    assert_eq!(merged.files, all.files);
    let ids = |lib: &Library| lib.stories.iter().map(|s| s.id).collect::<Vec<_>>();
    assert_eq!(
        ids(&merged),
        ids(&all),
        "the same stories in the same order"
    );
    // Progress still comes every 4 files.
    assert_eq!(progress.first(), Some(&(0, None)));
    assert_eq!(progress.len(), 2 + 90usize.div_ceil(4));
    assert_eq!(progress.last(), Some(&(90, Some(90))));
    // Waiting no time at all, every 4 files make a part; stopping drops only
    // what was read after the last part, and nothing more is read.
    let asked = std::cell::Cell::new(0);
    let mut sizes = Vec::new();
    loader::load_paths_in_parts(
        &paths,
        4,
        std::time::Duration::ZERO,
        &mut |part| sizes.push(part.files),
        &mut |_, _| {},
        &|| {
            asked.set(asked.get() + 1);
            asked.get() > 5
        },
    );
    assert_eq!(sizes, [4, 4, 4, 4, 4]);
}

#[test]
fn the_batch_filter_ranks_like_the_whole_library() {
    let dir = tempfile::tempdir().unwrap();
    corpus::write(dir.path(), 150, 9).unwrap();
    let config = tempfile::tempdir().unwrap();
    let all = loader::load_paths(&[PathBuf::from(dir.path())], &|_, _| {});
    let n = u32::try_from(all.stories.len()).unwrap();
    for query in ["flu", "bma pay", "strike !pay", "Nhs", "xyzzy", "'care"] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_sitrep"))
            .env("SITREP_CONFIG_DIR", config.path())
            .args(["filter", "--json", query])
            .arg(dir.path())
            .output()
            .unwrap();
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let got: Vec<(String, String, f64)> = json
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                (
                    s["id"].as_str().unwrap().to_string(),
                    s["match"].as_str().unwrap().to_string(),
                    s["score"].as_f64().unwrap(),
                )
            })
            .collect();
        let ranked = Matcher::new().rank(&all, &Query::parse(query), 0..n);
        let graded = sitrep::search::grade(&ranked, &Query::parse(query));
        let want: Vec<(String, String, f64)> = ranked
            .iter()
            .zip(graded)
            .map(|(h, (kind, score))| {
                let kind = serde_json::to_value(kind).unwrap();
                (
                    all.stories[h.story as usize].id.to_string(),
                    kind.as_str().unwrap().to_string(),
                    score,
                )
            })
            .collect();
        assert_eq!(got, want, "{query:?}");
    }
}
