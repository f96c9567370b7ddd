//! Live folders: adding, changing and deleting documents while watching.

use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use sitrep::action::Action;
use sitrep::watch;

const DIGEST: &str = "Article\n\nHealth and care sector latest developments\n\nLatest developments.\n\n3 February 2026\n\nFirst headline here\n\nBody text of the first story.\n";

/// Waits (generously; this is not a timing test) for the next change report.
fn next(rx: &mpsc::Receiver<Action>) -> (Vec<String>, Vec<String>) {
    match rx.recv_timeout(Duration::from_secs(20)) {
        Ok(Action::Reloaded(removed, part)) => {
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
    let origin = sitrep::loader::display(&file);

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
