//! Files the loader must survive: empty, binary, wrongly encoded, hostile, huge,
//! and the odd things a folder can hold (hidden files, symlink loops, FIFOs). One bad
//! file is reported and the others still load; nothing it holds reaches the output
//! as a control character.
// Tests fail loudly on purpose.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use sitrep::loader::{self, parse};
use sitrep::story::{Library, Warning};
use sitrep::text;

/// A small digest used where the content does not matter.
const GOOD: &str = "Article\n\nHealth and care sector latest developments\n\nA round-up.\n\n\
    4 March 2026\n\nTrusts told to cut agency spending\n\nNHS England has told trusts to cut \
    agency staff spending by a further 30 per cent.\n\nThe letter was sent on Tuesday.\n\n\
    Hospices get capital funding\n\nHospices will share \u{a3}25 million for repairs.\n";

/// Writes `files` (name, bytes) into a new temporary folder.
fn folder(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    dir
}

fn load(paths: &[&Path]) -> Library {
    let paths: Vec<PathBuf> = paths.iter().map(|p| p.to_path_buf()).collect();
    loader::load_paths(&paths, &|_, _| {})
}

/// Loads one file holding `bytes`.
fn load_one(bytes: &[u8]) -> Library {
    let dir = folder(&[("doc.txt", bytes)]);
    load(&[dir.path()])
}

/// (headline, byline, paragraphs) of every story.
fn stories(lib: &Library) -> Vec<(String, Option<String>, Vec<String>)> {
    lib.stories
        .iter()
        .map(|s| {
            (
                lib.headline(s).to_string(),
                lib.byline(s).map(str::to_string),
                lib.paragraphs(s).map(str::to_string).collect(),
            )
        })
        .collect()
}

fn ids(lib: &Library) -> Vec<String> {
    lib.stories.iter().map(|s| s.id.to_string()).collect()
}

fn reasons(lib: &Library) -> Vec<&str> {
    lib.warnings.iter().map(|w| w.reason.as_str()).collect()
}

/// True when `s` holds a control character other than newline and tab.
fn has_control(s: &str) -> bool {
    s.chars().any(|c| c.is_control() && c != '\n' && c != '\t')
}

/// Every piece of text the library would show.
fn all_text(lib: &Library) -> Vec<String> {
    let mut out: Vec<String> = lib.warnings.iter().map(Warning::to_string).collect();
    for s in &lib.stories {
        out.push(lib.headline(s).into());
        out.push(lib.source(s).into());
        out.push(lib.origin(s).into());
        out.extend(lib.byline(s).map(str::to_string));
        out.extend(lib.paragraphs(s).map(str::to_string));
    }
    out
}

fn sitrep(config: &Path) -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::new(env!("CARGO_BIN_EXE_sitrep"));
    cmd.env("SITREP_CONFIG_DIR", config);
    cmd
}

#[test]
fn empty_and_whitespace_files_warn_without_stories() {
    for bytes in [&b""[..], b"   \n\n\t\n \xc2\xa0 \n"] {
        let lib = load_one(bytes);
        assert!(lib.stories.is_empty());
        assert_eq!(reasons(&lib), ["empty file: no text"]);
        assert_eq!(lib.fatal_count(), 0);
    }
}

#[test]
fn binary_file_is_skipped_as_not_text() {
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    bytes.extend(std::iter::repeat_n(0u8, 64));
    bytes.extend(0u8..=255);
    let lib = load_one(&bytes);
    assert!(lib.stories.is_empty());
    assert_eq!(lib.fatal_count(), 1);
    assert!(lib.warnings[0].reason.contains("binary"));
    assert!(lib.warnings[0].file.ends_with("doc.txt"));
}

#[test]
fn invalid_utf8_is_replaced_with_a_warning() {
    let bytes = "Café closures hit rural patients\n\nThe café in the ward closed \u{2013} "
        .bytes()
        .chain(*b"\xff\xfe broken.\n")
        .collect::<Vec<u8>>();
    let lib = load_one(&bytes);
    let (headline, _, paras) = &stories(&lib)[0];
    assert_eq!(headline, "Café closures hit rural patients");
    assert!(paras[0].contains('\u{fffd}') && paras[0].contains("café in the ward"));
    assert_eq!(lib.warnings.len(), 2, "{:?}", lib.warnings); // replaced + undated
    assert!(reasons(&lib).iter().any(|r| r.contains("invalid UTF-8")));
    assert_eq!(lib.fatal_count(), 0);
}

