//! Limits, counted when an update arrives, before anything is queued for it: what is over
//! a limit is dropped (after one polite notice), never kept waiting, so that a flood
//! cannot delay anyone else's answers.
//!
//! * Each sender may ask `telegram.user_rate_per_minute` questions a minute (all at once,
//!   then one every 60/n seconds).
//! * In a group, the bot may send `telegram.group_messages_per_minute` messages a minute
//!   (`supergroup_messages_per_minute` in a supergroup; Telegram's limit is 20 a minute
//!   in one group), at most [`CHAT_BURST`] at once: at Telegram's pace of one message a
//!   second in a chat, what is admitted is sent within a few seconds. One member may use
//!   a quarter of a group's minute ([`MEMBER_SHARE`]), at most [`MEMBER_BURST`] at once,
//!   so one member's flood leaves room for everyone else.
//!
//! A sender over a limit is told once a minute; a group with no room left hears nothing.

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::config::TelegramConfig;

/// Messages the bot sends at once in one group before the per-minute pace applies.
pub const CHAT_BURST: u32 = 6;
/// Questions one member asks at once in one group before the per-minute pace applies.
pub const MEMBER_BURST: u32 = 3;
/// One member may use this fraction (1/n) of a group's messages per minute.
pub const MEMBER_SHARE: u32 = 4;
/// The limiters forget keys they have not seen for a while every this many checks.
const SWEEP_EVERY: u64 = 4096;
/// A sender over a limit is told at most once in this long.
const NOTICE_EVERY: Duration = Duration::from_secs(60);

/// The kind of chat an update comes from, as far as limits go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// A private chat, an inline query, or a button under an inline message.
    Private,
    /// A basic group.
    Group(i64),
    /// A supergroup (or a channel's discussion).
    Supergroup(i64),
}

/// What to do with an update that wants an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Answer,
    /// Over a limit: tell the sender, once, that they may ask `per_minute` a minute.
    SlowDown {
        per_minute: u32,
    },
    /// Over a limit and already told, or the group has no room for even a notice.
    Drop,
}

pub struct Limits {
    sender_rate: u32,
    member_rates: (u32, u32),
    sender: DefaultKeyedRateLimiter<i64>,
    member: DefaultKeyedRateLimiter<(i64, i64)>,
    group: DefaultKeyedRateLimiter<i64>,
    supergroup: DefaultKeyedRateLimiter<i64>,
    group_member: DefaultKeyedRateLimiter<(i64, i64)>,
    told: Mutex<HashMap<i64, Instant>>,
    checks: AtomicU64,
}

fn quota(per_minute: u32, burst: u32) -> Quota {
    let n = |v: u32| NonZeroU32::new(v.max(1)).unwrap_or(NonZeroU32::MIN);
    Quota::per_minute(n(per_minute)).allow_burst(n(burst.min(per_minute)))
}

impl Limits {
    pub fn new(t: &TelegramConfig) -> Limits {
        let sender_rate = t.user_rate_per_minute.max(1);
        let group = t.group_messages_per_minute.max(1);
        let supergroup = t.supergroup_messages_per_minute.max(1);
        let share = |chat: u32| (chat / MEMBER_SHARE).max(1);
        Limits {
            sender_rate,
            member_rates: (share(group), share(supergroup)),
            sender: RateLimiter::keyed(quota(sender_rate, sender_rate)),
            member: RateLimiter::keyed(quota(share(supergroup), MEMBER_BURST)),
            group: RateLimiter::keyed(quota(group, CHAT_BURST)),
            supergroup: RateLimiter::keyed(quota(supergroup, CHAT_BURST)),
            group_member: RateLimiter::keyed(quota(share(group), MEMBER_BURST)),
            told: Mutex::new(HashMap::new()),
            checks: AtomicU64::new(0),
        }
    }

    /// Counts one request from `sender` (a user id, or the id of the chat a message was
    /// sent on behalf of) in `place`, and says whether to answer it.
    pub fn admit(&self, sender: i64, place: Place) -> Verdict {
        self.sweep_now_and_then();
        if self.sender.check_key(&sender).is_err() {
            return self.over(sender, place, self.sender_rate);
        }
        let (chat, chat_limiter, member_limiter, member_rate) = match place {
            Place::Private => return Verdict::Answer,
            Place::Group(chat) => (chat, &self.group, &self.group_member, self.member_rates.0),
            Place::Supergroup(chat) => (chat, &self.supergroup, &self.member, self.member_rates.1),
        };
        if member_limiter.check_key(&(chat, sender)).is_err() {
            return self.over(sender, place, member_rate.min(self.sender_rate));
        }
        if chat_limiter.check_key(&chat).is_err() {
            log::debug!("group {chat} has no room for more answers this minute; dropped");
            return Verdict::Drop;
        }
        Verdict::Answer
    }

