//! The status line: filter or note being typed on the left, counts in the middle,
//! key hints (or a message) on the right. Also the narrow layout's header.

use crate::text::width as width_of;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::Theme;
use crate::action::Action;
use crate::app::{App, DateKey, Mode};
use crate::keymap::{Keymap, Scope};
use crate::layout::Pane;
use crate::text;

/// Hints for the focused pane, most useful first, generated from the key table.
fn hints(app: &App, keymap: &Keymap, theme: &Theme) -> Vec<String> {
    let key = |scope: Scope, a: &Action| {
        keymap
            .keys_for(scope, a, theme.sym.unicode)
            .into_iter()
            .next()
            .unwrap_or_default()
    };
    let pair = |a: &Action, b: &Action, word: &str| {
        format!("{}/{} {word}", key(Scope::Normal, a), key(Scope::Normal, b))
    };
    let one = |scope: Scope, a: &Action, word: &str| format!("{} {word}", key(scope, a));
    let mut out = match (app.mode, app.focus) {
        (Mode::Filter, _) => vec![
            one(Scope::Filter, &Action::ConfirmFilter, "keep"),
            one(Scope::Filter, &Action::CancelFilter, "clear"),
        ],
        (Mode::Find, _) => vec![
            one(Scope::Find, &Action::ConfirmFind, "keep"),
            one(Scope::Find, &Action::CancelFind, "stop"),
        ],
        (_, Pane::Reader) if !app.reader.find.is_empty() => vec![
            format!(
                "{}/{} next/prev found",
                key(Scope::Found, &Action::FindNext),
                key(Scope::Found, &Action::FindPrev)
            ),
            one(Scope::Found, &Action::CancelFind, "stop finding"),
        ],
        (Mode::Note, _) => vec![
            one(Scope::Note, &Action::NoteSave, "save"),
            one(Scope::Note, &Action::NoteCancel, "cancel"),
        ],
        (Mode::Help | Mode::Warnings, _) => vec![one(Scope::Overlay, &Action::Back, "close")],
        (_, Pane::Reader) => vec![
            one(Scope::Reader, &Action::PageDown, "page"),
            format!(
                "{}/{} story",
                key(Scope::Reader, &Action::NextStory),
                key(Scope::Reader, &Action::PrevStory)
            ),
            one(Scope::Normal, &Action::ToggleBookmark, "bookmark"),
            one(Scope::Normal, &Action::FocusLeft, "back"),
        ],
        (_, Pane::Dates) => vec![
            pair(&Action::Down, &Action::Up, "move"),
            one(Scope::Normal, &Action::Open, "stories"),
        ],
        (_, Pane::Stories) => vec![
            pair(&Action::Down, &Action::Up, "move"),
            one(Scope::Normal, &Action::Open, "open"),
            one(Scope::Normal, &Action::ToggleBookmark, "bookmark"),
        ],
    };
    if matches!(app.mode, Mode::Normal) {
        out.push(one(Scope::Normal, &Action::StartFilter, "filter"));
        out.push(one(Scope::Normal, &Action::Quit, "quit"));
        // Help last: it is the one hint kept when space runs out.
        out.push(one(Scope::Normal, &Action::ToggleHelp, "help"));
    }
    out
}

/// The loading progress: a bar, files and stories so far.
fn progress(app: &App, done: usize, total: Option<usize>, theme: &Theme) -> String {
    const BAR: usize = 10;
    let stories = app.lib.stories.len();
    let Some(total) = total else {
        return format!("Scanning folders… {stories} stories");
    };
    let filled = (done * BAR).checked_div(total).unwrap_or(BAR).min(BAR);
    let (full, empty) = if theme.sym.unicode {
        ("█", "░")
    } else {
        ("#", "-")
    };
    format!(
        "Loading {}{} {done}/{total} files {} {stories} stories",
        full.repeat(filled),
        empty.repeat(BAR - filled),
        theme.sym.dot
    )
}

/// The counts: stories shown / total, dates, warnings; `short` drops the words.
fn counts(app: &App, short: bool, theme: &Theme) -> String {
    let shown = app.lists.listed;
    let dates = app
        .lists
        .dates
        .iter()
        .filter(|d| matches!(d.key, DateKey::Date(_)))
        .count();
    let in_bookmarks = app
        .lists
        .dates
        .get(app.lists.date_sel)
        .is_some_and(|d| d.key == DateKey::Bookmarks);
    let plural = crate::text::counted;
    let dot = theme.sym.dot;
    let mut s = match (in_bookmarks, short) {
        (true, _) => plural(shown, "bookmark", "bookmarks"),
        (false, true) => format!("{shown}/{}", app.lib.stories.len()),
        (false, false) => format!(
            "{shown} of {} {dot} {}",
            plural(app.lib.stories.len(), "story", "stories"),
            plural(dates, "date", "dates")
        ),
    };
    if app.lists.unread_only {
        s.push_str(&format!(" {dot} unread only"));
    }
    let new = app.new_count();
    if new > 0 && !short {
        s.push_str(&format!(" {dot} {new} new"));
    }
    let warnings = app.lib.warnings.len();
    if warnings > 0 {
        s.push_str(&format!(
            " {dot} {} (w)",
            plural(warnings, "warning", "warnings")
        ));
    }
    s
}