#[test]
fn windows_1252_decodes_quotes_and_pound_with_a_warning() {
    let bytes = b"4 March 2026\n\nMinister promises \x93real change\x94 for carers\n\n\
        The \xa3500 payment will reach carers in April \x96 a month early.\n";
    let lib = load_one(bytes);
    assert_eq!(
        stories(&lib),
        [(
            "Minister promises “real change” for carers".to_string(),
            None,
            vec!["The £500 payment will reach carers in April – a month early.".to_string()]
        )]
    );
    assert_eq!(reasons(&lib), ["not UTF-8, decoded as Windows-1252"]);
    assert!(!lib.warnings[0].fatal);
}

#[test]
fn bom_and_crlf_parse_exactly_like_lf() {
    let lf = GOOD.as_bytes().to_vec();
    let mut crlf = b"\xef\xbb\xbf".to_vec();
    crlf.extend(GOOD.replace('\n', "\r\n").bytes());
    let cr = GOOD.replace('\n', "\r").into_bytes();
    let dir = folder(&[("lf.txt", &lf), ("crlf.txt", &crlf), ("cr.txt", &cr)]);
    let one = |name: &str| load(&[&dir.path().join(name)]);
    let (lf, crlf, cr) = (one("lf.txt"), one("crlf.txt"), one("cr.txt"));
    assert_eq!(lf.stories.len(), 2);
    assert!(lf.warnings.is_empty() && crlf.warnings.is_empty() && cr.warnings.is_empty());
    for other in [&crlf, &cr] {
        assert_eq!(ids(other), ids(&lf));
        assert_eq!(stories(other), stories(&lf));
        assert_eq!(other.docs[0].text, lf.docs[0].text);
        assert_eq!(other.docs[0].source, lf.docs[0].source);
    }
}

#[test]
fn escape_sequences_never_survive() {
    // A digest as the samples are, with escapes in every part of it.
    let hostile = "Article\n\nHealth and care \x1b]0;pwned\x07sector update\n\n\
        The latest stand\u{9d}0;t\u{9c}first for the sector.\n\n\
        3 March 2026\n\n\x1b[31mRed\x1b[0m headline about the pay talks \u{9b}2J\x1b[?1049h\n\n\
        Body with OSC 52 \x1b]52;c;ZXZpbA==\x1b\\and DCS \x1bPq#0;2;0\x1b\\and a BEL \x07here.\n\n\
        \u{202e}Reversed\u{202c} \x1b]8;;http://x.example\x1b\\link\x1b]8;;\x1b\\ text \x1b7ok\x1b8.\n";
    let lib = load_one(hostile.as_bytes());
    for t in all_text(&lib) {
        assert!(!has_control(&t), "{t:?}");
        for payload in [
            "pwned",
            "52;c",
            "ZXZpbA",
            "#0;2",
            "1049",
            "x.example",
            "\u{202e}",
        ] {
            assert!(!t.contains(payload), "{payload:?} survived in {t:?}");
        }
    }
    assert_eq!(
        stories(&lib),
        [(
            "Red headline about the pay talks".to_string(),
            None,
            vec![
                "Body with OSC 52 and DCS and a BEL here.".to_string(),
                "Reversed link text ok.".to_string()
            ]
        )]
    );
    assert_eq!(lib.source(&lib.stories[0]), "Health and care sector update");
}

#[test]
fn impossible_date_is_reported_with_its_line() {
    let doc = "Article\n\nHealth and care sector latest developments\n\nStandfirst.\n\n\
        31 February 2026\n\nA headline under a bad date\n\nIts body.\n";
    let lib = load_one(doc.as_bytes());
    assert_eq!(lib.stories.len(), 1);
    assert_eq!(lib.stories[0].date.iso(), None);
    let w = &lib.warnings[0];
    assert_eq!(w.line, Some(7));
    assert!(w.reason.contains("impossible date") && w.reason.contains("31 February 2026"));
    assert!(w.to_string().contains("doc.txt:7: impossible date"));
    // In an article's date line too.
    let lib = load_one(b" date 2026-02-30 Headline of an article\n\nBody.\n");
    assert_eq!(lib.stories.len(), 1);
    assert_eq!(lib.warnings[0].line, Some(1));
    assert!(lib.warnings[0].reason.contains("2026-02-30"));
}

#[test]
fn five_megabyte_single_line_loads() {
    let sentence = "Bed occupancy rose again in the north west this week. ";
    let line = sentence.repeat(5 * 1024 * 1024 / sentence.len() + 1);
    let no_stops = "words without any sentence end ".repeat(5 * 1024 * 1024 / 31 + 1);
    let dir = folder(&[
        ("big.txt", line.as_bytes()),
        ("flat.txt", no_stops.as_bytes()),
    ]);
    let lib = load(&[dir.path()]);
    assert_eq!(lib.fatal_count(), 0, "{:?}", lib.warnings);
    let mut headlines: Vec<&str> = lib.stories.iter().map(|s| lib.headline(s)).collect();
    headlines.sort_unstable();
    assert_eq!(
        headlines[0],
        "Bed occupancy rose again in the north west this week"
    );
    // A "sentence" that never ends is cut to a headline's length at a word.
    assert!(headlines[1].starts_with("words without") && headlines[1].chars().count() <= 200);
    assert!(headlines[1].ends_with("end") || headlines[1].ends_with("without"));
}

