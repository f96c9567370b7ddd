//! The plumbing shared by sitrep's small on-disk stores (bookmarks, read state):
//! one file in one directory, saved atomically under an advisory lock.
//!
//! - [`StoreFile::write_atomic`]: a temp file in the same directory is written,
//!   flushed and synced, then renamed over the file, and the directory is synced. A
//!   crash at any moment leaves either the old or the new file. A symlinked file is
//!   followed, so the link is kept.
//! - [`StoreFile::lock`]: an exclusive advisory lock on `<name>.lock`, waiting at
//!   most [`LOCK_WAIT`] for another sitrep to release it.
//! - [`StoreFile::move_aside`]: a damaged file is renamed to
//!   `<name>.corrupt-<YYYYMMDDTHHMMSS>[-n]`, never replacing an existing file.
//! - [`StoreFile::remove_stale_temps`]: temp files left by a crashed save are removed.
//! - Private by default: files are created `0600` (and an existing file is made
//!   `0600` when it is rewritten), folders sitrep creates are `0700`, so other
//!   users of a shared server cannot read bookmarks, notes or read state.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use chrono::Local;

/// How long [`StoreFile::lock`] waits for another sitrep to release the lock.
pub const LOCK_WAIT: Duration = Duration::from_secs(5);

/// Temp files older than this are left over from a crash and are removed on open,
/// whichever process wrote them (its id may have been reused).
const STALE_TEMP_AGE: Duration = Duration::from_secs(60);

/// Mode of every file sitrep's stores create: readable by the owner only.
#[cfg(unix)]
const FILE_MODE: u32 = 0o600;

/// Mode of every folder sitrep's stores create.
#[cfg(unix)]
const DIR_MODE: u32 = 0o700;

/// Per-process counter that makes temp file names unique.
static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// A file system failure, with what was being done and the path involved.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    /// A file system operation failed.
    #[error("cannot {action} {}: {error}", path.display())]
    Io {
        /// What was being done, e.g. `"write"`.
        action: &'static str,
        /// The file or directory involved.
        path: PathBuf,
        /// The OS error.
        error: io::Error,
    },
    /// Another sitrep held the lock for longer than [`LOCK_WAIT`].
    #[error("{} is busy: another sitrep holds {}", busy_name(path), path.display())]
    Locked {
        /// The lock file.
        path: PathBuf,
    },
}

/// What the reader is told when a damaged file at `path` was renamed to `aside`
/// and `then` happened (the same words for every store).
#[must_use]
pub fn set_aside_notice(path: &Path, reason: &str, aside: &Path, then: &str) -> String {
    format!(
        "{} was damaged ({reason}); it was kept as {} and {then}",
        path.display(),
        aside.display()
    )
}

/// The store file a lock file guards (`bookmarks.json` for `bookmarks.json.lock`).
fn busy_name(lock: &Path) -> std::borrow::Cow<'_, str> {
    lock.file_stem()
        .unwrap_or(lock.as_os_str())
        .to_string_lossy()
}

impl FileError {
    /// An [`FileError::Io`].
    #[must_use]
    pub fn io(action: &'static str, path: &Path, error: io::Error) -> Self {
        FileError::Io {
            action,
            path: path.to_path_buf(),
            error,
        }
    }
}

/// One store file: `<dir>/<name>`, locked through `<dir>/<name>.lock`.
#[derive(Debug, Clone)]
pub struct StoreFile {
    /// The directory holding the file.
    pub dir: PathBuf,
    /// `<dir>/<name>`.
    pub path: PathBuf,
    /// `<dir>/<name>.lock`.
    pub lock_path: PathBuf,
    name: &'static str,
}

impl StoreFile {
    /// The file `name` in `dir`. Touches nothing on disk.
    #[must_use]
    pub fn new(dir: &Path, name: &'static str) -> Self {
        StoreFile {
            dir: dir.to_path_buf(),
            path: dir.join(name),
            lock_path: dir.join(format!("{name}.lock")),
            name,
        }
    }

