//! The segmenter judged on the labelled corpus in `tests/corpus/`, leaving each
//! publisher out in turn: its documents are parsed with weights learned only
//! from the other publishers', so the scores say how sitrep reads a publisher
//! it has never seen. ACCURACY.md holds the table this prints.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use sitrep::loader::corpus;
use sitrep::loader::model::Model;

/// Floors, in per cent: the corpus may not fall below them.
const PRECISION: f64 = 67.0;
const RECALL: f64 = 77.0;
const DATES: f64 = 87.0;

fn docs() -> Vec<corpus::Doc> {
    corpus::read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")).unwrap()
}

#[test]
fn every_expected_headline_is_in_its_document() {
    for d in docs() {
        let (_, lost) = corpus::example(&d);
        assert!(lost.is_empty(), "{}: not found: {lost:?}", d.path.display());
    }
}

#[test]
fn shipped_weights_are_learned_from_this_corpus() {
    let docs = docs();
    let all: Vec<&corpus::Doc> = docs.iter().collect();
    assert!(
        *Model::shipped() == corpus::learn(&all),
        "assets/segmenter.json is stale: run `cargo run --release --example train`"
    );
}

#[test]
fn leave_one_publisher_out_stays_above_the_floor() {
    let docs = docs();
    let scored = corpus::leave_one_publisher_out(&docs);
    let (table, total) = corpus::report(&scored);
    println!("{table}");
    assert!(total.precision() >= PRECISION, "{table}");
    assert!(total.recall() >= RECALL, "{table}");
    assert!(total.date_accuracy() >= DATES, "{table}");
}
