//! Files and folders → a [`Library`]. The thin file-system part: walking folders,
//! reading and decoding bytes, running the pure parser on both cores, and putting
//! the stories in order. Nothing here touches the terminal.

mod container;
#[doc(hidden)]
pub mod corpus;
pub mod date;
pub mod features;
pub mod html;
pub mod mail;
pub mod model;
pub mod para;
pub mod parse;
pub mod segment;

use std::borrow::Cow;
use std::os::unix::fs::MetadataExt;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use walkdir::DirEntryExt;

use rayon::prelude::*;

pub use container::{Kind, is_document, is_mail};
use container::{Meta, file_warning, is_maildir_folder, load_bytes};

use crate::story::{Doc, Library, Span, Story, StoryDate, StoryId, Warning};
use crate::text;

/// The sample documents shipped inside the binary: (file name, bytes).
pub const BUNDLED: [(&str, &[u8]); 5] = [
    (
        "000_b67bd90313a62b7f.txt",
        include_bytes!("../../assets/000_b67bd90313a62b7f.txt"),
    ),
    (
        "001_d4199d58d9585a3b.txt",
        include_bytes!("../../assets/001_d4199d58d9585a3b.txt"),
    ),
    (
        "002_c9252000ea79d87e.txt",
        include_bytes!("../../assets/002_c9252000ea79d87e.txt"),
    ),
    (
        "003_cc69f91cf3659b82.txt",
        include_bytes!("../../assets/003_cc69f91cf3659b82.txt"),
    ),
    (
        "004_b8399ad4387e3a20.txt",
        include_bytes!("../../assets/004_b8399ad4387e3a20.txt"),
    ),
];

/// Files larger than this are skipped with a warning.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Mail files (`.eml`, `.mbox`, Maildir messages) larger than this are skipped
/// with a warning: a mailbox holds many messages, a message large attachments.
pub const MAX_MAIL_BYTES: u64 = 1024 * 1024 * 1024;

/// A document, its stories, and their ids (hashed on the worker).
type DocStories = (Doc, Vec<parse::ParsedStory>, Vec<StoryId>);

/// One file's worth of loading: what came out of it (one document, or one per
/// message of an mbox) and what went wrong.
struct Loaded {
    docs: Vec<DocStories>,
    warnings: Vec<Warning>,
}

/// Loads the bundled sample library.
#[must_use]
pub fn load_bundled() -> Library {
    let loaded: Vec<Loaded> = BUNDLED
        .iter()
        .map(|(name, bytes)| {
            let stem = name.trim_end_matches(".txt");
            load_bytes(
                &format!("bundled:{name}"),
                stem,
                bytes,
                Some(Kind::Text),
                String::new(),
            )
        })
        .collect();
    assemble(loaded, Vec::new(), BUNDLED.len())
}

/// Loads every document under `paths`: `.txt`, `.html`/`.htm`, `.eml`,
/// `.mbox` and extension-less mbox files, and Maildir messages (files given
/// directly load whatever their name, read as what their bytes look like). Hidden entries are skipped; symlink loops and non-regular files
/// are skipped with a warning. Files are read while the folders are still being
/// walked: `progress(done, total)` is called as files finish, from worker
/// threads; `total` is `None` until the walk has ended, which is reported right
/// then (before the last files are read; with fewer than 64 files, before any is).
pub fn load_paths(paths: &[PathBuf], progress: &(dyn Fn(usize, Option<usize>) + Sync)) -> Library {
    let (loaded, warnings, total) = walk_map(paths, progress, &|path| load_file(path));
    assemble(loaded, warnings, total)
}

/// Files handed to a worker at a time while the folders are walked.
const WALK_CHUNK: usize = 64;

