//! `App::update` sequences on the bundled library: fields, not pixels.

use chrono::{DateTime, FixedOffset, TimeZone};

use super::*;
use crate::action::{Event, Msg};
use crate::loader;
use crate::store::bookmarks::Bookmark;

pub(super) fn time() -> DateTime<FixedOffset> {
    FixedOffset::east_opt(0)
        .and_then(|tz| tz.with_ymd_and_hms(2026, 2, 4, 9, 30, 0).single())
        .unwrap_or_default()
}

pub(super) fn app(w: u16, h: u16) -> App {
    let mut app = App::new(loader::load_bundled(), Vec::new(), time());
    app.update(Event::Resize(w, h));
    app
}

pub(super) fn headline(app: &App) -> String {
    app.selected_story()
        .map(|s| app.lib.headline(s).to_string())
        .unwrap_or_default()
}

/// Sends `msg`, running the searches it asks for as the runtime does.
pub(super) fn send(app: &mut App, msg: impl Into<Msg>) -> Option<Effect> {
    let effect = app.update(msg);
    crate::runtime::settle(app, effect)
}

fn typed(app: &mut App, text: &str) {
    send(app, Action::StartFilter);
    for c in text.chars() {
        send(app, Action::FilterInput(c));
    }
}

#[test]
fn starts_on_stories_all_dates_newest_story() {
    let app = app(120, 40);
    assert_eq!(app.focus, Pane::Stories);
    assert_eq!(app.lists.dates[app.lists.date_sel].key, DateKey::All);
    assert_eq!(app.lists.dates[0].key, DateKey::Bookmarks);
    assert_eq!(app.lists.dates[1].count, 23);
    assert!(headline(&app).starts_with("More strikes unlikely"));
    // All: one heading per date plus every story.
    assert_eq!(app.lists.rows.len(), 23 + 4);
    assert!(matches!(app.lists.rows[0], Row::Heading(_)));
    assert_eq!(app.lists.story_sel, 1);
}

#[test]
fn moving_skips_headings_and_clamps() {
    let mut app = app(120, 40);
    for _ in 0..7 {
        app.update(Action::Down);
    }
    assert!(headline(&app).starts_with("Streeting makes new offer"));
    app.update(Action::Bottom);
    assert!(headline(&app).starts_with("Striking resident doctors"));
    app.update(Action::Down);
    assert!(headline(&app).starts_with("Striking resident doctors"));
    app.update(Action::Top);
    assert_eq!(app.lists.story_sel, 1);
    assert_eq!(app.lists.story_offset, 0);
}

#[test]
fn selection_stays_in_view_when_paging() {
    let mut app = app(100, 12);
    let height = app
        .panes()
        .inner(Pane::Stories)
        .map_or(0, |r| usize::from(r.height));
    for _ in 0..5 {
        app.update(Action::PageDown);
        assert!(app.lists.story_sel >= app.lists.story_offset);
        assert!(app.lists.story_sel < app.lists.story_offset + height);
    }
}

#[test]
fn dates_change_the_story_list_at_once() {
    let mut app = app(120, 40);
    app.update(Action::NextDate);
    assert_eq!(
        app.lists.dates[app.lists.date_sel].key.clone(),
        DateKey::Date(app.lib.stories[0].date)
    );
    assert_eq!(app.lists.rows.len(), 7);
    app.update(Action::NextDate);
    app.update(Action::NextDate);
    assert_eq!(app.lists.rows.len(), 9);
    assert!(headline(&app).starts_with("End of year message"));
    app.update(Action::FocusLeft);
    assert_eq!(app.focus, Pane::Dates);
    app.update(Action::Bottom);
    assert_eq!(app.lists.rows.len(), 2);
    app.update(Action::PrevDate);
    assert_eq!(app.lists.rows.len(), 9);
}

