//! Every key the reader knows, in one table: `(scope, key) → Action`, with the text
//! the help overlay and the footer hints are generated from. No state changes here.
//!
//! The browsing keys (scopes `Normal` and `Reader`) can be rebound by name from the
//! config file: [`Bindable`] names them, [`Key::parse`] reads key names and
//! [`Keymap::rebind`] / [`Keymap::conflicts`] merge and check a user's bindings.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::action::Action;

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Browsing, any pane.
    Normal,
    /// Browsing with the Story pane focused (checked before `Normal`).
    Reader,
    /// Typing a filter.
    Filter,
    /// Editing a bookmark note.
    Note,
    /// An overlay (help, warnings) is open.
    Overlay,
    /// Typing text to find in the story.
    Find,
    /// Reading with found text highlighted (checked before `Reader`).
    Found,
}

/// A key: code plus Ctrl/Alt (Shift is part of the character).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    /// The key.
    pub code: KeyCode,
    /// Ctrl and Alt only.
    pub mods: KeyModifiers,
}

impl Key {
    const fn plain(code: KeyCode) -> Self {
        Key {
            code,
            mods: KeyModifiers::NONE,
        }
    }
    const fn ctrl(c: char) -> Self {
        Key {
            code: KeyCode::Char(c),
            mods: KeyModifiers::CONTROL,
        }
    }
    const fn ch(c: char) -> Self {
        Key::plain(KeyCode::Char(c))
    }

