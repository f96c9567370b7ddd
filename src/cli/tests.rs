//! Unit tests of the commands' output.

use std::io;
use std::path::Path;

use super::bookmarks::md_line;
use super::load::command_like;
use super::output::escape_invisible;
use super::{find, write_story, write_table};
use crate::text;

fn written(f: impl FnOnce(&mut Vec<u8>) -> io::Result<()>) -> String {
    let mut out = Vec::new();
    assert!(f(&mut out).is_ok());
    String::from_utf8(out).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn markdown_lines_read_as_themselves() {
    assert_eq!(md_line("# Not a heading"), "\\# Not a heading");
    assert_eq!(md_line("1. not a list"), "1\\. not a list");
    assert_eq!(md_line("a *b* [c](d) <e>"), "a \\*b\\* \\[c\\](d) \\<e\\>");
    assert_eq!(md_line("  two\nlines\tand a tab "), "two lines and a tab");
    assert_eq!(md_line("plain"), "plain");
}

#[test]
fn json_escapes_what_could_drive_the_terminal() {
    assert_eq!(escape_invisible("{\"a\": \"plain\"}"), "{\"a\": \"plain\"}");
    assert_eq!(escape_invisible("\"a\u{202e}b\""), "\"a\\u202eb\"");
    assert_eq!(escape_invisible("\"\u{9b}\""), "\"\\u009b\"");
    // Kept: text a reader sees.
    assert_eq!(escape_invisible("\"café – 日本\""), "\"café – 日本\"");
}

#[test]
fn ids_are_found_by_unique_prefix_with_clear_errors() {
    let lib = crate::loader::load_bundled();
    let id = lib.stories[0].id.to_string();
    assert!(find(&lib, &id).is_ok_and(|s| s.id == lib.stories[0].id));
    assert!(find(&lib, &id[..10].to_uppercase()).is_ok());
    let err = |q: &str| {
        find(&lib, q)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default()
    };
    assert!(
        err("xyz").starts_with("not a story id: \"xyz\""),
        "{}",
        err("xyz")
    );
    assert_eq!(err("0000000000000000"), "no story with id 0000000000000000");
    assert!(err("").starts_with("not a story id"));
    // Every id starts with some hex digit: one digit matches many.
    let many = (0..16).map(|d| format!("{d:x}")).find(|d| {
        lib.stories
            .iter()
            .filter(|s| s.id.to_string().starts_with(d))
            .count()
            > 1
    });
    if let Some(d) = many {
        assert!(err(&d).starts_with("more than one story id starts with"));
    }
}

#[test]
fn the_table_cuts_headlines_then_sources_to_fit() {
    let lib = crate::loader::load_bundled();
    let whole = written(|out| write_table(out, &lib, lib.stories.iter(), None));
    let lines: Vec<&str> = whole.lines().collect();
    assert_eq!(lines.len(), lib.stories.len() + 1);
    assert!(
        lines[0].starts_with("ID                DATE        HEADLINE"),
        "{}",
        lines[0]
    );
    for (line, story) in lines[1..].iter().zip(&lib.stories) {
        assert!(line.starts_with(&story.id.to_string()), "{line}");
    }
    for width in [60, 80, 120] {
        let fitted = written(|out| write_table(out, &lib, lib.stories.iter(), Some(width)));
        for line in fitted.lines() {
            assert!(text::width(line) <= width, "{width}: {line}");
        }
    }
}

#[test]
fn a_story_prints_head_id_line_then_wrapped_text() {
    let lib = crate::loader::load_bundled();
    let story = &lib.stories[0];
    let text = written(|out| write_story(out, &lib, story, 40));
    let lines: Vec<&str> = text.lines().collect();
    let id_line = format!("{} · {}", story.id, lib.origin(story));
    let at = lines.iter().position(|l| *l == id_line);
    assert!(at.is_some_and(|n| n >= 2), "{text}");
    let wrapped = lines.iter().filter(|l| **l != id_line);
    assert!(wrapped.clone().all(|l| text::width(l) <= 40), "{text}");
    assert!(text.contains(&lib.headline(story)[..10]));
}

#[test]
fn a_mistyped_command_is_suggested() {
    assert_eq!(command_like(Path::new("chek")).as_deref(), Some("check"));
    assert_eq!(command_like(Path::new("./chek")), None);
    assert_eq!(command_like(Path::new("news.txt")), None);
}

#[test]
fn csv_cells_never_run_as_formulas_or_carry_controls() {
    let lib = crate::story::Library::default();
    let bookmark = crate::store::bookmarks::Bookmark {
        id: crate::story::StoryId(0xab),
        headline: "=HYPERLINK(\"http://x\")".into(),
        date: Some("2026-02-03".into()),
        source: "+Source".into(),
        origin: "a.txt".into(),
        added: chrono::DateTime::parse_from_rfc3339("2026-02-04T10:00:00+00:00")
            .unwrap_or_else(|e| panic!("{e}")),
        note: "-1 \u{1b}[31mred, \"quoted\"".into(),
        extra: serde_json::Map::new(),
    };
    let out = written(|out| super::write_csv(out, &lib, &[bookmark]));
    let mut lines = out.lines();
    assert_eq!(
        lines.next(),
        Some("id,date,headline,source,note,first_paragraph,origin")
    );
    assert_eq!(
        lines.next(),
        Some(
            r#"00000000000000ab,2026-02-03,"'=HYPERLINK(""http://x"")",'+Source,"'-1 red, ""quoted""",,a.txt"#
        )
    );
}
