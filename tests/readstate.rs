//! Integration tests for `sitrep::store::read`. Every test works in its own temp dir,
//! never the real data directory.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, SystemTime};

use sitrep::store::read::{FORMAT_VERSION, IdSet, READ_FILE, ReadStore, ReadStoreError, SEEN_FILE};
use sitrep::story::StoryId;

const CHILD_DIR_ENV: &str = "SITREP_TEST_READSTATE_CHILD_DIR";
const CHILD_START_ENV: &str = "SITREP_TEST_READSTATE_CHILD_START";
const PER_CHILD: u64 = 100;

fn ids(list: &[u64]) -> Vec<StoryId> {
    list.iter().copied().map(StoryId).collect()
}

fn raw(set: &IdSet) -> Vec<u64> {
    set.iter().map(|id| id.0).collect()
}

/// A file as a newer sitrep would write it: magic, version, anything, checksum.
fn newer_file(version: u16, body: &[u8]) -> Vec<u8> {
    let mut bytes = b"SITIDS".to_vec();
    bytes.extend_from_slice(&version.to_le_bytes());
    bytes.extend_from_slice(body);
    let sum = xxhash_rust::xxh3::xxh3_64(&bytes);
    bytes.extend_from_slice(&sum.to_le_bytes());
    bytes
}

fn read_file(dir: &Path) -> PathBuf {
    dir.join(READ_FILE)
}

fn seen_file(dir: &Path) -> PathBuf {
    dir.join(SEEN_FILE)
}

fn names_starting(dir: &Path, prefix: &str) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
        .collect();
    found.sort();
    found
}

fn temp_files(dir: &Path) -> Vec<PathBuf> {
    let mut all = names_starting(dir, ".read.bin.tmp-");
    all.extend(names_starting(dir, ".seen.bin.tmp-"));
    all
}

#[test]
fn missing_dir_is_a_first_run_and_created_on_first_save() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("a/b/sitrep");
    let mut loaded = ReadStore::open(&dir);
    assert!(loaded.first_run);
    assert!(loaded.read.is_empty() && loaded.seen.is_empty());
    assert_eq!(loaded.notice, None);
    assert!(!dir.exists(), "open must not create the directory");
    assert_eq!(loaded.store.read_path(), read_file(&dir));
    assert_eq!(loaded.store.seen_path(), seen_file(&dir));

    loaded.store.save_seen(&ids(&[7])).unwrap();
    assert!(seen_file(&dir).exists());
    assert!(
        !read_file(&dir).exists(),
        "read.bin is written on its own save"
    );
    assert!(temp_files(&dir).is_empty());
}

#[test]
fn first_run_only_without_a_seen_file() {
    let tmp = tempfile::tempdir().unwrap();
    let mut loaded = ReadStore::open(tmp.path());
    assert!(loaded.first_run);
    // Even an empty library marks the visit.
    loaded.store.save_seen(&[]).unwrap();
    assert_eq!(fs::metadata(seen_file(tmp.path())).unwrap().len(), 16);

    let loaded = ReadStore::open(tmp.path());
    assert!(!loaded.first_run);
    assert!(loaded.seen.is_empty());
    assert_eq!(loaded.notice, None);

    // read.bin alone does not count as a previous visit.
    let other = tempfile::tempdir().unwrap();
    ReadStore::open(other.path())
        .store
        .save_read(&ids(&[1]), &[])
        .unwrap();
    assert!(ReadStore::open(other.path()).first_run);
}

#[test]
fn round_trip() {
    let tmp = tempfile::tempdir().unwrap();
    let mut store = ReadStore::open(tmp.path()).store;
    let read = store.save_read(&ids(&[30, 10, 20]), &[]).unwrap();
    assert_eq!(raw(&read), [10, 20, 30]);
    let read = store.save_read(&ids(&[u64::MAX, 0]), &ids(&[20])).unwrap();
    assert_eq!(raw(&read), [0, 10, 30, u64::MAX]);
    store.save_seen(&ids(&[5, 10, 5])).unwrap();
    store.save_seen(&ids(&[1, 10])).unwrap();

    let bytes = fs::read(read_file(tmp.path())).unwrap();
    assert_eq!(bytes.len(), 8 + 4 * 8 + 8);
    assert_eq!(&bytes[..6], b"SITIDS");
    assert_eq!(&bytes[6..8], &FORMAT_VERSION.to_le_bytes());
    assert_eq!(&bytes[8..16], &0u64.to_le_bytes());
    assert_eq!(&bytes[16..24], &10u64.to_le_bytes());

    let loaded = ReadStore::open(tmp.path());
    assert_eq!(loaded.notice, None);
    assert!(!loaded.first_run);
    assert_eq!(loaded.read, read);
    assert!(loaded.read.contains(StoryId(u64::MAX)));
    assert!(!loaded.read.contains(StoryId(20)));
    assert_eq!(raw(&loaded.seen), [1, 5, 10]);
    assert!(temp_files(tmp.path()).is_empty());
}

