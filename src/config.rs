//! The config file, `config.toml` in the config directory: the default library
//! folders, key bindings and colours. A missing file is the defaults; a bad one
//! is reported (with the line) and the defaults are used instead, whole.
//!
//! ```toml
//! library = ["~/updates"]
//! furniture = ["Sign up to our", "Skip to content"]
//! [keys]
//! quit = "x"
//! bookmark = ["b", "m"]
//! [colors]
//! accent = "magenta"
//! ```
//!
//! Action names come from [`crate::keymap::Bindable`] and colour names from
//! [`palette::Role`], so `sitrep config default`, help and validation agree.

use std::collections::BTreeMap;
use std::fmt::{self, Write as _};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::keymap::{Bindable, Key, Keymap, Scope};
use crate::text;
use crate::ui::palette::{self, Palette, Role};

/// The file's name in the config directory.
pub const FILE_NAME: &str = "config.toml";

/// Settings from the config file.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Config {
    /// Folders (or files) read when no PATH is given; empty: the bundled samples.
    pub library: Vec<PathBuf>,
    /// The key table, user bindings merged over the built-in one.
    pub keymap: Keymap,
    /// The colours.
    pub palette: Palette,
    /// Paragraph beginnings the user marks as page furniture (compared ignoring
    /// case): such paragraphs never start or join a story.
    pub furniture: Vec<String>,
    /// The Story pane follows the list selection (`preview = "follow"`) in
    /// the wide layout, instead of showing the story opened with Enter.
    pub preview_follow: bool,
}

impl Config {
    /// `paths` when there are any, else the library (which may be empty too).
    #[must_use]
    pub fn paths_or_library(&self, paths: &[PathBuf]) -> Vec<PathBuf> {
        if paths.is_empty() {
            self.library.clone()
        } else {
            paths.to_vec()
        }
    }
}

/// One thing wrong with the config file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The line (from 1), when there is one.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(n) => write!(f, "{FILE_NAME} line {n}: {}", self.message),
            None => write!(f, "{FILE_NAME}: {}", self.message),
        }
    }
}

/// The config as loaded: the settings to use and what was wrong with the file.
/// An entry with a problem is skipped and the rest used; a file that cannot be
/// read as TOML at all gives the defaults.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    /// The settings.
    pub config: Config,
    /// Problems with the file, by line.
    pub problems: Vec<Problem>,
    /// The whole file was set aside (it is not TOML, or cannot be read).
    pub ignored: bool,
}

impl Loaded {
    /// Writes every problem as `sitrep: config.toml line N: …`, then says what
    /// is used instead. Nothing when the file was fine.
    ///
    /// # Errors
    /// When writing fails.
    pub fn report(&self, err: &mut dyn Write) -> io::Result<()> {
        if self.problems.is_empty() {
            return Ok(());
        }
        for p in &self.problems {
            writeln!(err, "sitrep: {}", text::clean_inline(&p.to_string()))?;
        }
        writeln!(err, "sitrep: {}", self.outcome())
    }

    /// What is used instead of the entries with problems.
    fn outcome(&self) -> String {
        if self.ignored {
            format!("{FILE_NAME} ignored, using the defaults (`sitrep config default` shows them)")
        } else {
            let n = self.problems.len();
            format!(
                "{} skipped, the rest of {FILE_NAME} is used",
                if n == 1 {
                    "that entry is"
                } else {
                    "those entries are"
                }
            )
        }
    }

    /// One line for the reader's status line, when the file had problems.
    #[must_use]
    pub fn summary(&self) -> Option<String> {
        let first = self.problems.first()?;
        let more = match self.problems.len() {
            1 => String::new(),
            n => format!(" (and {} more)", n - 1),
        };
        let then = if self.ignored {
            "using the defaults".to_string()
        } else {
            "skipped".to_string()
        };
        Some(format!(
            "{}{more}; {then}",
            text::clean_inline(&first.to_string())
        ))
    }
}

