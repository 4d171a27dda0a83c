//! The real `factbot run` binary against a fake Telegram Bot API on 127.0.0.1, fed real
//! Update JSON the way Telegram would deliver it.

use std::io::Read;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::fake_telegram::{
    callback_query, group_reply_to_bot, group_text, inline_query, private_text, with_language,
    FakeTelegram,
};
use crate::support::{repo, sample_documents};

pub(crate) const TOKEN: &str = "123456789:AAEtestTokenSecret_0123456789abcdefXYZ";
const ADMIN: i64 = 777;
pub(crate) const WAIT: Duration = Duration::from_secs(20);
/// A question containing this makes a debug build of the bot panic while answering it.
pub(crate) const PANIC_MARKER: &str = "panic-on-purpose-7f3a";

pub(crate) struct Running {
    pub(crate) child: Child,
    pub(crate) fake: FakeTelegram,
    stderr: Arc<Mutex<String>>,
    _tmp: tempfile::TempDir,
}

impl Running {
    pub(crate) fn start(rate_per_minute: u32) -> Running {
        Self::start_with(rate_per_minute, "")
    }

    /// `extra` is appended to the `[telegram]` section of the config. Throttling is off
    /// and groups have room for any number of answers unless `extra` says otherwise.
    pub(crate) fn start_with(rate_per_minute: u32, extra: &str) -> Running {
        let fake = FakeTelegram::start("FactBot");
        let tmp = tempfile::tempdir().expect("tmp");
        let mut defaults = String::new();
        if !extra.contains("throttle") {
            defaults.push_str("throttle = false\n");
        }
        if !extra.contains("group_messages_per_minute") {
            defaults.push_str(
                "group_messages_per_minute = 1000000\nsupergroup_messages_per_minute = 1000000\n",
            );
        }
        let config = format!(
            "documents = {:?}\nindex = {:?}\naliases = {:?}\n[telegram]\n{defaults}admins = [{ADMIN}]\nuser_rate_per_minute = {rate_per_minute}\n{extra}\n",
            sample_documents(),
            tmp.path().join("index"),
            repo().join("index/aliases.toml"),
        );
        let cfg_path = tmp.path().join("config.toml");
        std::fs::write(&cfg_path, config).expect("config");
        let mut child = Command::new(env!("CARGO_BIN_EXE_factbot"))
            .arg("--config")
            .arg(&cfg_path)
            .arg("run")
            .env("TELOXIDE_TOKEN", TOKEN)
            .env("TELOXIDE_API_URL", fake.url())
            .env("RUST_LOG", "trace")
            .env("FACTBOT_WEBHOOK_SECRET", "s3cret-webhook")
            .env("FACTBOT_DEBUG_PANIC_ON", PANIC_MARKER)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn factbot run");
        let stderr = Arc::new(Mutex::new(String::new()));
        let mut pipe = child.stderr.take().expect("stderr");
        let sink = Arc::clone(&stderr);
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = pipe.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock()
                    .expect("lock")
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        let r = Running {
            child,
            fake,
            stderr,
            _tmp: tmp,
        };
        // Started once the command list is registered and polling has begun.
        assert_eq!(
            r.fake.wait_for("setMyCommands", 1, WAIT).len(),
            1,
            "bot did not start: {}",
            r.log()
        );
        let method = if extra.contains("webhook") {
            "setWebhook"
        } else {
            "getUpdates"
        };
        assert!(!r.fake.wait_for(method, 1, WAIT).is_empty(), "{}", r.log());
        r
    }

    pub(crate) fn log(&self) -> String {
        self.stderr.lock().expect("lock").clone()
    }

    /// Pushes an update and waits for the `n`-th sendMessage overall.
    pub(crate) fn sent_after(&self, update: Value, total: usize) -> Vec<Value> {
        self.fake.push_update(update);
        let got = self.fake.wait_for("sendMessage", total, WAIT);
        assert!(
            got.len() >= total,
            "expected {total} messages, got {}: {}",
            got.len(),
            self.log()
        );
        got
    }

