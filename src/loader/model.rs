//! The segmenter's weights and the two things done with them: decoding a
//! document's roles (Viterbi over the whole unit sequence) and learning the
//! weights from labelled documents (an averaged structured perceptron).
//!
//! A score is the sum of one weight per (feature, role) for each unit, plus one
//! per (previous role, role). Decoding also carries whether a story is open, so
//! body text or a trailing date can only follow a headline or a lead.
//!
//! The weights shipped in `assets/segmenter.json` are learned from the corpus in
//! `tests/corpus/` and the samples by `cargo run --example train`; the corpus
//! test learns them again leaving each publisher out, to judge the segmenter
//! only on publishers it did not learn from.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::loader::features;
use crate::loader::segment::Role;

/// Roles, and states (a role plus "a story is open").
const R: usize = Role::ALL.len();
const S: usize = 3 * R;

/// A unit's score for each role (`-inf` where the role is not allowed).
pub type Scores = [f32; R];

/// Learned weights.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Model {
    /// Feature names, in id order, so a stale file is noticed.
    pub features: Vec<String>,
    /// `emit[feature][role]`.
    pub emit: Vec<[f32; R]>,
    /// `trans[previous role][role]`; row `R` is the start of the document.
    pub trans: Vec<[f32; R]>,
}

impl Model {
    /// All weights zero.
    #[must_use]
    pub fn zero() -> Self {
        Model {
            features: (0..features::count())
                .filter_map(|i| u16::try_from(i).ok())
                .map(features::name)
                .collect(),
            emit: vec![[0.0; R]; features::count()],
            trans: vec![[0.0; R]; R + 1],
        }
    }

    /// The weights shipped with sitrep.
    #[must_use]
    pub fn shipped() -> &'static Model {
        static MODEL: OnceLock<Model> = OnceLock::new();
        MODEL.get_or_init(|| {
            serde_json::from_str::<Model>(include_str!("../../assets/segmenter.json"))
                .ok()
                .filter(|m| m.emit.len() == features::count() && m.trans.len() == R + 1)
                .unwrap_or_else(Model::zero)
        })
    }

    /// The score of `role` for a unit with features `f`.
    #[must_use]
    pub fn emit_score(&self, f: &[u16], role: Role) -> f32 {
        f.iter()
            .filter_map(|&id| self.emit.get(usize::from(id)))
            .map(|w| w[role.index()])
            .sum()
    }

    /// A unit's score for every role, from its features `f`: one pass over them.
    #[must_use]
    pub fn scores(&self, f: &[u16]) -> Scores {
        self.scores_allowed(f, features::allowed(f))
    }

    /// [`Model::scores`] when the roles allowed (a bit per role) are known.
    #[must_use]
    pub fn scores_allowed(&self, f: &[u16], allowed: u8) -> Scores {
        let mut out = [0.0f32; R];
        for w in f.iter().filter_map(|&id| self.emit.get(usize::from(id))) {
            for (o, x) in out.iter_mut().zip(w) {
                *o += x;
            }
        }
        for (r, o) in out.iter_mut().enumerate() {
            if allowed & (1 << r) == 0 {
                *o = f32::NEG_INFINITY;
            }
        }
        out
    }

    /// The best role sequence for a document whose units have features `feats`.
    #[must_use]
    pub fn decode(&self, feats: &[Vec<u16>]) -> Vec<Role> {
        let scores: Vec<Scores> = feats.iter().map(|f| self.scores(f)).collect();
        self.decode_scores(&scores)
    }

    /// The best role sequence for a document whose units score `scores`.
    #[must_use]
    pub fn decode_scores(&self, scores: &[Scores]) -> Vec<Role> {
        // A state is a role and where the story stands after it: none open
        // (`CLOSED`), open with text (`OPEN`), or opened by a headline that has
        // no text yet (`PENDING`). A story has text: a pending story is never
        // followed by another headline or lead, nor left at the end.
        const CLOSED: usize = 0;
        const OPEN: usize = 1;
        const PENDING: usize = 2;
        let n = scores.len();
        if n == 0 {
            return Vec::new();
        }
        let neg = f32::NEG_INFINITY;
        let mut prev = [neg; S];
        let mut back = vec![[0u8; S]; n];
        let best_of = |prev: &[f32; S], group: usize, r: usize| {
            let mut best = (neg, 0u8);
            for k in 0..R {
                let v = prev[group * R + k] + self.trans[k][r];
                if v > best.0 {
                    best = (v, u8::try_from(group * R + k).unwrap_or(0));
                }
            }
            best
        };
        let better = |a: (f32, u8), b: (f32, u8)| if b.0 > a.0 { b } else { a };
        for (i, emit) in scores.iter().enumerate() {
            let mut cur = [neg; S];
            for (r, &role) in Role::ALL.iter().enumerate() {
                // Not allowed: scored minus infinity.
                if emit[r].is_infinite() {
                    continue;
                }
                let from = |group: usize| {
                    if i == 0 {
                        if group == CLOSED {
                            (self.trans[R][r], 0)
                        } else {
                            (neg, 0)
                        }
                    } else {
                        best_of(&prev, group, r)
                    }
                };
                let mut set = |group: usize, (v, from): (f32, u8)| {
                    if v > neg {
                        cur[group * R + r] = v + emit[r];
                        back[i][group * R + r] = from;
                    }
                };
                match role {
                    Role::Headline => set(PENDING, better(from(CLOSED), from(OPEN))),
                    Role::Lead => set(OPEN, better(from(CLOSED), from(OPEN))),
                    Role::Body => set(OPEN, better(from(OPEN), from(PENDING))),
                    _ => {
                        for group in [CLOSED, OPEN, PENDING] {
                            if !(role.needs_story() && group == CLOSED) {
                                set(group, from(group));
                            }
                        }
                    }
                }
            }
            prev = cur;
        }
        if prev[..2 * R].iter().any(|&v| v > neg) {
            prev[2 * R..].fill(neg);
        }
        let mut s = (0..S)
            .max_by(|&a, &b| prev[a].total_cmp(&prev[b]))
            .unwrap_or(0);
        let mut roles = vec![Role::Furniture; n];
        for i in (0..n).rev() {
            roles[i] = Role::ALL[s % R];
            s = usize::from(back[i][s]);
        }
        roles
    }
}

