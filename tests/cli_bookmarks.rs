//! End-to-end tests of `sitrep bookmarks` (list, `--json`, `export`, `remove`).
//! Every run gets its own temp config directory through `SITREP_CONFIG_DIR` or
//! `--config-dir`, never the real one.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::{Value, json};
use sitrep::story::{Library, Story};
use tempfile::TempDir;

/// A first story of the bundled library, with its headline and first paragraph.
struct Bundled {
    id: String,
    headline: String,
    first_paragraph: String,
    origin: String,
}

fn bundled() -> Bundled {
    let lib: Library = sitrep::loader::load_bundled();
    let story: &Story = lib
        .stories
        .iter()
        .find(|s| lib.paragraphs(s).next().is_some())
        .expect("a bundled story with text");
    Bundled {
        id: story.id.to_string(),
        headline: lib.headline(story).to_owned(),
        first_paragraph: lib.paragraphs(story).next().unwrap().to_owned(),
        origin: lib.origin(story).to_owned(),
    }
}

/// An id that no bundled story has.
const MISSING_ID: &str = "00000000000000ab";

/// `sitrep` with `SITREP_CONFIG_DIR` set to `dir` (and the XDG fallback pointed
/// into it too, so a mistake can never reach the real config directory).
fn sitrep(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("sitrep").unwrap();
    cmd.env("SITREP_CONFIG_DIR", dir)
        .env("XDG_CONFIG_HOME", dir.join("xdg"))
        .env_remove("NO_COLOR");
    cmd
}

fn file(dir: &Path) -> PathBuf {
    dir.join("bookmarks.json")
}

/// The fixture: version 1, an unknown top-level field, the bundled story (added
/// first, with a note and an unknown field) and one that is not loaded (added later).
fn fixture(b: &Bundled) -> Value {
    json!({
        "version": 1,
        "saved_by": "a later sitrep",
        "bookmarks": [
            {
                "id": b.id,
                "headline": b.headline,
                "date": "2026-02-03",
                "source": "Health and care sector latest developments",
                "origin": b.origin,
                "added": "2026-02-04T09:30:00Z",
                "note": "Ask the ICB for the board paper",
                "colour": "amber"
            },
            {
                "id": MISSING_ID,
                "headline": "Old story from a folder",
                "date": "2025-12",
                "source": "Monthly bulletin",
                "origin": "/data/bulletins/december.txt",
                "added": "2026-02-05T10:00:00+01:00",
                "note": ""
            }
        ]
    })
}

fn write_fixture(dir: &Path, value: &Value) {
    fs::write(file(dir), serde_json::to_vec_pretty(value).unwrap()).unwrap();
}

fn read_json(dir: &Path) -> Value {
    serde_json::from_slice(&fs::read(file(dir)).unwrap()).unwrap()
}

fn setup() -> (TempDir, Bundled) {
    let dir = TempDir::new().unwrap();
    let b = bundled();
    write_fixture(dir.path(), &fixture(&b));
    (dir, b)
}

fn stdout_of(cmd: &mut Command) -> String {
    let out = cmd.assert().success().get_output().clone();
    String::from_utf8(out.stdout).unwrap()
}

/// No byte below 0x20 but `\n`, no DEL, no C1 controls, no bidi overrides.
fn assert_clean(bytes: &[u8]) {
    let text = String::from_utf8(bytes.to_vec()).expect("UTF-8 output");
    for c in text.chars() {
        let bad = (c.is_control() && c != '\n') || ('\u{202a}'..='\u{202e}').contains(&c);
        assert!(!bad, "control character {c:?} in output:\n{text}");
    }
}

#[test]
fn list_table_is_newest_first_with_added_date_and_note() {
    let (dir, b) = setup();
    let out = sitrep(dir.path())
        .arg("bookmarks")
        .assert()
        .success()
        .stderr("")
        .get_output()
        .clone();
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    let header: Vec<&str> = lines[0].split_whitespace().collect();
    assert_eq!(header, ["ID", "ADDED", "DATE", "HEADLINE", "NOTE"]);
    assert!(lines[1].starts_with(&format!("{MISSING_ID}  2026-02-05  2025-12   ")));
    assert!(lines[1].contains("Old story from a folder"));
    assert!(lines[2].starts_with(&format!("{}  2026-02-04  2026-02-03  ", b.id)));
    assert!(lines[2].ends_with("Ask the ICB for the board paper"));
    // The headline column lines up.
    let col = lines[0].find("HEADLINE").unwrap();
    assert_eq!(lines[1].find("Old story").unwrap(), col);
}

