//! A change that cannot be written is never lost: it stays pending, is written by
//! the next save (or a retry), and quitting with changes still unsaved asks first
//! and then names them on stderr.
//!
//! The write failure is real and works as root too: the lock file's name is taken
//! by a folder, so every save fails with "Is a directory" until it is removed.

#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::fs;
use std::path::Path;

use common::Tty;
use tempfile::TempDir;

/// Makes every save in `dir` fail (the lock file cannot be opened) until [`unblock`].
fn block(dir: &Path) {
    let lock = dir.join("bookmarks.json.lock");
    let _ = fs::remove_file(&lock);
    fs::create_dir(&lock).unwrap();
}

fn unblock(dir: &Path) {
    fs::remove_dir(dir.join("bookmarks.json.lock")).unwrap();
}

/// Headlines in the bookmarks file.
fn saved(dir: &Path) -> Vec<String> {
    let text = fs::read_to_string(dir.join("bookmarks.json")).unwrap();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut list: Vec<String> = json["bookmarks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["headline"].as_str().unwrap().to_owned())
        .collect();
    list.sort();
    list
}

/// Starts the reader in `dir`, bookmarks story A (saved), then, with saving
/// blocked, story B (not saved).
fn a_saved_b_pending(dir: &Path) -> Tty {
    let mut r = Tty::start(dir, 100, 30, &[] as &[&str], &[]);
    r.wait_for("the story list", |s| s.contains("More strikes"));
    r.send("b");
    r.wait_for("A bookmarked", |s| s.contains("Bookmarked"));
    assert_eq!(saved(dir).len(), 1);
    block(dir);
    r.send("jb");
    r.wait_for("the failure", |s| s.contains("not saved yet"));
    assert_eq!(saved(dir).len(), 1, "B is not on disk yet");
    r
}

#[test]
fn a_bookmark_made_while_saving_fails_is_written_by_the_next_save() {
    let config = TempDir::new().unwrap();
    let dir = config.path();
    let mut r = a_saved_b_pending(dir);

    unblock(dir);
    r.send("jb"); // C: this save writes B as well
    r.wait_for("C bookmarked", |s| s.contains("Bookmarks saved"));
    let on_disk = saved(dir);
    assert_eq!(on_disk.len(), 3, "A, B and C are all on disk: {on_disk:?}");
    assert!(
        on_disk.iter().any(|h| h.starts_with("BMA to appeal")),
        "{on_disk:?}"
    );

    r.send("q");
    assert_eq!(r.finish().0, 0);
    assert_eq!(saved(dir).len(), 3);
}

#[test]
fn a_failed_save_is_retried_without_another_change() {
    let config = TempDir::new().unwrap();
    let dir = config.path();
    let mut r = a_saved_b_pending(dir);
    unblock(dir);
    // Nothing typed: the retry on the clock writes it.
    r.wait_for("the retry", |s| s.contains("Bookmarks saved"));
    assert_eq!(saved(dir).len(), 2);
    r.send("q");
    assert_eq!(r.finish().0, 0);
}

#[test]
fn quitting_with_unsaved_changes_asks_then_names_them() {
    let config = TempDir::new().unwrap();
    let dir = config.path();
    let mut r = a_saved_b_pending(dir);

    r.send("q");
    r.wait_for("the question", |s| {
        s.contains("Press q again to quit without saving")
    });
    r.send("q");
    let (code, restored) = r.finish();
    assert_eq!(code, 1, "changes were lost: not a clean exit");
    assert!(restored);
    let out = String::from_utf8_lossy(&r.bytes()).into_owned();
    assert!(
        out.contains("sitrep: these changes could not be saved and are lost:")
            && out.contains("BMA to appeal court decision on PAs"),
        "stderr names the lost bookmark: {}",
        &out[out.len().saturating_sub(600)..]
    );
    assert_eq!(saved(dir).len(), 1);
}
