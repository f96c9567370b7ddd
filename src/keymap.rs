//! Every key the reader knows, in one table: `(scope, key) → Action`, with the text
//! the help overlay and the footer hints are generated from. No state changes here.

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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
}

/// One row of the key table.
#[derive(Debug, Clone)]
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
        row(Normal, Key::ch('u'), A::MarkUnread, "mark unread"),
        row(Normal, Key::ch('U'), A::ToggleUnreadOnly, "show only unread stories / all"),
        row(Normal, Key::ch('y'), A::CopyStory, "copy the story (OSC 52 clipboard)"),
        row(Normal, Key::ch('Y'), A::CopyHeadline, "copy the headline and origin"),
        row(Normal, Key::ch('|'), A::PipeStory, "pipe the story to $PAGER (less)"),
        row(Normal, Key::ch('o'), A::OpenOrigin, "open the story's file in $EDITOR"),
        row(Normal, Key::ch('w'), A::ToggleWarnings, "show load warnings"),
        row(Normal, Key::ch('?'), A::ToggleHelp, "this help"),
        row(Normal, Key::plain(K::Esc), A::Back, "back / clear filter"),
        row(Normal, Key::ch('q'), A::Quit, "quit (back, in a narrow story view)"),
        row(Normal, Key::ctrl('c'), A::ForceQuit, "quit at once"),
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
        row(Filter, Key::plain(K::Enter), A::ConfirmFilter, "keep the filter"),
        row(Filter, Key::plain(K::Esc), A::CancelFilter, "clear the filter"),
        row(Filter, Key::plain(K::Backspace), A::FilterBackspace, "delete a character"),
        row(Filter, Key::ctrl('w'), A::FilterDeleteWord, "delete a word"),
        row(Filter, Key::ctrl('u'), A::FilterClear, "delete everything"),
        row(Filter, Key::plain(K::Down), A::Down, "move down the results"),
        row(Filter, Key::plain(K::Up), A::Up, "move up the results"),
        row(Filter, Key::ctrl('c'), A::ForceQuit, "quit"),
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
        row(Overlay, Key::plain(K::Esc), A::Back, "close"),
        row(Overlay, Key::ch('?'), A::Back, ""),
        row(Overlay, Key::ch('q'), A::Back, ""),
        row(Overlay, Key::ch('w'), A::Back, ""),
        row(Overlay, Key::ch('j'), A::Down, "scroll"),
        row(Overlay, Key::plain(K::Down), A::Down, ""),
        row(Overlay, Key::ch('k'), A::Up, ""),
        row(Overlay, Key::plain(K::Up), A::Up, ""),
        row(Overlay, Key::ctrl('c'), A::ForceQuit, "quit"),
    ]
}

/// The key table plus lookups.
#[derive(Debug, Clone)]
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
    pub fn help(&self, unicode: bool) -> Vec<(&'static str, Vec<(String, &'static str)>)> {
        let sections = [
            (Scope::Normal, "Everywhere"),
            (Scope::Reader, "In the Story pane"),
            (
                Scope::Found,
                "After C-f finds text (Esc stops; then n/p move between stories)",
            ),
            (Scope::Find, "Typing text to find"),
            (
                Scope::Filter,
                "Typing a filter  ('exact  !exclude  Capital = case-sensitive)",
            ),
            (Scope::Note, "Editing a note"),
        ];
        sections
            .iter()
            .map(|&(scope, title)| {
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
mod tests {
    use super::*;
    use ratatui::crossterm::event::KeyEventKind;

    fn ev(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent {
            code,
            modifiers: mods,
            kind: KeyEventKind::Press,
            state: ratatui::crossterm::event::KeyEventState::NONE,
        }
    }

    #[test]
    fn reader_scope_wins_over_normal() {
        let km = Keymap::default();
        let n = ev(KeyCode::Char('n'), KeyModifiers::NONE);
        assert_eq!(
            km.lookup(&[Scope::Reader, Scope::Normal], &n),
            Some(Action::NextStory)
        );
        assert_eq!(km.lookup(&[Scope::Normal], &n), None);
    }

    #[test]
    fn shift_and_ctrl_are_understood() {
        let km = Keymap::default();
        let g = ev(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(km.lookup(&[Scope::Normal], &g), Some(Action::Bottom));
        let back = ev(KeyCode::BackTab, KeyModifiers::SHIFT);
        assert_eq!(km.lookup(&[Scope::Normal], &back), Some(Action::FocusPrev));
        let cd = ev(KeyCode::Char('d'), KeyModifiers::CONTROL);
        assert_eq!(km.lookup(&[Scope::Normal], &cd), Some(Action::HalfPageDown));
    }

    #[test]
    fn filter_types_unbound_characters_but_not_control_keys() {
        let km = Keymap::default();
        let q = ev(KeyCode::Char('q'), KeyModifiers::NONE);
        assert_eq!(
            km.lookup(&[Scope::Filter], &q),
            Some(Action::FilterInput('q'))
        );
        let cx = ev(KeyCode::Char('x'), KeyModifiers::CONTROL);
        assert_eq!(km.lookup(&[Scope::Filter], &cx), None);
        assert_eq!(km.lookup(&[Scope::Note], &q), Some(Action::NoteInput('q')));
    }

    #[test]
    fn help_lists_every_action_with_its_keys() {
        let km = Keymap::default();
        let help = km.help(true);
        let everywhere = &help[0].1;
        assert!(everywhere.contains(&("j ↓".to_string(), "move down")));
        assert!(everywhere.contains(&("C-c".to_string(), "quit at once")));
        for b in bindings() {
            if b.scope == Scope::Overlay {
                continue;
            }
            let listed = help.iter().any(|(_, rows)| {
                rows.iter()
                    .any(|(keys, _)| keys.split(' ').any(|k| k == b.key.label()))
            });
            assert!(listed, "{:?} missing from help", b.key);
        }
    }
}
