//! The config file (`config.toml`): key bindings reach the reader and its help,
//! colours reach the screen, a bad file is named by line and the defaults are used,
//! `library` feeds both the CLI and the reader, `config default` round-trips; and
//! the shell integration commands (`completions`, `man`) print something.
//!
//! Every binary run gets its own config directory (`SITREP_CONFIG_DIR`).
// Tests fail loudly on purpose.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::fs;
use std::path::Path;
use std::process::Output;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::Color;
use sitrep::action::{Effect, Event};
use sitrep::app::{App, Mode};
use sitrep::config::{self, Config};
use sitrep::keymap::Keymap;
use sitrep::ui::theme::{Look, Theme};
use sitrep::{loader, runtime, ui};

use common::Tty;

fn now() -> chrono::DateTime<chrono::FixedOffset> {
    chrono::DateTime::parse_from_rfc3339("2026-02-05T09:30:00+00:00").unwrap()
}

/// A config from `text`, as the reader would load it from `dir`.
fn config(text: &str) -> Config {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("config.toml"), text).unwrap();
    let loaded = config::load(dir.path());
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
    loaded.config
}

/// A reader on the samples at 120x40.
fn reader() -> App {
    let mut app = App::new(loader::load_bundled(), Vec::new(), now());
    app.update(Event::Resize(120, 40));
    app
}

fn press(app: &mut App, keymap: &Keymap, c: char) -> Option<Effect> {
    let effect = runtime::handle_key(
        app,
        keymap,
        &KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE),
    );
    runtime::settle(app, effect)
}

/// Draws `app` with `cfg`'s keys and colours.
fn draw(app: &App, cfg: &Config) -> Buffer {
    let look = Look {
        color: true,
        unicode: true,
    };
    draw_look(app, cfg, look)
}

fn draw_look(app: &App, cfg: &Config, look: Look) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(app.size.0, app.size.1)).unwrap();
    let theme = Theme::with_palette(look, &cfg.palette);
    terminal
        .draw(|f| ui::render(app, &cfg.keymap, &theme, f))
        .unwrap();
    terminal.backend().buffer().clone()
}