#[test]
fn enter_opens_and_reader_keys_scroll_and_step() {
    let mut app = app(120, 20);
    app.update(Action::Open);
    assert_eq!(app.focus, Pane::Reader);
    app.update(Action::PageDown);
    assert!(app.reader.scroll > 0);
    app.update(Action::NextStory);
    assert_eq!(app.reader.scroll, 0);
    assert!(headline(&app).starts_with("BMA to appeal"));
    app.update(Action::PrevStory);
    assert!(headline(&app).starts_with("More strikes"));
    app.update(Action::Bottom);
    let max = app.page().len()
        - app
            .panes()
            .inner(Pane::Reader)
            .map_or(0, |r| usize::from(r.height));
    assert_eq!(app.reader.scroll, max);
    app.update(Action::Down);
    assert_eq!(app.reader.scroll, max);
}

#[test]
fn filter_ranks_counts_and_hides_dates() {
    let mut app = app(120, 40);
    typed(&mut app, "flu");
    assert_eq!(app.mode, Mode::Filter);
    assert!(headline(&app).contains("rising flu hospitalisations"));
    let all = app
        .lists
        .dates
        .iter()
        .find(|d| d.key == DateKey::All)
        .map_or(0, |d| d.count);
    assert_eq!(all, app.filter.matches.as_ref().map_or(0, Vec::len));
    let per_date: usize = app
        .lists
        .dates
        .iter()
        .filter(|d| matches!(d.key, DateKey::Date(_)))
        .map(|d| d.count)
        .sum();
    assert_eq!(per_date, all);
    assert!(app.lists.dates.iter().all(|d| d.count > 0));
    assert!(!app.highlight(&headline(&app)).is_empty());
    app.update(Action::ConfirmFilter);
    assert_eq!(app.mode, Mode::Normal);
    assert_eq!(app.filter.query, "flu");
    app.update(Action::Back);
    assert!(app.filter.query.is_empty() && app.filter.matches.is_none());
    assert_eq!(app.lists.dates[1].count, 23);
    // The story that was selected stays selected.
    assert!(headline(&app).contains("rising flu hospitalisations"));
}

#[test]
fn filter_exact_and_exclude_split_the_library() {
    let mut a = app(120, 40);
    typed(&mut a, "'strike");
    let with = a.filter.matches.as_ref().map_or(0, Vec::len);
    let mut b = app(120, 40);
    typed(&mut b, "!strike");
    let without = b.filter.matches.as_ref().map_or(0, Vec::len);
    assert_eq!(with + without, 23);
    assert!(with > 0 && without > 0);
}

#[test]
fn no_match_empties_list_and_story() {
    let mut app = app(120, 40);
    app.update(Action::Open);
    typed(&mut app, "xyzzy");
    assert!(app.lists.rows.is_empty());
    assert!(app.selected_id().is_none());
    assert!(app.page().is_empty());
    assert_eq!(app.focus, Pane::Stories);
    app.update(Action::CancelFilter);
    assert_eq!(app.lists.rows.len(), 27);
    assert!(!app.page().is_empty(), "a story is shown again");
}

#[test]
fn typing_a_filter_opens_its_best_match_and_reloads_do_not() {
    let mut app = app(120, 40);
    typed(&mut app, "flu");
    assert_eq!(app.open_id(), app.selected_id(), "the best match is open");
    let best = app.open_id();
    app.update(Action::ConfirmFilter);
    app.update(Action::Down);
    assert_eq!(app.open_id(), best, "moving in the list does not open");
    app.update(Action::Open);
    let chosen = app.open_id();
    assert_ne!(chosen, best);
    // Stories arriving re-run the search; the story being read stays.
    let part = loader::load_bundled();
    app.update(Event::Loaded(crate::action::Part(Box::new(part))));
    assert_eq!(app.open_id(), chosen);
}

#[test]
fn moving_in_the_list_leaves_the_story_until_opened() {
    let mut app = app(120, 40);
    let first = app.selected_id();
    assert_eq!(app.open_id(), first, "the newest story is open at start");
    app.update(Action::Down);
    app.update(Action::Down);
    let third = app.selected_id();
    assert_ne!(third, first);
    assert_eq!(app.open_id(), first, "j moves the selection only");
    assert_eq!(
        app.current_id(),
        third,
        "keys in the list act on the selection"
    );
    app.update(Action::Open);
    assert_eq!((app.open_id(), app.focus), (third, Pane::Reader));
    assert_eq!(app.current_id(), third);
    // n reads on from the open story, even when the selection moved meanwhile.
    app.update(Action::FocusLeft);
    app.update(Action::Top);
    app.update(Action::FocusRight);
    assert_eq!(app.open_id(), first, "going right opens the selected story");
    app.update(Action::NextStory);
    assert_eq!(app.open_id(), app.selected_id());
    assert_ne!(app.open_id(), first);
}

