//! The loader judged on the labelled corpus in `tests/corpus/`: documents from
//! many publishers with the stories a reader expects of each (ACCURACY.md holds
//! the table this prints). The floors are the scores reached today: the corpus
//! may not fall below them.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use sitrep::loader::corpus;

/// Floors, in per cent, over the whole corpus.
const PRECISION: f64 = 64.0;
const RECALL: f64 = 49.5;
const DATES: f64 = 82.5;

#[test]
fn the_corpus_stays_above_its_floor() {
    let docs = corpus::read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")).unwrap();
    assert!(docs.len() >= 80, "{} documents", docs.len());
    let scored: Vec<(&corpus::Doc, corpus::Score)> = docs
        .iter()
        .map(|d| {
            (
                d,
                corpus::score(&corpus::parse(&d.text), &d.expected.stories),
            )
        })
        .collect();
    let (table, total) = corpus::report(&scored);
    println!("{table}");
    assert!(total.precision() >= PRECISION, "{table}");
    assert!(total.recall() >= RECALL, "{table}");
    assert!(total.date_accuracy() >= DATES, "{table}");
}