fn lines(buf: &Buffer) -> Vec<String> {
    (0..buf.area.height)
        .map(|y| (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect())
        .collect()
}

/// `sitrep ARGS` with its config directory `dir` (and HOME inside it).
fn sitrep(dir: &Path, args: &[&str]) -> Output {
    assert_cmd::Command::new(env!("CARGO_BIN_EXE_sitrep"))
        .env("SITREP_CONFIG_DIR", dir)
        .env("HOME", dir.join("home"))
        .env_remove("NO_COLOR")
        .args(args)
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

/// A folder holding one document whose headline is `headline`.
fn folder_with(dir: &Path, headline: &str) {
    fs::create_dir_all(dir).unwrap();
    fs::write(
        dir.join("update.txt"),
        format!("{headline}\n\nThe council said the money would arrive in spring.\n"),
    )
    .unwrap();
}

const SAMPLE_HEADLINE: &str = "BMA to appeal court decision on PAs";

#[test]
fn a_custom_quit_key_quits_and_replaces_q() {
    let cfg = config("[keys]\nquit = \"x\"\nbookmark = [\"b\", \"m\"]\n");
    let mut app = reader();
    // `q` no longer quits: the binding replaced it.
    assert_eq!(press(&mut app, &cfg.keymap, 'q'), None);
    assert_eq!(press(&mut app, &cfg.keymap, 'x'), Some(Effect::Quit));
    // With the default keymap `x` does nothing and `q` quits.
    let mut app = reader();
    assert_eq!(press(&mut app, &Keymap::default(), 'x'), None);
    assert_eq!(press(&mut app, &Keymap::default(), 'q'), Some(Effect::Quit));
    // Both keys of a list work.
    let mut app = reader();
    let bookmarked = |app: &App| app.bookmarks.len();
    for key in ['b', 'm'] {
        let before = bookmarked(&app);
        let effect = press(&mut app, &cfg.keymap, key);
        assert!(
            matches!(effect, Some(Effect::SaveBookmark(_))),
            "{key}: {effect:?} (bookmarks {before})"
        );
    }
}

#[test]
fn the_help_and_hints_show_the_configured_keys() {
    let cfg = config("[keys]\nquit = \"x\"\nhelp = [\"f1\", \"?\"]\nbookmark = \"m\"\n");
    let mut app = reader();
    let footer = lines(&draw(&app, &cfg)).pop().unwrap();
    assert!(footer.contains("m bookmark"), "{footer}");
    assert!(footer.contains("x quit"), "{footer}");
    runtime::handle_key(
        &mut app,
        &cfg.keymap,
        &KeyEvent::new(KeyCode::F(1), KeyModifiers::NONE),
    );
    assert_eq!(app.mode, Mode::Help);
    let screen = lines(&draw(&app, &cfg));
    let row = |what: &str| {
        screen
            .iter()
            .find(|l| l.contains(what))
            .unwrap_or_else(|| panic!("{what} not in help:\n{}", screen.join("\n")))
            .clone()
    };
    let quit = row("quit (back");
    assert!(quit.contains(" x "), "{quit}");
    assert!(!quit.contains(" q "), "{quit}");
    assert!(row("this help").contains("F1 ?"));
    assert!(row("bookmark / unbookmark").contains(" m "));
}

#[test]
fn a_custom_colour_reaches_the_screen_unless_no_color() {
    let cfg = config("[colors]\naccent = \"magenta\"\nselection = \"bright-blue\"\n");
    let app = reader();
    let buf = draw(&app, &cfg);
    // The accent (focused border, headings) and the selected row.
    let accent: Vec<_> = buf
        .content()
        .iter()
        .filter(|c| c.fg == Color::Magenta)
        .collect();
    assert!(!accent.is_empty(), "no magenta cell");
    assert!(buf.content().iter().all(|c| c.fg != Color::Cyan));
    let selected = buf
        .content()
        .iter()
        .find(|c| c.modifier.contains(ratatui::style::Modifier::REVERSED))
        .expect("a selected row");
    assert_eq!(selected.fg, Color::LightBlue);
    // NO_COLOR: no colour at all, the selection still reversed.
    let no_color = Look {
        color: false,
        unicode: true,
    };
    let buf = draw_look(&app, &cfg, no_color);
    assert!(
        buf.content()
            .iter()
            .all(|c| c.fg == Color::Reset && c.bg == Color::Reset)
    );
    assert!(
        buf.content()
            .iter()
            .any(|c| c.modifier.contains(ratatui::style::Modifier::REVERSED))
    );
}

#[test]
fn the_default_palette_draws_as_before() {
    let app = reader();
    let buf = draw(&app, &Config::default());
    assert!(buf.content().iter().any(|c| c.fg == Color::Cyan));
    let selected = buf
        .content()
        .iter()
        .find(|c| c.modifier.contains(ratatui::style::Modifier::REVERSED))
        .unwrap();
    assert_eq!(selected.fg, Color::Reset);
}

/// Broken files, the line the message must name and words it must contain.
const BROKEN: &[(&str, &str, &str)] = &[
    ("library = []\n[keys\nquit = \"x\"\n", "line 2", ""),
    (
        "# mine\n\n[keys]\nqiut = \"x\"\n",
        "line 4",
        "unknown action \"qiut\"",
    ),
    (
        "[keys]\nquit = \"x\"\nbookmark = \"ctl-b\"\n",
        "line 3",
        "bad key \"ctl-b\" for bookmark",
    ),
    (
        "[keys]\nquit = \"x\"\nbookmark = \"j\"\n",
        "line 3",
        "key \"j\" is bound to both down and bookmark",
    ),
    (
        "[colors]\naccent = \"purple\"\n",
        "line 2",
        "unknown colour \"purple\"",
    ),
];

#[test]
fn a_broken_config_is_named_by_line_and_only_what_is_wrong_is_skipped() {
    for (i, (file, line, what)) in BROKEN.iter().enumerate() {
        // The first is not TOML: it is set aside whole. The others lose only
        // their bad entries.
        let whole = i == 0;
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("config.toml"), file).unwrap();
        let loaded = config::load(dir.path());
        assert_eq!(loaded.ignored, whole, "{file}");
        if whole {
            assert_eq!(loaded.config, Config::default(), "{file}");
        }
        let first = loaded.problems[0].to_string();
        assert!(
            first.starts_with(&format!("config.toml {line}: ")) && first.contains(what),
            "{file:?}: {first}"
        );
        assert!(loaded.summary().unwrap().contains(line));
        // The CLI says so on stderr and carries on with the defaults.
        let out = sitrep(dir.path(), &["list"]);
        assert!(out.status.success(), "{file:?}");
        let err = text(&out.stderr);
        assert!(
            err.starts_with(&format!("sitrep: config.toml {line}: ")) && err.contains(what),
            "{file:?}: {err}"
        );
        let then = if whole {
            "using the defaults"
        } else {
            "the rest of config.toml is used"
        };
        assert!(err.contains(then), "{err}");
        assert!(text(&out.stdout).contains(SAMPLE_HEADLINE));
    }
}

#[test]
fn library_is_read_when_no_path_is_given() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    folder_with(
        &home.join("updates"),
        "Zebra crossings funded near rural surgeries",
    );
    folder_with(
        &dir.path().join("other"),
        "Otter sanctuary opens beside the hospital",
    );
    fs::write(
        dir.path().join("config.toml"),
        "library = [\"~/updates\"]\n",
    )
    .unwrap();
    let out = sitrep(dir.path(), &["list"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let list = text(&out.stdout);
    assert!(list.contains("Zebra crossings funded"), "{list}");
    assert!(!list.contains(SAMPLE_HEADLINE), "{list}");
    // filter and check use it too; a PATH still wins.
    let out = sitrep(dir.path(), &["filter", "zebra"]);
    assert!(text(&out.stdout).contains("Zebra crossings funded"));
    let out = sitrep(dir.path(), &["check"]);
    assert!(text(&out.stdout).starts_with("1 file,") || text(&out.stdout).contains("\n1 file,"));
    let other = dir.path().join("other");
    let out = sitrep(dir.path(), &["list", other.to_str().unwrap()]);
    let list = text(&out.stdout);
    assert!(
        list.contains("Otter sanctuary") && !list.contains("Zebra"),
        "{list}"
    );
    // Plain `sitrep` piped prints the list, from the library too.
    let out = sitrep(dir.path(), &[]);
    assert!(text(&out.stdout).contains("Zebra crossings funded"));
}

#[test]
fn a_missing_library_folder_is_an_error_that_names_the_config() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("config.toml"), "library = \"~/gone\"\n").unwrap();
    let out = sitrep(dir.path(), &["list"]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains("library in config.toml") && err.contains("gone"),
        "{err}"
    );
}

