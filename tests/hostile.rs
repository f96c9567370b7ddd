//! Hostile content end to end: the corpus in `tests/hostile/` (escape sequences of
//! every kind, 8-bit C1 controls, bidi and zero-width characters, wide and
//! combining characters, tabs, very long words and URLs, Windows-1252 and UTF-16)
//! plus files whose *names* hold escape sequences (made at test time in a temp
//! folder), loaded by the library, every command-line command and the reader in a
//! pseudo-terminal. What reaches the terminal is checked byte by byte: the CLI
//! writes no ESC at all, the reader only its own cursor/SGR/mode/erase CSI
//! sequences (`common::foreign_sequences`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use common::{Tty, assert_terminal_restored, foreign_sequences, isolate, unsafe_chars};
use proptest::prelude::*;
use sitrep::search::{Matcher, Query};
use sitrep::store::bookmarks::{Bookmark, Change, Store};
use sitrep::story::{Library, StoryId};
use sitrep::{loader, page, text};
use tempfile::TempDir;
use unicode_width::UnicodeWidthStr;

/// Strings that only occur inside the hostile sequences' payloads (titles,
/// clipboard data, link targets, APC/PM/SOS strings): none may ever be shown.
const PAYLOADS: [&str; 8] = [
    "PWNED",
    "TITLE",
    "Y3VybC",
    "evil.example",
    "PAYLOAD",
    "1337",
    "File=evil",
    "BM-NOTE",
];

/// A small undated digest for the files with hostile names.
const NAMED: &str = "Story from a hostile file name\n\nIts body text.\n";

/// The fixtures copied into a temp folder, plus files whose names hold escape
/// sequences, C1 controls, bidi overrides and bytes that are not UTF-8. Each of
/// those either loads or gives a warning, so its name is shown somewhere.
fn corpus() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hostile");
    for entry in std::fs::read_dir(fixtures).unwrap() {
        let path = entry.unwrap().path();
        if path.extension() == Some(OsStr::new("txt")) {
            std::fs::copy(&path, dir.path().join(path.file_name().unwrap())).unwrap();
        }
    }
    let names: [(&[u8], &[u8]); 5] = [
        (b"\x1b]0;NAME-TITLE\x07osc-name.txt", NAMED.as_bytes()),
        (b"\x1b[2J\x1b[31mcsi-name.txt", b""),
        (
            "\u{202e}txt.exe-bidi-name.txt".as_bytes(),
            b"\x00\x01\x02bin",
        ),
        (
            "c1-\u{9b}2J\u{9d}0;NAME-TITLE\u{9c}-name.txt".as_bytes(),
            b"",
        ),
        (b"raw-\x9b\xff\x1b]0;NAME-TITLE\x07-name.txt", b" \n"),
    ];
    for (name, bytes) in names {
        std::fs::write(dir.path().join(OsStr::from_bytes(name)), bytes).unwrap();
    }
    dir
}

fn load(dir: &Path) -> Library {
    loader::load_paths(&[dir.to_path_buf()], &|_, _| {})
}

/// Writes two bookmarks with hostile fields: one for a loaded story, one for a
/// story that is not loaded (shown from the bookmark alone).
fn hostile_bookmarks(config: &Path, lib: &Library) {
    let mut store = Store::open(config).store;
    let s = &lib.stories[0];
    let mut b = Bookmark::new(
        s.id,
        lib.headline(s),
        s.date.iso(),
        lib.source(s),
        lib.origin(s),
    );
    b.note = "call \x1b]52;c;Y3VybCBldmls\x07back \u{202e}later\x1b[2J".into();
    store.apply(&Change::Add(b)).unwrap();
    let mut m = Bookmark::new(
        StoryId(0xdead_beef),
        "Missing \x1b]0;BM-TITLE\x07story\x1b[31m here",
        Some("2026-01-0\x1b[2J1".into()),
        "src\u{9b}2J\x1b_PAYLOAD\x1b\\",
        "/gone/\x1b]8;;http://evil.example\x07x.txt",
    );
    m.note = "\x1bP BM-NOTE \x1b\\note\u{9d}0;TITLE\u{9c}\u{200b}".into();
    store.apply(&Change::Add(m)).unwrap();
}

fn assert_no_payload(what: &str, shown: &str) {
    for p in PAYLOADS {
        assert!(!shown.contains(p), "{what}: payload {p:?} shown:\n{shown}");
    }
}