#[test]
fn list_json_is_the_stored_objects_with_unknown_fields() {
    let (dir, b) = setup();
    let text = stdout_of(sitrep(dir.path()).args(["bookmarks", "--json"]));
    let got: Value = serde_json::from_str(&text).unwrap();
    let stored = fixture(&b)["bookmarks"].clone();
    // Most recently added first: the stored order reversed.
    assert_eq!(got, json!([stored[1], stored[0]]));
    assert_eq!(got[1]["colour"], "amber");
    // Listing never rewrites the file.
    assert_eq!(read_json(dir.path()), fixture(&b));
}

#[test]
fn empty_list_is_friendly_and_json_is_an_empty_array() {
    let dir = TempDir::new().unwrap();
    sitrep(dir.path())
        .arg("bookmarks")
        .assert()
        .success()
        .stdout("")
        .stderr("sitrep: no bookmarks yet — press b in the reader\n");
    sitrep(dir.path())
        .args(["bookmarks", "--json"])
        .assert()
        .success()
        .stdout("[]\n")
        .stderr("");
    assert!(!file(dir.path()).exists());
}

#[test]
fn export_markdown_has_paragraph_note_and_unloaded_story() {
    let (dir, b) = setup();
    let md = stdout_of(sitrep(dir.path()).args(["bookmarks", "export", "--markdown"]));
    assert!(md.contains(&format!("\n## {}\n", b.headline)), "{md}");
    assert!(
        md.contains("\n**Note:** Ask the ICB for the board paper\n"),
        "{md}"
    );
    let first_line = b.first_paragraph.lines().next().unwrap();
    let first_words: String = first_line.chars().take(30).collect();
    assert!(md.contains(&first_words), "{md}");
    assert!(md.contains("\n## Old story from a folder\n"), "{md}");
    assert!(md.contains("December 2025 · Monthly bulletin"), "{md}");
    assert!(md.contains("(story not loaded)"), "{md}");
    assert!(md.contains(&format!("id {MISSING_ID}")), "{md}");
    assert_eq!(md.matches("(story not loaded)").count(), 1);
    // Newest first, like the list.
    assert!(md.find("Old story").unwrap() < md.find("**Note:**").unwrap());
    // --markdown is the default.
    let default = stdout_of(sitrep(dir.path()).args(["bookmarks", "export"]));
    assert_eq!(default, md);
}

#[test]
fn export_csv_has_a_header_and_a_row_per_bookmark() {
    let (dir, b) = setup();
    let text = stdout_of(sitrep(dir.path()).args(["bookmarks", "export", "--format", "csv"]));
    let mut rows = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = rows.headers().unwrap().iter().map(str::to_string).collect();
    assert_eq!(
        header,
        [
            "id",
            "date",
            "headline",
            "source",
            "note",
            "first_paragraph",
            "origin"
        ]
    );
    let records: Vec<csv::StringRecord> = rows.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), 2, "{text}");
    assert_eq!(&records[0][0], MISSING_ID);
    assert_eq!(&records[0][1], "2025-12");
    assert_eq!(&records[0][5], "", "the story is not loaded");
    assert_eq!(&records[1][0], b.id.as_str());
    assert_eq!(&records[1][2], b.headline.as_str());
    assert_eq!(&records[1][4], "Ask the ICB for the board paper");
    assert!(records[1][5].starts_with(b.first_paragraph.lines().next().unwrap()));
    // `--markdown` still works and is the default format.
    let md = stdout_of(sitrep(dir.path()).args(["bookmarks", "export", "--markdown"]));
    assert_eq!(
        md,
        stdout_of(sitrep(dir.path()).args(["bookmarks", "export"]))
    );
    assert_ne!(md, text);
}

