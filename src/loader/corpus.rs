//! The labelled corpus (`tests/corpus/<publisher>/<doc>.txt` with `<doc>.json`):
//! reading it, turning each document's expected stories into true roles for
//! learning, and scoring parsed stories against the expected ones. Used by the
//! corpus test, `examples/train.rs` and nothing at run time.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::loader::date;
use crate::loader::features::{self, Shape};
use crate::loader::para;
use crate::loader::segment::{self, Role, Unit};
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
#[allow(clippy::option_option)] // no date line, or one whose date is impossible
fn unit_date(unit: &Unit<'_>, shape: &Shape) -> Option<Option<String>> {
    match segment::unit_date(unit, shape)?.0 {
        date::DateText::Date(d) => Some(d.iso()),
        date::DateText::Impossible => Some(None),
    }
}

/// The true roles of a document's units, from its expected stories: each
/// expected headline is found in order (as a unit, or as the start of a lead);
/// bylines and date lines are found around it; units before the first story are
/// furniture, the rest body. Returns the roles and the stories that could not be
/// found (a label to fix).
#[must_use]
pub fn gold(units: &[Unit<'_>], shapes: &[Shape], want: &[Want]) -> (Vec<Role>, Vec<String>) {
    let n = units.len();
    let mut roles = vec![Role::Furniture; n];
    let mut starts: Vec<(usize, usize)> = Vec::new(); // (unit, story)
    let mut lost = Vec::new();
    let mut pos = 0;
    for (k, w) in want.iter().enumerate() {
        let h = norm(&w.headline);
        let text = |j: usize| norm(&units[j].text);
        let found = (pos..n)
            .find(|&j| {
                text(j) == h
                    || norm(segment::strip_number(&units[j].text)) == h
                    || units[j].whole.as_deref().is_some_and(|w| norm(w) == h)
            })
            .map(|j| (j, Role::Headline))
            .or_else(|| {
                (pos..n)
                    .find(|&j| text(j).starts_with(&h))
                    .map(|j| (j, Role::Lead))
            });
        match found {
            Some((j, role)) => {
                roles[j] = role;
                starts.push((j, k));
                pos = j + 1;
            }
            None => lost.push(w.headline.clone()),
        }
    }
    for (s, &(j, k)) in starts.iter().enumerate() {
        let end = starts.get(s + 1).map_or(n, |&(next, _)| next);
        let w = &want[k];
        let next_date = starts.get(s + 1).and_then(|&(_, nk)| want[nk].date.clone());
        for r in roles.iter_mut().take(end).skip(j + 1) {
            *r = Role::Body;
        }
        // The byline: consecutive units whose names, joined, give it.
        if let Some(b) = &w.byline {
            let b = norm(b);
            'find: for a in j + 1..end {
                let mut joined = String::new();
                for (z, unit) in units.iter().enumerate().take(end.min(a + 4)).skip(a) {
                    let part = segment_name(&unit.text);
                    if !joined.is_empty() {
                        joined.push_str(", ");
                    }
                    joined.push_str(part.trim_end_matches([',', ' ']));
                    if norm(&joined) == b {
                        for r in roles.iter_mut().take(z + 1).skip(a) {
                            *r = Role::Byline;
                        }
                        break 'find;
                    }
                    if !b.starts_with(&norm(&joined)) {
                        break;
                    }
                }
            }
        }
        let mut seen_body = false;
        for z in j + 1..end {
            if roles[z] == Role::Byline {
                continue;
            }
            let d = unit_date(&units[z], &shapes[z]);
            if let Some(d) = d {
                let mine = w.date == d;
                let next = starts.get(s + 1).is_some() && next_date == d;
                let last_date_before_next =
                    (z + 1..end).all(|y| unit_date(&units[y], &shapes[y]).is_none());
                // Its own date (above its text), or the next story's section date.
                let own = mine && !seen_body;
                let section = next && last_date_before_next && !(mine && units[z].split_date);
                roles[z] = if own || section {
                    Role::Date
                } else if mine {
                    Role::Trailer
                } else {
                    Role::Body
                };
                continue;
            }
            if roles[z] == Role::Body && !units[z].text.is_empty() {
                seen_body = true;
            }
        }
    }
    // Before the first story: its date line, else furniture.
    let first = starts.first().map_or(n, |&(j, _)| j);
    let first_date = starts.first().and_then(|&(_, k)| want[k].date.clone());
    for z in 0..first {
        if unit_date(&units[z], &shapes[z]).is_some_and(|d| d == first_date) {
            roles[z] = Role::Date;
        }
    }
    (roles, lost)
}

