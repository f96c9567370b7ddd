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
