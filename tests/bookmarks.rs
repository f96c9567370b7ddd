//! Integration tests for `sitrep::store::bookmarks`. Every test works in its own temp dir,
//! never the real config directory.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, SystemTime};

use serde_json::{Value, json};
use sitrep::store::bookmarks::{Bookmark, Change, FORMAT_VERSION, SaveBlock, Store, StoreError};
use sitrep::story::StoryId;

const CHILD_DIR_ENV: &str = "SITREP_TEST_CHILD_DIR";
const CHILD_START_ENV: &str = "SITREP_TEST_CHILD_START";
const PER_CHILD: u64 = 100;

fn bookmark(id: u64) -> Bookmark {
    Bookmark::new(
        StoryId(id),
        format!("Story {id}"),
        Some("2026-02-03".to_owned()),
        "Weekly Bulletin",
        "bundled:weekly",
    )
}

fn file(dir: &Path) -> PathBuf {
    dir.join("bookmarks.json")
}

fn read_json(dir: &Path) -> Value {
    serde_json::from_slice(&fs::read(file(dir)).unwrap()).unwrap()
}

fn ids(list: &[Bookmark]) -> Vec<u64> {
    list.iter().map(|b| b.id.0).collect()
}

fn corrupt_files(dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("bookmarks.json.corrupt-")
        })
        .collect();
    found.sort();
    found
}

fn temp_files(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".bookmarks.json.tmp-"))
        .collect()
}

#[test]
fn missing_file_is_empty_without_notice() {
    let tmp = tempfile::tempdir().unwrap();
    let opened = Store::open(tmp.path());
    assert!(opened.bookmarks.is_empty());
    assert_eq!(opened.notice, None);
    assert_eq!(opened.store.read_only_reason(), None);
    assert_eq!(opened.store.path(), file(tmp.path()));
    assert_eq!(opened.store.modified(), None);
    assert!(opened.store.reload().unwrap().is_empty());
}

#[test]
fn missing_config_dir_is_created_on_first_save() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("a/b/sitrep");
    let mut opened = Store::open(&dir);
    assert!(opened.bookmarks.is_empty());
    assert_eq!(opened.notice, None);
    assert!(!dir.exists(), "open must not create the directory");

    let list = opened.store.apply(&Change::Add(bookmark(1))).unwrap();
    assert_eq!(ids(&list), [1]);
    assert_eq!(read_json(&dir)["version"], json!(FORMAT_VERSION));
    assert!(opened.store.modified().is_some());
    assert!(temp_files(&dir).is_empty());
}

#[test]
fn round_trip_keeps_unknown_fields() {
    let tmp = tempfile::tempdir().unwrap();
    let original = json!({
        "version": 1,
        "theme": { "from": "the future" },
        "bookmarks": [{
            "id": "00000000000000aa",
            "headline": "Old story",
            "date": "2025-12",
            "source": "Bulletin",
            "origin": "/tmp/x.txt",
            "added": "2026-01-01T09:00:00+01:00",
            "note": "read later",
            "colour": "red",
            "tags": ["a", "b"]
        }]
    });
    fs::write(
        file(tmp.path()),
        serde_json::to_vec_pretty(&original).unwrap(),
    )
    .unwrap();

    let mut opened = Store::open(tmp.path());
    assert_eq!(opened.notice, None);
    assert_eq!(ids(&opened.bookmarks), [0xaa]);
    let old = &opened.bookmarks[0];
    assert_eq!(old.date.as_deref(), Some("2025-12"));
    assert_eq!(old.note, "read later");
    assert_eq!(old.extra["colour"], json!("red"));

    let list = opened.store.apply(&Change::Add(bookmark(0xbb))).unwrap();
    assert_eq!(ids(&list), [0xbb, 0xaa], "newest first");

    let on_disk = read_json(tmp.path());
    assert_eq!(on_disk["version"], json!(1));
    assert_eq!(on_disk["theme"], json!({ "from": "the future" }));
    let kept = &on_disk["bookmarks"][1];
    assert_eq!(kept, &original["bookmarks"][0]);
    let added = &on_disk["bookmarks"][0];
    assert_eq!(added["id"], json!("00000000000000bb"));
    assert_eq!(added["date"], json!("2026-02-03"));
    assert_eq!(added["note"], json!(""));
    assert!(
        chrono::DateTime::parse_from_rfc3339(added["added"].as_str().unwrap()).is_ok(),
        "added is RFC 3339"
    );

    // Note and removal round trip too, and a reopen sees the same list.
    opened
        .store
        .apply(&Change::SetNote(StoryId(0xbb), "new note".into()))
        .unwrap();
    let list = opened.store.apply(&Change::Remove(StoryId(0xaa))).unwrap();
    assert_eq!(ids(&list), [0xbb]);
    let again = Store::open(tmp.path());
    assert_eq!(again.bookmarks, list);
    assert_eq!(again.bookmarks[0].note, "new note");
    assert_eq!(again.store.reload().unwrap(), list);
}

