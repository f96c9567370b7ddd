//! The labelled corpus (`tests/corpus/<publisher>/<doc>.txt` with `<doc>.json`):
//! reading it and scoring parsed stories against the expected ones. Used by the
//! corpus test and nothing at run time.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::story::StoryDate;

/// One expected story.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct Want {
    /// `YYYY-MM-DD`, `YYYY-MM` or none.
    pub date: Option<String>,
    /// The headline as printed (or the first sentence of the lead).
    pub headline: String,
    /// The byline, without `By `.
    pub byline: Option<String>,
}

/// A document's expectations.
#[derive(Debug, Clone, Deserialize)]
pub struct Expected {
    /// The page it was modelled on.
    #[serde(default)]
    pub url: String,
    /// digest, press-release, article, op-ed, live, round-up, blog, newsletter.
    pub layout: String,
    /// The stories, in document order.
    pub stories: Vec<Want>,
}

/// One corpus document.
#[derive(Debug, Clone)]
pub struct Doc {
    /// Its publisher (the folder name).
    pub publisher: String,
    /// The text file.
    pub path: PathBuf,
    /// The text, as the loader cleans it.
    pub text: String,
    /// What a reader expects of it.
    pub expected: Expected,
}

/// Reads every document under `root` (sorted, so runs are repeatable).
///
/// # Errors
/// A file that cannot be read or an expectation that cannot be parsed, named.
pub fn read(root: &Path) -> Result<Vec<Doc>, String> {
    let mut paths: Vec<PathBuf> = walkdir::WalkDir::new(root)
        .into_iter()
        .filter_map(Result::ok)
        .map(walkdir::DirEntry::into_path)
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    let mut docs = Vec::new();
    for path in paths {
        let json = path.with_extension("json");
        let raw = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let text = crate::text::clean(&String::from_utf8_lossy(&raw)).into_owned();
        let exp = std::fs::read_to_string(&json).map_err(|e| format!("{}: {e}", json.display()))?;
        let expected: Expected =
            serde_json::from_str(&exp).map_err(|e| format!("{}: {e}", json.display()))?;
        let publisher = path
            .parent()
            .and_then(Path::file_name)
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        docs.push(Doc {
            publisher,
            path,
            text,
            expected,
        });
    }
    Ok(docs)
}

/// Spaces collapsed, ends trimmed: how headlines and bylines are compared.
#[must_use]
pub fn norm(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The date a date unit holds as expectations write it; an impossible date is
/// `Some(None)`, as it leaves its stories undated.
/// Counts for headline precision and recall, and date and byline accuracy.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Score {
    /// Stories expected.
    pub expected: usize,
    /// Stories found.
    pub found: usize,
    /// Found stories whose headline is an expected one.
    pub headlines: usize,
    /// Of those, with the expected date.
    pub dates: usize,
    /// Of those, with the expected byline (or none when none is expected).
    pub bylines: usize,
}

impl Score {
    /// Adds another score.
    pub fn add(&mut self, o: Score) {
        self.expected += o.expected;
        self.found += o.found;
        self.headlines += o.headlines;
        self.dates += o.dates;
        self.bylines += o.bylines;
    }

    fn pct(a: usize, b: usize) -> f64 {
        if b == 0 {
            100.0
        } else {
            #[allow(clippy::cast_precision_loss)] // counts far below 2^52
            let r = a as f64 * 100.0 / b as f64;
            r
        }
    }

    /// Headline precision, in per cent.
    #[must_use]
    pub fn precision(&self) -> f64 {
        Self::pct(self.headlines, self.found)
    }

    /// Headline recall, in per cent.
    #[must_use]
    pub fn recall(&self) -> f64 {
        Self::pct(self.headlines, self.expected)
    }

    /// Dates right among stories found with the right headline, in per cent.
    #[must_use]
    pub fn date_accuracy(&self) -> f64 {
        Self::pct(self.dates, self.headlines)
    }

    /// Bylines right among stories found with the right headline, in per cent.
    #[must_use]
    pub fn byline_accuracy(&self) -> f64 {
        Self::pct(self.bylines, self.headlines)
    }
}

/// A parsed story as compared: date, headline, byline.
pub type Got = (Option<String>, String, Option<String>);

/// Scores parsed stories against the expected ones (matched by headline, each
/// expected story at most once).
#[must_use]
pub fn score(got: &[Got], want: &[Want]) -> Score {
    let mut used = vec![false; want.len()];
    let mut s = Score {
        expected: want.len(),
        found: got.len(),
        ..Score::default()
    };
    for (date, headline, byline) in got {
        let h = norm(headline);
        let Some(k) = (0..want.len()).find(|&k| !used[k] && norm(&want[k].headline) == h) else {
            continue;
        };
        used[k] = true;
        s.headlines += 1;
        if *date == want[k].date {
            s.dates += 1;
        }
        if byline.as_deref().map(norm) == want[k].byline.as_deref().map(norm) {
            s.bylines += 1;
        }
    }
    s
}

/// Parses `text` as the loader does and gives the stories as compared.
#[must_use]
pub fn parse(text: &str) -> Vec<Got> {
    let parsed = crate::loader::parse::parse(text);
    parsed
        .stories
        .iter()
        .map(|s| {
            let t = |sp: crate::story::Span| parsed.text.get(sp.range()).unwrap_or("").to_string();
            (
                (s.date != StoryDate::Undated)
                    .then(|| s.date.iso())
                    .flatten(),
                t(s.headline),
                s.byline.map(t),
            )
        })
        .collect()
}

/// The report in ACCURACY.md: one row per layout and the total.
#[must_use]
pub fn report(scored: &[(&Doc, Score)]) -> (String, Score) {
    use std::fmt::Write as _;
    let mut layouts: Vec<&str> = scored
        .iter()
        .map(|(d, _)| d.expected.layout.as_str())
        .collect();
    layouts.sort_unstable();
    layouts.dedup();
    let mut out = String::from(
        "| Layout | Documents | Stories | Headline precision | Headline recall | Dates | Bylines |\n|---|---|---|---|---|---|---|\n",
    );
    let mut total = Score::default();
    let row = |out: &mut String, name: &str, docs: usize, s: &Score| {
        let _ = writeln!(
            out,
            "| {name} | {docs} | {} | {:.1}% | {:.1}% | {:.1}% | {:.1}% |",
            s.expected,
            s.precision(),
            s.recall(),
            s.date_accuracy(),
            s.byline_accuracy()
        );
    };
    for l in layouts {
        let mut s = Score::default();
        let mut n = 0;
        for (_, sc) in scored.iter().filter(|(d, _)| d.expected.layout == l) {
            s.add(*sc);
            n += 1;
        }
        total.add(s);
        row(&mut out, l, n, &s);
    }
    row(&mut out, "**all**", scored.len(), &total);
    (out, total)
}