    /// The key of a crossterm event, with Shift folded into characters.
    #[must_use]
    pub fn from_event(ev: &KeyEvent) -> Self {
        let mut mods = ev.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT);
        let code = match ev.code {
            KeyCode::BackTab => KeyCode::BackTab,
            KeyCode::Char(c) if mods.contains(KeyModifiers::CONTROL) => {
                KeyCode::Char(c.to_ascii_lowercase())
            }
            other => other,
        };
        if code == KeyCode::BackTab {
            mods = KeyModifiers::NONE;
        }
        Key { code, mods }
    }

    /// How the key is written in help and hints: `j`, `C-d`, `PgDn`, `⏎`.
    #[must_use]
    pub fn label(self) -> String {
        self.label_in(true)
    }

    /// The label with Unicode symbols (`⏎`, arrows) or in plain ASCII words.
    #[must_use]
    pub fn label_in(self, unicode: bool) -> String {
        let ascii = match self.code {
            KeyCode::Enter => Some("Enter"),
            KeyCode::Up => Some("Up"),
            KeyCode::Down => Some("Down"),
            KeyCode::Left => Some("Left"),
            KeyCode::Right => Some("Right"),
            _ => None,
        };
        let base = match self.code {
            _ if !unicode && ascii.is_some() => ascii.unwrap_or_default().to_string(),
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Enter => "⏎".into(),
            KeyCode::Esc => "Esc".into(),
            KeyCode::Tab => "Tab".into(),
            KeyCode::BackTab => "S-Tab".into(),
            KeyCode::Backspace => "Bksp".into(),
            KeyCode::Up => "↑".into(),
            KeyCode::Down => "↓".into(),
            KeyCode::Left => "←".into(),
            KeyCode::Right => "→".into(),
            KeyCode::Home => "Home".into(),
            KeyCode::End => "End".into(),
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::PageDown => "PgDn".into(),
            KeyCode::F(n) => format!("F{n}"),
            other => format!("{other:?}"),
        };
        if self.mods.contains(KeyModifiers::CONTROL) {
            format!("C-{base}")
        } else if self.mods.contains(KeyModifiers::ALT) {
            format!("M-{base}")
        } else {
            base
        }
    }

    /// Reads a key as the config file writes it: one character (`"x"`, `"X"`,
    /// `"?"`), a name (`"enter"`, `"esc"`, `"tab"`, `"backtab"`, `"space"`,
    /// `"backspace"`, `"up"`, `"down"`, `"left"`, `"right"`, `"home"`, `"end"`,
    /// `"pgup"`, `"pgdn"`, `"f1"`..`"f12"`), either after `"ctrl-"` or `"alt-"`.
    /// Names are case-insensitive; a single character is not (`"X"` is Shift-x).
    ///
    /// # Errors
    /// A short reason when `s` is not a key.
    pub fn parse(s: &str) -> Result<Self, String> {
        let mut chars = s.chars();
        if let (Some(c), None) = (chars.next(), chars.next()) {
            if c.is_control() {
                return Err("not a printable character".into());
            }
            return Ok(Key::ch(c));
        }
        let lower = s.to_ascii_lowercase();
        for (prefix, mods) in [
            ("ctrl-", KeyModifiers::CONTROL),
            ("alt-", KeyModifiers::ALT),
        ] {
            if lower.len() > prefix.len() && lower.starts_with(prefix) {
                // The prefix is ASCII; what follows keeps its case (`alt-X`).
                let rest = &s[prefix.len()..];
                let base = Key::parse(rest)?;
                if !base.mods.is_empty() {
                    return Err("only one of ctrl- and alt- at a time".into());
                }
                let code = match base.code {
                    KeyCode::Char(c) if mods == KeyModifiers::CONTROL => {
                        KeyCode::Char(c.to_ascii_lowercase())
                    }
                    KeyCode::BackTab => return Err("backtab takes no ctrl- or alt-".into()),
                    other => other,
                };
                return Ok(Key { code, mods });
            }
        }
        let code = match lower.as_str() {
            "enter" | "return" => KeyCode::Enter,
            "esc" | "escape" => KeyCode::Esc,
            "tab" => KeyCode::Tab,
            "backtab" | "shift-tab" => KeyCode::BackTab,
            "space" => KeyCode::Char(' '),
            "backspace" => KeyCode::Backspace,
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "pgup" | "pageup" => KeyCode::PageUp,
            "pgdn" | "pagedown" => KeyCode::PageDown,
            f => match f.strip_prefix('f').and_then(|n| n.parse::<u8>().ok()) {
                Some(n @ 1..=12) => KeyCode::F(n),
                _ => return Err("not a key name".into()),
            },
        };
        Ok(Key::plain(code))
    }

    /// The key as the config file writes it (what [`Key::parse`] reads back).
    #[must_use]
    pub fn config_name(self) -> String {
        let base = match self.code {
            KeyCode::Char(' ') => "space".to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Enter => "enter".into(),
            KeyCode::Esc => "esc".into(),
            KeyCode::Tab => "tab".into(),
            KeyCode::BackTab => "backtab".into(),
            KeyCode::Backspace => "backspace".into(),
            KeyCode::Up => "up".into(),
            KeyCode::Down => "down".into(),
            KeyCode::Left => "left".into(),
            KeyCode::Right => "right".into(),
            KeyCode::Home => "home".into(),
            KeyCode::End => "end".into(),
            KeyCode::PageUp => "pgup".into(),
            KeyCode::PageDown => "pgdn".into(),
            KeyCode::F(n) => format!("f{n}"),
            other => format!("{other:?}").to_ascii_lowercase(),
        };
        if self.mods.contains(KeyModifiers::CONTROL) {
            format!("ctrl-{base}")
        } else if self.mods.contains(KeyModifiers::ALT) {
            format!("alt-{base}")
        } else {
            base
        }
    }
}

/// The actions the config file's `[keys]` table can bind, named there by the
/// variant's name in snake case (`half_page_down`). Help, `sitrep config
/// default` and validation list them in this order. Every `Normal` and `Reader`
/// row of the built-in table has one.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, strum::EnumIter, strum::EnumString, strum::IntoStaticStr,
)]
#[strum(serialize_all = "snake_case")]
pub enum Bindable {
    Down,
    Up,
    Top,
    Bottom,
    HalfPageDown,
    HalfPageUp,
    PageDown,
    PageUp,
    NextPane,
    PrevPane,
    PaneLeft,
    PaneRight,
    Open,
    NextDate,
    PrevDate,
    Filter,
    Find,
    Bookmark,
    EditNote,
    MarkRead,
    MarkUnread,
    MarkAllRead,
    NextUnread,
    PrevUnread,
    UnreadOnly,
    CopyStory,
    CopyHeadline,
    PipeStory,
    EditFile,
    Warnings,
    Help,
    Back,
    Quit,
    ForceQuit,
    Suspend,
    Redraw,
    StoryPageDown,
    NextStory,
    PrevStory,
}

