//! Entry point: parse arguments, run a command or the reader, set the exit code.
#![forbid(unsafe_code)]

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;
use sitrep::cli::{self, Cli, Command};
use sitrep::runtime;

/// mimalloc: loading and fuzzy matching allocate many small blocks on both cores,
/// where it is markedly faster than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args = Cli::parse();
    // Before the terminal is touched, so a problem prints normally.
    if let Err(e) = sitrep::logging::init(args.log) {
        report(&anyhow::Error::new(e).context("log not started"));
    }
    let (command, paths) = args
        .command
        .as_ref()
        .map_or(("reader", args.paths.len()), Command::describe);
    tracing::info!(version = env!("CARGO_PKG_VERSION"), command, paths, "start");
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let mut err = io::stderr();
    // Tables fit the terminal they are printed on; piped, lines stay whole.
    let width = io::stdout()
        .is_terminal()
        .then(ratatui::crossterm::terminal::size)
        .and_then(Result::ok)
        .map(|(cols, _)| usize::from(cols));
    let interactive = io::stdout().is_terminal() && io::stdin().is_terminal();
    let drawable = sitrep::runtime::tty::can_draw(std::env::var_os("TERM").as_deref());
    let result = match args.command {
        Some(command) => cli::run(
            &command,
            args.config_dir.as_deref(),
            width,
            &mut out,
            &mut err,
        ),
        // Not a terminal (piped), or one that cannot draw the reader (TERM=dumb):
        // print the list instead of opening the reader.
        None if !interactive || !drawable => {
            if interactive {
                // As `less` warns on such a terminal.
                let _ = writeln!(
                    err,
                    "sitrep: this terminal (TERM=dumb) cannot show the reader; listing the stories instead"
                );
            }
            let list = Command::List {
                json: false,
                input: cli::Input { paths: args.paths },
            };
            cli::run(&list, args.config_dir.as_deref(), width, &mut out, &mut err)
        }
        None => {
            drop(out);
            return match runtime::start(
                &args.paths,
                args.config_dir.as_deref(),
                runtime::Options {
                    mouse: !args.no_mouse,
                    watch: !args.no_watch,
                },
            ) {
                Ok(code) => ExitCode::from(code),
                Err(e) => {
                    report(&e);
                    ExitCode::from(2)
                }
            };
        }
    }
    .and_then(|code| {
        out.flush()?;
        Ok(code)
    });
    match result {
        Ok(code) => ExitCode::from(u8::try_from(code).unwrap_or(1)),
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            report(&e);
            ExitCode::from(2)
        }
    }
}

/// Prints an error as one clean line on stderr.
fn report(e: &anyhow::Error) {
    let _ = writeln!(
        io::stderr(),
        "sitrep: {}",
        sitrep::text::clean_inline(&format!("{e:#}"))
    );
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
    })
}