#[test]
fn export_reads_the_given_paths_instead_of_the_bundled_stories() {
    let (dir, b) = setup();
    let name = b.origin.strip_prefix("bundled:").unwrap();
    let stories = TempDir::new().unwrap();
    let copy = stories.path().join("copy.txt");
    fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("assets")
            .join(name),
        &copy,
    )
    .unwrap();
    let md = stdout_of(
        sitrep(dir.path())
            .args(["bookmarks", "export"])
            .arg(stories.path()),
    );
    assert_eq!(md.matches("(story not loaded)").count(), 1, "{md}");
    assert!(md.contains("copy.txt"), "{md}");

    let empty = TempDir::new().unwrap();
    let md = stdout_of(
        sitrep(dir.path())
            .args(["bookmarks", "export"])
            .arg(empty.path()),
    );
    assert_eq!(md.matches("(story not loaded)").count(), 2, "{md}");
    assert!(md.contains(&format!("\n## {}\n", b.headline)), "{md}");
}

#[test]
fn export_escapes_markdown_and_keeps_lines() {
    let dir = TempDir::new().unwrap();
    write_fixture(
        dir.path(),
        &json!({"version": 1, "bookmarks": [{
            "id": MISSING_ID,
            "headline": "# Not a title\n## nor this\n[click](http://x) <b>*bold*</b>",
            "date": null,
            "source": "> quoted",
            "origin": "/tmp/some_file.txt",
            "added": "2026-02-05T10:00:00+00:00",
            "note": "line one\n\n- not a list\n1. nor this"
        }]}),
    );
    let md = stdout_of(sitrep(dir.path()).args(["bookmarks", "export"]));
    let lines: Vec<&str> = md.lines().collect();
    // Only our own headings, quote-free, and each field on its own line.
    let headings: Vec<&&str> = lines.iter().filter(|l| l.starts_with('#')).collect();
    assert_eq!(headings.len(), 2, "{md}");
    assert_eq!(
        *headings[1],
        r"## \# Not a title ## nor this \[click\](http://x) \<b\>\*bold\*\</b\>"
    );
    assert!(lines.contains(&r"Undated · \> quoted"), "{md}");
    assert!(
        lines.contains(&r"**Note:** line one  - not a list 1. nor this"),
        "{md}"
    );
    assert!(
        lines
            .iter()
            .all(|l| !l.starts_with('>') && !l.starts_with("- "))
    );
    assert!(md.contains(r"/tmp/some\_file.txt"), "{md}");
}

#[test]
fn remove_by_prefix_keeps_the_other_bookmark_and_unknown_fields() {
    let (dir, b) = setup();
    let out = stdout_of(
        sitrep(dir.path())
            .args(["bookmarks", "remove"])
            .arg(b.id[..6].to_uppercase()),
    );
    assert!(out.starts_with(&format!("removed {}", b.id)), "{out}");
    let stored = read_json(dir.path());
    assert_eq!(stored["version"], 1);
    assert_eq!(stored["saved_by"], "a later sitrep");
    assert_eq!(stored["bookmarks"], json!([fixture(&b)["bookmarks"][1]]));

    // And the list agrees.
    let text = stdout_of(sitrep(dir.path()).args(["bookmarks", "--json"]));
    let list: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["id"], MISSING_ID);
}

#[test]
fn remove_unknown_or_ambiguous_id_exits_1_with_one_line() {
    let (dir, b) = setup();
    let before = fs::read(file(dir.path())).unwrap();
    let unknown = if b.id.starts_with("ff") { "ee" } else { "ff" };
    sitrep(dir.path())
        .args(["bookmarks", "remove", unknown])
        .assert()
        .code(1)
        .stdout("")
        .stderr(format!("sitrep: no bookmark with id {unknown}\n"));
    sitrep(dir.path())
        .args(["bookmarks", "remove", "not-hex"])
        .assert()
        .code(1)
        .stderr(
            predicate::str::starts_with("sitrep: not a bookmark id")
                .and(predicate::function(|s: &str| s.lines().count() == 1)),
        );
    assert_eq!(fs::read(file(dir.path())).unwrap(), before);

    let two = TempDir::new().unwrap();
    let mut value = fixture(&b);
    value["bookmarks"][0]["id"] = json!("00000000000000ac");
    write_fixture(two.path(), &value);
    sitrep(two.path())
        .args(["bookmarks", "remove", "0000"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "more than one bookmark id starts with 0000",
        ));
}