#[test]
fn library_text_and_file_names_are_clean() {
    let dir = corpus();
    let lib = load(dir.path());
    assert_eq!(lib.files, 14);
    let mut shown: Vec<String> = lib.warnings.iter().map(ToString::to_string).collect();
    for s in &lib.stories {
        shown.extend([lib.headline(s), lib.source(s), lib.origin(s)].map(str::to_string));
        shown.extend(lib.byline(s).map(str::to_string));
        shown.extend(lib.paragraphs(s).map(str::to_string));
    }
    for t in &shown {
        assert_eq!(unsafe_chars(t.as_bytes()), Vec::<String>::new(), "{t:?}");
        assert_no_payload("library", t);
    }
    // Every hostile name is shown, neutralised: as an origin or in a warning.
    let files: Vec<&str> = lib.warnings.iter().map(|w| w.file.as_str()).collect();
    let origins: Vec<&str> = lib.stories.iter().map(|s| lib.origin(s)).collect();
    for name in ["/osc-name.txt", "/csi-name.txt", "/txt.exe-bidi-name.txt"] {
        assert!(
            files.iter().chain(&origins).any(|f| f.ends_with(name)),
            "{name}: {files:?}"
        );
    }
    assert!(
        files.iter().any(|f| f.ends_with("/c1--name.txt")),
        "{files:?}"
    );
    assert!(
        files
            .iter()
            .any(|f| f.ends_with("/raw-\u{fffd}\u{fffd}-name.txt")),
        "{files:?}"
    );
}

/// Runs sitrep with `args`; returns (stdout, stderr) after checking that neither
/// holds a control or invisible character or a payload.
fn run_clean(config: &Path, args: &[&OsStr]) -> (String, String) {
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("sitrep"));
    isolate(&mut cmd, config);
    let out = cmd.args(args).output().unwrap();
    let what = format!("sitrep {args:?}");
    assert!(out.status.code().is_some_and(|c| c <= 2), "{what}: {out:?}");
    for (stream, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
        assert_eq!(
            unsafe_chars(bytes),
            Vec::<String>::new(),
            "{what} {stream}: {:?}",
            String::from_utf8_lossy(bytes)
        );
        // `bookmarks --json` prints the file as stored: payloads appear there
        // only as JSON escapes (`\u001b`), which no terminal acts on.
        if args != [OsStr::new("bookmarks"), OsStr::new("--json")] {
            assert_no_payload(&what, &String::from_utf8_lossy(bytes));
        }
    }
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn every_command_prints_no_control_characters() {
    let dir = corpus();
    let config = tempfile::tempdir().unwrap();
    let lib = load(dir.path());
    hostile_bookmarks(config.path(), &lib);
    let d = dir.path().as_os_str();
    let os = |s: &'static str| OsStr::new(s);
    let mut runs: Vec<Vec<&OsStr>> = vec![
        vec![os("list"), d],
        vec![os("list"), os("--json"), d],
        vec![os("check"), d],
        vec![os("filter"), os("care"), d],
        vec![os("filter"), os("'budget !nothing"), os("--json"), d],
        vec![os("filter"), os("\u{1b}]0;TITLE\u{7}hospices"), d],
        vec![os("filter"), os("zzzzqqq"), d],
        vec![os("bookmarks")],
        vec![os("bookmarks"), os("--json")],
        vec![os("bookmarks"), os("export"), d],
        vec![os("bookmarks"), os("export"), os("--markdown"), d],
        vec![
            os("bookmarks"),
            os("remove"),
            os("\u{1b}[2J\u{1b}]0;TITLE\u{7}"),
        ],
        vec![os("show"), os("\u{1b}]0;TITLE\u{7}beef"), d],
        vec![
            os("list"),
            OsStr::from_bytes(b"/nonexistent/\x1b]0;TITLE\x07\x9b.txt"),
        ],
    ];
    let ids: Vec<String> = lib.stories.iter().map(|s| s.id.to_string()).collect();
    for id in &ids {
        runs.push(vec![os("show"), OsStr::new(id), d]);
        runs.push(vec![os("show"), OsStr::new(id), os("--width"), os("20"), d]);
    }
    for args in &runs {
        run_clean(config.path(), args);
    }
    // What was shown is the neutralised text, not nothing.
    let (out, _) = run_clean(config.path(), &[os("check"), d]);
    assert!(out.contains("/csi-name.txt: empty file"), "{out}");
    assert!(
        out.contains("/txt.exe-bidi-name.txt: not a text file"),
        "{out}"
    );
    let (out, _) = run_clean(config.path(), &[os("bookmarks")]);
    assert!(out.contains("Missing story here"), "{out}");
    let (out, _) = run_clean(config.path(), &[os("bookmarks"), os("export"), d]);
    assert!(out.contains("call back later"), "{out}");
}