/// Draws the status line: left the filter or note being typed, right a message or
/// the key hints, between them the counts (or loading progress). When space runs
/// short, hints go first (the general ones, then the pane's; help stays), then
/// the counts get shorter.
pub fn render(app: &App, keymap: &Keymap, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let width = usize::from(area.width);
    let left = match (&app.mode, &app.note) {
        (Mode::Note, Some(n)) => {
            let at = n
                .text
                .char_indices()
                .nth(n.cursor)
                .map_or(n.text.len(), |(i, _)| i);
            let (a, b) = n.text.split_at(at);
            format!(" Note: {a}{}{b}", theme.sym.cursor)
        }
        (Mode::Filter, _) => format!(
            " /{}{}",
            text::clean_inline(&app.filter.query),
            theme.sym.cursor
        ),
        (Mode::Find, _) => format!(
            " Find: {}{}",
            text::clean_inline(&app.reader.find),
            theme.sym.cursor
        ),
        _ if !app.reader.find.is_empty() && app.focus == Pane::Reader => {
            let found = app.found().len();
            let at = if found == 0 {
                0
            } else {
                app.reader.find_hit + 1
            };
            format!(
                " Find: {} ({at}/{found})",
                text::clean_inline(&app.reader.find)
            )
        }
        _ if !app.filter.query.is_empty() => format!(" /{}", text::clean_inline(&app.filter.query)),
        _ => String::new(),
    };
    // Long input scrolls: keep the end (where typing happens) in view.
    let room = (width * 2 / 3).max(10);
    let left = if width_of(&left) > room {
        format!(
            " {}{}",
            theme.sym.ellipsis,
            text::tail(&left, room.saturating_sub(1))
        )
    } else {
        left
    };
    let left_style = if app.mode == Mode::Note {
        theme.mark
    } else {
        theme.text
    };
    buf.set_stringn(area.x, area.y, &left, width, left_style);
    let free = width.saturating_sub(width_of(&left) + 2);
    let (mut right, right_style) = match app.status() {
        Some(m) => (vec![text::clean_inline(m).into_owned()], theme.message),
        None => (hints(app, keymap, theme), theme.dim),
    };
    let mut middle = match app.background.loading {
        Some((done, total)) => progress(app, done, total, theme),
        None => counts(app, false, theme),
    };
    if app.filter.searching {
        middle = format!("searching{} {middle}", theme.sym.ellipsis);
    }
    let fits = |m: &str, r: &[String]| width_of(m) + 3 + width_of(&r.join("  ")) <= free;
    // Drop hints from before the last ones, which stay at every width: quit and
    // help while browsing, the way out of any other mode.
    let keep = if app.mode == Mode::Normal && app.status().is_none() {
        2
    } else {
        1
    };
    while right.len() > keep && !fits(&middle, &right) {
        right.remove(right.len() - keep - 1);
    }
    if !fits(&middle, &right) && app.background.loading.is_none() {
        middle = counts(app, true, theme);
    }
    let right = theme.cut(&right.join("  "), free).into_owned();
    let rx = width.saturating_sub(width_of(&right) + 1);
    buf.set_stringn(
        area.x + u16::try_from(rx).unwrap_or(0),
        area.y,
        &right,
        free,
        right_style,
    );
    let mid_room = rx.saturating_sub(width_of(&left) + 3);
    if width_of(&middle) <= mid_room {
        let mx = rx.saturating_sub(width_of(&middle) + 3);
        buf.set_stringn(
            area.x + u16::try_from(mx).unwrap_or(0),
            area.y,
            &middle,
            mid_room,
            theme.dim,
        );
    }
}

/// The narrow layout's navigation hint for a header `width` columns wide: the
/// keys that move between panes, in words, from 60 columns (else nothing).
pub fn header_nav(keymap: &Keymap, theme: &Theme, width: usize) -> String {
    if width < 60 {
        return String::new();
    }
    let key = |a: &Action| {
        keymap
            .keys_for(Scope::Normal, a, theme.sym.unicode)
            .into_iter()
            .next()
            .unwrap_or_default()
    };
    format!(
        "{}/{} panes ",
        key(&Action::FocusLeft),
        key(&Action::FocusRight)
    )
}