#[test]
fn filter_editing_keys() {
    let mut app = app(120, 40);
    typed(&mut app, "bma court");
    assert!(headline(&app).starts_with("BMA to appeal court decision"));
    app.update(Action::FilterDeleteWord);
    assert_eq!(app.filter.query, "bma ");
    app.update(Action::FilterBackspace);
    assert_eq!(app.filter.query, "bma");
    app.update(Action::FilterClear);
    assert!(app.filter.query.is_empty() && app.filter.matches.is_none());
}

#[test]
fn bookmark_toggle_note_and_bookmarks_view() {
    let mut app = app(120, 40);
    let id = app.selected_id();
    let effect = app.update(Action::ToggleBookmark);
    assert!(matches!(effect, Some(Effect::SaveBookmark(Change::Add(_)))));
    assert_eq!(app.bookmarks.len(), 1);
    assert_eq!(app.bookmarks[0].added, time());
    assert_eq!(app.lists.dates[0].count, 1);
    app.update(Action::EditNote);
    assert_eq!(app.mode, Mode::Note);
    for c in "chase Monday".chars() {
        app.update(Action::NoteInput(c));
    }
    app.update(Action::NoteHome);
    app.update(Action::NoteInput('>'));
    app.update(Action::NoteEnd);
    app.update(Action::NoteBackspace);
    let effect = app.update(Action::NoteSave);
    assert!(
        matches!(effect, Some(Effect::SaveBookmark(Change::SetNote(_, ref n))) if n == ">chase Monda")
    );
    assert_eq!(app.bookmarks[0].note, ">chase Monda");
    assert!(app.page().iter().any(|l| l.text.contains(">chase Monda")));
    app.update(Action::FocusLeft);
    app.update(Action::Top);
    assert_eq!(app.lists.dates[app.lists.date_sel].key, DateKey::Bookmarks);
    assert_eq!(app.lists.rows.len(), 1);
    assert_eq!(app.selected_id(), id);
    // A bookmark with a note asks once before it goes.
    assert_eq!(app.update(Action::ToggleBookmark), None);
    assert!(app.status().is_some_and(|m| m.contains("press b again")));
    assert_eq!(app.lists.rows.len(), 1);
    let effect = app.update(Action::ToggleBookmark);
    assert!(matches!(
        effect,
        Some(Effect::SaveBookmark(Change::Remove(_)))
    ));
    assert!(app.lists.rows.is_empty());
}

#[test]
fn note_editing_cancel_keeps_note_and_needs_a_bookmark() {
    let mut app = app(120, 40);
    app.update(Action::EditNote);
    assert_eq!(app.mode, Mode::Normal);
    assert!(
        app.status()
            .is_some_and(|s| s.contains("Bookmark the story first"))
    );
    app.update(Action::ToggleBookmark);
    app.update(Action::EditNote);
    app.update(Action::NoteInput('x'));
    app.update(Action::NoteCancel);
    assert_eq!(app.bookmarks[0].note, "");
    assert_eq!(app.mode, Mode::Normal);
}

#[test]
fn missing_bookmarks_are_listed_not_dropped() {
    let gone = Bookmark::new(
        StoryId(42),
        "A story from a file that is gone",
        Some("2025-01-02".into()),
        "Old source",
        "/nowhere/x.txt",
    );
    let mut app = App::new(loader::load_bundled(), vec![gone], time());
    app.update(Event::Resize(120, 40));
    assert_eq!(app.lists.dates[0].count, 1);
    app.update(Action::FocusLeft);
    app.update(Action::Top);
    assert_eq!(app.lists.rows, vec![Row::Missing(0)]);
    assert_eq!(app.selected_id(), Some(StoryId(42)));
    app.update(Action::Open); // to the list
    app.update(Action::Open); // and the story
    assert_eq!(app.open_id(), Some(StoryId(42)));
    assert!(
        app.page()
            .iter()
            .any(|l| l.text.contains("not in the loaded files"))
    );
}

