//! The binary's non-interactive commands: `--help`, `--version`, `list`, `show`,
//! `check`, `filter`, their exit codes and output formats, and that nothing a file
//! holds (or is called) reaches stdout or stderr as a control character.
// Tests fail loudly on purpose.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::process::Output;

use predicates::prelude::*;
use serde_json::Value;

/// `sitrep` with its config directory set to `config` (a temporary folder), so no
/// test reads or writes the real `~/.config`.
fn sitrep_in(config: &Path) -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::new(env!("CARGO_BIN_EXE_sitrep"));
    cmd.env("SITREP_CONFIG_DIR", config);
    cmd
}

/// Runs `sitrep ARGS` and returns its output, whatever the exit code.
fn run<I, S>(args: I) -> Output
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let config = tempfile::tempdir().unwrap();
    let out = sitrep_in(config.path()).args(args).output().unwrap();
    assert_no_controls(&out);
    out
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).unwrap()
}

/// No ESC, BEL or any other control character but newline and tab, in either
/// stream, as bytes (C0, DEL) or as decoded characters (C1).
fn assert_no_controls(out: &Output) {
    for (name, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
        let bad = bytes
            .iter()
            .position(|&b| (b < 0x20 && b != b'\n' && b != b'\t') || b == 0x7f);
        assert_eq!(bad, None, "control byte in {name}");
        let text = String::from_utf8_lossy(bytes);
        let c1 = text
            .chars()
            .find(|c| c.is_control() && !matches!(c, '\n' | '\t'));
        assert_eq!(c1, None, "control character in {name}");
    }
}

/// Asserts a failure: exit `code`, no stdout, one line of stderr without panic text.
fn assert_one_line_error(out: &Output, code: i32) -> String {
    assert_eq!(out.status.code(), Some(code), "{}", stderr(out));
    assert!(out.stdout.is_empty(), "{}", stdout(out));
    let err = stderr(out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("sitrep: "), "{err}");
    for panic in ["panicked", "RUST_BACKTRACE", "thread '"] {
        assert!(!err.contains(panic), "{err}");
    }
    err
}

fn json(out: &Output) -> Vec<Value> {
    serde_json::from_slice::<Value>(&out.stdout)
        .unwrap()
        .as_array()
        .cloned()
        .unwrap()
}

/// The headline column of a `list`/`filter` table (rows after the header).
fn table_ids(out: &Output) -> Vec<String> {
    let text = stdout(out);
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    assert!(header.starts_with("ID  ") && header.contains("DATE") && header.contains("HEADLINE"));
    lines.map(|l| l[..16].to_string()).collect()
}

fn headlines(stories: &[Value]) -> Vec<&str> {
    stories
        .iter()
        .map(|s| s["headline"].as_str().unwrap())
        .collect()
}

const FLU: &str =
    "NHS monthly statistics publishes and NHS England warns about rising flu hospitalisations";

// ---------------------------------------------------------------------------

