//! factbot run as a service: settings checked before start, copies behind a load balancer
//! in webhook mode, health checks, documents that change under a running bot, and the
//! configuration found from any working directory.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::bot::{bot_config, post_webhook, text, Running, TOKEN, WAIT};
use crate::fake_telegram::{private_text, FakeTelegram};
use crate::support::sample_documents;

const SECRET: &str = "s3cret-webhook";

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// Runs `factbot run` with `config` and `env` at the default log level (what a user
/// sees) and waits for it to exit, which it must within `WAIT`.
fn run_until_exit(config: &str, env: &[(&str, Option<&str>)]) -> Output {
    let tmp = tempfile::tempdir().expect("tmp");
    let path = tmp.path().join("config.toml");
    std::fs::write(&path, config).expect("config");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_factbot"));
    cmd.arg("--config")
        .arg(&path)
        .arg("run")
        .env("TELOXIDE_TOKEN", TOKEN)
        .env_remove("RUST_LOG")
        .env_remove("TELOXIDE_API_URL")
        .env_remove("FACTBOT_WEBHOOK_SECRET")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    for (key, value) in env {
        match value {
            Some(v) => cmd.env(key, v),
            None => cmd.env_remove(key),
        };
    }
    let mut child = cmd.spawn().expect("spawn factbot run");
    let deadline = Instant::now() + WAIT;
    while matches!(child.try_wait(), Ok(None)) {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("factbot run did not exit with config:\n{config}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().expect("output")
}

fn webhook_config(documents: &Path, index: &Path, url: &str, listen: &str, extra: &str) -> String {
    bot_config(
        documents,
        index,
        100,
        &format!("mode = \"webhook\"\nwebhook_url = \"{url}\"\nlisten = \"{listen}\"\n{extra}"),
    )
}

/// Issue 15: secrets Telegram does not accept, or none, panicked inside teloxide with exit
/// code 101; addresses that cannot work failed late. Each now gets one line saying what to
/// set, exit code 2, and Telegram hears nothing.
#[test]
fn webhook_settings_that_cannot_work_exit_2_with_one_line_saying_what_to_set() {
    let fake = FakeTelegram::start("FactBot");
    let tmp = tempfile::tempdir().expect("tmp");
    let (docs, index) = (sample_documents(), tmp.path().join("index"));
    let local = "http://127.0.0.1:8081/telegram";
    let api = fake.url();
    let usual = webhook_config(&docs, &index, local, "127.0.0.1:8081", "");
    let secret = |secret, said| (usual.clone(), Some(api.as_str()), secret, said);
    let official = |url, said| {
        let config = webhook_config(&docs, &index, url, "127.0.0.1:8081", "");
        (config, None, Some(SECRET), said)
    };
    let cases: [(String, Option<&str>, Option<&str>, &str); 8] = [
        secret(Some("my webhook secret!"), "FACTBOT_WEBHOOK_SECRET"),
        secret(Some("bXkgc2VjcmV0+/w=="), "A-Z, a-z, 0-9, _ and -"),
        secret(Some(""), "is not set or empty"),
        secret(None, "is not set or empty"),
        (
            webhook_config(&docs, &index, local, "8081", ""),
            Some(api.as_str()),
            Some(SECRET),
            "telegram.listen",
        ),
        (
            bot_config(&docs, &index, 100, "mode = \"webhook\""),
            Some(api.as_str()),
            Some(SECRET),
            "telegram.webhook_url",
        ),
        // Telegram itself posts only to https, on four ports.
        official(local, "https"),
        official("https://bot.example.org:8081/t", "443, 80, 88 and 8443"),
    ];
    for (config, api_url, secret, said) in cases {
        let out = run_until_exit(
            &config,
            &[
                ("TELOXIDE_API_URL", api_url),
                ("FACTBOT_WEBHOOK_SECRET", secret),
            ],
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{said}: {stderr}");
        assert_eq!(stderr.trim().lines().count(), 1, "{said}: {stderr}");
        assert!(stderr.contains(said), "{said}: {stderr}");
        assert!(
            !stderr.contains("my webhook secret"),
            "the secret was shown: {stderr}"
        );
    }
    assert!(fake.calls().is_empty(), "{:?}", fake.calls());
}

/// Issue 15: a listen port in use panicked, logged "stopped" and exited 0, after
/// `setWebhook` had gone out, so `Restart=on-failure` would not restart it.
#[test]
fn a_listen_port_in_use_stops_the_bot_with_one_line_before_telegram_hears_of_it() {
    let fake = FakeTelegram::start("FactBot");
    let taken = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = taken.local_addr().expect("addr");
    let tmp = tempfile::tempdir().expect("tmp");
    let config = webhook_config(
        &sample_documents(),
        &tmp.path().join("index"),
        &format!("http://{addr}/hook"),
        &addr.to_string(),
        "",
    );
    let out = run_until_exit(
        &config,
        &[
            ("TELOXIDE_API_URL", Some(&fake.url())),
            ("FACTBOT_WEBHOOK_SECRET", Some(SECRET)),
        ],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains(&format!("cannot listen on {addr}")) && stderr.contains("telegram.listen"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked") && !stderr.contains("internal error"));
    assert!(fake.calls().is_empty(), "{:?}", fake.calls());
}

/// A round-robin HTTP proxy on 127.0.0.1 in front of the copies of the bot, as a load
/// balancer would be: a copy that refuses the connection is skipped; any other failure
/// is a 502, which Telegram answers by sending the update again later. It records which
/// copy took each request that got a 200.
struct Proxy {
    port: u16,
    took: Arc<Mutex<Vec<(u16, String)>>>,
}

impl Proxy {
    fn start(backends: Vec<u16>) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind proxy");
        let port = listener.local_addr().expect("addr").port();
        let took = Arc::new(Mutex::new(Vec::new()));
        let record = Arc::clone(&took);
        let next = Arc::new(AtomicUsize::new(0));
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let (backends, next, record) =
                    (backends.clone(), Arc::clone(&next), Arc::clone(&record));
                std::thread::spawn(move || forward(client, &backends, &next, &record));
            }
        });
        Proxy { port, took }
    }
}

/// Reads one request (headers and a Content-Length body) from `client`.
fn read_request(client: &mut TcpStream) -> Option<Vec<u8>> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        let n = client.read(&mut chunk).ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
        let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") else {
            continue;
        };
        let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
        let length: usize = head
            .lines()
            .find_map(|l| l.strip_prefix("content-length:"))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(0);
        if buf.len() >= end + 4 + length {
            return Some(buf);
        }
    }
}

