//! Writes a deterministic corpus of digest documents shaped like the bundled
//! samples, for benchmarks: `cargo run --release --example gen_corpus -- --files
//! 100000 --out /tmp/corpus`. Same arguments, same bytes, on every machine.

use std::path::PathBuf;

use clap::Parser;

#[path = "../benches/support/corpus.rs"]
mod corpus;

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

fn main() -> std::io::Result<()> {
    let args = Args::parse();
    let bytes = corpus::write(&args.out, args.files, args.seed)?;
    eprintln!(
        "{} files, {} MB in {}",
        args.files,
        bytes / 1_000_000,
        args.out.display()
    );
    Ok(())
}