#[test]
fn id_in_both_lists_ends_unread() {
    let tmp = tempfile::tempdir().unwrap();
    let mut store = ReadStore::open(tmp.path()).store;
    let read = store.save_read(&ids(&[1, 2]), &ids(&[2])).unwrap();
    assert_eq!(raw(&read), [1]);
}

#[test]
fn two_stores_merge_their_changes() {
    let tmp = tempfile::tempdir().unwrap();
    let mut a = ReadStore::open(tmp.path()).store;
    let mut b = ReadStore::open(tmp.path()).store;

    a.save_read(&ids(&[1, 2, 3]), &[]).unwrap();
    let merged = b.save_read(&ids(&[10, 11]), &[]).unwrap();
    assert_eq!(raw(&merged), [1, 2, 3, 10, 11], "both kept");

    // Unread on one side wins for that id only.
    let merged = b.save_read(&[], &ids(&[2])).unwrap();
    assert_eq!(raw(&merged), [1, 3, 10, 11]);
    let merged = a.save_read(&ids(&[4]), &[]).unwrap();
    assert_eq!(raw(&merged), [1, 3, 4, 10, 11], "a does not bring 2 back");

    a.save_seen(&ids(&[100, 200])).unwrap();
    b.save_seen(&ids(&[300])).unwrap();
    let loaded = ReadStore::open(tmp.path());
    assert_eq!(raw(&loaded.read), [1, 3, 4, 10, 11]);
    assert_eq!(raw(&loaded.seen), [100, 200, 300]);
}

#[test]
fn a_million_ids_round_trip() {
    const N: u64 = 1_000_000;
    let tmp = tempfile::tempdir().unwrap();
    // An odd multiplier is a bijection on u64: a million distinct, scattered ids.
    let all: Vec<StoryId> = (0..N)
        .map(|i| StoryId(i.wrapping_mul(0x9E37_79B9_7F4A_7C15)))
        .collect();
    let mut loaded = ReadStore::open(tmp.path());
    loaded.store.save_seen(&all).unwrap();
    loaded.store.save_read(&all[..N as usize / 2], &[]).unwrap();

    let seen_len = fs::metadata(seen_file(tmp.path())).unwrap().len();
    assert_eq!(seen_len, 8 * N + 16, "8 bytes an id, 8 header, 8 checksum");
    let read_len = fs::metadata(read_file(tmp.path())).unwrap().len();
    assert_eq!(read_len, 8 * (N / 2) + 16);

    let loaded = ReadStore::open(tmp.path());
    assert_eq!(loaded.notice, None);
    assert!(!loaded.first_run);
    assert_eq!(loaded.seen.len(), N as usize);
    assert_eq!(loaded.read.len(), N as usize / 2);
    assert_eq!(loaded.seen, all.iter().copied().collect::<IdSet>());
    assert!(all.iter().all(|&id| loaded.seen.contains(id)));
    assert!(
        all[..N as usize / 2]
            .iter()
            .all(|&id| loaded.read.contains(id))
    );
    assert!(
        !all[N as usize / 2..]
            .iter()
            .any(|&id| loaded.read.contains(id))
    );
    let ordered: Vec<u64> = raw(&loaded.seen);
    assert!(ordered.windows(2).all(|w| w[0] < w[1]));
}

/// Writes `read.bin` with some ids, returns its bytes.
fn write_some(dir: &Path) -> Vec<u8> {
    ReadStore::open(dir)
        .store
        .save_read(&ids(&[1, 2, 3, 4]), &[])
        .unwrap();
    fs::read(read_file(dir)).unwrap()
}

