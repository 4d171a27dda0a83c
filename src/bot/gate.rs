//! What happens to an update the moment it arrives, before anything is queued for it: is
//! it for the bot, who sent it, may they use the bot, are they within the limits. What
//! comes out is a [`Job`] (the work left to do, with everything it needs) or nothing.
//! Nothing here waits, so every update is counted in the order it came.

use teloxide::types::{
    CallbackQuery, CallbackQueryId, ChatId, InlineQuery, InlineQueryId, Message, MessageId, Update,
    UpdateKind, UserId,
};

use super::addressing::{self, Incoming, Me, Request};
use super::callback::Callback;
use super::limits::{Place, Verdict};
use super::state::State;
use super::texts;
use crate::question::Lang;

/// Where a reply goes: a chat, and in groups the message it answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reply {
    pub chat: ChatId,
    pub to: Option<MessageId>,
}

/// The work an admitted update leaves.
#[derive(Debug)]
pub enum Job {
    /// Do what a message asks.
    Request {
        reply: Reply,
        request: Request,
        ui: Lang,
        /// The user who asked (none for a message sent on behalf of a chat).
        user: Option<UserId>,
    },
    /// Send one interface text (slow down, not allowed, not text).
    Notice { reply: Reply, text: String },
    /// A button press: acknowledge it, then do what it asks (`None`: it has expired).
    Button {
        query: CallbackQueryId,
        reply: Reply,
        callback: Option<Callback>,
        ui: Lang,
    },
    /// A button press that only gets a short text back.
    ButtonRefused {
        query: CallbackQueryId,
        text: String,
    },
    /// An inline query to answer with ready messages.
    Inline {
        query: InlineQueryId,
        text: String,
        ui: Lang,
    },
    /// An inline query that gets no results.
    InlineRefused { query: InlineQueryId },
}

impl Job {
    /// The chat whose jobs run one after another, in the order their updates came.
    pub fn chat(&self) -> Option<ChatId> {
        match self {
            Job::Request { reply, .. } | Job::Notice { reply, .. } | Job::Button { reply, .. } => {
                Some(reply.chat)
            }
            _ => None,
        }
    }

    /// What the job is, for logs (never the user's text).
    pub fn kind(&self) -> &'static str {
        match self {
            Job::Request { .. } => "message",
            Job::Notice { .. } => "notice",
            Job::Button { .. } | Job::ButtonRefused { .. } => "button press",
            Job::Inline { .. } | Job::InlineRefused { .. } => "inline query",
        }
    }
}

/// Telegram's identifiers, as the Bot API client reads them: basic groups and
/// supergroups/channels below zero, users up to 2^40. A forged update with an id outside
/// these ranges is dropped here: replying to it would panic inside the client's throttle.
const LOWEST_CHAT_ID: i64 = -1_997_852_516_352;
const HIGHEST_USER_ID: i64 = (1 << 40) - 1;

pub fn is_telegram_chat_id(id: i64) -> bool {
    id != 0 && (LOWEST_CHAT_ID..=HIGHEST_USER_ID).contains(&id)
}

fn is_telegram_user_id(id: UserId) -> bool {
    id.0 >= 1 && id.0 <= HIGHEST_USER_ID as u64
}

/// Decides what an update leaves to do, counting it against the limits.
pub fn admit(state: &State, update: Update) -> Option<Job> {
    match update.kind {
        UpdateKind::Message(m) => message(state, &m),
        UpdateKind::CallbackQuery(q) => button(state, q),
        UpdateKind::InlineQuery(q) => inline(state, q),
        UpdateKind::Error(_) => {
            log::debug!(
                "update {}: a kind this bot does not read; ignored",
                update.id.0
            );
            None
        }
        _ => None,
    }
}

/// Who sent a message, as limits and access lists see them.
struct Sender {
    /// A user id, or the id of the chat a message was sent on behalf of.
    key: i64,
    user: Option<UserId>,
    language: Option<String>,
}

/// The sender of a message; `None` for bots and channel posts forwarded into a group.
fn sender(msg: &Message) -> Option<Sender> {
    if msg.is_automatic_forward() {
        return None;
    }
    // An anonymous group admin (or a member writing as a channel): Telegram names the
    // chat in `sender_chat` and a placeholder bot in `from`.
    if let Some(chat) = &msg.sender_chat {
        return is_telegram_chat_id(chat.id.0).then_some(Sender {
            key: chat.id.0,
            user: None,
            language: None,
        });
    }
    let from = msg.from.as_ref()?;
    (!from.is_bot && is_telegram_user_id(from.id)).then(|| Sender {
        key: from.id.0 as i64,
        user: Some(from.id),
        language: from.language_code.clone(),
    })
}

fn place_of(chat: &teloxide::types::Chat) -> Place {
    if chat.is_private() {
        Place::Private
    } else if chat.is_group() {
        Place::Group(chat.id.0)
    } else {
        Place::Supergroup(chat.id.0)
    }
}

