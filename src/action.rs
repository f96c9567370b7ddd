//! What can happen to the reader: user intents (`Action`), world events
//! (`Event`), and the side effects `App::update` asks the runtime to carry out
//! (`Effect`). Data only.

use std::sync::Arc;

use chrono::{DateTime, FixedOffset};

use crate::search::{Answer, Built, Hit, IndexJob, SearchJob};
use crate::store::bookmarks::{Bookmark, Change};
use crate::store::read::IdSet;
use crate::story::{Library, StoryId};

/// What the user means: a key, a click or the wheel, bindable in the
/// config file's `[keys]` table where it takes no argument.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Move the selection (or scroll the story) down one row.
    Down,
    /// Move the selection (or scroll the story) up one row.
    Up,
    /// Go to the first row.
    Top,
    /// Go to the last row.
    Bottom,
    /// Move half a page down.
    HalfPageDown,
    /// Move half a page up.
    HalfPageUp,
    /// Move a page down.
    PageDown,
    /// Move a page up.
    PageUp,
    /// Focus the next pane (Dates → Stories → Story).
    FocusNext,
    /// Focus the previous pane.
    FocusPrev,
    /// Focus the pane to the left (or go back to the list on a narrow screen).
    FocusLeft,
    /// Focus the pane to the right.
    FocusRight,
    /// Open the selected story in the Story pane.
    Open,
    /// Show the next story.
    NextStory,
    /// Show the previous story.
    PrevStory,
    /// Select the next (older) date.
    NextDate,
    /// Select the previous (newer) date.
    PrevDate,
    /// Open the filter line.
    StartFilter,
    /// Type a character into the filter.
    FilterInput(char),
    /// Delete the character before the cursor in the filter.
    FilterBackspace,
    /// Delete the word before the cursor in the filter.
    FilterDeleteWord,
    /// Clear the filter text.
    FilterClear,
    /// Keep the filter and return to the list.
    ConfirmFilter,
    /// Clear the filter and return to the list.
    CancelFilter,
    /// Start finding text in the story.
    StartFind,
    /// Type a character into the find prompt.
    FindInput(char),
    /// Delete the last character of the find prompt.
    FindBackspace,
    /// Keep the found text highlighted and return to reading.
    ConfirmFind,
    /// Stop finding (clears the highlights).
    CancelFind,
    /// Jump to the next place the text was found.
    FindNext,
    /// Jump to the previous place the text was found.
    FindPrev,
    /// Copy the story (headline, date, source, text) to the clipboard.
    CopyStory,
    /// Copy the headline and origin to the clipboard.
    CopyHeadline,
    /// Pipe the story's text to a command (`$PAGER`, else `less`).
    PipeStory,
    /// Open the story's file in `$EDITOR`.
    OpenOrigin,
    /// Mark the selected story read.
    MarkRead,
    /// Mark the selected story unread.
    MarkUnread,
    /// Show only unread stories, or everything again.
    ToggleUnreadOnly,
    /// Open the next unread story (across dates).
    NextUnread,
    /// Open the previous unread story (across dates).
    PrevUnread,
    /// Mark every story now listed read (`MarkUnread` right after undoes it).
    MarkAllRead,
    /// Show or hide the help overlay.
    ToggleHelp,
    /// Show or hide the load warnings.
    ToggleWarnings,
    /// Close an overlay, or step back (narrow screens).
    Back,
    /// Bookmark the selected story, or remove its bookmark.
    ToggleBookmark,
    /// Edit the note of the selected bookmark.
    EditNote,
    /// Type a character into the note.
    NoteInput(char),
    /// Delete the character before the cursor in the note.
    NoteBackspace,
    /// Move the note cursor left.
    NoteLeft,
    /// Move the note cursor right.
    NoteRight,
    /// Move the note cursor to the start.
    NoteHome,
    /// Move the note cursor to the end.
    NoteEnd,
    /// Delete the note text before the cursor.
    NoteClear,
    /// Save the note.
    NoteSave,
    /// Leave the note unchanged.
    NoteCancel,
    /// Leave the reader (on a narrow screen showing a story: back to the list).
    Quit,
    /// Leave the reader at once, from anywhere.
    ForceQuit,
    /// Stop the reader and return to the shell (`fg` resumes it).
    Suspend,
    /// Clear the terminal and draw the whole screen again (something else wrote
    /// over it).
    Redraw,
    /// The mouse wheel turned down over a cell (column, row).
    ScrollDownAt(u16, u16),
    /// The mouse wheel turned up over a cell (column, row).
    ScrollUpAt(u16, u16),
    /// The left button was pressed on a cell (column, row).
    ClickAt(u16, u16),
}