/// Opens `dir` with a damaged `read.bin` holding `damaged`, and checks it was kept
/// aside byte-identical, with a notice, and the set started empty.
fn assert_kept_aside(dir: &Path, damaged: &[u8]) {
    fs::write(read_file(dir), damaged).unwrap();
    let mut loaded = ReadStore::open(dir);
    assert!(loaded.read.is_empty());
    let aside = names_starting(dir, "read.bin.corrupt-");
    assert_eq!(aside.len(), 1, "{aside:?}");
    assert_eq!(fs::read(&aside[0]).unwrap(), damaged, "byte-identical");
    let notice = loaded.notice.clone().unwrap();
    assert!(notice.contains(&aside[0].display().to_string()), "{notice}");
    assert!(notice.contains("damaged"), "{notice}");
    assert!(!read_file(dir).exists());

    // Saving starts a new file; the damaged copy stays as it was.
    let read = loaded.store.save_read(&ids(&[9]), &[]).unwrap();
    assert_eq!(raw(&read), [9]);
    assert_eq!(raw(&ReadStore::open(dir).read), [9]);
    assert_eq!(fs::read(&aside[0]).unwrap(), damaged);
}

#[test]
fn flipped_byte_fails_the_checksum_and_is_kept_aside() {
    let tmp = tempfile::tempdir().unwrap();
    let mut bytes = write_some(tmp.path());
    bytes[20] ^= 0x01;
    assert_kept_aside(tmp.path(), &bytes);
    let notice = ReadStore::open(tmp.path()).notice;
    assert_eq!(notice, None, "the notice is given once");
}

#[test]
fn flipped_version_byte_is_damage_not_newer() {
    let tmp = tempfile::tempdir().unwrap();
    let mut bytes = write_some(tmp.path());
    bytes[6] ^= 0x02; // version 1 -> 3
    assert_kept_aside(tmp.path(), &bytes);
}

#[test]
fn truncated_file_is_kept_aside() {
    for cut in [1, 5, 8, 9, 16] {
        let tmp = tempfile::tempdir().unwrap();
        let bytes = write_some(tmp.path());
        assert_kept_aside(tmp.path(), &bytes[..bytes.len() - cut]);
    }
    let tmp = tempfile::tempdir().unwrap();
    assert_kept_aside(tmp.path(), b"");
}

#[test]
fn damaged_seen_file_counts_as_first_run() {
    let tmp = tempfile::tempdir().unwrap();
    let mut store = ReadStore::open(tmp.path()).store;
    store.save_seen(&ids(&[1, 2])).unwrap();
    store.save_read(&ids(&[1]), &[]).unwrap();
    fs::write(seen_file(tmp.path()), b"garbage").unwrap();

    let loaded = ReadStore::open(tmp.path());
    assert!(loaded.first_run, "nothing should show as new");
    assert!(loaded.seen.is_empty());
    assert_eq!(raw(&loaded.read), [1], "read.bin is unaffected");
    assert_eq!(names_starting(tmp.path(), "seen.bin.corrupt-").len(), 1);
}

#[test]
fn corruption_found_during_save_is_kept_aside_too() {
    let tmp = tempfile::tempdir().unwrap();
    let mut store = ReadStore::open(tmp.path()).store;
    store.save_read(&ids(&[1]), &[]).unwrap();

    // Something else breaks the file, twice within the same second.
    let mut kept = Vec::new();
    for n in 0..2u8 {
        let broken = vec![b'x', n];
        fs::write(read_file(tmp.path()), &broken).unwrap();
        let read = store.save_read(&ids(&[10 + u64::from(n)]), &[]).unwrap();
        assert_eq!(raw(&read), [10 + u64::from(n)]);
        let notice = store.take_notice().unwrap();
        assert!(notice.contains("corrupt-"), "{notice}");
        assert_eq!(store.take_notice(), None);
        kept.push(broken);
    }
    let aside = names_starting(tmp.path(), "read.bin.corrupt-");
    assert_eq!(aside.len(), 2, "second one gets its own name: {aside:?}");
    let mut contents: Vec<Vec<u8>> = aside.iter().map(|p| fs::read(p).unwrap()).collect();
    contents.sort();
    assert_eq!(contents, kept);
}

