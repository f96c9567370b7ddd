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

#[test]
fn every_browsing_binding_has_one_snake_case_name() {
    for b in bindings() {
        if matches!(b.scope, Scope::Normal | Scope::Reader) {
            assert!(action_name(b.scope, &b.action).is_some(), "{b:?}");
        }
    }
    let names: Vec<&str> = Bindable::all().map(Bindable::name).collect();
    for (i, b) in Bindable::all().enumerate() {
        let name = b.name();
        assert!(
            name.bytes().all(|c| c.is_ascii_lowercase() || c == b'_'),
            "{name}"
        );
        assert!(!names[i + 1..].contains(&name), "{name}");
        assert_eq!(bindable(name), Some((b.scope(), b.action())));
        assert!(
            !Keymap::default().keys(b.scope(), &b.action()).is_empty(),
            "{name}"
        );
    }
    // The names users have in their config files.
    for name in [
        "down",
        "next_pane",
        "edit_file",
        "unread_only",
        "story_page_down",
    ] {
        assert!(names.contains(&name), "{name}");
    }
}

#[test]
fn key_names_round_trip() {
    for b in bindings() {
        assert_eq!(Key::parse(&b.key.config_name()), Ok(b.key), "{:?}", b.key);
    }
    for (name, key) in [
        ("X", Key::ch('X')),
        ("ctrl-D", Key::ctrl('d')),
        ("Ctrl-d", Key::ctrl('d')),
        ("space", Key::ch(' ')),
        (" ", Key::ch(' ')),
        ("F12", Key::plain(KeyCode::F(12))),
        ("shift-tab", Key::plain(KeyCode::BackTab)),
        ("PgDn", Key::plain(KeyCode::PageDown)),
        (
            "alt-X",
            Key {
                code: KeyCode::Char('X'),
                mods: KeyModifiers::ALT,
            },
        ),
        (
            "ctrl-up",
            Key {
                code: KeyCode::Up,
                mods: KeyModifiers::CONTROL,
            },
        ),
    ] {
        assert_eq!(Key::parse(name), Ok(key), "{name}");
        assert_eq!(Key::parse(&key.config_name()), Ok(key), "{name}");
    }
    for bad in [
        "",
        "ctl-d",
        "f13",
        "f0",
        "ctrl-",
        "ctrl-alt-x",
        "\u{7}",
        "shift-x",
    ] {
        assert!(Key::parse(bad).is_err(), "{bad:?}");
    }
    assert_eq!(Key::plain(KeyCode::F(5)).label(), "F5");
}

#[test]
fn the_default_table_has_no_conflicts() {
    assert_eq!(Keymap::default().conflicts(), []);
}

#[test]
fn rebinding_keeps_the_help_in_place() {
    let mut km = Keymap::default();
    km.rebind(
        Scope::Normal,
        &Action::Down,
        &[Key::ch('x'), Key::ch('x'), Key::ch('z')],
    );
    let help = km.help(true);
    assert_eq!(help[0].1[0], ("x z".to_string(), "move down"));
    let j = ev(KeyCode::Char('j'), KeyModifiers::NONE);
    assert_eq!(km.lookup(&[Scope::Normal], &j), None);
    km.rebind(Scope::Normal, &Action::Up, &[Key::ch('j'), Key::ch('x')]);
    let c = km.conflicts();
    assert_eq!(c.len(), 1);
    assert_eq!(c[0].names, ["down", "up"]);
    km.rebind(Scope::Normal, &Action::Quit, &[]);
    assert!(km.keys(Scope::Normal, &Action::Quit).is_empty());
}
