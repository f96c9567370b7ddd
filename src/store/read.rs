//! Read state: which stories the reader has read, and which stories sitrep has ever
//! loaded ("seen", so the others are new since the last visit). Two sets of story
//! ids, one file each in the data directory: `read.bin` and `seen.bin`.
//!
//! The promises are those of the bookmarks file (see `bookmarks.rs`):
//!
//! - Saves are atomic (temp file in the same directory, sync, rename, sync the
//!   directory), so a crash leaves the old or the new file, never a mix.
//! - Every save takes an exclusive lock on `<file>.lock`, re-reads the file,
//!   applies this session's changes to what is on disk and writes it back, so two
//!   sitreps running at once never drop each other's changes.
//! - A file that fails its checks is renamed aside to
//!   `<file>.corrupt-<YYYYMMDDTHHMMSS>`, never overwritten or deleted, and the set
//!   starts empty.
//! - A file written by a newer sitrep, or one that cannot be read, is never written.
//! - Nothing here panics; [`ReadStore::open`] never fails, it reports a notice.
//!
//! Format (binary, little-endian), for 1M stories about 8 MB:
//!
//! ```text
//! offset 0      6 bytes  magic  b"SITIDS"
//! offset 6      u16      format version (1)
//! offset 8      n × u64  story ids, strictly increasing
//! offset 8+8n   u64      xxh3-64 of bytes 0 .. 8+8n (header and ids)
//! ```
//!
//! So a file is `16 + 8 × n` bytes; any other length, a wrong magic or a checksum
//! mismatch means it is damaged (torn, cut short or altered).
//!
//! Every version, present and future, starts with the magic and version and ends
//! with the xxh3-64 of all the bytes before it, so a file from a newer sitrep is
//! told apart from a damaged one (a flipped version byte is damage, not a reason to
//! go read-only for good).

use std::io;
use std::path::{Path, PathBuf};

use xxhash_rust::xxh3::xxh3_64;

use crate::store::file::{self, FileError, StoreFile};
use crate::story::StoryId;

/// The format version this sitrep reads and writes.
pub const FORMAT_VERSION: u16 = 1;

/// The read set's file name inside the data directory.
pub const READ_FILE: &str = "read.bin";

/// The seen set's file name inside the data directory.
pub const SEEN_FILE: &str = "seen.bin";

/// The first six bytes of every id file.
const MAGIC: &[u8; 6] = b"SITIDS";

/// Up to this many ids, bulk changes are done one id at a time.
const FEW: usize = 16;

/// Magic and version.
const HEADER_LEN: usize = 8;

/// The trailing xxh3-64.
const CHECKSUM_LEN: usize = 8;

/// A set of story ids: a sorted `Vec<u64>` without duplicates, so lookups are
/// O(log n), iteration is in id order and the file is written without sorting.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IdSet {
    ids: Vec<u64>,
}

impl IdSet {
    /// An empty set.
    #[must_use]
    pub fn new() -> Self {
        IdSet::default()
    }

    /// Whether `id` is in the set.
    #[must_use]
    pub fn contains(&self, id: StoryId) -> bool {
        self.ids.binary_search(&id.0).is_ok()
    }

    /// Adds `id`; `true` when it was not there before.
    pub fn insert(&mut self, id: StoryId) -> bool {
        match self.ids.binary_search(&id.0) {
            Ok(_) => false,
            Err(pos) => {
                self.ids.insert(pos, id.0);
                true
            }
        }
    }

    /// Removes `id`; `true` when it was there.
    pub fn remove(&mut self, id: StoryId) -> bool {
        match self.ids.binary_search(&id.0) {
            Ok(pos) => {
                self.ids.remove(pos);
                true
            }
            Err(_) => false,
        }
    }