/// What happened in the world: the terminal, the clock, the files and the
/// workers report to the reader with these.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// The read state opened at start: stories read, stories loaded in earlier
    /// runs, and whether this is the first run.
    ReadStateOpened(IdSet, IdSet, bool),
    /// The read state now on disk (after a save).
    ReadChanged(Arc<IdSet>),
    /// The terminal is now this many columns and rows.
    Resize(u16, u16),
    /// A second has passed (status messages expire); the time now.
    Tick(DateTime<FixedOffset>),
    /// The bookmarks now on disk (after a save or a change made elsewhere).
    BookmarksChanged(Vec<Bookmark>),
    /// Show a message in the status line.
    Notify(String),
    /// A lasting condition for the status line (shown when no message is), or
    /// none any more.
    Condition(Option<String>),
    /// More stories loaded in the background.
    Loaded(Part),
    /// Files changed while the reader runs: drop the stories of these origins
    /// (changed or deleted files), then add the part (their new contents).
    Reloaded(Vec<std::path::PathBuf>, Part),
    /// Background loading progress: files done and total (`None` while the folders
    /// are still being walked).
    LoadProgress(usize, Option<usize>),
    /// Background loading finished.
    LoadDone,
    /// A background search finished: its generation and ranked hits.
    SearchDone(u64, Vec<Hit>),
    /// A background search found the top of its results (every story where all
    /// terms are found as typed, at least a screenful); the rest follows in
    /// [`Event::SearchDone`].
    SearchPartial(u64, Vec<Hit>),
    /// The body index asked for by [`Effect::BuildIndex`] is ready.
    IndexReady(Built),
}

/// What [`crate::app::App::update`] takes: a user's action or a world event.
#[derive(Debug, Clone, PartialEq)]
pub enum Msg {
    /// What the user means.
    Action(Action),
    /// What happened.
    Event(Event),
}

impl From<Answer> for Event {
    fn from(answer: Answer) -> Self {
        match answer {
            Answer::Top(generation, hits) => Event::SearchPartial(generation, hits),
            Answer::All(generation, hits) => Event::SearchDone(generation, hits),
        }
    }
}

impl From<Action> for Msg {
    fn from(action: Action) -> Self {
        Msg::Action(action)
    }
}

impl From<Event> for Msg {
    fn from(event: Event) -> Self {
        Msg::Event(event)
    }
}

/// A part of the library, loaded in the background.
#[derive(Debug, Clone)]
pub struct Part(pub Box<Library>);

impl PartialEq for Part {
    /// Parts are compared by identity (they are large and never compared by content).
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.0.as_ref(), other.0.as_ref())
    }
}

/// A side effect requested by `App::update`, carried out by the runtime.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Save this bookmark change (the store merges it with the file on disk).
    SaveBookmark(Change),
    /// Leave the reader.
    Quit,
    /// Hand the terminal back to the shell until resumed (job control).
    Suspend,
    /// Clear the terminal and draw everything again.
    Redraw,
    /// Rank the library for a filter on a worker thread.
    Search(SearchJob),
    /// Build the body index on a worker thread.
    BuildIndex(IndexJob),
    /// Stop the index being built: the library is about to change.
    CancelIndex,
    /// Save read-state changes: (marked read, marked unread).
    SaveRead(Vec<StoryId>, Vec<StoryId>),
    /// Put this text on the clipboard (OSC 52).
    Copy(String),
    /// Hand the terminal to `$PAGER` with this text on its stdin.
    Pipe(String),
    /// Hand the terminal to `$EDITOR` on this file.
    Edit(std::path::PathBuf),
}
