//! What any member of a group (or anyone in a private chat) can send the bot: text whose
//! case mapping changes its length around mentions and commands, floods, look-alike
//! mentions, forged ids, updates of unknown kinds, and a failure while answering. The
//! bot must answer or ignore each as it should, keep everyone else's answers prompt, keep
//! users' text out of its log, and stay up.

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{json, Value};

use crate::bot::{buttons, message_id, text, Running, PANIC_MARKER, WAIT};
use crate::fake_telegram::{
    callback_query, group_text, group_text_as_group, inline_query, private_text,
};

/// The bot has sent nothing for this long: it is done.
const QUIET: Duration = Duration::from_millis(700);

fn sends(bot: &Running) -> usize {
    bot.fake
        .wait_for("sendMessage", usize::MAX, Duration::ZERO)
        .len()
}

/// The messages sent after the first `already`, once the bot has gone quiet.
fn sent_since(bot: &Running, already: usize) -> Vec<Value> {
    bot.settled_messages(QUIET).split_off(already)
}

/// Pushes a message update; returns the message's id.
fn push(bot: &Running, update: Value) -> i64 {
    let id = message_id(&update);
    bot.fake.push_update(update);
    id
}

fn replies_to(messages: &[Value], question: i64) -> Vec<&Value> {
    messages
        .iter()
        .filter(|m| m["reply_parameters"]["message_id"] == question)
        .collect()
}

/// Log lines at ERROR level.
fn errors(log: &str) -> Vec<&str> {
    log.lines().filter(|l| l.contains(" ERROR ")).collect()
}

/// Issue 11, point 1: a mention after characters whose lowercase is longer or shorter
/// used to panic the handler (and the next message ended the process) or garble the
/// question.
#[test]
fn length_changing_case_before_a_mention_neither_crashes_nor_garbles() {
    let mut bot = Running::start(100);
    let chat = -1_001_000_000_111;
    let ids = [
        push(
            &bot,
            group_text(chat, 5, &format!("{} @FactBot trade", "İ".repeat(20))),
        ),
        push(
            &bot,
            group_text(chat, 6, &format!("{} @FactBot trade 2002", "K".repeat(10))),
        ),
        push(&bot, group_text(chat, 7, "@FactBot trade 2003")),
    ];
    assert_eq!(
        bot.fake.wait_for("sendMessage", 3, WAIT).len(),
        3,
        "{}",
        bot.log()
    );
    let sent = sent_since(&bot, 0);
    assert_eq!(sent.len(), 3, "{sent:?}");
    for id in ids {
        assert_eq!(replies_to(&sent, id).len(), 1, "question {id}: {sent:?}");
    }
    assert!(text(replies_to(&sent, ids[1])[0]).contains("$160.7 million"));
    assert!(text(replies_to(&sent, ids[2])[0]).contains("$228 million"));
    assert!(bot.alive());
    let log = bot.stop();
    assert!(errors(&log).is_empty(), "{log}");
}

/// Issue 11, point 2: with `throttle = true`, limits used to be counted only after each
/// answer had waited in Throttle, so a flood got every answer, minutes late.
#[test]
fn private_flood_is_limited_on_arrival_with_throttle_on() {
    let bot = Running::start_with(5, "throttle = true");
    for i in 0..30 {
        bot.fake
            .push_update(private_text(12, &format!("trade 200{}", i % 4)));
    }
    let got = bot.fake.wait_for("sendMessage", 6, Duration::from_secs(40));
    assert_eq!(got.len(), 6, "{}", bot.log());
    let all = sent_since(&bot, 0);
    assert_eq!(all.len(), 6, "5 answers and one notice: {all:?}");
    assert_eq!(
        all.iter().filter(|m| text(m).contains("Slow down")).count(),
        1
    );
    bot.stop();
}

