//! Bookmarks: a small JSON file, `<config dir>/bookmarks.json`, shared safely by
//! every running sitrep.
//!
//! The promise is that bookmarks are never lost:
//!
//! - Saves are atomic: a temp file in the same directory is written, flushed and
//!   synced, then renamed over `bookmarks.json`, and the directory is synced. A crash
//!   at any moment leaves either the old or the new file.
//! - Every change takes an exclusive advisory lock on `bookmarks.json.lock`, re-reads
//!   the file, applies the change to what is on disk and writes it back, so two
//!   sitreps running at once never drop each other's changes.
//! - A file that cannot be parsed is renamed aside to
//!   `bookmarks.json.corrupt-<YYYYMMDDTHHMMSS>`, never overwritten or deleted.
//! - A file written by a newer sitrep (a higher `version`) is read as well as
//!   possible but never written.
//! - A file that exists but cannot be read is never written either.
//! - Nothing here panics; [`Store::open`] never fails, it reports a notice instead.
//!
//! Format (pretty JSON): `{ "version": 1, "bookmarks": [ { "id": "<16 hex>",
//! "headline": "…", "date": "YYYY-MM-DD" | "YYYY-MM" | null, "source": "…",
//! "origin": "…", "added": "<RFC 3339>", "note": "" } ] }`. Unknown fields, at the
//! top level and in each bookmark, are kept on rewrite.

use std::fmt;
use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use chrono::{DateTime, FixedOffset, Local, SubsecRound};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::store::file::{self, FileError, StoreFile};
use crate::story::StoryId;

/// The format version this sitrep reads and writes.
pub const FORMAT_VERSION: u32 = 1;

/// The bookmarks file's name inside the config directory.
pub const FILE_NAME: &str = "bookmarks.json";

/// One bookmarked story.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bookmark {
    /// The story's stable id.
    pub id: StoryId,
    /// The headline when it was bookmarked.
    pub headline: String,
    /// The story date in machine form (`YYYY-MM-DD` or `YYYY-MM`), or `None`.
    #[serde(default)]
    pub date: Option<String>,
    /// The publication or title the story came from.
    #[serde(default)]
    pub source: String,
    /// Where the story was loaded from (a path or `bundled:<name>`).
    #[serde(default)]
    pub origin: String,
    /// When it was bookmarked.
    pub added: DateTime<FixedOffset>,
    /// The reader's note; empty when none.
    #[serde(default)]
    pub note: String,
    /// Fields this version does not know, kept as they were on rewrite.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Bookmark {
    /// A new bookmark added now, with an empty note and no extra fields.
    #[must_use]
    pub fn new(
        id: StoryId,
        headline: impl Into<String>,
        date: Option<String>,
        source: impl Into<String>,
        origin: impl Into<String>,
    ) -> Self {
        Bookmark {
            id,
            headline: headline.into(),
            date,
            source: source.into(),
            origin: origin.into(),
            added: Local::now().fixed_offset().trunc_subsecs(3),
            note: String::new(),
            extra: Map::new(),
        }
    }
}

/// One change to the bookmark list.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// Add a bookmark, replacing one with the same id (its note is kept when the new
    /// note is empty).
    Add(Bookmark),
    /// Remove the bookmark with this id, if any.
    Remove(StoryId),
    /// Set the note of the bookmark with this id, if any.
    SetNote(StoryId, String),
}

/// Why bookmarks cannot be saved this session (shown in the status line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveBlock {
    /// The file was written by a newer sitrep with this format version; it is never
    /// written by this one.
    NewerVersion(u32),
    /// The file or its directory cannot be written (or read); the reason in words.
    Unwritable(String),
}

impl fmt::Display for SaveBlock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SaveBlock::NewerVersion(v) => write!(
                f,
                "bookmarks are read-only: the file was written by a newer sitrep \
                 (format {v}, this one knows {FORMAT_VERSION}); changes last for this session only"
            ),
            SaveBlock::Unwritable(reason) => write!(f, "bookmarks cannot be saved: {reason}"),
        }
    }
}

