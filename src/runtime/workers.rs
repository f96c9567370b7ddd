//! The workers that search and index off the loop's thread, and [`settle`],
//! which runs the same jobs on the calling thread for tests and tools.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{self, Sender};
use std::thread;

use crate::action::{Effect, Event};
use crate::app::App;
use crate::search::Matcher;
use crate::search::{IndexJob, SearchJob};

use super::Input;

/// Runs the search and index effects `effect` asks for, and those their
/// answers ask for, to the end: the jobs the runtime's workers run, answered as
/// they answer, but on this thread. Returns the first other effect. Tests,
/// benchmarks and tools drive the model through it, so they take the path the
/// reader takes.
pub fn settle(app: &mut App, mut effect: Option<Effect>) -> Option<Effect> {
    let matcher = Matcher::new();
    loop {
        effect = match effect {
            Some(Effect::Search(job)) => {
                let mut answers = Vec::new();
                job.answer(&matcher, &|| false, &mut |e| answers.push(e));
                answers.into_iter().fold(None, |next, answer| {
                    app.update(Event::from(answer)).or(next)
                })
            }
            Some(Effect::BuildIndex(job)) => app.update(Event::IndexReady(job.run(&|| false))),
            // Nothing runs in the background here.
            Some(Effect::CancelIndex) => None,
            other => return other,
        };
    }
}

/// The search worker: one thread ranking the newest job; older jobs are skipped
/// or stopped early.
pub(super) struct Searcher {
    pub(super) jobs: Sender<SearchJob>,
    pub(super) latest: Arc<AtomicU64>,
    pub(super) events: Sender<Input>,
    /// Set to stop the index build under way.
    pub(super) index_stop: Arc<AtomicBool>,
}

impl Searcher {
    pub(super) fn spawn(events: &Sender<Input>) -> Self {
        let (jobs, queue) = mpsc::channel::<SearchJob>();
        let latest = Arc::new(AtomicU64::new(0));
        let newest = Arc::clone(&latest);
        let reply = events.clone();
        let events = events.clone();
        thread::spawn(move || {
            let matcher = Matcher::new();
            while let Ok(mut job) = queue.recv() {
                while let Ok(newer) = queue.try_recv() {
                    job = newer;
                }
                let generation = job.generation;
                let stop = || newest.load(Ordering::Relaxed) != generation;
                let mut gone = false;
                job.answer(&matcher, &stop, &mut |answer| {
                    gone |= events.send(Input::Event(answer.into())).is_err();
                });
                if gone {
                    break;
                }
            }
        });
        Searcher {
            jobs,
            latest,
            events: reply,
            index_stop: Arc::new(AtomicBool::new(false)),
        }
    }

    pub(super) fn start(&self, job: SearchJob) {
        self.latest.store(job.generation, Ordering::Relaxed);
        let _ = self.jobs.send(job);
    }

    /// Builds a body index on a thread of its own; the reader gets it as
    /// [`Event::IndexReady`].
    pub(super) fn index(&mut self, job: IndexJob) {
        let events = self.events.clone();
        let stop = Arc::new(AtomicBool::new(false));
        self.index_stop = Arc::clone(&stop);
        thread::spawn(move || {
            let built = job.run(&|| stop.load(Ordering::Relaxed));
            let _ = events.send(Input::Event(Event::IndexReady(built)));
        });
    }
}
