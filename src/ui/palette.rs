//! The colour roles (`accent`, `selection`, …) that the config file's
//! `[colors]` table names, the colour names it accepts, and a [`Palette`]
//! giving each role a colour. Defined here only, so the config, `sitrep config
//! default`, help and the [`Theme`](super::Theme) agree.

use ratatui::style::Color;

/// A colour role: one name in the config file's `[colors]` table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Plain text.
    Text,
    /// Secondary text and the borders of panes without focus.
    Dim,
    /// The focused pane's border, date headings, status messages.
    Accent,
    /// The selected row (shown in reverse video: this colours the bar).
    Selection,
    /// Characters matched by the filter, and text found in the story.
    Match,
    /// The bookmark marker and note.
    Mark,
    /// The story's headline.
    Headline,
}

impl Role {
    /// Every role, in the order the config file lists them.
    pub const ALL: [Role; 7] = [
        Role::Text,
        Role::Dim,
        Role::Accent,
        Role::Selection,
        Role::Match,
        Role::Mark,
        Role::Headline,
    ];

    /// The role's name in the config file.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Role::Text => "text",
            Role::Dim => "dim",
            Role::Accent => "accent",
            Role::Selection => "selection",
            Role::Match => "match",
            Role::Mark => "mark",
            Role::Headline => "headline",
        }
    }

    /// What the role colours, for the default config file.
    #[must_use]
    pub fn about(self) -> &'static str {
        match self {
            Role::Text => "plain text",
            Role::Dim => "secondary text, other panes' borders (default: dimmed)",
            Role::Accent => "focused pane, date headings, messages",
            Role::Selection => "the selected row (reverse video: the bar's colour)",
            Role::Match => "filter matches, text found in the story",
            Role::Mark => "bookmark marker and note",
            Role::Headline => "the story's headline (bold)",
        }
    }

    /// The role called `name`.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.name() == name)
    }
}

/// A colour for each [`Role`]; `None` is the terminal's own colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Palette([Option<Color>; Role::ALL.len()]);

impl Default for Palette {
    /// 16-colour safe: cyan accents, yellow matches and marks, the rest the
    /// terminal's own.
    fn default() -> Self {
        let mut p = Palette([None; Role::ALL.len()]);
        p.set(Role::Accent, Some(Color::Cyan));
        p.set(Role::Match, Some(Color::Yellow));
        p.set(Role::Mark, Some(Color::Yellow));
        p
    }
}

impl Palette {
    /// The colour of `role`.
    #[must_use]
    pub fn get(&self, role: Role) -> Option<Color> {
        self.0[role as usize]
    }

    /// Sets the colour of `role`.
    pub fn set(&mut self, role: Role, colour: Option<Color>) {
        self.0[role as usize] = colour;
    }
}

/// The colour names the config file takes: the 16 ANSI colours and `default`
/// (the terminal's own). The first name of a colour is the one written back.
pub const COLOR_NAMES: &[(&str, Option<Color>)] = &[
    ("default", None),
    ("black", Some(Color::Black)),
    ("red", Some(Color::Red)),
    ("green", Some(Color::Green)),
    ("yellow", Some(Color::Yellow)),
    ("blue", Some(Color::Blue)),
    ("magenta", Some(Color::Magenta)),
    ("cyan", Some(Color::Cyan)),
    // ANSI 7: ratatui calls it Gray and keeps White for ANSI 15.
    ("white", Some(Color::Gray)),
    ("bright-black", Some(Color::DarkGray)),
    ("bright-red", Some(Color::LightRed)),
    ("bright-green", Some(Color::LightGreen)),
    ("bright-yellow", Some(Color::LightYellow)),
    ("bright-blue", Some(Color::LightBlue)),
    ("bright-magenta", Some(Color::LightMagenta)),
    ("bright-cyan", Some(Color::LightCyan)),
    ("bright-white", Some(Color::White)),
    ("gray", Some(Color::DarkGray)),
    ("grey", Some(Color::DarkGray)),
];

/// The colour called `name` (case-insensitive; `_` works for `-`): `Some(None)` for
/// `default`, `None` for an unknown name.
#[must_use]
pub fn parse_color(name: &str) -> Option<Option<Color>> {
    let name = name.trim().to_ascii_lowercase().replace('_', "-");
    COLOR_NAMES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, c)| *c)
}

/// The config-file name of `colour`.
#[must_use]
pub fn color_name(colour: Option<Color>) -> &'static str {
    COLOR_NAMES
        .iter()
        .find(|(_, c)| *c == colour)
        .map_or("default", |(n, _)| n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_names_round_trip() {
        for (name, colour) in COLOR_NAMES {
            assert_eq!(parse_color(name), Some(*colour), "{name}");
            assert_eq!(parse_color(color_name(*colour)), Some(*colour));
        }
        assert_eq!(parse_color("Bright_Red"), Some(Some(Color::LightRed)));
        assert_eq!(parse_color("white"), Some(Some(Color::Gray)));
        assert_eq!(color_name(Some(Color::DarkGray)), "bright-black");
        assert_eq!(parse_color("purple"), None);
        for role in Role::ALL {
            assert_eq!(Role::from_name(role.name()), Some(role));
        }
    }
}
