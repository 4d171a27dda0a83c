//! Documents that change while the bot runs. At an interval the bot computes the same
//! fingerprint that tells the command line its index is stale (names, sizes and
//! modification times of the documents, the alias data, the indexing code); once a change
//! has held still for one interval, a new generation is opened or built in the background
//! while the old one keeps answering, and swapped in when complete. A build that fails
//! leaves the old index serving and is not retried until the documents change again.
//!
//! Looking at fingerprints rather than file events works the same on local disks, network
//! and bind mounts and read-only mounts, needs no watch limits, and sees a generation that
//! another process (`factbot index`, another copy) built for the new documents: that one
//! is opened, not rebuilt.

use std::sync::Arc;
use std::time::{Duration, Instant};

use super::state::State;
use crate::engine::Engine;
use crate::index;

/// What to do after a look at the documents.
#[derive(Debug, PartialEq, Eq)]
enum Step {
    /// Nothing changed, or a change is still settling, or its build already failed.
    Wait,
    /// A change held still for one interval: build it.
    Build,
}

/// What the watcher remembers between looks.
#[derive(Default)]
struct Seen {
    /// The fingerprint of the last look, if it differed from the one in service.
    changed: Option<String>,
    /// A fingerprint whose build failed.
    failed: Option<String>,
}

impl Seen {
    /// Decides on the fingerprint `now`, with `served` the one of the index in service.
    fn step(&mut self, served: &str, now: String) -> Step {
        if now == served {
            *self = Seen::default();
            return Step::Wait;
        }
        if self.failed.as_deref() == Some(now.as_str()) {
            return Step::Wait;
        }
        if self.changed.as_deref() == Some(now.as_str()) {
            self.changed = None;
            return Step::Build;
        }
        self.changed = Some(now);
        Step::Wait
    }
}

/// Looks at the documents every `every` until `stopped` turns true.
pub async fn watch(
    state: Arc<State>,
    every: Duration,
    mut stopped: tokio::sync::watch::Receiver<bool>,
) {
    let mut seen = Seen::default();
    let mut unreadable = false;
    loop {
        tokio::select! {
            () = tokio::time::sleep(every) => {}
            _ = stopped.changed() => return,
        }
        let config = state.config.clone();
        let now =
            match tokio::task::spawn_blocking(move || index::source_fingerprint(&config)).await {
                Ok(Ok(fp)) => fp,
                Ok(Err(e)) => {
                    if !unreadable {
                        log::warn!(
                        "cannot look at the documents ({e}); the index in service keeps answering"
                    );
                    }
                    unreadable = true;
                    continue;
                }
                Err(_) => continue,
            };
        unreadable = false;
        let served = state.engine();
        if seen.step(served.fingerprint(), now.clone()) == Step::Build {
            if let Err(failed) = rebuild(&state, served.fingerprint()).await {
                seen.failed = Some(now);
                log::error!(
                    "{failed}; index {} stays in service until the documents change again",
                    served.generation()
                );
            } else {
                seen.failed = None;
            }
        }
    }
}

/// Opens the generation for the documents as they are now (building it if nobody has),
/// and swaps it in. `served` is the fingerprint of the index in service.
async fn rebuild(state: &Arc<State>, served: &str) -> Result<(), String> {
    if !state.begin_reindex() {
        // A /reindex is running; the next look sees whether it caught the change.
        return Ok(());
    }
    log::info!("documents changed; preparing a new index in the background");
    let config = state.config.clone();
    let started = Instant::now();
    let built = tokio::task::spawn_blocking(move || Engine::open(config)).await;
    let result = match built {
        // A build that fails hands back the previous index (it logs why).
        Ok(Ok(engine)) if engine.fingerprint() == served => {
            Err("the new index could not be built".to_string())
        }
        Ok(Ok(engine)) => {
            log::info!(
                "index {} in service: {} documents, {} passages, {} facts ({} in {:.1} s)",
                engine.generation(),
                engine.documents().len(),
                engine.passage_count(),
                engine.facts().len(),
                if engine.rebuilt { "built" } else { "opened" },
                started.elapsed().as_secs_f64()
            );
            state.swap_engine(engine);
            Ok(())
        }
        Ok(Err(e)) => Err(format!("the new index could not be built: {e}")),
        Err(_) => Err("the new index could not be built (internal error)".to_string()),
    };
    state.end_reindex();
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_is_built_once_it_has_held_still_for_one_look() {
        let mut seen = Seen::default();
        assert_eq!(seen.step("a", "a".into()), Step::Wait);
        assert_eq!(seen.step("a", "b".into()), Step::Wait, "just changed");
        assert_eq!(seen.step("a", "c".into()), Step::Wait, "still changing");
        assert_eq!(seen.step("a", "c".into()), Step::Build, "held still");
        assert_eq!(seen.step("c", "c".into()), Step::Wait, "in service");
    }

    #[test]
    fn a_failed_build_is_retried_only_after_another_change() {
        let mut seen = Seen::default();
        seen.step("a", "b".into());
        assert_eq!(seen.step("a", "b".into()), Step::Build);
        seen.failed = Some("b".into());
        for _ in 0..3 {
            assert_eq!(seen.step("a", "b".into()), Step::Wait);
        }
        assert_eq!(seen.step("a", "d".into()), Step::Wait);
        assert_eq!(seen.step("a", "d".into()), Step::Build);
        // Back to what is served, then the failed change again: worth another try.
        seen.failed = Some("d".into());
        assert_eq!(seen.step("a", "a".into()), Step::Wait);
        seen.step("a", "d".into());
        assert_eq!(seen.step("a", "d".into()), Step::Build);
    }

    #[test]
    fn a_change_undone_before_it_settled_builds_nothing() {
        let mut seen = Seen::default();
        seen.step("a", "b".into());
        assert_eq!(seen.step("a", "a".into()), Step::Wait);
        assert_eq!(seen.step("a", "b".into()), Step::Wait, "settling again");
    }
}