    /// How many ids the set holds.
    #[must_use]
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether the set is empty.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Adds every id in `ids`: O(n + m log m) however many there are (one merge,
    /// not m inserts).
    pub fn extend(&mut self, ids: impl IntoIterator<Item = StoryId>) {
        let mut new: Vec<u64> = ids.into_iter().map(|id| id.0).collect();
        if new.len() <= FEW {
            for id in new {
                self.insert(StoryId(id));
            }
            return;
        }
        new.sort_unstable();
        new.dedup();
        match (self.ids.last(), new.first()) {
            (None, _) => self.ids = new,
            (Some(last), Some(first)) if first > last => self.ids.extend_from_slice(&new),
            _ => self.ids = merge(&self.ids, &new),
        }
    }

    /// Removes every id in `ids`: O(n log m + m log m) however many there are.
    /// `true` when any was there.
    pub fn remove_all(&mut self, ids: &[StoryId]) -> bool {
        if ids.len() <= FEW {
            return ids.iter().fold(false, |any, &id| self.remove(id) | any);
        }
        let mut gone: Vec<u64> = ids.iter().map(|id| id.0).collect();
        gone.sort_unstable();
        let before = self.ids.len();
        self.ids.retain(|id| gone.binary_search(id).is_err());
        self.ids.len() != before
    }

    /// The ids in increasing order.
    #[must_use]
    pub fn iter(&self) -> impl ExactSizeIterator<Item = StoryId> + '_ {
        self.ids.iter().map(|&id| StoryId(id))
    }

    /// A set from ids that may be unsorted or repeated.
    fn from_raw(mut ids: Vec<u64>) -> Self {
        if !ids.is_sorted() {
            ids.sort_unstable();
        }
        ids.dedup();
        IdSet { ids }
    }
}

impl FromIterator<StoryId> for IdSet {
    fn from_iter<I: IntoIterator<Item = StoryId>>(iter: I) -> Self {
        IdSet::from_raw(iter.into_iter().map(|id| id.0).collect())
    }
}

/// The union of two sorted, duplicate-free slices.
fn merge(a: &[u64], b: &[u64]) -> Vec<u64> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while let (Some(&x), Some(&y)) = (a.get(i), b.get(j)) {
        if x <= y {
            out.push(x);
            i += 1;
            if x == y {
                j += 1;
            }
        } else {
            out.push(y);
            j += 1;
        }
    }
    out.extend_from_slice(a.get(i..).unwrap_or_default());
    out.extend_from_slice(b.get(j..).unwrap_or_default());
    out
}

/// What went wrong saving read state. The `Display` text is complete (it includes
/// the path and the OS error), ready for the status line. On any error the file on
/// disk is unchanged; keep the changes in memory and try again later.
#[derive(Debug, thiserror::Error)]
pub enum ReadStoreError {
    /// The file was written by a newer sitrep; this one never writes it.
    #[error(
        "{} is read-only: it was written by a newer sitrep (format {version}, this one \
         knows {FORMAT_VERSION}); changes last for this session only",
        path.display()
    )]
    NewerVersion {
        /// The file.
        path: PathBuf,
        /// Its format version.
        version: u16,
    },
    /// A file system operation failed, or another sitrep held the lock too long.
    #[error(transparent)]
    File(#[from] FileError),
}

/// One of the two files.
#[derive(Debug)]
struct SetFile {
    file: StoreFile,
    /// What the set is, in words, for notices.
    what: &'static str,
    /// Set when the file was written by a newer sitrep: never write it.
    newer: Option<u16>,
}

impl SetFile {
    fn newer_error(&self, version: u16) -> ReadStoreError {
        ReadStoreError::NewerVersion {
            path: self.file.path.clone(),
            version,
        }
    }

    /// Reads the set at open. `None` when there is nothing usable on disk (missing,
    /// damaged, unreadable or newer); problems become notices.
    fn load(&mut self, writable: bool, notices: &mut Vec<String>) -> Option<IdSet> {
        // Hold the lock while reading, so a damaged file is moved aside by one
        // sitrep only. Without it (read-only directory, or another sitrep holding it
        // for long) reading is still safe because saves are atomic renames.
        let lock = if writable {
            self.file.lock().ok()
        } else {
            None
        };
        let path = &self.file.path;
        let bytes = match self.file.read() {
            Ok(Some(bytes)) => bytes,
            Ok(None) => return None,
            Err(e) => {
                notices.push(format!("{e}; it will not be overwritten"));
                return None;
            }
        };
        match decode(&bytes) {
            Decoded::Current(set) => Some(set),
            Decoded::Newer(version) => {
                self.newer = Some(version);
                notices.push(self.newer_error(version).to_string());
                None
            }
            Decoded::Corrupt(reason) => {
                let notice = if lock.is_none() {
                    format!(
                        "{} is damaged ({reason}); it was left as it is",
                        path.display()
                    )
                } else {
                    match self.file.move_aside() {
                        Ok(aside) => file::set_aside_notice(
                            path,
                            &reason,
                            &aside,
                            &format!("the {} started afresh", self.what),
                        ),
                        Err(e) => format!(
                            "{} is damaged ({reason}) and could not be moved aside: {e}",
                            path.display()
                        ),
                    }
                };
                notices.push(notice);
                None
            }
        }
    }
}

