//! Start-up and SSH cost of the live reader: runs the real `sitrep` binary in a
//! pseudo-terminal (expectrl) at 120x40, feeds its output to a `vt100` screen,
//! and measures
//! - the time from start (the `exec` of sitrep) to its first output bytes and to
//!   a full first frame (top and bottom rows both drawn), over `--starts` starts;
//! - the bytes written per one-row move: once loading has finished (the screen
//!   has not changed for `--settle-ms`), presses `j` `--moves` times, reading
//!   everything after each key until the output has been quiet for `--quiet-ms`;
//! - the idle output (redraws that change nothing on screen, e.g. on a timer
//!   tick), in bytes per second. When there is any, each `j` is sent just after
//!   an idle redraw so that none is counted with a move.
//!
//! ```sh
//! cargo build --release && cargo run --release --example term_bytes              # bundled
//! cargo build --release && cargo run --release --example term_bytes -- /tmp/corpus
//! ```
//!
//! The binary is `target/release/sitrep` next to this example (or `--bin`); build
//! it first. Every start gets a temp config dir (`SITREP_CONFIG_DIR`, `HOME`,
//! `XDG_*`). A small `sh` wrapper waits until the tty has the requested size
//! (no resize race), prints a marker with the wall-clock time and `exec`s
//! sitrep: times count from that stamp, so they leave out the wrapper's start
//! and do not depend on when this process gets to read the marker. Ends with a
//! `key=value` summary block (read by `scripts/bench-compare.sh`).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::cast_precision_loss
)]

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result, bail};
use clap::Parser;
use expectrl::Session;

/// Printed by the wrapper just before it `exec`s sitrep, with the wall-clock
/// time in nanoseconds and `@@` after it.
const MARKER: &[u8] = b"@@SITREP-EXEC ";

/// `$0` is sitrep, `$1`/`$2` the size, the rest sitrep's arguments.
const WRAPPER: &str = r#"n=0
while [ "$(stty size)" != "$2 $1" ]; do
  n=$((n + 1)); [ "$n" -gt 1000 ] && exit 90
  sleep 0.005
done
shift 2
printf '@@SITREP-EXEC %s@@' "$(date +%s%N)"
exec "$0" "$@""#;

/// Measure sitrep's first frame and bytes per move in a pseudo-terminal.
#[derive(Parser)]
struct Args {
    /// Folder (or files) to open; the bundled samples when absent.
    paths: Vec<PathBuf>,
    /// The sitrep binary (default: `../sitrep` from this example's directory).
    #[arg(long)]
    bin: Option<PathBuf>,
    /// Terminal columns.
    #[arg(long, default_value_t = 120)]
    cols: u16,
    /// Terminal rows.
    #[arg(long, default_value_t = 40)]
    rows: u16,
    /// How many times to start the reader for the first-frame times.
    #[arg(long, default_value_t = 5)]
    starts: usize,
    /// How many `j` presses to measure.
    #[arg(long, default_value_t = 20)]
    moves: usize,
    /// After a key, the output counts as complete after this long without bytes.
    #[arg(long, default_value_t = 150)]
    quiet_ms: u64,
    /// Before the moves, wait until the screen has not changed for this long.
    #[arg(long, default_value_t = 1500)]
    settle_ms: u64,
    /// Give up waiting for loading to finish after this many seconds.
    #[arg(long, default_value_t = 600)]
    timeout_s: u64,
}

/// What the reader wrote, as it arrived.
struct Output {
    /// Bytes after the marker.
    bytes: usize,
    parser: vt100::Parser,
    seen_marker: bool,
    pending: Vec<u8>,
    exec_at: Option<Instant>,
    first_byte_at: Option<Instant>,
    full_frame_at: Option<Instant>,
    last_byte_at: Option<Instant>,
    /// When a chunk last changed what the screen shows.
    last_change_at: Option<Instant>,
    /// How many chunks arrived that changed nothing on the screen (idle redraws).
    idle_chunks: usize,
    eof: bool,
}

impl Output {
    fn new(rows: u16, cols: u16) -> Self {
        Output {
            bytes: 0,
            parser: vt100::Parser::new(rows, cols, 0),
            seen_marker: false,
            pending: Vec::new(),
            exec_at: None,
            first_byte_at: None,
            full_frame_at: None,
            last_byte_at: None,
            last_change_at: None,
            idle_chunks: 0,
            eof: false,
        }
    }

