//! Benchmark-style check that loading is linear in the input: each shape is
//! loaded at 1x and 4x its size and the times compared (~4x expected; a
//! quadratic step would show ~16x). `#[ignore]`d, so `cargo test` never runs a
//! timed assertion; run it with
//!
//! ```sh
//! cargo test --test linear_time -- --ignored --nocapture --test-threads 1
//! ```
//!
//! and see BENCHMARKS.md ("Linear-time loading") for the figures.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

/// The most a 4x input may take, as a multiple of the 1x time. Generous: timing
/// noise on a shared machine, but far below the 16x of a quadratic step.
const MAX_RATIO: f64 = 7.0;

/// Best of three loads of `text` written to a file.
fn load_time(text: &str) -> (Duration, usize) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("doc.txt");
    std::fs::write(&path, text).unwrap();
    let mut best = Duration::MAX;
    let mut stories = 0;
    for _ in 0..3 {
        let start = Instant::now();
        let lib = sitrep::loader::load_paths(std::slice::from_ref(&path), &|_, _| {});
        best = best.min(start.elapsed());
        stories = lib.stories.len();
        assert_eq!(lib.fatal_count(), 0, "{:?}", lib.warnings);
    }
    (best, stories)
}

/// Loads `make(n)` and `make(4n)`; prints and checks the ratio.
fn assert_linear(what: &str, n: usize, make: impl Fn(usize) -> String) {
    let (small, large) = (make(n), make(4 * n));
    let (t1, s1) = load_time(&small);
    let (t4, s4) = load_time(&large);
    let ratio = t4.as_secs_f64() / t1.as_secs_f64();
    println!(
        "{what}: 1x {:.1} MB {s1} stories {t1:.2?} | 4x {:.1} MB {s4} stories {t4:.2?} | ratio {ratio:.2}",
        mb(&small),
        mb(&large),
    );
    assert!(
        ratio < MAX_RATIO,
        "{what}: 4x input took {ratio:.1}x as long"
    );
}

#[allow(clippy::cast_precision_loss)] // Sizes for display only.
fn mb(s: &str) -> f64 {
    s.len() as f64 / (1024.0 * 1024.0)
}

/// A single line of `bytes` bytes made of sentences.
fn one_line(bytes: usize) -> String {
    let sentence = "Bed occupancy rose again in the north west this week. ";
    sentence.repeat(bytes / sentence.len() + 1)
}

/// A single line of `bytes` bytes with no sentence end at all.
fn one_line_no_stops(bytes: usize) -> String {
    let words = "words without any sentence end ";
    words.repeat(bytes / words.len() + 1)
}

/// A digest: one date, then `paras` paragraphs as headline/body pairs.
fn digest(paras: usize) -> String {
    let mut out = String::from("4 March 2026\n\n");
    for i in 0..paras / 2 {
        out.push_str(&format!(
            "Trust number {i} told to cut agency spending\n\n\
             NHS England has told trust {i} to cut agency staff spending by a further \
             30 per cent. The letter was sent on Tuesday.\n\n"
        ));
    }
    out
}

/// One story with `paras` body paragraphs under a single headline.
fn long_story(paras: usize) -> String {
    let mut out = String::from("4 March 2026\n\nOne very long story\n\n");
    for i in 0..paras {
        out.push_str(&format!(
            "Paragraph {i} of the story says something, and then it ends.\n\n"
        ));
    }
    out
}

#[test]
#[ignore = "benchmark: run with --ignored --nocapture"]
fn single_line_file_loads_in_linear_time() {
    const FIVE_MB: usize = 5 * 1024 * 1024;
    assert_linear("5 MB single line (sentences)", FIVE_MB / 4, one_line);
    assert_linear(
        "5 MB single line (no sentence end)",
        FIVE_MB / 4,
        one_line_no_stops,
    );
}

#[test]
#[ignore = "benchmark: run with --ignored --nocapture"]
fn fifty_thousand_paragraphs_load_in_linear_time() {
    assert_linear("50,000 paragraphs (digest)", 12_500, digest);
    assert_linear("50,000 paragraphs (one story)", 12_500, long_story);
}

/// Says which build the figures come from.
#[test]
#[ignore = "benchmark: run with --ignored --nocapture"]
fn print_build_profile() {
    let profile = if cfg!(debug_assertions) {
        "debug"
    } else {
        "release"
    };
    let cores = std::thread::available_parallelism().map_or(0, std::num::NonZero::get);
    println!("profile: {profile}; cores: {cores}");
}