/// Issue 11, point 2: one member's flood in a supergroup delayed another member's answer
/// by minutes. Now the flood's excess is dropped on arrival and the other answer comes
/// within a few seconds, at Telegram's pace of a message a second in a chat.
#[test]
fn group_flood_does_not_delay_other_members() {
    let bot = Running::start_with(
        20,
        "throttle = true\ngroup_messages_per_minute = 20\nsupergroup_messages_per_minute = 20",
    );
    let chat = -1_001_000_000_222;
    for _ in 0..30 {
        bot.fake
            .push_update(group_text(chat, 31, "@FactBot trade 2002"));
    }
    std::thread::sleep(Duration::from_millis(500));
    let asked = Instant::now();
    let id = push(&bot, group_text(chat, 32, "@FactBot trade 2003"));
    let deadline = asked + Duration::from_secs(30);
    let waited = loop {
        let all = bot
            .fake
            .wait_for("sendMessage", usize::MAX, Duration::from_millis(50));
        if !replies_to(&all, id).is_empty() {
            break asked.elapsed();
        }
        assert!(Instant::now() < deadline, "no answer: {}", bot.log());
    };
    assert!(waited < Duration::from_secs(8), "answered after {waited:?}");
    let all = sent_since(&bot, 0);
    let flood: Vec<&Value> = all
        .iter()
        .filter(|m| replies_to(std::slice::from_ref(m), id).is_empty())
        .collect();
    assert!(
        flood.len() <= 4,
        "the flooder gets a few answers and a notice: {flood:?}"
    );
    assert_eq!(
        flood
            .iter()
            .filter(|m| text(m).contains("Slow down"))
            .count(),
        1
    );
    bot.stop();
}

/// Issue 11, point 3: `@FactBotFan` and `foo@FactBot.com` contain the bot's name but do
/// not mention it.
#[test]
fn look_alike_mentions_get_silence() {
    let bot = Running::start(100);
    let chat = -1_001_000_000_333;
    bot.fake.push_update(group_text(
        chat,
        41,
        "hey @FactBotFan did you see trade 2002?",
    ));
    bot.fake
        .push_update(group_text(chat, 41, "write to foo@FactBot.com about trade"));
    let id = push(&bot, group_text(chat, 41, "hey @factbot trade 2002?"));
    bot.fake.wait_for("sendMessage", 1, WAIT);
    let all = sent_since(&bot, 0);
    assert_eq!(all.len(), 1, "{all:?}");
    assert_eq!(all[0]["reply_parameters"]["message_id"], id);
    assert!(text(&all[0]).contains("$160.7 million"));
    bot.stop();
}

/// Issue 11, point 4: anonymous admins write on behalf of the group (`sender_chat`), with a
/// placeholder bot as `from`; they were ignored as bots.
#[test]
fn anonymous_group_admins_are_answered() {
    let bot = Running::start(100);
    let chat = -1_001_000_000_444;
    let q = group_text_as_group(chat, "/trade@FactBot 2002");
    let id = message_id(&q);
    let m = bot.sent_after(q, 1);
    assert_eq!(m[0]["chat_id"], chat);
    assert_eq!(m[0]["reply_parameters"]["message_id"], id);
    assert!(text(&m[0]).contains("$160.7 million"), "{}", text(&m[0]));
    let m = bot.sent_after(group_text_as_group(chat, "@FactBot trade 2003"), 2);
    assert!(text(&m[1]).contains("$228 million"), "{}", text(&m[1]));
    bot.stop();
}

/// Issue 11, point 5: "More" offered the third page of passages only if the second page
/// held as many passages as the first two together.
#[test]
fn more_pages_on_while_passages_remain() {
    let bot = Running::start(100);
    let m = bot.sent_after(private_text(51, "Kyrgyzstan Kazakhstan"), 1);
    let more = |m: &Value| {
        buttons(m)
            .into_iter()
            .find(|(t, _)| t.contains("More"))
            .map(|(_, d)| d)
    };
    let first = more(&m[0]).expect("a full first page has More");
    let m = bot.sent_after(callback_query(51, 51, 2_000_001, &first), 2);
    let second = more(&m[1]).expect("a full second page has More too");
    let m = bot.sent_after(callback_query(51, 51, 2_000_002, &second), 3);
    assert!(!text(&m[2]).contains("No more passages"), "{}", text(&m[2]));
    let pages: HashSet<&str> = m.iter().map(text).collect();
    assert_eq!(pages.len(), 3, "three different pages");
    bot.stop();
}