/// Where the config file is for `config_dir` (see [`crate::paths::config_dir`]).
#[must_use]
pub fn file_in(config_dir: &Path) -> PathBuf {
    config_dir.join(FILE_NAME)
}

/// Reads `config.toml` from `config_dir`. A missing file gives the defaults and
/// no problems; an unreadable or invalid one gives the defaults and its problems.
#[must_use]
pub fn load(config_dir: &Path) -> Loaded {
    let path = file_in(config_dir);
    let text = match std::fs::read(&path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(_) => return failed(None, "not UTF-8 text".into()),
        },
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Loaded::default(),
        Err(e) => return failed(None, format!("cannot read: {e}")),
    };
    match parse(&text, config_dir, home().as_deref()) {
        Ok(config) => Loaded {
            config,
            problems: Vec::new(),
            ignored: false,
        },
        Err(Rejected::Entries(config, problems)) => {
            tracing::warn!(problems = problems.len(), "config entries skipped");
            Loaded {
                config: *config,
                problems,
                ignored: false,
            }
        }
        Err(Rejected::File(problem)) => {
            tracing::warn!("config ignored");
            Loaded {
                config: Config::default(),
                problems: vec![problem],
                ignored: true,
            }
        }
    }
}

fn failed(line: Option<usize>, message: String) -> Loaded {
    Loaded {
        config: Config::default(),
        problems: vec![Problem { line, message }],
        ignored: true,
    }
}

/// Why a config file was not taken whole.
#[derive(Debug, Clone, PartialEq)]
pub enum Rejected {
    /// It is not TOML (or not this file's shape): nothing in it is used.
    File(Problem),
    /// Some entries are wrong: the settings without them, and the problems.
    Entries(Box<Config>, Vec<Problem>),
}

/// The name in `names` closest to `word` (a likely typo of it), if any is close.
fn nearest<'a>(word: &str, names: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let word = word.to_ascii_lowercase();
    names
        .map(|name| (strsim::jaro_winkler(&word, name), name))
        .filter(|(likeness, _)| *likeness > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, name)| name)
}

/// ` (did you mean `x`?)` for the closest of `names`, or nothing.
fn did_you_mean<'a>(word: &str, names: impl Iterator<Item = &'a str>) -> String {
    nearest(word, names).map_or_else(String::new, |n| format!(" (did you mean `{n}`?)"))
}

fn home() -> Option<PathBuf> {
    directories::BaseDirs::new().map(|b| b.home_dir().to_path_buf())
}

/// The file as written: everything optional; unknown top-level names are errors.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    #[serde(default)]
    library: Option<Spanned<toml::Value>>,
    #[serde(default)]
    furniture: Option<Spanned<toml::Value>>,
    #[serde(default)]
    keys: BTreeMap<Spanned<String>, Spanned<toml::Value>>,
    #[serde(default, alias = "colours")]
    colors: BTreeMap<Spanned<String>, Spanned<toml::Value>>,
    #[serde(default)]
    preview: Option<Spanned<toml::Value>>,
}

