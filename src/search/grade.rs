//! Matches as a reader is told about them: how each story matched (every term
//! found as typed, some only with typos, or some only as scattered letters) and a
//! score from 0 to 1 that keeps the ranking's order. Stories found as typed score
//! from 0.67 up, those with typos from 0.34 to 0.66, scattered-letter matches up
//! to 0.33, each scaled by the best of its kind.

use serde::Serialize;

use super::query::Query;
use super::rank::{AS_TYPED, Hit, WITH_TYPOS};

/// How a story matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MatchKind {
    /// Every term found as typed.
    Exact,
    /// Every term found as typed or with typos, some with typos.
    Typo,
    /// Some term matched only as scattered letters.
    Fuzzy,
}

/// Each hit's kind and its score between 0 and 1, for `hits` ranked for
/// `query`. Higher ranks never score lower.
#[must_use]
pub fn grade(hits: &[Hit], query: &Query) -> Vec<(MatchKind, f64)> {
    // Without a fuzzy term every match is as typed (no tier was added).
    let fuzzy = query.terms().iter().any(super::query::Term::can_scatter);
    let kind = |h: &Hit| {
        if !fuzzy || h.score >= AS_TYPED {
            MatchKind::Exact
        } else if h.score >= WITH_TYPOS {
            MatchKind::Typo
        } else {
            MatchKind::Fuzzy
        }
    };
    let within = |h: &Hit| {
        let base = match kind(h) {
            MatchKind::Exact if fuzzy => AS_TYPED,
            MatchKind::Typo => WITH_TYPOS,
            MatchKind::Exact | MatchKind::Fuzzy => 0,
        };
        (h.score - base).max(0)
    };
    let best = |k: MatchKind| {
        hits.iter()
            .filter(|h| kind(h) == k)
            .map(within)
            .max()
            .unwrap_or(0)
            .max(1)
    };
    let (best_exact, best_typo, best_fuzzy) = (
        best(MatchKind::Exact),
        best(MatchKind::Typo),
        best(MatchKind::Fuzzy),
    );
    hits.iter()
        .map(|h| {
            let k = kind(h);
            #[allow(clippy::cast_precision_loss)] // scores are far below 2^52
            let (low, width, top) = match k {
                MatchKind::Exact => (0.67, 0.33, best_exact as f64),
                MatchKind::Typo => (0.34, 0.32, best_typo as f64),
                MatchKind::Fuzzy => (0.0, 0.33, best_fuzzy as f64),
            };
            #[allow(clippy::cast_precision_loss)]
            let score = low + width * (within(h) as f64 / top);
            (k, (score * 1000.0).round() / 1000.0)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(story: u32, score: i64) -> Hit {
        Hit { story, score }
    }

    #[test]
    fn typed_matches_score_above_scattered_ones_in_rank_order() {
        let hits = [
            hit(0, AS_TYPED + 600),
            hit(1, AS_TYPED + 300),
            hit(2, WITH_TYPOS + 400),
            hit(3, WITH_TYPOS + 100),
            hit(4, 90),
            hit(5, 30),
        ];
        let graded = grade(&hits, &Query::parse("nhs strike"));
        assert_eq!(
            graded,
            [
                (MatchKind::Exact, 1.0),
                (MatchKind::Exact, 0.835),
                (MatchKind::Typo, 0.66),
                (MatchKind::Typo, 0.42),
                (MatchKind::Fuzzy, 0.33),
                (MatchKind::Fuzzy, 0.11),
            ]
        );
        // Only exact terms: everything found is as typed.
        let graded = grade(&[hit(0, 80), hit(1, 40)], &Query::parse("'care"));
        assert_eq!(graded, [(MatchKind::Exact, 1.0), (MatchKind::Exact, 0.835)]);
    }
}