#[test]
fn bookmarks_changed_elsewhere_keep_the_selection() {
    let mut app = app(120, 40);
    app.update(Action::Down);
    let before = app.selected_id();
    let s = &app.lib.stories[10];
    let other = Bookmark::new(s.id, app.lib.headline(s), s.date.iso(), "x", "y");
    app.update(Event::BookmarksChanged(vec![other]));
    assert_eq!(app.selected_id(), before);
    assert_eq!(app.lists.dates[0].count, 1);
}

#[test]
fn narrow_screen_shows_one_pane_and_q_steps_back() {
    let mut app = app(80, 24);
    assert!(!app.panes().bordered);
    app.update(Action::Open);
    assert_eq!(app.focus, Pane::Reader);
    assert!(app.panes().stories.is_none());
    assert_eq!(app.update(Action::Quit), None);
    assert_eq!(app.focus, Pane::Stories);
    assert_eq!(app.update(Action::Quit), Some(Effect::Quit));
    assert_eq!(app.update(Action::ForceQuit), Some(Effect::Quit));
}

#[test]
fn overlays_scroll_as_far_as_their_box_needs() {
    let mut app = app(120, 24);
    app.setup(Setup {
        help_lines: 50,
        ..Setup::default()
    });
    app.update(Action::ToggleHelp);
    for _ in 0..100 {
        app.update(Action::Down);
    }
    // A box of 22 rows on 24 shows 20 of the 50 lines.
    assert_eq!(app.overlay.scroll, 30);
    // The taller box shows 36 lines: 14 is as far as it goes.
    app.update(Event::Resize(120, 40));
    app.update(Action::Up);
    assert_eq!(app.overlay.scroll, 14);
    app.update(Action::Down);
    assert_eq!(app.overlay.scroll, 14);
    // The warnings overlay: one line, nothing to scroll.
    app.update(Action::Back);
    app.update(Action::ToggleWarnings);
    app.update(Action::Down);
    assert_eq!(app.overlay.scroll, 0);
}

#[test]
fn help_and_warnings_overlays_toggle() {
    let mut app = app(120, 40);
    app.update(Action::ToggleHelp);
    assert_eq!(app.mode, Mode::Help);
    app.update(Action::Down);
    assert_eq!(app.overlay.scroll, 1);
    assert_eq!(app.lists.story_sel, 1);
    app.update(Action::Back);
    assert_eq!(app.mode, Mode::Normal);
    app.update(Action::ToggleWarnings);
    assert_eq!(app.mode, Mode::Warnings);
    app.update(Action::ToggleWarnings);
    assert_eq!(app.mode, Mode::Normal);
}

#[test]
fn mouse_clicks_select_and_wheel_scrolls() {
    let mut app = app(120, 40);
    let stories = app.panes().inner(Pane::Stories).unwrap_or_default();
    app.update(Action::ClickAt(stories.x + 2, stories.y + 3));
    assert_eq!(app.lists.story_sel, 3);
    assert_eq!(app.open_id(), app.selected_id(), "a click opens the story");
    let opened = app.open_id();
    app.update(Action::Up);
    assert_ne!(app.selected_id(), opened);
    let reader = app.panes().inner(Pane::Reader).unwrap_or_default();
    app.update(Action::ClickAt(reader.x + 2, reader.y + 2));
    assert_eq!(app.focus, Pane::Reader);
    assert_eq!(
        app.open_id(),
        opened,
        "a click into the story focuses it, without swapping in the selection"
    );
    let dates = app.panes().inner(Pane::Dates).unwrap_or_default();
    app.update(Action::ScrollDownAt(dates.x + 1, dates.y));
    assert_eq!(
        app.lists.dates[app.lists.date_sel].key,
        DateKey::Date(app.lib.stories[0].date)
    );
    app.update(Action::ClickAt(dates.x + 1, dates.y));
    assert_eq!(app.lists.dates[app.lists.date_sel].key, DateKey::Bookmarks);
    assert_eq!(app.focus, Pane::Dates);
}