/// The read-state files of one data directory.
#[derive(Debug)]
pub struct ReadStore {
    dir: PathBuf,
    read: SetFile,
    seen: SetFile,
    pending_notice: Option<String>,
    /// Read/unread marks not yet written, oldest first, as (read, unread) batches:
    /// kept until a save succeeds, so a failed save never loses one.
    unsaved_read: Vec<(Vec<StoryId>, Vec<StoryId>)>,
    /// Seen ids not yet written.
    unsaved_seen: IdSet,
}

/// The result of [`ReadStore::open`].
#[derive(Debug)]
pub struct Opened {
    /// The store, for saving changes.
    pub store: ReadStore,
    /// The stories the reader has read.
    pub read: IdSet,
    /// Every story sitrep has loaded before.
    pub seen: IdSet,
    /// No seen set to compare with: `seen.bin` did not exist (the very first start),
    /// or it was damaged, unreadable or from a newer sitrep. Then nothing should be
    /// shown as new; save the loaded ids with [`ReadStore::save_seen`].
    pub first_run: bool,
    /// Something the reader should be told (damaged file kept aside, read-only,
    /// cannot be saved, …).
    pub notice: Option<String>,
}

/// Which file a save is for.
#[derive(Clone, Copy)]
enum Which {
    Read,
    Seen,
}

impl ReadStore {
    /// Opens the read state in `dir` (the data directory; it need not exist and is
    /// not created until the first save).
    ///
    /// Never fails: a damaged file is moved aside and its set starts empty, a newer
    /// or unreadable file is never written, an unwritable directory means changes
    /// last for this session only; each of these becomes [`Opened::notice`]. Stale
    /// temp files left by a crashed save are removed.
    #[must_use]
    pub fn open(dir: &Path) -> Opened {
        let store = ReadStore::new(dir);
        let mut notices = Vec::new();
        let cannot_save = "read state cannot be saved";

        let writable = match file::open_folder(dir, &[&store.read.file, &store.seen.file]) {
            file::Folder::Found(Ok(())) => true,
            file::Folder::Found(Err(why)) => {
                notices.push(format!("{cannot_save}: {why}"));
                false
            }
            file::Folder::Empty(why) => {
                notices.extend(why.map(|why| format!("{cannot_save}: {why}")));
                return store.loaded_empty(&notices);
            }
        };

        store.loaded(writable, notices)
    }

    /// Reads the read state in `dir` for a command that only looks at it: nothing
    /// on disk is changed, locked or moved (a damaged file is reported and left as
    /// it is). Never fails.
    #[must_use]
    pub fn inspect(dir: &Path) -> Opened {
        ReadStore::new(dir).loaded(false, Vec::new())
    }

    /// Reads both sets (under their locks when `writable`, moving damaged files
    /// aside then) and hands back the store with them.
    fn loaded(mut self, writable: bool, mut notices: Vec<String>) -> Opened {
        let read = self.read.load(writable, &mut notices);
        let seen = self.seen.load(writable, &mut notices);
        Opened {
            store: self,
            read: read.unwrap_or_default(),
            first_run: seen.is_none(),
            seen: seen.unwrap_or_default(),
            notice: join(&notices),
        }
    }

    /// The store of `dir`, before anything is read.
    fn new(dir: &Path) -> Self {
        ReadStore {
            dir: dir.to_path_buf(),
            read: SetFile {
                file: StoreFile::new(dir, READ_FILE),
                what: "read state",
                newer: None,
            },
            seen: SetFile {
                file: StoreFile::new(dir, SEEN_FILE),
                what: "list of seen stories",
                newer: None,
            },
            pending_notice: None,
            unsaved_read: Vec::new(),
            unsaved_seen: IdSet::new(),
        }
    }