#[test]
fn wrapped_pages_fit_every_width() {
    let dir = corpus();
    let lib = load(dir.path());
    for s in &lib.stories {
        for width in 1..=100 {
            for line in page::lines(&lib, Some(s), None, width, "·") {
                assert!(
                    line.text.width() <= width.max(2),
                    "{} at {width}: {:?}",
                    lib.headline(s),
                    line.text
                );
                assert_eq!(unsafe_chars(line.text.as_bytes()), Vec::<String>::new());
                assert!(!line.text.contains('\t'), "{:?}", line.text);
            }
        }
    }
}

/// Columns where row 0 has a box corner: the pane borders.
fn border_columns(t: &Tty, cols: u16) -> Vec<u16> {
    (0..cols)
        .filter(|&c| matches!(t.cell(0, c).as_str(), "┌" | "┐"))
        .collect()
}

/// Every border column holds a box character on every row above the status line:
/// no text (wide, combining, tab, long word) spilled over a pane's edge.
fn assert_boxes_intact(t: &Tty, cols: u16, rows: u16) {
    let borders = border_columns(t, cols);
    assert_eq!(borders.len(), 4, "{}", t.screen());
    for row in 0..rows - 1 {
        for &c in &borders {
            let cell = t.cell(row, c);
            assert!(
                matches!(cell.as_str(), "│" | "┌" | "┐" | "└" | "┘"),
                "row {row} col {c} holds {cell:?}:\n{}",
                t.screen()
            );
        }
    }
}

/// The Story pane's first text row, read cell by cell.
fn story_first_row(t: &Tty, cols: u16) -> String {
    let left = border_columns(t, cols)[2];
    (left + 2..cols - 1)
        .map(|c| t.cell(1, c))
        .collect::<String>()
}