    /// The file's contents; `None` when it does not exist.
    ///
    /// # Errors
    ///
    /// [`FileError::Io`] when it exists but cannot be read.
    pub fn read(&self) -> Result<Option<Vec<u8>>, FileError> {
        match fs::read(&self.path) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(FileError::io("read", &self.path, e)),
        }
    }

    /// Takes the exclusive lock, waiting up to [`LOCK_WAIT`]. Released when the
    /// returned file is dropped.
    ///
    /// # Errors
    ///
    /// [`FileError::Locked`] after the wait, [`FileError::Io`] when the lock file
    /// cannot be opened or locked.
    pub fn lock(&self) -> Result<File, FileError> {
        let file = private(OpenOptions::new().read(true).write(true).create(true))
            .truncate(false)
            .open(&self.lock_path)
            .map_err(|e| FileError::io("open lock file", &self.lock_path, e))?;
        let deadline = Instant::now() + LOCK_WAIT;
        let mut pause = Duration::from_millis(1);
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(file),
                Err(fs::TryLockError::WouldBlock) => {
                    if Instant::now() >= deadline {
                        return Err(FileError::Locked {
                            path: self.lock_path.clone(),
                        });
                    }
                    thread::sleep(pause);
                    pause = (pause * 2).min(Duration::from_millis(20));
                }
                Err(fs::TryLockError::Error(e)) => {
                    return Err(FileError::io("lock", &self.lock_path, e));
                }
            }
        }
    }

    /// A fresh, unique temp file name in `target`'s directory.
    fn temp_path(&self, target: &Path) -> PathBuf {
        let n = TEMP_COUNTER.fetch_add(1, Ordering::Relaxed);
        let name = format!(".{}.tmp-{}-{n}", self.name, std::process::id());
        target.with_file_name(name)
    }

    /// Creates and removes a temp file, as a save would.
    ///
    /// # Errors
    ///
    /// The OS error when the directory is not writable.
    pub fn probe_writable(&self) -> io::Result<()> {
        let probe = self.temp_path(&self.path);
        private(OpenOptions::new().write(true).create_new(true)).open(&probe)?;
        fs::remove_file(&probe)
    }

    /// Removes temp files that a crashed save left behind: those of a process that
    /// no longer runs (the name holds its id), and any older than a minute (a save
    /// in progress takes milliseconds). Best effort.
    pub fn remove_stale_temps(&self) {
        let Ok(entries) = fs::read_dir(&self.dir) else {
            return;
        };
        let prefix = format!(".{}.tmp-", self.name);
        for entry in entries.flatten() {
            let name = entry.file_name();
            let Some(rest) = name.to_str().and_then(|n| n.strip_prefix(&prefix)) else {
                continue;
            };
            let Some(meta) = entry.metadata().ok().filter(fs::Metadata::is_file) else {
                continue;
            };
            let writer = rest
                .split('-')
                .next()
                .and_then(|pid| pid.parse::<u32>().ok());
            let old = meta
                .modified()
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age > STALE_TEMP_AGE);
            if old || writer.is_some_and(|pid| !process_runs(pid)) {
                let _ = fs::remove_file(entry.path());
            }
        }
    }

    /// Renames the damaged file to `<name>.corrupt-<stamp>[-n]`, never replacing an
    /// existing file, and returns the new path. Call under the lock.
    ///
    /// # Errors
    ///
    /// The OS error when the rename fails.
    pub fn move_aside(&self) -> io::Result<PathBuf> {
        let stamp = Local::now().format("%Y%m%dT%H%M%S");
        let base = format!("{}.corrupt-{stamp}", self.name);
        for n in 0..1000_u32 {
            let name = if n == 0 {
                base.clone()
            } else {
                format!("{base}-{n}")
            };
            let aside = self.dir.join(name);
            // `rename` would replace an existing file; all sitreps hold the lock here.
            if fs::symlink_metadata(&aside).is_ok() {
                continue;
            }
            fs::rename(&self.path, &aside)?;
            sync_dir(&self.dir);
            return Ok(aside);
        }
        Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!("too many damaged copies of {} kept aside", self.name),
        ))
    }

    /// Replaces the file with `bytes` atomically: temp file next to the real file
    /// (next to its target when it is a symlink, so the link is kept), write, flush,
    /// sync, rename, sync the directory. `before_rename` runs after the temp file is
    /// complete and before the rename (test hook: an error aborts the save as a crash
    /// would at that point). On error the old file is untouched and the temp file is
    /// removed. Call under the lock.
    ///
    /// # Errors
    ///
    /// [`FileError::Io`] naming the step and path that failed, or the hook's error.
    pub fn write_atomic(
        &self,
        bytes: &[u8],
        before_rename: &dyn Fn() -> io::Result<()>,
    ) -> Result<(), FileError> {
        let target = link_target(&self.path);
        let target_dir = target
            .parent()
            .map_or_else(|| self.dir.clone(), Path::to_path_buf);
        let temp = self.temp_path(&target);

        let result = write_and_rename(&temp, &target, bytes, before_rename);
        if result.is_err() {
            let _ = fs::remove_file(&temp);
        }
        result?;
        sync_dir(&target_dir);
        Ok(())
    }
}

