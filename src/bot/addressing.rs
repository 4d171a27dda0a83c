//! Whether a message is for the bot, and what it asks. Read from Telegram's own entities
//! (`bot_command`, `mention`, `text_mention`), located in the original text by their
//! UTF-16 offsets; nothing is lowercased or normalised before it is sliced, so a message
//! whose case mapping changes its length (`İ`, `K`, `ẞ`) is read like any other.
//!
//! In a group the bot answers its commands (`/cmd@Bot`, or a bare `/cmd` it knows), a
//! mention of it as a whole entity (`@Bot`, not `@BotFan` nor `foo@Bot.com`), and replies
//! to its messages; everything else is chatter and gets silence. In a private chat every
//! message is for it.

use std::ops::Range;

use teloxide::types::{MessageEntity, MessageEntityKind, UserId};

/// What a message asks of the bot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    Start,
    Help,
    Sources,
    About,
    Reindex,
    Unknown,
    EmptyAsk,
    Ask(String),
}

/// The bot, as messages name it.
pub struct Me<'a> {
    pub username: &'a str,
    pub id: UserId,
}

/// A message's text (or caption) and what the bot needs to know about it.
pub struct Incoming<'a> {
    pub text: &'a str,
    /// The entities of `text` (a caption's own entities for a caption).
    pub entities: &'a [MessageEntity],
    pub private: bool,
    /// It replies to one of the bot's messages.
    pub replies_to_bot: bool,
}

/// More entities than this are not looked at (Telegram sends far fewer; a forged update
/// could send millions).
const MAX_ENTITIES: usize = 256;

/// Decides whether `m` is addressed to the bot and what it asks; `None` is silence.
pub fn request(me: &Me, m: &Incoming) -> Option<Request> {
    let text = m.text;
    let located: Vec<(Range<usize>, &MessageEntityKind)> = m
        .entities
        .iter()
        .take(MAX_ENTITIES)
        .filter_map(|e| Some((byte_range(text, e.offset, e.length)?, &e.kind)))
        .collect();
    let ours: Vec<Range<usize>> = located
        .iter()
        .filter(|(r, kind)| names_me(me, &text[r.clone()], kind))
        .map(|(r, _)| r.clone())
        .collect();
    let opening = text.len() - text.trim_start().len();
    let command = located
        .iter()
        .find(|(r, kind)| matches!(kind, MessageEntityKind::BotCommand) && r.start == opening);
    if let Some((range, _)) = command {
        return command_request(me, m, range.clone(), &ours);
    }
    let mentioned = !ours.is_empty();
    if !(m.private || mentioned || m.replies_to_bot) {
        return None;
    }
    let question = tidy(&without(text, 0, &ours));
    Some(if question.is_empty() && mentioned {
        Request::Help
    } else {
        Request::Ask(question)
    })
}

/// A message that opens with the command entity at `range`.
fn command_request(
    me: &Me,
    m: &Incoming,
    range: Range<usize>,
    ours: &[Range<usize>],
) -> Option<Request> {
    let word = m.text[range.clone()].trim_start_matches('/');
    let (name, target) = match word.split_once('@') {
        Some((name, target)) => (name, Some(target)),
        None => (word, None),
    };
    if target.is_some_and(|t| !t.eq_ignore_ascii_case(me.username)) {
        // A command for another bot.
        return None;
    }
    let name = name.to_ascii_lowercase();
    let rest = tidy(&without(m.text, range.end, ours));
    Some(match name.as_str() {
        "start" => Request::Start,
        "help" => Request::Help,
        "sources" => Request::Sources,
        "about" => Request::About,
        "reindex" => Request::Reindex,
        "ask" if rest.is_empty() => Request::EmptyAsk,
        "ask" => Request::Ask(rest),
        "trade" | "when" | "timeline" => {
            Request::Ask(format!("/{name} {rest}").trim_end().to_string())
        }
        // An unknown bare command in a group may be another bot's: stay silent.
        _ if m.private || target.is_some() => Request::Unknown,
        _ => return None,
    })
}

