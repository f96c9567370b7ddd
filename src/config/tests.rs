#![allow(clippy::unwrap_used, clippy::expect_used)]
use super::*;
use crate::action::Action;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::Color;

fn parse_ok(text: &str) -> Config {
    parse(text, Path::new("/cfg"), Some(Path::new("/home/u"))).unwrap()
}

fn problems(text: &str) -> Vec<String> {
    let list = match parse(text, Path::new("/cfg"), Some(Path::new("/home/u"))).unwrap_err() {
        Rejected::File(p) => vec![p],
        Rejected::Entries(_, p) => p,
    };
    list.iter().map(ToString::to_string).collect()
}

fn press(km: &Keymap, scopes: &[Scope], code: KeyCode, mods: KeyModifiers) -> Option<Action> {
    km.lookup(scopes, &KeyEvent::new(code, mods))
}

#[test]
fn empty_file_is_the_defaults() {
    assert_eq!(parse_ok(""), Config::default());
}

#[test]
fn default_file_parses_back_to_the_defaults() {
    assert_eq!(parse_ok(&default_file()), Config::default());
}

#[test]
fn default_file_names_every_action_and_colour() {
    let file = default_file();
    for name in Bindable::all().map(Bindable::name) {
        assert!(file.contains(&format!("\n{name} = ")), "{name}");
    }
    for role in Role::ALL {
        assert!(file.contains(&format!("\n{} = ", role.name())));
    }
    assert!(file.contains("~/updates"));
}

#[test]
fn library_expands_home_and_relative_paths() {
    let c = parse_ok("library = [\"~/updates\", \"~\", \"/abs\", \"rel\"]");
    assert_eq!(
        c.library,
        [
            PathBuf::from("/home/u/updates"),
            PathBuf::from("/home/u"),
            PathBuf::from("/abs"),
            PathBuf::from("/cfg/rel"),
        ]
    );
    assert_eq!(
        parse_ok("library = \"/one\"").library,
        [PathBuf::from("/one")]
    );
    assert_eq!(
        c.paths_or_library(&[PathBuf::from("x")]),
        [PathBuf::from("x")]
    );
}

#[test]
fn a_binding_replaces_the_default_keys() {
    let c = parse_ok("[keys]\nquit = \"x\"\nbookmark = [\"b\", \"m\"]\n");
    let km = &c.keymap;
    let n = KeyModifiers::NONE;
    let normal = [Scope::Normal];
    assert_eq!(
        press(km, &normal, KeyCode::Char('x'), n),
        Some(Action::Quit)
    );
    assert_eq!(press(km, &normal, KeyCode::Char('q'), n), None);
    assert_eq!(
        press(km, &normal, KeyCode::Char('m'), n),
        Some(Action::ToggleBookmark)
    );
    // The help text moves with the action.
    assert_eq!(
        km.help_for(Scope::Normal, &Action::Quit),
        Keymap::default().help_for(Scope::Normal, &Action::Quit)
    );
    assert_eq!(
        km.keys_for(Scope::Normal, &Action::ToggleBookmark, true),
        ["b", "m"]
    );
}

#[test]
fn key_names_are_understood() {
    let c = parse_ok(
        "[keys]\ndown = [\"ctrl-n\", \"Down\"]\nhelp = \"f1\"\nstory_page_down = [\"space\", \"ctrl-f\"]\nfind = \"alt-f\"\n",
    );
    let km = &c.keymap;
    assert_eq!(
        press(
            km,
            &[Scope::Normal],
            KeyCode::Char('n'),
            KeyModifiers::CONTROL
        ),
        Some(Action::Down)
    );
    assert_eq!(
        press(km, &[Scope::Normal], KeyCode::F(1), KeyModifiers::NONE),
        Some(Action::ToggleHelp)
    );
    assert_eq!(
        press(
            km,
            &[Scope::Reader, Scope::Normal],
            KeyCode::Char('f'),
            KeyModifiers::CONTROL
        ),
        Some(Action::PageDown)
    );
}

#[test]
fn furniture_patterns_are_read_and_checked() {
    let c = parse_ok("furniture = [\"Sign up to our\", \"  Skip to content \"]");
    assert_eq!(c.furniture, ["Sign up to our", "Skip to content"]);
    assert_eq!(
        parse_ok("furniture = \"Advertisement\"").furniture,
        ["Advertisement"]
    );
    assert_eq!(
        problems("library = []\nfurniture = [\"ok pattern\", \"x\"]\n"),
        [
            "config.toml line 2: furniture pattern \"x\" is too short: give at least 3 characters of a paragraph's beginning"
        ]
    );
    assert_eq!(
        problems("furniture = 3\n"),
        [
            "config.toml line 1: furniture must be a paragraph beginning (\"Sign up to\") or a list of them"
        ]
    );
}