impl Bindable {
    /// Its name in the config file.
    #[must_use]
    pub fn name(self) -> &'static str {
        self.into()
    }

    /// Where its keys apply.
    #[must_use]
    pub fn scope(self) -> Scope {
        match self {
            Bindable::StoryPageDown | Bindable::NextStory | Bindable::PrevStory => Scope::Reader,
            _ => Scope::Normal,
        }
    }

    /// What it does.
    #[must_use]
    #[allow(clippy::match_same_arms)] // one arm per name: two names can share an action
    pub fn action(self) -> Action {
        match self {
            Bindable::Down => Action::Down,
            Bindable::Up => Action::Up,
            Bindable::Top => Action::Top,
            Bindable::Bottom => Action::Bottom,
            Bindable::HalfPageDown => Action::HalfPageDown,
            Bindable::HalfPageUp => Action::HalfPageUp,
            Bindable::PageDown => Action::PageDown,
            Bindable::PageUp => Action::PageUp,
            Bindable::NextPane => Action::FocusNext,
            Bindable::PrevPane => Action::FocusPrev,
            Bindable::PaneLeft => Action::FocusLeft,
            Bindable::PaneRight => Action::FocusRight,
            Bindable::Open => Action::Open,
            Bindable::NextDate => Action::NextDate,
            Bindable::PrevDate => Action::PrevDate,
            Bindable::Filter => Action::StartFilter,
            Bindable::Find => Action::StartFind,
            Bindable::Bookmark => Action::ToggleBookmark,
            Bindable::EditNote => Action::EditNote,
            Bindable::MarkRead => Action::MarkRead,
            Bindable::MarkAllRead => Action::MarkAllRead,
            Bindable::NextUnread => Action::NextUnread,
            Bindable::PrevUnread => Action::PrevUnread,
            Bindable::MarkUnread => Action::MarkUnread,
            Bindable::UnreadOnly => Action::ToggleUnreadOnly,
            Bindable::CopyStory => Action::CopyStory,
            Bindable::CopyHeadline => Action::CopyHeadline,
            Bindable::PipeStory => Action::PipeStory,
            Bindable::EditFile => Action::OpenOrigin,
            Bindable::Warnings => Action::ToggleWarnings,
            Bindable::Help => Action::ToggleHelp,
            Bindable::Back => Action::Back,
            Bindable::Quit => Action::Quit,
            Bindable::ForceQuit => Action::ForceQuit,
            Bindable::Suspend => Action::Suspend,
            Bindable::Redraw => Action::Redraw,
            Bindable::StoryPageDown => Action::PageDown,
            Bindable::NextStory => Action::NextStory,
            Bindable::PrevStory => Action::PrevStory,
        }
    }

    /// Every one, in order.
    pub fn all() -> impl Iterator<Item = Bindable> {
        <Bindable as strum::IntoEnumIterator>::iter()
    }
}

/// The scope and action of a bindable action name.
#[must_use]
pub fn bindable(name: &str) -> Option<(Scope, Action)> {
    name.parse::<Bindable>()
        .ok()
        .map(|b| (b.scope(), b.action()))
}

/// The config name of `action` in `scope`, when it can be rebound.
#[must_use]
pub fn action_name(scope: Scope, action: &Action) -> Option<&'static str> {
    Bindable::all()
        .find(|b| b.scope() == scope && b.action() == *action)
        .map(Bindable::name)
}

/// One row of the key table.
#[derive(Debug, Clone, PartialEq)]
pub struct Binding {
    /// Where it applies.
    pub scope: Scope,
    /// The key.
    pub key: Key,
    /// What it does.
    pub action: Action,
    /// Help text (the first binding of an action in a scope carries it).
    pub help: &'static str,
}

fn row(scope: Scope, key: Key, action: Action, help: &'static str) -> Binding {
    Binding {
        scope,
        key,
        action,
        help,
    }
}