/// Walks `paths` as [`collect_files`] does and runs `each` on the files on the
/// thread pool as they are found, so reading starts before the walk ends.
/// Returns the results in file order, the walk's warnings (sorted by file) and
/// the number of files. `progress` is called as [`load_paths`] says.
fn walk_map<T: Send>(
    paths: &[PathBuf],
    progress: &(dyn Fn(usize, Option<usize>) + Sync),
    each: &(dyn Fn(&Path) -> T + Sync),
) -> (Vec<T>, Vec<Warning>, usize) {
    let found = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    // The number of files once the walk has ended; `usize::MAX` until then.
    let total = AtomicUsize::new(usize::MAX);
    let (tx, rx) = std::sync::mpsc::channel::<(usize, Vec<T>)>();
    let mut warnings = Vec::new();
    rayon::scope(|scope| {
        let (done, total) = (&done, &total);
        let run = |index: usize, files: Vec<PathBuf>| {
            let tx = tx.clone();
            scope.spawn(move |_| {
                let out = files
                    .iter()
                    .map(|path| {
                        let result = each(path);
                        let finished = done.fetch_add(1, Ordering::AcqRel) + 1;
                        let total = total.load(Ordering::Acquire);
                        progress(finished, (total != usize::MAX).then_some(total));
                        result
                    })
                    .collect();
                // The receiver outlives the scope.
                let _ = tx.send((index, out));
            });
        };
        let mut chunks = 0;
        let mut chunk = Vec::with_capacity(WALK_CHUNK);
        warnings = walk(paths, &mut |path| {
            found.fetch_add(1, Ordering::Relaxed);
            chunk.push(path);
            if chunk.len() == WALK_CHUNK {
                run(
                    chunks,
                    std::mem::replace(&mut chunk, Vec::with_capacity(WALK_CHUNK)),
                );
                chunks += 1;
            }
        });
        // The total is known: said before the last files are handed out (with
        // fewer than a chunk of files, before any is read).
        let found = found.load(Ordering::Relaxed);
        total.store(found, Ordering::Release);
        progress(done.load(Ordering::Acquire), Some(found));
        if !chunk.is_empty() {
            run(chunks, chunk);
        }
    });
    drop(tx);
    let mut parts: Vec<(usize, Vec<T>)> = rx.into_iter().collect();
    parts.sort_unstable_by_key(|(index, _)| *index);
    let found = found.into_inner();
    let mut results = Vec::with_capacity(found);
    for (_, part) in parts {
        results.extend(part);
    }
    warnings.sort_by(|a, b| a.file.cmp(&b.file));
    (results, warnings, found)
}

/// Which stories of a file [`load_paths_where`] keeps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Keep {
    /// The whole file.
    All,
    /// Only these stories (positions in the file's library).
    Stories(Vec<u32>),
    /// Only these stories, and of them only headline and byline (no paragraphs):
    /// enough to list them.
    Headlines(Vec<u32>),
}

/// Loads like [`load_paths`], but keeps of each file only what `keep` (asked on
/// the worker with a library of that one file) names; the rest is parsed and
/// dropped, warnings kept. The result is what [`load_paths`] gives with the
/// dropped stories taken out (and their paragraphs, for [`Keep::Headlines`]), in
/// the same order. For a batch search: the text of stories without a match is
/// never held.
pub fn load_paths_where(
    paths: &[PathBuf],
    progress: &(dyn Fn(usize, Option<usize>) + Sync),
    keep: &(dyn Fn(&Library) -> Keep + Sync),
) -> Library {
    let (parts, warnings, total) = walk_map(paths, progress, &|path| {
        let mut one = assemble(vec![load_file(path)], Vec::new(), 1);
        let (stories, bodies) = match keep(&one) {
            Keep::All => return one,
            Keep::Stories(stories) => (stories, true),
            Keep::Headlines(stories) => (stories, false),
        };
        let kept = one.extract(&stories, bodies);
        // The full text goes back for the next file on this thread.
        if let Some(text) = one.docs.pop().map(|d| d.text)
            && text.capacity() <= READ_BUFFER_KEEP
        {
            SPARE.with_borrow_mut(|spare| *spare = Some(text));
        }
        kept
    });
    let mut lib = Library {
        files: total,
        warnings,
        ..Library::default()
    };
    lib.docs
        .reserve_exact(parts.iter().map(|p| p.docs.len()).sum());
    lib.paras
        .reserve_exact(parts.iter().map(|p| p.paras.len()).sum());
    lib.stories
        .reserve_exact(parts.iter().map(|p| p.stories.len()).sum());
    for part in parts {
        let doc_base = u32::try_from(lib.docs.len()).unwrap_or(u32::MAX);
        let para_base = u32::try_from(lib.paras.len()).unwrap_or(u32::MAX);
        lib.docs.extend(part.docs);
        lib.paras.extend(part.paras);
        lib.warnings.extend(part.warnings);
        lib.stories.extend(part.stories.into_iter().map(|mut s| {
            s.doc += doc_base;
            s.paras = s.paras.start + para_base..s.paras.end + para_base;
            s
        }));
    }
    // Each part is in date order already; stable, so files keep their order.
    lib.stories
        .par_sort_by(|a, b| StoryDate::newest_first(&a.date, &b.date));
    lib
}