    fn feed(&mut self, chunk: &[u8], at: Instant) {
        let after_marker: Vec<u8>;
        let data: &[u8] = if self.seen_marker {
            chunk
        } else {
            self.pending.extend_from_slice(chunk);
            let Some(i) = self.pending.windows(MARKER.len()).position(|w| w == MARKER) else {
                return;
            };
            let stamp = i + MARKER.len();
            let Some(len) = self.pending[stamp..].windows(2).position(|w| w == b"@@") else {
                return;
            };
            self.seen_marker = true;
            self.exec_at = Some(exec_instant(&self.pending[stamp..stamp + len], at));
            after_marker = self.pending.split_off(stamp + len + 2);
            self.pending = Vec::new();
            &after_marker
        };
        if data.is_empty() {
            return;
        }
        self.bytes += data.len();
        self.first_byte_at.get_or_insert(at);
        self.last_byte_at = Some(at);
        let before = self.parser.screen().contents_formatted();
        self.parser.process(data);
        if self.parser.screen().contents_formatted() == before {
            self.idle_chunks += 1;
        } else {
            self.last_change_at = Some(at);
        }
        if self.full_frame_at.is_none() && self.frame_complete() {
            self.full_frame_at = Some(at);
        }
    }

    /// The first frame is out when its top and bottom rows both show something.
    fn frame_complete(&self) -> bool {
        let screen = self.parser.screen();
        let (rows, cols) = screen.size();
        let row = |r: u16| screen.contents_between(r, 0, r, cols);
        !row(0).trim().is_empty() && !row(rows - 1).trim().is_empty()
    }
}

/// The `Instant` of the wall-clock nanoseconds `stamp`, given that the marker
/// holding it arrived at `at`; `at` itself when the stamp is unreadable or in
/// the future.
fn exec_instant(stamp: &[u8], at: Instant) -> Instant {
    let now = SystemTime::now();
    let stamp = std::str::from_utf8(stamp)
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok())
        .map(|ns| UNIX_EPOCH + Duration::from_nanos(ns));
    // How long ago the stamp was taken, minus how long ago the marker arrived.
    stamp
        .and_then(|t| now.duration_since(t).ok())
        .and_then(|ago| ago.checked_sub(at.elapsed()))
        .and_then(|before| at.checked_sub(before))
        .unwrap_or(at)
}

/// One sitrep running in a pseudo-terminal.
struct Reader {
    session: Session,
    out: Arc<Mutex<Output>>,
    _config: tempfile::TempDir,
}

impl Reader {
    fn start(args: &Args, bin: &Path) -> Result<Self> {
        let config = tempfile::tempdir()?;
        let dir = config.path();
        let mut cmd = Command::new("sh");
        cmd.arg("-c")
            .arg(WRAPPER)
            .arg(bin)
            .arg(args.cols.to_string())
            .arg(args.rows.to_string())
            .args(&args.paths)
            .env("SITREP_CONFIG_DIR", dir)
            .env("SITREP_STATE_DIR", dir.join("state"))
            .env("HOME", dir.join("home"))
            .env("XDG_CONFIG_HOME", dir.join("xdg-config"))
            .env("XDG_STATE_HOME", dir.join("xdg-state"))
            .env("TERM", "xterm-256color")
            .env("LC_ALL", "C.UTF-8")
            .env_remove("NO_COLOR")
            .env_remove("SITREP_ASCII");
        let mut session = Session::spawn(cmd).context("spawn sitrep in a pty")?;
        session
            .get_process_mut()
            .set_window_size(args.cols, args.rows)?;
        let out = Arc::new(Mutex::new(Output::new(args.rows, args.cols)));
        let mut stream = session.get_process().get_pty_stream()?;
        let sink = Arc::clone(&out);
        thread::spawn(move || {
            let mut buf = vec![0u8; 65536];
            // Ends with EOF/EIO once sitrep has gone.
            while let Ok(n) = stream.read(&mut buf) {
                if n == 0 {
                    break;
                }
                let at = Instant::now();
                sink.lock().unwrap().feed(&buf[..n], at);
            }
            sink.lock().unwrap().eof = true;
        });
        Ok(Reader {
            session,
            out,
            _config: config,
        })
    }

    /// Polls until `cond` holds on the output; false after `timeout`.
    fn wait(&self, timeout: Duration, cond: impl Fn(&Output) -> bool) -> bool {
        let start = Instant::now();
        loop {
            {
                let o = self.out.lock().unwrap();
                if cond(&o) {
                    return true;
                }
                if o.eof {
                    return false;
                }
            }
            if start.elapsed() > timeout {
                return false;
            }
            thread::sleep(Duration::from_millis(2));
        }
    }

    /// Waits until nothing has arrived for `quiet`, counting from `since` when
    /// nothing arrived after it; false after `timeout`.
    fn until_quiet(&self, since: Instant, quiet: Duration, timeout: Duration) -> bool {
        self.wait(timeout, |o| {
            let last = o.last_byte_at.map_or(since, |t| t.max(since));
            last.elapsed() >= quiet
        })
    }

    fn bytes(&self) -> usize {
        self.out.lock().unwrap().bytes
    }

    /// (bytes, idle chunks) so far.
    fn counts(&self) -> (usize, usize) {
        let o = self.out.lock().unwrap();
        (o.bytes, o.idle_chunks)
    }

    fn screen(&self) -> String {
        self.out.lock().unwrap().parser.screen().contents()
    }