/// Issue 11, point 6: "nothing matches" quoted the whole question back: a 10,000-character
/// message got three messages of echo.
#[test]
fn nothing_matches_quotes_only_the_start_of_a_long_question() {
    let bot = Running::start(100);
    let long = "xqzj wvpk ".repeat(1000);
    bot.fake.push_update(private_text(61, &long));
    bot.fake.wait_for("sendMessage", 1, WAIT);
    let all = sent_since(&bot, 0);
    assert_eq!(all.len(), 1, "{all:?}");
    assert!(text(&all[0]).contains("Nothing in the documents matches"));
    assert!(text(&all[0]).chars().count() < 400, "{}", text(&all[0]));
    bot.stop();
}

/// Issue 11, point 7: inline results depend on the user (language, access) and must not
/// be served from one user's cache to another.
#[test]
fn inline_results_are_cached_per_user() {
    let bot = Running::start_with(1, "allowed_users = [71]");
    let queries = [
        inline_query(71, "trade 2002"),
        inline_query(72, "trade 2002"),
        inline_query(71, "trade 2003"),
    ];
    let ids: Vec<Value> = queries
        .iter()
        .map(|q| q["inline_query"]["id"].clone())
        .collect();
    // Counted in the order they arrive: the second query of user 71 is over the rate.
    for q in queries {
        bot.fake.push_update(q);
    }
    let answers = bot.fake.wait_for("answerInlineQuery", 3, WAIT);
    assert_eq!(answers.len(), 3, "{}", bot.log());
    for a in &answers {
        assert_eq!(a["is_personal"], true, "{a}");
    }
    let results = |id: &Value| {
        let a = answers
            .iter()
            .find(|a| a["inline_query_id"] == *id)
            .expect("answered");
        a["results"].as_array().map_or(0, Vec::len)
    };
    assert!(results(&ids[0]) > 0);
    assert_eq!(results(&ids[1]), 0, "user 72 may not use the bot");
    assert_eq!(results(&ids[2]), 0, "user 71 is over the rate");
    bot.stop();
}

/// Issue 11, point 8: a chat id outside Telegram's ranges panicked Throttle's worker;
/// after that every request went out unthrottled and the next one from that chat ended
/// the process.
#[test]
fn chat_ids_outside_telegrams_ranges_are_dropped() {
    let mut bot = Running::start_with(100, "throttle = true");
    for _ in 0..2 {
        bot.fake
            .push_update(group_text(-3_000_000_000_000, 81, "@FactBot trade 2002"));
        bot.fake.push_update(private_text(1 << 41, "trade 2002"));
    }
    let m = bot.sent_after(private_text(82, "trade 2002"), 1);
    assert_eq!(m[0]["chat_id"], 82);
    let all = sent_since(&bot, 0);
    assert_eq!(all.len(), 1, "{all:?}");
    assert!(bot.alive());
    let log = bot.stop();
    assert!(
        !log.contains("panick") && !log.contains("internal error"),
        "{log}"
    );
}

/// Issue 11, point 9: updates of kinds the bot does not read were logged at ERROR with
/// their whole body.
#[test]
fn unknown_update_kinds_are_ignored_without_logging_them() {
    let bot = Running::start(100);
    bot.fake.push_update(json!({
        "brand_new_kind": {"chat": {"id": 5}, "text": "private words 5e1f"}
    }));
    bot.fake.push_update(json!({
        "message": {"text": "private words 5e1f", "chat": "not a chat"}
    }));
    let m = bot.sent_after(private_text(91, "trade 2002"), 1);
    assert!(text(&m[0]).contains("$160.7 million"));
    let log = bot.stop();
    assert!(!log.contains("5e1f"), "{log}");
    assert!(errors(&log).is_empty(), "{log}");
}