#[test]
fn remove_from_a_newer_file_exits_1_with_the_reason_once() {
    let (dir, b) = setup();
    let mut value = fixture(&b);
    value["version"] = json!(9);
    write_fixture(dir.path(), &value);
    let before = fs::read(file(dir.path())).unwrap();
    let out = sitrep(dir.path())
        .args(["bookmarks", "remove", MISSING_ID])
        .assert()
        .code(1)
        .stdout("")
        .get_output()
        .clone();
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("sitrep: bookmarks are read-only"), "{err}");
    assert!(err.contains("format 9"), "{err}");
    assert_eq!(fs::read(file(dir.path())).unwrap(), before);

    // Listing still works, with the notice.
    sitrep(dir.path())
        .arg("bookmarks")
        .assert()
        .success()
        .stdout(predicate::str::contains(MISSING_ID))
        .stderr(predicate::str::starts_with(
            "sitrep: bookmarks are read-only",
        ));
}

#[test]
fn config_dir_flag_wins_over_the_environment() {
    let (env_dir, b) = setup();
    let flag_dir = TempDir::new().unwrap();

    // Only the environment variable: its bookmarks.
    let text = stdout_of(sitrep(env_dir.path()).args(["bookmarks", "--json"]));
    assert_eq!(
        serde_json::from_str::<Value>(&text).unwrap()[1]["id"],
        json!(b.id)
    );

    // The flag, after or before the command, wins.
    for args in [
        vec!["bookmarks", "--json", "--config-dir"],
        vec!["--config-dir"],
    ] {
        let mut cmd = sitrep(env_dir.path());
        cmd.args(&args).arg(flag_dir.path());
        if args.len() == 1 {
            cmd.args(["bookmarks", "--json"]);
        }
        cmd.assert().success().stdout("[]\n");
    }

    // Removing through the flag changes that directory only.
    let mut value = fixture(&b);
    value["bookmarks"][1]["id"] = json!("00000000000000cd");
    write_fixture(flag_dir.path(), &value);
    sitrep(env_dir.path())
        .args(["bookmarks", "remove", "00000000000000cd", "--config-dir"])
        .arg(flag_dir.path())
        .assert()
        .success();
    assert_eq!(
        read_json(flag_dir.path())["bookmarks"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(read_json(env_dir.path()), fixture(&b));
}

/// A bookmarks file cut off in the middle.
const DAMAGED: &[u8] = b"{\"version\": 1, \"bookmarks\": [ oops";

#[test]
fn listing_a_corrupt_file_reports_it_and_changes_nothing() {
    let dir = TempDir::new().unwrap();
    fs::write(file(dir.path()), DAMAGED).unwrap();
    let out = sitrep(dir.path())
        .arg("bookmarks")
        .assert()
        .success()
        .stdout("")
        .get_output()
        .clone();
    let err = String::from_utf8(out.stderr).unwrap();
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 1, "{err}");
    assert!(lines[0].starts_with("sitrep: "), "{err}");
    assert!(lines[0].contains("bookmarks.json is damaged"), "{err}");
    assert!(lines[0].ends_with("it was left as it is"), "{err}");
    // A command that only lists never moves or rewrites the file.
    let names: Vec<String> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["bookmarks.json"]);
    assert_eq!(fs::read(file(dir.path())).unwrap(), DAMAGED);
}

#[test]
fn an_is_filter_reports_a_corrupt_file_and_changes_nothing() {
    let dir = TempDir::new().unwrap();
    fs::write(file(dir.path()), DAMAGED).unwrap();
    let out = sitrep(dir.path())
        .args(["filter", "is:bookmarked"])
        .output()
        .unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("bookmarks.json is damaged"), "{err}");
    assert!(err.contains("it was left as it is"), "{err}");
    assert_eq!(fs::read(file(dir.path())).unwrap(), DAMAGED);
}

