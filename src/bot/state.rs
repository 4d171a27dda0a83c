//! What the bot keeps between updates: the engine (swapped whole by `/reindex`), the
//! per-user rate limiter, and a bounded store of recent questions that buttons refer to
//! (callback data must stay under 64 bytes, so buttons carry ids, not questions), and the
//! ids of recent updates, so that an update delivered twice is answered once.

use std::collections::{HashMap, HashSet, VecDeque};
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use teloxide::types::UserId;

use crate::config::Config;
use crate::engine::Engine;
use crate::question::Lang;

/// How many recent questions buttons can refer to.
const QUESTION_STORE: usize = 10_000;
/// How many recent update ids are remembered to spot an update delivered again. Telegram
/// redelivers what the bot has not confirmed, at most a getUpdates batch (100) or a few
/// webhook retries back, so this is plenty.
const RECENT_UPDATES: usize = 4096;
/// The per-user limiter forgets users it has not seen for a while every this many checks.
const LIMITER_SWEEP: u64 = 4096;

pub struct State {
    engine: RwLock<Arc<Engine>>,
    pub config: Config,
    pub username: String,
    pub bot_id: UserId,
    limiter: DefaultKeyedRateLimiter<u64>,
    warned: Mutex<HashMap<u64, Instant>>,
    questions: Mutex<QuestionStore>,
    reindexing: AtomicBool,
    recent_updates: Mutex<RecentIds>,
    admissions: AtomicU64,
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

/// Whether a user may ask now.
pub enum Admission {
    Yes,
    /// Over the rate; tell them once.
    SlowDown,
    /// Over the rate and already told.
    Silent,
}

impl State {
    pub fn new(engine: Engine, config: Config, username: String, bot_id: UserId) -> State {
        let per_minute =
            NonZeroU32::new(config.telegram.user_rate_per_minute.max(1)).unwrap_or(NonZeroU32::MIN);
        State {
            engine: RwLock::new(Arc::new(engine)),
            limiter: RateLimiter::keyed(Quota::per_minute(per_minute)),
            config,
            username,
            bot_id,
            warned: Mutex::new(HashMap::new()),
            questions: Mutex::new(QuestionStore {
                next: 1,
                items: VecDeque::new(),
            }),
            reindexing: AtomicBool::new(false),
            recent_updates: Mutex::new(RecentIds {
                order: VecDeque::with_capacity(RECENT_UPDATES + 1),
                set: HashSet::with_capacity(RECENT_UPDATES + 1),
            }),
            admissions: AtomicU64::new(0),
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

    /// Applies the per-user rate.
    pub fn admit(&self, user: u64) -> Admission {
        // Users whose quota has refilled carry no state; drop them now and then, so that
        // the limiter does not grow with every user ever seen.
        if self.admissions.fetch_add(1, Ordering::Relaxed) % LIMITER_SWEEP == LIMITER_SWEEP - 1 {
            self.limiter.retain_recent();
            self.limiter.shrink_to_fit();
        }
        if self.limiter.check_key(&user).is_ok() {
            return Admission::Yes;
        }
        let mut warned = self.warned.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        // Forget old warnings so the map stays small under a flood of users.
        if warned.len() > 10_000 {
            warned.retain(|_, t| now.duration_since(*t) < Duration::from_secs(60));
        }
        match warned.get(&user) {
            Some(t) if now.duration_since(*t) < Duration::from_secs(60) => Admission::Silent,
            _ => {
                warned.insert(user, now);
                Admission::SlowDown
            }
        }
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