/// The default key table.
#[must_use]
#[rustfmt::skip] // one row per line reads as a table
pub fn bindings() -> Vec<Binding> {
    use Action as A;
    use KeyCode as K;
    use Scope::{Filter, Find, Found, Normal, Note, Overlay, Reader};
    vec![
        row(Normal, Key::ch('j'), A::Down, "move down"),
        row(Normal, Key::plain(K::Down), A::Down, ""),
        row(Normal, Key::ch('k'), A::Up, "move up"),
        row(Normal, Key::plain(K::Up), A::Up, ""),
        row(Normal, Key::ch('g'), A::Top, "first row"),
        row(Normal, Key::plain(K::Home), A::Top, ""),
        row(Normal, Key::ch('G'), A::Bottom, "last row"),
        row(Normal, Key::plain(K::End), A::Bottom, ""),
        row(Normal, Key::ctrl('d'), A::HalfPageDown, "half a page down"),
        row(Normal, Key::ctrl('u'), A::HalfPageUp, "half a page up"),
        row(Normal, Key::plain(K::PageDown), A::PageDown, "page down"),
        row(Normal, Key::plain(K::PageUp), A::PageUp, "page up"),
        row(Normal, Key::plain(K::Tab), A::FocusNext, "next pane"),
        row(Normal, Key::plain(K::BackTab), A::FocusPrev, "previous pane"),
        row(Normal, Key::ch('h'), A::FocusLeft, "pane to the left / back"),
        row(Normal, Key::plain(K::Left), A::FocusLeft, ""),
        row(Normal, Key::ch('l'), A::FocusRight, "pane to the right"),
        row(Normal, Key::plain(K::Right), A::FocusRight, ""),
        row(Normal, Key::plain(K::Enter), A::Open, "open the story"),
        row(Normal, Key::ch(']'), A::NextDate, "next (older) date"),
        row(Normal, Key::ch('['), A::PrevDate, "previous (newer) date"),
        row(Normal, Key::ch('/'), A::StartFilter, "filter stories"),
        row(Normal, Key::ctrl('f'), A::StartFind, "find text in the story"),
        row(Normal, Key::ch('b'), A::ToggleBookmark, "bookmark / unbookmark"),
        row(Normal, Key::ch('N'), A::EditNote, "edit the bookmark's note"),
        row(Normal, Key::ch('r'), A::MarkRead, "mark read"),
        row(Normal, Key::ch('u'), A::MarkUnread, "mark unread (right after A: undo it)"),
        row(Normal, Key::ch('J'), A::NextUnread, "next unread story (across dates)"),
        row(Normal, Key::ch('K'), A::PrevUnread, "previous unread story"),
        row(Normal, Key::ch('A'), A::MarkAllRead, "mark every listed story read"),
        row(Normal, Key::ch('U'), A::ToggleUnreadOnly, "show only unread stories / all"),
        row(Normal, Key::ch('y'), A::CopyStory, "copy the story (OSC 52 clipboard)"),
        row(Normal, Key::ch('Y'), A::CopyHeadline, "copy the headline and origin"),
        row(Normal, Key::ch('|'), A::PipeStory, "pipe the story to $PAGER (less)"),
        row(Normal, Key::ch('o'), A::OpenOrigin, "open the story's file in $EDITOR (mail in $PAGER)"),
        row(Normal, Key::ch('w'), A::ToggleWarnings, "show load warnings"),
        row(Normal, Key::ch('?'), A::ToggleHelp, "this help"),
        row(Normal, Key::plain(K::Esc), A::Back, "back / clear filter"),
        row(Normal, Key::ch('q'), A::Quit, "quit (back, in a narrow story view)"),
        row(Normal, Key::ctrl('c'), A::ForceQuit, "quit at once"),
        row(Normal, Key::ctrl('z'), A::Suspend, "suspend (fg resumes)"),
        row(Normal, Key::ctrl('l'), A::Redraw, "redraw the screen"),
        row(Reader, Key::ch(' '), A::PageDown, "page down"),
        row(Reader, Key::ch('n'), A::NextStory, "next story"),
        row(Reader, Key::ch('p'), A::PrevStory, "previous story"),
        row(Found, Key::ch('n'), A::FindNext, "next place found"),
        row(Found, Key::ch('N'), A::FindPrev, "previous place found"),
        row(Found, Key::plain(K::Esc), A::CancelFind, "stop finding"),
        row(Find, Key::plain(K::Enter), A::ConfirmFind, "keep the highlights"),
        row(Find, Key::plain(K::Esc), A::CancelFind, "stop finding"),
        row(Find, Key::plain(K::Backspace), A::FindBackspace, "delete a character"),
        row(Find, Key::ctrl('c'), A::ForceQuit, "quit"),
        row(Find, Key::ctrl('l'), A::Redraw, ""),
        row(Filter, Key::plain(K::Enter), A::ConfirmFilter, "keep the filter"),
        row(Filter, Key::plain(K::Esc), A::CancelFilter, "clear the filter"),
        row(Filter, Key::plain(K::Backspace), A::FilterBackspace, "delete a character"),
        row(Filter, Key::ctrl('w'), A::FilterDeleteWord, "delete a word"),
        row(Filter, Key::ctrl('u'), A::FilterClear, "delete everything"),
        row(Filter, Key::plain(K::Down), A::Down, "move down the results"),
        row(Filter, Key::plain(K::Up), A::Up, "move up the results"),
        row(Filter, Key::ctrl('c'), A::ForceQuit, "quit"),
        row(Filter, Key::ctrl('l'), A::Redraw, ""),
        row(Note, Key::plain(K::Enter), A::NoteSave, "save the note"),
        row(Note, Key::plain(K::Esc), A::NoteCancel, "cancel"),
        row(Note, Key::plain(K::Backspace), A::NoteBackspace, "delete a character"),
        row(Note, Key::plain(K::Left), A::NoteLeft, "cursor left"),
        row(Note, Key::plain(K::Right), A::NoteRight, "cursor right"),
        row(Note, Key::plain(K::Home), A::NoteHome, "start of line"),
        row(Note, Key::ctrl('a'), A::NoteHome, ""),
        row(Note, Key::plain(K::End), A::NoteEnd, "end of line"),
        row(Note, Key::ctrl('e'), A::NoteEnd, ""),
        row(Note, Key::ctrl('u'), A::NoteClear, "delete to the start"),
        row(Note, Key::ctrl('c'), A::ForceQuit, "quit"),
        row(Note, Key::ctrl('l'), A::Redraw, ""),
        row(Overlay, Key::plain(K::Esc), A::Back, "close"),
        row(Overlay, Key::ch('?'), A::Back, ""),
        row(Overlay, Key::ch('q'), A::Back, ""),
        row(Overlay, Key::ch('w'), A::Back, ""),
        row(Overlay, Key::ch('j'), A::Down, "scroll"),
        row(Overlay, Key::plain(K::Down), A::Down, ""),
        row(Overlay, Key::ch('k'), A::Up, ""),
        row(Overlay, Key::plain(K::Up), A::Up, ""),
        row(Overlay, Key::plain(K::PageDown), A::PageDown, ""),
        row(Overlay, Key::ch(' '), A::PageDown, ""),
        row(Overlay, Key::plain(K::PageUp), A::PageUp, ""),
        row(Overlay, Key::ch('g'), A::Top, ""),
        row(Overlay, Key::ch('G'), A::Bottom, ""),
        row(Overlay, Key::ctrl('c'), A::ForceQuit, "quit"),
        row(Overlay, Key::ctrl('l'), A::Redraw, ""),
    ]
}