#[test]
fn cjk_emoji_and_combining_characters_are_kept_intact() {
    let headline = "東京の病院 🏥 👩\u{200d}⚕\u{fe0f} team e\u{301}lite 🏴\u{e0067}\u{e0062}\u{e0065}\u{e006e}\u{e0067}\u{e007f}";
    // A ZWJ after a virama (a half form) and a ZWNJ between Persian letters stay.
    let body = "Ärzte, 医師, أطباء, डॉक्टर and क्\u{200d}ष, پزشک\u{200c}ها work here.";
    let lib = load_one(format!(" date 2026-03-01 {headline}\n\n{body}\n").as_bytes());
    assert!(lib.warnings.is_empty(), "{:?}", lib.warnings);
    assert_eq!(
        stories(&lib),
        [(headline.to_string(), None, vec![body.to_string()])]
    );
}

#[test]
fn hidden_files_and_folders_and_other_extensions_are_skipped_silently() {
    let dir = folder(&[
        ("good.txt", GOOD.as_bytes()),
        (".hidden.txt", b"Hidden story\n\nShould not load."),
        (".git/notes.txt", b"Git story\n\nShould not load."),
        ("sub/.cache/x.txt", b"Cache story\n\nShould not load."),
        ("notes.md", b"Markdown story\n\nShould not load."),
        ("scan.pdf", b"%PDF-1.7 not a text file"),
        ("sub/UPPER.TXT", b"Upper case extension\n\nDoes load."),
    ]);
    let lib = load(&[dir.path()]);
    assert_eq!(lib.files, 2);
    let mut headlines: Vec<&str> = lib.stories.iter().map(|s| lib.headline(s)).collect();
    headlines.sort_unstable();
    assert_eq!(
        headlines,
        [
            "Hospices get capital funding",
            "Trusts told to cut agency spending",
            "Upper case extension"
        ]
    );
    // Only the undated note warns; nothing about the skipped files.
    assert_eq!(reasons(&lib), ["no date found: its story is undated"]);
    // A file named directly loads whatever its name.
    let lib = load(&[&dir.path().join("notes.md")]);
    assert_eq!(lib.headline(&lib.stories[0]), "Markdown story");
}

#[test]
fn symlink_loops_are_skipped_with_a_warning() {
    let dir = folder(&[
        ("good.txt", GOOD.as_bytes()),
        ("sub/more.txt", GOOD.as_bytes()),
    ]);
    std::os::unix::fs::symlink(dir.path(), dir.path().join("sub/back")).unwrap();
    std::os::unix::fs::symlink("self.txt", dir.path().join("self.txt")).unwrap();
    let lib = load(&[dir.path()]);
    // The two copies of the same digest both load (they are different files).
    assert_eq!(lib.stories.len(), 4);
    let loop_warning = lib
        .warnings
        .iter()
        .find(|w| w.reason.contains("symlink loop"))
        .unwrap();
    assert!(loop_warning.file.contains("back"));
    assert!(lib.warnings.iter().any(|w| w.file.ends_with("self.txt")));
    assert_eq!(lib.warnings.len(), 2, "{:?}", lib.warnings);
}

#[test]
fn fifo_is_skipped_with_a_warning_and_never_opened() {
    let dir = folder(&[("good.txt", GOOD.as_bytes())]);
    let fifo = dir.path().join("pipe.txt");
    let status = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(status.success());
    // Opening the FIFO for reading would block this test for ever: it finishing
    // shows the loader never opened it.
    for lib in [load(&[dir.path()]), load(&[&fifo, dir.path()])] {
        assert_eq!(lib.stories.len(), 2);
        let w = lib.warnings.iter().find(|w| w.file.ends_with("pipe.txt"));
        assert!(w.unwrap().reason.contains("not a regular file"));
    }
}

#[test]
fn one_bad_file_does_not_stop_the_others() {
    let dir = folder(&[
        ("a-binary.txt", b"\x00\x01\x02\x03binary\x00"),
        ("b-good.txt", GOOD.as_bytes()),
        ("c-empty.txt", b""),
        ("d-1252.txt", b"\x93Quoted\x94 headline\n\nBody text.\n"),
    ]);
    let lib = load(&[dir.path()]);
    assert_eq!(lib.files, 4);
    assert_eq!(lib.stories.len(), 3);
    assert_eq!(lib.fatal_count(), 1);
    let files: Vec<&str> = lib.warnings.iter().map(|w| w.file.as_str()).collect();
    assert!(files.iter().any(|f| f.ends_with("a-binary.txt")));
    assert!(files.iter().any(|f| f.ends_with("c-empty.txt")));
}

