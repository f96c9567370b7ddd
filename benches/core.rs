//! Criterion benchmarks of the core paths: parsing one document, loading a folder,
//! ranking a library for a query, and building + drawing one reader frame.
//!
//! ```sh
//! cargo bench --bench core                                   # everything
//! cargo bench --bench core -- --warm-up-time 1 --measurement-time 3 render
//! SITREP_BENCH_CORPUS=/tmp/corpus cargo bench --bench core -- render
//! ```
//!
//! Fixtures (each built once, on first use, outside the measurements):
//! - a deterministic 2,000-file corpus in a temp dir (`support/corpus.rs`, the
//!   same bytes as `gen_corpus --files 2000`; `SITREP_BENCH_FILES` changes the count);
//! - a small library of about 100 stories (the corpus's first subfolder);
//! - a big library: the folder in `SITREP_BENCH_CORPUS` if set, else the generated
//!   corpus, with every story repeated in place until there are at least
//!   `SITREP_BENCH_STORIES` (default 1,000,000) stories. Repetition keeps the
//!   newest-first order and costs only the `Story` records, not the text.
//!
//! Benchmark ids: `clean/{bundled,cjk,emoji}` (the text clean-up every file passes
//! through: the bundled samples, Japanese prose, emoji-dense chat), `parse/<bundled
//! file>`, `load/files/<N>`, `rank/<query>`,
//! `render/draw/{small,big}` (build + draw one unchanged frame at 120x40) and
//! `render/move_draw/{small,big}` (one row down or up, then build + draw).
//! The fixture sizes are printed to stderr.
//!
//! Under `cargo test --benches` (no `--bench` flag) criterion runs each benchmark
//! once as a smoke test; the fixtures are then tiny, so nothing is timed there.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/corpus.rs"]
mod corpus;

use std::cell::OnceCell;
use std::hint::black_box;
use std::path::{Path, PathBuf};

use chrono::DateTime;
use criterion::{BenchmarkId, Criterion, SamplingMode, Throughput};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use sitrep::action::{Action, Event};
use sitrep::app::App;
use sitrep::keymap::Keymap;
use sitrep::search::{Matcher, Query};
use sitrep::story::Library;
use sitrep::ui::theme::{Look, Theme};
use sitrep::{loader, text, ui};

/// Queries ranked on the loaded corpus: the issue's four, plus the first one
/// and two keystrokes of `nhs flu` (the costliest prefixes).
const QUERIES: [&str; 6] = [
    "n",
    "nh",
    "nhs flu",
    "bma pay",
    "resident doctors strike",
    "xyzzy",
];

/// The terminal size every frame is drawn at.
const SIZE: (u16, u16) = (120, 40);

fn env_usize(key: &str, default: usize) -> usize {
    std::env::var(key)
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(default)
}

fn load(dir: &Path) -> Library {
    loader::load_paths(&[dir.to_path_buf()], &|_, _| {})
}

/// Repeats every story in place until there are at least `target` stories.
fn inflate(mut lib: Library, target: usize) -> Library {
    let n = lib.stories.len().max(1);
    let copies = target.div_ceil(n).max(1);
    if copies > 1 {
        lib.stories = lib
            .stories
            .iter()
            .flat_map(|s| std::iter::repeat_n(s.clone(), copies))
            .collect();
    }
    lib
}

/// The fixtures, each built on first use (a filtered run builds only what it needs).
struct Fixture {
    bench_mode: bool,
    /// The generated corpus: temp dir (removed at the end), folder, files, bytes.
    corpus: OnceCell<(tempfile::TempDir, PathBuf, usize, usize)>,
    /// The generated corpus, loaded.
    lib: OnceCell<Library>,
    /// About 100 stories.
    small: OnceCell<Library>,
    /// About `SITREP_BENCH_STORIES` stories.
    big: OnceCell<Library>,
}

impl Fixture {
    fn new(bench_mode: bool) -> Self {
        Fixture {
            bench_mode,
            corpus: OnceCell::new(),
            lib: OnceCell::new(),
            small: OnceCell::new(),
            big: OnceCell::new(),
        }
    }

    fn files(&self) -> usize {
        if self.bench_mode {
            env_usize("SITREP_BENCH_FILES", 2000)
        } else {
            100
        }
    }

    /// (folder, bytes) of the generated corpus.
    fn corpus(&self) -> (&Path, usize) {
        let (_, dir, _, bytes) = self.corpus.get_or_init(|| {
            let tmp = tempfile::tempdir().expect("temp dir");
            let dir = tmp.path().join("corpus");
            let files = self.files();
            let bytes = corpus::write(&dir, files, 7).expect("write corpus");
            eprintln!("fixture: generated corpus of {files} files, {bytes} bytes");
            (tmp, dir, files, bytes)
        });
        (dir, *bytes)
    }

    fn lib(&self) -> &Library {
        self.lib.get_or_init(|| {
            let lib = load(self.corpus().0);
            eprintln!("fixture: corpus library, {} stories", lib.stories.len());
            lib
        })
    }

    fn small(&self) -> &Library {
        self.small.get_or_init(|| {
            let lib = load(&self.corpus().0.join("00"));
            eprintln!("fixture: small library, {} stories", lib.stories.len());
            lib
        })
    }