/// The steps of an atomic save, up to the rename.
fn write_and_rename(
    temp: &Path,
    target: &Path,
    bytes: &[u8],
    before_rename: &dyn Fn() -> io::Result<()>,
) -> Result<(), FileError> {
    let mut file = private(OpenOptions::new().write(true).create_new(true))
        .open(temp)
        .map_err(|e| FileError::io("create", temp, e))?;
    file.write_all(bytes)
        .and_then(|()| file.flush())
        .and_then(|()| file.sync_all())
        .map_err(|e| FileError::io("write", temp, e))?;
    drop(file);
    before_rename().map_err(|e| FileError::io("save", target, e))?;
    fs::rename(temp, target).map_err(|e| FileError::io("replace", target, e))
}

/// The file a save should replace: `path` itself, or where it links to when it is
/// a symlink, followed link by link (at most 40, as the kernel does) whether or not
/// the last target exists yet, so a link is never replaced by a plain file.
fn link_target(path: &Path) -> PathBuf {
    let mut target = path.to_path_buf();
    for _ in 0..40 {
        let Ok(link) = fs::read_link(&target) else {
            break;
        };
        target = match target.parent() {
            Some(dir) => dir.join(link),
            None => link,
        };
    }
    target
}

/// `options` creating files readable by the owner only.
fn private(options: &mut OpenOptions) -> &mut OpenOptions {
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(options, FILE_MODE);
    options
}

/// Creates `dir` and any missing parents, each private to the owner (`0700`);
/// folders that exist are left as they are.
///
/// # Errors
///
/// [`FileError::Io`] naming the folder when it cannot be created.
pub fn create_private_dir(dir: &Path) -> Result<(), FileError> {
    make_private_dir(dir).map_err(|e| FileError::io("create", dir, e))
}

/// [`create_private_dir`] with the bare OS error.
///
/// # Errors
///
/// The OS error when a folder cannot be created.
pub fn make_private_dir(dir: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, DIR_MODE);
    builder.create(dir)
}

/// Whether a process with this id runs (or may run: when it cannot be told, the
/// answer is yes, so nothing of a live process is removed).
fn process_runs(pid: u32) -> bool {
    #[cfg(unix)]
    {
        let Some(pid) = i32::try_from(pid)
            .ok()
            .and_then(rustix::process::Pid::from_raw)
        else {
            return true;
        };
        !matches!(
            rustix::process::test_kill_process(pid),
            Err(rustix::io::Errno::SRCH)
        )
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        true
    }
}

/// Syncs a directory so a rename in it is durable. Best effort: not every platform
/// can open a directory.
pub fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

