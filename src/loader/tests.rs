#![allow(clippy::unwrap_used)]

use super::*;

#[test]
fn decode_picks_the_right_fallback() {
    assert_eq!(
        decode(b"\xef\xbb\xbfhi").ok().map(|d| d.0.into_owned()),
        Some("hi".into())
    );
    let (t, note) = decode(b"caf\xe9 \x93quoted\x94").unwrap_or_default();
    assert_eq!(t, "café “quoted”");
    assert!(note.is_some_and(|n| n.contains("1252")));
    let mut bytes = "é’ ok ".as_bytes().to_vec();
    bytes.push(0xff);
    let (t, note) = decode(&bytes)
        .map(|(t, n)| (t.into_owned(), n))
        .unwrap_or_default();
    assert!(t.contains('\u{fffd}') && t.contains('é'));
    assert!(note.is_some_and(|n| n.contains("replaced")));
    assert!(decode(b"\x00\x01\x02binary").is_err());
    let (t, _) = decode(b"a \x90quoted\x9d text \xa3").unwrap_or_default();
    assert_eq!(t, "a quoted text £", "undefined bytes do not swallow text");
}

#[test]
#[cfg(target_os = "linux")]
fn a_file_longer_than_its_size_said_is_read_whole() {
    // Files in /proc say size 0: the read past the size takes the rest.
    let mut bytes = Vec::new();
    assert!(read_regular(Path::new("/proc/self/status"), &mut bytes, MAX_FILE_BYTES).is_ok());
    let text = String::from_utf8_lossy(&bytes);
    assert!(
        text.starts_with("Name:") && text.contains("\nPid:"),
        "{text}"
    );
    // And a file of known size takes two reads' worth exactly.
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("a.txt");
    std::fs::write(&path, "x".repeat(10_000)).unwrap_or_else(|e| panic!("{e}"));
    assert!(read_regular(&path, &mut bytes, MAX_FILE_BYTES).is_ok());
    assert_eq!(bytes.len(), 10_000);
}

#[test]
fn bundled_library_loads_without_warnings() {
    let lib = load_bundled();
    assert_eq!(lib.stories.len(), 23);
    assert!(lib.warnings.is_empty(), "{:?}", lib.warnings);
}

#[test]
fn files_are_told_apart_by_name_place_and_first_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let p = |name: &str| dir.path().join(name);
    for sub in ["Maildir/cur", "Maildir/new", "Maildir/tmp", "other/cur"] {
        std::fs::create_dir_all(p(sub)).unwrap();
    }
    let by_name = |name: &str| Kind::by_name(&p(name));
    assert_eq!(by_name("a.TXT"), Some(Kind::Text));
    assert_eq!(by_name("a.htm"), Some(Kind::Html));
    assert_eq!(by_name("a.eml"), Some(Kind::Email));
    assert_eq!(by_name("a.mbox"), Some(Kind::Mbox));
    assert_eq!(by_name("Maildir/cur/1.M1P1.host:2,S"), Some(Kind::Email));
    assert_eq!(
        by_name("Maildir/tmp/1.M1P1.host"),
        None,
        "still being delivered"
    );
    assert_eq!(by_name("other/cur/1.M1P1.host"), None, "not a Maildir");
    std::fs::write(
        p("inbox"),
        "From a@b Thu Jan  1 10:00:00 2026\nSubject: x\n\nBody\n",
    )
    .unwrap();
    std::fs::write(p("README"), "Just text\n").unwrap();
    assert!(is_document(&p("inbox")) && !is_document(&p("README")));
    assert!(is_mail(&p("inbox")) && is_mail(&p("a.eml")) && !is_mail(&p("a.html")));
    assert_eq!(
        Kind::sniff(b"Received: from x\nSubject: y\n\nz"),
        Kind::Email
    );
    assert_eq!(Kind::sniff(b"<!doctype html><p>x"), Kind::Html);
    assert_eq!(
        Kind::sniff(b"From a@b Thu Jan  1 10:00:00 2026\n"),
        Kind::Mbox
    );
    assert_eq!(Kind::sniff(b"Article\n\nTitle"), Kind::Text);
}
