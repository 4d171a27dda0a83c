//! The update loop: takes updates as they arrive (long polling or webhook), skips repeats,
//! admits each one at once ([`super::gate`]), and runs the job it leaves on its own task.
//! Jobs of one chat run one after another, in the order their updates came; a job that
//! panics costs nothing but itself: the user gets a short apology, the log gets the place
//! of the failure (never the user's text), and the loop keeps serving.

use std::collections::HashMap;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex};

use futures::{Stream, StreamExt};
use teloxide::types::{ChatId, Update};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use super::gate::{self, Job, Reply};
use super::handlers;
use super::state::State;
use super::Client;
use crate::question::Lang;

/// Jobs running at once; past this the loop waits before reading more updates.
const IN_FLIGHT: usize = 512;

/// One lock per chat with jobs running, so that its jobs keep their order.
#[derive(Default)]
struct ChatLocks(Mutex<HashMap<ChatId, Arc<tokio::sync::Mutex<()>>>>);

impl ChatLocks {
    fn get(&self, chat: ChatId) -> Arc<tokio::sync::Mutex<()>> {
        let mut map = self.0.lock().unwrap_or_else(|p| p.into_inner());
        Arc::clone(map.entry(chat).or_default())
    }

    /// Forgets a chat's lock when no job holds or waits for it.
    fn release(&self, chat: ChatId, lock: Arc<tokio::sync::Mutex<()>>) {
        let mut map = self.0.lock().unwrap_or_else(|p| p.into_inner());
        // Ours and the map's: nobody else has it.
        if Arc::strong_count(&lock) == 2 {
            map.remove(&chat);
        }
    }

    fn len(&self) -> usize {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).len()
    }
}

/// Serves `updates` until the stream ends, then waits for the jobs in hand. `stopped`
/// resolves when the bot should stop (a signal); `stop` is then called once, and the
/// stream is expected to end soon after.
pub async fn serve<B: Client>(
    bot: B,
    state: Arc<State>,
    updates: impl Stream<Item = Update>,
    stopped: impl Future<Output = ()>,
    stop: impl FnOnce(),
) {
    let locks = Arc::new(ChatLocks::default());
    let slots = Arc::new(Semaphore::new(IN_FLIGHT));
    let mut jobs = JoinSet::new();
    let mut stop = Some(stop);
    let updates = updates.fuse();
    tokio::pin!(updates);
    tokio::pin!(stopped);
    loop {
        let update = tokio::select! {
            u = updates.next() => u,
            () = &mut stopped, if stop.is_some() => {
                if let Some(stop) = stop.take() {
                    stop();
                }
                continue;
            }
        };
        let Some(update) = update else { break };
        while jobs.try_join_next().is_some() {}
        let id = update.id.0;
        if !state.first_delivery(id) {
            log::info!("update {id} delivered again; ignored");
            continue;
        }
        // Admission does no IO and should never fail; if it does, only this update is lost.
        let admitted = std::panic::catch_unwind(AssertUnwindSafe(|| gate::admit(&state, update)));
        let Ok(Some(job)) = admitted else {
            if admitted.is_err() {
                log::error!("update {id}: internal error while admitting it; ignored");
            }
            continue;
        };
        let Ok(slot) = Arc::clone(&slots).acquire_owned().await else {
            break;
        };
        let (bot, state, locks) = (bot.clone(), Arc::clone(&state), Arc::clone(&locks));
        jobs.spawn(async move {
            match job.chat() {
                Some(chat) => {
                    let lock = locks.get(chat);
                    {
                        let _turn = lock.lock().await;
                        contain(bot, state, id, job).await;
                    }
                    locks.release(chat, lock);
                }
                None => contain(bot, state, id, job).await,
            }
            drop(slot);
        });
    }
    while jobs.join_next().await.is_some() {}
    log::debug!("{} chat locks left", locks.len());
}

/// Runs one job on its own task, so that a panic in it is caught here.
async fn contain<B: Client>(bot: B, state: Arc<State>, update: u32, job: Job) {
    let kind = job.kind();
    let apology = apology_for(&job);
    let task = tokio::spawn(handlers::run(bot.clone(), state, job));
    match task.await {
        Ok(Ok(())) => {}
        Ok(Err(e)) => log::warn!(
            "update {update} ({kind}): a Telegram request failed: {}",
            super::send::describe(&e)
        ),
        Err(e) if e.is_panic() => {
            log::error!("update {update} ({kind}): internal error while answering; the user gets an apology");
            if let Some((reply, lang)) = apology {
                handlers::apologise(&bot, reply, lang).await;
            }
        }
        Err(_) => log::warn!("update {update} ({kind}): cancelled"),
    }
}

/// Where an apology for a failed job goes: where its answer would have.
fn apology_for(job: &Job) -> Option<(Reply, Lang)> {
    match job {
        Job::Request { reply, ui, .. } | Job::Button { reply, ui, .. } => Some((*reply, *ui)),
        _ => None,
    }
}