#[test]
fn newer_version_is_never_written() {
    let tmp = tempfile::tempdir().unwrap();
    let newer = newer_file(2, b"a future layout we cannot read");
    fs::write(read_file(tmp.path()), &newer).unwrap();

    let mut loaded = ReadStore::open(tmp.path());
    assert!(loaded.read.is_empty());
    let notice = loaded.notice.unwrap();
    assert!(notice.contains("newer sitrep"), "{notice}");
    assert!(notice.contains("read-only"), "{notice}");

    let err = loaded.store.save_read(&ids(&[1]), &[]).unwrap_err();
    assert!(
        matches!(err, ReadStoreError::NewerVersion { version: 2, .. }),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .contains(&read_file(tmp.path()).display().to_string())
    );
    assert_eq!(fs::read(read_file(tmp.path())).unwrap(), newer);
    assert!(names_starting(tmp.path(), "read.bin.corrupt-").is_empty());

    // The other file is unaffected.
    loaded.store.save_seen(&ids(&[1])).unwrap();
    assert_eq!(raw(&ReadStore::open(tmp.path()).seen), [1]);
}

#[test]
fn newer_version_written_after_open_is_not_overwritten() {
    let tmp = tempfile::tempdir().unwrap();
    let mut store = ReadStore::open(tmp.path()).store;
    store.save_seen(&ids(&[1])).unwrap();

    let newer = newer_file(7, b"");
    fs::write(seen_file(tmp.path()), &newer).unwrap();
    let err = store.save_seen(&ids(&[2])).unwrap_err();
    assert!(matches!(
        err,
        ReadStoreError::NewerVersion { version: 7, .. }
    ));
    // And it stays read-only for the session.
    fs::remove_file(seen_file(tmp.path())).unwrap();
    assert!(store.save_seen(&ids(&[2])).is_err());
    assert!(!seen_file(tmp.path()).exists());
}

#[test]
fn failure_before_rename_leaves_old_file_intact() {
    let tmp = tempfile::tempdir().unwrap();
    let mut store = ReadStore::open(tmp.path()).store;
    store.save_read(&ids(&[1]), &[]).unwrap();
    let before = fs::read(read_file(tmp.path())).unwrap();

    let hook_ran = std::cell::Cell::new(false);
    let hook = || -> io::Result<()> {
        hook_ran.set(true);
        assert_eq!(temp_files(tmp.path()).len(), 1, "temp file complete");
        Err(io::Error::other("simulated crash"))
    };
    let err = store
        .save_read_with_hook(&ids(&[2]), &[], &hook)
        .unwrap_err();
    assert!(hook_ran.get());
    assert!(err.to_string().contains("simulated crash"), "{err}");
    assert_eq!(fs::read(read_file(tmp.path())).unwrap(), before);
    assert!(
        temp_files(tmp.path()).is_empty(),
        "failed temp file removed"
    );

    // The failed mark stays pending: the next save writes it with its own.
    assert_eq!(store.unsaved(), 1);
    let read = store.save_read(&ids(&[3]), &[]).unwrap();
    assert_eq!(raw(&read), [1, 2, 3]);
    assert_eq!(store.unsaved(), 0);
    assert_eq!(raw(&ReadStore::open(tmp.path()).read), [1, 2, 3]);

    // Marks made while saving fails keep their order when written.
    let fail = || -> io::Result<()> { Err(io::Error::other("no space")) };
    let _ = store.save_read_with_hook(&ids(&[4]), &[], &fail);
    let _ = store.save_read_with_hook(&[], &ids(&[4, 1]), &fail);
    assert_eq!(store.unsaved(), 3);
    let read = store.flush().unwrap().unwrap();
    assert_eq!(raw(&read), [2, 3]);
    assert_eq!(store.flush().unwrap(), None, "nothing left to write");
}

#[test]
fn unchanged_save_does_not_rewrite() {
    let tmp = tempfile::tempdir().unwrap();
    let mut store = ReadStore::open(tmp.path()).store;
    store.save_seen(&ids(&[1, 2])).unwrap();
    // Replace the file by a hard link we can recognise: an unchanged save must not
    // rename a new file over it.
    let marker = tmp.path().join("marker");
    fs::hard_link(seen_file(tmp.path()), &marker).unwrap();
    store.save_seen(&ids(&[2, 1])).unwrap();
    store.save_read(&[], &ids(&[5])).unwrap(); // missing read.bin is written
    store.save_read(&[], &ids(&[5])).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let ino = |p: &Path| fs::metadata(p).unwrap().ino();
        assert_eq!(ino(&seen_file(tmp.path())), ino(&marker));
    }
    assert!(read_file(tmp.path()).exists());
}