#[test]
fn apply_merges_changes_made_by_another_store() {
    let tmp = tempfile::tempdir().unwrap();
    let mut a = Store::open(tmp.path()).store;
    let mut b = Store::open(tmp.path()).store;
    a.apply(&Change::Add(bookmark(1))).unwrap();
    let list = b.apply(&Change::Add(bookmark(2))).unwrap();
    let mut got = ids(&list);
    got.sort_unstable();
    assert_eq!(got, [1, 2]);
    assert_eq!(a.reload().unwrap().len(), 2);
}

#[test]
fn failure_before_rename_leaves_old_file_intact() {
    let tmp = tempfile::tempdir().unwrap();
    let mut store = Store::open(tmp.path()).store;
    store.apply(&Change::Add(bookmark(1))).unwrap();
    let before = fs::read(file(tmp.path())).unwrap();

    let hook_ran = std::cell::Cell::new(false);
    let hook = || -> io::Result<()> {
        hook_ran.set(true);
        // The temp file is complete at this point.
        assert_eq!(temp_files(tmp.path()).len(), 1);
        Err(io::Error::other("simulated crash"))
    };
    let err = store
        .apply_with_hook(&Change::Add(bookmark(2)), &hook)
        .unwrap_err();
    assert!(hook_ran.get());
    assert!(err.to_string().contains("simulated crash"), "{err}");

    let after = fs::read(file(tmp.path())).unwrap();
    assert_eq!(after, before, "old file untouched");
    let parsed: Value = serde_json::from_slice(&after).unwrap();
    assert_eq!(parsed["bookmarks"].as_array().unwrap().len(), 1);
    assert!(
        temp_files(tmp.path()).is_empty(),
        "failed temp file removed"
    );

    // The failure shows in the status line until a save works again.
    assert!(store.read_only_reason().is_some());
    let list = store.apply(&Change::Add(bookmark(2))).unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(store.read_only_reason(), None);
}

#[test]
fn stale_temp_files_are_removed_on_open() {
    let tmp = tempfile::tempdir().unwrap();
    // A live writer (this process) with an old file, one with a fresh file, and a
    // writer that no longer runs (a `kill -9` mid-save) with a fresh file.
    let me = std::process::id();
    let stale = tmp.path().join(format!(".bookmarks.json.tmp-{me}-0"));
    let fresh = tmp.path().join(format!(".bookmarks.json.tmp-{me}-1"));
    let dead = tmp
        .path()
        .join(format!(".bookmarks.json.tmp-{}-0", dead_pid()));
    fs::write(&stale, b"half written").unwrap();
    fs::write(&fresh, b"being written").unwrap();
    fs::write(&dead, b"killed mid-save").unwrap();
    let old = SystemTime::now() - Duration::from_secs(3600);
    fs::File::options()
        .write(true)
        .open(&stale)
        .unwrap()
        .set_modified(old)
        .unwrap();

    let _ = Store::open(tmp.path());
    assert!(!stale.exists());
    assert!(
        !dead.exists(),
        "a dead writer's temp file is removed at once"
    );
    assert!(fresh.exists(), "a temp file in use is left alone");
}

/// The id of a process that has exited.
fn dead_pid() -> u32 {
    let mut child = Command::new("true").spawn().unwrap();
    let pid = child.id();
    child.wait().unwrap();
    pid
}

/// Not a test on its own: the body of one child process of
/// `two_processes_never_lose_changes`, which runs it (ignored otherwise).
#[test]
#[ignore = "the body of a child process of two_processes_never_lose_changes, which runs it"]
fn child_adder() {
    let (Some(dir), Some(start)) = (
        std::env::var_os(CHILD_DIR_ENV),
        std::env::var(CHILD_START_ENV).ok(),
    ) else {
        panic!("run by two_processes_never_lose_changes, which sets {CHILD_DIR_ENV}");
    };
    let start: u64 = start.parse().unwrap();
    let mut store = Store::open(Path::new(&dir)).store;
    for id in start..start + PER_CHILD {
        store.apply(&Change::Add(bookmark(id))).unwrap();
    }
}

