use super::super::tests::{app, headline, send};
use super::*;
use crate::action::{Action, Event};
use crate::layout::Pane;

fn open_headline(app: &App) -> String {
    app.open_story()
        .map(|s| app.lib.headline(s).to_string())
        .unwrap_or_default()
}

fn status(app: &App) -> String {
    app.status().unwrap_or_default().to_string()
}

#[test]
fn next_unread_skips_read_stories_and_goes_on_to_the_next_date() {
    let mut app = app(120, 40);
    // The newest date (7 stories), all marked read.
    send(&mut app, Action::FocusLeft);
    send(&mut app, Action::Down);
    assert_eq!(app.lists.listed, 7);
    send(&mut app, Action::MarkAllRead);
    assert_eq!(status(&app), "Marked 7 stories read (u undoes)");
    assert_eq!(app.lists.dates[app.lists.date_sel].unread, 0);
    send(&mut app, Action::NextUnread);
    assert!(
        open_headline(&app).starts_with("Streeting makes new offer"),
        "{}",
        open_headline(&app)
    );
    assert_eq!(headline(&app), open_headline(&app), "the list follows");
    assert_eq!(
        app.lists.dates[app.lists.date_sel].count, 5,
        "the next date is selected"
    );
    // Nothing unread before it: the previous date is all read.
    send(&mut app, Action::PrevUnread);
    assert_eq!(status(&app), "No more unread stories");
    assert!(open_headline(&app).starts_with("Streeting makes new offer"));
}

#[test]
fn mark_all_read_is_undone_by_u_right_after_only() {
    let mut app = app(120, 40);
    let unread = |app: &App| app.lists.dates[app.lists.date_sel].unread;
    assert_eq!(unread(&app), 23);
    let effect = send(&mut app, Action::MarkAllRead);
    assert!(
        matches!(effect, Some(Effect::SaveRead(ref read, ref unread)) if read.len() == 23 && unread.is_empty())
    );
    assert_eq!(unread(&app), 0);
    let effect = send(&mut app, Action::MarkUnread);
    assert!(
        matches!(effect, Some(Effect::SaveRead(ref read, ref unread)) if read.is_empty() && unread.len() == 23)
    );
    assert_eq!(unread(&app), 23);
    assert_eq!(status(&app), "Marked 23 stories unread again");
    // After another key, `u` marks the one story only.
    send(&mut app, Action::MarkAllRead);
    send(&mut app, Action::Down);
    send(&mut app, Action::MarkUnread);
    assert_eq!(unread(&app), 1);
    // Nothing left to mark.
    send(&mut app, Action::MarkRead);
    send(&mut app, Action::MarkAllRead);
    assert_eq!(status(&app), "Every story listed is read already");
}

#[test]
fn paging_past_a_story_opens_the_next_unread_and_n_says_when_it_is_the_last() {
    let mut app = app(120, 40);
    // Read the second story, then open the first and page past its end.
    send(&mut app, Action::Down);
    send(&mut app, Action::MarkRead);
    send(&mut app, Action::Up);
    send(&mut app, Action::Open);
    assert_eq!(app.focus, Pane::Reader);
    assert!(open_headline(&app).starts_with("More strikes unlikely"));
    send(&mut app, Action::Bottom);
    send(&mut app, Action::PageDown);
    assert!(
        open_headline(&app).starts_with("Women's health strategy"),
        "{}",
        open_headline(&app)
    );
    // The last story: `n` says so and stays.
    send(&mut app, Action::FocusLeft);
    send(&mut app, Action::Bottom);
    send(&mut app, Action::Open);
    let last = open_headline(&app);
    send(&mut app, Action::NextStory);
    assert_eq!(open_headline(&app), last);
    assert_eq!(status(&app), "Last story");
}

#[test]
fn a_message_goes_with_the_next_key_but_not_with_time_or_events() {
    let mut app = app(120, 40);
    send(&mut app, Action::MarkRead);
    assert_eq!(status(&app), "Marked read");
    send(&mut app, Event::Resize(120, 40));
    assert_eq!(status(&app), "Marked read", "an event leaves it");
    send(&mut app, Action::Down);
    assert_eq!(app.status(), None);
}

#[test]
fn with_preview_follow_the_story_pane_shows_the_selection_once_it_stops() {
    let tick = || Event::Tick(super::super::tests::time());
    for follow in [false, true] {
        let mut app = app(120, 40);
        app.setup(super::super::Setup {
            preview_follow: follow,
            ..super::super::Setup::default()
        });
        let first = open_headline(&app);
        send(&mut app, Action::Down);
        send(&mut app, tick());
        assert_eq!(open_headline(&app), first, "not while it may still move");
        send(&mut app, tick());
        let shown = open_headline(&app);
        assert_eq!(
            shown.starts_with("BMA to appeal"),
            follow,
            "{follow}: {shown}"
        );
    }
    // The narrow layout shows one pane: nothing to follow.
    let mut app = app(80, 24);
    app.setup(super::super::Setup {
        preview_follow: true,
        ..super::super::Setup::default()
    });
    let first = open_headline(&app);
    send(&mut app, Action::Down);
    send(&mut app, tick());
    send(&mut app, tick());
    assert_eq!(open_headline(&app), first);
}