#[test]
fn stale_temp_files_are_removed_on_open() {
    let tmp = tempfile::tempdir().unwrap();
    let me = std::process::id();
    let stale = tmp.path().join(format!(".seen.bin.tmp-{me}-0"));
    let fresh = tmp.path().join(format!(".read.bin.tmp-{me}-1"));
    fs::write(&stale, b"half written").unwrap();
    fs::write(&fresh, b"being written").unwrap();
    let old = SystemTime::now() - Duration::from_secs(3600);
    fs::File::options()
        .write(true)
        .open(&stale)
        .unwrap()
        .set_modified(old)
        .unwrap();

    let _ = ReadStore::open(tmp.path());
    assert!(!stale.exists());
    assert!(fresh.exists(), "a temp file in use is left alone");
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
fn unwritable_dir_works_in_memory_and_reports_the_path() {
    use std::os::unix::fs::PermissionsExt;

    let tmp = tempfile::tempdir().unwrap();
    let locked = tmp.path().join("locked");
    fs::create_dir(&locked).unwrap();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o555)).unwrap();

    let dir = if permissions_do_not_bite(&locked) {
        // Running as root: use a "directory" whose parent is a regular file.
        let plain = tmp.path().join("plain-file");
        fs::write(&plain, b"not a directory").unwrap();
        plain.join("sitrep")
    } else {
        locked.clone()
    };

    let mut loaded = ReadStore::open(&dir);
    assert!(loaded.read.is_empty());
    let notice = loaded.notice.unwrap();
    assert!(notice.contains("cannot be saved"), "{notice}");

    // The app keeps its sets in memory; saves fail with the path.
    loaded.read.insert(StoryId(1));
    assert!(loaded.read.contains(StoryId(1)));
    for err in [
        loaded.store.save_read(&ids(&[1]), &[]).unwrap_err(),
        loaded
            .store
            .save_seen(&ids(&[1]))
            .map(|()| IdSet::new())
            .unwrap_err(),
    ] {
        assert!(
            matches!(
                err,
                ReadStoreError::File(sitrep::store::file::FileError::Io { .. })
            ),
            "{err:?}"
        );
        let text = err.to_string();
        assert!(
            text.contains(&dir.display().to_string())
                || text.contains(&dir.parent().unwrap().display().to_string()),
            "{text}"
        );
    }

    fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn data_dir_that_is_a_file_is_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let plain = tmp.path().join("sitrep");
    fs::write(&plain, b"oops").unwrap();

    let mut loaded = ReadStore::open(&plain);
    assert!(loaded.first_run);
    assert!(loaded.notice.unwrap().contains("not a directory"));
    let err = loaded.store.save_read(&ids(&[1]), &[]).unwrap_err();
    assert!(
        err.to_string().contains(&plain.display().to_string()),
        "{err}"
    );
    assert_eq!(fs::read(&plain).unwrap(), b"oops");
}

/// Not a test on its own: the body of one child process of
/// `two_processes_never_lose_changes`, which runs it (ignored otherwise).
#[test]
#[ignore = "the body of a child process of two_processes_never_lose_changes, which runs it"]
fn child_reader() {
    let (Some(dir), Some(start)) = (
        std::env::var_os(CHILD_DIR_ENV),
        std::env::var(CHILD_START_ENV).ok(),
    ) else {
        panic!("run by two_processes_never_lose_changes, which sets {CHILD_DIR_ENV}");
    };
    let start: u64 = start.parse().unwrap();
    let mut store = ReadStore::open(Path::new(&dir)).store;
    for id in start..start + PER_CHILD {
        store.save_read(&[StoryId(id)], &[]).unwrap();
        store.save_seen(&[StoryId(id)]).unwrap();
    }
}

#[test]
fn two_processes_never_lose_changes() {
    let tmp = tempfile::tempdir().unwrap();
    let exe = std::env::current_exe().unwrap();
    let spawn = |start: u64| {
        Command::new(&exe)
            .args(["--exact", "child_reader", "--ignored", "--nocapture"])
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
            out.status.success() && stdout.contains("test child_reader ... ok"),
            "child failed or did not run:\n{stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    let loaded = ReadStore::open(tmp.path());
    assert_eq!(loaded.notice, None);
    let want: Vec<u64> = (1_000..1_000 + PER_CHILD)
        .chain(2_000..2_000 + PER_CHILD)
        .collect();
    assert_eq!(raw(&loaded.read), want);
    assert_eq!(raw(&loaded.seen), want);
    assert!(temp_files(tmp.path()).is_empty());
}
