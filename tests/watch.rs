//! Live folders: adding, changing and deleting documents while watching.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use sitrep::action::Event;
use sitrep::runtime::watch;

const DIGEST: &str = "Article\n\nHealth and care sector latest developments\n\nLatest developments.\n\n3 February 2026\n\nFirst headline here\n\nBody text of the first story.\n";

/// Waits (generously; this is not a timing test) for the next change report.
fn next(rx: &mpsc::Receiver<Event>) -> (Vec<PathBuf>, Vec<String>) {
    match rx.recv_timeout(Duration::from_secs(20)) {
        Ok(Event::Reloaded(removed, part)) => {
            let lib = part.0;
            let headlines = lib
                .stories
                .iter()
                .map(|s| lib.headline(s).to_string())
                .collect();
            (removed, headlines)
        }
        other => panic!("expected a reload, got {other:?}"),
    }
}

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn added_changed_and_deleted_documents_are_reported() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let (tx, rx) = mpsc::channel();
    let ready = watch::spawn(&[dir.path().to_path_buf()], move |a| tx.send(a).is_ok());
    assert_eq!(ready.recv().ok(), Some(true), "watching started");
    let file = dir.path().join("digest.txt");
    let origin = file.clone();

    write(&file, DIGEST);
    let (removed, headlines) = next(&rx);
    assert_eq!(
        removed,
        vec![origin.clone()],
        "a new file drops nothing old (none loaded)"
    );
    assert_eq!(headlines, vec!["First headline here"]);

    write(
        &file,
        &DIGEST.replace("First headline here", "Changed headline"),
    );
    let (removed, headlines) = next(&rx);
    assert_eq!(
        removed,
        vec![origin.clone()],
        "the old version's stories go"
    );
    assert_eq!(headlines, vec!["Changed headline"]);

    std::fs::remove_file(&file).unwrap_or_else(|e| panic!("{e}"));
    let (removed, headlines) = next(&rx);
    assert_eq!(removed, vec![origin]);
    assert!(headlines.is_empty());
}

#[test]
fn hidden_and_other_files_are_ignored() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let (tx, rx) = mpsc::channel();
    let ready = watch::spawn(&[dir.path().to_path_buf()], move |a| tx.send(a).is_ok());
    assert_eq!(ready.recv().ok(), Some(true), "watching started");
    write(&dir.path().join(".digest.txt.swp"), DIGEST);
    write(&dir.path().join("notes.md"), DIGEST);
    write(&dir.path().join("real.txt"), DIGEST);
    let (removed, headlines) = next(&rx);
    assert_eq!(removed.len(), 1, "{removed:?}");
    assert!(removed[0].ends_with("real.txt"));
    assert_eq!(headlines.len(), 1);
}

/// Keys are the real file names: two names that look the same once cleaned for
/// display (escape sequences removed) keep their own stories through a reload.
#[cfg(unix)]
#[test]
fn files_whose_names_clean_alike_keep_their_own_stories() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let a = dir
        .path()
        .join(std::ffi::OsStr::from_bytes(b"\x1b]0;x\x07.txt"));
    let b = dir
        .path()
        .join(std::ffi::OsStr::from_bytes(b"\x1b]52;c;eA==\x07.txt"));
    write(&a, DIGEST);
    write(
        &b,
        &DIGEST.replace("First headline here", "Second file headline"),
    );
    let mut lib = sitrep::loader::load_paths(&[dir.path().to_path_buf()], &|_, _| {});
    assert_eq!(lib.stories.len(), 2);
    assert_eq!(
        lib.origin(&lib.stories[0]),
        lib.origin(&lib.stories[1]),
        "both names display alike"
    );

    write(
        &a,
        &DIGEST.replace("First headline here", "Changed headline"),
    );
    let (removed, part) = watch::reload(&BTreeSet::from([a.clone()]));
    assert_eq!(lib.remove_paths(&removed), 1, "only a's old story goes");
    lib.merge(part);
    let mut headlines: Vec<&str> = lib.stories.iter().map(|s| lib.headline(s)).collect();
    headlines.sort_unstable();
    assert_eq!(headlines, ["Changed headline", "Second file headline"]);
}

/// A FIFO that appears while watching is reported, as it is at start, so the
/// warnings list never says every file loaded cleanly.
#[cfg(unix)]
#[test]
fn a_fifo_added_while_watching_is_reported() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let fifo = dir.path().join("pipe.txt");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("skipped: mkfifo is not available");
        return;
    }
    let (removed, part) = watch::reload(&BTreeSet::from([fifo.clone()]));
    assert_eq!(removed, [fifo]);
    assert!(part.stories.is_empty());
    assert_eq!(part.warnings.len(), 1, "{:?}", part.warnings);
    assert!(
        part.warnings[0].reason.contains("not a regular file"),
        "{}",
        part.warnings[0]
    );
}

#[test]
fn mail_arriving_in_a_maildir_is_read_and_left_as_it_is() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let maildir = dir.path().join("Maildir");
    for sub in ["cur", "new", "tmp"] {
        std::fs::create_dir_all(maildir.join(sub)).unwrap_or_else(|e| panic!("{e}"));
    }
    let (tx, rx) = mpsc::channel();
    let ready = watch::spawn(&[dir.path().to_path_buf()], move |a| tx.send(a).is_ok());
    assert_eq!(ready.recv().ok(), Some(true), "watching started");
    // Delivery as a mail system does it: written in tmp/, renamed into new/.
    let mail = format!("From: Care Digest <d@example.org>\nSubject: Digest\n\n{DIGEST}");
    let tmp = maildir.join("tmp/1767000000.M1P1.host");
    write(&tmp, &mail);
    let arrived = maildir.join("new/1767000000.M1P1.host");
    std::fs::rename(&tmp, &arrived).unwrap_or_else(|e| panic!("{e}"));
    let (_, headlines) = next(&rx);
    assert_eq!(headlines, vec!["First headline here"]);
    assert_eq!(
        std::fs::read_to_string(&arrived).unwrap_or_default(),
        mail,
        "the message is not changed"
    );
    assert!(
        !maildir.join("cur/1767000000.M1P1.host").exists(),
        "nor moved"
    );
}
