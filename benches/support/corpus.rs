//! The deterministic corpus generator, shared by the benchmarks and
//! `examples/gen_corpus.rs` (`write(dir, 2000, 7)` writes what
//! `cargo run --release --example gen_corpus -- --files 2000 --out DIR` writes):
//! digests shaped like the bundled samples, dates spread over ten years.

use std::fs;
use std::io::Write;
use std::path::Path;

use chrono::{Duration, NaiveDate};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn vocabulary() -> Vec<String> {
    let mut words: Vec<String> = sitrep::loader::BUNDLED
        .iter()
        .flat_map(|(_, bytes)| {
            String::from_utf8_lossy(bytes)
                .into_owned()
                .split_whitespace()
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_string())
        .filter(|w| w.len() > 1 && !w.chars().any(|c| c.is_ascii_digit()))
        .collect();
    words.sort();
    words.dedup();
    words
}

fn sentence(rng: &mut ChaCha8Rng, words: &[String], n: usize) -> String {
    let mut s = String::new();
    for i in 0..n {
        let w = &words[rng.random_range(0..words.len())];
        if i == 0 {
            let mut c = w.chars();
            if let Some(f) = c.next() {
                s.extend(f.to_uppercase());
                s.push_str(c.as_str());
            }
        } else {
            s.push(' ');
            s.push_str(w);
        }
    }
    s
}

/// Writes `files` digest documents under `out` (in 100 subfolders); returns the
/// bytes written.
pub fn write(out: &Path, files: usize, seed: u64) -> std::io::Result<usize> {
    let words = vocabulary();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let start = NaiveDate::from_ymd_opt(2016, 1, 1).unwrap_or_default();
    let mut bytes = 0usize;
    for f in 0..files {
        let dir = out.join(format!("{:02}", f % 100));
        fs::create_dir_all(&dir)?;
        let mut doc = String::from(
            "Article\n\nHealth and care sector latest developments\n\nLatest developments affecting the health and care sector.\n\n",
        );
        let mut day = start + Duration::days(rng.random_range(0..3650));
        for _ in 0..rng.random_range(1..=3) {
            doc.push_str(&format!("{}\n\n", day.format("%-d %B %Y")));
            for _ in 0..rng.random_range(2..=3) {
                let n = rng.random_range(5..=11);
                doc.push_str(&sentence(&mut rng, &words, n));
                doc.push_str("\n\n");
                for _ in 0..rng.random_range(3..=6) {
                    let mut para = String::new();
                    for _ in 0..rng.random_range(1..=3) {
                        let n = rng.random_range(12..=28);
                        para.push_str(&sentence(&mut rng, &words, n));
                        para.push_str(". ");
                    }
                    doc.push_str(para.trim_end());
                    doc.push_str("\n\n");
                }
            }
            day -= Duration::days(rng.random_range(1..5));
        }
        bytes += doc.len();
        let mut file = fs::File::create(dir.join(format!("digest-{f:06}.txt")))?;
        file.write_all(doc.as_bytes())?;
    }
    Ok(bytes)
}