    fn loaded_empty(self, notices: &[String]) -> Opened {
        Opened {
            store: self,
            read: IdSet::new(),
            seen: IdSet::new(),
            first_run: true,
            notice: join(notices),
        }
    }

    /// `<dir>/read.bin`.
    #[must_use]
    pub fn read_path(&self) -> &Path {
        &self.read.file.path
    }

    /// `<dir>/seen.bin`.
    #[must_use]
    pub fn seen_path(&self) -> &Path {
        &self.seen.file.path
    }

    /// A notice raised by the last save (a damaged file found on disk was moved
    /// aside), taken once.
    pub fn take_notice(&mut self) -> Option<String> {
        self.pending_notice.take()
    }

    /// Records read/unread changes, then saves every change not yet written: locks
    /// `read.bin`, re-reads it, applies the unsaved batches in order (each marks
    /// its `marked_read` read and then its `marked_unread` unread, so an id in both
    /// ends up unread), writes it atomically when it changed and unlocks. Returns the
    /// merged set now on disk, which includes changes saved by another running
    /// sitrep.
    ///
    /// Changes that cannot be written stay unsaved and are written by the next
    /// successful save or [`ReadStore::flush`]; pass each change once.
    ///
    /// # Errors
    ///
    /// [`ReadStoreError::NewerVersion`] when the file was written by a newer sitrep
    /// (found at open or now); [`FileError::Io`] (with the path) when the
    /// directory cannot be created, the file cannot be read or the save fails;
    /// [`FileError::Locked`] when another sitrep holds the lock for more than a
    /// few seconds.
    pub fn save_read(
        &mut self,
        marked_read: &[StoryId],
        marked_unread: &[StoryId],
    ) -> Result<IdSet, ReadStoreError> {
        self.save_read_with_hook(marked_read, marked_unread, &|| Ok(()))
    }

    /// [`ReadStore::save_read`], calling `before_rename` after the temp file is
    /// written and synced but before it replaces `read.bin`. Test hook: an error from
    /// it aborts the save as a crash would at that point.
    ///
    /// # Errors
    ///
    /// As [`ReadStore::save_read`], plus the hook's error as [`FileError::Io`].
    #[doc(hidden)]
    pub fn save_read_with_hook(
        &mut self,
        marked_read: &[StoryId],
        marked_unread: &[StoryId],
        before_rename: &dyn Fn() -> io::Result<()>,
    ) -> Result<IdSet, ReadStoreError> {
        self.unsaved_read
            .push((marked_read.to_vec(), marked_unread.to_vec()));
        let batches = std::mem::take(&mut self.unsaved_read);
        let result = self.update(
            Which::Read,
            |set| {
                batches.iter().fold(false, |changed, (read, unread)| {
                    let before = set.len();
                    set.extend(read.iter().copied());
                    let added = set.len() != before;
                    set.remove_all(unread) | added | changed
                })
            },
            before_rename,
        );
        if result.is_err() {
            self.unsaved_read = batches;
        }
        result
    }

    /// Adds `ids` to the seen set the same way as [`ReadStore::save_read`]: under
    /// the lock, merged with what is on disk, written atomically (only when something
    /// was added, or the file did not exist yet); kept for the next save on error.
    ///
    /// # Errors
    ///
    /// As [`ReadStore::save_read`], for `seen.bin`.
    pub fn save_seen(&mut self, ids: &[StoryId]) -> Result<(), ReadStoreError> {
        self.unsaved_seen.extend(ids.iter().copied());
        let unsaved = std::mem::take(&mut self.unsaved_seen);
        let result = self.update(
            Which::Seen,
            |set| {
                let before = set.len();
                set.extend(unsaved.iter());
                set.len() != before
            },
            &|| Ok(()),
        );
        if result.is_err() {
            self.unsaved_seen = unsaved;
        }
        result.map(drop)
    }

    /// Writes the read marks not yet saved, if any; returns the set on disk then
    /// (`None` when there was nothing to write).
    ///
    /// # Errors
    ///
    /// As [`ReadStore::save_read`].
    pub fn flush(&mut self) -> Result<Option<IdSet>, ReadStoreError> {
        if self.unsaved_read.is_empty() {
            return Ok(None);
        }
        self.save_read(&[], &[]).map(Some)
    }