#[test]
fn messages_expire_after_ticks() {
    let mut app = app(120, 40);
    app.notify("hello");
    for _ in 0..4 {
        send(&mut app, Event::Tick(time()));
    }
    assert_eq!(app.status(), Some("hello"));
    send(&mut app, Event::Tick(time()));
    assert_eq!(app.status(), None);
}

#[test]
fn tiny_and_huge_resizes_never_panic() {
    let mut app = app(120, 40);
    for (w, h) in [
        (0, 0),
        (1, 1),
        (5, 3),
        (29, 5),
        (30, 6),
        (99, 10),
        (100, 10),
        (400, 200),
    ] {
        app.update(Event::Resize(w, h));
        for a in [
            Action::Down,
            Action::PageDown,
            Action::Open,
            Action::FocusNext,
            Action::Bottom,
        ] {
            app.update(a);
        }
    }
}

/// Runs a background search job the way the runtime's worker does.
fn run_job(job: &crate::search::SearchJob) -> Vec<crate::search::Hit> {
    job.run(&crate::search::Matcher::new(), &|| false, &mut |_| {})
        .unwrap_or_default()
}

/// Opens the filter with background search and types `text`; the search the
/// last key asks for.
fn search_typed(app: &mut App, text: &str) -> crate::search::SearchJob {
    app.update(Action::StartFilter);
    let mut effect = None;
    for c in text.chars() {
        effect = app.update(Action::FilterInput(c));
    }
    let Some(Effect::Search(job)) = effect else {
        panic!("a search is asked for");
    };
    job
}

/// Runs `job` as the worker does and hands its results to the app (the job,
/// which shares the library, is dropped first, as the worker drops it).
fn finish(app: &mut App, job: crate::search::SearchJob) -> Option<Effect> {
    let hits = run_job(&job);
    drop(job);
    app.update(Event::SearchDone(app.filter.search_gen, hits))
}

/// The bundled samples' first 10 stories in an app at 120x40, and the other 13
/// as a part still to load.
fn app_with_part_to_come() -> (App, Library) {
    let mut lib = loader::load_bundled();
    let late = lib.stories.split_off(10);
    let mut part = lib.clone();
    part.stories = late;
    let mut app = App::new(lib, Vec::new(), time());
    app.update(Event::Resize(120, 40));
    (app, part)
}

#[test]
fn background_search_keeps_old_results_and_drops_stale_ones() {
    let mut app = app(120, 40);
    app.update(Action::StartFilter);
    let Some(Effect::Search(first)) = app.update(Action::FilterInput('f')) else {
        panic!("a search is asked for");
    };
    assert!(app.filter.searching);
    assert_eq!(
        app.lists.rows.len(),
        27,
        "the list stays as it was meanwhile"
    );
    let Some(Effect::Search(second)) = app.update(Action::FilterInput('l')) else {
        panic!("a second search");
    };
    // The second keystroke narrows the first's results once they are in; here the
    // first never finished, so it searches everything.
    assert!(second.typed.is_none() && second.all.is_none());
    let stale = run_job(&first);
    drop(first);
    app.update(Event::SearchDone(second.generation - 1, stale));
    assert!(
        app.filter.matches.is_none() && app.filter.searching,
        "stale results are ignored"
    );
    let fresh = run_job(&second);
    drop(second);
    app.update(Event::SearchDone(app_gen(&app), fresh.clone()));
    assert_eq!(app.filter.matches.as_deref(), Some(fresh.as_slice()));
    assert!(!app.filter.searching);
    let Some(Effect::Search(third)) = app.update(Action::FilterInput('u')) else {
        panic!("a third search");
    };
    // 'fl' matched as typed only (two letters never scatter); 'flu' may match
    // scattered letters too, so it searches everything again.
    assert!(
        third.typed.is_none() && third.all.is_none(),
        "not a narrowing"
    );
    let third_hits = run_job(&third);
    app.update(Event::SearchDone(app_gen(&app), third_hits.clone()));
    let Some(Effect::Search(fourth)) = app.update(Action::FilterInput('s')) else {
        panic!("a fourth search");
    };
    let narrowed = fourth.all.clone().unwrap_or_default();
    assert_eq!(
        fourth.typed, fourth.all,
        "complete results narrow both steps"
    );
    assert_eq!(
        narrowed.len(),
        third_hits.len(),
        "'flus' only re-checks the matches of 'flu'"
    );
    // Narrowing gives exactly what a full search gives.
    let full = crate::search::Matcher::new().rank(&app.lib, &fourth.query, 0..23);
    assert_eq!(run_job(&fourth), full);
}