    /// True while the bot process is running.
    pub(crate) fn alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// A memory figure of the bot process from /proc (e.g. "VmHWM", "VmRSS"), in kB.
    pub(crate) fn memory_kb(&self, field: &str) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        status
            .lines()
            .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
            .and_then(|v| v.split_whitespace().next()?.parse().ok())
    }

    /// Waits until the bot has sent nothing (polls aside) for `quiet`, then returns every
    /// sendMessage.
    pub(crate) fn settled_messages(&self, quiet: Duration) -> Vec<Value> {
        let sent = || {
            let answered = self.fake.calls();
            let failed = self.fake.failed_calls();
            answered
                .iter()
                .chain(failed.iter())
                .filter(|(m, _)| m != "getUpdates")
                .count()
        };
        let mut seen = sent();
        loop {
            std::thread::sleep(quiet);
            let now = sent();
            if now == seen {
                break;
            }
            seen = now;
        }
        self.fake
            .calls()
            .into_iter()
            .filter(|(m, _)| m == "sendMessage")
            .map(|(_, b)| b)
            .collect()
    }

    pub(crate) fn stop(mut self) -> String {
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status();
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                assert!(status.success(), "exit status {status}: {}", self.log());
                break;
            }
            assert!(Instant::now() < deadline, "bot did not stop on SIGTERM");
            std::thread::sleep(Duration::from_millis(50));
        }
        std::thread::sleep(Duration::from_millis(100));
        self.log()
    }
}

pub(crate) fn text(m: &Value) -> &str {
    m["text"].as_str().unwrap_or("")
}