/// Whether an entity (whose text is `text`) names the bot.
fn names_me(me: &Me, text: &str, kind: &MessageEntityKind) -> bool {
    match kind {
        MessageEntityKind::Mention => text
            .strip_prefix('@')
            .is_some_and(|name| name.eq_ignore_ascii_case(me.username)),
        MessageEntityKind::TextMention { user } => user.id == me.id,
        _ => false,
    }
}

/// `text[from..]` without the byte ranges in `cut` (sorted, as entities are).
fn without(text: &str, from: usize, cut: &[Range<usize>]) -> String {
    let mut out = String::with_capacity(text.len().saturating_sub(from));
    let mut pos = from;
    for r in cut {
        if r.start < pos {
            pos = pos.max(r.end);
            continue;
        }
        out.push_str(&text[pos..r.start]);
        out.push(' ');
        pos = r.end;
    }
    out.push_str(&text[pos.min(text.len())..]);
    out
}

/// The question without the blanks, commas and colons a mention leaves around it.
fn tidy(s: &str) -> String {
    s.trim()
        .trim_start_matches([',', ':'])
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The byte range of an entity given in UTF-16 code units, as Telegram counts; `None`
/// when it does not fall on character boundaries inside `text` (a forged entity).
pub fn byte_range(text: &str, offset: usize, length: usize) -> Option<Range<usize>> {
    let end = offset.checked_add(length)?;
    let start = byte_offset(text, offset)?;
    let stop = start + byte_offset(&text[start..], end - offset)?;
    Some(start..stop)
}

/// The byte offset of the UTF-16 offset `units`, if it is a character boundary of `text`.
fn byte_offset(text: &str, units: usize) -> Option<usize> {
    let mut seen = 0;
    for (i, c) in text.char_indices() {
        if seen == units {
            return Some(i);
        }
        if seen > units {
            return None;
        }
        seen += c.len_utf16();
    }
    (seen == units).then_some(text.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use teloxide::types::User;

    const ME: Me = Me {
        username: "FactBot",
        id: UserId(4242),
    };

    /// Entities as Telegram marks them: commands at word starts, `@names` of 5-32 word
    /// characters not glued to a word before them, offsets in UTF-16 units.
    fn entities_of(text: &str) -> Vec<MessageEntity> {
        let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_';
        let units = |s: &str| s.encode_utf16().count();
        let mut out = Vec::new();
        let mut prev: Option<char> = None;
        let mut iter = text.char_indices().peekable();
        while let Some((i, c)) = iter.next() {
            let starts_word = !prev.is_some_and(is_word);
            if (c == '/' && prev.is_none_or(char::is_whitespace)) || (c == '@' && starts_word) {
                let body: String = text[i + 1..]
                    .chars()
                    .take_while(|&ch| is_word(ch) || (c == '/' && ch == '@'))
                    .collect();
                let ok = if c == '@' {
                    (5..=32).contains(&body.len())
                } else {
                    !body.is_empty()
                };
                if ok {
                    let kind = if c == '@' {
                        MessageEntityKind::Mention
                    } else {
                        MessageEntityKind::BotCommand
                    };
                    out.push(MessageEntity::new(kind, units(&text[..i]), 1 + body.len()));
                    for _ in 0..body.len() {
                        iter.next();
                    }
                    prev = body.chars().last();
                    continue;
                }
            }
            prev = Some(c);
        }
        out
    }

    fn ask(text: &str, private: bool) -> Option<Request> {
        let entities = entities_of(text);
        request(
            &ME,
            &Incoming {
                text,
                entities: &entities,
                private,
                replies_to_bot: false,
            },
        )
    }

    fn question(s: &str) -> Option<Request> {
        Some(Request::Ask(s.to_string()))
    }

    #[test]
    fn utf16_offsets_land_on_the_characters_telegram_means() {
        let text = "🙂 İK @FactBot";
        let at = byte_range(text, 6, 8).expect("range");
        assert_eq!(&text[at], "@FactBot");
        // Inside the surrogate pair of 🙂, past the end, overflowing: no range.
        assert_eq!(byte_range(text, 1, 2), None);
        assert_eq!(byte_range(text, 6, 9), None);
        assert_eq!(byte_range(text, usize::MAX, 2), None);
        assert_eq!(byte_range(text, 14, 0), Some(text.len()..text.len()));
    }

    /// Issue 11, point 1: the mention's position was found in a lowercased copy and used
    /// to slice the original; these prefixes change length when lowercased.
    #[test]
    fn mention_after_length_changing_case_mappings_is_cut_from_the_original() {
        for prefix in [
            "İİİİİİİİİİİİİİİİİİİİ",
            "KKKKKKKKKK",
            "ẞẞẞ",
            "ΣΣ ﬁﬁ",
            "e\u{301}\u{301} \u{202e}\u{200b}",
            "👍🏽👍🏿",
        ] {
            let text = format!("{prefix} @FactBot trade 2002");
            assert_eq!(
                ask(&text, false),
                question(&format!("{prefix} trade 2002")),
                "{text}"
            );
        }
    }

    /// Issue 11, point 3: mentions are whole entities, not substrings.
    #[test]
    fn only_a_whole_mention_of_the_bot_addresses_it() {
        assert_eq!(ask("hey @FactBotFan did you see trade 2002?", false), None);
        assert_eq!(ask("write to foo@FactBot.com about trade", false), None);
        assert_eq!(ask("@factbot, trade 2002", false), question("trade 2002"));
        assert_eq!(
            ask("what about @FactBot trade 2002?", false),
            question("what about trade 2002?")
        );
        assert_eq!(ask("@FactBot", false), Some(Request::Help));
        assert_eq!(ask("chatter about trade 2002", false), None);
    }

    #[test]
    fn a_mention_by_user_link_addresses_the_bot() {
        let text = "Fact Bot: trade 2002";
        let me = User {
            id: ME.id,
            is_bot: true,
            first_name: "Fact Bot".into(),
            last_name: None,
            username: None,
            language_code: None,
            is_premium: false,
            added_to_attachment_menu: false,
        };
        let entities = [MessageEntity::text_mention(me, 0, 8)];
        let m = Incoming {
            text,
            entities: &entities,
            private: false,
            replies_to_bot: false,
        };
        assert_eq!(request(&ME, &m), question("trade 2002"));
    }

    #[test]
    fn commands_for_the_bot_or_for_no_bot_in_particular() {
        assert_eq!(ask("/trade@FactBot 2003", false), question("/trade 2003"));
        assert_eq!(ask("/TRADE@factbot 2003", false), question("/trade 2003"));
        assert_eq!(ask("/trade@OtherBot 2003", false), None);
        assert_eq!(ask("/trade 2000", false), question("/trade 2000"));
        assert_eq!(ask("/ask", true), Some(Request::EmptyAsk));
        assert_eq!(ask("/ask@FactBot İİİ trade", false), question("İİİ trade"));
        assert_eq!(
            ask("/ask @FactBot trade 2002", false),
            question("trade 2002")
        );
        assert_eq!(ask("/start", true), Some(Request::Start));
        assert_eq!(ask("/frobnicate", true), Some(Request::Unknown));
        assert_eq!(ask("/frobnicate", false), None);
        assert_eq!(ask("/frobnicate@FactBot", false), Some(Request::Unknown));
        // A command in the middle of a message does not make it one.
        assert_eq!(ask("see /trade@FactBot 2003", false), None);
    }

    #[test]
    fn private_messages_and_replies_are_questions() {
        assert_eq!(ask("trade 2002", true), question("trade 2002"));
        assert_eq!(ask("@FactBot trade 2002", true), question("trade 2002"));
        let m = Incoming {
            text: "and in 2003?",
            entities: &[],
            private: false,
            replies_to_bot: true,
        };
        assert_eq!(request(&ME, &m), question("and in 2003?"));
    }

    #[test]
    fn forged_entities_are_ignored_not_trusted() {
        let text = "İİ @FactBot trade";
        for (offset, length) in [(0, 1000), (50, 3), (usize::MAX, 1), (1, usize::MAX)] {
            let entities = [MessageEntity::new(
                MessageEntityKind::Mention,
                offset,
                length,
            )];
            let m = Incoming {
                text,
                entities: &entities,
                private: false,
                replies_to_bot: false,
            };
            assert_eq!(request(&ME, &m), None, "{offset} {length}");
        }
    }
}
