//! Memory has a ceiling whatever a document's shape: loading a file of millions of
//! one-word paragraphs allocates at most three times the file's size.
//!
//! The check is a hard cap, not a measurement after the fact: the allocator of
//! this test binary refuses to go past the limit, so a loader that needs more
//! aborts this binary and the test run fails. (One test per binary, so no other
//! test shares the cap.)

#![allow(clippy::unwrap_used, clippy::expect_used)]

use cap::Cap;

#[global_allocator]
static ALLOCATOR: Cap<std::alloc::System> = Cap::new(std::alloc::System, usize::MAX);

#[test]
fn millions_of_tiny_paragraphs_load_within_three_times_the_file_size() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("paras.txt");
    let paragraphs = 3_000_000;
    std::fs::write(&path, "Para.\n\n".repeat(paragraphs)).unwrap();
    let size = std::fs::metadata(&path).unwrap().len();
    let size = usize::try_from(size).unwrap();

    let before = ALLOCATOR.allocated();
    ALLOCATOR.set_limit(before + 3 * size).unwrap();
    let lib = sitrep::loader::load_paths(std::slice::from_ref(&path), &|_, _| {});
    let peak_ok = ALLOCATOR.allocated() <= before + 3 * size;
    ALLOCATOR.set_limit(usize::MAX).unwrap();

    assert!(peak_ok);
    assert!(
        lib.warnings.iter().any(|w| w
            .reason
            .contains("paragraphs: the rest of the file is kept")),
        "{:?}",
        lib.warnings
    );
    // Nothing is dropped: every paragraph's text is still there.
    let text: usize = lib
        .stories
        .iter()
        .flat_map(|s| lib.paragraphs(s))
        .map(str::len)
        .sum();
    assert!(text >= paragraphs * "Para.".len(), "{text}");
}
