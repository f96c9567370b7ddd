//! Live folders: watches the given paths and, when documents are added,
//! changed or removed, loads them again and hands the result to the reader as
//! one `Event::Reloaded` per burst of changes (editors save in several steps).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use anyhow::{Context, Result};
use notify::{RecursiveMode, Watcher};

use crate::action::{Event, Part};
use crate::loader;

/// Quiet time that ends a burst of changes.
const SETTLE: Duration = Duration::from_millis(300);

/// Whether a changed path is a document the loader reads (a `.txt`, page,
/// email or mailbox; a message arriving in a Maildir's `new/`), not hidden, or
/// one of the files given by name.
fn is_document(path: &Path, roots: &[PathBuf]) -> bool {
    if roots.iter().any(|r| r == path) {
        return true;
    }
    let hidden = path
        .file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with('.'));
    !hidden && loader::is_document(path)
}

/// Writes an event's path the way the loader wrote it (relative to the root as the
/// user gave it), so the old stories of a changed file can be found by origin.
fn as_given(path: &Path, roots: &[(PathBuf, PathBuf)]) -> PathBuf {
    for (given, canonical) in roots {
        if let Ok(rest) = path.strip_prefix(canonical) {
            return if rest.as_os_str().is_empty() {
                given.clone()
            } else {
                given.join(rest)
            };
        }
    }
    path.to_path_buf()
}

/// Loads a burst of changed paths: the paths whose old stories go, and the part
/// to add.
#[must_use]
pub fn reload(changed: &BTreeSet<PathBuf>) -> (Vec<PathBuf>, crate::story::Library) {
    // Whatever is there is handed to the loader, which reads files and reports
    // anything else (a FIFO, a device) as a warning, as it does at start.
    let present: Vec<PathBuf> = changed
        .iter()
        .filter(|p| std::fs::symlink_metadata(p).is_ok())
        .cloned()
        .collect();
    let part = loader::load_paths(&present, &|_, _| {});
    (changed.iter().cloned().collect(), part)
}

/// Starts watching `paths` on a thread of its own (setting up a recursive watch
/// walks every folder, which must not delay the reader); changes arrive through
/// `send`, and so does an `Event::Notify` when watching cannot start. Watching
/// ends when `send` reports the reader has gone. The returned channel says once
/// whether watching started.
pub fn spawn(
    paths: &[PathBuf],
    send: impl Fn(Event) -> bool + Send + 'static,
) -> mpsc::Receiver<bool> {
    let paths = paths.to_vec();
    let (ready_tx, ready) = mpsc::channel();
    thread::spawn(move || {
        let (tx, rx) = mpsc::channel::<PathBuf>();
        let _watcher = match watch(&paths, tx) {
            Ok(w) => {
                let _ = ready_tx.send(true);
                w
            }
            Err(e) => {
                let _ = ready_tx.send(false);
                let text = crate::text::clean_inline(&format!("{e:#}")).into_owned();
                send(Event::Notify(text));
                return;
            }
        };
        let roots: Vec<(PathBuf, PathBuf)> = paths
            .iter()
            .map(|p| {
                (
                    p.clone(),
                    std::fs::canonicalize(p).unwrap_or_else(|_| p.clone()),
                )
            })
            .collect();
        while let Ok(first) = rx.recv() {
            let mut changed = BTreeSet::new();
            let mut next = Some(first);
            while let Some(p) = next {
                let p = as_given(&p, &roots);
                if is_document(&p, &paths) {
                    changed.insert(p);
                }
                next = rx.recv_timeout(SETTLE).ok();
            }
            if changed.is_empty() {
                continue;
            }
            let (origins, part) = reload(&changed);
            if !send(Event::Reloaded(origins, Part(Box::new(part)))) {
                break;
            }
        }
    });
    ready
}

/// A watcher on `paths` that sends every changed path to `tx`.
fn watch(paths: &[PathBuf], tx: mpsc::Sender<PathBuf>) -> Result<notify::RecommendedWatcher> {
    let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        if let Ok(event) = res {
            if event.kind.is_access() {
                return;
            }
            for p in event.paths {
                let _ = tx.send(p);
            }
        }
    })
    .context("cannot watch the folders for changes")?;
    for p in paths {
        watcher
            .watch(p, RecursiveMode::Recursive)
            .with_context(|| format!("cannot watch {}", loader::display(p)))?;
    }
    Ok(watcher)
}
