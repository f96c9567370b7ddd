//! The commands that read no stories: `config`, `completions` and `man`.

use std::io::Write;
use std::path::Path;

use anyhow::Result;
use clap::CommandFactory;

use crate::{config, paths};

use super::{Cli, ConfigAction};

/// `sitrep config path` / `sitrep config default`.
pub(super) fn config(
    action: &ConfigAction,
    config_dir: Option<&Path>,
    out: &mut dyn Write,
) -> Result<i32> {
    match action {
        ConfigAction::Path => {
            let dir = paths::config_dir(config_dir)?;
            writeln!(out, "{}", config::file_in(&dir).display())?;
        }
        ConfigAction::Default => write!(out, "{}", config::default_file())?,
    }
    Ok(0)
}

/// `sitrep completions SHELL`.
pub(super) fn completions(shell: clap_complete::Shell, out: &mut dyn Write) -> i32 {
    clap_complete::generate(shell, &mut Cli::command(), "sitrep", out);
    0
}

/// `sitrep man`: the commands and options from clap, then KEYS (from the
/// default keymap), FILTER SYNTAX, FILES and ENVIRONMENT.
pub(super) fn man(out: &mut dyn Write) -> Result<i32> {
    clap_mangen::Man::new(Cli::command()).render(out)?;
    write!(out, "{}", extra_sections())?;
    Ok(0)
}

/// The sections clap does not know about, in roff.
fn extra_sections() -> String {
    use roff::{Roff, bold, roman};
    let mut page = Roff::new();
    let item = |page: &mut Roff, term: &str, what: &str| {
        page.control("TP", []);
        page.text([bold(term)]);
        page.text([roman(what)]);
    };
    page.control("SH", ["KEYS"]);
    page.text([roman(
        "The reader's default keys; config.toml's [keys] table can change them (see sitrep config default).",
    )]);
    for (title, rows) in crate::keymap::Keymap::default().help(false) {
        page.control("SS", [title.as_str()]);
        for (keys, what) in rows {
            item(&mut page, &keys, what);
        }
    }
    page.control("SH", ["FILTER SYNTAX"]);
    page.text([roman(
        "The same in the reader (/) and in sitrep filter. Stories where every term is found as typed come first.",
    )]);
    for (typed, what) in crate::search::SYNTAX {
        item(&mut page, typed, what);
    }
    page.control("SH", ["FILES"]);
    let files: [(&str, &str); 6] = [
        (
            "$XDG_CONFIG_HOME/sitrep/config.toml",
            "settings: library folders, keys, colours (sitrep config path)",
        ),
        (
            "$XDG_CONFIG_HOME/sitrep/bookmarks.json",
            "bookmarks and their notes; a damaged file is kept aside as bookmarks.json.corrupt-TIME",
        ),
        ("$XDG_DATA_HOME/sitrep/read.bin", "stories read"),
        (
            "$XDG_DATA_HOME/sitrep/seen.bin",
            "stories loaded in earlier runs (the others are new)",
        ),
        (
            "$XDG_STATE_HOME/sitrep/sitrep.log",
            "the diagnostics log, when turned on (--log, SITREP_LOG)",
        ),
        ("$XDG_STATE_HOME/sitrep/crash-TIME.txt", "a crash report"),
    ];
    for (path, what) in files {
        item(&mut page, path, what);
    }
    page.control("SH", ["ENVIRONMENT"]);
    let vars: [(&str, &str); 10] = [
        (
            "SITREP_CONFIG_DIR",
            "the config folder (config.toml, bookmarks); --config-dir wins",
        ),
        ("SITREP_DATA_DIR", "the data folder (read state)"),
        ("SITREP_STATE_DIR", "the state folder (log, crash reports)"),
        (
            "SITREP_LOG",
            "turn the log on at a level: error, warn, info, debug",
        ),
        ("SITREP_ASCII", "draw with ASCII symbols only"),
        ("NO_COLOR", "no colours (and ASCII symbols)"),
        ("PAGER", "the pager for | (default less)"),
        (
            "VISUAL, EDITOR",
            "the editor for o (default vi); mail opens in PAGER",
        ),
        (
            "TERM",
            "dumb or linux: ASCII symbols; the reader needs a terminal that can address the cursor",
        ),
        (
            "LC_ALL, LC_CTYPE, LANG",
            "a locale that is not UTF-8 gives ASCII symbols",
        ),
    ];
    for (var, what) in vars {
        item(&mut page, var, what);
    }
    page.render()
}
