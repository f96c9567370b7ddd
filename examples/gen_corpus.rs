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
    /// How to store the documents: `txt` files, a `maildir` of newsletter
    /// emails (text and HTML parts), or saved `html` pages.
    #[arg(long, default_value = "txt")]
    form: String,
}

fn main() -> std::io::Result<()> {
    let args = Args::parse();
    let form = match args.form.as_str() {
        "txt" => corpus::Form::Text,
        "maildir" => corpus::Form::Maildir,
        "html" => corpus::Form::Html,
        other => {
            eprintln!("unknown --form {other:?}: txt, maildir or html");
            std::process::exit(2);
        }
    };
    let bytes = corpus::write_as(&args.out, args.files, args.seed, form)?;
    eprintln!(
        "{} files, {} MB in {}",
        args.files,
        bytes / 1_000_000,
        args.out.display()
    );
    Ok(())
}