/// Parses a config file's text. `dir` is the config directory (relative library
/// paths are under it) and `home` replaces a leading `~`.
///
/// # Errors
/// [`Rejected::File`] when the text is not TOML of this shape (nothing is
/// used); [`Rejected::Entries`] with the settings of the good entries and every
/// problem, sorted by line, when some entries are wrong (each is skipped).
pub fn parse(text: &str, dir: &Path, home: Option<&Path>) -> Result<Config, Rejected> {
    let at = |offset: usize| Some(line_of(text, offset));
    let raw: Raw = toml::from_str(text).map_err(|e| {
        Rejected::File(Problem {
            line: e.span().and_then(|s| at(s.start)),
            message: e.message().trim().replace('\n', "; "),
        })
    })?;
    let mut problems = Vec::new();
    let mut config = Config::default();
    if let Some(lib) = &raw.library {
        match strings(text, lib) {
            Some(list) => {
                for (s, offset) in list {
                    match expand(s, dir, home) {
                        Ok(p) => config.library.push(p),
                        Err(m) => problems.push(Problem {
                            line: at(offset),
                            message: m,
                        }),
                    }
                }
            }
            None => problems.push(Problem {
                line: at(lib.span().start),
                message: "library must be a folder name or a list of them".into(),
            }),
        }
    }
    if let Some(f) = &raw.furniture {
        match strings(text, f) {
            Some(list) => {
                for (s, offset) in list {
                    let s = s.trim();
                    if s.chars().count() < 3 {
                        problems.push(Problem {
                            line: at(offset),
                            message: format!(
                                "furniture pattern {:?} is too short: give at least 3 characters of a paragraph's beginning",
                                text::clean_inline(s)
                            ),
                        });
                    } else {
                        config.furniture.push(text::clean_inline(s).into_owned());
                    }
                }
            }
            None => problems.push(Problem {
                line: at(f.span().start),
                message:
                    "furniture must be a paragraph beginning (\"Sign up to\") or a list of them"
                        .into(),
            }),
        }
    }
    if let Some(preview) = &raw.preview {
        match preview.get_ref().as_str() {
            Some("follow") => config.preview_follow = true,
            Some("open") => config.preview_follow = false,
            other => problems.push(Problem {
                line: at(preview.span().start),
                message: format!(
                    "preview must be \"open\" or \"follow\", not {}{}",
                    other.map_or_else(
                        || "that".to_string(),
                        |v| format!("{:?}", text::clean_inline(v))
                    ),
                    other.map_or_else(String::new, |v| did_you_mean(
                        v,
                        ["open", "follow"].into_iter()
                    )),
                ),
            }),
        }
    }
    // Lines of the user's keys, to place conflicts.
    let mut user_keys: Vec<(Key, &'static str, usize)> = Vec::new();
    for (name, value) in &raw.keys {
        let line = line_of(text, name.span().start);
        let Ok(bound) = name.get_ref().parse::<Bindable>() else {
            problems.push(Problem {
                line: Some(line),
                message: format!(
                    "unknown action {:?}{}",
                    text::clean_inline(name.get_ref()),
                    did_you_mean(name.get_ref(), Bindable::all().map(Bindable::name))
                ),
            });
            continue;
        };
        let (action_name, scope, action) = (bound.name(), bound.scope(), bound.action());
        let Some(list) = strings(text, value) else {
            problems.push(Problem {
                line: Some(line),
                message: format!("{action_name}: give a key (\"x\") or a list of keys"),
            });
            continue;
        };
        let mut keys = Vec::new();
        for (s, offset) in list {
            match Key::parse(s) {
                Ok(k) => {
                    keys.push(k);
                    user_keys.push((k, action_name, line_of(text, offset)));
                }
                Err(why) => problems.push(Problem {
                    line: at(offset),
                    message: format!(
                        "bad key {:?} for {action_name}: {why} (keys look like \"x\", \"X\", \"ctrl-d\", \"enter\", \"f1\")",
                        text::clean_inline(s)
                    ),
                }),
            }
        }
        config.keymap.rebind(scope, &action, &keys);
    }
    // A user key that clashes with another action's key is not taken: the
    // actions the user rebound in the clash go back to their default keys.
    let defaults = Keymap::default();
    for _ in 0..3 {
        let conflicts = config.keymap.conflicts();
        if conflicts.is_empty() {
            break;
        }
        for c in conflicts {
            // The line of a user key involved (the later one when both are).
            let line = user_keys
                .iter()
                .filter(|(k, n, _)| *k == c.key && c.names.contains(n))
                .map(|&(.., line)| line)
                .max();
            let mut reverted = Vec::new();
            for name in c.names {
                if let Ok(bound) = name.parse::<Bindable>()
                    && raw.keys.keys().any(|n| n.get_ref() == name)
                {
                    let (scope, action) = (bound.scope(), bound.action());
                    config
                        .keymap
                        .rebind(scope, &action, &defaults.keys(scope, &action));
                    reverted.push(name);
                }
            }
            problems.push(Problem {
                line,
                message: format!(
                    "key {:?} is bound to both {} and {}; {} keeps its default keys",
                    c.key.config_name(),
                    c.names[0],
                    c.names[1],
                    reverted.join(" and ")
                ),
            });
        }
    }
    if !config.keymap.conflicts().is_empty() {
        config.keymap = Keymap::default();
    }
    let quits = [
        (Scope::Normal, crate::action::Action::Quit),
        (Scope::Normal, crate::action::Action::ForceQuit),
    ];
    if quits
        .iter()
        .all(|(s, a)| config.keymap.keys(*s, a).is_empty())
    {
        for (scope, action) in &quits {
            config
                .keymap
                .rebind(*scope, action, &defaults.keys(*scope, action));
        }
        problems.push(Problem {
            line: raw
                .keys
                .keys()
                .find(|n| n.get_ref() == "quit" || n.get_ref() == "force_quit")
                .map(|n| line_of(text, n.span().start)),
            message: "quit and force_quit cannot both be without keys; they keep their defaults"
                .into(),
        });
    }
    for (name, value) in &raw.colors {
        let line = at(name.span().start);
        let Some(role) = Role::from_name(name.get_ref()) else {
            let names: Vec<&str> = Role::ALL.iter().map(|r| r.name()).collect();
            let hint = match nearest(name.get_ref(), names.iter().copied()) {
                Some(n) => format!(" (did you mean `{n}`?)"),
                None => format!(" (one of {})", names.join(", ")),
            };
            problems.push(Problem {
                line,
                message: format!(
                    "unknown colour name {:?}{hint}",
                    text::clean_inline(name.get_ref()),
                ),
            });
            continue;
        };
        match value.get_ref().as_str().map(|v| (v, palette::parse_color(v))) {
            Some((_, Some(colour))) => config.palette.set(role, colour),
            Some((v, None)) => problems.push(Problem {
                line: at(value.span().start),
                message: format!(
                    "unknown colour {:?} for {}{}",
                    text::clean_inline(v),
                    role.name(),
                    match nearest(v, palette::COLOR_NAMES.iter().map(|(n, _)| *n).chain(["default"])) {
                        Some(n) => format!(" (did you mean `{n}`?)"),
                        None => " (black, red, green, yellow, blue, magenta, cyan, white, bright-red … bright-white, gray, default)".to_string(),
                    }
                ),
            }),
            None => problems.push(Problem {
                line,
                message: format!("{}: give a colour name, like \"cyan\"", role.name()),
            }),
        }
    }
    if problems.is_empty() {
        Ok(config)
    } else {
        problems.sort_by_key(|p| p.line);
        Err(Rejected::Entries(Box::new(config), problems))
    }
}

/// A string or an array of strings, each with the offset where it is written in
/// `text`; `None` for anything else.
fn strings<'a>(text: &str, value: &'a Spanned<toml::Value>) -> Option<Vec<(&'a str, usize)>> {
    let span = value.span();
    match value.get_ref() {
        toml::Value::String(s) => Some(vec![(s.as_str(), span.start)]),
        toml::Value::Array(items) => {
            // Find each item's literal in turn, so a list over several lines
            // points at the right one (escaped strings fall back to the list).
            let source = text.get(span.clone()).unwrap_or_default();
            let mut from = 0;
            items
                .iter()
                .map(|v| {
                    let s = v.as_str()?;
                    let found = [format!("\"{s}\""), format!("'{s}'")]
                        .iter()
                        .filter_map(|lit| source[from..].find(lit.as_str()).map(|i| (i, lit.len())))
                        .min();
                    let offset = match found {
                        Some((i, len)) => {
                            let at = from + i;
                            from = at + len;
                            span.start + at
                        }
                        None => span.start,
                    };
                    Some((s, offset))
                })
                .collect()
        }
        _ => None,
    }
}

