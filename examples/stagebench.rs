use sitrep::loader::{features, model::Model, para, segment};
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
    let model = Model::shipped();
    let n = texts.len() as f64;
    let run = |stage: usize| {
        let mut best = f64::MAX;
        for _ in 0..3 {
            let a = Instant::now();
            let mut k = 0;
            for x in &texts {
                let (paras, _) = para::split(x);
                if stage == 0 {
                    k += paras.len();
                    continue;
                }
                let units = segment::units(&paras);
                if stage == 1 {
                    k += units.len();
                    continue;
                }
                let shapes: Vec<_> = units.iter().map(features::shape).collect();
                if stage == 2 {
                    k += shapes.len();
                    continue;
                }
                let (shapes, scores) = features::scores(&units, model);
                if stage == 3 {
                    k += shapes.len() + scores.len();
                    continue;
                }
                let roles = segment::roles(&units, &shapes, &scores, model);
                if stage == 4 {
                    k += roles.len();
                    continue;
                }
                let cut = segment::assemble(&units, &shapes, &roles);
                k += cut.stories.len();
            }
            std::hint::black_box(k);
            best = best.min(a.elapsed().as_secs_f64());
        }
        best * 1e6 / n
    };
    let t: Vec<f64> = (0..6).map(run).collect();
    println!(
        "split {:.1}  units {:.1}  shapes {:.1}  (shapes again)+features+scores {:.1}  decode+rules {:.1}  assemble {:.1}  (us per file)",
        t[0],
        t[1] - t[0],
        t[2] - t[1],
        t[3] - t[2],
        t[4] - t[3],
        t[5] - t[4]
    );
}
