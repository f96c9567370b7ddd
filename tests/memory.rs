//! Memory has a ceiling whatever a document's shape: loading a file of millions of
//! one-word paragraphs, and showing its story, allocate at most three times the
//! file's size.
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

    // Showing the story stays within the same ceiling: the reader's page holds
    // its first lines and a note, `sitrep show` writes it whole as it wraps.
    let story = lib.stories.iter().max_by_key(|s| lib.paragraphs(s).count());
    let story = story.unwrap();
    ALLOCATOR.set_limit(before + 3 * size).unwrap();
    let page = sitrep::page::lines(&lib, Some(story), None, 80, "·");
    let mut shown = Counted(0);
    let written = sitrep::cli::write_story(&mut shown, &lib, story, 80);
    let peak_ok = ALLOCATOR.allocated() <= before + 3 * size;
    ALLOCATOR.set_limit(usize::MAX).unwrap();
    assert!(peak_ok);
    assert!(written.is_ok());
    assert!(
        page.len() <= sitrep::page::MAX_PAGE_LINES + 4,
        "{}",
        page.len()
    );
    let last = page.last().map(|l| l.text.as_str()).unwrap_or_default();
    assert!(last.contains("sitrep show"), "{last}");
    // Every paragraph printed: a line each, a blank line between.
    assert!(shown.0 >= 2 * paragraphs, "{} lines", shown.0);
}

/// A writer that counts the lines written to it.
struct Counted(usize);

impl std::io::Write for Counted {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.iter().filter(|&&b| b == b'\n').count();
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