/// Issue 11, point 9: a webhook body that is not an update was logged at ERROR, whole.
#[test]
fn malformed_webhook_bodies_are_ignored_without_logging_them() {
    let (bot, port) = Running::start_webhook(100);
    let post = |body: &str| crate::bot::post_webhook(port, body, Some("s3cret-webhook"));
    let deadline = Instant::now() + WAIT;
    while post("private words 5e1f, not JSON") == 0 {
        assert!(Instant::now() < deadline, "webhook never listened");
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(
        post(r#"{"update_id": 3, "message": "private words 5e1f"}"#),
        200
    );
    assert_eq!(post(r#"["private words 5e1f"]"#), 200);
    let mut update = private_text(92, "trade 2002");
    update["update_id"] = json!(4);
    assert_eq!(post(&update.to_string()), 200);
    let m = bot.fake.wait_for("sendMessage", 1, WAIT);
    assert!(text(&m[0]).contains("$160.7 million"), "{}", bot.log());
    let log = bot.stop();
    assert!(!log.contains("5e1f"), "{log}");
    assert!(errors(&log).is_empty(), "{log}");
    assert!(log.contains("not an update"), "{log}");
}

/// A failure while answering one update is contained: that user gets an apology, the
/// log says where it failed but not what the user wrote, and the chat keeps being
/// answered.
#[test]
fn a_failure_while_answering_costs_only_that_update() {
    let mut bot = Running::start(100);
    let chat = -1_001_000_000_555;
    let doomed = format!("@FactBot private words 5e1f {PANIC_MARKER}");
    let id = push(&bot, group_text(chat, 93, &doomed));
    let next_id = push(&bot, group_text(chat, 94, "@FactBot trade 2002"));
    bot.fake.wait_for("sendMessage", 2, WAIT);
    let all = sent_since(&bot, 0);
    assert_eq!(all.len(), 2, "{all:?}");
    let apology = replies_to(&all, id);
    assert_eq!(apology.len(), 1, "{all:?}");
    assert!(text(apology[0]).contains("Something went wrong"), "{all:?}");
    assert!(text(replies_to(&all, next_id)[0]).contains("$160.7 million"));
    // Private chats, and the same chat again, still work.
    let m = bot.sent_after(private_text(95, &format!("trade 2003 {PANIC_MARKER}")), 3);
    assert!(text(&m[2]).contains("Something went wrong"));
    let m = bot.sent_after(group_text(chat, 93, "@FactBot trade 2003"), 4);
    assert!(text(&m[3]).contains("$228 million"));
    assert!(bot.alive());
    let log = bot.stop();
    assert!(!log.contains("5e1f"), "{log}");
    assert!(
        log.contains("internal error (a panic) at src/bot/"),
        "{log}"
    );
}

// ---------------------------------------------------------------------------------------
// Random group traffic.
// ---------------------------------------------------------------------------------------

/// Characters whose case mapping changes their length (`İ` lowercases to two characters,
/// `K` and `ẞ` to shorter UTF-8, `ﬁ` and `ŉ` uppercase to two), combining marks, right-to-
/// left and zero-width characters, emoji with skin tones, and words the bot knows.
const TRICKY: &[&str] = &[
    "İ",
    "K",
    "ẞ",
    "ß",
    "Σ",
    "ς",
    "ﬁ",
    "ŉ",
    "ǰ",
    "ΐ",
    "\u{301}",
    "\u{345}",
    "\u{5d0}",
    "\u{627}",
    "\u{202e}",
    "\u{200f}",
    "\u{200b}",
    "\u{200d}",
    "\u{feff}",
    "👍🏽",
    "👩🏿‍💻",
    "🇰🇿",
    " ",
    ",",
    ":",
    "trade",
    "2002",
    "treaty",
    "товарооборот",
    "İstanbul",
];

/// A run of tricky text (never '@' or '/', which would address someone).
fn tricky() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            4 => prop::sample::select(TRICKY).prop_map(str::to_string),
            1 => any::<char>()
                .prop_filter("no addressing", |c| !matches!(c, '@' | '/'))
                .prop_map(String::from),
        ],
        0..10,
    )
    .prop_map(|v| v.concat())
}

/// One message of random traffic: its text, whether it goes to a group, and whether the
/// bot must answer it.
#[derive(Debug, Clone)]
struct Said {
    text: String,
    group: bool,
    answered: bool,
}

fn said() -> impl Strategy<Value = Said> {
    let names = || prop::sample::select(&["FactBot", "factbot", "FACTBOT"][..]);
    let commands = prop::sample::select(&["ask", "trade", "when", "timeline", "help", "About"][..]);
    let s = |text: String, group: bool, answered: bool| Said {
        text,
        group,
        answered,
    };
    prop_oneof![
        3 => (tricky(), names(), tricky())
            .prop_map(move |(a, n, b)| s(format!("{a} @{n} {b}"), true, true)),
        2 => (commands, names(), tricky())
            .prop_map(move |(c, n, b)| s(format!("/{c}@{n} {b}"), true, true)),
        1 => tricky().prop_map(move |b| s(format!("/trade@OtherBot {b}"), true, false)),
        1 => (tricky(), tricky())
            .prop_map(move |(a, b)| s(format!("{a} @FactBotFan {b}"), true, false)),
        1 => (tricky(), tricky())
            .prop_map(move |(a, b)| s(format!("{a}foo@FactBot.com {b}"), true, false)),
        2 => (tricky(), tricky()).prop_map(move |(a, b)| s(format!("{a} {b}"), true, false)),
        2 => (tricky(), tricky()).prop_map(move |(a, b)| s(format!("{a} {b}"), false, true)),
        1 => (tricky(), names(), tricky())
            .prop_map(move |(a, n, b)| s(format!("{a} @{n} {b}"), false, true)),
    ]
}

/// What a run of traffic did.
struct Traffic {
    updates: usize,
    answered: usize,
    secs: f64,
}

/// Sends `said` from users `first_user..first_user + users` (each message from the next
/// user in turn; group messages go to one of `groups` supergroups, private ones to the
/// sender's chat) and checks that exactly the messages that must be answered were, each
/// once, with no apology, and that the bot is alive.
fn traffic(
    bot: &mut Running,
    said: &[Said],
    users: i64,
    groups: i64,
    first_user: i64,
) -> Result<Traffic, String> {
    let already = sends(bot);
    let started = Instant::now();
    let mut expected_group: HashSet<i64> = HashSet::new();
    let mut expected_private: HashMap<i64, usize> = HashMap::new();
    let mut silent_group: HashMap<i64, &str> = HashMap::new();
    for (i, s) in said.iter().enumerate() {
        let user = first_user + i as i64 % users;
        if s.group {
            let update = group_text(-1_001_000_100_000 - i as i64 % groups, user, &s.text);
            let id = message_id(&update);
            if s.answered {
                expected_group.insert(id);
            } else {
                silent_group.insert(id, &s.text);
            }
            bot.fake.push_update(update);
        } else {
            *expected_private.entry(user).or_insert(0) += 1;
            bot.fake.push_update(private_text(user, &s.text));
        }
    }
    let expected = expected_group.len() + expected_private.values().sum::<usize>();
    let patience = Duration::from_secs(30) + Duration::from_millis(50) * said.len() as u32;
    bot.fake
        .wait_for("sendMessage", already + expected, patience);
    let secs = started.elapsed().as_secs_f64();
    let sent = sent_since(bot, already);
    let mut private: HashMap<i64, usize> = HashMap::new();
    let mut answered_group: HashSet<i64> = HashSet::new();
    for m in &sent {
        if text(m).contains("Something went wrong") {
            return Err(format!("an apology: {m}"));
        }
        let chat = m["chat_id"].as_i64().unwrap_or(0);
        if chat > 0 {
            *private.entry(chat).or_insert(0) += 1;
        } else if let Some(q) = m["reply_parameters"]["message_id"].as_i64() {
            if !answered_group.insert(q) {
                return Err(format!("question {q} answered twice"));
            }
            if let Some(asked) = silent_group.get(&q) {
                return Err(format!("answered {asked:?}, which is not for the bot: {m}"));
            }
        }
    }
    if answered_group != expected_group {
        let missed: Vec<_> = expected_group.difference(&answered_group).collect();
        return Err(format!("group questions not answered: {missed:?}"));
    }
    for (user, n) in &expected_private {
        if private.get(user).copied().unwrap_or(0) < *n {
            return Err(format!("user {user}'s private questions not all answered"));
        }
    }
    if !bot.alive() {
        return Err(format!("the bot died: {}", bot.log()));
    }
    Ok(Traffic {
        updates: said.len(),
        answered: expected,
        secs,
    })
}

/// Cases of random traffic unless `PROPTEST_CASES` says otherwise.
const TRAFFIC_CASES: u32 = 4;

/// Random Unicode around mentions and commands, in groups and private chats, through the
/// fake Bot API: every message is answered or ignored as it should be, and the bot stays
/// up. Each case is a batch of messages to the same running bot.
#[test]
fn random_unicode_around_mentions_and_commands_is_answered_or_ignored_as_it_should_be() {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(TRAFFIC_CASES);
    let bot = RefCell::new(Running::start(1_000_000));
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    let batch = Cell::new(0i64);
    let result = runner.run(&prop::collection::vec(said(), 1..30), |said| {
        batch.set(batch.get() + 1);
        // Private replies are counted by chat: fresh users for every batch.
        let mut bot = bot.borrow_mut();
        traffic(&mut bot, &said, 30, 3, batch.get() * 1000).map_err(TestCaseError::fail)?;
        Ok(())
    });
    let bot = bot.into_inner();
    if let Err(e) = result {
        panic!("{e}\n{}", bot.log());
    }
    let log = bot.stop();
    assert!(!log.contains("internal error"), "{log}");
}

/// 10,000 updates of random Unicode group traffic (a fifth in private chats) from 500
/// users in 50 groups, every message answered or ignored as it should be; then another
/// 10,000 from 500 other users, which must not need much more memory: what the bot keeps
/// per user, chat and update is bounded. A measurement; run it in release:
/// `cargo test --release --test integration random_traffic_10000 -- --ignored --nocapture`.
#[test]
#[ignore]
fn random_traffic_10000_updates_from_500_users() {
    let mut bot = Running::start(1_000_000);
    let mut runner = TestRunner::deterministic();
    let strategy = said();
    let said: Vec<Said> = (0..10_000)
        .map(|_| {
            strategy
                .new_tree(&mut runner)
                .map(|t| t.current())
                .expect("a message")
        })
        .collect();
    let hwm_start = bot.memory_kb("VmHWM").unwrap_or(0);
    let mut peaks = Vec::new();
    for (round, first_user) in [700_000, 800_000].into_iter().enumerate() {
        let t = traffic(&mut bot, &said, 500, 50, first_user).unwrap_or_else(|e| panic!("{e}"));
        let hwm = bot.memory_kb("VmHWM").unwrap_or(0);
        println!(
            "random traffic, round {}: {} updates from 500 users, {} answered (the rest ignored as chatter) in {:.2} s = {:.0} updates/s; bot VmHWM {hwm_start} kB at start, {hwm} kB after (VmRSS {} kB)",
            round + 1,
            t.updates,
            t.answered,
            t.secs,
            t.updates as f64 / t.secs,
            bot.memory_kb("VmRSS").unwrap_or(0),
        );
        peaks.push(hwm);
    }
    let log = bot.stop();
    let panics = log.matches("internal error").count();
    println!("{panics} internal errors");
    assert_eq!(panics, 0);
    assert!(
        peaks[1] <= peaks[0] + peaks[0] / 4 + 32 * 1024,
        "peak memory grew from {} kB to {} kB",
        peaks[0],
        peaks[1]
    );
}