fn forward(
    mut client: TcpStream,
    backends: &[u16],
    next: &AtomicUsize,
    took: &Mutex<Vec<(u16, String)>>,
) {
    let Some(request) = read_request(&mut client) else {
        return;
    };
    let first = next.fetch_add(1, Ordering::SeqCst);
    let mut answer =
        b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_vec();
    for i in 0..backends.len() {
        let port = backends[(first + i) % backends.len()];
        let Ok(mut backend) = TcpStream::connect(("127.0.0.1", port)) else {
            continue; // refused: this copy is down, try the next
        };
        let mut response = Vec::new();
        let ok = backend.write_all(&request).is_ok()
            && backend.read_to_end(&mut response).is_ok()
            && !response.is_empty();
        if ok {
            if response.starts_with(b"HTTP/1.1 200") {
                let body = String::from_utf8_lossy(&request).into_owned();
                took.lock().expect("lock").push((port, body));
            }
            answer = response;
        }
        break;
    }
    let _ = client.write_all(&answer);
}

/// GETs `path` from 127.0.0.1:`port`: (status, body).
fn get(port: u16, path: &str) -> (u16, String) {
    let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) else {
        return (0, String::new());
    };
    let _ = s.write_all(
        format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").as_bytes(),
    );
    let mut resp = String::new();
    let _ = s.read_to_string(&mut resp);
    let status = resp
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = resp.split("\r\n\r\n").nth(1).unwrap_or("").to_string();
    (status, body)
}

