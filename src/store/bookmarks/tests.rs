use super::*;

fn at(id: u64, added: &str) -> Bookmark {
    Bookmark {
        added: DateTime::parse_from_rfc3339(added).unwrap_or_default(),
        ..Bookmark::new(StoryId(id), format!("story {id}"), None, "src", "origin")
    }
}

fn ids(list: &[Bookmark]) -> Vec<u64> {
    list.iter().map(|b| b.id.0).collect()
}

#[test]
fn add_sorts_newest_first_and_replaces_keeping_note() {
    let mut list = Vec::new();
    apply_change(&mut list, &Change::Add(at(1, "2026-01-01T10:00:00Z")));
    apply_change(&mut list, &Change::Add(at(2, "2026-01-02T10:00:00Z")));
    assert_eq!(ids(&list), [2, 1]);

    apply_change(&mut list, &Change::SetNote(StoryId(1), "keep me".into()));
    let mut again = at(1, "2026-01-03T10:00:00Z");
    again.extra.insert("x".into(), Value::from(1));
    apply_change(&mut list, &Change::Add(again));
    assert_eq!(ids(&list), [1, 2]);
    assert_eq!(list[0].note, "keep me");

    let mut with_note = at(1, "2026-01-03T10:00:00Z");
    with_note.note = "new".into();
    apply_change(&mut list, &Change::Add(with_note));
    assert_eq!(list.len(), 2);
    assert_eq!(list[0].note, "new");
    assert_eq!(list[0].extra.get("x"), Some(&Value::from(1)));
}

#[test]
fn remove_and_set_note_ignore_missing_ids() {
    let mut list = vec![at(1, "2026-01-01T10:00:00Z")];
    apply_change(&mut list, &Change::Remove(StoryId(9)));
    apply_change(&mut list, &Change::SetNote(StoryId(9), "x".into()));
    assert_eq!(ids(&list), [1]);
    assert_eq!(list[0].note, "");
    apply_change(&mut list, &Change::Remove(StoryId(1)));
    assert!(list.is_empty());
}

#[test]
fn parse_rejects_bad_shapes_and_reads_newer_best_effort() {
    assert!(matches!(parse(b"\xff\xfe"), Read::Corrupt(_)));
    assert!(matches!(parse(b"{"), Read::Corrupt(_)));
    assert!(matches!(parse(b"[]"), Read::Corrupt(_)));
    assert!(matches!(parse(br#"{"version":1}"#), Read::Corrupt(_)));
    assert!(matches!(
        parse(br#"{"version":1,"bookmarks":{}}"#),
        Read::Corrupt(_)
    ));
    // One bad entry is set aside; the good ones are read.
    let mixed = br#"{"version":1,"keep":true,"bookmarks":[{"id":"nope"},
        {"id":"00000000000000ff","headline":"h","added":"2026-01-01T00:00:00Z"}]}"#;
    match parse(mixed) {
        Read::Current(data, rejected) => {
            assert_eq!(ids(&data.bookmarks), [255]);
            assert_eq!(rejected.len(), 1);
            assert!(rejected[0].starts_with("entry 1:"), "{rejected:?}");
            assert_eq!(data.extra.get("keep"), Some(&Value::Bool(true)));
        }
        _ => panic!("expected the good entry"),
    }
    let newer = br#"{"version":7,"bookmarks":[
        {"id":"00000000000000ff","headline":"h","added":"2026-01-01T00:00:00Z","new":true},
        {"totally":"different"}]}"#;
    match parse(newer) {
        Read::Newer(7, list) => assert_eq!(ids(&list), [255]),
        _ => panic!("expected a newer file"),
    }
}

#[test]
fn new_bookmark_serialises_expected_fields() {
    let b = at(0xab, "2026-02-03T04:05:06+01:00");
    let json = serde_json::to_value(&b).unwrap_or_default();
    assert_eq!(json["id"], "00000000000000ab");
    assert_eq!(json["date"], Value::Null);
    assert_eq!(json["note"], "");
    let back: Bookmark = serde_json::from_value(json).unwrap_or_else(|_| at(0, ""));
    assert_eq!(back, b);
}
