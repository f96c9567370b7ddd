//! Filter-while-typing latency: loads a folder, builds the reader's `App` at
//! 120x40 and types each query one character at a time through the path the
//! reader uses (`Action::StartFilter`, then `Action::FilterInput(c)` per key,
//! background search on a worker thread as in the reader), timing each keystroke until its results are ready (see
//! `wait_ready`), and then the frame drawn for it (into a ratatui `TestBackend`).
//!
//! ```sh
//! cargo run --release --example typing -- /tmp/corpus
//! cargo run --release --example typing -- /tmp/corpus --repeat 5 --query 'nhs flu'
//! ```
//!
//! With no folder it uses the bundled sample stories. Prints per-query,
//! per-keystroke medians over the repeats, then p50/p95/max pooled over every
//! keystroke of every query and repeat, for characters 1–2 and 3+, and last a
//! `key=value` summary block (read by `scripts/bench-compare.sh`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use std::path::PathBuf;
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use chrono::DateTime;
use clap::Parser;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use sitrep::action::{Action, Effect, Event};
use sitrep::app::App;
use sitrep::keymap::Keymap;
use sitrep::search::SearchJob;
use sitrep::search::{Hit, Matcher};
use sitrep::ui::theme::{Look, Theme};
use sitrep::{loader, ui};

/// The issue's queries.
const QUERIES: [&str; 4] = ["nhs flu", "bma pay", "resident doctors strike", "xyzzy"];

/// Time filter keystrokes on a folder of updates.
#[derive(Parser)]
struct Args {
    /// Folder (or files) to load; the bundled samples when absent.
    paths: Vec<PathBuf>,
    /// Queries to type (repeatable); default: the issue's four.
    #[arg(long = "query")]
    queries: Vec<String>,
    /// Type every query this many times (fresh filter each time).
    #[arg(long, default_value_t = 3)]
    repeat: usize,
    /// Terminal columns.
    #[arg(long, default_value_t = 120)]
    cols: u16,
    /// Terminal rows.
    #[arg(long, default_value_t = 40)]
    rows: u16,
    /// Type without the body index (as before it is built).
    #[arg(long)]
    no_index: bool,
}

/// What the worker sends back: generation, hits, and whether they are complete.
type Reply = (u64, Vec<Hit>, bool);

/// The search worker: the runtime's, in small. Runs each job on its own thread
/// through `SearchJob::run`, as `runtime::Searcher` does for the reader,
/// sending the top of the results first when the job finds it.
struct Worker {
    jobs: mpsc::Sender<SearchJob>,
    done: mpsc::Receiver<Reply>,
}

impl Worker {
    fn spawn() -> Self {
        let (jobs, queue) = mpsc::channel::<SearchJob>();
        let (reply, done) = mpsc::channel::<Reply>();
        thread::spawn(move || {
            let matcher = Matcher::new();
            while let Ok(job) = queue.recv() {
                let generation = job.generation;
                let mut partial = |hits: &[Hit]| {
                    let _ = reply.send((generation, hits.to_vec(), false));
                };
                let hits = job.run(&matcher, &|| false, &mut partial);
                // Let go of the library before replying, as the runtime does.
                drop(job);
                if reply
                    .send((generation, hits.unwrap_or_default(), true))
                    .is_err()
                {
                    break;
                }
            }
        });
        Worker { jobs, done }
    }
}

/// Blocks until the results for the query typed so far are complete, given the
/// effect `App::update` returned for the keystroke; returns when the top rows
/// were ready (the first of `Event::SearchPartial` and `Event::SearchDone`).
///
/// The reader searches in the background: `update` returns `Effect::Search`,
/// the runtime's worker ranks, `Event::SearchPartial` may bring the top of the
/// results and `Event::SearchDone` brings all of them (which may ask for another
/// search). This plays the runtime's part until no search is asked for or
/// running. If the App's search protocol changes, this is the one place to
/// adapt.
fn wait_ready(
    app: &mut App,
    mut effect: Option<Effect>,
    worker: &Worker,
) -> anyhow::Result<Option<Instant>> {
    let mut top = None;
    while let Some(Effect::Search(job)) = effect {
        worker.jobs.send(job)?;
        loop {
            let (generation, hits, complete) = worker.done.recv()?;
            if !complete {
                app.update(Event::SearchPartial(generation, hits));
                top.get_or_insert_with(Instant::now);
                continue;
            }
            effect = app.update(Event::SearchDone(generation, hits));
            top.get_or_insert_with(Instant::now);
            break;
        }
    }
    anyhow::ensure!(!app.filter.searching, "a search is still running");
    Ok(top)
}

/// Builds the body index as the reader does once loading has finished; returns
/// the time taken and the index's heap bytes.
fn build_index(app: &mut App) -> (Duration, usize) {
    let t = Instant::now();
    let mut bytes = 0;
    if let Some(Effect::BuildIndex(job)) = app.update(Event::LoadDone) {
        let built = job.run(&|| false);
        bytes = built.index.as_ref().map_or(0, |i| i.heap_bytes());
        app.update(Event::IndexReady(built));
    }
    (t.elapsed(), bytes)
}

/// One keystroke: the time to results ready, and the time to draw its frame.
#[derive(Clone, Copy)]
struct Key {
    /// Until the top rows are ready to draw.
    ready: Duration,
    /// Until every match is ranked.
    complete: Duration,
    draw: Duration,
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The `p`th percentile (nearest rank) of `v` in milliseconds; 0 when empty.
fn percentile(v: &[Duration], p: f64) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    let mut v = v.to_vec();
    v.sort_unstable();
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss
    )]
    let rank = ((p / 100.0) * v.len() as f64).ceil() as usize;
    ms(v[rank.clamp(1, v.len()) - 1])
}

