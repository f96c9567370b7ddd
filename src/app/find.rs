//! Finding text in the open story (`C-f`): the places found, moving between
//! them, keeping the current one in view. Smart case, like the filter.

use super::{App, Mode};
use crate::action::Action;
use crate::layout::Pane;

/// One place the text was found: page line, first char, length in chars.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    /// Line of the page.
    pub line: usize,
    /// First char in the line.
    pub start: usize,
    /// Length in chars.
    pub len: usize,
}

/// Char ranges of `needle` in `line`: case-insensitive unless `needle` has a capital.
#[must_use]
pub fn matches_in(line: &str, needle: &str) -> Vec<(usize, usize)> {
    if needle.is_empty() {
        return Vec::new();
    }
    let sensitive = needle.chars().any(char::is_uppercase);
    let fold = |c: char| {
        if sensitive {
            c
        } else {
            c.to_lowercase().next().unwrap_or(c)
        }
    };
    let hay: Vec<char> = line.chars().map(fold).collect();
    let pat: Vec<char> = needle.chars().map(fold).collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i + pat.len() <= hay.len() {
        if hay[i..i + pat.len()] == pat[..] {
            out.push((i, pat.len()));
            i += pat.len();
        } else {
            i += 1;
        }
    }
    out
}

impl App {
    /// Every place the find text occurs on the current page.
    #[must_use]
    pub fn found(&self) -> Vec<Found> {
        if self.reader.find.is_empty() {
            return Vec::new();
        }
        self.page()
            .iter()
            .enumerate()
            .flat_map(|(line, l)| {
                matches_in(&l.text, &self.reader.find)
                    .into_iter()
                    .map(move |(start, len)| Found { line, start, len })
            })
            .collect()
    }

    pub(super) fn find_action(&mut self, action: &Action) {
        match action {
            Action::StartFind => {
                // From the list, the selected story is opened to search in.
                self.set_focus(Pane::Reader);
                if self.focus != Pane::Reader {
                    return;
                }
                self.mode = Mode::Find;
                self.reader.find.clear();
                self.reader.find_hit = 0;
            }
            Action::FindInput(c) => {
                self.reader.find.push(*c);
                self.find_from_view();
            }
            Action::FindBackspace => {
                self.reader.find.pop();
                self.find_from_view();
            }
            Action::ConfirmFind => {
                self.mode = Mode::Normal;
                if !self.reader.find.is_empty() && self.found().is_empty() {
                    self.notify("Not found in this story");
                }
            }
            Action::CancelFind => {
                self.mode = Mode::Normal;
                self.reader.find.clear();
            }
            Action::FindNext | Action::FindPrev => {
                let n = self.found().len();
                if n == 0 {
                    self.notify("Not found in this story");
                    return;
                }
                self.reader.find_hit = if *action == Action::FindNext {
                    (self.reader.find_hit + 1) % n
                } else {
                    (self.reader.find_hit + n - 1) % n
                };
                self.show_hit();
            }
            _ => {}
        }
    }

    /// Makes the first place at or below the top of the view current.
    fn find_from_view(&mut self) {
        let found = self.found();
        self.reader.find_hit = found
            .iter()
            .position(|f| f.line >= self.reader.scroll)
            .unwrap_or(0);
        self.show_hit();
    }

    /// Scrolls so the current place is in view, a few lines from the top.
    fn show_hit(&mut self) {
        let Some(hit) = self.found().get(self.reader.find_hit).copied() else {
            return;
        };
        let height = self.page_height(Pane::Reader);
        if hit.line < self.reader.scroll || hit.line >= self.reader.scroll + height {
            let max = self.page().len().saturating_sub(height);
            self.reader.scroll = hit.line.saturating_sub(2).min(max);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_are_smart_case_and_in_chars() {
        assert_eq!(
            matches_in("Flu and flu, FLU", "flu"),
            vec![(0, 3), (8, 3), (13, 3)]
        );
        assert_eq!(matches_in("Flu and flu", "Flu"), vec![(0, 3)]);
        assert_eq!(matches_in("“£5m” for £5m", "£5m"), vec![(1, 3), (10, 3)]);
        assert!(matches_in("abc", "").is_empty());
    }
}
