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
use tokio::sync::{oneshot, Semaphore};
use tokio::task::JoinSet;

use super::gate::{self, Job, Reply};
use super::handlers;
use super::state::State;
use super::Client;
use crate::question::Lang;

/// Jobs running at once; past this the loop waits before reading more updates.
const IN_FLIGHT: usize = 512;

/// The order of each chat's jobs. A job takes its turn when its update is admitted, on
/// the loop itself, so turns follow arrival even though the jobs run on tasks that may
/// start in any order.
#[derive(Default)]
struct ChatTurns(Mutex<HashMap<ChatId, (u64, oneshot::Receiver<()>)>>);

/// A job's place in its chat: it waits for `previous` to finish, and its own end (the
/// drop of `done`) lets the next job go.
struct Turn {
    chat: ChatId,
    seq: u64,
    previous: Option<oneshot::Receiver<()>>,
    done: oneshot::Sender<()>,
}

impl ChatTurns {
    /// The next turn in `chat`; called in arrival order.
    fn take(&self, chat: ChatId, seq: u64) -> Turn {
        let (done, next) = oneshot::channel();
        let mut map = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let previous = map.insert(chat, (seq, next)).map(|(_, rx)| rx);
        Turn {
            chat,
            seq,
            previous,
            done,
        }
    }

    /// Forgets the chat when the job ending is its last one (nobody waits behind it).
    fn finish(&self, turn: Turn) {
        let mut map = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if map.get(&turn.chat).is_some_and(|(seq, _)| *seq == turn.seq) {
            map.remove(&turn.chat);
        }
        drop(turn.done);
    }

    fn len(&self) -> usize {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).len()
    }
}

impl Turn {
    /// Waits until every earlier job of the chat has ended (however it ended).
    async fn wait(&mut self) {
        if let Some(previous) = self.previous.take() {
            // An error means the earlier job's sender is gone: it ended too.
            let _ = previous.await;
        }
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
    let turns = Arc::new(ChatTurns::default());
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
        let turn = job.chat().map(|chat| turns.take(chat, u64::from(id)));
        let (bot, state, turns) = (bot.clone(), Arc::clone(&state), Arc::clone(&turns));
        jobs.spawn(async move {
            match turn {
                Some(mut turn) => {
                    turn.wait().await;
                    contain(bot, state, id, job).await;
                    turns.finish(turn);
                }
                None => contain(bot, state, id, job).await,
            }
            drop(slot);
        });
    }
    while jobs.join_next().await.is_some() {}
    log::debug!("{} chats with jobs left", turns.len());
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test]
    async fn a_chats_jobs_run_in_arrival_order_whichever_task_starts_first() {
        let turns = Arc::new(ChatTurns::default());
        let chat = ChatId(7);
        let order = Arc::new(Mutex::new(Vec::new()));
        let first = turns.take(chat, 1);
        let second = turns.take(chat, 2);
        // The second job's task starts first and must still wait for the first.
        let (t2, o2) = (Arc::clone(&turns), Arc::clone(&order));
        let late = tokio::spawn(async move {
            let mut turn = second;
            turn.wait().await;
            o2.lock().unwrap_or_else(|p| p.into_inner()).push(2);
            t2.finish(turn);
        });
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert!(order.lock().unwrap_or_else(|p| p.into_inner()).is_empty());
        let mut turn = first;
        turn.wait().await;
        order.lock().unwrap_or_else(|p| p.into_inner()).push(1);
        turns.finish(turn);
        late.await.expect("second job");
        assert_eq!(*order.lock().unwrap_or_else(|p| p.into_inner()), vec![1, 2]);
        assert_eq!(turns.len(), 0, "a chat with no jobs is forgotten");
    }

    #[tokio::test]
    async fn other_chats_do_not_wait() {
        let turns = ChatTurns::default();
        let _busy = turns.take(ChatId(1), 1);
        let mut other = turns.take(ChatId(2), 2);
        tokio::time::timeout(Duration::from_secs(1), other.wait())
            .await
            .expect("another chat's job starts at once");
        turns.finish(other);
        assert_eq!(turns.len(), 1);
    }
}
