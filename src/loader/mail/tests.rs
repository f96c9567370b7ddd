#![allow(clippy::unwrap_used)]

use super::*;

#[test]
fn an_mbox_is_cut_at_its_from_lines_only() {
    let mbox = b"From a@x Thu Jan  1 00:00:00 2026\nSubject: One\n\nFrom here on, text.\n\nFrom b@x Fri Jan  2 00:00:00 2026\nSubject: Two\n\nBody\n";
    let messages: Vec<&[u8]> = mbox_messages(mbox).collect();
    assert_eq!(messages.len(), 2);
    assert!(messages[0].starts_with(b"Subject: One"));
    assert!(messages[0].ends_with(b"From here on, text.\n\n"));
    assert_eq!(messages[1], b"Subject: Two\n\nBody\n");
    assert!(looks_like_mbox(mbox) && !looks_like_mbox(b"Subject: x\n"));
    assert!(is_from_line(b"From b@x Fri Jan  2 00:00:00 2026\nmore"));
    assert!(!is_from_line(b"From here on, text.\n"));
}

#[test]
fn a_message_names_its_sender_subject_and_day() {
    let raw = "From: =?utf-8?q?Caf=C3=A9_News?= <news@example.org>\r\nSubject: =?utf-8?b?V2Vla2x5IG5vdGU=?=\r\nDate: Tue, 3 Feb 2026 23:10:00 +0000\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nHeadline here\r\n\r\nCaf=C3=A9 opens soon.\r\n";
    let mut letter = read(raw.as_bytes()).unwrap();
    assert_eq!(letter.source.as_deref(), Some("Café News"));
    assert_eq!(letter.subject.as_deref(), Some("Weekly note"));
    assert_eq!(
        letter.date.map(|d| d.to_string()).as_deref(),
        Some("Tue 3 Feb 2026")
    );
    assert_eq!(
        letter.body(Body::Plain).as_deref(),
        Some("Headline here\n\nCafé opens soon.\n")
    );
    assert!(letter.body(Body::Html).is_none() && letter.problems.is_empty());
    assert!(looks_like_email(raw.as_bytes()));
    assert!(!looks_like_email(b"Article\n\nNote: this is text"));
}

#[test]
fn a_list_without_a_sender_name_is_named_by_its_list_id() {
    let raw = "From: digest@example.org\nList-Id: \"Care Digest\" <care.example.org>\nSubject: S\n\nText\n";
    assert_eq!(
        read(raw.as_bytes()).unwrap().source.as_deref(),
        Some("Care Digest")
    );
    assert_eq!(
        list_name("<care.example.org>").as_deref(),
        Some("care.example.org")
    );
}

#[test]
fn crlf_becomes_lf_and_lone_crs_stay() {
    for (input, want) in [
        ("a\r\nb\r\n", "a\nb\n"),
        ("no breaks", "no breaks"),
        ("lone\rcr\r\n\r\nend", "lone\rcr\n\nend"),
        ("\r\n", "\n"),
        ("é\r\nü", "é\nü"),
    ] {
        let mut bytes = input.as_bytes().to_vec();
        drop_cr_before_lf(&mut bytes);
        assert_eq!(bytes, want.as_bytes());
    }
}