/// What went wrong reading or saving bookmarks. The `Display` text is complete
/// (it includes the path and the OS error), ready for the status line.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Saving is blocked for this session; keep changes in memory.
    #[error("{0}")]
    ReadOnly(SaveBlock),
    /// A file system operation failed, or another sitrep held the lock too long.
    #[error(transparent)]
    File(#[from] FileError),
    /// The file on disk cannot be parsed (only from [`Store::reload`]; `apply`
    /// moves such a file aside instead).
    #[error("{} is damaged: {reason}", path.display())]
    Corrupt {
        /// The bookmarks file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// The list could not be encoded as JSON (should not happen).
    #[error("cannot encode bookmarks: {0}")]
    Encode(#[from] serde_json::Error),
}

/// The bookmarks file of one config directory.
#[derive(Debug)]
pub struct Store {
    file: StoreFile,
    block: Option<SaveBlock>,
    pending_notice: Option<String>,
    /// Changes not yet written, oldest first: they stay here until a save succeeds,
    /// and every save (and [`Store::reload`]) applies them on top of the file.
    unsaved: Vec<Change>,
}

/// The result of [`Store::open`].
#[derive(Debug)]
pub struct Opened {
    /// The store, for later changes.
    pub store: Store,
    /// The bookmarks read, most recently added first.
    pub bookmarks: Vec<Bookmark>,
    /// Something the reader should be told (damaged file kept aside, read-only, …).
    pub notice: Option<String>,
}

/// The file as stored.
#[derive(Debug, Default, Serialize, Deserialize)]
struct FileData {
    version: u32,
    bookmarks: Vec<Bookmark>,
    #[serde(flatten)]
    extra: Map<String, Value>,
}

/// What reading the file found.
enum Read {
    Missing,
    /// The current format: the entries that could be read, and why each of the
    /// others could not.
    Current(FileData, Vec<String>),
    Newer(u32, Vec<Bookmark>),
    Corrupt(String),
}

impl Store {
    /// Opens the bookmarks in `dir` (the config directory; it need not exist).
    ///
    /// Never fails: a damaged file is moved aside, a newer or unreadable file makes
    /// the store read-only, an unwritable directory is reported, and each of these
    /// becomes [`Opened::notice`] while the session carries on. Stale temp files left
    /// by a crashed save are removed.
    #[must_use]
    pub fn open(dir: &Path) -> Opened {
        let mut store = Store {
            file: StoreFile::new(dir, FILE_NAME),
            block: None,
            pending_notice: None,
            unsaved: Vec::new(),
        };
        let mut notices = Vec::new();

        match file::open_folder(dir, &[&store.file]) {
            file::Folder::Found(Ok(())) => {}
            file::Folder::Found(Err(why)) => store.block = Some(SaveBlock::Unwritable(why)),
            // Nothing to read, and saving cannot work until that changes (a
            // missing directory is created on the first save).
            file::Folder::Empty(why) => {
                store.block = why.map(SaveBlock::Unwritable);
                return store.opened_empty();
            }
        }

        // Hold the lock while reading, so a damaged file is moved aside by one
        // sitrep only. Without the lock (read-only directory) reading is still safe
        // because saves are atomic renames.
        let lock = if store.block.is_none() {
            match store.lock() {
                Ok(lock) => Some(lock),
                Err(e) => {
                    store.block = Some(SaveBlock::Unwritable(e.to_string()));
                    None
                }
            }
        } else {
            None
        };

        let bookmarks = match read_file(&store.file) {
            Ok(Read::Missing) => Vec::new(),
            Ok(Read::Current(data, rejected)) if rejected.is_empty() => data.bookmarks,
            Ok(Read::Current(data, rejected)) => {
                if lock.is_some() {
                    // Keep the whole file aside, then the good entries in its place.
                    match store.file.move_aside() {
                        Ok(aside) => {
                            notices.push(partial_notice(&rejected, &data.bookmarks, &aside));
                            if let Err(e) = store.write_atomic(&data, &|| Ok(())) {
                                notices.push(format!("the bookmarks read could not be saved: {e}"));
                                store.block = Some(SaveBlock::Unwritable(e.to_string()));
                            }
                        }
                        Err(e) => {
                            store.block = Some(SaveBlock::Unwritable(format!(
                                "{} has entries that cannot be read ({}) and could not be \
                                 moved aside: {e}",
                                store.file.path.display(),
                                rejected.join("; ")
                            )));
                        }
                    }
                } else {
                    notices.push(left_notice(&store.file.path, &rejected));
                }
                data.bookmarks
            }
            Ok(Read::Newer(version, list)) => {
                store.block = Some(SaveBlock::NewerVersion(version));
                list
            }
            Ok(Read::Corrupt(reason)) => {
                if lock.is_some() {
                    match store.file.move_aside() {
                        Ok(aside) => notices.push(file::set_aside_notice(
                            &store.file.path,
                            &reason,
                            &aside,
                            "a new list was started",
                        )),
                        Err(e) => {
                            store.block = Some(SaveBlock::Unwritable(format!(
                                "{} is damaged ({reason}) and could not be moved aside: {e}",
                                store.file.path.display()
                            )));
                        }
                    }
                } else {
                    notices.push(left_notice(&store.file.path, &[reason]));
                }
                Vec::new()
            }
            Err(e) => {
                // Never overwrite a file we could not read.
                store.block = Some(SaveBlock::Unwritable(e.to_string()));
                Vec::new()
            }
        };
        drop(lock);

        if let Some(block) = &store.block {
            notices.push(block.to_string());
        }
        Opened {
            store,
            bookmarks,
            notice: (!notices.is_empty()).then(|| notices.join("; ")),
        }
    }

    /// Reads the bookmarks in `dir` for a command that only lists them: nothing on
    /// disk is changed, locked or moved (a damaged file is reported and left as it
    /// is; the good entries of a partly damaged one are returned). Never fails.
    #[must_use]
    pub fn inspect(dir: &Path) -> (Vec<Bookmark>, Option<String>) {
        let file = StoreFile::new(dir, FILE_NAME);
        match read_file(&file) {
            Ok(Read::Missing) => (Vec::new(), None),
            Ok(Read::Current(data, rejected)) => {
                let notice = (!rejected.is_empty()).then(|| left_notice(&file.path, &rejected));
                (data.bookmarks, notice)
            }
            Ok(Read::Newer(version, list)) => {
                (list, Some(SaveBlock::NewerVersion(version).to_string()))
            }
            Ok(Read::Corrupt(reason)) => (Vec::new(), Some(left_notice(&file.path, &[reason]))),
            Err(e) => (Vec::new(), Some(e.to_string())),
        }
    }

    /// An empty list, with the block (if any) as the notice.
    fn opened_empty(self) -> Opened {
        let notice = self.read_only_reason();
        Opened {
            store: self,
            bookmarks: Vec::new(),
            notice,
        }
    }

    /// The bookmarks file (`<dir>/bookmarks.json`).
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.file.path
    }

    /// Why saves do not work this session, for the status line; `None` when they do.
    ///
    /// After a failed [`Store::apply`] this holds that failure until a later one
    /// succeeds.
    #[must_use]
    pub fn read_only_reason(&self) -> Option<String> {
        self.block.as_ref().map(ToString::to_string)
    }

    /// A notice raised by the last [`Store::apply`] (for example: the file had been
    /// damaged by something else and was moved aside), taken once.
    pub fn take_notice(&mut self) -> Option<String> {
        self.pending_notice.take()
    }

    /// Records `change`, then saves every change not yet written: locks, re-reads
    /// what is on disk, applies the unsaved changes to it in order, writes it
    /// atomically and unlocks. Returns the merged list now on disk, most recently
    /// added first, so changes made by another running sitrep show up.
    ///
    /// A change that cannot be written stays unsaved and is written by the next
    /// successful `apply` or [`Store::flush`]; it is never dropped by a later save.
    /// A damaged file found on disk is moved aside first (see [`Store::take_notice`]).
    ///
    /// # Errors
    ///
    /// [`StoreError::ReadOnly`] when the file was written by a newer sitrep (found at
    /// open or now); [`FileError::Io`] (with the path) when the directory cannot be
    /// created, the file cannot be read, or the save fails; [`FileError::Locked`]
    /// when another sitrep holds the lock for more than a few seconds. On any error
    /// the file on disk is unchanged and the change stays unsaved.
    pub fn apply(&mut self, change: &Change) -> Result<Vec<Bookmark>, StoreError> {
        self.apply_with_hook(change, &|| Ok(()))
    }

    /// [`Store::apply`], calling `before_rename` after the temp file is written and
    /// synced but before it is renamed over the bookmarks file. Test hook: an error
    /// from it aborts the save as a crash would at that point.
    ///
    /// # Errors
    ///
    /// As [`Store::apply`], plus the hook's error as [`FileError::Io`].
    #[doc(hidden)]
    pub fn apply_with_hook(
        &mut self,
        change: &Change,
        before_rename: &dyn Fn() -> io::Result<()>,
    ) -> Result<Vec<Bookmark>, StoreError> {
        self.unsaved.push(change.clone());
        self.flush_with_hook(before_rename)
    }

    /// Writes the changes not yet saved (see [`Store::apply`]); with none, only
    /// re-reads the file.
    ///
    /// # Errors
    ///
    /// As [`Store::apply`].
    pub fn flush(&mut self) -> Result<Vec<Bookmark>, StoreError> {
        self.flush_with_hook(&|| Ok(()))
    }

    fn flush_with_hook(
        &mut self,
        before_rename: &dyn Fn() -> io::Result<()>,
    ) -> Result<Vec<Bookmark>, StoreError> {
        if self.unsaved.is_empty() {
            return self.reload();
        }
        if let Some(block @ SaveBlock::NewerVersion(_)) = &self.block {
            return Err(StoreError::ReadOnly(block.clone()));
        }
        match self.apply_locked(before_rename) {
            Ok(list) => {
                self.block = None;
                self.unsaved.clear();
                Ok(list)
            }
            Err(e) => {
                if matches!(e, StoreError::File(FileError::Io { .. })) {
                    self.block = Some(SaveBlock::Unwritable(e.to_string()));
                }
                Err(e)
            }
        }
    }

    /// The changes recorded but not yet written, oldest first.
    #[must_use]
    pub fn unsaved(&self) -> &[Change] {
        &self.unsaved
    }

    fn apply_locked(
        &mut self,
        before_rename: &dyn Fn() -> io::Result<()>,
    ) -> Result<Vec<Bookmark>, StoreError> {
        let dir = &self.file.dir;
        file::create_private_dir(dir)?;
        let _lock = self.lock()?;
        let mut data = match read_file(&self.file)? {
            Read::Missing => FileData::default(),
            Read::Current(data, rejected) if rejected.is_empty() => data,
            Read::Current(data, rejected) => {
                let aside = self
                    .file
                    .move_aside()
                    .map_err(|e| FileError::io("move aside", &self.file.path, e))?;
                self.pending_notice = Some(partial_notice(&rejected, &data.bookmarks, &aside));
                data
            }
            Read::Newer(version, _) => {
                let block = SaveBlock::NewerVersion(version);
                self.block = Some(block.clone());
                return Err(StoreError::ReadOnly(block));
            }
            Read::Corrupt(reason) => {
                let aside = self
                    .file
                    .move_aside()
                    .map_err(|e| FileError::io("move aside", &self.file.path, e))?;
                self.pending_notice = Some(file::set_aside_notice(
                    &self.file.path,
                    &reason,
                    &aside,
                    "a new list was started",
                ));
                FileData::default()
            }
        };
        data.version = FORMAT_VERSION;
        for change in &self.unsaved {
            apply_change(&mut data.bookmarks, change);
        }
        self.write_atomic(&data, before_rename)?;
        Ok(data.bookmarks)
    }

    /// Re-reads the file (under the lock when it can be taken) without changing it,
    /// with the changes not yet saved applied on top. A file from a newer sitrep is
    /// read as well as possible.
    ///
    /// # Errors
    ///
    /// [`StoreError::Corrupt`] when the file cannot be parsed (it is left alone;
    /// the next [`Store::apply`] moves it aside), [`FileError::Io`] when it cannot
    /// be read, [`FileError::Locked`] when another sitrep holds the lock too long.
    pub fn reload(&self) -> Result<Vec<Bookmark>, StoreError> {
        // Reading without the lock is still safe (saves are atomic renames), so a
        // lock file that cannot be created is no reason to fail.
        let _lock = match self.lock() {
            Ok(lock) => Some(lock),
            Err(e @ StoreError::File(FileError::Locked { .. })) => return Err(e),
            Err(_) => None,
        };
        let mut list = match read_file(&self.file)? {
            Read::Missing => Vec::new(),
            Read::Current(data, _) => data.bookmarks,
            Read::Newer(_, list) => list,
            Read::Corrupt(reason) => {
                return Err(StoreError::Corrupt {
                    path: self.file.path.clone(),
                    reason,
                });
            }
        };
        for change in &self.unsaved {
            apply_change(&mut list, change);
        }
        Ok(list)
    }

    /// Modification time of the file, for cheap "changed elsewhere?" polling; `None`
    /// when it does not exist or cannot be looked at.
    #[must_use]
    pub fn modified(&self) -> Option<SystemTime> {
        fs::metadata(&self.file.path)
            .and_then(|m| m.modified())
            .ok()
    }

    /// Takes the exclusive lock, waiting a few seconds at most. Released on drop.
    fn lock(&self) -> Result<File, StoreError> {
        Ok(self.file.lock()?)
    }

    /// Writes `data` to a temp file next to the real file, syncs it, renames it over
    /// the real file and syncs the directory. A symlinked `bookmarks.json` is
    /// followed, so the link is kept.
    fn write_atomic(
        &self,
        data: &FileData,
        before_rename: &dyn Fn() -> io::Result<()>,
    ) -> Result<(), StoreError> {
        let mut bytes = serde_json::to_vec_pretty(data)?;
        bytes.push(b'\n');
        Ok(self.file.write_atomic(&bytes, before_rename)?)
    }
}

/// A damaged file that was not changed (read-only command, or no lock).
fn left_notice(path: &Path, reasons: &[String]) -> String {
    format!(
        "{} is damaged ({}); it was left as it is",
        path.display(),
        reasons.join("; ")
    )
}

fn partial_notice(rejected: &[String], kept: &[Bookmark], aside: &Path) -> String {
    format!(
        "{} in the bookmarks file could not be read ({}); the whole file was kept as {} \
         and the other {} kept",
        crate::text::counted(rejected.len(), "bookmark", "bookmarks"),
        rejected.join("; "),
        aside.display(),
        crate::text::counted(kept.len(), "bookmark was", "bookmarks were"),
    )
}

/// Reads and parses the file. `Err` only when it exists but cannot be read.
fn read_file(file: &StoreFile) -> Result<Read, StoreError> {
    Ok(file.read()?.map_or(Read::Missing, |bytes| parse(&bytes)))
}

/// Parses the file's bytes: the current format strictly, a newer one as well as
/// possible.
fn parse(bytes: &[u8]) -> Read {
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => return Read::Corrupt(format!("not UTF-8 text: {e}")),
    };
    let value: Value = match serde_json::from_str(text) {
        Ok(value) => value,
        Err(e) => return Read::Corrupt(format!("not valid JSON: {e}")),
    };
    let Some(version) = value.get("version").and_then(Value::as_u64) else {
        return Read::Corrupt("no format version".to_owned());
    };
    if version == 0 {
        return Read::Corrupt("format version 0".to_owned());
    }
    if version > u64::from(FORMAT_VERSION) {
        let version = u32::try_from(version).unwrap_or(u32::MAX);
        let mut list: Vec<Bookmark> = value
            .get("bookmarks")
            .and_then(Value::as_array)
            .map(|items| {
                items
                    .iter()
                    .filter_map(|item| serde_json::from_value(item.clone()).ok())
                    .collect()
            })
            .unwrap_or_default();
        sort(&mut list);
        return Read::Newer(version, list);
    }
    let Value::Object(mut top) = value else {
        return Read::Corrupt("not a JSON object".to_owned());
    };
    let items = match top.remove("bookmarks") {
        Some(Value::Array(items)) => items,
        Some(_) => return Read::Corrupt("`bookmarks` is not a list".to_owned()),
        None => return Read::Corrupt("no `bookmarks` list".to_owned()),
    };
    top.remove("version");
    let mut data = FileData {
        version: FORMAT_VERSION,
        bookmarks: Vec::with_capacity(items.len()),
        extra: top,
    };
    let mut rejected = Vec::new();
    for (n, item) in (1..).zip(items) {
        match serde_json::from_value::<Bookmark>(item) {
            Ok(b) => data.bookmarks.push(b),
            Err(e) => rejected.push(format!("entry {n}: {e}")),
        }
    }
    sort(&mut data.bookmarks);
    Read::Current(data, rejected)
}

/// Most recently added first; ties keep their order.
fn sort(list: &mut [Bookmark]) {
    list.sort_by_key(|b| std::cmp::Reverse(b.added));
}

/// Applies `change` to `list` in memory, then sorts it most recently added first.
///
/// `Add` replaces a bookmark with the same id, keeping its note when the new note is
/// empty and its unknown fields unless the new bookmark sets them; `Remove` and
/// `SetNote` do nothing when the id is absent.
pub fn apply_change(list: &mut Vec<Bookmark>, change: &Change) {
    match change {
        Change::Add(new) => {
            let mut new = new.clone();
            if let Some(pos) = list.iter().position(|b| b.id == new.id) {
                let old = list.remove(pos);
                if new.note.is_empty() {
                    new.note = old.note;
                }
                for (key, value) in old.extra {
                    new.extra.entry(key).or_insert(value);
                }
            }
            list.insert(0, new);
        }
        Change::Remove(id) => list.retain(|b| b.id != *id),
        Change::SetNote(id, note) => {
            if let Some(b) = list.iter_mut().find(|b| b.id == *id) {
                b.note.clone_from(note);
            }
        }
    }
    sort(list);
}

#[cfg(test)]
mod tests;
