//! Times the loader's stages over a folder's files held in memory (one thread).
use std::time::Instant;
use sitrep::loader::{features, model::Model, para, segment};
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
    let model = Model::shipped();
    let mut t = [0f64; 6];
    for x in &texts {
        let a = Instant::now();
        let (paras, _) = para::split(x);
        let b = Instant::now();
        let units = segment::units(&paras);
        let c = Instant::now();
        let c2 = Instant::now();
        let sh: Vec<_> = units.iter().map(features::shape).collect();
        t[5] += c2.elapsed().as_secs_f64();
        std::hint::black_box(sh.len());
        let c = Instant::now();
        let (shapes, scores) = features::scores(&units, model);
        let d = Instant::now();
        let roles = segment::roles(&units, &shapes, &scores, model);
        let e = Instant::now();
        let cut = segment::assemble(&units, &shapes, &roles);
        let f = Instant::now();
        std::hint::black_box(cut.stories.len());
        for (k, (p, q)) in [(a, b), (b, c), (c, d), (d, e), (e, f)].into_iter().enumerate() {
            t[k] += (q - p).as_secs_f64();
        }
    }
    let n = texts.len() as f64;
    let all: Vec<String> = texts.iter().flat_map(|x| { let (p, _) = para::split(x); segment::units(&p).into_iter().map(|u| u.text.to_string()).collect::<Vec<_>>() }).collect();
    let time = |name: &str, f: &dyn Fn(&str) -> bool| {
        let a = Instant::now();
        let k = all.iter().filter(|u| f(u)).count();
        println!("{name:>16}: {:.1} us per file ({k})", a.elapsed().as_secs_f64() * 1e6 / n);
    };
    time("first_sentence", &|u| para::first_sentence_end(u).is_some());
    time("find_all", &|u| !sitrep::loader::date::find_all(u).is_empty());
    time("furniture_text", &|u| features::is_furniture_text(u));
    time("split_ws count", &|u| u.split_whitespace().count() > 3);
    time("chars alpha", &|u| u.chars().any(char::is_alphabetic));
    for (name, v) in ["split", "units", "features+scores", "decode+rules", "assemble", "shapes alone"].iter().zip(t) {
        println!("{name:>16}: {:.1} us per file", v * 1e6 / n);
    }
}