#[test]
fn two_processes_never_lose_changes() {
    let tmp = tempfile::tempdir().unwrap();
    let exe = std::env::current_exe().unwrap();
    let spawn = |start: u64| {
        Command::new(&exe)
            .args(["--exact", "child_adder", "--ignored", "--nocapture"])
            .env(CHILD_DIR_ENV, tmp.path())
            .env(CHILD_START_ENV, start.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    // Both run at once; their output is only shown when one fails.
    let first = spawn(1_000);
    let second = spawn(2_000);
    for child in [first, second] {
        let out = child.wait_with_output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success() && stdout.contains("test child_adder ... ok"),
            "child failed or did not run:\n{stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    let opened = Store::open(tmp.path());
    assert_eq!(opened.notice, None);
    let mut got = ids(&opened.bookmarks);
    got.sort_unstable();
    let want: Vec<u64> = (1_000..1_000 + PER_CHILD)
        .chain(2_000..2_000 + PER_CHILD)
        .collect();
    assert_eq!(got, want);
    assert!(temp_files(tmp.path()).is_empty());
}

#[test]
fn corrupt_file_is_kept_aside_and_replaced_on_next_apply() {
    let tmp = tempfile::tempdir().unwrap();
    let garbage: &[u8] = b"{\"version\": 1, \"bookmarks\": [\xff\xfe oops";
    fs::write(file(tmp.path()), garbage).unwrap();

    let mut opened = Store::open(tmp.path());
    assert!(opened.bookmarks.is_empty());
    let aside = corrupt_files(tmp.path());
    assert_eq!(aside.len(), 1);
    assert_eq!(fs::read(&aside[0]).unwrap(), garbage, "byte-identical");
    let notice = opened.notice.unwrap();
    assert!(notice.contains(&aside[0].display().to_string()), "{notice}");
    assert!(!file(tmp.path()).exists());
    assert_eq!(opened.store.read_only_reason(), None);

    let list = opened.store.apply(&Change::Add(bookmark(5))).unwrap();
    assert_eq!(ids(&list), [5]);
    assert_eq!(
        read_json(tmp.path())["bookmarks"][0]["id"],
        "0000000000000005"
    );
    assert_eq!(fs::read(&aside[0]).unwrap(), garbage);
}

#[test]
fn corruption_found_during_apply_is_kept_aside_too() {
    let tmp = tempfile::tempdir().unwrap();
    let mut store = Store::open(tmp.path()).store;
    store.apply(&Change::Add(bookmark(1))).unwrap();

    // Something else breaks the file, twice within the same second.
    let mut kept = Vec::new();
    for n in 0..2 {
        let broken = format!("[\"not bookmarks\", {n}]");
        fs::write(file(tmp.path()), &broken).unwrap();
        assert!(matches!(store.reload(), Err(StoreError::Corrupt { .. })));
        let list = store.apply(&Change::Add(bookmark(10 + n))).unwrap();
        assert_eq!(ids(&list), [10 + n]);
        let notice = store.take_notice().unwrap();
        assert!(notice.contains("corrupt-"), "{notice}");
        assert_eq!(store.take_notice(), None);
        kept.push(broken);
    }
    let aside = corrupt_files(tmp.path());
    assert_eq!(aside.len(), 2, "second one gets its own name: {aside:?}");
    let mut contents: Vec<String> = aside
        .iter()
        .map(|p| fs::read_to_string(p).unwrap())
        .collect();
    contents.sort();
    assert_eq!(contents, kept);
}

#[test]
fn newer_version_is_read_but_never_written() {
    let tmp = tempfile::tempdir().unwrap();
    let newer = br#"{
  "version": 2,
  "bookmarks": [
    { "id": "0000000000000001", "headline": "Old", "added": "2026-01-01T00:00:00Z",
      "source": "s", "origin": "o", "note": "", "date": null, "rating": 5 },
    { "id": "0000000000000002", "headline": "Newer", "added": "2026-01-02T00:00:00Z" },
    { "uuid": "something else entirely" }
  ],
  "folders": []
}"#;
    fs::write(file(tmp.path()), newer).unwrap();

    let mut opened = Store::open(tmp.path());
    assert_eq!(ids(&opened.bookmarks), [2, 1]);
    let notice = opened.notice.unwrap();
    assert!(notice.contains("newer sitrep"), "{notice}");
    assert!(notice.contains("read-only"), "{notice}");
    assert!(opened.store.read_only_reason().is_some());

    let err = opened.store.apply(&Change::Add(bookmark(3))).unwrap_err();
    assert!(
        matches!(err, StoreError::ReadOnly(SaveBlock::NewerVersion(2))),
        "{err:?}"
    );
    assert_eq!(fs::read(file(tmp.path())).unwrap(), newer);
    // The change lasts for this session: it shows on top of the file, unwritten.
    assert_eq!(ids(&opened.store.reload().unwrap()), [3, 2, 1]);
    assert_eq!(opened.store.unsaved().len(), 1);
}

#[test]
fn newer_version_written_after_open_is_not_overwritten() {
    let tmp = tempfile::tempdir().unwrap();
    let mut store = Store::open(tmp.path()).store;
    store.apply(&Change::Add(bookmark(1))).unwrap();

    let newer = br#"{"version": 3, "bookmarks": []}"#;
    fs::write(file(tmp.path()), newer).unwrap();
    let err = store.apply(&Change::Add(bookmark(2))).unwrap_err();
    assert!(matches!(
        err,
        StoreError::ReadOnly(SaveBlock::NewerVersion(3))
    ));
    assert_eq!(fs::read(file(tmp.path())).unwrap(), newer);
    assert!(store.read_only_reason().unwrap().contains("newer sitrep"));
}

/// True when the current user can create files in a 0o555 directory (root).
#[cfg(unix)]
fn permissions_do_not_bite(dir: &Path) -> bool {
    let probe = dir.join("probe");
    let ok = fs::write(&probe, b"x").is_ok();
    let _ = fs::remove_file(&probe);
    ok
}

#[cfg(unix)]
#[test]
fn unwritable_config_dir_is_reported() {
    use std::os::unix::fs::PermissionsExt;

    let tmp = tempfile::tempdir().unwrap();
    let locked = tmp.path().join("locked");
    fs::create_dir(&locked).unwrap();
    fs::write(
        file(&locked),
        serde_json::to_vec(&json!({ "version": 1, "bookmarks": [] })).unwrap(),
    )
    .unwrap();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o555)).unwrap();

    let dir = if permissions_do_not_bite(&locked) {
        // Running as root: use a "directory" whose parent is a regular file.
        let plain = tmp.path().join("plain-file");
        fs::write(&plain, b"not a directory").unwrap();
        plain.join("sitrep")
    } else {
        locked.clone()
    };

    let mut opened = Store::open(&dir);
    assert!(opened.bookmarks.is_empty());
    let notice = opened.notice.unwrap();
    assert!(notice.contains("cannot be saved"), "{notice}");
    assert!(opened.store.read_only_reason().is_some());

    let err = opened.store.apply(&Change::Add(bookmark(1))).unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::File(sitrep::store::file::FileError::Io { .. })
        ),
        "{err:?}"
    );
    assert!(
        err.to_string().contains(&dir.display().to_string())
            || err
                .to_string()
                .contains(&dir.parent().unwrap().display().to_string()),
        "{err}"
    );
    assert!(opened.store.read_only_reason().is_some());

    fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn config_dir_that_is_a_file_is_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let plain = tmp.path().join("sitrep");
    fs::write(&plain, b"oops").unwrap();

    let mut opened = Store::open(&plain);
    assert!(opened.bookmarks.is_empty());
    assert!(opened.notice.unwrap().contains("not a directory"));
    let err = opened.store.apply(&Change::Add(bookmark(1))).unwrap_err();
    assert!(
        err.to_string().contains(&plain.display().to_string()),
        "{err}"
    );
    assert_eq!(fs::read(&plain).unwrap(), b"oops");
}

