use sitrep::loader::{features, para, segment};
use std::time::Instant;
fn main() {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "/tmp/c20k".into());
    let texts: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .take(5000)
        .filter_map(|e| std::fs::read_to_string(e.path()).ok())
        .map(|t| sitrep::text::clean(&t).into_owned())
        .collect();
    let mut t = [0f64; 3];
    let mut c = [0usize; 3];
    let mut t2 = [0f64; 5];
    let mut t3 = [0f64; 10];
    for x in &texts {
        let (paras, _) = para::split(x);
        let units = segment::units(&paras);
        for u in &units {
            let w = features::count_words(&u.text, 41);
            let k = if w > 40 {
                2
            } else if w >= 16 {
                1
            } else {
                0
            };
            let a = Instant::now();
            let s = features::shape(u);
            t[k] += a.elapsed().as_secs_f64();
            c[k] += 1;
            std::hint::black_box(s);
            if k == 0 {
                let x: &str = &u.text;
                let pp = para::Para {
                    text: std::borrow::Cow::Borrowed(x),
                    line: 1,
                    lines: 1,
                    list: false,
                    first_line: x,
                };
                let a = Instant::now();
                std::hint::black_box(features::marks(x));
                t3[0] += a.elapsed().as_secs_f64();
                let a = Instant::now();
                std::hint::black_box(para::headline_like(&pp));
                t3[1] += a.elapsed().as_secs_f64();
                let a = Instant::now();
                std::hint::black_box(para::is_role_byline(&pp));
                t3[2] += a.elapsed().as_secs_f64();
                let a = Instant::now();
                std::hint::black_box(features::is_name_text(x));
                t3[3] += a.elapsed().as_secs_f64();
                let a = Instant::now();
                std::hint::black_box(sitrep::loader::date::date_line(x));
                t3[4] += a.elapsed().as_secs_f64();
                let a = Instant::now();
                std::hint::black_box(sitrep::loader::date::find_all(x));
                t3[5] += a.elapsed().as_secs_f64();
                let a = Instant::now();
                std::hint::black_box(para::first_sentence_end(x));
                t3[6] += a.elapsed().as_secs_f64();
                let a = Instant::now();
                std::hint::black_box(x.contains(['|', '›', '»', '>']));
                t3[7] += a.elapsed().as_secs_f64();
                let a = Instant::now();
                std::hint::black_box(sitrep::loader::date::trailing_date(x));
                t3[8] += a.elapsed().as_secs_f64();
                let a = Instant::now();
                std::hint::black_box(sitrep::loader::date::leading_time(x));
                t3[9] += a.elapsed().as_secs_f64();
            }
            if k == 2 {
                let a = Instant::now();
                std::hint::black_box(features::count_words(&u.text, 41));
                t2[0] += a.elapsed().as_secs_f64();
                let a = Instant::now();
                std::hint::black_box(para::first_sentence_end(&u.text));
                t2[1] += a.elapsed().as_secs_f64();
                let a = Instant::now();
                std::hint::black_box(features::is_furniture_text(&u.text));
                t2[2] += a.elapsed().as_secs_f64();
                let a = Instant::now();
                std::hint::black_box(features::marks(u.text.get(..64).unwrap_or(&u.text)));
                t2[3] += a.elapsed().as_secs_f64();
                let a = Instant::now();
                std::hint::black_box(Instant::now());
                t2[4] += a.elapsed().as_secs_f64();
            }
        }
    }
    for (k, name) in [
        "marks",
        "headline_like",
        "role_byline",
        "name",
        "date_line",
        "find_all",
        "first_sentence",
        "contains",
        "trailing_date",
        "leading_time",
    ]
    .iter()
    .enumerate()
    {
        println!("short {name}: {:.0} ns", t3[k] * 1e9 / c[0] as f64);
    }
    for (k, name) in [
        "count_words",
        "first_sentence",
        "furniture_text",
        "marks64",
        "now",
    ]
    .iter()
    .enumerate()
    {
        println!("{name}: {:.0} ns", t2[k] * 1e9 / c[2] as f64);
    }
    for (k, name) in ["short <16", "medium 16-40", "long >40"].iter().enumerate() {
        println!(
            "{name:>14}: {:>7} units, {:.0} ns each, {:.1} us per file",
            c[k],
            t[k] * 1e9 / c[k] as f64,
            t[k] * 1e6 / texts.len() as f64
        );
    }
}
