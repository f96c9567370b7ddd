//! Writes a deterministic corpus of digest documents shaped like the bundled
//! samples, for benchmarks: `cargo run --release --example gen_corpus -- --files
//! 100000 --out /tmp/corpus`. Same arguments, same bytes, on every machine.

use std::fs;
use std::io::Write;
use std::path::PathBuf;

use chrono::{Duration, NaiveDate};
use clap::Parser;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Generate a benchmark corpus.
#[derive(Parser)]
struct Args {
    /// How many files.
    #[arg(long, default_value_t = 1000)]
    files: usize,
    /// Output folder (created; files go in 100 subfolders).
    #[arg(long)]
    out: PathBuf,
    /// Random seed.
    #[arg(long, default_value_t = 7)]
    seed: u64,
}

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

fn main() -> std::io::Result<()> {
    let args = Args::parse();
    let words = vocabulary();
    let mut rng = ChaCha8Rng::seed_from_u64(args.seed);
    let start = NaiveDate::from_ymd_opt(2016, 1, 1).unwrap_or_default();
    let mut bytes = 0usize;
    for f in 0..args.files {
        let dir = args.out.join(format!("{:02}", f % 100));
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
    eprintln!(
        "{} files, {} MB in {}",
        args.files,
        bytes / 1_000_000,
        args.out.display()
    );
    Ok(())
}
