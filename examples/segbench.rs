//! Times `parse` alone over a folder's files held in memory (one thread).
use std::time::Instant;
fn main() {
    let dir = std::env::args().nth(1).unwrap_or_else(|| "/tmp/c20k".into());
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
        let mut n = 0;
        for x in &texts {
            n += sitrep::loader::parse::parse(x).stories.len();
        }
        best = best.min(t.elapsed().as_secs_f64());
        std::hint::black_box(n);
    }
    println!("{:.1} us per file ({} files)", best * 1e6 / texts.len() as f64, texts.len());
}