#[test]
fn reader_sends_only_its_own_escape_sequences() {
    let (cols, rows) = (120, 40);
    let dir = corpus();
    let config = tempfile::tempdir().unwrap();
    let lib = load(dir.path());
    hostile_bookmarks(config.path(), &lib);
    let n = lib.stories.len();
    let mut t = Tty::start(config.path(), cols, rows, &[dir.path()], &[]);
    t.wait_for("everything loaded", |s| {
        s.contains(&format!("{n} of {n} stories"))
    });
    // Every story in the Story pane, in list order: Enter, then `n` for the next.
    t.send("\r");
    for (k, s) in lib.stories.iter().enumerate() {
        if k > 0 {
            t.send("n");
        }
        let start: String = lib.headline(s).chars().take(6).collect();
        let start = start.trim_end();
        let shown = || story_first_row(&t, cols);
        let deadline = std::time::Instant::now() + common::TIMEOUT;
        while !shown().starts_with(start) {
            assert!(
                std::time::Instant::now() < deadline,
                "story {k} ({start:?}) not shown:\n{}",
                t.screen()
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        assert_boxes_intact(&t, cols, rows);
    }
    // The warnings overlay lists the hostile file names, neutralised.
    t.send("w");
    t.wait_for("the warnings", |s| s.contains("csi-name.txt: empty file"));
    t.send("\x1b");
    t.wait_for("the overlay to close", |s| !s.contains("Load warnings"));
    // The Bookmarks view: the hostile bookmarks, one of them not loaded.
    t.send("h");
    t.send("h");
    t.send("g");
    t.wait_for("the Bookmarks view", |s| s.contains("Missing story here"));
    t.send("l");
    t.send("\r");
    t.wait_for("the missing bookmark's page", |s| {
        s.contains("This story is not in the loaded files")
    });
    t.send("/");
    t.send("care");
    t.wait_for("the filter", |s| s.contains("/care"));
    t.send("\x1b");
    // Alone, or ESC and `q` would read as Alt-q.
    t.wait_for("the filter to clear", |s| !s.contains("/care"));
    t.send("q");
    let (code, restored) = t.finish();
    assert_eq!(code, 0);
    assert!(restored);
    let bytes = t.bytes();
    assert_terminal_restored(&bytes);
    assert_eq!(foreign_sequences(&bytes), Vec::<String>::new());
    assert_no_payload("the reader", &String::from_utf8_lossy(&bytes));
}

// ---------------------------------------------------------------------------
// Bugs found (fail today; run with `cargo test --test hostile -- --ignored`).

#[test]
fn show_expands_tabs() {
    let config = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let doc = "1 March 2026\n\nTabbed headline here\n\nA\tb\tc\td\te\tf\tg\th.\n";
    std::fs::write(dir.path().join("tabs.txt"), doc).unwrap();
    let lib = load(dir.path());
    let id = lib.stories[0].id.to_string();
    let d = dir.path().as_os_str();
    let args = [
        OsStr::new("show"),
        OsStr::new(&id),
        OsStr::new("--width"),
        OsStr::new("20"),
        d,
    ];
    let (out, _) = run_clean(config.path(), &args);
    assert!(!out.contains('\t'), "{out:?}");
}

// ---------------------------------------------------------------------------
// Properties: the two fuzzed entry points, in the parts the other suites leave
// out (UTF-16 input; ranking the real bundled library).

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 128,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// UTF-16 documents (either byte order, odd lengths included) decode, clean
    /// and parse without panicking or leaking a control character.
    #[test]
    fn utf16_documents_never_leak_controls(
        s in "[\\PC\u{0}-\u{1f}\u{7f}-\u{9f}\u{202e}\u{2066}]{0,200}",
        big_endian in any::<bool>(),
        cut in any::<bool>(),
    ) {
        let mut bytes: Vec<u8> = if big_endian { vec![0xfe, 0xff] } else { vec![0xff, 0xfe] };
        for unit in s.encode_utf16() {
            let b = if big_endian { unit.to_be_bytes() } else { unit.to_le_bytes() };
            bytes.extend(b);
        }
        if cut {
            bytes.pop();
        }
        if let Ok((decoded, _)) = loader::decode(&bytes) {
            let cleaned = text::clean(&decoded);
            let parsed = loader::parse::parse(&cleaned);
            for st in &parsed.stories {
                for span in std::iter::once(st.headline).chain(st.byline).chain(st.paras.clone()) {
                    let t = parsed.text.get(span.range());
                    prop_assert!(t.is_some());
                    prop_assert!(unsafe_chars(t.unwrap_or("").as_bytes()).is_empty());
                }
            }
        }
    }

    /// Any query ranks the bundled library: hits in range, each once, best first,
    /// highlights inside the headline.
    #[test]
    fn any_query_ranks_the_bundled_library(query in "\\PC{0,24}|[ '!a-zA-Z\u{1b}\u{300}]{0,24}") {
        let lib = bundled();
        let q = Query::parse(&query);
        let m = Matcher::new();
        let all = u32::try_from(lib.stories.len()).unwrap_or(u32::MAX);
        let hits = m.rank(lib, &q, 0..all);
        let mut seen = std::collections::HashSet::new();
        for h in &hits {
            prop_assert!((h.story as usize) < lib.stories.len());
            prop_assert!(seen.insert(h.story));
            let headline = lib.headline(&lib.stories[h.story as usize]);
            let n = headline.chars().count();
            prop_assert!(m.highlight(headline, &q).iter().all(|&i| i < n));
        }
        prop_assert!(hits.windows(2).all(|w| w[0].score >= w[1].score));
        if q.is_empty() {
            prop_assert_eq!(hits.len(), lib.stories.len());
        }
    }
}

fn bundled() -> &'static Library {
    static LIB: std::sync::OnceLock<Library> = std::sync::OnceLock::new();
    LIB.get_or_init(loader::load_bundled)
}

/// The stream checker itself: sitrep's own sequences pass, anything a file could
/// smuggle in is flagged.
#[test]
fn checker_flags_foreign_sequences() {
    let own =
        b"\x1b[?1049h\x1b[?25l\x1b[2J\x1b[1;1H\x1b[38;5;12m\x1b[0m\x1b[K\x1b[?1000;1006h\r\n\x08ok";
    assert_eq!(foreign_sequences(own), Vec::<String>::new());
    for bad in [
        &b"\x1b]0;title\x07"[..],
        b"\x1b]52;c;eA==\x1b\\",
        b"\x1bPq\x1b\\",
        b"\x1b_apc\x1b\\",
        b"\x1b^pm\x1b\\",
        b"\x1bXsos\x1b\\",
        b"\x1b7",
        b"\x1bc",
        b"\x1b[6n",
        b"\x1b[4h",
        b"\x1b[?9h",
        b"\x1b[2 q",
        "\u{9b}2J".as_bytes(),
        "\u{202e}".as_bytes(),
        b"\x07",
    ] {
        assert!(!foreign_sequences(bad).is_empty(), "{bad:?}");
    }
}