#[test]
fn an_empty_library_means_the_samples() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("config.toml"), "library = []\n").unwrap();
    let out = sitrep(dir.path(), &["list"]);
    assert!(text(&out.stdout).contains(SAMPLE_HEADLINE));
    assert_eq!(text(&out.stderr), "");
}

#[test]
fn config_default_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    let out = sitrep(dir.path(), &["config", "default"]);
    assert!(out.status.success());
    let file = text(&out.stdout);
    assert!(file.contains("quit = \"q\"") && file.contains("accent = \"cyan\""));
    assert_eq!(
        config::parse(&file, dir.path(), None).unwrap(),
        Config::default()
    );
    // Saved as the config file, it loads without a word.
    fs::write(dir.path().join("config.toml"), &file).unwrap();
    let loaded = config::load(dir.path());
    assert!(loaded.problems.is_empty());
    assert_eq!(loaded.config, Config::default());
    let out = sitrep(dir.path(), &["list"]);
    assert_eq!(text(&out.stderr), "");
}

#[test]
fn config_path_is_in_the_config_directory() {
    let dir = tempfile::tempdir().unwrap();
    let out = sitrep(dir.path(), &["config", "path"]);
    assert!(out.status.success());
    assert_eq!(
        text(&out.stdout).trim_end(),
        dir.path().join("config.toml").to_str().unwrap()
    );
    let other = dir.path().join("elsewhere");
    let out = sitrep(
        dir.path(),
        &["--config-dir", other.to_str().unwrap(), "config", "path"],
    );
    assert_eq!(
        text(&out.stdout).trim_end(),
        other.join("config.toml").to_str().unwrap()
    );
}

