//! Matches as a reader is told about them: how each story matched (every term
//! found as typed, or some only as scattered letters) and a score from 0 to 1
//! that keeps the ranking's order. Stories found as typed score from 0.67 up,
//! scattered-letter matches below 0.34, each scaled by the best of its kind.

use serde::Serialize;

use super::query::Query;
use super::rank::{AS_TYPED, Hit};

/// How a story matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MatchKind {
    /// Every term found as typed.
    Exact,
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
        } else {
            MatchKind::Fuzzy
        }
    };
    let within = |h: &Hit| {
        let base = if fuzzy && h.score >= AS_TYPED {
            AS_TYPED
        } else {
            0
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
    let (best_exact, best_fuzzy) = (best(MatchKind::Exact), best(MatchKind::Fuzzy));
    hits.iter()
        .map(|h| {
            let k = kind(h);
            #[allow(clippy::cast_precision_loss)] // scores are far below 2^52
            let (low, width, top) = match k {
                MatchKind::Exact => (0.67, 0.33, best_exact as f64),
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
            hit(2, 90),
            hit(3, 30),
        ];
        let graded = grade(&hits, &Query::parse("nhs flu"));
        assert_eq!(
            graded,
            [
                (MatchKind::Exact, 1.0),
                (MatchKind::Exact, 0.835),
                (MatchKind::Fuzzy, 0.33),
                (MatchKind::Fuzzy, 0.11),
            ]
        );
        // Only exact terms: everything found is as typed.
        let graded = grade(&[hit(0, 80), hit(1, 40)], &Query::parse("'care"));
        assert_eq!(graded, [(MatchKind::Exact, 1.0), (MatchKind::Exact, 0.835)]);
    }
}