/// Two actions bound to one key while browsing (see [`Keymap::conflicts`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    /// The key.
    pub key: Key,
    /// The config names of the actions, in table order.
    pub names: [&'static str; 2],
}

/// The key table plus lookups.
#[derive(Debug, Clone, PartialEq)]
pub struct Keymap {
    rows: Vec<Binding>,
}

impl Default for Keymap {
    fn default() -> Self {
        Keymap { rows: bindings() }
    }
}

impl Keymap {
    /// The action for `key` in `scopes` (first scope wins). In the filter and note
    /// scopes, an unbound printable character is typed.
    #[must_use]
    pub fn lookup(&self, scopes: &[Scope], ev: &KeyEvent) -> Option<Action> {
        let key = Key::from_event(ev);
        for scope in scopes {
            if let Some(b) = self.rows.iter().find(|b| b.scope == *scope && b.key == key) {
                return Some(b.action.clone());
            }
        }
        let KeyCode::Char(c) = key.code else {
            return None;
        };
        if !key.mods.is_empty() {
            return None;
        }
        match scopes.first() {
            Some(Scope::Filter) => Some(Action::FilterInput(c)),
            Some(Scope::Note) => Some(Action::NoteInput(c)),
            Some(Scope::Find) => Some(Action::FindInput(c)),
            _ => None,
        }
    }