fn app_gen(app: &App) -> u64 {
    app.filter.search_gen
}

#[test]
fn exclusion_being_typed_is_not_narrowed() {
    let mut app = app(120, 40);
    let job = search_typed(&mut app, "!s");
    finish(&mut app, job);
    let Some(Effect::Search(longer)) = app.update(Action::FilterInput('t')) else {
        panic!("search");
    };
    assert!(
        longer.typed.is_none() && longer.all.is_none(),
        "!st excludes less than !s"
    );
}

#[test]
fn parts_loaded_during_a_search_wait_and_keep_the_selection() {
    let (mut app, part) = app_with_part_to_come();
    let job = search_typed(&mut app, "s");
    // The worker still holds the library: the part waits.
    let effect = app.update(Event::Loaded(crate::action::Part(Box::new(part))));
    assert!(effect.is_none());
    assert_eq!(app.lib.stories.len(), 10);
    let hits = run_job(&job);
    drop(job);
    let top = hits.first().map(|h| app.lib.stories[h.story as usize].id);
    // Results arrive, the part merges, and a new search covers the new stories.
    let effect = app.update(Event::SearchDone(app.filter.search_gen, hits));
    assert_eq!(app.lib.stories.len(), 23);
    assert_eq!(
        app.selected_id(),
        top,
        "the best match stays selected through the merge"
    );
    let Some(Effect::Search(again)) = effect else {
        panic!("a new search after the merge");
    };
    let hits = run_job(&again);
    drop(again);
    app.update(Event::SearchDone(app.filter.search_gen, hits));
    assert!(
        app.filter
            .matches
            .as_ref()
            .is_some_and(|m| m.iter().all(|h| (h.story as usize) < 23))
    );
    let all_s = crate::search::Matcher::new().rank(&app.lib, &Query::parse("s"), 0..23);
    assert_eq!(app.filter.matches.as_deref(), Some(all_s.as_slice()));
}

#[test]
fn find_in_story_jumps_between_places() {
    let mut app = app(120, 12);
    app.update(Action::StartFind);
    assert_eq!((app.mode, app.focus), (Mode::Find, Pane::Reader));
    for c in "strike".chars() {
        app.update(Action::FindInput(c));
    }
    let found = app.found();
    assert!(found.len() >= 2, "{found:?}");
    app.update(Action::ConfirmFind);
    assert_eq!(app.mode, Mode::Normal);
    let first = app.reader.find_hit;
    app.update(Action::FindNext);
    assert_eq!(app.reader.find_hit, (first + 1) % found.len());
    let line = found[app.reader.find_hit].line;
    let height = app
        .panes()
        .inner(Pane::Reader)
        .map_or(0, |r| usize::from(r.height));
    assert!(
        line >= app.reader.scroll && line < app.reader.scroll + height,
        "in view"
    );
    app.update(Action::FindPrev);
    assert_eq!(app.reader.find_hit, first);
    app.update(Action::CancelFind);
    assert!(app.reader.find.is_empty() && app.found().is_empty());
}

#[test]
fn a_story_shown_for_a_moment_counts_as_read() {
    let mut app = app(120, 40);
    let id = app.selected_id().unwrap_or(StoryId(0));
    assert!(!app.is_read(id));
    assert_eq!(send(&mut app, Event::Tick(time())), None);
    assert_eq!(send(&mut app, Event::Tick(time())), None);
    let effect = send(&mut app, Event::Tick(time()));
    assert_eq!(effect, Some(Effect::SaveRead(vec![id], Vec::new())));
    assert!(app.is_read(id));
    // Moving on restarts the count for the next story.
    app.update(Action::Down);
    assert_eq!(send(&mut app, Event::Tick(time())), None);
}