/// How a path is written as an origin and in warnings (cleaned of controls).
#[must_use]
pub fn display(path: &Path) -> String {
    text::clean_inline(&path.to_string_lossy()).into_owned()
}

fn warning(path: &Path, reason: impl Into<String>, fatal: bool) -> Warning {
    Warning {
        file: display(path),
        path: Some(path.to_path_buf()),
        line: None,
        reason: text::clean_inline(&reason.into()).into_owned(),
        fatal,
    }
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_string_lossy().starts_with('.')
}

fn collect_files(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<Warning>) {
    let mut files = Vec::new();
    let warnings = walk(paths, &mut |path| files.push(path));
    (files, warnings)
}

/// Walks `paths`, handing each file to load to `on_file` in order (see
/// [`load_paths`] for which); returns the warnings met on the way.
fn walk(paths: &[PathBuf], on_file: &mut dyn FnMut(PathBuf)) -> Vec<Warning> {
    let mut warnings = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for root in paths {
        let walker = walkdir::WalkDir::new(root)
            .follow_links(true)
            // Siblings share their folder's path, so their whole paths sort as
            // their names do, compared as bytes without taking names apart.
            .sort_by(|a, b| a.path().as_os_str().cmp(b.path().as_os_str()))
            .into_iter()
            .filter_entry(|e| {
                e.depth() == 0 || !is_hidden(e.file_name()) || is_maildir_folder(e.path())
            });
        // The device of the folder at each depth: a file's device is its folder's,
        // so one stat per folder (not per file) with the inode from the folder
        // listing tells files apart.
        let mut devs: Vec<Option<u64>> = Vec::new();
        for entry in walker {
            let entry = match entry {
                Ok(e) => e,
                Err(err) => {
                    let path = err.path().unwrap_or(root);
                    let reason = if err.loop_ancestor().is_some() {
                        "symlink loop, skipped".to_string()
                    } else {
                        err.io_error()
                            .map_or_else(|| err.to_string(), ToString::to_string)
                    };
                    warnings.push(warning(path, reason, true));
                    continue;
                }
            };
            let kind = entry.file_type();
            if kind.is_dir() {
                devs.truncate(entry.depth());
                devs.push(entry.metadata().ok().map(|m| m.dev()));
                continue;
            }
            let path = entry.path();
            if entry.depth() > 0 && !is_document(path) {
                continue;
            }
            if !kind.is_file() {
                warnings.push(warning(path, "not a regular file, skipped", true));
                continue;
            }
            // The same file reached twice (overlapping paths, symlinks) loads once.
            // A symlink's listed inode is the link's own: those are looked up.
            let folder = entry
                .depth()
                .checked_sub(1)
                .and_then(|d| devs.get(d))
                .copied()
                .flatten();
            let key = match folder {
                Some(dev) if !entry.path_is_symlink() => (dev, entry.ino()),
                _ => match entry.metadata() {
                    Ok(m) => (m.dev(), m.ino()),
                    Err(e) => {
                        warnings.push(warning(path, format!("cannot read: {e}"), true));
                        continue;
                    }
                },
            };
            if seen.insert(key) {
                on_file(path.to_path_buf());
            }
        }
    }
    warnings
}