    /// Binds `action` in `scope` to exactly `keys` (none: unbound), in place of its
    /// current keys. The rows keep their place in the table (help order) and the
    /// first new key carries the help text.
    pub fn rebind(&mut self, scope: Scope, action: &Action, keys: &[Key]) {
        let is_it = |b: &Binding| b.scope == scope && &b.action == action;
        let at = self.rows.iter().position(is_it).unwrap_or(self.rows.len());
        let help = self
            .rows
            .get(at)
            .filter(|b| is_it(b))
            .map_or("", |b| b.help);
        self.rows.retain(|b| !is_it(b));
        let mut new: Vec<Key> = Vec::with_capacity(keys.len());
        for k in keys {
            if !new.contains(k) {
                new.push(*k);
            }
        }
        let rows = new.iter().enumerate().map(|(i, &key)| Binding {
            scope,
            key,
            action: action.clone(),
            help: if i == 0 { help } else { "" },
        });
        self.rows.splice(at..at, rows);
    }

    /// Keys that do two things while browsing: bound to two different actions
    /// across the `Normal` and `Reader` scopes (in the Story pane its key would
    /// hide the other action), in table order.
    #[must_use]
    pub fn conflicts(&self) -> Vec<Conflict> {
        let browsing: Vec<&Binding> = self
            .rows
            .iter()
            .filter(|b| matches!(b.scope, Scope::Normal | Scope::Reader))
            .collect();
        let mut out = Vec::new();
        for (i, a) in browsing.iter().enumerate() {
            for b in &browsing[i + 1..] {
                if a.key == b.key && a.action != b.action {
                    let name = |b: &Binding| action_name(b.scope, &b.action).unwrap_or("?");
                    out.push(Conflict {
                        key: a.key,
                        names: [name(a), name(b)],
                    });
                }
            }
        }
        out
    }

    /// Config-file keys bound to `action` in `scope`.
    #[must_use]
    pub fn keys(&self, scope: Scope, action: &Action) -> Vec<Key> {
        self.rows
            .iter()
            .filter(|b| b.scope == scope && &b.action == action)
            .map(|b| b.key)
            .collect()
    }

    /// Help text of `action` in `scope` (empty when it has none).
    #[must_use]
    pub fn help_for(&self, scope: Scope, action: &Action) -> &'static str {
        self.rows
            .iter()
            .find(|b| b.scope == scope && &b.action == action && !b.help.is_empty())
            .map_or("", |b| b.help)
    }

    /// Keys bound to `action` in `scope`, as labels.
    #[must_use]
    pub fn keys_for(&self, scope: Scope, action: &Action, unicode: bool) -> Vec<String> {
        self.rows
            .iter()
            .filter(|b| b.scope == scope && &b.action == action)
            .map(|b| b.key.label_in(unicode))
            .collect()
    }

    /// Help sections: (title, rows of (keys, description)).
    #[must_use]
    pub fn help(&self, unicode: bool) -> Vec<(String, Vec<(String, &'static str)>)> {
        let key = |scope, action: &Action| {
            self.keys_for(scope, action, unicode)
                .into_iter()
                .next()
                .unwrap_or_else(|| "-".into())
        };
        let found = format!(
            "After {} finds text ({} stops; then {}/{} move between stories)",
            key(Scope::Normal, &Action::StartFind),
            key(Scope::Found, &Action::CancelFind),
            key(Scope::Reader, &Action::NextStory),
            key(Scope::Reader, &Action::PrevStory),
        );
        let sections = [
            (Scope::Normal, "Everywhere".to_string()),
            (Scope::Reader, "In the Story pane".to_string()),
            (Scope::Found, found),
            (Scope::Find, "Typing text to find".to_string()),
            (
                Scope::Filter,
                "Typing a filter  ('exact  !exclude  Capital = case-sensitive)".to_string(),
            ),
            (Scope::Note, "Editing a note".to_string()),
        ];
        sections
            .into_iter()
            .map(|(scope, title)| {
                let rows = self
                    .rows
                    .iter()
                    .filter(|b| b.scope == scope && !b.help.is_empty())
                    .map(|b| (self.keys_for(scope, &b.action, unicode).join(" "), b.help))
                    .collect();
                (title, rows)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests;