fn message(state: &State, msg: &Message) -> Option<Job> {
    if !is_telegram_chat_id(msg.chat.id.0) {
        log::debug!("a message from a chat id Telegram does not use; ignored");
        return None;
    }
    let sender = sender(msg)?;
    let private = msg.chat.is_private();
    let reply = Reply {
        chat: msg.chat.id,
        to: (!private).then_some(msg.id),
    };
    let text = msg.text().or(msg.caption());
    let ui = match (&sender.language, text) {
        (Some(code), _) => texts::lang_for(Some(code)),
        (None, Some(t)) => Lang::detect(t),
        (None, None) => Lang::En,
    };
    let request = match text {
        Some(text) => {
            let entities = if msg.text().is_some() {
                msg.entities()
            } else {
                msg.caption_entities()
            };
            let replies_to_bot = msg
                .reply_to_message()
                .and_then(|r| r.from.as_ref())
                .is_some_and(|u| u.id == state.bot_id);
            let me = Me {
                username: &state.username,
                id: state.bot_id,
            };
            addressing::request(
                &me,
                &Incoming {
                    text,
                    entities: entities.unwrap_or(&[]),
                    private,
                    replies_to_bot,
                },
            )?
        }
        // A sticker, a photo without a caption: only a private chat is told.
        None if private => {
            return notice(state, &sender, reply, texts::texts(ui).not_text);
        }
        None => return None,
    };
    if !state.allowed(msg.chat.id.0, sender.user.map(|u| u.0)) {
        return if private {
            notice(state, &sender, reply, texts::texts(ui).not_allowed)
        } else {
            None
        };
    }
    match state.limits.admit(sender.key, place_of(&msg.chat)) {
        Verdict::Answer => Some(Job::Request {
            reply,
            request,
            ui,
            user: sender.user,
        }),
        Verdict::SlowDown { per_minute } => Some(Job::Notice {
            reply,
            text: slow_down(ui, per_minute),
        }),
        Verdict::Drop => None,
    }
}

/// A fixed reply, counted like a question (so a flood of stickers is not answered either).
fn notice(state: &State, sender: &Sender, reply: Reply, text: &str) -> Option<Job> {
    match state.limits.admit(sender.key, Place::Private) {
        Verdict::Answer => Some(Job::Notice {
            reply,
            text: text.to_string(),
        }),
        _ => None,
    }
}

fn slow_down(ui: Lang, per_minute: u32) -> String {
    texts::texts(ui)
        .slow_down
        .replace("{n}", &per_minute.to_string())
}

fn button(state: &State, q: CallbackQuery) -> Option<Job> {
    if !is_telegram_user_id(q.from.id) {
        return None;
    }
    let ui = texts::lang_for(q.from.language_code.as_deref());
    let refuse = |text: &str| {
        Some(Job::ButtonRefused {
            query: q.id.clone(),
            text: text.to_string(),
        })
    };
    // Buttons under inline messages: the bot sends none, so this one is stale.
    let Some(message) = q.message.as_ref() else {
        return refuse(texts::texts(ui).expired);
    };
    let chat = message.chat();
    if !is_telegram_chat_id(chat.id.0) {
        return None;
    }
    if !state.allowed(chat.id.0, Some(q.from.id.0)) {
        return refuse(texts::texts(ui).not_allowed);
    }
    match state.limits.admit(q.from.id.0 as i64, place_of(chat)) {
        Verdict::Answer => Some(Job::Button {
            reply: Reply {
                chat: chat.id,
                to: Some(message.id()),
            },
            callback: q.data.as_deref().and_then(Callback::parse),
            query: q.id,
            ui,
        }),
        // A toast, not a message in the chat: it costs the group nothing.
        Verdict::SlowDown { per_minute } => refuse(&slow_down(ui, per_minute)),
        Verdict::Drop => refuse(&slow_down(ui, state.config.telegram.user_rate_per_minute)),
    }
}

fn inline(state: &State, q: InlineQuery) -> Option<Job> {
    if !is_telegram_user_id(q.from.id) {
        return None;
    }
    let user = q.from.id.0;
    if !state.allowed(user as i64, Some(user))
        || state.limits.admit(user as i64, Place::Private) != Verdict::Answer
    {
        return Some(Job::InlineRefused { query: q.id });
    }
    Some(Job::Inline {
        ui: texts::lang_for(q.from.language_code.as_deref()),
        text: q.query.trim().to_string(),
        query: q.id,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 11, point 8: ids outside Telegram's ranges are refused before any reply.
    #[test]
    fn chat_ids_outside_telegrams_ranges_are_refused() {
        for id in [
            1,
            777,
            -1,
            -1_001_234,
            -1_001_000_000_001,
            LOWEST_CHAT_ID,
            HIGHEST_USER_ID,
        ] {
            assert!(is_telegram_chat_id(id), "{id}");
        }
        for id in [
            0,
            LOWEST_CHAT_ID - 1,
            HIGHEST_USER_ID + 1,
            i64::MIN,
            i64::MAX,
        ] {
            assert!(!is_telegram_chat_id(id), "{id}");
        }
        assert!(!is_telegram_user_id(UserId(0)));
        assert!(!is_telegram_user_id(UserId(u64::MAX)));
    }
}