fn segment_name(text: &str) -> &str {
    for p in ["By ", "by ", "BY "] {
        if let Some(rest) = text.strip_prefix(p) {
            return rest.trim();
        }
    }
    text
}

/// A document's units, shapes, features and true roles.
#[must_use]
pub fn example(doc: &Doc) -> (crate::loader::model::Example, Vec<String>) {
    let (paras, _) = para::split(&doc.text);
    let units = segment::units(&paras);
    let (shapes, feats) = features::all(&units);
    let (roles, lost) = gold(&units, &shapes, &doc.expected.stories);
    ((feats, roles), lost)
}

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

/// Parses `text` with `model` and gives the stories as compared.
#[must_use]
pub fn parse_with(text: &str, model: &crate::loader::model::Model) -> Vec<Got> {
    let parsed = crate::loader::parse::parse_with(text, String::new(), model);
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

/// How many passes the perceptron makes over the corpus.
pub const EPOCHS: usize = 20;

/// How many times a document counts when learning: the documented formats (the
/// samples and the hand-written fixtures) are the contract, so they count five
/// times and the weights fit them first.
fn weight(d: &Doc) -> usize {
    if d.expected.url.starts_with("bundled sample")
        || d.expected.url.starts_with("written for tests")
    {
        5
    } else {
        1
    }
}

fn learn_from(examples: &[(&Doc, crate::loader::model::Example)]) -> crate::loader::model::Model {
    let list: Vec<crate::loader::model::Example> = examples
        .iter()
        .flat_map(|(d, e)| std::iter::repeat_n(e.clone(), weight(d)))
        .collect();
    let mut model = crate::loader::model::train(&list, EPOCHS);
    // The contract is then fitted exactly, as far as the features allow.
    let must: Vec<crate::loader::model::Example> = examples
        .iter()
        .filter(|(d, _)| weight(d) > 1)
        .map(|(_, e)| e.clone())
        .collect();
    crate::loader::model::fit(&mut model, &must, FIT_PASSES);
    model
}

/// How many passes fitting the contract may take.
const FIT_PASSES: usize = 50;

/// Learns weights from `docs` (the shipped weights are `learn(all documents)`).
#[must_use]
pub fn learn(docs: &[&Doc]) -> crate::loader::model::Model {
    let examples: Vec<(&Doc, crate::loader::model::Example)> =
        docs.iter().map(|d| (*d, example(d).0)).collect();
    learn_from(&examples)
}

/// Scores every document with weights learned without its publisher's
/// documents: (document, score). Publishers are judged on both cores.
#[must_use]
pub fn leave_one_publisher_out(docs: &[Doc]) -> Vec<(&Doc, Score)> {
    use rayon::prelude::*;
    let examples: Vec<(&Doc, crate::loader::model::Example)> =
        docs.iter().map(|d| (d, example(d).0)).collect();
    let mut publishers: Vec<&str> = docs.iter().map(|d| d.publisher.as_str()).collect();
    publishers.dedup();
    publishers
        .par_iter()
        .flat_map_iter(|p| {
            let others: Vec<(&Doc, crate::loader::model::Example)> = examples
                .iter()
                .filter(|(d, _)| d.publisher != *p)
                .cloned()
                .collect();
            let model = learn_from(&others);
            docs.iter()
                .filter(|d| d.publisher == *p)
                .map(|d| (d, score(&parse_with(&d.text, &model), &d.expected.stories)))
                .collect::<Vec<_>>()
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