#[test]
fn completions_and_man_page_are_printed() {
    let dir = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish"] {
        let out = sitrep(dir.path(), &["completions", shell]);
        assert!(out.status.success(), "{shell}");
        let script = text(&out.stdout);
        assert!(
            script.contains("sitrep") && script.contains("bookmarks"),
            "{shell}"
        );
    }
    let out = sitrep(dir.path(), &["completions", "tcsh"]);
    assert!(!out.status.success());
    let out = sitrep(dir.path(), &["man"]);
    assert!(out.status.success());
    let page = text(&out.stdout);
    assert!(
        page.starts_with(".ie") || page.contains(".TH sitrep"),
        "{page}"
    );
    assert!(page.contains("config") && page.contains("completions"));
    // Beyond the options: the keys (from the keymap), the filter syntax, the
    // files and the environment.
    for section in [
        ".SH KEYS",
        ".SH \"FILTER SYNTAX\"",
        ".SH FILES",
        ".SH ENVIRONMENT",
    ] {
        assert!(page.contains(section), "{section}");
    }
    // As a reader would see it (roff escapes dashes and quotes).
    let plain = page
        .replace("\\-", "-")
        .replace("\\*(Aq", "'")
        .replace("\\(rq", "\"")
        .replace("\\(lq", "\"");
    let keymap = sitrep::keymap::Keymap::default();
    for (_, rows) in keymap.help(false) {
        for (_, what) in rows {
            assert!(plain.contains(what), "{what}");
        }
    }
    for needle in [
        "is:unread",
        "bookmarks.json",
        "SITREP_CONFIG_DIR",
        "NO_COLOR",
        "PAGER",
    ] {
        assert!(page.contains(needle), "{needle}");
    }
}

/// The reader itself: the config's problem in the status line at start, and a
/// configured key and library in a real terminal.
#[test]
fn the_reader_reports_a_bad_config_and_uses_a_good_one() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("config.toml"), "[keys]\nqiut = \"x\"\n").unwrap();
    let mut tty = Tty::start(dir.path(), 120, 40, &[] as &[&str], &[]);
    tty.wait_for("the config problem in the status line", |s| {
        s.contains("config.toml line 2: unknown action \"qiut\"")
    });
    tty.send("q");
    assert_eq!(tty.finish().0, 0);

    folder_with(
        &dir.path().join("up"),
        "Zebra crossings funded near rural surgeries",
    );
    fs::write(
        dir.path().join("config.toml"),
        "library = [\"up\"]\n[keys]\nquit = \"x\"\n",
    )
    .unwrap();
    let mut tty = Tty::start(dir.path(), 120, 40, &[] as &[&str], &[]);
    tty.wait_for("the library's story", |s| s.contains("Zebra crossings"));
    tty.send("q");
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert!(
        tty.screen().contains("Zebra crossings"),
        "q quit the reader"
    );
    tty.send("x");
    assert_eq!(tty.finish().0, 0);
}