/// The line (from 1) of byte `offset` in `text`.
fn line_of(text: &str, offset: usize) -> usize {
    let offset = offset.min(text.len());
    text.as_bytes()[..offset]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// A library entry as a path: `~` or `~/…` under `home`, a relative path under
/// `dir`.
fn expand(s: &str, dir: &Path, home: Option<&Path>) -> Result<PathBuf, String> {
    if s.trim().is_empty() {
        return Err("library has an empty folder name".into());
    }
    let rest = if s == "~" {
        Some("")
    } else {
        s.strip_prefix("~/")
    };
    let path = match rest {
        Some(rest) => match home {
            Some(h) => h.join(rest),
            None => return Err(format!("no home directory for {s:?}")),
        },
        None => PathBuf::from(s),
    };
    Ok(if path.is_relative() {
        dir.join(path)
    } else {
        path
    })
}

/// A TOML string literal for `s`.
fn quoted(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// A commented config file with every setting at its default: every action with
/// its keys, every colour, and an example library. Parses back to the defaults.
#[must_use]
pub fn default_file() -> String {
    let keymap = Keymap::default();
    let palette = Palette::default();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# sitrep settings: {FILE_NAME} in sitrep's config directory (`sitrep config path`).
# Every setting is optional; this file shows the defaults. If the file has a
# mistake, sitrep says which line and skips that entry.

# Folders (or files) of updates to read when no PATH is given. `~` is your home
# directory; a relative path is relative to this folder. Empty: the sample stories.
library = []
# library = [\"~/updates\"]

# Beginnings of paragraphs that are page furniture on the sites you read (menus,
# sign-up boxes, banners), compared ignoring case. `sitrep explain FILE` shows
# how a file is read. Example: furniture = [\"Sign up to our\", \"Skip to content\"]
furniture = []

# The Story pane in the wide layout: \"open\" shows the story opened with Enter
# (light on a slow link); \"follow\" shows the selected story a moment after
# the selection stops moving.
preview = \"open\"

# Keys, by action: one key or a list. A binding replaces the action's default
# keys (list those too to keep them); `[]` leaves it without a key. A key can
# do only one thing. Keys: \"x\", \"X\", \"ctrl-d\", \"alt-x\", \"enter\", \"esc\",
# \"tab\", \"backtab\", \"space\", \"backspace\", \"up\", \"down\", \"left\", \"right\",
# \"home\", \"end\", \"pgup\", \"pgdn\", \"f1\" … \"f12\". Keys while typing a filter or
# a note, finding text, or in the help and warnings windows stay as they are.
[keys]"
    );
    let mut reader_heading = false;
    for bound in Bindable::all() {
        let (name, scope, action) = (bound.name(), bound.scope(), bound.action());
        if scope == Scope::Reader && !reader_heading {
            reader_heading = true;
            let _ = writeln!(
                out,
                "# In the Story pane only (a key may not be used twice across both lists):"
            );
        }
        let keys: Vec<String> = keymap
            .keys(scope, &action)
            .iter()
            .map(|k| quoted(&k.config_name()))
            .collect();
        let value = match keys.as_slice() {
            [one] => one.clone(),
            many => format!("[{}]", many.join(", ")),
        };
        let entry = format!("{name} = {value}");
        let help = keymap.help_for(scope, &action);
        let _ = writeln!(out, "{entry:<32} # {help}");
    }
    let _ = writeln!(
        out,
        "
# Colours: black, red, green, yellow, blue, magenta, cyan, white, bright-black,
# bright-red, bright-green, bright-yellow, bright-blue, bright-magenta,
# bright-cyan, bright-white, gray (bright-black), or default (the terminal's
# own). NO_COLOR in the environment turns every colour off.
[colors]"
    );
    for role in Role::ALL {
        let entry = format!(
            "{} = {}",
            role.name(),
            quoted(palette::color_name(palette.get(role)))
        );
        let _ = writeln!(out, "{entry:<32} # {}", role.about());
    }
    out
}

#[cfg(test)]
mod tests;