#[test]
fn help_and_version() {
    let out = run(["--help"]);
    assert!(out.status.success());
    let help = stdout(&out);
    for word in ["Usage: sitrep", "list", "show", "filter", "check"] {
        assert!(help.contains(word), "{word} missing from --help");
    }
    let out = run(["--version"]);
    assert!(out.status.success());
    assert_eq!(
        stdout(&out),
        format!("sitrep {}\n", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn list_prints_a_table_of_all_stories_newest_first() {
    let out = run(["list"]);
    assert!(out.status.success());
    assert!(out.stderr.is_empty(), "{}", stderr(&out));
    let ids = table_ids(&out);
    assert_eq!(ids.len(), 23);
    assert_eq!(ids[0], "6a4c54f35c3485d6");
    assert_eq!(ids[22], "93ce249d56bf164a");
    let text = stdout(&out);
    let row = text
        .lines()
        .find(|l| l.starts_with("45bf5b75724f34ae"))
        .unwrap();
    assert!(row.contains("2026-02-03  BMA to appeal court decision on PAs"));
    assert!(row.ends_with("Health and care sector latest developments"));
    // Piped, long headlines are whole; months print as YYYY-MM.
    assert!(text.contains("says doctors’ leader  "));
    assert!(!text.contains('…'));
    assert!(text.contains("ea9c3ecbe0a99cd1  2025-12     End of year message"));
}

#[test]
fn show_by_full_id_and_by_unique_prefix() {
    let full = run(["show", "45bf5b75724f34ae"]);
    assert!(full.status.success());
    let text = stdout(&full);
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("BMA to appeal court decision on PAs"));
    assert_eq!(
        lines.next(),
        Some("Tue 3 Feb 2026 · Health and care sector latest developments")
    );
    assert_eq!(
        lines.next(),
        Some("45bf5b75724f34ae · bundled:001_d4199d58d9585a3b.txt")
    );
    assert!(text.contains("\nThe British Medical Association (BMA) will appeal"));
    assert!(text.lines().all(|l| l.chars().count() <= 80));
    let prefix = run(["show", "45bf"]);
    assert_eq!(prefix.stdout, full.stdout);
    // Upper case works too.
    assert_eq!(run(["show", "45BF5B"]).stdout, full.stdout);
    // Byline shown for a bulletin section.
    let out = run(["show", "ea9c3ecbe0a99cd1"]);
    assert!(stdout(&out).contains("December 2025 · The Month · Jim Mackey, Chief Executive"));
}

#[test]
fn show_unknown_or_bad_id_fails_with_one_line() {
    let err = assert_one_line_error(&run(["show", "ffffffffffffffff"]), 1);
    assert!(err.contains("no story with id ffffffffffffffff"), "{err}");
    let err = assert_one_line_error(&run(["show", "not-hex\x1b[2J"]), 1);
    assert!(err.contains("not a story id"), "{err}");
    // Ambiguous prefix: several ids start with "d".
    let err = assert_one_line_error(&run(["show", "d"]), 1);
    assert!(err.contains("more than one"), "{err}");
}

#[test]
fn check_on_the_seeds_is_clean() {
    for args in [
        vec!["check"],
        vec!["check", concat!(env!("CARGO_MANIFEST_DIR"), "/assets")],
    ] {
        let out = run(&args);
        assert!(out.status.success());
        assert_eq!(stdout(&out), "5 files, 23 stories, 0 warnings\n");
    }
}

#[test]
fn check_lists_file_reasons_then_totals_and_fails_on_unreadable_files() {
    let dir = tempfile::tempdir().unwrap();
    let p = |name: &str| dir.path().join(name);
    std::fs::write(p("a-undated.txt"), "A note\n\nWith a body.\n").unwrap();
    std::fs::write(
        p("b-baddate.txt"),
        "31 February 2026\n\nHeadline\n\nBody text.\n",
    )
    .unwrap();
    let out = run([OsStr::new("check"), dir.path().as_os_str()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let d = dir.path().display();
    assert_eq!(
        stdout(&out),
        format!(
            "{d}/a-undated.txt: no date found: its story is undated\n\
             {d}/b-baddate.txt:1: impossible date \"31 February 2026\": its stories are undated\n\
             2 files, 2 stories, 2 warnings\n"
        )
    );
    std::fs::write(p("c-binary.txt"), b"\x00\x01\x02\x03\x04").unwrap();
    let out = run([OsStr::new("check"), dir.path().as_os_str()]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.contains(&format!(
        "{d}/c-binary.txt: not a text file (binary data), skipped\n"
    )));
    // The binary file is not counted among the files read.
    assert!(
        text.ends_with("2 files read, 1 not read, 2 stories, 3 warnings\n"),
        "{text}"
    );
}

#[test]
fn check_names_the_message_and_part_that_could_not_be_read() {
    let dir = tempfile::tempdir().unwrap();
    let message = |subject: &str, head: &str, body: &str| {
        format!(
            "From d@example.org Thu Jan  1 10:00:00 2026\nFrom: Digest <d@example.org>\n\
             Subject: {subject}\nDate: Thu, 1 Jan 2026 10:00:00 +0000\n{head}\n{body}\n\n"
        )
    };
    let mbox = [
        message("Good", "", "A good headline\n\nIts text."),
        message(
            "Odd charset",
            "Content-Type: text/plain; charset=x-unheard-of\n",
            "Another headline\n\nMore text.",
        ),
        message(
            "Only a file",
            "Content-Type: application/pdf\nContent-Disposition: attachment; filename=a.pdf\n",
            "JVBERi0=",
        ),
    ]
    .concat();
    std::fs::write(dir.path().join("news.mbox"), mbox).unwrap();
    let out = run([OsStr::new("check"), dir.path().as_os_str()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let d = dir.path().display();
    assert_eq!(
        stdout(&out),
        format!(
            "{d}/news.mbox, message 2: part 1: unknown charset \"x-unheard-of\", read as UTF-8\n\
             {d}/news.mbox, message 3: no text or HTML part to read\n\
             1 file, 2 stories, 2 warnings\n"
        )
    );
}

#[test]
fn nonexistent_path_fails_with_one_line() {
    for cmd in ["list", "check", "show", "filter"] {
        let mut args = vec![cmd];
        if matches!(cmd, "show" | "filter") {
            args.push("45bf");
        }
        args.push("/nonexistent/sitrep-test/\x1b]0;title\x07\nfolder");
        let out = run(&args);
        let err = assert_one_line_error(&out, 2);
        assert!(
            err.contains("cannot read /nonexistent/sitrep-test/"),
            "{err}"
        );
    }
}

#[test]
fn tables_fit_the_terminal_width_and_stay_whole_when_piped() {
    use unicode_width::UnicodeWidthStr;
    let lib = sitrep::loader::load_bundled();
    let table = |width| {
        let mut out = Vec::new();
        sitrep::cli::write_table(&mut out, &lib, lib.stories.iter(), width).unwrap();
        String::from_utf8(out).unwrap()
    };
    let whole = table(None);
    assert!(
        whole.lines().any(|l| l.width() > 100),
        "piped lines are not cut"
    );
    assert!(whole.contains("Health and care sector latest developments"));
    for width in [50, 80, 120] {
        let fitted = table(Some(width));
        assert_eq!(fitted.lines().count(), whole.lines().count());
        for line in fitted.lines() {
            assert!(line.width() <= width, "{width}: {line:?}");
        }
        // Each row keeps its id and date whole.
        for (cut, full) in fitted.lines().zip(whole.lines()) {
            assert_eq!(cut.get(..30), full.get(..30));
        }
    }
    assert_eq!(table(Some(200)), whole, "wide enough: nothing is cut");
}

#[test]
fn a_mistyped_command_is_named_in_the_error() {
    for (typed, meant) in [
        ("chek", "check"),
        ("lsit", "list"),
        ("bookmark", "bookmarks"),
    ] {
        let err = assert_one_line_error(&run([typed]), 2);
        assert!(
            err.contains(&format!(
                "cannot read {typed} (did you mean `sitrep {meant}`?)"
            )),
            "{err}"
        );
    }
    // A word like no command, or a path, gets no guess.
    for path in ["zzqx", "no/chek", "chek.txt"] {
        let err = assert_one_line_error(&run([path]), 2);
        assert!(
            err.contains("cannot read") && !err.contains("did you mean"),
            "{err}"
        );
    }
}

#[test]
fn filter_ranks_best_first() {
    let flu = json(&run(["filter", "--json", "flu"]));
    assert_eq!(headlines(&flu)[0], FLU);
    let bma = json(&run(["filter", "--json", "bma court"]));
    assert_eq!(headlines(&bma)[0], "BMA to appeal court decision on PAs");
    // The table form agrees.
    let table = run(["filter", "flu"]);
    assert!(table.status.success());
    assert_eq!(table_ids(&table)[0], "d44531ac567b2a92");
}

#[test]
fn filter_with_no_match_prints_nothing_and_fails() {
    let out = run(["filter", "xyzzy"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert!(out.stderr.is_empty());
}

#[test]
fn filter_exact_and_exclude_terms_split_the_library() {
    let all = json(&run(["list", "--json"]));
    let has_strike = |s: &Value| s.to_string().to_lowercase().contains("strike");
    let with = json(&run(["filter", "--json", "'strike"]));
    assert_eq!(with.len(), 5);
    assert!(with.iter().all(has_strike));
    let without = json(&run(["filter", "--json", "!strike"]));
    assert_eq!(without.len(), 18);
    assert!(!without.iter().any(has_strike));
    let mut ids: Vec<&Value> = with.iter().chain(&without).map(|s| &s["id"]).collect();
    ids.sort_by_key(std::string::ToString::to_string);
    let mut all_ids: Vec<&Value> = all.iter().map(|s| &s["id"]).collect();
    all_ids.sort_by_key(std::string::ToString::to_string);
    assert_eq!(ids, all_ids);
}

#[test]
fn filter_json_has_scores_best_first_and_limit_cuts() {
    let hits = json(&run(["filter", "--json", "nhs"]));
    assert!(hits.len() > 3);
    let scores: Vec<f64> = hits.iter().map(|h| h["score"].as_f64().unwrap()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    assert!(scores.iter().all(|s| (0.0..=1.0).contains(s)), "{scores:?}");
    assert!((scores[0] - 1.0).abs() < f64::EPSILON, "the best scores 1");
    let kinds: Vec<&str> = hits.iter().map(|h| h["match"].as_str().unwrap()).collect();
    assert_eq!(kinds[0], "exact");
    assert!(
        kinds.iter().all(|k| ["exact", "typo", "fuzzy"].contains(k)),
        "{kinds:?}"
    );
    // Scattered letters only: a fuzzy match, below every exact one.
    let scattered = json(&run(["filter", "--json", "strkdoc"]));
    assert!(!scattered.is_empty());
    assert!(
        scattered
            .iter()
            .all(|h| h["match"] == "fuzzy" && h["score"].as_f64().unwrap() < 0.34)
    );
    for h in &hits {
        for key in [
            "id",
            "date",
            "headline",
            "byline",
            "source",
            "origin",
            "paragraphs",
        ] {
            assert!(h.get(key).is_some(), "{key}");
        }
    }
    let limited = json(&run(["filter", "--json", "--limit", "2", "nhs"]));
    assert_eq!(limited, hits[..2]);
    let table = run(["filter", "--limit", "3", "nhs"]);
    assert_eq!(table_ids(&table).len(), 3);
    // A slip of the keys: the stories with the word as typed, as typo matches,
    // scored between the exact and the scattered-letter ones.
    let typo = json(&run(["filter", "--json", "stirke"]));
    let with_typos: Vec<&Value> = typo.iter().filter(|h| h["match"] == "typo").collect();
    let mut typo_ids: Vec<String> = with_typos.iter().map(|h| h["id"].to_string()).collect();
    let mut exact_ids: Vec<String> = json(&run(["filter", "--json", "'strike"]))
        .iter()
        .map(|h| h["id"].to_string())
        .collect();
    typo_ids.sort();
    exact_ids.sort();
    assert_eq!(typo_ids, exact_ids);
    assert!(with_typos.iter().all(|h| {
        let score = h["score"].as_f64().unwrap();
        (0.34..0.67).contains(&score)
    }));
    // `list --json` has no score.
    let listed = json(&run(["list", "--json"]));
    assert!(listed[0].get("score").is_none() && listed[0].get("match").is_none());
}

#[test]
fn hostile_file_names_and_content_never_reach_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    // A name with an OSC title sequence, a newline, CSI, C1 CSI and a lone 0x9b byte.
    let mut name = b"evil\x1b]0;pwned\x07\nname\x1b[2J\xc2\x9b31m\x9b".to_vec();
    name.extend(b".txt");
    let path = dir.path().join(OsStr::from_bytes(&name));
    std::fs::write(
        &path,
        "Undated \x1b[31mred\x1b[0m note \x1b]52;c;ZXZpbA==\x07here\x07\n\n\
         Body\u{9b}2J with DCS \x1bPq#0\x1b\\and C1 \u{85}text.\n\n\
         \u{202e}reversed\u{202c} and a bell\x07.\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("binary.txt"), b"\x1b\x00\x1b\x00").unwrap();
    let dir_arg = dir.path().as_os_str();

    let list = run([OsStr::new("list"), dir_arg]);
    assert!(list.status.success());
    // Warnings are summarised on stderr in one line.
    assert_eq!(stderr(&list).lines().count(), 1);
    let stories = json(&run([OsStr::new("list"), OsStr::new("--json"), dir_arg]));
    assert_eq!(stories.len(), 1);
    let story = &stories[0];
    assert_eq!(story["headline"], "Undated red note here");
    assert_eq!(
        story["paragraphs"],
        serde_json::json!(["Body with DCS and C1 text.", "reversed and a bell."])
    );
    let origin = story["origin"].as_str().unwrap();
    assert!(!origin.contains('\n') && origin.contains("evil"));
    assert!(
        std::path::Path::new(origin)
            .extension()
            .is_some_and(|e| e == "txt")
    );
    let id = story["id"].as_str().unwrap();

    let show = run([OsStr::new("show"), OsStr::new(id), dir_arg]);
    assert!(show.status.success());
    assert!(stdout(&show).starts_with("Undated red note here\n"));

    let check = run([OsStr::new("check"), dir_arg]);
    assert_eq!(check.status.code(), Some(1));
    let text = stdout(&check);
    // One line per warning, then the totals: the newline in the name is gone.
    assert_eq!(text.lines().count(), 3, "{text}");
    assert!(
        text.ends_with("1 file read, 1 not read, 1 story, 2 warnings\n"),
        "{text}"
    );

    for query in ["red", "!zzz", "'bell"] {
        let out = run([OsStr::new("filter"), OsStr::new(query), dir_arg]);
        assert!(out.status.success(), "{query}");
        let out = run([
            OsStr::new("filter"),
            OsStr::new("--json"),
            OsStr::new(query),
            dir_arg,
        ]);
        assert!(out.status.success(), "{query}");
    }
    for out in [&list, &show, &check] {
        for payload in ["pwned", "ZXZpbA", "52;c", "[2J", "#0"] {
            assert!(!stdout(out).contains(payload) && !stderr(out).contains(payload));
        }
    }
}

#[test]
fn read_only_commands_write_nothing_to_the_config_dir() {
    let config = tempfile::tempdir().unwrap();
    let json = predicate::str::starts_with("[\n  {");
    sitrep_in(config.path())
        .args(["list", "--json"])
        .assert()
        .success()
        .stdout(json);
    for args in [
        &["filter", "flu"][..],
        &["show", "45bf"],
        &["check"],
        &["list"],
    ] {
        sitrep_in(config.path())
            .args(args)
            .assert()
            .success()
            .stdout(predicate::str::is_empty().not());
    }
    assert_eq!(std::fs::read_dir(config.path()).unwrap().count(), 0);
}
