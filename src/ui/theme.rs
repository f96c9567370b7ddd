//! Every style the reader uses, named once. With colour off (`NO_COLOR`) only
//! modifiers remain, so the selection (reverse video) and focus still show.
//!
//! The colours come from a [`Palette`] of named roles (`accent`, `selection`, …),
//! which the config file's `[colors]` table can change (see `palette`).

use ratatui::style::{Modifier, Style};

pub use super::palette::{Palette, Role};

/// How the view draws: colours or not, Unicode symbols or ASCII.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Look {
    /// Use colours (off under `NO_COLOR`).
    pub color: bool,
    /// Use Unicode symbols (★ ▌ ·); off for limited terminals.
    pub unicode: bool,
}

impl Look {
    /// The look the environment asks for: no colours under `NO_COLOR`, ASCII
    /// symbols under `NO_COLOR`, `TERM=dumb`/`linux`, a non-UTF-8 locale, or
    /// `SITREP_ASCII=1`.
    #[must_use]
    pub fn from_env() -> Self {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        let no_color = var("NO_COLOR").is_some();
        let term = var("TERM").unwrap_or_default();
        let locale = var("LC_ALL")
            .or_else(|| var("LC_CTYPE"))
            .or_else(|| var("LANG"));
        let utf8 = locale.is_none_or(|l| {
            let l = l.to_ascii_lowercase();
            l.contains("utf-8") || l.contains("utf8")
        });
        Look {
            color: !no_color,
            unicode: !no_color
                && utf8
                && !matches!(term.as_str(), "dumb" | "linux")
                && var("SITREP_ASCII").is_none(),
        }
    }
}

impl Default for Look {
    fn default() -> Self {
        Look {
            color: true,
            unicode: true,
        }
    }
}

/// The styles for one look.
#[derive(Debug, Clone, Copy)]
pub struct Theme {
    /// Plain text.
    pub text: Style,
    /// Secondary text (sources, counts, hints).
    pub dim: Style,
    /// The focused pane's border and title.
    pub border_focus: Style,
    /// Other panes' borders.
    pub border: Style,
    /// The selected row.
    pub selected: Style,
    /// The selected row in a pane without focus.
    pub selected_idle: Style,
    /// Matched filter characters.
    pub matched: Style,
    /// Date headings in the Stories list.
    pub heading: Style,
    /// The story headline.
    pub headline: Style,
    /// The bookmark marker and note.
    pub mark: Style,
    /// Status messages.
    pub message: Style,
    /// Symbols for this look.
    pub sym: Symbols,
}

/// Symbols, Unicode or ASCII.
#[derive(Debug, Clone, Copy)]
pub struct Symbols {
    /// Bookmark marker (an unread bookmarked story).
    pub mark: &'static str,
    /// Bookmark marker of a story already read.
    pub mark_read: &'static str,
    /// Unread marker.
    pub unread: &'static str,
    /// Selection bar.
    pub bar: &'static str,
    /// Separator in meta lines.
    pub dot: &'static str,
    /// Cursor in edit lines.
    pub cursor: &'static str,
    /// Marks text cut short.
    pub ellipsis: &'static str,
    /// Unicode (key labels like ⏎ and arrows) or ASCII.
    pub unicode: bool,
}

impl Theme {
    /// `s` cut to `width` columns with this look's ellipsis.
    #[must_use]
    pub fn cut<'a>(&self, s: &'a str, width: usize) -> std::borrow::Cow<'a, str> {
        crate::text::truncate_with(s, width, self.sym.ellipsis)
    }

    /// The theme for `look` with the default colours.
    #[must_use]
    pub fn new(look: Look) -> Self {
        Theme::with_palette(look, &Palette::default())
    }

    /// The theme for `look` with `palette`'s colours (none without `look.color`).
    #[must_use]
    pub fn with_palette(look: Look, palette: &Palette) -> Self {
        let colour = |role: Role| palette.get(role).filter(|_| look.color);
        let fg = |role: Role| match colour(role) {
            Some(c) => Style::new().fg(c),
            None => Style::new(),
        };
        // A colour given for `dim` replaces the terminal's dim attribute.
        let dim = match colour(Role::Dim) {
            Some(c) => Style::new().fg(c),
            None => Style::new().add_modifier(Modifier::DIM),
        };
        let sym = if look.unicode {
            Symbols {
                mark: "★",
                mark_read: "☆",
                unread: "•",
                bar: "▌",
                dot: "·",
                cursor: "▏",
                ellipsis: "…",
                unicode: true,
            }
        } else {
            Symbols {
                mark: "*",
                mark_read: "o",
                unread: "+",
                bar: ">",
                dot: "-",
                cursor: "_",
                ellipsis: "~",
                unicode: false,
            }
        };
        Theme {
            text: fg(Role::Text),
            dim,
            border_focus: fg(Role::Accent).add_modifier(Modifier::BOLD),
            border: dim,
            selected: fg(Role::Selection).add_modifier(Modifier::REVERSED),
            selected_idle: fg(Role::Selection).add_modifier(Modifier::REVERSED | Modifier::DIM),
            matched: fg(Role::Match).add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            heading: fg(Role::Accent).add_modifier(Modifier::BOLD),
            headline: fg(Role::Headline).add_modifier(Modifier::BOLD),
            mark: fg(Role::Mark),
            message: fg(Role::Accent).add_modifier(Modifier::BOLD),
            sym,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::style::Color;

    #[test]
    fn colours_apply_only_with_colour_on() {
        let mut p = Palette::default();
        p.set(Role::Accent, Some(Color::Magenta));
        p.set(Role::Dim, Some(Color::DarkGray));
        let on = Look {
            color: true,
            unicode: true,
        };
        let t = Theme::with_palette(on, &p);
        assert_eq!(t.heading.fg, Some(Color::Magenta));
        assert_eq!(t.dim, Style::new().fg(Color::DarkGray));
        let off = Theme::with_palette(
            Look {
                color: false,
                unicode: true,
            },
            &p,
        );
        assert_eq!(off.heading.fg, None);
        assert!(off.dim.add_modifier.contains(Modifier::DIM));
        assert_eq!(Theme::new(on).dim, Style::new().add_modifier(Modifier::DIM));
        assert_eq!(Theme::new(on).heading.fg, Some(Color::Cyan));
    }
}
