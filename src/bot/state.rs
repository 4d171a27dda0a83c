//! What the bot keeps between updates: the engine (swapped whole by `/reindex`), the
//! limits, a bounded store of recent questions that buttons refer to (callback data must
//! stay under 64 bytes, so buttons carry ids, not questions), and the ids of recent
//! updates, so that an update delivered twice is answered once.

use std::collections::{HashSet, VecDeque};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use teloxide::types::UserId;

use super::limits::Limits;
use crate::config::Config;
use crate::engine::Engine;
use crate::question::Lang;

/// How many recent questions buttons can refer to.
const QUESTION_STORE: usize = 10_000;
/// How many recent update ids are remembered to spot an update delivered again. Telegram
/// redelivers what the bot has not confirmed, at most a getUpdates batch (100) or a few
/// webhook retries back, so this is plenty.
const RECENT_UPDATES: usize = 4096;

pub struct State {
    engine: RwLock<Arc<Engine>>,
    pub config: Config,
    pub username: String,
    pub bot_id: UserId,
    pub limits: Limits,
    questions: Mutex<QuestionStore>,
    reindexing: AtomicBool,
    recent_updates: Mutex<RecentIds>,
    /// Engine work running at once: it is CPU-bound, so more than the cores can run only
    /// adds blocking threads and memory.
    work: tokio::sync::Semaphore,
}

/// A bounded set of the most recent update ids.
struct RecentIds {
    order: VecDeque<u32>,
    set: HashSet<u32>,
}

impl RecentIds {
    /// Records `id`; false if it was already there.
    fn insert(&mut self, id: u32) -> bool {
        if !self.set.insert(id) {
            return false;
        }
        self.order.push_back(id);
        while self.order.len() > RECENT_UPDATES {
            if let Some(old) = self.order.pop_front() {
                self.set.remove(&old);
            }
        }
        true
    }
}

struct QuestionStore {
    next: u64,
    items: VecDeque<(u64, String, Lang)>,
}

impl State {
    pub fn new(engine: Engine, config: Config, username: String, bot_id: UserId) -> State {
        State {
            engine: RwLock::new(Arc::new(engine)),
            limits: Limits::new(&config.telegram),
            config,
            username,
            bot_id,
            questions: Mutex::new(QuestionStore {
                next: 1,
                items: VecDeque::new(),
            }),
            reindexing: AtomicBool::new(false),
            recent_updates: Mutex::new(RecentIds {
                order: VecDeque::with_capacity(RECENT_UPDATES + 1),
                set: HashSet::with_capacity(RECENT_UPDATES + 1),
            }),
            work: tokio::sync::Semaphore::new(
                std::thread::available_parallelism().map_or(2, |n| n.get()) * 2,
            ),
        }
    }

    /// True the first time an update id is seen (among the last few thousand).
    pub fn first_delivery(&self, update_id: u32) -> bool {
        self.recent_updates
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(update_id)
    }

    /// The engine in service (a rebuild swaps it; this clone keeps answering meanwhile).
    pub fn engine(&self) -> Arc<Engine> {
        match self.engine.read() {
            Ok(e) => Arc::clone(&e),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    /// Runs `f` with the engine in service on the blocking pool, a few at a time; `None`
    /// if it failed (the panic is logged by the panic hook).
    pub async fn with_engine<R: Send + 'static>(
        &self,
        f: impl FnOnce(&Engine) -> R + Send + 'static,
    ) -> Option<R> {
        let _turn = self.work.acquire().await.ok()?;
        let engine = self.engine();
        tokio::task::spawn_blocking(move || f(&engine)).await.ok()
    }

    pub fn swap_engine(&self, engine: Engine) {
        let new = Arc::new(engine);
        match self.engine.write() {
            Ok(mut e) => *e = new,
            Err(poisoned) => *poisoned.into_inner() = new,
        }
    }

    /// Starts a rebuild unless one is running.
    pub fn begin_reindex(&self) -> bool {
        !self.reindexing.swap(true, Ordering::SeqCst)
    }

    pub fn end_reindex(&self) {
        self.reindexing.store(false, Ordering::SeqCst);
    }

    pub fn allowed(&self, chat: i64, user: Option<u64>) -> bool {
        let t = &self.config.telegram;
        let chat_ok = t.allowed_chats.is_empty() || t.allowed_chats.contains(&chat);
        let user_ok = t.allowed_users.is_empty()
            || user.is_some_and(|u| t.allowed_users.contains(&(u as i64)));
        chat_ok && user_ok
    }

    pub fn is_admin(&self, user: u64) -> bool {
        self.config.telegram.admins.contains(&(user as i64))
    }

    /// Remembers a question for buttons; returns its id.
    pub fn remember(&self, question: &str, lang: Lang) -> u64 {
        let mut s = self.questions.lock().unwrap_or_else(|p| p.into_inner());
        let id = s.next;
        s.next += 1;
        s.items.push_back((id, question.to_string(), lang));
        while s.items.len() > QUESTION_STORE {
            s.items.pop_front();
        }
        id
    }

    pub fn recall(&self, id: u64) -> Option<(String, Lang)> {
        let s = self.questions.lock().unwrap_or_else(|p| p.into_inner());
        s.items
            .iter()
            .find(|(i, _, _)| *i == id)
            .map(|(_, q, l)| (q.clone(), *l))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recent_ids_spot_repeats_and_stay_bounded() {
        let mut r = RecentIds {
            order: VecDeque::new(),
            set: HashSet::new(),
        };
        assert!(r.insert(7));
        assert!(!r.insert(7), "a repeat is spotted");
        for id in 100..100 + RECENT_UPDATES as u32 {
            assert!(r.insert(id));
        }
        assert_eq!(r.order.len(), RECENT_UPDATES);
        assert_eq!(r.set.len(), RECENT_UPDATES);
        assert!(!r.insert(100 + RECENT_UPDATES as u32 - 1));
        // 7 was pushed out by newer ids, so it counts as new again.
        assert!(r.insert(7));
        assert_eq!(r.set.len(), RECENT_UPDATES);
    }
}
