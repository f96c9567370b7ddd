//! Every style the reader uses, named once. With colour off (`NO_COLOR`) only
//! modifiers remain, so the selection (reverse video) and focus still show.

use ratatui::style::{Color, Modifier, Style};

use crate::app::Look;

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
    /// Bookmark marker.
    pub mark: &'static str,
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

    /// The theme for `look`.
    #[must_use]
    pub fn new(look: Look) -> Self {
        let fg = |c: Color| {
            if look.color {
                Style::new().fg(c)
            } else {
                Style::new()
            }
        };
        let accent = Color::Cyan;
        let sym = if look.unicode {
            Symbols {
                mark: "★",
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
                unread: "+",
                bar: ">",
                dot: "-",
                cursor: "_",
                ellipsis: "~",
                unicode: false,
            }
        };
        Theme {
            text: Style::new(),
            dim: Style::new().add_modifier(Modifier::DIM),
            border_focus: fg(accent).add_modifier(Modifier::BOLD),
            border: Style::new().add_modifier(Modifier::DIM),
            selected: Style::new().add_modifier(Modifier::REVERSED),
            selected_idle: Style::new().add_modifier(Modifier::REVERSED | Modifier::DIM),
            matched: fg(Color::Yellow).add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            heading: fg(accent).add_modifier(Modifier::BOLD),
            headline: Style::new().add_modifier(Modifier::BOLD),
            mark: fg(Color::Yellow),
            message: fg(accent).add_modifier(Modifier::BOLD),
            sym,
        }
    }
}