    fn big(&self) -> &Library {
        self.big.get_or_init(|| {
            let target = if self.bench_mode {
                env_usize("SITREP_BENCH_STORIES", 1_000_000)
            } else {
                1000
            };
            let source = match std::env::var_os("SITREP_BENCH_CORPUS") {
                Some(path) if self.bench_mode => {
                    eprintln!("fixture: loading {}", Path::new(&path).display());
                    load(Path::new(&path))
                }
                _ => self.lib().clone(),
            };
            let lib = inflate(source, target);
            eprintln!("fixture: big library, {} stories", lib.stories.len());
            lib
        })
    }
}

fn bench_clean(c: &mut Criterion) {
    let mut group = c.benchmark_group("clean");
    let bundled: String = loader::BUNDLED
        .iter()
        .map(|(_, bytes)| loader::decode(bytes).expect("bundled text decodes").0)
        .collect();
    let cjk =
        "東京都は三日、新型ウイルスの感染者が増えたと発表した。病院の負担は重い。\n".repeat(2000);
    let emoji =
        "Team update 👍🏽 great work 👨\u{200d}👩\u{200d}👧 ❤\u{fe0f} see you 🇬🇧 soon\n".repeat(2000);
    for (name, t) in [("bundled", &bundled), ("cjk", &cjk), ("emoji", &emoji)] {
        group.throughput(Throughput::Bytes(t.len() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(name), t, |b, t| {
            b.iter(|| text::clean(black_box(t)).len());
        });
    }
    group.finish();
}

fn bench_parse(c: &mut Criterion) {
    let mut group = c.benchmark_group("parse");
    for (name, bytes) in loader::BUNDLED {
        let (decoded, _) = loader::decode(bytes).expect("bundled text decodes");
        let cleaned = text::clean(&decoded).into_owned();
        group.throughput(Throughput::Bytes(cleaned.len() as u64));
        group.bench_with_input(
            BenchmarkId::from_parameter(name.trim_end_matches(".txt")),
            &cleaned,
            |b, t| b.iter(|| loader::parse::parse(black_box(t))),
        );
    }
    group.finish();
}

fn bench_load(c: &mut Criterion, fx: &Fixture) {
    let mut group = c.benchmark_group("load");
    group.sample_size(10).sampling_mode(SamplingMode::Flat);
    group.bench_function(BenchmarkId::new("files", fx.files()), |b| {
        let dir = fx.corpus().0;
        b.iter(|| load(black_box(dir)));
    });
    group.finish();
}

fn bench_rank(c: &mut Criterion, fx: &Fixture) {
    let mut group = c.benchmark_group("rank");
    let matcher = Matcher::new();
    for q in QUERIES {
        let query = Query::parse(q);
        group.bench_with_input(BenchmarkId::from_parameter(q), &query, |b, query| {
            let lib = fx.lib();
            let n = u32::try_from(lib.stories.len()).unwrap_or(u32::MAX);
            b.iter(|| matcher.rank(lib, black_box(query), 0..n));
        });
    }
    group.finish();
}

/// A reader on `lib` at 120x40, as the runtime sets it up.
fn reader(lib: Library) -> App {
    let now = DateTime::parse_from_rfc3339("2026-02-05T09:30:00+00:00").expect("fixed time");
    let mut app = App::new(lib, Vec::new(), now);
    app.update(Event::Resize(SIZE.0, SIZE.1));
    app
}

/// Picks one of the fixture's libraries.
type Pick = fn(&Fixture) -> &Library;

fn bench_render(c: &mut Criterion, fx: &Fixture) {
    let mut group = c.benchmark_group("render");
    let keymap = Keymap::default();
    let theme = Theme::new(Look {
        color: true,
        unicode: true,
    });
    let sizes: [(&str, Pick); 2] = [("small", Fixture::small), ("big", Fixture::big)];
    for (name, lib) in sizes {
        // Build and draw the same state: the whole frame is built every time.
        group.bench_function(BenchmarkId::new("draw", name), |b| {
            let app = reader(lib(fx).clone());
            let mut terminal = Terminal::new(TestBackend::new(SIZE.0, SIZE.1)).expect("terminal");
            b.iter(|| {
                terminal
                    .draw(|f| ui::render(black_box(&app), &keymap, &theme, f))
                    .expect("draw");
            });
        });
        // One row down (or back up), then build and draw: what a `j` costs.
        group.bench_function(BenchmarkId::new("move_draw", name), |b| {
            let mut app = reader(lib(fx).clone());
            let mut terminal = Terminal::new(TestBackend::new(SIZE.0, SIZE.1)).expect("terminal");
            let mut down = true;
            b.iter(|| {
                app.update(if down { Action::Down } else { Action::Up });
                down = !down;
                terminal
                    .draw(|f| ui::render(black_box(&app), &keymap, &theme, f))
                    .expect("draw");
            });
        });
    }
    group.finish();
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` does not.
    let bench_mode = std::env::args().any(|a| a == "--bench");
    let mut c = Criterion::default().configure_from_args();
    let fx = Fixture::new(bench_mode);
    bench_clean(&mut c);
    bench_parse(&mut c);
    bench_load(&mut c, &fx);
    bench_rank(&mut c, &fx);
    bench_render(&mut c, &fx);
    c.final_summary();
}