#[test]
fn narrow_list_does_not_mark_read_until_opened() {
    let mut app = app(80, 24);
    for _ in 0..4 {
        assert_eq!(send(&mut app, Event::Tick(time())), None);
    }
    app.update(Action::Open);
    send(&mut app, Event::Tick(time()));
    send(&mut app, Event::Tick(time()));
    assert!(matches!(
        send(&mut app, Event::Tick(time())),
        Some(Effect::SaveRead(..))
    ));
}

#[test]
fn mark_keys_and_unread_only() {
    let mut app = app(120, 40);
    let first = app.selected_id().unwrap_or(StoryId(0));
    assert!(
        matches!(app.update(Action::MarkRead), Some(Effect::SaveRead(ref r, _)) if r == &vec![first])
    );
    assert_eq!(app.lists.dates[1].unread, 22);
    app.update(Action::ToggleUnreadOnly);
    // The story just read stays listed while selected, then leaves.
    assert_eq!(app.selected_id(), Some(first));
    app.update(Action::Down);
    app.update(Action::ToggleUnreadOnly);
    app.update(Action::ToggleUnreadOnly);
    assert!(
        app.lists
            .rows
            .iter()
            .all(|r| !matches!(r, Row::Story(i) if app.lib.stories[*i as usize].id == first))
    );
    app.update(Action::ToggleUnreadOnly);
    assert_eq!(app.lists.rows.len(), 27);
    app.update(Action::Top);
    assert!(
        matches!(app.update(Action::MarkUnread), Some(Effect::SaveRead(_, ref u)) if u == &vec![first])
    );
    assert_eq!(app.lists.dates[1].unread, 23);
    // Marked unread by hand: not marked read again while it stays shown.
    for _ in 0..4 {
        assert_eq!(send(&mut app, Event::Tick(time())), None);
    }
}

#[test]
fn new_stories_are_those_not_seen_before() {
    let mut app = app(120, 40);
    assert_eq!(app.new_count(), 0, "first run: nothing is new");
    let seen: crate::store::read::IdSet = app.lib.stories.iter().skip(3).map(|s| s.id).collect();
    app.update(Event::ReadStateOpened(
        crate::store::read::IdSet::default(),
        seen,
        false,
    ));
    assert_eq!(app.new_count(), 3);
    assert!(app.is_new(app.lib.stories[0].id));
    assert!(!app.is_new(app.lib.stories[5].id));
    typed(&mut app, "is:new");
    assert_eq!(app.filter.matches.as_ref().map_or(0, Vec::len), 3);
    app.update(Action::CancelFilter);
    app.update(Action::ToggleBookmark);
    typed(&mut app, "is:bookmarked");
    assert_eq!(app.filter.matches.as_ref().map_or(0, Vec::len), 1);
}

#[test]
fn files_changed_while_running_update_the_lists() {
    // As if read from files: a reload names the files by path.
    let mut all = loader::load_bundled();
    for doc in &mut all.docs {
        doc.path = Some(doc.origin.clone().into());
    }
    let only = |names: &[&str]| {
        let mut lib = all.clone();
        let keep: Vec<u32> = (0..lib.docs.len())
            .filter(|&d| names.iter().any(|n| lib.docs[d].origin.contains(n)))
            .filter_map(|d| u32::try_from(d).ok())
            .collect();
        lib.stories.retain(|s| keep.contains(&s.doc));
        lib
    };
    let mut app = App::new(only(&["002_"]), Vec::new(), time());
    app.update(Event::Resize(120, 40));
    let selected = app.selected_id();
    // A digest appears: its stories are listed, the selection stays, the status says so.
    app.update(Event::Reloaded(
        Vec::new(),
        crate::action::Part(Box::new(only(&["001_"]))),
    ));
    assert_eq!(app.lib.stories.len(), 8);
    assert_eq!(app.selected_id(), selected);
    assert_eq!(app.status(), Some("7 stories added"));
    // Every row fits the pane: none is left scrolled out of sight above.
    assert!(app.lists.rows.len() < app.page_height(Pane::Stories));
    assert_eq!(app.lists.story_offset, 0);
    // The article is changed (same content here) and the digest deleted.
    let path = |n: usize| app.lib.docs[app.lib.stories[n].doc as usize].path.clone();
    let (article, digest) = (path(7), path(0));
    assert!(article.is_some() && digest.is_some());
    app.update(Event::Reloaded(
        article.into_iter().chain(digest).collect(),
        crate::action::Part(Box::new(only(&["002_"]))),
    ));
    assert_eq!(app.lib.stories.len(), 1);
    assert_eq!(app.selected_id(), selected);
    assert_eq!(app.status(), Some("7 stories removed"));
}

