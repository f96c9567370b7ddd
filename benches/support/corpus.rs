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

/// How the generated documents are stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[allow(dead_code)]
pub enum Form {
    /// `.txt` files in 100 subfolders.
    #[default]
    Text,
    /// A Maildir (`cur/`, `new/`, `tmp/`): each document a newsletter email
    /// with a text part and an HTML part (`multipart/alternative`).
    Maildir,
    /// Saved pages in 100 subfolders: the digest in `<main>`, with a menu, the
    /// site's header and footer around it.
    Html,
}

/// Writes `files` digest documents under `out` (in 100 subfolders); returns the
/// bytes written.
#[allow(dead_code)]
pub fn write(out: &Path, files: usize, seed: u64) -> std::io::Result<usize> {
    write_as(out, files, seed, Form::Text)
}

/// The digest's paragraphs: title, standfirst, then dates, headlines and body.
fn digest(rng: &mut ChaCha8Rng, words: &[String], start: NaiveDate) -> Vec<String> {
    let mut paras = vec![
        "Article".to_string(),
        "Health and care sector latest developments".to_string(),
        "Latest developments affecting the health and care sector.".to_string(),
    ];
    let mut day = start + Duration::days(rng.random_range(0..3650));
    for _ in 0..rng.random_range(1..=3) {
        paras.push(day.format("%-d %B %Y").to_string());
        for _ in 0..rng.random_range(2..=3) {
            let n = rng.random_range(5..=11);
            paras.push(sentence(rng, words, n));
            for _ in 0..rng.random_range(3..=6) {
                let mut para = String::new();
                for _ in 0..rng.random_range(1..=3) {
                    let n = rng.random_range(12..=28);
                    para.push_str(&sentence(rng, words, n));
                    para.push_str(". ");
                }
                paras.push(para.trim_end().to_string());
            }
        }
        day -= Duration::days(rng.random_range(1..5));
    }
    paras
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The digest as a saved page.
fn page(paras: &[String]) -> String {
    let mut body = String::new();
    for p in paras {
        body.push_str("<p>");
        body.push_str(&html_escape(p));
        body.push_str("</p>\n");
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <title>Latest developments | Health News</title>\
         <meta property=\"og:site_name\" content=\"Health News\">\
         <script>window.dataLayer = [];</script></head><body>\
         <header class=\"site-header\"><a href=\"/\">Health News</a></header>\
         <nav><ul><li><a href=\"/news\">News</a></li><li><a href=\"/about\">About</a></li></ul></nav>\
         <main>\n{body}</main><footer><p>Copyright Health News</p></footer></body></html>\n"
    )
}

/// Writes `files` digest documents under `out` in the given form; returns the
/// bytes written.
pub fn write_as(out: &Path, files: usize, seed: u64, form: Form) -> std::io::Result<usize> {
    let words = vocabulary();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let start = NaiveDate::from_ymd_opt(2016, 1, 1).unwrap_or_default();
    let mut bytes = 0usize;
    if form == Form::Maildir {
        for sub in ["cur", "new", "tmp"] {
            fs::create_dir_all(out.join(sub))?;
        }
    }
    for f in 0..files {
        let paras = digest(&mut rng, &words, start);
        let (path, data) = match form {
            Form::Text => {
                let dir = out.join(format!("{:02}", f % 100));
                fs::create_dir_all(&dir)?;
                let mut doc = paras.join("\n\n");
                doc.push_str("\n\n");
                (dir.join(format!("digest-{f:06}.txt")), doc.into_bytes())
            }
            Form::Html => {
                let dir = out.join(format!("{:02}", f % 100));
                fs::create_dir_all(&dir)?;
                (
                    dir.join(format!("digest-{f:06}.html")),
                    page(&paras).into_bytes(),
                )
            }
            Form::Maildir => {
                let text = paras.join("\n\n");
                let stamp = 1_700_000_000 + i64::try_from(f).unwrap_or(0) * 60;
                let mail = mail_builder::MessageBuilder::new()
                    .from(("Health News", "digest@news.example.org"))
                    .to("reader@example.org")
                    .subject("Health and care sector latest developments")
                    .date(stamp)
                    .message_id(format!("{f}@news.example.org"))
                    .text_body(text)
                    .html_body(page(&paras))
                    .write_to_vec()?;
                (
                    out.join("cur").join(format!("{stamp}.M{f}P1.host:2,S")),
                    mail,
                )
            }
        };
        bytes += data.len();
        fs::File::create(path)?.write_all(&data)?;
    }
    Ok(bytes)
}
