//! Learns the segmenter's weights from `tests/corpus/` and writes them to
//! `assets/segmenter.json`; with `--report`, also judges the segmenter leaving
//! each publisher out in turn and prints the table kept in ACCURACY.md, with the
//! documents that lost stories.
//!
//! ```sh
//! cargo run --release --example train            # write assets/segmenter.json
//! cargo run --release --example train -- --report
//! ```

use std::path::Path;

use sitrep::loader::corpus;

fn main() -> Result<(), String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let docs = corpus::read(&root.join("tests/corpus"))?;
    for d in &docs {
        let (_, lost) = corpus::example(d);
        for h in lost {
            eprintln!(
                "{}: expected headline not found in the text: {h}",
                d.path.display()
            );
        }
    }
    let all: Vec<&corpus::Doc> = docs.iter().collect();
    let model = corpus::learn(&all);
    let json = serde_json::to_string(&model).map_err(|e| e.to_string())?;
    std::fs::write(root.join("assets/segmenter.json"), json + "\n").map_err(|e| e.to_string())?;
    eprintln!("wrote assets/segmenter.json from {} documents", docs.len());
    if std::env::args().any(|a| a == "--fit") {
        // How well the weights fit the documents they learned from.
        let scored: Vec<(&corpus::Doc, corpus::Score)> = docs
            .iter()
            .map(|d| {
                (
                    d,
                    corpus::score(&corpus::parse_with(&d.text, &model), &d.expected.stories),
                )
            })
            .collect();
        println!("{}", corpus::report(&scored).0);
        for (d, s) in &scored {
            if s.headlines < s.expected || s.found > s.headlines || s.dates < s.headlines {
                let got = corpus::parse_with(&d.text, &model);
                println!("{}: {s:?}", d.path.display());
                for g in got {
                    println!("   got {g:?}");
                }
            }
        }
    }
    if std::env::args().any(|a| a == "--report") {
        let scored = corpus::leave_one_publisher_out(&docs);
        let (table, _) = corpus::report(&scored);
        println!("{table}");
        for (d, s) in &scored {
            if s.headlines < s.expected || s.found > s.headlines || s.dates < s.headlines {
                println!(
                    "{}: {}/{} headlines right of {} found, {} dates",
                    d.path.strip_prefix(root).unwrap_or(&d.path).display(),
                    s.headlines,
                    s.expected,
                    s.found,
                    s.dates
                );
                if std::env::var_os("VERBOSE").is_some() {
                    let others: Vec<&corpus::Doc> =
                        docs.iter().filter(|o| o.publisher != d.publisher).collect();
                    let m = corpus::learn(&others);
                    for w in &d.expected.stories {
                        println!("   want {:?} {:?} {:?}", w.date, w.headline, w.byline);
                    }
                    for g in corpus::parse_with(&d.text, &m) {
                        println!("   got  {:?} {:?} {:?}", g.0, g.1, g.2);
                    }
                }
            }
        }
    }
    Ok(())
}