/// Draws the narrow layout's header: where you are, and [`header_nav`].
pub fn render_header(keymap: &Keymap, theme: &Theme, title: &str, area: Rect, buf: &mut Buffer) {
    let text = format!(" sitrep {} {title}", theme.sym.dot);
    let width = usize::from(area.width);
    let nav = header_nav(keymap, theme, width);
    let text = theme
        .cut(&text, width.saturating_sub(width_of(&nav) + 1))
        .into_owned();
    buf.set_stringn(area.x, area.y, &text, width, theme.headline);
    let x = width.saturating_sub(width_of(&nav));
    buf.set_stringn(
        area.x + u16::try_from(x).unwrap_or(0),
        area.y,
        &nav,
        width_of(&nav),
        theme.dim,
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::widget;

    /// The footer alone, drawn 80 columns wide (the reader at 80x24), after `actions`.
    fn footer(actions: &[Action]) -> String {
        let app = widget::app_after(80, 24, actions);
        let area = Rect::new(0, 0, 80, 1);
        let mut buf = Buffer::empty(area);
        render(&app, &Keymap::default(), &widget::theme(), area, &mut buf);
        widget::rows(&buf, area).concat()
    }

    fn typed(start: Action, text: &str, input: fn(char) -> Action) -> Vec<Action> {
        std::iter::once(start)
            .chain(text.chars().map(input))
            .collect()
    }

    #[test]
    fn quit_and_help_are_named_at_every_width_and_pane_keys_from_60() {
        for width in [24u16, 30, 40, 59, 60, 80, 120] {
            for actions in [&[][..], &[Action::Open, Action::Open][..]] {
                let app = widget::app_after(width, 24, actions);
                let area = Rect::new(0, 0, width, 1);
                let mut buf = Buffer::empty(area);
                render(&app, &Keymap::default(), &widget::theme(), area, &mut buf);
                let row = widget::rows(&buf, area).concat();
                assert!(row.ends_with("q quit  ? help "), "{width}: {row:?}");
            }
            let nav = header_nav(&Keymap::default(), &widget::theme(), usize::from(width));
            assert_eq!(nav.is_empty(), width < 60, "{width}: {nav:?}");
        }
        assert_eq!(
            header_nav(&Keymap::default(), &widget::theme(), 80),
            "h/l panes "
        );
    }

    #[test]
    fn browsing_shows_counts_and_the_pane_keys() {
        assert_eq!(
            footer(&[]),
            "      23 of 23 stories · 4 dates   j/k move  ⏎ open  b bookmark  q quit  ? help "
        );
    }

    #[test]
    fn reading_shows_the_reader_keys() {
        assert_eq!(
            footer(&[Action::Open, Action::FocusRight]),
            " 23 of 23 stories · 4 dates   Space page  n/p story  b bookmark  q quit  ? help "
        );
    }

    #[test]
    fn a_filter_shows_what_is_typed_and_what_it_matched() {
        let flu = typed(Action::StartFilter, "flu", Action::FilterInput);
        assert_eq!(
            footer(&flu),
            " /flu▏                            7 of 23 stories · 4 dates   ⏎ keep  Esc clear "
        );
        let nothing = typed(Action::StartFilter, "xyzzy", Action::FilterInput);
        assert_eq!(
            footer(&nothing),
            " /xyzzy▏                          0 of 23 stories · 0 dates   ⏎ keep  Esc clear "
        );
    }

    #[test]
    fn find_and_note_show_their_text_and_keys() {
        let mut find = vec![Action::Open];
        find.extend(typed(Action::StartFind, "strike", Action::FindInput));
        assert_eq!(
            footer(&find),
            " Find: strike▏                    23 of 23 stories · 4 dates   ⏎ keep  Esc stop "
        );
        let mut note = vec![Action::ToggleBookmark];
        note.extend(typed(Action::EditNote, "ask Jo", Action::NoteInput));
        assert_eq!(
            footer(&note),
            " Note: ask Jo▏                  23 of 23 stories · 4 dates   ⏎ save  Esc cancel "
        );
    }

    #[test]
    fn an_overlay_says_how_to_close_it() {
        let close =
            "                                         23 of 23 stories · 4 dates   Esc close ";
        assert_eq!(footer(&[Action::ToggleHelp]), close);
        assert_eq!(footer(&[Action::ToggleWarnings]), close);
    }
}