/// Waits until a copy's health check answers 200; returns what it says.
fn healthy(port: u16, bot: &Running) -> Value {
    let deadline = Instant::now() + WAIT;
    loop {
        let (status, body) = get(port, "/healthz");
        if status == 200 {
            return serde_json::from_str(&body).expect("health is JSON");
        }
        assert!(Instant::now() < deadline, "never healthy: {}", bot.log());
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Posts an update to the proxy as Telegram does: again, after a pause, until a 200.
fn deliver(proxy: u16, update: &Value) {
    let body = update.to_string();
    let deadline = Instant::now() + WAIT;
    while post_webhook(proxy, &body, Some(SECRET)) != 200 {
        assert!(Instant::now() < deadline, "update never taken: {body}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn replica(fake: &FakeTelegram, index: &Path, proxy: u16, port: u16) -> Running {
    let tmp = tempfile::tempdir().expect("tmp");
    let config = webhook_config(
        &sample_documents(),
        index,
        &format!("http://127.0.0.1:{proxy}/hook"),
        &format!("127.0.0.1:{port}"),
        "",
    );
    Running::spawn(fake.clone(), tmp, &config, &[], |c| c)
}

/// Issue 15: without a shared secret each copy registered its own, every copy called
/// `setWebhook` at start and `deleteWebhook` at stop, and there was no health check. Two
/// copies over one index behind a round-robin proxy; one stops half-way; every update is
/// answered exactly once.
#[test]
fn two_copies_behind_a_round_robin_proxy_lose_and_repeat_nothing_when_one_stops() {
    let fake = FakeTelegram::start("FactBot");
    let tmp = tempfile::tempdir().expect("tmp");
    let index = tmp.path().join("index");
    crate::faults::run_index(&sample_documents(), &index);
    let generation = std::fs::read_to_string(index.join("CURRENT")).expect("CURRENT");
    let (a_port, b_port) = (free_port(), free_port());
    let proxy = Proxy::start(vec![a_port, b_port]);

    let mut a = replica(&fake, &index, proxy.port, a_port);
    let a_health = healthy(a_port, &a);
    let b = replica(&fake, &index, proxy.port, b_port);
    let b_health = healthy(b_port, &b);
    for h in [&a_health, &b_health] {
        assert_eq!(h["status"], "ok", "{h}");
        assert_eq!(h["generation"], generation.trim(), "{h}");
        assert_eq!(h["documents"], 2, "{h}");
    }
    // The second copy found the webhook registered with the same secret and left it.
    assert_eq!(fake.wait_for("getWebhookInfo", 2, WAIT).len(), 2);
    assert_eq!(fake.wait_for("setWebhook", 2, Duration::ZERO).len(), 1);
    let hook = fake.webhook().expect("registered");
    assert_eq!(hook["secret_token"], SECRET);
    assert!(hook["url"]
        .as_str()
        .is_some_and(|u| u.starts_with(&format!("http://127.0.0.1:{}/hook?", proxy.port))));

    let updates = 40;
    let user = |i: usize| 500_000 + i as i64;
    let mut stopping = None;
    for i in 0..updates {
        let mut update = private_text(user(i), "trade 2002");
        update["update_id"] = json!(10_000 + i);
        deliver(proxy.port, &update);
        if i == updates / 2 {
            // SIGTERM, as systemd stops a unit; the rest keeps coming meanwhile.
            let pid = a.child.id().to_string();
            stopping = Some(std::thread::spawn(move || {
                Command::new("kill").args(["-TERM", &pid]).status()
            }));
        }
    }
    if let Some(s) = stopping {
        let _ = s.join();
    }
    let deadline = Instant::now() + WAIT;
    while a.alive() {
        assert!(Instant::now() < deadline, "the stopped copy did not exit");
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(a.child.wait().expect("exit").success(), "{}", a.log());

    let answered = fake.wait_for("sendMessage", updates, WAIT);
    assert_eq!(answered.len(), updates, "lost updates: {}", b.log());
    let sent = b.settled_messages(Duration::from_millis(700));
    for i in 0..updates {
        let to_user: Vec<&Value> = sent.iter().filter(|m| m["chat_id"] == user(i)).collect();
        assert_eq!(
            to_user.len(),
            1,
            "user {} got {} answers",
            user(i),
            to_user.len()
        );
        assert!(text(to_user[0]).contains("$160.7 million"));
    }
    let took = proxy.took.lock().expect("lock").clone();
    assert_eq!(took.len(), updates, "each update was taken once");
    assert!(took.iter().any(|(port, _)| *port == a_port));
    assert!(
        took.iter()
            .rev()
            .take(updates / 4)
            .all(|(port, _)| *port == b_port),
        "after the stop, the survivor took every update"
    );
    // Stopping a copy leaves the webhook to the others.
    assert!(!fake.calls().iter().any(|(m, _)| m == "deleteWebhook"));
    assert!(fake.webhook().is_some());
    assert!(a.log().contains("stopped"));
    b.stop();
}

/// A copy started with a new secret registers again (the secret is not in
/// `getWebhookInfo`, but its fingerprint is in the URL); `delete_webhook_on_stop`
/// removes the webhook at stop.
#[test]
fn a_new_secret_registers_again_and_delete_on_stop_removes_the_webhook() {
    let fake = FakeTelegram::start("FactBot");
    let port = free_port();
    let tmp = tempfile::tempdir().expect("tmp");
    let index = tmp.path().join("index");
    let url = format!("http://127.0.0.1:{port}/hook");
    let start = |secret: &str, extra: &str| {
        let config = webhook_config(
            &sample_documents(),
            &index,
            &url,
            &format!("127.0.0.1:{port}"),
            extra,
        );
        let dir = tempfile::tempdir().expect("tmp");
        let bot = Running::spawn(
            fake.clone(),
            dir,
            &config,
            &[("FACTBOT_WEBHOOK_SECRET", Some(secret))],
            |c| c,
        );
        healthy(port, &bot);
        bot
    };
    start("first-secret", "").stop();
    let first = fake.webhook().expect("registered");
    assert_eq!(first["secret_token"], "first-secret");
    let bot = start("second-secret", "delete_webhook_on_stop = true");
    let second = fake.webhook().expect("registered");
    assert_eq!(second["secret_token"], "second-secret");
    assert_ne!(first["url"], second["url"]);
    assert_eq!(fake.wait_for("setWebhook", 3, Duration::ZERO).len(), 2);
    let log = bot.stop();
    assert!(fake.webhook().is_none(), "{log}");
    assert!(log.contains("webhook deleted"), "{log}");
}

/// Copies the sample documents into a new folder.
fn sample_copy(dir: &Path) {
    std::fs::create_dir_all(dir).expect("mkdir");
    for e in std::fs::read_dir(sample_documents()).expect("ls").flatten() {
        std::fs::copy(e.path(), dir.join(e.file_name())).expect("copy");
    }
}

/// A document with a figure the sample corpus does not have.
const NEW_DOCUMENT: &str = "# Uzbekistan and Tajikistan trade\n\ndate 2024-02-01\n\n\
Trade turnover between Uzbekistan and Tajikistan reached $777.7 million in 2019.\n";

fn wait_for_log(bot: &Running, said: &str) {
    let deadline = Instant::now() + WAIT;
    while !bot.log().contains(said) {
        assert!(
            Instant::now() < deadline,
            "never logged {said:?}: {}",
            bot.log()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Issue 15: a running bot answered from the old index until `/reindex` or a restart.
#[test]
fn documents_added_while_the_bot_runs_are_answered_from_a_new_index() {
    let tmp = tempfile::tempdir().expect("tmp");
    let docs = tmp.path().join("docs");
    sample_copy(&docs);
    let config = bot_config(
        &docs,
        &tmp.path().join("index"),
        100,
        "watch_interval_seconds = 1",
    );
    let bot = Running::spawn(
        FakeTelegram::start("FactBot"),
        tempfile::tempdir().expect("tmp"),
        &config,
        &[("RUST_LOG", Some("info"))],
        |c| c,
    );
    bot.wait_started(false);
    let m = bot.sent_after(private_text(61, "trade 2002"), 1);
    assert!(text(&m[0]).contains("$160.7 million"), "{}", text(&m[0]));

    std::fs::write(docs.join("uz_tj.md"), NEW_DOCUMENT).expect("new document");
    wait_for_log(&bot, "in service: 3 documents");
    let m = bot.sent_after(private_text(61, "trade uzbekistan tajikistan 2019"), 2);
    assert!(text(&m[1]).contains("$777.7 million"), "{}", text(&m[1]));
    let m = bot.sent_after(private_text(61, "trade 2002"), 3);
    assert!(text(&m[2]).contains("$160.7 million"), "{}", text(&m[2]));
    let log = bot.stop();
    assert!(log.contains("documents changed"), "{log}");
}

/// A build that fails (here: the disk fills up) leaves the old index answering, logs why
/// once, and is not retried until the documents change again.
#[test]
fn a_rebuild_that_fails_leaves_the_old_index_answering() {
    let tmp = tempfile::tempdir().expect("tmp");
    let docs = tmp.path().join("docs");
    let index = tmp.path().join("index");
    crate::faults::corpus(&docs, 50);
    crate::faults::run_index(&docs, &index);
    let config = bot_config(&docs, &index, 100, "watch_interval_seconds = 1");
    let bot = Running::spawn(
        FakeTelegram::start("FactBot"),
        tempfile::tempdir().expect("tmp"),
        &config,
        &[("RUST_LOG", Some("info"))],
        |c| crate::faults::on_full_disk(&c),
    );
    bot.wait_started(false);

    std::fs::write(docs.join("uz_tj.md"), NEW_DOCUMENT).expect("new document");
    wait_for_log(&bot, "stays in service");
    let m = bot.sent_after(private_text(62, "trade 2002"), 1);
    assert!(text(&m[0]).contains("$160.7 million"), "{}", text(&m[0]));
    std::thread::sleep(Duration::from_secs(3));
    let log = bot.stop();
    assert_eq!(log.matches("stays in service").count(), 1, "{log}");
}

/// Issue 15: `factbot` run from another folder failed ("documents folder index/documents
/// does not exist"). The config is found from `--config`, then `FACTBOT_CONFIG`, then
/// `./config.toml`, and paths in it are taken from its folder.
#[test]
fn the_config_is_found_from_any_folder_and_its_paths_are_taken_from_it() {
    let tmp = tempfile::tempdir().expect("tmp");
    let site = tmp.path().join("site");
    sample_copy(&site.join("docs"));
    std::fs::write(
        site.join("factbot.toml"),
        "documents = \"docs\"\nindex = \"state/index\"\n",
    )
    .expect("config");
    let elsewhere = tmp.path().join("elsewhere");
    std::fs::create_dir_all(&elsewhere).expect("mkdir");
    let factbot = |env: Option<&Path>| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_factbot"));
        c.current_dir(&elsewhere).env_remove("FACTBOT_CONFIG");
        if let Some(p) = env {
            c.env("FACTBOT_CONFIG", p);
        }
        c
    };

    // No config anywhere: one line saying how to name the documents.
    let stderr = setup_error(&mut factbot(None));
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("--documents") && stderr.contains("FACTBOT_CONFIG"),
        "{stderr}"
    );

    // FACTBOT_CONFIG, with paths relative to the file.
    let v = answer(&mut factbot(Some(&site.join("factbot.toml"))), "trade 2002");
    assert_eq!(v["facts"][0]["amount"], 160_700_000.0);
    assert!(site.join("state/index/CURRENT").is_file());
    assert!(!elsewhere.join("state").exists());

    // --config comes first; a FACTBOT_CONFIG that names no file is an error.
    let missing = tmp.path().join("missing.toml");
    let mut both = factbot(Some(&missing));
    both.arg("--config").arg(site.join("factbot.toml"));
    assert_eq!(answer(&mut both, "trade 2002")["kind"], "trade");
    let stderr = setup_error(&mut factbot(Some(&missing)));
    assert!(stderr.contains("missing.toml"), "{stderr}");

    // A folder with config.toml in it.
    std::fs::copy(site.join("factbot.toml"), site.join("config.toml")).expect("copy");
    assert_eq!(
        answer(factbot(None).current_dir(&site), "trade 2002")["kind"],
        "trade"
    );
}

/// `cmd ask --json QUESTION`, which must succeed: the answer.
fn answer(cmd: &mut Command, question: &str) -> Value {
    let out = cmd.args(["ask", "--json", question]).output().expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("json")
}

/// `cmd ask QUESTION`, which must fail with exit code 2: what it printed.
fn setup_error(cmd: &mut Command) -> String {
    let out = cmd.args(["ask", "trade 2002"]).output().expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    stderr
}

/// What `cargo install` gives: the binary alone. The alias data is compiled in, so a
/// documents folder is all it needs.
#[test]
fn the_binary_alone_needs_only_a_documents_folder() {
    let tmp = tempfile::tempdir().expect("tmp");
    sample_copy(&tmp.path().join("docs"));
    let mut alone = Command::new(env!("CARGO_BIN_EXE_factbot"));
    alone
        .current_dir(tmp.path())
        .env_remove("FACTBOT_CONFIG")
        .args(["--documents", "docs", "--index", "index"]);
    let v = answer(&mut alone, "trade kg kz 2002");
    assert_eq!(v["facts"][0]["amount"], 160_700_000.0, "{v}");
}