#[test]
fn unknown_action_names_its_line() {
    assert_eq!(
        problems("library = []\n\n[keys]\nqiut = \"x\"\n"),
        ["config.toml line 4: unknown action \"qiut\" (did you mean `quit`?)"]
    );
}

#[test]
fn bad_key_names_its_line_even_in_a_list() {
    let p = problems("[keys]\nquit = [\n  \"q\",\n  \"ctl-x\",\n]\n");
    assert_eq!(p.len(), 1);
    assert!(
        p[0].starts_with("config.toml line 4: bad key \"ctl-x\" for quit"),
        "{p:?}"
    );
}

#[test]
fn conflicts_name_the_users_line() {
    let p = problems("[keys]\nquit = \"x\"\nbookmark = \"j\"\n");
    assert_eq!(
        p,
        [
            "config.toml line 3: key \"j\" is bound to both down and bookmark; bookmark keeps its default keys"
        ]
    );
    // The rest of the keys are kept.
    let Err(Rejected::Entries(config, _)) = parse(
        "[keys]\nquit = \"x\"\nbookmark = \"j\"\n",
        Path::new("/cfg"),
        None,
    ) else {
        panic!("entries rejected");
    };
    assert_eq!(
        press(
            &config.keymap,
            &[Scope::Normal],
            KeyCode::Char('x'),
            KeyModifiers::NONE
        ),
        Some(Action::Quit)
    );
    assert_eq!(
        press(
            &config.keymap,
            &[Scope::Normal],
            KeyCode::Char('j'),
            KeyModifiers::NONE
        ),
        Some(Action::Down)
    );
    let p = problems("[keys]\nnext_story = \"x\"\nopen = \"x\"\n");
    assert_eq!(p.len(), 1);
    assert!(p[0].starts_with("config.toml line 3: key \"x\""), "{p:?}");
    // The same action in both scopes is not a conflict.
    parse_ok("[keys]\nstory_page_down = [\"space\", \"pgdn\"]\n");
}

#[test]
fn toml_errors_give_the_line() {
    let p = problems("library = []\n[keys\nquit = \"x\"\n");
    assert_eq!(p.len(), 1);
    assert!(p[0].starts_with("config.toml line 2: "), "{p:?}");
    let p = problems("librar = []\n");
    assert!(
        p[0].starts_with("config.toml line 1: unknown field"),
        "{p:?}"
    );
    let p = problems("\n[keys]\nquit = 3\n");
    assert!(
        p[0].starts_with("config.toml line 3: quit: give a key"),
        "{p:?}"
    );
}

#[test]
fn colours_are_read_and_checked() {
    let c = parse_ok(
        "[colors]\naccent = \"magenta\"\nselection = \"bright_blue\"\ndim = \"gray\"\nmatch = \"default\"\n",
    );
    assert_eq!(c.palette.get(Role::Accent), Some(Color::Magenta));
    assert_eq!(c.palette.get(Role::Selection), Some(Color::LightBlue));
    assert_eq!(c.palette.get(Role::Dim), Some(Color::DarkGray));
    assert_eq!(c.palette.get(Role::Match), None);
    assert_eq!(
        parse_ok("[colours]\nmark = \"red\"\n")
            .palette
            .get(Role::Mark),
        Some(Color::Red)
    );
    assert_eq!(
        problems("[colors]\naccent = \"purple\"\n")[0]
            .split(" (")
            .next()
            .unwrap(),
        "config.toml line 2: unknown colour \"purple\" for accent"
    );
    assert!(
        problems("[colors]\nbackground = \"red\"\n")[0]
            .starts_with("config.toml line 2: unknown colour name \"background\"")
    );
}

#[test]
fn every_problem_is_reported_in_line_order() {
    let p = problems("[keys]\nzzz = \"x\"\naaa = \"y\"\n[colors]\naccent = \"nope\"\n");
    let lines: Vec<&str> = p.iter().map(|p| &p[..19]).collect();
    assert_eq!(
        lines,
        [
            "config.toml line 2:",
            "config.toml line 3:",
            "config.toml line 5:"
        ]
    );
}