/// How a store's folder can be used, as found when the store opens.
#[derive(Debug)]
pub enum Folder {
    /// A folder: its files can be read; `Err` says why they cannot be written.
    Found(Result<(), String>),
    /// Nothing to read there; `Some` says why a save cannot create it either.
    Empty(Option<String>),
}

/// Looks at a store's folder `dir` once, as every store does when it opens. In
/// an existing folder, temp files that a crashed save of `files` left are removed
/// and a save is tried out (with the first file's name).
#[must_use]
pub fn open_folder(dir: &Path, files: &[&StoreFile]) -> Folder {
    match fs::metadata(dir) {
        Ok(meta) if meta.is_dir() => {
            for file in files {
                file.remove_stale_temps();
            }
            let probe = files.first().map_or(Ok(()), |f| f.probe_writable());
            Folder::Found(probe.map_err(|e| format!("{} is not writable: {e}", dir.display())))
        }
        Ok(_) => Folder::Empty(Some(format!("{} is not a directory", dir.display()))),
        Err(e)
            if matches!(
                e.kind(),
                io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
            ) =>
        {
            // Created on the first save, unless that cannot work.
            Folder::Empty(missing_dir_problem(dir))
        }
        Err(e) => Folder::Empty(Some(format!("cannot look at {}: {e}", dir.display()))),
    }
}

/// Why a directory that does not exist yet could not be created: an ancestor that
/// is not a directory. `None` when it looks creatable.
#[must_use]
pub fn missing_dir_problem(dir: &Path) -> Option<String> {
    let ancestor = dir
        .ancestors()
        .skip(1)
        .find(|a| fs::symlink_metadata(a).is_ok())?;
    match fs::metadata(ancestor) {
        Ok(m) if m.is_dir() => None,
        Ok(_) => Some(format!(
            "cannot create {}: {} is not a directory",
            dir.display(),
            ancestor.display()
        )),
        Err(e) => Some(format!("cannot create {}: {e}", dir.display())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_atomic_replaces_and_leaves_no_temp() {
        let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let file = StoreFile::new(tmp.path(), "x.bin");
        assert!(matches!(file.read(), Ok(None)));
        let ok = || Ok(());
        assert!(file.write_atomic(b"one", &ok).is_ok());
        assert!(file.write_atomic(b"two", &ok).is_ok());
        assert!(matches!(file.read(), Ok(Some(b)) if b == b"two"));
        let fail = || Err(io::Error::other("crash"));
        assert!(file.write_atomic(b"three", &fail).is_err());
        assert!(matches!(file.read(), Ok(Some(b)) if b == b"two"));
        let names: Vec<String> = fs::read_dir(tmp.path())
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["x.bin"]);
    }

    #[test]
    fn lock_is_exclusive_within_the_wait() {
        let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let file = StoreFile::new(tmp.path(), "x.bin");
        let held = file.lock();
        assert!(held.is_ok());
        // A second handle in the same process is a separate open file description,
        // so it conflicts too; don't wait the full LOCK_WAIT here, just try once.
        let other = OpenOptions::new()
            .write(true)
            .open(&file.lock_path)
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(
            other.try_lock(),
            Err(fs::TryLockError::WouldBlock)
        ));
        drop(held);
        assert!(other.try_lock().is_ok());
    }

    #[test]
    fn move_aside_never_replaces() {
        let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let file = StoreFile::new(tmp.path(), "x.bin");
        let mut kept = Vec::new();
        for n in 0..3 {
            fs::write(&file.path, [n]).unwrap_or_else(|e| panic!("{e}"));
            let aside = file.move_aside().unwrap_or_else(|e| panic!("{e}"));
            assert!(!kept.contains(&aside));
            kept.push(aside);
        }
        for (n, path) in (0u8..).zip(&kept) {
            assert_eq!(fs::read(path).ok(), Some(vec![n]));
        }
    }
}