pub(crate) fn buttons(m: &Value) -> Vec<(String, String)> {
    m["reply_markup"]["inline_keyboard"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row.as_array().cloned().unwrap_or_default())
        .map(|b| {
            (
                b["text"].as_str().unwrap_or("").to_string(),
                b["callback_data"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

pub(crate) fn message_id(update: &Value) -> i64 {
    update["message"]["message_id"]
        .as_i64()
        .expect("message id")
}

#[test]
fn private_chat_question_commands_and_buttons() {
    let bot = Running::start(100);
    let m = bot.sent_after(private_text(1, "trade 2002"), 1);
    assert_eq!(m[0]["chat_id"], 1);
    assert_eq!(m[0]["parse_mode"], "HTML");
    assert!(
        text(&m[0]).contains("<b>$160.7 million</b>"),
        "{}",
        text(&m[0])
    );
    let kb = buttons(&m[0]);
    assert!(kb.iter().all(|(_, d)| d.len() <= 64));
    let (_, source) = kb
        .iter()
        .find(|(t, _)| t.contains("Source"))
        .expect("source button")
        .clone();

    // "Source" shows the whole passage.
    let bot_msg = 1_000_000;
    let m = bot.sent_after(callback_query(1, 1, bot_msg, &source), 2);
    assert!(
        text(&m[1]).contains("$160.7 million in 2002"),
        "{}",
        text(&m[1])
    );
    assert!(!bot.fake.wait_for("answerCallbackQuery", 1, WAIT).is_empty());

    // A series has a chart button that sends a PNG.
    let m = bot.sent_after(private_text(1, "/trade 2000-2003"), 3);
    let (_, chart) = buttons(&m[2])
        .into_iter()
        .find(|(t, _)| t.contains("Chart"))
        .expect("chart button");
    bot.fake
        .push_update(callback_query(1, 1, bot_msg + 1, &chart));
    let photos = bot.fake.wait_for("sendPhoto", 1, WAIT);
    assert_eq!(photos.len(), 1, "{}", bot.log());
    assert!(photos[0]["photo_bytes"].as_u64().unwrap_or(0) > 1000);
    assert!(photos[0]["caption"].as_str().unwrap_or("").contains("2003"));

    // /start offers examples as buttons; /help lists commands.
    let m = bot.sent_after(private_text(1, "/start"), 4);
    assert!(buttons(&m[3]).len() >= 2, "{}", m[3]);
    let m = bot.sent_after(private_text(1, "/help"), 5);
    assert!(text(&m[4]).contains("/trade") && text(&m[4]).contains("/timeline"));
    // Hostile input still gets an answer, escaped.
    let m = bot.sent_after(private_text(1, "<script>alert(1)</script> & title:\""), 6);
    assert!(!text(&m[5]).contains("<script>"), "{}", text(&m[5]));
    bot.stop();
}

#[test]
fn group_chat_answers_only_what_is_addressed_to_it() {
    let bot = Running::start(100);
    let chat = -1001234;
    // Chatter and another bot's command: silence. Then a command for us.
    bot.fake
        .push_update(group_text(chat, 2, "hello all, trade 2002 was a good year"));
    bot.fake
        .push_update(group_text(chat, 2, "/trade@OtherBot 2003"));
    let cmd = group_text(chat, 2, "/trade@FactBot 2003");
    let id = message_id(&cmd);
    let m = bot.sent_after(cmd, 1);
    assert!(text(&m[0]).contains("$228 million"), "{}", text(&m[0]));
    assert_eq!(
        m[0]["reply_parameters"]["message_id"], id,
        "answers reply to the question"
    );

    // A bare command, a mention, and a reply to the bot.
    let m = bot.sent_after(group_text(chat, 3, "/trade 2000"), 2);
    assert!(text(&m[1]).contains("$90.8 million"));
    let m = bot.sent_after(
        group_text(
            chat,
            3,
            "@FactBot when was the treaty of eternal friendship signed?",
        ),
        3,
    );
    assert!(text(&m[2]).contains("April 8, 1997"), "{}", text(&m[2]));
    let m = bot.sent_after(
        group_reply_to_bot(
            chat,
            4,
            "and the treaty on allied relations?",
            555,
            "FactBot",
        ),
        4,
    );
    assert!(text(&m[3]).contains("2003"), "{}", text(&m[3]));
    // Nothing was sent for the chatter or for the other bot's command.
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(
        bot.fake
            .wait_for("sendMessage", 5, Duration::from_millis(200))
            .len(),
        4
    );
    bot.stop();
}

#[test]
fn inline_mode_offers_ready_answers() {
    let bot = Running::start(100);
    bot.fake.push_update(inline_query(5, "trade 2002"));
    let r = bot.fake.wait_for("answerInlineQuery", 1, WAIT);
    assert_eq!(r.len(), 1, "{}", bot.log());
    let results = r[0]["results"].as_array().cloned().unwrap_or_default();
    assert!(!results.is_empty() && results.len() <= 5);
    let first = results[0]["input_message_content"]["message_text"]
        .as_str()
        .unwrap_or("");
    assert!(first.contains("$160.7 million"), "{first}");
    // Empty query: examples.
    bot.fake.push_update(inline_query(5, ""));
    let r = bot.fake.wait_for("answerInlineQuery", 2, WAIT);
    assert!(!r[1]["results"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .is_empty());
    bot.stop();
}

#[test]
fn reindex_is_for_admins_only() {
    let bot = Running::start(100);
    let m = bot.sent_after(private_text(9, "/reindex"), 1);
    assert!(
        text(&m[0]).contains("Only the bot's admins"),
        "{}",
        text(&m[0])
    );
    let m = bot.sent_after(private_text(ADMIN, "/reindex"), 3);
    assert!(text(&m[1]).contains("Rebuilding"));
    assert!(
        text(&m[2]).contains("Index rebuilt: 2 documents"),
        "{}",
        text(&m[2])
    );
    // Still answering after the swap.
    let m = bot.sent_after(private_text(9, "trade 2001"), 4);
    assert!(text(&m[3]).contains("$120.8 million"));
    bot.stop();
}

#[test]
fn flood_from_one_user_is_capped_with_one_polite_notice() {
    let bot = Running::start(3);
    for i in 0..6 {
        bot.fake
            .push_update(private_text(11, &format!("trade 200{}", i % 4)));
    }
    let m = bot.fake.wait_for("sendMessage", 4, WAIT);
    std::thread::sleep(Duration::from_millis(700));
    let all = bot
        .fake
        .wait_for("sendMessage", 5, Duration::from_millis(100));
    assert_eq!(all.len(), 4, "3 answers and one notice: {all:?}");
    assert_eq!(
        m.iter().filter(|x| text(x).contains("Slow down")).count(),
        1
    );
    // Another user is not affected.
    let m = bot.sent_after(private_text(12, "trade 2002"), 5);
    assert!(text(&m[4]).contains("$160.7 million"));
    bot.stop();
}

#[test]
fn retry_after_429_and_russian_interface() {
    let bot = Running::start(100);
    bot.fake.fail_with_429("sendMessage", 1, 1);
    let m = bot.sent_after(with_language(private_text(21, "/help"), "ru"), 1);
    assert!(text(&m[0]).contains("Спрашивайте"), "{}", text(&m[0]));
    assert_eq!(bot.fake.failed_calls().len(), 1, "the 429 was seen");
    let m = bot.sent_after(
        with_language(private_text(21, "товарооборот в 2002 году"), "kk"),
        2,
    );
    assert!(
        text(&m[1]).contains("160,7 млн долларов США"),
        "{}",
        text(&m[1])
    );
    assert!(buttons(&m[1]).iter().any(|(t, _)| t.contains("Источник")));
    bot.stop();
}

/// Checks `s` against Telegram's HTML parse mode: only its tags (`a` with nothing but an
/// `href`), properly nested and closed; every `<`, `>` and `&` outside a tag is an entity.
fn check_telegram_html(s: &str) -> Result<(), String> {
    const TAGS: &[&str] = &[
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "a",
        "code",
        "pre",
        "blockquote",
        "tg-spoiler",
    ];
    let mut open: Vec<String> = Vec::new();
    let mut i = 0;
    while let Some(pos) = s[i..].find(['<', '>', '&']) {
        let at = i + pos;
        let rest = &s[at..];
        if rest.starts_with('>') {
            return Err(format!("raw '>' at {at}"));
        }
        if rest.starts_with('&') {
            let end = rest
                .find(';')
                .ok_or_else(|| format!("'&' without ';' at {at}"))?;
            let name = &rest[1..end];
            let numeric = name
                .strip_prefix('#')
                .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
            if !(numeric || ["lt", "gt", "amp", "quot"].contains(&name)) {
                return Err(format!("raw '&' or unknown entity &{name}; at {at}"));
            }
            i = at + end + 1;
            continue;
        }
        let end = rest
            .find('>')
            .ok_or_else(|| format!("unclosed '<' at {at}"))?;
        let inner = &rest[1..end];
        if inner.contains('<') {
            return Err(format!("raw '<' at {at}"));
        }
        if let Some(name) = inner.strip_prefix('/') {
            match open.pop() {
                Some(o) if o == name => {}
                other => return Err(format!("</{name}> closes {other:?} at {at}")),
            }
        } else {
            let name = inner.split_whitespace().next().unwrap_or("");
            if !TAGS.contains(&name) {
                return Err(format!("tag <{inner}> at {at}"));
            }
            let attrs = inner[name.len()..].trim();
            let attrs_ok = match name {
                "a" => {
                    attrs.starts_with("href=\"")
                        && attrs.ends_with('"')
                        && attrs.len() > 7
                        && !attrs[6..attrs.len() - 1].contains('"')
                }
                _ => attrs.is_empty(),
            };
            if !attrs_ok {
                return Err(format!("attributes in <{inner}> at {at}"));
            }
            open.push(name.to_string());
        }
        i = at + end + 1;
    }
    match open.last() {
        Some(o) => Err(format!("<{o}> never closed")),
        None => Ok(()),
    }
}

#[test]
fn html_checker_catches_raw_markup() {
    assert!(check_telegram_html("<b>$1</b> &amp; &lt;a&gt; <a href=\"https://x\">t</a>").is_ok());
    for bad in [
        "<script>x</script>",
        "<a href=\"x\" onclick=\"y\">t</a>",
        "<b>open",
        "<b><i>x</b></i>",
        "a & b",
        "1 > 0",
        "</b>",
    ] {
        assert!(check_telegram_html(bad).is_err(), "{bad}");
    }
}

/// Questions full of markup get replies that are valid Telegram HTML: the user's tags come
/// back as text, never as markup.
#[test]
fn hostile_html_in_questions_gets_valid_escaped_replies() {
    let bot = Running::start(100);
    let hostile = [
        r#"<a href="x">trade 2002</a> & more"#,
        "<script>alert('x')</script> when was the treaty of eternal friendship signed?",
        "<b>unbalanced <i>tags</b> & &amp; &#x3c; joint ventures",
        "</pre><pre>tg-spoiler <tg-spoiler> < > & \" '",
    ];
    let mut total = 0;
    for (k, q) in hostile.iter().enumerate() {
        total += 1;
        bot.sent_after(private_text(91, q), total);
        total += 1;
        bot.sent_after(group_text(-1_009_100, 92, &format!("@FactBot {q}")), total);
        total += 1;
        bot.sent_after(private_text(93, &format!("/ask {q}")), total);
        bot.fake.push_update(inline_query(94, q));
        assert_eq!(
            bot.fake.wait_for("answerInlineQuery", k + 1, WAIT).len(),
            k + 1
        );
    }
    let sent = bot.settled_messages(Duration::from_millis(500));
    assert_eq!(sent.len(), total);
    let mut html: Vec<String> = sent.iter().map(|m| text(m).to_string()).collect();
    for m in &sent {
        assert_eq!(m["parse_mode"], "HTML", "{m}");
    }
    for r in bot.fake.wait_for("answerInlineQuery", hostile.len(), WAIT) {
        for result in r["results"].as_array().cloned().unwrap_or_default() {
            let content = &result["input_message_content"];
            assert_eq!(content["parse_mode"], "HTML", "{result}");
            html.push(content["message_text"].as_str().unwrap_or("").to_string());
        }
    }
    for h in &html {
        if let Err(e) = check_telegram_html(h) {
            panic!("{e}: {h}");
        }
        for raw in [
            "<script",
            "<a href=\"x\"",
            "<tg-spoiler",
            "<pre>",
            "<i>tags",
        ] {
            assert!(!h.contains(raw), "raw {raw} in {h}");
        }
    }
    // The markup around a question does not stop it being answered.
    assert!(html.iter().any(|h| h.contains("$160.7 million")));
    bot.stop();
}

/// With `throttle = true` requests go through teloxide's Throttle, which waits out a 429
/// by itself.
#[test]
fn throttled_client_answers_and_waits_out_429() {
    let bot = Running::start_with(100, "throttle = true");
    bot.fake.fail_with_429("sendMessage", 1, 1);
    let m = bot.sent_after(private_text(22, "trade 2002"), 1);
    assert!(text(&m[0]).contains("$160.7 million"), "{}", text(&m[0]));
    assert_eq!(bot.fake.failed_calls().len(), 1, "the 429 was seen");
    let m = bot.sent_after(private_text(22, "/help"), 2);
    assert!(text(&m[1]).contains("/trade"));
    let log = bot.stop();
    assert!(log.contains("throttle on"), "{log}");
}

#[test]
fn token_never_appears_in_output_at_trace_level() {
    let bot = Running::start(100);
    bot.sent_after(private_text(31, "trade 2003"), 1);
    let log = bot.stop();
    assert!(log.contains("started as @FactBot"), "{log}");
    assert!(log.contains("throttle off"), "{log}");
    let secret = TOKEN.split_once(':').map(|(_, s)| s).unwrap_or(TOKEN);
    assert!(!log.contains(secret), "the token leaked into the log");
}

#[test]
fn missing_or_malformed_token_exits_2_with_one_line() {
    for token in [None, Some("not-a-token")] {
        let mut c = Command::new(env!("CARGO_BIN_EXE_factbot"));
        c.arg("run").env_remove("TELOXIDE_TOKEN");
        if let Some(t) = token {
            c.env("TELOXIDE_TOKEN", t);
        }
        let out = c.output().expect("run");
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.trim().lines().count(), 1, "{err}");
        assert!(err.contains("TELOXIDE_TOKEN"));
    }
}

/// Throughput and latency of the bot against the fake server, throttling off (the issue's
/// target: at least 1,000 updates/s with p99 under 20 ms). A measurement; in release it
/// also checks the target:
/// `cargo test --release --test integration bot_throughput -- --ignored --nocapture`.
#[test]
#[ignore]
fn bot_throughput() {
    let bot = Running::start(1_000_000);
    let hwm_start = bot.memory_kb("VmHWM").unwrap_or(0);
    // Latency: one update at a time, from push to the bot's sendMessage.
    let sequential = 1000usize;
    let mut lat = Vec::with_capacity(sequential);
    for i in 0..sequential {
        let t = Instant::now();
        bot.fake.push_update(private_text(
            100_000 + i as i64,
            &format!("trade 200{}", i % 4),
        ));
        let answered = bot
            .fake
            .wait_for_nth("sendMessage", i + 1, WAIT)
            .expect("answered");
        lat.push(answered.duration_since(t).as_secs_f64() * 1000.0);
    }
    lat.sort_by(f64::total_cmp);
    let pct = |q: f64| lat[((lat.len() - 1) as f64 * q).round() as usize];
    let hwm_before = bot.memory_kb("VmHWM").unwrap_or(0);
    // Throughput: a burst from many users at once.
    let burst = 5000usize;
    let t = Instant::now();
    for i in 0..burst {
        let q = [
            "trade 2002",
            "When was the Treaty of Eternal Friendship signed?",
            "joint ventures",
            "/timeline",
        ][i % 4];
        bot.fake.push_update(private_text(200_000 + i as i64, q));
    }
    let last = bot
        .fake
        .wait_for_nth("sendMessage", sequential + burst, Duration::from_secs(300));
    let secs = last
        .unwrap_or_else(Instant::now)
        .duration_since(t)
        .as_secs_f64();
    let got = bot
        .fake
        .wait_for("sendMessage", sequential + burst, Duration::ZERO);
    let answered = got.len() - sequential;
    let rate = answered as f64 / secs;
    let hwm_after = bot.memory_kb("VmHWM").unwrap_or(0);
    let rss_after = bot.memory_kb("VmRSS").unwrap_or(0);
    println!(
        "latency update→sendMessage (sequential, {sequential}): p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms, max {:.2} ms\n\
         burst of {burst} updates from {burst} users: {answered} answered in {secs:.2} s = {rate:.0} updates/s\n\
         bot VmHWM: {hwm_start} kB after start, {hwm_before} kB after the sequential run, {hwm_after} kB after the burst (VmRSS {rss_after} kB)",
        pct(0.5),
        pct(0.95),
        pct(0.99),
        lat[lat.len() - 1],
    );
    assert_eq!(answered, burst, "{}", bot.log());
    if !cfg!(debug_assertions) {
        assert!(rate >= 1000.0, "{rate:.0} updates/s");
        assert!(pct(0.99) < 20.0, "p99 {:.2} ms", pct(0.99));
    }
    bot.stop();
}

/// POSTs a JSON body to the bot's webhook; returns the HTTP status code.
pub(crate) fn post_webhook(port: u16, body: &str, secret: Option<&str>) -> u16 {
    use std::io::Write;
    let Ok(mut stream) = std::net::TcpStream::connect(("127.0.0.1", port)) else {
        return 0;
    };
    let header = secret
        .map(|s| format!("X-Telegram-Bot-Api-Secret-Token: {s}\r\n"))
        .unwrap_or_default();
    let req = format!(
        "POST /hook HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n{header}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    if stream.write_all(req.as_bytes()).is_err() {
        return 0;
    }
    let mut resp = String::new();
    let _ = stream.read_to_string(&mut resp);
    resp.split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0)
}

impl Running {
    /// The bot in webhook mode on a free local port; returns the port too.
    pub(crate) fn start_webhook(rate_per_minute: u32) -> (Running, u16) {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .expect("port")
            .local_addr()
            .expect("addr")
            .port();
        let extra = format!("mode = \"webhook\"\nwebhook_url = \"http://127.0.0.1:{port}/hook\"\nlisten = \"127.0.0.1:{port}\"");
        (Running::start_with(rate_per_minute, &extra), port)
    }
}

#[test]
fn webhook_mode_checks_the_secret_header() {
    let (bot, port) = Running::start_webhook(100);
    let set = bot.fake.wait_for("setWebhook", 1, WAIT);
    assert_eq!(set[0]["secret_token"], "s3cret-webhook");
    let mut update = private_text(41, "trade 2002");
    update["update_id"] = serde_json::json!(1);
    let body = update.to_string();
    // The listener may need a moment after setWebhook.
    let deadline = Instant::now() + WAIT;
    let mut status = 0;
    while Instant::now() < deadline {
        status = post_webhook(port, &body, None);
        if status != 0 {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(status, 401, "no secret header");
    assert_eq!(post_webhook(port, &body, Some("wrong")), 401);
    assert_eq!(post_webhook(port, &body, Some("s3cret-webhook")), 200);
    let m = bot.fake.wait_for("sendMessage", 1, WAIT);
    assert!(text(&m[0]).contains("$160.7 million"), "{}", bot.log());
    // Telegram retries a webhook it thinks failed: the same update is answered once.
    assert_eq!(post_webhook(port, &body, Some("s3cret-webhook")), 200);
    assert_eq!(
        bot.settled_messages(Duration::from_millis(700)).len(),
        1,
        "{}",
        bot.log()
    );
    bot.stop();
}

#[test]
fn more_sources_about_and_allow_lists() {
    let bot = Running::start_with(100, "allowed_users = [51, 52]");
    let m = bot.sent_after(private_text(51, "joint ventures in Kyrgyzstan"), 1);
    let (_, more) = buttons(&m[0])
        .into_iter()
        .find(|(t, _)| t.contains("More"))
        .expect("more button");
    let m = bot.sent_after(callback_query(51, 51, 1_000_100, &more), 2);
    assert_ne!(text(&m[1]), text(&m[0]), "More shows other passages");
    let m = bot.sent_after(private_text(52, "/sources"), 3);
    assert!(
        text(&m[2]).contains("Kyrgyzstan — Kazakhstan") && text(&m[2]).contains("2024-04-17"),
        "{}",
        text(&m[2])
    );
    let m = bot.sent_after(private_text(52, "/about"), 4);
    assert!(text(&m[3]).contains("2 documents"), "{}", text(&m[3]));
    // Someone not on the list is refused in private and ignored in groups.
    let m = bot.sent_after(private_text(53, "trade 2002"), 5);
    assert!(text(&m[4]).contains("private"), "{}", text(&m[4]));
    bot.fake
        .push_update(group_text(-100777, 53, "/trade@FactBot 2002"));
    std::thread::sleep(Duration::from_millis(700));
    assert_eq!(
        bot.fake
            .wait_for("sendMessage", 6, Duration::from_millis(100))
            .len(),
        5
    );
    bot.stop();
}