    /// A sender over a limit: a notice if they were not told lately and, in a group,
    /// the group has room for it.
    fn over(&self, sender: i64, place: Place, per_minute: u32) -> Verdict {
        let now = Instant::now();
        {
            let mut told = self.told.lock().unwrap_or_else(|p| p.into_inner());
            if told
                .get(&sender)
                .is_some_and(|t| now.duration_since(*t) < NOTICE_EVERY)
            {
                return Verdict::Drop;
            }
            // Forget old notices, so the map stays small under a flood of senders.
            if told.len() > 10_000 {
                told.retain(|_, t| now.duration_since(*t) < NOTICE_EVERY);
            }
            told.insert(sender, now);
        }
        let room = match place {
            Place::Private => true,
            Place::Group(chat) => self.group.check_key(&chat).is_ok(),
            Place::Supergroup(chat) => self.supergroup.check_key(&chat).is_ok(),
        };
        if room {
            Verdict::SlowDown { per_minute }
        } else {
            Verdict::Drop
        }
    }

    /// Keys whose quota has refilled carry no state; drop them now and then, so that the
    /// limiters do not grow with every sender and chat ever seen.
    fn sweep_now_and_then(&self) {
        if self.checks.fetch_add(1, Ordering::Relaxed) % SWEEP_EVERY != SWEEP_EVERY - 1 {
            return;
        }
        self.sender.retain_recent();
        self.sender.shrink_to_fit();
        for l in [&self.group, &self.supergroup] {
            l.retain_recent();
            l.shrink_to_fit();
        }
        for l in [&self.member, &self.group_member] {
            l.retain_recent();
            l.shrink_to_fit();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(user: u32, group: u32, supergroup: u32) -> Limits {
        Limits::new(&TelegramConfig {
            user_rate_per_minute: user,
            group_messages_per_minute: group,
            supergroup_messages_per_minute: supergroup,
            ..TelegramConfig::default()
        })
    }

    fn count(verdicts: &[Verdict]) -> (usize, usize, usize) {
        let n = |f: fn(&Verdict) -> bool| verdicts.iter().filter(|v| f(v)).count();
        (
            n(|v| *v == Verdict::Answer),
            n(|v| matches!(v, Verdict::SlowDown { .. })),
            n(|v| *v == Verdict::Drop),
        )
    }

    /// Issue 11, point 2: 50 messages in a few seconds get `user_rate_per_minute` answers
    /// and one notice, however slowly the answers then go out.
    #[test]
    fn a_private_flood_gets_the_rate_and_one_notice() {
        let l = limits(20, 20, 20);
        let v: Vec<Verdict> = (0..50).map(|_| l.admit(7, Place::Private)).collect();
        assert_eq!(count(&v), (20, 1, 29));
        assert_eq!(v[20], Verdict::SlowDown { per_minute: 20 });
        // Someone else is not affected.
        assert_eq!(l.admit(8, Place::Private), Verdict::Answer);
    }

    /// Issue 11, point 2: a member's flood in a supergroup is cut to a few answers at once,
    /// so the others' questions find room.
    #[test]
    fn a_group_flood_leaves_room_for_the_other_members() {
        let l = limits(20, 20, 20);
        let chat = Place::Supergroup(-1_001_000_000_001);
        let v: Vec<Verdict> = (0..30).map(|_| l.admit(7, chat)).collect();
        assert_eq!(
            count(&v),
            (MEMBER_BURST as usize, 1, 30 - 1 - MEMBER_BURST as usize)
        );
        assert_eq!(
            v[MEMBER_BURST as usize],
            Verdict::SlowDown { per_minute: 5 }
        );
        assert_eq!(l.admit(8, chat), Verdict::Answer);
        assert_eq!(l.admit(9, chat), Verdict::Answer);
        // The group's own room is CHAT_BURST messages at once, notices included.
        let rest: Vec<Verdict> = (10..20).map(|u| l.admit(u, chat)).collect();
        let used = MEMBER_BURST as usize + 1 + 2;
        assert_eq!(count(&rest).0, CHAT_BURST as usize - used);
        // Another group is not affected.
        assert_eq!(
            l.admit(10, Place::Supergroup(-1_001_000_000_002)),
            Verdict::Answer
        );
    }

    #[test]
    fn group_and_supergroup_limits_are_separate_settings() {
        let l = limits(1000, 1000, 4);
        let v: Vec<Verdict> = (0..10)
            .map(|u| l.admit(u, Place::Supergroup(-1_001_000_000_003)))
            .collect();
        assert_eq!(count(&v).0, 4);
        let v: Vec<Verdict> = (0..10).map(|u| l.admit(u, Place::Group(-5))).collect();
        assert_eq!(count(&v).0, CHAT_BURST as usize);
    }
}
