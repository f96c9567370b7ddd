//! `App::update`: the one way the model changes. A user's action goes to
//! `act`, a world event to `on`; each arm is short and calls the part of the
//! model it is about.

use super::{App, Mode};
use crate::action::{Action, Effect, Event, Msg};
use crate::layout::Pane;

impl App {
    /// Applies a user's action or a world event; returns what the runtime
    /// should do next, if anything.
    pub fn update(&mut self, msg: impl Into<Msg>) -> Option<Effect> {
        let msg = msg.into();
        // A pending "press b again" lasts only until the next thing happens.
        if !matches!(
            msg,
            Msg::Action(Action::ToggleBookmark) | Msg::Event(Event::Tick(_))
        ) {
            self.confirm_remove = None;
        }
        // Undoing "mark all read" is for the very next key only; a passing
        // message goes with the next key too.
        if let Msg::Action(action) = &msg {
            if *action != Action::MarkUnread {
                self.undo_read = None;
            }
            self.status.message = None;
        }
        match msg {
            Msg::Action(action) => self.act(action),
            Msg::Event(event) => self.on(event),
        }
    }

    /// What the user meant.
    #[allow(clippy::needless_pass_by_value)] // the update API hands actions over
    fn act(&mut self, action: Action) -> Option<Effect> {
        match action {
            Action::Down => self.move_by(1),
            Action::Up => self.move_by(-1),
            Action::Top => self.move_by(isize::MIN / 2),
            Action::Bottom => self.move_by(isize::MAX / 2),
            Action::HalfPageDown => self.move_by(self.page_for_focus() / 2),
            Action::HalfPageUp => self.move_by(-(self.page_for_focus() / 2)),
            Action::PageDown => self.move_by(self.page_for_focus()),
            Action::PageUp => self.move_by(-self.page_for_focus()),
            Action::FocusNext => self.set_focus(match self.focus {
                Pane::Dates => Pane::Stories,
                Pane::Stories => Pane::Reader,
                Pane::Reader => Pane::Dates,
            }),
            Action::FocusPrev => self.set_focus(match self.focus {
                Pane::Dates => Pane::Reader,
                Pane::Stories => Pane::Dates,
                Pane::Reader => Pane::Stories,
            }),
            Action::FocusLeft => self.set_focus(match self.focus {
                Pane::Reader => Pane::Stories,
                _ => Pane::Dates,
            }),
            Action::FocusRight => self.set_focus(match self.focus {
                Pane::Dates => Pane::Stories,
                _ => Pane::Reader,
            }),
            Action::Open => match self.focus {
                Pane::Dates => self.set_focus(Pane::Stories),
                _ if self.selected_id().is_some() => self.set_focus(Pane::Reader),
                _ => {}
            },
            Action::NextStory => self.read_next(1),
            Action::PrevStory => self.read_next(-1),
            Action::NextDate => self.move_date(1),
            Action::PrevDate => self.move_date(-1),
            Action::StartFilter => self.mode = Mode::Filter,
            Action::FilterInput(c) => {
                self.filter.query.push(c);
                return self.apply_filter();
            }
            Action::FilterBackspace => {
                self.filter.query.pop();
                return self.apply_filter();
            }
            Action::FilterDeleteWord => {
                let kept = self.filter.query.trim_end().rfind(' ').map_or(0, |i| i + 1);
                self.filter.query.truncate(kept);
                return self.apply_filter();
            }
            Action::FilterClear => {
                self.filter.query.clear();
                return self.apply_filter();
            }
            Action::ConfirmFilter => {
                self.mode = Mode::Normal;
                let query = self.filter.query.clone();
                self.warn_unknown_qualifiers(&query);
                if self.focus == Pane::Reader && !self.panes().bordered {
                    self.focus = Pane::Stories;
                }
                if self.focus == Pane::Dates {
                    self.focus = Pane::Stories;
                }
            }
            Action::CancelFilter => {
                self.mode = Mode::Normal;
                self.clear_filter();
            }
            Action::StartFind
            | Action::FindInput(_)
            | Action::FindBackspace
            | Action::ConfirmFind
            | Action::CancelFind
            | Action::FindNext
            | Action::FindPrev => self.find_action(&action),
            Action::MarkRead => return self.mark(true),
            Action::MarkUnread => {
                return match self.undo_read.take() {
                    Some(ids) => Some(self.undo_mark_all(ids)),
                    None => self.mark(false),
                };
            }
            Action::MarkAllRead => return self.mark_all_read(),
            Action::NextUnread => {
                self.step_unread(true);
            }
            Action::PrevUnread => {
                self.step_unread(false);
            }
            Action::ToggleUnreadOnly => {
                self.lists.unread_only = !self.lists.unread_only;
                let keep = self.selected_id();
                self.refresh(keep);
                self.notify(if self.lists.unread_only {
                    "Showing unread stories only (U shows all)"
                } else {
                    "Showing all stories"
                });
            }
            Action::CopyStory => return self.story_text().map(Effect::Copy),
            Action::CopyHeadline => {
                let story = self.current_story()?;
                let text = format!("{}\n{}", self.lib.headline(story), self.lib.origin(story));
                return Some(Effect::Copy(text));
            }
            Action::PipeStory => {
                // The page as the reader shows it, wrapped for reading in a pager.
                self.current_story()?;
                let mut text = String::new();
                for line in self.page_of(self.current_id()) {
                    text.push_str(&line.text);
                    text.push('\n');
                }
                return Some(Effect::Pipe(text));
            }
            Action::OpenOrigin => {
                let story = self.current_story()?;
                match self.lib.path(story) {
                    Some(path) => return Some(Effect::Edit(path.to_path_buf())),
                    None => self
                        .notify("This sample story is built into sitrep: there is no file to open"),
                }
            }
            Action::ToggleHelp => self.toggle_overlay(Mode::Help),
            Action::ToggleWarnings => self.toggle_overlay(Mode::Warnings),
            Action::Back => self.back(),
            Action::ToggleBookmark => return self.toggle_bookmark(),
            Action::EditNote => self.start_note(),
            Action::NoteInput(_)
            | Action::NoteBackspace
            | Action::NoteLeft
            | Action::NoteRight
            | Action::NoteHome
            | Action::NoteEnd
            | Action::NoteClear => self.edit_note(&action),
            Action::NoteSave => return self.save_note(),
            Action::NoteCancel => {
                self.note = None;
                self.mode = Mode::Normal;
            }
            Action::Quit => {
                if self.focus == Pane::Reader && !self.panes().bordered {
                    self.focus = Pane::Stories;
                } else {
                    return Some(Effect::Quit);
                }
            }
            Action::ForceQuit => return Some(Effect::Quit),
            Action::Suspend => return Some(Effect::Suspend),
            Action::Redraw => return Some(Effect::Redraw),
            Action::ScrollDownAt(x, y) => self.scroll_at(x, y, 3),
            Action::ScrollUpAt(x, y) => self.scroll_at(x, y, -3),
            Action::ClickAt(x, y) => self.click_at(x, y),
        }
        None
    }