#[test]
fn quitting_stays_possible() {
    let p = problems("[keys]\nquit = []\nforce_quit = []\n");
    assert!(p[0].contains("quit and force_quit"), "{p:?}");
    parse_ok("[keys]\nquit = []\n");
}

#[test]
fn a_missing_file_is_the_defaults_and_a_bad_one_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let loaded = load(dir.path());
    assert!(loaded.problems.is_empty());
    std::fs::write(file_in(dir.path()), "[keys]\nqiut = \"x\"\n").unwrap();
    let loaded = load(dir.path());
    assert_eq!(loaded.config, Config::default());
    let mut err = Vec::new();
    loaded.report(&mut err).unwrap();
    let err = String::from_utf8(err).unwrap();
    assert!(
        err.starts_with(
            "sitrep: config.toml line 2: unknown action \"qiut\" (did you mean `quit`?)\n"
        ),
        "{err}"
    );
    assert!(
        loaded
            .summary()
            .unwrap()
            .ends_with("(did you mean `quit`?); skipped")
    );
    assert!(
        err.ends_with("sitrep: that entry is skipped, the rest of config.toml is used\n"),
        "{err}"
    );
}

#[test]
fn a_bad_entry_is_skipped_and_the_rest_kept() {
    let text = "[keys]\nnext_story = \"x\"\nqiut = \"Q\"\n[colors]\naccent = \"magneta\"\nmatch = \"red\"\nacent = \"blue\"\n";
    let Err(Rejected::Entries(config, problems)) =
        parse(text, Path::new("/cfg"), Some(Path::new("/home/u")))
    else {
        panic!("entries rejected");
    };
    let said: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert_eq!(
        said,
        [
            "config.toml line 3: unknown action \"qiut\" (did you mean `quit`?)",
            "config.toml line 5: unknown colour \"magneta\" for accent (did you mean `magenta`?)",
            "config.toml line 7: unknown colour name \"acent\" (did you mean `accent`?)",
        ]
    );
    // The good entries are used.
    assert_eq!(
        press(
            &config.keymap,
            &[Scope::Reader, Scope::Normal],
            KeyCode::Char('x'),
            KeyModifiers::NONE
        ),
        Some(Action::NextStory)
    );
    assert_eq!(config.palette.get(Role::Match), Some(Color::Red));
    assert_eq!(
        config.palette.get(Role::Accent),
        Palette::default().get(Role::Accent)
    );
    // A file that is not TOML is set aside whole.
    assert!(matches!(
        parse("[keys\n", Path::new("/cfg"), None),
        Err(Rejected::File(_))
    ));
}

#[test]
fn the_reading_actions_are_bound_by_their_fixed_names() {
    let config =
        parse_ok("[keys]\nnext_unread = \"x\"\nprev_unread = \"X\"\nmark_all_read = \"ctrl-a\"\n");
    let press_key = |code, mods| press(&config.keymap, &[Scope::Normal], code, mods);
    assert_eq!(
        press_key(KeyCode::Char('x'), KeyModifiers::NONE),
        Some(Action::NextUnread)
    );
    assert_eq!(
        press_key(KeyCode::Char('X'), KeyModifiers::SHIFT),
        Some(Action::PrevUnread)
    );
    assert_eq!(
        press_key(KeyCode::Char('a'), KeyModifiers::CONTROL),
        Some(Action::MarkAllRead)
    );
    // The defaults: J, K and A.
    let km = Keymap::default();
    assert_eq!(
        press(
            &km,
            &[Scope::Normal],
            KeyCode::Char('J'),
            KeyModifiers::SHIFT
        ),
        Some(Action::NextUnread)
    );
    assert_eq!(
        press(
            &km,
            &[Scope::Normal],
            KeyCode::Char('K'),
            KeyModifiers::SHIFT
        ),
        Some(Action::PrevUnread)
    );
    assert_eq!(
        press(
            &km,
            &[Scope::Normal],
            KeyCode::Char('A'),
            KeyModifiers::SHIFT
        ),
        Some(Action::MarkAllRead)
    );
}

#[test]
fn preview_is_open_or_follow() {
    assert!(parse_ok("preview = \"follow\"\n").preview_follow);
    assert!(!parse_ok("preview = \"open\"\n").preview_follow);
    assert!(!parse_ok("").preview_follow);
    assert_eq!(
        problems("preview = \"folow\"\n"),
        [
            "config.toml line 1: preview must be \"open\" or \"follow\", not \"folow\" (did you mean `follow`?)"
        ]
    );
}