    /// How many read/unread marks are not yet written.
    #[must_use]
    pub fn unsaved(&self) -> usize {
        self.unsaved_read
            .iter()
            .map(|(read, unread)| read.len() + unread.len())
            .sum()
    }

    /// Lock, re-read, apply `change` (which says whether it changed anything), write
    /// when needed, unlock.
    fn update(
        &mut self,
        which: Which,
        change: impl FnOnce(&mut IdSet) -> bool,
        before_rename: &dyn Fn() -> io::Result<()>,
    ) -> Result<IdSet, ReadStoreError> {
        let set_file = match which {
            Which::Read => &mut self.read,
            Which::Seen => &mut self.seen,
        };
        if let Some(version) = set_file.newer {
            return Err(set_file.newer_error(version));
        }
        file::create_private_dir(&self.dir)?;
        let _lock = set_file.file.lock()?;
        let (mut set, existed) = match set_file.file.read()? {
            None => (IdSet::new(), false),
            Some(bytes) => match decode(&bytes) {
                Decoded::Current(set) => (set, true),
                Decoded::Newer(version) => {
                    set_file.newer = Some(version);
                    return Err(set_file.newer_error(version));
                }
                Decoded::Corrupt(reason) => {
                    let path = &set_file.file.path;
                    let aside = set_file
                        .file
                        .move_aside()
                        .map_err(|e| FileError::io("move aside", path, e))?;
                    self.pending_notice = Some(file::set_aside_notice(
                        path,
                        &reason,
                        &aside,
                        &format!("the {} started afresh", set_file.what),
                    ));
                    (IdSet::new(), false)
                }
            },
        };
        if change(&mut set) || !existed {
            set_file.file.write_atomic(&encode(&set), before_rename)?;
        }
        Ok(set)
    }
}

fn join(notices: &[String]) -> Option<String> {
    (!notices.is_empty()).then(|| notices.join("; "))
}

/// The file's bytes for `set`.
fn encode(set: &IdSet) -> Vec<u8> {
    let mut out = Vec::with_capacity(HEADER_LEN + 8 * set.ids.len() + CHECKSUM_LEN);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    for id in &set.ids {
        out.extend_from_slice(&id.to_le_bytes());
    }
    let sum = xxh3_64(&out);
    out.extend_from_slice(&sum.to_le_bytes());
    out
}

/// What a file's bytes hold.
#[derive(Debug, PartialEq)]
enum Decoded {
    Current(IdSet),
    Newer(u16),
    Corrupt(String),
}

/// Checks and decodes a file. A newer version is checked (magic and checksum) but
/// not looked into further.
fn decode(bytes: &[u8]) -> Decoded {
    let Some((header, rest)) = bytes.split_first_chunk::<HEADER_LEN>() else {
        return Decoded::Corrupt(format!("too short: {} bytes", bytes.len()));
    };
    let (magic, version) = header.split_at(MAGIC.len());
    if magic != MAGIC {
        return Decoded::Corrupt("not a sitrep id file".to_owned());
    }
    let version = u16::from_le_bytes([version[0], version[1]]);
    if version == 0 {
        return Decoded::Corrupt("format version 0".to_owned());
    }
    let Some((body, sum)) = rest.split_last_chunk::<CHECKSUM_LEN>() else {
        return Decoded::Corrupt(format!("cut short: {} bytes", bytes.len()));
    };
    let stored = u64::from_le_bytes(*sum);
    let actual = xxh3_64(&bytes[..HEADER_LEN + body.len()]);
    if stored != actual {
        return Decoded::Corrupt(format!(
            "checksum mismatch: {stored:016x} stored, {actual:016x} computed"
        ));
    }
    if version > FORMAT_VERSION {
        return Decoded::Newer(version);
    }
    if body.len() % 8 != 0 {
        return Decoded::Corrupt(format!(
            "{} bytes of ids is not a whole number of ids",
            body.len()
        ));
    }
    let ids = body
        .chunks_exact(8)
        .filter_map(|c| c.try_into().ok().map(u64::from_le_bytes))
        .collect();
    // Ids are written in order; a file that passes the checksum but is not in order
    // (an older or buggy writer) is still read correctly.
    Decoded::Current(IdSet::from_raw(ids))
}

#[cfg(test)]
mod tests;