    fn quit(mut self) {
        let _ = self.session.send("q");
        let gone = self.wait(Duration::from_secs(5), |o| o.eof);
        if !gone {
            let _ = self.session.get_process_mut().exit(true);
        }
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn median(v: &[f64]) -> f64 {
    let mut v = v.to_vec();
    v.sort_by(f64::total_cmp);
    match v.len() {
        0 => 0.0,
        n if n % 2 == 1 => v[n / 2],
        n => f64::midpoint(v[n / 2 - 1], v[n / 2]),
    }
}

fn main() -> Result<()> {
    let args = Args::parse();
    let bin = if let Some(b) = &args.bin {
        b.clone()
    } else {
        let exe = std::env::current_exe()?;
        exe.parent()
            .and_then(Path::parent)
            .map(|d| d.join("sitrep"))
            .context("no sitrep binary next to this example")?
    };
    if !bin.is_file() {
        bail!(
            "{} not found: run `cargo build --release` first, or pass --bin",
            bin.display()
        );
    }
    let what = if args.paths.is_empty() {
        "bundled samples".to_string()
    } else {
        args.paths
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(" ")
    };
    println!("{} on {what} at {}x{}", bin.display(), args.cols, args.rows);

    // First frame, `starts` times.
    let mut first_bytes = Vec::new();
    let mut full_frames = Vec::new();
    let mut last = None;
    for i in 0..args.starts.max(1) {
        let reader = Reader::start(&args, &bin)?;
        let ok = reader.wait(Duration::from_secs(30), |o| o.full_frame_at.is_some());
        if !ok {
            bail!(
                "no full first frame within 30 s; screen:\n{}",
                reader.screen()
            );
        }
        let (first, full) = {
            let o = reader.out.lock().unwrap();
            let exec = o.exec_at.context("no exec marker")?;
            (
                ms(o.first_byte_at.unwrap_or(exec) - exec),
                ms(o.full_frame_at.unwrap_or(exec) - exec),
            )
        };
        println!(
            "start {}: first bytes {first:.1} ms, full first frame {full:.1} ms",
            i + 1
        );
        first_bytes.push(first);
        full_frames.push(full);
        if i + 1 == args.starts.max(1) {
            last = Some(reader);
        } else {
            reader.quit();
        }
    }
    let mut reader = last.context("no reader")?;

    // Let loading finish (the screen stops changing), then watch the idle output.
    let t = Instant::now();
    let settle = Duration::from_millis(args.settle_ms);
    let settled = reader.wait(Duration::from_secs(args.timeout_s), |o| {
        o.last_change_at.is_some_and(|c| c.elapsed() >= settle)
    });
    if !settled {
        bail!("the screen never settled within {} s", args.timeout_s);
    }
    println!(
        "screen settled after {:.1} s (loading finished)",
        t.elapsed().saturating_sub(settle).as_secs_f64()
    );
    let (before, chunks) = reader.counts();
    thread::sleep(Duration::from_secs(2));
    let (after, chunks_after) = reader.counts();
    let idle = after - before;
    let idle_chunks = chunks_after - chunks;
    println!("idle output: {idle} bytes in {idle_chunks} redraws that change nothing, in 2 s");

    // One-row moves. Idle redraws (a timer tick) would be counted with a move
    // that overlaps them: when there are any, each key goes right after one.
    let mut per_move = Vec::new();
    for _ in 0..args.moves {
        if idle_chunks > 0 {
            let (_, seen) = reader.counts();
            reader.wait(Duration::from_millis(1500), |o| o.idle_chunks > seen);
        }
        let before = reader.bytes();
        let sent = Instant::now();
        reader.session.send("j")?;
        reader.until_quiet(
            sent,
            Duration::from_millis(args.quiet_ms),
            Duration::from_secs(10),
        );
        per_move.push(reader.bytes() - before);
    }
    println!("bytes per `j`: {per_move:?}");
    let screen = reader.screen();
    reader.quit();

    let moves: Vec<f64> = per_move.iter().map(|&b| b as f64).collect();
    let max_move = per_move.iter().copied().max().unwrap_or(0);
    let max = |v: &[f64]| v.iter().copied().fold(0.0, f64::max);
    println!(
        "\nfirst bytes: median {:.1} ms, max {:.1} ms; full first frame: median {:.1} ms, max {:.1} ms",
        median(&first_bytes),
        max(&first_bytes),
        median(&full_frames),
        max(&full_frames)
    );
    println!(
        "bytes per one-row move: median {:.0}, max {max_move} ({} moves)",
        median(&moves),
        per_move.len()
    );
    if std::env::var_os("TERM_BYTES_SCREEN").is_some() {
        println!("\nlast screen:\n{screen}");
    }
    println!("\n# summary");
    println!("first_bytes_median_ms={:.1}", median(&first_bytes));
    println!("first_frame_median_ms={:.1}", median(&full_frames));
    println!("first_frame_max_ms={:.1}", max(&full_frames));
    println!("move_bytes_median={:.0}", median(&moves));
    println!("move_bytes_max={max_move}");
    println!("idle_bytes_per_s={:.0}", idle as f64 / 2.0);
    Ok(())
}
