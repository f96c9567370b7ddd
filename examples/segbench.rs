//! Times `parse` alone over up to 5,000 files of a folder held in memory, on
//! one thread (best of five passes): `cargo run --release --example segbench
//! -- DIR`. The loader's share of `sitrep check`, without reading or walking.
use std::time::Instant;

fn main() {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "/tmp/corpus".into());
    let texts: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .take(5000)
        .filter_map(|e| std::fs::read_to_string(e.path()).ok())
        .map(|t| sitrep::text::clean(&t).into_owned())
        .collect();
    let mut best = f64::MAX;
    for _ in 0..5 {
        let t = Instant::now();
        let n: usize = texts
            .iter()
            .map(|x| sitrep::loader::parse::parse(x).stories.len())
            .sum();
        std::hint::black_box(n);
        best = best.min(t.elapsed().as_secs_f64());
    }
    #[allow(clippy::cast_precision_loss)]
    let per = best * 1e6 / texts.len().max(1) as f64;
    println!("{per:.1} µs per file ({} files)", texts.len());
}