/// The same allocator as the `sitrep` binary, so timings match the reader's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let queries: Vec<String> = if args.queries.is_empty() {
        QUERIES.iter().map(ToString::to_string).collect()
    } else {
        args.queries.clone()
    };

    let t = Instant::now();
    let lib = if args.paths.is_empty() {
        loader::load_bundled()
    } else {
        loader::load_paths(&args.paths, &|_, _| {})
    };
    let load = t.elapsed();
    let stories = lib.stories.len();
    let files = lib.files;

    let t = Instant::now();
    let now = DateTime::parse_from_rfc3339("2026-02-05T09:30:00+00:00")?;
    let mut app = App::new(lib, Vec::new(), now);
    let theme = Theme::new(Look {
        color: true,
        unicode: true,
    });
    app.update(Event::Resize(args.cols, args.rows));
    let worker = Worker::spawn();
    let build = t.elapsed();
    let (index, index_bytes) = if args.no_index {
        (Duration::ZERO, 0)
    } else {
        build_index(&mut app)
    };
    let keymap = Keymap::default();
    let mut terminal = Terminal::new(TestBackend::new(args.cols, args.rows))?;
    terminal.draw(|f| ui::render(&app, &keymap, &theme, f))?;

    println!(
        "loaded {files} files, {stories} stories in {:.0} ms; App built in {:.1} ms; body index in {:.0} ms; {}x{}, {} repeats",
        ms(load),
        ms(build),
        ms(index),
        args.cols,
        args.rows,
        args.repeat,
    );

    // results[query][repeat][keystroke]
    let mut results: Vec<Vec<Vec<Key>>> = Vec::new();
    for q in &queries {
        let mut runs = Vec::new();
        for _ in 0..args.repeat.max(1) {
            let effect = app.update(Action::CancelFilter);
            wait_ready(&mut app, effect, &worker)?;
            let effect = app.update(Action::StartFilter);
            wait_ready(&mut app, effect, &worker)?;
            let mut keys = Vec::new();
            for c in q.chars() {
                let t = Instant::now();
                let effect = app.update(Action::FilterInput(c));
                let top = wait_ready(&mut app, effect, &worker)?;
                let complete = t.elapsed();
                let ready = top.map_or(complete, |top| top - t);
                let t = Instant::now();
                terminal.draw(|f| ui::render(&app, &keymap, &theme, f))?;
                keys.push(Key {
                    ready,
                    complete,
                    draw: t.elapsed(),
                });
            }
            let matches = app.filter.matches.as_ref().map_or(stories, Vec::len);
            runs.push(keys);
            if runs.len() == 1 {
                println!("\n{q:?}: {matches} matches");
            }
        }
        println!(
            "  key  typed                       ready ms (median)  complete ms (median)  draw ms (median)"
        );
        let chars: Vec<char> = q.chars().collect();
        for i in 0..chars.len() {
            let ready: Vec<Duration> = runs.iter().map(|r| r[i].ready).collect();
            let complete: Vec<Duration> = runs.iter().map(|r| r[i].complete).collect();
            let draw: Vec<Duration> = runs.iter().map(|r| r[i].draw).collect();
            let typed: String = chars[..=i].iter().collect();
            println!(
                "  {:>3}  {:<26} {:>10.2} {:>21.2} {:>17.2}",
                i + 1,
                format!("{typed:?}"),
                percentile(&ready, 50.0),
                percentile(&complete, 50.0),
                percentile(&draw, 50.0)
            );
        }
        results.push(runs);
    }

    let pool = |first: bool, pick: fn(&Key) -> Duration| -> Vec<Duration> {
        results
            .iter()
            .flatten()
            .flat_map(|keys| keys.iter().enumerate())
            .filter(|(i, _)| (*i < 2) == first)
            .map(|(_, k)| pick(k))
            .collect()
    };
    let first_ready = pool(true, |k| k.ready);
    let rest_ready = pool(false, |k| k.ready);
    let first_complete = pool(true, |k| k.complete);
    let rest_complete = pool(false, |k| k.complete);
    let first_draw = pool(true, |k| k.draw);
    let rest_draw = pool(false, |k| k.draw);
    println!("\nall queries, all repeats      n     p50 ms   p95 ms   max ms");
    for (label, v) in [
        ("ready, chars 1-2", &first_ready),
        ("ready, chars 3+", &rest_ready),
        ("complete, chars 1-2", &first_complete),
        ("complete, chars 3+", &rest_complete),
        ("draw,  chars 1-2", &first_draw),
        ("draw,  chars 3+", &rest_draw),
    ] {
        println!(
            "  {label:<24} {:>5} {:>9.2} {:>8.2} {:>8.2}",
            v.len(),
            percentile(v, 50.0),
            percentile(v, 95.0),
            percentile(v, 100.0)
        );
    }
    println!("\n# summary");
    println!("stories={stories}");
    println!("load_ms={:.1}", ms(load));
    println!("index_ms={:.1}", ms(index));
    println!("index_bytes={index_bytes}");
    for (key, v) in [
        ("first2", &first_ready),
        ("rest", &rest_ready),
        ("first2_complete", &first_complete),
        ("rest_complete", &rest_complete),
    ] {
        println!("{key}_p50_ms={:.2}", percentile(v, 50.0));
        println!("{key}_p95_ms={:.2}", percentile(v, 95.0));
        println!("{key}_max_ms={:.2}", percentile(v, 100.0));
    }
    let all_draw: Vec<Duration> = first_draw.iter().chain(&rest_draw).copied().collect();
    println!("draw_p95_ms={:.2}", percentile(&all_draw, 95.0));
    Ok(())
}