/// One labelled document: its units' features and their true roles.
pub type Example = (Vec<Vec<u16>>, Vec<Role>);

/// Learns weights from `examples` with an averaged structured perceptron:
/// `epochs` passes in the given order (deterministic), each mistake moving the
/// weights towards the true roles and away from the decoded ones.
#[must_use]
pub fn train(examples: &[Example], epochs: usize) -> Model {
    let mut w = Model::zero();
    // Sums for averaging: total[k] accumulates w[k] after every example.
    let mut sum = Model::zero();
    let mut steps = 0.0f32;
    for _ in 0..epochs {
        for (feats, gold) in examples {
            let guess = w.decode(feats);
            if guess != *gold {
                correct(&mut w, feats, gold, &guess);
            }
            add_into(&mut sum, &w);
            steps += 1.0;
        }
    }
    if steps > 0.0 {
        scale(&mut sum, 1.0 / steps);
    }
    sum
}

/// Moves the weights towards the true roles `gold` and away from `guess`.
fn correct(w: &mut Model, feats: &[Vec<u16>], gold: &[Role], guess: &[Role]) {
    let mut prev_g = R;
    let mut prev_p = R;
    for ((f, &g), &p) in feats.iter().zip(gold).zip(guess) {
        if g != p {
            for &id in f {
                if let Some(row) = w.emit.get_mut(usize::from(id)) {
                    row[g.index()] += 1.0;
                    row[p.index()] -= 1.0;
                }
            }
        }
        if (prev_g, g) != (prev_p, p) {
            w.trans[prev_g][g.index()] += 1.0;
            w.trans[prev_p][p.index()] -= 1.0;
        }
        prev_g = g.index();
        prev_p = p.index();
    }
}

/// Fits `model` to the documents that must be read exactly (the documented
/// formats): up to `passes` passes over them alone, each mistake corrected,
/// until all of them decode right. Returns whether they all do.
pub fn fit(model: &mut Model, must: &[Example], passes: usize) -> bool {
    for _ in 0..passes {
        let mut wrong = false;
        for (feats, gold) in must {
            let guess = model.decode(feats);
            if guess != *gold {
                correct(model, feats, gold, &guess);
                wrong = true;
            }
        }
        if !wrong {
            return true;
        }
    }
    must.iter().all(|(f, g)| model.decode(f) == *g)
}

fn add_into(sum: &mut Model, w: &Model) {
    for (a, b) in sum.emit.iter_mut().zip(&w.emit) {
        for r in 0..R {
            a[r] += b[r];
        }
    }
    for (a, b) in sum.trans.iter_mut().zip(&w.trans) {
        for r in 0..R {
            a[r] += b[r];
        }
    }
}

fn scale(m: &mut Model, k: f32) {
    for row in m.emit.iter_mut().chain(m.trans.iter_mut()) {
        for v in row.iter_mut() {
            // Rounded, so the shipped file is short and the same on every machine.
            *v = (*v * k * 1000.0).round() / 1000.0;
        }
    }
}