/// A read buffer grown past this (by a large file) is given back.
const READ_BUFFER_KEEP: usize = 1 << 20;

thread_local! {
    /// The text buffer of a document just dropped by [`load_paths_where`], for
    /// the next file this thread parses: no fresh memory for files not kept.
    static SPARE: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

fn load_file(path: &Path) -> Loaded {
    let origin = display(path);
    let fail = |reason: String| Loaded {
        docs: Vec::new(),
        warnings: vec![warning(path, reason, true)],
    };
    let stem = path
        .file_stem()
        .map(|s| text::clean_inline(&s.to_string_lossy()).into_owned())
        .unwrap_or_default();
    // One read buffer per thread, kept: fresh memory is slow to come by (every
    // page is faulted in and zeroed), and only the parsed text is kept.
    thread_local! {
        static BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    let read = BUFFER.with_borrow_mut(|bytes| {
        let kind = Kind::by_name(path);
        let limit = match kind {
            Some(Kind::Email | Kind::Mbox) => MAX_MAIL_BYTES,
            _ => MAX_FILE_BYTES,
        };
        let loaded = read_regular(path, bytes, limit).map(|()| {
            let spare = SPARE.with_borrow_mut(Option::take).unwrap_or_default();
            load_bytes(&origin, &stem, bytes, kind, spare)
        });
        if bytes.capacity() > READ_BUFFER_KEEP {
            *bytes = Vec::new();
        }
        loaded
    });
    let mut loaded = match read {
        Ok(loaded) => loaded,
        Err(reason) => return fail(reason),
    };
    for (doc, _, _) in &mut loaded.docs {
        doc.path = Some(path.to_path_buf());
    }
    for w in &mut loaded.warnings {
        w.path = Some(path.to_path_buf());
    }
    loaded
}

/// Reads one file as the loader does (regular files only, decoded, cleaned).
///
/// # Errors
/// Why the file cannot be read, in words.
pub fn read_text(path: &Path) -> Result<String, String> {
    let mut bytes = Vec::new();
    read_regular(path, &mut bytes, MAX_FILE_BYTES)?;
    let (text, _) = decode(&bytes).map_err(str::to_string)?;
    Ok(text::clean(&text).into_owned())
}

/// Reads a regular file of at most `limit` bytes. The file is opened without
/// blocking and checked on the open handle, so a file swapped for a FIFO or a
/// device after the folder walk is refused, never read; a file that grows past
/// the limit meanwhile is cut off and refused.
fn read_regular(path: &Path, bytes: &mut Vec<u8>, limit: u64) -> Result<(), String> {
    use std::io::Read;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
        .map_err(|e| format!("cannot read: {e}"))?;
    let meta = file.metadata().map_err(|e| format!("cannot read: {e}"))?;
    if !meta.is_file() {
        return Err("not a regular file, skipped".to_string());
    }
    let too_large = |len: u64| {
        format!(
            "file too large ({} MB, limit {} MB), skipped",
            len / (1024 * 1024),
            limit / (1024 * 1024)
        )
    };
    if meta.len() > limit {
        return Err(too_large(meta.len()));
    }
    // Read to the size the file had when opened, plus one byte that shows it
    // has grown since: then the rest is read too. Usually two reads, the
    // second saying end of file.
    let len = usize::try_from(meta.len()).unwrap_or(0);
    // What the buffer held is read over (and cut off below), so only a tail
    // it grows by is zeroed.
    bytes.resize(len + 1, 0);
    let mut filled = 0;
    while filled < bytes.len() {
        match file.read(&mut bytes[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(format!("cannot read: {e}")),
        }
    }
    bytes.truncate(filled);
    if filled > len {
        file.take(limit + 1 - filled as u64)
            .read_to_end(bytes)
            .map_err(|e| format!("cannot read: {e}"))?;
    }
    if bytes.len() as u64 > limit {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(())
}

/// Decodes bytes to text: UTF-8 (BOM removed); UTF-16 with a BOM; otherwise
/// Windows-1252 when the bytes hold no valid multi-byte UTF-8 at all, else UTF-8
/// with replacement characters. The note says which fallback was used.
///
/// # Errors
/// A reason when the bytes are not text (binary data).
pub fn decode(bytes: &[u8]) -> Result<(Cow<'_, str>, Option<&'static str>), &'static str> {
    if let Some((enc, _)) = encoding_rs::Encoding::for_bom(bytes)
        && enc != encoding_rs::UTF_8
    {
        let (text, _, bad) = enc.decode(bytes);
        let note = if bad {
            "invalid UTF-16 replaced"
        } else {
            "decoded as UTF-16"
        };
        return Ok((Cow::Owned(text.into_owned()), Some(note)));
    }
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    // Like git: judge by the first 8000 bytes. Text has no NUL and few controls.
    let head = &bytes[..bytes.len().min(8000)];
    // NUL counts as a control too. Branch-free, so it runs on vector lanes.
    let control =
        |b: u8| (b < 0x20) & (b != b'\n') & (b != b'\r') & (b != b'\t') & (b != 0x0c) & (b != 0x1b);
    // Text nearly always has none: one pass says so, and only then are they counted.
    if head.iter().fold(false, |any, &b| any | control(b)) {
        // 16-bit sums (8000 fits), again for vector lanes.
        let controls: u16 = head.iter().map(|&b| u16::from(control(b))).sum();
        if head.contains(&0) || usize::from(controls) * 10 > head.len() {
            return Err("not a text file (binary data), skipped");
        }
    }
    if let Ok(s) = simdutf8::basic::from_utf8(bytes) {
        Ok((Cow::Borrowed(s), None))
    } else {
        let has_multibyte = String::from_utf8_lossy(bytes)
            .chars()
            .any(|c| c != char::REPLACEMENT_CHARACTER && !c.is_ascii());
        if has_multibyte {
            Ok((
                String::from_utf8_lossy(bytes),
                Some("invalid UTF-8 replaced with \u{fffd}"),
            ))
        } else {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            // The five bytes Windows-1252 leaves undefined decode to C1 controls;
            // they are gaps, not the start of a terminal string: drop them here
            // so the clean-up does not read them as one.
            let text = if text.contains(|c: char| ('\u{80}'..='\u{9f}').contains(&c)) {
                Cow::Owned(text.replace(|c: char| ('\u{80}'..='\u{9f}').contains(&c), ""))
            } else {
                text
            };
            Ok((text, Some("not UTF-8, decoded as Windows-1252")))
        }
    }
}

/// Parses one document's text; `None` when it holds no story.
fn load_text(
    origin: &str,
    stem: &str,
    decoded: &str,
    meta: &Meta,
    spare: String,
) -> (Option<DocStories>, Vec<Warning>) {
    let cleaned = text::clean(decoded);
    let mut parsed = parse::parse_in(&cleaned, spare);
    if let Some(date) = meta.date {
        let mut dated = false;
        for s in &mut parsed.stories {
            if s.date == StoryDate::Undated {
                s.date = date;
                dated = true;
            }
        }
        if dated {
            parsed
                .warnings
                .retain(|(_, w)| !w.starts_with("no date found"));
        }
    }
    let warnings = parsed
        .warnings
        .iter()
        .map(|(line, reason)| file_warning(origin, *line, reason, false))
        .collect();
    let mut buf = String::new();
    let ids = parsed
        .stories
        .iter()
        .map(|s| {
            let text = |span: Span| parsed.text.get(span.range()).unwrap_or("");
            let first = s.paras.first().map_or("", |&p| text(p));
            StoryId::compute_in(&mut buf, s.date, text(s.headline), first)
        })
        .collect();
    let source = meta
        .source
        .clone()
        .or(parsed.source)
        .or_else(|| meta.fallback_source.clone())
        .map_or_else(|| stem.to_string(), |s| text::clean_inline(&s).into_owned());
    let doc = Doc {
        path: None,
        origin: origin.to_string(),
        source,
        text: parsed.text,
    };
    (Some((doc, parsed.stories, ids)), warnings)
}

fn assemble(loaded: Vec<Loaded>, mut warnings: Vec<Warning>, files: usize) -> Library {
    let mut lib = Library {
        files,
        ..Library::default()
    };
    // Sized once: growing by doubling would touch (and copy) twice the memory.
    let parsed = || loaded.iter().flat_map(|l| &l.docs);
    lib.docs.reserve_exact(parsed().count());
    lib.stories
        .reserve_exact(parsed().map(|(_, stories, _)| stories.len()).sum());
    lib.paras.reserve_exact(
        parsed()
            .flat_map(|(_, stories, _)| stories)
            .map(|s| s.paras.len())
            .sum(),
    );
    for item in loaded {
        warnings.extend(item.warnings);
        for (doc, stories, ids) in item.docs {
            let doc_index = u32::try_from(lib.docs.len()).unwrap_or(u32::MAX);
            for (s, id) in stories.into_iter().zip(ids) {
                let start = u32::try_from(lib.paras.len()).unwrap_or(u32::MAX);
                lib.paras.extend_from_slice(&s.paras);
                let end = u32::try_from(lib.paras.len()).unwrap_or(u32::MAX);
                lib.stories.push(Story {
                    id,
                    date: s.date,
                    doc: doc_index,
                    headline: s.headline,
                    byline: s.byline,
                    paras: start..end,
                    derived_headline: s.derived_headline,
                });
            }
            lib.docs.push(doc);
        }
    }
    // Stable: same-date stories keep file order, then document order.
    lib.stories
        .par_sort_by(|a, b| StoryDate::newest_first(&a.date, &b.date));
    lib.warnings = warnings;
    lib
}

/// Loads `paths` like [`load_paths`], in parts handed to `on_part` as they
/// finish (in file order, so merging them gives the same order as one load).
/// The first part has `part_files` files; a later one is handed over once it has
/// as many files as all parts before it (so merging the parts into one library
/// costs a small multiple of its size), or once `max_wait` has passed since the
/// last part (so the lists keep filling). `on_progress(done, total)` reports files
/// every `part_files` files; `total` is `None` while the folders are still being
/// walked. `stop()` is asked every `part_files` files; once it says stop, files
/// read but not yet handed over are dropped.
pub fn load_paths_in_parts(
    paths: &[PathBuf],
    part_files: usize,
    max_wait: std::time::Duration,
    on_part: &mut dyn FnMut(Library),
    on_progress: &mut dyn FnMut(usize, Option<usize>),
    stop: &dyn Fn() -> bool,
) {
    on_progress(0, None);
    let (files, mut warnings) = collect_files(paths);
    let total = files.len();
    warnings.sort_by(|a, b| a.file.cmp(&b.file));
    on_progress(0, Some(total));
    if !warnings.is_empty() || files.is_empty() {
        on_part(assemble(Vec::new(), warnings, 0));
    }
    let (mut done, mut sent) = (0, 0);
    let mut last_part = std::time::Instant::now();
    let mut pending: Vec<Loaded> = Vec::new();
    for chunk in files.chunks(part_files.max(1)) {
        if stop() {
            return;
        }
        pending.extend(chunk.par_iter().map(|p| load_file(p)).collect::<Vec<_>>());
        done += chunk.len();
        // Merging a part costs time in the size of the whole library: parts as
        // big as all before them keep the sum of the merges linear.
        if pending.len() >= sent || done == total || last_part.elapsed() >= max_wait {
            let files = pending.len();
            sent += files;
            on_part(assemble(std::mem::take(&mut pending), Vec::new(), files));
            last_part = std::time::Instant::now();
        }
        on_progress(done, Some(total));
    }
}

#[cfg(test)]
mod tests;