#[test]
fn one_bad_entry_is_set_aside_and_the_others_kept() {
    let (dir, b) = setup();
    let mut value = fixture(&b);
    value["bookmarks"]
        .as_array_mut()
        .unwrap()
        .push(json!({"id": "00000000000000aa", "headline": 7, "added": "2026-01-01T00:00:00Z"}));
    write_fixture(dir.path(), &value);
    let before = fs::read(file(dir.path())).unwrap();

    // Listing reports the bad entry and lists the good one, changing nothing.
    let out = sitrep(dir.path())
        .arg("bookmarks")
        .assert()
        .success()
        .get_output()
        .clone();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("entry 3:"), "{err}");
    assert!(String::from_utf8(out.stdout).unwrap().contains(MISSING_ID));
    assert_eq!(fs::read(file(dir.path())).unwrap(), before);

    // A command that writes keeps the whole file aside and the good entry in place.
    sitrep(dir.path())
        .args(["bookmarks", "remove", MISSING_ID])
        .assert()
        .success();
    let aside: Vec<PathBuf> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains("bookmarks.json.corrupt-"))
        .collect();
    assert_eq!(aside.len(), 1, "the damaged file is kept aside");
    assert_eq!(fs::read(&aside[0]).unwrap(), before);
    let kept = read_json(dir.path());
    assert_eq!(kept["bookmarks"].as_array().unwrap().len(), 1);
    assert_eq!(kept["bookmarks"][0]["headline"], json!(b.headline));
}

#[test]
fn output_has_no_control_characters() {
    let dir = TempDir::new().unwrap();
    let nasty = "A\u{1b}[31mred\u{7}\u{7f}\u{9b}1m\u{202e}desrever\tx\r\ny\u{0}";
    write_fixture(
        dir.path(),
        &json!({"version": 1, "bookmarks": [
            {
                "id": MISSING_ID,
                "headline": nasty,
                "date": nasty,
                "source": nasty,
                "origin": nasty,
                "added": "2026-02-05T10:00:00+00:00",
                "note": nasty,
                "extra": nasty
            },
            {
                "id": "00000000000000cd",
                "headline": "plain",
                "added": "2026-02-01T10:00:00+00:00"
            }
        ]}),
    );
    let runs: [&[&str]; 4] = [
        &["bookmarks"],
        &["bookmarks", "--json"],
        &["bookmarks", "export"],
        &["bookmarks", "remove", "00000000000000c"],
    ];
    for args in runs {
        let out = sitrep(dir.path())
            .args(args)
            .assert()
            .success()
            .get_output()
            .clone();
        assert_clean(&out.stdout);
        assert_clean(&out.stderr);
    }
    // The JSON escapes what it must but still means the stored text.
    let text = stdout_of(sitrep(dir.path()).args(["bookmarks", "--json"]));
    let list: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(list[0]["headline"], nasty);
    assert_eq!(list[0]["extra"], nasty);

    // A damaged file's name and reason are cleaned too.
    fs::write(file(dir.path()), "{\u{1b}]0;title\u{7}").unwrap();
    let out = sitrep(dir.path())
        .arg("bookmarks")
        .assert()
        .success()
        .get_output()
        .clone();
    assert_clean(&out.stderr);
}

#[test]
fn help_lists_the_subcommands() {
    let dir = TempDir::new().unwrap();
    sitrep(dir.path())
        .args(["bookmarks", "--help"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("export")
                .and(predicate::str::contains("remove"))
                .and(predicate::str::contains("--json"))
                .and(predicate::str::contains("--config-dir")),
        );
    sitrep(dir.path())
        .args(["bookmarks", "export", "--json"])
        .assert()
        .code(2);
}

#[test]
fn the_table_fits_a_given_width_and_is_whole_without_one() {
    use unicode_width::UnicodeWidthStr;
    let b = bundled();
    let list: Vec<sitrep::store::bookmarks::Bookmark> =
        serde_json::from_value(fixture(&b)["bookmarks"].clone()).unwrap();
    let table = |width| {
        let mut out = Vec::new();
        sitrep::cli::write_bookmark_table(&mut out, &list, width).unwrap();
        String::from_utf8(out).unwrap()
    };
    let whole = table(None);
    assert!(whole.contains("Ask the ICB for the board paper"), "{whole}");
    for width in [60, 80] {
        let fitted = table(Some(width));
        assert_eq!(fitted.lines().count(), whole.lines().count());
        for line in fitted.lines() {
            assert!(line.width() <= width, "{width}: {line:?}");
        }
    }
    assert_eq!(table(Some(200)), whole, "wide enough: nothing is cut");
}