#[test]
fn typing_a_qualifier_after_a_term_is_not_a_narrowing() {
    let mut app = app(120, 40);
    let job = search_typed(&mut app, "date");
    finish(&mut app, job);
    // `date` had results; `date:` starts a qualifier, which matches other stories.
    let Some(Effect::Search(job)) = app.update(Action::FilterInput(':')) else {
        panic!("search");
    };
    assert!(job.typed.is_none() && job.all.is_none());
    drop(job);
    for c in "2025".chars() {
        app.update(Action::FilterInput(c));
    }
    assert!(!app.filter.parsed.qualifiers().is_empty());
    let Some(Effect::Search(job)) = app.update(Action::FilterInput(' ')) else {
        panic!("search");
    };
    let got = run_job(&job);
    drop(job);
    let full = crate::search::Matcher::new().rank(&app.lib, &app.filter.parsed, 0..23);
    assert_eq!(got.len(), 16, "every story of 2025");
    assert_eq!(got, full);
}

#[test]
fn results_after_leaving_the_filter_do_not_swap_the_open_story() {
    let mut app = app(120, 40);
    let job = search_typed(&mut app, "flu");
    // Enter before the results come, then a story of the user's own choosing.
    app.update(Action::ConfirmFilter);
    app.update(Action::Down);
    app.update(Action::Open);
    let chosen = app.open_id();
    finish(&mut app, job);
    assert_eq!(app.open_id(), chosen);
}

#[test]
fn merged_stories_are_not_lost_to_narrowing() {
    let (mut app, part) = app_with_part_to_come();
    let job = search_typed(&mut app, "s");
    finish(&mut app, job);
    // The part merges; a key arrives before the search that covers it returns.
    let again = app.update(Event::Loaded(crate::action::Part(Box::new(part))));
    assert!(matches!(again, Some(Effect::Search(_))));
    drop(again);
    let Some(Effect::Search(job)) = app.update(Action::FilterInput('t')) else {
        panic!("search");
    };
    assert!(job.typed.is_none() && job.all.is_none(), "not narrowed");
    finish(&mut app, job);
    let full = crate::search::Matcher::new().rank(&app.lib, &Query::parse("st"), 0..23);
    assert_eq!(app.filter.matches.as_deref(), Some(full.as_slice()));
}

#[test]
fn stories_arriving_stop_the_index_build() {
    let mut app = app(120, 40);
    let Some(Effect::BuildIndex(job)) = app.update(Event::LoadDone) else {
        panic!("the index is asked for");
    };
    // Stories arriving ask for the build to stop (the runtime stops it).
    let part = loader::load_bundled();
    assert_eq!(
        app.update(Event::Loaded(crate::action::Part(Box::new(part)))),
        Some(Effect::CancelIndex)
    );
    let built = job.run(&|| true);
    assert!(built.index.is_none(), "the build was stopped");
    let effect = app.update(Event::IndexReady(built));
    assert_eq!(app.lib.stories.len(), 46, "the part merged");
    // Asked for again, for the merged library.
    let Some(Effect::BuildIndex(job)) = effect else {
        panic!("a new build");
    };
    let built = job.run(&|| false);
    assert_eq!(built.index.as_ref().map(|i| i.stories()), Some(46));
    app.update(Event::IndexReady(built));
}

#[test]
fn a_story_in_two_files_is_read_in_both() {
    let mut lib = loader::load_bundled();
    lib.merge(loader::load_bundled());
    let mut app = App::new(lib, Vec::new(), time());
    app.update(Event::Resize(120, 40));
    let unread = |app: &App| {
        app.lists
            .dates
            .iter()
            .find(|d| d.key == DateKey::All)
            .map_or(0, |d| d.unread)
    };
    assert_eq!(unread(&app), 46);
    app.update(Action::MarkRead);
    assert_eq!(unread(&app), 44, "both copies count as read");
}