    /// What happened.
    fn on(&mut self, event: Event) -> Option<Effect> {
        match event {
            Event::ReadStateOpened(read, seen, first_run) => {
                self.set_read_state(read, seen, first_run);
            }
            Event::ReadChanged(read) => {
                self.marks.read = read;
                self.sync_read_bits();
                if self.lists.unread_only {
                    let keep = self.selected_id();
                    self.refresh(keep);
                }
            }
            Event::Resize(w, h) => {
                self.size = crate::layout::fit(w, h);
                if self.size != (w, h) && !self.status.told_capped {
                    self.status.told_capped = true;
                    let (cw, ch) = self.size;
                    self.notify(format!(
                        "The terminal says it is {w}x{h}: sitrep draws in the top-left {cw}x{ch}"
                    ));
                }
                self.keep_in_view();
            }
            Event::Tick(now) => {
                self.now = now;
                self.status.tick();
                self.follow_selection();
                // Marking read first; parts held back by a stopped search merge on
                // this tick or the next.
                return self
                    .dwell_tick()
                    .or_else(|| self.flush_pending())
                    .or_else(|| self.want_index());
            }
            Event::BookmarksChanged(list) => {
                let keep = self.selected_id();
                self.set_bookmarks(list);
                self.refresh(keep);
            }
            Event::Notify(text) => self.notify(text),
            Event::Condition(text) => self.status.condition = text,
            Event::Loaded(part) => return self.add_part(Vec::new(), *part.0),
            Event::Reloaded(removed, part) => return self.add_part(removed, *part.0),
            Event::SearchDone(generation, hits) => return self.search_done(generation, hits),
            Event::SearchPartial(generation, hits) => self.search_partial(generation, hits),
            Event::IndexReady(built) => return self.index_ready(built),
            Event::LoadProgress(done, total) => self.background.loading = Some((done, total)),
            Event::LoadDone => {
                self.background.loading = None;
                return self.want_index();
            }
        }
        None
    }
}