#[cfg(unix)]
#[test]
fn symlinked_file_stays_a_symlink() {
    let tmp = tempfile::tempdir().unwrap();
    let real_dir = tmp.path().join("dotfiles");
    let config = tmp.path().join("config");
    fs::create_dir(&real_dir).unwrap();
    fs::create_dir(&config).unwrap();
    let real = real_dir.join("bookmarks.json");
    fs::write(&real, br#"{"version": 1, "bookmarks": []}"#).unwrap();
    std::os::unix::fs::symlink(&real, file(&config)).unwrap();

    let mut store = Store::open(&config).store;
    store.apply(&Change::Add(bookmark(1))).unwrap();
    assert!(
        fs::symlink_metadata(file(&config))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    let on_disk: Value = serde_json::from_slice(&fs::read(&real).unwrap()).unwrap();
    assert_eq!(on_disk["bookmarks"].as_array().unwrap().len(), 1);
}

#[cfg(unix)]
#[test]
fn dangling_symlink_is_written_through_too() {
    let tmp = tempfile::tempdir().unwrap();
    let real_dir = tmp.path().join("dotfiles");
    let config = tmp.path().join("config");
    fs::create_dir(&real_dir).unwrap();
    fs::create_dir(&config).unwrap();
    let real = real_dir.join("bookmarks.json");
    // The link's target does not exist yet, and the link is relative.
    std::os::unix::fs::symlink("../dotfiles/bookmarks.json", file(&config)).unwrap();

    let mut store = Store::open(&config).store;
    store.apply(&Change::Add(bookmark(1))).unwrap();
    assert!(
        fs::symlink_metadata(file(&config))
            .unwrap()
            .file_type()
            .is_symlink(),
        "the link is kept, as a valid one is"
    );
    let on_disk: Value = serde_json::from_slice(&fs::read(&real).unwrap()).unwrap();
    assert_eq!(on_disk["bookmarks"].as_array().unwrap().len(), 1);
}

#[test]
fn a_change_whose_save_failed_is_written_by_the_next_save() {
    let tmp = tempfile::tempdir().unwrap();
    let mut store = Store::open(tmp.path()).store;
    store.apply(&Change::Add(bookmark(1))).unwrap();

    // B: the disk is full (an injected write error before the rename).
    let full = || -> io::Result<()> { Err(io::Error::other("No space left on device")) };
    let err = store
        .apply_with_hook(&Change::Add(bookmark(2)), &full)
        .unwrap_err();
    assert!(err.to_string().contains("No space left"), "{err}");
    assert_eq!(
        read_json(tmp.path())["bookmarks"].as_array().unwrap().len(),
        1
    );
    // Still shown: a re-read puts the unsaved change on top of the file.
    assert_eq!(ids(&store.reload().unwrap()), [2, 1]);
    // A note made while it still fails is kept too.
    let _ = store.apply_with_hook(&Change::SetNote(StoryId(1), "call back".into()), &full);
    assert_eq!(store.unsaved().len(), 2);

    // Space is freed; C is saved, and with it B and the note.
    let list = store.apply(&Change::Add(bookmark(3))).unwrap();
    assert_eq!(ids(&list), [3, 2, 1]);
    assert!(store.unsaved().is_empty());
    let on_disk = Store::open(tmp.path()).bookmarks;
    assert_eq!(ids(&on_disk), [3, 2, 1]);
    assert_eq!(on_disk[2].note, "call back");
}

#[test]
fn flush_writes_pending_changes_without_a_new_one() {
    let tmp = tempfile::tempdir().unwrap();
    let mut store = Store::open(tmp.path()).store;
    let fail = || -> io::Result<()> { Err(io::Error::other("read-only file system")) };
    assert!(
        store
            .apply_with_hook(&Change::Add(bookmark(7)), &fail)
            .is_err()
    );
    assert!(!file(tmp.path()).exists());
    assert_eq!(ids(&store.flush().unwrap()), [7]);
    assert_eq!(ids(&Store::open(tmp.path()).bookmarks), [7]);
    assert!(store.unsaved().is_empty());
}

#[cfg(unix)]
#[test]
fn files_and_folders_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("new/sitrep");
    let mut store = Store::open(&dir).store;
    store.apply(&Change::Add(bookmark(1))).unwrap();
    assert_eq!(mode(&file(&dir)), 0o600, "bookmarks.json");
    assert_eq!(mode(&dir.join("bookmarks.json.lock")), 0o600, "lock file");
    assert_eq!(mode(&dir), 0o700, "created folder");
    assert_eq!(mode(&tmp.path().join("new")), 0o700, "created parent");

    // An existing world-readable file is tightened on the next write.
    fs::set_permissions(file(&dir), fs::Permissions::from_mode(0o644)).unwrap();
    store.apply(&Change::Add(bookmark(2))).unwrap();
    assert_eq!(mode(&file(&dir)), 0o600);
}