#[test]
fn check_through_the_binary_reports_bad_files_and_fails_on_unreadable_ones() {
    let config = tempfile::tempdir().unwrap();
    let dir = folder(&[
        ("good.txt", GOOD.as_bytes()),
        (
            "win.txt",
            b"4 March 2026\n\nA \x93quoted\x94 headline\n\nBody.\n",
        ),
    ]);
    let out = sitrep(config.path())
        .arg("check")
        .arg(dir.path())
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    let win = dir.path().join("win.txt");
    assert_eq!(
        out,
        format!(
            "{}: not UTF-8, decoded as Windows-1252\n2 files, 3 stories, 1 warning\n",
            win.display()
        )
    );
    std::fs::write(dir.path().join("zz.txt"), b"\x00\x00\x00").unwrap();
    sitrep(config.path())
        .arg("check")
        .arg(dir.path())
        .assert()
        .code(1)
        .stdout(predicates::str::contains("zz.txt: not a text file"));
}

// ---------------------------------------------------------------------------
// Properties

/// Decodes, cleans and parses bytes the way the loader does.
fn decode_and_parse(bytes: &[u8]) -> Option<parse::Parsed> {
    let (decoded, _) = loader::decode(bytes).ok()?;
    Some(parse::parse(&text::clean(&decoded)))
}

/// Every string a parse would show.
fn parsed_text(p: &parse::Parsed) -> Vec<&str> {
    let mut out = vec![p.text.as_str()];
    out.extend(p.source.as_deref());
    out.extend(p.warnings.iter().map(|w| w.1.as_str()));
    for s in &p.stories {
        let spans = std::iter::once(s.headline)
            .chain(s.byline)
            .chain(s.paras.clone());
        // Every span lies on character boundaries.
        out.extend(spans.map(|span| p.text.get(span.range()).unwrap()));
    }
    out
}

/// A line of a plausible document: dates, headlines, sentences, bylines, bullets,
/// article date lines, blank and space-only lines, escapes and odd characters.
fn doc_line() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just(" \u{a0} ".to_string()),
        Just("Article".to_string()),
        Just("3 March 2026".to_string()),
        Just("Tuesday 31 February 2026".to_string()),
        Just("The Month – March 2026".to_string()),
        Just(" date 2026-03-02 A headline of an article".to_string()),
        Just("By Sam Patel".to_string()),
        Just("Jane Doe, Chief Nurse, NHS England".to_string()),
        Just("• a bullet point".to_string()),
        Just("He said:".to_string()),
        Just("Your feedback matters. Email a@b.example".to_string()),
        Just("Your support helps us to tell the story Read more".to_string()),
        "[A-Z][a-z]{1,8}( [a-z]{1,8}){0,8}[.?:”]?",
        // No CR: inside a line it would be a line end of its own.
        "[\\PC\u{1b}\u{7}\u{9b}\t]{0,40}",
    ]
}

fn summary(p: &parse::Parsed) -> Vec<(Option<String>, String, usize, bool)> {
    p.stories
        .iter()
        .map(|s| {
            (
                s.date.iso(),
                p.text[s.headline.range()].to_string(),
                s.paras.len(),
                s.derived_headline,
            )
        })
        .collect()
}

proptest! {
    // Bounded, and no regression files written into the source tree.
    #![proptest_config(ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn arbitrary_bytes_never_panic_or_leak_controls(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        if let Some(p) = decode_and_parse(&bytes) {
            for t in parsed_text(&p) {
                prop_assert!(!has_control(t), "{:?}", t);
            }
        }
    }

    #[test]
    fn arbitrary_text_never_panics_or_leaks_controls(s in "[\\PC\u{0}-\u{1f}\u{7f}-\u{9f}\u{202e}]{0,300}") {
        let p = decode_and_parse(s.as_bytes());
        for t in p.iter().flat_map(parsed_text) {
            prop_assert!(!has_control(t), "{:?}", t);
        }
    }

    #[test]
    fn crlf_and_bom_parse_like_lf(lines in proptest::collection::vec(doc_line(), 0..40)) {
        let lf = lines.join("\n");
        let crlf = format!("\u{feff}{}", lines.join("\r\n"));
        let a = decode_and_parse(lf.as_bytes());
        let b = decode_and_parse(crlf.as_bytes());
        prop_assert_eq!(a.as_ref().map(summary), b.as_ref().map(summary));
        prop_assert_eq!(a.map(|p| p.text), b.map(|p| p.text));
    }
}
